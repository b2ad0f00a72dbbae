// ICMP printer (RFC 792, 1191, 1256, 4884), byte-exact with tcpdump 4.99.3's icmp_print: the
// one-line summary, the -v checksum verdict, the quoted IP packet of error messages at -v, and
// RFC 4884 multi-part extensions (MPLS label stack).
import { onesSum } from '../wire/checksum.js';
import type { PrintContext } from './context.js';
import { inCksumShouldbe, ipPrint } from './ip.js';
import { hex, ipaddrString, tcpportString, udpportString } from './ip-names.js';
import { printUnknownData } from './unknown-data.js';

const ICMP_ECHOREPLY = 0;
const ICMP_UNREACH = 3;
const ICMP_SOURCEQUENCH = 4;
const ICMP_REDIRECT = 5;
const ICMP_ECHO = 8;
const ICMP_ROUTERADVERT = 9;
const ICMP_TIMXCEED = 11;
const ICMP_PARAMPROB = 12;
const ICMP_TSTAMP = 13;
const ICMP_TSTAMPREPLY = 14;
const ICMP_MASKREPLY = 18;

/** 156 - sizeof(struct ip): where RFC 4884 extensions start, counted from the ICMP header. */
const ICMP_EXTD_MINLEN = 136;

function icmp2str(type: number): string {
  switch (type) {
    case 0:
      return 'echo reply';
    case 4:
      return 'source quench';
    case 8:
      return 'echo request';
    case 10:
      return 'router solicitation';
    case 13:
      return 'time stamp request';
    case 14:
      return 'time stamp reply';
    case 15:
      return 'information request';
    case 16:
      return 'information reply';
    case 17:
      return 'address mask request';
    default:
      return `type-#${type}`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** icmp_tstamp_print: milliseconds since midnight UTC as hh:mm:ss.mmm. */
function tstamp(t: number): string {
  const msec = t % 1000;
  let sec = Math.floor(t / 1000);
  let min = Math.floor(sec / 60);
  sec -= min * 60;
  const hrs = Math.floor(min / 60);
  min -= hrs * 60;
  return `${pad2(hrs)}:${pad2(min)}:${pad2(sec)}.${msec < 10 ? `00${msec}` : msec < 100 ? `0${msec}` : msec}`;
}

const UNREACH_TEXT: (string | undefined)[] = [];
UNREACH_TEXT[6] = 'net # unreachable - unknown';
UNREACH_TEXT[7] = 'host # unreachable - unknown';
UNREACH_TEXT[8] = '# unreachable - source host isolated';
UNREACH_TEXT[9] = 'net # unreachable - admin prohibited';
UNREACH_TEXT[10] = 'host # unreachable - admin prohibited';
UNREACH_TEXT[11] = 'net # unreachable - tos prohibited';
UNREACH_TEXT[12] = 'host # unreachable - tos prohibited';
UNREACH_TEXT[13] = 'host # unreachable - admin prohibited filter';
UNREACH_TEXT[14] = 'host # unreachable - host precedence violation';
UNREACH_TEXT[15] = 'host # unreachable - precedence cutoff';

/**
 * The summary text of a destination unreachable message (dp = ICMP header); null where tcpdump's
 * ND_TCHECK fails (it then prints ` [|icmp]` and returns, unlike a GET past the capture).
 */
function unreachText(ctx: PrintContext, dp: number, code: number): string | null {
  const oip = dp + 8;
  switch (code) {
    case 0:
      return `net ${ipaddrString(ctx, oip + 16)} unreachable`;
    case 1:
      return `host ${ipaddrString(ctx, oip + 16)} unreachable`;
    case 2:
      return `${ipaddrString(ctx, oip + 16)} protocol ${ctx.u8(oip + 9)} unreachable`;
    case 3: {
      if (!ctx.has(oip + 9, 1)) return null;
      const hlen = (ctx.u8(oip) & 0xf) * 4;
      const dport = ctx.u16(oip + hlen + 2);
      const p = ctx.u8(oip + 9);
      if (p === 6) return `${ipaddrString(ctx, oip + 16)} tcp port ${tcpportString(ctx, dport)} unreachable`;
      if (p === 17) return `${ipaddrString(ctx, oip + 16)} udp port ${udpportString(ctx, dport)} unreachable`;
      return `${ipaddrString(ctx, oip + 16)} protocol ${p} port ${dport} unreachable`;
    }
    case 4: {
      const mtu = ctx.u16(dp + 6);
      if (mtu) return `${ipaddrString(ctx, oip + 16)} unreachable - need to frag (mtu ${mtu})`;
      return `${ipaddrString(ctx, oip + 16)} unreachable - need to frag`;
    }
    case 5:
      return `${ipaddrString(ctx, oip + 16)} unreachable - source route failed`;
    default: {
      const t = UNREACH_TEXT[code];
      if (t !== undefined) return t.replace('#', ipaddrString(ctx, oip + 16));
      return `${ipaddrString(ctx, oip + 16)} unreachable - #${code}`;
    }
  }
}

function redirectText(ctx: PrintContext, dp: number, code: number): string {
  const dst = ipaddrString(ctx, dp + 8 + 16);
  const gw = ipaddrString(ctx, dp + 4);
  switch (code) {
    case 0:
      return `redirect ${dst} to net ${gw}`;
    case 1:
      return `redirect ${dst} to host ${gw}`;
    case 2:
      return `redirect-tos ${dst} to net ${gw}`;
    case 3:
      return `redirect-tos ${dst} to host ${gw}`;
    default:
      return `redirect-#${code} ${dst} to ${gw}`;
  }
}

function routerAdvertText(ctx: PrintContext, dp: number): string | null {
  let s = 'router advertisement';
  if (!ctx.has(dp + 4, 4)) return null;
  s += ' lifetime ';
  const lifetime = ctx.u16(dp + 6);
  if (lifetime < 60) s += `${lifetime}`;
  else if (lifetime < 3600) s += `${Math.floor(lifetime / 60)}:${pad2(lifetime % 60)}`;
  else
    s += `${Math.floor(lifetime / 3600)}:${pad2(Math.floor((lifetime % 3600) / 60))}:${pad2(lifetime % 60)}`;
  let num = ctx.u8(dp + 4);
  s += ` ${num}:`;
  const size = ctx.u8(dp + 5);
  if (size !== 2) return `${s} [size ${size}]`;
  let idp = dp + 8;
  while (num > 0) {
    if (!ctx.has(idp, 8)) return null;
    s += ` {${ipaddrString(ctx, idp)} ${ctx.u32(idp + 4)}}`;
    idp += 8;
    num--;
  }
  return s;
}

/** icmp_print: the message at off, `plen` bytes; ip is the enclosing IPv4 header. */
export function icmpPrint(
  ctx: PrintContext,
  off: number,
  plen: number,
  ip: number,
  fragmented: boolean,
): void {
  void ip;
  ctx.protocol = 'icmp';
  const dp = off;
  const type = ctx.u8(dp);
  const code = ctx.u8(dp + 1);
  let str: string | null;
  switch (type) {
    case ICMP_ECHO:
    case ICMP_ECHOREPLY:
      str = `echo ${type === ICMP_ECHO ? 'request' : 'reply'}, id ${ctx.u16(dp + 4)}, seq ${ctx.u16(dp + 6)}`;
      break;
    case ICMP_UNREACH:
      str = unreachText(ctx, dp, code);
      break;
    case ICMP_REDIRECT:
      str = redirectText(ctx, dp, code);
      break;
    case ICMP_ROUTERADVERT:
      str = routerAdvertText(ctx, dp);
      break;
    case ICMP_TIMXCEED:
      if (!ctx.has(dp + 8 + 16, 4)) str = null;
      else if (code === 0) str = 'time exceeded in-transit';
      else if (code === 1) str = 'ip reassembly time exceeded';
      else str = `time exceeded-#${code}`;
      break;
    case ICMP_PARAMPROB:
      if (code) str = `parameter problem - code ${code}`;
      else str = `parameter problem - octet ${ctx.u8(dp + 4)}`;
      break;
    case ICMP_MASKREPLY:
      str = `address mask is 0x${ctx
        .u32(dp + 8)
        .toString(16)
        .padStart(8, '0')}`;
      break;
    case ICMP_TSTAMP:
      str = `time stamp query id ${ctx.u16(dp + 4)} seq ${ctx.u16(dp + 6)}`;
      break;
    case ICMP_TSTAMPREPLY:
      if (!ctx.has(dp + 16, 4)) {
        str = null;
        break;
      }
      str = `time stamp reply id ${ctx.u16(dp + 4)} seq ${ctx.u16(dp + 6)}: org ${tstamp(ctx.u32(dp + 8))}, recv ${tstamp(ctx.u32(dp + 12))}, xmit ${tstamp(ctx.u32(dp + 16))}`;
      break;
    default:
      str = icmp2str(type);
  }
  if (str === null) {
    ctx.s += ' [|icmp]';
    return;
  }
  ctx.s += `ICMP ${str}, length ${plen}`;
  const vflag = ctx.opts.vflag;
  if (vflag && !fragmented) {
    if (ctx.has(dp, plen)) {
      const sum = ~onesSum(ctx.buf, dp, plen) & 0xffff;
      if (sum !== 0) {
        const icmpSum = ctx.u16(dp + 2);
        ctx.s += ` (wrong icmp cksum ${hex(icmpSum)} (->${hex(inCksumShouldbe(icmpSum, sum))})!)`;
      }
    }
  }
  const isErr =
    type === ICMP_UNREACH ||
    type === ICMP_SOURCEQUENCH ||
    type === ICMP_REDIRECT ||
    type === ICMP_TIMXCEED ||
    type === ICMP_PARAMPROB;
  if (vflag >= 1 && isErr) {
    const bp = dp + 8;
    ctx.s += '\n\t';
    const saved = ctx.snapend;
    const ipLen = ctx.u16(bp + 2);
    if (bp + ipLen < ctx.snapend) ctx.snapend = bp + ipLen;
    ipPrint(ctx, bp, ipLen);
    ctx.snapend = saved;
  }
  ctx.protocol = 'icmp';
  if (
    vflag >= 1 &&
    plen > ICMP_EXTD_MINLEN &&
    (type === ICMP_UNREACH || type === ICMP_TIMXCEED || type === ICMP_PARAMPROB)
  ) {
    multipartExt(ctx, dp, plen);
  }
}

function multipartExt(ctx: PrintContext, dp: number, plen: number): void {
  if (!ctx.has(dp, 8 + 128 + 4 + 1)) {
    ctx.s += ' [|icmp]';
    return;
  }
  const b = ctx.buf;
  const ver = dp + 8 + 128;
  if (ctx.u8(dp + 5) === 0 && ctx.has(ver, plen - ICMP_EXTD_MINLEN)) {
    if ((~onesSum(b, ver, plen - ICMP_EXTD_MINLEN) & 0xffff) !== 0) return;
  }
  const version = (b[ver]! & 0xf0) >> 4;
  ctx.s += `\n\tICMP Multi-Part extension v${version}`;
  if (version !== 2) {
    ctx.s += ' packet not supported';
    return;
  }
  let hlen = plen - ICMP_EXTD_MINLEN;
  if (ctx.has(ver, hlen)) {
    const bad = (~onesSum(b, ver, hlen) & 0xffff) !== 0;
    ctx.s += `, checksum 0x${ctx
      .u16(ver + 2)
      .toString(16)
      .padStart(4, '0')} (${bad ? 'in' : ''}correct), length ${hlen}`;
  }
  hlen -= 4;
  let obj = ver + 4;
  while (hlen > 4) {
    if (!ctx.has(obj, 4)) {
      ctx.s += ' [|icmp]';
      return;
    }
    let objTlen = ctx.u16(obj);
    const classNum = ctx.u8(obj + 2);
    const ctype = ctx.u8(obj + 3);
    obj += 4;
    const cname =
      classNum === 1 ? 'MPLS Stack Entry' : classNum === 2 ? 'Interface Identification' : 'unknown';
    ctx.s += `\n\t  ${cname} Object (${classNum}), Class-Type: ${ctype}, length ${objTlen}`;
    hlen -= 4;
    if (classNum === 0 || objTlen < 4) return;
    objTlen -= 4;
    if (classNum === 1 && ctype === 1) {
      const raw = ctx.u32(obj);
      ctx.s += `\n\t    label ${raw >>> 12}, tc ${(raw >>> 9) & 7}`;
      if (raw & 0x100) ctx.s += ', [S]';
      ctx.s += `, ttl ${raw & 0xff}`;
    } else {
      printUnknownData(ctx, obj, '\n\t    ', objTlen);
    }
    if (hlen < objTlen) break;
    hlen -= objTlen;
    obj += objTlen;
  }
}
