// GRE printer (RFC 1701/2784/2890 version 0, RFC 2637 enhanced GRE version 1 for PPTP),
// byte-exact with tcpdump 4.99.3's gre_print, with the PPP payload of PPTP for IP and IPv6.
import { ethertypeName } from './arp-names.js';
import type { PrintContext } from './context.js';
import { etherPrint } from './ether.js';
import { ipPrint } from './ip.js';
import { hex, hex4 } from './ip-names.js';
import { ip6Print } from './ip6.js';
import { printUnknownData } from './unknown-data.js';

const GRE_CP = 0x8000;
const GRE_RP = 0x4000;
const GRE_KP = 0x2000;
const GRE_SP = 0x1000;
const GRE_sP = 0x0800;
const GRE_AP = 0x0080;

const GRE_FLAG_BITS = [GRE_CP, GRE_RP, GRE_KP, GRE_SP, GRE_sP, GRE_AP];
const GRE_FLAG_NAMES = [
  'checksum present',
  'routing present',
  'key present',
  'sequence# present',
  'source routing present',
  'ack present',
];

/** bittok2str(gre_flag_values, "none", flags). */
function greFlags(flags: number): string {
  let s = '';
  for (let i = 0; i < GRE_FLAG_BITS.length; i++) {
    if (flags & GRE_FLAG_BITS[i]!) s += s === '' ? GRE_FLAG_NAMES[i] : `, ${GRE_FLAG_NAMES[i]}`;
  }
  return s === '' ? 'none' : s;
}

/** gre_print: the GRE packet at off, `length` bytes on the wire. */
export function grePrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'gre';
  if (!ctx.has(off, 2) || length < 2) {
    ctx.s += ' [|gre]';
    return;
  }
  const vers = ctx.u16(off) & 7;
  ctx.s += `GREv${vers}`;
  if (vers === 0) gre0(ctx, off, length);
  else if (vers === 1) gre1(ctx, off, length);
  else ctx.s += ' ERROR: unknown-version';
}

function trunc(ctx: PrintContext): void {
  ctx.s += ' [|gre]';
}

function gre0(ctx: PrintContext, bp: number, length: number): void {
  let len = length;
  const flags = ctx.u16(bp);
  if (ctx.opts.vflag) ctx.s += `, Flags [${greFlags(flags)}]`;
  len -= 2;
  bp += 2;
  if (!ctx.has(bp, 2) || len < 2) {
    trunc(ctx);
    return;
  }
  const prot = ctx.u16(bp);
  len -= 2;
  bp += 2;
  if (flags & GRE_CP || flags & GRE_RP) {
    if (!ctx.has(bp, 2) || len < 2) {
      trunc(ctx);
      return;
    }
    if (ctx.opts.vflag) ctx.s += `, sum 0x${hex(ctx.u16(bp))}`;
    bp += 2;
    len -= 2;
    if (!ctx.has(bp, 2) || len < 2) {
      trunc(ctx);
      return;
    }
    ctx.s += `, off 0x${hex(ctx.u16(bp))}`;
    bp += 2;
    len -= 2;
  }
  if (flags & GRE_KP) {
    if (!ctx.has(bp, 4) || len < 4) {
      trunc(ctx);
      return;
    }
    ctx.s += `, key=0x${hex(ctx.u32(bp))}`;
    bp += 4;
    len -= 4;
  }
  if (flags & GRE_SP) {
    if (!ctx.has(bp, 4) || len < 4) {
      trunc(ctx);
      return;
    }
    ctx.s += `, seq ${ctx.u32(bp)}`;
    bp += 4;
    len -= 4;
  }
  if (flags & GRE_RP) {
    for (;;) {
      if (!ctx.has(bp, 4) || len < 4) {
        trunc(ctx);
        return;
      }
      const af = ctx.u16(bp);
      const sreoff = ctx.u8(bp + 2);
      const srelen = ctx.u8(bp + 3);
      bp += 4;
      len -= 4;
      if (af === 0 && srelen === 0) break;
      if (!greSrePrint(ctx, af, sreoff, srelen, bp, len)) {
        trunc(ctx);
        return;
      }
      if (len < srelen) {
        trunc(ctx);
        return;
      }
      bp += srelen;
      len -= srelen;
    }
  }
  if (ctx.opts.eflag) ctx.s += `, proto ${ethertypeName(prot) ?? 'unknown'} (0x${hex4(prot)})`;
  ctx.s += `, length ${length}`;
  ctx.s += ctx.opts.vflag < 1 ? ': ' : '\n\t';
  switch (prot) {
    case 0x0800:
      ipPrint(ctx, bp, len);
      break;
    case 0x86dd:
      ip6Print(ctx, bp, len);
      break;
    case 0x6558: // transparent Ethernet bridging
      etherPrint(ctx, bp, len);
      break;
    default:
      ctx.s += `gre-proto-0x${hex(prot)}`;
  }
}

function gre1(ctx: PrintContext, bp: number, length: number): void {
  let len = length;
  const flags = ctx.u16(bp);
  len -= 2;
  bp += 2;
  if (ctx.opts.vflag) ctx.s += `, Flags [${greFlags(flags)}]`;
  if (!ctx.has(bp, 2) || len < 2) {
    trunc(ctx);
    return;
  }
  const prot = ctx.u16(bp);
  len -= 2;
  bp += 2;
  if (flags & GRE_KP) {
    if (!ctx.has(bp, 4) || len < 4) {
      trunc(ctx);
      return;
    }
    ctx.s += `, call ${ctx.u32(bp) & 0xffff}`;
    len -= 4;
    bp += 4;
  }
  if (flags & GRE_SP) {
    if (!ctx.has(bp, 4) || len < 4) {
      trunc(ctx);
      return;
    }
    ctx.s += `, seq ${ctx.u32(bp)}`;
    bp += 4;
    len -= 4;
  }
  if (flags & GRE_AP) {
    if (!ctx.has(bp, 4) || len < 4) {
      trunc(ctx);
      return;
    }
    ctx.s += `, ack ${ctx.u32(bp)}`;
    bp += 4;
    len -= 4;
  }
  if ((flags & GRE_SP) === 0) ctx.s += ', no-payload';
  if (ctx.opts.eflag) ctx.s += `, proto ${ethertypeName(prot) ?? 'unknown'} (0x${hex4(prot)})`;
  ctx.s += `, length ${length}`;
  if ((flags & GRE_SP) === 0) return;
  ctx.s += ctx.opts.vflag < 1 ? ': ' : '\n\t';
  if (prot === 0x880b) pppPrint(ctx, bp, len);
  else ctx.s += `gre-proto-0x${hex(prot)}`;
}

function greSrePrint(
  ctx: PrintContext,
  af: number,
  sreoff: number,
  srelen: number,
  bp: number,
  len: number,
): boolean {
  if (af === 0x0800) {
    ctx.s += ', (rtaf=ip';
    const ok = greSreIp(ctx, sreoff, srelen, bp, len);
    ctx.s += ')';
    return ok;
  }
  if (af === 0xfffe) {
    ctx.s += ', (rtaf=asn';
    const ok = greSreAsn(ctx, sreoff, srelen, bp, len);
    ctx.s += ')';
    return ok;
  }
  ctx.s += `, (rtaf=0x${hex(af)})`;
  return true;
}

function greSreIp(ctx: PrintContext, sreoff: number, srelen: number, bp: number, len: number): boolean {
  const up = bp;
  if (sreoff & 3) {
    ctx.s += `, badoffset=${sreoff}`;
    return true;
  }
  if (srelen & 3) {
    ctx.s += `, badlength=${srelen}`;
    return true;
  }
  if (sreoff >= srelen) {
    ctx.s += `, badoff/len=${sreoff}/${srelen}`;
    return true;
  }
  const b = ctx.buf;
  while (srelen !== 0) {
    if (!ctx.has(bp, 4) || len < 4) return false;
    ctx.s += ` ${bp - up === sreoff ? '*' : ''}${b[bp]}.${b[bp + 1]}.${b[bp + 2]}.${b[bp + 3]}`;
    bp += 4;
    len -= 4;
    srelen -= 4;
  }
  return true;
}

function greSreAsn(ctx: PrintContext, sreoff: number, srelen: number, bp: number, len: number): boolean {
  const up = bp;
  if (sreoff & 1) {
    ctx.s += `, badoffset=${sreoff}`;
    return true;
  }
  if (srelen & 1) {
    ctx.s += `, badlength=${srelen}`;
    return true;
  }
  if (sreoff >= srelen) {
    ctx.s += `, badoff/len=${sreoff}/${srelen}`;
    return true;
  }
  while (srelen !== 0) {
    if (!ctx.has(bp, 2) || len < 2) return false;
    ctx.s += ` ${bp - up === sreoff ? '*' : ''}${hex(ctx.u16(bp))}`;
    bp += 2;
    len -= 2;
    srelen -= 2;
  }
  return true;
}

/** tcpdump's ppptype2str. */
const PPP_TYPES = new Map<number, string>([
  [0x0021, 'IP'],
  [0x0023, 'OSI'],
  [0x0025, 'NS'],
  [0x0027, 'DECNET'],
  [0x0029, 'APPLE'],
  [0x002b, 'IPX'],
  [0x002d, 'VJC IP'],
  [0x002f, 'VJNC IP'],
  [0x0031, 'BRPDU'],
  [0x0033, 'STII'],
  [0x0035, 'VINES'],
  [0x0281, 'MPLS'],
  [0x0283, 'MPLS'],
  [0x00fd, 'Compressed'],
  [0x003d, 'MLPPP'],
  [0x0057, 'IP6'],
  [0x0201, 'HELLO'],
  [0x0231, 'LUXCOM'],
  [0x0233, 'SNS'],
  [0x8021, 'IPCP'],
  [0x8023, 'OSICP'],
  [0x8025, 'NSCP'],
  [0x8027, 'DECNETCP'],
  [0x8029, 'APPLECP'],
  [0x802b, 'IPXCP'],
  [0x8033, 'STIICP'],
  [0x8035, 'VINESCP'],
  [0x8057, 'IP6CP'],
  [0x8281, 'MPLSCP'],
  [0xc021, 'LCP'],
  [0xc023, 'PAP'],
  [0xc025, 'LQM'],
  [0xc223, 'CHAP'],
  [0xc227, 'EAP'],
  [0xc027, 'SPAP'],
  [0xc123, 'Old-SPAP'],
  [0xc02b, 'BACP'],
  [0xc02d, 'BAP'],
  [0xc03d, 'MLPPP-CP'],
  [0x80fd, 'CCP'],
]);

/** ppp_print for the PPP frames PPTP carries: IP and IPv6 decoded, the rest named only. */
function pppPrint(ctx: PrintContext, p: number, length: number): void {
  ctx.protocol = 'ppp';
  const olen = length;
  if (length < 2) {
    ctx.s += ' [|ppp]';
    return;
  }
  const hdr = ctx.u16(p);
  if (hdr === 0xff03 || hdr === 0x0003 || hdr === 0x0103) {
    if (ctx.opts.eflag && hdr === 0x0003) ctx.s += 'In  ';
    if (ctx.opts.eflag && hdr === 0x0103) ctx.s += 'Out ';
    p += 2;
    length -= 2;
  }
  if (length < 2) {
    ctx.s += ' [|ppp]';
    return;
  }
  let proto: number;
  if (ctx.u8(p) % 2) {
    proto = ctx.u8(p);
    p++;
    length--;
  } else {
    proto = ctx.u16(p);
    p += 2;
    length -= 2;
  }
  const name = PPP_TYPES.get(proto);
  if (ctx.opts.eflag) {
    ctx.s += `${name ?? 'unknown'} (0x${hex4(proto)}), length ${olen}`;
    if (name === undefined) return;
    ctx.s += ': ';
  }
  switch (proto) {
    case 0x0800:
    case 0x21:
    case 0x2f:
      ipPrint(ctx, p, length);
      break;
    case 0x86dd:
    case 0x57:
      ip6Print(ctx, p, length);
      break;
    case 0xfd:
      ctx.s += 'compressed PPP data';
      break;
    default:
      // LCP/IPCP/CHAP/PAP... are not decoded here: named, then dumped.
      ctx.s += `${name ?? `unknown PPP protocol (0x${hex4(proto)})`} `;
      printUnknownData(ctx, p, '\n\t', length);
  }
}
