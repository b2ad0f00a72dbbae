// SCTP printer (RFC 9260; IPVS balances SCTP services too), byte-exact with tcpdump 4.99.3's
// sctp_print for the common header and the chunks it decodes: DATA, INIT, INIT ACK, SACK (the
// ForCES and M3UA payload printers are not ported: their payloads are skipped).
import type { PrintContext } from './context.js';
import { ip6addrString, ipaddrString } from './ip-names.js';
import { hexAndAsciiPrint } from './unknown-data.js';

const CHUNK_NAMES: (string | undefined)[] = [
  'DATA',
  'INIT',
  'INIT ACK',
  'SACK',
  'HB REQ',
  'HB ACK',
  'ABORT',
  'SHUTDOWN',
  'SHUTDOWN ACK',
  'OP ERR',
  'COOKIE ECHO',
  'COOKIE ACK',
  'ECN ECHO',
  'ECN CWR',
  'SHUTDOWN COMPLETE',
];

function chunkName(id: number): string {
  if (id < CHUNK_NAMES.length) return CHUNK_NAMES[id]!;
  if (id === 0xc0) return 'FOR CUM TSN';
  if (id === 0xc1) return 'REL CTRL';
  if (id === 0xc2) return 'REL CTRL ACK';
  return `Unknown chunk type: 0x${id.toString(16)}`;
}

const PPID_NAMES: (string | undefined)[] = [
  undefined,
  'ISDN Q.921',
  'M2UA',
  'M3UA',
  'SUA',
  'M2PA',
  'V5.2',
  'H.248',
  'BICC',
  'TALI',
  'DUA',
  'ASAP',
  'ENRP',
  'H.323',
  'Q.IPC',
  'SIMCO',
  'DDPSC',
  'DDPSSC',
  'S1AP',
  'RUA',
  'HNBAP',
  'ForCES HP',
  'ForCES MP',
  'ForCES LP',
  'SBc-AP',
  'NBAP',
  undefined,
  'X2AP',
];

const FORCES_PORTS = [6704, 6705, 6706];
const FORCES_NAMES = ['ForCES HP', 'ForCES MP', 'ForCES LP'];

function bogus(ctx: PrintContext, chunkLength: number): void {
  ctx.s += `bogus chunk length ${chunkLength}]`;
}

/** sctp_print: the SCTP packet at bp, `length` bytes; ip is the enclosing IPv4/IPv6 header. */
export function sctpPrint(ctx: PrintContext, bp: number, ip: number, length: number): void {
  ctx.protocol = 'sctp';
  if (length < 12) {
    ctx.s += `truncated-sctp - ${12 - length} bytes missing!`;
    return;
  }
  if (!ctx.has(bp, 12)) {
    ctx.s += ' [|sctp]';
    return;
  }
  const sport = ctx.u16(bp);
  const dport = ctx.u16(bp + 2);
  if (ctx.buf[ip]! >> 4 === 6)
    ctx.s += `${ip6addrString(ctx, ip + 8)}.${sport} > ${ip6addrString(ctx, ip + 24)}.${dport}: sctp`;
  else ctx.s += `${ipaddrString(ctx, ip + 12)}.${sport} > ${ipaddrString(ctx, ip + 16)}.${dport}: sctp`;
  let isforces = false;
  for (const port of [sport, dport]) {
    const k = FORCES_PORTS.indexOf(port);
    if (k >= 0) {
      ctx.s += `[${FORCES_NAMES[k]}]`;
      isforces = true;
    }
  }
  bp += 12;
  let remaining = length - 12;
  const vflag = ctx.opts.vflag;
  let sep = vflag >= 2 ? '\n\t' : ' (';
  for (let chunkCount = 0; remaining !== 0; chunkCount++) {
    if (remaining < 4) {
      ctx.s += `${sep}${chunkCount + 1}) [chunk descriptor cut off at end of packet]`;
      break;
    }
    if (!ctx.has(bp, 4)) {
      ctx.s += ' [|sctp]';
      return;
    }
    const chunkId = ctx.u8(bp);
    const chunkFlg = ctx.u8(bp + 1);
    const chunkLength = ctx.u16(bp + 2);
    if (chunkLength < 4) {
      ctx.s += `${sep}${chunkCount + 1}) [Bad chunk length ${chunkLength}, < size of chunk descriptor]`;
      break;
    }
    let chunkRemaining = chunkLength;
    let align = chunkLength % 4;
    if (align !== 0) align = 4 - align;
    if (remaining < align) {
      ctx.s += `${sep}${chunkCount + 1}) [Bad chunk length ${chunkLength}, > remaining data in packet]`;
      break;
    }
    if (!ctx.has(bp, chunkLength)) {
      ctx.s += ' [|sctp]';
      return;
    }
    bp += 4;
    remaining = (remaining - 4) >>> 0;
    chunkRemaining = (chunkRemaining - 4) & 0xffff;
    ctx.s += `${sep}${chunkCount + 1}) [${chunkName(chunkId)}] `;
    switch (chunkId) {
      case 0: {
        if (chunkFlg & 4) ctx.s += '(U)';
        if (chunkFlg & 2) ctx.s += '(B)';
        if (chunkFlg & 1) ctx.s += '(E)';
        if (chunkFlg & 7) ctx.s += ' ';
        if (chunkRemaining < 12) {
          bogus(ctx, chunkLength);
          return;
        }
        const ppid = ctx.u32(bp + 8);
        ctx.s += `[TSN: ${ctx.u32(bp)}] [SID: ${ctx.u16(bp + 4)}] [SSEQ ${ctx.u16(bp + 6)}] [PPID ${(ppid < PPID_NAMES.length ? PPID_NAMES[ppid] : undefined) ?? `0x${ppid.toString(16)}`}] `;
        if (!isforces) isforces = ppid >= 21 && ppid <= 23;
        bp += 12;
        remaining = (remaining - 12) >>> 0;
        chunkRemaining = (chunkRemaining - 12) & 0xffff;
        const payloadSize = chunkRemaining;
        if (payloadSize === 0) {
          bogus(ctx, chunkLength);
          return;
        }
        if (!isforces && vflag >= 2 && ppid !== 3) {
          ctx.s += '[Payload';
          if (!(ctx.opts.qflag || ctx.opts.xflag || ctx.opts.Xflag)) {
            ctx.s += ':';
            hexAndAsciiPrint(ctx, '\n\t', bp, payloadSize);
          }
          ctx.s += ']';
        }
        bp += payloadSize;
        remaining = (remaining - payloadSize) >>> 0;
        chunkRemaining = (chunkRemaining - payloadSize) & 0xffff;
        break;
      }
      case 1:
      case 2:
        if (chunkRemaining < 16) {
          bogus(ctx, chunkLength);
          return;
        }
        ctx.s += `[init tag: ${ctx.u32(bp)}] [rwnd: ${ctx.u32(bp + 4)}] [OS: ${ctx.u16(bp + 8)}] [MIS: ${ctx.u16(bp + 10)}] [init TSN: ${ctx.u32(bp + 12)}] `;
        bp += chunkRemaining;
        remaining = (remaining - chunkRemaining) >>> 0;
        chunkRemaining = 0;
        break;
      case 3: {
        if (chunkRemaining < 12) {
          bogus(ctx, chunkLength);
          return;
        }
        const cum = ctx.u32(bp);
        const ngaps = ctx.u16(bp + 8);
        const ndups = ctx.u16(bp + 10);
        ctx.s += `[cum ack ${cum}] [a_rwnd ${ctx.u32(bp + 4)}] [#gap acks ${ngaps}] [#dup tsns ${ndups}] `;
        bp += 12;
        remaining = (remaining - 12) >>> 0;
        chunkRemaining = (chunkRemaining - 12) & 0xffff;
        for (let frag = 0; chunkRemaining !== 0 && frag < ngaps; frag++) {
          if (chunkRemaining < 4) {
            bogus(ctx, chunkLength);
            return;
          }
          ctx.s += `\n\t\t[gap ack block #${frag + 1}: start = ${(cum + ctx.u16(bp)) >>> 0}, end = ${(cum + ctx.u16(bp + 2)) >>> 0}] `;
          bp += 4;
          remaining = (remaining - 4) >>> 0;
          chunkRemaining = (chunkRemaining - 4) & 0xffff;
        }
        for (let tsn = 0; chunkRemaining !== 0 && tsn < ndups; tsn++) {
          if (chunkRemaining < 4) {
            bogus(ctx, chunkLength);
            return;
          }
          ctx.s += `\n\t\t[dup TSN #${tsn + 1}: ${ctx.u32(bp)}] `;
          bp += 4;
          remaining = (remaining - 4) >>> 0;
          chunkRemaining = (chunkRemaining - 4) & 0xffff;
        }
        break;
      }
      default:
        bp += chunkRemaining;
        remaining = (remaining - chunkRemaining) >>> 0;
        chunkRemaining = 0;
    }
    bp += chunkRemaining;
    remaining = (remaining - chunkRemaining) >>> 0;
    if (vflag < 2) sep = ', (';
    if (align !== 0) {
      if (!ctx.has(bp, align)) {
        ctx.s += ' [|sctp]';
        return;
      }
      bp += align;
      remaining = (remaining - align) >>> 0;
    }
  }
}
