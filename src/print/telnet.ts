// Telnet commands (RFC 854, options RFC 855 and successors) as tcpdump 4.99.3's telnet_print
// shows them after a TCP segment: ` [telnet DO ECHO, WILL SUPPRESS GO AHEAD]`.
import type { PrintContext } from './context.js';
import { hexPrintWithOffset } from './unknown-data.js';

const IAC = 255;
const SB = 250;
const SE = 240;
const TELCMD_FIRST = 236;
const TELCMDS = [
  'EOF',
  'SUSP',
  'ABORT',
  'EOR',
  'SE',
  'NOP',
  'DMARK',
  'BRK',
  'IP',
  'AO',
  'AYT',
  'EC',
  'EL',
  'GA',
  'SB',
  'WILL',
  'WONT',
  'DO',
  'DONT',
  'IAC',
];
const TELOPTS = [
  'BINARY',
  'ECHO',
  'RCP',
  'SUPPRESS GO AHEAD',
  'NAME',
  'STATUS',
  'TIMING MARK',
  'RCTE',
  'NAOL',
  'NAOP',
  'NAOCRD',
  'NAOHTS',
  'NAOHTD',
  'NAOFFD',
  'NAOVTS',
  'NAOVTD',
  'NAOLFD',
  'EXTEND ASCII',
  'LOGOUT',
  'BYTE MACRO',
  'DATA ENTRY TERMINAL',
  'SUPDUP',
  'SUPDUP OUTPUT',
  'SEND LOCATION',
  'TERMINAL TYPE',
  'END OF RECORD',
  'TACACS UID',
  'OUTPUT MARKING',
  'TTYLOC',
  '3270 REGIME',
  'X.3 PAD',
  'NAWS',
  'TSPEED',
  'LFLOW',
  'LINEMODE',
  'XDISPLOC',
  'OLD-ENVIRON',
  'AUTHENTICATION',
  'ENCRYPT',
  'NEW-ENVIRON',
];
const SB_CMDS: (string | null)[] = ['IS', 'SEND', 'INFO'];
const AUTH_CMDS: (string | null)[] = ['IS', 'SEND', 'REPLY', 'NAME'];
const AUTH_TYPES: (string | null)[] = [
  'NULL',
  'KERBEROS_V4',
  'KERBEROS_V5',
  'SPX',
  'MINK',
  'SRP',
  'RSA',
  'SSL',
  null,
  null,
  'LOKI',
  'SSA',
  'KEA_SJ',
  'KEA_SJ_INTEG',
  'DSS',
  'NTLM',
];
const ENC_CMDS: (string | null)[] = [
  'IS',
  'SUPPORT',
  'REPLY',
  'START',
  'END',
  'REQUEST-START',
  'REQUEST-END',
  'END_KEYID',
  'DEC_KEYID',
];
const ENC_TYPES: (string | null)[] = [
  'NULL',
  'DES_CFB64',
  'DES_OFB64',
  'DES3_CFB64',
  'DES3_OFB64',
  null,
  'CAST5_40_CFB64',
  'CAST5_40_OFB64',
  'CAST128_CFB64',
  'CAST128_OFB64',
];

/** printf %#x: `0` for zero, else `0x..`. */
function altHex(x: number): string {
  return x === 0 ? '0' : `0x${x.toString(16)}`;
}

function strOrId(x: number, tab: (string | null)[]): string {
  return x < tab.length && tab[x] ? tab[x]! : altHex(x);
}

/** telnet_parse: length of the command at sp (printing it when `print`), -1 when incomplete. */
function telnetParse(ctx: PrintContext, sp: number, length: number, print: boolean): number {
  const osp = sp;
  let s = '';
  if (length < 1) return -1;
  let c = ctx.u8(sp++);
  length--;
  if (c !== IAC) return -1;
  if (length < 1) return -1;
  c = ctx.u8(sp++);
  length--;
  if (c === IAC) {
    if (print) ctx.s += 'IAC IAC';
    return sp - osp;
  }
  const i = c - TELCMD_FIRST;
  if (i < 0 || i > IAC - TELCMD_FIRST) return -1;
  if (c >= SB && c <= 254) {
    if (length < 1) return -1;
    const x = ctx.u8(sp++);
    length--;
    s += x < TELOPTS.length ? `${TELCMDS[i]} ${TELOPTS[x]}` : `${TELCMDS[i]} ${altHex(x)}`;
    if (c === SB) {
      let p = sp;
      while (length > p + 1 - sp) {
        if (ctx.u8(p) === IAC && ctx.u8(p + 1) === SE) break;
        p++;
      }
      if (ctx.u8(p) !== IAC) return -1;
      const tabs = x === 37 ? [AUTH_CMDS, AUTH_TYPES] : x === 38 ? [ENC_CMDS, ENC_TYPES] : [SB_CMDS];
      for (const tab of tabs) {
        if (p <= sp) break;
        if (length < 1) return -1;
        const v = ctx.u8(sp++);
        length--;
        s += ` ${strOrId(v, tab)}`;
      }
      while (p > sp) {
        if (length < 1) return -1;
        const v = ctx.u8(sp++);
        length--;
        s += ` ${altHex(v)}`;
      }
      s += ' SE';
      sp += 2;
    }
  } else {
    s += TELCMDS[i];
  }
  if (print) ctx.s += s;
  return sp - osp;
}

/** telnet_print: the commands at the start of a Telnet segment (port 23). */
export function telnetPrint(ctx: PrintContext, sp: number, length: number): void {
  ctx.protocol = 'telnet';
  const osp = sp;
  let first = true;
  const xmode = ctx.opts.Xflag > 0 && ctx.opts.vflag > 2;
  while (length > 0 && ctx.u8(sp) === IAC) {
    const l = telnetParse(ctx, sp, length, false);
    if (l < 0) break;
    if (xmode) {
      if (first) ctx.s += '\nTelnet:';
      hexPrintWithOffset(ctx, '\n', sp, l, sp - osp);
      if (l > 8) ctx.s += '\n\t\t\t\t';
      else ctx.s += `${' '.repeat((8 - l) * 3)}\t`;
    } else ctx.s += first ? ' [telnet ' : ', ';
    telnetParse(ctx, sp, length, true);
    first = false;
    sp += l;
    length -= l;
  }
  if (!first) ctx.s += xmode ? '\n' : ']';
}
