// fo: weighted failover: the non-overloaded real with the strictly highest weight (kernel ip_vs_fo.c).

import type { SchedService, Scheduler } from './scheduler.js';
import { REAL_OVERLOAD } from './scheduler.js';

export class WeightedFailover implements Scheduler {
  readonly name = 'fo';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    const r = svc.reals;
    let best = -1;
    let hw = 0;
    for (const id of svc.dests) {
      if ((r.flags[id]! & REAL_OVERLOAD) === 0 && r.weight[id]! > hw) {
        best = id;
        hw = r.weight[id]!;
      }
    }
    return best;
  }
}
