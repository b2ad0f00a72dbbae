// sed: shortest expected delay, overhead = active + 1, cross-multiplied by weight (kernel ip_vs_sed.c).

import type { SchedService, Scheduler } from './scheduler.js';
import { REAL_OVERLOAD, usable } from './scheduler.js';

export class ShortestExpectedDelay implements Scheduler {
  readonly name = 'sed';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    const r = svc.reals;
    const d = svc.dests;
    let i = 0;
    let least = -1;
    for (; i < d.length; i++) {
      if (usable(r, d[i]!)) {
        least = d[i]!;
        break;
      }
    }
    if (least < 0) return -1;
    let loh = r.active[least]! + 1;
    for (i++; i < d.length; i++) {
      const id = d[i]!;
      if ((r.flags[id]! & REAL_OVERLOAD) !== 0) continue;
      const doh = r.active[id]! + 1;
      if (loh * r.weight[id]! > doh * r.weight[least]!) {
        least = id;
        loh = doh;
      }
    }
    return least;
  }
}
