// lc: least connection, overhead = active*256 + inactive, first in list wins ties (kernel ip_vs_lc.c).

import type { SchedService, Scheduler } from './scheduler.js';
import { overhead, usable } from './scheduler.js';

export class LeastConnection implements Scheduler {
  readonly name = 'lc';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    const r = svc.reals;
    let least = -1;
    let loh = 0;
    for (const id of svc.dests) {
      if (!usable(r, id)) continue;
      const doh = overhead(r, id);
      if (least < 0 || doh < loh) {
        least = id;
        loh = doh;
      }
    }
    return least;
  }
}
