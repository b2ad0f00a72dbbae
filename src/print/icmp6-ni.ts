// ICMPv6 Node Information queries and replies (RFC 4620) and Router Renumbering (RFC 2894), as
// tcpdump 4.99.3 prints them: ` node information query (node addresses [A], subject=fe80::1)`,
// `, command, seq=0[S,seg=0,maxdelay=0] match(add,ord=0,min=0,max=128,fec0::/48) use(...)`.
import type { PrintContext } from './context.js';
import { fnPrintChar, ip6addrString, ipaddrString } from './ip-names.js';

const ICMP6_NI_QUERY = 139;
const ICMP6_NI_REPLY = 140;
const NI_HDR_LEN = 16;

/** dnsname_print: an uncompressed DNS name from cp to ep, quoted. */
function dnsnamePrint(ctx: PrintContext, cp: number, ep: number): void {
  ctx.s += ', "';
  while (cp < ep) {
    let i = ctx.u8(cp);
    cp++;
    if (i) {
      if (i > ep - cp) {
        ctx.s += '???';
        break;
      }
      while (i-- && cp < ep) {
        ctx.s += fnPrintChar(ctx.u8(cp));
        cp++;
      }
      if (cp + 1 < ep && ctx.u8(cp)) ctx.s += '.';
    } else {
      if (cp === ep) ctx.s += '.';
      else if (cp + 1 === ep && ctx.u8(cp) === 0) {
        // truncated
      } else ctx.s += '???';
      break;
    }
  }
  ctx.s += '"';
}

/** The name of an icmp-name-lookup-03 (Pascal string) or a DNS name, from cp to ep. */
function niName(ctx: PrintContext, cp: number, ep: number): void {
  if (ctx.u8(cp) === ep - cp - 1) {
    if (ctx.opts.vflag) ctx.s += ', 03 draft';
    cp++;
    ctx.s += ', "';
    while (cp < ep) {
      ctx.s += fnPrintChar(ctx.u8(cp));
      cp++;
    }
    ctx.s += '"';
  } else dnsnamePrint(ctx, cp, ep);
}

function nodeaddrFlags(i: number, withTruncate: boolean): string {
  let s = ' [';
  if (i & 0x0040) s += 'a';
  if (i & 0x0020) s += 'G';
  if (i & 0x0010) s += 'S';
  if (i & 0x0008) s += 'L';
  if (i & 0x0004) s += 'C';
  if (i & 0x0002) s += 'A';
  if (withTruncate && i & 0x0001) s += 'T';
  return `${s}]`;
}

/** icmp6_nodeinfo_print: the message at bp, `icmp6len` bytes on the wire, captured up to ep. */
export function icmp6NodeinfoPrint(ctx: PrintContext, icmp6len: number, bp: number, ep: number): void {
  if (ep < bp) return;
  const siz = ep - bp;
  const v = ctx.opts.vflag;
  switch (ctx.u8(bp)) {
    case ICMP6_NI_QUERY: {
      if (siz === 8 + 4) {
        ctx.s += ' who-are-you request';
        break;
      }
      ctx.s += ' node information query';
      if (!ctx.has(bp, NI_HDR_LEN)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      ctx.s += ' (';
      const qtype = ctx.u16(bp + 4);
      switch (qtype) {
        case 0:
          ctx.s += 'noop';
          break;
        case 1: {
          ctx.s += 'supported qtypes';
          const i = ctx.u16(bp + 6);
          if (i) ctx.s += ` [${i & 0x01 ? 'C' : ''}]`;
          break;
        }
        case 2:
          ctx.s += 'DNS name';
          break;
        case 3: {
          ctx.s += 'node addresses';
          const i = ctx.u16(bp + 6);
          if (i) ctx.s += nodeaddrFlags(i, false);
          break;
        }
        default:
          ctx.s += 'unknown';
          break;
      }
      if (qtype === 0 || qtype === 1) {
        if (siz !== NI_HDR_LEN && v) ctx.s += ', invalid len';
        ctx.s += ')';
        break;
      }
      if (siz === NI_HDR_LEN) {
        ctx.s += ', 03 draft)';
        break;
      }
      const cp = bp + NI_HDR_LEN;
      switch (ctx.u8(bp + 1)) {
        case 0:
          if (!ctx.has(bp, NI_HDR_LEN + 16)) break;
          if (siz !== NI_HDR_LEN + 16) {
            if (v) ctx.s += ', invalid subject len';
            break;
          }
          ctx.s += `, subject=${ip6addrString(ctx, cp)}`;
          break;
        case 1:
          ctx.s += ', subject=DNS name';
          niName(ctx, cp, ep);
          break;
        case 2:
          if (!ctx.has(bp, NI_HDR_LEN + 4)) break;
          if (siz !== NI_HDR_LEN + 4) {
            if (v) ctx.s += ', invalid subject len';
            break;
          }
          ctx.s += `, subject=${ipaddrString(ctx, cp)}`;
          break;
        default:
          ctx.s += ', unknown subject';
          break;
      }
      ctx.s += ')';
      break;
    }
    case ICMP6_NI_REPLY: {
      if (icmp6len > siz || !ctx.has(bp, NI_HDR_LEN)) {
        ctx.s += ' [|icmp6]';
        return;
      }
      let needcomma = false;
      ctx.s += ' node information reply (';
      const code = ctx.u8(bp + 1);
      switch (code) {
        case 0:
          if (v) {
            ctx.s += 'success';
            needcomma = true;
          }
          break;
        case 1:
          ctx.s += 'refused';
          needcomma = true;
          if (siz !== NI_HDR_LEN && v) ctx.s += ', invalid length';
          break;
        case 2:
          ctx.s += 'unknown';
          needcomma = true;
          if (siz !== NI_HDR_LEN && v) ctx.s += ', invalid length';
          break;
      }
      if (code !== 0) {
        ctx.s += ')';
        break;
      }
      const comma = needcomma ? ', ' : '';
      switch (ctx.u16(bp + 4)) {
        case 0:
          ctx.s += `${comma}noop`;
          if (siz !== NI_HDR_LEN && v) ctx.s += ', invalid length';
          break;
        case 1: {
          ctx.s += `${comma}supported qtypes`;
          const i = ctx.u16(bp + 6);
          if (i) ctx.s += ` [${i & 0x01 ? 'C' : ''}]`;
          break;
        }
        case 2:
          ctx.s += `${comma}DNS name`;
          niName(ctx, bp + NI_HDR_LEN + 4, ep);
          if ((ctx.u16(bp + 6) & 0x01) !== 0) ctx.s += ` [TTL=${ctx.u32(bp + NI_HDR_LEN)}]`;
          break;
        case 3: {
          ctx.s += `${comma}node addresses`;
          let i = NI_HDR_LEN;
          while (i < siz) {
            if (i + 4 + 16 > siz) break;
            ctx.s += ` ${ip6addrString(ctx, bp + i + 4)}(${ctx.u32(bp + i)})`;
            i += 20;
          }
          const f = ctx.u16(bp + 6);
          if (f) ctx.s += nodeaddrFlags(f, true);
          break;
        }
        default:
          ctx.s += `${comma}unknown`;
          break;
      }
      ctx.s += ')';
      break;
    }
  }
}

/** addrtostr6 of 16 captured bytes at p (the same text as ip6addrString). */
function rrPrefix(ctx: PrintContext, p: number): string {
  return ip6addrString(ctx, p);
}

/** icmp6_rrenum_print: the router renumbering message at bp. */
export function icmp6RrenumPrint(ctx: PrintContext, bp: number, ep: number): void {
  if (ep < bp) return;
  const v = ctx.opts.vflag;
  if (!ctx.has(bp + 12, 4)) {
    ctx.s += ' [|icmp6]';
    return;
  }
  const code = ctx.u8(bp + 1);
  switch (code) {
    case 0:
      ctx.s += ', command';
      break;
    case 1:
      ctx.s += ', result';
      break;
    case 255:
      ctx.s += ', sequence number reset';
      break;
    default:
      ctx.s += `, code-#${code}`;
      break;
  }
  ctx.s += `, seq=${ctx.u32(bp + 4)}`;
  if (v) {
    const f = ctx.u8(bp + 9);
    ctx.s += '[';
    if (f) {
      ctx.s += `${f & 0x80 ? 'T' : ''}${f & 0x40 ? 'R' : ''}${f & 0x20 ? 'A' : ''}${f & 0x10 ? 'S' : ''}${f & 0x08 ? 'P' : ''},`;
    }
    ctx.s += `seg=${ctx.u8(bp + 8)},`;
    ctx.s += `maxdelay=${ctx.u16(bp + 10)}`;
    const rsvd = ctx.u32(bp + 12);
    if (rsvd) ctx.s += `rsvd=0x${rsvd.toString(16)}`;
    ctx.s += ']';
  }
  if (code !== 0) return;
  // Match-Prefix part (24 bytes) then Use-Prefix parts (32 bytes each).
  const match = bp + 16;
  let cp = match + 24;
  if (!ctx.has(match + 8, 16)) {
    ctx.s += ' [|icmp6]';
    return;
  }
  ctx.s += v > 1 ? '\n\t' : ' ';
  ctx.s += 'match(';
  const mcode = ctx.u8(match);
  switch (mcode) {
    case 1:
      ctx.s += 'add';
      break;
    case 2:
      ctx.s += 'change';
      break;
    case 3:
      ctx.s += 'setglobal';
      break;
    default:
      ctx.s += `#${mcode}`;
      break;
  }
  if (v) {
    ctx.s += `,ord=${ctx.u8(match + 2)}`;
    ctx.s += `,min=${ctx.u8(match + 4)}`;
    ctx.s += `,max=${ctx.u8(match + 5)}`;
  }
  ctx.s += `,${rrPrefix(ctx, match + 8)}/${ctx.u8(match + 3)})`;
  let n = ctx.u8(match + 1) - 3;
  if (n % 4) {
    ctx.s += ' [|icmp6]';
    return;
  }
  n /= 4;
  while (n-- > 0) {
    const use = cp;
    cp = use + 32;
    if (!ctx.has(use + 16, 16)) {
      ctx.s += ' [|icmp6]';
      return;
    }
    ctx.s += v > 1 ? '\n\t' : ' ';
    ctx.s += 'use(';
    const uf = ctx.u8(use + 12);
    if (uf) ctx.s += `${uf & 0x80 ? 'V' : ''}${uf & 0x40 ? 'P' : ''},`;
    if (v) {
      ctx.s += `mask=0x${ctx.u8(use + 2).toString(16)},`;
      ctx.s += `raflags=0x${ctx.u8(use + 3).toString(16)},`;
      const vl = ctx.u32(use + 4);
      ctx.s += vl === 0xffffffff ? 'vltime=infty,' : `vltime=${vl},`;
      const pl = ctx.u32(use + 8);
      ctx.s += pl === 0xffffffff ? 'pltime=infty,' : `pltime=${pl},`;
    }
    ctx.s += `${rrPrefix(ctx, use + 16)}/${ctx.u8(use)}/${ctx.u8(use + 1)})`;
  }
}
