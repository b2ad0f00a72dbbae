// Crafted captures for the DNS/NTP/syslog/BOOTP goldens: packets real traffic rarely produces
// (every RR type tcpdump 4.99.3 decodes, EDNS options valid and invalid, bad labels and pointers,
// mDNS bits, DNS over TCP framing errors, NTP modes, DHCP options), written as Ethernet/IPv4 pcaps.
// Run by regen.ts; deterministic (fixed timestamps and ids), so the committed pcaps never churn.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DNS_FLAG_AA,
  DNS_FLAG_AD,
  DNS_FLAG_CD,
  DNS_FLAG_QR,
  DNS_FLAG_RA,
  DNS_FLAG_RD,
  DNS_FLAG_TC,
} from '../../../../src/wire/dns.js';

/** Byte builder for packet payloads. */
class Bytes {
  readonly a: number[] = [];
  u8(...v: number[]): this {
    for (const x of v) this.a.push(x & 0xff);
    return this;
  }
  u16(...v: number[]): this {
    for (const x of v) this.a.push((x >>> 8) & 0xff, x & 0xff);
    return this;
  }
  u32(...v: number[]): this {
    for (const x of v) this.a.push((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
    return this;
  }
  str(s: string): this {
    for (let i = 0; i < s.length; i++) this.a.push(s.charCodeAt(i) & 0xff);
    return this;
  }
  /** A name as labels ("a.b." or "." for root), uncompressed; `ptr` ends it with a pointer instead of 0. */
  name(n: string, ptr?: number): this {
    const labels = n === '.' || n === '' ? [] : n.replace(/\.$/, '').split('.');
    for (const l of labels) this.u8(l.length).str(l);
    if (ptr === undefined) this.u8(0);
    else this.u16(0xc000 | ptr);
    return this;
  }
  /** <character-string>. */
  cstr(s: string): this {
    return this.u8(s.length).str(s);
  }
  get length(): number {
    return this.a.length;
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.a);
  }
}

interface Packet {
  data: Uint8Array;
  /** Captured length (< data.length to simulate a small snaplen). */
  caplen: number;
}

function checksum(b: Uint8Array, off: number, len: number, init = 0): number {
  let s = init;
  for (let i = 0; i + 1 < len; i += 2) s += (b[off + i]! << 8) | b[off + i + 1]!;
  if (len & 1) s += b[off + len - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const MAC_A = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const MAC_B = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

let ipId = 1;

function ipv4(
  proto: number,
  src: number[],
  dst: number[],
  l4: Uint8Array,
  swap: boolean,
  ttl = 64,
): Uint8Array {
  const total = 20 + l4.length;
  const b = new Uint8Array(14 + total);
  b.set(swap ? MAC_A : MAC_B, 0);
  b.set(swap ? MAC_B : MAC_A, 6);
  b[12] = 0x08;
  b[13] = 0x00;
  const ip = 14;
  b[ip] = 0x45;
  b[ip + 2] = total >>> 8;
  b[ip + 3] = total & 0xff;
  b[ip + 4] = (ipId >>> 8) & 0xff;
  b[ip + 5] = ipId++ & 0xff;
  b[ip + 8] = ttl;
  b[ip + 9] = proto;
  b.set(src, ip + 12);
  b.set(dst, ip + 16);
  const c = checksum(b, ip, 20);
  b[ip + 10] = c >>> 8;
  b[ip + 11] = c & 0xff;
  b.set(l4, ip + 20);
  if (proto !== 6 && proto !== 17) return b;
  // transport checksum over the pseudo-header
  let pseudo = 0;
  for (let i = 0; i < 8; i += 2) pseudo += (b[ip + 12 + i]! << 8) | b[ip + 13 + i]!;
  pseudo += proto + l4.length;
  const csumAt = ip + 20 + (proto === 17 ? 6 : 16);
  const t = checksum(b, ip + 20, l4.length, pseudo);
  b[csumAt] = t >>> 8;
  b[csumAt + 1] = t & 0xff;
  return b;
}

const CLIENT = [192, 0, 2, 10];
const SERVER = [192, 0, 2, 53];

function udp(sport: number, dport: number, payload: Uint8Array, fromServer = false, caplen?: number): Packet {
  const l4 = new Uint8Array(8 + payload.length);
  l4[0] = sport >>> 8;
  l4[1] = sport & 0xff;
  l4[2] = dport >>> 8;
  l4[3] = dport & 0xff;
  l4[4] = l4.length >>> 8;
  l4[5] = l4.length & 0xff;
  l4.set(payload, 8);
  const data = fromServer ? ipv4(17, SERVER, CLIENT, l4, true) : ipv4(17, CLIENT, SERVER, l4, false);
  return { data, caplen: caplen === undefined ? data.length : Math.min(caplen, data.length) };
}

let tcpSeq = 1000;

function tcp(sport: number, dport: number, payload: Uint8Array, fromServer = false): Packet {
  const l4 = new Uint8Array(20 + payload.length);
  l4[0] = sport >>> 8;
  l4[1] = sport & 0xff;
  l4[2] = dport >>> 8;
  l4[3] = dport & 0xff;
  const seq = tcpSeq;
  tcpSeq += payload.length;
  l4[4] = seq >>> 24;
  l4[5] = (seq >>> 16) & 0xff;
  l4[6] = (seq >>> 8) & 0xff;
  l4[7] = seq & 0xff;
  l4[11] = 1;
  l4[12] = 0x50;
  l4[13] = 0x18; // PSH ACK
  l4[14] = 0xff;
  l4[15] = 0xff;
  l4.set(payload, 20);
  const data = fromServer ? ipv4(6, SERVER, CLIENT, l4, true) : ipv4(6, CLIENT, SERVER, l4, false);
  return { data, caplen: data.length };
}

function writePcap(path: string, packets: Packet[]): void {
  let size = 24;
  for (const p of packets) size += 16 + p.caplen;
  const out = Buffer.alloc(size);
  out.writeUInt32LE(0xa1b2c3d4, 0);
  out.writeUInt16LE(2, 4);
  out.writeUInt16LE(4, 6);
  out.writeUInt32LE(262144, 16);
  out.writeUInt32LE(1, 20);
  let o = 24;
  let t = 1700000000;
  for (const p of packets) {
    out.writeUInt32LE(t++, o);
    out.writeUInt32LE(123456, o + 4);
    out.writeUInt32LE(p.caplen, o + 8);
    out.writeUInt32LE(p.data.length, o + 12);
    out.set(p.data.subarray(0, p.caplen), o + 16);
    o += 16 + p.caplen;
  }
  writeFileSync(path, out);
}

// ---------------------------------------------------------------------------------------------
// DNS

function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): Bytes {
  return new Bytes().u16(id, flags, qd, an, ns, ar);
}

/** RR with owner = pointer to offset 12 (the question name), class IN unless given. */
function rr(b: Bytes, type: number, ttl: number, rdata: Bytes, klass = 1, owner?: string): Bytes {
  if (owner === undefined) b.u16(0xc00c);
  else b.name(owner);
  return b
    .u16(type, klass)
    .u32(ttl)
    .u16(rdata.length)
    .u8(...rdata.a);
}

const R = DNS_FLAG_QR | DNS_FLAG_RD | DNS_FLAG_RA;

function dnsPackets(): Packet[] {
  const p: Packet[] = [];
  const q = (id: number, name: string, type: number, flags = DNS_FLAG_RD, klass = 1): Bytes =>
    header(id, flags, 1, 0, 0, 0).name(name).u16(type, klass);
  const ask = (b: Bytes): void => {
    p.push(udp(40000, 53, b.bytes()));
  };
  const answer = (b: Bytes, caplen?: number): void => {
    p.push(udp(53, 40000, b.bytes(), true, caplen === undefined ? undefined : 14 + 20 + 8 + caplen));
  };
  /** A response with the question `name type` and the given answer records built by fill. */
  const resp = (
    id: number,
    name: string,
    type: number,
    n: number,
    fill: (b: Bytes) => void,
    flags = R,
  ): Bytes => {
    const b = header(id, flags, 1, n, 0, 0).name(name).u16(type, 1);
    fill(b);
    return b;
  };

  // Simple query/response pairs over every decoded type.
  ask(q(1, 'example.com', 1));
  answer(
    resp(1, 'example.com', 1, 2, (b) => {
      rr(b, 1, 300, new Bytes().u8(93, 184, 216, 34));
      rr(b, 1, 86400 * 8 + 3723, new Bytes().u8(10, 0, 0, 1));
    }),
  );
  ask(q(2, 'example.com', 28));
  answer(
    resp(2, 'example.com', 28, 3, (b) => {
      rr(b, 28, 60, new Bytes().u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));
      rr(b, 28, 60, new Bytes().u16(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001));
      rr(b, 28, 60, new Bytes().u16(0, 0, 0, 0, 0, 0, 0, 0));
    }),
  );
  ask(q(3, 'example.com', 15));
  answer(
    resp(3, 'example.com', 15, 2, (b) => {
      rr(b, 15, 3600, new Bytes().u16(10).name('mail', 12));
      rr(b, 15, 3600, new Bytes().u16(20).name('mx2.example.net'));
    }),
  );
  ask(q(4, 'example.com', 16));
  answer(
    resp(4, 'example.com', 16, 2, (b) => {
      rr(b, 16, 0, new Bytes().cstr('v=spf1 -all').cstr('second "string"').cstr(''));
      rr(b, 16, 31536000 * 2, new Bytes().cstr('ctl\x01\x7f\xff\x80'));
    }),
  );
  ask(q(5, '_sip._tcp.example.com', 33));
  answer(
    resp(5, '_sip._tcp.example.com', 33, 1, (b) => {
      rr(b, 33, 120, new Bytes().u16(10, 60, 5060).name('sip.example.com'));
    }),
  );
  ask(q(6, '34.216.184.93.in-addr.arpa', 12));
  answer(
    resp(6, '34.216.184.93.in-addr.arpa', 12, 1, (b) => {
      rr(b, 12, 7200, new Bytes().name('example.com'));
    }),
  );
  ask(q(7, 'www.example.com', 5));
  answer(
    resp(7, 'www.example.com', 5, 2, (b) => {
      rr(b, 5, 100, new Bytes().name('cdn', 16)); // pointer to "example.com" inside the question
      rr(b, 39, 100, new Bytes().name('example.org'));
    }),
  );
  // SOA in the authority section of an NXDOMAIN (ns: at -vv), SOA detail at -v.
  {
    const b = header(8, R | 3, 1, 0, 1, 0)
      .name('nope.example.com')
      .u16(1, 1);
    b.name('example.com').u16(6, 1).u32(900);
    const rd = new Bytes()
      .name('ns1.example.com')
      .name('hostmaster.example.com')
      .u32(2024010101, 7200, 3600, 1209600, 300);
    b.u16(rd.length).u8(...rd.a);
    ask(q(8, 'nope.example.com', 1));
    answer(b);
  }
  // SOA as an answer (printed without detail at default verbosity).
  answer(
    resp(
      9,
      'example.com',
      6,
      1,
      (b) => {
        rr(b, 6, 3600, new Bytes().u16(0xc00c).u16(0xc00c).u32(1, 2, 3, 4, 5));
      },
      R | DNS_FLAG_AA,
    ),
  );
  // NS with additional A glue, TC, AD flags, all rcodes via a few ids.
  answer(
    resp(
      10,
      'example.com',
      2,
      2,
      (b) => {
        rr(b, 2, 172800, new Bytes().name('a.iana-servers.net'));
        rr(b, 2, 172800, new Bytes().name('b', 0x29));
      },
      R | DNS_FLAG_TC | DNS_FLAG_AD,
    ),
  );
  for (let rc = 1; rc < 16; rc += 1)
    answer(
      header(100 + rc, DNS_FLAG_QR | rc, 1, 0, 0, 0)
        .name('x')
        .u16(1, 1),
    );
  // Opcodes on queries, CD bit, odd bits, IQUERY, counts.
  for (let op = 1; op < 16; op += 3)
    ask(
      header(200 + op, (op << 11) | DNS_FLAG_RD, 1, 0, 0, 0)
        .name('op.test')
        .u16(1, 1),
    );
  ask(
    header(220, DNS_FLAG_RD | DNS_FLAG_CD | DNS_FLAG_AA | 5, 1, 0, 0, 0)
      .name('odd.test')
      .u16(1, 1),
  );
  ask(
    header(221, 1 << 11, 0, 1, 0, 0)
      .u16(0)
      .u16(1, 1)
      .u32(0)
      .u16(4)
      .u8(1, 2, 3, 4),
  );
  ask(
    header(222, 1 << 11, 1, 2, 0, 0)
      .name('iq.test')
      .u16(1, 1),
  );
  ask(header(223, DNS_FLAG_RD, 2, 0, 0, 0).name('one.test').u16(1, 1).name('two', 12).u16(28, 3));
  ask(header(224, 0, 0, 0, 0, 0));
  // Classes: CHAOS TXT version.bind, HS, ANY, unknown.
  ask(q(225, 'version.bind', 16, 0, 3));
  answer(
    resp(
      225,
      'version.bind',
      16,
      1,
      (b) => rr(b, 16, 0, new Bytes().cstr('9.18'), 3),
      DNS_FLAG_QR | DNS_FLAG_AA,
    ),
  );
  ask(q(226, 'hs.test', 1, 0, 4));
  ask(q(227, 'any.test', 255, 0, 255));
  ask(q(228, 'cls.test', 1, 0, 77));
  // Less common types.
  answer(
    resp(230, 'misc.test', 38, 4, (b) => {
      rr(b, 38, 60, new Bytes().u8(0).u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 5)); // A6 prefix 0
      rr(b, 38, 60, new Bytes().u8(64).u16(0, 0, 0, 1).name('pfx.test')); // A6 prefix 64
      rr(b, 38, 60, new Bytes().u8(128).name('all.test')); // A6 prefix 128
      rr(b, 38, 60, new Bytes().u8(200)); // bad plen
    }),
  );
  answer(
    resp(231, 'misc.test', 256, 2, (b) => {
      rr(b, 256, 60, new Bytes().u16(1, 2).str('https://example.com/'));
      rr(b, 104, 60, new Bytes().str('unspeca text'));
    }),
  );
  answer(
    resp(232, 'misc.test', 257, 6, (b) => {
      rr(b, 257, 60, new Bytes().u8(0).cstr('issue').str('letsencrypt.org')); // CAA: Type257
      rr(b, 48, 60, new Bytes().u16(257).u8(3, 13).u32(0x01020304)); // DNSKEY
      rr(b, 43, 60, new Bytes().u16(12345).u8(13, 2).u32(0xaabbccdd)); // DS
      rr(b, 46, 60, new Bytes().u16(1).u8(13, 2).u32(3600, 0, 0).u16(12345).name('misc.test').u32(0)); // RRSIG
      rr(b, 47, 60, new Bytes().name('next.misc.test').u8(0, 1, 0x40)); // NSEC
      rr(b, 35, 60, new Bytes().u16(100, 10).cstr('S').cstr('SIP+D2U').cstr('').name('_sip._udp.misc.test')); // NAPTR
    }),
  );
  answer(
    resp(233, 'misc.test', 13, 3, (b) => {
      rr(b, 13, 60, new Bytes().cstr('PC').cstr('Linux')); // HINFO
      rr(b, 65000, 60, new Bytes().u32(0)); // unknown type
      rr(b, 99, 60, new Bytes().cstr('v=spf1')); // SPF: named, not decoded
    }),
  );
  // TSIG in the additional section (details at -v).
  {
    const b = header(234, DNS_FLAG_QR, 1, 0, 0, 1).name('tsig.test').u16(252, 1);
    const rd = new Bytes()
      .name('hmac-sha256')
      .u16(0)
      .u32(1700000000)
      .u16(300)
      .u16(4)
      .u32(0xdeadbeef)
      .u16(234, 0, 0);
    b.name('key.test')
      .u16(250, 255)
      .u32(0)
      .u16(rd.length)
      .u8(...rd.a);
    answer(b);
  }
  // EDNS: OPT with DO, options valid and invalid, extended rcodes.
  const opt = (b: Bytes, size: number, ext: number, flags: number, opts: Bytes): Bytes =>
    b
      .u8(0)
      .u16(41, size)
      .u8(ext, 0)
      .u16(flags)
      .u16(opts.length)
      .u8(...opts.a);
  const o = (code: number, data: Bytes): Bytes => new Bytes().u16(code, data.length).u8(...data.a);
  const withOpt = (id: number, opts: Bytes, flags = DNS_FLAG_RD, ext = 0, eflags = 0x8000): void => {
    const b = header(id, flags, 1, 0, 0, 1).name('edns.test').u16(1, 1);
    const pkt = opt(b, 1232, ext, eflags, opts).bytes();
    p.push(flags & DNS_FLAG_QR ? udp(53, 40000, pkt, true) : udp(40000, 53, pkt));
  };
  withOpt(300, new Bytes());
  withOpt(301, o(10, new Bytes().u32(1, 2)).u8(...o(10, new Bytes().u32(1, 2, 3, 4, 5)).a));
  withOpt(302, o(10, new Bytes().u32(1, 2, 3)).u8(...o(10, new Bytes().u8(1, 2, 3)).a));
  withOpt(
    303,
    o(8, new Bytes().u16(1).u8(24, 0).u8(198, 51, 100)).u8(
      ...o(8, new Bytes().u16(2).u8(48, 0).u16(0x2001, 0xdb8, 0x1)).a,
    ),
  );
  withOpt(
    304,
    o(8, new Bytes().u16(3).u8(8, 0).u8(1))
      .u8(...o(8, new Bytes().u16(1).u8(33, 0).u32(1)).a)
      .u8(...o(8, new Bytes().u8(0, 1)).a),
  );
  withOpt(
    305,
    o(11, new Bytes().u16(1234))
      .u8(...o(11, new Bytes().u8(1)).a)
      .u8(...o(9, new Bytes().u32(86400)).a)
      .u8(...o(9, new Bytes().u16(1)).a),
  );
  withOpt(
    306,
    o(12, new Bytes().u32(0, 0, 0))
      .u8(...o(14, new Bytes().u16(20326, 19036)).a)
      .u8(...o(14, new Bytes().u8(1, 2, 3)).a),
  );
  withOpt(
    307,
    o(5, new Bytes().u8(8, 13, 15, 99))
      .u8(...o(6, new Bytes().u8(1, 2, 4, 9)).a)
      .u8(...o(7, new Bytes().u8(1, 2)).a),
  );
  withOpt(
    308,
    o(3, new Bytes().str('ns1'))
      .u8(...o(3, new Bytes()).a)
      .u8(...o(13, new Bytes().name('chain.test')).a)
      .u8(...o(65001, new Bytes().u8(0xab)).a),
  );
  withOpt(
    309,
    o(16, new Bytes().u16(7))
      .u8(...o(17, new Bytes()).a)
      .u8(...o(1, new Bytes().u16(1)).a)
      .u8(...o(2, new Bytes().u32(3600)).a),
  );
  withOpt(310, new Bytes(), DNS_FLAG_QR | 3, 1, 0); // BADVERS-ish ext rcode 1 | NXDOMAIN -> 19
  withOpt(311, new Bytes(), DNS_FLAG_QR | 7, 1, 0); // 23 BadCookie
  withOpt(312, new Bytes(), DNS_FLAG_QR | 1, 1, 0); // 17: "Resp17" without a space
  withOpt(313, new Bytes(), DNS_FLAG_QR | 5, 1, 0); // 21
  withOpt(314, new Bytes(), DNS_FLAG_QR | 0, 0xff, 0); // 4080
  // Bad names: forward pointer, self loop, reserved label, extended label types, bit labels, long.
  ask(
    header(400, 0, 1, 0, 0, 0)
      .u16(0xc000 | 20)
      .u16(1, 1)
      .u32(0),
  );
  ask(header(401, 0, 1, 0, 0, 0).u8(1).str('a').u16(0xc00c).u16(1, 1));
  ask(header(402, 0, 1, 0, 0, 0).u8(0x80).u16(1, 1));
  ask(header(403, 0, 1, 0, 0, 0).u8(0x42, 8, 0xaa).u8(0).u16(1, 1));
  ask(
    header(404, 0, 1, 0, 0, 0)
      .u8(0x41, 12, 0xab, 0xc0)
      .u8(0x41, 3, 0xe0)
      .u8(0x41, 0)
      .u8(...new Array(32).fill(0x5a))
      .u8(0)
      .u16(12, 1),
  );
  {
    const b = header(405, 0, 1, 0, 0, 0);
    for (let k = 0; k < 5; k++) b.cstr('x'.repeat(60));
    b.u8(0).u16(1, 1);
    ask(b);
  }
  ask(header(406, 0, 1, 0, 0, 0).cstr('sp ace').cstr('dot.').cstr('\x00\x1b\xe9').u8(0).u16(1, 1));
  // Truncated captures: cut inside a name, inside the fixed RR part, inside RDATA, inside EDNS.
  {
    const full = resp(500, 'trunc.example.com', 1, 2, (b) => {
      rr(b, 1, 300, new Bytes().u8(1, 2, 3, 4));
      rr(b, 16, 300, new Bytes().cstr('a fairly long text record that gets cut'));
    });
    for (const cut of [8, 12, 20, 35, 40, 47, 52, 60, 70]) answer(full, cut);
    const b = header(501, DNS_FLAG_RD, 1, 0, 0, 1).name('t.test').u16(1, 1);
    const e = opt(b, 4096, 0, 0, o(10, new Bytes().u32(1, 2, 3, 4)));
    for (const cut of [24, 30, 34, 38, 44]) p.push(udp(40000, 53, e.bytes(), false, 42 + cut));
  }
  // Counts that promise more than the message holds.
  ask(header(510, DNS_FLAG_RD, 3, 0, 0, 0).name('short.test').u16(1, 1));
  answer(
    header(511, R, 1, 5, 2, 2).name('short.test').u16(1, 1).u16(0xc00c, 1, 1).u32(5).u16(4).u8(1, 1, 1, 1),
  );
  // UDP payloads shorter than the header.
  p.push(udp(40000, 53, new Bytes().u16(1, 2, 3).bytes()));
  // mDNS: QU/QM questions, cache-flush answers, class bits.
  p.push(
    udp(
      5353,
      5353,
      header(0, 0, 2, 0, 0, 0).name('_http._tcp.local').u16(12, 0x8001).name('host.local').u16(1, 1).bytes(),
    ),
  );
  {
    const b = header(0, DNS_FLAG_QR | DNS_FLAG_AA, 0, 2, 0, 1);
    b.name('host.local').u16(1, 0x8001).u32(120).u16(4).u8(192, 168, 1, 5);
    b.name('host.local').u16(28, 0x8001).u32(120).u16(16).u16(0xfe80, 0, 0, 0, 0, 0, 0, 5);
    b.name('_http._tcp.local').u16(16, 0x8003).u32(4500).u16(1).u8(0);
    p.push(udp(5353, 5353, b.bytes()));
  }
  // DNS over TCP: good framing (2 messages in separate segments), bad prefix, too short.
  {
    const m = q(600, 'tcp.example.com', 1).bytes();
    p.push(
      tcp(
        40001,
        53,
        new Bytes()
          .u16(m.length)
          .u8(...m)
          .bytes(),
      ),
    );
    const r = resp(600, 'tcp.example.com', 1, 1, (b) => rr(b, 1, 60, new Bytes().u8(127, 0, 0, 1))).bytes();
    p.push(
      tcp(
        53,
        40001,
        new Bytes()
          .u16(r.length)
          .u8(...r)
          .bytes(),
        true,
      ),
    );
    p.push(
      tcp(
        40001,
        53,
        new Bytes()
          .u16(m.length + 5)
          .u8(...m)
          .bytes(),
      ),
    );
    p.push(tcp(40001, 53, new Bytes().u8(7).bytes()));
    p.push(tcp(40001, 53, new Bytes().u16(4).u16(1, 2).bytes()));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// NTP

function ntpTime(b: Bytes, secs: number, frac: number): Bytes {
  return b.u32(secs, frac);
}

function ntpPackets(): Packet[] {
  const p: Packet[] = [];
  const base = 3913056000; // 2024-01-01
  const msg = (status: number, stratum: number, poll: number, prec: number, refid: number): Bytes => {
    const b = new Bytes().u8(status, stratum, poll, prec).u16(0, 0x8000).u16(1, 0x4000).u32(refid);
    ntpTime(b, base, 0x80000000);
    return b;
  };
  // client (v4, mode 3): all zero but transmit
  {
    const b = new Bytes().u8(0x23, 0, 6, 0xe9).u32(0, 0, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, base + 100, 0x12345678);
    p.push(udp(50123, 123, b.bytes()));
  }
  // server (mode 4), stratum 2 with IPv4 refid
  {
    const b = msg(0x24, 2, 6, 0xe8, 0xc0000201);
    ntpTime(b, base + 100, 0x12345678);
    ntpTime(b, base + 100, 0x22345678);
    ntpTime(b, base + 99, 0x32345678);
    p.push(udp(123, 50123, b.bytes(), true));
  }
  // stratum 1 'GPS', leap +1s, v3 symmetric active, key id + MD5 digest (68 bytes)
  {
    const b = msg(0x59, 1, 10, 0xec, 0x47505300);
    ntpTime(b, base + 5, 0);
    ntpTime(b, base + 5, 0xffffffff);
    ntpTime(b, base + 4, 1);
    b.u32(42).u32(1, 2, 3, 4);
    p.push(udp(123, 123, b.bytes()));
  }
  // broadcast, unsynchronized, stratum 16, negative poll, key id + SHA1 digest (72 bytes)
  {
    const b = msg(0xe5, 16, -3 & 0xff, 0x80, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, base, 0);
    b.u32(7).u32(5, 6, 7, 8, 9);
    p.push(udp(123, 123, b.bytes()));
  }
  // key id only (52 bytes), stratum 0 (unspec), symmetric passive; then extra bytes (60)
  {
    const b = msg(0x22, 0, 40, 0, 0x494e4954);
    ntpTime(b, 0, 0);
    ntpTime(b, 0, 0);
    ntpTime(b, 0, 0);
    b.u32(99);
    p.push(udp(123, 123, b.bytes()));
    const c = msg(0x25, 3, 4, 0xf0, 0x0a000001);
    ntpTime(c, base, 0);
    ntpTime(c, base - 1, 0x10000000);
    ntpTime(c, base, 0x10000000);
    c.u32(1, 2, 3);
    p.push(udp(123, 123, c.bytes()));
  }
  // stratum 62 / 63 (INFO_QUERY / INFO_REPLY), reserved mode 7, unspecified mode 0
  p.push(udp(123, 123, msg(0x1b, 62, 0, 0, 0x7f000001).u32(0, 0, 0, 0, 0, 0).bytes()));
  p.push(udp(123, 123, msg(0x1b, 63, 0, 0, 0x7f000001).u32(0, 0, 0, 0, 0, 0).bytes()));
  p.push(udp(123, 123, msg(0x1f, 2, 0, 0, 0).u32(0, 0, 0, 0, 0, 0).bytes()));
  p.push(udp(123, 123, msg(0x18, 2, 0, 0, 0).u32(0, 0, 0, 0, 0, 0).bytes()));
  // control messages (mode 6): request, response with data, bad count, short
  p.push(udp(50124, 123, new Bytes().u8(0x16, 0x02).u16(1, 0, 0, 0, 0).bytes()));
  p.push(udp(123, 50124, new Bytes().u8(0x16, 0xa2).u16(1, 0x0615, 0, 0, 4).str('a=1,').bytes(), true));
  p.push(udp(123, 50124, new Bytes().u8(0x16, 0xc2).u16(2, 0, 1, 0, 40).str('x').bytes(), true));
  p.push(udp(50124, 123, new Bytes().u8(0x16, 0x01).u16(1).bytes()));
  // short time message, truncated capture
  p.push(udp(50125, 123, new Bytes().u8(0x23, 0, 0, 0).u32(0).bytes()));
  {
    const b = msg(0x24, 2, 6, 0xe8, 0xc0000201);
    ntpTime(b, base, 0);
    ntpTime(b, base, 0);
    ntpTime(b, base, 0);
    p.push(udp(123, 50125, b.bytes(), true, 14 + 20 + 8 + 30));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// syslog

function syslogPackets(): Packet[] {
  const p: Packet[] = [];
  const s = (text: string, caplen?: number): void => {
    p.push(udp(41000, 514, new Bytes().str(text).bytes(), false, caplen));
  };
  s('<134>Nov 23 07:00:00 host app[1]: hello world');
  s('<0>kernel panic');
  s('<13>1 2024-01-01T00:00:00Z host app - - - RFC 5424 message');
  s('<191>debug local7');
  s('<999>out of range facility');
  s('<1234>too many digits');
  s('<12x>bad');
  s('no pri at all');
  s('<>empty');
  s('<30>tab\tnewline\ncontrol\x01 high\xe9 del\x7f');
  s('<165>', undefined);
  s('<38>cut short by the snaplen here', 14 + 20 + 8 + 12);
  return p;
}

// ---------------------------------------------------------------------------------------------
// BOOTP / DHCP

function bootp(
  op: number,
  xid: number,
  opts: Bytes | null,
  f: Partial<Record<string, number | number[] | string>> = {},
): Uint8Array {
  const b = new Bytes().u8(op, (f.htype as number) ?? 1, (f.hlen as number) ?? 6, (f.hops as number) ?? 0);
  b.u32(xid).u16((f.secs as number) ?? 0, (f.flags as number) ?? 0);
  for (const k of ['ciaddr', 'yiaddr', 'siaddr', 'giaddr']) b.u8(...((f[k] as number[]) ?? [0, 0, 0, 0]));
  const ch = new Array(16).fill(0);
  ch.splice(0, 6, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56);
  b.u8(...ch);
  const sname = (f.sname as string) ?? '';
  b.str(sname).u8(...new Array(64 - sname.length).fill(0));
  const file = (f.file as string) ?? '';
  b.str(file).u8(...new Array(128 - file.length).fill(0));
  if (opts) {
    b.u8(...opts.a);
    while (b.length < 300) b.u8(0);
  } else b.u8(...new Array(64).fill(0));
  return b.bytes();
}

function dhcpPackets(): Packet[] {
  const p: Packet[] = [];
  const opt = (b: Bytes, tag: number, data: Bytes): Bytes => b.u8(tag, data.length, ...data.a);
  const cookie = (): Bytes => new Bytes().u8(99, 130, 83, 99);
  {
    const o = cookie();
    opt(o, 53, new Bytes().u8(1));
    opt(o, 61, new Bytes().u8(1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56));
    opt(o, 55, new Bytes().u8(1, 3, 6, 15, 26, 28, 51, 58, 59, 43, 119, 121, 249, 252, 200));
    opt(o, 57, new Bytes().u16(1500));
    opt(o, 12, new Bytes().str('client-host'));
    opt(o, 60, new Bytes().str('udhcp 1.36'));
    opt(o, 81, new Bytes().u8(0x01, 0, 0).str('client.example.com'));
    opt(o, 77, new Bytes().u8(4).str('abcd').u8(2).str('ef'));
    o.u8(0, 0, 0, 255);
    p.push(udp(68, 67, bootp(1, 0x3903f326, o, { secs: 3, flags: 0x8000 })));
  }
  {
    const o = cookie();
    opt(o, 53, new Bytes().u8(2));
    opt(o, 54, new Bytes().u8(192, 0, 2, 1));
    opt(o, 51, new Bytes().u32(86400));
    opt(o, 58, new Bytes().u32(43200));
    opt(o, 59, new Bytes().u32(75600));
    opt(o, 1, new Bytes().u8(255, 255, 255, 0));
    opt(o, 3, new Bytes().u8(192, 0, 2, 1));
    opt(o, 6, new Bytes().u8(192, 0, 2, 1, 8, 8, 8, 8));
    opt(o, 15, new Bytes().str('example.com'));
    opt(o, 28, new Bytes().u8(192, 0, 2, 255));
    opt(o, 2, new Bytes().u32(-3600 >>> 0));
    opt(
      o,
      121,
      new Bytes().u8(24, 10, 1, 2, 192, 0, 2, 1).u8(0, 192, 0, 2, 1).u8(32, 10, 9, 9, 9, 192, 0, 2, 2),
    );
    opt(o, 249, new Bytes().u8(40));
    opt(o, 46, new Bytes().u8(8));
    opt(o, 52, new Bytes().u8(3, 9));
    opt(o, 19, new Bytes().u8(0, 1, 2));
    opt(o, 33, new Bytes().u8(10, 0, 0, 0, 192, 0, 2, 1));
    opt(o, 26, new Bytes().u16(1500));
    opt(o, 23, new Bytes().u8(64));
    opt(o, 82, new Bytes().u8(1, 4).str('eth0').u8(2, 3, 1, 2, 3).u8(9, 2, 0xaa, 0xbb).u8(6, 10, 1));
    o.u8(255);
    p.push(
      udp(
        67,
        68,
        bootp(2, 0x3903f326, o, {
          yiaddr: [192, 0, 2, 100],
          siaddr: [192, 0, 2, 1],
          sname: 'boot.example',
          file: 'pxelinux.0',
        }),
        true,
      ),
    );
  }
  {
    const o = cookie();
    opt(o, 53, new Bytes().u8(3));
    opt(o, 50, new Bytes().u8(192, 0, 2, 100));
    opt(o, 61, new Bytes().u8(0).str('textid'));
    opt(o, 61, new Bytes().u8(99, 1, 2));
    opt(o, 81, new Bytes().u8(0xf5, 1, 2).str('x'));
    opt(o, 77, new Bytes().u8(0));
    opt(o, 200, new Bytes().u8(1, 2, 3));
    opt(o, 201, new Bytes().u16(1));
    opt(o, 202, new Bytes().u32(1, 2));
    opt(o, 53, new Bytes().u8(1, 2));
    o.u8(255);
    p.push(
      udp(68, 67, bootp(1, 0xabcdef, o, { ciaddr: [192, 0, 2, 100], giaddr: [192, 0, 2, 254], hops: 1 })),
    );
  }
  for (const m of [4, 5, 6, 7, 8, 10, 13, 99]) {
    p.push(udp(67, 68, bootp(2, m, opt(cookie(), 53, new Bytes().u8(m)).u8(255)), true));
  }
  // non-Ethernet hardware, CMU vendor area, other vendor magic, no magic, unknown op
  p.push(udp(68, 67, bootp(1, 1, null, { htype: 6, hlen: 6 })));
  p.push(udp(68, 67, bootp(1, 2, null, { htype: 1, hlen: 8 })));
  p.push(
    udp(
      68,
      67,
      bootp(
        1,
        3,
        new Bytes()
          .str('CMU')
          .u8(0)
          .u32(3)
          .u8(255, 255, 255, 0, 10, 0, 0, 1, 10, 0, 0, 2)
          .u32(0, 0, 0, 0, 0)
          .u8(...new Array(24).fill(0)),
      ),
    ),
  );
  p.push(udp(68, 67, bootp(1, 4, new Bytes().u32(0x12345678))));
  p.push(udp(68, 67, bootp(7, 5, null)));
  // truncated captures
  {
    const o = cookie();
    opt(o, 53, new Bytes().u8(1));
    opt(o, 12, new Bytes().str('a-long-host-name'));
    o.u8(255);
    const pkt = bootp(1, 6, o);
    for (const cut of [30, 120, 250, 245, 260]) p.push(udp(68, 67, pkt, false, 42 + cut));
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Mutated DNS: the crafted DNS messages with bytes flipped, counts changed and captures cut, from
// a fixed-seed generator, so the goldens pin 4.99.3's behaviour on malformed input too.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutatedDnsPackets(seed: number, count: number): Packet[] {
  const rnd = mulberry32(seed);
  const pick = (n: number): number => Math.floor(rnd() * n);
  const bases = dnsPackets().filter((p) => p.data[23] === 17 && p.caplen === p.data.length);
  const out: Packet[] = [];
  for (let k = 0; k < count; k++) {
    const base = bases[pick(bases.length)]!;
    const dns = base.data.slice(42);
    if (dns.length < 12) continue;
    const edits = 1 + pick(4);
    for (let e = 0; e < edits; e++) {
      const what = pick(10);
      if (what < 5) dns[pick(dns.length)] = pick(256);
      else if (what < 7) dns[4 + 2 * pick(4) + 1] = pick(6);
      else if (what < 8) dns[2] = pick(256);
      else if (what < 9) dns[12 + pick(dns.length - 12)] = 0xc0 | pick(4);
      else dns[3] = pick(256);
    }
    const fromServer = base.data[34] === 0 && base.data[35] === 53;
    const caplen = pick(3) === 0 ? 42 + pick(dns.length + 1) : undefined;
    out.push(udp(fromServer ? 53 : 40000, fromServer ? 40000 : 53, dns, fromServer, caplen));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// VRRP (IP protocol 112)

function vrrpPackets(): Packet[] {
  const p: Packet[] = [];
  const group = [224, 0, 0, 18];
  /** A VRRP message; v2 checksums the message alone, v3 adds the IPv4 pseudo-header. */
  const vrrp = (m: Bytes, ttl = 255, badSum = false, caplen?: number): void => {
    const l4 = m.bytes();
    let pseudo = 0;
    if (l4[0]! >> 4 === 3) pseudo = (192 << 8) + 0 + ((2 << 8) | 1) + ((224 << 8) | 0) + 18 + 112 + l4.length;
    const c = checksum(l4, 0, l4.length, pseudo) ^ (badSum ? 0x1234 : 0);
    l4[6] = c >>> 8;
    l4[7] = c & 0xff;
    const data = ipv4(112, [192, 0, 2, 1], group, l4, false, ttl);
    p.push({ data, caplen: caplen === undefined ? data.length : Math.min(caplen, data.length) });
  };
  vrrp(new Bytes().u8(0x21, 51, 100, 1, 0, 1).u16(0).u8(192, 0, 2, 100).u32(0, 0));
  vrrp(
    new Bytes().u8(0x21, 52, 254, 3, 1, 3).u16(0).u8(10, 0, 0, 1, 10, 0, 0, 2, 10, 0, 0, 3).str('secret12'),
  );
  vrrp(new Bytes().u8(0x21, 53, 1, 1, 1, 1).u16(0).u8(10, 0, 0, 9).str('ab\x01').u8(0, 0, 0, 0, 0));
  vrrp(new Bytes().u8(0x21, 54, 100, 1, 2, 5).u16(0).u8(10, 0, 0, 5).u32(1, 2), 64);
  vrrp(new Bytes().u8(0x21, 55, 100, 1, 7, 1).u16(0).u8(10, 0, 0, 5).u32(0, 0), 255, true);
  vrrp(new Bytes().u8(0x31, 56, 100, 2).u16(0x0fa0).u16(0).u8(10, 0, 0, 6, 10, 0, 0, 7));
  vrrp(new Bytes().u8(0x31, 57, 100, 1).u16(100).u16(0).u8(10, 0, 0, 8), 255, true);
  vrrp(new Bytes().u8(0x22, 58, 100, 1, 0, 1).u16(0).u8(10, 0, 0, 9));
  vrrp(new Bytes().u8(0x11, 59, 100, 1, 0, 1).u16(0).u8(10, 0, 0, 9));
  vrrp(
    new Bytes().u8(0x21, 60, 100, 2, 1, 1).u16(0).u8(10, 0, 0, 10, 10, 0, 0, 11).str('password'),
    255,
    false,
    14 + 20 + 14,
  );
  vrrp(new Bytes().u8(0x21, 61, 100, 1, 1, 1).u16(0).u8(10, 0, 0, 12).str('pass'), 255, false, 14 + 20 + 14);
  // VRRPv3 over IPv6 (RFC 5798 §5.1.2: to ff02::12, checksum over the IPv6 pseudo-header)
  const ALL_VRRP6 = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12];
  const vrrp6 = (m: Bytes, hlim = 255, badSum = false): void => {
    const l4 = m.bytes();
    let pseudo = 112 + l4.length;
    for (let i = 0; i < 16; i += 2)
      pseudo += ((LL_SERVER[i]! << 8) | LL_SERVER[i + 1]!) + ((ALL_VRRP6[i]! << 8) | ALL_VRRP6[i + 1]!);
    const c = checksum(l4, 0, l4.length, pseudo) ^ (badSum ? 0x0101 : 0);
    l4[6] = c >>> 8;
    l4[7] = c & 0xff;
    const b = new Uint8Array(54 + l4.length);
    b.set(MAC_A, 0);
    b.set(MAC_B, 6);
    b.set([0x86, 0xdd, 0x60, 0, 0, 0, l4.length >>> 8, l4.length & 0xff, 112, hlim], 12);
    b.set(LL_SERVER, 22);
    b.set(ALL_VRRP6, 38);
    b.set(l4, 54);
    p.push({ data: b, caplen: b.length });
  };
  vrrp6(new Bytes().u8(0x31, 70, 100, 1).u16(100).u16(0).u16(0xfe80, 0, 0, 0, 0, 0, 0, 0x100));
  vrrp6(
    new Bytes()
      .u8(0x31, 71, 200, 2)
      .u16(50)
      .u16(0)
      .u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1, 0x2001, 0xdb8, 0, 0, 0, 0, 0, 2),
    64,
    true,
  );
  return p;
}

// ---------------------------------------------------------------------------------------------
// TFTP

function tftpPackets(): Packet[] {
  const p: Packet[] = [];
  const t = (b: Bytes, caplen?: number): void => {
    p.push(udp(41000, 69, b.bytes(), false, caplen));
  };
  const z = (s: string): Bytes => new Bytes().str(s).u8(0);
  t(new Bytes().u16(1).str('file.txt').u8(0).str('octet').u8(0));
  t(
    new Bytes()
      .u16(1)
      .str('pxelinux.0')
      .u8(0)
      .str('octet')
      .u8(0)
      .u8(...z('blksize').a, ...z('1432').a, ...z('tsize').a, ...z('0').a),
  );
  t(new Bytes().u16(2).str('up.bin').u8(0).str('netascii').u8(0).u8(0));
  t(new Bytes().u16(3).u16(1).str('x'.repeat(40)));
  t(new Bytes().u16(4).u16(65535));
  t(new Bytes().u16(5).u16(1).str('File not found').u8(0));
  t(new Bytes().u16(5).u16(9).str('odd').u8(0));
  t(new Bytes().u16(5).u16(2));
  t(new Bytes().u16(6).u8(...z('blksize').a, ...z('1432').a));
  t(new Bytes().u16(9).u16(1));
  t(new Bytes().u8(1));
  t(new Bytes().u16(1).str('no-nul'));
  t(new Bytes().u16(1).str('nomode').u8(0));
  t(new Bytes().u16(4).u8(1));
  t(new Bytes().u16(1).str('cut-by-snaplen.txt').u8(0).str('octet').u8(0), 42 + 10);
  return p;
}

// ---------------------------------------------------------------------------------------------
// DHCPv6 (over IPv6/UDP, fe80::1 <-> ff02::1:2)

const LL_CLIENT = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56];
const LL_SERVER = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
const ALL_DHCP = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2];

function udp6(
  src: number[],
  dst: number[],
  sport: number,
  dport: number,
  payload: Uint8Array,
  caplen?: number,
): Packet {
  const ulen = 8 + payload.length;
  const b = new Uint8Array(14 + 40 + ulen);
  b.set(MAC_A, 0);
  b.set(MAC_B, 6);
  b[12] = 0x86;
  b[13] = 0xdd;
  b[14] = 0x60;
  b[18] = ulen >>> 8;
  b[19] = ulen & 0xff;
  b[20] = 17;
  b[21] = 255;
  b.set(src, 22);
  b.set(dst, 38);
  const u = 54;
  b.set([sport >>> 8, sport & 0xff, dport >>> 8, dport & 0xff, ulen >>> 8, ulen & 0xff], u);
  b.set(payload, u + 8);
  let pseudo = 17 + ulen;
  for (let i = 22; i < 54; i += 2) pseudo += (b[i]! << 8) | b[i + 1]!;
  const c = checksum(b, u, ulen, pseudo);
  b[u + 6] = c >>> 8;
  b[u + 7] = c & 0xff;
  return { data: b, caplen: caplen === undefined ? b.length : Math.min(caplen, b.length) };
}

function dhcp6Packets(): Packet[] {
  const p: Packet[] = [];
  const o = (code: number, data: Bytes): Bytes => new Bytes().u16(code, data.length).u8(...data.a);
  const msg = (type: number, xid: number, ...opts: Bytes[]): Bytes => {
    const b = new Bytes().u8(type, xid >>> 16, xid >>> 8, xid);
    for (const x of opts) b.u8(...x.a);
    return b;
  };
  const duidLlt = o(1, new Bytes().u16(1, 1).u32(0x2b3c4d5e).u8(0x52, 0x54, 0, 0x12, 0x34, 0x56));
  const server = o(2, new Bytes().u16(3, 1).u8(0x02, 0, 0, 0, 0, 1));
  const addr = new Bytes().u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x100).u32(3600, 7200);
  const c2s = (b: Bytes, caplen?: number): void => {
    p.push(udp6(LL_CLIENT, ALL_DHCP, 546, 547, b.bytes(), caplen));
  };
  const s2c = (b: Bytes): void => {
    p.push(udp6(LL_SERVER, LL_CLIENT, 547, 546, b.bytes()));
  };
  c2s(
    msg(
      1,
      0xabcdef,
      duidLlt,
      o(6, new Bytes().u16(23, 24, 56, 64, 82)),
      o(8, new Bytes().u16(0)),
      o(3, new Bytes().u32(1, 0, 0)),
      o(14, new Bytes()),
    ),
  );
  s2c(
    msg(
      2,
      0xabcdef,
      o(3, new Bytes().u32(1, 1800, 2880).u8(...o(5, addr).a)),
      duidLlt,
      server,
      o(7, new Bytes().u8(255)),
      o(23, new Bytes().u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1, 0x2001, 0xdb8, 0, 0, 0, 0, 0, 2)),
      o(24, new Bytes().name('example.test').name('lab')),
      o(13, new Bytes().u16(0).str('all good')),
    ),
  );
  c2s(
    msg(
      3,
      0x123456,
      duidLlt,
      server,
      o(
        25,
        new Bytes()
          .u32(7, 100, 200)
          .u8(...o(26, new Bytes().u32(3600, 7200).u8(56).u16(0x2001, 0xdb8, 0xaa, 0, 0, 0, 0, 0)).a),
      ),
    ),
  );
  s2c(
    msg(
      7,
      0x123456,
      server,
      o(13, new Bytes().u16(2)),
      o(13, new Bytes().u16(300)),
      o(13, new Bytes().u16(77)),
      o(13, new Bytes().u8(1)),
    ),
  );
  c2s(
    msg(
      11,
      1,
      o(2, new Bytes().u16(2).u32(311).u32(0x01020304).u16(0x0506)),
      o(2, new Bytes().u16(9)),
      o(1, new Bytes().u16(1, 1)),
      o(6, new Bytes().u8(1)),
    ),
  );
  c2s(
    msg(
      5,
      2,
      o(4, new Bytes().u32(9)),
      o(4, new Bytes().u32(10).u8(...o(5, addr).a)),
      o(32, new Bytes().u32(86400)),
      o(46, new Bytes().u16(1)),
    ),
  );
  s2c(
    msg(
      10,
      3,
      o(19, new Bytes().u8(5)),
      o(19, new Bytes().u8(11)),
      o(19, new Bytes().u8(9)),
      o(20, new Bytes()),
    ),
  );
  s2c(
    msg(
      7,
      4,
      o(
        56,
        new Bytes()
          .u16(1, 16)
          .u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x123)
          .u16(3, 13)
          .name('ntp.example')
          .u16(9, 0),
      ),
      o(64, new Bytes().name('aftr.example.test')),
      o(41, new Bytes().str('CET-1CEST')),
      o(112, new Bytes().str('https://mud.example/x')),
    ),
  );
  s2c(
    msg(
      7,
      5,
      o(11, new Bytes().u8(3, 1, 0).u32(0, 1).u8(1).u32(1, 2, 3, 4)),
      o(11, new Bytes().u8(2, 1, 0).u32(0, 2).str('realm').u32(7, 1, 2, 3, 4)),
      o(11, new Bytes().u8(9, 2, 1).u32(0, 3)),
    ),
  );
  s2c(
    msg(
      7,
      6,
      o(18, new Bytes().str('eth0.100-very-long-id')),
      o(37, new Bytes().u32(9).str('remote-identifier')),
      o(38, new Bytes().str('sub')),
      o(99, new Bytes().u8(1, 2)),
    ),
  );
  // relay-forward with a relayed solicit, and a relay-reply
  const inner = msg(1, 0x777777, duidLlt, o(8, new Bytes().u16(100)));
  const relay = new Bytes()
    .u8(12, 0)
    .u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)
    .u8(...LL_CLIENT);
  relay.u8(...o(18, new Bytes().str('ge-0/0/1')).a, ...o(9, inner).a);
  p.push(udp6(LL_SERVER, ALL_DHCP, 547, 547, relay.bytes()));
  const rr = new Bytes()
    .u8(13, 1)
    .u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)
    .u8(...LL_CLIENT)
    .u8(...o(9, msg(7, 0x777777, server)).a);
  p.push(udp6(LL_SERVER, LL_SERVER, 547, 547, rr.bytes()));
  // leasequery with query and client data
  c2s(
    msg(
      14,
      8,
      o(
        44,
        new Bytes()
          .u8(1)
          .u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x100)
          .u8(...o(6, new Bytes().u16(47)).a),
      ),
      o(45, new Bytes().u8(...server.a, ...o(46, new Bytes().u32(60)).a)),
      o(47, new Bytes().u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9).str('relaydata-more-than-ten')),
      o(48, new Bytes().u16(0x2001, 0xdb8, 0, 0, 0, 0, 0, 7)),
    ),
  );
  // malformed: bad lengths, option overrunning the message, unknown type, truncated capture
  c2s(
    msg(
      1,
      9,
      o(7, new Bytes().u16(1)),
      o(8, new Bytes().u8(1)),
      o(5, new Bytes().u32(1)),
      o(23, new Bytes().u32(1)),
      o(26, new Bytes().u32(1)),
      o(44, new Bytes().u32(1)),
      o(64, new Bytes().u8(1)),
      o(56, new Bytes().u8(1)),
    ),
  );
  c2s(msg(1, 10, duidLlt).u16(3, 40).u32(1));
  c2s(msg(0, 11, duidLlt));
  c2s(msg(99, 12));
  c2s(new Bytes().u8(1, 2));
  c2s(msg(1, 13, duidLlt, o(6, new Bytes().u16(23, 24))), 54 + 8 + 12);
  return p;
}

// ---------------------------------------------------------------------------------------------
// RIP

function ripPackets(): Packet[] {
  const p: Packet[] = [];
  const r = (b: Bytes, caplen?: number): void => {
    p.push(udp(520, 520, b.bytes(), false, caplen));
  };
  const v2route = (dst: number[], mask: number, nh: number[], metric: number, tag = 0, afi = 2): Bytes =>
    new Bytes()
      .u16(afi, tag)
      .u8(...dst)
      .u32(mask)
      .u8(...nh)
      .u32(metric);
  r(
    new Bytes()
      .u8(2, 1, 0, 0)
      .u16(2, 0)
      .u8(10, 0, 0, 0)
      .u32(0, 0, 1)
      .u16(2, 0)
      .u8(192, 0, 2, 0)
      .u32(0, 0, 16),
  );
  r(new Bytes().u8(1, 1, 0, 0).u16(0, 0).u32(0, 0, 0, 16));
  r(new Bytes().u8(2, 1, 0, 0).u16(6, 0).u32(1, 2, 3, 4).u16(2, 1).u8(10, 1, 0, 0).u32(0, 0, 2));
  r(new Bytes().u8(2, 1, 0, 0).u16(2, 0).u8(10, 1, 0, 0).u32(5, 0, 2).u8(0, 0));
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u8(...v2route([10, 0, 0, 0], 0xff000000, [0, 0, 0, 0], 1).a)
      .u8(...v2route([192, 0, 2, 0], 0xffffff00, [192, 0, 2, 254], 3, 0x1234).a),
  );
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u16(0xffff, 2)
      .str('secret')
      .u8(...new Array(10).fill(0))
      .u8(...v2route([10, 9, 0, 0], 0xffff0000, [0, 0, 0, 0], 2).a),
  );
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u16(0xffff, 3)
      .u16(44)
      .u8(1, 16)
      .u32(77, 0, 0)
      .u8(...v2route([10, 8, 0, 0], 0xff00ff00, [0, 0, 0, 0], 4).a)
      .u16(0xffff, 1)
      .u32(0xa1b2c3d4, 1, 2, 3),
  );
  r(new Bytes().u8(2, 2, 0, 0).u16(0xffff, 9).u32(1, 2));
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u8(...v2route([10, 7, 0, 0], 0xffffff00, [0, 0, 0, 0], 1, 0, 28).a)
      .u8(...v2route([0, 0, 0, 0], 0, [0, 0, 0, 0], 16, 0, 0).a),
  );
  r(new Bytes().u8(1, 2, 0, 0).u8(...v2route([0, 0, 0, 0], 0, [0, 0, 0, 0], 16, 0, 0).a));
  r(new Bytes().u8(2, 3, 0, 0).u32(1, 2, 3, 4, 5));
  r(new Bytes().u8(2, 0, 0, 0).u32(1, 2));
  r(new Bytes().u8(3, 2, 0, 0).str('/tmp/trace'));
  r(new Bytes().u8(5, 2, 0, 0));
  r(new Bytes().u8(9, 2, 0, 0).u32(7));
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u8(...v2route([10, 0, 0, 0], 0xff000000, [0, 0, 0, 0], 1).a)
      .u16(2, 0)
      .u32(1),
  );
  r(
    new Bytes()
      .u8(2, 2, 0, 0)
      .u8(...v2route([10, 0, 0, 0], 0xff000000, [0, 0, 0, 0], 1).a)
      .u8(...v2route([10, 1, 0, 0], 0xffff0000, [0, 0, 0, 0], 1).a),
    42 + 30,
  );
  r(new Bytes().u8(2, 2, 0, 0).u16(0xffff, 2).str('abc'), 42 + 10);
  r(new Bytes().u8(2));
  return p;
}

// ---------------------------------------------------------------------------------------------
// RIPng (over IPv6/UDP 521, to ff02::9)

function ripngPackets(): Packet[] {
  const p: Packet[] = [];
  const ALL_RIP = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
  const r = (b: Bytes, caplen?: number): void => {
    p.push(udp6(LL_SERVER, ALL_RIP, 521, 521, b.bytes(), caplen));
  };
  const rte = (prefix: number[], tag: number, plen: number, metric: number): Bytes =>
    new Bytes()
      .u16(...prefix)
      .u16(tag)
      .u8(plen, metric);
  const P1 = [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0];
  const P2 = [0x2001, 0xdb8, 1, 0, 0, 0, 0, 0];
  r(new Bytes().u8(1, 1, 0, 0).u8(...rte([0, 0, 0, 0, 0, 0, 0, 0], 0, 0, 16).a));
  r(new Bytes().u8(1, 1, 0, 0).u8(...rte(P1, 0, 64, 0).a, ...rte(P2, 5, 48, 3).a));
  r(
    new Bytes()
      .u8(2, 1, 0, 0)
      .u8(...rte(P1, 0, 64, 1).a, ...rte(P2, 7, 48, 2).a, ...rte([0, 0, 0, 0, 0, 0, 0, 0], 0, 0, 0).a),
  );
  r(
    new Bytes()
      .u8(2, 1, 0, 0)
      .u8(...rte(P1, 0, 64, 1).a)
      .u8(1, 2, 3),
  );
  r(new Bytes().u8(2, 2, 0, 0));
  r(new Bytes().u8(3, 1, 0, 0));
  r(new Bytes().u8(2, 1, 0));
  r(new Bytes().u8(2, 1, 0, 0).u8(...rte(P1, 0, 64, 1).a, ...rte(P2, 7, 48, 2).a), 62 + 30);
  return p;
}

// ---------------------------------------------------------------------------------------------
// HSRP (UDP 1985 to 224.0.0.2)

function hsrpPackets(): Packet[] {
  const p: Packet[] = [];
  const h = (b: Bytes, caplen?: number): void => {
    p.push(udp(1985, 1985, b.bytes(), false, caplen));
  };
  h(new Bytes().u8(0, 0, 16, 3, 10, 110, 1, 0).str('cisco').u8(0, 0, 0).u8(192, 0, 2, 254));
  h(new Bytes().u8(0, 1, 4, 3, 10, 90, 2, 0).str('password').u8(192, 0, 2, 253));
  h(new Bytes().u8(0, 2, 8, 200, 255, 0, 3, 7).u8(0x01, 0x80, 0).u8(0, 0, 0, 0, 0).u8(10, 0, 0, 1));
  h(new Bytes().u8(0, 9, 3, 3, 10, 100, 4, 0).u32(0, 0).u8(10, 0, 0, 2));
  h(new Bytes().u8(1, 0, 16, 3, 10, 100, 4, 0).u32(0, 0).u8(10, 0, 0, 2));
  h(new Bytes().u8(0, 0, 16, 3, 10, 100, 5, 0).str('cisco').u8(0, 0, 0).u8(10, 0, 0, 3), 42 + 18);
  h(new Bytes().u8(0, 0, 16, 3, 10, 100, 5, 0).str('cisco'), 42 + 11);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Kerberos (UDP 88)

function krbPackets(): Packet[] {
  const p: Packet[] = [];
  const k = (b: Bytes, fromServer = false, caplen?: number): void => {
    p.push(fromServer ? udp(88, 50000, b.bytes(), true, caplen) : udp(50000, 88, b.bytes(), false, caplen));
  };
  const z = (x: string): Bytes => new Bytes().str(x).u8(0);
  k(new Bytes().u8(0x6a, 0x81, 0x9c, 0x30, 0x81, 0x99).u32(0));
  k(new Bytes().u8(0x6b, 0x82, 0x02, 0x10).u32(0), true);
  k(new Bytes().u8(0x6c, 0x82, 0x01, 0x00).u32(0));
  k(new Bytes().u8(0x7e, 0x81, 0x90).u32(0), true);
  k(new Bytes().u8(2, 0).u32(0));
  k(
    new Bytes()
      .u8(4, 2)
      .u8(...z('alice').a, ...z('').a, ...z('EXAMPLE.TEST').a)
      .u32(0x11223344)
      .u8(96)
      .u8(...z('krbtgt').a, ...z('EXAMPLE.TEST').a),
  );
  k(
    new Bytes()
      .u8(4, 3)
      .u8(...z('bob').a, ...z('admin').a, ...z('EX').a)
      .u32(1)
      .u8(12)
      .u8(...z('rcmd').a, ...z('host').a),
  );
  k(
    new Bytes()
      .u8(4, 4)
      .u8(...z('alice').a, ...z('').a, ...z('EXAMPLE.TEST').a)
      .u32(1, 2)
      .u8(3, 4)
      .u16(0x1234),
    true,
  );
  k(
    new Bytes()
      .u8(4, 5)
      .u8(...z('alice').a, ...z('').a, ...z('EXAMPLE.TEST').a)
      .u32(1, 2)
      .u8(3, 4)
      .u16(0x1234),
    true,
  );
  k(
    new Bytes()
      .u8(4, 6)
      .u8(1)
      .u8(...z('EXAMPLE.TEST').a)
      .u8(40, 50),
  );
  k(
    new Bytes()
      .u8(4, 10)
      .u8(...z('carol').a, ...z('x').a, ...z('R').a)
      .u32(7)
      .u32(8)
      .u8(...z('Principal unknown').a),
    true,
  );
  k(
    new Bytes()
      .u8(4, 11)
      .u8(...z('carol').a, ...z('x').a, ...z('R').a)
      .u32(7)
      .u8(8, 0, 0, 0)
      .u8(...z('le error').a),
    true,
  );
  k(
    new Bytes()
      .u8(4, 10)
      .u8(...z('carol').a, ...z('x').a, ...z('R').a)
      .u32(7)
      .u32(99)
      .u8(...z('odd').a),
    true,
  );
  k(new Bytes().u8(4, 14).u32(0));
  k(new Bytes().u8(4, 126).u32(0));
  k(new Bytes().u8(4, 2).str('no-terminator'));
  k(
    new Bytes()
      .u8(4, 2)
      .u8(...z('alice').a, ...z('').a, ...z('EXAMPLE.TEST').a)
      .u32(0x11223344)
      .u8(96)
      .str('cut'),
  );
  k(new Bytes().u8(9, 9));
  k(
    new Bytes()
      .u8(4, 2)
      .u8(...z('alice').a)
      .str('abc'),
    false,
    42 + 9,
  );
  k(new Bytes(), false);
  return p;
}

// ---------------------------------------------------------------------------------------------
// BSD timed (UDP 525)

function timedPackets(): Packet[] {
  const p: Packet[] = [];
  const t = (b: Bytes, caplen?: number): void => {
    p.push(udp(525, 525, b.bytes(), false, caplen));
  };
  const name = (n: string): Bytes => new Bytes().str(n).u8(0);
  t(
    new Bytes()
      .u8(6, 1)
      .u16(7)
      .u32(0, 0)
      .u8(...name('master.example').a),
  );
  t(
    new Bytes()
      .u8(5, 1)
      .u16(8)
      .u32(1700000000, 250000)
      .u8(...name('m').a),
  );
  t(
    new Bytes()
      .u8(1, 1)
      .u16(9)
      .u32(-5 >>> 0, 250000)
      .u8(...name('neg').a),
  );
  t(
    new Bytes()
      .u8(1, 1)
      .u16(10)
      .u32(-1 >>> 0, 999999)
      .u8(...name('minus-zero').a),
  );
  t(
    new Bytes()
      .u8(22, 1)
      .u16(11)
      .u32(3, -1 >>> 0)
      .u8(...name('bad-usec').a),
  );
  t(
    new Bytes()
      .u8(24, 1)
      .u16(12)
      .u8(9, 0, 0, 0)
      .u32(0)
      .u8(...name('looper').a),
  );
  t(
    new Bytes()
      .u8(99, 2)
      .u16(13)
      .u32(0, 0)
      .u8(...name('odd\x01').a),
  );
  t(new Bytes().u8(3, 1).u16(14).u32(0, 0).str('x'.repeat(300)));
  t(new Bytes().u8(6, 1).u16(15).u32(0, 0).str('cut-name'), 42 + 16);
  t(new Bytes().u8(6, 1), 42 + 2);
  return p;
}

/** Writes the crafted captures into dir; returns their file names. */
export function writeCraftedCaptures(dir: string): string[] {
  ipId = 1;
  tcpSeq = 1000;
  const files: [string, Packet[]][] = [
    ['crafted-dns.pcap', dnsPackets()],
    ['crafted-ntp.pcap', ntpPackets()],
    ['crafted-syslog.pcap', syslogPackets()],
    ['crafted-dhcp.pcap', dhcpPackets()],
    ['mutated-dns.pcap', mutatedDnsPackets(20261123, 400)],
    ['crafted-vrrp.pcap', vrrpPackets()],
    ['crafted-tftp.pcap', tftpPackets()],
    ['crafted-dhcp6.pcap', dhcp6Packets()],
    ['crafted-rip.pcap', ripPackets()],
    ['crafted-ripng.pcap', ripngPackets()],
    ['crafted-hsrp.pcap', hsrpPackets()],
    ['crafted-krb.pcap', krbPackets()],
    ['crafted-timed.pcap', timedPackets()],
  ];
  for (const [name, packets] of files) writePcap(join(dir, name), packets);
  return files.map(([n]) => n);
}
