// Unit tests for the DNS message codec: header view, name skip/decompression, RR cursor, EDNS rcode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  DNS_FLAG_QR,
  DNS_FLAG_RD,
  DnsStatus,
  DnsType,
  DnsView,
  EdnsOpt,
  EdnsOption,
  emitHeader,
  emitName,
  extendedRcode,
  NameStatus,
  RrCursor,
  readName,
  skipName,
} from './dns.js';

/** A response for www.example.com A with one compressed answer and an OPT record. */
function sampleResponse(extRcode = 0): Uint8Array {
  const b = new Uint8Array(512);
  let o = emitHeader(
    {
      id: 0x1234,
      flags: DNS_FLAG_QR | DNS_FLAG_RD | 0x80 | 3,
      qdcount: 1,
      ancount: 1,
      nscount: 0,
      arcount: 1,
    },
    b,
    0,
  );
  o = emitName('www.example.com', b, o);
  b.set([0, 1, 0, 1], o);
  o += 4;
  // answer: pointer to offset 12, A IN ttl 300, 93.184.216.34
  b.set([0xc0, 12, 0, 1, 0, 1, 0, 0, 1, 44, 0, 4, 93, 184, 216, 34], o);
  o += 16;
  // OPT: root name, type 41, udp 4096, ext-rcode, version 0, flags DO, rdlen 0
  b.set([0, 0, 41, 0x10, 0, extRcode, 0, 0x80, 0, 0, 0], o);
  o += 11;
  return b.subarray(0, o);
}

test('header view reads the RFC 1035 fields', () => {
  const m = sampleResponse();
  const v = new DnsView().wrap(m, 0, m.length);
  assert.equal(v.check(), DnsStatus.OK);
  assert.equal(v.id, 0x1234);
  assert.equal(v.qr, true);
  assert.equal(v.rd, true);
  assert.equal(v.ra, true);
  assert.equal(v.aa, false);
  assert.equal(v.opcode, 0);
  assert.equal(v.rcode, 3);
  assert.deepEqual([v.qdcount, v.ancount, v.nscount, v.arcount], [1, 1, 0, 1]);
  assert.equal(new DnsView().wrap(m, 0, 11).check(), DnsStatus.SHORT_HEADER);
});

test('RR cursor walks question, answer and additional sections', () => {
  const m = sampleResponse();
  const v = new DnsView().wrap(m, 0, m.length);
  const c = new RrCursor().wrap(v);
  assert.ok(c.nextQuestion());
  assert.equal(c.type, DnsType.A);
  assert.equal(readName(m, 0, c.nameOff, m.length).text, 'www.example.com.');
  assert.ok(c.nextRecord());
  assert.equal(c.ttl, 300);
  assert.equal(c.rdlength, 4);
  assert.deepEqual([...m.subarray(c.rdataOff, c.rdataOff + 4)], [93, 184, 216, 34]);
  const name = readName(m, 0, c.nameOff, m.length);
  assert.equal(name.text, 'www.example.com.');
  assert.equal(name.next, c.nameOff + 2);
  assert.ok(c.nextRecord());
  assert.equal(c.type, DnsType.OPT);
  assert.equal(c.klass, 4096);
  assert.equal(c.pos, m.length);
  assert.equal(c.nextRecord(), false);
});

test('extended rcode combines the OPT upper bits (BADVERS = 16, BADCOOKIE = 23)', () => {
  for (const [ext, hdr, want] of [
    [0, 3, 3],
    [1, 0, 16],
    [1, 7, 23],
  ] as const) {
    const m = sampleResponse(ext);
    m[3] = (m[3]! & 0xf0) | hdr;
    const v = new DnsView().wrap(m, 0, m.length);
    assert.equal(extendedRcode(v, m.length), want);
  }
  // A capture cut before the OPT record: header rcode only, no throw.
  const m = sampleResponse(1);
  const v = new DnsView().wrap(m, 0, m.length);
  assert.equal(extendedRcode(v, m.length - 8), 3);
});

test('skipName stops at pointers and refuses reserved labels and overruns', () => {
  const b = Uint8Array.from([3, 0x61, 0x62, 0x63, 0xc0, 0x00, 0x80, 0x01, 2, 0x61]);
  assert.equal(skipName(b, 0, b.length), 6);
  assert.equal(skipName(b, 6, b.length), -1); // reserved 0x80
  assert.equal(skipName(b, 8, b.length), -1); // label runs past the end
  assert.equal(skipName(b, 0, 3), -1);
  assert.equal(skipName(Uint8Array.from([0]), 0, 1), 1);
  // bit-string label 0x41: bitlen 16 -> 2 bytes
  assert.equal(skipName(Uint8Array.from([0x41, 16, 0xaa, 0xbb, 0]), 0, 5), 5);
  assert.equal(skipName(Uint8Array.from([0x42, 16, 0]), 0, 3), -1);
});

test('readName refuses loops, forward pointers and over-long names', () => {
  // A pointer to itself.
  const loop = Uint8Array.from([1, 0x61, 0xc0, 0x00]);
  assert.equal(readName(loop, 0, 2, loop.length).status, NameStatus.BAD_POINTER);
  // Two pointers pointing at each other.
  const pair = Uint8Array.from([0xc0, 0x02, 0xc0, 0x00]);
  assert.equal(readName(pair, 0, 2, pair.length).status, NameStatus.BAD_POINTER);
  assert.equal(readName(pair, 0, 0, pair.length).status, NameStatus.BAD_POINTER);
  // 5 labels of 63 octets > 255.
  const long = new Uint8Array(5 * 64 + 1);
  for (let k = 0; k < 5; k++) long[k * 64] = 63;
  assert.equal(readName(long, 0, 0, long.length).status, NameStatus.TOO_LONG);
  assert.equal(readName(Uint8Array.from([3, 0x61]), 0, 0, 2).status, NameStatus.TRUNCATED);
  assert.equal(readName(Uint8Array.from([0]), 0, 0, 1).text, '.');
  assert.equal(readName(Uint8Array.from([3, 0x61, 0x2e, 0x01, 0]), 0, 0, 5).text, 'a\\.\\001.');
});

test('readName and skipName never throw nor hang on random bytes (bounded, loop-safe)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(300), (bytes, start) => {
      const r = readName(bytes, 0, start, bytes.length);
      if (r.status === NameStatus.OK) {
        assert.ok(r.next > start && r.next <= bytes.length);
        assert.ok(r.text.length > 0);
      }
      const n = skipName(bytes, start, bytes.length);
      assert.ok(n === -1 || (n > start && n <= bytes.length + 1));
    }),
  );
});

test('emitName round-trips through readName and rejects bad labels', () => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { maxLength: 8 }), (labels) => {
      const name = labels.length === 0 ? '.' : `${labels.join('.')}.`;
      const b = new Uint8Array(300);
      const end = emitName(name, b, 0);
      const r = readName(b, 0, 0, end);
      assert.equal(r.status, NameStatus.OK);
      assert.equal(r.text, name);
      assert.equal(r.next, end);
      assert.equal(skipName(b, 0, end), end);
    }),
  );
  assert.throws(() => emitName('a..b', new Uint8Array(10), 0), RangeError);
  assert.throws(() => emitName(`${'x'.repeat(64)}.com`, new Uint8Array(100), 0), RangeError);
});

test('EdnsOpt finds the OPT record and walks its options', () => {
  const m = sampleResponse(1);
  const v = new DnsView().wrap(m, 0, m.length);
  const e = new EdnsOpt();
  assert.ok(e.find(v));
  assert.equal(e.udpSize, 4096);
  assert.equal(e.extRcode, 1);
  assert.equal(e.version, 0);
  assert.equal(e.dnssecOk, true);
  assert.equal(e.nextOption(), false);
  // the same message with a COOKIE option and a truncated second option
  const withOpts = new Uint8Array(m.length + 16);
  withOpts.set(m);
  withOpts.set([0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 3, 0, 9], m.length);
  withOpts[m.length - 1] = 16; // rdlength
  const v2 = new DnsView().wrap(withOpts, 0, withOpts.length);
  assert.ok(e.find(v2));
  assert.ok(e.nextOption());
  assert.equal(e.code, EdnsOption.COOKIE);
  assert.deepEqual([...withOpts.subarray(e.dataOff, e.dataOff + e.dataLen)], [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(e.nextOption(), false);
  // no OPT when the capture ends before it
  assert.equal(e.find(v2, m.length - 5), false);
});
