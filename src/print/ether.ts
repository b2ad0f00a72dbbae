// Ethernet II and 802.3 framing with 802.1Q/802.1ad tags (print-ether.c): the -e header, then the
// payload by ethertype; unknown types get tcpdump's fallback line and a hex/ASCII dump.

import { arpPrint } from './arp.js';
import { etheraddrString, ethertypeName } from './arp-names.js';
import type { PrintContext } from './context.js';
import { hexAsciiDump } from './hex.js';
import { ipPrint } from './ip.js';
import { ip6Print } from './ip6.js';
import { llcPrint } from './llc.js';

const MAX_ETHERNET_LENGTH_VAL = 1500;

/** "ethertype IPv4 (0x0800)" as ether_type_print writes it ("IPv4" alone with -q). */
export function etherTypeText(t: number, qflag = 0): string {
  const hex = `0x${t.toString(16).padStart(4, '0')}`;
  if (qflag) return ethertypeName(t) ?? `Unknown Ethertype (${hex})`;
  return `ethertype ${ethertypeName(t) ?? 'Unknown'} (${hex})`;
}

/**
 * Prints the payload of a frame by its ethertype (ethertype_print). Returns false when tcpdump has
 * no printer for the type, so that the caller prints the fallback.
 */
export function ethertypePrint(ctx: PrintContext, type: number, off: number, length: number): boolean {
  switch (type) {
    case 0x0800:
      ipPrint(ctx, off, length);
      return true;
    case 0x86dd:
      ip6Print(ctx, off, length);
      return true;
    case 0x0806:
    case 0x8035:
      arpPrint(ctx, off, length);
      return true;
    default:
      return false;
  }
}

/** The default print of unknown data: a hex and ASCII dump, which -x, -X and -q suppress. */
export function defaultPrint(ctx: PrintContext, off: number, caplen: number): void {
  if (ctx.opts.xflag || ctx.opts.Xflag || ctx.opts.qflag) return;
  const n = Math.min(caplen, ctx.avail(off));
  if (n > 0) ctx.print(hexAsciiDump(ctx.buf, off, n));
}

/**
 * An Ethernet frame at off with `length` bytes on the wire. Returns the link-layer header length
 * (what -x leaves out).
 */
export function etherPrint(ctx: PrintContext, off: number, length: number): number {
  ctx.protocol = 'ether';
  let caplen = ctx.avail(off);
  if (length < caplen) {
    ctx.print(`[length ${length} < caplen ${caplen}] (invalid)`);
    return length;
  }
  if (caplen < 14) {
    ctx.print(' [|ether]');
    return caplen;
  }
  const origLength = length;
  const src = off + 6;
  const dst = off;
  const e = ctx.opts.eflag !== 0;
  if (e) ctx.print(`${etheraddrString(ctx, src)} > ${etheraddrString(ctx, dst)}, `);
  let p = off + 12;
  length -= 14;
  caplen -= 14;
  let hdrlen = 14;
  let type = ctx.u16(p);
  p += 2;
  if (e) {
    if (type <= MAX_ETHERNET_LENGTH_VAL) ctx.print('802.3');
    else ctx.print(etherTypeText(type, ctx.opts.qflag));
    ctx.print(`, length ${origLength}: `);
  }
  // 802.1Q / 802.1ad tags: each shows as "vlan N, p P, " and the type after it as "ethertype X, ".
  while (isTag(type)) {
    if (caplen < 4) {
      ctx.protocol = 'vlan';
      ctx.print(' [|vlan]');
      return hdrlen + caplen;
    }
    const tci = ctx.u16(p);
    type = ctx.u16(p + 2);
    if (e) {
      ctx.print(`${tciText(tci)}, `);
      if (type > MAX_ETHERNET_LENGTH_VAL) ctx.print(`${etherTypeText(type, ctx.opts.qflag)}, `);
    }
    p += 4;
    length -= 4;
    caplen -= 4;
    hdrlen += 4;
  }
  if (type <= MAX_ETHERNET_LENGTH_VAL) {
    // 802.3: the field is a length, and an LLC header follows.
    length = type;
    if (caplen > length) caplen = length;
    if (!llcPrint(ctx, p, length, caplen, src, dst)) {
      if (!e)
        ctx.print(
          `${etheraddrString(ctx, src)} > ${etheraddrString(ctx, dst)}, 802.3, length ${origLength}: `,
        );
      defaultPrint(ctx, p, caplen);
    }
    return hdrlen;
  }
  if (!ethertypePrint(ctx, type, p, length)) {
    if (!e)
      ctx.print(
        `${etheraddrString(ctx, src)} > ${etheraddrString(ctx, dst)}, ${etherTypeText(type, ctx.opts.qflag)}, length ${origLength}: `,
      );
    defaultPrint(ctx, p, caplen);
  }
  return hdrlen;
}

function isTag(t: number): boolean {
  return t === 0x8100 || t === 0x9100 || t === 0x9200 || t === 0x88a8;
}

/** "vlan 10, p 0" (", DEI" when set) as ieee8021q_tci_string writes it. */
function tciText(tci: number): string {
  return `vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}`;
}
