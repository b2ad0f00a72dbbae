// mh: Maglev hashing with the kernel's 4093-slot table, last_weight turns, mh-fallback and mh-port
// (kernel ip_vs_mh.c; hash = hsiphash with its fixed keys, so tables equal the kernel's).

import { SCHED_FLAG_1, SCHED_FLAG_2 } from '../types.js';
import type { Flow, SchedService, Scheduler } from './scheduler.js';
import { fold, gcd, usable } from './scheduler.js';
import { hsiphashU32 } from './siphash.js';

/** CONFIG_IP_VS_MH_TAB_INDEX default 12 -> primes[12 - 8]. */
export const MH_TAB_SIZE = 4093;
/** IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2. */
const MH_TAB_BITS = 6;
// Keys: hash1 = {2654435761, 2654435761}, hash2 = {2654446892, 2654446892} (64-bit words).
const K1 = 2654435761;
const K2 = 2654446892;

/** ip_vs_mh_hashkey with key1 (which = 1) or key2 (which = 2). */
export function mhHashKey(addr: Uint32Array, port: number, which: 1 | 2, offset: number): number {
  const x = (offset + port + fold(addr)) >>> 0;
  const k = which === 1 ? K1 : K2;
  return hsiphashU32(x, 0, k, 0, k);
}

function fls(x: number): number {
  return x === 0 ? 0 : 32 - Math.clz32(x);
}

export class MaglevHashing implements Scheduler {
  readonly name = 'mh';
  /** Real id per slot, -1 = empty. */
  readonly lookup = new Int32Array(MH_TAB_SIZE).fill(-1);
  private readonly used = new Uint8Array(MH_TAB_SIZE);

  private reassign(svc: SchedService): void {
    const d = svc.dests;
    const r = svc.reals;
    let g = 0;
    let maxW = 0;
    for (const id of d) {
      const w = r.lastWeight[id]!;
      if (w > 0) g = g > 0 ? gcd(w, g) : w;
      if (w > maxW) maxW = w;
    }
    if (g < 1 || d.length > MH_TAB_SIZE) {
      this.lookup.fill(-1);
      return;
    }
    const shift = Math.max(0, fls(Math.trunc(maxW / g)) - MH_TAB_BITS);
    const n = d.length;
    const offset = new Int32Array(n);
    const skip = new Int32Array(n);
    const perm = new Int32Array(n);
    const turns = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const id = d[i]!;
      const a = r.addr.subarray(id * 4, id * 4 + 4);
      offset[i] = mhHashKey(a, r.port[id]!, 1, 0) % MH_TAB_SIZE;
      skip[i] = (mhHashKey(a, r.port[id]!, 2, 0) % (MH_TAB_SIZE - 1)) + 1;
      perm[i] = offset[i]!;
      const lw = r.lastWeight[id]!;
      turns[i] = Math.trunc(lw / g) >> shift || (lw !== 0 ? 1 : 0);
    }
    // Slots not reached keep their previous real, as in the kernel (every slot gets filled anyway).
    this.used.fill(0);
    let filled = 0;
    let i = 0;
    let dt = 0;
    while (filled < MH_TAB_SIZE) {
      if (turns[i]! < 1) {
        i = (i + 1) % n;
        dt = 0;
        continue;
      }
      let c = perm[i]!;
      while (this.used[c] === 1) {
        c += skip[i]!;
        if (c >= MH_TAB_SIZE) c -= MH_TAB_SIZE;
        perm[i] = c;
      }
      this.used[c] = 1;
      this.lookup[c] = d[i]!;
      if (++filled === MH_TAB_SIZE) break;
      if (++dt >= turns[i]!) {
        dt = 0;
        i = (i + 1) % n;
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
    const ihash = mhHashKey(flow.caddr, port, 1, 0) % MH_TAB_SIZE;
    let id = this.lookup[ihash]!;
    if (id < 0) return -1;
    if (usable(r, id)) return id;
    if ((svc.schedFlags & SCHED_FLAG_1) === 0) return -1;
    for (let offset = 0; offset < MH_TAB_SIZE; offset++) {
      const roffset = (offset + ihash) % MH_TAB_SIZE;
      id = this.lookup[mhHashKey(flow.caddr, port, 1, roffset) % MH_TAB_SIZE]!;
      if (id < 0) return -1;
      if (usable(r, id)) return id;
    }
    return -1;
  }
}
