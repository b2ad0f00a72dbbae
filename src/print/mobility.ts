// Mobile IPv6 Mobility Header printer (RFC 6275 §6.1), byte-exact with tcpdump 4.99.3's
// print-mobility.c: `mobility: BU seq#=1 AH lifetime=400(refresh: 8)`.
import type { PrintContext } from './context.js';
import { hex2, hex4, ip6addrString } from './ip-names.js';

const IP6M_MINLEN = 8;
const IP6M_NAMES = ['BRR', 'HoTI', 'CoTI', 'HoT', 'CoT', 'BU', 'BA', 'BE'];
/** Minimum header length per message type (ip6m_hdrlen). */
const IP6M_HDRLEN = [8, 16, 16, 24, 24, 12, 12, 24];

function hex8(v: number): string {
  return v.toString(16).padStart(8, '0');
}

/** mobility_opt_print: false when an option runs past `len` or the capture. */
function mobilityOptPrint(ctx: PrintContext, bp: number, len: number): boolean {
  let optlen: number;
  for (let i = 0; i < len; i += optlen) {
    const t = ctx.u8(bp + i);
    if (t === 0) optlen = 1;
    else if (i + 1 < len) optlen = ctx.u8(bp + i + 1) + 2;
    else return false;
    if (i + optlen > len) return false;
    if (!ctx.has(bp + i + optlen, 1)) return false;
    switch (t) {
      case 0:
        ctx.s += '(pad1)';
        break;
      case 1:
        if (len - i < 2) {
          ctx.s += '(padn: trunc)';
          return false;
        }
        ctx.s += '(padn)';
        break;
      case 2:
        if (len - i < 4) {
          ctx.s += '(refresh: trunc)';
          return false;
        }
        ctx.s += `(refresh: ${ctx.u16(bp + i + 2) << 2})`;
        break;
      case 3:
        if (len - i < 18) {
          ctx.s += '(altcoa: trunc)';
          return false;
        }
        ctx.s += `(alt-CoA: ${ip6addrString(ctx, bp + i + 2)})`;
        break;
      case 4:
        if (len - i < 6) {
          ctx.s += '(ni: trunc)';
          return false;
        }
        ctx.s += `(ni: ho=0x${hex4(ctx.u16(bp + i + 2))} co=0x${hex4(ctx.u16(bp + i + 4))})`;
        break;
      case 5:
        if (len - i < 12) {
          ctx.s += '(auth: trunc)';
          return false;
        }
        ctx.s += '(auth)';
        break;
      default:
        if (len - i < 2) {
          ctx.s += `(sopt_type ${t}: trunc)`;
          return false;
        }
        ctx.s += `(type-0x${hex2(t)}: len=${ctx.u8(bp + i + 1)})`;
        break;
    }
  }
  return true;
}

/** mobility_print: the mobility header at bp; returns its length or -1 after ` [|mobility]`. */
export function mobilityPrint(ctx: PrintContext, bp: number, ip6: number): number {
  void ip6;
  ctx.protocol = 'mobility';
  if (!ctx.has(bp + 1, 1)) {
    ctx.s += ' [|mobility]';
    return -1;
  }
  const mhlen = (ctx.buf[bp + 1]! + 1) << 3;
  const type = ctx.u8(bp + 2);
  if (type <= 7 && mhlen < IP6M_HDRLEN[type]!) {
    ctx.s += `(header length ${mhlen} is too small for type ${type}) [|mobility]`;
    return -1;
  }
  ctx.s += `mobility: ${IP6M_NAMES[type] ?? `type-#${type}`}`;
  const v = ctx.opts.vflag;
  let hlen = IP6M_MINLEN;
  switch (type) {
    case 0:
      break;
    case 1:
    case 2:
      if (v) {
        ctx.s += ` ${type === 1 ? 'Home' : 'Care-of'} Init Cookie=${hex8(ctx.u32(bp + hlen))}:${hex8(ctx.u32(bp + hlen + 4))}`;
      }
      hlen += 8;
      break;
    case 3:
    case 4: {
      ctx.s += ` nonce id=0x${ctx.u16(bp + 6).toString(16)}`;
      const who = type === 3 ? 'Home' : 'Care-of';
      if (v) ctx.s += ` ${who} Init Cookie=${hex8(ctx.u32(bp + hlen))}:${hex8(ctx.u32(bp + hlen + 4))}`;
      hlen += 8;
      if (v) ctx.s += ` ${who} Keygen Token=${hex8(ctx.u32(bp + hlen))}:${hex8(ctx.u32(bp + hlen + 4))}`;
      hlen += 8;
      break;
    }
    case 5: {
      ctx.s += ` seq#=${ctx.u16(bp + 6)}`;
      if (!ctx.has(bp + hlen, 2)) {
        ctx.s += ' [|mobility]';
        return -1;
      }
      const bits = (ctx.buf[bp + hlen]! & 0xf0) >> 4;
      if (bits) {
        let s = ' ';
        if (bits & 8) s += 'A';
        if (bits & 4) s += 'H';
        if (bits & 2) s += 'L';
        if (bits & 1) s += 'K';
        ctx.s += s;
      }
      hlen += 2;
      ctx.s += ` lifetime=${ctx.u16(bp + hlen) << 2}`;
      hlen += 2;
      break;
    }
    case 6:
      ctx.s += ` status=${ctx.u8(bp + 6)}`;
      if (ctx.u8(bp + 7) & 0x80) ctx.s += ' K';
      ctx.s += ` seq#=${ctx.u16(bp + hlen)}`;
      hlen += 2;
      ctx.s += ` lifetime=${ctx.u16(bp + hlen) << 2}`;
      hlen += 2;
      break;
    case 7:
      ctx.s += ` status=${ctx.u8(bp + 6)}`;
      ctx.s += ` homeaddr ${ip6addrString(ctx, bp + hlen)}`;
      hlen += 16;
      break;
    default:
      ctx.s += ` len=${ctx.u8(bp + 1)}`;
      return mhlen;
  }
  if (v && !mobilityOptPrint(ctx, bp + hlen, mhlen - hlen)) {
    ctx.s += ' [|mobility]';
    return -1;
  }
  return mhlen;
}
