// Persistence templates as ip_vs_sched_persist keys them: fwmark, port-zero and FTP services.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Director } from './director.js';
import type { ServiceKey } from './types.js';

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: Error }): T {
  if (!r.ok) throw r.error;
  return r.value;
}

test('fwmark service: template <IP, client, 0, 0.0.0.mark, 0> -> real:0; connections keep the packet port', () => {
  const d = new Director({ connCapacity: 32 });
  const key: ServiceKey = { kind: 'fwmark', fwmark: 99, family: 4 };
  unwrap(d.addService(key, { scheduler: 'rr', persistent: 360 }));
  const a = unwrap(d.addServer(key, { address: '192.168.10.1', port: 0 }));
  const sid = d.lookupFwmark(99);
  // The seeds' 80 + 443 example: both ports of one client go to the same real through one template.
  const r80 = d.schedule(sid, '203.0.113.7', 5000, 0, '10.0.0.100', 80);
  const c80 = d.connect(sid, r80, '203.0.113.7', 5000, '10.0.0.100', 80, 0);
  const r443 = d.schedule(sid, '203.0.113.7', 5001, 0, '10.0.0.100', 443);
  const c443 = d.connect(sid, r443, '203.0.113.7', 5001, '10.0.0.100', 443, 0);
  assert.equal(r80, a);
  assert.equal(r443, a);
  const rows = d.connections(0);
  const tpl = rows.filter((r) => r.template);
  assert.equal(tpl.length, 1);
  assert.deepEqual(
    [
      tpl[0]!.protocol,
      tpl[0]!.clientAddress,
      tpl[0]!.clientPort,
      tpl[0]!.virtualAddress,
      tpl[0]!.virtualPort,
      tpl[0]!.destPort,
    ],
    ['IP', '203.0.113.7', 0, '0.0.0.99', 0, 0],
  );
  assert.equal(rows.find((r) => r.id === c80)!.destPort, 80);
  assert.equal(rows.find((r) => r.id === c443)!.destPort, 443);
  assert.equal(d.snapshot().services[0]!.reals[0]!.persistConns, 1);
});

test('port-zero service: template vport 0 / dport 0; a real with a port still gets the packet port', () => {
  const d = new Director({ connCapacity: 32 });
  const key: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 0 };
  unwrap(d.addService(key, { scheduler: 'rr', persistent: 60 }));
  const a = unwrap(d.addServer(key, { address: '192.168.10.1', port: 8000 }));
  const sid = d.findService(key);
  const rid = d.schedule(sid, '203.0.113.7', 5000, 0, '10.0.0.100', 443);
  assert.equal(rid, a);
  const cid = d.connect(sid, rid, '203.0.113.7', 5000, '10.0.0.100', 443, 0);
  const rows = d.connections(0);
  const tpl = rows.find((r) => r.template)!;
  assert.deepEqual([tpl.virtualPort, tpl.destPort], [0, 0]);
  assert.equal(rows.find((r) => r.id === cid)!.destPort, 443);
});

test('FTP (port 21): template with vport 0 so data connections share it; others vport = port', () => {
  const d = new Director({ connCapacity: 32 });
  const ftp: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 21 };
  const web: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 };
  unwrap(d.addService(ftp, { scheduler: 'rr', persistent: 60 }));
  unwrap(d.addService(web, { scheduler: 'rr', persistent: 60 }));
  unwrap(d.addServer(ftp, { address: '192.168.10.1', port: 21 }));
  unwrap(d.addServer(web, { address: '192.168.10.1', port: 80 }));
  d.schedule(d.findService(ftp), '203.0.113.7', 5000, 0);
  d.schedule(d.findService(web), '203.0.113.7', 5001, 0);
  const tpls = d.connections(0).filter((r) => r.template);
  assert.deepEqual(tpls.map((r) => `${r.virtualPort}/${r.destPort}`).sort(), ['0/0', '80/80']);
});

test('-E to another scheduler binds it afresh; same scheduler keeps its state', () => {
  const d = new Director({ connCapacity: 32 });
  const key: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 };
  unwrap(d.addService(key, { scheduler: 'rr' }));
  unwrap(d.addServer(key, { address: '10.1.0.1', port: 80 }));
  unwrap(d.addServer(key, { address: '10.1.0.2', port: 80 }));
  const sid = d.findService(key);
  const pick = () => d.realInfo(d.schedule(sid, '1.1.1.1', 1, 0))!.address;
  assert.equal(pick(), '10.1.0.2');
  unwrap(d.editService(key, { scheduler: 'rr' }));
  assert.equal(pick(), '10.1.0.1', 'rr cursor kept');
  unwrap(d.editService(key, { scheduler: 'wrr' }));
  unwrap(d.editService(key, { scheduler: 'rr' }));
  assert.equal(pick(), '10.1.0.2', 'a new rr starts at the head');
});

test('thresholds: upper only -> OVERLOAD cleared below 3/4 of it', () => {
  const d = new Director({ connCapacity: 32 });
  const key: ServiceKey = { kind: 'addr', protocol: 'UDP', address: '10.0.0.100', port: 53 };
  unwrap(d.addService(key, { scheduler: 'rr' }));
  const a = unwrap(d.addServer(key, { address: '192.168.10.1', port: 53, uThreshold: 4 }));
  const sid = d.findService(key);
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) ids.push(d.connect(sid, a, '203.0.113.1', 100 + i, '10.0.0.100', 53, 0));
  const over = () => d.snapshot().services[0]!.reals[0]!.overloaded;
  assert.equal(over(), true);
  d.expireNow(ids[0]!, 0);
  assert.equal(over(), true, '3 * 4 = 12 is not below 4 * 3 = 12');
  d.expireNow(ids[1]!, 0);
  assert.equal(over(), false, '2 * 4 < 12');
  // Raising u clears it at once on edit; lowering does not set it.
  for (let i = 0; i < 3; i++) d.connect(sid, a, '203.0.113.2', 100 + i, '10.0.0.100', 53, 0);
  assert.equal(over(), true);
  unwrap(d.editServer(key, { address: '192.168.10.1', port: 53, uThreshold: 10 }));
  assert.equal(over(), false);
  unwrap(d.editServer(key, { address: '192.168.10.1', port: 53, uThreshold: 2 }));
  assert.equal(over(), false);
});

test('IPv6 persistence: -M as a prefix length groups clients of the same /64', () => {
  const d = new Director({ connCapacity: 32 });
  const key: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '2001:db8::100', port: 443 };
  unwrap(d.addService(key, { scheduler: 'rr', persistent: 360, netmask: 64 }));
  const a = unwrap(d.addServer(key, { address: '2001:db8:1::1', port: 443 }));
  const b = unwrap(d.addServer(key, { address: '2001:db8:1::2', port: 443 }));
  const sid = d.findService(key);
  assert.equal(d.schedule(sid, '2001:db8:aa:bb::1', 1000, 0), b);
  assert.equal(d.schedule(sid, '2001:db8:aa:bb:ffff::9', 1001, 0), b, 'same /64');
  assert.equal(d.schedule(sid, '2001:db8:aa:bc::1', 1002, 0), a, 'another /64');
  const s = d.snapshot().services[0]!;
  assert.deepEqual([s.netmaskText, s.netmaskIsDefault], ['64', false]);
  const tpl = d
    .connections(0)
    .filter((r) => r.template)
    .map((r) => r.clientAddress)
    .sort();
  assert.deepEqual(tpl, ['2001:db8:aa:bb::', '2001:db8:aa:bc::']);
});

test('bad ids and addresses are refused without throwing', () => {
  const d = new Director({ connCapacity: 8 });
  assert.equal(d.lookupService('TCP', 'not-an-ip', 80), -1);
  assert.equal(d.schedule(7, '1.2.3.4', 1, 0), -1);
  assert.equal(d.connect(7, 0, '1.2.3.4', 1, '10.0.0.1', 80, 0), -3);
  assert.equal(d.packet(5, 0, 0x02, 60, 0), -1);
  assert.equal(d.connState(5), '');
  assert.equal(d.realInfo(3), null);
  const r = d.addService({ kind: 'addr', protocol: 'TCP', address: '300.1.1.1', port: 80 }, {});
  assert.ok(!r.ok && r.error.errno === 'EINVAL');
  const f = d.addService({ kind: 'fwmark', fwmark: 0, family: 4 }, {});
  assert.ok(!f.ok && f.error.errno === 'EINVAL');
  const m = d.addService(
    { kind: 'addr', protocol: 'TCP', address: '::1', port: 80 },
    { persistent: 10, netmask: 129 },
  );
  assert.ok(!m.ok && m.error.errno === 'EINVAL');
});
