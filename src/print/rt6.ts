// IPv6 Routing header printer (RFC 8200 §4.4; type 0 deprecated by RFC 5095; type 2 RFC 6275;
// Segment Routing Header type 4 RFC 8754), byte-exact with tcpdump 4.99.3's print-rt6.c:
// `RT6 (len=2, type=0 [Deprecated], segleft=1, rsv=0x0, [0]2200::1) `.
import type { PrintContext } from './context.js';
import { hex, ip6addrString } from './ip-names.js';

const IPV6_RTHDR_TYPE_0 = 0;
const IPV6_RTHDR_TYPE_2 = 2;
const IPV6_RTHDR_TYPE_4 = 4;

/** rt6_print: the routing header at bp; returns its length, or -1 after ` (invalid)`. */
export function rt6Print(ctx: PrintContext, bp: number): number {
  ctx.protocol = 'rt6';
  ctx.s += 'RT6';
  let len = ctx.u8(bp + 1);
  ctx.s += ` (len=${len}`;
  const type = ctx.u8(bp + 2);
  ctx.s += `, type=${type}`;
  if (type === IPV6_RTHDR_TYPE_0) ctx.s += ' [Deprecated]';
  ctx.s += `, segleft=${ctx.u8(bp + 3)}`;
  switch (type) {
    case IPV6_RTHDR_TYPE_0:
    case IPV6_RTHDR_TYPE_2: {
      const rsv = ctx.u32(bp + 4);
      if (rsv !== 0 || ctx.opts.vflag) ctx.s += `, rsv=0x${hex(rsv)}`;
      if (len % 2 === 1) {
        ctx.s += ` (invalid length ${len}) (invalid)`;
        return -1;
      }
      len >>= 1;
      let p = bp + 8;
      for (let i = 0; i < len; i++, p += 16) ctx.s += `, [${i}]${ip6addrString(ctx, p)}`;
      ctx.s += ') ';
      return (ctx.u8(bp + 1) + 1) << 3;
    }
    case IPV6_RTHDR_TYPE_4: {
      ctx.s += `, last-entry=${ctx.u8(bp + 4)}`;
      const flags = ctx.u8(bp + 5);
      if (flags !== 0 || ctx.opts.vflag) ctx.s += `, flags=0x${hex(flags)}`;
      ctx.s += `, tag=${hex(ctx.u16(bp + 6))}`;
      if (len % 2 === 1) {
        ctx.s += ` (invalid length ${len}) (invalid)`;
        return -1;
      }
      len >>= 1;
      let p = bp + 8;
      for (let i = 0; i < len; i++, p += 16) ctx.s += `, [${i}]${ip6addrString(ctx, p)}`;
      ctx.s += ') ';
      return (ctx.u8(bp + 1) + 1) << 3;
    }
    default:
      ctx.s += ' (unknown type) (invalid)';
      return -1;
  }
}
