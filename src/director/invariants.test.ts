// Accounting invariants under random operation sequences (fast-check): ActiveConn/InActConn/
// PersistConn always equal what the connection table holds, counters never go negative, every
// connection's real is allocated, and `conns` equals the connections created.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Director } from './director.js';
import {
  DIR_INPUT,
  DIR_OUTPUT,
  SCHEDULER_NAMES_FOR_TEST,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from './test-support.js';
import type { ServiceKey } from './types.js';

const KEY: ServiceKey = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 };
const UKEY: ServiceKey = { kind: 'addr', protocol: 'UDP', address: '10.0.0.100', port: 53 };

type Op =
  | { k: 'add'; r: number; w: number; u: number }
  | { k: 'del'; r: number }
  | { k: 'edit'; r: number; w: number }
  | { k: 'conn'; udp: boolean; c: number; p: number }
  | { k: 'pkt'; n: number; out: boolean; f: number }
  | { k: 'tick'; dt: number }
  | { k: 'reuse'; n: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    k: fc.constant('add' as const),
    r: fc.integer({ min: 0, max: 4 }),
    w: fc.integer({ min: 0, max: 4 }),
    u: fc.integer({ min: 0, max: 3 }),
  }),
  fc.record({ k: fc.constant('del' as const), r: fc.integer({ min: 0, max: 4 }) }),
  fc.record({
    k: fc.constant('edit' as const),
    r: fc.integer({ min: 0, max: 4 }),
    w: fc.integer({ min: 0, max: 4 }),
  }),
  fc.record({
    k: fc.constant('conn' as const),
    udp: fc.boolean(),
    c: fc.integer({ min: 0, max: 6 }),
    p: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    k: fc.constant('conn' as const),
    udp: fc.constant(false),
    c: fc.integer({ min: 0, max: 6 }),
    p: fc.integer({ min: 1, max: 40 }),
  }),
  fc.record({
    k: fc.constant('pkt' as const),
    n: fc.nat(),
    out: fc.boolean(),
    f: fc.constantFrom(TCP_SYN, TCP_ACK, TCP_FIN | TCP_ACK, TCP_RST, 0),
  }),
  fc.record({
    k: fc.constant('pkt' as const),
    n: fc.nat(),
    out: fc.boolean(),
    f: fc.constantFrom(TCP_SYN, TCP_ACK, TCP_FIN | TCP_ACK),
  }),
  fc.record({
    k: fc.constant('tick' as const),
    dt: fc.constantFrom(500, 2000, 11_000, 61_000, 130_000, 400_000),
  }),
  fc.record({ k: fc.constant('reuse' as const), n: fc.nat() }),
);

function check(d: Director, created: number): void {
  const s = d.snapshot();
  const rows = d.connections(0);
  const byReal = new Map<number, { a: number; i: number; p: number }>();
  for (const row of rows) {
    const e = byReal.get(row.realId) ?? { a: 0, i: 0, p: 0 };
    if (row.template) e.p++;
    else if (['ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'SYNACK'].includes(row.state)) e.a++;
    else e.i++;
    byReal.set(row.realId, e);
    assert.ok(d.realInfo(row.realId), `connection ${row.id} points at a freed real`);
  }
  for (let id = 0; id < d.reals.capacity; id++) {
    if (!d.reals.isAllocated(id)) continue;
    const e = byReal.get(id) ?? { a: 0, i: 0, p: 0 };
    assert.equal(d.reals.active[id], e.a, `active of real ${id}`);
    assert.equal(d.reals.inact[id], e.i, `inactive of real ${id}`);
    assert.equal(d.reals.persist[id], e.p, `persistent of real ${id}`);
  }
  assert.equal(s.total.conns, created);
  assert.equal(s.connCount, rows.length);
}

for (const sched of SCHEDULER_NAMES_FOR_TEST) {
  test(`invariants hold under random operations (${sched})`, () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(op, { maxLength: 120 }), (persistent, ops) => {
        let seed = 7;
        const d = new Director({
          connCapacity: 48,
          random: () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296,
        });
        assert.ok(
          d.addService(KEY, { scheduler: sched, persistent: persistent ? 30 : 0, netmask: 0xffffff00 }).ok,
        );
        assert.ok(d.addService(UKEY, { scheduler: sched }).ok);
        let now = 0;
        let created = 0;
        const live: number[] = [];
        for (const o of ops) {
          switch (o.k) {
            case 'add':
              d.addServer(KEY, {
                address: `192.168.10.${o.r + 1}`,
                port: 80,
                weight: o.w,
                uThreshold: o.u,
                method: o.r % 2 ? 'masq' : 'gate',
              });
              d.addServer(UKEY, { address: `192.168.10.${o.r + 1}`, port: 53, weight: o.w });
              break;
            case 'del':
              d.deleteServer(KEY, `192.168.10.${o.r + 1}`, 80);
              d.deleteServer(UKEY, `192.168.10.${o.r + 1}`, 53);
              break;
            case 'edit':
              d.editServer(KEY, { address: `192.168.10.${o.r + 1}`, port: 80, weight: o.w });
              break;
            case 'conn': {
              const key = o.udp ? UKEY : KEY;
              const sid = d.findService(key);
              const client = `203.0.113.${o.c}`;
              const rid = d.schedule(sid, client, o.p, now);
              if (rid < 0) break;
              const cid = d.connect(sid, rid, client, o.p, '10.0.0.100', o.udp ? 53 : 80, now);
              if (cid >= 0) {
                created++;
                live.push(cid);
              }
              break;
            }
            case 'pkt':
              if (live.length > 0)
                d.packet(live[o.n % live.length]!, o.out ? DIR_OUTPUT : DIR_INPUT, o.f, 60, now);
              break;
            case 'tick':
              now += o.dt;
              d.tick(now);
              break;
            case 'reuse':
              if (live.length > 0) d.reuseOnSyn(live[o.n % live.length]!, now);
              break;
          }
          check(d, created);
        }
      }),
      { numRuns: 40, seed: 42 },
    );
  });
}
