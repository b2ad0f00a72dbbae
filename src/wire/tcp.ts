// TCP header codec (RFC 9293; ECN flags RFC 3168): a re-pointable zero-copy view with RFC-named
// getters/setters, checksums over the IPv4/IPv6 pseudo-header, and emit(). Options: tcp-options.ts.
import { checksumAdjust16, checksumAdjust32, onesSum } from './checksum.js';
import { ipv4PseudoHeaderSum } from './ipv4.js';

export const TCP_HEADER_LEN = 20;
export const TCP_MAX_HEADER_LEN = 60;
export const IPPROTO_TCP = 6;

// Field offsets.
export const TCP_SRC_PORT = 0;
export const TCP_DST_PORT = 2;
export const TCP_SEQ = 4;
export const TCP_ACK = 8;
export const TCP_DATA_OFFSET = 12;
export const TCP_FLAGS = 13;
export const TCP_WINDOW = 14;
export const TCP_CHECKSUM = 16;
export const TCP_URGENT = 18;

/** Control bits (the byte at offset 13). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;
/** The AE (formerly NS, RFC 3540) bit: the low bit of the data-offset byte. */
export const TCP_FLAG_AE = 0x100;

/** Result of TcpView.check(). */
export const TcpStatus = {
  OK: 0,
  /** Fewer than 20 bytes. */
  SHORT_HEADER: 1,
  /** Data offset < 5 (tcpdump: `bad hdr length N - too short, < 20`). */
  BAD_DATA_OFFSET: 2,
  /** Data offset * 4 is more than the bytes available. */
  SHORT_OPTIONS: 3,
} as const;

/** Re-pointable view of a TCP header. Borrowed: valid while `buf` holds the segment. */
export class TcpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  /** Bytes of the segment available from off (header + payload). */
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.min(len, buf.length - off);
    return this;
  }

  check(): number {
    if (this.len < TCP_HEADER_LEN) return TcpStatus.SHORT_HEADER;
    const hl = this.headerLength;
    if (hl < TCP_HEADER_LEN) return TcpStatus.BAD_DATA_OFFSET;
    if (hl > this.len) return TcpStatus.SHORT_OPTIONS;
    return TcpStatus.OK;
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

  get srcPort(): number {
    return this.u16(TCP_SRC_PORT);
  }
  set srcPort(v: number) {
    this.setU16(TCP_SRC_PORT, v);
  }
  get dstPort(): number {
    return this.u16(TCP_DST_PORT);
  }
  set dstPort(v: number) {
    this.setU16(TCP_DST_PORT, v);
  }
  get seqNumber(): number {
    return this.u32(TCP_SEQ);
  }
  set seqNumber(v: number) {
    this.setU32(TCP_SEQ, v >>> 0);
  }
  get ackNumber(): number {
    return this.u32(TCP_ACK);
  }
  set ackNumber(v: number) {
    this.setU32(TCP_ACK, v >>> 0);
  }
  /** Data offset in 32-bit words. */
  get dataOffset(): number {
    return this.buf[this.off + TCP_DATA_OFFSET]! >> 4;
  }
  /** Header length in bytes (data offset * 4). */
  get headerLength(): number {
    return (this.buf[this.off + TCP_DATA_OFFSET]! >> 4) * 4;
  }
  /** The eight classic control bits (TcpFlag.*). */
  get flags(): number {
    return this.buf[this.off + TCP_FLAGS]!;
  }
  set flags(v: number) {
    this.buf[this.off + TCP_FLAGS] = v;
  }
  /** The AE/NS bit (RFC 3540, AccECN). */
  get ae(): boolean {
    return (this.buf[this.off + TCP_DATA_OFFSET]! & 1) !== 0;
  }
  get fin(): boolean {
    return (this.flags & TcpFlag.FIN) !== 0;
  }
  get syn(): boolean {
    return (this.flags & TcpFlag.SYN) !== 0;
  }
  get rst(): boolean {
    return (this.flags & TcpFlag.RST) !== 0;
  }
  get psh(): boolean {
    return (this.flags & TcpFlag.PSH) !== 0;
  }
  get ack(): boolean {
    return (this.flags & TcpFlag.ACK) !== 0;
  }
  get urg(): boolean {
    return (this.flags & TcpFlag.URG) !== 0;
  }
  get ece(): boolean {
    return (this.flags & TcpFlag.ECE) !== 0;
  }
  get cwr(): boolean {
    return (this.flags & TcpFlag.CWR) !== 0;
  }
  get window(): number {
    return this.u16(TCP_WINDOW);
  }
  set window(v: number) {
    this.setU16(TCP_WINDOW, v);
  }
  get checksum(): number {
    return this.u16(TCP_CHECKSUM);
  }
  set checksum(v: number) {
    this.setU16(TCP_CHECKSUM, v);
  }
  get urgentPointer(): number {
    return this.u16(TCP_URGENT);
  }
  set urgentPointer(v: number) {
    this.setU16(TCP_URGENT, v);
  }
  get optionsOffset(): number {
    return this.off + TCP_HEADER_LEN;
  }
  get optionsLength(): number {
    return this.headerLength - TCP_HEADER_LEN;
  }
  get payloadOffset(): number {
    return this.off + this.headerLength;
  }

  /**
   * The checksum over `segLen` bytes (header + payload) under a pseudo-header whose one's-
   * complement sum is `pseudoSum` (ipv4PseudoHeaderSum / ipv6PseudoHeaderSum): 0 when correct.
   */
  computeChecksum(segLen: number, pseudoSum: number): number {
    return ~onesSum(this.buf, this.off, segLen, pseudoSum) & 0xffff;
  }
  /** Verifies over IPv4 (addresses are host-order u32s). */
  verifyChecksumIpv4(src: number, dst: number, segLen: number): boolean {
    return this.computeChecksum(segLen, ipv4PseudoHeaderSum(src, dst, IPPROTO_TCP, segLen)) === 0;
  }
  /** Stores the checksum for IPv4. */
  fillChecksumIpv4(src: number, dst: number, segLen: number): void {
    this.checksum = 0;
    this.checksum = this.computeChecksum(segLen, ipv4PseudoHeaderSum(src, dst, IPPROTO_TCP, segLen));
  }
  /** NAT helpers: rewrite a port or a pseudo-header address and patch the checksum (RFC 1624). */
  rewriteSrcPort(port: number): void {
    this.checksum = checksumAdjust16(this.checksum, this.srcPort, port);
    this.srcPort = port;
  }
  rewriteDstPort(port: number): void {
    this.checksum = checksumAdjust16(this.checksum, this.dstPort, port);
    this.dstPort = port;
  }
  /** The pseudo-header held `oldAddr` and now holds `newAddr`. */
  adjustForAddress(oldAddr: number, newAddr: number): void {
    this.checksum = checksumAdjust32(this.checksum, oldAddr, newAddr);
  }
}

/** The fields emitTcp() writes. */
export interface TcpFields {
  srcPort: number;
  dstPort: number;
  seqNumber: number;
  ackNumber: number;
  flags: number;
  window: number;
  urgentPointer: number;
  /** Raw option bytes (see tcp-options.ts emitters), padded by emit() with EOL to 4 bytes. */
  options: Uint8Array | null;
}

/** Writes a TCP header at buf[off] with a zero checksum; returns the header length. */
export function emitTcp(f: TcpFields, buf: Uint8Array, off: number): number {
  const optLen = f.options === null ? 0 : (f.options.length + 3) & ~3;
  const hl = TCP_HEADER_LEN + optLen;
  if (hl > TCP_MAX_HEADER_LEN)
    throw new RangeError(`TCP options too long: ${f.options!.length} bytes (max 40)`);
  buf[off] = f.srcPort >>> 8;
  buf[off + 1] = f.srcPort & 0xff;
  buf[off + 2] = f.dstPort >>> 8;
  buf[off + 3] = f.dstPort & 0xff;
  const s = f.seqNumber >>> 0;
  const a = f.ackNumber >>> 0;
  buf[off + 4] = s >>> 24;
  buf[off + 5] = (s >>> 16) & 0xff;
  buf[off + 6] = (s >>> 8) & 0xff;
  buf[off + 7] = s & 0xff;
  buf[off + 8] = a >>> 24;
  buf[off + 9] = (a >>> 16) & 0xff;
  buf[off + 10] = (a >>> 8) & 0xff;
  buf[off + 11] = a & 0xff;
  buf[off + 12] = (hl >> 2) << 4;
  buf[off + 13] = f.flags & 0xff;
  buf[off + 14] = f.window >>> 8;
  buf[off + 15] = f.window & 0xff;
  buf[off + 16] = 0;
  buf[off + 17] = 0;
  buf[off + 18] = f.urgentPointer >>> 8;
  buf[off + 19] = f.urgentPointer & 0xff;
  if (f.options !== null) {
    buf.set(f.options, off + TCP_HEADER_LEN);
    buf.fill(0, off + TCP_HEADER_LEN + f.options.length, off + hl);
  }
  return hl;
}
