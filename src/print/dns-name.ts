// tcpdump 4.99.3's DNS <domain-name> printer (fqdn_print): labels, compression pointers that must
// point backwards (`<BAD PTR>`), bit-string labels, `<BAD LABEL TYPE>`, `<ELT n>`, and the 255-octet
// cap (`<DOMAIN NAME TOO LONG>`).

import {
  DNS_MAX_NAME_LEN,
  EXT_LABEL_BITSTRING,
  LABEL_EXTENDED,
  LABEL_MASK,
  LABEL_POINTER,
  LABEL_RESERVED,
} from '../wire/dns.js';
import type { PrintContext } from './context.js';
import { printn } from './dns-text.js';

/** "No pointer" (tcpdump's NULL) for the index-returning helpers here. */
export const NONE = -1;

/**
 * Length of the label at cp for the walk (labellen): the octet itself for a normal label or a
 * pointer, the bytes after the type octet for a bit-string label; NONE (after printing why) for
 * reserved/unknown types or when the octet is not captured.
 */
function labelLen(ctx: PrintContext, cp: number): number {
  if (!ctx.has(cp, 1)) return NONE;
  const i = ctx.buf[cp]!;
  switch (i & LABEL_MASK) {
    case LABEL_EXTENDED: {
      const elt = i & ~LABEL_MASK;
      if (elt !== EXT_LABEL_BITSTRING) {
        ctx.print(`<ELT ${elt}>`);
        return NONE;
      }
      if (!ctx.has(cp + 1, 1)) return NONE;
      const bitlen = ctx.buf[cp + 1]! || 256;
      return ((bitlen + 7) >>> 3) + 1;
    }
    case LABEL_RESERVED:
      ctx.print('<BAD LABEL TYPE>');
      return NONE;
    default:
      return i;
  }
}

/** A bit-string label (RFC 2673) as `\[x<hex>/<bits>]`; returns the index after it or NONE. */
function bitLabelPrint(ctx: PrintContext, cp: number): number {
  if (!ctx.has(cp, 1)) return NONE;
  const bitlen = ctx.buf[cp]! || 256;
  // 4.99.3 bounds the walk by hex digits, not bytes (lim = cp + 1 + (bitlen + 3) / 4).
  const lim = cp + 1 + ((bitlen + 3) >>> 2);
  ctx.print('\\[x');
  let bitp = cp + 1;
  let b = bitlen;
  for (; bitp < lim && b > 7; b -= 8, bitp++) {
    ctx.print(ctx.u8(bitp).toString(16).padStart(2, '0'));
  }
  if (b > 4) {
    const tc = ctx.u8(bitp);
    ctx.print((tc & (0xff << (8 - b)) & 0xff).toString(16).padStart(2, '0'));
  } else if (b > 0) {
    const tc = ctx.u8(bitp);
    ctx.print(((tc >>> 4) & 0x0f & (0x0f << (4 - b))).toString(16));
  }
  ctx.print(`/${bitlen}]`);
  return lim;
}

/**
 * Prints the name at cp of the message that starts at bp; returns the index just after the name
 * where it was found (after the first pointer), or NONE when it is cut short or malformed (the
 * caller then ends the packet with ` [|domain]`). Pointers must go strictly backwards, so the
 * walk ends: each pointer lowers the bound, each label moves forward towards snapend.
 */
export function fqdnPrint(ctx: PrintContext, cp: number, bp: number): number {
  let l = labelLen(ctx, cp);
  if (l === NONE) return NONE;
  if (!ctx.has(cp, 1)) return NONE;
  // (u_int)(cp - bp): EDNS CHAIN passes a bp after cp, which makes the bound huge.
  let maxOffset = (cp - bp) >>> 0;
  let i = ctx.buf[cp]!;
  cp++;
  let compress = false;
  let rp = NONE;
  if ((i & LABEL_MASK) !== LABEL_POINTER) rp = cp + l;
  if (i === 0) {
    ctx.print('.');
    return rp;
  }
  let nameChars = 0;
  while (i !== 0 && cp < ctx.snapend) {
    const kind = i & LABEL_MASK;
    if (kind === LABEL_POINTER) {
      if (!compress) {
        rp = cp + 1;
        compress = true;
      }
      if (!ctx.has(cp, 1)) return NONE;
      const offset = ((i << 8) | ctx.buf[cp]!) & 0x3fff;
      if (offset >= maxOffset) {
        ctx.print('<BAD PTR>');
        return NONE;
      }
      maxOffset = offset;
      cp = bp + offset;
      if (!ctx.has(cp, 1)) return NONE;
      i = ctx.buf[cp]!;
      l = labelLen(ctx, cp);
      if (l === NONE) return NONE;
      cp++;
      continue;
    }
    if (kind === LABEL_EXTENDED) {
      const elt = i & ~LABEL_MASK;
      if (elt !== EXT_LABEL_BITSTRING) {
        ctx.print(`<ELT ${elt}>`);
        return NONE;
      }
      if (bitLabelPrint(ctx, cp) === NONE) return NONE;
    } else if (kind === LABEL_RESERVED) {
      ctx.print('<BAD LABEL TYPE>');
      return NONE;
    } else {
      if (nameChars + l <= DNS_MAX_NAME_LEN) {
        if (printn(ctx, cp, l, true)) return NONE;
      } else if (nameChars < DNS_MAX_NAME_LEN) {
        if (printn(ctx, cp, DNS_MAX_NAME_LEN - nameChars, true)) return NONE;
      }
      nameChars += l;
    }
    cp += l;
    if (nameChars <= DNS_MAX_NAME_LEN) ctx.print('.');
    nameChars++;
    if (!ctx.has(cp, 1)) return NONE;
    i = ctx.buf[cp]!;
    l = labelLen(ctx, cp);
    if (l === NONE) return NONE;
    cp++;
    if (!compress) rp += l + 1;
  }
  if (nameChars > DNS_MAX_NAME_LEN) ctx.print('<DOMAIN NAME TOO LONG>');
  return rp;
}
