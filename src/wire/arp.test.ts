import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArpOp, ArpStatus, ArpView, emitArp } from './arp.js';
import { formatIpv4, parseIpv4 } from './ipv4.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// A real request: who-has 10.244.1.254 tell 10.244.1.1.
const REQ = hex('0001 0800 0604 0001 0200 0af4 0101 0af4 0101 0000 0000 0000 0af4 01fe');

test('ArpView reads a real Ethernet/IPv4 request', () => {
  const a = new ArpView().wrap(REQ, 0, REQ.length);
  assert.equal(a.check(), ArpStatus.OK);
  assert.equal(a.isEtherIpv4, true);
  assert.equal(a.operation, ArpOp.REQUEST);
  assert.equal(formatIpv4(a.senderIpv4), '10.244.1.1');
  assert.equal(formatIpv4(a.targetIpv4), '10.244.1.254');
  assert.equal(a.senderHardwareOffset, 8);
  assert.equal(a.targetProtocolOffset, 24);
});

test('check() catches address lengths that run past the data', () => {
  const b = REQ.slice();
  b[4] = 14;
  assert.equal(new ArpView().wrap(b, 0, b.length).check(), ArpStatus.SHORT_ADDRESSES);
  assert.equal(new ArpView().wrap(b, 0, 7).check(), ArpStatus.SHORT_HEADER);
});

test('emitArp round-trips a reply', () => {
  const b = new Uint8Array(30);
  const mac = Uint8Array.of(2, 0, 10, 244, 1, 254);
  assert.equal(
    emitArp(
      {
        operation: ArpOp.REPLY,
        senderMac: mac,
        senderIpv4: parseIpv4('10.244.1.254'),
        targetMac: Uint8Array.of(2, 0, 10, 244, 1, 1),
        targetIpv4: parseIpv4('10.244.1.1'),
      },
      b,
      2,
    ),
    28,
  );
  const a = new ArpView().wrap(b, 2, 28);
  assert.equal(a.check(), ArpStatus.OK);
  assert.equal(a.operation, ArpOp.REPLY);
  assert.deepEqual(b.subarray(a.senderHardwareOffset, a.senderHardwareOffset + 6), mac);
  assert.equal(formatIpv4(a.targetIpv4), '10.244.1.1');
});
