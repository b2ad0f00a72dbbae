// pcap savefile writing (tcpdump -w): the 24-byte header in host (little-endian) order with the
// micro- or nanosecond magic, then 16-byte record headers, through one large buffer.

import { closeSync, openSync, writeSync } from 'node:fs';
import { TsvsError } from '../errors.js';
import { errnoText, PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO } from './reader.js';
import type { PacketRecord } from './record.js';

const BUF = 1 << 20;

export class PcapWriter {
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly buf = new Uint8Array(BUF);
  private readonly dv = new DataView(this.buf.buffer);
  private n = 0;
  readonly nano: boolean;
  /** Flush after every packet (-U). */
  packetBuffered = false;
  /** Bytes written to the file so far (for -C rotation). */
  written = 0;
  readonly path: string;
  /**
   * The records' source has this writer's timestamp precision, and calls flushRun() before it
   * reuses their memory (Savefile.beforeRefill): records stored as this writer would write them
   * (PacketRecord.raw) are then copied as they are, and adjacent ones in one copy (tsdump -r -w).
   */
  copyStored = false;
  /** The pending run of stored records: runBuf[runStart, runEnd), not yet copied. */
  private runBuf: Uint8Array | null = null;
  private runStart = 0;
  private runEnd = 0;

  /** Opens PATH ('-' for standard output) and writes the file header. */
  constructor(path: string, linktype: number, snaplen: number, nano: boolean) {
    this.path = path;
    this.nano = nano;
    if (path === '-') {
      this.fd = 1;
      this.ownsFd = false;
    } else {
      try {
        this.fd = openSync(path, 'w');
      } catch (e) {
        throw new TsvsError('TSVS_ERR_FILE', `${path}: ${errnoText(e as NodeJS.ErrnoException)}`);
      }
      this.ownsFd = true;
    }
    const dv = this.dv;
    dv.setUint32(0, nano ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(8, 0, true);
    dv.setUint32(12, 0, true);
    dv.setUint32(16, snaplen, true);
    dv.setUint32(20, linktype, true);
    this.n = 24;
    this.flush();
  }

  /** Appends one record (timestamps converted to the file's precision). */
  write(r: PacketRecord): void {
    const raw = r.raw;
    if (this.copyStored && raw !== undefined && raw >= 0 && !this.packetBuffered) {
      const end = r.off + r.caplen;
      if (r.buf === this.runBuf && raw === this.runEnd) this.runEnd = end;
      else {
        this.flushRun();
        this.runBuf = r.buf;
        this.runStart = raw;
        this.runEnd = end;
      }
      return;
    }
    this.flushRun();
    const need = 16 + r.caplen;
    if (this.n + need > BUF) this.drain();
    if (need > BUF) {
      this.header(r);
      this.drain();
      this.out(r.buf.subarray(r.off, r.off + r.caplen));
      return;
    }
    this.header(r);
    this.buf.set(r.buf.subarray(r.off, r.off + r.caplen), this.n);
    this.n += r.caplen;
    if (this.packetBuffered) this.drain();
  }

  /** Copies the pending run of stored records into the buffer (or straight out when larger). */
  flushRun(): void {
    const b = this.runBuf;
    if (b === null) return;
    this.runBuf = null;
    const len = this.runEnd - this.runStart;
    if (this.n + len > BUF) this.drain();
    if (len > BUF) this.out(b.subarray(this.runStart, this.runEnd));
    else {
      this.buf.set(b.subarray(this.runStart, this.runEnd), this.n);
      this.n += len;
    }
  }

  private header(r: PacketRecord): void {
    const dv = this.dv;
    const i = this.n;
    dv.setUint32(i, r.tsSec >>> 0, true);
    dv.setUint32(i + 4, this.nano ? r.tsNsec : Math.floor(r.tsNsec / 1000), true);
    dv.setUint32(i + 8, r.caplen, true);
    dv.setUint32(i + 12, r.len, true);
    this.n += 16;
  }

  private out(b: Uint8Array): void {
    let o = 0;
    while (o < b.length) {
      try {
        o += writeSync(this.fd, b, o, b.length - o);
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        if (err.code === 'EAGAIN') continue;
        throw new TsvsError(
          'TSVS_ERR_FILE',
          `${this.path === '-' ? 'standard output' : this.path}: ${errnoText(err)}`,
        );
      }
    }
    this.written += b.length;
  }

  /** Writes out everything appended so far. */
  flush(): void {
    this.flushRun();
    this.drain();
  }

  private drain(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.n = 0;
    this.out(this.buf.subarray(0, n));
  }

  close(): void {
    this.flush();
    if (this.ownsFd) closeSync(this.fd);
  }
}
