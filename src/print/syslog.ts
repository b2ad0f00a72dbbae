// Syslog printer (BSD syslog RFC 3164 / RFC 5424 over UDP 514), byte-exact with tcpdump 4.99.3's
// syslog_print: `SYSLOG local0.info, length: 52`; facility, severity and the message at -v.
import type { PrintContext } from './context.js';
import { printn, printUnknownData } from './dns-text.js';

const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const FACILITY_NAMES = [
  'kernel',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
/** At most this many digits of <PRI> are read. */
const MAX_PRI_DIGITS = 3;

function facilityName(f: number): string {
  return FACILITY_NAMES[f] ?? `unknown (${f})`;
}

/** tcpdump syslog_print: the datagram at off, `length` bytes of UDP payload. */
export function syslogPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'syslog';
  // <PRI>: facility * 8 + severity, in decimal between angle brackets
  if (ctx.u8(off) !== 0x3c) {
    ctx.print(' (invalid)');
    return;
  }
  let msgOff = 1;
  let pri = 0;
  while (msgOff <= MAX_PRI_DIGITS) {
    const c = ctx.u8(off + msgOff);
    if (c < 0x30 || c > 0x39) break;
    pri = pri * 10 + (c - 0x30);
    msgOff++;
  }
  if (ctx.u8(off + msgOff) !== 0x3e) {
    ctx.print(' (invalid)');
    return;
  }
  msgOff++;
  const facility = (pri & 0x03f8) >>> 3;
  const severity = pri & 0x0007;
  if (ctx.opts.vflag < 1) {
    ctx.print(`SYSLOG ${facilityName(facility)}.${SEVERITY_NAMES[severity]!}, length: ${length}`);
    return;
  }
  ctx.print(
    `SYSLOG, length: ${length}\n\tFacility ${facilityName(facility)} (${facility}), Severity ${SEVERITY_NAMES[severity]!} (${severity})\n\tMsg: `,
  );
  // The whole MSG, control characters included (RFC 5424 allows them), escaped.
  if (length > msgOff) printn(ctx, off + msgOff, length - msgOff, false);
  if (ctx.opts.vflag > 1) printUnknownData(ctx, off, '\n\t', length);
}
