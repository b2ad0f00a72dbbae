// tshark 4.0's -z io,stat,INTERVAL table with its default column (frames and bytes per interval),
// laid out as tshark's tap-iostat does: widths from the largest values, the interval clamped to
// the capture's duration, and the last row ending at "Dur".

export interface IoStatData {
  intervalNs: number;
  frames: number[];
  bytes: number[];
}

function magnitude(v: number, max: number): number {
  let n = 1;
  let x = Math.floor(v);
  while (x >= 10 && n < max) {
    x = Math.floor(x / 10);
    n++;
  }
  return n;
}

/** printcenter(): the label centred in a column of width w with one space of padding. */
function center(label: string, w: number): string {
  const len = 6 - (Math.floor((w - label.length) / 2) + 1);
  if (len > 0 && len < 6) {
    const pad = ' '.repeat(6 - len);
    return (w - label.length) % 2 === 0 ? `${pad}${label}${pad}|` : ` ${pad}${label}${pad}|`;
  }
  if (len > 0 && len <= 15) return `${label}|`;
  return '';
}

const lpad = (s: string | number, w: number) => String(s).padStart(w);

/** The table; `durationNs` is the time from the first to the last frame. */
export function formatIoStat(io: IoStatData, durationNs: number): string {
  // tshark works in microseconds here.
  let duration = Math.floor((durationNs + 500) / 1000);
  const elapsedUs = duration;
  let interval = Math.round(io.intervalNs / 1000);
  let invlPrec = 6;
  for (let v = interval; invlPrec > 0 && v % 10 === 0 && v > 0; v = Math.floor(v / 10)) invlPrec--;
  const clamped = interval > duration;
  if (clamped) interval = duration;
  let durSecs = Math.floor(duration / 1e6);
  let durMag = magnitude(durSecs, 5);
  const invlMag = magnitude(Math.floor(interval / 1e6), 5);
  let borderlen: number;
  if (interval === duration) {
    invlPrec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
    borderlen = 30 + durMag + (invlPrec === 0 ? 0 : invlPrec + 1);
  } else borderlen = 25 + Math.max(invlMag, durMag) + (invlPrec === 0 ? 0 : invlPrec + 1);
  let dv = 1e6;
  for (let i = 0; i < invlPrec; i++) dv /= 10;
  if (duration % dv > 5 * (dv / 10)) {
    duration += 5 * (dv / 10);
    duration = Math.floor(duration / dv) * dv;
    durSecs = Math.floor(duration / 1e6);
    durMag = magnitude(durSecs, 5);
  }
  if (clamped) interval = duration;

  let invlColW = invlPrec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * invlPrec + 10;
  invlColW = Math.max(invlColW, 12);
  const rows =
    interval === 0 || duration === 0
      ? 0
      : Math.floor(duration / interval) + (duration % interval > 0 ? 1 : 0);
  // Per-row sums over the collected buckets (io.intervalNs wide) re-cut at the printed interval.
  const frames: number[] = [];
  const bytes: number[] = [];
  const bucket = io.intervalNs / 1000;
  for (let i = 0; i < io.frames.length; i++) {
    let r = interval === 0 ? 0 : Math.floor((i * bucket) / interval);
    if (r >= rows) r = Math.max(0, rows - 1);
    frames[r] = (frames[r] ?? 0) + io.frames[i]!;
    bytes[r] = (bytes[r] ?? 0) + io.bytes[i]!;
  }
  let maxF = 0;
  let maxB = 0;
  for (let r = 0; r < rows; r++) {
    maxF = Math.max(maxF, frames[r] ?? 0);
    maxB = Math.max(maxB, bytes[r] ?? 0);
  }
  const fr = Math.max(6, magnitude(maxF, 15));
  const val = Math.max(5, magnitude(maxB, 15));
  const tabrowW = invlColW + fr + 3 + val + 3;
  borderlen = Math.max(borderlen, tabrowW);
  if (26 > borderlen && borderlen < 102) borderlen = 26;
  if (borderlen - tabrowW === 1) borderlen++;
  const fill = (len: number) => lpad('|', borderlen - len);

  let s = `\n${'='.repeat(borderlen)}\n`;
  s += `|${' IO Statistics'.padEnd(borderlen - 2)}|\n`;
  s += `|${' '.repeat(borderlen - 2)}|\n`;
  const durW = durMag + (invlPrec === 0 ? 0 : invlPrec + 1);
  let durText: string;
  if (invlPrec === 0) {
    // 4.0 prints the microseconds here without zero padding.
    durText = `${Math.floor(elapsedUs / 1e6)}.${lpad(elapsedUs % 1e6, 6)}`;
  } else {
    const d = Math.round(elapsedUs / dv) * dv;
    durText = `${Math.floor(d / 1e6)}.${String(Math.floor((d % 1e6) / dv)).padStart(invlPrec, '0')}`;
  }
  let line = `| Duration: ${lpad(durText, durW)} secs`;
  s += `${line}${fill(line.length)}\n`;
  const invlText =
    invlPrec === 0
      ? String(Math.floor(interval / 1e6))
      : `${Math.floor(interval / 1e6)}.${String(Math.floor((interval % 1e6) / dv)).padStart(invlPrec, '0')}`;
  line = `| Interval: ${lpad(invlText, durW)} secs`;
  s += `${line}${fill(line.length)}\n`;
  s += `|${' '.repeat(borderlen - 2)}|\n`;
  line = '| Col 1: Frames and bytes';
  s += `${line}${fill(line.length)}\n`;
  s += `|-${'-'.repeat(borderlen - 3)}|\n`;
  const filler = tabrowW < borderlen ? lpad('|', borderlen - tabrowW) : '';
  s += `|${lpad('|', invlColW - 1)}1 ${' '.repeat(fr + val + 3)}|${filler}\n`;
  s += `| Interval${lpad('|', invlColW - 10)}${center('Frames', fr)}${center('Bytes', val)}${filler}\n`;
  s += `|-${'-'.repeat(tabrowW - 3)}|${filler}\n`;
  const fmt = (us: number) =>
    invlPrec === 0
      ? lpad(Math.floor(us / 1e6), durMag)
      : `${lpad(Math.floor(us / 1e6), durMag)}.${String(Math.floor((us % 1e6) / dv)).padStart(invlPrec, '0')}`;
  let t = 0;
  for (let r = 0; r < rows; r++) {
    const last = r === rows - 1;
    const end = last ? duration : t + interval;
    if (invlPrec === 0) {
      if (last) {
        const maxw = durMag >= 3 ? durMag + 1 : 3;
        s += `| ${durMag === 1 ? ' ' : ''}${fmt(t)} <> ${'Dur'.padEnd(maxw)}|`;
      } else if (durMag === 1) s += `|  ${fmt(t)} <> ${fmt(end)}  |`;
      else s += `| ${fmt(t)} <> ${fmt(end)} |`;
    } else s += `| ${fmt(t)} <> ${fmt(end)} |`;
    s += ` ${lpad(frames[r] ?? 0, fr)} | ${lpad(bytes[r] ?? 0, val)} |${filler}\n`;
    t += interval;
  }
  s += `${'='.repeat(borderlen)}\n`;
  return s;
}
