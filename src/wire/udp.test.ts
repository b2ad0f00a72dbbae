import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitIpv4, Ipv4View, parseIpv4 } from './ipv4.js';
import { emitUdp, IPPROTO_UDP, UdpStatus, UdpView } from './udp.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// A real datagram 10.244.1.1.57257 -> 10.244.2.1.9999 "hello\n" (the quote of an ICMP error).
const IP_UDP = hex('4500 0022 bc51 4000 3f11 6690 0af4 0101 0af4 0201 dfa9 270f 000e 1909 6865 6c6c 6f0a');

test('UdpView reads a real datagram; its offloaded checksum is wrong as tcpdump says', () => {
  const ip = new Ipv4View().wrap(IP_UDP, 0, IP_UDP.length);
  const u = new UdpView().wrap(IP_UDP, ip.payloadOffset, ip.payloadLength);
  assert.equal(u.check(), UdpStatus.OK);
  assert.equal(u.srcPort, 57257);
  assert.equal(u.dstPort, 9999);
  assert.equal(u.length, 14);
  assert.equal(u.payloadLength, 6);
  // Sent with checksum offload: tcpdump -vv prints [bad udp cksum 0x1909 -> 0x9c53!].
  assert.equal(u.verifyChecksumIpv4(ip.srcAddr, ip.dstAddr), false);
  u.fillChecksumIpv4(ip.srcAddr, ip.dstAddr);
  assert.equal(u.checksum, 0x9c53);
  assert.equal(ip.payloadChecksum(), 0);
});

test('check() reports short headers, bad and truncated lengths', () => {
  const u = new UdpView();
  assert.equal(u.wrap(IP_UDP, 20, 7).check(), UdpStatus.SHORT_HEADER);
  const b = IP_UDP.slice();
  b[25] = 7;
  assert.equal(u.wrap(b, 20, 14).check(), UdpStatus.BAD_LENGTH);
  b[25] = 15;
  assert.equal(u.wrap(b, 20, 14).check(), UdpStatus.TRUNCATED);
});

test('emit, fill and NAT rewrites keep a valid checksum; a zero checksum stays zero', () => {
  const buf = new Uint8Array(20 + 8 + 3);
  emitIpv4(
    {
      tos: 0,
      totalLength: 31,
      identification: 1,
      flagsFragment: 0,
      ttl: 64,
      protocol: IPPROTO_UDP,
      srcAddr: parseIpv4('10.1.1.1'),
      dstAddr: parseIpv4('10.1.1.2'),
      options: null,
    },
    buf,
    0,
  );
  emitUdp({ srcPort: 5353, dstPort: 53, payloadLength: 3 }, buf, 20);
  buf.set([1, 2, 3], 28);
  const ip = new Ipv4View().wrap(buf, 0, buf.length);
  const u = new UdpView().wrap(buf, 20, 11);
  u.fillChecksumIpv4(ip.srcAddr, ip.dstAddr);
  assert.notEqual(u.checksum, 0);
  assert.equal(u.computeChecksumIpv4(ip.srcAddr, ip.dstAddr), 0);
  u.rewriteDstPort(5300);
  const newDst = parseIpv4('172.20.0.9');
  u.adjustForAddress(ip.dstAddr, newDst);
  ip.rewriteDst(newDst);
  assert.equal(u.computeChecksumIpv4(ip.srcAddr, ip.dstAddr), 0);
  u.checksum = 0;
  u.rewriteSrcPort(1);
  assert.equal(u.checksum, 0);
  assert.equal(u.verifyChecksumIpv4(ip.srcAddr, ip.dstAddr), true);
});
