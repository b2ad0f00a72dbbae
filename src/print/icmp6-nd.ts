// Neighbor Discovery options (RFC 4861 §4.6; route info RFC 4191; RDNSS/DNSSL RFC 8106; mobile IPv6
// RFC 6275 §7) as tcpdump 4.99.3's icmp6_opt_print shows them at -v:
// `\n\t  source link-address option (1), length 8 (1): 0a:00:...` (+ a hex dump at -vv).
import type { PrintContext } from './context.js';
import { fqdnPrint, NONE } from './dns-name.js';
import { hex2, ip6addrString } from './ip-names.js';
import { printUnknownData } from './unknown-data.js';

const ND_OPT_SOURCE_LINKADDR = 1;
const ND_OPT_TARGET_LINKADDR = 2;
const ND_OPT_PREFIX_INFORMATION = 3;
const ND_OPT_REDIRECTED_HEADER = 4;
const ND_OPT_MTU = 5;
const ND_OPT_ADVINTERVAL = 7;
const ND_OPT_HOMEAGENT_INFO = 8;
const ND_OPT_ROUTE_INFO = 24;
const ND_OPT_RDNSS = 25;
const ND_OPT_DNSSL = 31;

/** tok2str(icmp6_opt_values, "unknown", type). */
function optName(type: number): string {
  switch (type) {
    case ND_OPT_SOURCE_LINKADDR:
      return 'source link-address';
    case ND_OPT_TARGET_LINKADDR:
      return 'destination link-address';
    case ND_OPT_PREFIX_INFORMATION:
      return 'prefix info';
    case ND_OPT_REDIRECTED_HEADER:
      return 'redirected header';
    case ND_OPT_MTU:
      return 'mtu';
    case ND_OPT_RDNSS:
      return 'rdnss';
    case ND_OPT_DNSSL:
      return 'dnssl';
    case ND_OPT_ADVINTERVAL:
      return 'advertisement interval';
    case ND_OPT_HOMEAGENT_INFO:
      return 'homeagent information';
    case ND_OPT_ROUTE_INFO:
      return 'route info';
    default:
      return 'unknown';
  }
}

/** get_rtpref: the 2-bit router preference at bits 3-4 of v. */
export function rtprefName(v: number): string {
  switch ((v & 0x18) >> 3) {
    case 0:
      return 'medium';
    case 1:
      return 'high';
    case 2:
      return 'rsv';
    default:
      return 'low';
  }
}

/** get_lifetime: `infinity` for all ones, else `Ns`. */
export function lifetimeText(v: number): string {
  return v === 0xffffffff ? 'infinity' : `${v}s`;
}

/** bittok2str(icmp6_opt_pi_flag_values, "none", flags). */
function prefixFlags(f: number): string {
  let s = '';
  if (f & 0x80) s = 'onlink';
  if (f & 0x40) s += s === '' ? 'auto' : ', auto';
  if (f & 0x20) s += s === '' ? 'router' : ', router';
  return s === '' ? 'none' : s;
}

/** print_lladdr: colon-separated hex of l bytes. */
function lladdr(ctx: PrintContext, p: number, l: number): string {
  let s = '';
  for (let q = p; q < p + l; q++) {
    if (q > p) s += ':';
    s += hex2(ctx.u8(q));
  }
  return s;
}

/** The IPv6 prefix of a route info option: the first n bytes at p, the rest zero. */
function partialIp6(ctx: PrintContext, p: number, n: number): string {
  ctx.check(p, n);
  // Format through a scratch copy so that ip6addrString can read all 16 bytes.
  const saveBuf = ctx.buf;
  const saveStart = ctx.start;
  const saveEnd = ctx.snapend;
  scratch.fill(0);
  for (let i = 0; i < n; i++) scratch[i] = saveBuf[p + i]!;
  ctx.buf = scratch;
  ctx.start = 0;
  ctx.snapend = 16;
  try {
    return ip6addrString(ctx, 0);
  } finally {
    ctx.buf = saveBuf;
    ctx.start = saveStart;
    ctx.snapend = saveEnd;
  }
}
const scratch = new Uint8Array(16);

/**
 * icmp6_opt_print: the options from bp, `resid` bytes of the message left. Returns false when an
 * option has length 0 or runs past the capture (the caller prints ` [|icmp6]`).
 */
export function icmp6OptPrint(ctx: PrintContext, bp: number, resid: number): boolean {
  let cp = bp;
  const v = ctx.opts.vflag;
  while (cp < ctx.snapend) {
    if (!ctx.has(cp + 1, 1)) return false;
    if (resid <= 0) return true;
    const optType = ctx.buf[cp]!;
    const optLen = ctx.buf[cp + 1]!;
    if (optLen === 0) return false;
    const bytes = optLen << 3;
    if (cp + bytes > ctx.snapend) return false;
    ctx.s += `\n\t  ${optName(optType)} option (${optType}), length ${bytes} (${optLen}): `;
    switch (optType) {
      case ND_OPT_SOURCE_LINKADDR:
      case ND_OPT_TARGET_LINKADDR:
        ctx.s += lladdr(ctx, cp + 2, bytes - 2);
        break;
      case ND_OPT_PREFIX_INFORMATION: {
        const s = `${ip6addrString(ctx, cp + 16)}/${ctx.u8(cp + 2)}${optLen !== 4 ? 'badlen' : ''}, Flags [${prefixFlags(ctx.u8(cp + 3))}], valid time ${lifetimeText(ctx.u32(cp + 4))}`;
        ctx.s += s;
        ctx.s += `, pref. time ${lifetimeText(ctx.u32(cp + 8))}`;
        break;
      }
      case ND_OPT_REDIRECTED_HEADER:
        // 4.99.3 dumps from the start of the options, not of this option.
        printUnknownData(ctx, bp, '\n\t    ', bytes);
        break;
      case ND_OPT_MTU:
        ctx.s += ` ${ctx.u32(cp + 4)}${optLen !== 1 ? 'bad option length' : ''}`;
        break;
      case ND_OPT_RDNSS: {
        const l = (optLen - 1) >> 1;
        ctx.s += ` lifetime ${ctx.u32(cp + 4)}s,`;
        for (let i = 0; i < l; i++) ctx.s += ` addr: ${ip6addrString(ctx, cp + 8 + 16 * i)}`;
        break;
      }
      case ND_OPT_DNSSL: {
        ctx.s += ` lifetime ${ctx.u32(cp + 4)}s, domain(s):`;
        let domp = cp + 8;
        while (domp < cp + bytes && ctx.u8(domp) !== 0) {
          ctx.s += ' ';
          domp = fqdnPrint(ctx, domp, bp);
          if (domp === NONE) return false;
        }
        break;
      }
      case ND_OPT_ADVINTERVAL:
        ctx.s += ` ${ctx.u32(cp + 4)}ms`;
        break;
      case ND_OPT_HOMEAGENT_INFO: {
        const s = ` preference ${ctx.u16(cp + 4)}, lifetime ${ctx.u16(cp + 6)}`;
        ctx.s += s;
        break;
      }
      case ND_OPT_ROUTE_INFO: {
        ctx.check(cp + 4, 4);
        let prefix: string;
        switch (optLen) {
          case 1:
            prefix = '::';
            break;
          case 2:
            prefix = partialIp6(ctx, cp + 8, 8);
            break;
          case 3:
            prefix = partialIp6(ctx, cp + 8, 16);
            break;
          default:
            return false;
        }
        ctx.s += ` ${prefix}/${ctx.u8(cp + 2)}`;
        ctx.s += `, pref=${rtprefName(ctx.u8(cp + 3))}`;
        ctx.s += `, lifetime=${lifetimeText(ctx.u32(cp + 4))}`;
        break;
      }
      default:
        if (v <= 1) {
          printUnknownData(ctx, cp + 2, '\n\t  ', bytes - 2);
          return true;
        }
        break;
    }
    if (v > 1) printUnknownData(ctx, cp + 2, '\n\t    ', bytes - 2);
    cp += bytes;
    resid -= bytes;
  }
  return true;
}
