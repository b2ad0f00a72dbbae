// The one buffered writer of tsdump's text output: lines accumulate in a string and go to the file
// descriptor in large writes (or at each packet with -l), never a console call per line.

import { writeSync } from 'node:fs';

const HIGH_WATER = 1 << 16;

export class Out {
  private pending = '';
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
    this.pending += text;
    if (this.lineBuffered || this.pending.length >= HIGH_WATER) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) {
      this.pending = '';
      return;
    }
    const buf = Buffer.from(this.pending, 'utf8');
    this.pending = '';
    let o = 0;
    while (o < buf.length) {
      try {
        o += writeSync(this.fd, buf, o, buf.length - o);
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
