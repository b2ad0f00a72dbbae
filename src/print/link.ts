// The printer for each link type (tcpdump's if_printer table), and raw IP link types.

import type { PrintContext } from './context.js';
import { etherPrint } from './ether.js';
import { hexAsciiDump } from './hex.js';
import { ipNPrint } from './ip.js';
import { sll2Print, sllPrint } from './linux-cooked.js';
import { nullPrint } from './null.js';

/** Raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6 as tcpdump 4.99.3 prints them): "ip: " with -e. */
function rawPrint(ctx: PrintContext, off: number, length: number): number {
  if (ctx.opts.eflag) ctx.print('ip: ');
  ipNPrint(ctx, off, length);
  return 0;
}

function unsupportedPrint(ctx: PrintContext, off: number, length: number): number {
  void length;
  ctx.protocol = 'unsupported';
  ctx.print('UNSUPPORTED');
  ctx.print(hexAsciiDump(ctx.buf, off, ctx.avail(off)));
  return 0;
}

export type LinkPrinter = (ctx: PrintContext, off: number, length: number) => number;

/** The printer for a LINKTYPE_* value (never undefined: unknown types get tcpdump's dump). */
export function linkPrinter(linktype: number): LinkPrinter {
  switch (linktype) {
    case 1:
      return etherPrint;
    case 0:
    case 108:
      return nullPrint;
    case 113:
      return sllPrint;
    case 276:
      return sll2Print;
    case 101:
    case 12:
    case 14:
    case 228:
    case 229:
      return rawPrint;
    default:
      return unsupportedPrint;
  }
}
