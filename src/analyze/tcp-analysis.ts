// Wireshark's TCP sequence analysis (packet-tcp.c: conversations, stream index, relative numbers,
// iRTT, ACK RTT, bytes in flight and the expert flags), computed in one pass as tshark does.
// Time is a parameter: every frame comes with its timestamp in nanoseconds since the first frame.

import { type DecodedFrame, TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN } from './decode.js';
import { TupleKey, TupleMap } from './tuple-map.js';

/** Wireshark's TCP_A_* analysis flags. */
export const TCP_A_RETRANSMISSION = 0x0001;
export const TCP_A_LOST_PACKET = 0x0002;
export const TCP_A_ACK_LOST_PACKET = 0x0004;
export const TCP_A_KEEP_ALIVE = 0x0008;
export const TCP_A_DUPLICATE_ACK = 0x0010;
export const TCP_A_ZERO_WINDOW = 0x0020;
export const TCP_A_ZERO_WINDOW_PROBE = 0x0040;
export const TCP_A_ZERO_WINDOW_PROBE_ACK = 0x0080;
export const TCP_A_KEEP_ALIVE_ACK = 0x0100;
export const TCP_A_OUT_OF_ORDER = 0x0200;
export const TCP_A_FAST_RETRANSMISSION = 0x0400;
export const TCP_A_WINDOW_UPDATE = 0x0800;
export const TCP_A_WINDOW_FULL = 0x1000;
export const TCP_A_REUSED_PORTS = 0x2000;
export const TCP_A_SPURIOUS_RETRANSMISSION = 0x4000;

/** Conversation completeness bits (tcp.completeness). */
export const COMPLETE_SYN = 1;
export const COMPLETE_SYNACK = 2;
export const COMPLETE_ACK = 4;
export const COMPLETE_DATA = 8;
export const COMPLETE_FIN = 16;
export const COMPLETE_RST = 32;

/** Wireshark stops remembering unacked segments past this many (TCP_MAX_UNACKED_SEGMENTS). */
const MAX_UNACKED_SEGMENTS = 10000;

function gtSeq(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}
function ltSeq(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}
function leSeq(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** One not-yet-acknowledged segment (Wireshark's tcp_unacked_t). */
interface Unacked {
  frame: number;
  seq: number;
  nextseq: number;
  ts: number;
}

/** One direction of a conversation (Wireshark's tcp_flow_t + its tcp_analyze_seq_info). */
class Flow {
  baseSeq = 0;
  baseSet = false;
  sawSyn = false;
  sawSynAck = false;
  /** Window scale shift: -1 unknown, -2 known not to be used. */
  winScale = -1;
  window = 0;
  /** Wireshark keeps 0 as "not yet seen" for these two, and so do we (its quirks included). */
  nextseq = 0;
  nextseqFrame = 0;
  nextseqTime = 0;
  maxseqtobeacked = 0;
  lastack = 0;
  lastackTime = 0;
  lastnondupack = 0;
  dupacknum = 0;
  lastsegmentflags = 0;
  validBif = true;
  pushBytesSent = 0;
  pushSetLast = false;
  /** Newest first, as Wireshark's list. */
  segments: Unacked[] = [];
  finFrame = 0;
  /** Data carried by this direction's SYN (TCP Fast Open), and that SYN's sequence number. */
  synDataLen = 0;
  synSeq = 0;
  /** SACK blocks of this direction's latest segment (up to three, as Wireshark stores them). */
  numSack = 0;
  readonly sackLeft = new Uint32Array(3);
  readonly sackRight = new Uint32Array(3);
}

export class TcpConversation {
  readonly stream: number;
  readonly flow1 = new Flow();
  readonly flow2 = new Flow();
  tsFirst: number;
  tsPrev: number;
  /** Time of the most recent SYN (-1: none seen). */
  tsMruSyn = -1;
  /** Initial RTT in ns (0: unknown, as Wireshark's zero nstime). */
  firstRtt = 0;
  completeness = 0;
  /** Frames, bytes per direction (A = the first packet's source) for -z conv,tcp. */
  constructor(stream: number, now: number) {
    this.stream = stream;
    this.tsFirst = now;
    this.tsPrev = now;
  }
}

/** Per-frame result (borrowed: overwritten by the next frame). */
export class TcpFrameInfo {
  /** False when the frame carries no TCP header the analysis could use. */
  valid = false;
  /** True for a TCP header quoted in an ICMP error (stream and raw numbers only). */
  inError = false;
  stream = 0;
  conv: TcpConversation | null = null;
  /** True when this frame's direction is the conversation's flow1. */
  dirIsFlow1 = true;
  seq = 0;
  ack = 0;
  rawSeq = 0;
  rawAck = 0;
  nxtseq = 0;
  seglen = 0;
  flags = 0;
  /** Window as shown: scaled unless it is a SYN or the scale is unknown. */
  windowSize = 0;
  windowValue = 0;
  /** tcp.window_size_scalefactor: the multiplier, -1 unknown, -2 no scaling; null for SYNs. */
  scaleFactor: number | null = null;
  /** True when Wireshark would show the "SEQ/ACK analysis" tree (its tcp_acked exists). */
  hasAnalysis = false;
  aflags = 0;
  dupackNum = 0;
  dupackFrame = 0;
  frameAcked = 0;
  ackRtt = 0;
  irtt = 0;
  bytesInFlight = 0;
  pushBytesSent = 0;
  rto = 0;
  rtoFrame = 0;
  timeRelative = 0;
  timeDelta = 0;
  completeness = 0;
  /** Expert notes of this frame decided outside the sequence analysis. */
  isFinInitiator = false;
  /** TFO: 1 = a SYN-ACK that acknowledges the SYN's data, 2 = one that ignores it, 0 = neither. */
  tfoSynAck = 0;
  /** TFO: this SYN carries data. */
  tfoSyn = false;
}

export class TcpAnalyzer {
  private readonly convs = new TupleMap<TcpConversation>();
  private readonly key = new TupleKey();
  private streamCount = 0;
  /** Every conversation in stream order (for -z conv and follow). */
  readonly conversations: TcpConversation[] = [];
  readonly info = new TcpFrameInfo();

  /**
   * Analyses one frame. `frame` is the 1-based frame number, `now` its time in ns since the first
   * frame of the file. Returns the borrowed per-frame result.
   */
  analyze(d: DecodedFrame, buf: Uint8Array, frame: number, now: number): TcpFrameInfo {
    const r = this.info;
    r.valid = false;
    r.inError = false;
    r.conv = null;
    if (d.proto !== 6 || d.l4Off < 0 || !(d.ipVersion === 4 || d.ipVersion === 6)) return r;
    const key = this.key;
    key.set(d, buf, true);
    let conv = this.convs.get(key);
    if (conv === undefined) conv = this.newConversation(key, now);
    // Wireshark's flow1 is the direction whose source is the larger endpoint (address, then port).
    const fwd1 = !key.srcIsA;
    let fwd = fwd1 ? conv.flow1 : conv.flow2;
    r.valid = true;
    r.hasAnalysis = false;
    r.aflags = 0;
    r.dupackNum = 0;
    r.dupackFrame = 0;
    r.frameAcked = 0;
    r.ackRtt = 0;
    r.bytesInFlight = 0;
    r.pushBytesSent = 0;
    r.rto = 0;
    r.rtoFrame = 0;
    r.isFinInitiator = false;
    r.tfoSynAck = 0;
    r.tfoSyn = false;
    r.rawSeq = d.seq;
    r.rawAck = d.ack;
    r.flags = d.flags;
    r.windowValue = d.window;

    // A SYN with another ISN on a known tuple starts a new conversation (port reuse).
    let reused = false;
    if ((d.flags & (TH_SYN | TH_ACK)) === TH_SYN && fwd.baseSet && d.seq !== fwd.baseSeq) {
      conv = this.newConversation(key, now);
      fwd = fwd1 ? conv.flow1 : conv.flow2;
      // tshark 4.0 shows the new conversation's completeness with its SYN already counted.
      conv.completeness = COMPLETE_SYN;
      reused = true;
    } else if ((d.flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && fwd.baseSet && d.seq !== fwd.baseSeq) {
      reused = true;
    }
    const rev = fwd1 ? conv.flow2 : conv.flow1;
    r.conv = conv;
    r.stream = conv.stream;
    r.dirIsFlow1 = fwd1;
    if (reused) {
      r.hasAnalysis = true;
      r.aflags |= TCP_A_REUSED_PORTS;
    }

    // Timestamps relative to the conversation.
    r.timeRelative = now - conv.tsFirst;
    r.timeDelta = now - conv.tsPrev;
    conv.tsPrev = now;

    if (!d.tcpOk) {
      r.seq = d.seq;
      r.ack = d.ack;
      r.seglen = -1;
      r.completeness = conv.completeness;
      return r;
    }
    const seglen = d.seglen;
    r.seglen = seglen;
    this.analyzeSequence(conv, fwd, rev, d.seq, d.ack, seglen, d.flags, d.window, frame, now);
    // The options are dissected after the analysis: this segment's SACK blocks serve the next one.
    const ns = d.sackCount > 3 ? 3 : d.sackCount;
    fwd.numSack = ns;
    for (let k = 0; k < ns; k++) {
      fwd.sackLeft[k] = d.sackLeft[k]!;
      fwd.sackRight[k] = d.sackRight[k]!;
    }

    r.seq = (d.seq - fwd.baseSeq) >>> 0;
    r.ack = d.flags & TH_ACK ? (d.ack - rev.baseSeq) >>> 0 : d.ack;
    let nxt = r.seq + seglen;
    if (d.flags & (TH_SYN | TH_FIN) && seglen > 0) nxt += 1;
    // Wireshark adds one for SYN/FIN only with data; a bare SYN/FIN's nxtseq is seq + 1 below.
    if (d.flags & (TH_SYN | TH_FIN) && seglen === 0) nxt += 1;
    r.nxtseq = nxt >>> 0;

    // Window as displayed (SYNs are never scaled).
    if (!(d.flags & TH_SYN)) {
      r.windowSize = fwd.winScale >= 0 ? d.window * 2 ** fwd.winScale : d.window;
      r.scaleFactor = fwd.winScale >= 0 ? 2 ** fwd.winScale : fwd.winScale;
    } else {
      r.windowSize = d.window;
      r.scaleFactor = null;
    }

    // tcp.completeness shows what the conversation had before this frame.
    r.completeness = conv.completeness;
    // Completeness and handshake/teardown bookkeeping.
    if (d.flags & TH_SYN) {
      if (d.flags & TH_ACK) {
        conv.completeness |= COMPLETE_SYNACK;
        if (rev.synDataLen > 0) {
          if (d.ack === (rev.synSeq + 1 + rev.synDataLen) >>> 0) r.tfoSynAck = 1;
          else if (d.ack === (rev.synSeq + 1) >>> 0) r.tfoSynAck = 2;
        }
      } else {
        if (seglen > 0) {
          fwd.synDataLen = seglen;
          fwd.synSeq = d.seq;
          r.tfoSyn = true;
        }
        conv.completeness |= COMPLETE_SYN;
        conv.tsMruSyn = now;
      }
      // Window scaling from the handshake (Wireshark's verify_tcp_window_scaling).
      if (d.wscale >= 0) fwd.winScale = d.wscale > 14 ? 14 : d.wscale;
      if (fwd.winScale === -1) {
        fwd.winScale = -2;
        rev.winScale = -2;
      } else if (d.flags & TH_ACK && rev.winScale === -2) {
        fwd.winScale = -2;
      }
    } else if ((d.flags & 0x3f) === TH_ACK) {
      // Only a bare ACK counts as the handshake's ACK (tshark 4.0).
      conv.completeness |= COMPLETE_ACK;
    }
    if (seglen > 0) conv.completeness |= COMPLETE_DATA;
    if (d.flags & TH_FIN) {
      conv.completeness |= COMPLETE_FIN;
      r.isFinInitiator = rev.finFrame === 0;
      if (fwd.finFrame === 0) fwd.finFrame = frame;
    }
    if (d.flags & TH_RST) conv.completeness |= COMPLETE_RST;

    if ((d.flags & (TH_SYN | TH_ACK)) === TH_ACK && conv.tsMruSyn >= 0 && conv.firstRtt === 0) {
      conv.firstRtt = now - conv.tsMruSyn;
    }
    r.irtt = conv.firstRtt;
    return r;
  }

  private newConversation(key: TupleKey, now: number): TcpConversation {
    const c = new TcpConversation(this.streamCount++, now);
    this.convs.set(key, c);
    this.conversations.push(c);
    return c;
  }

  /** Wireshark's tcp_analyze_sequence_number, flag for flag. */
  private analyzeSequence(
    conv: TcpConversation,
    fwd: Flow,
    rev: Flow,
    seq: number,
    ack: number,
    seglen: number,
    flags: number,
    window: number,
    frame: number,
    now: number,
  ): void {
    const r = this.info;
    let af = r.aflags;
    let ta = r.hasAnalysis;

    if (!fwd.baseSet) {
      if (flags & TH_SYN) {
        fwd.baseSeq = seq;
        if (flags & TH_ACK) fwd.sawSynAck = true;
        else fwd.sawSyn = true;
      } else fwd.baseSeq = (seq - 1) >>> 0;
      fwd.baseSet = true;
    }
    if (!rev.baseSet && flags & TH_ACK) {
      rev.baseSeq = (ack - 1) >>> 0;
      rev.baseSet = true;
    }
    if (flags & TH_ACK) rev.validBif = true;

    check: {
      if (seglen === 1 && seq === fwd.nextseq && rev.window === 0) {
        af |= TCP_A_ZERO_WINDOW_PROBE;
        ta = true;
        break check;
      }
      if (window === 0 && (flags & (TH_RST | TH_FIN | TH_SYN)) === 0) {
        af |= TCP_A_ZERO_WINDOW;
        ta = true;
      }
      if (fwd.nextseq !== 0 && gtSeq(seq, fwd.nextseq) && (flags & TH_RST) === 0) {
        af |= TCP_A_LOST_PACKET;
        ta = true;
        fwd.validBif = false;
      }
      if (
        (seglen === 0 || seglen === 1) &&
        seq === (fwd.nextseq - 1) >>> 0 &&
        (flags & (TH_SYN | TH_FIN | TH_RST)) === 0
      ) {
        af |= TCP_A_KEEP_ALIVE;
        ta = true;
      }
      const plain = (flags & (TH_SYN | TH_FIN | TH_RST)) === 0;
      if (
        seglen === 0 &&
        window !== 0 &&
        window !== fwd.window &&
        seq === fwd.nextseq &&
        ack === fwd.lastack &&
        plain
      ) {
        af |= TCP_A_WINDOW_UPDATE;
        ta = true;
      }
      if (
        seglen > 0 &&
        rev.winScale !== -1 &&
        (seq + seglen) >>> 0 ===
          (rev.lastack + rev.window * 2 ** (rev.winScale === -2 ? 0 : rev.winScale)) >>> 0 &&
        plain
      ) {
        af |= TCP_A_WINDOW_FULL;
        ta = true;
      }
      if (
        seglen === 0 &&
        window !== 0 &&
        window === fwd.window &&
        seq === fwd.nextseq &&
        ack === fwd.lastack &&
        rev.lastsegmentflags & TCP_A_KEEP_ALIVE &&
        plain
      ) {
        af |= TCP_A_KEEP_ALIVE_ACK;
        ta = true;
        break check;
      }
      if (
        seglen === 0 &&
        window === 0 &&
        window === fwd.window &&
        seq === fwd.nextseq &&
        ack === fwd.lastack &&
        rev.lastsegmentflags & TCP_A_ZERO_WINDOW_PROBE &&
        plain
      ) {
        af |= TCP_A_ZERO_WINDOW_PROBE_ACK;
        ta = true;
        break check;
      }
      if (
        seglen === 0 &&
        window !== 0 &&
        window === fwd.window &&
        seq === fwd.nextseq &&
        ack === fwd.lastack &&
        plain
      ) {
        fwd.dupacknum++;
        af |= TCP_A_DUPLICATE_ACK;
        ta = true;
        r.dupackNum = fwd.dupacknum;
        r.dupackFrame = fwd.lastnondupack;
      }
    }
    // finished_fwd: a changed ACK number resets the duplicate ACK count.
    if (ack !== fwd.lastack) {
      fwd.lastnondupack = frame;
      fwd.dupacknum = 0;
    }
    if (rev.maxseqtobeacked !== 0 && gtSeq(ack, rev.maxseqtobeacked) && flags & TH_ACK) {
      af |= TCP_A_ACK_LOST_PACKET;
      ta = true;
      rev.maxseqtobeacked = rev.nextseq;
    }

    if (seglen > 0 || flags & (TH_SYN | TH_FIN)) {
      retrans: {
        let seqNotAdvanced = fwd.nextseq !== 0 && ltSeq(seq, fwd.nextseq);
        if (ta && af & TCP_A_KEEP_ALIVE) break retrans;
        if (seglen > 1 && (fwd.nextseq - 1) >>> 0 === seq) seqNotAdvanced = false;
        let t = now - rev.lastackTime;
        if (seqNotAdvanced && rev.dupacknum >= 2 && rev.lastack === seq && t < 20000000) {
          af |= TCP_A_FAST_RETRANSMISSION;
          ta = true;
          break retrans;
        }
        t = now - fwd.nextseqTime;
        const oooThres = conv.firstRtt === 0 ? 3000000 : conv.firstRtt;
        if (seqNotAdvanced && t < oooThres && fwd.nextseq !== (seq + seglen) >>> 0) {
          af |= TCP_A_OUT_OF_ORDER;
          ta = true;
          break retrans;
        }
        if (seglen > 0 && rev.lastack !== 0 && leSeq((seq + seglen) >>> 0, rev.lastack)) {
          af |= TCP_A_SPURIOUS_RETRANSMISSION;
          ta = true;
          break retrans;
        }
        if (seqNotAdvanced) {
          af |= TCP_A_RETRANSMISSION;
          ta = true;
          // tshark 4.0 measures the RTO from the oldest segment still waiting for its ACK.
          const oldest = fwd.segments[fwd.segments.length - 1];
          r.rto = now - (oldest !== undefined ? oldest.ts : fwd.nextseqTime);
          r.rtoFrame = oldest !== undefined ? oldest.frame : fwd.nextseqFrame;
        }
      }
    }

    let nextseq = (seq + seglen) >>> 0;
    if ((seglen > 0 || flags & (TH_SYN | TH_FIN)) && fwd.segments.length < MAX_UNACKED_SEGMENTS) {
      if (flags & (TH_SYN | TH_FIN)) nextseq = (nextseq + 1) >>> 0;
      fwd.segments.unshift({ frame, seq, nextseq, ts: now });
    }
    const zwp = (af & TCP_A_ZERO_WINDOW_PROBE) !== 0;
    if (gtSeq(nextseq, fwd.nextseq) || fwd.nextseq === 0) {
      if (!zwp) {
        fwd.nextseq = nextseq;
        fwd.nextseqFrame = frame;
        fwd.nextseqTime = now;
      }
    }
    if (seq === fwd.maxseqtobeacked || fwd.maxseqtobeacked === 0) {
      if (!zwp) fwd.maxseqtobeacked = fwd.nextseq;
    }
    fwd.window = window;
    fwd.lastack = ack;
    fwd.lastackTime = now;
    fwd.lastsegmentflags = ta ? af : 0;

    // Remove what this ACK acknowledges from the other direction's list.
    const list = rev.segments;
    let i = 0;
    while (i < list.length) {
      const u = list[i]!;
      if (ack === u.nextseq) {
        ta = true;
        r.frameAcked = u.frame;
        r.ackRtt = now - u.ts;
      } else if (gtSeq(ack, u.seq) && leSeq(ack, u.nextseq)) {
        u.seq = ack;
        continue;
      } else if (gtSeq(u.nextseq, ack)) {
        i++;
        continue;
      }
      list.splice(i, 1);
    }

    // Bytes in flight after this frame, and bytes sent since the last PSH.
    const fl = fwd.segments;
    if (seglen !== 0 && fl.length > 0 && fwd.validBif) {
      let first = (fl[0]!.seq - fwd.baseSeq) >>> 0;
      let last = (fl[0]!.nextseq - fwd.baseSeq) >>> 0;
      for (let k = 1; k < fl.length; k++) {
        const ns = (fl[k]!.nextseq - fwd.baseSeq) >>> 0;
        const s = (fl[k]!.seq - fwd.baseSeq) >>> 0;
        if (ns > last) last = ns;
        if (s < first) first = s;
      }
      let inFlight = (last - first) >>> 0;
      // The SYN or FIN of this segment takes a sequence number but is not data in flight.
      if (flags & (TH_SYN | TH_FIN)) inFlight = (inFlight - 1) >>> 0;
      // Data the receiver already holds (its SACK blocks) is not in flight.
      for (let k = 0; k < rev.numSack; k++)
        inFlight = (inFlight - ((rev.sackRight[k]! - rev.sackLeft[k]!) >>> 0)) >>> 0;
      if (inFlight > 0 && inFlight < 2000000000) {
        ta = true;
        r.bytesInFlight = inFlight;
      }
      if (flags & TH_PUSH && !fwd.pushSetLast) {
        fwd.pushBytesSent += seglen;
        fwd.pushSetLast = true;
      } else if (flags & TH_PUSH && fwd.pushSetLast) {
        fwd.pushBytesSent = seglen;
        fwd.pushSetLast = true;
      } else if (fwd.pushSetLast) {
        fwd.pushBytesSent = seglen;
        fwd.pushSetLast = false;
      } else {
        fwd.pushBytesSent += seglen;
      }
      ta = true;
      r.pushBytesSent = fwd.pushBytesSent;
    }
    r.aflags = af;
    r.hasAnalysis = ta;
  }
}
