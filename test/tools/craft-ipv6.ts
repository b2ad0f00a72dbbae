// Crafts test/golden/tcpdump/ipv6/pcap/crafted.pcap: IPv6/ICMPv6 packets that real traffic in the
// namespaces does not produce (MLD queries, redirects, node information, router renumbering, RPL,
// mobile IPv6, odd extension headers and options, bad checksums and lengths), so that the goldens
// reach those printer paths. Expected text still comes only from tcpdump (regen-tcpdump-ipv6.ts).
// usage: node --import tsx test/tools/craft-ipv6.ts
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onesSum } from '../../src/wire/checksum.js';
import { parseIpv6 } from '../../src/wire/ipv6.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, '../golden/tcpdump/ipv6/pcap/crafted.pcap');

function h(s: string): number[] {
  return [...Buffer.from(s.replace(/\s+/g, ''), 'hex')];
}
function a6(s: string): number[] {
  const b = parseIpv6(s);
  if (b === null) throw new Error(`bad address ${s}`);
  return [...b];
}
function u16(v: number): number[] {
  return [(v >>> 8) & 255, v & 255];
}
function u32(v: number): number[] {
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
}

const SRC = 'fd00:61::1';
const DST = 'fd00:61::fe';

interface Ip6 {
  src?: string;
  dst?: string;
  hlim?: number;
  flow?: number;
  /** Overrides the payload length field. */
  plen?: number;
}

/** IPv6 header + payload; the ICMPv6/UDP checksum at `ck` (index into the payload) is filled in. */
function ip6(nh: number, payload: number[], o: Ip6 = {}, ck = -1, upper = 58, upperOff = 0): number[] {
  const src = a6(o.src ?? SRC);
  const dst = a6(o.dst ?? DST);
  const p = payload.slice();
  if (ck >= 0) {
    const data = Uint8Array.from(p.slice(upperOff));
    const len = data.length;
    let sum = onesSum(Uint8Array.from([...src, ...dst]), 0, 32);
    sum += (len >>> 16) + (len & 0xffff) + upper;
    sum = onesSum(data, 0, len, sum);
    const c = ~sum & 0xffff;
    p[ck] = c >>> 8;
    p[ck + 1] = c & 255;
  }
  const plen = o.plen ?? p.length;
  return [...u32((6 << 28) | (o.flow ?? 0)), ...u16(plen), nh, o.hlim ?? 64, ...src, ...dst, ...p];
}

/** ICMPv6 message with a correct checksum. */
function icmp6(type: number, code: number, body: number[], o: Ip6 = {}): number[] {
  return ip6(58, [type, code, 0, 0, ...body], o, 2);
}

const MAC_A = h('020000610001');
const MAC_B = h('0200006100fe');

function ether(pkt: number[]): number[] {
  return [...MAC_B, ...MAC_A, 0x86, 0xdd, ...pkt];
}

const quotedUdp = ip6(17, [...u16(40000), ...u16(53), ...u16(8), 0, 0], { src: DST, dst: 'fd00:62::9' });
const quotedTcp = ip6(
  6,
  [...u16(40001), ...u16(443), ...u32(1), ...u32(0), 0x50, 0x02, ...u16(1024), 0, 0, 0, 0],
  {
    src: DST,
    dst: 'fd00:62::9',
  },
);

const packets: number[][] = [
  // Errors: every unreachable code, time exceeded codes, parameter problem codes, unknown codes.
  icmp6(1, 0, [0, 0, 0, 0, ...quotedUdp]),
  icmp6(1, 1, [0, 0, 0, 0, ...quotedUdp]),
  icmp6(1, 2, [0, 0, 0, 0, ...quotedUdp]),
  icmp6(1, 3, [0, 0, 0, 0, ...quotedUdp]),
  icmp6(1, 4, [0, 0, 0, 0, ...quotedTcp]),
  icmp6(1, 5, [0, 0, 0, 0, ...quotedUdp.slice(0, 48)]),
  icmp6(3, 7, [0, 0, 0, 0, ...quotedUdp]),
  icmp6(4, 0, [...u32(6), ...quotedUdp]),
  icmp6(4, 1, [...u32(40), ...quotedUdp]),
  icmp6(4, 2, [...u32(42), ...quotedUdp]),
  icmp6(4, 9, [...u32(1), ...quotedUdp]),
  // Port unreachable quoting a later fragment: the upper layer cannot be found.
  icmp6(1, 4, [0, 0, 0, 0, ...ip6(44, [17, 0, ...u16(1448), ...u32(7), 1, 2, 3, 4], { src: DST })]),
  // Echo with a bad checksum.
  (() => {
    const p = icmp6(128, 0, [...u16(7), ...u16(9), 1, 2, 3, 4]);
    p[42] ^= 0x55;
    return p;
  })(),
  // MLDv1 query, MLDv2 query with sources and exponential codes, v? query of odd length, done.
  icmp6(130, 0, [...u16(10000), 0, 0, ...a6('::')], { dst: 'ff02::1', hlim: 1 }),
  icmp6(
    130,
    0,
    [...u16(0x8123), 0, 0, ...a6('ff05::1:3'), 0x0a, 0x91, ...u16(2), ...a6('fd00::1'), ...a6('fd00::2')],
    {
      dst: 'ff05::1:3',
      hlim: 1,
    },
  ),
  icmp6(130, 0, [...u16(100), 0, 0, ...a6('ff05::1:3'), 0, 0], { dst: 'ff02::1', hlim: 1 }),
  icmp6(130, 0, [...u16(100), 0, 0, ...a6('ff05::1:3'), 0, 0, ...u16(5)], { dst: 'ff02::1', hlim: 1 }),
  icmp6(132, 0, [0, 0, 0, 0, ...a6('ff05::1:3')], { dst: 'ff02::2', hlim: 1 }),
  // MLDv2 report: allow with 2 sources, block, an unknown record type, and a record count too big.
  icmp6(
    143,
    0,
    [
      0,
      0,
      ...u16(3),
      5,
      0,
      ...u16(2),
      ...a6('ff05::1:3'),
      ...a6('fd00::1'),
      ...a6('fd00::2'),
      6,
      0,
      ...u16(0),
      ...a6('ff05::1:4'),
      9,
      0,
      ...u16(0),
      ...a6('ff05::1:5'),
    ],
    { dst: 'ff02::16', hlim: 1 },
  ),
  icmp6(143, 0, [0, 0, ...u16(4), 4, 0, ...u16(0), ...a6('ff05::1:3')], { dst: 'ff02::16', hlim: 1 }),
  icmp6(143, 0, [0, 0, ...u16(1), 1, 0, ...u16(3), ...a6('ff05::1:3'), ...a6('fd00::1')], {
    dst: 'ff02::16',
    hlim: 1,
  }),
  // Neighbor advertisement with all flags and a target link-address option; router flag only.
  icmp6(136, 0, [0xe0, 0, 0, 0, ...a6(DST), 2, 1, ...MAC_B], { src: DST, dst: SRC, hlim: 255 }),
  icmp6(136, 0, [0x80, 0, 0, 0, ...a6(DST)], { src: DST, dst: 'ff02::1', hlim: 255 }),
  // Redirect with target link-address and redirected header options.
  icmp6(
    137,
    0,
    [0, 0, 0, 0, ...a6('fe80::1'), ...a6('fd00:62::9'), 2, 1, ...MAC_B, 4, 6, 0, 0, 0, 0, 0, 0, ...quotedUdp],
    { src: 'fe80::ff:fe61:fe', dst: SRC, hlim: 255 },
  ),
  // RA: every flag, low preference, infinite lifetimes, MTU and prefix options of wrong lengths,
  // home agent information, an unknown option; then an option of length 0.
  icmp6(
    134,
    0,
    [
      255,
      0xfa,
      ...u16(0),
      ...u32(0),
      ...u32(0),
      3,
      4,
      48,
      0xe0,
      ...u32(0xffffffff),
      ...u32(0xffffffff),
      0,
      0,
      0,
      0,
      ...a6('2001:db8::'),
      5,
      2,
      0,
      0,
      ...u32(9000),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      8,
      1,
      0,
      0,
      ...u16(7),
      ...u16(300),
      24,
      1,
      0,
      0x18,
      ...u32(0xffffffff),
      24,
      3,
      128,
      0x10,
      ...u32(60),
      ...a6('2001:db8:1:2:3:4:5:6'),
      99,
      1,
      1,
      2,
      3,
      4,
      5,
      6,
    ],
    { src: 'fe80::1', dst: 'ff02::1', hlim: 255 },
  ),
  icmp6(134, 0, [64, 0, ...u16(60), ...u32(0), ...u32(0), 1, 0, 0, 0, 0, 0, 0, 0], {
    src: 'fe80::1',
    dst: 'ff02::1',
    hlim: 255,
  }),
  // Inverse ND, home agent discovery, mobile prefix solicitation/advertisement.
  icmp6(141, 0, [0, 0, 0, 0, 1, 1, ...MAC_A]),
  icmp6(144, 0, [...u16(0x1234), 0, 0]),
  icmp6(145, 0, [...u16(0x1234), 0, 0, ...a6('fd00::a'), ...a6('fd00::b')]),
  icmp6(146, 0, [...u16(0x4321), 0, 0]),
  icmp6(147, 0, [
    ...u16(0x4321),
    0xc0,
    0,
    3,
    4,
    64,
    0xc0,
    ...u32(100),
    ...u32(50),
    0,
    0,
    0,
    0,
    ...a6('fd00:9::'),
  ]),
  // Node information: NOOP, supported qtypes, DNS name query with a DNS-name subject, node
  // addresses query with an IPv4 subject of the wrong length, replies (refused, DNS name with TTL,
  // supported qtypes, unknown qtype), a KAME who-are-you.
  icmp6(139, 0, [...u16(0), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(139, 0, [...u16(1), ...u16(1), 1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(139, 1, [
    ...u16(2),
    ...u16(0),
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    4,
    0x74,
    0x73,
    0x76,
    0x73,
    4,
    0x74,
    0x65,
    0x73,
    0x74,
    0,
  ]),
  icmp6(139, 1, [...u16(2), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8, 4, 0x74, 0x73, 0x76, 0x73]),
  icmp6(139, 2, [...u16(3), ...u16(0x3e), 1, 2, 3, 4, 5, 6, 7, 8, 192, 0, 2, 1, 9]),
  icmp6(139, 7, [...u16(9), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8, 1, 2]),
  icmp6(140, 1, [...u16(2), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(140, 2, [...u16(2), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8, 9]),
  icmp6(140, 0, [
    ...u16(2),
    ...u16(1),
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    ...u32(3600),
    4,
    0x74,
    0x73,
    0x76,
    0x73,
    4,
    0x74,
    0x65,
    0x73,
    0x74,
    0,
  ]),
  icmp6(140, 0, [...u16(1), ...u16(1), 1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(140, 0, [...u16(0), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8, 0]),
  icmp6(140, 0, [...u16(77), ...u16(0), 1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(139, 0, [0, 0, 0, 0, 1, 2, 3, 4]),
  // Router renumbering: result, sequence number reset, an unknown code, a command with flags.
  icmp6(138, 1, [...u32(5), 0, 0, ...u16(0), ...u32(0), ...u16(3), 1, 64, ...u32(9), ...a6('fd00:1::')]),
  icmp6(138, 255, [...u32(6), 0, 0xf8, ...u16(10), ...u32(0x55)]),
  icmp6(138, 9, [...u32(7), 0, 0, ...u16(0), ...u32(0)]),
  icmp6(138, 0, [
    ...u32(8),
    1,
    0x28,
    ...u16(100),
    ...u32(0),
    7,
    7,
    1,
    32,
    16,
    64,
    0,
    0,
    ...a6('fd00::'),
    48,
    16,
    0xc0,
    0x80,
    ...u32(0xffffffff),
    ...u32(0xffffffff),
    0xc0,
    0,
    0,
    0,
    ...a6('fd01::'),
  ]),
  // RPL: DIS, DIO with options, DAO with a DODAG ID, DAO-ACK, secured, unknown code.
  icmp6(155, 0, [0, 0]),
  icmp6(155, 1, [
    1,
    2,
    ...u16(256),
    0x88 | 1,
    7,
    0,
    0,
    ...a6('fd00::d0d6'),
    0,
    1,
    1,
    0,
    4,
    3,
    1,
    2,
    3,
    ...[0x77, 2, 9, 9],
  ]),
  icmp6(155, 2, [1, 0xc0, 0, 5, ...a6('fd00::d0d6'), 5, 2, 0, 128]),
  icmp6(155, 3, [1, 0x80, 5, 0, ...a6('fd00::d0d6')]),
  icmp6(155, 0x81, [0, 0, 0, 0]),
  icmp6(155, 9, [0, 0]),
  // Unknown type and mtrace.
  icmp6(200, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
  icmp6(250, 3, [1, 2, 3, 4]),
  // Extension headers: destination options with a jumbo option (not hop-by-hop), a home address
  // option with sub-options, router alert of a wrong length, a jumbo of less than 65536.
  ip6(60, [59, 1, 0xc2, 4, ...u32(70000), 0xc9, 0x14, ...a6('fd00::99'), 1, 0, 0]),
  ip6(0, [59, 0, 5, 3, 0, 0, 0, 0]),
  ip6(0, [59, 0, 0xc2, 4, ...u32(1000)], { plen: 0 }),
  ip6(0, [59, 0, 0xc2, 4, ...u32(1000)]),
  // Routing type 2 (mobile IPv6) with a reserved word, and routing type 0 with an odd length.
  ip6(43, [59, 2, 2, 1, ...u32(0xdead), ...a6('fd00::77')]),
  ip6(43, [59, 1, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]),
  // A later fragment, a first fragment of TCP, IPv6 in IPv6, No Next Header, an unknown protocol.
  ip6(44, [6, 0, ...u16(1448 | 1), ...u32(0xabcdef), 1, 2, 3, 4, 5, 6, 7, 8]),
  ip6(44, [58, 0, ...u16(1), ...u32(0x1234), 128, 0, 0, 0, 0, 1, 0, 1]),
  ip6(41, icmp6(128, 0, [0, 1, 0, 1], { src: 'fd00::a', dst: 'fd00::b' })),
  ip6(59, [1, 2, 3, 4]),
  ip6(253, [1, 2, 3, 4]),
  // Mobility headers: BRR, HoTI, HoT, BU with options, BA, BE, an unknown type, too short.
  ip6(135, [59, 0, 0, 0, 0, 0, 0, 0]),
  ip6(135, [59, 1, 1, 0, 0, 0, 0, 0, ...u32(1), ...u32(2)]),
  ip6(135, [59, 2, 3, 0, 0, 0, ...u16(7), ...u32(1), ...u32(2), ...u32(3), ...u32(4)]),
  ip6(135, [
    59,
    3,
    5,
    0,
    0,
    0,
    ...u16(9),
    0xf0,
    0,
    ...u16(100),
    2,
    2,
    ...u16(8),
    4,
    4,
    ...u16(1),
    ...u16(2),
    1,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
  ]),
  ip6(135, [59, 1, 6, 0, 0, 0, 3, 0x80, ...u16(9), ...u16(100)]),
  ip6(135, [59, 2, 7, 0, 0, 0, 1, 0, ...a6('fd00::5')]),
  ip6(135, [59, 0, 42, 0, 0, 0, 0, 0]),
  ip6(135, [59, 0, 5, 0, 0, 0, 0, 0]),
];

const recs: Buffer[] = [];
const hdr = Buffer.alloc(24);
hdr.writeUInt32LE(0xa1b2c3d4, 0);
hdr.writeUInt16LE(2, 4);
hdr.writeUInt16LE(4, 6);
hdr.writeUInt32LE(262144, 16);
hdr.writeUInt32LE(1, 20);
recs.push(hdr);
packets.forEach((p, i) => {
  const frame = Buffer.from(ether(p));
  const r = Buffer.alloc(16);
  r.writeUInt32LE(1700000000 + i, 0);
  r.writeUInt32LE(0, 4);
  r.writeUInt32LE(frame.length, 8);
  r.writeUInt32LE(frame.length, 12);
  recs.push(r, frame);
});
writeFileSync(OUT, Buffer.concat(recs));
console.log(`${packets.length} packets -> ${OUT}`);
