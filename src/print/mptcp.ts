// MPTCP option (RFC 8684) as tcpdump 4.99.3's mptcp_print shows it inside `options [...]`.
import type { PrintContext } from './context.js';
import { hex, hex2, ip6addrString, ipaddrString } from './ip-names.js';

const TH_SYN = 0x02;
const TH_ACK = 0x10;
const SUBTYPES = ['capable', 'join', 'dss', 'add-addr', 'rem-addr', 'prio', 'fail', 'fast-close', 'unknown'];

function u64(ctx: PrintContext, i: number): bigint {
  return (BigInt(ctx.u32(i)) << 32n) | BigInt(ctx.u32(i + 4));
}

function capable(ctx: PrintContext, opt: number, len: number, flags: number): boolean {
  if (
    !((len === 12 || len === 4) && flags & TH_SYN) &&
    !((len === 20 || len === 22) && (flags & (TH_SYN | TH_ACK)) === TH_ACK)
  )
    return false;
  const version = ctx.u8(opt + 2) & 0xf;
  if (version > 1) {
    ctx.s += ` Unknown Version (${version})`;
    return true;
  }
  ctx.s += ` v${version}`;
  if (ctx.u8(opt + 3) & 0x80) ctx.s += ' csum';
  if (len === 12 || len >= 20) {
    ctx.s += ` {0x${u64(ctx, opt + 4).toString(16)}`;
    if (len >= 20) ctx.s += `,0x${u64(ctx, opt + 12).toString(16)}`;
    ctx.s += '}';
  }
  return true;
}

function join(ctx: PrintContext, opt: number, len: number, flags: number): boolean {
  if (
    !(len === 12 && flags & TH_SYN) &&
    !(len === 16 && (flags & (TH_SYN | TH_ACK)) === (TH_SYN | TH_ACK)) &&
    !(len === 24 && flags & TH_ACK)
  )
    return false;
  if (len !== 24) {
    if (ctx.u8(opt + 2) & 1) ctx.s += ' backup';
    ctx.s += ` id ${ctx.u8(opt + 3)}`;
  }
  if (len === 12) ctx.s += ` token 0x${hex(ctx.u32(opt + 4))} nonce 0x${hex(ctx.u32(opt + 8))}`;
  else if (len === 16) ctx.s += ` hmac 0x${u64(ctx, opt + 4).toString(16)} nonce 0x${hex(ctx.u32(opt + 12))}`;
  else {
    ctx.s += ' hmac 0x';
    for (let i = 0; i < 20; i++) ctx.s += hex2(ctx.buf[opt + 4 + i] ?? 0);
  }
  return true;
}

function dss(ctx: PrintContext, opt: number, len: number, flags: number): boolean {
  if (len < 4 || flags & TH_SYN) return false;
  const f = ctx.u8(opt + 3);
  if (f & 0x10) ctx.s += ' fin';
  opt += 4;
  len -= 4;
  if (f & 0x01) {
    ctx.s += ' ack ';
    if (f & 0x02) {
      if (len < 8) return false;
      ctx.s += `${u64(ctx, opt)}`;
      opt += 8;
      len -= 8;
    } else {
      if (len < 4) return false;
      ctx.s += `${ctx.u32(opt)}`;
      opt += 4;
      len -= 4;
    }
  }
  if (f & 0x04) {
    ctx.s += ' seq ';
    if (f & 0x08) {
      if (len < 8) return false;
      ctx.s += `${u64(ctx, opt)}`;
      opt += 8;
      len -= 8;
    } else {
      if (len < 4) return false;
      ctx.s += `${ctx.u32(opt)}`;
      opt += 4;
      len -= 4;
    }
    if (len < 4) return false;
    ctx.s += ` subseq ${ctx.u32(opt)}`;
    opt += 4;
    len -= 4;
    if (len < 2) return false;
    ctx.s += ` len ${ctx.u16(opt)}`;
    opt += 2;
    len -= 2;
    if (len >= 2) {
      ctx.s += ` csum 0x${hex(ctx.u16(opt))}`;
      len -= 2;
    }
  }
  return len === 0;
}

function addAddr(ctx: PrintContext, opt: number, len: number): boolean {
  if (![8, 10, 16, 18, 20, 22, 28, 30].includes(len)) return false;
  const e = ctx.u8(opt + 2) & 0xf;
  ctx.s += ` ${e === 6 ? 'v0-ip6' : e === 4 ? 'v0-ip4' : e === 1 ? 'v1-echo' : e === 0 ? 'v1' : '[bad version/echo]'}`;
  ctx.s += ` id ${ctx.u8(opt + 3)}`;
  if (len <= 18) {
    ctx.s += ` ${ipaddrString(ctx, opt + 4)}`;
    if (len === 10 || len === 18) ctx.s += `:${ctx.u16(opt + 8)}`;
    if (len === 16) ctx.s += ` hmac 0x${u64(ctx, opt + 8).toString(16)}`;
    if (len === 18) ctx.s += ` hmac 0x${u64(ctx, opt + 10).toString(16)}`;
  } else {
    ctx.s += ` ${ip6addrString(ctx, opt + 4)}`;
    if (len === 22 || len === 30) ctx.s += `:${ctx.u16(opt + 20)}`;
    if (len === 28) ctx.s += ` hmac 0x${u64(ctx, opt + 20).toString(16)}`;
    if (len === 30) ctx.s += ` hmac 0x${u64(ctx, opt + 22).toString(16)}`;
  }
  return true;
}

/** mptcp_print: false when the option is malformed (tcp_print then prints `[bad opt]`). */
export function mptcpPrint(ctx: PrintContext, cp: number, len: number, flags: number): boolean {
  ctx.protocol = 'mptcp';
  if (len < 3) return false;
  let subtype = (ctx.u8(cp + 2) >> 4) & 0xf;
  if (subtype > 8) subtype = 8;
  ctx.s += ` ${len} ${SUBTYPES[subtype]}`;
  switch (subtype) {
    case 0:
      return capable(ctx, cp, len, flags);
    case 1:
      return join(ctx, cp, len, flags);
    case 2:
      return dss(ctx, cp, len, flags);
    case 3:
      return addAddr(ctx, cp, len);
    case 4:
      if (len < 4) return false;
      ctx.s += ' id';
      for (let i = 0; i < len - 3; i++) ctx.s += ` ${ctx.u8(cp + 3 + i)}`;
      return true;
    case 5:
      if (len !== 3 && len !== 4) return false;
      ctx.s += ctx.u8(cp + 2) & 1 ? ' backup' : ' non-backup';
      if (len === 4) ctx.s += ` id ${ctx.u8(cp + 3)}`;
      return true;
    case 6:
      if (len !== 12) return false;
      ctx.s += ` seq ${u64(ctx, cp + 4)}`;
      return true;
    case 7:
      if (len !== 12) return false;
      ctx.s += ` key 0x${u64(ctx, cp + 4).toString(16)}`;
      return true;
    default:
      return true;
  }
}
