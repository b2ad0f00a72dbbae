// IPv4 printer (RFC 791), byte-exact with tcpdump 4.99.3's ip_print/ipN_print: `IP a > b: `,
// the -v header `(tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60)`,
// options, fragments, header checksum, and 4.99.3's messages for bad versions and lengths.
import { onesSum } from '../wire/checksum.js';
import { type PrintContext, TRUNCATED } from './context.js';
import { hex, ipaddrString } from './ip-names.js';
import { ip6Print } from './ip6.js';
import { ipDemuxPrint, ipprotoFallback, ipprotoName } from './ipproto.js';

const IPOPT_EOL = 0;
const IPOPT_NOP = 1;
const IPOPT_RR = 7;
const IPOPT_TS = 68;
const IPOPT_SECURITY = 130;
const IPOPT_LSRR = 131;
const IPOPT_SSRR = 137;
const IPOPT_RA = 148;
const IPOPT_RFC1393 = 82;

const IP_MF = 0x2000;
const IP_DF = 0x4000;
const IP_RES = 0x8000;
const IP_OFFMASK = 0x1fff;

function ipOptionName(code: number): string {
  switch (code) {
    case IPOPT_EOL:
      return 'EOL';
    case IPOPT_NOP:
      return 'NOP';
    case IPOPT_TS:
      return 'timestamp';
    case IPOPT_SECURITY:
      return 'security';
    case IPOPT_RR:
      return 'RR';
    case IPOPT_SSRR:
      return 'SSRR';
    case IPOPT_LSRR:
      return 'LSRR';
    case IPOPT_RA:
      return 'RA';
    case IPOPT_RFC1393:
      return 'traceroute';
    default:
      return `unknown ${code}`;
  }
}

/** bittok2str(ip_frag_values, "none", off & (RES|DF|MF)). */
function fragFlags(off: number): string {
  let s = '';
  if (off & IP_MF) s = '+';
  if (off & IP_DF) s += s === '' ? 'DF' : ', DF';
  if (off & IP_RES) s += s === '' ? 'rsvd' : ', rsvd';
  return s === '' ? 'none' : s;
}

/** The recorded route of RR/LSRR/SSRR at cp (option length `length`). */
function ipPrintroute(ctx: PrintContext, cp: number, length: number): void {
  if (length < 3) {
    ctx.s += ` [bad length ${length}]`;
    return;
  }
  if ((length + 1) & 3) ctx.s += ` [bad length ${length}]`;
  const ptr = ctx.u8(cp + 2) - 1;
  if (ptr < 3 || (ptr + 1) & 3 || ptr > length + 1) ctx.s += ` [bad ptr ${ctx.u8(cp + 2)}]`;
  for (let len = 3; len < length; len += 4) {
    ctx.check(cp + len, 4);
    ctx.s += ` ${ipaddrString(ctx, cp + len)}`;
    if (ptr > len) ctx.s += ',';
  }
}

/** The timestamp option at cp. */
function ipPrintts(ctx: PrintContext, cp: number, length: number): void {
  if (length < 4) {
    ctx.s += `[bad length ${length}]`;
    return;
  }
  ctx.s += ' TS{';
  const flags = ctx.u8(cp + 3);
  const hoplen = (flags & 0xf) !== 0 ? 8 : 4;
  if ((length - 4) & (hoplen - 1)) ctx.s += `[bad length ${length}]`;
  const ptr = ctx.u8(cp + 2) - 1;
  let len = 0;
  if (ptr < 4 || (ptr - 4) & (hoplen - 1) || ptr > length + 1) ctx.s += `[bad ptr ${ctx.u8(cp + 2)}]`;
  let known = true;
  switch (flags & 0xf) {
    case 0:
      ctx.s += 'TSONLY';
      break;
    case 1:
      ctx.s += 'TS+ADDR';
      break;
    case 3:
      ctx.s += 'PRESPEC';
      break;
    default:
      ctx.s += `[bad ts type ${flags & 0xf}]`;
      known = false;
  }
  if (known) {
    let type = ' ';
    for (len = 4; len < length; len += hoplen) {
      if (ptr === len) type = ' ^ ';
      ctx.check(cp + len, hoplen);
      ctx.s += `${type}${ctx.u32(cp + len + hoplen - 4)}@${hoplen !== 8 ? '' : ipaddrString(ctx, cp + len)}`;
      type = ' ';
    }
  }
  if (ptr === len) ctx.s += ' ^ ';
  if (flags >> 4) ctx.s += ` [${flags >> 4} hops not recorded]} `;
  else ctx.s += '}';
}

/**
 * ip_optprint; returns false when an option is cut short (ND_TCHECK: `[truncated-option]`). The
 * option type and length bytes are read with GET semantics: past the capture they end the packet.
 */
function ipOptprint(ctx: PrintContext, cp: number, length: number): boolean {
  let sep = '';
  let optionLen: number;
  for (; length > 0; cp += optionLen, length -= optionLen) {
    ctx.s += sep;
    sep = ',';
    const code = ctx.u8(cp);
    ctx.s += ipOptionName(code);
    if (code === IPOPT_NOP || code === IPOPT_EOL) optionLen = 1;
    else {
      optionLen = ctx.u8(cp + 1);
      if (optionLen < 2) {
        ctx.s += ` [bad length ${optionLen}]`;
        return true;
      }
    }
    if (optionLen > length) {
      ctx.s += ` [bad length ${optionLen}]`;
      return true;
    }
    if (!ctx.has(cp, optionLen)) return false;
    try {
      switch (code) {
        case IPOPT_EOL:
          return true;
        case IPOPT_TS:
          ipPrintts(ctx, cp, optionLen);
          break;
        case IPOPT_RR:
        case IPOPT_SSRR:
        case IPOPT_LSRR:
          ipPrintroute(ctx, cp, optionLen);
          break;
        case IPOPT_RA:
          if (optionLen < 4) {
            ctx.s += ` [bad length ${optionLen}]`;
            break;
          }
          if (ctx.u16(cp + 2) !== 0) ctx.s += ` value ${ctx.u16(cp + 2)}`;
          break;
        default:
          break;
      }
    } catch (e) {
      // The ND_TCHECKs inside the option printers: the option is cut short.
      if (e === TRUNCATED) return false;
      throw e;
    }
  }
  return true;
}

/**
 * ip_finddst: the final destination of a valid LSRR/SSRR option, else the header's destination,
 * as a host-order u32 (for the TCP/UDP pseudo-header checksum).
 */
export function ipFinddst(ctx: PrintContext, ip: number): number {
  const b = ctx.buf;
  const dst = ip + 16;
  let length = (b[ip]! & 0xf) * 4;
  if (length >= 20) {
    length -= 20;
    let cp = ip + 20;
    let len = 0;
    for (; length !== 0; cp += len, length -= len) {
      if (!ctx.has(cp, 1)) break;
      const tt = b[cp]!;
      if (tt === IPOPT_EOL) break;
      if (tt === IPOPT_NOP) len = 1;
      else {
        if (!ctx.has(cp + 1, 1)) break;
        len = b[cp + 1]!;
        if (len < 2) break;
      }
      if (length < len || !ctx.has(cp, len)) break;
      if ((tt === IPOPT_SSRR || tt === IPOPT_LSRR) && len >= 7) {
        const a = cp + len - 4;
        return ((b[a]! << 24) | (b[a + 1]! << 16) | (b[a + 2]! << 8) | b[a + 3]!) >>> 0;
      }
    }
  }
  return ctx.u32(dst);
}

/**
 * nextproto4_cksum: the Internet checksum of `len` bytes at `data` under the IPv4 pseudo-header
 * of the header at `ip` (0 when correct). The caller has checked that the bytes were captured.
 */
export function nextproto4Cksum(
  ctx: PrintContext,
  ip: number,
  data: number,
  len: number,
  covlen: number,
  proto: number,
): number {
  const b = ctx.buf;
  const src = ctx.u32(ip + 12);
  const dst = (b[ip]! & 0xf) === 5 ? ctx.u32(ip + 16) : ipFinddst(ctx, ip);
  let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + proto + (len & 0xffff);
  sum = onesSum(b, data, covlen, sum);
  return ~sum & 0xffff;
}

/** in_cksum_shouldbe: what the checksum field should have been. */
export function inCksumShouldbe(sum: number, computed: number): number {
  let s = sum + computed;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

/**
 * How deep printers may nest IPv4 through other protocols (GRE, ICMP quotes, IPv6): tcpdump's C
 * stack takes thousands of levels, ours not; past this a crafted packet ends with ` [|ip]`.
 */
const MAX_NESTING = 256;
let nesting = 0;
/** ipPrintOne's inner length when it hands back an IP-in-IP payload. */
let innerLength = 0;

/** tcpdump ip_print: the IPv4 datagram at off, `length` bytes on the wire from there. */
export function ipPrint(ctx: PrintContext, off: number, length: number): void {
  if (nesting >= MAX_NESTING) throw TRUNCATED;
  nesting++;
  const saved = ctx.snapend;
  try {
    // IP-in-IP is followed in a loop, not by recursion: it may nest as deep as the packet allows.
    for (let next = ipPrintOne(ctx, off, length); next >= 0; next = ipPrintOne(ctx, next, innerLength));
  } finally {
    ctx.snapend = saved;
    nesting--;
  }
}

/**
 * One IPv4 header and its payload; returns the offset of an IP-in-IP payload still to print
 * (its length in innerLength, the snapend left pushed to this header's end), else -1.
 */
function ipPrintOne(ctx: PrintContext, off: number, length: number): number {
  ctx.protocol = 'ip';
  const ip = off;
  const b = ctx.buf;
  const v0 = ctx.u8(ip);
  const ver = v0 >> 4;
  if (ver !== 4) {
    if (ver === 6) ctx.s += 'IP6, wrong link-layer encapsulation (invalid)';
    else ctx.s += `IP${ver} (invalid)`;
    return -1;
  }
  if (ctx.opts.eflag === 0) ctx.s += 'IP ';
  if (!ctx.has(ip, 20)) {
    ctx.s += ' [|ip]';
    return -1;
  }
  if (length < 20) {
    ctx.s += `truncated-ip ${length}`;
    return -1;
  }
  const hlen = (v0 & 0xf) * 4;
  if (hlen < 20) {
    ctx.s += `bad-hlen ${hlen}`;
    return -1;
  }
  let len = (b[ip + 2]! << 8) | b[ip + 3]!;
  if (length < len) ctx.s += `truncated-ip - ${len - length} bytes missing! `;
  if (len < hlen) {
    ctx.s += `bad-len ${len}`;
    return -1;
  }
  // Cut off the snapshot length to the end of the IP payload (nd_push_snaplen).
  const saved = ctx.pushSnapend(ip + len);
  len -= hlen;
  const ipoff = (b[ip + 6]! << 8) | b[ip + 7]!;
  const proto = b[ip + 9]!;
  if (ctx.opts.vflag) {
    const tos = b[ip + 1]!;
    let s = `(tos 0x${hex(tos)}`;
    switch (tos & 3) {
      case 1:
        s += ',ECT(1)';
        break;
      case 2:
        s += ',ECT(0)';
        break;
      case 3:
        s += ',CE';
        break;
    }
    const ttl = b[ip + 8]!;
    if (ttl >= 1) s += `, ttl ${ttl}`;
    s += `, id ${(b[ip + 4]! << 8) | b[ip + 5]!}, offset ${(ipoff & IP_OFFMASK) * 8}, flags [${fragFlags(ipoff)}], proto ${ipprotoName(proto)} (${proto}), length ${(b[ip + 2]! << 8) | b[ip + 3]!}`;
    ctx.s += s;
    let truncated = false;
    if (hlen > 20) {
      ctx.s += ', options (';
      if (!ipOptprint(ctx, ip + 20, hlen - 20)) {
        ctx.s += ' [truncated-option]';
        truncated = true;
      }
      ctx.s += ')';
    }
    if (!ctx.opts.Kflag && ip + hlen <= ctx.snapend) {
      const sum = ~onesSum(b, ip, hlen) & 0xffff;
      if (sum !== 0) {
        const ipSum = (b[ip + 10]! << 8) | b[ip + 11]!;
        ctx.s += `, bad cksum ${hex(ipSum)} (->${hex(inCksumShouldbe(ipSum, sum))})!`;
      }
    }
    ctx.s += ')\n    ';
    if (truncated) {
      ctx.s += `${ipaddrString(ctx, ip + 12)} > ${ipaddrString(ctx, ip + 16)}:  [|ip]`;
      ctx.popSnapend(saved);
      return -1;
    }
  }
  if ((ipoff & IP_OFFMASK) === 0) {
    if (proto !== 6 && proto !== 17 && proto !== 132 && proto !== 33) {
      ctx.s += `${ipaddrString(ctx, ip + 12)} > ${ipaddrString(ctx, ip + 16)}: `;
    }
    if (!ctx.has(ip, hlen)) {
      ctx.s += ` [remaining caplen(${ctx.avail(ip)}) < header length(${hlen})]`;
      throw TRUNCATED;
    }
    if (proto === 4) {
      innerLength = len;
      return ip + hlen;
    }
    ipDemuxPrint(ctx, ip + hlen, len, 4, (ipoff & IP_MF) !== 0, b[ip + 8]!, proto, ip);
  } else {
    if (ctx.opts.qflag > 1) {
      ctx.popSnapend(saved);
      return -1;
    }
    ctx.s += `${ipaddrString(ctx, ip + 12)} > ${ipaddrString(ctx, ip + 16)}:${ipprotoFallback(ctx, proto)}`;
  }
  ctx.popSnapend(saved);
  return -1;
}

/** tcpdump ipN_print: IPv4 or IPv6 by the version nibble (DLT_RAW and friends). */
export function ipNPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'ipn';
  if (length < 1) {
    ctx.s += `truncated-ip ${length}`;
    return;
  }
  const v = ctx.u8(off) & 0xf0;
  if (v === 0x40) ipPrint(ctx, off, length);
  else if (v === 0x60) ip6Print(ctx, off, length);
  else ctx.s += `unknown ip ${v >> 4}`;
}
