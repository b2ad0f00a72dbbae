// A hash map keyed by an address/port pair in either direction, without building a string per
// lookup: IPv4 and IPv6 addresses as 32-bit words, a numeric hash, and chains checked word by word.

import type { DecodedFrame } from './decode.js';

/** The normalized key of a frame's (src, sport, dst, dport): the smaller endpoint first. */
export class TupleKey {
  v = 4;
  readonly a = new Uint32Array(4);
  readonly b = new Uint32Array(4);
  pa = 0;
  pb = 0;
  /** True when the frame's source is endpoint a. */
  srcIsA = true;
  hash = 0;

  /** Fills the key from a decoded frame; ports are 0 when `withPorts` is false. */
  set(d: DecodedFrame, buf: Uint8Array, withPorts: boolean): void {
    const s = this.a;
    const t = this.b;
    const sp = withPorts ? d.sport : 0;
    const dp = withPorts ? d.dport : 0;
    this.v = d.ipVersion;
    let src0: number,
      src1: number,
      src2: number,
      src3: number,
      dst0: number,
      dst1: number,
      dst2: number,
      dst3: number;
    if (d.ipVersion === 4) {
      src0 = d.src4;
      dst0 = d.dst4;
      src1 = src2 = src3 = dst1 = dst2 = dst3 = 0;
    } else {
      const o = d.src6Off;
      const p = d.dst6Off;
      src0 = word(buf, o);
      src1 = word(buf, o + 4);
      src2 = word(buf, o + 8);
      src3 = word(buf, o + 12);
      dst0 = word(buf, p);
      dst1 = word(buf, p + 4);
      dst2 = word(buf, p + 8);
      dst3 = word(buf, p + 12);
    }
    // Order the two endpoints so both directions give the same key.
    let c = cmp4(src0, src1, src2, src3, dst0, dst1, dst2, dst3);
    if (c === 0) c = sp < dp ? -1 : sp > dp ? 1 : 0;
    this.srcIsA = c <= 0;
    if (this.srcIsA) {
      s[0] = src0;
      s[1] = src1;
      s[2] = src2;
      s[3] = src3;
      this.pa = sp;
      t[0] = dst0;
      t[1] = dst1;
      t[2] = dst2;
      t[3] = dst3;
      this.pb = dp;
    } else {
      s[0] = dst0;
      s[1] = dst1;
      s[2] = dst2;
      s[3] = dst3;
      this.pa = dp;
      t[0] = src0;
      t[1] = src1;
      t[2] = src2;
      t[3] = src3;
      this.pb = sp;
    }
    let h = Math.imul(this.v, 0x9e3779b1);
    for (let i = 0; i < 4; i++) {
      h = Math.imul(h ^ s[i]!, 0x85ebca6b) ^ (h >>> 13);
      h = Math.imul(h ^ t[i]!, 0xc2b2ae35) ^ (h >>> 16);
    }
    h = Math.imul(h ^ ((this.pa << 16) | this.pb), 0x27d4eb2f);
    this.hash = (h ^ (h >>> 15)) >>> 0;
  }
}

function word(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

function cmp4(
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  b0: number,
  b1: number,
  b2: number,
  b3: number,
): number {
  if (a0 !== b0) return a0 < b0 ? -1 : 1;
  if (a1 !== b1) return a1 < b1 ? -1 : 1;
  if (a2 !== b2) return a2 < b2 ? -1 : 1;
  if (a3 !== b3) return a3 < b3 ? -1 : 1;
  return 0;
}

interface Entry<T> {
  v: number;
  a: Uint32Array;
  b: Uint32Array;
  pa: number;
  pb: number;
  value: T;
}

export class TupleMap<T> {
  private readonly map = new Map<number, Entry<T> | Entry<T>[]>();

  private matches(e: Entry<T>, k: TupleKey): boolean {
    return (
      e.v === k.v &&
      e.pa === k.pa &&
      e.pb === k.pb &&
      e.a[0] === k.a[0] &&
      e.a[1] === k.a[1] &&
      e.a[2] === k.a[2] &&
      e.a[3] === k.a[3] &&
      e.b[0] === k.b[0] &&
      e.b[1] === k.b[1] &&
      e.b[2] === k.b[2] &&
      e.b[3] === k.b[3]
    );
  }

  get(k: TupleKey): T | undefined {
    const e = this.map.get(k.hash);
    if (e === undefined) return undefined;
    if (!Array.isArray(e)) return this.matches(e, k) ? e.value : undefined;
    for (const x of e) if (this.matches(x, k)) return x.value;
    return undefined;
  }

  /** Sets (or replaces) the value for the key. */
  set(k: TupleKey, value: T): void {
    const entry: Entry<T> = { v: k.v, a: k.a.slice(), b: k.b.slice(), pa: k.pa, pb: k.pb, value };
    const e = this.map.get(k.hash);
    if (e === undefined) {
      this.map.set(k.hash, entry);
      return;
    }
    const list = Array.isArray(e) ? e : [e];
    for (let i = 0; i < list.length; i++) {
      if (this.matches(list[i]!, k)) {
        list[i] = entry;
        if (!Array.isArray(e)) this.map.set(k.hash, entry);
        return;
      }
    }
    list.push(entry);
    this.map.set(k.hash, list);
  }
}
