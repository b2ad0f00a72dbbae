// Savefile reading (pcap and pcapng, either byte order, micro- and nanosecond pcap): open a file
// or stdin and hand out one borrowed PacketRecord at a time. Errors carry libpcap's messages.

import { closeSync, fstatSync, openSync } from 'node:fs';
import { TsvsError } from '../errors.js';
import { linktypeName, maxSnaplenForLinktype } from './linktype.js';
import { PcapngReader } from './pcapng-reader.js';
import type { PacketRecord } from './record.js';
import { ByteSource, HOST_LE, MAX_RECORD } from './source.js';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
export const PCAPNG_SHB = 0x0a0d0d0a;

/** What every savefile reader offers. */
export interface Savefile {
  readonly format: 'pcap' | 'pcapng';
  /** Link type of the first interface (of the file for pcap). */
  readonly linktype: number;
  readonly snaplen: number;
  /** The file's timestamps are nanoseconds. */
  readonly nano: boolean;
  /**
   * The file's byte order is not this machine's (libpcap's "swapped"): filters for DLT_NULL/LOOP
   * compare the address family in the file's order.
   */
  readonly swapped: boolean;
  /** The next packet, borrowed until the following call; null at the end of the file. */
  next(): PacketRecord | null;
  /** Bytes of the file consumed so far (for a progress display). */
  position(): number;
  /**
   * Run `f` before the reader reuses the memory of records it handed out (a writer holding on to
   * stored records copies them then). Readers that never set PacketRecord.raw need not call it.
   */
  beforeRefill(f: () => void): void;
  close(): void;
}

function formatError(msg: string): TsvsError {
  return new TsvsError('TSVS_ERR_FORMAT', msg);
}

/** libpcap refuses link types it cannot map to a DLT (outside its matching range and table). */
export function checkLinktype(lt: number): void {
  if (linktypeName(lt) === undefined && (lt < 104 || lt > 289)) {
    throw formatError(`unknown data link type ${lt} (min 104, max 289)`);
  }
}

/** How a savefile is read. */
export interface OpenOptions {
  /**
   * Accept pcapng interfaces whose link type or snapshot length differ from the first one (each
   * packet keeps its interface's link type). Off by default: libpcap, so tcpdump, refuses them.
   */
  mixedInterfaces?: boolean;
}

/** Opens PATH ('-' for standard input) as a pcap or pcapng savefile. `readSize` is for tests. */
export function openSavefile(path: string, readSize?: number, opts?: OpenOptions): Savefile {
  let fd: number;
  if (path === '-') fd = 0;
  else {
    try {
      fd = openSync(path, 'r');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new TsvsError('TSVS_ERR_FILE', `${path}: ${errnoText(err)}`);
    }
  }
  try {
    if (fd !== 0 && fstatSync(fd).isDirectory())
      throw new TsvsError('TSVS_ERR_FILE', 'error reading dump file: Is a directory');
    const src = new ByteSource(fd, readSize === undefined ? undefined : 64);
    if (readSize !== undefined) src.readSize = readSize;
    const got = src.ensure(4);
    if (got < 4) throw formatError(`truncated dump file; tried to read 4 file header bytes, only got ${got}`);
    const b = src.buf;
    const m = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
    const mle = ((b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]!) >>> 0;
    if (m === PCAPNG_SHB) {
      const ng = new PcapngReader(src, fd);
      ng.mixedInterfaces = opts?.mixedInterfaces === true;
      return ng;
    }
    if (
      m === PCAP_MAGIC_MICRO ||
      m === PCAP_MAGIC_NANO ||
      mle === PCAP_MAGIC_MICRO ||
      mle === PCAP_MAGIC_NANO
    )
      return new PcapReader(src, fd);
    throw formatError('unknown file format');
  } catch (e) {
    if (fd !== 0) closeSync(fd);
    if (e instanceof TsvsError) throw e;
    throw new TsvsError('TSVS_ERR_FILE', `error reading dump file: ${errnoText(e as NodeJS.ErrnoException)}`);
  }
}

/** strerror-like text for the errors a user meets. */
export function errnoText(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'No such file or directory';
    case 'EACCES':
      return 'Permission denied';
    case 'EISDIR':
      return 'Is a directory';
    case 'ENOSPC':
      return 'No space left on device';
    case 'EPIPE':
      return 'Broken pipe';
    default:
      return e.message;
  }
}

/** Classic pcap (libpcap's sf-pcap.c format). */
export class PcapReader implements Savefile {
  readonly format = 'pcap';
  readonly linktype: number;
  readonly snaplen: number;
  readonly nano: boolean;
  /** libpcap's max_snaplen_for_dlt for the file's link type. */
  private readonly maxCaplen: number;
  private readonly le: boolean;
  private readonly src: ByteSource;
  private readonly fd: number;
  private readonly rec: PacketRecord;

  get swapped(): boolean {
    return this.le !== HOST_LE;
  }

  constructor(src: ByteSource, fd: number) {
    this.src = src;
    this.fd = fd;
    const got = src.ensure(24);
    if (got < 24)
      throw formatError(`truncated dump file; tried to read 24 file header bytes, only got ${got - 4}`);
    const b = src.buf;
    const p = src.pos;
    const be = ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
    this.le = !(be === PCAP_MAGIC_MICRO || be === PCAP_MAGIC_NANO);
    this.nano = this.le ? b[p]! === 0x4d && b[p + 1]! === 0x3c : be === PCAP_MAGIC_NANO;
    const major = this.u16(p + 4);
    const minor = this.u16(p + 6);
    if (major !== 2 || (minor !== 4 && minor !== 2 && minor !== 1 && minor !== 0)) {
      throw formatError(`unsupported pcap savefile version ${major}.${minor}`);
    }
    const snaplen = this.u32(p + 16);
    const lt = this.u32(p + 20);
    // The upper bits hold FCS length and reserved flags; reserved bits must be zero.
    if ((lt & 0x03ff0000) !== 0)
      throw formatError('pcap savefile has reserved bits set in the link-layer header type field');
    this.linktype = lt & 0xffff;
    this.maxCaplen = maxSnaplenForLinktype(this.linktype);
    // libpcap keeps the snapshot length as an int: 0 or "negative" means the link type's maximum.
    this.snaplen = (snaplen | 0) <= 0 ? this.maxCaplen : snaplen;
    src.pos += 24;
    this.rec = {
      buf: src.buf,
      off: 0,
      caplen: 0,
      len: 0,
      tsSec: 0,
      tsNsec: 0,
      linktype: this.linktype,
      ifIndex: 0,
      raw: -1,
    };
  }

  private u16(i: number): number {
    const b = this.src.buf;
    return this.le ? b[i]! | (b[i + 1]! << 8) : (b[i]! << 8) | b[i + 1]!;
  }

  private u32(i: number): number {
    const b = this.src.buf;
    return this.le
      ? (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0
      : ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  next(): PacketRecord | null {
    const src = this.src;
    let got = src.ensure(16);
    if (got === 0) return null;
    if (got < 16) throw formatError(`truncated dump file; tried to read 16 header bytes, only got ${got}`);
    const p = src.pos;
    const sec = this.u32(p);
    const frac = this.u32(p + 4);
    const caplen = this.u32(p + 8);
    const len = this.u32(p + 12);
    // libpcap refuses records longer than the link type's maximum, naming the snaplen when the
    // record is longer than that too.
    if (caplen > this.maxCaplen || caplen > MAX_RECORD) {
      throw formatError(
        caplen > this.snaplen
          ? `invalid packet capture length ${caplen}, bigger than snaplen of ${this.snaplen}`
          : `invalid packet capture length ${caplen}, bigger than maximum of ${this.maxCaplen}`,
      );
    }
    // A record longer than the file's snapshot length (but sane) is cut to it, as libpcap does.
    const keep = this.snaplen > 0 && caplen > this.snaplen ? this.snaplen : caplen;
    got = src.ensure(16 + caplen);
    if (got < 16 + caplen) {
      throw formatError(`truncated dump file; tried to read ${caplen} captured bytes, only got ${got - 16}`);
    }
    const r = this.rec;
    r.buf = src.buf;
    r.off = src.pos + 16;
    r.caplen = keep;
    r.len = len;
    r.tsSec = sec;
    r.tsNsec = this.nano ? frac : frac * 1000;
    // The header's offset now (the ensure() above may have moved the bytes).
    r.raw = this.le && keep === caplen ? src.pos : -1;
    src.pos += 16 + caplen;
    return r;
  }

  position(): number {
    return this.src.base + this.src.pos;
  }

  beforeRefill(f: () => void): void {
    this.src.beforeRefill = f;
  }

  close(): void {
    if (this.fd !== 0) closeSync(this.fd);
  }
}
