// The estimator's worked example of the reference (§4) and -Z semantics.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ST_CONNS, ST_INBYTES, StatsTable } from './stats.js';

test('100 conn/s and 500000 B/s from zero: CPS and InBPS after ticks 1..10', () => {
  const s = new StatsTable(1);
  const cps: number[] = [];
  const bps: number[] = [];
  for (let t = 1; t <= 10; t++) {
    s.cnt[ST_CONNS] += 200;
    s.cnt[ST_INBYTES] += 1_000_000;
    s.estimate(0);
    cps.push(s.rates(0).cps);
    bps.push(s.rates(0).inbps);
  }
  assert.deepEqual(cps, [25, 44, 58, 68, 76, 82, 87, 90, 92, 94]);
  assert.deepEqual(bps, [125000, 218750, 289062, 341797, 381348, 411011, 433258, 449943, 462458, 471843]);
});

test('-Z: shown counters restart from zero, rates restart, live counters untouched', () => {
  const s = new StatsTable(2);
  s.cnt[5 + ST_CONNS] = 7;
  s.estimate(1);
  assert.ok(s.rates(1).cps > 0);
  s.zero(1);
  assert.equal(s.snapshot(1).conns, 0);
  assert.equal(s.rates(1).cps, 0);
  s.cnt[5 + ST_CONNS] += 2;
  assert.equal(s.snapshot(1).conns, 2);
  s.estimate(1);
  assert.equal(s.rates(1).cps, 0); // 2 conns in 2 s: (256 + 511) >> 10 = 0
});
