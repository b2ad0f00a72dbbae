import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitIpipOuter, IPPROTO_IPIP, innerOffset, isIpInIp } from './ipip.js';
import { emitIpv4, formatIpv4, Ipv4Status, Ipv4View, parseIpv4 } from './ipv4.js';

test('LVS TUN: an outer DIP -> RIP header around an inner VIP packet', () => {
  const inner = 40;
  const buf = new Uint8Array(20 + inner);
  emitIpv4(
    {
      tos: 0x10,
      totalLength: inner,
      identification: 3,
      flagsFragment: 0x4000,
      ttl: 64,
      protocol: 6,
      srcAddr: parseIpv4('198.51.100.7'),
      dstAddr: parseIpv4('10.0.0.100'),
      options: null,
    },
    buf,
    20,
  );
  const hl = emitIpipOuter(
    {
      src: parseIpv4('10.0.0.2'),
      dst: parseIpv4('10.0.0.11'),
      ttl: 64,
      identification: 9,
      dontFragment: true,
      tos: 0x10,
      protocol: IPPROTO_IPIP,
    },
    inner,
    buf,
    0,
  );
  assert.equal(hl, 20);
  const outer = new Ipv4View().wrap(buf, 0, buf.length);
  assert.equal(outer.check(), Ipv4Status.OK);
  assert.equal(isIpInIp(outer), true);
  assert.equal(outer.totalLength, 60);
  assert.equal(outer.dontFragment, true);
  assert.equal(outer.verifyChecksum(), true);
  const v = new Ipv4View().wrap(buf, innerOffset(outer), outer.payloadLength);
  assert.equal(v.check(), Ipv4Status.OK);
  assert.equal(formatIpv4(v.dstAddr), '10.0.0.100');
});
