// Conversations and endpoints (tshark's -z conv,tcp|udp|ip|ipv6 and -z endpoints,ip|ipv6|tcp|udp):
// counters per address (and port) pair, printed in tshark 4.0's table layout.

import { formatIpv4 as ipv4Text } from '../wire/ipv4.js';
import { ipv6ToString as ipv6Text } from '../wire/ipv6.js';
import type { DecodedFrame } from './decode.js';
import { TupleKey, TupleMap } from './tuple-map.js';

export type ConvKind = 'tcp' | 'udp' | 'ip' | 'ipv6';

/** One conversation: A is the source of its first frame. Frames "->" go A to B (tshark's tx). */
export class ConvItem {
  aAddr: string;
  bAddr: string;
  aPort: number;
  bPort: number;
  txFrames = 0;
  txBytes = 0;
  rxFrames = 0;
  rxBytes = 0;
  /** ns since the first frame of the capture. */
  start: number;
  stop: number;
  /** Position in the table's first-seen order. */
  readonly index: number;
  constructor(aAddr: string, bAddr: string, aPort: number, bPort: number, now: number, index: number) {
    this.index = index;
    this.aAddr = aAddr;
    this.bAddr = bAddr;
    this.aPort = aPort;
    this.bPort = bPort;
    this.start = now;
    this.stop = now;
  }
}

export class EndpointItem {
  addr: string;
  port: number;
  txFrames = 0;
  txBytes = 0;
  rxFrames = 0;
  rxBytes = 0;
  constructor(addr: string, port: number) {
    this.addr = addr;
    this.port = port;
  }
}

function addrText(d: DecodedFrame, buf: Uint8Array, src: boolean): string {
  if (d.ipVersion === 4) return ipv4Text(src ? d.src4 : d.dst4);
  return ipv6Text(buf, src ? d.src6Off : d.dst6Off);
}

/** Collects one kind of conversation table; `add` is called for every frame. */
export class ConversationTable {
  readonly kind: ConvKind;
  readonly items: ConvItem[] = [];
  /** Non-TCP conversations by address/port pair; TCP ones by stream index (`byStream`). */
  private readonly byKey = new TupleMap<ConvItem>();
  private readonly byStream: ConvItem[] = [];
  /** Per item: whether its A endpoint is the key's first (smaller) endpoint. */
  private readonly aIsKeyA: boolean[] = [];
  private readonly key = new TupleKey();

  constructor(kind: ConvKind) {
    this.kind = kind;
  }

  /**
   * Counts a frame of `bytes` on-the-wire bytes at `now`. `tcpStream` is the TCP stream index
   * (tshark keys TCP conversations by stream, so a reused port pair makes a new row).
   */
  add(d: DecodedFrame, buf: Uint8Array, bytes: number, now: number, tcpStream: number): void {
    const k = this.kind;
    if (k === 'ip' ? d.ipVersion !== 4 : k === 'ipv6' ? d.ipVersion !== 6 : d.ipVersion === 0) return;
    if (k === 'tcp' && (d.proto !== 6 || d.l4Off < 0 || tcpStream < 0)) return;
    if (k === 'udp' && (d.proto !== 17 || d.l4Off < 0 || d.fragmented)) return;
    const key = this.key;
    key.set(d, buf, k === 'tcp' || k === 'udp');
    let it = k === 'tcp' ? this.byStream[tcpStream] : this.byKey.get(key);
    if (it === undefined) {
      const ports = k === 'tcp' || k === 'udp';
      it = new ConvItem(
        addrText(d, buf, true),
        addrText(d, buf, false),
        ports ? d.sport : 0,
        ports ? d.dport : 0,
        now,
        this.items.length,
      );
      if (k === 'tcp') this.byStream[tcpStream] = it;
      else this.byKey.set(key, it);
      this.items.push(it);
      this.aIsKeyA.push(key.srcIsA);
    }
    if (key.srcIsA === this.aIsKeyA[it.index]) {
      it.txFrames++;
      it.txBytes += bytes;
    } else {
      it.rxFrames++;
      it.rxBytes += bytes;
    }
    it.stop = now;
  }

  /**
   * Endpoints, in the order they were first seen: each one first appears in the first frame of
   * the earliest conversation it belongs to (source before destination), so they are derived
   * from the conversations instead of being counted per frame.
   */
  get endpoints(): EndpointItem[] {
    const list: EndpointItem[] = [];
    const byName = new Map<string, EndpointItem>();
    const get = (addr: string, port: number): EndpointItem => {
      const name = `${addr}|${port}`;
      let e = byName.get(name);
      if (e === undefined) {
        e = new EndpointItem(addr, port);
        byName.set(name, e);
        list.push(e);
      }
      return e;
    };
    for (const it of this.items) {
      const a = get(it.aAddr, it.aPort);
      const b = get(it.bAddr, it.bPort);
      a.txFrames += it.txFrames;
      a.txBytes += it.txBytes;
      a.rxFrames += it.rxFrames;
      a.rxBytes += it.rxBytes;
      b.txFrames += it.rxFrames;
      b.txBytes += it.rxBytes;
      b.rxFrames += it.txFrames;
      b.rxBytes += it.txBytes;
    }
    return list;
  }
}

/** Wireshark 4.0's format_size(bytes, FORMAT_SIZE_UNIT_BYTES, 0): SI prefixes from 10 kB up. */
export function formatSize(n: number): string {
  const p = 1000;
  if (n / p / p / p / p >= 10) return `${Math.floor(n / p ** 4)} TB`;
  if (n / p / p / p >= 10) return `${Math.floor(n / p ** 3)} GB`;
  if (n / p / p >= 10) return `${Math.floor(n / p ** 2)} MB`;
  if (n / p >= 10) return `${Math.floor(n / p)} kB`;
  return `${n} bytes`;
}

const RULE = '================================================================================\n';

function padEnd(s: string, w: number): string {
  return s.length >= w ? s : s + ' '.repeat(w - s.length);
}

function padStart(s: string, w: number): string {
  return s.length >= w ? s : ' '.repeat(w - s.length) + s;
}

/** Wireshark's nstime_to_sec: seconds plus nanoseconds / 1e9 (the sum rounds as tshark's does). */
function nstimeToSec(ns: number): number {
  const secs = Math.floor(ns / 1e9);
  return secs + (ns - secs * 1e9) / 1e9;
}

/** %N.Mf of a number of seconds. */
function fixed(sec: number, w: number, digits: number): string {
  return padStart(sec.toFixed(digits), w);
}

const TYPE_NAME: Record<ConvKind, string> = { tcp: 'TCP', udp: 'UDP', ip: 'IPv4', ipv6: 'IPv6' };

/** Items in tshark's order: by total frames, largest first; ties keep their first-seen order. */
function byFramesDesc<T extends { txFrames: number; rxFrames: number }>(list: T[]): T[] {
  return list
    .map((x, i) => ({ x, i }))
    .sort((p, q) => q.x.txFrames + q.x.rxFrames - (p.x.txFrames + p.x.rxFrames) || p.i - q.i)
    .map((p) => p.x);
}

/** tshark -q -z conv,KIND output. */
export function formatConversations(t: ConversationTable, filter = ''): string {
  const ports = t.kind === 'tcp' || t.kind === 'udp';
  const pre = ports ? '            ' : '';
  let s = RULE;
  s += `${TYPE_NAME[t.kind]} Conversations\n`;
  s += `Filter:${filter === '' ? '<No Filter>' : filter}\n`;
  s += `${pre}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |\n`;
  s += `${pre}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |\n`;
  for (const it of byFramesDesc(t.items)) {
    const a = ports ? `${it.aAddr}:${it.aPort}` : it.aAddr;
    const b = ports ? `${it.bAddr}:${it.bPort}` : it.bAddr;
    const w = ports ? 26 : 20;
    s += `${padEnd(a, w)} <-> ${padEnd(b, w)}  ${padStart(String(it.rxFrames), 6)} ${padEnd(formatSize(it.rxBytes), 9)}`;
    s += `  ${padStart(String(it.txFrames), 6)} ${padEnd(formatSize(it.txBytes), 9)}`;
    s += `  ${padStart(String(it.txFrames + it.rxFrames), 6)} ${padEnd(formatSize(it.txBytes + it.rxBytes), 9)}  `;
    s += `${fixed(nstimeToSec(it.start), 14, 9)}   ${fixed(nstimeToSec(it.stop) - nstimeToSec(it.start), 12, 4)}\n`;
  }
  s += RULE;
  return s;
}

/** tshark -q -z endpoints,KIND output. */
export function formatEndpoints(t: ConversationTable, filter = ''): string {
  const ports = t.kind === 'tcp' || t.kind === 'udp';
  let s = RULE;
  s += `${TYPE_NAME[t.kind]} Endpoints\n`;
  s += `Filter:${filter === '' ? '<No Filter>' : filter}\n`;
  s += ports
    ? '                       |  Port  ||  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n'
    : '                       |  Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |\n';
  for (const e of byFramesDesc(t.endpoints)) {
    s += padEnd(e.addr, 20);
    if (ports)
      s += `      ${padStart(String(e.port), 5)}     ${padStart(String(e.txFrames + e.rxFrames), 6)}`;
    else s += `      ${padStart(String(e.txFrames + e.rxFrames), 6)}`;
    s += `     ${padStart(String(e.txBytes + e.rxBytes), 9)}`;
    s += `     ${padStart(String(e.txFrames), 6)}`;
    s += `       ${padStart(String(e.txBytes), 9)}`;
    s += `      ${padStart(String(e.rxFrames), 6)}`;
    s += `       ${padStart(String(e.rxBytes), 9)}   \n`;
  }
  s += RULE;
  return s;
}
