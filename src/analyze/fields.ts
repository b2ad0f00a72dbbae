// tshark's `-T fields -e NAME` values for the frame, IP, TCP and UDP fields the analysis knows, in
// tshark 4.0's text formats (FT_NONE flags print 1, relative times print seconds with 9 decimals).

import { formatIpv4 as ipv4Text } from '../wire/ipv4.js';
import { ipv6ToString as ipv6Text } from '../wire/ipv6.js';
import type { DecodedFrame } from './decode.js';
import {
  TCP_A_ACK_LOST_PACKET,
  TCP_A_DUPLICATE_ACK,
  TCP_A_FAST_RETRANSMISSION,
  TCP_A_KEEP_ALIVE,
  TCP_A_KEEP_ALIVE_ACK,
  TCP_A_LOST_PACKET,
  TCP_A_OUT_OF_ORDER,
  TCP_A_RETRANSMISSION,
  TCP_A_REUSED_PORTS,
  TCP_A_SPURIOUS_RETRANSMISSION,
  TCP_A_WINDOW_FULL,
  TCP_A_WINDOW_UPDATE,
  TCP_A_ZERO_WINDOW,
  TCP_A_ZERO_WINDOW_PROBE,
  TCP_A_ZERO_WINDOW_PROBE_ACK,
  type TcpFrameInfo,
} from './tcp-analysis.js';

/** Everything a field may read about the current frame (borrowed for the frame's duration). */
export interface FieldFrame {
  number: number;
  /** Nanoseconds since the first frame. */
  relNs: number;
  /** Nanoseconds since the previous frame (displayed). */
  deltaNs: number;
  tsSec: number;
  tsNsec: number;
  caplen: number;
  wirelen: number;
  buf: Uint8Array;
  d: DecodedFrame;
  tcp: TcpFrameInfo;
  /** UDP stream index (-1 when not UDP). */
  udpStream: number;
}

/** A field getter returns the value text, or undefined when the field is absent from the frame. */
export type FieldGetter = (f: FieldFrame) => string | undefined;

/** Seconds with nine decimals, as tshark prints FT_RELATIVE_TIME and frame.time_relative. */
export function formatSecondsNs(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(ns);
  const s = Math.floor(a / 1e9);
  const frac = Math.round(a - s * 1e9);
  return `${neg ? '-' : ''}${s}.${String(frac).padStart(9, '0')}`;
}

const FLAG_CHARS = 'RRRNCEUAPRSF';

/** tcp.flags.str: twelve characters, a letter per set bit and a middle dot per clear one. */
export function tcpFlagsStr(flags: number): string {
  let s = '';
  for (let bit = 11; bit >= 0; bit--) s += flags & (1 << bit) ? FLAG_CHARS[11 - bit] : '\u00b7';
  return s;
}

function tcpFlag(mask: number): FieldGetter {
  return (f) => (f.tcp.valid && f.tcp.hasAnalysis && f.tcp.aflags & mask ? '1' : undefined);
}

function tcpOk(f: FieldFrame): boolean {
  return f.tcp.valid;
}

function tcpSeg(f: FieldFrame): boolean {
  return f.tcp.valid && f.tcp.seglen >= 0;
}

function ana(f: FieldFrame): boolean {
  return f.tcp.valid && f.tcp.hasAnalysis;
}

const hex4 = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;

/** The fields tsdump knows, by tshark name. */
export const FIELDS: ReadonlyMap<string, FieldGetter> = new Map<string, FieldGetter>([
  ['frame.number', (f) => String(f.number)],
  ['frame.time_relative', (f) => formatSecondsNs(f.relNs)],
  ['frame.time_delta', (f) => formatSecondsNs(f.deltaNs)],
  ['frame.time_epoch', (f) => `${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`],
  ['frame.len', (f) => String(f.wirelen)],
  ['frame.cap_len', (f) => String(f.caplen)],
  ['ip.src', (f) => (f.d.ipVersion === 4 ? ipv4Text(f.d.src4) : undefined)],
  ['ip.dst', (f) => (f.d.ipVersion === 4 ? ipv4Text(f.d.dst4) : undefined)],
  ['ip.proto', (f) => (f.d.ipVersion === 4 ? String(f.buf[f.d.ipOff + 9]) : undefined)],
  ['ip.ttl', (f) => (f.d.ipVersion === 4 ? String(f.buf[f.d.ipOff + 8]) : undefined)],
  ['ipv6.src', (f) => (f.d.ipVersion === 6 ? ipv6Text(f.buf, f.d.src6Off) : undefined)],
  ['ipv6.dst', (f) => (f.d.ipVersion === 6 ? ipv6Text(f.buf, f.d.dst6Off) : undefined)],
  ['tcp.srcport', (f) => (tcpOk(f) ? String(f.d.sport) : undefined)],
  ['tcp.dstport', (f) => (tcpOk(f) ? String(f.d.dport) : undefined)],
  ['tcp.stream', (f) => (tcpOk(f) ? String(f.tcp.stream) : undefined)],
  ['tcp.completeness', (f) => (tcpSeg(f) ? String(f.tcp.completeness) : undefined)],
  ['tcp.len', (f) => (tcpSeg(f) ? String(f.tcp.seglen) : undefined)],
  ['tcp.seq', (f) => (tcpOk(f) ? String(f.tcp.seq) : undefined)],
  ['tcp.seq_raw', (f) => (tcpOk(f) ? String(f.tcp.rawSeq) : undefined)],
  ['tcp.nxtseq', (f) => (tcpSeg(f) ? String(f.tcp.nxtseq) : undefined)],
  ['tcp.ack', (f) => (tcpOk(f) ? String(f.tcp.ack) : undefined)],
  ['tcp.ack_raw', (f) => (tcpOk(f) ? String(f.tcp.rawAck) : undefined)],
  ['tcp.hdr_len', (f) => (tcpOk(f) ? String(f.d.hlen) : undefined)],
  ['tcp.flags', (f) => (tcpOk(f) ? hex4(f.tcp.flags) : undefined)],
  ['tcp.flags.str', (f) => (tcpOk(f) ? tcpFlagsStr(f.tcp.flags) : undefined)],
  ['tcp.flags.syn', (f) => (tcpOk(f) ? ((f.tcp.flags >> 1) & 1 ? 'True' : 'False') : undefined)],
  ['tcp.flags.ack', (f) => (tcpOk(f) ? ((f.tcp.flags >> 4) & 1 ? 'True' : 'False') : undefined)],
  ['tcp.flags.fin', (f) => (tcpOk(f) ? (f.tcp.flags & 1 ? 'True' : 'False') : undefined)],
  ['tcp.flags.reset', (f) => (tcpOk(f) ? ((f.tcp.flags >> 2) & 1 ? 'True' : 'False') : undefined)],
  ['tcp.flags.push', (f) => (tcpOk(f) ? ((f.tcp.flags >> 3) & 1 ? 'True' : 'False') : undefined)],
  ['tcp.window_size_value', (f) => (tcpOk(f) ? String(f.tcp.windowValue) : undefined)],
  ['tcp.window_size', (f) => (tcpSeg(f) ? String(f.tcp.windowSize) : undefined)],
  [
    'tcp.window_size_scalefactor',
    (f) => (tcpSeg(f) && f.tcp.scaleFactor !== null ? String(f.tcp.scaleFactor) : undefined),
  ],
  ['tcp.time_relative', (f) => (tcpOk(f) ? formatSecondsNs(f.tcp.timeRelative) : undefined)],
  ['tcp.time_delta', (f) => (tcpOk(f) ? formatSecondsNs(f.tcp.timeDelta) : undefined)],
  ['tcp.analysis.acks_frame', (f) => (ana(f) && f.tcp.frameAcked ? String(f.tcp.frameAcked) : undefined)],
  ['tcp.analysis.ack_rtt', (f) => (ana(f) && f.tcp.frameAcked ? formatSecondsNs(f.tcp.ackRtt) : undefined)],
  ['tcp.analysis.initial_rtt', (f) => (ana(f) && f.tcp.irtt ? formatSecondsNs(f.tcp.irtt) : undefined)],
  [
    'tcp.analysis.bytes_in_flight',
    (f) => (ana(f) && f.tcp.bytesInFlight ? String(f.tcp.bytesInFlight) : undefined),
  ],
  [
    'tcp.analysis.push_bytes_sent',
    (f) => (ana(f) && f.tcp.pushBytesSent ? String(f.tcp.pushBytesSent) : undefined),
  ],
  ['tcp.analysis.retransmission', tcpFlag(TCP_A_RETRANSMISSION | TCP_A_FAST_RETRANSMISSION)],
  ['tcp.analysis.fast_retransmission', tcpFlag(TCP_A_FAST_RETRANSMISSION)],
  ['tcp.analysis.spurious_retransmission', tcpFlag(TCP_A_SPURIOUS_RETRANSMISSION)],
  ['tcp.analysis.out_of_order', tcpFlag(TCP_A_OUT_OF_ORDER)],
  ['tcp.analysis.reused_ports', tcpFlag(TCP_A_REUSED_PORTS)],
  ['tcp.analysis.lost_segment', tcpFlag(TCP_A_LOST_PACKET)],
  ['tcp.analysis.ack_lost_segment', tcpFlag(TCP_A_ACK_LOST_PACKET)],
  ['tcp.analysis.window_update', tcpFlag(TCP_A_WINDOW_UPDATE)],
  ['tcp.analysis.window_full', tcpFlag(TCP_A_WINDOW_FULL)],
  ['tcp.analysis.keep_alive', tcpFlag(TCP_A_KEEP_ALIVE)],
  ['tcp.analysis.keep_alive_ack', tcpFlag(TCP_A_KEEP_ALIVE_ACK)],
  ['tcp.analysis.zero_window', tcpFlag(TCP_A_ZERO_WINDOW)],
  ['tcp.analysis.zero_window_probe', tcpFlag(TCP_A_ZERO_WINDOW_PROBE)],
  ['tcp.analysis.zero_window_probe_ack', tcpFlag(TCP_A_ZERO_WINDOW_PROBE_ACK)],
  ['tcp.analysis.duplicate_ack', tcpFlag(TCP_A_DUPLICATE_ACK)],
  [
    'tcp.analysis.duplicate_ack_num',
    (f) => (ana(f) && f.tcp.aflags & TCP_A_DUPLICATE_ACK ? String(f.tcp.dupackNum) : undefined),
  ],
  [
    'tcp.analysis.duplicate_ack_frame',
    (f) => (ana(f) && f.tcp.aflags & TCP_A_DUPLICATE_ACK ? String(f.tcp.dupackFrame) : undefined),
  ],
  [
    'tcp.analysis.rto',
    (f) => (ana(f) && f.tcp.aflags & TCP_A_RETRANSMISSION ? formatSecondsNs(f.tcp.rto) : undefined),
  ],
  [
    'tcp.analysis.rto_frame',
    (f) => (ana(f) && f.tcp.aflags & TCP_A_RETRANSMISSION ? String(f.tcp.rtoFrame) : undefined),
  ],
  ['udp.srcport', (f) => (f.d.proto === 17 && f.d.l4Off >= 0 ? String(f.d.sport) : undefined)],
  ['udp.dstport', (f) => (f.d.proto === 17 && f.d.l4Off >= 0 ? String(f.d.dport) : undefined)],
  ['udp.stream', (f) => (f.udpStream >= 0 ? String(f.udpStream) : undefined)],
]);
