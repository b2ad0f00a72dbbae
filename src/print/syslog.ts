// PLACEHOLDER (owner: DNS printers) so that other printers compile; replaced by the real printer.
import type { PrintContext } from './context.js';

export function syslogPrint(ctx: PrintContext, off: number, length: number): void {
  void off;
  ctx.print(`SYSLOG, length: ${length}`);
}
