// twos: power of two choices, weighted random picks compared by load (kernel ip_vs_twos.c).

import type { Flow, SchedService, Scheduler } from './scheduler.js';
import { overhead, usable } from './scheduler.js';

export class TwoChoices implements Scheduler {
  readonly name = 'twos';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, flow: Flow): number {
    const r = svc.reals;
    let total = 0;
    let choice1 = -1;
    for (const id of svc.dests) {
      if (usable(r, id)) {
        total += r.weight[id]!;
        choice1 = id;
      }
    }
    if (choice1 < 0) return -1;
    // Random weights in [0, total] inclusive (the kernel draws u32 % (total + 1)).
    let r1 = Math.floor(flow.random() * (total + 1));
    let r2 = Math.floor(flow.random() * (total + 1));
    let choice2 = -1;
    let w1 = -1;
    let w2 = -1;
    let oh1 = 0;
    let oh2 = 0;
    for (const id of svc.dests) {
      if (!usable(r, id)) continue;
      const w = r.weight[id]!;
      r1 -= w;
      r2 -= w;
      if (r1 <= 0 && w1 === -1) {
        choice1 = id;
        w1 = w;
        oh1 = overhead(r, id);
      }
      if (r2 <= 0 && w2 === -1) {
        choice2 = id;
        w2 = w;
        oh2 = overhead(r, id);
      }
      if (w1 !== -1 && w2 !== -1) break;
    }
    if (choice2 >= 0 && w2 * oh1 > w1 * oh2) return choice2;
    return choice1;
  }
}
