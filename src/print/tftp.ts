// TFTP printer (RFC 1350, options RFC 2347), byte-exact with tcpdump 4.99.3's tftp_print:
// `TFTP, length 17, RRQ "file.txt" octet`, `TFTP, length 516, DATA block 1`.
import type { PrintContext } from './context.js';
import { printztn } from './dns-text.js';

const RRQ = 1;
const WRQ = 2;
const DATA = 3;
const ACK = 4;
const OACK = 6;
const OPCODE_NAMES = ['', 'RRQ', 'WRQ', 'DATA', 'ACK', 'ERROR', 'OACK'];
const ERROR_NAMES = ['EUNDEF', 'ENOTFOUND', 'EACCESS', 'ENOSPACE', 'EBADOP', 'EBADID', 'EEXISTS', 'ENOUSER'];

/** NUL-terminated strings (options and their values) until the datagram ends; false when cut short. */
function stringsPrint(ctx: PrintContext, bp: number, length: number): boolean {
  while (length !== 0) {
    if (ctx.u8(bp) !== 0) ctx.print(' ');
    const n = printztn(ctx, bp, length);
    if (n === 0) return false;
    bp += n;
    length -= n;
  }
  return true;
}

function body(ctx: PrintContext, bp: number, length: number): boolean {
  if (length < 2) return false;
  const opcode = ctx.u16(bp);
  if (opcode < RRQ || opcode > OACK) {
    ctx.print(`, tftp-#${opcode}`);
    return true;
  }
  ctx.print(`, ${OPCODE_NAMES[opcode]!}`);
  bp += 2;
  length -= 2;
  switch (opcode) {
    case RRQ:
    case WRQ: {
      if (length === 0) return false;
      ctx.print(' "');
      let n = printztn(ctx, bp, length);
      ctx.print('"');
      if (n === 0) return false;
      bp += n;
      length -= n;
      // the mode, then options
      if (length === 0) return false;
      ctx.print(' ');
      n = printztn(ctx, bp, length);
      if (n === 0) return false;
      return stringsPrint(ctx, bp + n, length - n);
    }
    case OACK:
      return stringsPrint(ctx, bp, length);
    case ACK:
    case DATA:
      if (length < 2) return false;
      ctx.print(` block ${ctx.u16(bp)}`);
      return true;
    default: {
      // ERROR (opcode 5): code and message
      if (length < 2) return false;
      const code = ctx.u16(bp);
      ctx.print(` ${ERROR_NAMES[code] ?? `tftp-err-#${code} "`}`);
      if (length === 2) return false;
      ctx.print(' "');
      const n = printztn(ctx, bp + 2, length - 2);
      ctx.print('"');
      return n !== 0;
    }
  }
}

/** tcpdump tftp_print: the datagram at off, `length` bytes of UDP payload. */
export function tftpPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'tftp';
  ctx.print(`TFTP, length ${length}`);
  if (!body(ctx, off, length)) ctx.print(` [|${ctx.protocol}]`);
}
