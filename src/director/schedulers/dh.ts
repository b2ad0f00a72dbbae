// dh: destination hashing over a 256-bucket table, bucket i -> i-th real mod n (kernel ip_vs_dh.c).

import type { Flow, SchedService, Scheduler } from './scheduler.js';
import { fold, hash32, REAL_AVAILABLE, REAL_OVERLOAD } from './scheduler.js';

export const DH_TAB_BITS = 8;
const DH_TAB_SIZE = 1 << DH_TAB_BITS;

/** dh bucket of a destination address (four words). */
export function dhBucket(daddr: Uint32Array): number {
  return hash32(fold(daddr), DH_TAB_BITS);
}

export class DestinationHashing implements Scheduler {
  readonly name = 'dh';
  /** Real id per bucket, -1 = empty (no reals). */
  readonly buckets = new Int32Array(DH_TAB_SIZE).fill(-1);

  private reassign(svc: SchedService): void {
    const d = svc.dests;
    for (let i = 0; i < DH_TAB_SIZE; i++) this.buckets[i] = d.length === 0 ? -1 : d[i % d.length]!;
  }

  init(svc: SchedService): void {
    this.reassign(svc);
  }

  update(svc: SchedService): void {
    this.reassign(svc);
  }

  schedule(svc: SchedService, flow: Flow): number {
    const id = this.buckets[dhBucket(flow.daddr)]!;
    if (id < 0) return -1;
    const r = svc.reals;
    const f = r.flags[id]!;
    // No fallback: the bucket's real or nothing.
    if ((f & REAL_AVAILABLE) === 0 || r.weight[id]! <= 0 || (f & REAL_OVERLOAD) !== 0) return -1;
    return id;
  }
}
