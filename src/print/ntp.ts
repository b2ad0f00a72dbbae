// NTP printer (RFC 5905 time messages, RFC 1305 / draft-ietf-ntp-mode-6-cmds control messages),
// byte-exact with tcpdump 4.99.3's ntp_print: `NTPv4, Client, length 48`, details at -v.
import type { PrintContext } from './context.js';
import { printn } from './dns-text.js';
import { ipaddrString } from './ip-names.js';

/** Mandatory part of a time message (no extension, key id or digest). */
const NTP_TIMEMSG_MINLEN = 48;
/** Mandatory part of a control message. */
const NTP_CTRLMSG_MINLEN = 12;
/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
const JAN_1970 = 2208988800;
const TWO32 = 4294967296;

const MODE_NAMES = [
  'unspecified',
  'symmetric active',
  'symmetric passive',
  'Client',
  'Server',
  'Broadcast',
  'Control Message',
  'Reserved',
];
const MODE_CONTROL = 6;
const LEAP_NAMES = new Map([
  [0x00, ''],
  [0x40, '+1s'],
  [0x80, '-1s'],
  [0xc0, 'clock unsynchronized'],
]);

// Field offsets of a time message.
const STRATUM = 1;
const POLL = 2;
const PRECISION = 3;
const ROOT_DELAY = 4;
const ROOT_DISPERSION = 8;
const REFID = 12;
const REF_TS = 16;
const ORG_TS = 24;
const REC_TS = 32;
const XMT_TS = 40;
const KEY_ID = 48;
const DIGEST = 52;

const INVALID = ' (invalid)';

function s8(v: number): number {
  return (v << 24) >> 24;
}

/** A 16.16 fixed-point value as `%d.%06d` (fraction in millionths, truncated). */
function sfixText(ctx: PrintContext, i: number): string {
  const int = ctx.u16(i);
  const frac = Math.trunc((ctx.u16(i + 2) / 65536) * 1000000);
  return `${int}.${String(frac).padStart(6, '0')}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A 32.32 NTP timestamp: `3832574400.123456789 (2021-06-15T12:00:00Z)` (no date when 0). */
export function ntpTimeText(ctx: PrintContext, i: number): string {
  const secs = ctx.u32(i);
  const frac = Math.trunc((ctx.u32(i + 4) / TWO32) * 1000000000);
  let s = `${secs}.${String(frac).padStart(9, '0')}`;
  if (secs !== 0) {
    const d = new Date((secs - JAN_1970) * 1000);
    const y = d.getUTCFullYear();
    s += ` (${String(y).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(
      d.getUTCHours(),
    )}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z)`;
  }
  return s;
}

/** Difference of two timestamps as `+0.000123456` / `-1.500000000` (p_ntp_delta). */
function deltaText(ctx: PrintContext, oi: number, ni: number): string {
  const u = ctx.u32(ni);
  const ou = ctx.u32(oi);
  const uf = ctx.u32(ni + 4);
  const ouf = ctx.u32(oi + 4);
  if (ou === 0 && ouf === 0) return ntpTimeText(ctx, ni);
  let neg: boolean;
  let i: number;
  let f: number;
  if (u > ou) {
    neg = false;
    i = u - ou;
    f = (uf - ouf) >>> 0;
    if (ouf > uf) i -= 1;
  } else if (u < ou) {
    neg = true;
    i = ou - u;
    f = (ouf - uf) >>> 0;
    if (uf > ouf) i -= 1;
  } else {
    i = 0;
    if (uf > ouf) {
      neg = false;
      f = uf - ouf;
    } else {
      neg = true;
      f = ouf - uf;
    }
  }
  const ns = Math.trunc((f / TWO32) * 1000000000);
  return `${neg ? '-' : '+'}${i >>> 0}.${String(ns).padStart(9, '0')}`;
}

function pollText(poll: number): string {
  if (poll <= -32 || poll >= 32) return '';
  // 1U << n in C: shift counts are taken mod 32 in JS too, and 1 << 31 must stay unsigned
  return poll >= 0 ? ` (${2 ** poll}s)` : ` (1/${2 ** -poll}s)`;
}

function timePrint(ctx: PrintContext, bp: number, length: number): void {
  if (length < NTP_TIMEMSG_MINLEN) {
    ctx.print(INVALID);
    ctx.check(bp, length);
    return;
  }
  const stratum = ctx.u8(bp + STRATUM);
  const stratumName =
    stratum === 0
      ? 'unspecified'
      : stratum === 1
        ? 'primary reference'
        : stratum >= 2 && stratum <= 15
          ? 'secondary reference'
          : 'reserved';
  ctx.print(`, Stratum ${stratum} (${stratumName})`);
  const poll = s8(ctx.u8(bp + POLL));
  ctx.print(`, poll ${poll}${pollText(poll)}`);
  ctx.print(`, precision ${s8(ctx.u8(bp + PRECISION))}`);
  ctx.check(bp + ROOT_DELAY, 4);
  ctx.print(`\n\tRoot Delay: ${sfixText(ctx, bp + ROOT_DELAY)}`);
  ctx.check(bp + ROOT_DISPERSION, 4);
  ctx.print(`, Root dispersion: ${sfixText(ctx, bp + ROOT_DISPERSION)}`);
  ctx.check(bp + REFID, 4);
  ctx.print(', Reference-ID: ');
  // What the reference id means depends on the stratum.
  switch (stratum) {
    case 0:
      ctx.print('(unspec)');
      break;
    case 1:
      // a 4-character clock source code, e.g. GPS
      if (printn(ctx, bp + REFID, 4, true)) {
        ctx.print(` [|${ctx.protocol}]`);
        return;
      }
      break;
    case 62:
      ctx.print(`${ipaddrString(ctx, bp + REFID)} INFO_QUERY`);
      return;
    case 63:
      ctx.print(`${ipaddrString(ctx, bp + REFID)} INFO_REPLY`);
      return;
    default:
      ctx.print(
        `0x${ctx
          .u32(bp + REFID)
          .toString(16)
          .padStart(8, '0')}`,
      );
  }
  ctx.check(bp + REF_TS, 8);
  ctx.print(`\n\t  Reference Timestamp:  ${ntpTimeText(ctx, bp + REF_TS)}`);
  ctx.check(bp + ORG_TS, 8);
  ctx.print(`\n\t  Originator Timestamp: ${ntpTimeText(ctx, bp + ORG_TS)}`);
  ctx.check(bp + REC_TS, 8);
  ctx.print(`\n\t  Receive Timestamp:    ${ntpTimeText(ctx, bp + REC_TS)}`);
  ctx.check(bp + XMT_TS, 8);
  ctx.print(`\n\t  Transmit Timestamp:   ${ntpTimeText(ctx, bp + XMT_TS)}`);
  ctx.print(`\n\t    Originator - Receive Timestamp:  ${deltaText(ctx, bp + ORG_TS, bp + REC_TS)}`);
  ctx.print(`\n\t    Originator - Transmit Timestamp: ${deltaText(ctx, bp + ORG_TS, bp + XMT_TS)}`);
  // Key id alone (crypto-NAK), or with an MD5 (16) or SHA-1 (20) digest; extensions are not parsed.
  if (length === NTP_TIMEMSG_MINLEN + 4) {
    ctx.print(`\n\tKey id: ${ctx.u32(bp + KEY_ID)}`);
  } else if (length === NTP_TIMEMSG_MINLEN + 4 + 16 || length === NTP_TIMEMSG_MINLEN + 4 + 20) {
    ctx.print(`\n\tKey id: ${ctx.u32(bp + KEY_ID)}`);
    const n = length - NTP_TIMEMSG_MINLEN - 4;
    ctx.check(bp + DIGEST, n);
    let s = '\n\tAuthentication: ';
    for (let k = 0; k < n; k += 4)
      s += ctx
        .u32(bp + DIGEST + k)
        .toString(16)
        .padStart(8, '0');
    ctx.print(s);
  } else if (length > NTP_TIMEMSG_MINLEN) {
    ctx.print(`\n\t(${length - NTP_TIMEMSG_MINLEN} more bytes after the header)`);
  }
}

/** printf("%#hx"): `0` for zero, `0x..` otherwise. */
function altHex(v: number): string {
  return v === 0 ? '0' : `0x${v.toString(16)}`;
}

function controlPrint(ctx: PrintContext, bp: number, length: number): void {
  if (length < NTP_CTRLMSG_MINLEN) {
    ctx.print(INVALID);
    ctx.check(bp, length);
    return;
  }
  const control = ctx.u8(bp + 1);
  ctx.print(
    `, ${control & 0x80 ? 'Response' : 'Request'}, ${control & 0x40 ? 'Error' : 'OK'}, ${
      control & 0x20 ? 'More' : 'Last'
    }, OpCode=${control & 0x1f}\n`,
  );
  ctx.print(`\tSequence=${ctx.u16(bp + 2)}`);
  ctx.print(`, Status=${altHex(ctx.u16(bp + 4))}`);
  ctx.print(`, Assoc.=${ctx.u16(bp + 6)}`);
  ctx.print(`, Offset=${ctx.u16(bp + 8)}`);
  const count = ctx.u16(bp + 10);
  ctx.print(`, Count=${count}`);
  if (NTP_CTRLMSG_MINLEN + count > length) {
    ctx.print(INVALID);
    ctx.check(bp, length);
    return;
  }
  if (count !== 0) {
    ctx.check(bp + NTP_CTRLMSG_MINLEN, count);
    ctx.print('\n\tTO-BE-DONE: data not interpreted');
  }
}

/** tcpdump ntp_print: the NTP message at off, `length` bytes of UDP payload. */
export function ntpPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'ntp';
  const status = ctx.u8(off);
  const version = (status & 0x38) >>> 3;
  const mode = status & 0x07;
  ctx.print(`NTPv${version}`);
  if (!ctx.opts.vflag) {
    ctx.print(`, ${MODE_NAMES[mode]!}, length ${length}`);
    return;
  }
  ctx.print(`, ${MODE_NAMES[mode]!}, length ${length}\n`);
  const leap = status & 0xc0;
  ctx.print(`\tLeap indicator: ${LEAP_NAMES.get(leap)!} (${leap})`);
  if (mode === MODE_CONTROL) controlPrint(ctx, off, length);
  else if (mode < MODE_CONTROL) timePrint(ctx, off, length);
}
