// PLACEHOLDER (owner: IPv4 printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

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
  void off;
  void ver;
  void fragmented;
  void ttlHl;
  void ipOff;
  ctx.print(`ip-proto-${nh} ${length}`);
}
