// IPv6 Hop-by-Hop and Destination Options printers (RFC 8200 §4.3, §4.6; jumbo RFC 2675; router
// alert RFC 2711; home address RFC 6275), byte-exact with tcpdump 4.99.3's print-ip6opts.c:
// `HBH (rtalert: 0x0000) (padn) `, `DSTOPT `, `(jumbo: 65536) `, ` [|hbhopt]`.
import type { PrintContext } from './context.js';
import { hex2, hex4, ip6addrString } from './ip-names.js';

const IP6OPT_PAD1 = 0x00;
const IP6OPT_PADN = 0x01;
const IP6OPT_JUMBO = 0xc2;
const IP6OPT_JUMBO_LEN = 6;
const IP6OPT_ROUTER_ALERT = 0x05;
const IP6OPT_RTALERT_LEN = 4;
const IP6OPT_HOME_ADDRESS = 0xc9;
const IP6OPT_HOMEADDR_MINLEN = 18;
const IP6OPT_MINLEN = 2;

/**
 * What the Hop-by-Hop walk learnt about the Jumbo Payload option (tcpdump's found_jumbo and
 * payload_len in/out parameters). One instance per run, reset by ip6Print for each packet.
 */
export class JumboState {
  /** A valid Jumbo Payload option was found (hop-by-hop, payload length 0, value >= 65536). */
  found = false;
  /** The IPv6 payload length, replaced by the jumbo length when a valid option is found. */
  payloadLen = 0;
}

/** ip6_sopt_print: the sub-options of a home address option; false when they run past `len`. */
function ip6SoptPrint(ctx: PrintContext, bp: number, len: number): boolean {
  let optlen: number;
  for (let i = 0; i < len; i += optlen) {
    const t = ctx.u8(bp + i);
    if (t === IP6OPT_PAD1) optlen = 1;
    else if (i + 1 < len) optlen = ctx.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    switch (t) {
      case IP6OPT_PAD1:
        ctx.s += ', pad1';
        break;
      case IP6OPT_PADN:
        if (len - i < IP6OPT_MINLEN) {
          ctx.s += ', padn: trunc';
          return false;
        }
        ctx.s += ', padn';
        break;
      default:
        if (len - i < IP6OPT_MINLEN) {
          ctx.s += `, sopt_type ${t}: trunc)`;
          return false;
        }
        ctx.s += `, sopt_type 0x${hex2(t)}: len=${ctx.u8(bp + i + 1)}`;
        break;
    }
  }
  return true;
}

/**
 * ip6_opt_process: the TLV options of `len` bytes at bp. `jumbo` is null for destination options
 * (a jumbo option there is reported as not hop-by-hop). Returns false when an option is cut short
 * or malformed (the caller prints ` [|hbhopt]`/` [|dstopt]`).
 */
function ip6OptProcess(ctx: PrintContext, bp: number, len: number, jumbo: JumboState | null): boolean {
  if (len === 0) return true;
  const v = ctx.opts.vflag;
  let optlen = 0;
  let seenJumbo = false;
  for (let i = 0; i < len; i += optlen) {
    const t = ctx.u8(bp + i);
    if (t === IP6OPT_PAD1) optlen = 1;
    else if (i + 1 < len) optlen = ctx.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    switch (t) {
      case IP6OPT_PAD1:
        if (v) ctx.s += '(pad1)';
        break;
      case IP6OPT_PADN:
        if (len - i < IP6OPT_MINLEN) {
          ctx.s += '(padn: trunc)';
          return false;
        }
        if (v) ctx.s += '(padn)';
        break;
      case IP6OPT_ROUTER_ALERT: {
        if (len - i < IP6OPT_RTALERT_LEN) {
          ctx.s += '(rtalert: trunc)';
          return false;
        }
        const l = ctx.u8(bp + i + 1);
        if (l !== IP6OPT_RTALERT_LEN - 2) {
          ctx.s += `(rtalert: invalid len ${l})`;
          return false;
        }
        if (v) ctx.s += `(rtalert: 0x${hex4(ctx.u16(bp + i + 2))}) `;
        break;
      }
      case IP6OPT_JUMBO: {
        if (len - i < IP6OPT_JUMBO_LEN) {
          ctx.s += '(jumbo: trunc)';
          return false;
        }
        const l = ctx.u8(bp + i + 1);
        if (l !== IP6OPT_JUMBO_LEN - 2) {
          ctx.s += `(jumbo: invalid len ${l})`;
          return false;
        }
        const jumbolen = ctx.u32(bp + i + 2);
        if (seenJumbo) {
          if (v) ctx.s += `(jumbo: ${jumbolen} - already seen) `;
        } else {
          seenJumbo = true;
          if (jumbo === null) {
            if (v) ctx.s += `(jumbo: ${jumbolen} - not a hop-by-hop option) `;
          } else if (jumbo.payloadLen !== 0) {
            if (v) ctx.s += `(jumbo: ${jumbolen} - payload len != 0) `;
          } else if (jumbolen < 65536) {
            if (v) ctx.s += `(jumbo: ${jumbolen} - < 65536) `;
          } else {
            jumbo.found = true;
            jumbo.payloadLen = jumbolen;
            if (v) ctx.s += `(jumbo: ${jumbolen}) `;
          }
        }
        break;
      }
      case IP6OPT_HOME_ADDRESS: {
        if (len - i < IP6OPT_HOMEADDR_MINLEN) {
          ctx.s += '(homeaddr: trunc)';
          return false;
        }
        const l = ctx.u8(bp + i + 1);
        if (l < IP6OPT_HOMEADDR_MINLEN - 2) {
          ctx.s += `(homeaddr: invalid len ${l})`;
          return false;
        }
        if (v) {
          ctx.s += `(homeaddr: ${ip6addrString(ctx, bp + i + 2)}`;
          if (l > IP6OPT_HOMEADDR_MINLEN - 2) {
            if (!ip6SoptPrint(ctx, bp + i + IP6OPT_HOMEADDR_MINLEN, optlen - IP6OPT_HOMEADDR_MINLEN)) {
              return false;
            }
          }
          ctx.s += ')';
        }
        break;
      }
      default:
        if (len - i < IP6OPT_MINLEN) {
          ctx.s += `(type ${t}: trunc)`;
          return false;
        }
        if (v) ctx.s += `(opt_type 0x${hex2(t)}: len=${ctx.u8(bp + i + 1)})`;
        break;
    }
  }
  if (v) ctx.s += ' ';
  return true;
}

/**
 * hbhopt_process: the Hop-by-Hop Options header at bp. Returns its length, or -1 after printing
 * ` [|hbhopt]` when it is not all captured or an option is malformed.
 */
export function hbhoptProcess(ctx: PrintContext, bp: number, jumbo: JumboState): number {
  ctx.protocol = 'hbhopt';
  const hbhlen = (ctx.u8(bp + 1) + 1) << 3;
  if (ctx.has(bp, hbhlen)) {
    ctx.s += 'HBH ';
    if (ip6OptProcess(ctx, bp + 2, hbhlen - 2, jumbo)) return hbhlen;
  }
  ctx.s += ' [|hbhopt]';
  return -1;
}

/** dstopt_process: the Destination Options header at bp (options shown at -v); -1 as above. */
export function dstoptProcess(ctx: PrintContext, bp: number): number {
  ctx.protocol = 'dstopt';
  const dstoptlen = (ctx.u8(bp + 1) + 1) << 3;
  if (ctx.has(bp, dstoptlen)) {
    ctx.s += 'DSTOPT ';
    if (!ctx.opts.vflag || ip6OptProcess(ctx, bp + 2, dstoptlen - 2, null)) return dstoptlen;
  }
  ctx.s += ' [|dstopt]';
  return -1;
}
