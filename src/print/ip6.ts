// PLACEHOLDER (owner: IPv6 printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

export function ip6Print(ctx: PrintContext, off: number, length: number): void {
  void off;
  ctx.print(`IP6, length ${length}`);
}
