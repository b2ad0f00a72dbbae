import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  emitIpv4,
  formatIpv4,
  IPV4_FLAG_DF,
  IPV4_FLAG_MF,
  Ipv4Option,
  Ipv4OptionCursor,
  Ipv4OptionStatus,
  Ipv4Status,
  Ipv4View,
  parseIpv4,
} from './ipv4.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// The IPv4 header of a real SYN 10.244.1.1 -> 10.244.2.1 (Linux, DF, ttl 64).
const SYN = hex(
  '4500 003c caf1 4000 4006 56e1 0af4 0101 0af4 0201 c382 0050 a9e0 5b62 0000 0000 a002 faf0 1918 0000 0204 05b4 0402 080a d13e 8ba0 0000 0000 0103 030a',
);

test('Ipv4View reads the RFC 791 fields of a real header', () => {
  const v = new Ipv4View().wrap(SYN, 0, SYN.length);
  assert.equal(v.check(), Ipv4Status.OK);
  assert.equal(v.version, 4);
  assert.equal(v.headerLength, 20);
  assert.equal(v.totalLength, 60);
  assert.equal(v.identification, 0xcaf1);
  assert.equal(v.dontFragment, true);
  assert.equal(v.moreFragments, false);
  assert.equal(v.isFragment, false);
  assert.equal(v.ttl, 64);
  assert.equal(v.protocol, 6);
  assert.equal(formatIpv4(v.srcAddr), '10.244.1.1');
  assert.equal(formatIpv4(v.dstAddr), '10.244.2.1');
  assert.equal(v.payloadOffset, 20);
  assert.equal(v.payloadLength, 40);
  assert.equal(v.verifyChecksum(), true);
});

test('check() reports each malformation tcpdump names', () => {
  const v = new Ipv4View();
  assert.equal(v.wrap(SYN, 0, 19).check(), Ipv4Status.SHORT_HEADER);
  const b = SYN.slice();
  b[0] = 0x65;
  assert.equal(v.wrap(b, 0, b.length).check(), Ipv4Status.BAD_VERSION);
  b[0] = 0x44;
  assert.equal(v.wrap(b, 0, b.length).check(), Ipv4Status.BAD_IHL);
  b[0] = 0x4f;
  assert.equal(v.wrap(b, 0, 40).check(), Ipv4Status.SHORT_OPTIONS);
  b[0] = 0x45;
  b[2] = 0;
  b[3] = 19;
  assert.equal(v.wrap(b, 0, b.length).check(), Ipv4Status.BAD_TOTAL_LENGTH);
  b[3] = 61;
  assert.equal(v.wrap(b, 0, b.length).check(), Ipv4Status.TRUNCATED);
});

test('TTL decrement and address rewrites keep the checksum valid (incremental = full)', () => {
  const b = SYN.slice();
  const v = new Ipv4View().wrap(b, 0, b.length);
  v.decrementTtl();
  assert.equal(v.ttl, 63);
  assert.equal(v.verifyChecksum(), true);
  v.rewriteDst(parseIpv4('192.168.77.5'));
  v.rewriteSrc(parseIpv4('172.16.0.1'));
  assert.equal(v.verifyChecksum(), true);
  const full = v.headerChecksum;
  v.fillChecksum();
  assert.equal(v.headerChecksum, full);
});

test('emitIpv4 writes what the view reads back, options padded with EOL', () => {
  const buf = new Uint8Array(64);
  const opts = Uint8Array.of(Ipv4Option.RA, 4, 0, 0, Ipv4Option.NOP);
  const hl = emitIpv4(
    {
      tos: 0x10,
      totalLength: 28,
      identification: 7,
      flagsFragment: IPV4_FLAG_MF | 185,
      ttl: 1,
      protocol: 17,
      srcAddr: parseIpv4('10.0.0.1'),
      dstAddr: parseIpv4('10.0.0.2'),
      options: opts,
    },
    buf,
    2,
  );
  assert.equal(hl, 28);
  const v = new Ipv4View().wrap(buf, 2, 28);
  assert.equal(v.check(), Ipv4Status.OK);
  assert.equal(v.ihl, 7);
  assert.equal(v.tos, 0x10);
  assert.equal(v.dscp, 4);
  assert.equal(v.fragmentOffset, 1480);
  assert.equal(v.moreFragments, true);
  assert.equal(v.isFragment, true);
  assert.equal(v.verifyChecksum(), true);
  const c = new Ipv4OptionCursor().reset(v);
  const seen: [number, number][] = [];
  for (let s = c.next(); s === Ipv4OptionStatus.OK; s = c.next()) seen.push([c.type, c.length]);
  assert.deepEqual(seen, [
    [Ipv4Option.RA, 4],
    [Ipv4Option.NOP, 1],
    [Ipv4Option.EOL, 1],
    [Ipv4Option.EOL, 1],
    [Ipv4Option.EOL, 1],
  ]);
  void IPV4_FLAG_DF;
});

test('option cursor stops on a bad length', () => {
  const buf = new Uint8Array(24);
  emitIpv4(
    {
      tos: 0,
      totalLength: 24,
      identification: 0,
      flagsFragment: 0,
      ttl: 64,
      protocol: 6,
      srcAddr: 1,
      dstAddr: 2,
      options: Uint8Array.of(Ipv4Option.LSRR, 9, 4, 0),
    },
    buf,
    0,
  );
  const c = new Ipv4OptionCursor().reset(new Ipv4View().wrap(buf, 0, 24));
  assert.equal(c.next(), Ipv4OptionStatus.BAD_LENGTH);
});

test('parseIpv4 rejects what is not a dotted quad', () => {
  assert.equal(parseIpv4('1.2.3.4'), 0x01020304);
  assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  for (const bad of ['1.2.3', '1.2.3.256', 'a.b.c.d', '1.2.3.4.5', '']) assert.equal(parseIpv4(bad), -1, bad);
});

test('property: incremental rewrites (addresses, TTL) equal a full recomputation', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 20, maxLength: 20 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      (raw, src, dst) => {
        const b = raw.slice();
        b[0] = 0x45;
        b[8] = Math.max(b[8]!, 1);
        const v = new Ipv4View().wrap(b, 0, 20);
        v.fillChecksum();
        v.rewriteSrc(src);
        v.rewriteDst(dst);
        v.decrementTtl();
        assert.equal(v.verifyChecksum(), true);
      },
    ),
  );
});
