// TCP options (RFC 9293 §3.2; MSS RFC 6691, window scale/timestamps RFC 7323, SACK RFC 2018,
// TFO RFC 7413 incl. the experimental 254/0xF989 form, MPTCP RFC 8684, MD5 RFC 2385, UTO RFC 5482,
// TCP-AO RFC 5925): a zero-copy cursor with typed readers, and emitters.
import { TCP_HEADER_LEN, type TcpView } from './tcp.js';

export const TcpOption = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WSCALE: 3,
  SACK_PERMITTED: 4,
  SACK: 5,
  TIMESTAMP: 8,
  MD5: 19,
  SCPS: 20,
  UTO: 28,
  TCP_AO: 29,
  MPTCP: 30,
  FASTOPEN: 34,
  EXPERIMENT2: 254,
} as const;

/** RFC 6994 ExID of the experimental TFO option (kind 254). */
export const TFO_EXPERIMENT_MAGIC = 0xf989;

/** Result of TcpOptionCursor.next(). */
export const TcpOptionStatus = {
  OK: 0,
  /** No more options (end of the header or after EOL). */
  END: 1,
  /** Length < 2 or running past the header (tcpdump: `[bad opt]`). */
  BAD_LENGTH: 2,
} as const;

/**
 * Walks a TCP header's options. After next() returns OK: `kind`, `offset` (index in buf of the
 * kind byte), `length` (whole option; 1 for EOL/NOP) and `dataOffset`/`dataLength` (the value).
 * The typed readers below then decode the current option; they trust `length` (check the kind
 * and length first, e.g. `kind === MSS && length === 4`).
 */
export class TcpOptionCursor {
  buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private end = 0;
  kind = 0;
  offset = 0;
  length = 0;

  reset(tcp: TcpView): this {
    return this.resetRange(tcp.buf, tcp.off + TCP_HEADER_LEN, tcp.off + tcp.headerLength);
  }

  /** Walks the option bytes [start, end) of buf. */
  resetRange(buf: Uint8Array, start: number, end: number): this {
    this.buf = buf;
    this.pos = start;
    this.end = Math.min(end, buf.length);
    return this;
  }

  next(): number {
    if (this.pos >= this.end) return TcpOptionStatus.END;
    const b = this.buf;
    const k = b[this.pos]!;
    this.kind = k;
    this.offset = this.pos;
    if (k === TcpOption.EOL) {
      this.length = 1;
      this.pos = this.end;
      return TcpOptionStatus.OK;
    }
    if (k === TcpOption.NOP) {
      this.length = 1;
      this.pos++;
      return TcpOptionStatus.OK;
    }
    if (this.pos + 1 >= this.end) return TcpOptionStatus.BAD_LENGTH;
    const l = b[this.pos + 1]!;
    if (l < 2 || this.pos + l > this.end) return TcpOptionStatus.BAD_LENGTH;
    this.length = l;
    this.pos += l;
    return TcpOptionStatus.OK;
  }

  get dataOffset(): number {
    return this.length === 1 ? this.offset + 1 : this.offset + 2;
  }
  get dataLength(): number {
    return this.length === 1 ? 0 : this.length - 2;
  }
  private u16(i: number): number {
    return (this.buf[i]! << 8) | this.buf[i + 1]!;
  }
  private u32(i: number): number {
    const b = this.buf;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  /** MSS value (kind 2, length 4). */
  get mss(): number {
    return this.u16(this.offset + 2);
  }
  /** Window scale shift count (kind 3, length 3). */
  get windowScale(): number {
    return this.buf[this.offset + 2]!;
  }
  /** Timestamp value / echo reply (kind 8, length 10). */
  get tsVal(): number {
    return this.u32(this.offset + 2);
  }
  get tsEcr(): number {
    return this.u32(this.offset + 6);
  }
  /** Number of SACK blocks (kind 5); -1 when the length is not 2 + 8n. */
  get sackBlockCount(): number {
    const d = this.length - 2;
    return d % 8 === 0 ? d / 8 : -1;
  }
  sackLeft(i: number): number {
    return this.u32(this.offset + 2 + i * 8);
  }
  sackRight(i: number): number {
    return this.u32(this.offset + 6 + i * 8);
  }
  /** TFO: true for a cookie request (no cookie), in both the 34 and the 254/0xF989 forms. */
  get isTfo(): boolean {
    return (
      this.kind === TcpOption.FASTOPEN ||
      (this.kind === TcpOption.EXPERIMENT2 &&
        this.length >= 4 &&
        this.u16(this.offset + 2) === TFO_EXPERIMENT_MAGIC)
    );
  }
  /** Index and length of the TFO cookie (length 0 = cookie request). */
  get tfoCookieOffset(): number {
    return this.kind === TcpOption.FASTOPEN ? this.offset + 2 : this.offset + 4;
  }
  get tfoCookieLength(): number {
    return this.kind === TcpOption.FASTOPEN ? this.length - 2 : this.length - 4;
  }
  /** MPTCP subtype (RFC 8684 §3: the high nibble of the third byte). */
  get mptcpSubtype(): number {
    return this.buf[this.offset + 2]! >> 4;
  }
  /** User timeout in seconds (kind 28; the G bit selects minutes). */
  get userTimeoutSeconds(): number {
    const v = this.u16(this.offset + 2);
    return v & 0x8000 ? (v & 0x7fff) * 60 : v & 0x7fff;
  }
}

/** Writes options for a SYN as Linux sends them: mss, sackOK, TS, nop, wscale (20 bytes). */
export function emitSynOptions(
  buf: Uint8Array,
  off: number,
  mss: number,
  tsVal: number,
  tsEcr: number,
  wscale: number,
): number {
  buf[off] = TcpOption.MSS;
  buf[off + 1] = 4;
  buf[off + 2] = mss >>> 8;
  buf[off + 3] = mss & 0xff;
  buf[off + 4] = TcpOption.SACK_PERMITTED;
  buf[off + 5] = 2;
  emitTimestampOption(buf, off + 6, tsVal, tsEcr);
  buf[off + 16] = TcpOption.NOP;
  buf[off + 17] = TcpOption.WSCALE;
  buf[off + 18] = 3;
  buf[off + 19] = wscale;
  return 20;
}

/** Writes kind 8 (10 bytes). */
export function emitTimestampOption(buf: Uint8Array, off: number, tsVal: number, tsEcr: number): number {
  buf[off] = TcpOption.TIMESTAMP;
  buf[off + 1] = 10;
  for (let i = 0; i < 4; i++) {
    buf[off + 2 + i] = (tsVal >>> (24 - 8 * i)) & 0xff;
    buf[off + 6 + i] = (tsEcr >>> (24 - 8 * i)) & 0xff;
  }
  return 10;
}

/** Writes a SACK option with the given [left, right) pairs; returns its length. */
export function emitSackOption(buf: Uint8Array, off: number, edges: readonly number[]): number {
  const n = edges.length >> 1;
  buf[off] = TcpOption.SACK;
  buf[off + 1] = 2 + 8 * n;
  for (let i = 0; i < 2 * n; i++) {
    const v = edges[i]! >>> 0;
    const p = off + 2 + 4 * i;
    buf[p] = v >>> 24;
    buf[p + 1] = (v >>> 16) & 0xff;
    buf[p + 2] = (v >>> 8) & 0xff;
    buf[p + 3] = v & 0xff;
  }
  return 2 + 8 * n;
}
