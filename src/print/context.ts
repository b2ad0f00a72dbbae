// The per-packet printing context: options, the packet bytes with bounds-checked readers, and the
// text of the current line. One instance per tsdump run, re-pointed at each packet (nothing per packet).
//
// Truncation follows tcpdump 4.99: every read past the captured data throws the preallocated
// TRUNCATED sentinel; the packet printer catches it once and appends ` [|${ctx.protocol}]`, where
// `protocol` is the name the innermost printer set on entry (tcpdump's ndo_protocol).

/** Thrown (never an Error: no stack capture) when a printer reads beyond the captured bytes. */
export const TRUNCATED: { readonly truncated: true } = Object.freeze({ truncated: true });

export function isTruncated(e: unknown): boolean {
  return e === TRUNCATED;
}

/** tcpdump's print flags (the `ndo_*flag` counters) that printers consult. */
export interface PrintOptions {
  /** -n count: >= 1 means no host/port name resolution. */
  nflag: number;
  /** -N: print only the first label of host names. */
  Nflag: number;
  /** -v count. */
  vflag: number;
  /** -q: quick output. */
  qflag: number;
  /** -e: link-level header. */
  eflag: number;
  /** -S: absolute TCP sequence numbers. */
  Sflag: number;
  /** -x/-X/-A counts (hex, hex+ascii, ascii); see print/hex.ts. */
  xflag: number;
  Xflag: number;
  Aflag: number;
  /** -K: do not verify checksums. */
  Kflag: number;
  /** -t count (0 = default time format, 1 = none, 2 = -tt ...). */
  tflag: number;
  /** -# : print packet numbers. */
  numberFlag: boolean;
  /** --nano / timestamp precision: true = nanoseconds. */
  nano: boolean;
  /**
   * The savefile's time stamps are nanoseconds (libpcap converts them to the printed precision);
   * unset for live capture, whose stamps come in the printed precision.
   */
  fileNano?: boolean;
  /** -T TYPE (e.g. 'domain'), or '' when not given. */
  packetType: string;
  /** -s snapshot length given by the user (0 = default). */
  snaplen: number;
}

export function defaultPrintOptions(): PrintOptions {
  return {
    nflag: 0,
    Nflag: 0,
    vflag: 0,
    qflag: 0,
    eflag: 0,
    Sflag: 0,
    xflag: 0,
    Xflag: 0,
    Aflag: 0,
    Kflag: 0,
    tflag: 0,
    numberFlag: false,
    nano: false,
    packetType: '',
    snaplen: 0,
  };
}

const EMPTY = new Uint8Array(0);

export class PrintContext {
  readonly opts: PrintOptions;
  /** The packet's bytes (borrowed from the reader): valid only while this packet is printed. */
  buf: Uint8Array = EMPTY;
  /** Index in buf of the packet's first byte. */
  start = 0;
  /** Index one past the last byte printers may read (captured end, shrunk by nested lengths). */
  snapend = 0;
  /** Length of the packet on the wire. */
  wirelen = 0;
  /** LINKTYPE_* of the current packet. */
  linktype = 0;
  /** Name printed in ` [|name]` when a read runs past snapend; each printer sets it on entry. */
  protocol = '';
  /** Text of the current packet so far (without the trailing newline). */
  s = '';
  /** Per-run state that printers keep between packets (e.g. TCP relative sequence numbers). */
  readonly state: Map<string, unknown> = new Map();

  constructor(opts: PrintOptions) {
    this.opts = opts;
  }

  /** Points the context at a new packet and clears the line. */
  reset(buf: Uint8Array, start: number, caplen: number, wirelen: number, linktype: number): void {
    this.buf = buf;
    this.start = start;
    this.snapend = start + caplen;
    this.wirelen = wirelen;
    this.linktype = linktype;
    this.protocol = '';
    this.s = '';
  }

  print(text: string): void {
    this.s += text;
  }

  /** True when n bytes from index i are captured (tcpdump's ND_TTEST_LEN). */
  has(i: number, n: number): boolean {
    return i >= this.start && n >= 0 && i + n <= this.snapend;
  }

  /** Throws TRUNCATED unless n bytes from index i are captured (ND_TCHECK_LEN). */
  check(i: number, n: number): void {
    if (i < this.start || n < 0 || i + n > this.snapend) throw TRUNCATED;
  }

  /** Bytes captured from index i to snapend (0 when i is past it). */
  avail(i: number): number {
    return i >= this.snapend ? 0 : this.snapend - i;
  }

  u8(i: number): number {
    if (i < this.start || i + 1 > this.snapend) throw TRUNCATED;
    return this.buf[i]!;
  }

  u16(i: number): number {
    if (i < this.start || i + 2 > this.snapend) throw TRUNCATED;
    const b = this.buf;
    return (b[i]! << 8) | b[i + 1]!;
  }

  u24(i: number): number {
    if (i < this.start || i + 3 > this.snapend) throw TRUNCATED;
    const b = this.buf;
    return (b[i]! << 16) | (b[i + 1]! << 8) | b[i + 2]!;
  }

  u32(i: number): number {
    if (i < this.start || i + 4 > this.snapend) throw TRUNCATED;
    const b = this.buf;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  u16le(i: number): number {
    if (i < this.start || i + 2 > this.snapend) throw TRUNCATED;
    const b = this.buf;
    return b[i]! | (b[i + 1]! << 8);
  }

  u32le(i: number): number {
    if (i < this.start || i + 4 > this.snapend) throw TRUNCATED;
    const b = this.buf;
    return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
  }

  /**
   * Shrinks snapend to `end` if that is smaller (tcpdump's nd_push_snaplen: a header's own length
   * bounds what its payload printers may read). Returns the previous snapend for popSnapend().
   */
  pushSnapend(end: number): number {
    const prev = this.snapend;
    if (end < this.snapend) this.snapend = Math.max(end, this.start);
    return prev;
  }

  popSnapend(prev: number): void {
    this.snapend = prev;
  }
}
