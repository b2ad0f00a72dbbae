// PLACEHOLDER (owner: IPv6 printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

/** ICMPv6 message at off; ipOff is the enclosing IPv6 header (for the pseudo-header checksum). */
export function icmp6Print(
  ctx: PrintContext,
  off: number,
  length: number,
  ipOff: number,
  fragmented: boolean,
): void {
  void off;
  void ipOff;
  void fragmented;
  ctx.print(`ICMP6, length ${length}`);
}
