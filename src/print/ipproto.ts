// tcpdump's ip_demux_print: hands the payload of an IPv4 or IPv6 packet to the printer of its
// upper-layer protocol (IANA protocol numbers), and the protocol names of tcpdump's ipproto_values.

import { type PrintContext, TRUNCATED } from './context.js';
import { dccpPrint } from './dccp.js';
import { etherPrint } from './ether.js';
import { grePrint } from './gre.js';
import { icmpPrint } from './icmp.js';
import { icmp6Print } from './icmp6.js';
import { igmpPrint } from './igmp.js';
import { ipPrint } from './ip.js';
import { netdbProtoname } from './ip-names.js';
import { ip6Print } from './ip6.js';
import { ahPrint, espPrint, ipcompPrint } from './ipsec.js';
import { sctpPrint } from './sctp.js';
import { tcpPrint } from './tcp.js';
import { udpPrint } from './udp.js';
import { vrrpPrint } from './vrrp.js';

export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_IPV4 = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_DCCP = 33;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_GRE = 47;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;
export const IPPROTO_IPCOMP = 108;
export const IPPROTO_VRRP = 112;
export const IPPROTO_SCTP = 132;
export const IPPROTO_ETHERNET = 143;

/** tcpdump's ipproto_values (names used in `proto TCP (6)` and IPv6 next-header). */
const IPPROTO_NAMES: (string | undefined)[] = [];
IPPROTO_NAMES[0] = 'Options';
IPPROTO_NAMES[1] = 'ICMP';
IPPROTO_NAMES[2] = 'IGMP';
IPPROTO_NAMES[4] = 'IPIP';
IPPROTO_NAMES[6] = 'TCP';
IPPROTO_NAMES[8] = 'EGP';
IPPROTO_NAMES[9] = 'IGRP';
IPPROTO_NAMES[17] = 'UDP';
IPPROTO_NAMES[33] = 'DCCP';
IPPROTO_NAMES[41] = 'IPv6';
IPPROTO_NAMES[43] = 'Routing';
IPPROTO_NAMES[44] = 'Fragment';
IPPROTO_NAMES[46] = 'RSVP';
IPPROTO_NAMES[47] = 'GRE';
IPPROTO_NAMES[50] = 'ESP';
IPPROTO_NAMES[51] = 'AH';
IPPROTO_NAMES[55] = 'Mobile IP';
IPPROTO_NAMES[58] = 'ICMPv6';
IPPROTO_NAMES[62] = 'Mobile IP (old)';
IPPROTO_NAMES[88] = 'EIGRP';
IPPROTO_NAMES[89] = 'OSPF';
IPPROTO_NAMES[103] = 'PIM';
IPPROTO_NAMES[108] = 'Compressed IP';
IPPROTO_NAMES[112] = 'VRRP';
IPPROTO_NAMES[113] = 'PGM';
IPPROTO_NAMES[132] = 'SCTP';
IPPROTO_NAMES[135] = 'Mobility';
IPPROTO_NAMES[143] = 'Ethernet';

/** tok2str(ipproto_values, "unknown", nh). */
export function ipprotoName(nh: number): string {
  return IPPROTO_NAMES[nh] ?? 'unknown';
}

/** ` ip-proto-N` or, without -n, the /etc/protocols name (tcpdump's fallback). */
export function ipprotoFallback(ctx: PrintContext, nh: number): string {
  if (ctx.opts.nflag === 0) {
    const n = netdbProtoname(nh);
    if (n !== undefined) return ` ${n}`;
  }
  return ` ip-proto-${nh}`;
}

/**
 * How deep protocols may nest through ip_demux_print (IPv6 in IPv6, GRE in IP in GRE...): tcpdump's
 * C stack takes thousands of levels, ours not; past this a crafted packet ends truncated.
 */
const MAX_DEMUX_NESTING = 200;
let demuxNesting = 0;

/** tcpdump ip_demux_print: the upper-layer protocol `nh` of an IPv4 (ver 4) or IPv6 (ver 6) packet. */
export function ipDemuxPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  ver: 4 | 6,
  fragmented: boolean,
  ttlHl: number,
  nh: number,
  ipOff: number,
): void {
  if (demuxNesting >= MAX_DEMUX_NESTING) throw TRUNCATED;
  demuxNesting++;
  try {
    demux(ctx, off, length, ver, fragmented, ttlHl, nh, ipOff);
  } finally {
    demuxNesting--;
  }
}

function demux(
  ctx: PrintContext,
  off: number,
  length: number,
  ver: 4 | 6,
  fragmented: boolean,
  ttlHl: number,
  nh: number,
  ipOff: number,
): void {
  for (;;) {
    switch (nh) {
      case IPPROTO_AH: {
        if (!ctx.has(off, 1)) {
          ctx.protocol = 'ah';
          ctx.s += ` [|ah]`;
          return;
        }
        const next = ctx.buf[off]!;
        const advance = ahPrint(ctx, off);
        if (advance <= 0) return;
        off += advance;
        length -= advance;
        nh = next;
        continue;
      }
      case IPPROTO_ESP:
        espPrint(ctx, off, length);
        return;
      case IPPROTO_IPCOMP:
        ipcompPrint(ctx, off);
        return;
      case IPPROTO_SCTP:
        sctpPrint(ctx, off, ipOff, length);
        return;
      case IPPROTO_DCCP:
        dccpPrint(ctx, off, ipOff, length);
        return;
      case IPPROTO_TCP:
        tcpPrint(ctx, off, length, ipOff, fragmented);
        return;
      case IPPROTO_UDP:
        udpPrint(ctx, off, length, ipOff, fragmented);
        return;
      case IPPROTO_ICMP:
        if (ver === 4) icmpPrint(ctx, off, length, ipOff, fragmented);
        else ctx.s += `[${ipprotoName(nh)} requires IPv4] (invalid)`;
        return;
      case IPPROTO_ICMPV6:
        if (ver === 6) icmp6Print(ctx, off, length, ipOff, fragmented);
        else ctx.s += `[${ipprotoName(nh)} requires IPv6] (invalid)`;
        return;
      case IPPROTO_IGMP:
        if (ver === 4) igmpPrint(ctx, off, length);
        else ctx.s += `[${ipprotoName(nh)} requires IPv4] (invalid)`;
        return;
      case 77: // IPPROTO_ND
        ctx.s += ` nd ${length}`;
        return;
      case IPPROTO_IPV4:
        ipPrint(ctx, off, length);
        return;
      case IPPROTO_IPV6:
        ip6Print(ctx, off, length);
        return;
      case IPPROTO_GRE:
        grePrint(ctx, off, length);
        return;
      case IPPROTO_VRRP:
        vrrpPrint(ctx, off, length, ipOff, ttlHl, ver);
        return;
      case IPPROTO_ETHERNET:
        // RFC 8986 Ethernet payload (SRv6 End.DX2): 4.99.3 decodes it only after IPv6.
        if (ver === 6) etherPrint(ctx, off, length);
        else ctx.s += `[${ipprotoName(nh)} requires IPv6] (invalid)`;
        return;
      case IPPROTO_NONE:
        ctx.s += 'no next header';
        return;
      default:
        ctx.s += `${ipprotoFallback(ctx, nh)} ${length}`;
        return;
    }
  }
}
