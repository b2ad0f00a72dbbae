// Tests for the ICMPv6 view, ND option and MLDv2 record cursors, checksum and emitters.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  emitIcmp6Echo,
  emitIcmp6Error,
  emitNeighborAdvert,
  emitNeighborSolicit,
  Icmp6Status,
  Icmp6Type,
  Icmp6View,
  Mldv2RecordCursor,
  NA_FLAG_OVERRIDE,
  NA_FLAG_SOLICITED,
  NdOption,
  NdOptionCursor,
  NdOptionStatus,
} from './icmp6.js';
import { emitIpv6, Ipv6View, ipv6ToString, parseIpv6 } from './ipv6.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// An echo request; its checksum 0x5b70 was computed independently (Python, RFC 4443 §2.3).
const ECHO = hex(
  '6000000000103a40fd000000000000000000000000000001fd000000000000000000000000000002' +
    '80005b701a2b0001' +
    '0102030405060708',
);

test('echo request: fields and kernel checksum verify', () => {
  const ip = new Ipv6View().wrap(ECHO, 0, ECHO.length);
  const v = new Icmp6View().wrap(ECHO, 40, 16);
  assert.equal(v.check(), Icmp6Status.OK);
  assert.equal(v.type, Icmp6Type.ECHO_REQUEST);
  assert.equal(v.echoId, 0x1a2b);
  assert.equal(v.echoSeq, 1);
  assert.ok(!v.isError);
  assert.ok(v.verifyChecksum(ip));
  v.checksum = 0x5b71;
  assert.ok(!v.verifyChecksum(ip));
  v.fillChecksum(ip);
  assert.equal(v.checksum, 0x5b70);
});

test('neighbor solicitation/advertisement emit, options cursor', () => {
  const buf = new Uint8Array(40 + 32);
  const target = parseIpv6('fe80::1')!;
  const mac = hex('0a0000000001');
  const end = emitNeighborSolicit(buf, 40, target, mac);
  assert.equal(end, 72);
  emitIpv6(
    {
      trafficClass: 0,
      flowLabel: 0,
      payloadLength: 32,
      nextHeader: 58,
      hopLimit: 255,
      src: parseIpv6('::')!,
      dst: parseIpv6('ff02::1:ff00:1')!,
    },
    buf,
    0,
  );
  const ip = new Ipv6View().wrap(buf, 0, buf.length);
  const v = new Icmp6View().wrap(buf, 40, 32);
  v.fillChecksum(ip);
  assert.ok(v.verifyChecksum(ip));
  assert.equal(ipv6ToString(buf, v.targetOffset), 'fe80::1');
  const c = new NdOptionCursor().reset(buf, v.ndOptionsOffset, 72);
  assert.equal(c.next(), NdOptionStatus.OK);
  assert.equal(c.type, NdOption.SOURCE_LINKADDR);
  assert.equal(c.length, 8);
  assert.deepEqual(buf.subarray(c.linkAddrOffset, c.linkAddrOffset + 6), mac);
  assert.equal(c.next(), NdOptionStatus.END);

  const na = new Uint8Array(32);
  emitNeighborAdvert(na, 0, NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE, target, mac);
  const nv = new Icmp6View().wrap(na, 0, 32);
  assert.equal(nv.type, Icmp6Type.NEIGHBOR_ADVERT);
  assert.equal(nv.naFlags, (NA_FLAG_SOLICITED | NA_FLAG_OVERRIDE) >>> 0);
});

test('router advertisement: fields and prefix/MTU options; zero-length option is refused', () => {
  const ra = hex(
    '8600 0000 40c0 0708 00000000 00000000' +
      '0304 40c0 00278d00 00093a80 00000000 fd000000000000000000000000000000' +
      '0501 0000 000005dc' +
      '0100 0000 0000 0000',
  );
  const v = new Icmp6View().wrap(ra, 0, ra.length);
  assert.equal(v.check(), Icmp6Status.OK);
  assert.equal(v.curHopLimit, 64);
  assert.equal(v.raFlags, 0xc0);
  assert.equal(v.routerLifetime, 1800);
  const c = new NdOptionCursor().reset(ra, v.ndOptionsOffset, ra.length);
  assert.equal(c.next(), NdOptionStatus.OK);
  assert.equal(c.type, NdOption.PREFIX_INFORMATION);
  assert.equal(c.prefixLength, 64);
  assert.equal(c.prefixFlags, 0xc0);
  assert.equal(c.validLifetime, 2592000);
  assert.equal(c.preferredLifetime, 604800);
  assert.equal(ipv6ToString(ra, c.prefixOffset), 'fd00::');
  assert.equal(c.next(), NdOptionStatus.OK);
  assert.equal(c.mtu, 1500);
  assert.equal(c.next(), NdOptionStatus.BAD_LENGTH);
});

test('check(): short header and short ND bodies', () => {
  const b = hex('8700 0000 0000 0000 0000');
  assert.equal(new Icmp6View().wrap(b, 0, 6).check(), Icmp6Status.SHORT_HEADER);
  assert.equal(new Icmp6View().wrap(b, 0, b.length).check(), Icmp6Status.SHORT_BODY);
});

test('MLDv2 report records, with a record that overruns', () => {
  const rep = hex(
    '8f00 0000 0000 0002' +
      '0400 0000 ff020000000000000000000000000001' +
      '0100 0001 ff020000000000000000000000000002 fd000000000000000000000000000005',
  );
  const v = new Icmp6View().wrap(rep, 0, rep.length);
  assert.equal(v.mldv2RecordCount, 2);
  const c = new Mldv2RecordCursor().reset(v);
  assert.ok(c.next());
  assert.equal(c.recordType, 4);
  assert.equal(ipv6ToString(rep, c.addressOffset), 'ff02::1');
  assert.ok(c.next());
  assert.equal(c.sourceCount, 1);
  assert.equal(ipv6ToString(rep, c.sourcesOffset), 'fd00::5');
  assert.ok(!c.next());
  const cut = new Icmp6View().wrap(rep, 0, rep.length - 1);
  const c2 = new Mldv2RecordCursor().reset(cut);
  assert.ok(c2.next());
  assert.ok(!c2.next());
});

test('error emit keeps the quote within the room given', () => {
  const inv = new Uint8Array(2000).fill(7);
  const buf = new Uint8Array(1280);
  const end = emitIcmp6Error(buf, 0, Icmp6Type.PACKET_TOO_BIG, 0, 1280, inv, 1280 - 40);
  assert.equal(end, 1240);
  const v = new Icmp6View().wrap(buf, 0, end);
  assert.ok(v.isError);
  assert.equal(v.mtu, 1280);
  assert.equal(buf[v.invokingOffset], 7);
  const e = new Uint8Array(8);
  emitIcmp6Echo(e, 0, Icmp6Type.ECHO_REPLY, 0x1234, 9);
  const ev = new Icmp6View().wrap(e, 0, 8);
  assert.equal(ev.echoId, 0x1234);
  assert.equal(ev.echoSeq, 9);
});
