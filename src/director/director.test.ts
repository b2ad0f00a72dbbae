// The director facade: ipvsadm operations and refusals, list order, connection life cycle,
// persistence templates, thresholds, expiry, stats, trash, full table.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from './director.js';
import type { ServiceKey } from './types.js';
import {
  CONN_DROPPED,
  CONN_ONE_PACKET,
  DIR_INPUT,
  DIR_OUTPUT,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from './types.js';

const WEB: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 };
const DNS: ServiceKey = { kind: 'addr', protocol: 'UDP', address: '10.0.0.100', port: 53 };

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

function rsName(d: Director, id: number): string {
  return id < 0 ? '-' : d.realInfo(id)!.address;
}

test('refusals carry errno and ipvsadm messages; nothing changes on refusal', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, {}));
  const dup = d.addService(WEB, { scheduler: 'rr' });
  assert.ok(!dup.ok && dup.error.errno === 'EEXIST' && dup.error.message === 'Service already exists');
  const bad = d.addService(DNS, { scheduler: 'nope' });
  assert.ok(!bad.ok && bad.error.message === 'Scheduler or persistence engine not found');
  assert.equal(d.findService(DNS), -1);
  const e = d.editService(DNS, {});
  assert.ok(!e.ok && e.error.message === 'No such service');
  const a = d.addServer(DNS, { address: '192.168.10.1', port: 53 });
  assert.ok(!a.ok && a.error.message === 'Service not defined');
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  const a2 = d.addServer(WEB, { address: '192.168.10.1', port: 80 });
  assert.ok(!a2.ok && a2.error.message === 'Destination already exists');
  const r = d.editServer(WEB, { address: '192.168.10.9', port: 80 });
  assert.ok(!r.ok && r.error.message === 'No such destination');
  const t = d.addServer(WEB, { address: '192.168.10.2', port: 80, lThreshold: 5 });
  assert.ok(!t.ok && t.error.errno === 'ERANGE' && t.error.message === 'Numerical result out of range');
  assert.equal(t.ok ? 0 : t.error.exitStatus, 255);
  assert.equal(d.snapshot().services[0]!.reals.length, 1);
});

test('snapshot: ipvsadm service order, kernel real order (newest first), defaults of -E', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(
    d.addService(
      { kind: 'fwmark', fwmark: 10, family: 4 },
      { scheduler: 'wrr', persistent: 3600, netmask: 0xffffff00 },
    ),
  );
  unwrap(d.addService(DNS, { scheduler: 'rr', persistent: 360 }));
  unwrap(
    d.addService(
      { kind: 'addr', protocol: 'TCP', address: '10.0.0.1', port: 80 },
      { scheduler: 'sh', schedFlags: 0x18 },
    ),
  );
  unwrap(d.addService({ kind: 'addr', protocol: 'TCP', address: '192.168.0.1', port: 80 }, {}));
  unwrap(d.addService(WEB, {}));
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  unwrap(d.addServer(WEB, { address: '192.168.10.2', port: 80, method: 'masq', weight: 2 }));
  const s = d.snapshot();
  // 10.0.0.x sorts after 192.168.0.1: ipvsadm subtracts u32 addresses into a signed int.
  assert.deepEqual(
    s.services.map((x) => `${x.protocol} ${x.address}:${x.port}${x.fwmark ? ` ${x.fwmark}` : ''}`),
    ['TCP 192.168.0.1:80', 'TCP 10.0.0.1:80', 'TCP 10.0.0.100:80', 'UDP 10.0.0.100:53', 'FWM :0 10'],
  );
  const web = s.services[2]!;
  assert.deepEqual(
    web.reals.map((r) => `${r.address}:${r.port} ${r.method} ${r.weight}`),
    ['192.168.10.2:80 masq 2', '192.168.10.1:80 masq 1'],
  );
  assert.deepEqual(s.services[1]!.schedFlagNames, ['sh-fallback', 'sh-port']);
  assert.equal(s.services[4]!.netmaskText, '255.255.255.0');
  assert.equal(s.services[4]!.netmaskIsDefault, false);
  assert.deepEqual(s.timeouts, { tcp: 900, tcpfin: 120, udp: 300 });
  assert.equal(s.connTabSize, 4096);
  unwrap(d.editService(DNS, {}));
  const dns = d.snapshot().services[3]!;
  assert.equal(dns.scheduler, 'wlc');
  assert.equal(dns.persistent, 0);
});

test('wrr through the director: 4/3/2 added one at a time', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'wrr' }));
  unwrap(d.addServer(WEB, { address: '10.1.0.1', port: 80, weight: 4 }));
  unwrap(d.addServer(WEB, { address: '10.1.0.2', port: 80, weight: 3 }));
  unwrap(d.addServer(WEB, { address: '10.1.0.3', port: 80, weight: 2 }));
  const sid = d.findService(WEB);
  const names: Record<string, string> = { '10.1.0.1': 'A', '10.1.0.2': 'B', '10.1.0.3': 'C' };
  const seq: string[] = [];
  for (let i = 0; i < 18; i++) seq.push(names[rsName(d, d.schedule(sid, '1.2.3.4', 1000 + i, 0))]!);
  assert.equal(seq.join(' '), 'C B A A B A C B A C B A A B A C B A');
});

test('NAT TCP life cycle: counters, states, timeouts, stats, expiry', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 8080, method: 'masq' }));
  const sid = d.findService(WEB);
  const rid = d.schedule(sid, '203.0.113.7', 51512, 0);
  const cid = d.connect(sid, rid, '203.0.113.7', 51512, '10.0.0.100', 80, 0);
  assert.ok(cid >= 0);
  const real = () => d.snapshot().services[0]!.reals[0]!;
  assert.equal(real().inactConns, 1, 'new entry counts inactive');
  assert.equal(d.lookupConn('TCP', '203.0.113.7', 51512, '10.0.0.100', 80), cid);
  assert.equal(d.lookupConnReply('TCP', '192.168.10.1', 8080, '203.0.113.7', 51512), cid);
  assert.equal(d.connState(cid), 'NONE');
  d.packet(cid, DIR_INPUT, TCP_SYN, 60, 0);
  assert.equal(d.connState(cid), 'SYN_RECV');
  assert.equal(real().activeConns, 1);
  d.packet(cid, DIR_OUTPUT, TCP_SYN | TCP_ACK, 60, 10);
  d.packet(cid, DIR_INPUT, TCP_ACK, 52, 20);
  assert.equal(d.connState(cid), 'ESTABLISHED');
  let row = d.connections(20)[0]!;
  assert.deepEqual(
    [
      row.protocol,
      row.expireSeconds,
      row.state,
      row.clientAddress,
      row.virtualPort,
      row.destAddress,
      row.destPort,
    ],
    ['TCP', 900, 'ESTABLISHED', '203.0.113.7', 80, '192.168.10.1', 8080],
  );
  d.packet(cid, DIR_INPUT, TCP_FIN | TCP_ACK, 52, 1000);
  assert.equal(d.connState(cid), 'CLOSE_WAIT');
  assert.deepEqual([real().activeConns, real().inactConns], [0, 1]);
  d.packet(cid, DIR_OUTPUT, TCP_FIN | TCP_ACK, 52, 2000);
  assert.equal(d.connState(cid), 'TIME_WAIT');
  row = d.connections(2000)[0]!;
  assert.equal(row.expireSeconds, 120);
  const st = real().stats;
  assert.deepEqual(st, { conns: 1, inpkts: 3, outpkts: 2, inbytes: 164, outbytes: 112 });
  assert.deepEqual(d.snapshot().total, st);
  assert.equal(d.tick(121_999), 0);
  assert.equal(d.tick(122_000), 1);
  assert.equal(d.connections(122_000).length, 0);
  assert.deepEqual([real().activeConns, real().inactConns], [0, 0]);
});

test('DR: input-only table, FIN -> FIN_WAIT counted inactive; --set changes new timeouts', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'wlc' }));
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  unwrap(d.setTimeouts(0, 30, 0));
  const sid = d.findService(WEB);
  const rid = d.schedule(sid, '203.0.113.8', 4000, 0);
  const cid = d.connect(sid, rid, '203.0.113.8', 4000, '10.0.0.100', 80, 0);
  d.packet(cid, DIR_INPUT, TCP_SYN, 60, 0);
  d.packet(cid, DIR_INPUT, TCP_ACK, 52, 0);
  d.packet(cid, DIR_INPUT, TCP_FIN | TCP_ACK, 52, 0);
  assert.equal(d.connState(cid), 'FIN_WAIT');
  assert.equal(d.connections(0)[0]!.expireSeconds, 30);
  assert.deepEqual(d.getTimeouts(), { tcp: 900, tcpfin: 30, udp: 300 });
  const r = d.snapshot().services[0]!.reals[0]!;
  assert.deepEqual([r.activeConns, r.inactConns, r.stats.outpkts], [0, 1, 0]);
  d.packet(cid, DIR_INPUT, TCP_RST, 40, 5000);
  assert.equal(d.connState(cid), 'CLOSE');
  assert.equal(d.tick(15_000), 1);
});

test('UDP: state UDP, always InActConn, 300 s refreshed by traffic', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(DNS, { scheduler: 'rr' }));
  unwrap(d.addServer(DNS, { address: '192.168.10.1', port: 53 }));
  const sid = d.findService(DNS);
  const cid = d.connect(
    sid,
    d.schedule(sid, '203.0.113.9', 40000, 0),
    '203.0.113.9',
    40000,
    '10.0.0.100',
    53,
    0,
  );
  d.packet(cid, DIR_INPUT, 0, 70, 0);
  const row = d.connections(0)[0]!;
  assert.deepEqual([row.protocol, row.state, row.expireSeconds], ['UDP', 'UDP', 300]);
  assert.equal(d.snapshot().services[0]!.reals[0]!.inactConns, 1);
  d.packet(cid, DIR_INPUT, 0, 70, 200_000);
  assert.equal(d.tick(300_000), 0);
  assert.equal(d.tick(500_000), 1);
});

test('persistence: templates by masked client, PersistConn, quiesced real keeps its clients', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr', persistent: 360, netmask: 0xffffff00 }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  const b = unwrap(d.addServer(WEB, { address: '192.168.10.2', port: 80 }));
  const sid = d.findService(WEB);
  const first = d.schedule(sid, '198.51.100.7', 1000, 0);
  assert.equal(first, b, 'rr starts at the head (newest)');
  const c1 = d.connect(sid, first, '198.51.100.7', 1000, '10.0.0.100', 80, 0);
  // Same /24: same real, even from another address, through the template.
  assert.equal(d.schedule(sid, '198.51.100.99', 2000, 10), b);
  assert.equal(d.schedule(sid, '198.51.101.1', 3000, 20), a);
  const rows = d.connections(20);
  const tpl = rows.find((r) => r.template && r.clientAddress === '198.51.100.0')!;
  assert.deepEqual(
    [
      tpl.protocol,
      tpl.clientPort,
      tpl.virtualPort,
      tpl.destAddress,
      tpl.destPort,
      tpl.state,
      tpl.expireSeconds,
    ],
    ['TCP', 0, 80, '192.168.10.2', 80, 'NONE', 359],
  );
  d.packet(c1, DIR_INPUT, TCP_SYN, 60, 30);
  d.packet(c1, DIR_INPUT, TCP_ACK, 60, 30);
  assert.equal(
    d.connections(30).find((r) => r.template && r.destAddress === '192.168.10.2')!.state,
    'ASSURED',
  );
  const rb = d.snapshot().services[0]!.reals.find((r) => r.id === b)!;
  assert.deepEqual([rb.persistConns, rb.activeConns, rb.stats.conns], [1, 1, 1]);
  unwrap(d.editServer(WEB, { address: '192.168.10.2', port: 80, weight: 0 }));
  assert.equal(d.schedule(sid, '198.51.100.5', 4000, 40), b, 'weight 0 does not break persistence');
  // Template outlives its timeout while it controls a live connection (re-armed 60 s).
  assert.equal(d.tick(400_000), 1);
  const kept = d.connections(400_000).find((r) => r.template && r.destAddress === '192.168.10.2')!;
  assert.ok(kept.expireSeconds <= 60 && kept.expireSeconds > 0);
  assert.equal(d.schedule(sid, '198.51.100.5', 4001, 410_000), b);
  assert.equal(d.connections(410_000).find((r) => r.id === kept.id)!.expireSeconds, 60, 'timeout now 60 s');
});

test('persistence: a deleted real invalidates its template (ports 65535) and clients move', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr', persistent: 60 }));
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  unwrap(d.addServer(WEB, { address: '192.168.10.2', port: 80 }));
  const sid = d.findService(WEB);
  const r1 = d.schedule(sid, '198.51.100.7', 1000, 0);
  unwrap(d.deleteServer(WEB, rsName(d, r1), 80));
  const r2 = d.schedule(sid, '198.51.100.7', 1001, 0);
  assert.notEqual(rsName(d, r2), '-');
  assert.notEqual(r2, r1);
  const dead = d.connections(0).find((r) => r.virtualPort === 65535)!;
  assert.equal(dead.destPort, 65535);
  assert.equal(dead.template, true);
});

test('thresholds: OVERLOAD at u, cleared below l (or 3/4 of u), skipped by the scheduler', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'wlc' }));
  unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, uThreshold: 2, lThreshold: 1 }));
  const sid = d.findService(WEB);
  const ids: number[] = [];
  for (let i = 0; i < 2; i++) {
    const rid = d.schedule(sid, '203.0.113.1', 100 + i, 0);
    assert.ok(rid >= 0);
    ids.push(d.connect(sid, rid, '203.0.113.1', 100 + i, '10.0.0.100', 80, 0));
  }
  assert.equal(d.snapshot().services[0]!.reals[0]!.overloaded, true);
  assert.equal(d.schedule(sid, '203.0.113.1', 200, 0), -1);
  d.packet(ids[0]!, DIR_INPUT, TCP_RST, 40, 0);
  d.tick(11_000); // CLOSE (10 s) goes; the other, new (3 s), too
  assert.equal(d.snapshot().services[0]!.reals[0]!.overloaded, false);
  assert.ok(d.schedule(sid, '203.0.113.1', 201, 11_000) >= 0);
});

test('trash: a deleted real with connections keeps them; re-adding revives it with its stats', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  const sid = d.findService(WEB);
  const cid = d.connect(sid, a, '203.0.113.1', 100, '10.0.0.100', 80, 0);
  d.packet(cid, DIR_INPUT, TCP_SYN, 60, 0);
  unwrap(d.deleteServer(WEB, '192.168.10.1', 80));
  assert.equal(d.snapshot().services[0]!.reals.length, 0);
  assert.equal(d.connReal(cid), a);
  d.packet(cid, DIR_INPUT, TCP_ACK, 60, 0);
  assert.equal(d.snapshot().total.inpkts, 1, 'packets to an unavailable real are not counted');
  assert.equal(unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 })), a);
  assert.equal(d.snapshot().services[0]!.reals[0]!.stats.conns, 1);
  unwrap(d.deleteServer(WEB, '192.168.10.1', 80));
  unwrap(d.deleteService(WEB));
  d.tick(1_000_000);
  assert.equal(d.snapshot().services.length, 0);
  assert.notEqual(d.realInfo(a), null, 'idle in the trash: kept for 120 s');
  d.tick(1_119_000);
  assert.notEqual(d.realInfo(a), null);
  d.tick(1_120_000);
  assert.equal(d.realInfo(a), null, 'freed 120 s after its last connection expired');
});

test('full table: connect returns CONN_DROPPED and counts the drop', () => {
  const d = new Director({ connCapacity: 2 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  const sid = d.findService(WEB);
  assert.ok(d.connect(sid, a, '203.0.113.1', 1, '10.0.0.100', 80, 0) >= 0);
  assert.ok(d.connect(sid, a, '203.0.113.1', 2, '10.0.0.100', 80, 0) >= 0);
  assert.equal(d.connect(sid, a, '203.0.113.1', 3, '10.0.0.100', 80, 0), CONN_DROPPED);
  assert.equal(d.snapshot().connDrops, 1);
  d.tick(3000);
  assert.ok(d.connect(sid, a, '203.0.113.1', 3, '10.0.0.100', 80, 3000) >= 0);
});

test('-Z zeroes shown stats and rates; estimate() runs the 2 s estimator', () => {
  const d = new Director({ connCapacity: 4096 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  const sid = d.findService(WEB);
  for (let t = 1; t <= 3; t++) {
    for (let i = 0; i < 200; i++) {
      const cid = d.connect(sid, a, '203.0.113.1', (t * 1000 + i) & 0xffff, '10.0.0.100', 80, t * 2000);
      d.packet(cid, DIR_INPUT, TCP_SYN, 100, t * 2000);
    }
    d.estimate(t * 2000);
  }
  const s = d.snapshot().services[0]!;
  assert.deepEqual([s.rates.cps, s.rates.inpps, s.rates.inbps], [58, 58, 5781]);
  unwrap(d.zero(WEB));
  const z = d.snapshot().services[0]!;
  assert.deepEqual([z.stats.conns, z.rates.cps, z.reals[0]!.stats.inpkts], [0, 0, 0]);
  assert.equal(d.snapshot().total.conns, 600, 'service -Z leaves the total');
  unwrap(d.zero());
  assert.equal(d.snapshot().total.conns, 0);
});

test('proxy events map onto the NAT transitions; IPv6 services and fwmark lookups', () => {
  const d = new Director({ connCapacity: 64 });
  const v6: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '2001:DB8::0:1', port: 443 };
  unwrap(d.addService(v6, { scheduler: 'rr' }));
  unwrap(d.addServer(v6, { address: '2001:db8::10', port: 8443, method: 'masq' }));
  unwrap(d.addService({ kind: 'fwmark', fwmark: 99, family: 4 }, { scheduler: 'rr', persistent: 360 }));
  assert.equal(d.lookupFwmark(99), d.findService({ kind: 'fwmark', fwmark: 99, family: 4 }));
  const sid = d.lookupService('TCP', '2001:db8::1', 443);
  assert.ok(sid >= 0);
  assert.equal(d.snapshot().services[0]!.address, '2001:db8::1');
  const rid = d.schedule(sid, '2001:db8:1::5', 5555, 0);
  const cid = d.connect(sid, rid, '2001:db8:1::5', 5555, '2001:db8::1', 443, 0);
  const states: string[] = [];
  for (const ev of ['connecting', 'established', 'client-fin', 'server-fin', 'closed'] as const) {
    d.event(cid, ev, 0);
    states.push(d.connState(cid));
  }
  assert.deepEqual(states, ['SYN_RECV', 'ESTABLISHED', 'CLOSE_WAIT', 'TIME_WAIT', 'TIME_WAIT']);
  d.traffic(cid, DIR_OUTPUT, 3, 3000, 0);
  assert.equal(d.snapshot().services[0]!.reals[0]!.stats.outbytes, 3000);
  assert.equal(d.connections(0)[0]!.destAddress, '2001:db8::10');
});

test('conn_reuse_mode: a SYN on a TIME_WAIT entry expires it for rescheduling, not on ESTABLISHED', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  const sid = d.findService(WEB);
  const cid = d.connect(sid, a, '203.0.113.1', 100, '10.0.0.100', 80, 0);
  d.packet(cid, DIR_INPUT, TCP_SYN, 60, 0);
  d.packet(cid, DIR_INPUT, TCP_ACK, 60, 0);
  assert.equal(d.reuseOnSyn(cid, 0), false);
  d.packet(cid, DIR_INPUT, TCP_FIN, 60, 0);
  d.packet(cid, DIR_OUTPUT, TCP_FIN, 60, 0);
  assert.equal(d.connState(cid), 'TIME_WAIT');
  assert.equal(d.reuseOnSyn(cid, 0), true);
  assert.equal(d.lookupConn('TCP', '203.0.113.1', 100, '10.0.0.100', 80), -1);
  assert.equal(d.snapshot().services[0]!.reals[0]!.inactConns, 0);
});

test('IPv4 numeric entry points for the packet plane', () => {
  const d = new Director({ connCapacity: 64 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  const vip = 0x0a000064;
  const sid = d.lookupServiceV4(6, vip, 80);
  assert.equal(sid, d.findService(WEB));
  const rid = d.scheduleV4(sid, 0xcb007101, 5000, vip, 80, 0);
  assert.equal(rid, a);
  assert.equal(d.realAddrV4(rid), 0xc0a80a01);
  const cid = d.connectV4(sid, rid, 6, 0xcb007101, 5000, vip, 80, 0, true);
  assert.equal(d.lookupConnV4(6, 0xcb007101, 5000, vip, 80), cid);
  assert.equal(d.lookupConnReplyV4(6, 0xc0a80a01, 80, 0xcb007101, 5000), cid);
  assert.equal(d.lookupConn('TCP', '203.0.113.1', 5000, '10.0.0.100', 80), cid);
});

test('onConnExpired tells the proxy plane about idle expiry (not templates, not expireNow)', () => {
  const seen: number[] = [];
  const d = new Director({ connCapacity: 16, onConnExpired: (id) => seen.push(id) });
  unwrap(d.addService(WEB, { scheduler: 'rr', persistent: 10 }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80, method: 'masq' }));
  const sid = d.findService(WEB);
  d.schedule(sid, '203.0.113.1', 100, 0);
  const c1 = d.connect(sid, a, '203.0.113.1', 100, '10.0.0.100', 80, 0);
  const c2 = d.connect(sid, a, '203.0.113.1', 101, '10.0.0.100', 80, 0);
  d.expireNow(c2, 0);
  d.tick(5000);
  assert.deepEqual(seen, [c1]);
  d.tick(100_000);
  assert.deepEqual(seen, [c1], 'the template is not reported');
});

test('word forms serve IPv6 without text; countPackets for one-packet UDP', () => {
  const d = new Director({ connCapacity: 16 });
  const v6: ServiceKey = { kind: 'addr', protocol: 'UDP', address: '2001:db8::53', port: 53 };
  unwrap(d.addService(v6, { scheduler: 'rr', ops: true }));
  const a = unwrap(d.addServer(v6, { address: '2001:db8::1:53', port: 53 }));
  const vip = Uint32Array.of(0x20010db8, 0, 0, 0x53);
  const cli = Uint32Array.of(0x20010db8, 1, 0, 7);
  const sid = d.lookupServiceW(17, 6, vip, 53);
  assert.equal(sid, d.findService(v6));
  const rid = d.scheduleW(sid, 6, cli, 5353, vip, 53, 0);
  assert.equal(rid, a);
  const out = new Uint32Array(4);
  assert.equal(d.realAddrW(rid, out), 6);
  assert.deepEqual([...out], [0x20010db8, 0, 0, 0x10053]);
  assert.equal(d.connectW(sid, rid, 17, 6, cli, 5353, vip, 53, 0, false), CONN_ONE_PACKET);
  d.countPackets(rid, DIR_INPUT, 1, 80);
  const st = d.snapshot().services[0]!.stats;
  assert.deepEqual([st.conns, st.inpkts, st.inbytes], [1, 1, 80]);
  assert.equal(d.connections(0).length, 0);
});

test('trash: a real deleted without connections can be re-added with its stats within 120 s', () => {
  const d = new Director({ connCapacity: 16 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  const sid = d.findService(WEB);
  d.expireNow(d.connect(sid, a, '203.0.113.1', 100, '10.0.0.100', 80, 0), 0);
  unwrap(d.deleteServer(WEB, '192.168.10.1', 80));
  d.tick(10_000);
  d.tick(100_000);
  assert.equal(unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 })), a);
  assert.equal(d.snapshot().services[0]!.reals[0]!.stats.conns, 1);
  unwrap(d.deleteServer(WEB, '192.168.10.1', 80));
  d.tick(200_000);
  d.tick(320_000);
  const b = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 80 }));
  assert.equal(d.snapshot().services[0]!.reals[0]!.stats.conns, 0, 'after the period it is a new real');
  assert.equal(b, a, 'the freed id is reused');
});

test('FULLNAT: replies to the local address:port find the connection; accessors for rewriting', () => {
  const d = new Director({ connCapacity: 16 });
  unwrap(d.addService(WEB, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(WEB, { address: '192.168.10.1', port: 8080, method: 'fullnat' }));
  const sid = d.findService(WEB);
  const vip = 0x0a000064;
  const c1 = d.connectV4(sid, a, 6, 0xcb007101, 5000, vip, 80, 0, true);
  const c2 = d.connectV4(sid, a, 6, 0xcb007102, 5000, vip, 80, 0, true);
  const lip = 0xc0a80afe;
  d.setConnLocalV4(c1, lip, 40001);
  d.setConnLocalV4(c2, lip, 40002);
  assert.equal(d.lookupConnLocalV4(6, 0xc0a80a01, 8080, lip, 40001), c1);
  assert.equal(d.lookupConnLocalV4(6, 0xc0a80a01, 8080, lip, 40002), c2);
  assert.equal(d.lookupConnLocalV4(6, 0xc0a80a01, 80, lip, 40002), -1);
  const w = new Uint32Array(4);
  assert.equal(d.connLocalW(c2, w), 40002);
  assert.equal(w[3], lip);
  assert.equal(d.connAddrW(c1, 0, w), 4);
  assert.equal(w[3], 0xcb007101);
  assert.equal(d.connAddrW(c1, 2, w), 4);
  assert.equal(w[3], 0xc0a80a01);
  assert.deepEqual([d.connPort(c1, 0), d.connPort(c1, 1), d.connPort(c1, 2)], [5000, 80, 8080]);
  assert.equal(d.connRealAvailable(c1), true);
  d.expireNow(c1, 0);
  assert.equal(d.lookupConnLocalV4(6, 0xc0a80a01, 8080, lip, 40001), -1);
  assert.equal(d.lookupConnLocalV4(6, 0xc0a80a01, 8080, lip, 40002), c2, 'the other survives the removal');
  unwrap(d.deleteServer(WEB, '192.168.10.1', 8080));
  assert.equal(d.connRealAvailable(c2), false);
});

test('UDP sessions counted with traffic() get the UDP timeout, not the 3 s of a new entry', () => {
  const d = new Director({ connCapacity: 16 });
  unwrap(d.addService(DNS, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(DNS, { address: '192.168.10.1', port: 53 }));
  const sid = d.findService(DNS);
  const cid = d.connect(sid, a, '203.0.113.9', 40000, '10.0.0.100', 53, 0, { seesReplies: true });
  d.traffic(cid, DIR_INPUT, 1, 70, 0);
  assert.equal(d.connections(0)[0]!.expireSeconds, 300);
  assert.equal(d.tick(10_000), 0);
});
