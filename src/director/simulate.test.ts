// simulate(): the director's own choices for a list of clients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from './simulate.js';

const key = { kind: 'addr', protocol: 'TCP', address: '127.0.0.1', port: 8080 } as const;
const reals = [
  { address: '127.0.0.1', port: 9001, weight: 3 },
  { address: '127.0.0.1', port: 9002, weight: 2 },
  { address: '127.0.0.1', port: 9003, weight: 1 },
];
const clients = Array.from({ length: 12 }, (_, i) => ({ address: '127.0.0.1', port: 40000 + i }));

test('wrr 3/2/1 (the demo): kernel sequence with list order [9003 9002 9001]', () => {
  const got = simulate({ key, cfg: { scheduler: 'wrr' }, reals }, clients).map((s) => s.real.slice(-4));
  // Added one at a time: cw stays 1 after the adds, so the first pass takes all three; then the
  // cycle cw=3: A, cw=2: B A, cw=1: C B A.
  assert.deepEqual(got.join(' '), '9003 9002 9001 9001 9002 9001 9003 9002 9001 9001 9002 9001');
});

test('wlc: closed connections leave every real idle -> always the head; held ones spread by weight', () => {
  const closed = simulate({ key, cfg: {}, reals }, clients).map((s) => s.real.slice(-4));
  assert.ok(closed.every((r) => r === '9003'));
  const held = simulate({ key, cfg: {}, reals }, clients, { hold: true }).map((s) => s.real.slice(-4));
  const count = (p: string) => held.filter((r) => r === p).length;
  assert.deepEqual([count('9001'), count('9002'), count('9003')], [6, 4, 2]);
});

test('no destination is reported as an empty real', () => {
  const got = simulate(
    { key, cfg: { scheduler: 'rr' }, reals: [{ address: '127.0.0.1', port: 9001, weight: 0 }] },
    clients.slice(0, 2),
  );
  assert.deepEqual(
    got.map((s) => s.real),
    ['', ''],
  );
});
