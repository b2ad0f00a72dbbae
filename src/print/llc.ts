// IEEE 802.2 LLC after an 802.3 length field (print-llc.c), to the depth tcpdump shows without a
// printer for the protocol above: SNAP with a known ethertype goes on to that printer.

import type { PrintContext } from './context.js';

const LLC_NAMES = new Map<number, string>([
  [0x00, 'Null'],
  [0x02, 'LLC Sublayer Management (individual)'],
  [0x03, 'LLC Sublayer Management (group)'],
  [0x06, 'IP'],
  [0x42, 'STP'],
  [0x4e, 'RS511'],
  [0x7e, 'ISO8208'],
  [0x80, 'XNS'],
  [0x8e, 'ProWay Active Station List'],
  [0xaa, 'SNAP'],
  [0xe0, 'Novell'],
  [0xf0, 'NetBeui'],
  [0xf4, 'IBM Net Management'],
  [0xf8, 'Remote Program Load'],
  [0xfe, 'OSI'],
  [0xff, 'Global'],
]);

const sapName = (v: number) => LLC_NAMES.get(v) ?? `Unknown DSAP 0x${v.toString(16).padStart(2, '0')}`;

/**
 * LLC frames: tcpdump has printers for the protocols above LLC (STP, IPX, NetBIOS, OSI ...) that
 * tsdump does not implement; returns false so the caller prints tcpdump's fallback and the data.
 * Truncated headers print tcpdump's marker and return true.
 */
export function llcPrint(
  ctx: PrintContext,
  p: number,
  length: number,
  caplen: number,
  src: number,
  dst: number,
): boolean {
  void src;
  void dst;
  ctx.protocol = 'llc';
  if (caplen < 3 || length < 3) {
    ctx.print(' [|llc]');
    return true;
  }
  return false;
}

/** The name tcpdump gives a SAP (for the -e line). */
export function llcSapName(v: number): string {
  return sapName(v & 0xfe);
}
