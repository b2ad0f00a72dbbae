// VXLAN (RFC 7348, UDP port 4789) as tcpdump 4.99.3's vxlan_print shows it: `VXLAN, flags [I]
// (0x08), vni 42` and, on the next line, the encapsulated Ethernet frame.
import type { PrintContext } from './context.js';
import { etherPrint } from './ether.js';
import { hex2 } from './ip-names.js';

const VXLAN_HDR_LEN = 8;

export function vxlanPrint(ctx: PrintContext, bp: number, len: number): void {
  ctx.protocol = 'vxlan';
  ctx.s += 'VXLAN';
  if (len < VXLAN_HDR_LEN) {
    ctx.s += ' (invalid)';
    return;
  }
  const flags = ctx.u8(bp);
  ctx.s += `, flags [${flags & 0x08 ? 'I' : 'invalid'}] (0x${hex2(flags)}), `;
  ctx.s += `vni ${ctx.u24(bp + 4)}\n`;
  ctx.check(bp + 7, 1);
  etherPrint(ctx, bp + VXLAN_HDR_LEN, len - VXLAN_HDR_LEN);
}
