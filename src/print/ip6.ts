// IPv6 printer (RFC 8200), byte-exact with tcpdump 4.99.3's ip6_print: `IP6 a > b: `, the -v
// header `(class 0x.., flowlabel 0x....., hlim 64, next-header TCP (6) payload length: 40) `, the
// extension header chain (HBH, DSTOPT, RT6, frag, mobility), jumbograms, 4.99.3's messages for
// bad versions and lengths, and the pseudo-header checksum with the routing header's final
// destination (nextproto6_cksum).
import { onesSum } from '../wire/checksum.js';
import type { PrintContext } from './context.js';
import { frag6Print } from './frag6.js';
import { ip6addrString } from './ip-names.js';
import { dstoptProcess, hbhoptProcess, JumboState } from './ip6-opts.js';
import { ipDemuxPrint, ipprotoName } from './ipproto.js';
import { mobilityPrint } from './mobility.js';
import { rt6Print } from './rt6.js';

const IP6_HDR_LEN = 40;
const NH_HOPOPTS = 0;
const NH_TCP = 6;
const NH_UDP = 17;
const NH_DCCP = 33;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_DSTOPTS = 60;
const NH_MOBILITY_OLD = 62;
const NH_MOBILITY = 135;
const NH_SCTP = 132;

/**
 * ip6_finddst: index of the address TCP/UDP/ICMPv6 use as the pseudo-header destination: the last
 * address of a type 0/2 routing header, the first segment of an SRH, else the header's destination.
 * Stops at the first routing header, at anything that is not HBH/DSTOPT/fragment/mobility, or where
 * the chain is not captured.
 */
export function ip6Finddst(ctx: PrintContext, ip6: number): number {
  let cp = ip6;
  let advance = IP6_HDR_LEN;
  let nh = ctx.u8(ip6 + 6);
  let dst = ip6 + 24;
  while (cp < ctx.snapend) {
    cp += advance;
    switch (nh) {
      case NH_HOPOPTS:
      case NH_DSTOPTS:
      case NH_MOBILITY_OLD:
      case NH_MOBILITY:
        advance = (ctx.u8(cp + 1) + 1) << 3;
        nh = ctx.u8(cp);
        break;
      case NH_FRAGMENT:
        advance = 8;
        nh = ctx.u8(cp);
        break;
      case NH_ROUTING: {
        if (!ctx.has(cp, 4)) return dst;
        let len = ctx.buf[cp + 1]!;
        const type = ctx.buf[cp + 2]!;
        if (type === 0 || type === 2) {
          if (len % 2 === 1) return dst;
          len >>= 1;
          let p = cp + 8;
          for (let i = 0; i < len; i++, p += 16) {
            if (!ctx.has(p, 16)) return dst;
            dst = p;
          }
        } else if (type === 4) {
          if (len % 2 === 1) return dst;
          if (ctx.has(cp + 8, 16)) dst = cp + 8;
        }
        return dst;
      }
      default:
        return dst;
    }
  }
  return dst;
}

/**
 * nextproto6_cksum: the Internet checksum of `covlen` bytes at `data` under the IPv6 pseudo-header
 * (upper-layer length `len`, next header `proto`) of the header at ip6; 0 when correct. The caller
 * has checked that the covered bytes were captured.
 */
export function nextproto6Cksum(
  ctx: PrintContext,
  ip6: number,
  data: number,
  len: number,
  covlen: number,
  proto: number,
): number {
  const b = ctx.buf;
  ctx.check(ip6, IP6_HDR_LEN);
  const nh = b[ip6 + 6]!;
  let dst = ip6 + 24;
  if (
    nh === NH_HOPOPTS ||
    nh === NH_DSTOPTS ||
    nh === NH_MOBILITY_OLD ||
    nh === NH_MOBILITY ||
    nh === NH_FRAGMENT ||
    nh === NH_ROUTING
  ) {
    dst = ip6Finddst(ctx, ip6);
  }
  let sum = onesSum(b, ip6 + 8, 16);
  sum = onesSum(b, dst, 16, sum);
  sum += (len >>> 16) + (len & 0xffff) + proto;
  sum = onesSum(b, data, covlen, sum);
  return ~sum & 0xffff;
}

const jumbo = new JumboState();

/** tcpdump ip6_print: the IPv6 packet at off, `length` bytes on the wire from there. */
export function ip6Print(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'ip6';
  const ip6 = off;
  const b = ctx.buf;
  if (!ctx.has(ip6, IP6_HDR_LEN)) {
    ctx.s += ' [|ip6]';
    return;
  }
  if (length < IP6_HDR_LEN) {
    ctx.s += `truncated-ip6 ${length}`;
    return;
  }
  if (!ctx.opts.eflag) ctx.s += 'IP6 ';
  const version = b[ip6]! >> 4;
  if (version !== 6) {
    ctx.s += `version error: ${version} != 6`;
    return;
  }
  let payloadLen = (b[ip6 + 4]! << 8) | b[ip6 + 5]!;
  // A zero payload length is a jumbogram candidate: walk the headers over what is there.
  let len: number;
  if (payloadLen !== 0) {
    len = payloadLen + IP6_HDR_LEN;
    if (length < len) ctx.s += `truncated-ip6 - ${len - length} bytes missing!`;
  } else len = length + IP6_HDR_LEN;
  let ph = 255;
  let nh = b[ip6 + 6]!;
  if (ctx.opts.vflag) {
    const flow = ((b[ip6]! << 24) | (b[ip6 + 1]! << 16) | (b[ip6 + 2]! << 8) | b[ip6 + 3]!) >>> 0;
    let s = '(';
    if (flow & 0x0ff00000) s += `class 0x${((flow & 0x0ff00000) >>> 20).toString(16).padStart(2, '0')}, `;
    if (flow & 0x000fffff) s += `flowlabel 0x${(flow & 0x000fffff).toString(16).padStart(5, '0')}, `;
    s += `hlim ${b[ip6 + 7]}, next-header ${ipprotoName(nh)} (${nh}) payload length: ${payloadLen}) `;
    ctx.s += s;
  }
  const saved = ctx.pushSnapend(ip6 + len);
  try {
    let cp = ip6;
    let advance = IP6_HDR_LEN;
    let totalAdvance = 0;
    let foundExtensionHeader = false;
    let foundHbh = false;
    let fragmented = false;
    jumbo.found = false;
    while (cp < ctx.snapend && advance > 0) {
      if (len < advance) {
        ctx.s += ' [|ip6]';
        return;
      }
      cp += advance;
      len -= advance;
      totalAdvance += advance;
      if (cp === ip6 + IP6_HDR_LEN && nh !== NH_TCP && nh !== NH_UDP && nh !== NH_DCCP && nh !== NH_SCTP) {
        ctx.s += `${ip6addrString(ctx, ip6 + 8)} > ${ip6addrString(ctx, ip6 + 24)}: `;
      }
      switch (nh) {
        case NH_HOPOPTS:
          // RFC 8200: only right after the IPv6 header, and only once.
          if (foundHbh) {
            ctx.s += '[The Hop-by-Hop Options header was already found] (invalid)';
            return;
          }
          if (ph !== 255) {
            ctx.s += "[The Hop-by-Hop Options header don't follow the IPv6 header] (invalid)";
            return;
          }
          jumbo.payloadLen = payloadLen;
          advance = hbhoptProcess(ctx, cp, jumbo);
          payloadLen = jumbo.payloadLen;
          if (payloadLen === 0 && !jumbo.found) {
            ctx.s += '[No valid Jumbo Payload Hop-by-Hop option found] (invalid)';
            return;
          }
          if (advance < 0) return;
          foundExtensionHeader = true;
          foundHbh = true;
          nh = ctx.u8(cp);
          break;
        case NH_DSTOPTS:
          advance = dstoptProcess(ctx, cp);
          if (advance < 0) return;
          foundExtensionHeader = true;
          nh = ctx.u8(cp);
          break;
        case NH_FRAGMENT:
          advance = frag6Print(ctx, cp, ip6);
          if (advance < 0 || ctx.snapend <= cp + advance) return;
          foundExtensionHeader = true;
          nh = ctx.u8(cp);
          fragmented = true;
          break;
        case NH_MOBILITY_OLD:
        case NH_MOBILITY:
          // RFC 6275: the next header of a mobility header should be No Next Header.
          mobilityPrint(ctx, cp, ip6);
          return;
        case NH_ROUTING:
          if (!ctx.has(cp, 1)) {
            ctx.s += ' [|ip6]';
            return;
          }
          advance = rt6Print(ctx, cp);
          if (advance < 0) return;
          foundExtensionHeader = true;
          nh = ctx.u8(cp);
          break;
        default:
          if (jumbo.found) {
            // The jumbo length replaces the payload length, if it covers the headers seen so far.
            len = (payloadLen + IP6_HDR_LEN) >>> 0;
            if (len < totalAdvance) {
              ctx.s += ' [|ip6]';
              return;
            }
            if (length < len) ctx.s += `truncated-ip6 - ${len - length} bytes missing!`;
            changeSnapend(ctx, ip6 + len);
            len -= totalAdvance;
          } else if (payloadLen === 0) {
            // No payload, so extension headers cannot be there.
            if (foundExtensionHeader) {
              ctx.s += ' [|ip6]';
              return;
            }
            len = IP6_HDR_LEN;
            changeSnapend(ctx, ip6 + len);
            len -= totalAdvance;
          }
          ipDemuxPrint(ctx, cp, len, 6, fragmented, b[ip6 + 7]!, nh, ip6);
          return;
      }
      ph = nh;
      ctx.protocol = 'ip6';
    }
  } finally {
    ctx.popSnapend(saved);
  }
}

/**
 * nd_change_snaplen as 4.99.3 runs it when ip6Print's push is the only one on the stack: the new
 * end applies when it is not past the current end (4.99.3 compares with the current end, not the
 * saved one, so the end never grows back).
 */
function changeSnapend(ctx: PrintContext, end: number): void {
  if (end <= ctx.snapend) ctx.snapend = end;
}
