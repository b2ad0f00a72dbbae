// IP-in-IP (RFC 2003, protocol 4) and 6in4 (RFC 4213, protocol 41) encapsulation: the outer IPv4
// header LVS's TUN forwarding adds (DIP -> RIP), and how to find the inner packet.
import { emitIpv4, IPV4_FLAG_DF, IPV4_HEADER_LEN, type Ipv4View } from './ipv4.js';

export const IPPROTO_IPIP = 4;
export const IPPROTO_IPV6 = 41;

/** True when the IPv4 header carries an IPv4 (4) or IPv6 (41) packet. */
export function isIpInIp(outer: Ipv4View): boolean {
  const p = outer.protocol;
  return p === IPPROTO_IPIP || p === IPPROTO_IPV6;
}

/** Index in buf of the inner packet (after the outer header and its options). */
export function innerOffset(outer: Ipv4View): number {
  return outer.payloadOffset;
}

export interface IpipFields {
  src: number;
  dst: number;
  ttl: number;
  identification: number;
  /** RFC 2003 §3.1: copy DF from the inner header (or set it for PMTU discovery). */
  dontFragment: boolean;
  /** The outer TOS: RFC 2003 copies the inner TOS. */
  tos: number;
  /** IPPROTO_IPIP or IPPROTO_IPV6. */
  protocol: number;
}

/**
 * Writes the outer IPv4 header at buf[off] for an inner packet of `innerLength` bytes already at
 * off + 20; returns the outer header length (20).
 */
export function emitIpipOuter(f: IpipFields, innerLength: number, buf: Uint8Array, off: number): number {
  return emitIpv4(
    {
      tos: f.tos,
      totalLength: IPV4_HEADER_LEN + innerLength,
      identification: f.identification,
      flagsFragment: f.dontFragment ? IPV4_FLAG_DF : 0,
      ttl: f.ttl,
      protocol: f.protocol,
      srcAddr: f.src,
      dstAddr: f.dst,
      options: null,
    },
    buf,
    off,
  );
}
