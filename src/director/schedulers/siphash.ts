// hsiphash as 64-bit kernels compute it: SipHash-1-3, 64-bit key words, u32 result (lib/siphash.c).
// Used by mh so its Maglev table equals the kernel's; 64-bit lanes as hi/lo u32 pairs, no BigInt.

// State lanes v0..v3 as [hi, lo] pairs in one reused array: v0=0,1 v1=2,3 v2=4,5 v3=6,7.
const v = new Uint32Array(8);

function add(a: number, b: number): void {
  const lo = (v[a + 1]! + v[b + 1]!) >>> 0;
  const carry = lo < v[a + 1]! ? 1 : 0;
  v[a] = (v[a]! + v[b]! + carry) >>> 0;
  v[a + 1] = lo;
}

function rotl(a: number, n: number): void {
  let hi = v[a]!;
  let lo = v[a + 1]!;
  if (n >= 32) {
    const t = hi;
    hi = lo;
    lo = t;
    n -= 32;
  }
  if (n > 0) {
    const nh = ((hi << n) | (lo >>> (32 - n))) >>> 0;
    const nl = ((lo << n) | (hi >>> (32 - n))) >>> 0;
    hi = nh;
    lo = nl;
  }
  v[a] = hi;
  v[a + 1] = lo;
}

function xor(a: number, b: number): void {
  v[a] = (v[a]! ^ v[b]!) >>> 0;
  v[a + 1] = (v[a + 1]! ^ v[b + 1]!) >>> 0;
}

function sipround(): void {
  add(0, 2);
  rotl(2, 13);
  xor(2, 0);
  rotl(0, 32);
  add(4, 6);
  rotl(6, 16);
  xor(6, 4);
  add(0, 6);
  rotl(6, 21);
  xor(6, 0);
  add(4, 2);
  rotl(2, 17);
  xor(2, 4);
  rotl(4, 32);
}

function xorWord(a: number, hi: number, lo: number): void {
  v[a] = (v[a]! ^ hi) >>> 0;
  v[a + 1] = (v[a + 1]! ^ lo) >>> 0;
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
  // "somepseudorandomlygeneratedbytes"
  v[0] = 0x736f6d65;
  v[1] = 0x70736575;
  v[2] = 0x646f7261;
  v[3] = 0x6e646f6d;
  v[4] = 0x6c796765;
  v[5] = 0x6e657261;
  v[6] = 0x74656462;
  v[7] = 0x79746573;
  xorWord(6, k1hi, k1lo);
  xorWord(4, k0hi, k0lo);
  xorWord(2, k1hi, k1lo);
  xorWord(0, k0hi, k0lo);
  const full = len - (len & 7);
  for (let i = 0; i < full; i += 8) {
    const lo = (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24)) >>> 0;
    const hi = (data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24)) >>> 0;
    xorWord(6, hi, lo);
    sipround();
    xorWord(0, hi, lo);
  }
  // Last block: remaining bytes little-endian, length in the top byte.
  let bhi = ((len & 0xff) << 24) >>> 0;
  let blo = 0;
  const left = len & 7;
  for (let j = 0; j < left; j++) {
    const byte = data[full + j]!;
    if (j < 4) blo = (blo | (byte << (8 * j))) >>> 0;
    else bhi = (bhi | (byte << (8 * (j - 4)))) >>> 0;
  }
  xorWord(6, bhi, blo);
  sipround();
  xorWord(0, bhi, blo);
  v[5] = (v[5]! ^ 0xff) >>> 0;
  sipround();
  sipround();
  sipround();
  return (v[1]! ^ v[3]! ^ v[5]! ^ v[7]!) >>> 0;
}

const word = new Uint8Array(4);

/** hsiphash of one u32 stored little-endian (as `hsiphash(&v, 4, key)` on x86-64). */
export function hsiphashU32(x: number, k0hi: number, k0lo: number, k1hi: number, k1lo: number): number {
  word[0] = x & 0xff;
  word[1] = (x >>> 8) & 0xff;
  word[2] = (x >>> 16) & 0xff;
  word[3] = (x >>> 24) & 0xff;
  return hsiphash(word, 4, k0hi, k0lo, k1hi, k1lo);
}
