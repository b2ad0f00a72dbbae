// ICMPv6 printer (RFC 4443; ND RFC 4861; MLD RFC 2710/9777; node information RFC 4620; router
// renumbering RFC 2894; mobile IPv6 RFC 6275; RPL RFC 6550), byte-exact with tcpdump 4.99.3's
// icmp6_print: `ICMP6, echo request, id 1, seq 1, length 64`, the -v checksum verdict
// `[icmp6 sum ok] ` / `[bad icmp6 cksum 0x1234 -> 0x5678!] `, ND options at -v, hex dumps.
// Types that 4.99.3 does not know (e.g. RFC 8335 extended echo) print as `unknown icmp6 type (N)`.
import type { PrintContext } from './context.js';
import { mld6Print, mldv2QueryPrint, mldv2ReportPrint } from './icmp6-mld.js';
import { icmp6OptPrint, rtprefName } from './icmp6-nd.js';
import { icmp6NodeinfoPrint, icmp6RrenumPrint } from './icmp6-ni.js';
import { rplPrint } from './icmp6-rpl.js';
import { hex4, ip6addrString, tcpportString, udpportString } from './ip-names.js';
import { nextproto6Cksum } from './ip6.js';
import { printUnknownData } from './unknown-data.js';

const ICMP6_DST_UNREACH = 1;
const ICMP6_PACKET_TOO_BIG = 2;
const ICMP6_TIME_EXCEEDED = 3;
const ICMP6_PARAM_PROB = 4;
const ICMP6_ECHO_REQUEST = 128;
const ICMP6_ECHO_REPLY = 129;
const MLD6_LISTENER_QUERY = 130;
const MLD6_LISTENER_REPORT = 131;
const MLD6_LISTENER_DONE = 132;
const ND_ROUTER_SOLICIT = 133;
const ND_ROUTER_ADVERT = 134;
const ND_NEIGHBOR_SOLICIT = 135;
const ND_NEIGHBOR_ADVERT = 136;
const ND_REDIRECT = 137;
const ICMP6_ROUTER_RENUMBERING = 138;
const ICMP6_NI_QUERY = 139;
const ICMP6_NI_REPLY = 140;
const IND_SOLICIT = 141;
const IND_ADVERT = 142;
const MLDV2_LISTENER_REPORT = 143;
const ICMP6_HADISCOV_REQUEST = 144;
const ICMP6_HADISCOV_REPLY = 145;
const ICMP6_MOBILEPREFIX_SOLICIT = 146;
const ICMP6_MOBILEPREFIX_ADVERT = 147;
const ND_RPL_MESSAGE = 155;
const MLD6_MTRACE_RESP = 200;
const MLD6_MTRACE = 201;

const MLD_MINLEN = 24;
const MLDV2_MINLEN = 28;

/** tok2str(icmp6_type_values, ...): 139/140 show their older who-are-you names first. */
export function icmp6TypeName(t: number): string {
  switch (t) {
    case ICMP6_DST_UNREACH:
      return 'destination unreachable';
    case ICMP6_PACKET_TOO_BIG:
      return 'packet too big';
    case ICMP6_TIME_EXCEEDED:
      return 'time exceeded in-transit';
    case ICMP6_PARAM_PROB:
      return 'parameter problem';
    case ICMP6_ECHO_REQUEST:
      return 'echo request';
    case ICMP6_ECHO_REPLY:
      return 'echo reply';
    case MLD6_LISTENER_QUERY:
      return 'multicast listener query';
    case MLD6_LISTENER_REPORT:
      return 'multicast listener report';
    case MLD6_LISTENER_DONE:
      return 'multicast listener done';
    case ND_ROUTER_SOLICIT:
      return 'router solicitation';
    case ND_ROUTER_ADVERT:
      return 'router advertisement';
    case ND_NEIGHBOR_SOLICIT:
      return 'neighbor solicitation';
    case ND_NEIGHBOR_ADVERT:
      return 'neighbor advertisement';
    case ND_REDIRECT:
      return 'redirect';
    case ICMP6_ROUTER_RENUMBERING:
      return 'router renumbering';
    case IND_SOLICIT:
      return 'inverse neighbor solicitation';
    case IND_ADVERT:
      return 'inverse neighbor advertisement';
    case MLDV2_LISTENER_REPORT:
      return 'multicast listener report v2';
    case ICMP6_HADISCOV_REQUEST:
      return 'ha discovery request';
    case ICMP6_HADISCOV_REPLY:
      return 'ha discovery reply';
    case ICMP6_MOBILEPREFIX_SOLICIT:
      return 'mobile router solicitation';
    case ICMP6_MOBILEPREFIX_ADVERT:
      return 'mobile router advertisement';
    case ICMP6_NI_QUERY:
      return 'who-are-you request';
    case ICMP6_NI_REPLY:
      return 'who-are-you reply';
    case MLD6_MTRACE:
      return 'mtrace message';
    case MLD6_MTRACE_RESP:
      return 'mtrace response';
    case ND_RPL_MESSAGE:
      return 'RPL';
    default:
      return `unknown icmp6 type (${t})`;
  }
}

function unreachCodeName(code: number): string {
  switch (code) {
    case 0:
      return 'unreachable route';
    case 1:
      return ' unreachable prohibited';
    case 2:
      return 'beyond scope';
    case 3:
      return 'unreachable address';
    case 4:
      return 'unreachable port';
    default:
      return `unknown unreach code (${code})`;
  }
}

/** bittok2str(icmp6_opt_ra_flag_values, "none", flags). */
function raFlags(f: number): string {
  let s = '';
  if (f & 0x80) s = 'managed';
  if (f & 0x40) s += s === '' ? 'other stateful' : ', other stateful';
  if (f & 0x20) s += s === '' ? 'home agent' : ', home agent';
  if (f & 0x02) s += s === '' ? 'ipv6 only' : ', ipv6 only';
  return s === '' ? 'none' : s;
}

/** bittok2str(icmp6_nd_na_flag_values, "none", flags). */
function naFlags(f: number): string {
  let s = '';
  if (f & 0x80000000) s = 'router';
  if (f & 0x40000000) s += s === '' ? 'solicited' : ', solicited';
  if (f & 0x20000000) s += s === '' ? 'override' : ', override';
  return s === '' ? 'none' : s;
}

// get_upperlayer results (no object per packet).
let upperProto = 0;

/**
 * get_upperlayer: walks the IPv6 header chain quoted at bp to the TCP/UDP header; returns its
 * index (with upperProto set) or -1 when it is not there or not captured.
 */
function getUpperlayer(ctx: PrintContext, bp: number): number {
  if (!ctx.has(bp + 6, 1)) return -1;
  let nh = ctx.buf[bp + 6]!;
  let hlen = 40;
  const ep = ctx.snapend;
  while (bp < ep) {
    bp += hlen;
    switch (nh) {
      case 17:
      case 6:
        if (ctx.has(bp + 2, 2)) {
          upperProto = nh;
          return bp;
        }
        return -1;
      case 0:
      case 60:
      case 43:
        if (!ctx.has(bp + 1, 1)) return -1;
        nh = ctx.buf[bp]!;
        hlen = (ctx.buf[bp + 1]! + 1) << 3;
        break;
      case 44:
        if (!ctx.has(bp + 2, 2)) return -1;
        if ((((ctx.buf[bp + 2]! << 8) | ctx.buf[bp + 3]!) & 0xfff8) !== 0) return -1;
        nh = ctx.buf[bp]!;
        hlen = 8;
        break;
      case 51:
        if (!ctx.has(bp + 1, 1)) return -1;
        nh = ctx.buf[bp]!;
        hlen = (ctx.buf[bp + 1]! + 2) << 2;
        break;
      default:
        upperProto = nh;
        return -1;
    }
  }
  return -1;
}

/** ICMPv6 message at off; ipOff is the enclosing IPv6 header (for the pseudo-header checksum). */
export function icmp6Print(
  ctx: PrintContext,
  off: number,
  length: number,
  ipOff: number,
  fragmented: boolean,
): void {
  ctx.protocol = 'icmp6';
  const dp = off;
  const oip = dp + 8;
  const ep = ctx.snapend;
  const v = ctx.opts.vflag;
  if (length === 0) {
    ctx.s += 'ICMP6, length 0 (invalid)';
    return;
  }
  if (v && !fragmented && ctx.has(dp, length)) {
    const icmpSum = ctx.u16(dp + 2);
    const sum = nextproto6Cksum(ctx, ipOff, dp, length, length, 58);
    if (sum !== 0) {
      let sb = icmpSum + sum;
      sb = (sb & 0xffff) + (sb >>> 16);
      sb = (sb & 0xffff) + (sb >>> 16);
      ctx.s += `[bad icmp6 cksum 0x${hex4(icmpSum)} -> 0x${hex4(sb & 0xffff)}!] `;
    } else ctx.s += '[icmp6 sum ok] ';
  }
  const type = ctx.u8(dp);
  ctx.s += `ICMP6, ${icmp6TypeName(type)}`;
  if (
    v &&
    (type === ND_ROUTER_SOLICIT ||
      type === ND_ROUTER_ADVERT ||
      type === ND_NEIGHBOR_ADVERT ||
      type === ND_NEIGHBOR_SOLICIT ||
      type === ND_REDIRECT ||
      type === ICMP6_HADISCOV_REPLY ||
      type === ICMP6_MOBILEPREFIX_ADVERT)
  ) {
    ctx.s += `, length ${length}`;
  }
  const code = ctx.u8(dp + 1);
  switch (type) {
    case ICMP6_DST_UNREACH:
      ctx.s += `, ${unreachCodeName(code)}`;
      switch (code) {
        case 0:
        case 1:
        case 3:
          ctx.s += ` ${ip6addrString(ctx, oip + 24)}`;
          break;
        case 2: {
          const s = ` ${ip6addrString(ctx, oip + 24)}, source address ${ip6addrString(ctx, oip + 8)}`;
          ctx.s += s;
          break;
        }
        case 4: {
          const ouh = getUpperlayer(ctx, oip);
          if (ouh < 0) {
            ctx.s += ' [|icmp6]';
            return;
          }
          const dport = ctx.u16(ouh + 2);
          if (upperProto === 6)
            ctx.s += `, ${ip6addrString(ctx, oip + 24)} tcp port ${tcpportString(ctx, dport)}`;
          else if (upperProto === 17) {
            ctx.s += `, ${ip6addrString(ctx, oip + 24)} udp port ${udpportString(ctx, dport)}`;
          } else
            ctx.s += `, ${ip6addrString(ctx, oip + 24)} protocol ${upperProto} port ${dport} unreachable`;
          break;
        }
        default:
          if (v <= 1) {
            printUnknownData(ctx, dp, '\n\t', length);
            return;
          }
          break;
      }
      break;
    case ICMP6_PACKET_TOO_BIG:
      ctx.s += `, mtu ${ctx.u32(dp + 4)}`;
      break;
    case ICMP6_TIME_EXCEEDED:
      switch (code) {
        case 0:
          ctx.s += ` for ${ip6addrString(ctx, oip + 24)}`;
          break;
        case 1:
          ctx.s += ' (reassembly)';
          break;
        default:
          ctx.s += `, unknown code (${code})`;
          break;
      }
      break;
    case ICMP6_PARAM_PROB:
      if (!ctx.has(oip + 24, 16)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      switch (code) {
        case 0:
          ctx.s += `, erroneous - octet ${ctx.u32(dp + 4)}`;
          break;
        case 1:
          ctx.s += `, next header - octet ${ctx.u32(dp + 4)}`;
          break;
        case 2:
          ctx.s += `, option - octet ${ctx.u32(dp + 4)}`;
          break;
        case 3:
          ctx.s += `, incomplete header chain - octet ${ctx.u32(dp + 4)}`;
          break;
        default:
          ctx.s += `, code-#${code}`;
          break;
      }
      break;
    case ICMP6_ECHO_REQUEST:
    case ICMP6_ECHO_REPLY: {
      const s = `, id ${ctx.u16(dp + 4)}, seq ${ctx.u16(dp + 6)}`;
      ctx.s += s;
      break;
    }
    case MLD6_LISTENER_QUERY:
      if (length === MLD_MINLEN) mld6Print(ctx, dp);
      else if (length >= MLDV2_MINLEN) {
        ctx.s += ' v2';
        mldv2QueryPrint(ctx, dp, length);
      } else ctx.s += ` unknown-version (len ${length}) `;
      break;
    case MLD6_LISTENER_REPORT:
    case MLD6_LISTENER_DONE:
      mld6Print(ctx, dp);
      break;
    case ND_ROUTER_SOLICIT:
      if (v && !icmp6OptPrint(ctx, dp + 8, length - 8)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      break;
    case ND_ROUTER_ADVERT:
      if (v) {
        const f = ctx.u8(dp + 5);
        const s = `\n\thop limit ${ctx.u8(dp + 4)}, Flags [${raFlags(f)}], pref ${rtprefName(f)}, router lifetime ${ctx.u16(dp + 6)}s, reachable time ${ctx.u32(dp + 8)}ms, retrans timer ${ctx.u32(dp + 12)}ms`;
        ctx.s += s;
        if (!icmp6OptPrint(ctx, dp + 16, length - 16)) {
          ctx.s += ' [|icmp6]';
          return;
        }
      }
      break;
    case ND_NEIGHBOR_SOLICIT:
      ctx.s += `, who has ${ip6addrString(ctx, dp + 8)}`;
      if (v && !icmp6OptPrint(ctx, dp + 24, length - 24)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      break;
    case ND_NEIGHBOR_ADVERT:
      ctx.s += `, tgt is ${ip6addrString(ctx, dp + 8)}`;
      if (v) {
        ctx.s += `, Flags [${naFlags(ctx.u32(dp + 4))}]`;
        if (!icmp6OptPrint(ctx, dp + 24, length - 24)) {
          ctx.s += ' [|icmp6]';
          return;
        }
      }
      break;
    case ND_REDIRECT:
      ctx.s += `, ${ip6addrString(ctx, dp + 24)}`;
      ctx.s += ` to ${ip6addrString(ctx, dp + 8)}`;
      if (v && !icmp6OptPrint(ctx, dp + 40, length - 40)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      break;
    case ICMP6_ROUTER_RENUMBERING:
      icmp6RrenumPrint(ctx, dp, ep);
      break;
    case ICMP6_NI_QUERY:
    case ICMP6_NI_REPLY:
      icmp6NodeinfoPrint(ctx, length, dp, ep);
      break;
    case IND_SOLICIT:
    case IND_ADVERT:
      break;
    case MLDV2_LISTENER_REPORT:
      mldv2ReportPrint(ctx, dp, length);
      break;
    case ICMP6_MOBILEPREFIX_SOLICIT:
    case ICMP6_HADISCOV_REQUEST:
      ctx.s += `, id 0x${hex4(ctx.u16(dp + 4))}`;
      break;
    case ICMP6_HADISCOV_REPLY:
      if (v) {
        ctx.s += `, id 0x${hex4(ctx.u16(dp + 4))}`;
        const end = dp + length;
        for (let p = dp + 8; p < end; p += 16) ctx.s += `, ${ip6addrString(ctx, p)}`;
      }
      break;
    case ICMP6_MOBILEPREFIX_ADVERT:
      if (v) {
        ctx.s += `, id 0x${hex4(ctx.u16(dp + 4))}`;
        const flags = ctx.u16(dp + 6);
        if (flags & 0xc000) ctx.s += ' ';
        if (flags & 0x8000) ctx.s += 'M';
        if (flags & 0x4000) ctx.s += 'O';
        if (!icmp6OptPrint(ctx, dp + 8, length - 8)) {
          ctx.s += ' [|icmp6]';
          return;
        }
      }
      break;
    case ND_RPL_MESSAGE:
      rplPrint(ctx, code, dp + 4, (length - 4) >>> 0);
      break;
    default:
      ctx.s += `, length ${length}`;
      if (v <= 1) printUnknownData(ctx, dp, '\n\t', length);
      return;
  }
  if (!v) ctx.s += `, length ${length}`;
}
