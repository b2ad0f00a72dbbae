// IPsec headers as tcpdump 4.99.3 prints them without keys: ESP (RFC 4303), AH (RFC 4302) and
// IPComp (RFC 3173).
import type { PrintContext } from './context.js';
import { hex, hex2, hex4 } from './ip-names.js';

/** esp_print: `ESP(spi=0x00001234,seq=0x1), length N` (the payload stays encrypted). */
export function espPrint(ctx: PrintContext, bp: number, length: number): void {
  ctx.protocol = 'esp';
  // tcpdump requires the 8-byte header plus at least one more captured byte.
  if (bp + 8 >= ctx.snapend) {
    ctx.s += ' [|esp]';
    return;
  }
  ctx.s += `ESP(spi=0x${ctx.u32(bp).toString(16).padStart(8, '0')},seq=0x${hex(ctx.u32(bp + 4))}), length ${length}`;
}

/** ah_print: the header and ICV; returns the header length (the next header follows). */
export function ahPrint(ctx: PrintContext, bp: number): number {
  ctx.protocol = 'ah';
  ctx.s += 'AH';
  const ahLen = ctx.u8(bp + 1);
  const hdrLen = (ahLen + 2) * 4;
  ctx.s += '(';
  if (ctx.opts.vflag) ctx.s += `length=${ahLen}(${hdrLen}-bytes),`;
  const reserved = ctx.u16(bp + 2);
  if (reserved) ctx.s += `reserved=0x${hex(reserved)}[MustBeZero],`;
  ctx.s += `spi=0x${ctx
    .u32(bp + 4)
    .toString(16)
    .padStart(8, '0')},`;
  ctx.s += `seq=0x${hex(ctx.u32(bp + 8))},`;
  ctx.s += 'icv=0x';
  for (let p = bp + 12; p < bp + hdrLen; p++) ctx.s += hex2(ctx.u8(p));
  ctx.s += '): ';
  return hdrLen;
}

/** ipcomp_print: `IPComp(cpi=0x1234)` (the payload stays compressed). */
export function ipcompPrint(ctx: PrintContext, bp: number): void {
  ctx.protocol = 'ipcomp';
  ctx.s += `IPComp(cpi=0x${hex4(ctx.u16(bp + 2))})`;
}
