// UDP header codec (RFC 768; zero checksum over IPv4 = none): a re-pointable view, checksums over
// the IPv4 pseudo-header, and emit().
import { checksumAdjust16, checksumAdjust32, onesSum } from './checksum.js';
import { ipv4PseudoHeaderSum } from './ipv4.js';

export const UDP_HEADER_LEN = 8;
export const IPPROTO_UDP = 17;

export const UDP_SRC_PORT = 0;
export const UDP_DST_PORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;

/** Result of UdpView.check(). */
export const UdpStatus = {
  OK: 0,
  SHORT_HEADER: 1,
  /** Length field < 8 (tcpdump: `truncated-udplength N`). */
  BAD_LENGTH: 2,
  /** Length field > the bytes available (tcpdump: `bad length N > M`). */
  TRUNCATED: 3,
} as const;

/** Re-pointable view of a UDP header. Borrowed: valid while `buf` holds the datagram. */
export class UdpView {
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
    if (this.len < UDP_HEADER_LEN) return UdpStatus.SHORT_HEADER;
    const l = this.length;
    if (l < UDP_HEADER_LEN) return UdpStatus.BAD_LENGTH;
    if (l > this.len) return UdpStatus.TRUNCATED;
    return UdpStatus.OK;
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

  get srcPort(): number {
    return this.u16(UDP_SRC_PORT);
  }
  set srcPort(v: number) {
    this.setU16(UDP_SRC_PORT, v);
  }
  get dstPort(): number {
    return this.u16(UDP_DST_PORT);
  }
  set dstPort(v: number) {
    this.setU16(UDP_DST_PORT, v);
  }
  /** Header + payload length. */
  get length(): number {
    return this.u16(UDP_LENGTH);
  }
  set length(v: number) {
    this.setU16(UDP_LENGTH, v);
  }
  get checksum(): number {
    return this.u16(UDP_CHECKSUM);
  }
  set checksum(v: number) {
    this.setU16(UDP_CHECKSUM, v);
  }
  get payloadOffset(): number {
    return this.off + UDP_HEADER_LEN;
  }
  get payloadLength(): number {
    return this.length - UDP_HEADER_LEN;
  }

  /** 0 when the checksum verifies (or is absent) over IPv4. */
  computeChecksumIpv4(src: number, dst: number): number {
    const l = this.length;
    return ~onesSum(this.buf, this.off, l, ipv4PseudoHeaderSum(src, dst, IPPROTO_UDP, l)) & 0xffff;
  }
  verifyChecksumIpv4(src: number, dst: number): boolean {
    return this.checksum === 0 || this.computeChecksumIpv4(src, dst) === 0;
  }
  /** Stores the checksum (0 is sent as 0xffff, RFC 768). */
  fillChecksumIpv4(src: number, dst: number): void {
    this.checksum = 0;
    const c = this.computeChecksumIpv4(src, dst);
    this.checksum = c === 0 ? 0xffff : c;
  }
  /** NAT: rewrite a port / pseudo-header address and patch the checksum; a zero checksum stays 0. */
  rewriteSrcPort(port: number): void {
    if (this.checksum !== 0) this.checksum = checksumAdjust16(this.checksum, this.srcPort, port) || 0xffff;
    this.srcPort = port;
  }
  rewriteDstPort(port: number): void {
    if (this.checksum !== 0) this.checksum = checksumAdjust16(this.checksum, this.dstPort, port) || 0xffff;
    this.dstPort = port;
  }
  adjustForAddress(oldAddr: number, newAddr: number): void {
    if (this.checksum !== 0) this.checksum = checksumAdjust32(this.checksum, oldAddr, newAddr) || 0xffff;
  }
}

export interface UdpFields {
  srcPort: number;
  dstPort: number;
  /** Payload length (emit writes length = 8 + this). */
  payloadLength: number;
}

/** Writes a UDP header with a zero checksum at buf[off]; returns 8. */
export function emitUdp(f: UdpFields, buf: Uint8Array, off: number): number {
  const l = UDP_HEADER_LEN + f.payloadLength;
  buf[off] = f.srcPort >>> 8;
  buf[off + 1] = f.srcPort & 0xff;
  buf[off + 2] = f.dstPort >>> 8;
  buf[off + 3] = f.dstPort & 0xff;
  buf[off + 4] = l >>> 8;
  buf[off + 5] = l & 0xff;
  buf[off + 6] = 0;
  buf[off + 7] = 0;
  return UDP_HEADER_LEN;
}
