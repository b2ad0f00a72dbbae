// rr: round robin over usable reals in list order (kernel ip_vs_rr.c); weights other than 0 ignored.

import type { DestChange, SchedService, Scheduler } from './scheduler.js';
import { usable } from './scheduler.js';

export class RoundRobin implements Scheduler {
  readonly name = 'rr';
  /** Last chosen real (-1 = the list head, before the first entry). */
  private cursor = -1;
  /** Where the cursor was last seen in the list (a hint, checked before use). */
  private hint = -1;

  init(_svc: SchedService): void {
    this.cursor = -1;
  }

  update(svc: SchedService, change: DestChange, realId: number, index: number): void {
    // ip_vs_rr_del_dest: a removed cursor moves to its predecessor, so its successor is next.
    if (change === 'del' && realId === this.cursor) this.cursor = index > 0 ? svc.dests[index - 1]! : -1;
  }

  schedule(svc: SchedService, _flow: unknown): number {
    const d = svc.dests;
    const n = d.length;
    const r = svc.reals;
    let c = -1;
    if (this.cursor >= 0) c = d[this.hint] === this.cursor ? this.hint : d.indexOf(this.cursor);
    if (c < 0) {
      // At the head: a single pass over the whole list.
      for (let i = 0; i < n; i++) {
        if (usable(r, d[i]!)) {
          this.hint = i;
          return (this.cursor = d[i]!);
        }
      }
      return -1;
    }
    // After the cursor to the end, then from the start up to and including the cursor.
    for (let k = 1; k <= n; k++) {
      const i = (c + k) % n;
      const id = d[i]!;
      if (usable(r, id)) {
        this.hint = i;
        return (this.cursor = id);
      }
    }
    return -1;
  }
}
