// ICMP errors quoting a tracked connection (ip_vs_nat_icmp): translate outer and quoted headers alike.
import { checksumAdjust32, internetChecksum } from '../wire/checksum.js';
import { IPPROTO_ICMP } from '../wire/icmp.js';
import { IPV4_CHECKSUM, IPV4_DST, IPV4_PROTOCOL, IPV4_SRC } from '../wire/ipv4.js';
import { hasPorts, ipv4HeaderLen, rd16, rd32, setAddr, wr16, wr32 } from './l4.js';
import { Verdict } from './verdict.js';

export const ICMP_DEST_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAMETERPROB = 12;
export const ICMP_FRAG_NEEDED = 4;

/** True for the ICMP types that quote an offending packet (RFC 792). */
export function isIcmpError(type: number): boolean {
  return (
    type === ICMP_DEST_UNREACH ||
    type === ICMP_SOURCE_QUENCH ||
    type === ICMP_TIME_EXCEEDED ||
    type === ICMP_PARAMETERPROB
  );
}

/**
 * Offset of the quoted IPv4 header inside an ICMP error at b[off..off+len), or -1 (not an ICMP
 * error, or the quote is shorter than its IP header + 8 bytes of ports).
 */
export function icmpQuoteOffset(b: Uint8Array, off: number, len: number): number {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0 || b[off + IPV4_PROTOCOL] !== IPPROTO_ICMP) return -1;
  const total = rd16(b, off + 2);
  const q = off + hl + 8;
  if (total < hl + 8 + 20 || !isIcmpError(b[off + hl]!)) return -1;
  if (b[q]! >>> 4 !== 4) return -1;
  const qhl = (b[q]! & 15) << 2;
  if (qhl < 20 || q + qhl + 8 > off + total) return -1;
  return q;
}

/**
 * Rewrites an ICMP error as the connection it quotes is rewritten:
 * - toClient (from the real server's side, ip_vs_out_icmp): outer source := addr, quoted
 *   destination := addr:port (the quoted packet went client -> real).
 * - !toClient (ip_vs_in_icmp): outer destination := addr, quoted source := addr:port (the quoted
 *   packet went real -> client).
 * The quoted header checksum is fixed incrementally; the ICMP checksum is recomputed over the
 * message (the quote is often truncated, so its L4 checksum is left as sent, as IPVS does).
 */
export function icmpErrorTranslate(
  b: Uint8Array,
  off: number,
  len: number,
  toClient: boolean,
  addr: number,
  port: number,
): Verdict {
  const q = icmpQuoteOffset(b, off, len);
  if (q < 0) return Verdict.DROP_MALFORMED;
  const hl = (b[off]! & 15) << 2;
  const total = rd16(b, off + 2);
  setAddr(b, off, hl, toClient ? IPV4_SRC : IPV4_DST, addr);
  const field = q + (toClient ? IPV4_DST : IPV4_SRC);
  const old = rd32(b, field);
  wr32(b, field, addr);
  wr16(b, q + IPV4_CHECKSUM, checksumAdjust32(rd16(b, q + IPV4_CHECKSUM), old, addr));
  if (hasPorts(b[q + IPV4_PROTOCOL]!)) {
    const qhl = (b[q]! & 15) << 2;
    wr16(b, q + qhl + (toClient ? 2 : 0), port);
  }
  const icmp = off + hl;
  wr16(b, icmp + 2, 0);
  wr16(b, icmp + 2, internetChecksum(b, icmp, total - hl));
  return Verdict.FORWARD;
}
