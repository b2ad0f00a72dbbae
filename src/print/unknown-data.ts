// tcpdump's print_unknown_data/hex_print for the IPv4-family printers: `0x0000:  0102 0304 ...`
// lines (8 words each) after a caller-chosen indent, stopping at the captured end.
import { type PrintContext, TRUNCATED } from './context.js';
import { hex2, hex4 } from './ip-names.js';

/** hex_print_with_offset: throws TRUNCATED (after printing what was captured) when cut short. */
export function hexPrintWithOffset(
  ctx: PrintContext,
  ident: string,
  cp: number,
  length: number,
  oset: number,
): void {
  const caplength = ctx.snapend > cp ? ctx.snapend - cp : 0;
  let truncated = false;
  if (length > caplength) {
    length = caplength;
    truncated = true;
  }
  const b = ctx.buf;
  let nshorts = length >> 1;
  let i = 0;
  let s = '';
  while (nshorts !== 0) {
    if (i++ % 8 === 0) {
      s += `${ident}0x${hex4(oset)}: `;
      oset += 16;
    }
    s += ` ${hex2(b[cp]!)}${hex2(b[cp + 1]!)}`;
    cp += 2;
    nshorts--;
  }
  if (length & 1) {
    if (i % 8 === 0) s += `${ident}0x${hex4(oset)}: `;
    s += ` ${hex2(b[cp]!)}`;
  }
  ctx.s += s;
  if (truncated) throw TRUNCATED;
}

/** print_unknown_data: hex of up to `len` captured bytes at cp. */
export function printUnknownData(ctx: PrintContext, cp: number, ident: string, len: number): void {
  if (cp > ctx.snapend) {
    ctx.s += `${ident}Dissector error: print_unknown_data called with pointer past end of packet`;
    return;
  }
  const avail = ctx.snapend - cp;
  hexPrintWithOffset(ctx, ident, cp, len < avail ? len : avail, 0);
}

/** hex_and_ascii_print (tcpdump's ND_DEFAULTPRINT with ident "\n\t"): 16 bytes a line + ASCII. */
export function hexAndAsciiPrint(ctx: PrintContext, ident: string, cp: number, length: number): void {
  const caplength = ctx.snapend > cp ? ctx.snapend - cp : 0;
  let truncated = false;
  if (length > caplength) {
    length = caplength;
    truncated = true;
  }
  const b = ctx.buf;
  let oset = 0;
  let hexs = '';
  let asc = '';
  let i = 0;
  let out = '';
  for (let n = length >> 1; n !== 0; n--) {
    const s1 = b[cp]!;
    const s2 = b[cp + 1]!;
    cp += 2;
    hexs += ` ${hex2(s1)}${hex2(s2)}`;
    asc +=
      (s1 > 0x20 && s1 < 0x7f ? String.fromCharCode(s1) : '.') +
      (s2 > 0x20 && s2 < 0x7f ? String.fromCharCode(s2) : '.');
    if (++i >= 8) {
      out += `${ident}0x${hex4(oset)}: ${hexs.padEnd(40)}  ${asc}`;
      i = 0;
      hexs = '';
      asc = '';
      oset += 16;
    }
  }
  if (length & 1) {
    const s1 = b[cp]!;
    hexs += ` ${hex2(s1)}`;
    asc += s1 > 0x20 && s1 < 0x7f ? String.fromCharCode(s1) : '.';
    ++i;
  }
  if (i > 0) out += `${ident}0x${hex4(oset)}: ${hexs.padEnd(40)}  ${asc}`;
  ctx.s += out;
  if (truncated) throw TRUNCATED;
}
