// wrr: weighted round robin with gcd/max-weight stepping (kernel ip_vs_wrr.c), cursor reset on changes.

import type { SchedService, Scheduler } from './scheduler.js';
import { gcd, REAL_OVERLOAD } from './scheduler.js';

export class WeightedRoundRobin implements Scheduler {
  readonly name = 'wrr';
  /** Index of the last chosen real in the list, -1 = head. Reset to head on every dest change. */
  private cl = -1;
  /** Current weight level. */
  private cw = 0;
  /** Max weight minus (di - 1). */
  private mw = 0;
  /** gcd of the positive weights (1 if none). */
  private di = 1;

  private recompute(svc: SchedService): void {
    const r = svc.reals;
    let g = 0;
    let max = 0;
    for (const id of svc.dests) {
      const w = r.weight[id]!;
      if (w > 0) g = g > 0 ? gcd(w, g) : w;
      if (w > max) max = w;
    }
    this.di = g > 0 ? g : 1;
    this.mw = max - (this.di - 1);
    this.cl = -1;
  }

  init(svc: SchedService): void {
    this.recompute(svc);
    this.cw = this.mw;
  }

  update(svc: SchedService): void {
    this.recompute(svc);
    if (this.cw > this.mw || this.cw === 0) this.cw = this.mw;
    else if (this.di > 1) this.cw = Math.trunc(this.cw / this.di) * this.di + 1;
  }

  schedule(svc: SchedService, _flow: unknown): number {
    if (this.mw === 0) return -1;
    const d = svc.dests;
    const r = svc.reals;
    const n = d.length;
    const last = this.cl;
    let pos = last;
    let stop = -2;
    let restarted = false;
    let lastPass = false;
    for (;;) {
      for (let i = pos + 1; i < n; i++) {
        const id = d[i]!;
        if ((r.flags[id]! & REAL_OVERLOAD) === 0 && r.weight[id]! >= this.cw) {
          this.cl = i;
          return id;
        }
        if (i === stop) return -1;
      }
      pos = -1;
      this.cw -= this.di;
      if (this.cw <= 0) {
        this.cw = this.mw;
        // A full pass at the lowest level found nothing, or the first traversal started at the head.
        if (lastPass || last === -1) return -1;
        restarted = true;
      }
      lastPass = this.cw <= this.di;
      if (lastPass && restarted && last !== -1) stop = last;
    }
  }
}
