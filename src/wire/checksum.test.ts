import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checksumAdjust16, checksumAdjust32, internetChecksum } from './checksum.js';

test('RFC 1071 example sums to 0xddf2 (checksum 0x220d)', () => {
  const b = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
  assert.equal(internetChecksum(b, 0, b.length), 0x220d);
});

test('odd length pads with a zero byte', () => {
  assert.equal(internetChecksum(Uint8Array.from([0xab]), 0, 1), ~0xab00 & 0xffff);
});

test('incremental update equals a full recomputation (16 and 32 bit)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 8, maxLength: 64 }),
      fc.nat(),
      fc.integer({ min: 0, max: 0xffffffff }),
      (bytes, at, value) => {
        const buf = Uint8Array.from(bytes.length % 2 ? [...bytes, 0] : bytes);
        const i = (at % (buf.length / 2 - 1)) * 2;
        const before = internetChecksum(buf, 0, buf.length);
        const old16 = (buf[i]! << 8) | buf[i + 1]!;
        buf[i] = (value >>> 8) & 0xff;
        buf[i + 1] = value & 0xff;
        const want16 = internetChecksum(buf, 0, buf.length);
        const got16 = checksumAdjust16(before, old16, value & 0xffff);
        // 0x0000 and 0xffff are the same number in one's complement.
        assert.equal(got16 % 0xffff, want16 % 0xffff);
        if (i + 3 < buf.length) {
          const b2 = internetChecksum(buf, 0, buf.length);
          const old32 = ((buf[i]! << 24) | (buf[i + 1]! << 16) | (buf[i + 2]! << 8) | buf[i + 3]!) >>> 0;
          buf[i] = value >>> 24;
          buf[i + 1] = (value >>> 16) & 0xff;
          buf[i + 2] = (value >>> 8) & 0xff;
          buf[i + 3] = value & 0xff;
          const want32 = internetChecksum(buf, 0, buf.length);
          assert.equal(checksumAdjust32(b2, old32, value >>> 0) % 0xffff, want32 % 0xffff);
        }
      },
    ),
  );
});
