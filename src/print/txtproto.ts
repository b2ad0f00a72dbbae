// Text protocols over TCP as tcpdump 4.99.3 prints them: txtproto_print (HTTP, RTSP, FTP, SMTP,
// WHOIS: the first line by default, every text line at -v), the SSH version banner and BEEP.
import type { PrintContext } from './context.js';

const HTTP_CMDS = [
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
];
const RTSP_CMDS = [
  'DESCRIBE',
  'ANNOUNCE',
  'GET_PARAMETER',
  'OPTIONS',
  'PAUSE',
  'PLAY',
  'RECORD',
  'REDIRECT',
  'SETUP',
  'SET_PARAMETER',
  'TEARDOWN',
];

/** A text protocol: its ndo_protocol name and, for request/response protocols, its commands. */
export interface TxtProto {
  readonly name: string;
  readonly caps: string;
  /** Upper-case command names (compared case-insensitively), or null: every payload is text. */
  readonly cmds: ReadonlySet<string> | null;
}

const SIP_CMDS = [
  'ACK',
  'BYE',
  'CANCEL',
  'DO',
  'INFO',
  'INVITE',
  'MESSAGE',
  'NOTIFY',
  'OPTIONS',
  'PRACK',
  'QAUTH',
  'REFER',
  'REGISTER',
  'SPRACK',
  'SUBSCRIBE',
  'UPDATE',
  'PUBLISH',
];

export const TXT_SIP: TxtProto = { name: 'sip', caps: 'SIP', cmds: new Set(SIP_CMDS) };
export const TXT_HTTP: TxtProto = { name: 'http', caps: 'HTTP', cmds: new Set(HTTP_CMDS) };
export const TXT_RTSP: TxtProto = { name: 'rtsp', caps: 'RTSP', cmds: new Set(RTSP_CMDS) };
export const TXT_FTP: TxtProto = { name: 'ftp', caps: 'FTP', cmds: null };
export const TXT_SMTP: TxtProto = { name: 'smtp', caps: 'SMTP', cmds: null };
export const TXT_WHOIS: TxtProto = { name: 'whois', caps: 'WHOIS', cmds: null };

const MAX_TOKEN_BUF = 129;

function isPrint(c: number): boolean {
  return c >= 0x20 && c <= 0x7e;
}

// fetch_token's results, kept in module state to avoid an object per call.
let tokStart = 0;
let tokLen = 0;

/** fetch_token: index after the token and its trailing blanks, 0 when there is no valid token. */
function fetchToken(ctx: PrintContext, p: number, idx: number, len: number): number {
  let toklen = 0;
  const b = ctx.buf;
  tokStart = p + idx;
  for (; idx < len; idx++) {
    if (!ctx.has(p + idx, 1)) return 0;
    const c = b[p + idx]!;
    if (c & 0x80) return 0;
    if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) return 0;
    if (toklen + 2 > MAX_TOKEN_BUF) return 0;
    toklen++;
  }
  if (toklen === 0) return 0;
  tokLen = toklen;
  for (; idx < len; idx++) {
    if (!ctx.has(p + idx, 1)) break;
    const c = b[p + idx]!;
    if (c === 0x0d || c === 0x0a) break;
    if (!isPrint(c)) break;
    if (c !== 0x20 && c !== 0x09) break;
  }
  return idx;
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** print_txt_line: index after the line ending, 0 on binary data or no line ending. */
function printTxtLine(ctx: PrintContext, prefix: string, p: number, idx: number, len: number): number {
  const start = idx;
  while (idx < len) {
    const c = ctx.u8(p + idx);
    if (c === 0x0a) {
      ctx.s += prefix + latin1(ctx.buf, p + start, p + idx);
      return idx + 1;
    }
    if (c === 0x0d) {
      if (idx + 1 >= len) return 0;
      if (ctx.u8(p + idx + 1) === 0x0a) {
        ctx.s += prefix + latin1(ctx.buf, p + start, p + idx);
        return idx + 2;
      }
      return 0;
    }
    if (!isPrint(c) && c !== 0x09) return 0;
    idx++;
  }
  ctx.s += `${prefix}${latin1(ctx.buf, p + start, p + idx)} [|${ctx.protocol}]`;
  return 0;
}

/** txtproto_print for the payload at p, `len` bytes on the wire. */
export function txtprotoPrint(ctx: PrintContext, p: number, len: number, proto: TxtProto): void {
  ctx.protocol = proto.name;
  let printThis = false;
  if (proto.cmds !== null) {
    let idx = fetchToken(ctx, p, 0, len);
    if (idx !== 0) {
      if (proto.cmds.has(latin1(ctx.buf, tokStart, tokStart + tokLen).toUpperCase())) printThis = true;
      // RESP_CODE_SECOND_TOKEN: the response code is the second token.
      idx = fetchToken(ctx, p, idx, len);
      if (idx !== 0) {
        const b = ctx.buf;
        const t = tokStart;
        if (
          tokLen === 3 &&
          b[t]! >= 0x30 &&
          b[t]! <= 0x39 &&
          b[t + 1]! >= 0x30 &&
          b[t + 1]! <= 0x39 &&
          b[t + 2]! >= 0x30 &&
          b[t + 2]! <= 0x39
        )
          printThis = true;
      }
    }
  } else printThis = true;
  ctx.s += proto.caps;
  if (!printThis) return;
  if (ctx.opts.vflag) {
    ctx.s += `, length: ${len}`;
    for (let idx = 0; idx < len; ) {
      const eol = printTxtLine(ctx, '\n\t', p, idx, len);
      if (eol === 0) break;
      idx = eol;
    }
  } else printTxtLine(ctx, ': ', p, 0, len);
}

/** ssh_print: the `SSH-...` version line, if that is what the payload starts with. */
export function sshPrint(ctx: PrintContext, p: number, len: number): void {
  ctx.protocol = 'ssh';
  if (ctx.u8(p) !== 0x53 || ctx.u8(p + 1) !== 0x53 || ctx.u8(p + 2) !== 0x48 || ctx.u8(p + 3) !== 0x2d)
    return;
  let idx = 4;
  while (idx < len) {
    const c = ctx.u8(p + idx);
    if (c === 0x0a) break;
    if (c === 0x0d) {
      if (idx + 1 >= len) return;
      if (ctx.u8(p + idx + 1) === 0x0a) break;
      return;
    }
    if (!isPrint(c)) return;
    idx++;
  }
  if (idx >= len) return;
  ctx.s += `: SSH: ${latin1(ctx.buf, p, p + idx)}`;
}

const BEEP_TAGS = ['MSG', 'RPY ', 'ERR ', 'ANS ', 'NUL ', 'SEQ ', 'END'];
const BEEP_NAMES = ['MSG', 'RPY', 'ERR', 'ANS', 'NUL', 'SEQ', 'END'];

/** beep_print (RFC 3080): the frame keyword. Note tcpdump compares 4 bytes (with NUL for MSG/END). */
export function beepPrint(ctx: PrintContext, p: number, len: number): void {
  ctx.protocol = 'beep';
  const b = ctx.buf;
  for (let t = 0; t < BEEP_TAGS.length; t++) {
    if (!ctx.has(p, 4) || len < 4) continue;
    const tag = BEEP_TAGS[t]!;
    let eq = true;
    // strncmp over 4 bytes: for 3-letter tags the 4th compared char is the string's NUL.
    for (let i = 0; i < 4; i++) {
      const want = i < tag.length ? tag.charCodeAt(i) : 0;
      const got = b[p + i]!;
      if (want !== got) {
        eq = false;
        break;
      }
      if (want === 0) break;
    }
    if (eq) {
      ctx.s += ` BEEP ${BEEP_NAMES[t]}`;
      return;
    }
  }
  ctx.s += ' BEEP (payload or undecoded)';
}
