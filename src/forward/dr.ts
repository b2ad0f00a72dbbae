// LVS-DR (ip_vs_dr_xmit): the IP packet unchanged, framed in Ethernet to the real server's MAC.
import { ipv4HeaderLen } from './l4.js';
import { Verdict } from './verdict.js';

export const ETH_HLEN = 14;
export const ETHERTYPE_IPV4 = 0x0800;

/**
 * Writes an Ethernet II header at b[off-14..off): destination = the real server's MAC (dst[dstOff..+6]),
 * source = the director's (src[srcOff..+6]), type IPv4. The IP bytes are not touched; the frame
 * starts at off-14 and is len+14 long.
 */
export function drFrame(
  b: Uint8Array,
  off: number,
  len: number,
  dst: Uint8Array,
  dstOff: number,
  src: Uint8Array,
  srcOff: number,
): Verdict {
  if (ipv4HeaderLen(b, off, len) < 0) return Verdict.DROP_MALFORMED;
  if (off < ETH_HLEN) return Verdict.DROP_NO_HEADROOM;
  const o = off - ETH_HLEN;
  for (let i = 0; i < 6; i++) {
    b[o + i] = dst[dstOff + i]!;
    b[o + 6 + i] = src[srcOff + i]!;
  }
  b[o + 12] = ETHERTYPE_IPV4 >>> 8;
  b[o + 13] = ETHERTYPE_IPV4 & 0xff;
  return Verdict.FORWARD;
}
