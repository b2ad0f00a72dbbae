// Tests for the IPv6 view, extension header walker, pseudo-header sum and address text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { onesSum } from './checksum.js';
import {
  emitIpv6,
  IPV6_HEADER_LEN,
  Ipv6ExtWalker,
  Ipv6NextHeader,
  Ipv6Status,
  Ipv6View,
  Ipv6WalkStatus,
  ipv6ToString,
  parseIpv6,
} from './ipv6.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

function header(nh: number, plen: number): Uint8Array {
  const buf = new Uint8Array(IPV6_HEADER_LEN + plen);
  emitIpv6(
    {
      trafficClass: 0xb8,
      flowLabel: 0x12345,
      payloadLength: plen,
      nextHeader: nh,
      hopLimit: 64,
      src: parseIpv6('fd00::1')!,
      dst: parseIpv6('fd00::2')!,
    },
    buf,
    0,
  );
  return buf;
}

test('emit then view reads every field back', () => {
  const buf = header(Ipv6NextHeader.TCP, 0);
  const v = new Ipv6View().wrap(buf, 0, buf.length);
  assert.equal(v.check(), Ipv6Status.OK);
  assert.equal(v.version, 6);
  assert.equal(v.trafficClass, 0xb8);
  assert.equal(v.flowLabel, 0x12345);
  assert.equal(v.nextHeader, 6);
  assert.equal(v.hopLimit, 64);
  assert.equal(ipv6ToString(buf, v.srcOffset), 'fd00::1');
  assert.equal(ipv6ToString(buf, v.dstOffset), 'fd00::2');
  v.flowLabel = 0xfffff;
  assert.equal(v.trafficClass, 0xb8);
  v.trafficClass = 0x01;
  assert.equal(v.flowLabel, 0xfffff);
  assert.equal(v.version, 6);
});

test('check() reports short, bad version and truncated payload', () => {
  const buf = header(59, 8);
  assert.equal(new Ipv6View().wrap(buf, 0, 39).check(), Ipv6Status.SHORT_HEADER);
  assert.equal(new Ipv6View().wrap(buf, 0, 44).check(), Ipv6Status.TRUNCATED);
  buf[0] = 0x45;
  assert.equal(new Ipv6View().wrap(buf, 0, buf.length).check(), Ipv6Status.BAD_VERSION);
});

test('walker goes through HBH, routing type 0, fragment to UDP', () => {
  // HBH (8, router alert) -> routing type 0 with two addresses (40) -> fragment (8) -> UDP
  const ext = hex(
    '2b00 0502 0000 0100' + // HBH: nh=43, len 0, rtalert, padn 0
      '2c04 0002 00000000' + // routing: nh=44, len 4, type 0, segleft 2, reserved
      '20010db8000000000000000000000001' +
      '20010db8000000000000000000000002' +
      '1100 0001 deadbeef' + // fragment: nh=17, offset 0, M=1, id
      '0035 0035 0008 0000',
  );
  const buf = header(Ipv6NextHeader.HOP_BY_HOP, ext.length);
  buf.set(ext, IPV6_HEADER_LEN);
  const v = new Ipv6View().wrap(buf, 0, buf.length);
  const w = new Ipv6ExtWalker();
  assert.equal(w.walk(v), Ipv6WalkStatus.OK);
  assert.equal(w.upperProtocol, 17);
  assert.equal(w.upperOffset, 40 + 8 + 40 + 8);
  assert.equal(w.upperLength, 8);
  assert.equal(w.extCount, 3);
  assert.ok(w.hasFragment);
  assert.equal(w.fragmentOffset, 0);
  assert.ok(w.moreFragments);
  assert.equal(w.fragmentId, 0xdeadbeef);
  assert.equal(w.routingType, 0);
  assert.equal(w.segmentsLeft, 2);
  assert.equal(ipv6ToString(buf, w.finalDstOffset), '2001:db8::2');
});

test('walker: SRH final destination is segment [0]; later fragments stop the walk', () => {
  const srh = hex('3a02 0400 0000 0000' + 'fd000000000000000000000000000009');
  const buf = header(Ipv6NextHeader.ROUTING, srh.length);
  buf.set(srh, 40);
  const w = new Ipv6ExtWalker();
  w.walk(new Ipv6View().wrap(buf, 0, buf.length));
  assert.equal(ipv6ToString(buf, w.finalDstOffset), 'fd00::9');
  assert.equal(w.upperProtocol, 58);

  const frag = hex('0600 05a8 00000001' + '0000');
  const b2 = header(Ipv6NextHeader.FRAGMENT, frag.length);
  b2.set(frag, 40);
  w.walk(new Ipv6View().wrap(b2, 0, b2.length));
  assert.equal(w.fragmentOffset, 1448);
  assert.ok(!w.moreFragments);
  assert.equal(w.upperProtocol, 6);
  assert.equal(w.upperOffset, 48);
});

test('walker: truncated extension header, misplaced HBH, jumbo length', () => {
  const buf = header(Ipv6NextHeader.DESTINATION_OPTIONS, 8);
  buf.set(hex('00 02 0000 00000000'), 40); // dstopt len 2 => 24 bytes, only 8 there
  const w = new Ipv6ExtWalker();
  assert.equal(w.walk(new Ipv6View().wrap(buf, 0, buf.length)), Ipv6WalkStatus.TRUNCATED);

  const b2 = header(Ipv6NextHeader.DESTINATION_OPTIONS, 16);
  b2.set(hex('0000 0104 00000000' + '3b00 0104 00000000'), 40);
  assert.equal(w.walk(new Ipv6View().wrap(b2, 0, b2.length)), Ipv6WalkStatus.MISPLACED_HOP_BY_HOP);

  const b3 = header(Ipv6NextHeader.HOP_BY_HOP, 0);
  const full = new Uint8Array(40 + 8 + 8);
  full.set(b3);
  full.set(hex('3b00 c204 00010008'), 40);
  w.walk(new Ipv6View().wrap(full, 0, full.length));
  assert.equal(w.jumboLength, 0x10008);
  assert.equal(w.upperProtocol, 59);
  assert.equal(w.upperLength, 0x10008 - 8);
});

test('pseudo-header sum matches a direct sum of the RFC 8200 §8.1 layout', () => {
  const buf = header(Ipv6NextHeader.UDP, 0);
  const v = new Ipv6View().wrap(buf, 0, buf.length);
  const ph = new Uint8Array(40);
  ph.set(buf.subarray(8, 40), 0);
  ph[34] = 0x01; // length 0x0100 in a 32-bit field
  ph[39] = 17;
  assert.equal(v.pseudoHeaderSum(0x100, 17), onesSum(ph, 0, 40));
});

test('address text: RFC 5952 forms and round trip', () => {
  const cases = [
    '::',
    '::1',
    'fe80::1',
    '2001:db8::',
    '2001:db8:0:1:1:1:1:1',
    '1::2:0:0:3',
    '::ffff:192.0.2.1',
    '::192.0.2.1',
    'ff02::1:ff00:1',
  ];
  for (const c of cases) {
    const b = parseIpv6(c);
    assert.ok(b, c);
    assert.equal(ipv6ToString(b, 0), c);
  }
  assert.equal(parseIpv6('1::2::3'), null);
  assert.equal(parseIpv6('12345::'), null);
  assert.equal(parseIpv6('1:2:3'), null);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      const t = ipv6ToString(b, 0);
      assert.deepEqual(parseIpv6(t), b);
    }),
  );
});

test('walker over random bytes: bounded, never past the available bytes', () => {
  const v = new Ipv6View();
  const w = new Ipv6ExtWalker();
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 40, maxLength: 200 }),
      fc.constantFrom(0, 43, 44, 60, 51),
      (b, nh) => {
        b[0] = 0x60;
        b[6] = nh;
        v.wrap(b, 0, b.length);
        const st = w.walk(v);
        assert.ok(st >= 0 && st <= 3);
        assert.ok(w.upperOffset <= b.length);
        assert.ok(w.finalDstOffset + 16 <= b.length);
        assert.ok(w.extCount <= 16);
      },
    ),
    { numRuns: 2000 },
  );
});
