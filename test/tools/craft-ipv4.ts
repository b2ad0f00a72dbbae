// Crafts the IPv4-family golden captures that real traffic here cannot make (this kernel has no
// ipip/gre devices; rare options and ICMP types): IP-in-IP, 6in4, GRE v0 (key, seq, checksum) and
// v1 (PPTP), IP options, ESP/AH, IGMPv1/v2, ICMP redirect/param-problem/timestamp/mask/router
// advertisement/need-frag, TCP options (SACK, MD5, UTO, TCP-AO, MPTCP, TFO, echo, CC, unknown),
// urgent data, ECN, HTTP/FTP/SMTP/SSH text and a truncated capture. Written with our own wire
// emitters into Ethernet pcaps.
// usage: node --import tsx test/tools/craft-ipv4.ts [OUTDIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { internetChecksum } from '../../src/wire/checksum.js';
import { emitGre } from '../../src/wire/gre.js';
import { emitIcmpEcho, emitIcmpError } from '../../src/wire/icmp.js';
import { emitIpipOuter, IPPROTO_IPIP, IPPROTO_IPV6 } from '../../src/wire/ipip.js';
import { emitIpv4, IPV4_FLAG_DF, Ipv4View, parseIpv4 } from '../../src/wire/ipv4.js';
import { emitTcp, TcpFlag, TcpView } from '../../src/wire/tcp.js';
import { emitSackOption, emitSynOptions, emitTimestampOption } from '../../src/wire/tcp-options.js';
import { emitUdp, UdpView } from '../../src/wire/udp.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = process.argv[2] ?? join(HERE, '../golden/tcpdump/ipv4/pcap');

const MAC_A = Uint8Array.of(0x02, 0, 0x0a, 0xf4, 1, 1);
const MAC_B = Uint8Array.of(0x02, 0, 0x0a, 0xf4, 1, 0xfe);
const A = parseIpv4('10.244.1.1');
const B = parseIpv4('10.244.2.1');
const R = parseIpv4('10.244.1.254');

interface Frame {
  data: Uint8Array;
  /** Captured length (defaults to all). */
  caplen?: number;
}

let clock = 1700000000;
function pcap(frames: Frame[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const gh = new Uint8Array(24);
  const dv = new DataView(gh.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true);
  dv.setUint32(20, 1, true);
  parts.push(gh);
  let usec = 0;
  for (const f of frames) {
    const cap = f.caplen ?? f.data.length;
    const h = new Uint8Array(16);
    const d = new DataView(h.buffer);
    usec += 1234;
    d.setUint32(0, clock + Math.floor(usec / 1e6), true);
    d.setUint32(4, usec % 1e6, true);
    d.setUint32(8, cap, true);
    d.setUint32(12, f.data.length, true);
    parts.push(h, f.data.subarray(0, cap));
  }
  clock += 3600;
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Ethernet + IPv4 header around `payload` (protocol `proto`); returns the frame. */
function ipFrame(
  src: number,
  dst: number,
  proto: number,
  payload: Uint8Array,
  opts: {
    tos?: number;
    ttl?: number;
    id?: number;
    frag?: number;
    options?: Uint8Array;
    ethertype?: number;
  } = {},
): Uint8Array {
  const optLen = opts.options ? (opts.options.length + 3) & ~3 : 0;
  const hl = 20 + optLen;
  const f = new Uint8Array(14 + hl + payload.length);
  f.set(MAC_B, 0);
  f.set(MAC_A, 6);
  const et = opts.ethertype ?? 0x0800;
  f[12] = et >> 8;
  f[13] = et & 0xff;
  emitIpv4(
    {
      tos: opts.tos ?? 0,
      totalLength: hl + payload.length,
      identification: opts.id ?? 4242,
      flagsFragment: opts.frag ?? IPV4_FLAG_DF,
      ttl: opts.ttl ?? 64,
      protocol: proto,
      srcAddr: src,
      dstAddr: dst,
      options: opts.options ?? null,
    },
    f,
    14,
  );
  f.set(payload, 14 + hl);
  fixL4Checksum(f, 14);
  return f;
}

/** Fills the TCP/UDP checksum of the IPv4 packet at off (when it is TCP or UDP). */
function fixL4Checksum(f: Uint8Array, off: number): void {
  const ip = new Ipv4View().wrap(f, off, f.length - off);
  const p = ip.protocol;
  const len = ip.payloadLength;
  if (ip.fragmentOffset !== 0) return;
  if (p === 6 && len >= 20)
    new TcpView().wrap(f, ip.payloadOffset, len).fillChecksumIpv4(ip.srcAddr, ip.dstAddr, len);
  if (p === 17 && len >= 8)
    new UdpView().wrap(f, ip.payloadOffset, len).fillChecksumIpv4(ip.srcAddr, ip.dstAddr);
}

/** A bare IPv4 packet (no Ethernet) for encapsulation. */
function ipPacket(src: number, dst: number, proto: number, payload: Uint8Array, ttl = 64): Uint8Array {
  const p = new Uint8Array(20 + payload.length);
  emitIpv4(
    {
      tos: 0,
      totalLength: p.length,
      identification: 77,
      flagsFragment: IPV4_FLAG_DF,
      ttl,
      protocol: proto,
      srcAddr: src,
      dstAddr: dst,
      options: null,
    },
    p,
    0,
  );
  p.set(payload, 20);
  fixL4Checksum(p, 0);
  return p;
}

function tcp(
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  options: Uint8Array | null = null,
  data: Uint8Array = new Uint8Array(0),
  urg = 0,
  win = 502,
): Uint8Array {
  const optLen = options ? (options.length + 3) & ~3 : 0;
  const s = new Uint8Array(20 + optLen + data.length);
  emitTcp(
    {
      srcPort: sport,
      dstPort: dport,
      seqNumber: seq,
      ackNumber: ack,
      flags,
      window: win,
      urgentPointer: urg,
      options,
    },
    s,
    0,
  );
  s.set(data, 20 + optLen);
  return s;
}

function udp(sport: number, dport: number, data: Uint8Array): Uint8Array {
  const u = new Uint8Array(8 + data.length);
  emitUdp({ srcPort: sport, dstPort: dport, payloadLength: data.length }, u, 0);
  u.set(data, 8);
  return u;
}

function echo(id: number, seq: number, reply = false, n = 56): Uint8Array {
  const m = new Uint8Array(8 + n);
  for (let i = 0; i < n; i++) m[8 + i] = i & 0xff;
  emitIcmpEcho(m, 0, reply, id, seq, m.length);
  return m;
}

function text(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

function concat(...a: Uint8Array[]): Uint8Array {
  const n = a.reduce((x, y) => x + y.length, 0);
  const o = new Uint8Array(n);
  let p = 0;
  for (const x of a) {
    o.set(x, p);
    p += x.length;
  }
  return o;
}

/** A minimal IPv6 packet with an ICMPv6 echo request (for 6in4). */
function ip6Echo(): Uint8Array {
  const p = new Uint8Array(40 + 16);
  p[0] = 0x60;
  p[5] = 16;
  p[6] = 58;
  p[7] = 64;
  p.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 8);
  p.set([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], 24);
  p[40] = 128;
  p[44] = 0;
  p[45] = 5;
  p[47] = 1;
  // ICMPv6 checksum over the pseudo-header.
  let sum = 0;
  for (let i = 8; i < 40; i += 2) sum += (p[i]! << 8) | p[i + 1]!;
  sum += 16 + 58;
  const c = internetChecksum(p, 40, 16, sum);
  p[42] = c >> 8;
  p[43] = c & 0xff;
  return p;
}

function ethernetOf(payload: Uint8Array, ethertype: number): Uint8Array {
  const f = new Uint8Array(14 + payload.length);
  f.set(MAC_B, 0);
  f.set(MAC_A, 6);
  f[12] = ethertype >> 8;
  f[13] = ethertype & 0xff;
  f.set(payload, 14);
  return f;
}

// --- tunnels -------------------------------------------------------------------------------
function tunnels(): Frame[] {
  const frames: Frame[] = [];
  const innerA = parseIpv4('10.245.0.1');
  const innerB = parseIpv4('10.245.0.2');
  // IP-in-IP: ICMP echo and a TCP SYN inside (LVS TUN style).
  for (const inner of [
    ipPacket(innerA, innerB, 1, echo(7, 1)),
    ipPacket(innerA, innerB, 6, tcp(40000, 80, 1000, 0, TcpFlag.SYN, synOpts())),
  ]) {
    const p = new Uint8Array(20 + inner.length);
    p.set(inner, 20);
    emitIpipOuter(
      { src: A, dst: B, ttl: 64, identification: 1, dontFragment: true, tos: 0, protocol: IPPROTO_IPIP },
      inner.length,
      p,
      0,
    );
    frames.push({ data: ethernetOf(p, 0x0800) });
  }
  // 6in4.
  {
    const inner = ip6Echo();
    const p = new Uint8Array(20 + inner.length);
    p.set(inner, 20);
    emitIpipOuter(
      { src: A, dst: B, ttl: 64, identification: 2, dontFragment: false, tos: 0, protocol: IPPROTO_IPV6 },
      inner.length,
      p,
      0,
    );
    frames.push({ data: ethernetOf(p, 0x0800) });
  }
  // GRE v0: plain, key, key + seq + checksum, an unknown payload type, IPv6 payload.
  const greOf = (key: number, seq: number, csum: boolean, proto: number, inner: Uint8Array): Uint8Array => {
    const hl = 4 + (csum ? 4 : 0) + (key >= 0 ? 4 : 0) + (seq >= 0 ? 4 : 0);
    const g = new Uint8Array(hl + inner.length);
    g.set(inner, hl);
    emitGre({ protocolType: proto, key, sequence: seq, checksum: csum, payloadLength: inner.length }, g, 0);
    return ipFrame(A, B, 47, g);
  };
  const inner = ipPacket(parseIpv4('10.245.1.1'), parseIpv4('10.245.1.2'), 1, echo(9, 1));
  frames.push({ data: greOf(-1, -1, false, 0x0800, inner) });
  frames.push({ data: greOf(42, -1, false, 0x0800, inner) });
  frames.push({ data: greOf(42, 5, true, 0x0800, inner) });
  frames.push({ data: greOf(-1, -1, false, 0x6559, text('opaque')) });
  // Transparent Ethernet bridging (gretap) and VXLAN: an Ethernet frame inside.
  const innerFrame = ethernetOf(inner, 0x0800);
  frames.push({ data: greOf(7, -1, false, 0x6558, innerFrame) });
  {
    const vx = concat(Uint8Array.of(0x08, 0, 0, 0, 0, 0x10, 0x01, 0), innerFrame);
    frames.push({ data: ipFrame(A, B, 17, udp(54321, 4789, vx)) });
    const vbad = concat(Uint8Array.of(0x00, 0, 0, 0, 0, 0, 0x2a, 0), innerFrame.subarray(0, 20));
    frames.push({ data: ipFrame(A, B, 17, udp(54322, 4789, vbad)) });
  }
  frames.push({ data: greOf(-1, 1, false, 0x86dd, ip6Echo()) });
  // GRE v1 (PPTP): PPP/IP with sequence and ack, and an ack-only packet.
  {
    const ppp = concat(Uint8Array.of(0xff, 0x03, 0x00, 0x21), inner);
    const g = new Uint8Array(16 + ppp.length);
    const fl = 0x2000 | 0x1000 | 0x0080 | 1;
    g.set(
      [
        fl >> 8,
        fl & 0xff,
        0x88,
        0x0b,
        ppp.length >> 8,
        ppp.length & 0xff,
        0x00,
        0x07,
        0,
        0,
        0,
        3,
        0,
        0,
        0,
        2,
      ],
      0,
    );
    g.set(ppp, 16);
    frames.push({ data: ipFrame(A, B, 47, g) });
    // PPP without address/control and with a 1-byte protocol (ACFC + PFC), IPv6, compressed, unknown.
    for (const ppp2 of [
      concat(Uint8Array.of(0x21), inner),
      concat(Uint8Array.of(0xff, 0x03, 0x00, 0x57), ip6Echo()),
      Uint8Array.of(0xff, 0x03, 0x00, 0xfd, 1, 2, 3, 4),
      Uint8Array.of(0xff, 0x03, 0x12, 0x34, 9, 9),
    ]) {
      const h = new Uint8Array(12 + ppp2.length);
      const f2 = 0x2000 | 0x1000 | 1;
      h.set(
        [f2 >> 8, f2 & 0xff, 0x88, 0x0b, ppp2.length >> 8, ppp2.length & 0xff, 0x00, 0x07, 0, 0, 0, 4],
        0,
      );
      h.set(ppp2, 12);
      frames.push({ data: ipFrame(A, B, 47, h) });
    }
    const fl2 = 0x2000 | 0x0080 | 1;
    frames.push({
      data: ipFrame(B, A, 47, Uint8Array.of(fl2 >> 8, fl2 & 0xff, 0x88, 0x0b, 0, 0, 0, 9, 0, 0, 0, 3)),
    });
  }
  return frames;
}

function synOpts(): Uint8Array {
  const o = new Uint8Array(20);
  emitSynOptions(o, 0, 1460, 12345, 0, 7);
  return o;
}

// --- IP options, fragments, ECN, odd protocols ------------------------------------------------
function ipMisc(): Frame[] {
  const frames: Frame[] = [];
  const e = echo(1, 1);
  // Record route (3 slots, one filled), LSRR, timestamp (TS only and TS+ADDR), router alert.
  const rr = Uint8Array.of(7, 15, 8, 10, 244, 1, 254, 0, 0, 0, 0, 0, 0, 0, 0);
  const lsrr = Uint8Array.of(131, 11, 4, 10, 244, 1, 254, 10, 244, 2, 1);
  const tsonly = Uint8Array.of(68, 12, 9, 0, 0, 0, 0, 100, 0, 0, 0, 0);
  const tsaddr = Uint8Array.of(68, 20, 13, 1, 10, 244, 1, 254, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0);
  const ra = Uint8Array.of(148, 4, 0, 0);
  for (const o of [rr, lsrr, tsonly, tsaddr, ra, concat(Uint8Array.of(1), ra, Uint8Array.of(0))]) {
    frames.push({ data: ipFrame(A, B, 1, e, { options: o }) });
  }
  // TCP over an LSRR route: the checksum uses the final destination.
  frames.push({ data: ipFrame(A, R, 6, tcp(1111, 2222, 1, 0, TcpFlag.SYN), { options: lsrr }) });
  // ECN code points, TOS, TTL 0, a bad header checksum.
  frames.push({ data: ipFrame(A, B, 1, e, { tos: 0x01 }) });
  frames.push({ data: ipFrame(A, B, 1, e, { tos: 0xb8 | 2 }) });
  frames.push({ data: ipFrame(A, B, 1, e, { tos: 0x03, ttl: 0 }) });
  {
    const f = ipFrame(A, B, 1, e);
    f[14 + 10] ^= 0x55;
    frames.push({ data: f });
  }
  // Fragments: first (MF), middle, last; reserved flag.
  const big = new Uint8Array(64);
  frames.push({ data: ipFrame(A, B, 17, udp(5000, 6000, big).subarray(0, 24), { frag: 0x2000, id: 99 }) });
  frames.push({ data: ipFrame(A, B, 17, big.subarray(0, 24), { frag: 0x2000 | 3, id: 99 }) });
  frames.push({ data: ipFrame(A, B, 17, big.subarray(0, 24), { frag: 6, id: 99 }) });
  frames.push({ data: ipFrame(A, B, 6, tcp(1, 2, 3, 4, TcpFlag.ACK), { frag: 0x8000 | 0x4000 }) });
  // ESP, AH + ICMP, IPComp, unknown protocols, protocol 255, TCP in AH (ports only).
  frames.push({
    data: ipFrame(A, B, 50, Uint8Array.of(0, 0, 0x12, 0x34, 0, 0, 0, 1, 9, 9, 9, 9, 9, 9, 9, 9)),
  });
  {
    const ah = concat(Uint8Array.of(1, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 2), new Uint8Array(12), e);
    frames.push({ data: ipFrame(A, B, 51, ah) });
    const ah2 = concat(
      Uint8Array.of(6, 4, 0, 0, 0, 0, 0x10, 0x01, 0, 0, 0, 3),
      new Uint8Array(12),
      tcp(8080, 80, 5, 0, TcpFlag.SYN),
    );
    frames.push({ data: ipFrame(A, B, 51, ah2) });
  }
  frames.push({ data: ipFrame(A, B, 108, Uint8Array.of(4, 0, 0x01, 0x02, 5, 5, 5, 5)) });
  frames.push({ data: ipFrame(A, B, 253, text('experiment')) });
  frames.push({ data: ipFrame(A, B, 59, text('x')) });
  frames.push({ data: ipFrame(A, B, 58, text('icmp6-in-v4')) });
  // IGMP v1/v2 reports, v2 query, leave, v3 query with sources, a bad checksum.
  const igmp = (b: number[]): Uint8Array => {
    const m = Uint8Array.from(b);
    const c = internetChecksum(m, 0, m.length);
    m[2] = c >> 8;
    m[3] = c & 0xff;
    return m;
  };
  const ga = [239, 1, 2, 3];
  frames.push({ data: ipFrame(A, parseIpv4('239.1.2.3'), 2, igmp([0x12, 0, 0, 0, ...ga]), { ttl: 1 }) });
  frames.push({
    data: ipFrame(A, parseIpv4('239.1.2.3'), 2, igmp([0x16, 0, 0, 0, ...ga]), { ttl: 1, options: ra }),
  });
  frames.push({
    data: ipFrame(R, parseIpv4('224.0.0.1'), 2, igmp([0x11, 100, 0, 0, 0, 0, 0, 0]), { ttl: 1 }),
  });
  frames.push({ data: ipFrame(R, parseIpv4('224.0.0.1'), 2, igmp([0x11, 50, 0, 0, ...ga]), { ttl: 1 }) });
  frames.push({ data: ipFrame(A, parseIpv4('224.0.0.2'), 2, igmp([0x17, 0, 0, 0, ...ga]), { ttl: 1 }) });
  frames.push({
    data: ipFrame(
      R,
      parseIpv4('224.0.0.1'),
      2,
      igmp([0x11, 0x8a, 0, 0, ...ga, 2, 10, 0, 2, 10, 0, 0, 1, 10, 0, 0, 2]),
      { ttl: 1 },
    ),
  });
  {
    const m = igmp([0x22, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 1, ...ga, 10, 0, 0, 1, 3, 0, 0, 0, 239, 9, 9, 9]);
    frames.push({ data: ipFrame(A, parseIpv4('224.0.0.22'), 2, m, { ttl: 1 }) });
    const bad = m.slice();
    bad[2] ^= 1;
    frames.push({ data: ipFrame(A, parseIpv4('224.0.0.22'), 2, bad, { ttl: 1 }) });
  }
  return frames;
}

// --- ICMP ------------------------------------------------------------------------------------
function icmps(): Frame[] {
  const frames: Frame[] = [];
  const quoted = ipPacket(A, B, 17, udp(40000, 33434, new Uint8Array(12)), 1);
  const quotedTcp = ipPacket(A, B, 6, tcp(40001, 443, 7, 0, TcpFlag.SYN, synOpts()), 1);
  const err = (type: number, code: number, rest: number, q: Uint8Array, src = R): Frame => {
    const m = new Uint8Array(8 + q.length);
    m.set(q, 8);
    emitIcmpError(m, 0, type, code, rest, m.length);
    return { data: ipFrame(src, A, 1, m, { tos: 0xc0 }) };
  };
  for (let code = 0; code <= 16; code++) frames.push(err(3, code, code === 4 ? 1400 : 0, quoted, B));
  frames.push(err(3, 3, 0, quotedTcp, B));
  frames.push(err(3, 3, 0, ipPacket(A, B, 47, Uint8Array.of(0, 0, 8, 0, 0x45, 0, 0, 20)), B));
  frames.push(err(4, 0, 0, quoted));
  for (let code = 0; code <= 4; code++) frames.push(err(5, code, parseIpv4('10.244.1.253'), quoted));
  frames.push(err(11, 0, 0, quoted));
  frames.push(err(11, 1, 0, quoted));
  frames.push(err(11, 7, 0, quoted));
  frames.push(err(12, 0, 0x14000000, quoted));
  frames.push(err(12, 1, 0, quoted));
  // Echo request/reply, a wrong checksum, timestamp request/reply, info, mask, router adv/sol.
  frames.push({ data: ipFrame(A, B, 1, echo(0x1234, 1)) });
  frames.push({ data: ipFrame(B, A, 1, echo(0x1234, 1, true)) });
  {
    const m = echo(0x1234, 2);
    m[2] ^= 0x11;
    frames.push({ data: ipFrame(A, B, 1, m) });
  }
  const simple = (b: number[]): Uint8Array => {
    const m = Uint8Array.from(b);
    const c = internetChecksum(m, 0, m.length);
    m[2] = c >> 8;
    m[3] = c & 0xff;
    return m;
  };
  frames.push({
    data: ipFrame(A, B, 1, simple([13, 0, 0, 0, 0, 5, 0, 1, 0x02, 0x93, 0x1b, 0x40, 0, 0, 0, 0, 0, 0, 0, 0])),
  });
  frames.push({
    data: ipFrame(
      B,
      A,
      1,
      simple([
        14, 0, 0, 0, 0, 5, 0, 1, 0x02, 0x93, 0x1b, 0x40, 0x02, 0x93, 0x1b, 0x41, 0x02, 0x93, 0x1b, 0x42,
      ]),
    ),
  });
  frames.push({ data: ipFrame(A, B, 1, simple([15, 0, 0, 0, 0, 6, 0, 1])) });
  frames.push({ data: ipFrame(B, A, 1, simple([16, 0, 0, 0, 0, 6, 0, 1])) });
  frames.push({ data: ipFrame(A, B, 1, simple([17, 0, 0, 0, 0, 7, 0, 1, 0, 0, 0, 0])) });
  frames.push({ data: ipFrame(B, A, 1, simple([18, 0, 0, 0, 0, 7, 0, 1, 255, 255, 255, 0])) });
  frames.push({
    data: ipFrame(
      R,
      parseIpv4('224.0.0.1'),
      1,
      simple([9, 0, 0, 0, 2, 2, 0x07, 0x08, 10, 244, 1, 254, 0, 0, 0, 10, 10, 244, 2, 254, 0, 0, 0, 5]),
    ),
  });
  frames.push({
    data: ipFrame(
      R,
      parseIpv4('224.0.0.1'),
      1,
      simple([9, 0, 0, 0, 1, 3, 0, 30, 10, 244, 1, 254, 0, 0, 0, 10]),
    ),
  });
  frames.push({ data: ipFrame(A, parseIpv4('224.0.0.2'), 1, simple([10, 0, 0, 0, 0, 0, 0, 0])) });
  frames.push({ data: ipFrame(A, B, 1, simple([42, 0, 0, 0, 0, 1, 1, 0])) });
  frames.push({ data: ipFrame(A, B, 1, simple([99, 3, 0, 0])) });
  // A time exceeded with an RFC 4884 MPLS extension (128-byte quote + extension header).
  {
    const q = new Uint8Array(128);
    q.set(quoted);
    const ext = Uint8Array.of(0x20, 0, 0, 0, 0, 8, 1, 1, 0x00, 0x01, 0x01, 0x01);
    const cs = internetChecksum(ext, 0, ext.length);
    ext[2] = cs >> 8;
    ext[3] = cs & 0xff;
    const m = new Uint8Array(8 + 128 + ext.length);
    m.set(q, 8);
    m.set(ext, 136);
    emitIcmpError(m, 0, 11, 0, 32 << 16, m.length);
    frames.push({ data: ipFrame(R, A, 1, m) });
  }
  return frames;
}

// --- TCP options, flags and application text ---------------------------------------------------
function tcps(): Frame[] {
  const frames: Frame[] = [];
  const C = 45000;
  const S = 80;
  const isn = 0xfffffff0;
  const isnS = 0x10;
  const ts = (v: number, e: number): Uint8Array => {
    const o = new Uint8Array(12);
    o[0] = 1;
    o[1] = 1;
    emitTimestampOption(o, 2, v, e);
    return o;
  };
  const push = (src: number, dst: number, seg: Uint8Array, tos = 0): void => {
    frames.push({ data: ipFrame(src, dst, 6, seg, { tos }) });
  };
  // A handshake whose sequence numbers wrap, HTTP request/response, SACK, close.
  push(A, B, tcp(C, S, isn, 0, TcpFlag.SYN | TcpFlag.ECE | TcpFlag.CWR, synOpts()));
  push(
    B,
    A,
    tcp(S, C, isnS, isn + 1, TcpFlag.SYN | TcpFlag.ACK | TcpFlag.ECE, synOpts(), undefined, 0, 65160),
  );
  push(A, B, tcp(C, S, isn + 1, isnS + 1, TcpFlag.ACK, ts(2, 1)));
  const req = text('GET /index.html HTTP/1.1\r\nHost: 10.244.2.1\r\nUser-Agent: tsvs\r\nAccept: */*\r\n\r\n');
  push(A, B, tcp(C, S, isn + 1, isnS + 1, TcpFlag.ACK | TcpFlag.PSH, ts(3, 1), req), 2);
  const resp = text('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello');
  push(B, A, tcp(S, C, isnS + 1, isn + 1 + req.length, TcpFlag.ACK | TcpFlag.PSH, ts(4, 3), resp), 3);
  {
    const o = new Uint8Array(20);
    o[0] = 1;
    o[1] = 1;
    emitSackOption(o, 2, [isnS + 101, isnS + 201]);
    push(A, B, tcp(C, S, isn + 1 + req.length, isnS + 1, TcpFlag.ACK, o));
  }
  push(
    B,
    A,
    tcp(
      S,
      C,
      isnS + 1,
      isn + 1 + req.length,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('continuation of a body\r\n'),
    ),
  );
  push(
    B,
    A,
    tcp(
      S,
      C,
      isnS + 1,
      isn + 1 + req.length,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('HTTP/1.1 304 Not Modified\r\nX: y'),
    ),
  );
  push(
    A,
    B,
    tcp(
      C,
      S,
      isn + 1 + req.length,
      isnS + 1 + resp.length,
      TcpFlag.ACK | TcpFlag.FIN | TcpFlag.CWR,
      ts(5, 4),
    ),
  );
  push(B, A, tcp(S, C, isnS + 1 + resp.length, isn + 2 + req.length, TcpFlag.ACK | TcpFlag.FIN, ts(6, 5)));
  push(A, B, tcp(C, S, isn + 2 + req.length, isnS + 2 + resp.length, TcpFlag.ACK, ts(7, 6)));
  // Rare options: md5, uto, tcp-ao, mptcp (capable, dss, add-addr), echo, cc, unknown, a bad one.
  const md5 = concat(
    Uint8Array.of(19, 18),
    Uint8Array.from({ length: 16 }, (_, i) => i * 7),
    Uint8Array.of(1, 1),
  );
  push(A, B, tcp(179, 40000, 5, 0, TcpFlag.SYN, md5));
  push(A, B, tcp(2000, 3000, 5, 0, TcpFlag.SYN, Uint8Array.of(28, 4, 0x81, 0x2c)));
  push(A, B, tcp(2000, 3000, 5, 0, TcpFlag.SYN, Uint8Array.of(29, 8, 3, 4, 0xde, 0xad, 0xbe, 0xef)));
  push(A, B, tcp(2001, 3001, 5, 0, TcpFlag.SYN, Uint8Array.of(30, 12, 0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8)));
  push(
    A,
    B,
    tcp(
      2001,
      3001,
      6,
      9,
      TcpFlag.ACK,
      Uint8Array.of(30, 20, 0x20, 0x05, 0, 0, 0, 9, 0, 0, 0, 1, 0, 0, 0, 1, 0, 10, 0xab, 0xcd),
    ),
  );
  push(A, B, tcp(2001, 3001, 6, 9, TcpFlag.ACK, Uint8Array.of(30, 8, 0x30, 5, 10, 244, 1, 9)));
  push(
    A,
    B,
    tcp(2002, 3002, 5, 0, TcpFlag.SYN, Uint8Array.of(6, 6, 0, 0, 0, 1, 7, 6, 0, 0, 0, 2, 11, 6, 0, 0, 0, 3)),
  );
  push(A, B, tcp(2003, 3003, 5, 0, TcpFlag.SYN, Uint8Array.of(99, 5, 1, 2, 3, 4, 4, 2)));
  push(A, B, tcp(2003, 3003, 5, 0, TcpFlag.SYN, Uint8Array.of(2, 4, 5, 180, 3, 9, 1)));
  push(A, B, tcp(2004, 3004, 5, 0, TcpFlag.SYN, Uint8Array.of(34, 10, 1, 2, 3, 4, 5, 6, 7, 8)));
  push(A, B, tcp(2004, 3004, 5, 0, TcpFlag.SYN, Uint8Array.of(34, 5, 1, 2, 3)));
  push(A, B, tcp(2005, 3005, 5, 0, TcpFlag.SYN, Uint8Array.of(254, 6, 0xac, 0xc1, 1, 2)));
  // Urgent data, RST with text, a zero window probe, a FIN with data, -S vs relative on a reuse.
  push(A, B, tcp(2006, 23, 100, 200, TcpFlag.ACK | TcpFlag.URG | TcpFlag.PSH, null, text('\xff\xf4'), 1));
  push(
    B,
    A,
    tcp(
      3007,
      2007,
      9,
      0x10000,
      TcpFlag.RST | TcpFlag.ACK,
      null,
      text('connection reset by tsvs: no such service, go away now'),
    ),
  );
  push(A, B, tcp(2008, 3008, 100, 200, TcpFlag.ACK | TcpFlag.FIN | TcpFlag.PSH, null, text('bye\n'), 0, 0));
  push(
    B,
    A,
    tcp(
      23,
      2006,
      1,
      103,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      Uint8Array.of(255, 253, 1, 255, 251, 3, 255, 250, 24, 1, 255, 240, 255, 253, 200, 255, 255),
    ),
  );
  push(
    B,
    A,
    tcp(
      23,
      2006,
      18,
      103,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      Uint8Array.of(255, 250, 37, 1, 2, 3, 255, 240, 255, 241, 65, 66),
    ),
  );
  // FTP, SMTP, SSH banner, RTSP, telnet, DNS over TCP (length prefix only: no DNS data).
  push(B, A, tcp(21, 50000, 1, 1, TcpFlag.ACK | TcpFlag.PSH, null, text('220 tsvs FTP ready\r\n')));
  push(A, B, tcp(50000, 21, 1, 22, TcpFlag.ACK | TcpFlag.PSH, null, text('USER anonymous\r\n')));
  push(
    B,
    A,
    tcp(25, 50001, 1, 1, TcpFlag.ACK | TcpFlag.PSH, null, text('220 mail.example ESMTP\r\n250 ok\r\n')),
  );
  push(
    B,
    A,
    tcp(22, 50002, 1, 1, TcpFlag.ACK | TcpFlag.PSH, null, text('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n')),
  );
  push(
    B,
    A,
    tcp(22, 50002, 40, 1, TcpFlag.ACK | TcpFlag.PSH, null, Uint8Array.of(0, 0, 1, 0x2c, 10, 20, 30)),
  );
  push(
    A,
    B,
    tcp(
      50003,
      554,
      1,
      1,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('OPTIONS rtsp://10.244.2.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n'),
    ),
  );
  push(
    A,
    B,
    tcp(
      50004,
      8080,
      1,
      1,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('POST /api HTTP/1.0\r\nContent-Length: 0\r\n\r\n'),
    ),
  );
  push(A, B, tcp(50005, 80, 1, 1, TcpFlag.ACK | TcpFlag.PSH, null, text('get / http/1.0\nHost: x\n\n')));
  // Redis RESP: a pipelined command, replies, null/empty/invalid lengths, an inline command.
  push(
    A,
    B,
    tcp(
      50006,
      6379,
      1,
      1,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'),
    ),
  );
  push(
    B,
    A,
    tcp(
      6379,
      50006,
      1,
      52,
      TcpFlag.ACK | TcpFlag.PSH,
      null,
      text('+OK\r\n$5\r\nhello\r\n:42\r\n-ERR wrong\r\n$-1\r\n*0\r\n*-3\r\n'),
    ),
  );
  push(A, B, tcp(50006, 6379, 52, 40, TcpFlag.ACK | TcpFlag.PSH, null, text('PING\r\n$x\r\n')));
  push(
    A,
    B,
    tcp(50006, 6379, 60, 40, TcpFlag.ACK | TcpFlag.PSH, null, text('*2\r\n$4\r\nINCR\r\n$9\r\ncut')),
  );
  // Bad data offsets: too short and longer than the segment.
  {
    const s = tcp(2009, 3009, 1, 0, TcpFlag.SYN);
    s[12] = 0x30;
    push(A, B, s);
    const t = tcp(2010, 3010, 1, 0, TcpFlag.SYN);
    t[12] = 0xf0;
    push(A, B, t);
  }
  return frames;
}

// --- UDP ---------------------------------------------------------------------------------------
function udps(): Frame[] {
  const frames: Frame[] = [];
  frames.push({ data: ipFrame(A, B, 17, udp(40000, 9999, text('hello'))) });
  {
    const u = udp(40001, 9999, text('nocksum'));
    frames.push({ data: ipFrame(A, B, 17, u) });
    const f = ipFrame(A, B, 17, u);
    f[14 + 20 + 6] = 0;
    f[14 + 20 + 7] = 0;
    frames.push({ data: f });
    const g = ipFrame(A, B, 17, u);
    g[14 + 20 + 7] ^= 0x33;
    frames.push({ data: g });
  }
  {
    const u = udp(40002, 9999, text('abc'));
    u[5] = 20; // length larger than the IP payload
    const f = ipFrame(A, B, 17, u);
    frames.push({ data: f });
    const v = udp(40003, 9999, text('abc'));
    v[5] = 4; // length < 8
    frames.push({ data: ipFrame(A, B, 17, v) });
  }
  frames.push({ data: ipFrame(A, B, 17, Uint8Array.of(0x9c, 0x40, 0x27)) });
  // Ports tcpdump gives other printers we do not decode: shown here only when 4.99.3 prints plain UDP.
  frames.push({ data: ipFrame(A, B, 17, udp(33434, 33435, new Uint8Array(24))) });
  frames.push({ data: ipFrame(A, B, 17, udp(1024, 65535, new Uint8Array(0))) });
  return frames;
}

// --- SCTP (IPVS balances SCTP services) -------------------------------------------------------
function sctps(): Frame[] {
  const frames: Frame[] = [];
  const chunk = (type: number, flags: number, body: number[]): number[] => {
    const len = 4 + body.length;
    const pad = (4 - (len % 4)) % 4;
    return [type, flags, len >> 8, len & 0xff, ...body, ...new Array<number>(pad).fill(0)];
  };
  const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  const u16 = (v: number): number[] => [v >> 8, v & 0xff];
  const pkt = (sport: number, dport: number, tag: number, chunks: number[][]): Uint8Array =>
    Uint8Array.from([...u16(sport), ...u16(dport), ...u32(tag), 0, 0, 0, 0, ...chunks.flat()]);
  const init = [
    ...u32(0x11223344),
    ...u32(106496),
    ...u16(10),
    ...u16(65535),
    ...u32(1000),
    0,
    0x0c,
    0,
    6,
    0,
    5,
    0,
    0,
  ];
  frames.push({ data: ipFrame(A, B, 132, pkt(40000, 5000, 0, [chunk(1, 0, init)])) });
  frames.push({
    data: ipFrame(B, A, 132, pkt(5000, 40000, 0x11223344, [chunk(2, 0, [...init, 0, 7, 0, 8, 1, 2, 3, 4])])),
  });
  frames.push({
    data: ipFrame(A, B, 132, pkt(40000, 5000, 0x55667788, [chunk(10, 0, [1, 2, 3, 4, 5, 6, 7, 8])])),
  });
  frames.push({ data: ipFrame(B, A, 132, pkt(5000, 40000, 0x11223344, [chunk(11, 0, [])])) });
  const data = (flags: number, tsn: number, ppid: number, text: string): number[] =>
    chunk(0, flags, [...u32(tsn), ...u16(1), ...u16(tsn - 1000), ...u32(ppid), ...Buffer.from(text)]);
  frames.push({ data: ipFrame(A, B, 132, pkt(40000, 5000, 0x55667788, [data(3, 1000, 0, 'hello sctp')])) });
  frames.push({
    data: ipFrame(
      A,
      B,
      132,
      pkt(40000, 5000, 0x55667788, [data(2, 1001, 46, 'first'), data(5, 1002, 18, 'last!')]),
    ),
  });
  frames.push({ data: ipFrame(A, B, 132, pkt(40000, 5000, 0x55667788, [data(0, 1003, 99, 'mid')])) });
  const sack = chunk(3, 0, [
    ...u32(1001),
    ...u32(65536),
    ...u16(2),
    ...u16(1),
    ...u16(2),
    ...u16(3),
    ...u16(5),
    ...u16(6),
    ...u32(999),
  ]);
  frames.push({ data: ipFrame(B, A, 132, pkt(5000, 40000, 0x11223344, [sack])) });
  frames.push({
    data: ipFrame(
      A,
      B,
      132,
      pkt(40000, 5000, 0x55667788, [
        chunk(4, 0, [0, 1, 0, 8, 1, 2, 3, 4]),
        chunk(5, 0, [0, 1, 0, 8, 1, 2, 3, 4]),
      ]),
    ),
  });
  frames.push({
    data: ipFrame(
      A,
      B,
      132,
      pkt(40000, 5000, 0x55667788, [chunk(7, 0, u32(1003)), chunk(8, 0, []), chunk(14, 0, [])]),
    ),
  });
  frames.push({
    data: ipFrame(
      B,
      A,
      132,
      pkt(5000, 40000, 0x11223344, [chunk(6, 1, [0, 1, 0, 4]), chunk(0xc0, 0, u32(5)), chunk(0x80, 0, [9])]),
    ),
  });
  frames.push({ data: ipFrame(A, B, 132, Uint8Array.of(0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2)) });
  frames.push({
    data: ipFrame(A, B, 132, Uint8Array.of(0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40, 1, 2)),
  });
  frames.push({ data: ipFrame(A, B, 132, Uint8Array.of(0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) });
  frames.push({ data: ipFrame(A, B, 132, Uint8Array.of(0, 1, 0, 2, 0, 0)) });
  frames.push({
    data: ipFrame(A, B, 132, pkt(40000, 5000, 1, [chunk(0, 3, [...u32(1), ...u16(1), ...u16(1)])])),
  });
  return frames;
}

// --- DCCP ---------------------------------------------------------------------------------------
function dccps(): Frame[] {
  const frames: Frame[] = [];
  const u32 = (v: number): number[] => [v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  /** Extended (X=1) header: 16 bytes, then the type's fields, options, data; checksum filled. */
  const dccp = (type: number, extra: number[], options: number[], data: number[], cscov = 0): Uint8Array => {
    const optLen = (options.length + 3) & ~3;
    const hdr = 16 + extra.length + optLen;
    const p = Uint8Array.from([
      0x9c,
      0x40,
      0x13,
      0x88,
      hdr / 4,
      cscov,
      0,
      0,
      (type << 1) | 1,
      0,
      0,
      0,
      0,
      0,
      0x10,
      0x20,
      ...extra,
      ...options,
      ...new Array<number>(optLen - options.length).fill(0),
      ...data,
    ]);
    return p;
  };
  const fix = (f: Uint8Array, cscov: number): Uint8Array => {
    // DCCP checksum (RFC 4340 §9): pseudo-header + the covered part.
    const ip = new Ipv4View().wrap(f, 14, f.length - 14);
    const off = ip.payloadOffset;
    const len = ip.payloadLength;
    const cov = cscov === 0 ? len : Math.min(len, (f[off + 4]! + cscov - 1) * 4);
    const c = internetChecksum(f, off, cov, ip.pseudoHeaderSum(len));
    f[off + 6] = c >> 8;
    f[off + 7] = c & 0xff;
    return f;
  };
  const ack = [0, 0, 0, 0, 0, 0x10, 0x20, 0x30];
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(0, u32(42), [32, 4, 1, 2, 41, 6, 0, 0, 0, 9], [])), 0) });
  frames.push({ data: fix(ipFrame(B, A, 33, dccp(1, [...ack, ...u32(42)], [33, 4, 1, 2], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(3, ack, [0, 1, 2, 36, 4, 0xab, 0xcd], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(2, [], [], [1, 2, 3, 4, 5])), 0) });
  frames.push({
    data: fix(ipFrame(A, B, 33, dccp(4, ack, [42, 8, 0, 0, 0, 1, 0, 2, 43, 4, 0, 7], [9, 9], 1)), 1),
  });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(7, [...ack, 3, 0, 0, 0], [], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(5, ack, [130, 4, 0, 1, 200, 2], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(6, ack, [37, 3, 1, 44, 6, 1, 2, 3, 4, 40, 2], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(8, ack, [], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(9, ack, [32, 1], [])), 0) });
  frames.push({ data: fix(ipFrame(A, B, 33, dccp(12, [], [], [])), 0) });
  {
    // Short sequence numbers (X=0): a 12-byte header, Data and Ack.
    const s = Uint8Array.of(0x9c, 0x40, 0x13, 0x88, 3, 0, 0, 0, 2 << 1, 0, 0x12, 0x34, 7, 7);
    frames.push({ data: fix(ipFrame(A, B, 33, s), 0) });
    const a = Uint8Array.of(0x9c, 0x40, 0x13, 0x88, 4, 0, 0, 0, 3 << 1, 0, 0x12, 0x35, 0, 0, 0x56, 0x78);
    frames.push({ data: fix(ipFrame(A, B, 33, a), 0) });
  }
  frames.push({ data: ipFrame(A, B, 33, Uint8Array.of(0x9c, 0x40, 0x13, 0x88, 4, 0, 0, 0, 1, 0, 0)) });
  frames.push({
    data: ipFrame(A, B, 33, Uint8Array.of(0x9c, 0x40, 0x13, 0x88, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0)),
  });
  frames.push({
    data: ipFrame(A, B, 33, Uint8Array.of(0x9c, 0x40, 0x13, 0x88, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
  });
  return frames;
}

// --- truncation (small snaplen) ------------------------------------------------------------------
function truncated(): Frame[] {
  const frames: Frame[] = [];
  const all = [
    ...tcps().slice(0, 6),
    ...icmps().slice(0, 3),
    ...udps().slice(0, 2),
    ...tunnels().slice(0, 3),
  ];
  for (const cut of [34, 40, 50, 54, 60, 70, 90]) {
    for (const f of all) frames.push({ data: f.data, caplen: Math.min(cut, f.data.length) });
  }
  // ICMP errors cut at every byte of the quote: tcpdump's ND_TCHECK (`[|icmp]` and a normal
  // return) and GET (end of the packet) differ in what -x/-X then dump.
  const errors = icmps().filter((f) => [3, 5, 11, 9, 14].includes(f.data[34]!));
  for (const f of [errors[3]!, errors[17]!, errors[25]!, errors[30]!]) {
    for (let cut = 34; cut <= 70; cut++) frames.push({ data: f.data, caplen: Math.min(cut, f.data.length) });
  }
  return frames;
}

mkdirSync(OUT, { recursive: true });
const files: [string, Frame[]][] = [
  ['crafted-tunnels', tunnels()],
  ['crafted-ip', ipMisc()],
  ['crafted-icmp', icmps()],
  ['crafted-tcp', tcps()],
  ['crafted-udp', udps()],
  ['crafted-trunc', truncated()],
  ['crafted-sctp', sctps()],
  ['crafted-dccp', dccps()],
];
for (const [name, frames] of files) {
  writeFileSync(join(OUT, `${name}.pcap`), pcap(frames));
  console.log(`${name}.pcap: ${frames.length} frames`);
}
