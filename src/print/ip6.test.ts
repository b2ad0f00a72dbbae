// Unit tests of the IPv6/ICMPv6 printers over packets from tcpdump's test captures, with the text
// tcpdump 4.99.3 prints for them (from the corpus' out-4.99.3 files and the local tcpdump).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { defaultPrintOptions, PrintContext, TRUNCATED } from './context.js';
import { ip6Print } from './ip6.js';

/** Prints the IPv6 packet in `hex` (wire length `wire`) with -n and the given -v/-e counts. */
function p6(hex: string, v = 0, wire = -1, e = 0): string {
  const opts = defaultPrintOptions();
  opts.nflag = 1;
  opts.vflag = v;
  opts.eflag = e;
  const ctx = new PrintContext(opts);
  const buf = Uint8Array.from(Buffer.from(hex, 'hex'));
  ctx.reset(buf, 0, buf.length, wire < 0 ? buf.length : wire, 229);
  try {
    ip6Print(ctx, 0, wire < 0 ? buf.length : wire);
  } catch (err) {
    if (err !== TRUNCATED) throw err;
    ctx.s += ` [|${ctx.protocol}]`;
  }
  return ctx.s;
}

const RT0_ECHO =
  '6000000000202b04220000000000024402123ffffeae22f7220000000000024000020000000000043a02000100000000220000000000021000020000000000048000d3ab00000000';
const RT0_UDP =
  '6000000000202b04220000000000024402123ffffeae22f722000000000002400002000000000004110200010000000022000000000002100002000000000004160d160a000827b6';
const MLDV2_REPORT =
  '6000000000240001fe80000000000000021517fffecce546ff0200000000000000000000000000163a000502000001008f001fc50000000104000000ff0200000000000000000db811223344';

test('routing header type 0, ICMPv6 echo: default and -v', () => {
  assert.equal(
    p6(RT0_ECHO),
    'IP6 2200::244:212:3fff:feae:22f7 > 2200::240:2:0:0:4: RT6 (len=2, type=0 [Deprecated], segleft=1, [0]2200::210:2:0:0:4) ICMP6, echo request, id 0, seq 0, length 8',
  );
  assert.equal(
    p6(RT0_ECHO, 1),
    'IP6 (hlim 4, next-header Routing (43) payload length: 32) 2200::244:212:3fff:feae:22f7 > 2200::240:2:0:0:4: RT6 (len=2, type=0 [Deprecated], segleft=1, rsv=0x0, [0]2200::210:2:0:0:4) [icmp6 sum ok] ICMP6, echo request, id 0, seq 0',
  );
});

test('-e drops the IP6 prefix; a checksum error is reported with the right value', () => {
  assert.ok(p6(RT0_ECHO, 1, -1, 1).startsWith('(hlim 4, next-header'));
  const bad = `${RT0_ECHO.slice(0, -16)}8000d3ac00000000`;
  assert.match(p6(bad, 1), /\[bad icmp6 cksum 0xd3ac -> 0xd3ab!\] ICMP6, echo request/);
});

test('hop-by-hop router alert + MLDv2 report at -v', () => {
  assert.equal(
    p6(MLDV2_REPORT, 1),
    'IP6 (hlim 1, next-header Options (0) payload length: 36) fe80::215:17ff:fecc:e546 > ff02::16: HBH (rtalert: 0x0000) (padn) [icmp6 sum ok] ICMP6, multicast listener report v2, 1 group record(s) [gaddr ff02::db8:1122:3344 to_ex, 0 source(s)]',
  );
  assert.equal(
    p6(MLDV2_REPORT),
    'IP6 fe80::215:17ff:fecc:e546 > ff02::16: HBH ICMP6, multicast listener report v2, 1 group record(s), length 28',
  );
});

test('fragment header with a negative remaining length wraps like a size_t', () => {
  const h =
    '6500007300002c1c7fffffffc3b2a1021305008000382949967586dd7300002c1c7fffffffc3b2a1021305008000007480570f78ff020004';
  assert.equal(
    p6(h, 1, 32882 - 14),
    'IP6 (class 0x50, flowlabel 0x00073, hlim 28, next-header Fragment (44) payload length: 0) 7fff:ffff:c3b2:a102:1305:80:38:2949 > 9675:86dd:7300:2c:1c7f:ffff:ffc3:b2a1: frag (0x80000074:1280|18446744073709551608)',
  );
});

test('bad version, short header, truncated hop-by-hop', () => {
  const v0 = `0${RT0_ECHO.slice(1)}`;
  assert.equal(p6(v0), 'IP6 version error: 0 != 6');
  assert.equal(p6(RT0_ECHO.slice(0, 78)), ' [|ip6]');
  assert.equal(p6(RT0_ECHO, 0, 39), 'truncated-ip6 39');
  // A PadN option longer than its header.
  const hbh = `6000000000080040${'30'.repeat(32)}3b00010500000000`;
  assert.equal(p6(hbh), `IP6 ${'3030:'.repeat(7)}3030 > ${'3030:'.repeat(7)}3030: HBH  [|hbhopt]`);
  // Payload length 0 without a jumbo option.
  const nojumbo = `6000000000000040${'30'.repeat(32)}3b00010000000000`;
  assert.match(p6(nojumbo), /HBH \[No valid Jumbo Payload Hop-by-Hop option found\] \(invalid\)$/);
});

test('payload length beyond the wire length', () => {
  assert.match(p6(RT0_UDP, 1, 71), /^IP6 truncated-ip6 - 1 bytes missing!\(hlim 4, /);
});

test('unknown routing type and odd SRH length are invalid', () => {
  const t9 = `${RT0_ECHO.slice(0, 80)}3a020901${RT0_ECHO.slice(88)}`;
  assert.match(p6(t9), /RT6 \(len=2, type=9, segleft=1 \(unknown type\) \(invalid\)$/);
  const srh = `${RT0_ECHO.slice(0, 80)}3a010400${RT0_ECHO.slice(88)}`;
  assert.match(
    p6(srh),
    /RT6 \(len=1, type=4, segleft=0, last-entry=0, tag=0 \(invalid length 1\) \(invalid\)$/,
  );
});

test('random bytes and random cuts never throw anything but the truncation sentinel', () => {
  const opts = defaultPrintOptions();
  opts.nflag = 1;
  const seeds = [RT0_ECHO, RT0_UDP, MLDV2_REPORT].map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
      fc.nat(),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 100 }),
      (which, edits, cut, v, extra) => {
        const buf = seeds[which]!.slice();
        for (const [i, x] of edits) buf[i % buf.length] = x;
        const caplen = cut % (buf.length + 1);
        opts.vflag = v;
        const ctx = new PrintContext(opts);
        ctx.reset(buf, 0, caplen, buf.length + extra, 229);
        try {
          ip6Print(ctx, 0, buf.length + extra);
        } catch (err) {
          if (err !== TRUNCATED) throw err;
        }
        assert.equal(ctx.snapend, caplen, 'snapend restored');
      },
    ),
    { numRuns: 3000 },
  );
});
