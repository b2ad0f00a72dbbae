// RIP printer (RFC 1058 v1, RFC 2453 v2 with RFC 4822 authentication), byte-exact with tcpdump
// 4.99.3's rip_print: `RIPv2, Response, length: 24`, the routes at -v, a hex dump at -vv.
import type { PrintContext } from './context.js';
import { charText, printUnknownData } from './dns-text.js';
import { ipaddrString } from './ip-names.js';

const HEADER_LEN = 4;
const ROUTE_LEN = 20;
const AUTH_LEN = 16;
const AF_INET = 2;
const CMD_NAMES = ['', 'Request', 'Response', 'Trace on', 'Trace off', 'Poll', 'Poll Entry'];
const CMD_REQUEST = 1;
const CMD_RESPONSE = 2;
const CMD_TRACEOFF = 4;
const CMD_POLLENTRY = 6;

/** BSD address family numbers as tcpdump names them. */
const BSD_AF_NAMES = new Map([
  [2, 'IPv4'],
  [6, 'NS'],
  [7, 'ISO'],
  [16, 'Appletalk'],
  [23, 'IPX'],
  [24, 'IPv6'],
  [28, 'IPv6'],
  [30, 'IPv6'],
]);

/** Prefix length of a contiguous netmask, -1 otherwise (mask2plen). */
function mask2plen(mask: number): number {
  for (let plen = 32; plen >= 0; plen--) {
    const m = plen === 0 ? 0 : (0xffffffff << (32 - plen)) >>> 0;
    if (m === mask) return plen;
  }
  return -1;
}

/** An RFC 1058 entry; returns its size, or 0 when cut short. */
function entryV1(ctx: PrintContext, p: number, remaining: number): number {
  if (remaining < ROUTE_LEN) return 0;
  if (!ctx.has(p, ROUTE_LEN)) return 0;
  const family = ctx.u16(p);
  if (family !== AF_INET && family !== 0) {
    ctx.print(`\n\t AFI ${BSD_AF_NAMES.get(family) ?? `Unknown (${family})`}, `);
    printUnknownData(ctx, p + 4, '\n\t  ', ROUTE_LEN - 4);
    return ROUTE_LEN;
  }
  if (ctx.u16(p + 2) || ctx.u32(p + 8) || ctx.u32(p + 12)) {
    // must-be-zero fields are not
    printUnknownData(ctx, p, '\n\t  ', ROUTE_LEN);
    return ROUTE_LEN;
  }
  ctx.print(`\n\t  ${family === 0 ? 'AFI 0, ' : ''}${ipaddrString(ctx, p + 4)}, metric: ${ctx.u32(p + 16)}`);
  return ROUTE_LEN;
}

/** An RFC 2453 entry (route or authentication); returns its size, or 0 when cut short. */
function entryV2(ctx: PrintContext, p: number, remaining: number): number {
  if (remaining < 4) return 0;
  if (!ctx.has(p, 4)) return 0;
  const family = ctx.u16(p);
  if (family === 0xffff) {
    const authType = ctx.u16(p + 2);
    p += 4;
    remaining -= 4;
    if (authType === 2) {
      ctx.print('\n\t  Simple Text Authentication data: ');
      for (let k = 0; k < AUTH_LEN; k++) {
        const c = ctx.u8(p + k);
        if (c === 0) break;
        ctx.print(charText(c));
      }
    } else if (authType === 3) {
      if (!ctx.has(p, 16)) return 0;
      if (remaining < 16) return 0;
      ctx.print(
        `\n\t  Auth header: Packet Len ${ctx.u16(p)}, Key-ID ${ctx.u8(p + 2)}, Auth Data Len ${ctx.u8(p + 3)}, SeqNo ${ctx.u32(p + 4)}, MBZ ${ctx.u32(p + 8)}, MBZ ${ctx.u32(p + 12)}`,
      );
    } else if (authType === 1) {
      ctx.print('\n\t  Auth trailer:');
      printUnknownData(ctx, p, '\n\t  ', remaining);
      return 4 + remaining; // the trailer runs to the end of the packet
    } else {
      ctx.print(`\n\t  Unknown (${authType}) Authentication data:`);
      printUnknownData(ctx, p, '\n\t  ', remaining);
      return 4 + remaining;
    }
  } else if (family !== AF_INET && family !== 0) {
    ctx.print(`\n\t  AFI ${BSD_AF_NAMES.get(family) ?? `Unknown (${family})`}`);
    printUnknownData(ctx, p + 4, '\n\t  ', ROUTE_LEN - 4);
  } else {
    if (!ctx.has(p, ROUTE_LEN)) return 0;
    if (remaining < ROUTE_LEN) return 0;
    const afi = BSD_AF_NAMES.get(family) ?? String(family);
    const dest = ipaddrString(ctx, p + 4).padStart(15, ' ');
    const plen = String(mask2plen(ctx.u32(p + 8))).padEnd(2, ' ');
    const tag = ctx
      .u16(p + 2)
      .toString(16)
      .padStart(4, '0');
    ctx.print(`\n\t  AFI ${afi}, ${dest}/${plen}, tag 0x${tag}, metric: ${ctx.u32(p + 16)}, next-hop: `);
    ctx.print(ctx.u32(p + 12) ? ipaddrString(ctx, p + 12) : 'self');
  }
  return ROUTE_LEN;
}

/** tcpdump rip_print: the datagram at off, `length` bytes of UDP payload. */
export function ripPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'rip';
  if (ctx.snapend < off) {
    ctx.print(` [|${ctx.protocol}]`);
    return;
  }
  let len = Math.min(ctx.snapend - off, length);
  if (len < HEADER_LEN) {
    ctx.print(` [|${ctx.protocol}]`);
    return;
  }
  len -= HEADER_LEN;
  const v = ctx.opts.vflag;
  const vers = ctx.u8(off + 1);
  ctx.print(`${v >= 1 ? '\n\t' : ''}RIPv${vers}`);
  if (vers === 0) {
    // RFC 1058: version 0 is to be ignored; show the bytes
    printUnknownData(ctx, off, '\n\t', length);
    return;
  }
  const cmd = ctx.u8(off);
  ctx.print(`, ${CMD_NAMES[cmd] || `unknown command (${cmd})`}, length: ${length}`);
  if (v < 1) return;
  if (cmd === CMD_REQUEST || cmd === CMD_RESPONSE) {
    if (vers === 1 || vers === 2) {
      ctx.print(`, routes: ${Math.floor(length / ROUTE_LEN)}${vers === 2 ? ' or less' : ''}`);
      let p = off + HEADER_LEN;
      while (len !== 0) {
        const size = vers === 1 ? entryV1(ctx, p, len) : entryV2(ctx, p, len);
        if (size === 0) {
          ctx.print(` [|${ctx.protocol}]`);
          break;
        }
        if (len < size) {
          ctx.print(` [remaining entries length ${len} < ${size}] (invalid)`);
          break;
        }
        p += size;
        len -= size;
      }
    } else ctx.print(', unknown version');
  } else if (cmd < CMD_TRACEOFF || cmd > CMD_POLLENTRY) {
    // trace on and unknown commands: the bytes
    if (v <= 1) printUnknownData(ctx, off, '\n\t', length);
  }
  if (v > 1) printUnknownData(ctx, off, '\n\t', length);
}
