// tcpdump's -x/-xx (hex), -X/-XX (hex and ASCII) and -A/-AA (ASCII) packet dumps.

function isGraph(c: number): boolean {
  return c > 0x20 && c <= 0x7e;
}

const HEX = '0123456789abcdef';
const h2 = (b: number) => HEX[b >> 4]! + HEX[b & 15]!;
const off4 = (o: number) => `0x${o.toString(16).padStart(4, '0')}`;

/** hex_print: "\n\t0x0000:  4500 003c ..." eight 16-bit groups a line. */
export function hexDump(buf: Uint8Array, start: number, length: number, offset = 0): string {
  let s = '';
  let i = 0;
  let p = start;
  let o = offset;
  const nshorts = length >> 1;
  for (let n = 0; n < nshorts; n++) {
    if (i++ % 8 === 0) {
      s += `\n\t${off4(o)}: `;
      o += 16;
    }
    s += ` ${h2(buf[p]!)}${h2(buf[p + 1]!)}`;
    p += 2;
  }
  if (length & 1) {
    if (i % 8 === 0) s += `\n\t${off4(o)}: `;
    s += ` ${h2(buf[p]!)}`;
  }
  return s;
}

/** hex_and_ascii_print: the hex groups padded to 40 columns, two spaces, then the bytes as text. */
export function hexAsciiDump(buf: Uint8Array, start: number, length: number, offset = 0): string {
  let s = '';
  let hex = '';
  let asc = '';
  let i = 0;
  let p = start;
  let o = offset;
  const nshorts = length >> 1;
  for (let n = 0; n < nshorts; n++) {
    const a = buf[p]!;
    const b = buf[p + 1]!;
    p += 2;
    hex += ` ${h2(a)}${h2(b)}`;
    asc += (isGraph(a) ? String.fromCharCode(a) : '.') + (isGraph(b) ? String.fromCharCode(b) : '.');
    if (++i >= 8) {
      s += `\n\t${off4(o)}: ${hex.padEnd(40)}  ${asc}`;
      i = 0;
      hex = '';
      asc = '';
      o += 16;
    }
  }
  if (length & 1) {
    const a = buf[p]!;
    hex += ` ${h2(a)}`;
    asc += isGraph(a) ? String.fromCharCode(a) : '.';
    i++;
  }
  if (i > 0) s += `\n\t${off4(o)}: ${hex.padEnd(40)}  ${asc}`;
  return s;
}

/** ascii_print: a newline, then the bytes; CRs vanish before a line end, other controls are '.'. */
export function asciiDump(buf: Uint8Array, start: number, length: number): string {
  let s = '\n';
  let p = start;
  let left = length;
  while (left > 0) {
    const c = buf[p++]!;
    left--;
    if (c === 0x0d) {
      if (left > 1 && buf[p] !== 0x0a) s += '.';
    } else if (!isGraph(c) && c !== 0x09 && c !== 0x20 && c !== 0x0a) s += '.';
    else s += String.fromCharCode(c);
  }
  return s;
}
