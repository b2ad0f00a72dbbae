// tcpdump 4.99.3's EDNS(0) option printer (eopt_print, RFC 6891 §6.1.2): COOKIE, ECS, KEEPALIVE,
// EXPIRE, PADDING, KEY-TAG, DAU/DHU/N3U, CHAIN, and hex for the rest (NSID included).
import type { PrintContext } from './context.js';
import { fqdnPrint, NONE } from './dns-name.js';
import {
  DAU_ALG_NAMES,
  DHU_ALG_NAMES,
  EDNS_OPT_CHAIN,
  EDNS_OPT_COOKIE,
  EDNS_OPT_DAU,
  EDNS_OPT_DHU,
  EDNS_OPT_ECS,
  EDNS_OPT_EXPIRE,
  EDNS_OPT_KEEPALIVE,
  EDNS_OPT_KEYTAG,
  EDNS_OPT_N3U,
  EDNS_OPT_PADDING,
  ednsOptName,
  N3U_ALG_NAMES,
} from './dns-tables.js';
import { hex, ipv4Text, ipv6Text } from './dns-text.js';

const INVALID = ' (invalid)';
/** Scratch for the zero-padded ECS address (one per process: printing is single-threaded). */
const ecsPadded = new Uint8Array(16);

/** EDNS Client Subnet (RFC 7871): `192.0.2.0/24/0`. */
function ecsPrint(ctx: PrintContext, cp: number, dataLen: number): void {
  if (dataLen < 4) {
    ctx.print(INVALID);
    return;
  }
  const family = ctx.u16(cp);
  const srcLen = ctx.u8(cp + 2);
  const scopeLen = ctx.u8(cp + 3);
  let addrBits: number;
  if (family === 1) addrBits = 32;
  else if (family === 2) addrBits = 128;
  else {
    ctx.print(INVALID);
    return;
  }
  if (dataLen - 4 > addrBits / 8) {
    ctx.print(INVALID);
    return;
  }
  if (srcLen > addrBits || scopeLen > addrBits || (srcLen + 7) >>> 3 !== dataLen - 4) {
    ctx.print(INVALID);
    return;
  }
  ecsPadded.fill(0);
  ecsPadded.set(ctx.buf.subarray(cp + 4, cp + dataLen), 0);
  const addr = family === 1 ? ipv4Text(ecsPadded, 0) : ipv6Text(ecsPadded, 0);
  ctx.print(`${addr}/${srcLen}/${scopeLen}`);
}

function algList(ctx: PrintContext, cp: number, dataLen: number, names: Map<number, string>): void {
  let s = '';
  for (let i = 0; i < dataLen; i++) {
    if (i > 0) s += ' ';
    const a = ctx.u8(cp + i);
    s += names.get(a) ?? `Alg_${a}`;
  }
  ctx.print(s);
}

/** Prints one option at cp; returns the index after it, or NONE when it is not captured. */
export function ednsOptionPrint(ctx: PrintContext, cp: number): number {
  if (!ctx.has(cp, 2)) return NONE;
  const opt = ctx.u16(cp);
  cp += 2;
  ctx.print(ednsOptName(opt));
  if (!ctx.has(cp, 2)) return NONE;
  const dataLen = ctx.u16(cp);
  cp += 2;
  if (!ctx.has(cp, dataLen)) return NONE;
  if (dataLen > 0) {
    ctx.print(' ');
    switch (opt) {
      case EDNS_OPT_ECS:
        ecsPrint(ctx, cp, dataLen);
        break;
      case EDNS_OPT_COOKIE:
        if (dataLen < 8 || (dataLen > 8 && dataLen < 16) || dataLen > 40) ctx.print(INVALID);
        else {
          let s = '';
          for (let i = 0; i < dataLen; i++) {
            // client cookie (8 bytes), then the server cookie
            if (i === 8) s += ' ';
            s += hex(ctx.buf[cp + i]!, 2);
          }
          ctx.print(s);
        }
        break;
      case EDNS_OPT_KEEPALIVE:
        // units of 100 ms
        if (dataLen !== 2) ctx.print(INVALID);
        else ctx.print(`${(ctx.u16(cp) / 10).toFixed(1)} sec`);
        break;
      case EDNS_OPT_EXPIRE:
        if (dataLen !== 4) ctx.print(INVALID);
        else ctx.print(`${ctx.u32(cp)} sec`);
        break;
      case EDNS_OPT_PADDING:
        ctx.print(`(${dataLen})`);
        break;
      case EDNS_OPT_KEYTAG:
        if (dataLen % 2 !== 0) ctx.print(INVALID);
        else {
          let s = '';
          for (let i = 0; i < dataLen; i += 2) {
            if (i > 0) s += ' ';
            s += ctx.u16(cp + i);
          }
          ctx.print(s);
        }
        break;
      case EDNS_OPT_DAU:
        algList(ctx, cp, dataLen, DAU_ALG_NAMES);
        break;
      case EDNS_OPT_DHU:
        algList(ctx, cp, dataLen, DHU_ALG_NAMES);
        break;
      case EDNS_OPT_N3U:
        algList(ctx, cp, dataLen, N3U_ALG_NAMES);
        break;
      case EDNS_OPT_CHAIN:
        fqdnPrint(ctx, cp, cp + dataLen);
        break;
      default: {
        let s = '';
        for (let i = 0; i < dataLen; i++) s += hex(ctx.buf[cp + i]!, 2);
        ctx.print(s);
      }
    }
  }
  return cp + dataLen;
}
