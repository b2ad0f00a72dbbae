// Crafts test/golden/tcpdump/ipv6/pcap/fuzz.pcap: 600 malformed IPv6 packets from a seeded
// generator (random extension header chains with random lengths and options, random ICMPv6 types,
// codes and bodies, wrong payload lengths, cut captures), so that the goldens pin tcpdump 4.99.3's
// behaviour on bad input. Expected text still comes only from tcpdump (regen-tcpdump-ipv6.ts).
// usage: node --import tsx test/tools/craft-ipv6-fuzz.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '../golden/tcpdump/ipv6/pcap/fuzz.pcap');
const COUNT = 600;

/** xorshift32: the same bytes on every run. */
let state = 0x6d2b79f5;
function rnd(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 4294967296;
}
function int(lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}
function pick<T>(a: readonly T[]): T {
  return a[Math.floor(rnd() * a.length)]!;
}
function bytes(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(int(0, 255));
  return out;
}

/** Next-header values whose printers this generator exercises. */
const NEXT = [0, 43, 44, 60, 135, 41, 58, 58, 58, 59, 6, 17] as const;
const EXT = new Set([0, 43, 44, 60, 135]);
const ICMP6_TYPES = [
  1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 143, 144, 145, 146, 147,
  155, 200, 201,
];
const ND_OPTS = [1, 2, 3, 4, 5, 7, 8, 14, 24, 25, 31, 38];
const ADDRS = [
  [0xfd, 0, 0, 0x61, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  [0xfd, 0, 0, 0x62, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xfe, 0x61, 0, 1],
  [0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
];

function extHeader(kind: number, next: number): number[] {
  if (kind === 44) {
    const off = pick([0, 0, 0, 1448, int(0, 65535)]);
    return [next, 0, off >> 8, off & 255, ...bytes(4)];
  }
  const len = pick([0, 0, 1, 2, 3, int(0, 40)]);
  if (kind === 43) return [next, len, pick([0, 2, 4, int(0, 255)]), int(0, 3), ...bytes(len * 8 + 4)];
  const opt = pick([0, 1, 5, 0xc2, 0xc9, 0x1e, int(0, 255)]);
  return [next, len, opt, pick([0, 1, 2, 3, 4, int(0, 20)]), ...bytes(len * 8 + 2)];
}

function ndOptions(): number[] {
  const out: number[] = [];
  for (let k = int(0, 3); k > 0; k--) {
    const len = pick([0, 1, 1, 2, 3, 4]);
    out.push(pick(ND_OPTS), len, ...bytes(Math.max(0, len * 8 - 2)));
  }
  return out;
}

function packet(): number[] {
  const first = pick(NEXT);
  let nh: number = first;
  const body: number[] = [];
  for (let k = int(0, 3); k > 0 && EXT.has(nh); k--) {
    const next = pick(NEXT);
    body.push(...extHeader(nh, next));
    nh = next;
  }
  if (nh === 58) {
    const type = pick(ICMP6_TYPES);
    const code = pick([0, 1, 2, 3, 4, 5, 0x80, 255]);
    body.push(type, code, int(0, 255), int(0, 255), ...bytes(int(0, 28)));
    if (type >= 133 && type <= 137) body.push(...bytes(type === 137 ? 32 : 16), ...ndOptions());
  } else body.push(...bytes(int(0, 40)));
  const plen = rnd() < 0.85 ? body.length : pick([0, int(0, 200)]);
  const flow = rnd() < 0.3 ? int(0, 0xfffffff) : 0;
  const w = ((6 << 28) | flow) >>> 0;
  return [
    w >>> 24,
    (w >>> 16) & 255,
    (w >>> 8) & 255,
    w & 255,
    plen >> 8,
    plen & 255,
    first,
    pick([1, 64, 255]),
    ...pick(ADDRS),
    ...pick(ADDRS),
    ...body,
  ];
}

const parts: Buffer[] = [];
const hdr = Buffer.alloc(24);
hdr.writeUInt32LE(0xa1b2c3d4, 0);
hdr.writeUInt16LE(2, 4);
hdr.writeUInt16LE(4, 6);
hdr.writeUInt32LE(262144, 16);
hdr.writeUInt32LE(1, 20);
parts.push(hdr);
const ETHER = [2, 0, 0, 0x61, 0, 0xfe, 2, 0, 0, 0x61, 0, 1, 0x86, 0xdd];
for (let i = 0; i < COUNT; i++) {
  const frame = Buffer.from([...ETHER, ...packet()]);
  const caplen = rnd() < 0.7 ? frame.length : int(54, frame.length);
  const r = Buffer.alloc(16);
  r.writeUInt32LE(1700000000, 0);
  r.writeUInt32LE(i, 4);
  r.writeUInt32LE(caplen, 8);
  r.writeUInt32LE(frame.length, 12);
  parts.push(r, frame.subarray(0, caplen));
}
writeFileSync(OUT, Buffer.concat(parts));
console.log(`${COUNT} packets -> ${OUT}`);
