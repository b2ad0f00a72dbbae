// hsiphash as 64-bit kernels compute it: SipHash-1-3, 64-bit key words, u32 result (lib/siphash.c).
// Used by mh so its Maglev table equals the kernel's; 64-bit lanes as hi/lo u32 pairs held in
// module-level numbers kept as signed int32 (small integers: no boxing, no BigInt, no allocation).

let v0h = 0;
let v0l = 0;
let v1h = 0;
let v1l = 0;
let v2h = 0;
let v2l = 0;
let v3h = 0;
let v3l = 0;

function sipround(): void {
  let lo: number;
  let h: number;
  let l: number;
  // v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
  lo = (v0l + v1l) | 0;
  v0h = (v0h + v1h + (lo >>> 0 < v0l >>> 0 ? 1 : 0)) | 0;
  v0l = lo;
  h = (v1h << 13) | (v1l >>> 19) | 0;
  l = (v1l << 13) | (v1h >>> 19) | 0;
  v1h = h ^ v0h;
  v1l = l ^ v0l;
  h = v0h;
  v0h = v0l;
  v0l = h;
  // v2 += v3; v3 = rotl(v3, 16); v3 ^= v2
  lo = (v2l + v3l) | 0;
  v2h = (v2h + v3h + (lo >>> 0 < v2l >>> 0 ? 1 : 0)) | 0;
  v2l = lo;
  h = (v3h << 16) | (v3l >>> 16) | 0;
  l = (v3l << 16) | (v3h >>> 16) | 0;
  v3h = h ^ v2h;
  v3l = l ^ v2l;
  // v0 += v3; v3 = rotl(v3, 21); v3 ^= v0
  lo = (v0l + v3l) | 0;
  v0h = (v0h + v3h + (lo >>> 0 < v0l >>> 0 ? 1 : 0)) | 0;
  v0l = lo;
  h = (v3h << 21) | (v3l >>> 11) | 0;
  l = (v3l << 21) | (v3h >>> 11) | 0;
  v3h = h ^ v0h;
  v3l = l ^ v0l;
  // v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
  lo = (v2l + v1l) | 0;
  v2h = (v2h + v1h + (lo >>> 0 < v2l >>> 0 ? 1 : 0)) | 0;
  v2l = lo;
  h = (v1h << 17) | (v1l >>> 15) | 0;
  l = (v1l << 17) | (v1h >>> 15) | 0;
  v1h = h ^ v2h;
  v1l = l ^ v2l;
  h = v2h;
  v2h = v2l;
  v2l = h;
}

/** PREAMBLE: "somepseudorandomlygeneratedbytes" XOR the key words (k0, k1 as hi/lo halves). */
function preamble(k0hi: number, k0lo: number, k1hi: number, k1lo: number): void {
  v0h = 0x736f6d65 ^ k0hi;
  v0l = 0x70736575 ^ k0lo;
  v1h = 0x646f7261 ^ k1hi;
  v1l = 0x6e646f6d ^ k1lo;
  v2h = 0x6c796765 ^ k0hi;
  v2l = 0x6e657261 ^ k0lo;
  v3h = 0x74656462 ^ k1hi;
  v3l = 0x79746573 ^ k1lo;
}

/** Compress one 64-bit message word, then the finalization (HPOSTAMBLE) with the last block b. */
function block(mh: number, ml: number): void {
  v3h = v3h ^ mh;
  v3l = v3l ^ ml;
  sipround();
  v0h = v0h ^ mh;
  v0l = v0l ^ ml;
}

function finish(bh: number, bl: number): number {
  block(bh, bl);
  v2l ^= 0xff;
  sipround();
  sipround();
  sipround();
  return (v0l ^ v1l ^ v2l ^ v3l) >>> 0;
}

/**
 * hsiphash (64-bit kernels) of `len` bytes of `data` with key (k0, k1), each key word given as
 * hi/lo u32 halves. Returns the u32 result.
 */
export function hsiphash(
  data: Uint8Array,
  len: number,
  k0hi: number,
  k0lo: number,
  k1hi: number,
  k1lo: number,
): number {
  preamble(k0hi, k0lo, k1hi, k1lo);
  const full = len - (len & 7);
  for (let i = 0; i < full; i += 8) {
    const lo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const hi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    block(hi, lo);
  }
  // Last block: the remaining bytes little-endian, the length in the top byte.
  let bh = ((len & 0xff) << 24) >>> 0;
  let bl = 0;
  for (let j = 0; j < (len & 7); j++) {
    const byte = data[full + j]!;
    if (j < 4) bl = (bl | (byte << (8 * j))) >>> 0;
    else bh = (bh | (byte << (8 * (j - 4)))) >>> 0;
  }
  return finish(bh, bl);
}

/**
 * hsiphash of one u32 stored little-endian (as `hsiphash(&v, 4, key)` on x86-64): the same rounds
 * as hsiphash() with the state in locals, for mh's per-connection lookups.
 */
export function hsiphashU32(x: number, k0hi: number, k0lo: number, k1hi: number, k1lo: number): number {
  let ah = 0x736f6d65 ^ k0hi;
  let al = 0x70736575 ^ k0lo;
  let bh = 0x646f7261 ^ k1hi;
  let bl = 0x6e646f6d ^ k1lo;
  let ch = 0x6c796765 ^ k0hi;
  let cl = 0x6e657261 ^ k0lo;
  let dh = 0x74656462 ^ k1hi;
  let dl = 0x79746573 ^ k1lo;
  // The only block: 4 data bytes, length 4 in the top byte.
  const mh = 0x04000000;
  const ml = x | 0;
  dh ^= mh;
  dl ^= ml;
  let lo: number;
  let h: number;
  let l: number;
  for (let r = 0; r < 4; r++) {
    if (r === 1) {
      ah ^= mh;
      al ^= ml;
      cl ^= 0xff;
    }
    lo = (al + bl) | 0;
    ah = (ah + bh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
    al = lo;
    h = (bh << 13) | (bl >>> 19);
    l = (bl << 13) | (bh >>> 19);
    bh = h ^ ah;
    bl = l ^ al;
    h = ah;
    ah = al;
    al = h;
    lo = (cl + dl) | 0;
    ch = (ch + dh + (lo >>> 0 < cl >>> 0 ? 1 : 0)) | 0;
    cl = lo;
    h = (dh << 16) | (dl >>> 16);
    l = (dl << 16) | (dh >>> 16);
    dh = h ^ ch;
    dl = l ^ cl;
    lo = (al + dl) | 0;
    ah = (ah + dh + (lo >>> 0 < al >>> 0 ? 1 : 0)) | 0;
    al = lo;
    h = (dh << 21) | (dl >>> 11);
    l = (dl << 21) | (dh >>> 11);
    dh = h ^ ah;
    dl = l ^ al;
    lo = (cl + bl) | 0;
    ch = (ch + bh + (lo >>> 0 < cl >>> 0 ? 1 : 0)) | 0;
    cl = lo;
    h = (bh << 17) | (bl >>> 15);
    l = (bl << 17) | (bh >>> 15);
    bh = h ^ ch;
    bl = l ^ cl;
    h = ch;
    ch = cl;
    cl = h;
  }
  return (al ^ bl ^ cl ^ dl) >>> 0;
}
