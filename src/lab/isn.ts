// The lab's proof: the SYNs in a capture file (pcap, as tsdump -w writes it) with their initial
// sequence numbers, seen through Ethernet/VLAN, Linux cooked (v1/v2) or raw IP, and through an
// IP-in-IP outer header (RFC 2003). RFC 793 (SYN, ISN).

import { readFileSync } from 'node:fs';

export interface SynSeen {
  /** Capture time in seconds (fractional). */
  ts: number;
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** The SYN's sequence number: the sender's ISN. */
  seq: number;
  /** True when it arrived inside an IP-in-IP packet. */
  encapsulated: boolean;
}

const v4 = (b: Uint8Array, o: number) => `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;

/** SYNs without ACK (connection openings) towards `dport` (any port when 0), in file order. */
export function synsInPcap(path: string, dport = 0): SynSeen[] {
  const b = readFileSync(path);
  if (b.length < 24) return [];
  const dv = new DataView(b.buffer, b.byteOffset, b.length);
  const magicLE = dv.getUint32(0, true);
  let le: boolean;
  let nano: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) {
    le = true;
    nano = magicLE === 0xa1b23c4d;
  } else {
    const be = dv.getUint32(0, false);
    if (be !== 0xa1b2c3d4 && be !== 0xa1b23c4d) throw new Error(`${path}: not a pcap file`);
    le = false;
    nano = be === 0xa1b23c4d;
  }
  const linktype = dv.getUint32(20, le) & 0xffff;
  const out: SynSeen[] = [];
  let p = 24;
  while (p + 16 <= b.length) {
    const sec = dv.getUint32(p, le);
    const frac = dv.getUint32(p + 4, le);
    const caplen = dv.getUint32(p + 8, le);
    const data = p + 16;
    p = data + caplen;
    if (p > b.length) break;
    let ipOff = -1;
    let etype = 0;
    if (linktype === 1) {
      etype = (b[data + 12]! << 8) | b[data + 13]!;
      ipOff = data + 14;
      while (etype === 0x8100 && ipOff + 4 <= p) {
        etype = (b[ipOff + 2]! << 8) | b[ipOff + 3]!;
        ipOff += 4;
      }
    } else if (linktype === 113) {
      etype = (b[data + 14]! << 8) | b[data + 15]!;
      ipOff = data + 16;
    } else if (linktype === 276) {
      etype = (b[data]! << 8) | b[data + 1]!;
      ipOff = data + 20;
    } else if (linktype === 101 || linktype === 12 || linktype === 228) {
      etype = 0x0800;
      ipOff = data;
    }
    if (etype !== 0x0800 || ipOff < 0) continue;
    let encapsulated = false;
    if (ipOff + 20 <= p && b[ipOff]! >>> 4 === 4 && b[ipOff + 9] === 4) {
      ipOff += (b[ipOff]! & 15) << 2;
      encapsulated = true;
    }
    if (ipOff + 20 > p || b[ipOff]! >>> 4 !== 4 || b[ipOff + 9] !== 6) continue;
    if (((b[ipOff + 6]! << 8) | b[ipOff + 7]!) & 0x1fff) continue;
    const t = ipOff + ((b[ipOff]! & 15) << 2);
    if (t + 20 > p) continue;
    const flags = b[t + 13]!;
    if ((flags & 0x12) !== 0x02) continue;
    const dp = (b[t + 2]! << 8) | b[t + 3]!;
    if (dport !== 0 && dp !== dport) continue;
    out.push({
      ts: sec + frac / (nano ? 1e9 : 1e6),
      src: v4(b, ipOff + 12),
      sport: (b[t]! << 8) | b[t + 1]!,
      dst: v4(b, ipOff + 16),
      dport: dp,
      seq: dv.getUint32(t + 4, false),
      encapsulated,
    });
  }
  return out;
}
