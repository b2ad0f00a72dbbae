// When tshark's HTTP dissector reports a request or status line: at the frame that completes the
// HTTP message after TCP reassembly. A message spans [start, end) in the sequence space once its
// headers give its length; tshark 4.0 completes it when every byte of that range has arrived
// (a hole still open when the range ends is filled only by a retransmission, not by a segment it
// flags out-of-order). This tracks each
// direction just far enough to know that frame, without keeping payload beyond the headers.

const MAX_HEADER = 16384;

/** Per-direction HTTP message state. */
export class HttpFlow {
  started = false;
  /** Offset of the next byte expected. */
  next = 0;
  /** 0 idle, 1 reading headers, 2 reading a body that ends at `end`, 3 chunked body. */
  mode = 0;
  end = 0;
  line = '';
  header = '';
  /** Missing [start, end) ranges of the body in progress (offsets in this direction). */
  holes: number[] = [];
  /** Messages whose range is over but which still miss bytes. */
  pending: { line: string; holes: number[] }[] = [];
  chunkLeft = 0;
  chunkLine = '';
  chunkState = 0;
}

const METHODS = [
  'GET ',
  'POST ',
  'HEAD ',
  'PUT ',
  'DELETE ',
  'OPTIONS ',
  'TRACE ',
  'CONNECT ',
  'PATCH ',
  'HTTP/1.',
];

function startsWith(buf: Uint8Array, off: number, end: number, w: string): boolean {
  if (end - off < w.length) return false;
  for (let i = 0; i < w.length; i++) if (buf[off + i] !== w.charCodeAt(i)) return false;
  return true;
}

/** The first line as Wireshark's expert summary shows it (CR and LF escaped). */
function shownLine(line: string): string {
  return `${line.replace(/\r/g, '\\r')}\\n`;
}

/** Removes [a, b) from a hole list; returns true when something was removed. */
function fill(holes: number[], a: number, b: number): boolean {
  let hit = false;
  for (let i = 0; i < holes.length; i += 2) {
    const s = Math.max(holes[i]!, a);
    const e = Math.min(holes[i + 1]!, b);
    if (e <= s) continue;
    hit = true;
    const keep: number[] = [];
    if (s > holes[i]!) keep.push(holes[i]!, s);
    if (e < holes[i + 1]!) keep.push(e, holes[i + 1]!);
    holes.splice(i, 2, ...keep);
    i += keep.length - 2;
  }
  return hit;
}

/**
 * Feeds a segment of `len` payload bytes (`captured` of them in buf from off) at relative
 * sequence number `seq` of one direction; calls `emit(line)` for each HTTP message this segment completes.
 */
export function httpFeed(
  h: HttpFlow,
  seq: number,
  buf: Uint8Array,
  off: number,
  captured: number,
  len: number,
  outOfOrder: boolean,
  emit: (line: string) => void,
): void {
  // `seq` is the relative sequence number: offsets from the connection's start.
  if (!h.started) {
    h.started = true;
    h.next = seq;
  }
  const pos = seq;
  if (pos < h.next) {
    // A resend of bytes before `next` fills holes of the message in progress; a message whose
    // range is already over completes later only through a retransmission, not through a
    // segment tshark flags out-of-order.
    const b = Math.min(pos + len, h.next);
    if (h.mode === 2) fill(h.holes, pos, b);
    if (!outOfOrder) {
      for (let i = 0; i < h.pending.length; i++) {
        const p = h.pending[i]!;
        if (fill(p.holes, pos, b) && p.holes.length === 0) {
          emit(p.line);
          h.pending.splice(i--, 1);
        }
      }
    }
    if (pos + len <= h.next) return;
    // The part beyond `next` is new data.
    const skip = h.next - pos;
    consume(h, h.next, buf, off + skip, Math.max(0, captured - skip), len - skip, emit);
    return;
  }
  if (pos > h.next) {
    // Bytes [next, pos) are missing.
    if (h.mode === 2) {
      if (pos < h.end) h.holes.push(h.next, pos);
      else {
        h.holes.push(h.next, h.end);
        finish(h, emit);
      }
    } else h.mode = 0;
  }
  consume(h, pos, buf, off, captured, len, emit);
}

function finish(h: HttpFlow, emit: (line: string) => void): void {
  if (h.holes.length === 0) emit(h.line);
  else if (h.pending.length < 64) h.pending.push({ line: h.line, holes: h.holes });
  h.holes = [];
  h.mode = 0;
}

/** Reads the new data of a segment at offset `pos` (`captured` bytes in buf at off, `len` in all). */
function consume(
  h: HttpFlow,
  pos: number,
  buf: Uint8Array,
  off: number,
  captured: number,
  len: number,
  emit: (line: string) => void,
): void {
  const segEnd = pos + len;
  h.next = segEnd;
  let p = pos;
  const at = (q: number) => off + (q - pos);
  const capEnd = pos + captured;
  while (p < segEnd) {
    if (h.mode === 0) {
      let ok = false;
      for (const m of METHODS) if (p < capEnd && startsWith(buf, at(p), at(capEnd), m)) ok = true;
      if (!ok) return;
      h.mode = 1;
      h.header = '';
    }
    if (h.mode === 1) {
      while (p < capEnd && h.header.length < MAX_HEADER) {
        h.header += String.fromCharCode(buf[at(p++)]!);
        const hv = h.header;
        if (hv.charCodeAt(hv.length - 1) === 10 && (hv.endsWith('\r\n\r\n') || hv.endsWith('\n\n'))) break;
      }
      const hv = h.header;
      if (!(hv.endsWith('\r\n\r\n') || hv.endsWith('\n\n'))) {
        if (hv.length >= MAX_HEADER || p < segEnd) h.mode = 0;
        return;
      }
      h.line = shownLine(hv.slice(0, hv.indexOf('\n')));
      const isResponse = hv.startsWith('HTTP/');
      const lower = hv.toLowerCase();
      const cl = /\ncontent-length:[ \t]*(\d+)/.exec(lower);
      const chunked = /\ntransfer-encoding:[ \t]*chunked/.test(lower);
      const status = isResponse ? Number.parseInt(hv.slice(9, 12), 10) : 0;
      const noBody = isResponse && (status === 204 || status === 304 || (status >= 100 && status < 200));
      h.holes = [];
      if (chunked && !noBody) {
        h.mode = 3;
        h.chunkState = 0;
        h.chunkLine = '';
      } else if (cl !== null && !noBody && Number(cl[1]) > 0) {
        h.mode = 2;
        h.end = p + Number(cl[1]);
      } else {
        h.mode = 0;
        emit(h.line);
        continue;
      }
    }
    if (h.mode === 2) {
      if (segEnd < h.end) return;
      p = h.end;
      finish(h, emit);
      continue;
    }
    if (h.mode === 3) {
      if (p >= capEnd) {
        h.mode = 0;
        return;
      }
      while (p < capEnd && h.mode === 3) {
        if (h.chunkState === 0) {
          const c = buf[at(p++)]!;
          if (c === 10) {
            const size = Number.parseInt(h.chunkLine.trim(), 16);
            h.chunkLine = '';
            if (Number.isNaN(size)) h.mode = 0;
            else if (size === 0) h.chunkState = 2;
            else {
              h.chunkLeft = size + 2;
              h.chunkState = 1;
            }
          } else h.chunkLine += String.fromCharCode(c);
        } else if (h.chunkState === 1) {
          const n = Math.min(capEnd - p, h.chunkLeft);
          p += n;
          h.chunkLeft -= n;
          if (h.chunkLeft === 0) h.chunkState = 0;
        } else {
          const c = buf[at(p++)]!;
          if (c === 10) {
            if (h.chunkLine.trim() === '') {
              h.mode = 0;
              emit(h.line);
            }
            h.chunkLine = '';
          } else h.chunkLine += String.fromCharCode(c);
        }
      }
      if (h.mode === 3) return;
    }
  }
}
