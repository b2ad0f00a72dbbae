// IGMP printer (RFC 1112, 2236, 3376), byte-exact with tcpdump 4.99.3's igmp_print for queries,
// v1/v2/v3 reports and leaves (DVMRP, PIMv1 and mtrace are named only).
import { onesSum } from '../wire/checksum.js';
import type { PrintContext } from './context.js';
import { hex, ipaddrString } from './ip-names.js';

const V3_REPORT_TYPES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];

function unsignedRelts(secs: number): string {
  if (secs === 0) return '0s';
  const units = ['y', 'w', 'd', 'h', 'm', 's'];
  const seconds = [31536000, 604800, 86400, 3600, 60, 1];
  let s = '';
  for (let i = 0; secs > 0; i++) {
    if (secs >= seconds[i]!) {
      s += `${Math.floor(secs / seconds[i]!)}${units[i]}`;
      secs -= Math.floor(secs / seconds[i]!) * seconds[i]!;
    }
  }
  return s;
}

function v3Report(ctx: PrintContext, bp: number, len: number): void {
  if (len < 16 || len & 3) {
    ctx.s += ` [invalid len ${len}]`;
    return;
  }
  const ngroups = ctx.u16(bp + 6);
  ctx.s += `, ${ngroups} group record(s)`;
  if (ctx.opts.vflag > 0) {
    let group = 8;
    for (let i = 0; i < ngroups; i++) {
      if (len < group + 8) {
        ctx.s += ' [invalid number of groups]';
        return;
      }
      ctx.s += ` [gaddr ${ipaddrString(ctx, bp + group + 4)}`;
      const t = ctx.u8(bp + group);
      ctx.s += ` ${t >= 1 && t <= 6 ? V3_REPORT_TYPES[t] : ` [v3-report-#${t}]`}`;
      const nsrcs = ctx.u16(bp + group + 2);
      if (len < group + 8 + (nsrcs << 2)) {
        ctx.s += ` [invalid number of sources ${nsrcs}]`;
        return;
      }
      if (ctx.opts.vflag === 1) ctx.s += `, ${nsrcs} source(s)`;
      else {
        ctx.s += ' {';
        for (let j = 0; j < nsrcs; j++) ctx.s += ` ${ipaddrString(ctx, bp + group + 8 + (j << 2))}`;
        ctx.s += ' }';
      }
      group += 8 + (nsrcs << 2);
      ctx.s += ']';
    }
  }
}

function v3Query(ctx: PrintContext, bp: number, len: number): void {
  ctx.s += ' v3';
  if (len < 12 || len & 3) {
    ctx.s += ` [invalid len ${len}]`;
    return;
  }
  const mrc = ctx.u8(bp + 1);
  const mrt = mrc < 128 ? mrc : ((mrc & 0x0f) | 0x10) << (((mrc & 0x70) >> 4) + 3);
  if (mrc !== 100) {
    ctx.s += ' [max resp time ';
    ctx.s += mrt < 600 ? `${(mrt * 0.1).toFixed(1)}s` : unsignedRelts(Math.floor(mrt / 10));
    ctx.s += ']';
  }
  if (ctx.u32(bp + 4) === 0) return;
  ctx.s += ` [gaddr ${ipaddrString(ctx, bp + 4)}`;
  const nsrcs = ctx.u16(bp + 10);
  if (nsrcs > 0) {
    if (len < 12 + (nsrcs << 2)) ctx.s += ' [invalid number of sources]';
    else if (ctx.opts.vflag > 1) {
      ctx.s += ' {';
      for (let i = 0; i < nsrcs; i++) ctx.s += ` ${ipaddrString(ctx, bp + 12 + (i << 2))}`;
      ctx.s += ' }';
    } else ctx.s += `, ${nsrcs} source(s)`;
  }
  ctx.s += ']';
}

/** igmp_print: the IGMP message at bp, `len` bytes. */
export function igmpPrint(ctx: PrintContext, bp: number, len: number): void {
  ctx.protocol = 'igmp';
  if (ctx.opts.qflag) {
    ctx.s += 'igmp';
    return;
  }
  const type = ctx.u8(bp);
  switch (type) {
    case 0x11:
      ctx.s += 'igmp query';
      if (len >= 12) v3Query(ctx, bp, len);
      else {
        const mrt = ctx.u8(bp + 1);
        if (mrt) {
          ctx.s += ' v2';
          if (mrt !== 100) ctx.s += ` [max resp time ${mrt}]`;
        } else ctx.s += ' v1';
        if (ctx.u32(bp + 4)) ctx.s += ` [gaddr ${ipaddrString(ctx, bp + 4)}]`;
        if (len !== 8) ctx.s += ` [len ${len}]`;
      }
      break;
    case 0x12:
      ctx.s += `igmp v1 report ${ipaddrString(ctx, bp + 4)}`;
      if (len !== 8) ctx.s += ` [len ${len}]`;
      break;
    case 0x16:
      ctx.s += `igmp v2 report ${ipaddrString(ctx, bp + 4)}`;
      break;
    case 0x22:
      ctx.s += 'igmp v3 report';
      v3Report(ctx, bp, len);
      break;
    case 0x17:
      ctx.s += `igmp leave ${ipaddrString(ctx, bp + 4)}`;
      break;
    case 0x13:
      ctx.s += 'igmp dvmrp';
      if (len < 8) ctx.s += ` [len ${len}]`;
      break;
    case 0x14:
      ctx.s += 'igmp pimv1';
      break;
    default:
      ctx.s += `igmp-${type}`;
  }
  if (ctx.opts.vflag && len >= 4 && ctx.has(bp, len)) {
    if ((~onesSum(ctx.buf, bp, len) & 0xffff) !== 0) ctx.s += ` bad igmp cksum ${hex(ctx.u16(bp + 2))}!`;
  }
}
