// UDP printer (RFC 768), byte-exact with tcpdump 4.99.3's udp_print: addresses and ports, length
// checks, checksums (-vv over IPv4, -v over IPv6), -T overrides and the port dispatch in 4.99.3's
// order, falling back to `UDP, length N`.
import { bootpPrint } from './bootp.js';
import type { PrintContext } from './context.js';
import { dhcp6Print } from './dhcp6.js';
import { dnsPrint } from './dns.js';
import { hsrpPrint } from './hsrp.js';
import { inCksumShouldbe, nextproto4Cksum } from './ip.js';
import { hex4, ip6addrString, ipaddrString, udpportString } from './ip-names.js';
import { espPrint } from './ipsec.js';
import { krbPrint } from './krb.js';
import { ntpPrint } from './ntp.js';
import { ripPrint } from './rip.js';
import { ripngPrint } from './ripng.js';
import { syslogPrint } from './syslog.js';
import { nextproto6Cksum } from './tcp.js';
import { tftpPrint } from './tftp.js';
import { timedPrint } from './timed.js';
import { TXT_SIP, txtprotoPrint } from './txtproto.js';
import { vxlanPrint } from './vxlan.js';

/** udpipaddr_print; sport -1 = ports unknown. */
function udpipaddrPrint(ctx: PrintContext, ip: number, v6: boolean, sport: number, dport: number): void {
  const b = ctx.buf;
  if (v6) {
    if (ctx.u8(ip + 6) === 17) {
      if (sport === -1) ctx.s += `${ip6addrString(ctx, ip + 8)} > ${ip6addrString(ctx, ip + 24)}: `;
      else
        ctx.s += `${ip6addrString(ctx, ip + 8)}.${udpportString(ctx, sport)} > ${ip6addrString(ctx, ip + 24)}.${udpportString(ctx, dport)}: `;
    } else if (sport !== -1) ctx.s += `${udpportString(ctx, sport)} > ${udpportString(ctx, dport)}: `;
  } else if (b[ip + 9] === 17) {
    if (sport === -1) ctx.s += `${ipaddrString(ctx, ip + 12)} > ${ipaddrString(ctx, ip + 16)}: `;
    else
      ctx.s += `${ipaddrString(ctx, ip + 12)}.${udpportString(ctx, sport)} > ${ipaddrString(ctx, ip + 16)}.${udpportString(ctx, dport)}: `;
  } else if (sport !== -1) ctx.s += `${udpportString(ctx, sport)} > ${udpportString(ctx, dport)}: `;
}

/** udp_print: the datagram at off; ip is the enclosing IPv4/IPv6 header. */
export function udpPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  ip: number,
  fragmented: boolean,
): void {
  ctx.protocol = 'udp';
  const b = ctx.buf;
  const v6 = b[ip]! >> 4 === 6;
  if (!ctx.has(off + 2, 2)) {
    udpipaddrPrint(ctx, ip, v6, -1, -1);
    ctx.s += ' [|udp]';
    return;
  }
  const sport = (b[off]! << 8) | b[off + 1]!;
  const dport = (b[off + 2]! << 8) | b[off + 3]!;
  if (length < 8) {
    udpipaddrPrint(ctx, ip, v6, sport, dport);
    ctx.s += `truncated-udp ${length}`;
    return;
  }
  if (!ctx.has(off + 4, 2)) {
    udpipaddrPrint(ctx, ip, v6, sport, dport);
    ctx.s += ' [|udp]';
    return;
  }
  let ulen = (b[off + 4]! << 8) | b[off + 5]!;
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) {
    udpipaddrPrint(ctx, ip, v6, sport, dport);
    ctx.s += `truncated-udplength ${ulen}`;
    return;
  }
  ulen -= 8;
  length -= 8;
  if (ulen < length) length = ulen;
  const cp = off + 8;
  if (cp > ctx.snapend) {
    udpipaddrPrint(ctx, ip, v6, sport, dport);
    ctx.s += ' [|udp]';
    return;
  }
  const pt = ctx.opts.packetType;
  if (pt !== '') {
    if (pt === 'domain') {
      udpipaddrPrint(ctx, ip, v6, sport, dport);
      dnsPrint(ctx, cp, length, false, false);
    } else if (pt === 'vxlan') {
      udpipaddrPrint(ctx, ip, v6, sport, dport);
      vxlanPrint(ctx, cp, length);
    } else if (pt === 'tftp') {
      udpipaddrPrint(ctx, ip, v6, sport, dport);
      tftpPrint(ctx, cp, length);
    } else if (pt !== 'rpc') {
      udpipaddrPrint(ctx, ip, v6, sport, dport);
    }
    return;
  }
  udpipaddrPrint(ctx, ip, v6, sport, dport);
  if (ctx.opts.vflag && !ctx.opts.Kflag && !fragmented) {
    if (!v6 && ctx.opts.vflag > 1) {
      const udpSum = ctx.u16(off + 6);
      if (udpSum === 0) ctx.s += '[no cksum] ';
      else if (ctx.has(cp, length)) {
        const sum = nextproto4Cksum(ctx, ip, off, length + 8, length + 8, 17);
        if (sum !== 0)
          ctx.s += `[bad udp cksum 0x${hex4(udpSum)} -> 0x${hex4(inCksumShouldbe(udpSum, sum))}!] `;
        else ctx.s += '[udp sum ok] ';
      }
    } else if (v6) {
      if (ctx.has(cp, length)) {
        const sum = nextproto6Cksum(ctx, ip, off, length + 8, 17);
        const udpSum = ctx.u16(off + 6);
        if (sum !== 0)
          ctx.s += `[bad udp cksum 0x${hex4(udpSum)} -> 0x${hex4(inCksumShouldbe(udpSum, sum))}!] `;
        else ctx.s += '[udp sum ok] ';
      }
    }
  }
  if (!ctx.opts.qflag) {
    if (sport === 53 || dport === 53) dnsPrint(ctx, cp, length, false, false);
    else if (sport === 5353 || dport === 5353) dnsPrint(ctx, cp, length, false, true);
    else if (sport === 525 || dport === 525) timedPrint(ctx, cp);
    else if (sport === 69 || dport === 69) tftpPrint(ctx, cp, length);
    else if (sport === 67 || dport === 67 || sport === 68 || dport === 68) bootpPrint(ctx, cp, length);
    else if (sport === 520 || dport === 520) ripPrint(ctx, cp, length);
    else if (sport === 4500 || dport === 4500) isakmpRfc3948Print(ctx, cp, length);
    else if (sport === 123 || dport === 123) ntpPrint(ctx, cp, length);
    else if (sport === 88 || dport === 88 || sport === 750 || dport === 750) krbPrint(ctx, cp);
    else if (sport === 521 || dport === 521) ripngPrint(ctx, cp, length);
    else if (sport === 546 || dport === 546 || sport === 547 || dport === 547) dhcp6Print(ctx, cp, length);
    else if (dport === 1985) hsrpPrint(ctx, cp, length);
    else if (sport === 5060 || dport === 5060) txtprotoPrint(ctx, cp, length, TXT_SIP);
    else if (sport === 514 || dport === 514) syslogPrint(ctx, cp, length);
    else if (sport === 4789 || dport === 4789) vxlanPrint(ctx, cp, length);
    else udpFallback(ctx, ulen, length, fragmented);
  } else udpFallback(ctx, ulen, length, fragmented);
}

/** isakmp_rfc3948_print (RFC 3948 UDP encapsulation of ESP); IKE itself is not decoded. */
function isakmpRfc3948Print(ctx: PrintContext, bp: number, length: number): void {
  ctx.protocol = 'isakmp_rfc3948';
  if (length === 1 && ctx.u8(bp) === 0xff) {
    ctx.s += 'isakmp-nat-keep-alive';
    return;
  }
  if (length < 4) {
    ctx.s += ' [|isakmp_rfc3948]';
    return;
  }
  if (ctx.u32(bp) === 0) {
    ctx.s += 'NONESP-encap: ';
    return;
  }
  ctx.s += 'UDP-encap: ';
  espPrint(ctx, bp, length);
}

function udpFallback(ctx: PrintContext, ulen: number, length: number, fragmented: boolean): void {
  if (ulen > length && !fragmented) ctx.s += `UDP, bad length ${ulen} > ${length}`;
  else ctx.s += `UDP, length ${ulen}`;
}
