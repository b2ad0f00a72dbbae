// Forwarder + Batcher over an in-memory IP link with a real Director: packets in -> packets out,
// LVS TCP states in connections(now), counters, drops (malformed, no service, fragments, TTL).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director, type ServiceKey } from '../../director/index.js';
import { internetChecksum } from '../../wire/checksum.js';
import { Batcher, type IpLink } from './batch.js';
import { Action, Forwarder, M_FULLNAT, M_GATE, M_IPIP, M_MASQ } from './forwarder.js';
import { u32ToV4, v4ToU32 } from './netconf.js';

const VIP = '10.99.1.100';
const CIP = '10.99.1.2';
const WEB: ServiceKey = { kind: 'addr', protocol: 'TCP', address: VIP, port: 80 };

function ok<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

/** An IPv4 TCP (or UDP) packet with valid checksums. */
function pkt(
  src: string,
  dst: string,
  sport: number,
  dport: number,
  o: {
    flags?: number;
    seq?: number;
    proto?: number;
    ttl?: number;
    frag?: number;
    id?: number;
    payload?: number;
  } = {},
): Uint8Array {
  const proto = o.proto ?? 6;
  const l4 = proto === 6 ? 20 : 8;
  const pay = o.payload ?? 0;
  const b = new Uint8Array(20 + l4 + pay);
  const dv = new DataView(b.buffer);
  b[0] = 0x45;
  dv.setUint16(2, b.length);
  dv.setUint16(4, o.id ?? 1);
  dv.setUint16(6, o.frag ?? 0x4000);
  b[8] = o.ttl ?? 64;
  b[9] = proto;
  dv.setUint32(12, v4ToU32(src));
  dv.setUint32(16, v4ToU32(dst));
  dv.setUint16(10, internetChecksum(b, 0, 20));
  dv.setUint16(20, sport);
  dv.setUint16(22, dport);
  for (let i = 0; i < pay; i++) b[20 + l4 + i] = i & 0xff;
  if (proto === 6) {
    dv.setUint32(24, o.seq ?? 1000);
    b[32] = 0x50;
    b[33] = o.flags ?? 0x02;
    dv.setUint16(34, 65535);
  } else dv.setUint16(24, 8 + pay);
  const pseudo = new Uint8Array(12 + l4 + pay);
  pseudo.set(b.subarray(12, 20), 0);
  pseudo[9] = proto;
  new DataView(pseudo.buffer).setUint16(10, l4 + pay);
  pseudo.set(b.subarray(20), 12);
  dv.setUint16(proto === 6 ? 36 : 26, internetChecksum(pseudo, 0, pseudo.length));
  return b;
}

function checksumsOk(b: Uint8Array): boolean {
  if (internetChecksum(b, 0, 20) !== 0) return false;
  const l = b.length - 20;
  const pseudo = new Uint8Array(12 + l);
  pseudo.set(b.subarray(12, 20), 0);
  pseudo[9] = b[9]!;
  new DataView(pseudo.buffer).setUint16(10, l);
  pseudo.set(b.subarray(20), 12);
  return internetChecksum(pseudo, 0, pseudo.length) === 0;
}

const f = (b: Uint8Array) => ({
  src: u32ToV4(new DataView(b.buffer, b.byteOffset).getUint32(12)),
  dst: u32ToV4(new DataView(b.buffer, b.byteOffset).getUint32(16)),
  sport: (b[20]! << 8) | b[21]!,
  dport: (b[22]! << 8) | b[23]!,
  seq: new DataView(b.buffer, b.byteOffset).getUint32(24),
  ttl: b[8]!,
});

/** A fake TUN: packets queued for reading, packets written collected. */
class MemoryLink implements IpLink {
  inbox: Uint8Array[] = [];
  written: Uint8Array[] = [];
  readBatch(buf: Uint8Array): number {
    let pos = 0;
    const le = new DataView(buf.buffer, buf.byteOffset);
    while (this.inbox.length > 0 && pos + 4 + this.inbox[0]!.length <= buf.length) {
      const p = this.inbox.shift()!;
      le.setUint32(pos, p.length, true);
      buf.set(p, pos + 4);
      pos += 4 + ((p.length + 3) & ~3);
    }
    return pos;
  }
  writeBatch(buf: Uint8Array, offsets: Uint32Array, count: number): number {
    for (let i = 0; i < count; i++)
      this.written.push(buf.slice(offsets[2 * i]!, offsets[2 * i]! + offsets[2 * i + 1]!));
    return count;
  }
}

function natSetup(method: 'masq' | 'fullnat' = 'masq') {
  const d = new Director({ connCapacity: 64 });
  ok(d.addService(WEB, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(WEB, { address: '10.99.2.11', port: 8080, method }));
  const r2 = ok(d.addServer(WEB, { address: '10.99.2.12', port: 8080, method }));
  const fwd = new Forwarder(d, {
    localAddresses: [v4ToU32('10.99.2.250')],
    localPortLow: 5000,
    localPortHigh: 5001,
  });
  const m = method === 'masq' ? M_MASQ : M_FULLNAT;
  fwd.setReal(r1, { method: m });
  fwd.setReal(r2, { method: m });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  return { d, fwd, link, batch };
}

test('NAT: SYN to the VIP goes to a real server with the client ISN; replies come back from the VIP', () => {
  const { d, fwd, link, batch } = natSetup();
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { seq: 123456789, ttl: 63 }));
  assert.equal(batch.run(0, 4), 1);
  assert.equal(link.written.length, 1);
  const out = f(link.written[0]!);
  assert.ok(checksumsOk(link.written[0]!));
  assert.equal(out.src, CIP);
  assert.ok(out.dst === '10.99.2.11' || out.dst === '10.99.2.12');
  assert.equal(out.dport, 8080);
  assert.equal(out.seq, 123456789, 'sequence numbers untouched: one handshake end to end');
  assert.equal(out.ttl, 64, 'the hop the kernel takes again is given back');
  let rows = d.connections(0);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.state, 'SYN_RECV');
  // SYN-ACK from the real server.
  link.inbox.push(pkt(out.dst, CIP, 8080, 40000, { flags: 0x12, seq: 777 }));
  batch.run(1, 4);
  const back = f(link.written[1]!);
  assert.ok(checksumsOk(link.written[1]!));
  assert.deepEqual([back.src, back.sport, back.dst, back.dport, back.seq], [VIP, 80, CIP, 40000, 777]);
  // ACK from the client: ESTABLISHED; then FIN both ways.
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { flags: 0x10 }));
  batch.run(2, 4);
  rows = d.connections(2);
  assert.equal(rows[0]!.state, 'ESTABLISHED');
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { flags: 0x11 }));
  batch.run(3, 4);
  assert.equal(d.connections(3)[0]!.state, 'CLOSE_WAIT', 'client FIN in ESTABLISHED (IPVS input table)');
  const snap = d.snapshot();
  assert.equal(snap.total.conns, 1);
  assert.equal(snap.total.inpkts, 3);
  assert.equal(snap.total.outpkts, 1);
  assert.equal(fwd.counter('tx'), 4);
  // A second client connection goes to the other real server (rr).
  link.inbox.push(pkt(CIP, VIP, 40001, 80));
  batch.run(4, 4);
  assert.notEqual(f(link.written[4]!).dst, out.dst);
});

test('drops: malformed, not for a service, non-SYN without entry, TTL 0, unknown later fragment', () => {
  const { fwd, link, batch } = natSetup();
  const bad = pkt(CIP, VIP, 40000, 80);
  bad[0] = 0x46; // IHL 24 with no options room: header length check fails against L4
  const short = pkt(CIP, VIP, 40000, 80).subarray(0, 30);
  link.inbox.push(bad, short, pkt(CIP, '10.99.1.200', 1, 80), pkt(CIP, VIP, 40002, 80, { flags: 0x10 }));
  link.inbox.push(pkt(CIP, VIP, 40003, 80, { ttl: 0 }), pkt(CIP, VIP, 40004, 80, { frag: 0x0010, id: 9 }));
  link.inbox.push(new Uint8Array([0x60, 0, 0, 0]));
  batch.run(0, 4);
  assert.equal(link.written.length, 0);
  assert.equal(fwd.counter('rx'), 7);
  assert.equal(fwd.counter('drop_malformed'), 2);
  assert.equal(fwd.counter('drop_no_service'), 1);
  assert.equal(fwd.counter('drop_no_conn'), 1);
  assert.equal(fwd.counter('drop_ttl'), 1);
  assert.equal(fwd.counter('drop_fragment'), 1);
  assert.equal(fwd.counter('drop_not_ipv4'), 1);
});

test('fragments: a later fragment follows the flow its first fragment opened', () => {
  const { fwd, link, batch } = natSetup('masq');
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { frag: 0x2000, id: 77, payload: 16 }));
  const later = pkt(CIP, VIP, 40000, 80, { frag: 0x0003, id: 77, payload: 16 });
  link.inbox.push(later);
  batch.run(0, 4);
  assert.equal(link.written.length, 2);
  const a = f(link.written[0]!);
  const b = f(link.written[1]!);
  assert.equal(b.dst, a.dst, 'same real server');
  assert.equal(internetChecksum(link.written[1]!, 0, 20), 0);
  assert.equal(fwd.counter('forwarded_fragments'), 1);
});

test('FULLNAT: both ends rewritten, replies by local address, the port pool exhausted drops', () => {
  const { d, fwd, link, batch } = natSetup('fullnat');
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { seq: 42 }));
  batch.run(0, 4);
  const o = f(link.written[0]!);
  assert.ok(checksumsOk(link.written[0]!));
  assert.equal(o.src, '10.99.2.250');
  assert.ok(o.sport === 5000 || o.sport === 5001);
  assert.equal(o.seq, 42);
  link.inbox.push(pkt(o.dst, o.src, 8080, o.sport, { flags: 0x12, seq: 9 }));
  batch.run(1, 4);
  const r = f(link.written[1]!);
  assert.deepEqual([r.src, r.sport, r.dst, r.dport], [VIP, 80, CIP, 40000]);
  assert.equal(d.connections(1)[0]!.state, 'SYN_RECV');
  link.inbox.push(pkt(CIP, VIP, 40001, 80), pkt(CIP, VIP, 40002, 80));
  batch.run(2, 4);
  assert.equal(link.written.length, 3);
  assert.equal(fwd.counter('drop_pool_exhausted'), 1);
  assert.equal(d.snapshot().connCount, 2, 'the refused entry is not left behind');
});

test('IP-in-IP: outer DIP -> RIP around the unchanged packet; MSS clamped; DR framed to the MAC', () => {
  const d = new Director({ connCapacity: 64 });
  ok(d.addService(WEB, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(WEB, { address: '10.99.1.11', port: 80, method: 'ipip' }));
  const fwd = new Forwarder(d);
  fwd.setReal(r1, { method: M_IPIP, tunnelSource: v4ToU32('10.99.1.1') });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { seq: 5 }));
  batch.run(0, 2);
  const w = link.written[0]!;
  assert.equal(w.length, 60);
  assert.equal(w[9], 4);
  assert.equal(internetChecksum(w, 0, 20), 0);
  assert.equal(f(w).src, '10.99.1.1');
  assert.equal(f(w).dst, '10.99.1.11');
  const inner = f(w.subarray(20));
  assert.deepEqual([inner.src, inner.dst, inner.dport, inner.seq], [CIP, VIP, 80, 5]);
  // DR: the same packet framed to the real server's MAC through "packet socket" 0.
  const d2 = new Director({ connCapacity: 64 });
  ok(d2.addService(WEB, { scheduler: 'rr' }));
  const g = ok(d2.addServer(WEB, { address: '10.99.1.12', port: 80, method: 'gate' }));
  const fwd2 = new Forwarder(d2);
  const mac = Uint8Array.from([2, 0, 0, 0, 0, 0x12]);
  fwd2.setReal(g, { method: M_GATE, mac, srcMac: Uint8Array.from([2, 0, 0, 0, 0, 1]), port: 0 });
  const b2link = new MemoryLink();
  const b2 = new Batcher(fwd2, b2link);
  const frames: Uint8Array[] = [];
  b2.senders[0] = {
    send: (b, o, l) => {
      frames.push(b.slice(o, o + l));
      return l;
    },
  };
  b2link.inbox.push(pkt(CIP, VIP, 40000, 80, { seq: 6 }));
  b2.run(0, 2);
  assert.equal(frames.length, 1);
  assert.deepEqual([...frames[0]!.subarray(0, 6)], [...mac]);
  assert.equal((frames[0]![12]! << 8) | frames[0]![13]!, 0x0800);
  assert.deepEqual([f(frames[0]!.subarray(14)).dst, f(frames[0]!.subarray(14)).seq], [VIP, 6]);
  assert.equal(d2.connections(0)[0]!.state, 'SYN_RECV');
  // No headroom needed in the caller's buffer: the frame is built in the side arena.
  assert.equal(fwd2.process(pkt(CIP, VIP, 40000, 80, { flags: 0x10 }), 0, 40, 1), Action.FRAME);
  assert.equal(fwd2.outBuf, fwd2.side);
});

test('table full: SYNs beyond the capacity are dropped and counted, the table stays bounded', () => {
  const d = new Director({ connCapacity: 16 });
  ok(d.addService(WEB, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(WEB, { address: '10.99.2.11', port: 80, method: 'masq' }));
  const fwd = new Forwarder(d, { dropEntry: false });
  fwd.setReal(r1, { method: M_MASQ });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  for (let i = 0; i < 100; i++) link.inbox.push(pkt(`10.99.200.${i}`, VIP, 1000 + i, 80));
  batch.run(0, 8);
  assert.ok(d.snapshot().connCount <= 16);
  assert.equal(fwd.counter('drop_table_full') + link.written.length, 100);
  assert.ok(fwd.counter('drop_table_full') >= 84);
});

test('virtio_net_hdr: a partial checksum gets the new pseudo-header sum; GSO is refused for IP-in-IP', () => {
  const d = new Director({ connCapacity: 64 });
  ok(d.addService(WEB, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(WEB, { address: '10.99.2.11', port: 8080, method: 'masq' }));
  const fwd = new Forwarder(d);
  fwd.setReal(r1, { method: M_MASQ });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link, { vnetHdr: true });
  // A SYN carrying 100 bytes whose TCP checksum field holds only the pseudo-header sum, as the
  // kernel hands over CHECKSUM_PARTIAL packets (flags NEEDS_CSUM, csum_start 20, csum_offset 16).
  const p = pkt(CIP, VIP, 40000, 80, { payload: 100 });
  const pseudo = (b: Uint8Array) => {
    let s = 6 + (b.length - 20);
    for (let i = 12; i < 20; i += 2) s += (b[i]! << 8) | b[i + 1]!;
    while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
    return s;
  };
  const ps = pseudo(p);
  p[36] = ps >>> 8;
  p[37] = ps & 0xff;
  const rec = new Uint8Array(10 + p.length);
  rec.set([1, 1, 40, 0, 0xb4, 0x05, 20, 0, 16, 0], 0); // NEEDS_CSUM, GSO_TCPV4, gso_size 1460
  rec.set(p, 10);
  link.inbox.push(rec);
  batch.run(0, 2);
  assert.equal(link.written.length, 1, JSON.stringify(fwd.counterObject()));
  const w = link.written[0]!;
  assert.deepEqual([...w.subarray(0, 10)], [1, 1, 40, 0, 0xb4, 0x05, 20, 0, 16, 0], 'header kept');
  const out = w.subarray(10);
  assert.equal(f(out).dst, '10.99.2.11');
  assert.equal(f(out).dport, 8080);
  assert.equal((out[36]! << 8) | out[37]!, pseudo(out), 'pseudo-header sum of the new addresses');
  // Completing it as the kernel would gives a valid checksum.
  const full = out.slice();
  full[36] = 0;
  full[37] = 0;
  const c = internetChecksum(full, 20, full.length - 20, pseudo(full));
  full[36] = c >>> 8;
  full[37] = c & 0xff;
  assert.ok(checksumsOk(full));
  // IP-in-IP cannot carry a GSO packet through virtio_net_hdr: dropped and counted.
  fwd.setReal(r1, { method: M_IPIP, tunnelSource: v4ToU32('10.99.2.1') });
  const q = rec.slice();
  new DataView(q.buffer).setUint16(10 + 20, 40001); // another client port: a new connection
  link.inbox.push(q);
  batch.run(1, 2);
  assert.equal(link.written.length, 1);
  assert.equal(fwd.counter('drop_gso'), 1);
});

test('ICMP errors quoting a NAT connection are translated like it', () => {
  const { link, batch, fwd } = natSetup('masq');
  link.inbox.push(pkt(CIP, VIP, 40000, 80, { seq: 1 }));
  batch.run(0, 2);
  const fwdIn = link.written[0]!;
  const rip = f(fwdIn).dst;
  // The real server answers "port unreachable" quoting what it received (CIP:40000 -> RIP:8080).
  const quote = fwdIn.subarray(0, 28);
  const icmp = new Uint8Array(20 + 8 + quote.length);
  const dv = new DataView(icmp.buffer);
  icmp[0] = 0x45;
  dv.setUint16(2, icmp.length);
  icmp[8] = 64;
  icmp[9] = 1;
  dv.setUint32(12, v4ToU32(rip));
  dv.setUint32(16, v4ToU32(CIP));
  dv.setUint16(10, internetChecksum(icmp, 0, 20));
  icmp[20] = 3;
  icmp[21] = 3;
  icmp.set(quote, 28);
  dv.setUint16(22, internetChecksum(icmp, 20, icmp.length - 20));
  link.inbox.push(icmp);
  batch.run(1, 2);
  assert.equal(fwd.counter('icmp_translated'), 1);
  const out = link.written[1]!;
  assert.equal(f(out).src, VIP, 'outer source: the VIP');
  assert.equal(internetChecksum(out, 0, 20), 0);
  assert.equal(internetChecksum(out, 20, out.length - 20), 0, 'ICMP checksum');
  const q = out.subarray(28);
  assert.equal(f(q).dst, VIP, 'quoted destination: the VIP');
  assert.equal(f(q).dport, 80);
  assert.equal(internetChecksum(q, 0, 20), 0, 'quoted header checksum');
  // An ICMP error about nothing we track is dropped and counted.
  dv.setUint16(28 + 20, 1);
  link.inbox.push(icmp);
  batch.run(2, 2);
  assert.equal(fwd.counter('drop_icmp'), 1);
});

test('table full of half-open entries: a new SYN replaces one (drop_entry); established ones stay', () => {
  const d = new Director({ connCapacity: 16 });
  ok(d.addService(WEB, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(WEB, { address: '10.99.2.11', port: 80, method: 'masq' }));
  const fwd = new Forwarder(d);
  fwd.setReal(r1, { method: M_MASQ });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  // Four legitimate connections complete their handshake, then spoofed SYNs fill the table.
  for (let i = 0; i < 4; i++) link.inbox.push(pkt(CIP, VIP, 50000 + i, 80));
  batch.run(0, 2);
  for (let i = 0; i < 4; i++) link.inbox.push(pkt('10.99.2.11', CIP, 80, 50000 + i, { flags: 0x12 }));
  for (let i = 0; i < 4; i++) link.inbox.push(pkt(CIP, VIP, 50000 + i, 80, { flags: 0x10 }));
  batch.run(1, 2);
  for (let i = 0; i < 200; i++) link.inbox.push(pkt(`10.99.200.${i}`, VIP, 1000 + i, 80));
  batch.run(2, 8);
  const rows = d.connections(2);
  assert.equal(rows.length, 16);
  assert.equal(
    rows.filter((r) => r.state === 'ESTABLISHED').length,
    4,
    'established entries are never evicted',
  );
  // A legitimate SYN still gets in.
  link.inbox.push(pkt(CIP, VIP, 60000, 80));
  const before = link.written.length;
  batch.run(3, 2);
  assert.equal(link.written.length, before + 1);
  assert.ok(fwd.counter('defense_drop_entry') >= 189);
  assert.equal(fwd.counter('drop_table_full'), 0);
});

test('UDP NAT: any datagram opens an entry; replies un-NATed; the UDP state and counters', () => {
  const d = new Director({ connCapacity: 64 });
  const DNS: ServiceKey = { kind: 'addr', protocol: 'UDP', address: VIP, port: 53 };
  ok(d.addService(DNS, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(DNS, { address: '10.99.2.11', port: 5353, method: 'masq' }));
  const fwd = new Forwarder(d);
  fwd.setReal(r1, { method: M_MASQ });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  link.inbox.push(pkt(CIP, VIP, 33000, 53, { proto: 17, payload: 12 }));
  batch.run(0, 2);
  const o = link.written[0]!;
  assert.ok(checksumsOk(o));
  assert.deepEqual([f(o).dst, f(o).dport], ['10.99.2.11', 5353]);
  link.inbox.push(pkt('10.99.2.11', CIP, 5353, 33000, { proto: 17, payload: 40 }));
  batch.run(1, 2);
  const back = link.written[1]!;
  assert.ok(checksumsOk(back));
  assert.deepEqual([f(back).src, f(back).sport], [VIP, 53]);
  const rows = d.connections(1);
  assert.equal(rows.length, 1);
  assert.equal(rows[0]!.state, 'UDP');
  assert.equal(rows[0]!.protocol, 'UDP');
  const s = d.snapshot().services[0]!.reals[0]!.stats;
  assert.deepEqual([s.conns, s.inpkts, s.outpkts], [1, 1, 1]);
});

test('firewall-mark service: its listeners (VIP:80, VIP:443) share the real servers and persistence', () => {
  const d = new Director({ connCapacity: 64 });
  const FWM: ServiceKey = { kind: 'fwmark', fwmark: 99, family: 4 };
  const svc = ok(d.addService(FWM, { scheduler: 'rr', persistent: 360 }));
  const r1 = ok(d.addServer(FWM, { address: '10.99.2.11', port: 0, method: 'masq' }));
  const r2 = ok(d.addServer(FWM, { address: '10.99.2.12', port: 0, method: 'masq' }));
  const fwd = new Forwarder(d);
  fwd.setReal(r1, { method: M_MASQ });
  fwd.setReal(r2, { method: M_MASQ });
  fwd.setFwmarkDestinations([
    { proto: 6, addr: v4ToU32(VIP), port: 80, svc },
    { proto: 6, addr: v4ToU32(VIP), port: 443, svc },
  ]);
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  link.inbox.push(pkt(CIP, VIP, 40000, 80), pkt(CIP, VIP, 40001, 443), pkt(CIP, VIP, 40002, 8080));
  batch.run(0, 2);
  assert.equal(link.written.length, 2);
  const a = f(link.written[0]!);
  const b = f(link.written[1]!);
  assert.equal(a.dport, 80);
  assert.equal(b.dport, 443);
  assert.equal(b.dst, a.dst, 'persistence across the mark: the same real server for 80 and 443');
  assert.equal(fwd.counter('drop_no_service'), 1);
  link.inbox.push(pkt(b.dst, CIP, 443, 40001, { flags: 0x12 }));
  batch.run(1, 2);
  const back = f(link.written[2]!);
  assert.deepEqual([back.src, back.sport], [VIP, 443]);
});

test('IP-in-IP: a packet too big for the tunnel with DF is answered with ICMP fragmentation needed', () => {
  const d = new Director({ connCapacity: 64 });
  const DNS: ServiceKey = { kind: 'addr', protocol: 'UDP', address: VIP, port: 53 };
  ok(d.addService(DNS, { scheduler: 'rr' }));
  const r1 = ok(d.addServer(DNS, { address: '10.99.1.11', port: 53, method: 'ipip' }));
  const fwd = new Forwarder(d, { tunnelMtu: 1500 });
  fwd.setReal(r1, { method: M_IPIP, tunnelSource: v4ToU32('10.99.1.1') });
  const link = new MemoryLink();
  const batch = new Batcher(fwd, link);
  link.inbox.push(pkt(CIP, VIP, 33000, 53, { proto: 17, payload: 1500 - 28 }));
  batch.run(0, 2);
  assert.equal(link.written.length, 1);
  const icmp = link.written[0]!;
  assert.equal(fwd.counter('drop_frag_needed'), 1);
  assert.equal(icmp[9], 1);
  assert.deepEqual([f(icmp).src, f(icmp).dst], ['10.99.1.1', CIP]);
  assert.deepEqual([icmp[20], icmp[21], (icmp[26]! << 8) | icmp[27]!], [3, 4, 1480]);
  assert.equal(internetChecksum(icmp, 0, 20), 0);
  assert.equal(internetChecksum(icmp, 20, icmp.length - 20), 0);
  assert.equal(f(icmp.subarray(28)).dst, VIP, 'quotes the offending packet');
});
