// PLACEHOLDER (owner: DNS printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

/** tcpdump domain_print: a DNS message at off (over TCP: after the 2-byte length). */
export function dnsPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  overTcp: boolean,
  isMdns: boolean,
): void {
  void off;
  void overTcp;
  void isMdns;
  ctx.print(`domain, length ${length}`);
}
