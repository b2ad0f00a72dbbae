// The small slice of dissection the TCP analysis needs: link layer -> IPv4/IPv6 -> TCP/UDP, into one
// reusable record (nothing allocated per frame). Lengths follow Wireshark: a TCP segment's length is
// the IP payload length as the IP header states it (the "reported length"), not the captured bytes.

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;
export const TH_ECE = 0x40;
export const TH_CWR = 0x80;
export const TH_AE = 0x100;

/** What a frame decoded to (borrowed: overwritten by the next decode()). */
export class DecodedFrame {
  /** 0 = no IP, 4 or 6. */
  ipVersion = 0;
  /** Index in buf of the IP header. */
  ipOff = 0;
  /** IPv4 addresses as unsigned 32-bit numbers (ipVersion 4). */
  src4 = 0;
  dst4 = 0;
  /** Index in buf of the 16-byte IPv6 source and destination (ipVersion 6). */
  src6Off = 0;
  dst6Off = 0;
  /** Upper-layer protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 ...), -1 when unknown. */
  proto = -1;
  /** IP payload length from the IP header (the reported length of the transport segment). */
  l4Len = 0;
  /** Index in buf of the transport header; -1 when it is not captured or the packet is a fragment. */
  l4Off = -1;
  /** True for a non-first IP fragment or one with more fragments following. */
  fragmented = false;
  /** Bytes of IP header + payload that the IP header claims (for conversation byte counts use the frame). */
  sport = 0;
  dport = 0;
  /** TCP fields (proto 6 and a whole TCP header captured). */
  tcpOk = false;
  seq = 0;
  ack = 0;
  flags = 0;
  window = 0;
  hlen = 0;
  /** Length of TCP payload (reported, from the IP length), valid when tcpOk. */
  seglen = 0;
  /** Index in buf of the TCP payload. */
  payloadOff = 0;
  /** TCP options: window scale shift (-1 absent), MSS (-1 absent), SACK permitted, TFO. */
  wscale = -1;
  mss = -1;
  sackPerm = false;
  /** TFO option present: 0 none, 1 cookie request (length 2), 2 cookie (length > 2). */
  tfo = 0;
  /** Number of SACK blocks in the segment (their edges in sackLeft/sackRight). */
  sackCount = 0;
  readonly sackLeft = new Uint32Array(4);
  readonly sackRight = new Uint32Array(4);
  /** Timestamps option present, with its values. */
  hasTs = false;
  tsVal = 0;
  tsEcr = 0;
}

function u16(b: Uint8Array, i: number): number {
  return (b[i]! << 8) | b[i + 1]!;
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** Decodes one frame into `d`. `end` is one past the last captured byte. */
export function decodeFrame(
  d: DecodedFrame,
  linktype: number,
  b: Uint8Array,
  off: number,
  end: number,
): void {
  d.ipVersion = 0;
  d.proto = -1;
  d.l4Off = -1;
  d.tcpOk = false;
  d.fragmented = false;
  let etype = -1;
  let p = off;
  switch (linktype) {
    case LINKTYPE_ETHERNET:
      if (end - p < 14) return;
      etype = u16(b, p + 12);
      p += 14;
      break;
    case LINKTYPE_LINUX_SLL:
      if (end - p < 16) return;
      etype = u16(b, p + 14);
      p += 16;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (end - p < 20) return;
      etype = u16(b, p);
      p += 20;
      break;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (end - p < 4) return;
      // The family is in the host byte order of the capturing machine (NULL) or network order (LOOP).
      let fam =
        linktype === LINKTYPE_LOOP
          ? u32(b, p)
          : b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
      if (linktype === LINKTYPE_NULL && (fam & 0xffff0000) !== 0) fam = u32(b, p);
      p += 4;
      if (fam === 2) etype = 0x0800;
      else if (fam === 10 || fam === 24 || fam === 28 || fam === 30) etype = 0x86dd;
      else return;
      break;
    }
    case LINKTYPE_RAW:
    case 12:
    case 14:
      if (end - p < 1) return;
      etype = b[p]! >> 4 === 6 ? 0x86dd : 0x0800;
      break;
    case LINKTYPE_IPV4:
      etype = 0x0800;
      break;
    case LINKTYPE_IPV6:
      etype = 0x86dd;
      break;
    default:
      return;
  }
  // 802.1Q / 802.1ad tags.
  while ((etype === 0x8100 || etype === 0x88a8 || etype === 0x9100) && end - p >= 4) {
    etype = u16(b, p + 2);
    p += 4;
  }
  if (etype === 0x0800) decodeIpv4(d, b, p, end);
  else if (etype === 0x86dd) decodeIpv6(d, b, p, end);
}

function decodeIpv4(d: DecodedFrame, b: Uint8Array, p: number, end: number): void {
  if (end - p < 20 || b[p]! >> 4 !== 4) return;
  const ihl = (b[p]! & 15) * 4;
  const total = u16(b, p + 2);
  if (ihl < 20 || total < ihl) return;
  d.ipVersion = 4;
  d.ipOff = p;
  d.src4 = u32(b, p + 12);
  d.dst4 = u32(b, p + 16);
  d.proto = b[p + 9]!;
  const frag = u16(b, p + 6);
  d.fragmented = (frag & 0x3fff) !== 0;
  d.l4Len = total - ihl;
  if ((frag & 0x1fff) !== 0) return;
  decodeL4(d, b, p + ihl, end);
}

function decodeIpv6(d: DecodedFrame, b: Uint8Array, p: number, end: number): void {
  if (end - p < 40 || b[p]! >> 4 !== 6) return;
  d.ipVersion = 6;
  d.ipOff = p;
  d.src6Off = p + 8;
  d.dst6Off = p + 24;
  let nh = b[p + 6]!;
  let len = u16(b, p + 4);
  let q = p + 40;
  // Walk the extension headers Wireshark walks before the transport.
  for (let guard = 0; guard < 16; guard++) {
    if (nh === 0 || nh === 43 || nh === 60 || nh === 135 || nh === 139 || nh === 140) {
      if (end - q < 2) return;
      const hl = (b[q + 1]! + 1) * 8;
      nh = b[q]!;
      q += hl;
      len -= hl;
    } else if (nh === 44) {
      if (end - q < 8) return;
      const fo = u16(b, q + 2);
      d.fragmented = true;
      nh = b[q]!;
      q += 8;
      len -= 8;
      if ((fo & 0xfff8) !== 0) {
        d.proto = nh;
        d.l4Len = len;
        return;
      }
    } else if (nh === 51) {
      if (end - q < 2) return;
      const hl = (b[q + 1]! + 2) * 4;
      nh = b[q]!;
      q += hl;
      len -= hl;
    } else break;
  }
  d.proto = nh;
  d.l4Len = len < 0 ? 0 : len;
  decodeL4(d, b, q, end);
}

function decodeL4(d: DecodedFrame, b: Uint8Array, q: number, end: number): void {
  if (d.proto === 6) {
    if (end - q < 20) return;
    d.l4Off = q;
    d.sport = u16(b, q);
    d.dport = u16(b, q + 2);
    d.seq = u32(b, q + 4);
    d.ack = u32(b, q + 8);
    d.hlen = (b[q + 12]! >> 4) * 4;
    d.flags = u16(b, q + 12) & 0x01ff;
    d.window = u16(b, q + 14);
    d.seglen = d.l4Len - d.hlen;
    d.payloadOff = q + d.hlen;
    d.tcpOk = d.hlen >= 20 && d.seglen >= 0 && !d.fragmented;
    parseTcpOptions(d, b, q + 20, Math.min(q + d.hlen, end));
  } else if (d.proto === 17) {
    if (end - q < 8) return;
    d.l4Off = q;
    d.sport = u16(b, q);
    d.dport = u16(b, q + 2);
  } else if (end > q) {
    d.l4Off = q;
  }
}

function parseTcpOptions(d: DecodedFrame, b: Uint8Array, i: number, end: number): void {
  d.wscale = -1;
  d.mss = -1;
  d.sackPerm = false;
  d.tfo = 0;
  d.sackCount = 0;
  d.hasTs = false;
  while (i < end) {
    const kind = b[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    if (i + 1 >= end) break;
    const len = b[i + 1]!;
    if (len < 2 || i + len > end) break;
    switch (kind) {
      case 2:
        if (len === 4) d.mss = u16(b, i + 2);
        break;
      case 3:
        if (len === 3) d.wscale = b[i + 2]!;
        break;
      case 4:
        d.sackPerm = true;
        break;
      case 5: {
        const n = Math.min(4, (len - 2) >> 3);
        for (let k = 0; k < n; k++) {
          d.sackLeft[k] = u32(b, i + 2 + k * 8);
          d.sackRight[k] = u32(b, i + 6 + k * 8);
        }
        d.sackCount = n;
        break;
      }
      case 8:
        if (len === 10) {
          d.hasTs = true;
          d.tsVal = u32(b, i + 2);
          d.tsEcr = u32(b, i + 6);
        }
        break;
      case 34:
        d.tfo = len === 2 ? 1 : 2;
        break;
    }
    i += len;
  }
}
