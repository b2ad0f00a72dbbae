// ICMPv6 codec (RFC 4443): echo, errors with the invoking packet, Neighbor Discovery (RFC 4861:
// RS/RA/NS/NA/redirect and their options), MLDv1 (RFC 2710) and MLDv2 (RFC 9777) messages; a
// re-pointable zero-copy view, an ND option cursor, an MLDv2 record cursor, the checksum over the
// IPv6 pseudo-header and emit helpers.
import { onesSum } from './checksum.js';
import type { Ipv6View } from './ipv6.js';

export const ICMP6_HEADER_LEN = 8;

export const Icmp6Type = {
  DST_UNREACH: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAM_PROB: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  MLD_QUERY: 130,
  MLD_REPORT: 131,
  MLD_DONE: 132,
  ROUTER_SOLICIT: 133,
  ROUTER_ADVERT: 134,
  NEIGHBOR_SOLICIT: 135,
  NEIGHBOR_ADVERT: 136,
  REDIRECT: 137,
  ROUTER_RENUMBERING: 138,
  NI_QUERY: 139,
  NI_REPLY: 140,
  MLDV2_REPORT: 143,
} as const;

/** Destination unreachable codes. */
export const Icmp6UnreachCode = {
  NO_ROUTE: 0,
  ADMIN_PROHIBITED: 1,
  BEYOND_SCOPE: 2,
  ADDRESS: 3,
  PORT: 4,
} as const;

/** Neighbor Discovery option types. */
export const NdOption = {
  SOURCE_LINKADDR: 1,
  TARGET_LINKADDR: 2,
  PREFIX_INFORMATION: 3,
  REDIRECTED_HEADER: 4,
  MTU: 5,
  NONCE: 14,
  ROUTE_INFO: 24,
  RDNSS: 25,
  DNSSL: 31,
  PREF64: 38,
} as const;

/** Neighbor advertisement flags (the first word after the checksum). */
export const NA_FLAG_ROUTER = 0x80000000;
export const NA_FLAG_SOLICITED = 0x40000000;
export const NA_FLAG_OVERRIDE = 0x20000000;

/** Fixed lengths of the message bodies before their options. */
export const ND_RS_LEN = 8;
export const ND_RA_LEN = 16;
export const ND_NS_LEN = 24;
export const ND_NA_LEN = 24;
export const ND_REDIRECT_LEN = 40;
export const MLD_LEN = 24;
export const MLDV2_QUERY_MINLEN = 28;

/** Result of Icmp6View.check(). */
export const Icmp6Status = {
  OK: 0,
  /** Fewer than 8 bytes (4 for the header + 4 of body every type has). */
  SHORT_HEADER: 1,
  /** The message is shorter than its type's fixed part (e.g. an NS without its target). */
  SHORT_BODY: 2,
} as const;

function fixedLength(type: number): number {
  switch (type) {
    case Icmp6Type.ROUTER_ADVERT:
      return ND_RA_LEN;
    case Icmp6Type.NEIGHBOR_SOLICIT:
    case Icmp6Type.NEIGHBOR_ADVERT:
    case Icmp6Type.MLD_REPORT:
    case Icmp6Type.MLD_DONE:
    case Icmp6Type.MLD_QUERY:
      return 24;
    case Icmp6Type.REDIRECT:
      return ND_REDIRECT_LEN;
    default:
      return ICMP6_HEADER_LEN;
  }
}

/**
 * Re-pointable view of an ICMPv6 message of `len` bytes at `off`. Borrowed: valid while `buf`
 * holds the packet. check() validates the fixed part of the message's type; accessors trust it.
 */
export class Icmp6View {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.max(0, Math.min(len, buf.length - off));
    return this;
  }

  check(): number {
    if (this.len < ICMP6_HEADER_LEN) return Icmp6Status.SHORT_HEADER;
    if (this.len < fixedLength(this.type)) return Icmp6Status.SHORT_BODY;
    return Icmp6Status.OK;
  }

  private u16(at: number): number {
    const i = this.off + at;
    return (this.buf[i]! << 8) | this.buf[i + 1]!;
  }
  private setU16(at: number, v: number): void {
    const i = this.off + at;
    this.buf[i] = (v >>> 8) & 0xff;
    this.buf[i + 1] = v & 0xff;
  }
  private u32(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  get type(): number {
    return this.buf[this.off]!;
  }
  set type(v: number) {
    this.buf[this.off] = v;
  }
  get code(): number {
    return this.buf[this.off + 1]!;
  }
  set code(v: number) {
    this.buf[this.off + 1] = v;
  }
  get checksum(): number {
    return this.u16(2);
  }
  set checksum(v: number) {
    this.setU16(2, v);
  }
  /** Errors (types < 128) quote the invoking packet; informational messages have the high bit. */
  get isError(): boolean {
    return this.type < 128;
  }
  /** Echo identifier and sequence number. */
  get echoId(): number {
    return this.u16(4);
  }
  get echoSeq(): number {
    return this.u16(6);
  }
  /** Packet too big: the MTU of the next hop. */
  get mtu(): number {
    return this.u32(4);
  }
  /** Parameter problem: the offset of the error in the invoking packet. */
  get pointer(): number {
    return this.u32(4);
  }
  /** Index of the invoking packet quoted by an error message. */
  get invokingOffset(): number {
    return this.off + ICMP6_HEADER_LEN;
  }
  /** NS/NA/redirect: index of the 16-byte target address. */
  get targetOffset(): number {
    return this.off + 8;
  }
  /** Redirect: index of the 16-byte destination address. */
  get redirectDstOffset(): number {
    return this.off + 24;
  }
  /** NA flags word (NA_FLAG_*). */
  get naFlags(): number {
    return this.u32(4);
  }
  /** RA fields. */
  get curHopLimit(): number {
    return this.buf[this.off + 4]!;
  }
  get raFlags(): number {
    return this.buf[this.off + 5]!;
  }
  get routerLifetime(): number {
    return this.u16(6);
  }
  get reachableTime(): number {
    return this.u32(8);
  }
  get retransTimer(): number {
    return this.u32(12);
  }
  /** MLD: maximum response delay (code for v2) and the multicast address index. */
  get maxResponse(): number {
    return this.u16(4);
  }
  get mldAddressOffset(): number {
    return this.off + 8;
  }
  /** MLDv2 report: number of multicast address records. */
  get mldv2RecordCount(): number {
    return this.u16(6);
  }
  /** MLDv2 query: number of sources. */
  get mldv2QuerySources(): number {
    return this.len >= MLDV2_QUERY_MINLEN ? this.u16(26) : 0;
  }
  /** Index of the first ND option for this message type (its end is off + len). */
  get ndOptionsOffset(): number {
    switch (this.type) {
      case Icmp6Type.ROUTER_SOLICIT:
        return this.off + ND_RS_LEN;
      case Icmp6Type.ROUTER_ADVERT:
        return this.off + ND_RA_LEN;
      case Icmp6Type.NEIGHBOR_SOLICIT:
      case Icmp6Type.NEIGHBOR_ADVERT:
        return this.off + ND_NS_LEN;
      case Icmp6Type.REDIRECT:
        return this.off + ND_REDIRECT_LEN;
      default:
        return this.off + this.len;
    }
  }

  /** True when the checksum over the pseudo-header of `ip` (and the routing final dst) verifies. */
  verifyChecksum(ip: Ipv6View, dstOff = ip.dstOffset): boolean {
    const sum = onesSum(this.buf, this.off, this.len, ip.pseudoHeaderSum(this.len, 58, dstOff));
    return (~sum & 0xffff) === 0;
  }
  /** Computes and stores the checksum. */
  fillChecksum(ip: Ipv6View, dstOff = ip.dstOffset): void {
    this.checksum = 0;
    this.checksum = ~onesSum(this.buf, this.off, this.len, ip.pseudoHeaderSum(this.len, 58, dstOff)) & 0xffff;
  }
}

/** Result of NdOptionCursor.next(). */
export const NdOptionStatus = {
  OK: 0,
  /** No more options. */
  END: 1,
  /** An option with length 0 (RFC 4861 §4.6: the packet must be dropped) or past the end. */
  BAD_LENGTH: 2,
} as const;

/**
 * Cursor over the ND options between `start` and `end`. After next() returns OK, `type`,
 * `length` (bytes, a multiple of 8) and `offset` (index of the option's type octet) describe the
 * current option. Reusable; valid until the next reset().
 */
export class NdOptionCursor {
  buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  type = 0;
  length = 0;
  offset = 0;

  reset(buf: Uint8Array, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = Math.min(end, buf.length);
    return this;
  }

  next(): number {
    if (this.pos >= this.end) return NdOptionStatus.END;
    if (this.pos + 2 > this.end) return NdOptionStatus.BAD_LENGTH;
    const l = this.buf[this.pos + 1]! << 3;
    if (l === 0 || this.pos + l > this.end) return NdOptionStatus.BAD_LENGTH;
    this.type = this.buf[this.pos]!;
    this.length = l;
    this.offset = this.pos;
    this.pos += l;
    return NdOptionStatus.OK;
  }

  /** Link-layer address bytes of a source/target link-address option (length - 2 bytes at +2). */
  get linkAddrOffset(): number {
    return this.offset + 2;
  }
  /** Prefix information: prefix length, flags (L=0x80, A=0x40), lifetimes, prefix index. */
  get prefixLength(): number {
    return this.buf[this.offset + 2]!;
  }
  get prefixFlags(): number {
    return this.buf[this.offset + 3]!;
  }
  get validLifetime(): number {
    return u32(this.buf, this.offset + 4);
  }
  get preferredLifetime(): number {
    return u32(this.buf, this.offset + 8);
  }
  get prefixOffset(): number {
    return this.offset + 16;
  }
  /** MTU option value. */
  get mtu(): number {
    return u32(this.buf, this.offset + 4);
  }
  /** RDNSS/DNSSL lifetime. */
  get dnsLifetime(): number {
    return u32(this.buf, this.offset + 4);
  }
}

function u32(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/**
 * Cursor over the multicast address records of an MLDv2 report (RFC 9777 §5.2). After next()
 * returns true: `recordType`, `auxLen` (32-bit words), `sourceCount`, `addressOffset` (16 bytes),
 * `sourcesOffset` (sourceCount x 16 bytes).
 */
export class Mldv2RecordCursor {
  buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  private left = 0;
  recordType = 0;
  auxLen = 0;
  sourceCount = 0;
  addressOffset = 0;
  sourcesOffset = 0;

  /** Points at the report `view` (records start 8 bytes in). */
  reset(view: Icmp6View): this {
    this.buf = view.buf;
    this.pos = view.off + 8;
    this.end = view.off + view.len;
    this.left = view.mldv2RecordCount;
    return this;
  }

  /** False at the end or when a record runs past the message. */
  next(): boolean {
    if (this.left === 0 || this.pos + 20 > this.end) return false;
    const b = this.buf;
    const p = this.pos;
    const n = (b[p + 2]! << 8) | b[p + 3]!;
    const size = 20 + n * 16 + b[p + 1]! * 4;
    if (p + size > this.end) return false;
    this.recordType = b[p]!;
    this.auxLen = b[p + 1]!;
    this.sourceCount = n;
    this.addressOffset = p + 4;
    this.sourcesOffset = p + 20;
    this.pos = p + size;
    this.left--;
    return true;
  }
}

/** Writes an echo request/reply header (checksum 0) at off; returns the index after it. */
export function emitIcmp6Echo(buf: Uint8Array, off: number, type: number, id: number, seq: number): number {
  buf[off] = type;
  buf[off + 1] = 0;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = (id >>> 8) & 0xff;
  buf[off + 5] = id & 0xff;
  buf[off + 6] = (seq >>> 8) & 0xff;
  buf[off + 7] = seq & 0xff;
  return off + ICMP6_HEADER_LEN;
}

/**
 * Writes an error header (type, code, the MTU or pointer word, checksum 0) at off and copies as
 * much of the invoking packet as fits in `room` bytes (RFC 4443 §2.4: the whole error must fit in
 * the minimum MTU, 1280). Returns the index after the message.
 */
export function emitIcmp6Error(
  buf: Uint8Array,
  off: number,
  type: number,
  code: number,
  word: number,
  invoking: Uint8Array,
  room: number,
): number {
  buf[off] = type;
  buf[off + 1] = code;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = word >>> 24;
  buf[off + 5] = (word >>> 16) & 0xff;
  buf[off + 6] = (word >>> 8) & 0xff;
  buf[off + 7] = word & 0xff;
  const n = Math.max(0, Math.min(invoking.length, room - ICMP6_HEADER_LEN));
  buf.set(invoking.subarray(0, n), off + ICMP6_HEADER_LEN);
  return off + ICMP6_HEADER_LEN + n;
}

/**
 * Writes a neighbor solicitation (target, optional source link-address option) at off; returns the
 * index after it.
 */
export function emitNeighborSolicit(
  buf: Uint8Array,
  off: number,
  target: Uint8Array,
  srcMac: Uint8Array | null,
): number {
  buf.fill(0, off, off + ND_NS_LEN);
  buf[off] = Icmp6Type.NEIGHBOR_SOLICIT;
  buf.set(target.subarray(0, 16), off + 8);
  let p = off + ND_NS_LEN;
  if (srcMac !== null) p = emitLinkAddrOption(buf, p, NdOption.SOURCE_LINKADDR, srcMac);
  return p;
}

/** Writes a neighbor advertisement with flags (NA_FLAG_*) and a target link-address option. */
export function emitNeighborAdvert(
  buf: Uint8Array,
  off: number,
  flags: number,
  target: Uint8Array,
  mac: Uint8Array | null,
): number {
  buf.fill(0, off, off + ND_NA_LEN);
  buf[off] = Icmp6Type.NEIGHBOR_ADVERT;
  buf[off + 4] = flags >>> 24;
  buf.set(target.subarray(0, 16), off + 8);
  let p = off + ND_NA_LEN;
  if (mac !== null) p = emitLinkAddrOption(buf, p, NdOption.TARGET_LINKADDR, mac);
  return p;
}

/** Writes a source/target link-address option for a 6-byte MAC (8 bytes). */
export function emitLinkAddrOption(buf: Uint8Array, off: number, type: number, mac: Uint8Array): number {
  buf[off] = type;
  buf[off + 1] = 1;
  buf.set(mac.subarray(0, 6), off + 2);
  return off + 8;
}
