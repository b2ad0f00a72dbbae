// Wireshark's bracketed notes in the Info column ("[TCP Retransmission] ", "[TCP Dup ACK 12#3] "),
// for tsdump --analyze.

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

/**
 * The notes Wireshark puts in front of the Info column, in the order they appear there (each
 * note is prepended, so the last one added comes first), each followed by a space.
 */
export function infoNotes(t: TcpFrameInfo): string {
  if (!t.valid || !t.hasAnalysis || t.aflags === 0) return '';
  const a = t.aflags;
  // Wireshark prepends each note as it prints the flags; build in that order, then prepend.
  let s = '';
  const add = (note: string) => {
    s = `[${note}] ${s}`;
  };
  if (a & TCP_A_RETRANSMISSION) add('TCP Retransmission');
  if (a & TCP_A_FAST_RETRANSMISSION) add('TCP Fast Retransmission');
  if (a & TCP_A_SPURIOUS_RETRANSMISSION) add('TCP Spurious Retransmission');
  if (a & TCP_A_OUT_OF_ORDER) add('TCP Out-Of-Order');
  if (a & TCP_A_REUSED_PORTS) add('TCP Port numbers reused');
  if (a & TCP_A_LOST_PACKET) add('TCP Previous segment not captured');
  if (a & TCP_A_ACK_LOST_PACKET) add('TCP ACKed unseen segment');
  if (a & TCP_A_WINDOW_UPDATE) add('TCP Window Update');
  if (a & TCP_A_WINDOW_FULL) add('TCP Window Full');
  if (a & TCP_A_KEEP_ALIVE) add('TCP Keep-Alive');
  if (a & TCP_A_KEEP_ALIVE_ACK) add('TCP Keep-Alive ACK');
  if (a & TCP_A_DUPLICATE_ACK) add(`TCP Dup ACK ${t.dupackFrame}#${t.dupackNum}`);
  if (a & TCP_A_ZERO_WINDOW_PROBE) add('TCP ZeroWindowProbe');
  if (a & TCP_A_ZERO_WINDOW) add('TCP ZeroWindow');
  if (a & TCP_A_ZERO_WINDOW_PROBE_ACK) add('TCP ZeroWindowProbeAck');
  return s;
}
