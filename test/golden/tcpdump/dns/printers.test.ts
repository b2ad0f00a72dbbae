// Golden test of the application printers alone (DNS, NTP, syslog, BOOTP, TFTP, RIP, RIPng, DHCPv6,
// HSRP, Kerberos, timed, VRRP): for every case of printers.tsv, each packet's text from tcpdump
// 4.99.3 must end with exactly what our printer prints for its UDP/TCP payload. (cases.tsv holds the
// rows that whole-line tsdump already matches, for CORE's golden runner.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { bootpPrint } from '../../../../src/print/bootp.js';
import { defaultPrintOptions, isTruncated, PrintContext } from '../../../../src/print/context.js';
import { dhcp6Print } from '../../../../src/print/dhcp6.js';
import { dnsPrint } from '../../../../src/print/dns.js';
import { hsrpPrint } from '../../../../src/print/hsrp.js';
import { krbPrint } from '../../../../src/print/krb.js';
import { ntpPrint } from '../../../../src/print/ntp.js';
import { ripPrint } from '../../../../src/print/rip.js';
import { ripngPrint } from '../../../../src/print/ripng.js';
import { syslogPrint } from '../../../../src/print/syslog.js';
import { tftpPrint } from '../../../../src/print/tftp.js';
import { timedPrint } from '../../../../src/print/timed.js';
import { vrrpPrint } from '../../../../src/print/vrrp.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKET_START = /^\d\d:\d\d:\d\d\.\d{6} /;

/** Splits tcpdump's output into one text per packet (continuation lines start with blanks). */
function packets(out: string): string[] {
  const list: string[] = [];
  for (const line of out.split('\n')) {
    if (PACKET_START.test(line)) list.push(line);
    else if (list.length > 0 && line !== '') list[list.length - 1] += `\n${line}`;
  }
  return list;
}

/**
 * Prints the application payload of one Ethernet/IPv4 or IPv6 frame of a little-endian pcap the way
 * udp_print/tcp_print dispatch it; returns null when the packet has none of our protocols.
 */
function printApp(
  ctx: PrintContext,
  f: Buffer,
  start: number,
  cap: number,
  wire: number,
  domain: boolean,
): string | null {
  if (cap < 14 + 20) return null;
  let ethertype = f.readUInt16BE(start + 12);
  let l3 = start + 14;
  if (ethertype === 0x8100) {
    // one 802.1Q tag
    ethertype = f.readUInt16BE(start + 16);
    l3 += 4;
  }
  let proto: number;
  let l4: number;
  let end: number;
  if (ethertype === 0x0800) {
    proto = f[l3 + 9]!;
    l4 = l3 + (f[l3]! & 15) * 4;
    end = l3 + f.readUInt16BE(l3 + 2);
  } else if (ethertype === 0x86dd) {
    // no extension headers in these captures
    proto = f[l3 + 6]!;
    l4 = l3 + 40;
    end = l4 + f.readUInt16BE(l3 + 4);
  } else return null;
  if (proto === 112) {
    ctx.reset(f, start, cap, wire, 1);
    ctx.snapend = Math.min(start + cap, end);
    const ttl = ethertype === 0x0800 ? f[l3 + 8]! : f[l3 + 7]!;
    try {
      vrrpPrint(ctx, l4, end - l4, l3, ttl, ethertype === 0x0800 ? 4 : 6);
    } catch (e) {
      if (!isTruncated(e)) throw e;
      ctx.print(` [|${ctx.protocol}]`);
    }
    return ctx.s;
  }
  if (l4 + 8 > start + cap) return null;
  ctx.reset(f, start, cap, wire, 1);
  // ip_print/ip6_print bound what the layers above may read by the IP length
  ctx.snapend = Math.min(start + cap, end);
  const sport = f.readUInt16BE(l4);
  const dport = f.readUInt16BE(l4 + 2);
  const port = (p: number): boolean => sport === p || dport === p;
  try {
    if (proto === 17) {
      const payload = l4 + 8;
      // udp_print: the UDP length, bounded by what the IP length leaves
      const len = Math.min(f.readUInt16BE(l4 + 4), end - l4) - 8;
      if (domain || port(53)) dnsPrint(ctx, payload, len, false, false);
      else if (port(5353)) dnsPrint(ctx, payload, len, false, true);
      else if (port(525)) timedPrint(ctx, payload);
      else if (port(69)) tftpPrint(ctx, payload, len);
      else if (port(67) || port(68)) bootpPrint(ctx, payload, len);
      else if (port(520)) ripPrint(ctx, payload, len);
      else if (port(521)) ripngPrint(ctx, payload, len);
      else if (port(1985)) hsrpPrint(ctx, payload, len);
      else if (port(88)) krbPrint(ctx, payload);
      else if (port(123)) ntpPrint(ctx, payload, len);
      else if (port(546) || port(547)) dhcp6Print(ctx, payload, len);
      else if (port(514)) syslogPrint(ctx, payload, len);
      else return null;
    } else if (proto === 6) {
      const payload = l4 + (f[l4 + 12]! >>> 4) * 4;
      const len = end - payload;
      // tcp_print stops at a TCP header (options included) that was not captured
      if (len <= 0 || !(domain || port(53)) || payload > start + cap) return null;
      dnsPrint(ctx, payload, len, true, false);
    } else return null;
  } catch (e) {
    if (!isTruncated(e)) throw e;
    ctx.print(` [|${ctx.protocol}]`);
  }
  return ctx.s;
}

const rows = readFileSync(join(HERE, 'printers.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => l.split('\t') as [string, string, string, string]);

for (const [name, pcap, options, expected] of rows) {
  const opts = options.split(' ');
  if (opts.includes('-q')) continue; // -q prints no application layer for UDP
  if (opts.some((o) => /^-[xXA]/.test(o))) continue; // dumps follow the text: CORE's runner checks these
  test(`app printers: ${name}`, () => {
    const po = defaultPrintOptions();
    po.nflag = 1;
    po.vflag = opts.filter((o) => /^-v+$/.test(o)).reduce((n, o) => n + o.length - 1, 0);
    const domain = opts.includes('domain');
    const ctx = new PrintContext(po);
    const want = packets(readFileSync(join(HERE, expected), 'latin1'));
    const f = readFileSync(join(HERE, pcap));
    assert.equal(f.readUInt32LE(0), 0xa1b2c3d4, 'little-endian microsecond pcap expected');
    assert.equal(f.readUInt32LE(20), 1, 'Ethernet captures expected');
    const snaplen = f.readUInt32LE(16);
    let o = 24;
    let n = 0;
    let checked = 0;
    while (o + 16 <= f.length) {
      const recordCap = f.readUInt32LE(o + 8);
      const wire = f.readUInt32LE(o + 12);
      // libpcap keeps at most the file's snapshot length of a record that claims more
      const cap = snaplen > 0 && recordCap > snaplen ? snaplen : recordCap;
      const text = want[n++] ?? '';
      const got = printApp(ctx, f, o + 16, cap, wire, domain);
      o += 16 + recordCap;
      if (got === null) continue;
      checked++;
      assert.ok(text.endsWith(got), `packet ${n}:\n  want: ${text}\n  got:  ${got}`);
      // our text must start where tcpdump's application part starts
      const before = text.slice(0, text.length - got.length);
      assert.match(before, /(: |\] |length \d+)$/, `packet ${n}: boundary`);
    }
    assert.equal(n, want.length, 'packet count');
    assert.ok(checked > 0, 'no packet of ours in this capture');
  });
}
