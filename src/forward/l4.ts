// Shared in-place field writers for IPv4 + TCP/UDP with RFC 1624 incremental checksums.
import { checksumAdjust16, checksumAdjust32 } from '../wire/checksum.js';
import {
  IPV4_CHECKSUM,
  IPV4_DST,
  IPV4_FLAG_MF,
  IPV4_FLAGS_FRAG,
  IPV4_FRAG_OFFSET_MASK,
  IPV4_HEADER_LEN,
  IPV4_PROTOCOL,
  IPV4_SRC,
  IPV4_TOTAL_LEN,
} from '../wire/ipv4.js';
import { IPPROTO_TCP, TCP_CHECKSUM, TCP_HEADER_LEN } from '../wire/tcp.js';
import { IPPROTO_UDP, UDP_CHECKSUM, UDP_HEADER_LEN } from '../wire/udp.js';

export function rd16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}
export function wr16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}
export function rd32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
export function wr32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/**
 * Header length of a well-formed IPv4 packet at b[off..off+len), or -1. Checks version, IHL,
 * total length against len; for a first fragment of TCP/UDP, that the L4 header fits.
 */
export function ipv4HeaderLen(b: Uint8Array, off: number, len: number): number {
  if (len < IPV4_HEADER_LEN || b[off]! >>> 4 !== 4) return -1;
  const hl = (b[off]! & 0x0f) << 2;
  if (hl < IPV4_HEADER_LEN) return -1;
  const total = rd16(b, off + IPV4_TOTAL_LEN);
  if (total < hl || total > len) return -1;
  if ((rd16(b, off + IPV4_FLAGS_FRAG) & IPV4_FRAG_OFFSET_MASK) !== 0) return hl;
  const p = b[off + IPV4_PROTOCOL]!;
  if (p === IPPROTO_TCP) {
    if (total < hl + TCP_HEADER_LEN) return -1;
    const doff = (b[off + hl + 12]! >>> 4) << 2;
    if (doff < TCP_HEADER_LEN || total < hl + doff) return -1;
  } else if (p === IPPROTO_UDP && total < hl + UDP_HEADER_LEN) return -1;
  return hl;
}

/** True for a fragment other than the first (it carries no L4 header). */
export function isLaterFragment(b: Uint8Array, off: number): boolean {
  return (rd16(b, off + IPV4_FLAGS_FRAG) & IPV4_FRAG_OFFSET_MASK) !== 0;
}

/** True for any fragment (MF set or an offset). */
export function isFragment(b: Uint8Array, off: number): boolean {
  return (rd16(b, off + IPV4_FLAGS_FRAG) & (IPV4_FLAG_MF | IPV4_FRAG_OFFSET_MASK)) !== 0;
}

/** Offset of the L4 checksum field, or -1 when there is none to fix (UDP checksum 0, other protocols). */
function l4CheckOff(b: Uint8Array, off: number, hl: number): number {
  if (isLaterFragment(b, off)) return -1;
  const p = b[off + IPV4_PROTOCOL]!;
  if (p === IPPROTO_TCP) return off + hl + TCP_CHECKSUM;
  if (p === IPPROTO_UDP) {
    const o = off + hl + UDP_CHECKSUM;
    return rd16(b, o) === 0 ? -1 : o;
  }
  return -1;
}

/**
 * Sets the IPv4 source (which=IPV4_SRC) or destination (IPV4_DST) address, fixing the header
 * checksum and the TCP/UDP checksum (its pseudo-header covers the address).
 */
export function setAddr(b: Uint8Array, off: number, hl: number, which: number, addr: number): void {
  const old = rd32(b, off + which);
  if (old === addr) return;
  wr32(b, off + which, addr);
  wr16(b, off + IPV4_CHECKSUM, checksumAdjust32(rd16(b, off + IPV4_CHECKSUM), old, addr));
  const c = l4CheckOff(b, off, hl);
  if (c >= 0) {
    let v = checksumAdjust32(rd16(b, c), old, addr);
    // UDP: a computed 0 is sent as 0xffff (RFC 768), 0 means "no checksum".
    if (v === 0 && b[off + IPV4_PROTOCOL] === IPPROTO_UDP) v = 0xffff;
    wr16(b, c, v);
  }
}

/** Sets the TCP/UDP source (portOff 0) or destination (2) port, fixing the L4 checksum. */
export function setPort(b: Uint8Array, off: number, hl: number, portOff: number, port: number): void {
  if (isLaterFragment(b, off)) return;
  const o = off + hl + portOff;
  const old = rd16(b, o);
  if (old === port) return;
  wr16(b, o, port);
  const c = l4CheckOff(b, off, hl);
  if (c >= 0) {
    let v = checksumAdjust16(rd16(b, c), old, port);
    if (v === 0 && b[off + IPV4_PROTOCOL] === IPPROTO_UDP) v = 0xffff;
    wr16(b, c, v);
  }
}

/** True when the protocol has ports at the L4 header start (TCP, UDP). */
export function hasPorts(proto: number): boolean {
  return proto === IPPROTO_TCP || proto === IPPROTO_UDP;
}

export { IPV4_DST, IPV4_SRC };
