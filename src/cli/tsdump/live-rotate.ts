// tcpdump -w with -C (size), -W (file count) and -G (seconds, strftime names): rotating pcap files.
//
// Follows tcpdump 4.99's dump_packet_and_trunc(): the checks run before each packet is written,
// -G first (it rotates on the first packet after the interval, by the wall clock), then -C (when the
// current file is already larger than the limit). Names come from MakeFilename(): the -w name,
// strftime-expanded with -G, plus a counter zero-padded to the width of -W's largest index.
//
// The pcap framing (24-byte file header, 16-byte record headers) is written here privately until
// src/pcap/ has a writer this can wrap.
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { TsvsError } from '../../errors.js';
import type { PacketRecord } from '../../pcap/record.js';
import { strftime } from './live-strftime.js';

export interface RotateOptions {
  /** -w: the file name (a strftime pattern when rotateSeconds is set). */
  path: string;
  /** -C in bytes (tcpdump takes millions of bytes: -C 1 = 1000000); 0 or absent = no size rotation. */
  fileSize?: number;
  /** -W: with -C, reuse this many files in a ring; with -G alone, stop after this many files. */
  fileCount?: number;
  /** -G: seconds between rotations; 0 or absent = none. */
  rotateSeconds?: number;
  /** LINKTYPE_* and snapshot length written in each file header. */
  linktype: number;
  snaplen: number;
  /** Nanosecond time stamps (magic 0xa1b23c4d) instead of microseconds. */
  nanosecond?: boolean;
  /** -U: push every packet to the file as soon as it is written. */
  packetBuffered?: boolean;
  /** Wall clock in seconds since the epoch (tests pass their own). */
  now?: () => number;
  /** The time -G counts from (tcpdump: when it parsed -G). Default: now() at construction. */
  startTime?: number;
}

/** write() results. */
export const ROTATE_OK = 0;
/** -G with -W (and no -C): the file limit is reached; tcpdump prints "Maximum file limit reached: N" and exits. */
export const ROTATE_LIMIT_REACHED = 1;

/** tcpdump's getWflagChars(): digits needed for the largest file index (W - 1). */
export function wflagChars(w: number): number {
  let c = 0;
  for (let x = w - 1; x > 0; x = Math.floor(x / 10)) c++;
  return c;
}

/** tcpdump's MakeFilename(): strftime (with -G) then the counter padded to maxChars digits. */
export function makeFilename(pattern: string, cnt: number, maxChars: number, gTime?: number): string {
  const base = gTime !== undefined ? strftime(pattern, gTime) : pattern;
  if (cnt === 0 && maxChars === 0) return base;
  const digits = String(cnt);
  return base + (digits.length < maxChars ? '0'.repeat(maxChars - digits.length) : '') + digits;
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  ENOSPC: 'No space left on device',
  EDQUOT: 'Disk quota exceeded',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EFBIG: 'File too large',
  EIO: 'Input/output error',
  EMFILE: 'Too many open files',
  ENAMETOOLONG: 'File name too long',
};

function fileError(name: string, e: unknown): TsvsError {
  const code = (e as { code?: string }).code ?? '';
  const text = STRERROR[code] ?? (e instanceof Error ? e.message : String(e));
  return new TsvsError('TSVS_ERR_FILE', `${name}: ${text}`);
}

const BUFFER_BYTES = 65536;
/** A 1 ms synchronous pause while a pipe is full. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));
/** Packets this big are written straight from the caller's buffer. */
const DIRECT_WRITE_BYTES = 8192;
const PCAP_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;

/** One open pcap file with a write buffer; on a failed write it cuts the file back to whole packets. */
class PcapFile {
  readonly name: string;
  private fd: number;
  private readonly buf = new Uint8Array(BUFFER_BYTES);
  private readonly view = new DataView(this.buf.buffer);
  private readonly recHeaderBytes = new Uint8Array(RECORD_HEADER_LEN);
  private readonly recHeader = new DataView(this.recHeaderBytes.buffer);
  private used = 0;
  /** Bytes known to be in the file, always at a packet boundary. */
  private committed = 0;
  private readonly nano: boolean;
  /** A write failed: the file was cut back to whole packets and takes no more data. */
  private failed = false;

  constructor(name: string, linktype: number, snaplen: number, nano: boolean) {
    this.name = name;
    this.nano = nano;
    try {
      // "-" is the standard output, as with tcpdump -w - (never rotated: the caller passes no -C/-G).
      this.fd = name === '-' ? 1 : openSync(name, 'w', 0o644);
    } catch (e) {
      throw fileError(name, e);
    }
    const h = new DataView(new ArrayBuffer(PCAP_HEADER_LEN));
    h.setUint32(0, nano ? 0xa1b23c4d : 0xa1b2c3d4, true);
    h.setUint16(4, 2, true);
    h.setUint16(6, 4, true);
    h.setUint32(16, snaplen, true);
    h.setUint32(20, linktype, true);
    this.writeAll(new Uint8Array(h.buffer), 0, PCAP_HEADER_LEN);
    this.committed = PCAP_HEADER_LEN;
  }

  /** Current size as tcpdump's pcap_dump_ftell() sees it: written plus buffered. */
  get size(): number {
    return this.committed + this.used;
  }

  write(rec: PacketRecord): void {
    if (this.failed) return;
    const need = RECORD_HEADER_LEN + rec.caplen;
    const frac = this.nano ? rec.tsNsec : Math.floor(rec.tsNsec / 1000);
    if (rec.caplen >= DIRECT_WRITE_BYTES) {
      // Big packets (GSO/GRO segments) skip the buffer, like stdio's fwrite: no copy, no allocation.
      this.flush();
      const h = this.recHeader;
      h.setUint32(0, rec.tsSec >>> 0, true);
      h.setUint32(4, frac, true);
      h.setUint32(8, rec.caplen, true);
      h.setUint32(12, rec.len, true);
      this.writeAll(this.recHeaderBytes, 0, RECORD_HEADER_LEN);
      this.writeAll(rec.buf, rec.off, rec.caplen);
      this.committed += need;
      return;
    }
    if (this.used + need > BUFFER_BYTES) this.flush();
    const o = this.used;
    const v = this.view;
    v.setUint32(o, rec.tsSec >>> 0, true);
    v.setUint32(o + 4, frac, true);
    v.setUint32(o + 8, rec.caplen, true);
    v.setUint32(o + 12, rec.len, true);
    this.buf.set(rec.buf.subarray(rec.off, rec.off + rec.caplen), o + RECORD_HEADER_LEN);
    this.used = o + need;
  }

  flush(): void {
    if (this.failed) this.used = 0;
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writeAll(this.buf, 0, n);
    this.committed += n;
  }

  /**
   * Writes b[off .. off+len) completely. On failure the file is cut back to `committed`, which also
   * drops a direct write's header already written for the same packet.
   */
  private writeAll(b: Uint8Array, off: number, len: number): void {
    let done = 0;
    try {
      while (done < len) {
        try {
          done += writeSync(this.fd, b, off + done, len - done);
        } catch (e) {
          // A non-blocking pipe (-w - into a slow reader): wait for it like tcpdump's blocking write.
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          Atomics.wait(PAUSE, 0, 0, 1);
        }
      }
    } catch (e) {
      // Keep the file readable: drop the partial tail back to the last whole packet.
      this.failed = true;
      try {
        ftruncateSync(this.fd, this.committed);
      } catch {
        // the write error below is the one worth reporting
      }
      throw fileError(this.name, e);
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      this.flush();
    } finally {
      if (this.fd !== 1) closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** The -w/-C/-W/-G writer. Throws TsvsError('TSVS_ERR_FILE', "<file>: <strerror>") on I/O errors. */
export class RotatingPcapWriter {
  private readonly opts: RotateOptions;
  private readonly now: () => number;
  private readonly cflag: number;
  private readonly gflag: number;
  private readonly wflag: number;
  private readonly wChars: number;
  private gTime: number;
  private gCount = 0;
  private cCount = 0;
  private file: PcapFile | null;
  /** Every file name opened, in order (a name appears again when -W wraps around). */
  readonly opened: string[] = [];

  constructor(opts: RotateOptions) {
    this.opts = opts;
    this.now = opts.now ?? (() => Math.floor(Date.now() / 1000));
    this.cflag = opts.fileSize ?? 0;
    this.gflag = opts.rotateSeconds ?? 0;
    this.wflag = opts.fileCount ?? 0;
    this.wChars = this.wflag > 0 ? wflagChars(this.wflag) : 0;
    this.gTime = opts.startTime ?? this.now();
    this.file = this.open(this.cflag !== 0 ? this.name(0, this.wChars) : this.name(0, 0));
  }

  /** The file being written. */
  get currentName(): string {
    return this.file ? this.file.name : '';
  }

  private name(cnt: number, chars: number): string {
    return makeFilename(this.opts.path, cnt, chars, this.gflag !== 0 ? this.gTime : undefined);
  }

  private open(name: string): PcapFile {
    const f = new PcapFile(name, this.opts.linktype, this.opts.snaplen, this.opts.nanosecond ?? false);
    this.opened.push(name);
    return f;
  }

  /** Writes one packet, rotating first if due. Returns ROTATE_OK or ROTATE_LIMIT_REACHED. */
  write(rec: PacketRecord): number {
    let file = this.file;
    if (file === null) throw new TsvsError('TSVS_ERR_INTERNAL', 'write after close of the capture file');
    if (this.gflag !== 0) {
      const t = this.now();
      if (t - this.gTime >= this.gflag) {
        this.gTime = t;
        this.gCount++;
        this.file = null;
        file.close();
        if (this.cflag === 0 && this.wflag > 0 && this.gCount >= this.wflag) return ROTATE_LIMIT_REACHED;
        this.cCount = 0;
        file = this.file = this.open(this.cflag !== 0 ? this.name(0, this.wChars) : this.name(0, 0));
      }
    }
    if (this.cflag !== 0 && file.size > this.cflag) {
      this.file = null;
      file.close();
      this.cCount++;
      if (this.wflag > 0 && this.cCount >= this.wflag) this.cCount = 0;
      file = this.file = this.open(this.name(this.cCount, this.wChars));
    }
    file.write(rec);
    if (this.opts.packetBuffered) file.flush();
    return ROTATE_OK;
  }

  /** Pushes buffered packets to the file (tcpdump flushes on exit and with -U after each packet). */
  flush(): void {
    this.file?.flush();
  }

  close(): void {
    const f = this.file;
    this.file = null;
    f?.close();
  }
}
