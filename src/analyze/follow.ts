// tshark -z follow,tcp,ascii|hex|raw,N: the stream's payload in sequence order, one chunk per
// segment of new data, client (node 0) flush left and server (node 1) indented by a tab.

import { formatIpv4 as ipv4Text } from '../wire/ipv4.js';
import { ipv6ToString as ipv6Text } from '../wire/ipv6.js';
import { type DecodedFrame, TH_SYN } from './decode.js';
import type { TcpFrameInfo } from './tcp-analysis.js';

export type FollowMode = 'ascii' | 'hex' | 'raw';

interface Side {
  next: number;
  started: boolean;
  /** Bytes of this side printed so far (the hex offset). */
  offset: number;
  /** Out-of-order segments waiting for the gap before them. */
  queued: { seq: number; data: Uint8Array }[];
}

const RULE = '===================================================================\n';

export class FollowTcp {
  private readonly mode: FollowMode;
  private readonly stream: number;
  private node0 = '';
  private node1 = '';
  private node0Key = '';
  private readonly sides: [Side, Side] = [
    { next: 0, started: false, offset: 0, queued: [] },
    { next: 0, started: false, offset: 0, queued: [] },
  ];
  private body = '';

  constructor(mode: FollowMode, stream: number) {
    this.mode = mode;
    this.stream = stream;
  }

  frame(d: DecodedFrame, t: TcpFrameInfo, buf: Uint8Array, end: number): void {
    if (!t.valid || t.inError || t.stream !== this.stream || t.seglen < 0) return;
    const src = d.ipVersion === 4 ? ipv4Text(d.src4) : `[${ipv6Text(buf, d.src6Off)}]`;
    const dst = d.ipVersion === 4 ? ipv4Text(d.dst4) : `[${ipv6Text(buf, d.dst6Off)}]`;
    const key = `${src}:${d.sport}`;
    if (this.node0 === '') {
      this.node0 = key;
      this.node0Key = key;
      this.node1 = `${dst}:${d.dport}`;
    }
    const server = key !== this.node0Key;
    const side = this.sides[server ? 1 : 0];
    let seq = d.seq;
    if (d.flags & TH_SYN) seq = (seq + 1) >>> 0;
    if (!side.started) {
      side.started = true;
      side.next = seq;
    }
    const n = Math.min(t.seglen, Math.max(0, end - d.payloadOff));
    if (n === 0) return;
    this.segment(side, server, seq, buf.subarray(d.payloadOff, d.payloadOff + n));
  }

  private segment(side: Side, server: boolean, seq: number, data: Uint8Array): void {
    const rel = (seq - side.next) | 0;
    if (rel > 0) {
      if (side.queued.length < 4096) side.queued.push({ seq, data: data.slice() });
      return;
    }
    if (-rel >= data.length) return;
    const fresh = data.subarray(-rel);
    this.chunk(side, server, fresh);
    side.next = (side.next + fresh.length) >>> 0;
    // Queued segments that now follow on.
    let moved = true;
    while (moved && side.queued.length > 0) {
      moved = false;
      for (let i = 0; i < side.queued.length; i++) {
        const q = side.queued[i]!;
        if (((q.seq - side.next) | 0) <= 0) {
          side.queued.splice(i, 1);
          const r = (side.next - q.seq) | 0;
          if (r < q.data.length) {
            const f = q.data.subarray(r);
            this.chunk(side, server, f);
            side.next = (side.next + f.length) >>> 0;
          }
          moved = true;
          break;
        }
      }
    }
  }

  private chunk(side: Side, server: boolean, data: Uint8Array): void {
    const tab = server ? '\t' : '';
    if (this.mode === 'ascii') {
      let s = '';
      for (const c of data)
        s += (c >= 0x20 && c < 0x7f) || c === 10 || c === 13 ? String.fromCharCode(c) : '.';
      this.body += `${tab}${data.length}\n${s}\n`;
    } else if (this.mode === 'raw') {
      let s = '';
      for (const c of data) s += c.toString(16).padStart(2, '0');
      this.body += `${tab}${s}\n`;
    } else {
      for (let i = 0; i < data.length; i += 16) {
        let hex = '';
        let asc = '';
        for (let k = 0; k < 16; k++) {
          if (k === 8) {
            hex += ' ';
            if (i + 8 <= data.length) asc += ' ';
          }
          if (i + k < data.length) {
            const c = data[i + k]!;
            hex += `${c.toString(16).padStart(2, '0')} `;
            asc += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
          } else hex += '   ';
        }
        const off = (side.offset + i).toString(16).toUpperCase().padStart(8, '0');
        // As tshark: a space follows the 8th character, and one space that ends the line is dropped.
        const text = `${tab}${off}  ${hex} ${asc}`;
        this.body += `${text.endsWith(' ') ? text.slice(0, -1) : text}\n`;
      }
      side.offset += data.length;
    }
  }

  format(): string {
    return (
      `\n${RULE}Follow: tcp,${this.mode}\nFilter: tcp.stream eq ${this.stream}\n` +
      `Node 0: ${this.node0 === '' ? ':0' : this.node0}\nNode 1: ${this.node1 === '' ? ':0' : this.node1}\n` +
      `${this.body}${RULE}`
    );
  }
}
