// BSD loopback encapsulation, DLT_NULL and DLT_LOOP (print-null.c): a 4-byte address family.

import type { PrintContext } from './context.js';
import { defaultPrint } from './ether.js';
import { ipPrint } from './ip.js';
import { ip6Print } from './ip6.js';

const AF_NAMES = new Map<number, string>([
  [2, 'IPv4'],
  [7, 'OSI'],
  [16, 'Appletalk'],
  [23, 'IPX'],
  [24, 'IPv6'],
  [28, 'IPv6'],
  [30, 'IPv6'],
]);

function header(ctx: PrintContext, family: number, length: number): void {
  const name = AF_NAMES.get(family);
  if (!ctx.opts.qflag) ctx.print(`AF ${name ?? 'Unknown'} (${family})`);
  else ctx.print(name ?? `Unknown AF ${family}`);
  ctx.print(`, length ${length}: `);
}

export function nullPrint(ctx: PrintContext, off: number, length: number): number {
  const caplen = ctx.avail(off);
  if (caplen < 4) {
    ctx.protocol = 'null';
    ctx.print(' [|null]');
    return caplen;
  }
  const b = ctx.buf;
  // The family is in the capturing host's byte order (network order for LOOP): if the upper
  // half is not zero, it was the other order.
  let family = (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0;
  if ((family & 0xffff0000) !== 0)
    family =
      (((family & 0xff) << 24) | ((family & 0xff00) << 8) | ((family >>> 8) & 0xff00) | (family >>> 24)) >>>
      0;
  if (ctx.opts.eflag) header(ctx, family, length);
  const p = off + 4;
  switch (family) {
    case 2:
      ipPrint(ctx, p, length - 4);
      break;
    case 24:
    case 28:
    case 30:
      ip6Print(ctx, p, length - 4);
      break;
    default:
      if (!ctx.opts.eflag) header(ctx, family, length);
      defaultPrint(ctx, p, caplen - 4);
  }
  return 4;
}
