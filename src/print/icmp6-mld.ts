// Multicast Listener Discovery printers (MLDv1 RFC 2710, MLDv2 RFC 9777), byte-exact with
// tcpdump 4.99.3: `max resp delay: 0 addr: ff02::1`, `, 1 group record(s) [gaddr ff02::db8 to_ex { }]`,
// ` v2 [max resp delay=10000] [gaddr :: robustness=2 qqi=60]`.
import type { PrintContext } from './context.js';
import { ip6addrString } from './ip-names.js';

const MLDV2_RECORD_TYPES = ['', 'is_in', 'is_ex', 'to_in', 'to_ex', 'allow', 'block'];

/** mld6_print: MLDv1 query/report/done at bp (nothing when the 24 bytes are not captured). */
export function mld6Print(ctx: PrintContext, bp: number): void {
  if (bp + 24 > ctx.snapend) return;
  ctx.s += `max resp delay: ${ctx.u16(bp + 4)} `;
  ctx.s += `addr: ${ip6addrString(ctx, bp + 8)}`;
}

/** mldv2_report_print: the v2 report of `len` bytes at bp. */
export function mldv2ReportPrint(ctx: PrintContext, bp: number, len: number): void {
  if (len < 8) {
    ctx.s += ` [invalid len ${len}]`;
    return;
  }
  const ngroups = ctx.u16(bp + 6);
  ctx.s += `, ${ngroups} group record(s)`;
  const v = ctx.opts.vflag;
  if (v === 0) return;
  let group = 8;
  for (let i = 0; i < ngroups; i++) {
    if (len < group + 20) {
      ctx.s += ' [invalid number of groups]';
      return;
    }
    ctx.s += ` [gaddr ${ip6addrString(ctx, bp + group + 4)}`;
    const t = ctx.u8(bp + group);
    ctx.s += ` ${t >= 1 && t <= 6 ? MLDV2_RECORD_TYPES[t] : ` [v2-report-#${t}]`}`;
    const nsrcs = ctx.u16(bp + group + 2);
    if (len < group + 20 + nsrcs * 16) {
      ctx.s += ` [invalid number of sources ${nsrcs}]`;
      return;
    }
    if (v === 1) ctx.s += `, ${nsrcs} source(s)`;
    else {
      ctx.s += ' {';
      for (let j = 0; j < nsrcs; j++) ctx.s += ` ${ip6addrString(ctx, bp + group + 20 + j * 16)}`;
      ctx.s += ' }';
    }
    group += 20 + nsrcs * 16;
    ctx.s += ']';
  }
}

/** mldv2_query_print: the v2 query of `len` bytes at bp. */
export function mldv2QueryPrint(ctx: PrintContext, bp: number, len: number): void {
  if (len < 28) {
    ctx.s += ` [invalid len ${len}]`;
    return;
  }
  const v = ctx.opts.vflag;
  const mrc = ctx.u16(bp + 4);
  // Maximum Response Code: a floating-point form above 32767 (RFC 9777 §5.1.3).
  const mrt = mrc < 32768 ? mrc : (((mrc & 0x0fff) | 0x1000) << (((mrc & 0x7000) >> 12) + 3)) >>> 0;
  if (v) ctx.s += ` [max resp delay=${mrt}]`;
  ctx.s += ` [gaddr ${ip6addrString(ctx, bp + 8)}`;
  if (v) {
    const f = ctx.u8(bp + 24);
    if (f & 0x08) ctx.s += ' sflag';
    if (f & 0x07) ctx.s += ` robustness=${f & 0x07}`;
    const q = ctx.u8(bp + 25);
    const qqi = q < 128 ? q : ((q & 0x0f) | 0x10) << (((q & 0x70) >> 4) + 3);
    ctx.s += ` qqi=${qqi}`;
  }
  const nsrcs = ctx.u16(bp + 26);
  if (nsrcs > 0) {
    if (len < 28 + nsrcs * 16) ctx.s += ' [invalid number of sources]';
    else if (v > 1) {
      ctx.s += ' {';
      for (let i = 0; i < nsrcs; i++) ctx.s += ` ${ip6addrString(ctx, bp + 28 + i * 16)}`;
      ctx.s += ' }';
    } else ctx.s += `, ${nsrcs} source(s)`;
  }
  ctx.s += ']';
}
