// Wireshark's expert information for TCP (and the HTTP and UDP items tshark 4.0 reports beside
// it), in the order the dissectors add them, and the `-z expert` table.

import { type DecodedFrame, TH_ACK, TH_FIN, TH_RST, TH_SYN } from './decode.js';
import { HttpFlow, httpFeed } from './http-chat.js';
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
  type TcpConversation,
  type TcpFrameInfo,
} from './tcp-analysis.js';

/** Expert severities, in the order tshark prints their sections. */
export enum Severity {
  Error = 0,
  Warn = 1,
  Note = 2,
  Chat = 3,
  Comment = 4,
}

const SECTION = ['Errors', 'Warns', 'Notes', 'Chats', 'Comments'];

/** Receives each expert item of the current frame, in order. */
export interface ExpertSink {
  expert(severity: Severity, group: string, protocol: string, summary: string): void;
}

interface Row {
  group: string;
  protocol: string;
  summary: string;
  count: number;
}

/** tshark -z expert: counts per (severity, group, protocol, summary), rows in first-seen order. */
export class ExpertTable implements ExpertSink {
  private readonly rows: Row[][] = [[], [], [], [], []];
  private readonly index: Map<string, Row>[] = [new Map(), new Map(), new Map(), new Map(), new Map()];

  expert(severity: Severity, group: string, protocol: string, summary: string): void {
    const key = `${group}\u0000${protocol}\u0000${summary}`;
    const row = this.index[severity]!.get(key);
    if (row !== undefined) {
      row.count++;
      return;
    }
    const r: Row = { group, protocol, summary, count: 1 };
    this.index[severity]!.set(key, r);
    this.rows[severity]!.push(r);
  }

  format(): string {
    let s = '';
    for (let sev = 0; sev < 5; sev++) {
      const rows = this.rows[sev]!;
      if (rows.length === 0) continue;
      let total = 0;
      for (const r of rows) total += r.count;
      s += `\n${SECTION[sev]} (${total})\n=============\n   Frequency      Group           Protocol  Summary\n`;
      for (const r of rows) {
        s += `${String(r.count).padStart(12)} ${r.group.padStart(10)} ${r.protocol.padStart(18)}  ${r.summary}\n`;
      }
    }
    return s;
  }
}

const SEQ = 'Sequence';

/** Ports tshark hands to its HTTP dissector by default. */
const HTTP_PORTS = new Set([80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710]);

/**
 * The expert items Wireshark adds for TCP frames, in its order: those decided while analysing
 * (TFO), the flag items (SYN, FIN, RST), the option items (D-SACK, TFO cookie), the analysis
 * flags, then HTTP's request/status lines at the frame that completes each message.
 */
export class TcpExperts {
  private readonly http = new Map<TcpConversation, [HttpFlow, HttpFlow]>();
  private sink: ExpertSink | null = null;
  private readonly emitHttp = (line: string): void => {
    this.sink?.expert(Severity.Chat, SEQ, 'HTTP', line);
  };

  frame(sink: ExpertSink, d: DecodedFrame, t: TcpFrameInfo, buf: Uint8Array, end: number): void {
    if (!t.valid || t.inError) return;
    const f = d.flags;
    if ((f & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && t.tfoSynAck === 1) {
      sink.expert(Severity.Note, SEQ, 'TCP', 'TCP SYN-ACK accepting TFO data');
    } else if ((f & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK) && t.tfoSynAck === 2) {
      sink.expert(Severity.Note, SEQ, 'TCP', 'TCP SYN-ACK ignoring TFO data');
    }
    if (f & TH_SYN) {
      if (f & TH_ACK)
        sink.expert(
          Severity.Chat,
          SEQ,
          'TCP',
          `Connection establish acknowledge (SYN+ACK): server port ${d.sport}`,
        );
      else
        sink.expert(Severity.Chat, SEQ, 'TCP', `Connection establish request (SYN): server port ${d.dport}`);
    }
    if (f & TH_FIN) {
      sink.expert(Severity.Chat, SEQ, 'TCP', 'Connection finish (FIN)');
      sink.expert(
        Severity.Note,
        SEQ,
        'TCP',
        t.isFinInitiator
          ? 'This frame initiates the connection closing'
          : 'This frame undergoes the connection closing',
      );
    }
    if (f & TH_RST) sink.expert(Severity.Warn, SEQ, 'TCP', 'Connection reset (RST)');
    // Options.
    if (d.sackCount > 0 && f & TH_ACK) {
      const l0 = d.sackLeft[0]!;
      const r0 = d.sackRight[0]!;
      const dsack =
        ((l0 - d.ack) | 0) < 0 ||
        (d.sackCount > 1 && ((l0 - d.sackLeft[1]!) | 0) >= 0 && ((r0 - d.sackRight[1]!) | 0) <= 0);
      if (dsack) sink.expert(Severity.Warn, SEQ, 'TCP', 'D-SACK Sequence');
    }
    if (d.tfo === 2 && (f & (TH_SYN | TH_ACK)) === TH_SYN)
      sink.expert(Severity.Note, SEQ, 'TCP', 'TCP SYN with TFO Cookie');
    if (t.hasAnalysis && t.aflags !== 0) analysisExperts(sink, t);
    // HTTP on its ports, through a light reassembly of each direction.
    if (t.seglen > 0 && t.conv !== null && (HTTP_PORTS.has(d.sport) || HTTP_PORTS.has(d.dport))) {
      let pair = this.http.get(t.conv);
      if (pair === undefined) {
        pair = [new HttpFlow(), new HttpFlow()];
        this.http.set(t.conv, pair);
      }
      const n = Math.min(t.seglen, Math.max(0, end - d.payloadOff));
      this.sink = sink;
      httpFeed(
        pair[t.dirIsFlow1 ? 0 : 1],
        t.seq,
        buf,
        d.payloadOff,
        n,
        t.seglen,
        (t.aflags & TCP_A_OUT_OF_ORDER) !== 0,
        this.emitHttp,
      );
      this.sink = null;
    }
  }
}

function analysisExperts(sink: ExpertSink, t: TcpFrameInfo): void {
  const a = t.aflags;
  if (a & TCP_A_RETRANSMISSION)
    sink.expert(Severity.Note, SEQ, 'TCP', 'This frame is a (suspected) retransmission');
  if (a & TCP_A_FAST_RETRANSMISSION) {
    sink.expert(Severity.Note, SEQ, 'TCP', 'This frame is a (suspected) fast retransmission');
    sink.expert(Severity.Note, SEQ, 'TCP', 'This frame is a (suspected) retransmission');
  }
  if (a & TCP_A_SPURIOUS_RETRANSMISSION)
    sink.expert(Severity.Note, SEQ, 'TCP', 'This frame is a (suspected) spurious retransmission');
  if (a & TCP_A_OUT_OF_ORDER)
    sink.expert(Severity.Warn, SEQ, 'TCP', 'This frame is a (suspected) out-of-order segment');
  if (a & TCP_A_REUSED_PORTS)
    sink.expert(
      Severity.Note,
      SEQ,
      'TCP',
      'A new tcp session is started with the same ports as an earlier session in this trace',
    );
  if (a & TCP_A_LOST_PACKET)
    sink.expert(Severity.Warn, SEQ, 'TCP', 'Previous segment(s) not captured (common at capture start)');
  if (a & TCP_A_ACK_LOST_PACKET)
    sink.expert(Severity.Warn, SEQ, 'TCP', "ACKed segment that wasn't captured (common at capture start)");
  if (a & TCP_A_WINDOW_UPDATE) sink.expert(Severity.Chat, SEQ, 'TCP', 'TCP window update');
  if (a & TCP_A_WINDOW_FULL)
    sink.expert(Severity.Warn, SEQ, 'TCP', 'TCP window specified by the receiver is now completely full');
  if (a & TCP_A_KEEP_ALIVE) sink.expert(Severity.Note, SEQ, 'TCP', 'TCP keep-alive segment');
  if (a & TCP_A_KEEP_ALIVE_ACK) sink.expert(Severity.Note, SEQ, 'TCP', 'ACK to a TCP keep-alive segment');
  if (a & TCP_A_DUPLICATE_ACK) sink.expert(Severity.Note, SEQ, 'TCP', `Duplicate ACK (#${t.dupackNum})`);
  if (a & TCP_A_ZERO_WINDOW_PROBE) sink.expert(Severity.Note, SEQ, 'TCP', 'TCP Zero Window Probe');
  if (a & TCP_A_ZERO_WINDOW) sink.expert(Severity.Warn, SEQ, 'TCP', 'TCP Zero Window segment');
  if (a & TCP_A_ZERO_WINDOW_PROBE_ACK)
    sink.expert(Severity.Note, SEQ, 'TCP', 'ACK to a TCP Zero Window Probe');
}

/** UDP's expert items: the traceroute port range guess. */
export function udpExperts(sink: ExpertSink, d: DecodedFrame): void {
  if (d.proto !== 17 || d.l4Off < 0) return;
  for (const p of [d.sport, d.dport]) {
    if (p > 32768 + 666 && p <= 32768 + 666 + 30) {
      const n = p - 32768 - 666 - 1;
      sink.expert(
        Severity.Chat,
        SEQ,
        'UDP',
        `Possible traceroute: hop #${Math.floor(n / 3) + 1}, attempt #${(n % 3) + 1}`,
      );
    }
  }
}
