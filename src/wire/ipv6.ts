// IPv6 header codec (RFC 8200) with its extension headers (hop-by-hop and destination options §4.3/
// §4.6, routing §4.4 incl. SRH RFC 8754, fragment §4.5, jumbo payload RFC 2675): a re-pointable
// zero-copy view, a walker that finds the upper-layer protocol and the fragment information, the
// pseudo-header sum (§8.1) and emit(); plus RFC 5952 text for addresses.
import { onesSum } from './checksum.js';

export const IPV6_HEADER_LEN = 40;

// Field offsets.
export const IPV6_VER_TC_FLOW = 0;
export const IPV6_PAYLOAD_LEN = 4;
export const IPV6_NEXT_HEADER = 6;
export const IPV6_HOP_LIMIT = 7;
export const IPV6_SRC = 8;
export const IPV6_DST = 24;

/** Next-header values of the extension headers and a few upper layers (IANA protocol numbers). */
export const Ipv6NextHeader = {
  HOP_BY_HOP: 0,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ESP: 50,
  AH: 51,
  ICMPV6: 58,
  NO_NEXT_HEADER: 59,
  DESTINATION_OPTIONS: 60,
  MOBILITY: 135,
} as const;

/** Option types inside hop-by-hop / destination options headers. */
export const Ipv6Option = {
  PAD1: 0x00,
  PADN: 0x01,
  JUMBO: 0xc2,
  ROUTER_ALERT: 0x05,
  HOME_ADDRESS: 0xc9,
} as const;

/** Result of Ipv6View.check(): 0 = usable; the others say what is wrong. */
export const Ipv6Status = {
  OK: 0,
  /** Fewer than 40 bytes. */
  SHORT_HEADER: 1,
  /** The version nibble is not 6 (tcpdump: `IP6 version error: N != 6`). */
  BAD_VERSION: 2,
  /** 40 + payload length > the bytes available (tcpdump: `truncated-ip6 - N bytes missing!`). */
  TRUNCATED: 3,
} as const;

/**
 * Re-pointable view of an IPv6 fixed header. Borrowed: valid while `buf` holds the packet. Run
 * check() on untrusted bytes first; the accessors then trust the 40-byte header.
 */
export class Ipv6View {
  buf: Uint8Array = new Uint8Array(0);
  /** Index of the header's first byte. */
  off = 0;
  /** Bytes available from off (captured length). */
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.max(0, Math.min(len, buf.length - off));
    return this;
  }

  check(): number {
    if (this.len < IPV6_HEADER_LEN) return Ipv6Status.SHORT_HEADER;
    if (this.version !== 6) return Ipv6Status.BAD_VERSION;
    if (IPV6_HEADER_LEN + this.payloadLength > this.len) return Ipv6Status.TRUNCATED;
    return Ipv6Status.OK;
  }

  private u16(at: number): number {
    const i = this.off + at;
    return (this.buf[i]! << 8) | this.buf[i + 1]!;
  }

  get version(): number {
    return this.buf[this.off]! >> 4;
  }
  /** The first 32-bit word: version, traffic class, flow label. */
  get verTcFlow(): number {
    const b = this.buf;
    const i = this.off;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
  set verTcFlow(v: number) {
    const b = this.buf;
    const i = this.off;
    b[i] = v >>> 24;
    b[i + 1] = (v >>> 16) & 0xff;
    b[i + 2] = (v >>> 8) & 0xff;
    b[i + 3] = v & 0xff;
  }
  /** Traffic class octet (DSCP << 2 | ECN). */
  get trafficClass(): number {
    return (this.verTcFlow >>> 20) & 0xff;
  }
  set trafficClass(v: number) {
    this.verTcFlow = ((this.verTcFlow & 0xf00fffff) | ((v & 0xff) << 20)) >>> 0;
  }
  get flowLabel(): number {
    return this.verTcFlow & 0xfffff;
  }
  set flowLabel(v: number) {
    this.verTcFlow = ((this.verTcFlow & 0xfff00000) | (v & 0xfffff)) >>> 0;
  }
  /** Payload length (0 in a jumbogram, whose length is in the hop-by-hop jumbo option). */
  get payloadLength(): number {
    return this.u16(IPV6_PAYLOAD_LEN);
  }
  set payloadLength(v: number) {
    this.buf[this.off + IPV6_PAYLOAD_LEN] = (v >>> 8) & 0xff;
    this.buf[this.off + IPV6_PAYLOAD_LEN + 1] = v & 0xff;
  }
  get nextHeader(): number {
    return this.buf[this.off + IPV6_NEXT_HEADER]!;
  }
  set nextHeader(v: number) {
    this.buf[this.off + IPV6_NEXT_HEADER] = v;
  }
  get hopLimit(): number {
    return this.buf[this.off + IPV6_HOP_LIMIT]!;
  }
  set hopLimit(v: number) {
    this.buf[this.off + IPV6_HOP_LIMIT] = v;
  }
  /** Index in buf of the 16-byte source address. */
  get srcOffset(): number {
    return this.off + IPV6_SRC;
  }
  /** Index in buf of the 16-byte destination address. */
  get dstOffset(): number {
    return this.off + IPV6_DST;
  }
  /** Index in buf of the first byte after the fixed header. */
  get payloadOffset(): number {
    return this.off + IPV6_HEADER_LEN;
  }
  /** Copies a 16-byte address (src or dst) in. */
  setSrc(addr: Uint8Array): void {
    this.buf.set(addr.subarray(0, 16), this.off + IPV6_SRC);
  }
  setDst(addr: Uint8Array): void {
    this.buf.set(addr.subarray(0, 16), this.off + IPV6_DST);
  }

  /**
   * One's-complement sum (folded) of the upper-layer pseudo-header (RFC 8200 §8.1) for `length`
   * bytes of protocol `nextHeader`, with the destination at `dstOff` (the header's own destination
   * unless a routing header names a later final one: see Ipv6ExtWalker.finalDstOffset).
   */
  pseudoHeaderSum(length: number, nextHeader: number, dstOff = this.off + IPV6_DST): number {
    let sum = onesSum(this.buf, this.off + IPV6_SRC, 16);
    sum = onesSum(this.buf, dstOff, 16, sum);
    sum += (length >>> 16) + (length & 0xffff) + nextHeader;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    return sum;
  }
}

/** Fields for emit(): a plain object the caller may reuse. */
export interface Ipv6Fields {
  trafficClass: number;
  flowLabel: number;
  payloadLength: number;
  nextHeader: number;
  hopLimit: number;
  /** 16 bytes each. */
  src: Uint8Array;
  dst: Uint8Array;
}

/** Writes a 40-byte IPv6 header at off; returns the index after it. */
export function emitIpv6(f: Ipv6Fields, buf: Uint8Array, off: number): number {
  const w = ((6 << 28) | ((f.trafficClass & 0xff) << 20) | (f.flowLabel & 0xfffff)) >>> 0;
  buf[off] = w >>> 24;
  buf[off + 1] = (w >>> 16) & 0xff;
  buf[off + 2] = (w >>> 8) & 0xff;
  buf[off + 3] = w & 0xff;
  buf[off + 4] = (f.payloadLength >>> 8) & 0xff;
  buf[off + 5] = f.payloadLength & 0xff;
  buf[off + 6] = f.nextHeader;
  buf[off + 7] = f.hopLimit;
  buf.set(f.src.subarray(0, 16), off + IPV6_SRC);
  buf.set(f.dst.subarray(0, 16), off + IPV6_DST);
  return off + IPV6_HEADER_LEN;
}

/** Result of Ipv6ExtWalker.walk(). */
export const Ipv6WalkStatus = {
  OK: 0,
  /** An extension header runs past the available bytes. */
  TRUNCATED: 1,
  /** A hop-by-hop header that is not first (RFC 8200 §4.1). */
  MISPLACED_HOP_BY_HOP: 2,
  /** More extension headers than the walker follows (a loop guard; 8 is far beyond real use). */
  TOO_MANY: 3,
} as const;

const MAX_EXT_HEADERS = 16;

/**
 * Walks the extension header chain of an IPv6 packet to its upper layer (TCP, UDP, ICMPv6, ESP,
 * no next header ...) and records what a forwarder or printer needs: the fragment header, the
 * jumbo payload length, the routing header's final destination. Reusable; nothing allocated per
 * walk. Fields are valid until the next walk().
 */
export class Ipv6ExtWalker {
  /** Protocol number of the first header that is not an extension header this walker knows. */
  upperProtocol = 0;
  /** Index in buf of that header. */
  upperOffset = 0;
  /** Bytes from upperOffset to the end of the payload (by payload or jumbo length). */
  upperLength = 0;
  /** Number of extension headers passed. */
  extCount = 0;
  /** A fragment header was seen. */
  hasFragment = false;
  /** Fragment offset in bytes, M flag and identification of that header. */
  fragmentOffset = 0;
  moreFragments = false;
  fragmentId = 0;
  /** Jumbo payload length from a hop-by-hop option, or -1 when there is none. */
  jumboLength = -1;
  /** Index of the address to use as pseudo-header destination (RFC 8200 §8.1). */
  finalDstOffset = 0;
  /** Index of the routing header, or -1; its type and segments left. */
  routingOffset = -1;
  routingType = 0;
  segmentsLeft = 0;

  /** Walks the packet of `view` (which passed check(), or at least has its 40 bytes). */
  walk(view: Ipv6View): number {
    const b = view.buf;
    const end = view.off + view.len;
    let nh = view.nextHeader;
    let cp = view.off + IPV6_HEADER_LEN;
    this.extCount = 0;
    this.hasFragment = false;
    this.fragmentOffset = 0;
    this.moreFragments = false;
    this.fragmentId = 0;
    this.jumboLength = -1;
    this.finalDstOffset = view.off + IPV6_DST;
    this.routingOffset = -1;
    this.routingType = 0;
    this.segmentsLeft = 0;
    let status: number = Ipv6WalkStatus.OK;
    for (;;) {
      let hlen: number;
      if (
        nh === Ipv6NextHeader.HOP_BY_HOP ||
        nh === Ipv6NextHeader.DESTINATION_OPTIONS ||
        nh === Ipv6NextHeader.ROUTING ||
        nh === Ipv6NextHeader.FRAGMENT ||
        nh === Ipv6NextHeader.AH
      ) {
        if (this.extCount === MAX_EXT_HEADERS) {
          status = Ipv6WalkStatus.TOO_MANY;
          break;
        }
        if (nh === Ipv6NextHeader.HOP_BY_HOP && this.extCount !== 0) {
          status = Ipv6WalkStatus.MISPLACED_HOP_BY_HOP;
          break;
        }
        if (cp + 2 > end) {
          status = Ipv6WalkStatus.TRUNCATED;
          break;
        }
        if (nh === Ipv6NextHeader.FRAGMENT) hlen = 8;
        else if (nh === Ipv6NextHeader.AH) hlen = (b[cp + 1]! + 2) << 2;
        else hlen = (b[cp + 1]! + 1) << 3;
        if (cp + hlen > end) {
          status = Ipv6WalkStatus.TRUNCATED;
          break;
        }
        if (nh === Ipv6NextHeader.HOP_BY_HOP) this.scanJumbo(b, cp + 2, cp + hlen);
        else if (nh === Ipv6NextHeader.FRAGMENT) {
          const offlg = (b[cp + 2]! << 8) | b[cp + 3]!;
          this.hasFragment = true;
          this.fragmentOffset = offlg & 0xfff8;
          this.moreFragments = (offlg & 1) !== 0;
          this.fragmentId = ((b[cp + 4]! << 24) | (b[cp + 5]! << 16) | (b[cp + 6]! << 8) | b[cp + 7]!) >>> 0;
        } else if (nh === Ipv6NextHeader.ROUTING && this.routingOffset < 0) {
          this.routingOffset = cp;
          this.routingType = b[cp + 2]!;
          this.segmentsLeft = b[cp + 3]!;
          const len8 = b[cp + 1]!;
          if ((this.routingType === 0 || this.routingType === 2) && len8 % 2 === 0 && len8 > 0) {
            this.finalDstOffset = cp + 8 + (len8 / 2 - 1) * 16;
          } else if (this.routingType === 4 && len8 % 2 === 0 && len8 > 0) {
            this.finalDstOffset = cp + 8; // segment list is reversed: [0] is the final one
          }
        }
        nh = b[cp]!;
        cp += hlen;
        this.extCount++;
        // A later fragment carries no upper-layer header.
        if (this.hasFragment && this.fragmentOffset !== 0) break;
        continue;
      }
      break;
    }
    this.upperProtocol = nh;
    this.upperOffset = cp;
    const total = view.payloadLength === 0 && this.jumboLength >= 0 ? this.jumboLength : view.payloadLength;
    this.upperLength = Math.max(0, view.off + IPV6_HEADER_LEN + total - cp);
    return status;
  }

  private scanJumbo(b: Uint8Array, p: number, end: number): void {
    while (p < end) {
      const t = b[p]!;
      if (t === Ipv6Option.PAD1) {
        p++;
        continue;
      }
      if (p + 2 > end) return;
      const l = b[p + 1]!;
      if (t === Ipv6Option.JUMBO && l === 4 && p + 6 <= end && this.jumboLength < 0) {
        this.jumboLength = ((b[p + 2]! << 24) | (b[p + 3]! << 16) | (b[p + 4]! << 8) | b[p + 5]!) >>> 0;
      }
      p += l + 2;
    }
  }
}

/** RFC 5952 text of the 16 bytes at b[i..]: lower case, longest run of >= 2 zero words as `::`. */
export function ipv6ToString(b: Uint8Array, i: number): string {
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let w = 0; w < 8; w++) {
    if (b[i + 2 * w] === 0 && b[i + 2 * w + 1] === 0) {
      if (curBase === -1) {
        curBase = w;
        curLen = 1;
      } else curLen++;
      if (curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
    } else curBase = -1;
  }
  if (bestLen < 2) bestBase = -1;
  let s = '';
  for (let w = 0; w < 8; w++) {
    if (w === bestBase) {
      s += w === 0 ? '::' : ':';
      w += bestLen - 1;
      continue;
    }
    // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) tails.
    if (
      w === 6 &&
      bestBase === 0 &&
      (bestLen === 6 || (bestLen === 5 && b[i + 10] === 0xff && b[i + 11] === 0xff))
    ) {
      s += `${b[i + 12]}.${b[i + 13]}.${b[i + 14]}.${b[i + 15]}`;
      break;
    }
    s += ((b[i + 2 * w]! << 8) | b[i + 2 * w + 1]!).toString(16);
    if (w < 7) s += ':';
  }
  return s;
}

/** Parses IPv6 text (with `::` and an optional dotted IPv4 tail) into 16 bytes; null when invalid. */
export function parseIpv6(text: string): Uint8Array | null {
  const out = new Uint8Array(16);
  const dbl = text.indexOf('::');
  if (dbl !== text.lastIndexOf('::')) return null;
  const parseSide = (part: string): number[] | null => {
    if (part === '') return [];
    const words: number[] = [];
    const pieces = part.split(':');
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k]!;
      if (k === pieces.length - 1 && p.includes('.')) {
        const q = p.split('.');
        if (q.length !== 4) return null;
        const n = q.map((x) => (/^\d{1,3}$/.test(x) ? Number(x) : 256));
        if (n.some((x) => x > 255)) return null;
        words.push((n[0]! << 8) | n[1]!, (n[2]! << 8) | n[3]!);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return null;
      words.push(Number.parseInt(p, 16));
    }
    return words;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseSide(text.slice(0, dbl));
    const tail = parseSide(text.slice(dbl + 2));
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseSide(text);
    if (all === null || all.length !== 8) return null;
    words = all;
  }
  for (let w = 0; w < 8; w++) {
    out[2 * w] = words[w]! >> 8;
    out[2 * w + 1] = words[w]! & 0xff;
  }
  return out;
}
