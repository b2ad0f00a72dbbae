import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitGre, GRE_FLAG_ACK, GRE_FLAG_KEY, GRE_FLAG_SEQ, GreStatus, GreView } from './gre.js';

test('emitGre with checksum, key and sequence: the view finds every field', () => {
  const b = new Uint8Array(16 + 4);
  b.set([0x45, 0, 0, 4], 16);
  const hl = emitGre({ protocolType: 0x0800, key: 42, sequence: 7, checksum: true, payloadLength: 4 }, b, 0);
  assert.equal(hl, 16);
  const g = new GreView().wrap(b, 0, b.length);
  assert.equal(g.check(), GreStatus.OK);
  assert.equal(g.version, 0);
  assert.equal(g.protocolType, 0x0800);
  assert.equal(g.checksumOffset, 4);
  assert.equal(g.key, 42);
  assert.equal(g.sequenceNumber, 7);
  assert.equal(g.payloadOffset, 16);
  assert.equal(g.verifyChecksum(20), true);
  b[19] ^= 0xff;
  assert.equal(g.verifyChecksum(20), false);
});

test('PPTP enhanced GRE (version 1): call id, sequence and acknowledgment', () => {
  const f = GRE_FLAG_KEY | GRE_FLAG_SEQ | GRE_FLAG_ACK | 1;
  const b = Uint8Array.of(f >> 8, f & 0xff, 0x88, 0x0b, 0, 20, 0x12, 0x34, 0, 0, 0, 9, 0, 0, 0, 8);
  const g = new GreView().wrap(b, 0, b.length);
  assert.equal(g.check(), GreStatus.OK);
  assert.equal(g.version, 1);
  assert.equal(g.pptpPayloadLength, 20);
  assert.equal(g.callId, 0x1234);
  assert.equal(g.sequenceNumber, 9);
  assert.equal(g.ackNumber, 8);
  assert.equal(g.headerLength, 16);
});

test('check() reports short headers, missing optional fields and unknown versions', () => {
  const g = new GreView();
  assert.equal(g.wrap(Uint8Array.of(0, 0, 8), 0, 3).check(), GreStatus.SHORT_HEADER);
  assert.equal(g.wrap(Uint8Array.of(0x20, 0, 8, 0, 0), 0, 5).check(), GreStatus.SHORT_OPTIONAL);
  assert.equal(g.wrap(Uint8Array.of(0, 2, 8, 0), 0, 4).check(), GreStatus.BAD_VERSION);
  assert.equal(g.wrap(Uint8Array.of(0x40, 0, 8, 0, 0, 0, 0, 0), 0, 8).check(), GreStatus.ROUTING);
});
