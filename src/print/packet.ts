// pretty_print_packet: one packet's line — number (-#), timestamp, the link printer and what it
// calls, the truncation marker, the -x/-X/-A dumps, the newline — written through Out.

import { isTruncated, PrintContext, type PrintOptions } from './context.js';
import { asciiDump, hexAsciiDump, hexDump } from './hex.js';
import { type LinkPrinter, linkPrinter } from './link.js';
import type { Out } from './out.js';
import { TimeFormatter } from './time.js';

export class PacketPrinter {
  readonly ctx: PrintContext;
  private readonly time: TimeFormatter;
  private readonly out: Out;
  private printerFor = -1;
  private printer: LinkPrinter | null = null;
  /** Text to insert after the protocol line (before the dumps), e.g. Wireshark's notes. */
  suffix = '';

  constructor(opts: PrintOptions, out: Out) {
    this.ctx = new PrintContext(opts);
    this.time = new TimeFormatter(opts.tflag, opts.nano, opts.fileNano ?? opts.nano);
    this.out = out;
  }

  /**
   * Prints a packet. `sec` is the timestamp's seconds as tcpdump sees them (pcap's 32-bit field is
   * signed), `nsec` the fraction in nanoseconds.
   */
  print(
    buf: Uint8Array,
    off: number,
    caplen: number,
    wirelen: number,
    linktype: number,
    sec: number,
    nsec: number,
    number: number,
  ): void {
    const ctx = this.ctx;
    const o = ctx.opts;
    ctx.reset(buf, off, caplen, wirelen, linktype);
    let line = o.numberFlag ? `${String(number).padStart(5)}  ` : '';
    // tcpdump's sanity checks on the record header come before the timestamp.
    let bad = '';
    if (caplen === 0) bad += ' caplen==0';
    if (wirelen === 0) bad += `${bad === '' ? '' : ','} len==0`;
    else if (wirelen < caplen) bad += `${bad === '' ? '' : ','} len(${wirelen}) < caplen(${caplen})`;
    if (caplen > 262144) bad += `${bad === '' ? '' : ','} caplen(${caplen}) > 262144`;
    if (wirelen > 262144) bad += `${bad === '' ? '' : ','} len(${wirelen}) > 262144`;
    if (bad !== '') {
      this.out.write(`${line}[Invalid header:${bad}]\n`);
      return;
    }
    line += this.time.format(sec, nsec);
    ctx.s = line;
    if (linktype !== this.printerFor) {
      this.printerFor = linktype;
      this.printer = linkPrinter(linktype);
    }
    let hdrlen = 0;
    try {
      hdrlen = this.printer!(ctx, off, wirelen);
    } catch (e) {
      if (!isTruncated(e)) throw e;
      ctx.s += ` [|${ctx.protocol}]`;
      hdrlen = 0;
    }
    let s = ctx.s;
    if (this.suffix !== '') s += this.suffix;
    if (o.Xflag) {
      if (o.Xflag > 1) s += hexAsciiDump(buf, off, caplen);
      else if (caplen > hdrlen) s += hexAsciiDump(buf, off + hdrlen, caplen - hdrlen);
    } else if (o.xflag) {
      if (o.xflag > 1) s += hexDump(buf, off, caplen);
      else if (caplen > hdrlen) s += hexDump(buf, off + hdrlen, caplen - hdrlen);
    } else if (o.Aflag) {
      if (o.Aflag > 1) s += asciiDump(buf, off, caplen);
      else if (caplen > hdrlen) s += asciiDump(buf, off + hdrlen, caplen - hdrlen);
    }
    this.out.write(`${s}\n`);
  }
}
