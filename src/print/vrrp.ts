// VRRP printer (RFC 3768 v2, RFC 5798 v3; IP protocol 112, keepalived's advertisements), byte-exact
// with tcpdump 4.99.3's vrrp_print: `VRRPv2, Advertisement, vrid 51, prio 100, authtype none,
// intvl 1s, length 20` and, at -v, the checksum verdict, addresses and simple-auth password.

import { onesSum } from '../wire/checksum.js';
import type { PrintContext } from './context.js';
import { charText } from './dns-text.js';
import { nextproto4Cksum } from './ip.js';
import { ip6addrString, ipaddrString } from './ip-names.js';
import { nextproto6Cksum } from './tcp.js';

const IPPROTO_VRRP = 112;
const TYPE_ADVERTISEMENT = 1;
const AUTH_SIMPLE = 1;
const AUTH_NAMES = ['none', 'simple', 'ah'];

/**
 * tcpdump vrrp_print: the VRRP message at off, `length` bytes; ipOff is the IPv4 or IPv6 header
 * (for the v3 pseudo-header checksum), ttl its TTL or hop limit (anything but 255 is flagged), ver
 * 4 or 6.
 */
export function vrrpPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  ipOff: number,
  ttl: number,
  ver: 4 | 6,
): void {
  ctx.protocol = 'vrrp';
  ctx.print('VRRP');
  const b0 = ctx.u8(off);
  const version = b0 >>> 4;
  const type = b0 & 0x0f;
  ctx.print(`v${version}, ${type === TYPE_ADVERTISEMENT ? 'Advertisement' : `unknown type (${type})`}`);
  if (ttl !== 255) ctx.print(`, (ttl ${ttl})`);
  if (version < 2 || version > 3 || type !== TYPE_ADVERTISEMENT) return;
  ctx.print(`, vrid ${ctx.u8(off + 1)}, prio ${ctx.u8(off + 2)}`);
  let authType = 0;
  if (version === 2) {
    authType = ctx.u8(off + 4);
    ctx.print(`, authtype ${AUTH_NAMES[authType] ?? `#${authType}`}`);
    ctx.print(`, intvl ${ctx.u8(off + 5)}s, length ${length}`);
  } else {
    // centiseconds, 12 bits
    const intvl = ((ctx.u8(off + 4) & 0x0f) << 8) | ctx.u8(off + 5);
    ctx.print(`, intvl ${intvl}cs, length ${length}`);
  }
  if (!ctx.opts.vflag) return;
  const naddrs = ctx.u8(off + 3);
  if (ctx.has(off, length)) {
    // v2 sums the message alone, v3 adds the IP pseudo-header
    let bad: boolean;
    if (version === 2) bad = (~onesSum(ctx.buf, off, length) & 0xffff) !== 0;
    else if (ver === 4) bad = nextproto4Cksum(ctx, ipOff, off, length, length, IPPROTO_VRRP) !== 0;
    else bad = nextproto6Cksum(ctx, ipOff, off, length, IPPROTO_VRRP) !== 0;
    if (bad) ctx.print(`, (bad vrrp cksum ${ctx.u16(off + 6).toString(16)})`);
  }
  ctx.print(', addrs');
  if (naddrs > 1) ctx.print(`(${naddrs})`);
  ctx.print(':');
  let sep = ' ';
  let p = off + 8;
  for (let i = 0; i < naddrs; i++) {
    if (ver === 4) {
      ctx.print(`${sep}${ipaddrString(ctx, p)}`);
      p += 4;
    } else {
      ctx.print(`${sep}${ip6addrString(ctx, p)}`);
      p += 16;
    }
    sep = ',';
  }
  if (version === 2 && authType === AUTH_SIMPLE) {
    // up to 8 bytes, zero-filled (RFC 2338 §5.3.10)
    ctx.print(' auth "');
    for (let k = 0; k < 8; k++) {
      const c = ctx.u8(p + k);
      if (c === 0) break;
      ctx.print(charText(c));
    }
    ctx.print('"');
  }
}
