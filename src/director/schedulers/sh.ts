// sh: source hashing over a 256-bucket weighted table, with sh-fallback and sh-port (kernel ip_vs_sh.c).

import { SCHED_FLAG_1, SCHED_FLAG_2 } from '../types.js';
import type { Flow, SchedService, Scheduler } from './scheduler.js';
import { fold, hash32, usable } from './scheduler.js';

export const SH_TAB_BITS = 8;
const SH_TAB_SIZE = 1 << SH_TAB_BITS;
const SH_TAB_MASK = SH_TAB_SIZE - 1;

/** ip_vs_sh_hashkey: (offset + hash_32(port + fold(addr), 8)) & 255. */
export function shHashKey(addr: Uint32Array, port: number, offset: number): number {
  return (offset + hash32((port + fold(addr)) >>> 0, SH_TAB_BITS)) & SH_TAB_MASK;
}

export class SourceHashing implements Scheduler {
  readonly name = 'sh';
  /** Real id per bucket, -1 = empty. */
  readonly buckets = new Int32Array(SH_TAB_SIZE).fill(-1);

  private reassign(svc: SchedService): void {
    const d = svc.dests;
    const r = svc.reals;
    let p = 0;
    let count = 0;
    for (let i = 0; i < SH_TAB_SIZE; i++) {
      if (d.length === 0) {
        this.buckets[i] = -1;
        continue;
      }
      const id = d[p]!;
      this.buckets[i] = id;
      // Each real fills `weight` consecutive buckets; a weight-0 real still takes one.
      if (++count >= r.weight[id]!) {
        p = (p + 1) % d.length;
        count = 0;
      }
    }
  }

  init(svc: SchedService): void {
    this.reassign(svc);
  }

  update(svc: SchedService): void {
    this.reassign(svc);
  }

  schedule(svc: SchedService, flow: Flow): number {
    const port = (svc.schedFlags & SCHED_FLAG_2) !== 0 ? flow.cport : 0;
    const r = svc.reals;
    const ihash = shHashKey(flow.caddr, port, 0);
    let id = this.buckets[ihash]!;
    if (id < 0) return -1;
    if (usable(r, id)) return id;
    if ((svc.schedFlags & SCHED_FLAG_1) === 0) return -1;
    // sh-fallback: walk the table from the original hash (the probe re-adds the hash, as the kernel).
    for (let offset = 0; offset < SH_TAB_SIZE; offset++) {
      const roffset = (offset + ihash) % SH_TAB_SIZE;
      id = this.buckets[shHashKey(flow.caddr, port, roffset)]!;
      if (id < 0) return -1;
      if (usable(r, id)) return id;
    }
    return -1;
  }
}
