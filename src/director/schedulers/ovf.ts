// ovf: weighted overflow: highest weight among reals with active <= weight (kernel ip_vs_ovf.c).

import type { SchedService, Scheduler } from './scheduler.js';
import { REAL_OVERLOAD } from './scheduler.js';

export class WeightedOverflow implements Scheduler {
  readonly name = 'ovf';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    const r = svc.reals;
    let best = -1;
    for (const id of svc.dests) {
      const w = r.weight[id]!;
      // Only active connections count, so UDP services never overflow (a documented kernel caveat).
      if ((r.flags[id]! & REAL_OVERLOAD) !== 0 || r.active[id]! > w || w === 0) continue;
      if (best < 0 || w > r.weight[best]!) best = id;
    }
    return best;
  }
}
