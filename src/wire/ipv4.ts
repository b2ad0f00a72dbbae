// IPv4 header codec (RFC 791; ECN RFC 3168; DSCP RFC 2474): a re-pointable zero-copy view with
// RFC-named getters/setters, an option cursor, the pseudo-header sum for TCP/UDP, and emit().
import { checksumAdjust16, checksumAdjust32, internetChecksum, onesSum } from './checksum.js';

export const IPV4_HEADER_LEN = 20;
export const IPV4_MAX_HEADER_LEN = 60;

// Field offsets.
export const IPV4_VER_IHL = 0;
export const IPV4_TOS = 1;
export const IPV4_TOTAL_LEN = 2;
export const IPV4_ID = 4;
export const IPV4_FLAGS_FRAG = 6;
export const IPV4_TTL = 8;
export const IPV4_PROTOCOL = 9;
export const IPV4_CHECKSUM = 10;
export const IPV4_SRC = 12;
export const IPV4_DST = 16;

/** Flags (the top 3 bits of the flags/fragment-offset word). */
export const IPV4_FLAG_RESERVED = 0x8000;
export const IPV4_FLAG_DF = 0x4000;
export const IPV4_FLAG_MF = 0x2000;
export const IPV4_FRAG_OFFSET_MASK = 0x1fff;

/** Option types (IANA ip-parameters). */
export const Ipv4Option = {
  EOL: 0,
  NOP: 1,
  RR: 7,
  TS: 68,
  SECURITY: 130,
  LSRR: 131,
  SSRR: 137,
  RA: 148,
  TRACEROUTE: 82,
} as const;

/** Result of Ipv4View.check(): 0 = usable; the others say what is wrong. */
export const Ipv4Status = {
  OK: 0,
  /** Fewer than 20 bytes. */
  SHORT_HEADER: 1,
  /** The version nibble is not 4. */
  BAD_VERSION: 2,
  /** IHL < 5 (tcpdump: `bad-hlen`). */
  BAD_IHL: 3,
  /** IHL*4 is more than the bytes available. */
  SHORT_OPTIONS: 4,
  /** Total length < IHL*4 (tcpdump: `bad-len`). */
  BAD_TOTAL_LENGTH: 5,
  /** Total length > the bytes available (tcpdump: `truncated-ip - N bytes missing!`). */
  TRUNCATED: 6,
} as const;

/** The one's-complement sum of the TCP/UDP pseudo-header (RFC 793 §3.1, RFC 768), unfolded. */
export function ipv4PseudoHeaderSum(src: number, dst: number, protocol: number, length: number): number {
  return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + (length & 0xffff);
}

/**
 * Re-pointable view of an IPv4 header. Borrowed: valid while `buf` holds the packet. Run check()
 * on untrusted bytes first; the accessors then trust the 20-byte header (and IHL*4 for options).
 */
export class Ipv4View {
  buf: Uint8Array = new Uint8Array(0);
  /** Index of the header's first byte. */
  off = 0;
  /** Bytes available from off (captured length). */
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.min(len, buf.length - off);
    return this;
  }

  check(): number {
    if (this.len < IPV4_HEADER_LEN) return Ipv4Status.SHORT_HEADER;
    if (this.version !== 4) return Ipv4Status.BAD_VERSION;
    const hl = this.headerLength;
    if (hl < IPV4_HEADER_LEN) return Ipv4Status.BAD_IHL;
    if (hl > this.len) return Ipv4Status.SHORT_OPTIONS;
    const tl = this.totalLength;
    if (tl < hl) return Ipv4Status.BAD_TOTAL_LENGTH;
    if (tl > this.len) return Ipv4Status.TRUNCATED;
    return Ipv4Status.OK;
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
  private u32(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }
  private setU32(at: number, v: number): void {
    const i = this.off + at;
    const b = this.buf;
    b[i] = v >>> 24;
    b[i + 1] = (v >>> 16) & 0xff;
    b[i + 2] = (v >>> 8) & 0xff;
    b[i + 3] = v & 0xff;
  }

  get version(): number {
    return this.buf[this.off]! >> 4;
  }
  /** Internet Header Length in 32-bit words. */
  get ihl(): number {
    return this.buf[this.off]! & 0x0f;
  }
  set ihl(v: number) {
    this.buf[this.off] = 0x40 | (v & 0x0f);
  }
  /** IHL in bytes. */
  get headerLength(): number {
    return (this.buf[this.off]! & 0x0f) * 4;
  }
  /** The whole TOS octet (DSCP << 2 | ECN). */
  get tos(): number {
    return this.buf[this.off + IPV4_TOS]!;
  }
  set tos(v: number) {
    this.buf[this.off + IPV4_TOS] = v;
  }
  get dscp(): number {
    return this.tos >> 2;
  }
  get ecn(): number {
    return this.tos & 3;
  }
  get totalLength(): number {
    return this.u16(IPV4_TOTAL_LEN);
  }
  set totalLength(v: number) {
    this.setU16(IPV4_TOTAL_LEN, v);
  }
  get identification(): number {
    return this.u16(IPV4_ID);
  }
  set identification(v: number) {
    this.setU16(IPV4_ID, v);
  }
  /** The flags/fragment-offset word as on the wire. */
  get flagsFragment(): number {
    return this.u16(IPV4_FLAGS_FRAG);
  }
  set flagsFragment(v: number) {
    this.setU16(IPV4_FLAGS_FRAG, v);
  }
  get dontFragment(): boolean {
    return (this.flagsFragment & IPV4_FLAG_DF) !== 0;
  }
  get moreFragments(): boolean {
    return (this.flagsFragment & IPV4_FLAG_MF) !== 0;
  }
  get reservedFlag(): boolean {
    return (this.flagsFragment & IPV4_FLAG_RESERVED) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number {
    return (this.flagsFragment & IPV4_FRAG_OFFSET_MASK) * 8;
  }
  /** True for every fragment but a whole datagram (MF set or a non-zero offset). */
  get isFragment(): boolean {
    return (this.flagsFragment & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET_MASK)) !== 0;
  }
  get ttl(): number {
    return this.buf[this.off + IPV4_TTL]!;
  }
  set ttl(v: number) {
    this.buf[this.off + IPV4_TTL] = v;
  }
  get protocol(): number {
    return this.buf[this.off + IPV4_PROTOCOL]!;
  }
  set protocol(v: number) {
    this.buf[this.off + IPV4_PROTOCOL] = v;
  }
  get headerChecksum(): number {
    return this.u16(IPV4_CHECKSUM);
  }
  set headerChecksum(v: number) {
    this.setU16(IPV4_CHECKSUM, v);
  }
  /** Source address as a host-order u32. */
  get srcAddr(): number {
    return this.u32(IPV4_SRC);
  }
  set srcAddr(v: number) {
    this.setU32(IPV4_SRC, v);
  }
  get dstAddr(): number {
    return this.u32(IPV4_DST);
  }
  set dstAddr(v: number) {
    this.setU32(IPV4_DST, v);
  }
  /** Index in buf of the first option byte, and their length. */
  get optionsOffset(): number {
    return this.off + IPV4_HEADER_LEN;
  }
  get optionsLength(): number {
    return this.headerLength - IPV4_HEADER_LEN;
  }
  /** Index in buf of the payload and its length by the total-length field. */
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }

  /** True when the header checksum verifies. */
  verifyChecksum(): boolean {
    return internetChecksum(this.buf, this.off, this.headerLength) === 0;
  }
  /** Computes and stores the header checksum. */
  fillChecksum(): void {
    this.headerChecksum = 0;
    this.headerChecksum = internetChecksum(this.buf, this.off, this.headerLength);
  }
  /** Decrements TTL and patches the checksum incrementally (RFC 1624), as a router does. */
  decrementTtl(): void {
    const old = this.u16(IPV4_TTL);
    this.ttl = this.ttl - 1;
    this.headerChecksum = checksumAdjust16(this.headerChecksum, old, this.u16(IPV4_TTL));
  }
  /** Rewrites the source address, patching the header checksum incrementally. */
  rewriteSrc(addr: number): void {
    this.headerChecksum = checksumAdjust32(this.headerChecksum, this.srcAddr, addr);
    this.srcAddr = addr;
  }
  /** Rewrites the destination address, patching the header checksum incrementally. */
  rewriteDst(addr: number): void {
    this.headerChecksum = checksumAdjust32(this.headerChecksum, this.dstAddr, addr);
    this.dstAddr = addr;
  }
  /** The pseudo-header sum for this header's payload of `length` bytes (TCP/UDP checksums). */
  pseudoHeaderSum(length: number): number {
    return ipv4PseudoHeaderSum(this.srcAddr, this.dstAddr, this.protocol, length);
  }
  /**
   * The Internet checksum of the payload under the pseudo-header: 0 when the TCP/UDP checksum
   * in it verifies. Needs the whole payload present.
   */
  payloadChecksum(): number {
    const n = this.payloadLength;
    return ~onesSum(this.buf, this.payloadOffset, n, this.pseudoHeaderSum(n)) & 0xffff;
  }
}

/** Result of Ipv4OptionCursor.next(). */
export const Ipv4OptionStatus = {
  OK: 0,
  END: 1,
  /** A length < 2 or running past the header. */
  BAD_LENGTH: 2,
} as const;

/**
 * Walks the options of an IPv4 header (RFC 791 §3.1): after next() returns OK, `type`, `offset`
 * (index in buf of the type byte) and `length` (whole option, 1 for EOL/NOP) describe one option.
 */
export class Ipv4OptionCursor {
  buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  type = 0;
  offset = 0;
  length = 0;

  reset(view: Ipv4View): this {
    this.buf = view.buf;
    this.pos = view.optionsOffset;
    this.end = view.off + view.headerLength;
    return this;
  }

  next(): number {
    if (this.pos >= this.end) return Ipv4OptionStatus.END;
    const b = this.buf;
    const t = b[this.pos]!;
    this.type = t;
    this.offset = this.pos;
    if (t === Ipv4Option.EOL || t === Ipv4Option.NOP) {
      this.length = 1;
      this.pos++;
      return Ipv4OptionStatus.OK;
    }
    if (this.pos + 1 >= this.end) return Ipv4OptionStatus.BAD_LENGTH;
    const l = b[this.pos + 1]!;
    if (l < 2 || this.pos + l > this.end) return Ipv4OptionStatus.BAD_LENGTH;
    this.length = l;
    this.pos += l;
    return Ipv4OptionStatus.OK;
  }
}

/** The fields emit() writes. Addresses are host-order u32s. */
export interface Ipv4Fields {
  tos: number;
  /** Header + payload length; emit() does not check it against the buffer. */
  totalLength: number;
  identification: number;
  /** Flag bits (IPV4_FLAG_*) ORed with the fragment offset in 8-byte units. */
  flagsFragment: number;
  ttl: number;
  protocol: number;
  srcAddr: number;
  dstAddr: number;
  /** Raw option bytes (padded by emit() to a multiple of 4 with EOL), or null. */
  options: Uint8Array | null;
}

/** Writes an IPv4 header with its checksum at buf[off]; returns the header length. */
export function emitIpv4(f: Ipv4Fields, buf: Uint8Array, off: number): number {
  const optLen = f.options === null ? 0 : (f.options.length + 3) & ~3;
  const hl = IPV4_HEADER_LEN + optLen;
  if (hl > IPV4_MAX_HEADER_LEN)
    throw new RangeError(`IPv4 options too long: ${f.options!.length} bytes (max 40)`);
  buf[off] = 0x40 | (hl >> 2);
  buf[off + IPV4_TOS] = f.tos;
  buf[off + 2] = f.totalLength >>> 8;
  buf[off + 3] = f.totalLength & 0xff;
  buf[off + 4] = f.identification >>> 8;
  buf[off + 5] = f.identification & 0xff;
  buf[off + 6] = f.flagsFragment >>> 8;
  buf[off + 7] = f.flagsFragment & 0xff;
  buf[off + IPV4_TTL] = f.ttl;
  buf[off + IPV4_PROTOCOL] = f.protocol;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  const s = f.srcAddr;
  const d = f.dstAddr;
  buf[off + 12] = s >>> 24;
  buf[off + 13] = (s >>> 16) & 0xff;
  buf[off + 14] = (s >>> 8) & 0xff;
  buf[off + 15] = s & 0xff;
  buf[off + 16] = d >>> 24;
  buf[off + 17] = (d >>> 16) & 0xff;
  buf[off + 18] = (d >>> 8) & 0xff;
  buf[off + 19] = d & 0xff;
  if (f.options !== null) {
    buf.set(f.options, off + IPV4_HEADER_LEN);
    buf.fill(0, off + IPV4_HEADER_LEN + f.options.length, off + hl);
  }
  const c = internetChecksum(buf, off, hl);
  buf[off + 10] = c >>> 8;
  buf[off + 11] = c & 0xff;
  return hl;
}

/** Parses dotted-quad text into a host-order u32, or -1 when it is not one. */
export function parseIpv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) return -1;
  let v = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return -1;
    const n = Number(p);
    if (n > 255) return -1;
    v = v * 256 + n;
  }
  return v >>> 0;
}

/** Dotted-quad text of a host-order u32. */
export function formatIpv4(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}
