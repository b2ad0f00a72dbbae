// Unit tests of the DNS printer's edge cases (loops, framing, rcode spelling) and a fuzz test of
// all the application printers (DNS, NTP, syslog, BOOTP, TFTP, DHCPv6, RIP, RIPng, HSRP, Kerberos,
// timed, VRRP): random bytes at every verbosity end normally or with TRUNCATED.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { bootpPrint } from './bootp.js';
import { defaultPrintOptions, isTruncated, PrintContext } from './context.js';
import { dhcp6Print } from './dhcp6.js';
import { dnsPrint } from './dns.js';
import { hsrpPrint } from './hsrp.js';
import { krbPrint } from './krb.js';
import { ntpPrint } from './ntp.js';
import { ripPrint } from './rip.js';
import { ripngPrint } from './ripng.js';
import { syslogPrint } from './syslog.js';
import { tftpPrint } from './tftp.js';
import { timedPrint } from './timed.js';
import { vrrpPrint } from './vrrp.js';

function ctxFor(bytes: number[] | Uint8Array, vflag = 0, caplen?: number): PrintContext {
  const o = defaultPrintOptions();
  o.vflag = vflag;
  o.nflag = 1;
  const ctx = new PrintContext(o);
  const buf = Uint8Array.from(bytes);
  ctx.reset(buf, 0, caplen ?? buf.length, buf.length, 1);
  return ctx;
}

/** Runs a printer as the packet printer does: TRUNCATED becomes ` [|proto]`. */
function show(ctx: PrintContext, f: (ctx: PrintContext) => void): string {
  try {
    f(ctx);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    ctx.print(` [|${ctx.protocol}]`);
  }
  return ctx.s;
}

const hdr = (id: number, flags: number, qd: number, an: number, ns: number, ar: number): number[] => [
  id >> 8,
  id & 0xff,
  flags >> 8,
  flags & 0xff,
  0,
  qd,
  0,
  an,
  0,
  ns,
  0,
  ar,
];

test('query and response summaries', () => {
  const q = [
    ...hdr(0x3039, 0x0100, 1, 0, 0, 0),
    7,
    ...Buffer.from('example'),
    3,
    ...Buffer.from('com'),
    0,
    0,
    1,
    0,
    1,
  ];
  assert.equal(
    show(ctxFor(q), (c) => dnsPrint(c, 0, q.length, false, false)),
    '12345+ A? example.com. (29)',
  );
  const r = [
    ...hdr(0x3039, 0x8180, 1, 1, 0, 0),
    ...q.slice(12),
    0xc0,
    12,
    0,
    1,
    0,
    1,
    0,
    0,
    0,
    60,
    0,
    4,
    93,
    184,
    216,
    34,
  ];
  assert.equal(
    show(ctxFor(r), (c) => dnsPrint(c, 0, r.length, false, false)),
    '12345 1/0/0 A 93.184.216.34 (45)',
  );
  assert.equal(
    show(ctxFor(r, 3), (c) => dnsPrint(c, 0, r.length, false, false)),
    '12345 q: A? example.com. 1/0/0 example.com. [1m] A 93.184.216.34 (45)',
  );
});

test('a compression loop ends with <BAD PTR> and the truncation mark', () => {
  // the question name is a pointer to itself
  const m = [...hdr(1, 0, 1, 0, 0, 0), 0xc0, 12, 0, 1, 0, 1];
  assert.equal(
    show(ctxFor(m), (c) => dnsPrint(c, 0, m.length, false, false)),
    '1 A? <BAD PTR> [|domain]',
  );
});

test('extended rcode 17 keeps 4.99.3 spelling without a space', () => {
  const m = [...hdr(7, 0x8181, 0, 0, 0, 1), 0, 0, 41, 0x10, 0, 1, 0, 0, 0, 0, 0];
  assert.equal(
    show(ctxFor(m), (c) => dnsPrint(c, 0, m.length, false, false)),
    '7Resp17 [0q] 0/0/1 (23)',
  );
});

test('DNS over TCP checks the length prefix', () => {
  const q = [...hdr(9, 0, 0, 0, 0, 0)];
  assert.equal(
    show(ctxFor([0, 12, ...q]), (c) => dnsPrint(c, 0, 14, true, false)),
    ' 9 [0q] (12)',
  );
  assert.equal(
    show(ctxFor([0, 13, ...q]), (c) => dnsPrint(c, 0, 14, true, false)),
    ' [prefix length(13) != length(12)] (invalid)',
  );
  assert.equal(
    show(ctxFor([0]), (c) => dnsPrint(c, 0, 1, true, false)),
    ' [DNS over TCP: length 1 < 2] (invalid)',
  );
  assert.equal(
    show(ctxFor([0, 1, 2]), (c) => dnsPrint(c, 0, 3, false, false)),
    'domain [length 3 < 12] (invalid)',
  );
});

test('mDNS prints QU/QM and cache-flush bits', () => {
  const q = [...hdr(0, 0, 1, 0, 0, 0), 1, 0x61, 5, ...Buffer.from('local'), 0, 0, 1, 0x80, 1];
  assert.equal(
    show(ctxFor(q), (c) => dnsPrint(c, 0, q.length, false, true)),
    '0 A (QU)? a.local. (25)',
  );
});

const PRINTERS: [string, (c: PrintContext, len: number) => void][] = [
  ['udp dns', (c, len) => dnsPrint(c, 0, len, false, false)],
  ['tcp dns', (c, len) => dnsPrint(c, 0, len, true, false)],
  ['mdns', (c, len) => dnsPrint(c, 0, len, false, true)],
  ['ntp', (c, len) => ntpPrint(c, 0, len)],
  ['syslog', (c, len) => syslogPrint(c, 0, len)],
  ['bootp', (c, len) => bootpPrint(c, 0, len)],
  ['tftp', (c, len) => tftpPrint(c, 0, len)],
  ['dhcp6', (c, len) => dhcp6Print(c, 0, len)],
  ['rip', (c, len) => ripPrint(c, 0, len)],
  ['ripng', (c, len) => ripngPrint(c, 0, len)],
  ['hsrp', (c, len) => hsrpPrint(c, 0, len)],
  ['krb', (c) => krbPrint(c, 0)],
  ['timed', (c) => timedPrint(c, 0)],
  // the random bytes stand for the IPv4 header too (pseudo-header checksum of VRRPv3)
  ['vrrp', (c, len) => vrrpPrint(c, 0, len, 0, 255, 4)],
];

test('fuzz: random payloads never crash nor hang any application printer', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 400 }),
      fc.nat(400),
      fc.integer({ min: 0, max: 3 }),
      fc.nat(PRINTERS.length - 1),
      (bytes, cut, v, which) => {
        const ctx = ctxFor(bytes, v, Math.min(cut, bytes.length));
        const out = show(ctx, (c) => PRINTERS[which]![1](c, bytes.length));
        assert.ok(out.length < 100000);
      },
    ),
    { numRuns: 6000 },
  );
});

test('fuzz: DNS-shaped messages with random sections never crash', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
      fc.uint8Array({ maxLength: 300 }),
      fc.integer({ min: 0, max: 3 }),
      (counts, body, v) => {
        const m = [...hdr(1, 0x8180, counts[0]!, counts[1]!, counts[2]!, counts[3]!), ...body];
        const out = show(ctxFor(m, v), (c) => dnsPrint(c, 0, m.length, false, false));
        assert.ok(out.startsWith('1 '));
      },
    ),
    { numRuns: 2000 },
  );
});
