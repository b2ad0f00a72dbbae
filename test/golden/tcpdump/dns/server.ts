// A tiny authoritative DNS server (UDP and TCP, built on src/wire/dns.ts) plus NTP and syslog
// endpoints, used by regen.ts to make real captures inside a network namespace.
// usage: node --import tsx server.ts ADDR   (DNS on 53 and 5300 and [::1]:53, NTP on 123, syslog
// sink on 514)
import dgram from 'node:dgram';
import net from 'node:net';
import {
  DNS_FLAG_AA,
  DNS_FLAG_QR,
  DNS_FLAG_RD,
  DNS_FLAG_TC,
  DnsType,
  DnsView,
  EdnsOpt,
  EdnsOption,
  emitHeader,
  emitName,
  RrCursor,
  readName,
} from '../../../../src/wire/dns.js';

const ZONE = 'example.test.';

type Rdata = (buf: Uint8Array, off: number) => number;

const u16 =
  (v: number): Rdata =>
  (b, o) => {
    b[o] = v >>> 8;
    b[o + 1] = v & 0xff;
    return o + 2;
  };
const bytes =
  (...v: number[]): Rdata =>
  (b, o) => {
    b.set(v, o);
    return o + v.length;
  };
const name =
  (n: string): Rdata =>
  (b, o) =>
    emitName(n, b, o);
const txt =
  (...s: string[]): Rdata =>
  (b, o) => {
    for (const x of s) {
      b[o++] = x.length;
      for (let k = 0; k < x.length; k++) b[o++] = x.charCodeAt(k);
    }
    return o;
  };
const seq =
  (...parts: Rdata[]): Rdata =>
  (b, o) => {
    for (const p of parts) o = p(b, o);
    return o;
  };

interface Rr {
  name: string;
  type: number;
  ttl: number;
  rdata: Rdata;
}

const SOA: Rr = {
  name: ZONE,
  type: DnsType.SOA,
  ttl: 3600,
  rdata: seq(
    name(`ns1.${ZONE}`),
    name(`hostmaster.${ZONE}`),
    bytes(0x78, 0x9a, 0xbc, 0xde, 0, 0, 0x1c, 0x20, 0, 0, 0x0e, 0x10, 0, 0x12, 0x75, 0, 0, 0, 1, 0x2c),
  ),
};

const RECORDS: Rr[] = [
  { name: ZONE, type: DnsType.A, ttl: 300, rdata: bytes(192, 0, 2, 1) },
  { name: ZONE, type: DnsType.A, ttl: 300, rdata: bytes(192, 0, 2, 2) },
  {
    name: ZONE,
    type: DnsType.AAAA,
    ttl: 300,
    rdata: bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
  },
  { name: ZONE, type: DnsType.MX, ttl: 3600, rdata: seq(u16(10), name(`mail.${ZONE}`)) },
  { name: ZONE, type: DnsType.MX, ttl: 3600, rdata: seq(u16(20), name(`backup.${ZONE}`)) },
  { name: ZONE, type: DnsType.TXT, ttl: 60, rdata: txt('hello', 'world "quoted"') },
  { name: ZONE, type: DnsType.NS, ttl: 86400, rdata: name(`ns1.${ZONE}`) },
  SOA,
  {
    name: `_sip._udp.${ZONE}`,
    type: DnsType.SRV,
    ttl: 600,
    rdata: seq(u16(10), u16(60), u16(5060), name(`sip.${ZONE}`)),
  },
  { name: `www.${ZONE}`, type: DnsType.CNAME, ttl: 120, rdata: name(ZONE) },
  { name: `ns1.${ZONE}`, type: DnsType.A, ttl: 86400, rdata: bytes(192, 0, 2, 53) },
  { name: '1.2.0.192.in-addr.arpa.', type: DnsType.PTR, ttl: 86400, rdata: name(ZONE) },
  // Big enough (> 512 bytes) that a plain UDP answer is truncated (TC) and dig retries over TCP.
  ...Array.from({ length: 6 }, (_, k) => ({
    name: `big.${ZONE}`,
    type: DnsType.TXT,
    ttl: 60,
    rdata: txt(`${k}:${'abcdefghijklmnopqrstuvwxyz'.repeat(4)}`),
  })),
];

const view = new DnsView();
const cursor = new RrCursor();
const edns = new EdnsOpt();

/** Builds the answer to the query in q; `maxUdp` 0 for TCP (no limit). */
function answer(q: Uint8Array, maxUdp: number): Uint8Array | null {
  view.wrap(q, 0, q.length);
  if (view.check() !== 0 || view.qr || view.qdcount !== 1) return null;
  cursor.wrap(view);
  if (!cursor.nextQuestion()) return null;
  const qname = readName(q, 0, cursor.nameOff, q.length).text.toLowerCase();
  const qtype = cursor.type;
  // EDNS: echo the OPT record (with a server cookie after the client's).
  let ednsSize = 0;
  let clientCookie: Uint8Array | null = null;
  if (edns.find(view)) {
    ednsSize = Math.max(edns.udpSize, 512);
    while (edns.nextOption()) {
      if (edns.code === EdnsOption.COOKIE && edns.dataLen >= 8)
        clientCookie = q.slice(edns.dataOff, edns.dataOff + 8);
    }
  }
  const owners = RECORDS.filter((r) => r.name === qname);
  const matches = owners.filter((r) => r.type === qtype || qtype === DnsType.ANY);
  // Follow one CNAME (RFC 1034 §3.6.2): the alias, then the target's records of the asked type.
  const alias = owners.find((r) => r.type === DnsType.CNAME);
  if (alias && qtype !== DnsType.CNAME && matches.length === 0) {
    matches.push(alias, ...RECORDS.filter((r) => r.name === ZONE && r.type === qtype));
  }
  // REFUSED outside the zone, NXDOMAIN for names it does not hold
  const rcode = owners.length !== 0 ? 0 : qname.endsWith(ZONE) ? 3 : 5;
  const buf = new Uint8Array(4096);
  let o = 12;
  o = emitName(qname, buf, o);
  buf[o++] = qtype >>> 8;
  buf[o++] = qtype & 0xff;
  buf[o++] = 0;
  buf[o++] = 1;
  const writeRr = (r: Rr): void => {
    o = emitName(r.name, buf, o);
    buf.set(
      [
        r.type >>> 8,
        r.type & 0xff,
        0,
        1,
        r.ttl >>> 24,
        (r.ttl >>> 16) & 0xff,
        (r.ttl >>> 8) & 0xff,
        r.ttl & 0xff,
      ],
      o,
    );
    o += 8;
    const lenAt = o;
    o = r.rdata(buf, o + 2);
    const len = o - lenAt - 2;
    buf[lenAt] = len >>> 8;
    buf[lenAt + 1] = len & 0xff;
  };
  for (const r of matches) writeRr(r);
  const authority = matches.length === 0 && rcode !== 5 ? [SOA] : [];
  for (const r of authority) writeRr(r);
  let arcount = 0;
  if (ednsSize) {
    const opts: number[] = [];
    if (clientCookie)
      opts.push(0, 10, 0, 16, ...clientCookie, 0x5e, 0x1f, 0x00, 0x0d, 0x65, 0x87, 0x12, 0x34);
    buf.set([0, 0, 41, 0x04, 0xd0, 0, 0, 0, 0, opts.length >>> 8, opts.length & 0xff, ...opts], o);
    o += 11 + opts.length;
    arcount = 1;
  }
  let flags = DNS_FLAG_QR | DNS_FLAG_AA | (view.flags & DNS_FLAG_RD) | rcode;
  const limit = maxUdp === 0 ? 65535 : ednsSize || maxUdp;
  let an = matches.length;
  let ns = authority.length;
  if (o > limit) {
    // RFC 2181 §9: set TC and send what fits (here: the question only).
    flags |= DNS_FLAG_TC;
    o = 12 + (qname === '.' ? 1 : qname.length + 1) + 4;
    an = 0;
    ns = 0;
    arcount = 0;
  }
  emitHeader({ id: view.id, flags, qdcount: 1, ancount: an, nscount: ns, arcount }, buf, 0);
  return buf.slice(0, o);
}

function ntpReply(q: Uint8Array): Uint8Array | null {
  if (q.length < 48 || (q[0]! & 7) !== 3) return null;
  const r = new Uint8Array(48);
  const now = Date.now() / 1000 + 2208988800;
  const put = (at: number, t: number): void => {
    const s = Math.floor(t);
    const f = Math.floor((t - s) * 4294967296);
    new DataView(r.buffer).setUint32(at, s);
    new DataView(r.buffer).setUint32(at + 4, f);
  };
  r[0] = (q[0]! & 0x38) | 4; // same version, server
  r[1] = 2;
  r[2] = q[2]!;
  r[3] = 0xe9;
  r.set([0, 0, 0x01, 0x00, 0, 0, 0x02, 0x00, 192, 0, 2, 123], 4);
  put(16, now - 64);
  r.set(q.subarray(40, 48), 24); // originate = client's transmit
  put(32, now);
  put(40, now);
  return r;
}

const addr = process.argv[2] ?? '127.0.0.1';
const dnsEndpoints: [string, number][] = [
  [addr, 53],
  [addr, 5300],
  ['::1', 53],
];
for (const [host, port] of dnsEndpoints) {
  const udp = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => {
    const r = answer(new Uint8Array(msg), 512);
    if (r) udp.send(r, rinfo.port, rinfo.address);
  });
  udp.bind(port, host);
  net
    .createServer((sock) => {
      let pending = Buffer.alloc(0);
      sock.on('data', (d) => {
        pending = Buffer.concat([pending, d]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const len = pending.readUInt16BE(0);
          const r = answer(new Uint8Array(pending.subarray(2, 2 + len)), 0);
          pending = pending.subarray(2 + len);
          if (r) {
            const out = Buffer.alloc(2 + r.length);
            out.writeUInt16BE(r.length, 0);
            out.set(r, 2);
            sock.write(out);
          }
        }
      });
      sock.on('error', () => sock.destroy());
    })
    .listen(port, host);
}
const ntp = dgram.createSocket('udp4');
ntp.on('message', (msg, rinfo) => {
  const r = ntpReply(new Uint8Array(msg));
  if (r) ntp.send(r, rinfo.port, rinfo.address);
});
ntp.bind(123, addr);
// syslog: a sink so that no ICMP port-unreachable follows the messages
dgram.createSocket('udp4').bind(514, addr);
// mDNS (RFC 6762): answers `host.local` A/AAAA on 224.0.0.251:5353 with the cache-flush bit set
const MDNS_GROUP = '224.0.0.251';
const mdns = dgram.createSocket({ type: 'udp4', reuseAddr: true });
mdns.on('message', (msg) => {
  const q = new Uint8Array(msg);
  view.wrap(q, 0, q.length);
  if (view.check() !== 0 || view.qr || view.qdcount < 1) return;
  cursor.wrap(view);
  if (!cursor.nextQuestion()) return;
  const name = readName(q, 0, cursor.nameOff, q.length).text.toLowerCase();
  if (name !== 'host.local.') return;
  const buf = new Uint8Array(512);
  let o = 12;
  const rr = (type: number, rdata: number[]): void => {
    o = emitName('host.local', buf, o);
    buf.set([type >>> 8, type & 0xff, 0x80, 0x01, 0, 0, 0, 120, 0, rdata.length, ...rdata], o);
    o += 10 + rdata.length;
  };
  rr(DnsType.A, [192, 0, 2, 77]);
  rr(DnsType.AAAA, [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x77]);
  emitHeader(
    { id: 0, flags: DNS_FLAG_QR | DNS_FLAG_AA, qdcount: 0, ancount: 2, nscount: 0, arcount: 0 },
    buf,
    0,
  );
  mdns.send(buf.subarray(0, o), 5353, MDNS_GROUP);
});
mdns.bind(5353, () => {
  try {
    mdns.addMembership(MDNS_GROUP, addr);
    mdns.setMulticastInterface(addr);
    mdns.setMulticastLoopback(true);
  } catch {
    // no multicast route: mDNS stays silent
  }
  process.stdout.write('ready\n');
});
