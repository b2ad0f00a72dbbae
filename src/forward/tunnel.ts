// LVS-TUN (ip_vs_tunnel_xmit): IP-in-IP (RFC 2003) outer header DIP -> RIP prepended in the headroom.
import { internetChecksum } from '../wire/checksum.js';
import {
  IPV4_CHECKSUM,
  IPV4_FLAG_DF,
  IPV4_FLAGS_FRAG,
  IPV4_HEADER_LEN,
  IPV4_ID,
  IPV4_PROTOCOL,
  IPV4_TOS,
  IPV4_TOTAL_LEN,
  IPV4_TTL,
} from '../wire/ipv4.js';
import { ipv4HeaderLen, rd16, wr16, wr32 } from './l4.js';
import { Verdict } from './verdict.js';

export const IPPROTO_IPIP = 4;

/**
 * Writes the outer header at b[off-20..off) for the inner packet b[off..off+len). The outer TTL is
 * the inner's (as ip_vs_tunnel_xmit after the route's hop: the kernel decrements the inner on input),
 * TOS copied, DF copied from the inner (PMTU discovery end to end), ID from `id`.
 * FRAG_NEEDED when DF is set and len+20 > mtu; the new packet starts at off-20.
 */
export function ipipEncap(
  b: Uint8Array,
  off: number,
  len: number,
  dip: number,
  rip: number,
  id: number,
  mtu: number,
): Verdict {
  if (ipv4HeaderLen(b, off, len) < 0) return Verdict.DROP_MALFORMED;
  if (off < IPV4_HEADER_LEN) return Verdict.DROP_NO_HEADROOM;
  const df = rd16(b, off + IPV4_FLAGS_FRAG) & IPV4_FLAG_DF;
  const total = len + IPV4_HEADER_LEN;
  if (total > mtu && df !== 0) return Verdict.FRAG_NEEDED;
  const o = off - IPV4_HEADER_LEN;
  b[o] = 0x45;
  b[o + IPV4_TOS] = b[off + IPV4_TOS]!;
  wr16(b, o + IPV4_TOTAL_LEN, total);
  wr16(b, o + IPV4_ID, id & 0xffff);
  wr16(b, o + IPV4_FLAGS_FRAG, df);
  b[o + IPV4_TTL] = b[off + IPV4_TTL]!;
  b[o + IPV4_PROTOCOL] = IPPROTO_IPIP;
  wr16(b, o + IPV4_CHECKSUM, 0);
  wr32(b, o + 12, dip);
  wr32(b, o + 16, rip);
  wr16(b, o + IPV4_CHECKSUM, internetChecksum(b, o, IPV4_HEADER_LEN));
  return Verdict.FORWARD;
}

/** The largest MSS a SYN may announce so that the encapsulated segments fit `mtu`. */
export function tunnelMss(mtu: number): number {
  return mtu - 2 * IPV4_HEADER_LEN - 20;
}
