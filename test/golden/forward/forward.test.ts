// forward/ golden cases: packet in -> transform in place -> packet out + verdict (cases.tsv, regen.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import {
  clampMss,
  drFrame,
  fullnatIn,
  fullnatOut,
  icmpErrorTranslate,
  ipipEncap,
  LocalPortPool,
  natIn,
  natOut,
  ttlAdjust,
  VERDICT_NAMES,
  Verdict,
} from '../../../src/forward/index.js';
import { parseIpv4 } from '../../../src/wire/ipv4.js';

const HEADROOM = 64;
const ip = parseIpv4;
const mac = (s: string) => Uint8Array.from(s.split(':').map((x) => Number.parseInt(x, 16)));

const rows = readFileSync(new URL('./cases.tsv', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => l.split('\t'));

test('cases.tsv has every transform', () => {
  const ops = new Set(rows.map((r) => r[1]));
  for (const op of [
    'natIn',
    'natOut',
    'fullnatIn',
    'fullnatOut',
    'ttl',
    'mss',
    'ipip',
    'dr',
    'icmpIn',
    'icmpOut',
  ])
    assert.ok(ops.has(op), op);
});

for (const [name, op, args, inHex, outHex, verdict] of rows) {
  test(`${name}: ${op} ${args}`, () => {
    const a = args!.split(' ');
    const input = Buffer.from(inHex!, 'hex');
    const b = new Uint8Array(HEADROOM + input.length + 16);
    b.set(input, HEADROOM);
    const len = input.length;
    let start = HEADROOM;
    let v: number;
    switch (op) {
      case 'natIn':
        v = natIn(b, HEADROOM, len, ip(a[0]!), Number(a[1]));
        break;
      case 'natOut':
        v = natOut(b, HEADROOM, len, ip(a[0]!), Number(a[1]));
        break;
      case 'fullnatIn':
        v = fullnatIn(b, HEADROOM, len, ip(a[0]!), Number(a[1]), ip(a[2]!), Number(a[3]));
        break;
      case 'fullnatOut':
        v = fullnatOut(b, HEADROOM, len, ip(a[0]!), Number(a[1]), ip(a[2]!), Number(a[3]));
        break;
      case 'ttl':
        v = ttlAdjust(b, HEADROOM, Number(a[0]));
        break;
      case 'mss':
        v = clampMss(b, HEADROOM, len, Number(a[0])) > 0 ? Verdict.FORWARD : Verdict.DROP_MALFORMED;
        break;
      case 'ipip':
        v = ipipEncap(b, HEADROOM, len, ip(a[0]!), ip(a[1]!), Number(a[2]), Number(a[3]));
        start = HEADROOM - 20;
        break;
      case 'dr':
        v = drFrame(b, HEADROOM, len, mac(a[0]!), 0, mac(a[1]!), 0);
        start = HEADROOM - 14;
        break;
      case 'icmpIn':
      case 'icmpOut':
        v = icmpErrorTranslate(b, HEADROOM, len, op === 'icmpOut', ip(a[0]!), Number(a[1]));
        break;
      default:
        throw new Error(`unknown op ${op}`);
    }
    assert.equal(VERDICT_NAMES[v], verdict);
    if (outHex !== '-') {
      const want = Buffer.from(outHex!, 'hex');
      assert.equal(Buffer.from(b.subarray(start, start + want.length)).toString('hex'), outHex);
    }
  });
}

test('ipipEncap without headroom is refused', () => {
  const input = Buffer.from(rows.find((r) => r[1] === 'ipip')![3]!, 'hex');
  assert.equal(ipipEncap(input, 0, input.length, 1, 2, 3, 1500), Verdict.DROP_NO_HEADROOM);
});

test('LocalPortPool: every port once, exhausted, release', () => {
  const pool = new LocalPortPool([ip('198.19.9.1'), ip('198.19.9.2')], 1000, 1009);
  const seen = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const t = pool.take();
    assert.ok(t >= 0);
    seen.add(`${pool.addrOf(t)}:${t & 0xffff}`);
  }
  assert.equal(seen.size, 20);
  assert.equal(pool.take(), -1);
  assert.ok(pool.release((1 << 16) | 1005));
  assert.equal(pool.release((1 << 16) | 1005), false);
  assert.equal(pool.take(), (1 << 16) | 1005);
  assert.throws(() => new LocalPortPool([]), /local address/);
});
