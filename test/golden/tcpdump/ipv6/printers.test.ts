// Golden test of the IPv6-family printers alone: for every row of printers.tsv, each IPv6 packet's
// text from tcpdump 4.99.3 (after its timestamp) must be exactly what ip6Print prints for the
// Ethernet or Linux cooked payload (or the DLT_RAW packet). cases.tsv holds the rows whole-line
// tsdump matches, for the tsdump golden runner.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultPrintOptions, isTruncated, PrintContext } from '../../../../src/print/context.js';
import { ip6Print } from '../../../../src/print/ip6.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKET_START = /^\d\d:\d\d:\d\d\.\d{6} /;

/** Splits tcpdump's output into one text per packet (continuation lines do not start with a time). */
function packets(out: string): string[] {
  const list: string[] = [];
  for (const line of out.split('\n')) {
    if (PACKET_START.test(line)) list.push(line.slice(16));
    else if (list.length > 0 && line !== '') list[list.length - 1] += `\n${line}`;
  }
  return list;
}

interface Rec {
  start: number;
  caplen: number;
  wirelen: number;
}

function records(f: Buffer): { linktype: number; list: Rec[] } {
  const magic = f.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (i: number): number => (le ? f.readUInt32LE(i) : f.readUInt32BE(i));
  const linktype = u32(20) & 0xffff;
  assert.ok(linktype === 1 || linktype === 101 || linktype === 113, 'Ethernet, raw IP or Linux cooked v1');
  const list: Rec[] = [];
  for (let p = 24; p + 16 <= f.length; ) {
    const caplen = u32(p + 8);
    list.push({ start: p + 16, caplen, wirelen: u32(p + 12) });
    p += 16 + caplen;
  }
  return { linktype, list };
}

/** The IPv6 packet's text, or null when the frame is not IPv6 (printed by other printers). */
function printFrame(ctx: PrintContext, f: Uint8Array, r: Rec, linktype: number): string | null {
  ctx.reset(f, r.start, r.caplen, r.wirelen, linktype);
  let off = r.start;
  let len = r.wirelen;
  if (linktype === 1 || linktype === 113) {
    // The protocol field ends the 14-byte Ethernet and the 16-byte cooked header.
    const hl = linktype === 1 ? 14 : 16;
    if (r.caplen < hl || ((f[r.start + hl - 2]! << 8) | f[r.start + hl - 1]!) !== 0x86dd) return null;
    off += hl;
    len -= hl;
  } else if (r.caplen < 1 || f[r.start]! >> 4 !== 6) return null;
  try {
    ip6Print(ctx, off, len);
  } catch (e) {
    if (!isTruncated(e)) throw e;
    ctx.s += ` [|${ctx.protocol}]`;
  }
  return ctx.s;
}

const rows = readFileSync(join(HERE, 'printers.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l !== '')
  .map((l) => l.split('\t') as [string, string, string, string]);

for (const [name, pcap, options, expected] of rows) {
  test(`ipv6 printers: ${name} (${options})`, () => {
    const o = defaultPrintOptions();
    for (const a of options.split(' ')) {
      if (a === '-n') o.nflag = 1;
      else if (a === '-nn') o.nflag = 2;
      else if (/^-v+$/.test(a)) o.vflag = a.length - 1;
      else if (a === '-q') o.qflag = 1;
      else throw new Error(`printers.tsv: option ${a} is not a printer option`);
    }
    const ctx = new PrintContext(o);
    const f = readFileSync(join(HERE, pcap));
    const want = packets(readFileSync(join(HERE, expected), 'latin1'));
    const { linktype, list } = records(f);
    assert.equal(list.length, want.length, 'packet count');
    for (let i = 0; i < list.length; i++) {
      const got = printFrame(ctx, f, list[i]!, linktype);
      if (got !== null) assert.equal(got, want[i], `packet ${i + 1}`);
    }
  });
}
