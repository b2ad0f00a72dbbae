import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpSeqTable } from './tcp-seq.js';

test('TcpSeqTable finds what it stored, across growth, and keeps keys apart', () => {
  const t = new TcpSeqTable(3, 4);
  for (let i = 0; i < 5000; i++) {
    t.key[0] = 0x0a000001;
    t.key[1] = 0x0a000000 + i;
    t.key[2] = ((40000 + (i % 1000)) << 16) | 80;
    const slot = t.find();
    assert.equal(t.isUsed(slot), false);
    t.set(slot, i * 7, (i * 11) >>> 0);
  }
  for (let i = 0; i < 5000; i++) {
    t.key[0] = 0x0a000001;
    t.key[1] = 0x0a000000 + i;
    t.key[2] = ((40000 + (i % 1000)) << 16) | 80;
    const slot = t.find();
    assert.equal(t.isUsed(slot), true, `entry ${i}`);
    assert.equal(t.seq(slot), i * 7);
    assert.equal(t.ack(slot), i * 11);
  }
  t.key[1] = 0x0b000000;
  assert.equal(t.isUsed(t.find()), false);
});

test('set() on a used slot overwrites (a new SYN restarts the conversation)', () => {
  const t = new TcpSeqTable(9);
  t.key.fill(0xffffffff);
  let slot = t.set(t.find(), 1, 2);
  slot = t.set(t.find(), 0xfffffffe, 0);
  assert.equal(t.seq(slot), 0xfffffffe);
  assert.equal(t.ack(slot), 0);
});
