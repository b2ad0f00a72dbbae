// strftime(3) in the C/POSIX locale over local time, for tcpdump -G file names (-w 'dump-%H%M%S.pcap').

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(n: number, width: number, fill = '0'): string {
  const s = String(n);
  return s.length >= width ? s : fill.repeat(width - s.length) + s;
}

function dayOfYear(d: Date): number {
  const start = new Date(d.getFullYear(), 0, 1);
  // Calendar days, not 24-hour periods: DST must not shift the count.
  const utcThis = Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  const utcStart = Date.UTC(start.getFullYear(), 0, 1);
  return Math.round((utcThis - utcStart) / 86400000) + 1;
}

/** ISO 8601 week-based year and week number (%G, %V). */
function isoWeek(d: Date): { year: number; week: number } {
  const t = new Date(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()));
  const dow = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - dow);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return { year: t.getUTCFullYear(), week: Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7) };
}

function tzOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${sign}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
}

function tzName(d: Date): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName');
  return part ? part.value : '';
}

/** Formats `epochSeconds` as local time with a strftime pattern (unknown conversions are kept). */
export function strftime(fmt: string, epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let f = fmt[++i];
    // glibc flags/modifiers we accept and ignore: E and O (alternative representations).
    if ((f === 'E' || f === 'O') && i + 1 < fmt.length) f = fmt[++i];
    const h = d.getHours();
    switch (f) {
      case 'a':
        out += DAYS[d.getDay()].slice(0, 3);
        break;
      case 'A':
        out += DAYS[d.getDay()];
        break;
      case 'b':
      case 'h':
        out += MONTHS[d.getMonth()].slice(0, 3);
        break;
      case 'B':
        out += MONTHS[d.getMonth()];
        break;
      case 'c':
        out += `${strftime('%a %b %e %H:%M:%S %Y', epochSeconds)}`;
        break;
      case 'C':
        out += pad(Math.floor(d.getFullYear() / 100), 2);
        break;
      case 'd':
        out += pad(d.getDate(), 2);
        break;
      case 'D':
      case 'x':
        out += strftime('%m/%d/%y', epochSeconds);
        break;
      case 'e':
        out += pad(d.getDate(), 2, ' ');
        break;
      case 'F':
        out += strftime('%Y-%m-%d', epochSeconds);
        break;
      case 'G':
        out += String(isoWeek(d).year);
        break;
      case 'g':
        out += pad(isoWeek(d).year % 100, 2);
        break;
      case 'H':
        out += pad(h, 2);
        break;
      case 'I':
        out += pad(h % 12 === 0 ? 12 : h % 12, 2);
        break;
      case 'j':
        out += pad(dayOfYear(d), 3);
        break;
      case 'k':
        out += pad(h, 2, ' ');
        break;
      case 'l':
        out += pad(h % 12 === 0 ? 12 : h % 12, 2, ' ');
        break;
      case 'm':
        out += pad(d.getMonth() + 1, 2);
        break;
      case 'M':
        out += pad(d.getMinutes(), 2);
        break;
      case 'n':
        out += '\n';
        break;
      case 'p':
        out += h < 12 ? 'AM' : 'PM';
        break;
      case 'P':
        out += h < 12 ? 'am' : 'pm';
        break;
      case 'r':
        out += strftime('%I:%M:%S %p', epochSeconds);
        break;
      case 'R':
        out += strftime('%H:%M', epochSeconds);
        break;
      case 's':
        out += String(Math.floor(epochSeconds));
        break;
      case 'S':
        out += pad(d.getSeconds(), 2);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
      case 'X':
        out += strftime('%H:%M:%S', epochSeconds);
        break;
      case 'u':
        out += String(d.getDay() === 0 ? 7 : d.getDay());
        break;
      case 'U':
        out += pad(Math.floor((dayOfYear(d) - 1 + 7 - d.getDay()) / 7), 2);
        break;
      case 'V':
        out += pad(isoWeek(d).week, 2);
        break;
      case 'w':
        out += String(d.getDay());
        break;
      case 'W':
        out += pad(Math.floor((dayOfYear(d) - 1 + 7 - ((d.getDay() + 6) % 7)) / 7), 2);
        break;
      case 'y':
        out += pad(d.getFullYear() % 100, 2);
        break;
      case 'Y':
        out += String(d.getFullYear());
        break;
      case 'z':
        out += tzOffset(d);
        break;
      case 'Z':
        out += tzName(d);
        break;
      case '%':
        out += '%';
        break;
      default:
        out += `%${f}`;
    }
  }
  return out;
}
