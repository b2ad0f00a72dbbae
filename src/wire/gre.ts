// GRE codec: version 0 (RFC 2784 with the RFC 2890 key and sequence number, RFC 1701 checksum,
// offset and routing) and version 1, PPTP's enhanced GRE (RFC 2637: key = payload length + call
// id, acknowledgment number). A re-pointable view that locates the optional fields, and emit().
import { internetChecksum } from './checksum.js';

export const GRE_BASE_LEN = 4;
export const IPPROTO_GRE = 47;

export const GRE_FLAG_CHECKSUM = 0x8000;
export const GRE_FLAG_ROUTING = 0x4000;
export const GRE_FLAG_KEY = 0x2000;
export const GRE_FLAG_SEQ = 0x1000;
export const GRE_FLAG_STRICT_ROUTE = 0x0800;
export const GRE_FLAG_ACK = 0x0080;
export const GRE_RECURSION_MASK = 0x0700;
export const GRE_VERSION_MASK = 0x0007;

export const GreStatus = {
  OK: 0,
  SHORT_HEADER: 1,
  /** The optional fields the flags announce run past the bytes available. */
  SHORT_OPTIONAL: 2,
  /** A version other than 0 and 1. */
  BAD_VERSION: 3,
  /** Routing present (RFC 1701 source routes): the view does not walk SREs. */
  ROUTING: 4,
} as const;

/** Re-pointable view of a GRE header. Borrowed: valid while `buf` holds the packet. */
export class GreView {
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
    if (this.len < GRE_BASE_LEN) return GreStatus.SHORT_HEADER;
    const v = this.version;
    if (v > 1) return GreStatus.BAD_VERSION;
    if (this.flags & GRE_FLAG_ROUTING) return GreStatus.ROUTING;
    if (this.headerLength > this.len) return GreStatus.SHORT_OPTIONAL;
    return GreStatus.OK;
  }

  private u16(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return (b[i]! << 8) | b[i + 1]!;
  }
  private u32(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  /** The first 16 bits: flags, recursion control and version. */
  get flags(): number {
    return this.u16(0);
  }
  get version(): number {
    return this.u16(0) & GRE_VERSION_MASK;
  }
  get checksumPresent(): boolean {
    return (this.flags & GRE_FLAG_CHECKSUM) !== 0;
  }
  get keyPresent(): boolean {
    return (this.flags & GRE_FLAG_KEY) !== 0;
  }
  get sequencePresent(): boolean {
    return (this.flags & GRE_FLAG_SEQ) !== 0;
  }
  get ackPresent(): boolean {
    return this.version === 1 && (this.flags & GRE_FLAG_ACK) !== 0;
  }
  /** The payload's ethertype (0x0800 IPv4, 0x86dd IPv6, 0x6558 Ethernet, 0x880b PPP). */
  get protocolType(): number {
    return this.u16(2);
  }
  /** Byte offsets (from the header start) of the optional fields, -1 when absent. */
  get checksumOffset(): number {
    return this.flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING) ? 4 : -1;
  }
  get keyOffset(): number {
    if (!this.keyPresent) return -1;
    return this.flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING) ? 8 : 4;
  }
  get sequenceOffset(): number {
    if (!this.sequencePresent) return -1;
    return 4 + (this.flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING) ? 4 : 0) + (this.keyPresent ? 4 : 0);
  }
  get ackOffset(): number {
    if (!this.ackPresent) return -1;
    return 4 + (this.keyPresent ? 4 : 0) + (this.sequencePresent ? 4 : 0);
  }
  /** Header length without RFC 1701 source-route entries. */
  get headerLength(): number {
    const f = this.flags;
    let l = GRE_BASE_LEN;
    if (f & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING)) l += 4;
    if (f & GRE_FLAG_KEY) l += 4;
    if (f & GRE_FLAG_SEQ) l += 4;
    if (this.version === 1 && f & GRE_FLAG_ACK) l += 4;
    return l;
  }
  get checksum(): number {
    return this.u16(4);
  }
  get key(): number {
    return this.u32(this.keyOffset);
  }
  /** PPTP (version 1): the call id in the low half of the key. */
  get callId(): number {
    return this.u16(this.keyOffset + 2);
  }
  /** PPTP (version 1): the payload length in the high half of the key. */
  get pptpPayloadLength(): number {
    return this.u16(this.keyOffset);
  }
  get sequenceNumber(): number {
    return this.u32(this.sequenceOffset);
  }
  get ackNumber(): number {
    return this.u32(this.ackOffset);
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  /** Verifies the checksum over the `length` bytes of header and payload (when present). */
  verifyChecksum(length: number): boolean {
    return !this.checksumPresent || internetChecksum(this.buf, this.off, length) === 0;
  }
}

export interface GreFields {
  protocolType: number;
  /** -1 = no key. */
  key: number;
  /** -1 = no sequence number. */
  sequence: number;
  /** Compute a checksum over header + `payloadLength` bytes already at the payload offset. */
  checksum: boolean;
  payloadLength: number;
}

/** Writes a version-0 GRE header at buf[off] (payload already in place after it); returns its length. */
export function emitGre(f: GreFields, buf: Uint8Array, off: number): number {
  let flags = 0;
  if (f.checksum) flags |= GRE_FLAG_CHECKSUM;
  if (f.key >= 0) flags |= GRE_FLAG_KEY;
  if (f.sequence >= 0) flags |= GRE_FLAG_SEQ;
  buf[off] = flags >>> 8;
  buf[off + 1] = flags & 0xff;
  buf[off + 2] = f.protocolType >>> 8;
  buf[off + 3] = f.protocolType & 0xff;
  let p = off + 4;
  if (f.checksum) {
    buf.fill(0, p, p + 4);
    p += 4;
  }
  for (const v of [f.key, f.sequence]) {
    if (v < 0) continue;
    buf[p] = v >>> 24;
    buf[p + 1] = (v >>> 16) & 0xff;
    buf[p + 2] = (v >>> 8) & 0xff;
    buf[p + 3] = v & 0xff;
    p += 4;
  }
  const hl = p - off;
  if (f.checksum) {
    const c = internetChecksum(buf, off, hl + f.payloadLength);
    buf[off + 4] = c >>> 8;
    buf[off + 5] = c & 0xff;
  }
  return hl;
}
