// --flow-graph: a text sequence diagram per TCP stream (Wireshark's Flow Graph, TCP flows), and
// the data the HTML report draws. Each arrow: time, direction, flags, seq/ack/len, and the
// analysis notes; at most MAX_EVENTS arrows are kept so memory stays bounded on big files.

import { formatIpv4 as ipv4Text } from '../wire/ipv4.js';
import { ipv6ToString as ipv6Text } from '../wire/ipv6.js';
import {
  type DecodedFrame,
  TH_ACK,
  TH_CWR,
  TH_ECE,
  TH_FIN,
  TH_PUSH,
  TH_RST,
  TH_SYN,
  TH_URG,
} from './decode.js';
import { infoNotes } from './notes.js';
import type { TcpFrameInfo } from './tcp-analysis.js';

export const MAX_EVENTS = 200000;

export interface FlowEvent {
  frame: number;
  /** ns since the first frame. */
  time: number;
  /** true when the packet goes from the stream's first node (A) to B. */
  aToB: boolean;
  label: string;
}

export interface FlowStream {
  stream: number;
  a: string;
  b: string;
  events: FlowEvent[];
}

/** Wireshark's flag list: "SYN, ACK". */
export function flagNames(f: number): string {
  const n: string[] = [];
  if (f & TH_FIN) n.push('FIN');
  if (f & TH_SYN) n.push('SYN');
  if (f & TH_RST) n.push('RST');
  if (f & TH_PUSH) n.push('PSH');
  if (f & TH_ACK) n.push('ACK');
  if (f & TH_URG) n.push('URG');
  if (f & TH_ECE) n.push('ECE');
  if (f & TH_CWR) n.push('CWR');
  return n.join(', ') || '<None>';
}

export class FlowGraph {
  readonly streams = new Map<number, FlowStream>();
  private count = 0;
  /** Arrows not kept because of the bound. */
  dropped = 0;

  frame(d: DecodedFrame, t: TcpFrameInfo, buf: Uint8Array, frame: number, now: number): void {
    if (!t.valid || t.inError) return;
    const src = d.ipVersion === 4 ? ipv4Text(d.src4) : ipv6Text(buf, d.src6Off);
    const from = `${src}:${d.sport}`;
    let s = this.streams.get(t.stream);
    if (s === undefined) {
      const dst = d.ipVersion === 4 ? ipv4Text(d.dst4) : ipv6Text(buf, d.dst6Off);
      s = { stream: t.stream, a: from, b: `${dst}:${d.dport}`, events: [] };
      this.streams.set(t.stream, s);
    }
    if (this.count >= MAX_EVENTS) {
      this.dropped++;
      return;
    }
    this.count++;
    let label = `[${flagNames(t.flags)}] Seq=${t.seq}`;
    if (t.flags & TH_ACK) label += ` Ack=${t.ack}`;
    label += ` Win=${t.windowSize} Len=${Math.max(0, t.seglen)}`;
    const notes = infoNotes(t).trimEnd();
    if (notes !== '') label = `${notes} ${label}`;
    s.events.push({ frame, time: now, aToB: from === s.a, label });
  }

  /**
   * The SYN-flood signal: destinations with many half-open connections (a SYN, never a completed
   * handshake) from many sources. Returns one line per suspected target.
   */
  synFloodSignals(minHalfOpen = 64, minSources = 16): string[] {
    const byTarget = new Map<string, { halfOpen: number; sources: Set<string> }>();
    for (const s of this.streams.values()) {
      const syn = s.events.some((e) => e.aToB && /\[SYN\]/.test(e.label));
      if (!syn) continue;
      const done = s.events.some((e) => e.aToB && /\[(PSH, )?ACK\]/.test(e.label));
      if (done) continue;
      let t = byTarget.get(s.b);
      if (t === undefined) byTarget.set(s.b, (t = { halfOpen: 0, sources: new Set() }));
      t.halfOpen++;
      t.sources.add(s.a.slice(0, s.a.lastIndexOf(':')));
    }
    const out: string[] = [];
    for (const [target, t] of byTarget) {
      if (t.halfOpen >= minHalfOpen && t.sources.size >= minSources) {
        out.push(
          `possible SYN flood: ${t.halfOpen} half-open connections to ${target} from ${t.sources.size} sources`,
        );
      }
    }
    return out;
  }

  /** The text diagrams, one block per stream in stream order, with each stream's summary. */
  format(): string {
    let out = '';
    for (const line of this.synFloodSignals()) out += `${line}\n`;
    for (const s of [...this.streams.values()].sort((x, y) => x.stream - y.stream)) {
      out += `\nStream ${s.stream}: A = ${s.a}, B = ${s.b}\n`;
      for (const line of summarize(s)) out += `  ${line}\n`;
      for (const e of s.events) {
        const t = (e.time / 1e9).toFixed(6).padStart(12);
        out += `${t}  ${e.aToB ? 'A ------> B' : 'A <------ B'}  ${e.label}\n`;
      }
    }
    if (this.dropped > 0)
      out += `\n(${this.dropped} more packets not drawn: the graph keeps ${MAX_EVENTS})\n`;
    return out;
  }
}

/**
 * What a person reads first about a stream: how the handshake went (answered, retried with each
 * attempt's RTO, refused) and how it ended (4-way close, 3-way close with FIN+ACK merged,
 * half-close, reset).
 */
export function summarize(s: FlowStream): string[] {
  const out: string[] = [];
  const ev = s.events;
  const syns = ev.filter((e) => e.aToB && /\[SYN\]/.test(e.label));
  const synAcks = ev.filter((e) => !e.aToB && /\[SYN, ACK\]/.test(e.label));
  if (syns.length > 0) {
    const t0 = syns[0]!.time;
    if (syns.length > 1) {
      const rtos = syns.slice(1).map((e, i) => ((e.time - syns[i]!.time) / 1e9).toFixed(3));
      out.push(
        `SYN sent ${syns.length} times at ${syns.map((e) => `${((e.time - t0) / 1e9).toFixed(3)}s`).join(', ')} (RTO ${rtos.join(' s, ')} s)`,
      );
    }
    if (synAcks.length > 1) {
      const rtos = synAcks.slice(1).map((e, i) => ((e.time - synAcks[i]!.time) / 1e9).toFixed(3));
      out.push(
        `SYN-ACK sent ${synAcks.length} times (RTO ${rtos.join(' s, ')} s): the final ACK or the SYN-ACK was lost`,
      );
    }
    const rst = ev.find((e) => !e.aToB && /RST/.test(e.label));
    if (synAcks.length > 0) {
      const ack = ev.find(
        (e) => e.aToB && e.time >= synAcks[0]!.time && /\[ACK\]|\[PSH, ACK\]/.test(e.label),
      );
      out.push(
        ack
          ? `3-way handshake done in ${((ack.time - t0) / 1e6).toFixed(3)} ms`
          : 'handshake not completed: no ACK of the SYN-ACK seen',
      );
    } else if (rst) out.push('connection refused: the SYN was answered with a RST');
    else out.push('SYN never answered');
  }
  const finsA = ev.filter((e) => e.aToB && /FIN/.test(e.label));
  const finsB = ev.filter((e) => !e.aToB && /FIN/.test(e.label));
  const rsts = ev.filter((e) => /RST/.test(e.label));
  if (finsA.length > 0 && finsB.length > 0) {
    const first = finsA[0]!.time <= finsB[0]!.time ? finsA[0]! : finsB[0]!;
    const second = first === finsA[0] ? finsB[0]! : finsA[0]!;
    // Merged: the second FIN also carries the ACK of the first, with no pure ACK between them.
    const between = ev.filter(
      (e) => e.time > first.time && e.time < second.time && e.aToB !== first.aToB && /\[ACK\]/.test(e.label),
    );
    out.push(between.length === 0 ? '3-way close (FIN+ACK merged)' : '4-way close');
    out.push(`closed by ${first.aToB ? 'A' : 'B'} (active close)`);
  } else if (finsA.length + finsB.length > 0 && rsts.length === 0)
    out.push(`half-close: only ${finsA.length > 0 ? 'A' : 'B'} sent FIN`);
  if (rsts.length > 0 && !(syns.length > 0 && synAcks.length === 0))
    out.push(`reset by ${rsts[0]!.aToB ? 'A' : 'B'}`);
  return out;
}
