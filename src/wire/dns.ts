// DNS message codec (RFC 1035 §4.1, EDNS(0) RFC 6891): a re-pointable header view, loop-safe
// bounded name walking and decompression, a zero-copy resource-record cursor, and emitters.
//
// Every reader takes an explicit `end` (one past the last byte it may touch), so the same code
// serves whole messages and captures cut short by the snapshot length.

export const DNS_HEADER_LEN = 12;
/** RFC 1035 §3.1: a name is at most 255 octets on the wire (tcpdump's MAXCDNAME). */
export const DNS_MAX_NAME_LEN = 255;
/** RFC 1035 §2.3.4. */
export const DNS_MAX_LABEL_LEN = 63;

// Header field offsets.
const ID = 0;
const FLAGS = 2;
const QDCOUNT = 4;
const ANCOUNT = 6;
const NSCOUNT = 8;
const ARCOUNT = 10;

// Flag bits (RFC 1035 §4.1.1, RFC 4035 §3.2 for AD/CD).
export const DNS_FLAG_QR = 0x8000;
export const DNS_FLAG_AA = 0x0400;
export const DNS_FLAG_TC = 0x0200;
export const DNS_FLAG_RD = 0x0100;
export const DNS_FLAG_RA = 0x0080;
export const DNS_FLAG_Z = 0x0040;
export const DNS_FLAG_AD = 0x0020;
export const DNS_FLAG_CD = 0x0010;

/** The two top bits of a length octet (RFC 1035 §4.1.4, RFC 6891 §5). */
export const LABEL_MASK = 0xc0;
export const LABEL_NORMAL = 0x00;
/** Extended label type (RFC 2671, obsolete): only 0x41 (bit-string label, RFC 2673) is known. */
export const LABEL_EXTENDED = 0x40;
export const LABEL_RESERVED = 0x80;
export const LABEL_POINTER = 0xc0;
export const EXT_LABEL_BITSTRING = 0x01;

/** RR TYPE values this codebase names (IANA dns-parameters). */
export const DnsType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  HINFO: 13,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  NAPTR: 35,
  A6: 38,
  DNAME: 39,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  UNSPECA: 104,
  TSIG: 250,
  ANY: 255,
  URI: 256,
  CAA: 257,
} as const;

export const DNS_CLASS_IN = 1;
/** mDNS (RFC 6762 §5.4, §10.2): top bit of QCLASS = unicast response wanted, of CLASS = cache flush. */
export const MDNS_CLASS_QU = 0x8000;
export const MDNS_CLASS_CACHE_FLUSH = 0x8000;

export const DnsRcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
} as const;

/** Result of DnsView.check(). */
export const DnsStatus = {
  OK: 0,
  /** Fewer than 12 bytes: no header. */
  SHORT_HEADER: 1,
} as const;

/** Re-pointable view of a DNS message header. Borrowed: valid while `buf` holds the message. */
export class DnsView {
  buf: Uint8Array = new Uint8Array(0);
  /** Index of the message's first byte (the ID). */
  off = 0;
  /** Bytes of the message available from off. */
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = len;
    return this;
  }

  /** DnsStatus.OK when the 12-byte header is present; the getters assume it. */
  check(): number {
    return this.len < DNS_HEADER_LEN || this.off + DNS_HEADER_LEN > this.buf.length
      ? DnsStatus.SHORT_HEADER
      : DnsStatus.OK;
  }

  private u16(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return (b[i]! << 8) | b[i + 1]!;
  }

  get id(): number {
    return this.u16(ID);
  }
  get flags(): number {
    return this.u16(FLAGS);
  }
  get qr(): boolean {
    return (this.flags & DNS_FLAG_QR) !== 0;
  }
  get opcode(): number {
    return (this.flags >>> 11) & 0xf;
  }
  get aa(): boolean {
    return (this.flags & DNS_FLAG_AA) !== 0;
  }
  get tc(): boolean {
    return (this.flags & DNS_FLAG_TC) !== 0;
  }
  get rd(): boolean {
    return (this.flags & DNS_FLAG_RD) !== 0;
  }
  get ra(): boolean {
    return (this.flags & DNS_FLAG_RA) !== 0;
  }
  get ad(): boolean {
    return (this.flags & DNS_FLAG_AD) !== 0;
  }
  get cd(): boolean {
    return (this.flags & DNS_FLAG_CD) !== 0;
  }
  /** The 4-bit header RCODE (see extendedRcode for the EDNS upper bits). */
  get rcode(): number {
    return this.flags & 0xf;
  }
  get qdcount(): number {
    return this.u16(QDCOUNT);
  }
  get ancount(): number {
    return this.u16(ANCOUNT);
  }
  get nscount(): number {
    return this.u16(NSCOUNT);
  }
  get arcount(): number {
    return this.u16(ARCOUNT);
  }
  /** Index of the first byte after the header (the question section). */
  get bodyOff(): number {
    return this.off + DNS_HEADER_LEN;
  }
}

/**
 * Skips the name at i without following pointers (tcpdump's ns_nskip): returns the index after it,
 * or -1 when a length octet is not below `end` or the label type is reserved/unknown. A pointer
 * ends the name (its second octet is not checked: the caller reads past it anyway).
 */
export function skipName(buf: Uint8Array, i: number, end: number): number {
  if (i >= end || i < 0) return -1;
  let c = buf[i]!;
  i++;
  // Each step advances i by at least 1, so this terminates within end - i steps.
  while (c !== 0) {
    switch (c & LABEL_MASK) {
      case LABEL_POINTER:
        return i + 1;
      case LABEL_EXTENDED: {
        if ((c & ~LABEL_MASK) !== EXT_LABEL_BITSTRING) return -1;
        if (i >= end) return -1;
        let bits = buf[i]!;
        if (bits === 0) bits = 256;
        i += 1 + ((bits + 7) >>> 3);
        break;
      }
      case LABEL_RESERVED:
        return -1;
      default:
        i += c;
    }
    if (i >= end) return -1;
    c = buf[i]!;
    i++;
  }
  return i;
}

/** Why readName failed (NameResult.status). */
export const NameStatus = {
  OK: 0,
  /** A label or pointer runs past `end`. */
  TRUNCATED: 1,
  /** A pointer does not point strictly before the previous one (a loop or a forward jump). */
  BAD_POINTER: 2,
  /** Reserved (0x80) or unknown extended label type. */
  BAD_LABEL: 3,
  /** More than 255 octets once expanded. */
  TOO_LONG: 4,
} as const;

/** Reusable out-parameter of readName. */
export interface NameResult {
  status: number;
  /** Index just after the name where it was found (after the first pointer, if any). */
  next: number;
  /** The name in presentation form, with a trailing dot ("." for the root). */
  text: string;
}

export function newNameResult(): NameResult {
  return { status: NameStatus.OK, next: -1, text: '' };
}

/**
 * Reads and decompresses the name at i of the message that starts at msgOff. Pointers must move
 * strictly backwards (as BIND requires), so every chain ends: no loop can be followed twice.
 * Label bytes outside printable ASCII, '.' and '\\' are escaped as \DDD (RFC 4343).
 * Allocates the text: for tools and tests, not for per-packet hot paths.
 */
export function readName(
  buf: Uint8Array,
  msgOff: number,
  i: number,
  end: number,
  out: NameResult = newNameResult(),
): NameResult {
  let text = '';
  let wireLen = 1;
  let next = -1;
  let limit = i - msgOff; // a pointer must point before this
  out.text = '';
  out.next = -1;
  for (;;) {
    if (i < msgOff || i >= end) {
      out.status = NameStatus.TRUNCATED;
      return out;
    }
    const c = buf[i]!;
    const kind = c & LABEL_MASK;
    if (kind === LABEL_POINTER) {
      if (i + 1 >= end) {
        out.status = NameStatus.TRUNCATED;
        return out;
      }
      const target = ((c & 0x3f) << 8) | buf[i + 1]!;
      if (next < 0) next = i + 2;
      if (target >= limit) {
        out.status = NameStatus.BAD_POINTER;
        return out;
      }
      limit = target;
      i = msgOff + target;
      continue;
    }
    if (kind !== LABEL_NORMAL) {
      out.status = NameStatus.BAD_LABEL;
      return out;
    }
    if (c === 0) {
      out.status = NameStatus.OK;
      out.next = next < 0 ? i + 1 : next;
      out.text = text === '' ? '.' : text;
      return out;
    }
    if (i + 1 + c > end) {
      out.status = NameStatus.TRUNCATED;
      return out;
    }
    wireLen += c + 1;
    if (wireLen > DNS_MAX_NAME_LEN) {
      out.status = NameStatus.TOO_LONG;
      return out;
    }
    for (let k = i + 1; k <= i + c; k++) {
      const ch = buf[k]!;
      if (ch === 0x2e || ch === 0x5c) text += `\\${String.fromCharCode(ch)}`;
      else if (ch > 0x20 && ch < 0x7f) text += String.fromCharCode(ch);
      else text += `\\${ch.toString().padStart(3, '0')}`;
    }
    text += '.';
    i += 1 + c;
  }
}

/** Fields of one resource record as found by RrCursor (indexes into the cursor's buffer). */
export class RrCursor {
  buf: Uint8Array = new Uint8Array(0);
  msgOff = 0;
  end = 0;
  /** Index of the next entry to read. */
  pos = 0;
  /** Current entry: index of its owner name. */
  nameOff = 0;
  type = 0;
  klass = 0;
  /** TTL (0 for questions). */
  ttl = 0;
  /** RDATA index and length (0 for questions). */
  rdataOff = 0;
  rdlength = 0;

  /** Points the cursor at the question section of the message in view. */
  wrap(view: DnsView, end: number = view.off + view.len): this {
    this.buf = view.buf;
    this.msgOff = view.off;
    this.end = Math.min(end, view.off + view.len, view.buf.length);
    this.pos = view.off + DNS_HEADER_LEN;
    return this;
  }

  /** Reads a question entry; false when it does not fit before `end`. */
  nextQuestion(): boolean {
    const n = skipName(this.buf, this.pos, this.end);
    if (n < 0 || n + 4 > this.end) return false;
    const b = this.buf;
    this.nameOff = this.pos;
    this.type = (b[n]! << 8) | b[n + 1]!;
    this.klass = (b[n + 2]! << 8) | b[n + 3]!;
    this.ttl = 0;
    this.rdataOff = n + 4;
    this.rdlength = 0;
    this.pos = n + 4;
    return true;
  }

  /** Reads a resource record (answer, authority or additional); false when it does not fit. */
  nextRecord(): boolean {
    const n = skipName(this.buf, this.pos, this.end);
    if (n < 0 || n + 10 > this.end) return false;
    const b = this.buf;
    const rdlength = (b[n + 8]! << 8) | b[n + 9]!;
    if (n + 10 + rdlength > this.end) return false;
    this.nameOff = this.pos;
    this.type = (b[n]! << 8) | b[n + 1]!;
    this.klass = (b[n + 2]! << 8) | b[n + 3]!;
    this.ttl = ((b[n + 4]! << 24) | (b[n + 5]! << 16) | (b[n + 6]! << 8) | b[n + 7]!) >>> 0;
    this.rdataOff = n + 10;
    this.rdlength = rdlength;
    this.pos = n + 10 + rdlength;
    return true;
  }
}

/**
 * The response code with the EDNS extension (RFC 6891 §6.1.3): the header RCODE, or-ed with the
 * OPT record's EXTENDED-RCODE << 4 when an OPT record is reached in the additional section.
 * Walks like tcpdump's domain_print: stops quietly (header rcode only) at the first entry that does
 * not fit before `end`.
 */
export function extendedRcode(view: DnsView, end: number): number {
  const b = view.buf;
  const rcode = view.rcode;
  let i = view.bodyOff;
  const qd = view.qdcount;
  for (let k = 0; k < qd; k++) {
    i = skipName(b, i, end);
    if (i < 0) return rcode;
    i += 4;
    if (i >= end) return rcode;
  }
  const an = view.ancount + view.nscount;
  for (let k = 0; k < an; k++) {
    i = skipName(b, i, end);
    if (i < 0) return rcode;
    i += 8;
    if (i + 2 > end) return rcode;
    i += 2 + ((b[i]! << 8) | b[i + 1]!);
    if (i >= end) return rcode;
  }
  const ar = view.arcount;
  for (let k = 0; k < ar; k++) {
    i = skipName(b, i, end);
    if (i < 0 || i + 2 > end) return rcode;
    const type = (b[i]! << 8) | b[i + 1]!;
    i += 4;
    if (i + 1 > end) return rcode;
    if (type === DnsType.OPT) return rcode | (b[i]! << 4);
    i += 4;
    if (i + 2 > end) return rcode;
    i += 2 + ((b[i]! << 8) | b[i + 1]!);
    if (i >= end) return rcode;
  }
  return rcode;
}

/** Header fields for emitHeader. */
export interface DnsHeaderFields {
  id: number;
  flags: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

/** Writes a 12-byte header at off; returns off + 12. */
export function emitHeader(f: DnsHeaderFields, buf: Uint8Array, off: number): number {
  const w = (at: number, v: number): void => {
    buf[off + at] = (v >>> 8) & 0xff;
    buf[off + at + 1] = v & 0xff;
  };
  w(ID, f.id);
  w(FLAGS, f.flags);
  w(QDCOUNT, f.qdcount);
  w(ANCOUNT, f.ancount);
  w(NSCOUNT, f.nscount);
  w(ARCOUNT, f.arcount);
  return off + DNS_HEADER_LEN;
}

/**
 * Writes `name` ("www.example.com" or "www.example.com.", "." for the root) uncompressed at off;
 * returns the index after it, or throws RangeError for an empty or over-long label or name.
 */
export function emitName(name: string, buf: Uint8Array, off: number): number {
  const start = off;
  const labels = name === '.' || name === '' ? [] : name.replace(/\.$/, '').split('.');
  for (const label of labels) {
    if (label.length === 0 || label.length > DNS_MAX_LABEL_LEN) {
      throw new RangeError(`DNS name ${JSON.stringify(name)}: label length ${label.length} not in 1..63`);
    }
    buf[off++] = label.length;
    for (let k = 0; k < label.length; k++) buf[off++] = label.charCodeAt(k) & 0xff;
  }
  buf[off++] = 0;
  if (off - start > DNS_MAX_NAME_LEN) {
    throw new RangeError(`DNS name ${JSON.stringify(name)}: ${off - start} octets > 255`);
  }
  return off;
}

/** EDNS(0) option codes used here (IANA "DNS EDNS0 Option Codes"). */
export const EdnsOption = {
  NSID: 3,
  ECS: 8,
  COOKIE: 10,
  KEEPALIVE: 11,
  PADDING: 12,
} as const;

/**
 * The OPT pseudo-record of a message (RFC 6891 §6.1) and a cursor over its options. Zero-copy:
 * offsets into the message's buffer, valid while it holds the message.
 */
export class EdnsOpt {
  buf: Uint8Array = new Uint8Array(0);
  /** Requestor's UDP payload size (the OPT record's CLASS). */
  udpSize = 0;
  /** Upper 8 bits of the 12-bit extended RCODE. */
  extRcode = 0;
  version = 0;
  /** The 16 flag bits; 0x8000 is DO (DNSSEC OK, RFC 3225). */
  flags = 0;
  rdataOff = 0;
  rdlength = 0;
  /** Current option after nextOption(): code, data index and length. */
  code = 0;
  dataOff = 0;
  dataLen = 0;
  private pos = 0;
  private readonly cursor = new RrCursor();

  get dnssecOk(): boolean {
    return (this.flags & 0x8000) !== 0;
  }

  /**
   * Finds the OPT record in the additional section of the message in view (reading up to `end`);
   * false when there is none or the message is cut short before it.
   */
  find(view: DnsView, end: number = view.off + view.len): boolean {
    const c = this.cursor.wrap(view, end);
    for (let k = view.qdcount; k > 0; k--) if (!c.nextQuestion()) return false;
    for (let k = view.ancount + view.nscount; k > 0; k--) if (!c.nextRecord()) return false;
    for (let k = view.arcount; k > 0; k--) {
      if (!c.nextRecord()) return false;
      if (c.type !== DnsType.OPT) continue;
      this.buf = view.buf;
      this.udpSize = c.klass;
      this.extRcode = c.ttl >>> 24;
      this.version = (c.ttl >>> 16) & 0xff;
      this.flags = c.ttl & 0xffff;
      this.rdataOff = c.rdataOff;
      this.rdlength = c.rdlength;
      this.pos = c.rdataOff;
      return true;
    }
    return false;
  }

  /** Steps to the next option; false at the end of the RDATA or when an option overruns it. */
  nextOption(): boolean {
    const end = this.rdataOff + this.rdlength;
    if (this.pos + 4 > end) return false;
    const b = this.buf;
    const len = (b[this.pos + 2]! << 8) | b[this.pos + 3]!;
    if (this.pos + 4 + len > end) return false;
    this.code = (b[this.pos]! << 8) | b[this.pos + 1]!;
    this.dataOff = this.pos + 4;
    this.dataLen = len;
    this.pos += 4 + len;
    return true;
  }
}
