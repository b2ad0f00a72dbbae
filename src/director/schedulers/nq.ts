// nq: never queue: the first idle usable real (no active connections), else the sed rule (ip_vs_nq.c).

import type { SchedService, Scheduler } from './scheduler.js';
import { usable } from './scheduler.js';

export class NeverQueue implements Scheduler {
  readonly name = 'nq';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    const r = svc.reals;
    let least = -1;
    let loh = 0;
    for (const id of svc.dests) {
      if (!usable(r, id)) continue;
      const doh = r.active[id]! + 1;
      if (r.active[id] === 0) return id;
      if (least < 0 || loh * r.weight[id]! > doh * r.weight[least]!) {
        least = id;
        loh = doh;
      }
    }
    return least;
  }
}
