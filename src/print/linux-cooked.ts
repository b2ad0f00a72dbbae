// Linux cooked capture headers (print-sll.c): LINUX_SLL (v1, 16 bytes) and LINUX_SLL2 (v2, 20
// bytes, with the interface index that tcpdump turns into a local interface name).

import { readdirSync, readFileSync } from 'node:fs';
import { etheraddrString, ethertypeName } from './arp-names.js';
import type { PrintContext } from './context.js';
import { defaultPrint, ethertypePrint } from './ether.js';
import { hexAsciiDump } from './hex.js';
import { llcPrint } from './llc.js';

const PKTTYPE = ['In', 'B', 'M', 'P', 'Out'];
const MAX_ETHERNET_LENGTH_VAL = 1500;
/** sll_protocol 4: an 802.2 LLC frame follows. */
const LINUX_SLL_P_802_2 = 4;

function pkttypeName(v: number): string {
  return PKTTYPE[v] ?? '?';
}

function protoText(t: number): string {
  if (t <= MAX_ETHERNET_LENGTH_VAL) {
    if (t === 1) return '802.3';
    if (t === 4) return '802.2';
    return `ethertype Unknown (0x${t.toString(16).padStart(4, '0')})`;
  }
  return `ethertype ${ethertypeName(t) ?? 'Unknown'} (0x${t.toString(16).padStart(4, '0')})`;
}

let ifnames: Map<number, string> | null = null;

/** if_indextoname on this machine (tcpdump names SLL2 interfaces with the reader's interfaces). */
function ifName(index: number): string {
  if (ifnames === null) {
    ifnames = new Map();
    try {
      for (const name of readdirSync('/sys/class/net')) {
        try {
          const idx = Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'latin1').trim());
          ifnames.set(idx, name);
        } catch {
          // An interface that vanished while we looked.
        }
      }
    } catch {
      // No sysfs: every index prints as "?".
    }
  }
  return ifnames.get(index) ?? '?';
}

const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));

/** The payload after a cooked header (and 802.1Q tags), shared by v1 and v2. */
function payload(
  ctx: PrintContext,
  p: number,
  length: number,
  caplen: number,
  proto: number,
  header: () => void,
): number {
  let added = 0;
  for (;;) {
    if (proto <= MAX_ETHERNET_LENGTH_VAL) {
      // A Linux protocol number, not an ethertype: no fallback header line (sll_if_print).
      if (proto === LINUX_SLL_P_802_2 && llcPrint(ctx, p, length, caplen, -1, -1)) {
        // A truncated LLC header: the marker, then the bytes whatever -x says (llc_print).
        const n = Math.min(caplen, ctx.avail(p));
        if (n > 0) ctx.print(hexAsciiDump(ctx.buf, p, n));
        return added + Math.min(caplen, length);
      }
      defaultPrint(ctx, p, caplen);
      return added;
    }
    if (proto === 0x8100) {
      if (caplen < 4) {
        ctx.protocol = 'vlan';
        ctx.print(' [|vlan]');
        return added + caplen;
      }
      const tci = ctx.u16(p);
      proto = ctx.u16(p + 2);
      if (ctx.opts.eflag) {
        ctx.print(`vlan ${tci & 0xfff}, p ${tci >> 13}${tci & 0x1000 ? ', DEI' : ''}, `);
        if (proto > MAX_ETHERNET_LENGTH_VAL) ctx.print(`ethertype ${ethertypeName(proto) ?? 'Unknown'}, `);
      }
      p += 4;
      length -= 4;
      caplen -= 4;
      added += 4;
      continue;
    }
    if (!ethertypePrint(ctx, proto, p, length)) {
      if (!ctx.opts.eflag) header();
      defaultPrint(ctx, p, caplen);
    }
    return added;
  }
}

/** LINUX_SLL: returns the link header length. */
export function sllPrint(ctx: PrintContext, off: number, length: number): number {
  const caplen = ctx.avail(off);
  if (caplen < 16) {
    ctx.protocol = 'sll';
    ctx.print(' [|sll]');
    return caplen;
  }
  const header = (len: number) => () => {
    ctx.protocol = 'sll';
    ctx.print(`${pkttypeName(ctx.u16(off)).padStart(3)} `);
    if (ctx.u16(off + 4) === 6) ctx.print(`${etheraddrString(ctx, off + 6)} `);
    if (!ctx.opts.qflag) ctx.print(`${protoText(ctx.u16(off + 14))}, length ${len}: `);
  };
  if (ctx.opts.eflag) header(length)();
  const proto = ctx.u16(off + 14);
  return 16 + payload(ctx, off + 16, length - 16, caplen - 16, proto, header(length));
}

/** LINUX_SLL2: "ifname direction" always, the rest of the header with -e. */
export function sll2Print(ctx: PrintContext, off: number, length: number): number {
  const caplen = ctx.avail(off);
  if (caplen < 20) {
    ctx.protocol = 'sll2';
    ctx.print(' [|sll2]');
    return caplen;
  }
  const ifindex = ctx.u32(off + 4);
  ctx.print(`${pad(ifName(ifindex), 5)} ${pad(pkttypeName(ctx.u8(off + 10)), 3)} `);
  const header = (len: number) => () => {
    ctx.protocol = 'sll2';
    ctx.print(`ifindex ${ifindex} `);
    if (ctx.u8(off + 11) === 6) ctx.print(`${etheraddrString(ctx, off + 12)} `);
    if (!ctx.opts.qflag) ctx.print(`${protoText(ctx.u16(off))}, length ${len}: `);
  };
  if (ctx.opts.eflag) header(length)();
  const proto = ctx.u16(off);
  return 20 + payload(ctx, off + 20, length - 20, caplen - 20, proto, header(length));
}
