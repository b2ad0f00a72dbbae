// IPv6 Fragment header printer (RFC 8200 §4.5), byte-exact with tcpdump 4.99.3's print-frag6.c:
// `frag (0:1448|1232) ` (with the identification at -v: `frag (0x12345678:0|1232) `).
import type { PrintContext } from './context.js';
import { hex } from './ip-names.js';

const IP6F_OFF_MASK = 0xfff8;
const IP6_FRAG_LEN = 8;

/**
 * frag6_print: the fragment header at bp of the IPv6 packet at ip6. Returns 8 for a first fragment
 * (its payload is decoded), -1 for a later one.
 */
export function frag6Print(ctx: PrintContext, bp: number, ip6: number): number {
  ctx.protocol = 'frag6';
  // tcpdump computes this as a size_t: a header chain longer than the payload wraps around 2^64.
  const rest = 40 + ctx.u16(ip6 + 4) - (bp - ip6) - IP6_FRAG_LEN;
  const restText = rest >= 0 ? `${rest}` : `${(1n << 64n) + BigInt(rest)}`;
  if (ctx.opts.vflag) {
    ctx.s += `frag (0x${hex(ctx.u32(bp + 4)).padStart(8, '0')}:${ctx.u16(bp + 2) & IP6F_OFF_MASK}|${restText})`;
  } else {
    ctx.s += `frag (${ctx.u16(bp + 2) & IP6F_OFF_MASK}|${restText})`;
  }
  if ((ctx.u16(bp + 2) & IP6F_OFF_MASK) !== 0) return -1;
  ctx.s += ' ';
  return IP6_FRAG_LEN;
}
