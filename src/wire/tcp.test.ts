import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIpv4 } from './ipv4.js';
import { emitTcp, TcpFlag, TcpStatus, TcpView } from './tcp.js';
import {
  emitSackOption,
  emitSynOptions,
  TcpOption,
  TcpOptionCursor,
  TcpOptionStatus,
} from './tcp-options.js';

function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
}

// A real Linux SYN (TCP part): 50050 -> 80, mss 1460, sackOK, TS, nop, wscale 10.
const SYN = hex(
  'c382 0050 a9e0 5b62 0000 0000 a002 faf0 1918 0000 0204 05b4 0402 080a d13e 8ba0 0000 0000 0103 030a',
);

test('TcpView reads the header of a real SYN', () => {
  const t = new TcpView().wrap(SYN, 0, SYN.length);
  assert.equal(t.check(), TcpStatus.OK);
  assert.equal(t.srcPort, 50050);
  assert.equal(t.dstPort, 80);
  assert.equal(t.seqNumber, 2850052962);
  assert.equal(t.ackNumber, 0);
  assert.equal(t.headerLength, 40);
  assert.equal(t.flags, TcpFlag.SYN);
  assert.equal(t.syn && !t.ack && !t.fin && !t.rst, true);
  assert.equal(t.window, 64240);
  assert.equal(t.urgentPointer, 0);
});

test('the option cursor decodes mss, sackOK, TS, nop, wscale', () => {
  const t = new TcpView().wrap(SYN, 0, SYN.length);
  const c = new TcpOptionCursor().reset(t);
  const kinds: number[] = [];
  for (let s = c.next(); s === TcpOptionStatus.OK; s = c.next()) {
    kinds.push(c.kind);
    if (c.kind === TcpOption.MSS) assert.equal(c.mss, 1460);
    if (c.kind === TcpOption.TIMESTAMP) {
      assert.equal(c.tsVal, 3510537120);
      assert.equal(c.tsEcr, 0);
    }
    if (c.kind === TcpOption.WSCALE) assert.equal(c.windowScale, 10);
  }
  assert.deepEqual(kinds, [2, 4, 8, 1, 3]);
});

test('check() flags a data offset below 5 and options past the data', () => {
  const b = SYN.slice();
  b[12] = 0x40;
  assert.equal(new TcpView().wrap(b, 0, b.length).check(), TcpStatus.BAD_DATA_OFFSET);
  assert.equal(new TcpView().wrap(SYN, 0, 30).check(), TcpStatus.SHORT_OPTIONS);
  assert.equal(new TcpView().wrap(SYN, 0, 19).check(), TcpStatus.SHORT_HEADER);
});

test('emit + checksum over IPv4 verifies; port and address rewrites patch it incrementally', () => {
  const opts = new Uint8Array(20);
  emitSynOptions(opts, 0, 1460, 1, 0, 7);
  const buf = new Uint8Array(60 + 5);
  const hl = emitTcp(
    {
      srcPort: 1234,
      dstPort: 80,
      seqNumber: 0xfffffff0,
      ackNumber: 5,
      flags: TcpFlag.SYN | TcpFlag.ACK,
      window: 502,
      urgentPointer: 0,
      options: opts,
    },
    buf,
    0,
  );
  assert.equal(hl, 40);
  buf.set([104, 101, 108, 108, 111], hl);
  const src = parseIpv4('10.0.0.1');
  const dst = parseIpv4('10.0.0.2');
  const t = new TcpView().wrap(buf, 0, hl + 5);
  t.fillChecksumIpv4(src, dst, hl + 5);
  assert.equal(t.verifyChecksumIpv4(src, dst, hl + 5), true);
  t.rewriteDstPort(8080);
  const rip = parseIpv4('192.168.1.20');
  t.adjustForAddress(dst, rip);
  assert.equal(t.verifyChecksumIpv4(src, rip, hl + 5), true);
  assert.equal(t.seqNumber, 0xfffffff0);
  buf[20] ^= 1;
  assert.equal(t.verifyChecksumIpv4(src, rip, hl + 5), false);
});

test('SACK blocks, TFO (34 and 254/0xF989) and bad lengths', () => {
  const b = new Uint8Array(40);
  let p = emitSackOption(b, 0, [100, 200, 300, 400]);
  b.set([34, 2], p);
  p += 2;
  b.set([254, 8, 0xf9, 0x89, 1, 2, 3, 4], p);
  p += 8;
  b.set([30, 4, 0x20, 0x01], p);
  p += 4;
  b.set([99, 1], p);
  const c = new TcpOptionCursor().resetRange(b, 0, p + 2);
  assert.equal(c.next(), TcpOptionStatus.OK);
  assert.equal(c.sackBlockCount, 2);
  assert.equal(c.sackLeft(1), 300);
  assert.equal(c.sackRight(1), 400);
  assert.equal(c.next(), TcpOptionStatus.OK);
  assert.equal(c.isTfo, true);
  assert.equal(c.tfoCookieLength, 0);
  assert.equal(c.next(), TcpOptionStatus.OK);
  assert.equal(c.isTfo, true);
  assert.equal(c.tfoCookieLength, 4);
  assert.equal(b[c.tfoCookieOffset], 1);
  assert.equal(c.next(), TcpOptionStatus.OK);
  assert.equal(c.kind, TcpOption.MPTCP);
  assert.equal(c.mptcpSubtype, 2);
  assert.equal(c.next(), TcpOptionStatus.BAD_LENGTH);
});

test('property: port and address rewrites keep the TCP checksum valid', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 20, maxLength: 80 }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffffffff }),
      fc.integer({ min: 0, max: 0xffff }),
      (raw, src, newDst, port) => {
        const b = raw.slice();
        b[12] = 0x50;
        const dst = 0x0a000002;
        const t = new TcpView().wrap(b, 0, b.length);
        t.fillChecksumIpv4(src, dst, b.length);
        t.rewriteDstPort(port);
        t.adjustForAddress(dst, newDst);
        assert.equal(t.verifyChecksumIpv4(src, newDst, b.length), true);
      },
    ),
  );
});
