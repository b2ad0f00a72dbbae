// TCP MSS clamping (RFC 879/6691) for tunnels: lower the MSS option of a SYN to fit the path.
import { checksumAdjust16 } from '../wire/checksum.js';
import { IPV4_PROTOCOL } from '../wire/ipv4.js';
import { IPPROTO_TCP, TCP_CHECKSUM, TCP_FLAGS, TcpFlag } from '../wire/tcp.js';
import { ipv4HeaderLen, isLaterFragment, rd16, wr16 } from './l4.js';

const TCPOPT_EOL = 0;
const TCPOPT_NOP = 1;
const TCPOPT_MSS = 2;

/**
 * If b[off..] is an IPv4 TCP SYN whose MSS option exceeds `maxMss`, set it to `maxMss` and fix the
 * checksum. Returns the MSS now announced, or -1 (not a SYN, no MSS option, malformed options).
 */
export function clampMss(b: Uint8Array, off: number, len: number, maxMss: number): number {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0 || b[off + IPV4_PROTOCOL] !== IPPROTO_TCP || isLaterFragment(b, off)) return -1;
  const t = off + hl;
  if ((b[t + TCP_FLAGS]! & TcpFlag.SYN) === 0) return -1;
  const end = t + ((b[t + 12]! >>> 4) << 2);
  let i = t + 20;
  while (i < end) {
    const kind = b[i]!;
    if (kind === TCPOPT_EOL) return -1;
    if (kind === TCPOPT_NOP) {
      i++;
      continue;
    }
    if (i + 1 >= end) return -1;
    const l = b[i + 1]!;
    if (l < 2 || i + l > end) return -1;
    if (kind === TCPOPT_MSS && l === 4) {
      const mss = rd16(b, i + 2);
      if (mss <= maxMss) return mss;
      wr16(b, i + 2, maxMss);
      // The option's word alignment relative to the header start decides the word it sits in.
      const rel = i + 2 - t;
      const c = rd16(b, t + TCP_CHECKSUM);
      if ((rel & 1) === 0) wr16(b, t + TCP_CHECKSUM, checksumAdjust16(c, mss, maxMss));
      else {
        // Odd offset: the 16-bit value straddles two checksum words.
        const w1o = (b[i + 1]! << 8) | (mss >>> 8);
        const w1n = (b[i + 1]! << 8) | (maxMss >>> 8);
        const w2o = ((mss & 0xff) << 8) | b[i + 4]!;
        const w2n = ((maxMss & 0xff) << 8) | b[i + 4]!;
        wr16(b, t + TCP_CHECKSUM, checksumAdjust16(checksumAdjust16(c, w1o, w1n), w2o, w2n));
      }
      return maxMss;
    }
    i += l;
  }
  return -1;
}
