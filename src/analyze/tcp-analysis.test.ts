import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodedFrame, decodeFrame, LINKTYPE_RAW, TH_ACK, TH_FIN, TH_PUSH, TH_SYN } from './decode.js';
import {
  TCP_A_DUPLICATE_ACK,
  TCP_A_FAST_RETRANSMISSION,
  TCP_A_KEEP_ALIVE,
  TCP_A_LOST_PACKET,
  TCP_A_RETRANSMISSION,
  TCP_A_REUSED_PORTS,
  TCP_A_ZERO_WINDOW,
  TcpAnalyzer,
} from './tcp-analysis.js';

const C = 0x0a000001; // 10.0.0.1, the client
const S = 0x0a000002; // 10.0.0.2, the server

/** A raw IPv4 + TCP packet (no link layer), with `len` payload bytes. */
function pkt(
  src: number,
  dst: number,
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  win: number,
  len = 0,
): Uint8Array {
  const b = new Uint8Array(40 + len);
  const dv = new DataView(b.buffer);
  b[0] = 0x45;
  dv.setUint16(2, 40 + len);
  b[8] = 64;
  b[9] = 6;
  dv.setUint32(12, src);
  dv.setUint32(16, dst);
  dv.setUint16(20, sport);
  dv.setUint16(22, dport);
  dv.setUint32(24, seq);
  dv.setUint32(28, ack);
  b[32] = 5 << 4;
  b[33] = flags;
  dv.setUint16(34, win);
  return b;
}

class Run {
  readonly an = new TcpAnalyzer();
  readonly d = new DecodedFrame();
  n = 0;
  /** Feeds a packet at `ms` milliseconds; returns a copy of the interesting results. */
  feed(b: Uint8Array, ms: number) {
    decodeFrame(this.d, LINKTYPE_RAW, b, 0, b.length);
    const r = this.an.analyze(this.d, b, ++this.n, ms * 1e6);
    return {
      stream: r.stream,
      seq: r.seq,
      ack: r.ack,
      aflags: r.hasAnalysis ? r.aflags : 0,
      dup: r.dupackNum,
      acked: r.frameAcked,
      rtt: r.ackRtt,
      irtt: r.irtt,
    };
  }
}

function handshake(run: Run, cport = 40000) {
  run.feed(pkt(C, S, cport, 80, 1000, 0, TH_SYN, 64240), 0);
  run.feed(pkt(S, C, 80, cport, 5000, 1001, TH_SYN | TH_ACK, 65160), 10);
  return run.feed(pkt(C, S, cport, 80, 1001, 5001, TH_ACK, 502), 20);
}

test('handshake: relative numbers, iRTT from the SYN to the first pure ACK, ACK RTT', () => {
  const run = new Run();
  const third = handshake(run);
  assert.equal(third.seq, 1);
  assert.equal(third.ack, 1);
  assert.equal(third.irtt, 20e6);
  assert.equal(third.acked, 2);
  assert.equal(third.rtt, 10e6);
});

test('duplicate ACKs are numbered and a quick resend of the hole is a fast retransmission', () => {
  const run = new Run();
  handshake(run);
  run.feed(pkt(S, C, 80, 40000, 5001, 1001, TH_ACK, 509, 100), 30); // 1..101
  const lost = run.feed(pkt(S, C, 80, 40000, 5201, 1001, TH_ACK, 509, 100), 31); // 201.. (101..201 lost)
  assert.ok(lost.aflags & TCP_A_LOST_PACKET);
  run.feed(pkt(C, S, 40000, 80, 1001, 5101, TH_ACK, 502), 32);
  const d1 = run.feed(pkt(C, S, 40000, 80, 1001, 5101, TH_ACK, 502), 33);
  const d2 = run.feed(pkt(C, S, 40000, 80, 1001, 5101, TH_ACK, 502), 34);
  assert.ok(d1.aflags & TCP_A_DUPLICATE_ACK);
  assert.equal(d1.dup, 1);
  assert.equal(d2.dup, 2);
  const fr = run.feed(pkt(S, C, 80, 40000, 5101, 1001, TH_ACK | TH_PUSH, 509, 100), 35);
  assert.ok(fr.aflags & TCP_A_FAST_RETRANSMISSION);
});

test('a late resend is a retransmission; keep-alive and zero window are recognised', () => {
  const run = new Run();
  handshake(run);
  run.feed(pkt(C, S, 40000, 80, 1001, 5001, TH_ACK | TH_PUSH, 502, 50), 30);
  const re = run.feed(pkt(C, S, 40000, 80, 1001, 5001, TH_ACK | TH_PUSH, 502, 50), 300);
  assert.ok(re.aflags & TCP_A_RETRANSMISSION);
  run.feed(pkt(S, C, 80, 40000, 5001, 1051, TH_ACK, 0), 310);
  const zw = run.feed(pkt(S, C, 80, 40000, 5001, 1051, TH_ACK, 0), 320);
  assert.ok(zw.aflags & TCP_A_ZERO_WINDOW);
  const ka = run.feed(pkt(C, S, 40000, 80, 1050, 5001, TH_ACK, 502), 5000);
  assert.ok(ka.aflags & TCP_A_KEEP_ALIVE);
});

test('a new SYN with another ISN on a known tuple opens a new stream (reused ports)', () => {
  const run = new Run();
  handshake(run);
  run.feed(pkt(C, S, 40000, 80, 1001, 5001, TH_ACK | TH_FIN, 502), 30);
  const syn = run.feed(pkt(C, S, 40000, 80, 900000, 0, TH_SYN, 64240), 5000);
  assert.equal(syn.stream, 1);
  assert.ok(syn.aflags & TCP_A_REUSED_PORTS);
  const other = new Run();
  other.feed(pkt(C, S, 40001, 80, 1000, 0, TH_SYN, 64240), 0);
  assert.equal(other.feed(pkt(C, S, 40001, 80, 1000, 0, TH_SYN, 64240), 1000).stream, 0);
});
