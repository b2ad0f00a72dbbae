// Timer wheel: exact due times, re-arming, long timeouts beyond one turn, long pauses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimerWheel } from './timer-wheel.js';

class Log {
  fired: [number, number][] = [];
  expire(id: number, now: number): void {
    this.fired.push([id, now]);
  }
}

test('fires at or after the due time, never before', () => {
  const w = new TimerWheel(16, 1000, 8);
  const log = new Log();
  w.advance(0, log);
  w.arm(1, 2500);
  w.arm(2, 900);
  w.advance(800, log);
  assert.deepEqual(log.fired, []);
  w.advance(950, log);
  assert.deepEqual(log.fired, [[2, 950]]);
  w.advance(2499, log);
  assert.equal(log.fired.length, 1);
  w.advance(2500, log);
  assert.deepEqual(log.fired[1], [1, 2500]);
});

test('entries beyond one turn wait extra rounds; cancel and re-arm', () => {
  const w = new TimerWheel(16, 1000, 8);
  const log = new Log();
  w.advance(0, log);
  w.arm(3, 20_000);
  w.arm(4, 5000);
  w.arm(4, 30_000);
  w.arm(5, 6000);
  w.cancel(5);
  for (let t = 1000; t < 20_000; t += 1000) w.advance(t, log);
  assert.deepEqual(log.fired, []);
  w.advance(20_000, log);
  assert.deepEqual(log.fired, [[3, 20_000]]);
  w.advance(10_000_000, log); // a long pause: one full turn catches everything
  assert.deepEqual(log.fired[1], [4, 10_000_000]);
  assert.equal(w.isArmed(4), false);
});

test('a handler may re-arm the entry it is told about', () => {
  const w = new TimerWheel(4, 1000, 8);
  let n = 0;
  const h = {
    expire(id: number, now: number) {
      n++;
      if (n < 3) w.arm(id, now + 60_000);
    },
  };
  w.advance(0, h);
  w.arm(0, 1000);
  for (let t = 0; t <= 200_000; t += 1000) w.advance(t, h);
  assert.equal(n, 3);
});
