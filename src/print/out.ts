// The one buffered writer of tsdump's text output: each line is encoded at once into one reused
// byte buffer (so the line strings die young and the heap stays small) and the buffer goes to the
// file descriptor in large writes (or at each line with -l), never a console call per line.

import { writeSync } from 'node:fs';

const SIZE = 1 << 18;

export class Out {
  private readonly buf: Buffer = Buffer.allocUnsafe(SIZE);
  /** Bytes of buf waiting to be written. */
  private used = 0;
  private readonly fd: number;
  /** Flush after every line (-l, or standard output is a terminal). */
  lineBuffered: boolean;
  /** Set when the reader of our output went away (EPIPE): stop quietly, as tcpdump does. */
  closed = false;

  constructor(fd: number, lineBuffered = false) {
    this.fd = fd;
    this.lineBuffered = lineBuffered;
  }

  write(text: string): void {
    // A UTF-16 unit never takes more than 3 UTF-8 bytes.
    if (this.used + text.length * 3 > SIZE) {
      this.flush();
      if (text.length * 3 > SIZE) {
        this.writeAll(Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
    if (this.lineBuffered) this.flush();
  }

  flush(): void {
    const n = this.used;
    this.used = 0;
    if (n > 0) this.writeAll(n === SIZE ? this.buf : this.buf.subarray(0, n));
  }

  private writeAll(b: Uint8Array): void {
    if (this.closed) return;
    let o = 0;
    while (o < b.length) {
      try {
        o += writeSync(this.fd, b, o, b.length - o);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') continue;
        if (code === 'EPIPE') {
          this.closed = true;
          return;
        }
        throw e;
      }
    }
  }
}
