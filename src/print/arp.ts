// PLACEHOLDER (owner: IPv4 printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

export function arpPrint(ctx: PrintContext, off: number, length: number): void {
  void off;
  ctx.print(`ARP, length ${length}`);
}
