// A chunked byte source over a file descriptor: one reused buffer, refilled with readSync, so that
// readers can hand out views into it (valid until the next ensure()).

import { readSync } from 'node:fs';

// 128 KiB: a read into a buffer that stays in the CPU cache copies out of the page cache ~3x
// faster than into a 1 MiB one (826 MB file: ~100 ms vs ~330 ms on the bench machine).
const CHUNK = 128 * 1024;
/**
 * This machine stores numbers least significant byte first (asked of a typed array: loading
 * node:os for it cost ~1.5 ms of every tsdump start).
 */
export const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The largest single record we accept in memory (bounded memory whatever the file says). */
export const MAX_RECORD = 256 * 1024 * 1024;

export class ByteSource {
  buf: Uint8Array;
  /** Next unread byte. */
  pos = 0;
  /** One past the last valid byte. */
  end = 0;
  /** True once read() returned 0. */
  eof = false;
  /** Bytes consumed before buf[0] (file offset of buf[0]). */
  base = 0;
  private readonly fd: number;
  /** Largest single read (tests lower it to cut the file at every offset). */
  readSize = 1 << 30;
  /** Called before bytes already handed out are moved or overwritten (see PcapWriter.write). */
  beforeRefill: (() => void) | null = null;

  /** `chunk` is the buffer's initial size (tests use tiny ones to split records everywhere). */
  constructor(fd: number, chunk = CHUNK) {
    this.fd = fd;
    this.buf = new Uint8Array(chunk);
  }

  /** Bytes available without reading. */
  get avail(): number {
    return this.end - this.pos;
  }

  /**
   * Makes n bytes available at buf[pos..]; returns how many are (fewer than n only at EOF).
   * Throws the read error (e.g. EISDIR) to the caller.
   */
  ensure(n: number): number {
    if (this.end - this.pos >= n) return n;
    if (this.beforeRefill !== null) this.beforeRefill();
    if (this.pos > 0) {
      this.buf.copyWithin(0, this.pos, this.end);
      this.base += this.pos;
      this.end -= this.pos;
      this.pos = 0;
    }
    if (n > this.buf.length) {
      const bigger = new Uint8Array(Math.max(n, this.buf.length * 2));
      bigger.set(this.buf.subarray(0, this.end));
      this.buf = bigger;
    }
    while (this.end < n && !this.eof) {
      let got: number;
      try {
        got = readSync(
          this.fd,
          this.buf,
          this.end,
          Math.min(this.readSize, this.buf.length - this.end),
          null,
        );
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw e;
      }
      if (got === 0) this.eof = true;
      this.end += got;
    }
    return Math.min(n, this.end);
  }
}
