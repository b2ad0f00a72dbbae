// PLACEHOLDER (owner: DNS printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

export function bootpPrint(ctx: PrintContext, off: number, length: number): void {
  void off;
  ctx.print(`BOOTP/DHCP, length ${length}`);
}
