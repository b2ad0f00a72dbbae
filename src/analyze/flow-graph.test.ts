import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisSession } from './session.js';

const caps = join(import.meta.dirname, '..', '..', 'test', 'golden', 'analysis', 'pcap');

/** Runs a classic little-endian pcap through a session with --flow-graph; returns the text. */
function flowGraph(name: string): string {
  const b = readFileSync(join(caps, name));
  let out = '';
  const s = new AnalysisSession({ stats: [], notes: false, flowGraph: true }, (t) => {
    out += t;
  });
  const lt = b.readUInt32LE(20);
  for (let p = 24; p + 16 <= b.length; ) {
    const cl = b.readUInt32LE(p + 8);
    s.frame(b, p + 16, cl, b.readUInt32LE(p + 12), lt, b.readUInt32LE(p), b.readUInt32LE(p + 4) * 1000);
    p += 16 + cl;
  }
  s.finish();
  return out;
}

test('blackholed SYNs: every attempt and its RTO, never answered', () => {
  const g = flowGraph('syn-blackhole.pcap');
  assert.match(g, /SYN sent \d+ times at 0\.000s, 1\.0\d\ds/);
  assert.match(g, /\(RTO 1\.0\d\d s/);
  assert.match(g, /SYN never answered/);
  assert.match(g, /\[TCP Retransmission\] \[SYN\]/);
});

test('a lost final ACK shows as a retransmitted SYN-ACK; closes are recognised', () => {
  const g = flowGraph('lost-ack.pcap');
  assert.match(g, /SYN-ACK sent 2 times/);
  assert.match(g, /3-way handshake done/);
  assert.match(g, /(3-way close \(FIN\+ACK merged\)|4-way close)/);
  assert.match(flowGraph('refused.pcap'), /connection refused/);
  assert.match(flowGraph('reset.pcap'), /reset by A/);
});

test('no SYN-flood signal on ordinary traffic', () => {
  assert.doesNotMatch(flowGraph('gen-3000.pcap'), /possible SYN flood/);
});
