// RIPng printer (RFC 2080, UDP port 521), byte-exact with tcpdump 4.99.3's ripng_print:
// ` ripng-resp 2: 2001:db8::/64 (1) 2001:db8:1::/48 [7] (2)`, one route per line at -vv.
import type { PrintContext } from './context.js';
import { ip6addrString } from './ip-names.js';

const VERSION = 1;
const REQUEST = 1;
const RESPONSE = 2;
const HEADER_LEN = 4;
const ENTRY_LEN = 20;
const METRIC_INFINITY = 16;

/** One route table entry: `prefix/len`, ` [tag]`, ` (metric)` (responses only). */
function entryPrint(ctx: PrintContext, ni: number, withMetric: boolean): void {
  ctx.print(`${ip6addrString(ctx, ni)}/${ctx.u8(ni + 18)}`);
  const tag = ctx.u16(ni + 16);
  if (tag) ctx.print(` [${tag}]`);
  const metric = ctx.u8(ni + 19);
  if (metric && withMetric) ctx.print(` (${metric})`);
}

function isUnspecified(ctx: PrintContext, i: number): boolean {
  for (let k = 0; k < 16; k++) if (ctx.buf[i + k] !== 0) return false;
  return true;
}

/** tcpdump ripng_print: the datagram at off, `length` bytes of UDP payload. */
export function ripngPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'ripng';
  const vers = ctx.u8(off + 1);
  if (vers !== VERSION) {
    ctx.print(` [vers ${vers}] (invalid)`);
    return;
  }
  const cmd = ctx.u8(off);
  if (cmd !== REQUEST && cmd !== RESPONSE) {
    ctx.print(` ripng-${cmd} ?? ${length} (invalid)`);
    return;
  }
  if (length < HEADER_LEN) {
    ctx.print(' (invalid)');
    return;
  }
  let left = length - HEADER_LEN;
  const n = Math.floor(left / ENTRY_LEN);
  const ni = off + HEADER_LEN;
  // a request for the whole table: one entry, ::/0 with metric infinity
  if (cmd === REQUEST && n === 1 && ctx.u8(ni + 19) === METRIC_INFINITY && isUnspecified(ctx, ni)) {
    ctx.print(' ripng-req dump');
    return;
  }
  const word = cmd === REQUEST ? 'req' : 'resp';
  ctx.print(n * ENTRY_LEN !== left ? ` ripng-${word} ${n}[${length}]:` : ` ripng-${word} ${n}:`);
  for (let p = ni; left >= ENTRY_LEN; left -= ENTRY_LEN, p += ENTRY_LEN) {
    ctx.print(ctx.opts.vflag > 1 ? '\n\t' : ' ');
    entryPrint(ctx, p, cmd === RESPONSE);
  }
  if (left !== 0) ctx.print(' (invalid)');
}
