// Redis RESP (REdis Serialization Protocol) on TCP port 6379, as tcpdump 4.99.3's resp_print
// shows it: `: RESP "SET" "key" "value"`, pipelined commands one after another.
import type { PrintContext } from './context.js';
import { fnPrintChar } from './ip-names.js';

const CR = 0x0d;
const LF = 0x0a;
const INT_MAX = 0x7fffffff;

/** Where resp_get_length stopped (its `endp` out-parameter). */
let endp = 0;

/** RESP_PRINT_SEGMENT: ` "text"`; false when the text runs past the capture. */
function segment(ctx: PrintContext, bp: number, len: number): boolean {
  let s = ' "';
  const end = ctx.snapend;
  let n = len;
  while (n > 0 && bp < end) {
    n--;
    s += fnPrintChar(ctx.buf[bp]!);
    bp++;
  }
  ctx.s += s;
  if (n !== 0) return false;
  ctx.s += '"';
  return true;
}

/** resp_get_length: a decimal length and CRLF; -1 null, -2 truncated, -3 too large, -4 negative, -5 invalid. */
function getLength(ctx: PrintContext, bp: number, len: number): number {
  if (len === 0) {
    endp = bp;
    return -2;
  }
  let tooLarge = false;
  let neg = false;
  if (ctx.u8(bp) === 0x2d) {
    neg = true;
    bp++;
    len--;
  }
  let result = 0;
  let sawDigit = false;
  for (;;) {
    if (len === 0) {
      endp = bp;
      return -2;
    }
    let c = ctx.u8(bp);
    if (!(c >= 0x30 && c <= 0x39)) {
      if (!sawDigit) {
        endp = bp + 1;
        return -5;
      }
      break;
    }
    c -= 0x30;
    if (result > Math.floor(INT_MAX / 10)) tooLarge = true;
    else {
      result *= 10;
      if (result === Math.floor(INT_MAX / 10) * 10 && c > INT_MAX % 10) tooLarge = true;
      else result += c;
    }
    bp++;
    len--;
    sawDigit = true;
  }
  if (ctx.u8(bp) !== CR) {
    endp = bp + 1;
    return -5;
  }
  bp++;
  len--;
  if (len === 0) {
    endp = bp;
    return -2;
  }
  if (ctx.u8(bp) !== LF) {
    endp = bp + 1;
    return -5;
  }
  bp++;
  len--;
  endp = bp;
  if (neg) {
    if (tooLarge || result !== 1) return -4;
    return -1;
  }
  return tooLarge ? -3 : result;
}

function printLengthProblem(ctx: PrintContext, v: number): boolean {
  switch (v) {
    case -1:
      ctx.s += ' null';
      return true;
    case -2:
      return false;
    case -3:
      ctx.s += ' length too large';
      return true;
    case -4:
      ctx.s += ' length negative and not -1';
      return true;
    default:
      ctx.s += ' invalid';
      return true;
  }
}

/** FIND_CRLF from bp: index of the CR, or -1 when the data ends first. */
function findCrlf(ctx: PrintContext, bp: number, len: number): number {
  for (;;) {
    if (len < 2 || !ctx.has(bp, 2)) return -1;
    if (ctx.buf[bp] === CR && ctx.buf[bp + 1] === LF) return bp;
    bp++;
    len--;
  }
}

function stringErrorInteger(ctx: PrintContext, bp: number, length: number): number {
  const start = bp + 1;
  const crlf = findCrlf(ctx, start, length - 1);
  if (crlf < 0) return -1;
  const len = crlf - start;
  if (!segment(ctx, start, len)) return -1;
  return 1 + len + 2;
}

function bulkString(ctx: PrintContext, bp: number, length: number): number {
  let cur = length - 1;
  let p = bp + 1;
  const n = getLength(ctx, p, cur);
  cur -= endp - p;
  p = endp;
  if (n >= 0) {
    if (n === 0) ctx.s += ' empty';
    else {
      if (cur < n || !ctx.has(p, n)) return -1;
      if (!segment(ctx, p, n)) return -1;
      p += n;
      cur -= n;
    }
    const crlf = findCrlf(ctx, p, cur);
    if (crlf < 0) return -1;
    cur -= crlf - p + 2;
  } else if (!printLengthProblem(ctx, n)) return -1;
  return length - cur;
}

function bulkArray(ctx: PrintContext, bp: number, length: number): number {
  let cur = length - 1;
  let p = bp + 1;
  const n = getLength(ctx, p, cur);
  cur -= endp - p;
  p = endp;
  if (n > 0) {
    for (let i = 0; i < n; i++) {
      const r = respParse(ctx, p, cur);
      if (r < 0) return -1;
      p += r;
      cur -= r;
    }
  } else if (n === 0) ctx.s += ' empty';
  else if (!printLengthProblem(ctx, n)) return -1;
  return length - cur;
}

function inline(ctx: PrintContext, bp: number, length: number): number {
  let cur = length;
  // CONSUME_CR_OR_LF: skip leading line ends (running out of data first is truncation).
  let found = false;
  for (;;) {
    if (cur === 0 || !ctx.has(bp, 1)) {
      if (found) break;
      return -1;
    }
    const c = ctx.buf[bp]!;
    if (c !== CR && c !== LF) break;
    found = true;
    bp++;
    cur--;
  }
  let p = bp;
  for (;;) {
    if (cur < 1) return -1;
    const c = ctx.u8(p);
    if (c === CR || c === LF) break;
    p++;
    cur--;
  }
  if (!segment(ctx, bp, p - bp)) return -1;
  found = false;
  for (;;) {
    if (cur === 0 || !ctx.has(p, 1)) {
      if (found) break;
      return -1;
    }
    const c = ctx.buf[p]!;
    if (c !== CR && c !== LF) break;
    found = true;
    p++;
    cur--;
  }
  return length - cur;
}

function respParse(ctx: PrintContext, bp: number, length: number): number {
  if (length < 1) return -1;
  switch (ctx.u8(bp)) {
    case 0x2b: // +
    case 0x3a: // :
    case 0x2d: // -
      return stringErrorInteger(ctx, bp, length);
    case 0x24: // $
      return bulkString(ctx, bp, length);
    case 0x2a: // *
      return bulkArray(ctx, bp, length);
    default:
      return inline(ctx, bp, length);
  }
}

/** resp_print: every RESP value in the segment (Redis pipelines several). */
export function respPrint(ctx: PrintContext, bp: number, length: number): void {
  ctx.protocol = 'resp';
  ctx.s += ': RESP';
  while (length > 0) {
    const r = respParse(ctx, bp, length);
    if (r < 0) {
      ctx.s += ' [|resp]';
      return;
    }
    bp += r;
    length -= r;
  }
}
