// The printer for each link type (tcpdump's if_printer table), and raw IP link types.

import type { PrintContext } from './context.js';
import { etherPrint } from './ether.js';
import { hexAsciiDump } from './hex.js';
import { ipNPrint, ipPrint } from './ip.js';
import { ip6Print } from './ip6.js';
import { sll2Print, sllPrint } from './linux-cooked.js';
import { nullPrint } from './null.js';

/** Raw IP (DLT_RAW, DLT_IPV4, DLT_IPV6 as tcpdump 4.99.3 prints them): "ip: " with -e. */
function rawPrint(ctx: PrintContext, off: number, length: number): number {
  if (ctx.opts.eflag) ctx.print('ip: ');
  ipNPrint(ctx, off, length);
  return 0;
}

/** SLIP (DLT_SLIP): a 16-byte header, then IPv4 or IPv6 by the version nibble. */
function slipPrint(ctx: PrintContext, off: number, length: number): number {
  ctx.protocol = 'slip';
  if (ctx.avail(off) < 16) {
    ctx.print(' [|slip]');
    return ctx.avail(off);
  }
  const v = ctx.u8(off + 16) >> 4;
  if (v === 4) ipPrint(ctx, off + 16, length - 16);
  else if (v === 6) ip6Print(ctx, off + 16, length - 16);
  else ctx.print(`ip v${v}`);
  return 16;
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
    case 8:
      return slipPrint;
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

/** Whether tcpdump prints this link type (-L marks the others "printing not supported"). */
export function linkPrinterExists(linktype: number): boolean {
  return linkPrinter(linktype) !== unsupportedPrint;
}
