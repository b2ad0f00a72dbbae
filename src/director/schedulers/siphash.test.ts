// hsiphash against the kernel's 64-bit test vectors (lib/tests/siphash_kunit.c test_vectors_hsiphash).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hsiphash, hsiphashU32 } from './siphash.js';

// Vector n hashes the bytes 0..n-1 under key words 0x0706050403020100, 0x0f0e0d0c0b0a0908.
const VECTORS = [
  0x050fc4dc, 0x7d57ca93, 0x4dc7d44d, 0xe7ddf7fb, 0x88d38328, 0x49533b67, 0xc59f22a7, 0x9bb11140, 0x8d299a8e,
  0x6c063de4, 0x92ff097f, 0xf94dc352, 0x57b4d9a2, 0x1229ffa7, 0xc0f95d34, 0x2a519956, 0x7d908b66, 0x63dbd80c,
];

test('hsiphash matches the kernel vectors for lengths 0..17', () => {
  const data = new Uint8Array(64);
  for (let i = 0; i < 64; i++) data[i] = i;
  VECTORS.forEach((want, n) => {
    assert.equal(hsiphash(data, n, 0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908), want, `length ${n}`);
  });
});

test('hsiphashU32 equals hsiphash over the four little-endian bytes', () => {
  const b = new Uint8Array(4);
  for (const x of [0, 1, 0x12345678, 0xffffffff, 2654435761]) {
    new DataView(b.buffer).setUint32(0, x, true);
    assert.equal(hsiphashU32(x, 0, 2654435761, 0, 2654435761), hsiphash(b, 4, 0, 2654435761, 0, 2654435761));
  }
});
