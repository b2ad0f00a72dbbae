// PLACEHOLDER (owner: DNS printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

export function ntpPrint(ctx: PrintContext, off: number, length: number): void {
  void off;
  ctx.print(`NTP, length ${length}`);
}
