// Address text <-> words: canonical forms, rejects, masks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalAddr, formatIpv6, maskWords, parseAddr, parseInto } from './addr.js';

test('canonical text: IPv4 dotted, IPv6 RFC 5952', () => {
  assert.equal(canonicalAddr('10.0.0.1'), '10.0.0.1');
  assert.equal(canonicalAddr('2001:DB8:0:0:0:0:0:1'), '2001:db8::1');
  assert.equal(canonicalAddr('2001:db8:0:1:0:0:0:1'), '2001:db8:0:1::1');
  assert.equal(canonicalAddr('::'), '::');
  assert.equal(canonicalAddr('::1'), '::1');
  assert.equal(canonicalAddr('fe80::'), 'fe80::');
  assert.equal(canonicalAddr('::ffff:192.0.2.1'), '::ffff:c000:201');
  assert.equal(formatIpv6(0x20010db8, 0, 0x10000, 1), '2001:db8::1:0:0:1'); // first of equal runs
  assert.equal(canonicalAddr('2001:db8:1:0:1:0:1:0'), '2001:db8:1:0:1:0:1:0');
});

test('rejects: bad quads and groups', () => {
  for (const bad of [
    '',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '1..2.3',
    '1.2.3.4 ',
    'a.b.c.d',
    '1:2:3',
    ':::',
    '1::2::3',
    'g::1',
    '12345::',
  ]) {
    assert.equal(parseAddr(bad), null, bad);
    assert.equal(parseInto(bad, new Uint32Array(4)), 0, bad);
  }
});

test('parseInto agrees with parseAddr and masks apply per family', () => {
  const w = new Uint32Array(4);
  assert.equal(parseInto('192.168.1.77', w), 4);
  assert.deepEqual([...w], [0, 0, 0, 0xc0a8014d]);
  maskWords(4, w, 0xffffff00, 128);
  assert.equal(w[3], 0xc0a80100);
  assert.equal(parseInto('2001:db8:aaaa:bbbb::1', w), 6);
  maskWords(6, w, 0, 40);
  assert.deepEqual([...w], [0x20010db8, 0xaa000000, 0, 0]);
});
