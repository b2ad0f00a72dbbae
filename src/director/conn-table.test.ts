// The open-addressing table against a Map model: random inserts, removals and lookups (fast-check),
// including heavy collisions (same client address and port), so backward-shift deletion is exercised.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { C_TEMPLATE, ConnTable } from './conn-table.js';

const w = (v: number) => Uint32Array.of(0, 0, 0, v >>> 0);

test('lookups agree with a Map model under random insert/remove', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          op: fc.constantFrom('ins', 'del', 'ins'),
          c: fc.integer({ min: 0, max: 3 }),
          port: fc.integer({ min: 0, max: 5 }),
          v: fc.integer({ min: 0, max: 3 }),
        }),
        { maxLength: 300 },
      ),
      (ops) => {
        const t = new ConnTable(64);
        const model = new Map<string, number>();
        for (const o of ops) {
          const k = `${o.c}|${o.port}|${o.v}`;
          if (o.op === 'ins' && !model.has(k)) {
            const id = t.insert(6, 4, w(o.c), o.port, w(o.v), 80, w(0xc0a80001), 80, 0);
            if (model.size >= 64) assert.equal(id, -1);
            else {
              assert.ok(id >= 0);
              model.set(k, id);
            }
          } else if (o.op === 'del' && model.has(k)) {
            t.remove(model.get(k)!);
            model.delete(k);
          }
          for (let c = 0; c < 4; c++)
            for (let port = 0; port < 6; port++)
              for (let v = 0; v < 4; v++) {
                const got = t.findIn(6, 4, w(c), port, w(v), 80, false);
                assert.equal(got, model.get(`${c}|${port}|${v}`) ?? -1);
              }
        }
        assert.equal(t.count, model.size);
      },
    ),
    { numRuns: 60, seed: 1234 },
  );
});

test('templates and connections with the same key are told apart; reply lookup by real', () => {
  const t = new ConnTable(8);
  const conn = t.insert(6, 4, w(1), 0, w(2), 80, w(3), 8080, 0);
  const tpl = t.insert(6, 4, w(1), 0, w(2), 80, w(3), 8080, C_TEMPLATE);
  assert.equal(t.findIn(6, 4, w(1), 0, w(2), 80, false), conn);
  assert.equal(t.findIn(6, 4, w(1), 0, w(2), 80, true), tpl);
  assert.equal(t.findOut(6, 4, w(3), 8080, w(1), 0), conn);
  assert.equal(t.findOut(6, 4, w(3), 80, w(1), 0), -1);
  assert.equal(t.findIn(17, 4, w(1), 0, w(2), 80, false), -1);
  assert.deepEqual([...t.ids()].sort(), [conn, tpl].sort());
});

test('the FULLNAT local index agrees with a Map model under random set/remove', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          del: fc.boolean(),
          c: fc.integer({ min: 0, max: 40 }),
          lport: fc.integer({ min: 1, max: 6 }),
        }),
        {
          maxLength: 200,
        },
      ),
      (ops) => {
        const t = new ConnTable(64);
        const ids = new Map<number, number>(); // client -> id
        const local = new Map<number, number>(); // lport -> id (lports unique here)
        for (const o of ops) {
          if (o.del) {
            const id = ids.get(o.c);
            if (id === undefined) continue;
            t.remove(id);
            ids.delete(o.c);
            for (const [p, v] of local) if (v === id) local.delete(p);
          } else if (!ids.has(o.c) && !local.has(o.lport)) {
            const id = t.insert(6, 4, w(o.c), 1000, w(99), 80, w(7), 8080, 0);
            ids.set(o.c, id);
            t.setLocal(id, w(0xfe), o.lport);
            local.set(o.lport, id);
          }
          for (let p = 1; p <= 6; p++)
            assert.equal(t.findLocal(6, 4, w(7), 8080, w(0xfe), p), local.get(p) ?? -1);
        }
      },
    ),
    { numRuns: 60, seed: 99 },
  );
});
