// Kerberos printer (UDP port 88/750), byte-exact with tcpdump 4.99.3's krb_print: the protocol
// version (` v5` for AS-REQ/AS-REP, nothing for other v5 messages) and Kerberos v4 headers.
import type { PrintContext } from './context.js';
import { charText } from './dns-text.js';

const KDC_REQUEST = 1 << 1;
const KDC_REPLY = 2 << 1;
const APPL_REQUEST = 3 << 1;
const ERR_REPLY = 5 << 1;
const TYPE_NAMES = new Map([
  [1 << 1, 'KDC_REQUEST'],
  [2 << 1, 'KDC_REPLY'],
  [3 << 1, 'APPL_REQUEST'],
  [4 << 1, 'APPL_REQUEST_MUTUAL'],
  [5 << 1, 'ERR_REPLY'],
  [6 << 1, 'PRIVATE'],
  [7 << 1, 'SAFE'],
  [8 << 1, 'APPL_ERR'],
  [63 << 1, 'DIE'],
]);
const ERR_NAMES = [
  'OK',
  'NAME_EXP',
  'SERVICE_EXP',
  'AUTH_EXP',
  'PKT_VER',
  'NAME_MAST_KEY_VER',
  'SERV_MAST_KEY_VER',
  'BYTE_ORDER',
  'PRINCIPAL_UNKNOWN',
  'PRINCIPAL_NOT_UNIQUE',
  'NULL_KEY',
];
const NONE = -1;

/** A NUL-terminated string up to the capture's end; the index after the NUL, or NONE. */
function cPrint(ctx: PrintContext, s: number): number {
  while (s < ctx.snapend) {
    const c = ctx.u8(s);
    s++;
    if (c === 0) return s;
    ctx.print(charText(c));
  }
  return NONE;
}

/** `name.instance@realm` after the 2-byte header; NONE after ` [|krb]` when cut short. */
function v4Header(ctx: PrintContext, cp: number): number {
  cp += 2;
  for (const sep of ['.', '@', '']) {
    cp = cPrint(ctx, cp);
    if (cp === NONE) {
      ctx.print(` [|${ctx.protocol}]`);
      return NONE;
    }
    ctx.print(sep);
  }
  return cp;
}

function v4Print(ctx: PrintContext, kp: number): void {
  const t = ctx.u8(kp + 1);
  const le = (t & 1) !== 0;
  const type = t & 0xfe;
  const u16 = (i: number): number => (le ? ctx.u16le(i) : ctx.u16(i));
  const name = TYPE_NAMES.get(type);
  ctx.print(` ${le ? 'le' : 'be'} ${name ?? `#${type}`}: `);
  let cp = kp;
  const str = (): boolean => {
    cp = cPrint(ctx, cp);
    if (cp !== NONE) return true;
    ctx.print(` [|${ctx.protocol}]`);
    return false;
  };
  switch (type) {
    case KDC_REQUEST:
      cp = v4Header(ctx, cp);
      if (cp === NONE) return;
      cp += 4; // ctime
      ctx.print(` ${ctx.u8(cp) * 5}min `);
      cp++;
      if (!str()) return;
      ctx.print('.');
      str();
      return;
    case APPL_REQUEST:
      cp += 2;
      ctx.print(`v${ctx.u8(cp)} `);
      cp++;
      if (!str()) return;
      ctx.print(` (${ctx.u8(cp)})`);
      ctx.print(` (${ctx.u8(cp + 1)})`);
      return;
    case KDC_REPLY:
      cp = v4Header(ctx, cp);
      if (cp === NONE) return;
      cp += 10; // timestamp, n, exp, kvno
      ctx.print(` (${u16(cp)})`);
      return;
    case ERR_REPLY: {
      cp = v4Header(ctx, cp);
      if (cp === NONE) return;
      cp += 4; // timestamp
      const e = u16(cp);
      ctx.print(` ${ERR_NAMES[e] ?? `#${e}`} `);
      cp += 4;
      str();
      return;
    }
    default:
      ctx.print('(unknown)');
  }
}

/** tcpdump krb_print: the message at off (UDP payload; tcpdump passes no length). */
export function krbPrint(ctx: PrintContext, off: number): void {
  ctx.protocol = 'krb';
  if (off >= ctx.snapend) {
    ctx.print(` [|${ctx.protocol}]`);
    return;
  }
  const pvno = ctx.u8(off);
  if (pvno >= 1 && pvno <= 3) ctx.print(` v${pvno}`);
  else if (pvno === 4) {
    ctx.print(' v4');
    v4Print(ctx, off);
  } else if (pvno === 106 || pvno === 107) {
    // ASN.1 [APPLICATION 10/11]: AS-REQ, AS-REP; 4.99.3 decodes no further
    ctx.print(' v5');
  }
}
