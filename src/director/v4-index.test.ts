import assert from 'node:assert/strict';
import { test } from 'node:test';
import { V4ServiceIndex } from './v4-index.js';

test('V4ServiceIndex: set, get, delete and growth agree with a Map', () => {
  const ix = new V4ServiceIndex();
  const ref = new Map<string, number>();
  let seed = 7;
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed;
  };
  for (let step = 0; step < 3000; step++) {
    const proto = rnd() & 1 ? 6 : 17;
    const addr = rnd() % 4 === 0 ? 0xffffffff - (rnd() % 5) : 0x0a000000 + (rnd() % 40);
    const port = rnd() % 6;
    const k = `${proto}/${addr >>> 0}/${port}`;
    if (rnd() % 3 === 0) {
      ix.delete(proto, addr, port);
      ref.delete(k);
    } else {
      ix.set(proto, addr, port, step);
      ref.set(k, step);
    }
    assert.equal(ix.get(proto, addr, port), ref.get(k) ?? -1);
  }
  for (const [k, v] of ref) {
    const [p, a, o] = k.split('/').map(Number);
    assert.equal(ix.get(p!, a!, o!), v);
  }
  assert.equal(ix.get(6, 0x01020304, 80), -1);
});
