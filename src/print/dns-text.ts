// Text helpers shared by the application printers (DNS, NTP, syslog, BOOTP): tcpdump's
// fn_print_char / nd_printn / nd_printztn, IPv4 and IPv6 (addrtostr6) text, relative times.
import type { PrintContext } from './context.js';

/**
 * One byte as tcpdump's fn_print_char shows it: `M-` for the high bit, then `^X` for control
 * characters (DEL as `^?`), the character itself otherwise.
 */
export function charText(c: number): string {
  let s = '';
  if (c >= 0x80) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c === 0x7f) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

/**
 * tcpdump's nd_printn: prints up to n bytes from i as fn_print_char does, stopping early at the
 * captured end when `stopAtSnapend` (then returns true = cut short); without it a read past the
 * capture throws TRUNCATED (after printing what came before, as tcpdump does).
 */
export function printn(ctx: PrintContext, i: number, n: number, stopAtSnapend: boolean): boolean {
  let s = '';
  try {
    while (n > 0 && (!stopAtSnapend || i < ctx.snapend)) {
      n--;
      const c = ctx.u8(i);
      i++;
      if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
      else s += charText(c);
    }
  } finally {
    ctx.print(s);
  }
  return n !== 0;
}

/**
 * tcpdump's nd_printztn: prints a NUL-terminated string of at most n bytes from i, stopping at the
 * captured end. Returns the bytes consumed (including the NUL), or 0 when cut short by the capture.
 */
export function printztn(ctx: PrintContext, i: number, n: number): number {
  let bytes = 0;
  let s = '';
  for (;;) {
    if (n === 0 || i >= ctx.snapend) {
      bytes = 0;
      break;
    }
    const c = ctx.u8(i);
    i++;
    bytes++;
    n--;
    if (c === 0) break;
    s += charText(c);
  }
  ctx.print(s);
  return bytes;
}

/** Dotted-quad text of the 4 bytes at i (the caller has checked they are captured). */
export function ipv4Text(buf: Uint8Array, i: number): string {
  return `${buf[i]!}.${buf[i + 1]!}.${buf[i + 2]!}.${buf[i + 3]!}`;
}

/** IPv6 text of the 16 bytes at i as tcpdump's addrtostr6 writes it (the wire layer's RFC 5952 text). */
export { ipv6ToString as ipv6Text } from '../wire/ipv6.js';

const RELTS_UNITS = ['y', 'w', 'd', 'h', 'm', 's'];
const RELTS_SECONDS = [31536000, 604800, 86400, 3600, 60, 1];

/** tcpdump's unsigned_relts_print: 93784 -> `1d2h3m4s`, 0 -> `0s`. */
export function reltsText(secs: number): string {
  if (secs === 0) return '0s';
  let s = '';
  for (let k = 0; k < 6 && secs > 0; k++) {
    const unit = RELTS_SECONDS[k]!;
    if (secs >= unit) {
      const n = Math.floor(secs / unit);
      s += `${n}${RELTS_UNITS[k]!}`;
      secs -= n * unit;
    }
  }
  return s;
}

/** Lower-case hex with at least `width` digits (printf %0Nx). */
export function hex(v: number, width: number): string {
  return v.toString(16).padStart(width, '0');
}

/**
 * tcpdump's print_unknown_data (hex_print): the captured part of len bytes at i as lines
 * `${ident}0x0000:  4500 0054 ...` of 16 bytes in 2-byte groups.
 */
export function printUnknownData(ctx: PrintContext, i: number, ident: string, len: number): void {
  if (i > ctx.snapend) {
    ctx.print(`${ident}Dissector error: print_unknown_data called with pointer past end of packet`);
    return;
  }
  const avail = ctx.snapend - i;
  if (len > avail) len = avail;
  const b = ctx.buf;
  let s = '';
  let k = 0;
  for (; k + 1 < len; k += 2) {
    if (k % 16 === 0) s += `${ident}0x${hex(k, 4)}: `;
    s += ` ${hex(b[i + k]!, 2)}${hex(b[i + k + 1]!, 2)}`;
  }
  if (len & 1) {
    if (k % 16 === 0) s += `${ident}0x${hex(k, 4)}: `;
    s += ` ${hex(b[i + k]!, 2)}`;
  }
  ctx.print(s);
}
