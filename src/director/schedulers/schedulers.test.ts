// Worked examples of reference/ipvs-semantics.md §1, asserted against each scheduler.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAddr } from '../addr.js';
import { SCHED_FLAG_1, SCHED_FLAG_2 } from '../types.js';
import { dhBucket } from './dh.js';
import { SchedHarness } from './harness.js';
import { type MaglevHashing, MH_TAB_SIZE } from './mh.js';
import { createScheduler } from './registry.js';
import { type SourceHashing, shHashKey } from './sh.js';

function h(name: string, random?: () => number): SchedHarness {
  return new SchedHarness(createScheduler(name)!, 4096, random);
}

function abc(name: string, wa = 1, wb = 1, wc = 1): SchedHarness {
  const s = h(name);
  s.add('A', wa);
  s.add('B', wb);
  s.add('C', wc);
  return s;
}

test('rr: list [C B A] picks C B A C B A', () => {
  assert.equal(abc('rr').picks(6), 'C B A C B A');
});

test('rr: after C B, add D -> A D C B A D', () => {
  const s = abc('rr');
  assert.equal(s.picks(2), 'C B');
  s.add('D', 1);
  assert.equal(s.picks(6), 'A D C B A D');
});

test('rr: after C B, delete B -> A C A C', () => {
  const s = abc('rr');
  s.picks(2);
  s.del(s.id('B'));
  assert.equal(s.picks(4), 'A C A C');
});

test('rr: after C B, delete A -> C B C B', () => {
  const s = abc('rr');
  s.picks(2);
  s.del(s.id('A'));
  assert.equal(s.picks(4), 'C B C B');
});

test('rr: after C, B weight 0 -> A C A C', () => {
  const s = abc('rr');
  s.picks(1);
  s.setWeight(s.id('B'), 0);
  assert.equal(s.picks(4), 'A C A C');
});

test('wrr: A=4 B=3 C=2 added one at a time', () => {
  const s = abc('wrr', 4, 3, 2);
  assert.equal(s.picks(18), 'C B A A B A C B A C B A A B A C B A');
});

test('wrr: scheduler initialised with all three present', () => {
  const s = abc('wlc', 4, 3, 2);
  const w = new SchedHarness(createScheduler('wrr')!);
  // Same list [C B A] built before init: copy the reals, then init.
  for (const name of ['A', 'B', 'C']) {
    const id = s.id(name);
    w.reals.weight[id] = s.reals.weight[id]!;
    w.reals.flags[id] = s.reals.flags[id]!;
    w.names[id] = name;
  }
  w.dests = [...s.dests];
  w.sched.init(w);
  assert.equal(w.picks(18), 'A B A C B A C B A A B A C B A C B A');
});

test('wrr: gcd 2 (weights 4 and 2) gives 2:1 and never picks weight 0', () => {
  const s = h('wrr');
  s.add('A', 4);
  s.add('B', 2);
  s.add('Z', 0);
  const seq = s.picks(30).split(' ');
  assert.equal(seq.filter((x) => x === 'A').length, 20);
  assert.equal(seq.filter((x) => x === 'B').length, 10);
  assert.ok(!seq.includes('Z'));
});

function loads(s: SchedHarness): void {
  // List order A, B, C: add C, B, A.
  const c = s.add('C', 3);
  const b = s.add('B', 2);
  const a = s.add('A', 1);
  s.reals.active[a] = 1;
  s.reals.active[b] = 1;
  s.reals.inact[b] = 10;
  s.reals.active[c] = 3;
}

test('wlc/lc/sed: the reference example (A w1 oh256, B w2 oh266, C w3 oh768)', () => {
  for (const [name, want] of [
    ['wlc', 'B'],
    ['lc', 'A'],
    ['sed', 'B'],
  ] as const) {
    const s = h(name);
    loads(s);
    assert.equal(s.pick(), want, name);
  }
});

test('wlc: all idle picks the first in list order regardless of weight; sed picks highest weight', () => {
  const w = h('wlc');
  w.add('A', 1);
  w.add('B', 5);
  assert.equal(w.pick(), 'B');
  const s = h('sed');
  s.add('B', 5);
  s.add('A', 1);
  assert.equal(s.pick(), 'B');
});

test('nq: first idle real wins, else sed', () => {
  const s = h('nq');
  loads(s);
  assert.equal(s.pick(), 'B');
  s.reals.active[s.id('C')] = 0;
  assert.equal(s.pick(), 'C');
});

test('fo: highest weight, ties to the first in list; ovf: active <= weight', () => {
  const f = h('fo');
  f.add('A', 5);
  f.add('B', 5);
  f.add('C', 2);
  assert.equal(f.pick(), 'B');
  const o = h('ovf');
  const a = o.add('A', 2);
  o.add('B', 5);
  o.reals.active[o.id('B')] = 6;
  assert.equal(o.pick(), 'A');
  o.reals.active[a] = 3;
  assert.equal(o.pick(), '-');
});

test('dh: 10.0.0.1 -> bucket 39 -> C with list [C B A]', () => {
  assert.equal(dhBucket(parseAddr('10.0.0.1')!.w), 39);
  const s = abc('dh');
  assert.equal(s.pick('1.2.3.4', 0, '10.0.0.1'), 'C');
  s.setWeight(s.id('C'), 0);
  assert.equal(s.pick('1.2.3.4', 0, '10.0.0.1'), '-');
});

test('sh: buckets of the reference and weighted fill C=2 B=3 A=4', () => {
  const key = (a: string, port = 0) => shHashKey(parseAddr(a)!.w, port, 0);
  assert.equal(key('10.0.0.1'), 39);
  assert.equal(key('10.0.0.2'), 137);
  assert.equal(key('192.168.1.10'), 248);
  assert.equal(key('192.168.1.11'), 90);
  assert.equal(key('172.16.0.5'), 1);
  assert.equal(key('192.168.1.10', 40000), 156);
  const s = abc('sh', 4, 3, 2);
  const b = (s.sched as SourceHashing).buckets;
  const counts = new Map<string, number>();
  for (const id of b) counts.set(s.names[id]!, (counts.get(s.names[id]!) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { C: 58, B: 86, A: 112 });
  assert.deepEqual(
    [...b.slice(0, 9)].map((id) => s.names[id]),
    ['C', 'C', 'B', 'B', 'B', 'A', 'A', 'A', 'A'],
  );
});

test('sh: unavailable bucket gives none, or the next usable with sh-fallback; sh-port keys by port', () => {
  const s = abc('sh', 4, 3, 2);
  const first = s.pick('10.0.0.1');
  assert.equal(first, s.names[(s.sched as SourceHashing).buckets[39]!]);
  s.overload(s.id(first), true);
  assert.equal(s.pick('10.0.0.1'), '-');
  s.schedFlags = SCHED_FLAG_1;
  const fb = s.pick('10.0.0.1');
  assert.notEqual(fb, '-');
  assert.notEqual(fb, first);
  s.overload(s.id(first), false);
  s.schedFlags = SCHED_FLAG_2;
  assert.equal(s.pick('192.168.1.10', 40000), s.names[(s.sched as SourceHashing).buckets[156]!]);
});

test('mh: table filled in proportion to weights; weight 0 keeps the table; fallback', () => {
  const s = h('mh');
  s.add('A', 1);
  s.add('B', 2);
  s.add('C', 1);
  const t = (s.sched as MaglevHashing).lookup;
  const count = (name: string) => t.filter((id) => s.names[id] === name).length;
  assert.equal(count('A') + count('B') + count('C'), MH_TAB_SIZE);
  assert.ok(Math.abs(count('B') / MH_TAB_SIZE - 0.5) < 0.02, `B share ${count('B')}`);
  const before = Int32Array.from(t);
  s.setWeight(s.id('B'), 0);
  assert.deepEqual(Int32Array.from(t), before, 'quiescing keeps the table (last_weight)');
  let none = 0;
  let moved = 0;
  for (let i = 1; i < 200; i++) {
    const client = `172.16.${i}.9`;
    const p = s.pick(client);
    if (p === '-') none++;
    assert.notEqual(p, 'B');
    s.schedFlags = SCHED_FLAG_1;
    const q = s.pick(client);
    if (p === '-') {
      assert.notEqual(q, '-');
      assert.notEqual(q, 'B');
      moved++;
    } else assert.equal(q, p);
    s.schedFlags = 0;
  }
  assert.ok(none > 50 && moved === none);
});

test('mh: deleting one of four reals remaps about a quarter of the slots', () => {
  const s = h('mh');
  for (const n of ['A', 'B', 'C', 'D']) s.add(n, 1);
  const before = Int32Array.from((s.sched as MaglevHashing).lookup);
  s.del(s.id('D'));
  const after = (s.sched as MaglevHashing).lookup;
  let changed = 0;
  let fromD = 0;
  for (let i = 0; i < MH_TAB_SIZE; i++) {
    if (before[i] !== after[i]) changed++;
    if (before[i] === s.id('D')) fromD++;
  }
  assert.ok(fromD > 900 && fromD < 1150, `D had ${fromD}`);
  assert.ok(changed < fromD * 1.3, `changed ${changed} for ${fromD}`);
});

test('twos: deterministic with an injected RNG; picks the less loaded of two draws', () => {
  const seq = [0.1, 0.9];
  let k = 0;
  const s = h('twos', () => seq[k++ % seq.length]!);
  const a = s.add('A', 1);
  s.add('B', 1);
  // List [B A], T = 2, draws floor(0.1*3) = 0 -> B, floor(0.9*3) = 2 -> A.
  assert.equal(s.pick(), 'B');
  s.reals.active[s.id('B')] = 1;
  assert.equal(s.pick(), 'A');
  s.reals.active[a] = 5;
  assert.equal(s.pick(), 'B');
});

test('lblc: sticks to the cached real for a destination, leaves it on half-load overload', () => {
  const s = h('lblc');
  const a = s.add('A', 2);
  s.add('B', 2);
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'B');
  s.reals.active[s.id('B')] = 1;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'B');
  assert.equal(s.pick('1.1.1.1', 0, '9.9.9.9'), 'A');
  // B above its weight while A is below half of its own: B counts as overloaded -> wlc -> A.
  s.reals.active[s.id('B')] = 3;
  s.reals.active[a] = 0;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'A');
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'A');
});

test('lblc: entries expire after lblc_expiration via the periodic check', () => {
  const s = h('lblc');
  s.add('A', 1);
  s.pick('1.1.1.1', 0, '8.8.8.8');
  const tbl = (s.sched as unknown as { table: Map<unknown, unknown> }).table;
  assert.equal(tbl.size, 1);
  s.flow.lblcExpiration = 10 * 60_000;
  for (let t = 60_000; t <= 31 * 60_000; t += 60_000) {
    s.flow.now = t;
    s.pick('1.1.1.1', 0, '7.7.7.7');
  }
  assert.ok(!tbl.has(parseAddr('8.8.8.8')!.w[3]), 'idle entry removed by the full check');
});

test('lblcr: grows the set on overload, uses the least loaded member', () => {
  const s = h('lblcr');
  const a = s.add('A', 2);
  const b = s.add('B', 2);
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'B');
  s.reals.active[b] = 3;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'A');
  const tbl = (s.sched as unknown as { table: Map<number, { set: number[] }> }).table;
  assert.deepEqual(tbl.get(parseAddr('8.8.8.8')!.w[3]!)!.set, [a, b]);
});

test('wrr: on a change with gcd > 1, cw becomes (cw / di) * di + 1 (ip_vs_wrr_dest_changed)', () => {
  const s = h('wrr');
  s.add('A', 4);
  s.add('B', 8);
  // A alone: di 4, mw 1, cw 0 -> 1. B=8: di 4, mw 5, cw (1/4)*4 + 1 = 1: B A, then cw 5: B.
  assert.equal(s.picks(3), 'B A B');
  // C=12: di 4, mw 9, cw 5 -> (5/4)*4 + 1 = 5, cursor to the head: C B (cw 5), C B A (cw 1), C (cw 9).
  s.add('C', 12);
  assert.equal(s.picks(6), 'C B C B A C');
});

test('lblcr: after lblcr_expiration a set of two drops its most loaded member', () => {
  const s = h('lblcr');
  const a = s.add('A', 2);
  const b = s.add('B', 2);
  s.flow.lblcrExpiration = 1000;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'B');
  s.reals.active[b] = 3;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'A');
  const tbl = (s.sched as unknown as { table: Map<number, { set: number[] }> }).table;
  const key = parseAddr('8.8.8.8')!.w[3]!;
  assert.deepEqual(tbl.get(key)!.set, [a, b]);
  s.flow.now = 5000;
  assert.equal(s.pick('1.1.1.1', 0, '8.8.8.8'), 'A');
  assert.deepEqual(tbl.get(key)!.set, [a], 'B (more loaded) removed');
});
