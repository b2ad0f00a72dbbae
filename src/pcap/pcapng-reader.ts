// pcapng reading (SHB, IDB, EPB, SPB, OPB; other blocks skipped), several sections and interfaces
// with their own link types and timestamp resolutions, either byte order.

import { closeSync } from 'node:fs';
import { TsvsError } from '../errors.js';
import { maxSnaplenForLinktype } from './linktype.js';
import type { Savefile } from './reader.js';
import type { PacketRecord } from './record.js';
import { type ByteSource, HOST_LE, MAX_RECORD } from './source.js';

const BT_SHB = 0x0a0d0d0a;
const BT_IDB = 1;
const BT_OPB = 2;
const BT_SPB = 3;
const BT_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

interface Iface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second as a power: 10^exp (dec) or 2^exp (bin). */
  tsDecimal: boolean;
  tsExp: number;
  /** if_tsoffset: seconds added to every timestamp. */
  tsOffset: number;
}

function formatError(msg: string): TsvsError {
  return new TsvsError('TSVS_ERR_FORMAT', msg);
}

export class PcapngReader implements Savefile {
  readonly format = 'pcapng';
  linktype = 1;
  snaplen = 0;
  nano = false;
  private le = true;
  /** Byte order of the first section, the one libpcap compiles filters for. */
  swapped = false;
  private readonly src: ByteSource;
  private readonly fd: number;
  private ifaces: Iface[] = [];
  private readonly rec: PacketRecord;

  constructor(src: ByteSource, fd: number) {
    this.src = src;
    this.fd = fd;
    this.rec = { buf: src.buf, off: 0, caplen: 0, len: 0, tsSec: 0, tsNsec: 0, linktype: 1, ifIndex: 0 };
    // The first section header and the interfaces that precede the first packet.
    this.readShb();
    this.swapped = this.le !== HOST_LE;
    // Read ahead to the first IDB to learn the link type for the banner.
    this.peekFirstInterface();
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

  /** Reads the block at pos into the buffer; returns its total length, or 0 at a clean end. */
  private loadBlock(): number {
    const src = this.src;
    const got = src.ensure(8);
    if (got === 0) return 0;
    if (got < 8) throw formatError(`truncated pcapng dump file; tried to read 8 bytes, only got ${got}`);
    let p = src.pos;
    const type = this.u32(p);
    if (type === BT_SHB) {
      // The byte order may change with each section.
      const got2 = src.ensure(12);
      if (got2 < 12)
        throw formatError(`truncated pcapng dump file; tried to read 12 bytes, only got ${got2}`);
      // ensure() may have moved the bytes to the start of the buffer.
      p = src.pos;
      const b = src.buf;
      const bom = ((b[p + 8]! << 24) | (b[p + 9]! << 16) | (b[p + 10]! << 8) | b[p + 11]!) >>> 0;
      if (bom === BYTE_ORDER_MAGIC) this.le = false;
      else if (
        ((b[p + 11]! << 24) | (b[p + 10]! << 16) | (b[p + 9]! << 8) | b[p + 8]!) >>> 0 ===
        BYTE_ORDER_MAGIC
      )
        this.le = true;
      else throw formatError('unknown file format');
    }
    const len = this.u32(p + 4);
    if (len < 12) throw formatError(`block in pcapng dump file has a length of ${len} < 12`);
    if (len % 4 !== 0)
      throw formatError(`block in pcapng dump file has a length of ${len} that is not a multiple of 4`);
    if (len > MAX_RECORD) throw formatError(`pcapng block size ${len} > maximum ${MAX_RECORD}`);
    const have = src.ensure(len);
    if (have < len) {
      throw formatError(`truncated pcapng dump file; tried to read ${len} bytes, only got ${have}`);
    }
    p = src.pos;
    const trailer = this.u32(p + len - 4);
    if (trailer !== len) {
      throw formatError(`block total length in header and trailer don't match`);
    }
    return len;
  }

  private readShb(): void {
    const len = this.loadBlock();
    if (len === 0) throw formatError('truncated dump file; tried to read 4 file header bytes, only got 0');
    const p = this.src.pos;
    if (len < 28) throw formatError(`section header block has a length of ${len} < 28`);
    const major = this.u16(p + 12);
    const minor = this.u16(p + 14);
    if (!supportedVersion(major, minor))
      throw formatError(`unsupported pcapng savefile version ${major}.${minor}`);
    this.ifaces = [];
    this.src.pos += len;
  }

  private parseIdb(p: number, len: number): void {
    const iface: Iface = {
      linktype: this.u16(p + 8),
      snaplen: this.u32(p + 12),
      tsDecimal: true,
      tsExp: 6,
      tsOffset: 0,
    };
    // Options: code(2) length(2) value padded to 4.
    let o = p + 16;
    const end = p + len - 4;
    while (o + 4 <= end) {
      const code = this.u16(o);
      const olen = this.u16(o + 2);
      if (code === 0) break;
      if (o + 4 + olen > end)
        throw formatError('option in interface description block goes past the end of the block');
      if (code === 9 && olen >= 1) {
        const v = this.src.buf[o + 4]!;
        iface.tsDecimal = (v & 0x80) === 0;
        iface.tsExp = v & 0x7f;
      } else if (code === 14 && olen >= 8) {
        iface.tsOffset = this.u32(this.le ? o + 4 : o + 8) + this.u32(this.le ? o + 8 : o + 4) * 4294967296;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    // libpcap keeps the snapshot length as an int: 0 or "negative" means the link type's maximum.
    const snaplen = (iface.snaplen | 0) <= 0 ? maxSnaplenForLinktype(iface.linktype) : iface.snaplen;
    if (this.seenIdb && !this.mixedInterfaces) {
      // libpcap reads one link type and snapshot length per file: later interfaces must agree.
      if (iface.linktype !== this.linktype)
        throw formatError(
          `an interface has a type ${iface.linktype} different from the type of the first interface`,
        );
      if (snaplen !== this.snaplen)
        throw formatError(
          `an interface has a snapshot length ${iface.snaplen} different from the snapshot length of the first interface`,
        );
    }
    if (this.ifaces.length === 0 && !this.seenIdb) {
      this.linktype = iface.linktype;
      this.snaplen = snaplen;
      this.nano = iface.tsDecimal && iface.tsExp >= 9;
      this.seenIdb = true;
    }
    this.ifaces.push(iface);
  }

  private seenIdb = false;
  /** Accept later interfaces with another link type or snapshot length (libpcap does not). */
  mixedInterfaces = false;

  /** Consumes blocks up to the first IDB so the banner can show the link type. */
  private peekFirstInterface(): void {
    // Only non-packet blocks are consumed here; a packet before any IDB is an error later.
    for (;;) {
      const src = this.src;
      if (src.ensure(8) < 8) return;
      const type = this.u32(src.pos);
      if (type === BT_EPB || type === BT_SPB || type === BT_OPB) return;
      const len = this.loadBlock();
      if (len === 0) return;
      if (type === BT_IDB) {
        this.parseIdb(src.pos, len);
        src.pos += len;
        return;
      }
      if (type === BT_SHB) {
        this.readShbAt(len);
        continue;
      }
      src.pos += len;
    }
  }

  private readShbAt(len: number): void {
    const p = this.src.pos;
    const major = this.u16(p + 12);
    const minor = this.u16(p + 14);
    if (!supportedVersion(major, minor))
      throw formatError(`unsupported pcapng savefile version ${major}.${minor}`);
    this.ifaces = [];
    this.src.pos += len;
  }

  next(): PacketRecord | null {
    const src = this.src;
    for (;;) {
      const len = this.loadBlock();
      if (len === 0) return null;
      const p = src.pos;
      const type = this.u32(p);
      if (type === BT_EPB || type === BT_OPB) {
        const opb = type === BT_OPB;
        const ifId = opb ? this.u16(p + 8) : this.u32(p + 8);
        const iface = this.ifaces[ifId];
        if (iface === undefined)
          throw formatError(`a packet arrived on interface ${ifId}, but there's no interface ${ifId}`);
        const hi = this.u32(p + 12);
        const lo = this.u32(p + 16);
        const caplen = this.u32(p + 20);
        const wirelen = this.u32(p + 24);
        if (28 + caplen > len - 4)
          throw formatError(
            `block in pcapng dump file has a captured length ${caplen} bigger than the block`,
          );
        this.fill(iface, ifId, p + 28, caplen, wirelen, hi, lo);
        src.pos += len;
        return this.rec;
      }
      if (type === BT_SPB) {
        const iface = this.ifaces[0];
        if (iface === undefined)
          throw formatError("a packet arrived on interface 0, but there's no interface 0");
        const wirelen = this.u32(p + 8);
        let caplen = Math.min(wirelen, len - 16);
        if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
        this.fill(iface, 0, p + 12, caplen, wirelen, 0, 0);
        src.pos += len;
        return this.rec;
      }
      if (type === BT_IDB) this.parseIdb(p, len);
      else if (type === BT_SHB) {
        this.readShbAt(len);
        continue;
      }
      src.pos += len;
    }
  }

  private fill(
    iface: Iface,
    ifId: number,
    off: number,
    caplen: number,
    wirelen: number,
    hi: number,
    lo: number,
  ): void {
    const r = this.rec;
    r.buf = this.src.buf;
    r.off = off;
    r.caplen = caplen;
    r.len = wirelen;
    r.linktype = iface.linktype;
    r.ifIndex = ifId;
    if (iface.tsDecimal && iface.tsExp <= 6 && hi < 0x200000) {
      // value < 2^53: exact in a double.
      const units = 10 ** iface.tsExp;
      const v = hi * 4294967296 + lo;
      const sec = Math.floor(v / units);
      r.tsSec = sec + iface.tsOffset;
      r.tsNsec = (v - sec * units) * (1e9 / units);
    } else {
      const v = (BigInt(hi) << 32n) | BigInt(lo);
      const units = iface.tsDecimal ? 10n ** BigInt(iface.tsExp) : 1n << BigInt(iface.tsExp);
      const sec = v / units;
      r.tsSec = Number(sec) + iface.tsOffset;
      r.tsNsec = Number(((v - sec * units) * 1000000000n) / units);
    }
  }

  position(): number {
    return this.src.base + this.src.pos;
  }

  /** pcapng records are never copied as stored (PacketRecord.raw stays absent): nothing to hook. */
  beforeRefill(_f: () => void): void {}

  close(): void {
    if (this.fd !== 0) closeSync(this.fd);
  }
}

/** libpcap reads 1.0, and 1.2 (written by some old tools for 1.0); 1.1 and anything else are refused. */
function supportedVersion(major: number, minor: number): boolean {
  return major === 1 && (minor === 0 || minor === 2);
}
