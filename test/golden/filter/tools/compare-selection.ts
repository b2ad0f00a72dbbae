// Packet selection against tcpdump, expression by expression: for every expression errors.tsv says
// tcpdump 4.99.3 compiles, run tcpdump's own program (`tcpdump -ddd -r EMPTY`) and ours through the
// reference interpreter over the same packets: the test captures, the same packets moved to each
// link type, and seeded mutations of their first bytes (edge cases real captures rarely hold).
// Listings may differ (libpcap HEAD's code, constant folding); what must not differ is the verdict.
//   node --import tsx test/golden/filter/tools/compare-selection.ts [--etc DIR] [--mutations N] [PCAP...]
// Needs tcpdump. Prints each expression whose verdicts differ, with a packet that shows it, then
// "N expressions, M differ"; exits 1 when some differ.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BpfInsn, FileResolver, interpret } from '../../../../src/filter/index.js';
import { readSavefile } from '../../../../src/filter/tools/savefile.js';
import { linktypeByName } from '../../../../src/pcap/linktype.js';
import { compileAsTcpdumpR } from '../as-tcpdump-r.js';

const dir = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
let etc = '/etc';
let mutations = 4;
const extra: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--etc') etc = args[++i]!;
  else if (args[i] === '--mutations') mutations = Number(args[++i]);
  else extra.push(args[i]!);
}

interface Pkt {
  bytes: Uint8Array;
  len: number;
}

/** The network-layer packets (IPv4, IPv6, ARP) of a capture, with their ethertype. */
function networkPackets(path: string): { type: number; bytes: Uint8Array; len: number }[] {
  const sf = readSavefile(path);
  const out: { type: number; bytes: Uint8Array; len: number }[] = [];
  for (const p of sf.packets) {
    const b = sf.data.subarray(p.off, p.off + p.caplen);
    if (p.linktype === 1 && b.length >= 14) {
      out.push({ type: (b[12]! << 8) | b[13]!, bytes: b.slice(14), len: p.len - 14 });
    } else if ((p.linktype === 101 || p.linktype === 228 || p.linktype === 229) && b.length > 0) {
      const v = b[0]! >> 4;
      out.push({ type: v === 6 ? 0x86dd : 0x0800, bytes: b.slice(), len: p.len });
    }
  }
  return out;
}

/** The same network packet framed for a link type (SLL/SLL2 as an incoming unicast packet). */
function frame(lt: string, type: number, net: Uint8Array, i: number): Uint8Array | null {
  const isIp = type === 0x0800 || type === 0x86dd;
  switch (lt) {
    case 'EN10MB': {
      const h = new Uint8Array(14);
      h.set([0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 + (i & 1)]);
      h[12] = type >> 8;
      h[13] = type & 0xff;
      return cat(h, net);
    }
    case 'LINUX_SLL': {
      const h = new Uint8Array(16);
      h[1] = i % 5; // packet type: host, broadcast, multicast, other host, outgoing
      h[3] = 1;
      h[5] = 6;
      h[14] = type >> 8;
      h[15] = type & 0xff;
      return cat(h, net);
    }
    case 'LINUX_SLL2': {
      const h = new Uint8Array(20);
      h[0] = type >> 8;
      h[1] = type & 0xff;
      h[7] = 1 + (i % 3); // interface index
      h[9] = 1;
      h[10] = i % 5;
      h[11] = 6;
      return cat(h, net);
    }
    case 'NULL':
    case 'LOOP': {
      if (!isIp) return null;
      const af = type === 0x0800 ? 2 : [24, 28, 30][i % 3]!;
      const h = new Uint8Array(4);
      if (lt === 'LOOP') h[3] = af;
      else h[0] = af; // NULL: host byte order (little-endian here)
      return cat(h, net);
    }
    case 'RAW':
      return isIp ? net : null;
    case 'IPV4':
      return type === 0x0800 ? net : null;
    case 'IPV6':
      return type === 0x86dd ? net : null;
  }
  return null;
}

function cat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const o = new Uint8Array(a.length + b.length);
  o.set(a);
  o.set(b, a.length);
  return o;
}

/** A small seeded PRNG (xorshift32) so runs repeat. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

const captures = [
  ...readdirSync(dir)
    .filter((f) => f.endsWith('.pcap'))
    .map((f) => join(dir, f)),
  ...extra,
];
const net = captures.flatMap(networkPackets);

const LINKTYPES = ['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'NULL', 'LOOP', 'RAW', 'IPV4', 'IPV6'];
const packetsFor = new Map<string, Pkt[]>();
for (const lt of LINKTYPES) {
  const rand = rng(7);
  const list: Pkt[] = [];
  net.forEach((p, i) => {
    const f = frame(lt, p.type, p.bytes, i);
    if (f === null) return;
    const hdr = f.length - p.bytes.length;
    list.push({ bytes: f, len: p.len + hdr });
    for (let m = 0; m < mutations; m++) {
      const g = f.slice();
      // Change one or two bytes among the first 80 (headers) to a random or an edge value.
      const edges = [0, 0xff, 0xe0, 0xef, 0xf0, 0x80, 0x7f, 0x01];
      for (let k = 0; k < 1 + (m & 1); k++) {
        const at = rand() % Math.min(g.length, 80);
        g[at] = rand() & 1 ? rand() & 0xff : edges[rand() % edges.length]!;
      }
      list.push({ bytes: g, len: p.len + hdr });
    }
  });
  packetsFor.set(lt, list);
}

const tmp = mkdtempSync(join(tmpdir(), 'compare-selection-'));
const empty = new Map<string, string>();
for (const lt of LINKTYPES) {
  const h = new DataView(new ArrayBuffer(24));
  h.setUint32(0, 0xa1b2c3d4, true);
  h.setUint16(4, 2, true);
  h.setUint16(6, 4, true);
  h.setUint32(16, 262144, true);
  h.setUint32(20, linktypeByName(lt)!, true);
  const p = join(tmp, `${lt}.pcap`);
  writeFileSync(p, new Uint8Array(h.buffer));
  empty.set(lt, p);
}

const resolver = new FileResolver(etc);
const rows = readFileSync(join(dir, 'errors.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => l.split('\t') as [string, string, string])
  .filter(([, , want]) => want === 'ok');

let differ = 0;
let compared = 0;
try {
  for (const [lt, expr] of rows) {
    const r = spawnSync('tcpdump', ['-ddd', '-r', empty.get(lt)!, expr], { encoding: 'utf8' });
    if (r.status !== 0) continue; // a name this machine does not resolve
    const theirs: BpfInsn[] = r.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const [code, jt, jf, k] = l.split(' ').map(Number) as [number, number, number, number];
        return { code, jt, jf, k };
      });
    let ours: BpfInsn[];
    try {
      ours = compileAsTcpdumpR(expr, lt, resolver);
    } catch (e) {
      differ++;
      console.log(`${lt}\t${JSON.stringify(expr)}: tcpdump compiles it, we refuse: ${(e as Error).message}`);
      continue;
    }
    compared++;
    for (const p of packetsFor.get(lt)!) {
      const a = interpret(theirs, p.bytes, 0, p.bytes.length, p.len);
      const b = interpret(ours, p.bytes, 0, p.bytes.length, p.len);
      if (a !== b) {
        differ++;
        const hex = Buffer.from(p.bytes.subarray(0, 64)).toString('hex');
        console.log(`${lt}\t${JSON.stringify(expr)}: tcpdump ${a}, ours ${b} on ${hex}`);
        break;
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(
  `${compared} expressions compared over ${net.length} packets x ${1 + mutations} per link type, ${differ} differ`,
);
process.exitCode = differ > 0 ? 1 : 0;
