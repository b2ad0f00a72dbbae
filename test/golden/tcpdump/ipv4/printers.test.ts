// Golden test of the IPv4-family printers alone: for every row of printers.tsv, each packet's text
// from tcpdump 4.99.3 (after its timestamp) must be exactly what ipPrint/arpPrint print for the
// Ethernet payload. (cases.tsv holds the rows whole-line tsdump matches, for the tsdump golden runner.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { arpPrint } from '../../../../src/print/arp.js';
import { defaultPrintOptions, isTruncated, PrintContext } from '../../../../src/print/context.js';
import { ipPrint } from '../../../../src/print/ip.js';

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

interface Record {
  start: number;
  caplen: number;
  wirelen: number;
}

function records(f: Buffer): Record[] {
  const magic = f.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (i: number): number => (le ? f.readUInt32LE(i) : f.readUInt32BE(i));
  assert.equal(u32(20) & 0xffff, 1, 'Ethernet captures only');
  const list: Record[] = [];
  for (let p = 24; p + 16 <= f.length; ) {
    const caplen = u32(p + 8);
    list.push({ start: p + 16, caplen, wirelen: u32(p + 12) });
    p += 16 + caplen;
  }
  return list;
}

function printFrame(ctx: PrintContext, f: Uint8Array, r: Record): string {
  ctx.reset(f, r.start, r.caplen, r.wirelen, 1);
  const et = (f[r.start + 12]! << 8) | f[r.start + 13]!;
  try {
    if (et === 0x0800) ipPrint(ctx, r.start + 14, r.wirelen - 14);
    else if (et === 0x0806 || et === 0x8035) arpPrint(ctx, r.start + 14, r.wirelen - 14);
    else return `(ethertype 0x${et.toString(16)} not printed here)`;
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
  test(`ipv4 printers: ${name} (${options})`, () => {
    const o = defaultPrintOptions();
    for (const a of options.split(' ')) {
      if (a === '-n') o.nflag = 1;
      else if (a === '-nn') o.nflag = 2;
      else if (/^-v+$/.test(a)) o.vflag = a.length - 1;
      else if (a === '-S') o.Sflag = 1;
      else if (a === '-q') o.qflag = 1;
      else throw new Error(`printers.tsv: option ${a} is not a printer option`);
    }
    const ctx = new PrintContext(o);
    const f = readFileSync(join(HERE, pcap));
    const want = packets(readFileSync(join(HERE, expected), 'latin1'));
    const recs = records(f);
    assert.equal(recs.length, want.length, 'packet count');
    for (let i = 0; i < recs.length; i++) {
      if (want[i]!.startsWith('IP6 ')) continue; // IPv6 link traffic: not these printers
      assert.equal(printFrame(ctx, f, recs[i]!), want[i], `packet ${i + 1}`);
    }
  });
}
