// TCP printer (RFC 9293), byte-exact with tcpdump 4.99.3's tcp_print: flags, relative sequence
// numbers per conversation (tcp_seq_hash; -S absolute), options, -v checksums over the IPv4/IPv6
// pseudo-header, RST payloads, and the payload printers 4.99.3 picks by port.
import { type PrintContext, TRUNCATED } from './context.js';
import { dnsPrint } from './dns.js';
import { inCksumShouldbe, nextproto4Cksum } from './ip.js';
import { fnPrintChar, hex2, hex4, ip6addrString, ipaddrString, tcpportString } from './ip-names.js';
import { nextproto6Cksum as ip6NextprotoCksum } from './ip6.js';
import { mptcpPrint } from './mptcp.js';
import { respPrint } from './resp.js';
import { TcpSeqTable } from './tcp-seq.js';
import { telnetPrint } from './telnet.js';
import {
  beepPrint,
  sshPrint,
  TXT_FTP,
  TXT_HTTP,
  TXT_RTSP,
  TXT_SMTP,
  TXT_WHOIS,
  txtprotoPrint,
} from './txtproto.js';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;

const MAX_RST_DATA_LEN = 30;

/** bittok2str_nosep(tcp_flag_values, "none", flags). */
const FLAG_STRINGS: string[] = [];
for (let f = 0; f < 256; f++) {
  let s = '';
  if (f & 0x01) s += 'F';
  if (f & 0x02) s += 'S';
  if (f & 0x04) s += 'R';
  if (f & 0x08) s += 'P';
  if (f & 0x10) s += '.';
  if (f & 0x20) s += 'U';
  if (f & 0x40) s += 'E';
  if (f & 0x80) s += 'W';
  FLAG_STRINGS.push(s === '' ? 'none' : s);
}

function tcpOptionName(opt: number): string {
  switch (opt) {
    case 0:
      return 'eol';
    case 1:
      return 'nop';
    case 2:
      return 'mss';
    case 3:
      return 'wscale';
    case 4:
      return 'sackOK';
    case 5:
      return 'sack';
    case 6:
      return 'echo';
    case 7:
      return 'echoreply';
    case 8:
      return 'TS';
    case 11:
      return 'cc';
    case 12:
      return 'ccnew';
    case 13:
      return '';
    case 19:
      return 'md5';
    case 20:
      return 'scps';
    case 28:
      return 'uto';
    case 29:
      return 'tcp-ao';
    case 30:
      return 'mptcp';
    case 34:
      return 'tfo';
    case 254:
      return 'exp';
    default:
      return `unknown-${opt}`;
  }
}

// The tables of the context printed last (one tsdump run = one context): no map lookup per packet.
let tablesOf: PrintContext | null = null;
let table4: TcpSeqTable | null = null;
let table6: TcpSeqTable | null = null;

function seqTable(ctx: PrintContext, v6: boolean): TcpSeqTable {
  if (ctx !== tablesOf) {
    tablesOf = ctx;
    table4 = (ctx.state.get('tcp.seq4') as TcpSeqTable | undefined) ?? null;
    table6 = (ctx.state.get('tcp.seq6') as TcpSeqTable | undefined) ?? null;
  }
  let t = v6 ? table6 : table4;
  if (t === null) {
    t = new TcpSeqTable(v6 ? 9 : 3);
    ctx.state.set(v6 ? 'tcp.seq6' : 'tcp.seq4', t);
    if (v6) table6 = t;
    else table4 = t;
  }
  return t;
}

function u32at(b: Uint8Array, i: number): number {
  return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
}

/** memcmp(a, b, n) > 0 over captured bytes. */
function memcmpGreater(b: Uint8Array, a: number, c: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (b[a + i] !== b[c + i]) return b[a + i]! > b[c + i]!;
  }
  return false;
}

/**
 * nextproto6_cksum over the IPv6 pseudo-header of the header at ip6 (0 when correct); the
 * destination is the final one of a routing header, as ip6.ts finds it.
 */
export function nextproto6Cksum(
  ctx: PrintContext,
  ip6: number,
  data: number,
  len: number,
  proto: number,
): number {
  return ip6NextprotoCksum(ctx, ip6, data, len, len, proto);
}

/** LENCHECK: 0 = fine, 1 = bad option (longer than the header), 2 = not captured. */
function lencheck(ctx: PrintContext, cp: number, l: number, hlen: number): number {
  if (l > hlen) return 1;
  return ctx.has(cp, l) ? 0 : 2;
}

/**
 * tcp_print: the segment at off (`length` bytes on the wire); ip is the enclosing IPv4 or IPv6
 * header (tcpdump's bp2), used for addresses, the conversation key and the checksum.
 */
export function tcpPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  ip: number,
  fragmented: boolean,
): void {
  ctx.protocol = 'tcp';
  const b = ctx.buf;
  const v6 = b[ip]! >> 4 === 6;
  if (!ctx.has(off + 2, 2)) {
    if (v6) ctx.s += `${ip6addrString(ctx, ip + 8)} > ${ip6addrString(ctx, ip + 24)}: [|tcp]`;
    else ctx.s += `${ipaddrString(ctx, ip + 12)} > ${ipaddrString(ctx, ip + 16)}: [|tcp]`;
    return;
  }
  const sport = (b[off]! << 8) | b[off + 1]!;
  const dport = (b[off + 2]! << 8) | b[off + 3]!;
  if (v6) {
    if (ctx.u8(ip + 6) === 6) {
      ctx.s += `${ip6addrString(ctx, ip + 8)}.${tcpportString(ctx, sport)} > ${ip6addrString(ctx, ip + 24)}.${tcpportString(ctx, dport)}: `;
    } else {
      ctx.s += `${tcpportString(ctx, sport)} > ${tcpportString(ctx, dport)}: `;
    }
  } else if (ctx.u8(ip + 9) === 6) {
    ctx.s += `${ipaddrString(ctx, ip + 12)}.${tcpportString(ctx, sport)} > ${ipaddrString(ctx, ip + 16)}.${tcpportString(ctx, dport)}: `;
  } else {
    ctx.s += `${tcpportString(ctx, sport)} > ${tcpportString(ctx, dport)}: `;
  }
  if (!ctx.has(off, 20)) {
    ctx.s += ' [|tcp]';
    return;
  }
  let hlen = (b[off + 12]! >> 4) * 4;
  if (hlen < 20) {
    ctx.s += ` tcp ${(length - hlen) >>> 0} [bad hdr length ${hlen} - too short, < 20]`;
    return;
  }
  let seq = u32at(b, off + 4);
  let ack = u32at(b, off + 8);
  const win = (b[off + 14]! << 8) | b[off + 15]!;
  const urp = (b[off + 18]! << 8) | b[off + 19]!;
  if (ctx.opts.qflag) {
    ctx.s += `tcp ${(length - hlen) >>> 0}`;
    if (hlen > length) ctx.s += ` [bad hdr length ${hlen} - too long, > ${length}]`;
    return;
  }
  const flags = b[off + 13]!;
  ctx.s += `Flags [${FLAG_STRINGS[flags]}]`;

  let thseq = 0;
  let thack = 0;
  let rev = false;
  if (!ctx.opts.Sflag && flags & TH_ACK) {
    const t = seqTable(ctx, v6);
    const k = t.key;
    const alen = v6 ? 16 : 4;
    const src = v6 ? ip + 8 : ip + 12;
    const dst = v6 ? ip + 24 : ip + 16;
    ctx.check(src, alen);
    ctx.check(dst, alen);
    if (sport > dport) rev = true;
    else if (sport === dport && memcmpGreater(b, src, dst, alen)) rev = true;
    const first = rev ? dst : src;
    const second = rev ? src : dst;
    const words = alen >> 2;
    for (let i = 0; i < words; i++) {
      k[i] = u32at(b, first + i * 4);
      k[words + i] = u32at(b, second + i * 4);
    }
    k[2 * words] = rev ? ((dport << 16) | sport) >>> 0 : ((sport << 16) | dport) >>> 0;
    let slot = t.find();
    if (!t.isUsed(slot) || flags & TH_SYN) {
      if (rev) slot = t.set(slot, (ack - 1) >>> 0, seq);
      else slot = t.set(slot, seq, (ack - 1) >>> 0);
    } else if (rev) {
      seq = (seq - t.ack(slot)) >>> 0;
      ack = (ack - t.seq(slot)) >>> 0;
    } else {
      seq = (seq - t.seq(slot)) >>> 0;
      ack = (ack - t.ack(slot)) >>> 0;
    }
    thseq = t.seq(slot);
    thack = t.ack(slot);
  }
  if (hlen > length) {
    ctx.s += ` [bad hdr length ${hlen} - too long, > ${length}]`;
    return;
  }
  if (ctx.opts.vflag && !ctx.opts.Kflag && !fragmented) {
    if (ctx.has(off, length)) {
      const sum = v6
        ? nextproto6Cksum(ctx, ip, off, length, 6)
        : nextproto4Cksum(ctx, ip, off, length, length, 6);
      const tcpSum = (b[off + 16]! << 8) | b[off + 17]!;
      ctx.s += `, cksum 0x${hex4(tcpSum)}`;
      if (sum !== 0) ctx.s += ` (incorrect -> 0x${hex4(inCksumShouldbe(tcpSum, sum))})`;
      else ctx.s += ' (correct)';
    }
  }
  length -= hlen;
  if (ctx.opts.vflag > 1 || length > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    ctx.s += `, seq ${seq}`;
    if (length > 0) ctx.s += `:${(seq + length) >>> 0}`;
  }
  if (flags & TH_ACK) ctx.s += `, ack ${ack}`;
  ctx.s += `, win ${win}`;
  if (flags & TH_URG) ctx.s += `, urg ${urp}`;

  if (hlen > 20) {
    let ch = '';
    hlen -= 20;
    let cp = off + 20;
    ctx.s += ', options [';
    // Outcome of the option walk: 0 = done, 1 = bad option, 2 = truncated (goto trunc).
    let outcome = 0;
    while (hlen > 0) {
      ctx.s += ch;
      const opt = ctx.u8(cp);
      cp++;
      let len: number;
      if (opt === 0 || opt === 1) len = 1;
      else {
        len = ctx.u8(cp);
        cp++;
        if (len < 2 || len > hlen) {
          outcome = 1;
          break;
        }
        --hlen;
      }
      --hlen;
      let datalen = 0;
      ctx.s += tcpOptionName(opt);
      switch (opt) {
        case 2:
          datalen = 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) ctx.s += ` ${ctx.u16(cp)}`;
          break;
        case 3:
          datalen = 1;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) ctx.s += ` ${ctx.u8(cp)}`;
          break;
        case 5:
          datalen = len - 2;
          if (datalen % 8 !== 0) ctx.s += ' invalid sack';
          else {
            ctx.s += ` ${datalen / 8} `;
            for (let i = 0; i < datalen; i += 8) {
              outcome = lencheck(ctx, cp, i + 4, hlen);
              if (outcome !== 0) break;
              let s = ctx.u32(cp + i);
              outcome = lencheck(ctx, cp, i + 8, hlen);
              if (outcome !== 0) break;
              let e = ctx.u32(cp + i + 4);
              if (rev) {
                s = (s - thseq) >>> 0;
                e = (e - thseq) >>> 0;
              } else {
                s = (s - thack) >>> 0;
                e = (e - thack) >>> 0;
              }
              ctx.s += `{${s}:${e}}`;
            }
          }
          break;
        case 11:
        case 12:
        case 13:
        case 6:
        case 7:
          datalen = 4;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) ctx.s += ` ${ctx.u32(cp)}`;
          break;
        case 8:
          datalen = 8;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) ctx.s += ` val ${ctx.u32(cp)} ecr ${ctx.u32(cp + 4)}`;
          break;
        case 19:
          datalen = 16;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) {
            // Debian's 4.99.3 is built with libcrypto; without -M it cannot check the digest.
            let s =
              off + (b[off + 12]! >> 4) * 4 + length > ctx.snapend
                ? ' snaplen too short, '
                : ' shared secret not supplied with -M, ';
            s += "can't check - ";
            for (let i = 0; i < 16; i++) s += hex2(ctx.u8(cp + i));
            ctx.s += s;
          }
          break;
        case 20:
          datalen = 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome === 0) ctx.s += ` cap ${hex2(ctx.u8(cp))} id ${ctx.u8(cp + 1)}`;
          break;
        case 29:
          datalen = len - 2;
          if (datalen < 2) ctx.s += ' (invalid)';
          else {
            outcome = lencheck(ctx, cp, 1, hlen);
            if (outcome !== 0) break;
            ctx.s += ` keyid ${ctx.u8(cp)}`;
            outcome = lencheck(ctx, cp, 2, hlen);
            if (outcome !== 0) break;
            ctx.s += ` rnextkeyid ${ctx.u8(cp + 1)}`;
            if (datalen > 2) {
              ctx.s += ' mac 0x';
              for (let i = 2; i < datalen; i++) {
                outcome = lencheck(ctx, cp, i + 1, hlen);
                if (outcome !== 0) break;
                ctx.s += hex2(ctx.u8(cp + i));
              }
            }
          }
          break;
        case 0:
        case 1:
        case 4:
          break;
        case 28: {
          datalen = 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome !== 0) break;
          let uto = ctx.u16(cp);
          ctx.s += ` 0x${uto.toString(16)}`;
          if (uto & 1) uto = (uto >> 1) * 60;
          else uto >>= 1;
          ctx.s += ` ${uto}`;
          break;
        }
        case 30: {
          datalen = len - 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome !== 0) break;
          const saved = ctx.snapend;
          if (cp - 2 + len < ctx.snapend) ctx.snapend = cp - 2 + len;
          let ok: boolean;
          try {
            ok = mptcpPrint(ctx, cp - 2, len, flags);
          } finally {
            ctx.snapend = saved;
          }
          ctx.protocol = 'tcp';
          if (!ok) outcome = 1;
          break;
        }
        case 34:
          datalen = len - 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome !== 0) break;
          ctx.s += ' ';
          fastopenOption(ctx, cp, datalen, false);
          break;
        case 254: {
          datalen = len - 2;
          outcome = lencheck(ctx, cp, datalen, hlen);
          if (outcome !== 0) break;
          if (datalen < 2) {
            outcome = 1;
            break;
          }
          const magic = ctx.u16(cp);
          ctx.s += '-';
          if (magic === 0xf989) fastopenOption(ctx, cp + 2, datalen - 2, true);
          else ctx.s += hex4(magic);
          break;
        }
        default:
          datalen = len - 2;
          if (datalen) ctx.s += ' 0x';
          for (let i = 0; i < datalen; ++i) {
            outcome = lencheck(ctx, cp, i + 1, hlen);
            if (outcome !== 0) break;
            ctx.s += hex2(ctx.u8(cp + i));
          }
          break;
      }
      if (outcome !== 0) break;
      cp += datalen;
      hlen -= datalen;
      ++datalen;
      if (opt !== 0 && opt !== 1) ++datalen;
      if (datalen !== len) ctx.s += `[len ${len}]`;
      ch = ',';
      if (opt === 0) break;
    }
    if (outcome === 1) {
      ctx.s += '[bad opt]';
      if (ch !== '') ctx.s += ']';
      return;
    }
    if (outcome === 2) {
      ctx.s += ' [|tcp]';
      if (ch !== '') ctx.s += '>';
      return;
    }
    ctx.s += ']';
  }

  ctx.s += `, length ${length}`;
  if (length === 0) return;

  const headerLen = (b[off + 12]! >> 4) * 4;
  if (!ctx.has(off, headerLen)) {
    ctx.s += ` [remaining caplen(${ctx.avail(off)}) < header length(${headerLen})]`;
    throw TRUNCATED;
  }
  const bp = off + headerLen;
  if (flags & TH_RST && ctx.opts.vflag) {
    rstData(ctx, bp, length);
    return;
  }
  const pt = ctx.opts.packetType;
  if (pt !== '') {
    if (pt === 'domain') dnsPrint(ctx, bp, length, true, false);
    else if (pt === 'resp') respPrint(ctx, bp, length);
    return;
  }
  tcpPayloadByPort(ctx, bp, length, sport, dport);
}

function isPort(sport: number, dport: number, p: number): boolean {
  return sport === p || dport === p;
}

/** The payload printers tcp_print calls by port, in 4.99.3's order. */
function tcpPayloadByPort(ctx: PrintContext, bp: number, length: number, sport: number, dport: number): void {
  if (isPort(sport, dport, 23)) {
    telnetPrint(ctx, bp, length);
  } else if (isPort(sport, dport, 25)) {
    ctx.s += ': ';
    txtprotoPrint(ctx, bp, length, TXT_SMTP);
  } else if (isPort(sport, dport, 43)) {
    ctx.s += ': ';
    txtprotoPrint(ctx, bp, length, TXT_WHOIS);
  } else if (isPort(sport, dport, 179)) {
    bgpPrint(ctx, bp);
  } else if (isPort(sport, dport, 1723)) {
    // pptp_print: not decoded.
  } else if (isPort(sport, dport, 6379)) {
    respPrint(ctx, bp, length);
  } else if (isPort(sport, dport, 22)) {
    sshPrint(ctx, bp, length);
  } else if (isPort(sport, dport, 10288)) {
    beepPrint(ctx, bp, length);
  } else if (isPort(sport, dport, 6633) || isPort(sport, dport, 6653)) {
    // openflow_print: not decoded.
  } else if (isPort(sport, dport, 21)) {
    ctx.s += ': ';
    txtprotoPrint(ctx, bp, length, TXT_FTP);
  } else if (isPort(sport, dport, 80) || isPort(sport, dport, 8080)) {
    ctx.s += ': ';
    txtprotoPrint(ctx, bp, length, TXT_HTTP);
  } else if (isPort(sport, dport, 554) || isPort(sport, dport, 8554)) {
    ctx.s += ': ';
    txtprotoPrint(ctx, bp, length, TXT_RTSP);
  } else if (isPort(sport, dport, 53)) {
    dnsPrint(ctx, bp, length, true, false);
  }
}

/**
 * bgp_print's frame: `: BGP`, and at -v the scan for a message marker. BGP messages themselves
 * are not decoded here (the scan stops at the first marker).
 */
function bgpPrint(ctx: PrintContext, bp: number): void {
  ctx.protocol = 'bgp';
  ctx.s += ': BGP';
  if (ctx.opts.vflag < 1) return;
  const b = ctx.buf;
  for (let p = bp; p < ctx.snapend; p++) {
    if (b[p] !== 0xff) continue;
    if (!ctx.has(p, 16)) return;
    let marker = true;
    for (let i = 1; i < 16; i++) {
      if (b[p + i] !== 0xff) {
        marker = false;
        break;
      }
    }
    if (marker) return;
  }
}

/** print_tcp_rst_data: RFC 1122 4.2.2.12 text in a RST. */
function rstData(ctx: PrintContext, sp: number, length: number): void {
  ctx.s += ctx.has(sp, length) ? ' [RST' : ' [!RST';
  if (length > MAX_RST_DATA_LEN) {
    length = MAX_RST_DATA_LEN;
    ctx.s += '+';
  }
  ctx.s += ' ';
  const b = ctx.buf;
  let s = '';
  while (length && sp < ctx.snapend) {
    s += fnPrintChar(b[sp]!);
    sp++;
    length--;
  }
  ctx.s += `${s}]`;
}

function fastopenOption(ctx: PrintContext, cp: number, datalen: number, exp: boolean): void {
  if (exp) ctx.s += 'tfo';
  if (datalen === 0) ctx.s += ' cookiereq';
  else if (datalen % 2 !== 0 || datalen < 4 || datalen > 16) ctx.s += ' (invalid)';
  else {
    let s = ' cookie ';
    for (let i = 0; i < datalen; ++i) s += hex2(ctx.u8(cp + i));
    ctx.s += s;
  }
}
