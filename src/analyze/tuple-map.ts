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
    // Source into a, destination into b; then swap if the destination is the smaller endpoint,
    // so that both directions give the same key.
    if (d.ipVersion === 4) {
      s[0] = d.src4;
      t[0] = d.dst4;
      s[1] = s[2] = s[3] = t[1] = t[2] = t[3] = 0;
    } else {
      for (let i = 0; i < 4; i++) {
        s[i] = word(buf, d.src6Off + 4 * i);
        t[i] = word(buf, d.dst6Off + 4 * i);
      }
    }
    let c = compareWords(s, t);
    if (c === 0) c = sp < dp ? -1 : sp > dp ? 1 : 0;
    this.srcIsA = c <= 0;
    if (this.srcIsA) {
      this.pa = sp;
      this.pb = dp;
    } else {
      for (let i = 0; i < 4; i++) {
        const x = s[i]!;
        s[i] = t[i]!;
        t[i] = x;
      }
      this.pa = dp;
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

function compareWords(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
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
