// tcpdump's timestamp column: -t variants, --nano, local time without a Date per packet.

/** Time zone offset (seconds east of UTC) for a UTC second, cached per hour. */
class LocalZone {
  private hourKey = Number.NaN;
  private offset = 0;

  offsetAt(sec: number): number {
    const key = Math.floor(sec / 3600);
    if (key !== this.hourKey) {
      this.hourKey = key;
      this.offset = -new Date(sec * 1000).getTimezoneOffset() * 60;
    }
    return this.offset;
  }
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Days since 1970-01-01 to a civil date (proleptic Gregorian). */
function civil(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export class TimeFormatter {
  private readonly tflag: number;
  private readonly nano: boolean;
  private readonly zone = new LocalZone();
  private refSec = 0;
  private refFrac = 0;
  private haveRef = false;
  /** Cache of the HH:MM:SS text of the last second printed. */
  private lastSec = Number.NaN;
  private lastHms = '';
  private lastDate = '';

  /** The savefile's fraction unit is nanoseconds (libpcap scales from it). */
  private readonly fileNano: boolean;

  /**
   * tflag: tcpdump's -t count (0 default, 1 none, 2 -tt, 3 -ttt, 4 -tttt, 5 -ttttt); nano: print
   * nanoseconds; fileNano: the savefile's own unit (libpcap converts between the two).
   */
  constructor(tflag: number, nano: boolean, fileNano = nano) {
    this.tflag = tflag;
    this.nano = nano;
    this.fileNano = fileNano;
  }

  /**
   * The fraction in the printed precision as libpcap hands it to tcpdump: the file's 32-bit field
   * taken as signed and scaled in 32 bits, so out-of-range fractions print as tcpdump prints them.
   */
  private frac(nsec: number): number {
    const v = (this.fileNano ? nsec : nsec / 1000) | 0;
    if (this.nano === this.fileNano) return v;
    return this.nano ? Math.imul(v, 1000) : Math.trunc(v / 1000);
  }

  /** %06u / %09u of the fraction (an unsigned cast, as tcpdump prints it). */
  private fracText(f: number): string {
    return String(f >>> 0).padStart(this.nano ? 9 : 6, '0');
  }

  /**
   * The column's text (with its trailing space) for a packet at sec (signed; negative means the
   * savefile's 32-bit time could not be converted) and nsec.
   */
  format(sec: number, nsec: number): string {
    switch (this.tflag) {
      case 1:
        return '';
      case 2:
        // ts_unix_print refuses seconds with bit 31 set (as an unsigned 32-bit value).
        if ((sec >>> 0) & 0x80000000) return '[Error converting time] ';
        return `${sec >>> 0}.${this.fracText(this.frac(nsec))} `;
      case 3:
      case 5: {
        const f = this.frac(nsec);
        if (!this.haveRef) {
          this.haveRef = true;
          this.refSec = sec;
          this.refFrac = f;
        }
        // netdissect_timevalsub: no normalisation beyond one borrow, as tcpdump computes it.
        const neg = sec < this.refSec || (sec === this.refSec && f < this.refFrac);
        let ds = neg ? this.refSec - sec : sec - this.refSec;
        let du = neg ? this.refFrac - f : f - this.refFrac;
        if (du < 0) {
          ds--;
          du += this.nano ? 1e9 : 1e6;
        }
        if (this.tflag === 3) {
          this.refSec = sec;
          this.refFrac = f;
        }
        const sign = neg ? '-' : ' ';
        if ((ds >>> 0) & 0x80000000) return `${sign}[Error converting time] `;
        // 4.99.3 formats the difference through gmtime: hours wrap at 24.
        return `${sign}${pad2(Math.floor(ds / 3600) % 24)}:${pad2(Math.floor((ds % 3600) / 60))}:${pad2(ds % 60)}.${this.fracText(du)} `;
      }
      default: {
        // ts_date_hmsfrac_print refuses seconds with bit 31 set (as an unsigned 32-bit value).
        if ((sec >>> 0) & 0x80000000) return '[Error converting time] ';
        if (sec !== this.lastSec) {
          this.lastSec = sec;
          const local = sec + this.zone.offsetAt(sec);
          const days = Math.floor(local / 86400);
          const t = local - days * 86400;
          this.lastHms = `${pad2(Math.floor(t / 3600))}:${pad2(Math.floor((t % 3600) / 60))}:${pad2(t % 60)}`;
          this.lastDate = this.tflag === 4 ? civil(days) : '';
        }
        const f = this.fracText(this.frac(nsec));
        return this.tflag === 4 ? `${this.lastDate} ${this.lastHms}.${f} ` : `${this.lastHms}.${f} `;
      }
    }
  }
}
