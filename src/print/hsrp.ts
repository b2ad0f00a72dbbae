// HSRP printer (RFC 2281, Cisco Hot Standby Router Protocol v0 on UDP 1985), byte-exact with tcpdump
// 4.99.3's hsrp_print: `HSRPv0-hello 20: state=active group=1 addr=192.0.2.254`.
import type { PrintContext } from './context.js';
import { charText, reltsText } from './dns-text.js';
import { ipaddrString } from './ip-names.js';

const OPCODES = ['hello', 'coup', 'resign'];
const STATES = new Map([
  [0, 'initial'],
  [1, 'learn'],
  [2, 'listen'],
  [4, 'speak'],
  [8, 'standby'],
  [16, 'active'],
]);
const AUTH_LEN = 8;

/** tcpdump hsrp_print: the message at off, `length` bytes of UDP payload. */
export function hsrpPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'hsrp';
  const version = ctx.u8(off);
  ctx.print(`HSRPv${version}`);
  if (version !== 0) return;
  const op = ctx.u8(off + 1);
  ctx.print(`-${OPCODES[op] ?? `unknown (${op})`} ${length}: `);
  const state = ctx.u8(off + 2);
  ctx.print(`state=${STATES.get(state) ?? `Unknown (${state})`} `);
  ctx.print(`group=${ctx.u8(off + 6)} `);
  const reserved = ctx.u8(off + 7);
  if (reserved !== 0) ctx.print(`[reserved=${reserved}!] `);
  ctx.print(`addr=${ipaddrString(ctx, off + 16)}`);
  if (!ctx.opts.vflag) return;
  ctx.print(` hellotime=${reltsText(ctx.u8(off + 3))}`);
  ctx.print(` holdtime=${reltsText(ctx.u8(off + 4))}`);
  ctx.print(` priority=${ctx.u8(off + 5)}`);
  ctx.print(' auth="');
  // zero-padded text (RFC 2281 §5.1, default "cisco")
  for (let k = 0; k < AUTH_LEN; k++) {
    const c = ctx.u8(off + 8 + k);
    if (c === 0) break;
    ctx.print(charText(c));
  }
  ctx.print('"');
}
