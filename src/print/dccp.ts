// DCCP printer (RFC 4340), byte-exact with tcpdump 4.99.3's dccp_print: addresses and ports, the
// packet type, the -v checksum over the covered part, ack numbers, and at -vv the sequence number
// and options.
import type { PrintContext } from './context.js';
import { inCksumShouldbe, nextproto4Cksum } from './ip.js';
import { hex2, hex4, ip6addrString, ipaddrString } from './ip-names.js';
import { nextproto6Cksum } from './ip6.js';

const IPPROTO_DCCP = 33;
const TYPE_NAMES = [
  'DCCP-Request',
  'DCCP-Response',
  'DCCP-Data',
  'DCCP-Ack',
  'DCCP-DataAck',
  'DCCP-CloseReq',
  'DCCP-Close',
  'DCCP-Reset',
  'DCCP-Sync',
  'DCCP-SyncAck',
];
/** Bytes each type adds after the generic header (request/response/reset: their own fields). */
const TYPE_EXTRA = [4, 12, 0, 8, 8, 8, 8, 12, 8, 8];
const RESET_CODES = [
  'unspecified',
  'closed',
  'aborted',
  'no_connection',
  'packet_error',
  'option_error',
  'mandatory_error',
  'connection_refused',
  'bad_service_code',
  'too_busy',
  'bad_init_cookie',
  'aggression_penalty',
];
const FEATURES = [
  'reserved',
  'ccid',
  'allow_short_seqno',
  'sequence_window',
  'ecn_incapable',
  'ack_ratio',
  'send_ack_vector',
  'send_ndp_count',
  'minimum checksum coverage',
  'check data checksum',
];
const OPTION_NAMES = new Map<number, string>([
  [0, 'nop'],
  [1, 'mandatory'],
  [2, 'slowreceiver'],
  [32, 'change_l'],
  [33, 'confirm_l'],
  [34, 'change_r'],
  [35, 'confirm_r'],
  [36, 'initcookie'],
  [37, 'ndp_count'],
  [38, 'ack_vector0'],
  [39, 'ack_vector1'],
  [40, 'data_dropped'],
  [41, 'timestamp'],
  [42, 'timestamp_echo'],
  [43, 'elapsed_time'],
  [44, 'data_checksum'],
]);

function optionName(o: number): string {
  return OPTION_NAMES.get(o) ?? `Option ${o}`;
}

function u48(ctx: PrintContext, i: number): number {
  return ctx.u16(i) * 0x100000000 + ctx.u32(i + 2);
}

/** dccp_print_option: the option's length, 0 to stop. */
function printOption(ctx: PrintContext, cp: number, hlen: number): number {
  const o = ctx.u8(cp);
  let optlen = 1;
  if (o >= 32) {
    optlen = ctx.u8(cp + 1);
    if (optlen < 2) {
      ctx.s += o >= 128 ? `CCID option ${o} optlen too short` : `${optionName(o)} optlen too short`;
      return 0;
    }
  }
  if (hlen < optlen) {
    ctx.s +=
      o >= 128
        ? `CCID option ${o} optlen goes past header length`
        : `${optionName(o)} optlen goes past header length`;
    return 0;
  }
  if (!ctx.has(cp, optlen)) {
    ctx.s += ' [|dccp]';
    return 0;
  }
  if (o >= 128) {
    ctx.s += `CCID option ${o}`;
    if (optlen === 4) ctx.s += ` ${ctx.u16(cp + 2)}`;
    else if (optlen === 6) ctx.s += ` ${ctx.u32(cp + 2)}`;
    return optlen;
  }
  ctx.s += optionName(o);
  switch (o) {
    case 32:
    case 33:
    case 34:
    case 35:
      if (optlen < 3) {
        ctx.s += ' optlen too short';
        return optlen;
      }
      if (ctx.u8(cp + 2) < 10) {
        ctx.s += ` ${FEATURES[ctx.u8(cp + 2)]}`;
        for (let i = 0; i < optlen - 3; i++) ctx.s += ` ${ctx.u8(cp + 3 + i)}`;
      }
      break;
    case 36:
    case 38:
    case 39:
    case 40:
      if (optlen > 2) {
        ctx.s += ' 0x';
        for (let i = 0; i < optlen - 2; i++) ctx.s += hex2(ctx.u8(cp + 2 + i));
      }
      break;
    case 37:
      for (let i = 0; i < optlen - 2; i++) ctx.s += ` ${ctx.u8(cp + 2 + i)}`;
      break;
    case 41:
      ctx.s += optlen === 6 ? ` ${ctx.u32(cp + 2)}` : ' [optlen != 6]';
      break;
    case 42:
      if (optlen === 6) ctx.s += ` ${ctx.u32(cp + 2)}`;
      else if (optlen === 8) ctx.s += ` ${ctx.u32(cp + 2)} (elapsed time ${ctx.u16(cp + 6)})`;
      else if (optlen === 10) ctx.s += ` ${ctx.u32(cp + 2)} (elapsed time ${ctx.u32(cp + 6)})`;
      else ctx.s += ' [optlen != 6 or 8 or 10]';
      break;
    case 43:
      if (optlen === 6) ctx.s += ` ${ctx.u32(cp + 2)}`;
      else if (optlen === 4) ctx.s += ` ${ctx.u16(cp + 2)}`;
      else ctx.s += ' [optlen != 4 or 6]';
      break;
    case 44:
      if (optlen > 2) {
        ctx.s += ' ';
        for (let i = 0; i < optlen - 2; i++) ctx.s += hex2(ctx.u8(cp + 2 + i));
      }
      break;
  }
  return optlen;
}

/** dccp_print: the DCCP packet at bp, `len` bytes; ip is the enclosing IPv4/IPv6 header. */
export function dccpPrint(ctx: PrintContext, bp: number, ip: number, len: number): void {
  ctx.protocol = 'dccp';
  if (bp + 12 > ctx.snapend) {
    ctx.s += ' [|dccp]';
    return;
  }
  if (len < 12) {
    ctx.s += `truncated-dccp - ${12 - len} bytes missing!`;
    return;
  }
  const x = ctx.u8(bp + 8) & 1;
  let fixed = x ? 16 : 12;
  if (len < fixed) {
    ctx.s += `truncated-dccp - ${fixed - len} bytes missing!`;
    return;
  }
  if (!ctx.has(bp, fixed)) {
    ctx.s += ' [|dccp]';
    return;
  }
  const sport = ctx.u16(bp);
  const dport = ctx.u16(bp + 2);
  let hlen = ctx.u8(bp + 4) * 4;
  const v6 = ctx.buf[ip]! >> 4 === 6;
  if (v6) ctx.s += `${ip6addrString(ctx, ip + 8)}.${sport} > ${ip6addrString(ctx, ip + 24)}.${dport}: `;
  else ctx.s += `${ipaddrString(ctx, ip + 12)}.${sport} > ${ipaddrString(ctx, ip + 16)}.${dport}: `;
  ctx.s += 'DCCP';
  if (ctx.opts.qflag) {
    ctx.s += ` ${(len - hlen) >>> 0}`;
    if (hlen > len) ctx.s += ` [bad hdr length ${hlen} - too long, > ${len}]`;
    return;
  }
  const vflag = ctx.opts.vflag;
  const cscov = ctx.u8(bp + 5) & 0xf;
  if (vflag) ctx.s += ` (CCVal ${ctx.u8(bp + 5) >> 4}, CsCov ${cscov}`;
  if (vflag && ctx.has(bp, len)) {
    const dsum = ctx.u16(bp + 6);
    ctx.s += `, cksum 0x${hex4(dsum)} `;
    let cov = len;
    if (cscov !== 0) {
      cov = (ctx.u8(bp + 4) + cscov - 1) * 4;
      if (cov > len) cov = len;
    }
    const sum = v6
      ? nextproto6Cksum(ctx, ip, bp, len, cov, IPPROTO_DCCP)
      : nextproto4Cksum(ctx, ip, bp, len, cov, IPPROTO_DCCP);
    ctx.s += sum !== 0 ? `(incorrect -> 0x${hex4(inCksumShouldbe(dsum, sum))})` : '(correct)';
  }
  if (vflag) ctx.s += ')';
  ctx.s += ' ';
  const type = (ctx.u8(bp + 8) >> 1) & 0xf;
  if (type < TYPE_NAMES.length) {
    const name = TYPE_NAMES[type]!;
    fixed += TYPE_EXTRA[type]!;
    if (len < fixed) {
      ctx.s += `truncated-${name} - ${fixed - len} bytes missing!`;
      return;
    }
    if (type === 0 || type === 1) {
      const at = bp + fixed - TYPE_EXTRA[type]!;
      if (!ctx.has(at, TYPE_EXTRA[type]!)) {
        ctx.s += ' [|dccp]';
        return;
      }
      // Request: the service code; response: an 8-byte ack field, then the service code.
      ctx.s += `${name} (service=${ctx.u32(type === 0 ? at : at + 8)}) `;
    } else if (type === 7) {
      const at = bp + fixed - 12;
      if (!ctx.has(at, 12)) {
        ctx.s += ' [|dccp]';
        return;
      }
      const code = ctx.u8(at + 8);
      ctx.s += `${name} (code=${code < RESET_CODES.length ? RESET_CODES[code] : 'invalid'}) `;
    } else ctx.s += `${name} `;
  } else ctx.s += `unknown-type-${type} `;
  if (type !== 2 && type !== 0) {
    const ackp = bp + (x ? 16 : 12);
    ctx.s += `(ack=${x ? u48(ctx, ackp + 2) : ctx.u24(ackp + 1)}) `;
  }
  if (vflag < 2) return;
  ctx.s += `seq ${x ? u48(ctx, bp + 10) : ctx.u24(bp + 9)}`;
  if (hlen > fixed) {
    let cp = bp + fixed;
    ctx.s += ' <';
    hlen -= fixed;
    for (;;) {
      const optlen = printOption(ctx, cp, hlen);
      if (!optlen) break;
      if (hlen <= optlen) break;
      hlen -= optlen;
      cp += optlen;
      ctx.s += ', ';
    }
    ctx.s += '>';
  }
}
