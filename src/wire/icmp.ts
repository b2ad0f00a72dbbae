// ICMP codec (RFC 792; PMTUD RFC 1191; RFC 4884 length): a re-pointable view over the 8-byte
// header and the quoted datagram of error messages, checksums, and emitters for echo and errors.
import { internetChecksum } from './checksum.js';

export const ICMP_HEADER_LEN = 8;
export const IPPROTO_ICMP = 1;

export const IcmpType = {
  ECHO_REPLY: 0,
  DEST_UNREACH: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  ROUTER_ADVERT: 9,
  ROUTER_SOLICIT: 10,
  TIME_EXCEEDED: 11,
  PARAM_PROBLEM: 12,
  TIMESTAMP: 13,
  TIMESTAMP_REPLY: 14,
  INFO_REQUEST: 15,
  INFO_REPLY: 16,
  MASK_REQUEST: 17,
  MASK_REPLY: 18,
} as const;

/** Destination unreachable codes. */
export const IcmpUnreachCode = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  NEED_FRAG: 4,
  SRC_ROUTE_FAILED: 5,
  NET_PROHIB: 9,
  HOST_PROHIB: 10,
  FILTER_PROHIB: 13,
} as const;

/** True for the messages that quote the offending datagram (RFC 792, RFC 1122 §3.2.2). */
export function isIcmpError(type: number): boolean {
  return (
    type === IcmpType.DEST_UNREACH ||
    type === IcmpType.SOURCE_QUENCH ||
    type === IcmpType.REDIRECT ||
    type === IcmpType.TIME_EXCEEDED ||
    type === IcmpType.PARAM_PROBLEM
  );
}

export const IcmpStatus = {
  OK: 0,
  SHORT_HEADER: 1,
  /** An error message without room for a quoted IPv4 header. */
  SHORT_QUOTE: 2,
} as const;

/** Re-pointable view of an ICMP message. Borrowed: valid while `buf` holds it. */
export class IcmpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.min(len, buf.length - off);
    return this;
  }

  check(): number {
    if (this.len < ICMP_HEADER_LEN) return IcmpStatus.SHORT_HEADER;
    if (isIcmpError(this.type) && this.len < ICMP_HEADER_LEN + 20) return IcmpStatus.SHORT_QUOTE;
    return IcmpStatus.OK;
  }

  private u16(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return (b[i]! << 8) | b[i + 1]!;
  }
  private setU16(at: number, v: number): void {
    const i = this.off + at;
    this.buf[i] = (v >>> 8) & 0xff;
    this.buf[i + 1] = v & 0xff;
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
  /** Echo/timestamp/info identifier and sequence number. */
  get identifier(): number {
    return this.u16(4);
  }
  set identifier(v: number) {
    this.setU16(4, v);
  }
  get sequence(): number {
    return this.u16(6);
  }
  set sequence(v: number) {
    this.setU16(6, v);
  }
  /** Redirect: the gateway address (host-order u32). */
  get gateway(): number {
    const b = this.buf;
    const i = this.off + 4;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
  /** Parameter problem: the pointer. */
  get pointer(): number {
    return this.buf[this.off + 4]!;
  }
  /** Fragmentation needed: the next-hop MTU (RFC 1191). */
  get nextHopMtu(): number {
    return this.u16(6);
  }
  set nextHopMtu(v: number) {
    this.setU16(6, v);
  }
  /** RFC 4884: length of the original datagram in 32-bit words (0 = not given). */
  get rfc4884Length(): number {
    return this.buf[this.off + 5]!;
  }
  /** Index in buf of the quoted IPv4 header of an error message. */
  get quoteOffset(): number {
    return this.off + ICMP_HEADER_LEN;
  }

  /** True when the checksum over `length` bytes verifies. */
  verifyChecksum(length: number): boolean {
    return internetChecksum(this.buf, this.off, length) === 0;
  }
  fillChecksum(length: number): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.buf, this.off, length);
  }
}

/** Writes an echo request/reply header; the payload follows at off + 8. Checksum over `length`. */
export function emitIcmpEcho(
  buf: Uint8Array,
  off: number,
  reply: boolean,
  identifier: number,
  sequence: number,
  length: number,
): number {
  buf[off] = reply ? IcmpType.ECHO_REPLY : IcmpType.ECHO_REQUEST;
  buf[off + 1] = 0;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = identifier >>> 8;
  buf[off + 5] = identifier & 0xff;
  buf[off + 6] = sequence >>> 8;
  buf[off + 7] = sequence & 0xff;
  const c = internetChecksum(buf, off, length);
  buf[off + 2] = c >>> 8;
  buf[off + 3] = c & 0xff;
  return ICMP_HEADER_LEN;
}

/**
 * Writes an error message header (type, code, the 4-byte rest, e.g. MTU for NEED_FRAG) at off,
 * the quoted bytes being already at off + 8, and its checksum over `length` bytes.
 */
export function emitIcmpError(
  buf: Uint8Array,
  off: number,
  type: number,
  code: number,
  rest: number,
  length: number,
): number {
  buf[off] = type;
  buf[off + 1] = code;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = rest >>> 24;
  buf[off + 5] = (rest >>> 16) & 0xff;
  buf[off + 6] = (rest >>> 8) & 0xff;
  buf[off + 7] = rest & 0xff;
  const c = internetChecksum(buf, off, length);
  buf[off + 2] = c >>> 8;
  buf[off + 3] = c & 0xff;
  return ICMP_HEADER_LEN;
}
