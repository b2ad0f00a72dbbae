// DNS printer (RFC 1035, EDNS RFC 6891, mDNS RFC 6762), byte-exact with tcpdump 4.99.3's
// domain_print: `12345+ A? example.com. (29)`, `12345 1/0/0 A 93.184.216.34 (45)`, and the
// question/authority/additional sections, TTLs and RDATA details at -v/-vv/-vvv.

import {
  DNS_CLASS_IN,
  DNS_FLAG_AA,
  DNS_FLAG_AD,
  DNS_FLAG_CD,
  DNS_FLAG_QR,
  DNS_FLAG_RA,
  DNS_FLAG_RD,
  DNS_FLAG_TC,
  DNS_HEADER_LEN,
  DnsType,
  DnsView,
  extendedRcode,
  MDNS_CLASS_CACHE_FLUSH,
  MDNS_CLASS_QU,
  skipName,
} from '../wire/dns.js';
import type { PrintContext } from './context.js';
import { ednsOptionPrint } from './dns-edns.js';
import { fqdnPrint, NONE } from './dns-name.js';
import { DNS_OPCODE_TEXT, dnsClassName, dnsRcodeText, dnsTypeName } from './dns-tables.js';
import { ipv4Text, ipv6Text, printn, reltsText } from './dns-text.js';

const OPCODE_IQUERY = 1;
/** Header bits a query should not have (AA, TC, RA, Z, RCODE): printed as ` [b2&3=0x...]`. */
const QUERY_ODD_BITS = 0x6cf;

/** Reused header view (printing is single-threaded, one packet at a time). */
const view = new DnsView();
/** Scratch for A6 records: the address with its prefix bytes zeroed. */
const a6Addr = new Uint8Array(16);

/** ns_nskip against the capture: index after the name, or NONE. */
function nskip(ctx: PrintContext, cp: number): number {
  return cp < ctx.start ? NONE : skipName(ctx.buf, cp, ctx.snapend);
}

/** A question entry: ` A? name.` (with the class when not IN, and (QU)/(QM) for mDNS). */
function questionPrint(ctx: PrintContext, cp: number, bp: number, isMdns: boolean): number {
  const np = cp;
  cp = nskip(ctx, cp);
  if (cp === NONE || !ctx.has(cp, 4)) return NONE;
  ctx.print(` ${dnsTypeName(ctx.u16(cp))}`);
  const raw = ctx.u16(cp + 2);
  const klass = isMdns ? raw & ~MDNS_CLASS_QU : raw;
  if (klass !== DNS_CLASS_IN) ctx.print(` ${dnsClassName(klass)}`);
  if (isMdns) ctx.print(raw & MDNS_CLASS_QU ? ' (QU)' : ' (QM)');
  ctx.print('? ');
  const r = fqdnPrint(ctx, np, bp);
  return r === NONE ? NONE : r + 4;
}

/**
 * A resource record: `[name] [class] [ttl] TYPE rdata`. Returns the index after its RDATA, NONE
 * when it is cut short, or snapend when its fixed part is not captured (4.99.3 then stops the
 * section quietly).
 */
function recordPrint(ctx: PrintContext, cp: number, bp: number, isMdns: boolean): number {
  const v = ctx.opts.vflag;
  if (v) {
    ctx.print(' ');
    cp = fqdnPrint(ctx, cp, bp);
    if (cp === NONE) return NONE;
  } else cp = nskip(ctx, cp);
  if (cp === NONE || !ctx.has(cp, 10)) return ctx.snapend;

  const typ = ctx.u16(cp);
  const raw = ctx.u16(cp + 2);
  const klass = isMdns ? raw & ~MDNS_CLASS_CACHE_FLUSH : raw;
  if (klass !== DNS_CLASS_IN && typ !== DnsType.OPT) ctx.print(` ${dnsClassName(klass)}`);
  if (isMdns && raw & MDNS_CLASS_CACHE_FLUSH) ctx.print(' (Cache flush)');
  let optFlags = 0;
  if (typ === DnsType.OPT) optFlags = ctx.u16(cp + 6);
  else if (v > 2) ctx.print(` [${reltsText(ctx.u32(cp + 4))}]`);
  const len = ctx.u16(cp + 8);
  cp += 10;
  const rp = cp + len;
  ctx.print(` ${dnsTypeName(typ)}`);
  if (rp > ctx.snapend) return NONE;

  switch (typ) {
    case DnsType.A:
      if (!ctx.has(cp, 4)) return NONE;
      ctx.print(` ${ipv4Text(ctx.buf, cp)}`);
      break;
    case DnsType.NS:
    case DnsType.CNAME:
    case DnsType.PTR:
    case DnsType.DNAME:
      ctx.print(' ');
      if (fqdnPrint(ctx, cp, bp) === NONE) return NONE;
      break;
    case DnsType.SOA: {
      if (!v) break;
      ctx.print(' ');
      cp = fqdnPrint(ctx, cp, bp);
      if (cp === NONE) return NONE;
      ctx.print(' ');
      cp = fqdnPrint(ctx, cp, bp);
      if (cp === NONE) return NONE;
      if (!ctx.has(cp, 20)) return NONE;
      // serial refresh retry expire minimum
      ctx.print(
        ` ${ctx.u32(cp)} ${ctx.u32(cp + 4)} ${ctx.u32(cp + 8)} ${ctx.u32(cp + 12)} ${ctx.u32(cp + 16)}`,
      );
      break;
    }
    case DnsType.MX:
      ctx.print(' ');
      if (!ctx.has(cp, 2)) return NONE;
      if (fqdnPrint(ctx, cp + 2, bp) === NONE) return NONE;
      ctx.print(` ${ctx.u16(cp)}`);
      break;
    case DnsType.TXT:
      while (cp < rp) {
        ctx.print(' "');
        if (!ctx.has(cp, 1)) return NONE;
        const n = ctx.buf[cp]!;
        if (printn(ctx, cp + 1, n, true)) return NONE;
        cp += 1 + n;
        ctx.print('"');
      }
      break;
    case DnsType.SRV:
      ctx.print(' ');
      if (!ctx.has(cp, 6)) return NONE;
      if (fqdnPrint(ctx, cp + 6, bp) === NONE) return NONE;
      // target:port priority weight
      ctx.print(`:${ctx.u16(cp + 4)} ${ctx.u16(cp)} ${ctx.u16(cp + 2)}`);
      break;
    case DnsType.AAAA:
      if (!ctx.has(cp, 16)) return NONE;
      ctx.print(` ${ipv6Text(ctx.buf, cp)}`);
      break;
    case DnsType.A6: {
      if (!ctx.has(cp, 1)) return NONE;
      const pbit = ctx.buf[cp]!;
      const pbyte = (pbit & ~7) >>> 3;
      if (pbit > 128) {
        ctx.print(` ${pbit}(bad plen)`);
        break;
      }
      if (pbit < 128) {
        ctx.check(cp + 1, 16 - pbyte);
        a6Addr.fill(0);
        a6Addr.set(ctx.buf.subarray(cp + 1, cp + 1 + 16 - pbyte), pbyte);
        ctx.print(` ${pbit} ${ipv6Text(a6Addr, 0)}`);
      }
      if (pbit > 0) {
        ctx.print(' ');
        if (fqdnPrint(ctx, cp + 1 + 16 - pbyte, bp) === NONE) return NONE;
      }
      break;
    }
    case DnsType.URI:
      if (!ctx.has(cp, len)) return NONE;
      ctx.print(` ${ctx.u16(cp)} ${ctx.u16(cp + 2)} `);
      // (u_int)(len - 4): a short record prints up to the capture's end and counts as cut short
      if (printn(ctx, cp + 4, (len - 4) >>> 0, true)) return NONE;
      break;
    case DnsType.OPT:
      ctx.print(` UDPsize=${klass}`);
      if (optFlags & 0x8000) ctx.print(' DO');
      if (cp < rp) {
        ctx.print(' [');
        while (cp < rp) {
          cp = ednsOptionPrint(ctx, cp);
          if (cp === NONE) return NONE;
          if (cp < rp) ctx.print(',');
        }
        ctx.print(']');
      }
      break;
    case DnsType.UNSPECA:
      if (!ctx.has(cp, len)) return NONE;
      if (printn(ctx, cp, len, true)) return NONE;
      break;
    case DnsType.TSIG: {
      if (cp + len > ctx.snapend) return NONE;
      if (!v) break;
      ctx.print(' ');
      cp = fqdnPrint(ctx, cp, bp);
      if (cp === NONE) return NONE;
      cp += 6; // time signed (48 bits)
      if (!ctx.has(cp, 2)) return NONE;
      ctx.print(` fudge=${ctx.u16(cp)}`);
      cp += 2;
      if (!ctx.has(cp, 2)) return NONE;
      const macLen = ctx.u16(cp);
      ctx.print(` maclen=${macLen}`);
      cp += 2 + macLen;
      if (!ctx.has(cp, 2)) return NONE;
      ctx.print(` origid=${ctx.u16(cp)}`);
      cp += 2;
      if (!ctx.has(cp, 2)) return NONE;
      ctx.print(` error=${ctx.u16(cp)}`);
      cp += 2;
      if (!ctx.has(cp, 2)) return NONE;
      ctx.print(` otherlen=${ctx.u16(cp)}`);
      break;
    }
  }
  return rp;
}

/**
 * Prints `count` records after `label` (` ns:`, ` ar:`, or '' for answers), comma-separated, as
 * long as the capture lasts. Returns the index after the last one, or NONE when the packet must
 * end with ` [|domain]` (a record cut short, or records left when the capture ran out).
 */
function sectionPrint(
  ctx: PrintContext,
  cp: number,
  bp: number,
  isMdns: boolean,
  count: number,
  label: string,
): number {
  if (count === 0) return cp;
  if (label !== '') {
    if (cp >= ctx.snapend) return NONE;
    ctx.print(label);
  }
  cp = recordPrint(ctx, cp, bp, isMdns);
  if (cp === NONE) return NONE;
  count--;
  while (cp < ctx.snapend && count > 0) {
    ctx.print(',');
    cp = recordPrint(ctx, cp, bp, isMdns);
    if (cp === NONE) return NONE;
    count--;
  }
  return count > 0 ? NONE : cp;
}

/**
 * tcpdump domain_print. `off` is where the TCP or UDP payload starts: over TCP that is the 2-byte
 * length prefix (RFC 1035 §4.2.2), checked against `length` like 4.99.3 does. `isMdns` (port 5353)
 * prints the QU/QM and cache-flush class bits.
 */
export function dnsPrint(
  ctx: PrintContext,
  off: number,
  length: number,
  overTcp: boolean,
  isMdns: boolean,
): void {
  ctx.protocol = 'domain';
  let bp = off;
  if (overTcp) {
    if (length < 2) {
      ctx.print(` [DNS over TCP: length ${length} < 2] (invalid)`);
      return;
    }
    length -= 2;
    const prefix = ctx.u16(bp);
    if (prefix !== length) {
      ctx.print(` [prefix length(${prefix}) != length(${length})] (invalid)`);
      return;
    }
    bp += 2;
    ctx.print(' ');
  }
  if (length < DNS_HEADER_LEN) {
    ctx.print(`domain [length ${length} < ${DNS_HEADER_LEN}] (invalid)`);
    return;
  }
  if (messagePrint(ctx, bp, isMdns)) ctx.print(` (${length})`);
  else ctx.print(` [|${ctx.protocol}]`);
}

/** Header summary and sections of the message at bp; false when it must end with ` [|domain]`. */
function messagePrint(ctx: PrintContext, bp: number, isMdns: boolean): boolean {
  const v = ctx.opts.vflag;
  let cp = bp + DNS_HEADER_LEN;
  ctx.check(bp, DNS_HEADER_LEN);
  const h = view.wrap(ctx.buf, bp, ctx.snapend - bp);
  const flags = h.flags;
  let qd = h.qdcount;
  const an = h.ancount;
  const ns = h.nscount;
  const ar = h.arcount;
  const opcode = h.opcode;

  if (flags & DNS_FLAG_QR) {
    // a response
    const rcode = extendedRcode(h, ctx.snapend);
    ctx.print(
      `${h.id}${DNS_OPCODE_TEXT[opcode]!}${dnsRcodeText(rcode)}${flags & DNS_FLAG_AA ? '*' : ''}${
        flags & DNS_FLAG_RA ? '' : '-'
      }${flags & DNS_FLAG_TC ? '|' : ''}${flags & DNS_FLAG_AD ? '$' : ''}`,
    );
    if (qd !== 1) ctx.print(` [${qd}q]`);
    for (let i = 0; i < qd; i++) {
      if (i !== 0) ctx.print(',');
      if (v > 1) {
        ctx.print(' q:');
        cp = questionPrint(ctx, cp, bp, isMdns);
        if (cp === NONE) return false;
      } else {
        cp = nskip(ctx, cp);
        if (cp === NONE) return false;
        cp += 4;
      }
    }
    ctx.print(` ${an}/${ns}/${ar}`);
    cp = sectionPrint(ctx, cp, bp, isMdns, an, '');
    if (cp === NONE) return false;
    if (v > 1) {
      cp = sectionPrint(ctx, cp, bp, isMdns, ns, ' ns:');
      if (cp === NONE) return false;
      cp = sectionPrint(ctx, cp, bp, isMdns, ar, ' ar:');
      if (cp === NONE) return false;
    }
  } else {
    // a query (or update, notify ...)
    ctx.print(
      `${h.id}${DNS_OPCODE_TEXT[opcode]!}${flags & DNS_FLAG_RD ? '+' : ''}${flags & DNS_FLAG_CD ? '%' : ''}`,
    );
    if (flags & QUERY_ODD_BITS) ctx.print(` [b2&3=0x${flags.toString(16)}]`);
    if (opcode === OPCODE_IQUERY) {
      if (qd) ctx.print(` [${qd}q]`);
      if (an !== 1) ctx.print(` [${an}a]`);
    } else {
      if (an) ctx.print(` [${an}a]`);
      if (qd !== 1) ctx.print(` [${qd}q]`);
    }
    if (ns) ctx.print(` [${ns}n]`);
    if (ar) ctx.print(` [${ar}au]`);
    if (qd) {
      cp = questionPrint(ctx, cp, bp, isMdns);
      if (cp === NONE) return false;
      qd--;
      while (cp < ctx.snapend && qd) {
        cp = questionPrint(ctx, cp, bp, isMdns);
        if (cp === NONE) return false;
        qd--;
      }
    }
    if (qd) return false;
    if (v > 1) {
      cp = sectionPrint(ctx, cp, bp, isMdns, an, '');
      if (cp === NONE) return false;
      cp = sectionPrint(ctx, cp, bp, isMdns, ns, ' ns:');
      if (cp === NONE) return false;
      cp = sectionPrint(ctx, cp, bp, isMdns, ar, ' ar:');
      if (cp === NONE) return false;
    }
  }
  return true;
}
