// TTL handling: decrement with the RFC 1624 checksum update; refuse a packet whose TTL would hit 0.
import { checksumAdjust16 } from '../wire/checksum.js';
import { IPV4_CHECKSUM, IPV4_TTL } from '../wire/ipv4.js';
import { rd16, wr16 } from './l4.js';
import { Verdict } from './verdict.js';

/**
 * Adds `delta` (-1 to forward one hop, +1 to undo a hop the kernel will take again) to the TTL of
 * the IPv4 header at b[off]. DROP_TTL when the result would be <= 0 or > 255.
 */
export function ttlAdjust(b: Uint8Array, off: number, delta: number): Verdict {
  const ttl = b[off + IPV4_TTL]!;
  const n = ttl + delta;
  if (n <= 0 || n > 255) return Verdict.DROP_TTL;
  // TTL shares its 16-bit word with the protocol byte.
  const proto = b[off + IPV4_TTL + 1]!;
  b[off + IPV4_TTL] = n;
  wr16(
    b,
    off + IPV4_CHECKSUM,
    checksumAdjust16(rd16(b, off + IPV4_CHECKSUM), (ttl << 8) | proto, (n << 8) | proto),
  );
  return Verdict.FORWARD;
}
