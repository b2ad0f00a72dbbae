// One suite run against every registered scheduler: rules every IPVS scheduler obeys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchedHarness } from './harness.js';
import { createScheduler, SCHEDULER_NAMES } from './registry.js';

/** Deterministic PRNG (mulberry32) so twos and the random loads repeat exactly. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

for (const name of SCHEDULER_NAMES) {
  test(`${name}: no reals -> -1`, () => {
    const s = new SchedHarness(createScheduler(name)!, 64, rng(1));
    assert.equal(s.pick(), '-');
  });

  test(`${name}: all weights 0 -> -1; all overloaded -> -1`, () => {
    const s = new SchedHarness(createScheduler(name)!, 64, rng(2));
    const ids = [s.add('A', 0), s.add('B', 0)];
    for (let i = 0; i < 5; i++) assert.equal(s.pick(`10.9.0.${i}`, 1000 + i, `10.8.0.${i}`), '-');
    for (const id of ids) {
      s.setWeight(id, 3);
      s.overload(id, true);
    }
    for (let i = 0; i < 5; i++) assert.equal(s.pick(`10.9.1.${i}`, 2000 + i, `10.8.1.${i}`), '-');
  });

  test(`${name}: never picks weight 0 or overloaded reals, under random loads and changes`, () => {
    const rand = rng(name.length * 7919);
    const s = new SchedHarness(createScheduler(name)!, 256, rand);
    const ids: number[] = [];
    for (let i = 0; i < 12; i++) ids.push(s.add(`R${i}`, 1 + (i % 4)));
    s.setWeight(ids[3]!, 0);
    s.setWeight(ids[7]!, 0);
    s.overload(ids[5]!, true);
    s.overload(ids[9]!, true);
    const banned = new Set(['R3', 'R7', 'R5', 'R9']);
    let picked = 0;
    for (let i = 0; i < 2000; i++) {
      for (const id of ids) {
        s.reals.active[id] = Math.floor(rand() * 4);
        s.reals.inact[id] = Math.floor(rand() * 50);
      }
      // A fresh destination every time: lblc's cache hit keeps a real regardless of OVERLOAD (kernel).
      const p = s.pick(`10.${i >> 8}.${i & 255}.1`, 1024 + i, `172.${i >> 8}.${i & 255}.2`);
      assert.ok(!banned.has(p), `picked ${p}`);
      if (p !== '-') picked++;
    }
    // Hash schedulers without fallback may land on a banned real's bucket; the others always pick.
    if (['dh', 'sh', 'mh'].includes(name)) assert.ok(picked > 600, `${picked}`);
    else assert.equal(picked, 2000);
  });

  test(`${name}: a single usable real is always the answer`, () => {
    const s = new SchedHarness(createScheduler(name)!, 64, rng(3));
    s.add('only', 5);
    for (let i = 0; i < 50; i++) assert.equal(s.pick(`10.0.${i}.1`, i, `10.1.${i}.1`), 'only');
  });
}
