// packBpf: struct sock_filter layout as the kernel reads it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packBpf } from './packet-socket.js';

test('packBpf lays out struct sock_filter (u16 code, u8 jt, u8 jf, u32 k) in host order', () => {
  const b = packBpf([
    { code: 0x28, jt: 0, jf: 0, k: 12 },
    { code: 0x15, jt: 3, jf: 250, k: 0xdeadbeef },
  ]);
  assert.equal(b.length, 16);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const dv = new DataView(b.buffer);
  assert.equal(dv.getUint16(0, le), 0x28);
  assert.equal(dv.getUint32(4, le), 12);
  assert.equal(dv.getUint16(8, le), 0x15);
  assert.equal(b[10], 3);
  assert.equal(b[11], 250);
  assert.equal(dv.getUint32(12, le), 0xdeadbeef);
});
