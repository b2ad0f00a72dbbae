import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emitIcmpEcho,
  emitIcmpError,
  IcmpStatus,
  IcmpType,
  IcmpUnreachCode,
  IcmpView,
  isIcmpError,
} from './icmp.js';
import { formatIpv4, Ipv4View } from './ipv4.js';
import { UdpView } from './udp.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// A real port unreachable (ICMP part) quoting 10.244.1.1.57257 -> 10.244.2.1.9999.
const UNREACH = hex(
  '0303 9950 0000 0000 4500 0022 bc51 4000 3f11 6690 0af4 0101 0af4 0201 dfa9 270f 000e 1909 6865 6c6c 6f0a',
);

test('IcmpView reads a real port unreachable and its quoted datagram', () => {
  const m = new IcmpView().wrap(UNREACH, 0, UNREACH.length);
  assert.equal(m.check(), IcmpStatus.OK);
  assert.equal(m.type, IcmpType.DEST_UNREACH);
  assert.equal(m.code, IcmpUnreachCode.PORT);
  assert.equal(isIcmpError(m.type), true);
  assert.equal(m.verifyChecksum(UNREACH.length), true);
  const q = new Ipv4View().wrap(UNREACH, m.quoteOffset, UNREACH.length - 8);
  assert.equal(formatIpv4(q.dstAddr), '10.244.2.1');
  const u = new UdpView().wrap(UNREACH, q.payloadOffset, 8);
  assert.equal(u.dstPort, 9999);
});

test('check() wants a quoted header in error messages only', () => {
  const m = new IcmpView();
  assert.equal(m.wrap(UNREACH, 0, 7).check(), IcmpStatus.SHORT_HEADER);
  assert.equal(m.wrap(UNREACH, 0, 20).check(), IcmpStatus.SHORT_QUOTE);
  const echo = new Uint8Array(8);
  emitIcmpEcho(echo, 0, false, 1, 1, 8);
  assert.equal(m.wrap(echo, 0, 8).check(), IcmpStatus.OK);
});

test('emitIcmpEcho and emitIcmpError produce valid checksums', () => {
  const b = new Uint8Array(64);
  for (let i = 8; i < 64; i++) b[i] = i;
  emitIcmpEcho(b, 0, true, 0x1234, 7, 64);
  const m = new IcmpView().wrap(b, 0, 64);
  assert.equal(m.type, IcmpType.ECHO_REPLY);
  assert.equal(m.identifier, 0x1234);
  assert.equal(m.sequence, 7);
  assert.equal(m.verifyChecksum(64), true);
  const e = UNREACH.slice();
  emitIcmpError(e, 0, IcmpType.DEST_UNREACH, IcmpUnreachCode.NEED_FRAG, 1400, e.length);
  const n = new IcmpView().wrap(e, 0, e.length);
  assert.equal(n.nextHopMtu, 1400);
  assert.equal(n.verifyChecksum(e.length), true);
});
