// RPL control messages carried in ICMPv6 type 155 (RFC 6550 §6), as tcpdump 4.99.3 prints them:
// `, (CLR)DODAG Information Object [dagid:...,seq:..,instance:..,rank:..,mop:storing,prf:0]`.
import type { PrintContext } from './context.js';
import { hex2, ip6addrString } from './ip-names.js';
import { hexPrintWithOffset } from './unknown-data.js';

const SUBOPT_NAMES = [
  'pad1',
  'padN',
  'metrics',
  'routinginfo',
  'config',
  'rpltarget',
  'transitinfo',
  '',
  'destprefix',
  'rpltargetdesc',
];
const MOP_NAMES = ['nonstoring', 'storing', 'nonstoring-multicast', 'storing-multicast'];

/** rpl_printopts: the sub-options of `length` bytes at opts (-vv; contents in hex at -vvv). */
function rplPrintopts(ctx: PrintContext, opts: number, length: number): void {
  while (length !== 0) {
    const t = ctx.u8(opts);
    let optlen: number;
    if (t === 0) {
      optlen = 1;
      ctx.s += ' opt:pad1';
    } else {
      if (length < 2) {
        ctx.s += ' [|icmp6]';
        return;
      }
      optlen = ctx.u8(opts + 1) + 2;
      const name = t < SUBOPT_NAMES.length && SUBOPT_NAMES[t] !== '' ? SUBOPT_NAMES[t] : `subopt:${t}`;
      ctx.s += ` opt:${name} len:${optlen} `;
      if (!ctx.has(opts, optlen) || length < optlen) {
        ctx.s += ' [|icmp6]';
        return;
      }
      if (ctx.opts.vflag > 2) hexPrintWithOffset(ctx, ' ', opts + 2, optlen - 2, 0);
    }
    opts += optlen;
    length -= optlen;
  }
}

function dioPrint(ctx: PrintContext, bp: number, length: number): void {
  if (length < 24) {
    ctx.s += ` [length ${length} < 24] (invalid)`;
    return;
  }
  const mopprf = ctx.u8(bp + 4);
  const mop = (mopprf & 0x38) >> 3;
  ctx.s += ` [dagid:${ip6addrString(ctx, bp + 8)},seq:${ctx.u8(bp + 5)},instance:${ctx.u8(bp)},rank:${ctx.u16(bp + 2)},${mopprf & 0x80 ? 'grounded,' : ''}mop:${mop < 4 ? MOP_NAMES[mop] : `mop${mop}`},prf:${mopprf & 7}]`;
  if (ctx.opts.vflag > 1) rplPrintopts(ctx, bp + 24, length - 24);
}

function daoPrint(ctx: PrintContext, bp: number, length: number): void {
  let dagid = '<elided>';
  if (!ctx.has(bp, 20)) {
    ctx.s += ' [|icmp6]';
    return;
  }
  if (length < 4) {
    ctx.s += ' [|length too short]';
    return;
  }
  const flags = ctx.u8(bp + 1);
  const start = bp;
  bp += 4;
  length -= 4;
  if (flags & 0x40) {
    if (length < 16) {
      ctx.s += ' [|length too short]';
      return;
    }
    dagid = ip6addrString(ctx, bp);
    bp += 16;
    length -= 16;
  }
  ctx.s += ` [dagid:${dagid},seq:${ctx.u8(start + 3)},instance:${ctx.u8(start)}${flags & 0x80 ? ',acK' : ''}${flags & 0x40 ? ',Dagid' : ''},${hex2(flags)}]`;
  if (ctx.opts.vflag > 1) rplPrintopts(ctx, bp, length);
}

function daoackPrint(ctx: PrintContext, bp: number, length: number): void {
  let dagid = '<elided>';
  if (!ctx.has(bp, 4)) {
    ctx.s += ' [|icmp6]';
    return;
  }
  if (length < 4) {
    ctx.s += ' [|dao-length too short]';
    return;
  }
  const start = bp;
  bp += 4;
  length -= 4;
  if (ctx.u8(start + 1) & 0x80) {
    if (!ctx.has(start + 4, 16)) {
      ctx.s += ' [|icmp6]';
      return;
    }
    if (length < 16) {
      ctx.s += ' [|dao-length too short]';
      return;
    }
    dagid = ip6addrString(ctx, bp);
    bp += 16;
    length -= 16;
  }
  ctx.s += ` [dagid:${dagid},seq:${ctx.u8(start + 2)},instance:${ctx.u8(start)},status:${ctx.u8(start + 3)}]`;
  if (ctx.opts.vflag > 1) rplPrintopts(ctx, bp, length);
}

/** rpl_print: the RPL message body at bp (`length` bytes) with ICMPv6 code `code`. */
export function rplPrint(ctx: PrintContext, code: number, bp: number, length: number): void {
  if (code & 0x80) {
    ctx.s += ', (SEC) [worktodo]';
    return;
  }
  ctx.s += ', (CLR)';
  const v = ctx.opts.vflag;
  switch (code & 0x7f) {
    case 0:
      ctx.s += 'DODAG Information Solicitation';
      break;
    case 1:
      ctx.s += 'DODAG Information Object';
      if (v) dioPrint(ctx, bp, length);
      break;
    case 2:
      ctx.s += 'Destination Advertisement Object';
      if (v) daoPrint(ctx, bp, length);
      break;
    case 3:
      ctx.s += 'Destination Advertisement Object Ack';
      if (v) daoackPrint(ctx, bp, length);
      break;
    default:
      ctx.s += `RPL message, unknown code ${code}`;
      break;
  }
}
