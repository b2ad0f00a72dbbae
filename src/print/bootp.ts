// BOOTP/DHCP printer (RFC 951, RFC 2131/2132 options), byte-exact with tcpdump 4.99.3's
// bootp_print: `BOOTP/DHCP, Request from 52:54:00:12:34:56, length 300`, fields and options at -v.
import { etheraddrString } from './arp-names.js';
import type { PrintContext } from './context.js';
import { hex, printn, printUnknownData, printztn } from './dns-text.js';
import { ipaddrString } from './ip-names.js';

const BOOTPREQUEST = 1;
const BOOTPREPLY = 2;
const HTYPE_ETHERNET = 1;
const MAC_ADDR_LEN = 6;

// Field offsets (RFC 951).
const HTYPE = 1;
const HLEN = 2;
const HOPS = 3;
const XID = 4;
const SECS = 8;
const FLAGS = 10;
const CIADDR = 12;
const YIADDR = 16;
const SIADDR = 20;
const GIADDR = 24;
const CHADDR = 28;
const SNAME = 44;
const SNAME_LEN = 64;
const FILE = 108;
const FILE_LEN = 128;
const VEND = 236;

const TAG_PAD = 0;
const TAG_END = 255;
const TAG_DHCP_MESSAGE = 53;
const TAG_PARM_REQUEST = 55;
const TAG_NETBIOS_NODE = 46;
const TAG_OPT_OVERLOAD = 52;
const TAG_CLIENT_FQDN = 81;
const TAG_CLIENT_ID = 61;
const TAG_AGENT_CIRCUIT = 82;
const TAG_CLASSLESS_STATIC_RT = 121;
const TAG_CLASSLESS_STA_RT_MS = 249;
const TAG_USER_CLASS = 77;

/**
 * Option names, prefixed by how the value prints: i IPv4 addresses, p address pairs, l u32,
 * L s32, s u16, b decimal bytes, x hex bytes, a text, B booleans, $ special, ' ' no value.
 */
const TAG_NAMES = new Map<number, string>([
  [0, ' PAD'],
  [1, 'iSubnet-Mask'],
  [2, 'LTime-Zone'],
  [3, 'iDefault-Gateway'],
  [4, 'iTime-Server'],
  [5, 'iIEN-Name-Server'],
  [6, 'iDomain-Name-Server'],
  [7, 'iLOG'],
  [8, 'iCS'],
  [9, 'iLPR-Server'],
  [10, 'iIM'],
  [11, 'iRL'],
  [12, 'aHostname'],
  [13, 'sBS'],
  [255, ' END'],
  [14, 'aDP'],
  [15, 'aDomain-Name'],
  [16, 'iSS'],
  [17, 'aRP'],
  [18, 'aEP'],
  [19, 'BIPF'],
  [20, 'BSRT'],
  [21, 'pPF'],
  [22, 'sRSZ'],
  [23, 'bTTL'],
  [24, 'lMTU-Timeout'],
  [25, 'sMTU-Table'],
  [26, 'sMTU'],
  [27, 'BLSN'],
  [28, 'iBR'],
  [29, 'BMD'],
  [30, 'BMS'],
  [31, 'BRouter-Discovery'],
  [32, 'iRSA'],
  [33, 'pStatic-Route'],
  [34, 'BUT'],
  [35, 'lAT'],
  [36, 'BIE'],
  [37, 'bTT'],
  [38, 'lKI'],
  [39, 'BKG'],
  [40, 'aYD'],
  [41, 'iYS'],
  [42, 'iNTP'],
  [43, 'bVendor-Option'],
  [44, 'iNetbios-Name-Server'],
  [45, 'iWDD'],
  [46, '$Netbios-Node'],
  [47, 'aNetbios-Scope'],
  [48, 'iXFS'],
  [49, 'iXDM'],
  [64, 'sN+D'],
  [65, 'iN+S'],
  [68, 'iMH'],
  [69, 'iSMTP'],
  [70, 'iPOP3'],
  [71, 'iNNTP'],
  [72, 'iWWW'],
  [73, 'iFG'],
  [74, 'iIRC'],
  [75, 'iSTS'],
  [76, 'iSTDA'],
  [50, 'iRequested-IP'],
  [51, 'lLease-Time'],
  [52, '$OO'],
  [66, 'aTFTP'],
  [67, 'aBF'],
  [53, ' DHCP-Message'],
  [54, 'iServer-ID'],
  [55, 'bParameter-Request'],
  [56, 'aMSG'],
  [57, 'sMSZ'],
  [58, 'lRN'],
  [59, 'lRB'],
  [60, 'aVendor-Class'],
  [61, '$Client-ID'],
  [98, 'aUAP'],
  [116, 'BNOAUTO'],
  [78, 'bSLP-DA'],
  [79, 'bSLP-SCOPE'],
  [117, 'sNSSEARCH'],
  [77, '$User-Class'],
  [118, 'iSUBNET'],
  [121, '$Classless-Static-Route'],
  [249, '$Classless-Static-Route-Microsoft'],
  [150, 'iTFTP-Server-Address'],
  [80, 'aSLP-NA'],
  [81, '$FQDN'],
  [82, '$Agent-Information'],
  [83, 'bARMT'],
  [88, 'aTZSTR'],
  [89, 'bFQDNS'],
  [90, 'bAUTH'],
  [91, 'LLast-Transaction-Time'],
  [92, 'iAssociated-IP'],
  [93, 'sARCH'],
  [94, 'bNDI'],
  [97, 'bGUID'],
  [95, 'aLDAP'],
  [100, 'aPOSIX-TZ'],
  [101, 'aTZ-Name'],
  [112, 'iNI'],
  [113, 'aNITAG'],
  [114, 'aURL'],
  [161, 'aMUD-URL'],
]);

const OVERLOAD_NAMES = new Map([
  [1, 'file'],
  [2, 'sname'],
  [3, 'file+sname'],
]);
const NETBIOS_NODE_NAMES = new Map([
  [1, 'b-node'],
  [2, 'p-node'],
  [4, 'm-node'],
  [8, 'h-node'],
]);
const ARP_HTYPE_NAMES = new Map([
  [1, 'ether'],
  [6, 'ieee802'],
  [7, 'arcnet'],
  [15, 'frelay'],
  [23, 'strip'],
  [24, 'ieee1394'],
]);
const DHCP_MSG_NAMES = new Map([
  [1, 'Discover'],
  [2, 'Offer'],
  [3, 'Request'],
  [4, 'Decline'],
  [5, 'ACK'],
  [6, 'NACK'],
  [7, 'Release'],
  [8, 'Inform'],
  [10, 'LeaseQuery'],
  [11, 'LeaseUnassigned'],
  [12, 'LeaseUnknown'],
  [13, 'LeaseActive'],
]);
const AGENT_SUBOPTION_NAMES = new Map([
  [1, 'Circuit-ID'],
  [2, 'Remote-ID'],
  [6, 'Subscriber-ID'],
]);

function tagName(tag: number): string {
  return TAG_NAMES.get(tag) ?? '?Unknown';
}

/** GET_ETHERADDR_STRING: the MAC (with its OUI vendor without -n). */
function macText(ctx: PrintContext, i: number): string {
  return etheraddrString(ctx, i);
}

/** GET_IPADDR_STRING. */
function ipText(ctx: PrintContext, i: number): string {
  return ipaddrString(ctx, i);
}

/** tcpdump bootp_print: the BOOTP/DHCP message at off, `length` bytes of UDP payload. */
export function bootpPrint(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'bootp';
  const op = ctx.u8(off);
  ctx.print(
    `BOOTP/DHCP, ${op === BOOTPREQUEST ? 'Request' : op === BOOTPREPLY ? 'Reply' : `unknown (0x${hex(op, 2)})`}`,
  );
  const htype = ctx.u8(off + HTYPE);
  const hlen = ctx.u8(off + HLEN);
  if (htype === HTYPE_ETHERNET && hlen === MAC_ADDR_LEN && op === BOOTPREQUEST) {
    ctx.print(` from ${macText(ctx, off + CHADDR)}`);
  }
  ctx.print(`, length ${length}`);
  const v = ctx.opts.vflag;
  if (!v) return;
  ctx.check(off + SECS, 2);
  if (htype !== HTYPE_ETHERNET) ctx.print(`, htype ${htype}`);
  if (htype !== HTYPE_ETHERNET || hlen !== MAC_ADDR_LEN) ctx.print(`, hlen ${hlen}`);
  const hops = ctx.u8(off + HOPS);
  if (hops) ctx.print(`, hops ${hops}`);
  const xid = ctx.u32(off + XID);
  if (xid) ctx.print(`, xid 0x${xid.toString(16)}`);
  const secs = ctx.u16(off + SECS);
  if (secs) ctx.print(`, secs ${secs}`);
  const flags = ctx.u16(off + FLAGS);
  ctx.print(`, Flags [${flags & 0x8000 ? 'Broadcast' : 'none'}]`);
  if (v > 1) ctx.print(` (0x${hex(flags, 4)})`);
  if (ctx.u32(off + CIADDR)) ctx.print(`\n\t  Client-IP ${ipText(ctx, off + CIADDR)}`);
  if (ctx.u32(off + YIADDR)) ctx.print(`\n\t  Your-IP ${ipText(ctx, off + YIADDR)}`);
  if (ctx.u32(off + SIADDR)) ctx.print(`\n\t  Server-IP ${ipText(ctx, off + SIADDR)}`);
  if (ctx.u32(off + GIADDR)) ctx.print(`\n\t  Gateway-IP ${ipText(ctx, off + GIADDR)}`);
  if (htype === HTYPE_ETHERNET && hlen === MAC_ADDR_LEN) {
    ctx.print(`\n\t  Client-Ethernet-Address ${macText(ctx, off + CHADDR)}`);
  }
  if (ctx.u8(off + SNAME)) {
    ctx.print('\n\t  sname "');
    if (printztn(ctx, off + SNAME, SNAME_LEN) === 0) {
      ctx.print(`" [|${ctx.protocol}]`);
      return;
    }
    ctx.print('"');
  }
  if (ctx.u8(off + FILE)) {
    ctx.print('\n\t  file "');
    if (printztn(ctx, off + FILE, FILE_LEN) === 0) {
      ctx.print(`" [|${ctx.protocol}]`);
      return;
    }
    ctx.print('"');
  }
  const vend = off + VEND;
  ctx.check(vend, 4);
  const magic = ctx.u32(vend);
  if (magic === 0x63825363) rfc1048Print(ctx, vend);
  else if (magic === 0x434d5500) cmuPrint(ctx, vend);
  else if (magic !== 0) ctx.print(`\n\t  Vendor-#0x${magic.toString(16)}`);
}

/** The RFC 1048 vendor extensions (DHCP options) after the magic cookie at bp. */
function rfc1048Print(ctx: PrintContext, bp: number): void {
  const v = ctx.opts.vflag;
  ctx.print('\n\t  Vendor-rfc1048 Extensions');
  ctx.print(`\n\t    Magic Cookie 0x${hex(ctx.u32(bp), 8)}`);
  bp += 4;
  while (ctx.has(bp, 1)) {
    const tag = ctx.buf[bp]!;
    bp++;
    if (tag === TAG_PAD && v < 3) continue;
    if (tag === TAG_END && v < 3) return;
    const name = tagName(tag);
    let c = name.charAt(0);
    let len = 0;
    if (tag !== TAG_PAD && tag !== TAG_END) {
      len = ctx.u8(bp);
      bp++;
    }
    ctx.print(`\n\t    ${name.slice(1)} (${tag}), length ${len}${len > 0 ? ': ' : ''}`);
    if (tag === TAG_PAD && v > 2) {
      let ntag = 1;
      while (ctx.has(bp, 1) && ctx.buf[bp] === TAG_PAD) {
        bp++;
        ntag++;
      }
      if (ntag > 1) ctx.print(`, occurs ${ntag}`);
    }
    if (!ctx.has(bp, len)) {
      ctx.print(` [|${ctx.protocol}]`);
      return;
    }
    if (tag === TAG_DHCP_MESSAGE && len === 1) {
      const m = ctx.u8(bp);
      ctx.print(DHCP_MSG_NAMES.get(m) ?? `Unknown (${m})`);
      bp++;
      continue;
    }
    if (tag === TAG_PARM_REQUEST) {
      let s = '';
      for (let idx = 0; len > 0; idx++, len--, bp++) {
        const inner = ctx.buf[bp]!;
        s += idx % 4 === 0 ? '\n\t      ' : ', ';
        s += `${tagName(inner).slice(1)} (${inner})`;
      }
      ctx.print(s);
      continue;
    }
    if (c === '?') {
      // unknown tags: guess the format from the size
      c = len & 1 ? 'b' : len & 2 ? 's' : 'l';
    }
    let first = true;
    switch (c) {
      case 'a':
        ctx.print('"');
        if (printn(ctx, bp, len, true)) {
          ctx.print(`" [|${ctx.protocol}]`);
          return;
        }
        ctx.print('"');
        bp += len;
        len = 0;
        break;
      case 'i':
      case 'l':
      case 'L':
        while (len >= 4) {
          if (!first) ctx.print(',');
          if (c === 'i') ctx.print(ipText(ctx, bp));
          else if (c === 'L') ctx.print(String(ctx.u32(bp) | 0));
          else ctx.print(String(ctx.u32(bp)));
          bp += 4;
          len -= 4;
          first = false;
        }
        break;
      case 'p':
        while (len >= 8) {
          if (!first) ctx.print(',');
          ctx.print(`(${ipText(ctx, bp)}:${ipText(ctx, bp + 4)})`);
          bp += 8;
          len -= 8;
          first = false;
        }
        break;
      case 's':
        while (len >= 2) {
          if (!first) ctx.print(',');
          ctx.print(String(ctx.u16(bp)));
          bp += 2;
          len -= 2;
          first = false;
        }
        break;
      case 'B':
        while (len > 0) {
          if (!first) ctx.print(',');
          const b = ctx.u8(bp);
          ctx.print(b === 0 ? 'N' : b === 1 ? 'Y' : `${b}?`);
          bp++;
          len--;
          first = false;
        }
        break;
      case '$': {
        const r = specialPrint(ctx, tag, bp, len);
        if (r < 0) return;
        bp += len - r;
        len = r;
        break;
      }
      default:
        // 'b' and 'x': bytes
        while (len > 0) {
          if (!first) ctx.print(c === 'x' ? ':' : '.');
          const b = ctx.u8(bp);
          ctx.print(c === 'x' ? hex(b, 2) : String(b));
          bp++;
          len--;
          first = false;
        }
    }
    if (len) {
      ctx.print(`\n\t  trailing data length ${len}`);
      bp += len;
    }
  }
}

/**
 * The options 4.99.3 decodes by hand. Returns the bytes of the option left unread (printed as
 * trailing data), or -1 after ` [|bootp]` when a string runs past the capture.
 */
function specialPrint(ctx: PrintContext, tag: number, bp: number, len: number): number {
  switch (tag) {
    case TAG_NETBIOS_NODE:
    case TAG_OPT_OVERLOAD: {
      if (len < 1) {
        ctx.print('[ERROR: length < 1 bytes]');
        return len;
      }
      const t = ctx.u8(bp);
      const names = tag === TAG_NETBIOS_NODE ? NETBIOS_NODE_NAMES : OVERLOAD_NAMES;
      ctx.print(names.get(t) ?? `#${t}`);
      return len - 1;
    }
    case TAG_CLIENT_FQDN: {
      if (len < 3) {
        ctx.print('[ERROR: length < 3 bytes]');
        return 0;
      }
      const f = ctx.u8(bp);
      if (f & 0xf0) ctx.print(`[ERROR: MBZ nibble 0x${((f & 0xf0) >>> 4).toString(16)} != 0] `);
      if (f & 0x0f) {
        ctx.print(`[${f & 1 ? 'S' : ''}${f & 2 ? 'O' : ''}${f & 4 ? 'E' : ''}${f & 8 ? 'N' : ''}] `);
      }
      const rc1 = ctx.u8(bp + 1);
      const rc2 = ctx.u8(bp + 2);
      if (rc1 || rc2) ctx.print(`${rc1}/${rc2} `);
      ctx.print('"');
      if (printn(ctx, bp + 3, len - 3, true)) {
        ctx.print(`" [|${ctx.protocol}]`);
        return -1;
      }
      ctx.print('"');
      return 0;
    }
    case TAG_CLIENT_ID: {
      if (len < 1) {
        ctx.print('[ERROR: length < 1 bytes]');
        return len;
      }
      const type = ctx.u8(bp);
      bp++;
      len--;
      if (type === 0) {
        ctx.print('"');
        if (printn(ctx, bp, len, true)) {
          ctx.print(`" [|${ctx.protocol}]`);
          return -1;
        }
        ctx.print('"');
        return 0;
      }
      let s = `${ARP_HTYPE_NAMES.get(type) ?? `hardware-type ${type},`} `;
      for (let k = 0; k < len; k++) {
        if (k > 0) s += ':';
        s += hex(ctx.u8(bp + k), 2);
      }
      ctx.print(s);
      return 0;
    }
    case TAG_AGENT_CIRCUIT: {
      while (len >= 2) {
        const subopt = ctx.u8(bp);
        const suboptlen = ctx.u8(bp + 1);
        bp += 2;
        len -= 2;
        const name = AGENT_SUBOPTION_NAMES.get(subopt) ?? 'Unknown';
        if (suboptlen > len) {
          ctx.print(
            `\n\t      ${name} SubOption ${subopt}, length ${suboptlen}: length goes past end of option`,
          );
          return 0;
        }
        ctx.print(`\n\t      ${name} SubOption ${subopt}, length ${suboptlen}: `);
        if (AGENT_SUBOPTION_NAMES.has(subopt)) {
          if (printn(ctx, bp, suboptlen, true)) {
            ctx.print(` [|${ctx.protocol}]`);
            return -1;
          }
        } else printUnknownData(ctx, bp, '\n\t\t', suboptlen);
        len -= suboptlen;
        bp += suboptlen;
      }
      return len;
    }
    case TAG_CLASSLESS_STATIC_RT:
    case TAG_CLASSLESS_STA_RT_MS: {
      if (len < 5) {
        ctx.print('[ERROR: length < 5 bytes]');
        return 0;
      }
      let first = true;
      while (len > 0) {
        if (!first) ctx.print(',');
        const width = ctx.u8(bp);
        bp++;
        len--;
        if (width > 32) {
          ctx.print(`[ERROR: Mask width (${width}) > 32]`);
          return 0;
        }
        const octets = (width + 7) >>> 3;
        if (len < octets + 4) {
          ctx.print(`[ERROR: Remaining length (${len}) < ${octets + 4} bytes]`);
          return 0;
        }
        let s = '(';
        if (width === 0) s += 'default';
        else {
          for (let k = 0; k < octets; k++) s += `${k > 0 ? '.' : ''}${ctx.u8(bp + k)}`;
          for (let k = octets; k < 4; k++) s += '.0';
          s += `/${width}`;
        }
        bp += octets;
        ctx.print(`${s}:${ipText(ctx, bp)})`);
        bp += 4;
        len -= octets + 4;
        first = false;
      }
      return 0;
    }
    case TAG_USER_CLASS: {
      if (len < 2) {
        ctx.print('[ERROR: length < 2 bytes]');
        return 0;
      }
      for (let n = 1; len > 0; n++) {
        const sublen = ctx.u8(bp);
        bp++;
        len--;
        ctx.print(`\n\t      instance#${n}: `);
        if (sublen === 0) {
          ctx.print('[ERROR: suboption length must be non-zero]');
          return 0;
        }
        if (len < sublen) {
          ctx.print('[ERROR: invalid option]');
          return 0;
        }
        ctx.print('"');
        if (printn(ctx, bp, sublen, true)) {
          ctx.print(`" [|${ctx.protocol}]`);
          return -1;
        }
        ctx.print(`", length ${sublen}`);
        len -= sublen;
        bp += sublen;
      }
      return 0;
    }
    default:
      ctx.print(`[unknown special tag ${tag}, size ${len}]`);
      return 0;
  }
}

/** The CMU vendor area: `vend-cmu DG:1.2.3.4 SM:...` (only the addresses that are set). */
function cmuPrint(ctx: PrintContext, bp: number): void {
  ctx.print(' vend-cmu');
  ctx.check(bp + 4, 4);
  const vflags = ctx.u8(bp + 4);
  if (vflags & ~1) ctx.print(` F:0x${vflags.toString(16)}`);
  const fields: readonly (readonly [number, string])[] = [
    [12, 'DG'],
    [8, vflags & 1 ? 'SM' : 'SM*'],
    [16, 'NS1'],
    [20, 'NS2'],
    [24, 'IEN1'],
    [28, 'IEN2'],
    [32, 'TS1'],
    [36, 'TS2'],
  ];
  for (const [at, name] of fields) {
    ctx.check(bp + at, 4);
    if (ctx.u32(bp + at) !== 0) ctx.print(` ${name}:${ipText(ctx, bp + at)}`);
  }
}
