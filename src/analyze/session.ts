// One tshark-style pass over a capture: per-frame field lines (-T fields), the statistics asked
// with -z, and Wireshark's bracketed notes for tcpdump-style lines (--analyze). No I/O: text goes
// to the `write` function given by the caller.

import { ConversationTable, type ConvKind, formatConversations, formatEndpoints } from './conversations.js';
import { DecodedFrame, decodeFrame } from './decode.js';
import { ExpertTable, TcpExperts, udpExperts } from './expert.js';
import { FIELDS, type FieldFrame, type FieldGetter } from './fields.js';
import { FlowGraph } from './flow-graph.js';
import { type FollowMode, FollowTcp } from './follow.js';
import { formatIoStat } from './io-stat.js';
import { infoNotes } from './notes.js';
import { renderReport } from './report.js';
import { TcpAnalyzer } from './tcp-analysis.js';

export interface FieldsOptions {
  fields: string[];
  header: boolean;
  separator: string;
  /** f = first, l = last, a = all occurrences of a field. */
  occurrence: 'f' | 'l' | 'a';
  aggregator: string;
  /** d = double quotes, s = single quotes, n = none. */
  quote: 'd' | 's' | 'n';
}

/** A parsed -z argument. */
export type StatRequest =
  | { kind: 'expert' }
  | { kind: 'conv'; type: ConvKind }
  | { kind: 'endpoints'; type: ConvKind }
  | { kind: 'io'; intervalNs: number }
  | { kind: 'follow'; mode: FollowMode; stream: number };

/** Parses one -z argument as tshark names them; returns an error message for what it cannot do. */
export function parseStat(arg: string): StatRequest | string {
  const p = arg.split(',');
  const what = p[0];
  if (what === 'expert' && p.length === 1) return { kind: 'expert' };
  if ((what === 'conv' || what === 'endpoints') && p.length === 2) {
    const t = p[1] === 'ip' || p[1] === 'ipv4' ? 'ip' : p[1];
    if (t === 'tcp' || t === 'udp' || t === 'ip' || t === 'ipv6') return { kind: what, type: t };
    return `invalid -z argument "${arg}": no such ${what === 'conv' ? 'conversation' : 'endpoint'} table type "${p[1]}" (tcp, udp, ip, ipv6)`;
  }
  if (what === 'io' && p[1] === 'stat' && p.length >= 3) {
    const sec = Number(p[2]);
    if (!Number.isFinite(sec) || sec <= 0)
      return `invalid -z argument "${arg}": the interval must be a positive number of seconds`;
    if (p.length > 3) return `invalid -z argument "${arg}": io,stat columns with filters are not supported`;
    return { kind: 'io', intervalNs: Math.round(sec * 1e9) };
  }
  if (what === 'follow' && p[1] === 'tcp' && p.length === 4) {
    const mode = p[2];
    const n = Number(p[3]);
    if ((mode === 'ascii' || mode === 'hex' || mode === 'raw') && Number.isInteger(n) && n >= 0)
      return { kind: 'follow', mode, stream: n };
    return `invalid -z argument "${arg}": use follow,tcp,ascii|hex|raw,STREAM`;
  }
  return `invalid -z argument "${arg}"; tsdump knows expert, conv,TYPE, endpoints,TYPE, io,stat,SECONDS and follow,tcp,MODE,STREAM`;
}

/** Validates field names; returns the unknown ones. */
export function unknownFields(names: string[]): string[] {
  return names.filter((n) => !FIELDS.has(n));
}

export interface SessionOptions {
  fields?: FieldsOptions;
  stats: StatRequest[];
  /** Keep Wireshark's bracketed notes for each frame (--analyze). */
  notes: boolean;
  /** Collect the per-stream sequence diagrams (--flow-graph) and the HTML report's data (--report). */
  flowGraph?: boolean;
  report?: boolean;
}

/** Feeds frames in order; `finish()` writes the statistics. */
export class AnalysisSession {
  private readonly d = new DecodedFrame();
  private readonly tcp = new TcpAnalyzer();
  private readonly experts: ExpertTable | null;
  private readonly tcpExperts = new TcpExperts();
  private readonly convs: ConversationTable[] = [];
  private readonly follows: FollowTcp[] = [];
  private readonly getters: FieldGetter[] = [];
  private readonly io: { intervalNs: number; frames: number[]; bytes: number[] }[] = [];
  private readonly ff: FieldFrame;
  private frameNo = 0;
  private t0Sec = -1;
  private t0Nsec = 0;
  private prevNs = 0;
  private lastNs = 0;
  /** The notes of the last frame (--analyze), e.g. "[TCP Retransmission] ". */
  notes = '';
  private readonly flows: FlowGraph | null;
  private readonly reportConvs: ConversationTable | null;
  private readonly reportExperts: ExpertTable | null;
  /** I/O buckets for the report: the width doubles whenever there would be more than 512. */
  private ioWidth = 1e6;
  private readonly ioF: number[] = [];
  private readonly ioB: number[] = [];
  private totalBytes = 0;

  constructor(
    private readonly opts: SessionOptions,
    private readonly write: (text: string) => void,
  ) {
    this.ff = {
      number: 0,
      relNs: 0,
      deltaNs: 0,
      tsSec: 0,
      tsNsec: 0,
      caplen: 0,
      wirelen: 0,
      buf: new Uint8Array(0),
      d: this.d,
      tcp: this.tcp.info,
      udpStream: -1,
    };
    this.experts = opts.stats.some((s) => s.kind === 'expert') || opts.report ? new ExpertTable() : null;
    this.flows = opts.flowGraph || opts.report ? new FlowGraph() : null;
    this.reportConvs = opts.report ? new ConversationTable('tcp') : null;
    this.reportExperts = opts.report ? this.experts : null;
    for (const s of opts.stats) {
      if (s.kind === 'conv' || s.kind === 'endpoints') this.convs.push(new ConversationTable(s.type));
      else if (s.kind === 'follow') this.follows.push(new FollowTcp(s.mode, s.stream));
      else if (s.kind === 'io') this.io.push({ intervalNs: s.intervalNs, frames: [], bytes: [] });
    }
    if (opts.fields) {
      for (const n of opts.fields.fields) this.getters.push(FIELDS.get(n)!);
      if (opts.fields.header)
        this.write(`${opts.fields.fields.map((n) => this.quote(n)).join(opts.fields.separator)}\n`);
    }
  }

  private quote(v: string): string {
    const q = this.opts.fields?.quote ?? 'n';
    return q === 'd' ? `"${v}"` : q === 's' ? `'${v}'` : v;
  }

  /** One frame: its bytes are buf[off, off + caplen) (borrowed for the call). */
  frame(
    buf: Uint8Array,
    off: number,
    caplen: number,
    wirelen: number,
    linktype: number,
    tsSec: number,
    tsNsec: number,
  ): void {
    this.frameNo++;
    if (this.t0Sec < 0) {
      this.t0Sec = tsSec;
      this.t0Nsec = tsNsec;
    }
    const rel = (tsSec - this.t0Sec) * 1e9 + (tsNsec - this.t0Nsec);
    const d = this.d;
    const end = off + caplen;
    decodeFrame(d, linktype, buf, off, end);
    const t = this.tcp.analyze(d, buf, this.frameNo, rel);
    const ex = this.experts;
    if (ex !== null) {
      udpExperts(ex, d);
      this.tcpExperts.frame(ex, d, t, buf, end);
    }
    for (const c of this.convs) c.add(d, buf, wirelen, rel, t.valid ? t.stream : -1);
    if (this.flows !== null) this.flows.frame(d, t, buf, this.frameNo, rel);
    if (this.reportConvs !== null) {
      this.reportConvs.add(d, buf, wirelen, rel, t.valid ? t.stream : -1);
      let i = Math.floor(rel / this.ioWidth);
      while (i >= 512) {
        // Halve the resolution: merge neighbouring buckets.
        for (let k = 0; k < this.ioF.length; k += 2) {
          this.ioF[k >> 1] = this.ioF[k]! + (this.ioF[k + 1] ?? 0);
          this.ioB[k >> 1] = this.ioB[k]! + (this.ioB[k + 1] ?? 0);
        }
        this.ioF.length = Math.ceil(this.ioF.length / 2);
        this.ioB.length = this.ioF.length;
        this.ioWidth *= 2;
        i = Math.floor(rel / this.ioWidth);
      }
      while (this.ioF.length <= i) {
        this.ioF.push(0);
        this.ioB.push(0);
      }
      this.ioF[i]!++;
      this.ioB[i]! += wirelen;
    }
    this.totalBytes += wirelen;
    for (const f of this.follows) f.frame(d, t, buf, end);
    for (const io of this.io) {
      // tshark buckets by the time since the first frame in microseconds, rounded.
      const i = Math.floor(Math.floor((rel + 500) / 1000) / Math.round(io.intervalNs / 1000));
      while (io.frames.length <= i) {
        io.frames.push(0);
        io.bytes.push(0);
      }
      io.frames[i]!++;
      io.bytes[i]! += wirelen;
    }
    if (this.opts.notes) this.notes = infoNotes(t);
    const fo = this.opts.fields;
    if (fo) {
      const ff = this.ff;
      ff.number = this.frameNo;
      ff.relNs = rel;
      ff.deltaNs = rel - this.prevNs;
      ff.tsSec = tsSec;
      ff.tsNsec = tsNsec;
      ff.caplen = caplen;
      ff.wirelen = wirelen;
      ff.buf = buf;
      let line = '';
      for (let i = 0; i < this.getters.length; i++) {
        if (i > 0) line += fo.separator;
        const v = this.getters[i]!(ff);
        if (v !== undefined) line += this.quote(v);
      }
      this.write(`${line}\n`);
    }
    this.prevNs = rel;
    this.lastNs = rel;
  }

  /** Writes the -z outputs, the last requested first (as tshark does). */
  finish(): void {
    const out: string[] = [];
    let ci = 0;
    let fi = 0;
    let ii = 0;
    for (const s of this.opts.stats) {
      if (s.kind === 'expert') out.push(this.experts!.format());
      else if (s.kind === 'conv') out.push(formatConversations(this.convs[ci++]!));
      else if (s.kind === 'endpoints') out.push(formatEndpoints(this.convs[ci++]!));
      else if (s.kind === 'follow') out.push(this.follows[fi++]!.format());
      else out.push(formatIoStat(this.io[ii++]!, this.lastNs));
    }
    for (let i = out.length - 1; i >= 0; i--) this.write(out[i]!);
    if (this.opts.flowGraph && this.flows !== null) this.write(this.flows.format());
  }

  /** The --report page (call after the last frame). */
  reportHtml(title: string): string {
    return renderReport({
      title,
      frames: this.frameNo,
      bytes: this.totalBytes,
      durationNs: this.lastNs,
      convs: this.reportConvs ?? new ConversationTable('tcp'),
      flows: this.flows ?? new FlowGraph(),
      expertText: this.reportExperts?.format() ?? '',
      ioFrames: this.ioF,
      ioBytes: this.ioB,
      ioIntervalNs: this.ioWidth,
    });
  }
}
