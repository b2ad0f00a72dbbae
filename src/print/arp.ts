// ARP/RARP/InARP printer (RFC 826, 903, 2390) and ATM ARP (RFC 2225), byte-exact with tcpdump
// 4.99.3's arp_print: `ARP, Request who-has 10.0.0.2 tell 10.0.0.1, length 28`.
import { ethertypeName, linkaddrString } from './arp-names.js';
import type { PrintContext } from './context.js';
import { hex4, ipaddrString } from './ip-names.js';
import { hexAndAsciiPrint } from './unknown-data.js';

const ARPHRD_FRELAY = 15;
const ARPHRD_ATM2225 = 19;
const ETHERTYPE_IP = 0x0800;
const ETHERTYPE_TRAIL = 0x1000;

function arpopName(op: number): string {
  switch (op) {
    case 1:
      return 'Request';
    case 2:
      return 'Reply';
    case 3:
      return 'Reverse Request';
    case 4:
      return 'Reverse Reply';
    case 8:
      return 'Inverse Request';
    case 9:
      return 'Inverse Reply';
    case 10:
      return 'NACK Reply';
    default:
      return `Unknown (${op})`;
  }
}

function arphrdName(hrd: number): string {
  switch (hrd) {
    case 1:
      return 'Ethernet';
    case 6:
      return 'TokenRing';
    case 7:
      return 'ArcNet';
    case 15:
      return 'FrameRelay';
    case 23:
      return 'Strip';
    case 24:
      return 'IEEE 1394';
    case 19:
      return 'ATM';
    case 32:
      return 'InfiniBand';
    default:
      return `Unknown Hardware (${hrd})`;
  }
}

function protoName(pro: number): string {
  return ethertypeName(pro) ?? `Unknown Protocol (0x${hex4(pro)})`;
}

/** tpaddr_print_ip / spaddr_print_ip. */
function paddrIp(ctx: PrintContext, pa: number, pro: number, pln: number, wrongLen: string): string {
  if (pro !== ETHERTYPE_IP && pro !== ETHERTYPE_TRAIL) return '<wrong proto type>';
  if (pln !== 4) return wrongLen;
  return ipaddrString(ctx, pa);
}

function isnonzero(ctx: PrintContext, a: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (ctx.u8(a + i) !== 0) return true;
  return false;
}

/** arp_print: the ARP packet at off, `length` bytes on the wire. */
export function arpPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'arp';
  const caplen = ctx.avail(off);
  ctx.check(off, 8);
  const hrd = ctx.u16(off);
  const pro = ctx.u16(off + 2);
  const op = ctx.u16(off + 6);
  if (hrd === ARPHRD_ATM2225) {
    atmarpPrint(ctx, off, length, caplen);
    return;
  }
  void ARPHRD_FRELAY;
  const hln = ctx.u8(off + 4);
  const pln = ctx.u8(off + 5);
  const sha = off + 8;
  const spa = sha + hln;
  const tha = spa + pln;
  const tpa = tha + hln;
  ctx.check(tpa, pln);
  if (!ctx.opts.eflag) ctx.s += 'ARP, ';
  const v = ctx.opts.vflag;
  if ((pro !== ETHERTYPE_IP && pro !== ETHERTYPE_TRAIL) || pln !== 4 || hln === 0 || v) {
    ctx.s += `${arphrdName(hrd)} (len ${hln}), ${protoName(pro)} (len ${pln})`;
    if (!v) {
      ctx.s += `, length ${length}`;
      return;
    }
  }
  ctx.s += `${v ? ', ' : ''}${arpopName(op)} `;
  switch (op) {
    case 1:
      ctx.s += `who-has ${paddrIp(ctx, tpa, pro, pln, '<wrong len>')}`;
      if (isnonzero(ctx, tha, hln)) ctx.s += ` (${linkaddrString(ctx, tha, hln)})`;
      ctx.s += ` tell ${paddrIp(ctx, spa, pro, pln, '<wrong len>')}`;
      break;
    case 2:
      ctx.s += paddrIp(ctx, spa, pro, pln, '<wrong len>');
      ctx.s += ` is-at ${linkaddrString(ctx, sha, hln)}`;
      break;
    case 3:
    case 8:
      ctx.s += `who-is ${linkaddrString(ctx, tha, hln)}`;
      ctx.s += ` tell ${linkaddrString(ctx, sha, hln)}`;
      break;
    case 4:
      ctx.s += `${linkaddrString(ctx, tha, hln)} at `;
      ctx.s += paddrIp(ctx, tpa, pro, pln, '<wrong len>');
      break;
    case 9:
      ctx.s += `${linkaddrString(ctx, sha, hln)} at `;
      ctx.s += paddrIp(ctx, spa, pro, pln, '<wrong len>');
      break;
    default:
      hexAndAsciiPrint(ctx, '\n\t', off, caplen);
      return;
  }
  ctx.s += `, length ${length}`;
}

/** atmarp_addr_print: an ATM number and optional subaddress. */
function atmarpAddr(ctx: PrintContext, ha: number, haLen: number, srca: number, srcaLen: number): string {
  if (haLen === 0) return '<No address>';
  let s = linkaddrString(ctx, ha, haLen);
  if (srcaLen !== 0) s += `,${linkaddrString(ctx, srca, srcaLen)}`;
  return s;
}

function atmarpPrint(ctx: PrintContext, off: number, length: number, caplen: number): void {
  ctx.check(off, 12);
  const hrd = ctx.u16(off);
  const pro = ctx.u16(off + 2);
  const shtl = ctx.u8(off + 4) & 0x3f;
  const sstl = ctx.u8(off + 5) & 0x3f;
  const op = ctx.u16(off + 6);
  const spln = ctx.u8(off + 8);
  const thtl = ctx.u8(off + 9) & 0x3f;
  const tstl = ctx.u8(off + 10) & 0x3f;
  const tpln = ctx.u8(off + 11);
  const sha = off + 12;
  const ssa = sha + shtl;
  const spa = ssa + sstl;
  const tha = spa + spln;
  const tsa = tha + thtl;
  const tpa = tsa + tstl;
  ctx.check(tpa, tpln);
  if (!ctx.opts.eflag) ctx.s += 'ARP, ';
  const v = ctx.opts.vflag;
  if ((pro !== ETHERTYPE_IP && pro !== ETHERTYPE_TRAIL) || spln !== 4 || tpln !== 4 || v) {
    ctx.s += `${arphrdName(hrd)}, ${protoName(pro)} (len ${spln}/${tpln})`;
    if (!v) {
      ctx.s += `, length ${length}`;
      return;
    }
  }
  ctx.s += `${v ? ', ' : ''}${arpopName(op)} `;
  switch (op) {
    case 1:
      ctx.s += `who-has ${paddrIp(ctx, tpa, pro, tpln, '<wrong tplen>')}`;
      if (thtl !== 0) ctx.s += ` (${atmarpAddr(ctx, tha, thtl, tsa, tstl)})`;
      ctx.s += ` tell ${paddrIp(ctx, spa, pro, spln, '<wrong splen>')}`;
      break;
    case 2:
      ctx.s += `${paddrIp(ctx, spa, pro, spln, '<wrong splen>')} is-at ${atmarpAddr(ctx, sha, shtl, ssa, sstl)}`;
      break;
    case 8:
      ctx.s += `who-is ${atmarpAddr(ctx, tha, thtl, tsa, tstl)} tell ${atmarpAddr(ctx, sha, shtl, ssa, sstl)}`;
      break;
    case 9:
      ctx.s += `${atmarpAddr(ctx, sha, shtl, ssa, sstl)}at ${paddrIp(ctx, spa, pro, spln, '<wrong splen>')}`;
      break;
    case 10:
      ctx.s += `for ${paddrIp(ctx, spa, pro, spln, '<wrong splen>')}`;
      break;
    default:
      hexAndAsciiPrint(ctx, '\n\t', off, caplen);
      return;
  }
  ctx.s += `, length ${length}`;
}
