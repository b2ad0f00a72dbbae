// Rebuilds cases.tsv: each forward/ case as (name, op, args, in-hex, out-hex, verdict).
// The expected output is NOT computed by forward/: the packet is emitted again from scratch with
// the rewritten fields and full checksums (wire/ emitters), so the fixtures check the incremental
// updates against an independent full computation. Run: node --import tsx test/golden/forward/regen.ts
import { writeFileSync } from 'node:fs';
import { internetChecksum } from '../../../src/wire/checksum.js';
import { emitIpv4, ipv4PseudoHeaderSum, parseIpv4 } from '../../../src/wire/ipv4.js';
import { emitTcp } from '../../../src/wire/tcp.js';
import { emitUdp } from '../../../src/wire/udp.js';

interface Pkt {
  src: string;
  dst: string;
  proto: 6 | 17 | 1;
  sport: number;
  dport: number;
  ttl?: number;
  id?: number;
  flagsFrag?: number;
  tcpFlags?: number;
  seq?: number;
  options?: number[];
  payload?: number[];
  udpNoCheck?: boolean;
  /** ICMP error: type, code, quoted packet bytes. */
  icmp?: { type: number; code: number; quote: Uint8Array; rest?: number };
}

function build(p: Pkt): Uint8Array {
  const payload = Uint8Array.from(p.payload ?? []);
  const buf = new Uint8Array(1600);
  let l4len: number;
  const ipOff = 0;
  const l4 = 20;
  if (p.proto === 6) {
    const hl = emitTcp(
      {
        srcPort: p.sport,
        dstPort: p.dport,
        seqNumber: p.seq ?? 0x11223344,
        ackNumber: 0,
        flags: p.tcpFlags ?? 0x02,
        window: 64240,
        urgentPointer: 0,
        options: p.options ? Uint8Array.from(p.options) : null,
      },
      buf,
      l4,
    );
    buf.set(payload, l4 + hl);
    l4len = hl + payload.length;
  } else if (p.proto === 17) {
    emitUdp({ srcPort: p.sport, dstPort: p.dport, payloadLength: payload.length }, buf, l4);
    buf.set(payload, l4 + 8);
    l4len = 8 + payload.length;
  } else {
    const ic = p.icmp!;
    buf[l4] = ic.type;
    buf[l4 + 1] = ic.code;
    buf[l4 + 6] = (ic.rest ?? 0) >>> 8;
    buf[l4 + 7] = (ic.rest ?? 0) & 0xff;
    buf.set(ic.quote, l4 + 8);
    l4len = 8 + ic.quote.length;
    const c = internetChecksum(buf, l4, l4len);
    buf[l4 + 2] = c >>> 8;
    buf[l4 + 3] = c & 0xff;
  }
  const src = parseIpv4(p.src);
  const dst = parseIpv4(p.dst);
  emitIpv4(
    {
      tos: 0,
      totalLength: 20 + l4len,
      identification: p.id ?? 0x1234,
      flagsFragment: p.flagsFrag ?? 0x4000,
      ttl: p.ttl ?? 64,
      protocol: p.proto,
      srcAddr: src,
      dstAddr: dst,
      options: null,
    },
    buf,
    ipOff,
  );
  const later = ((p.flagsFrag ?? 0) & 0x1fff) !== 0;
  if (p.proto !== 1 && !later && !(p.proto === 17 && p.udpNoCheck)) {
    const co = l4 + (p.proto === 6 ? 16 : 6);
    let c = internetChecksum(buf, l4, l4len, ipv4PseudoHeaderSum(src, dst, p.proto, l4len));
    if (c === 0 && p.proto === 17) c = 0xffff;
    buf[co] = c >>> 8;
    buf[co + 1] = c & 0xff;
  }
  return buf.slice(0, 20 + l4len);
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const rows: string[] = ['# name\top\targs\tin-hex\tout-hex\tverdict'];
function row(
  name: string,
  op: string,
  args: string,
  inp: Uint8Array,
  out: Uint8Array | null,
  verdict: string,
) {
  rows.push([name, op, args, hex(inp), out ? hex(out) : '-', verdict].join('\t'));
}

const C = '198.19.1.2';
const VIP = '198.19.0.10';
const R1 = '198.19.2.2';
const LIP = '198.19.9.1';
const DIP = '198.19.2.1';
const mssOpt = [2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];
const http = [...Buffer.from('GET / HTTP/1.1\r\nHost: v\r\n\r\n')];

// NAT in/out, TCP and UDP, with odd payloads, a UDP without checksum, a later fragment.
for (const [i, sport] of [40000, 51515, 65535].entries()) {
  const syn = { src: C, dst: VIP, proto: 6 as const, sport, dport: 80, options: mssOpt };
  row(
    `nat-in-syn-${i}`,
    'natIn',
    `${R1} 8080`,
    build(syn),
    build({ ...syn, dst: R1, dport: 8080 }),
    'forward',
  );
  const rep = {
    src: R1,
    dst: C,
    proto: 6 as const,
    sport: 8080,
    dport: sport,
    tcpFlags: 0x12,
    payload: http,
  };
  row(`nat-out-${i}`, 'natOut', `${VIP} 80`, build(rep), build({ ...rep, src: VIP, sport: 80 }), 'forward');
}
const dns = { src: C, dst: VIP, proto: 17 as const, sport: 5353, dport: 53, payload: [1, 2, 3, 4, 5] };
row('nat-in-udp', 'natIn', `${R1} 5300`, build(dns), build({ ...dns, dst: R1, dport: 5300 }), 'forward');
const dns0 = { ...dns, udpNoCheck: true };
row(
  'nat-in-udp-nocsum',
  'natIn',
  `${R1} 5300`,
  build(dns0),
  build({ ...dns0, dst: R1, dport: 5300 }),
  'forward',
);
const frag = {
  src: C,
  dst: VIP,
  proto: 17 as const,
  sport: 0x0102,
  dport: 0x0304,
  flagsFrag: 0x0010,
  payload: [9, 9],
};
row(
  'nat-in-later-fragment',
  'natIn',
  `${R1} 5300`,
  build(frag),
  build({ ...frag, dst: R1 }),
  'forward-fragment',
);
const bad = build(syn0());
row('nat-in-truncated', 'natIn', `${R1} 80`, bad.slice(0, 30), null, 'drop-malformed');
function syn0() {
  return { src: C, dst: VIP, proto: 6 as const, sport: 40000, dport: 80 };
}
// FULLNAT.
const fsyn = { src: C, dst: VIP, proto: 6 as const, sport: 40001, dport: 80, options: mssOpt };
row(
  'fullnat-in',
  'fullnatIn',
  `${LIP} 1025 ${R1} 80`,
  build(fsyn),
  build({ ...fsyn, src: LIP, sport: 1025, dst: R1 }),
  'forward',
);
const frep = { src: R1, dst: LIP, proto: 6 as const, sport: 80, dport: 1025, tcpFlags: 0x12 };
row(
  'fullnat-out',
  'fullnatOut',
  `${VIP} 80 ${C} 40001`,
  build(frep),
  build({ ...frep, src: VIP, dst: C, dport: 40001 }),
  'forward',
);
// TTL.
row('ttl-dec', 'ttl', '-1', build({ ...syn0(), ttl: 64 }), build({ ...syn0(), ttl: 63 }), 'forward');
row('ttl-inc', 'ttl', '1', build({ ...syn0(), ttl: 63 }), build({ ...syn0(), ttl: 64 }), 'forward');
row('ttl-expired', 'ttl', '-1', build({ ...syn0(), ttl: 1 }), null, 'drop-ttl');
// MSS clamp: 1460 -> 1420 (even offset) and after a NOP (odd offset).
row(
  'mss-clamp',
  'mss',
  '1420',
  build({ ...syn0(), options: mssOpt }),
  build({ ...syn0(), options: [2, 4, 0x05, 0x8c, ...mssOpt.slice(4)] }),
  'forward',
);
const oddOpt = [1, 2, 4, 0x05, 0xb4, 1, 1, 1];
row(
  'mss-clamp-odd',
  'mss',
  '1380',
  build({ ...syn0(), options: oddOpt }),
  build({ ...syn0(), options: [1, 2, 4, 0x05, 0x64, 1, 1, 1] }),
  'forward',
);
row(
  'mss-below',
  'mss',
  '1500',
  build({ ...syn0(), options: mssOpt }),
  build({ ...syn0(), options: mssOpt }),
  'forward',
);
// IP-in-IP: outer header built independently.
for (const [name, ff, mtu, v] of [
  ['ipip-df', 0x4000, 1500, 'forward'],
  ['ipip-nodf', 0, 1500, 'forward'],
  ['ipip-frag-needed', 0x4000, 60, 'frag-needed'],
] as const) {
  const inner = build({ ...syn0(), flagsFrag: ff, options: mssOpt, ttl: 63 });
  const out = new Uint8Array(20 + inner.length);
  emitIpv4(
    {
      tos: 0,
      totalLength: out.length,
      identification: 0xbeef,
      flagsFragment: ff & 0x4000,
      ttl: 63,
      protocol: 4,
      srcAddr: parseIpv4(DIP),
      dstAddr: parseIpv4(R1),
      options: null,
    },
    out,
    0,
  );
  out.set(inner, 20);
  row(name, 'ipip', `${DIP} ${R1} 48879 ${mtu}`, inner, v === 'forward' ? out : null, v);
}
// DR: Ethernet header in front, IP untouched.
{
  const ip = build(syn0());
  const out = new Uint8Array(14 + ip.length);
  out.set([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0]);
  out.set(ip, 14);
  row('dr', 'dr', '02:00:00:00:00:02 02:00:00:00:00:01', ip, out, 'forward');
}
// ICMP errors: port unreachable from the real server quoting client -> RIP:8080 (to client),
// frag needed from the client side quoting VIP:80 -> client (to real).
{
  const quotedIn = build({ src: C, dst: R1, proto: 17, sport: 5353, dport: 5300, payload: [1, 2, 3] }).slice(
    0,
    28,
  );
  const quotedOut = build({ src: C, dst: VIP, proto: 17, sport: 5353, dport: 53, payload: [1, 2, 3] }).slice(
    0,
    28,
  );
  // The quoted UDP checksum is left as sent (IPVS does not fix L4 checksums inside quotes).
  quotedOut.set(quotedIn.subarray(26, 28), 26);
  const e = {
    src: R1,
    dst: C,
    proto: 1 as const,
    sport: 0,
    dport: 0,
    icmp: { type: 3, code: 3, quote: quotedIn },
  };
  row(
    'icmp-port-unreach-out',
    'icmpOut',
    `${VIP} 53`,
    build(e),
    build({ ...e, src: VIP, icmp: { ...e.icmp, quote: quotedOut } }),
    'forward',
  );
  const tq = build({ src: VIP, dst: C, proto: 6, sport: 80, dport: 40000, tcpFlags: 0x10 }).slice(0, 28);
  const tqr = build({ src: R1, dst: C, proto: 6, sport: 8080, dport: 40000, tcpFlags: 0x10 }).slice(0, 28);
  const f = {
    src: '198.19.1.1',
    dst: VIP,
    proto: 1 as const,
    sport: 0,
    dport: 0,
    icmp: { type: 3, code: 4, quote: tq, rest: 1400 },
  };
  row(
    'icmp-frag-needed-in',
    'icmpIn',
    `${R1} 8080`,
    build(f),
    build({ ...f, dst: R1, icmp: { ...f.icmp, quote: tqr } }),
    'forward',
  );
  row(
    'icmp-echo-not-error',
    'icmpOut',
    `${VIP} 53`,
    build({ ...e, icmp: { ...e.icmp, type: 8 } }),
    null,
    'drop-malformed',
  );
}
writeFileSync(new URL('./cases.tsv', import.meta.url), `${rows.join('\n')}\n`);
process.stdout.write(`${rows.length - 1} rows\n`);
