// DHCPv6 printer (RFC 8415 and the option RFCs 4242/4280/5908/6334...), byte-exact with tcpdump
// 4.99.3's dhcp6_print: `dhcp6 solicit`, and at -v `dhcp6 solicit (xid=abcdef (client-ID ...) ...)`.
import type { PrintContext } from './context.js';
import { fqdnPrint, NONE } from './dns-name.js';
import { charText, hex } from './dns-text.js';
import { ip6addrString } from './ip-names.js';

const RENEW = 5;
const INFORM_REQ = 11;
const RELAY_FORW = 12;
const RELAY_REPLY = 13;

const MSG_NAMES = [
  '',
  'solicit',
  'advertise',
  'request',
  'confirm',
  'renew',
  'rebind',
  'reply',
  'release',
  'decline',
  'reconfigure',
  'inf-req',
  'relay-fwd',
  'relay-reply',
  'leasequery',
  'leasequery-reply',
];

const OPT_NAMES = new Map<number, string>([
  [1, 'client-ID'],
  [2, 'server-ID'],
  [3, 'IA_NA'],
  [4, 'IA_TA'],
  [5, 'IA_ADDR'],
  [6, 'option-request'],
  [7, 'preference'],
  [8, 'elapsed-time'],
  [9, 'relay-message'],
  [11, 'authentication'],
  [12, 'server-unicast'],
  [13, 'status-code'],
  [14, 'rapid-commit'],
  [15, 'user-class'],
  [16, 'vendor-class'],
  [17, 'vendor-specific-info'],
  [18, 'interface-ID'],
  [19, 'reconfigure-message'],
  [20, 'reconfigure-accept'],
  [21, 'SIP-servers-domain'],
  [22, 'SIP-servers-address'],
  [23, 'DNS-server'],
  [24, 'DNS-search-list'],
  [25, 'IA_PD'],
  [26, 'IA_PD-prefix'],
  [31, 'SNTP-servers'],
  [32, 'lifetime'],
  [27, 'NIS-server'],
  [28, 'NIS+-server'],
  [29, 'NIS-domain-name'],
  [30, 'NIS+-domain-name'],
  [33, 'BCMCS-domain-name'],
  [34, 'BCMCS-server'],
  [36, 'Geoconf-Civic'],
  [37, 'Remote-ID'],
  [38, 'Subscriber-ID'],
  [39, 'Client-FQDN'],
  [40, 'PANA-agent'],
  [41, 'POSIX-timezone'],
  [42, 'POSIX-tz-database'],
  [43, 'Echo-request-option'],
  [44, 'Lease-query'],
  [45, 'LQ-client-data'],
  [46, 'Clt-time'],
  [47, 'LQ-relay-data'],
  [48, 'LQ-client-link'],
  [56, 'NTP-server'],
  [64, 'AFTR-Name'],
  [112, 'MUD-URL'],
]);

const STATUS_NAMES = [
  'Success',
  'UnspecFail',
  'NoAddrsAvail',
  'NoBinding',
  'NotOnLink',
  'UseMulticast',
  'NoPrefixAvail',
  'UnknownQueryType',
  'MalformedQuery',
  'NotConfigured',
  'NotAllowed',
];

function optName(t: number): string {
  return OPT_NAMES.get(t) ?? `opt_${t}`;
}

/** nd_printjnp: up to n bytes, stopping at a NUL; a read past the capture throws. */
function printjnp(ctx: PrintContext, i: number, n: number): void {
  for (; n > 0; n--, i++) {
    const c = ctx.u8(i);
    if (c === 0) break;
    ctx.print(charText(c));
  }
}

function hexBytes(ctx: PrintContext, i: number, from: number, to: number): string {
  let s = '';
  for (let k = from; k < to; k++) s += hex(ctx.u8(i + k), 2);
  return s;
}

/** The options from cp to ep; a malformed list ends with ` [|dhcp6]` (the caller goes on). */
function optionsPrint(ctx: PrintContext, cp: number, ep: number): void {
  while (cp < ep) {
    if (ep < cp + 4) {
      trunc(ctx);
      return;
    }
    ctx.check(cp, 4);
    const optlen = ctx.u16(cp + 2);
    if (ep < cp + 4 + optlen) {
      trunc(ctx);
      return;
    }
    const type = ctx.u16(cp);
    ctx.print(` (${optName(type)}`);
    ctx.check(cp + 4, optlen);
    const tp = cp + 4;
    const end = tp + optlen;
    switch (type) {
      case 1:
      case 2: {
        // DUID (RFC 8415 §11): LLT, EN, LL
        if (optlen < 2) {
          ctx.print(' ?)');
          break;
        }
        const duid = ctx.u16(tp);
        if (duid === 1) {
          if (optlen >= 8) {
            ctx.print(
              ` hwaddr/time type ${ctx.u16(tp + 2)} time ${ctx.u32(tp + 4)} ${hexBytes(ctx, tp, 8, optlen)})`,
            );
          } else ctx.print(' ?)');
        } else if (duid === 2) {
          if (optlen >= 10) ctx.print(` vid ${hexBytes(ctx, tp, 2, 10)})`);
          else ctx.print(' ?)');
        } else if (duid === 3) {
          if (optlen >= 4) ctx.print(` hwaddr type ${ctx.u16(tp + 2)} ${hexBytes(ctx, tp, 4, optlen)})`);
          else ctx.print(' ?)');
        } else ctx.print(` type ${duid})`);
        break;
      }
      case 5: // IA_ADDR
        if (optlen < 24) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` ${ip6addrString(ctx, tp)}`);
        ctx.print(` pltime:${ctx.u32(tp + 16)} vltime:${ctx.u32(tp + 20)}`);
        if (optlen > 24) optionsPrint(ctx, tp + 24, end);
        ctx.print(')');
        break;
      case 6: // ORO
      case 43: // ERO
        if (optlen % 2) {
          ctx.print(' ?)');
          break;
        }
        for (let i = 0; i < optlen; i += 2) ctx.print(` ${optName(ctx.u16(tp + i))}`);
        ctx.print(')');
        break;
      case 7: // preference
        if (optlen !== 1) ctx.print(' ?)');
        else ctx.print(` ${ctx.u8(tp)})`);
        break;
      case 8: // elapsed time
        if (optlen !== 2) ctx.print(' ?)');
        else ctx.print(` ${ctx.u16(tp)})`);
        break;
      case 9: {
        // relay message: the inner message may not run past this option
        ctx.print(' (');
        const saved = ctx.pushSnapend(end);
        dhcp6Print(ctx, tp, optlen);
        ctx.popSnapend(saved);
        ctx.print(')');
        break;
      }
      case 11:
        authPrint(ctx, tp, optlen);
        break;
      case 14: // rapid commit
      case 20: // reconfigure accept
        ctx.print(')');
        break;
      case 18: // interface ID
      case 38: // subscriber ID
        ctx.print(` ${hexBytes(ctx, tp, 0, Math.min(optlen, 10))}...)`);
        break;
      case 19: {
        if (optlen !== 1) {
          ctx.print(' ?)');
          break;
        }
        const t = ctx.u8(tp);
        if (t === RENEW) ctx.print(' for renew)');
        else if (t === INFORM_REQ) ctx.print(' for inf-req)');
        else ctx.print(` for ???(${hex(t, 2)}))`);
        break;
      }
      case 22:
      case 23:
      case 31:
      case 27:
      case 28:
      case 34:
      case 40:
      case 48:
        // lists of IPv6 addresses
        if (optlen % 16) {
          ctx.print(' ?)');
          break;
        }
        for (let i = 0; i < optlen; i += 16) ctx.print(` ${ip6addrString(ctx, tp + i)}`);
        ctx.print(')');
        break;
      case 21:
      case 24: {
        // lists of domain names
        let p = tp;
        while (p < end) {
          ctx.print(' ');
          p = fqdnPrint(ctx, p, end);
          if (p === NONE) {
            trunc(ctx);
            return;
          }
        }
        ctx.print(')');
        break;
      }
      case 13: {
        if (optlen < 2) {
          ctx.print(' ?)');
          break;
        }
        const code = ctx.u16(tp);
        ctx.print(` ${code > 255 ? 'INVALID code' : (STATUS_NAMES[code] ?? `code${code}`)})`);
        break;
      }
      case 3: // IA_NA
      case 25: // IA_PD
        if (optlen < 12) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` IAID:${ctx.u32(tp)} T1:${ctx.u32(tp + 4)} T2:${ctx.u32(tp + 8)}`);
        if (optlen > 12) optionsPrint(ctx, tp + 12, end);
        ctx.print(')');
        break;
      case 4: // IA_TA
        if (optlen < 4) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` IAID:${ctx.u32(tp)}`);
        if (optlen > 4) optionsPrint(ctx, tp + 4, end);
        ctx.print(')');
        break;
      case 26: // IA_PD prefix
        if (optlen < 25) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` ${ip6addrString(ctx, tp + 9)}/${ctx.u8(tp + 8)}`);
        ctx.print(` pltime:${ctx.u32(tp)} vltime:${ctx.u32(tp + 4)}`);
        if (optlen > 25) optionsPrint(ctx, tp + 25, end);
        ctx.print(')');
        break;
      case 32: // lifetime
      case 46: // client last transaction time
        if (optlen !== 4) ctx.print(' ?)');
        else ctx.print(` ${ctx.u32(tp)})`);
        break;
      case 37: // remote ID: enterprise number, then the first 10 bytes
        if (optlen < 4) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` ${ctx.u32(tp)} ${hexBytes(ctx, tp, 4, Math.min(optlen, 14))}...)`);
        break;
      case 44: {
        if (optlen < 17) {
          ctx.print(' ?)');
          break;
        }
        const q = ctx.u8(tp);
        ctx.print(q === 1 ? ' by-address' : q === 2 ? ' by-clientID' : ` type_${q}`);
        ctx.print(` ${ip6addrString(ctx, tp + 1)}`);
        if (optlen > 17) optionsPrint(ctx, tp + 17, end);
        ctx.print(')');
        break;
      }
      case 45: // LQ client data: encapsulated options
        if (optlen > 0) optionsPrint(ctx, tp, end);
        ctx.print(')');
        break;
      case 47:
        if (optlen < 16) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(` ${ip6addrString(ctx, tp)} ${hexBytes(ctx, tp, 16, Math.min(optlen, 26))}...)`);
        break;
      case 56: {
        // NTP server suboptions (RFC 5908)
        if (optlen < 4) {
          ctx.print(' ?)');
          break;
        }
        let p = tp;
        while (p < end - 4) {
          const code = ctx.u16(p);
          const len = ctx.u16(p + 2);
          p += 4;
          if (p + len > end) {
            trunc(ctx);
            return;
          }
          ctx.print(` subopt:${code}`);
          if (code === 1 || code === 2) {
            if (len !== 16) ctx.print(' ?');
            else ctx.print(` ${ip6addrString(ctx, p)}`);
          } else if (code === 3) {
            ctx.print(' ');
            if (fqdnPrint(ctx, p, p + len) === NONE) {
              trunc(ctx);
              return;
            }
          } else ctx.print(' ?');
          p += len;
        }
        ctx.print(')');
        break;
      }
      case 64: {
        // AFTR name: uncompressed labels (RFC 6334)
        if (optlen < 3) {
          ctx.print(' ?)');
          break;
        }
        let p = tp;
        let remain = optlen;
        ctx.print(' ');
        while (remain && ctx.u8(p)) {
          const l = ctx.u8(p);
          p++;
          if (l < remain - 1) {
            printjnp(ctx, p, l);
            p += l;
            remain -= l + 1;
            if (ctx.u8(p)) ctx.print('.');
          } else {
            ctx.print(' ?');
            break;
          }
        }
        ctx.print(')');
        break;
      }
      case 41:
      case 42:
      case 112:
        if (optlen < 5) {
          ctx.print(' ?)');
          break;
        }
        ctx.print(' ');
        printjnp(ctx, tp, optlen);
        ctx.print(')');
        break;
      default:
        ctx.print(')');
    }
    cp = end;
  }
}

/** The authentication option (RFC 8415 §21.11). */
function authPrint(ctx: PrintContext, tp: number, optlen: number): void {
  if (optlen < 11) {
    ctx.print(' ?)');
    return;
  }
  const proto = ctx.u8(tp);
  ctx.print(proto === 2 ? ' proto: delayed' : proto === 3 ? ' proto: reconfigure' : ` proto: ${proto}`);
  const alg = ctx.u8(tp + 1);
  ctx.print(alg === 1 ? ', alg: HMAC-MD5' : `, alg: ${alg}`);
  const rdm = ctx.u8(tp + 2);
  ctx.print(rdm === 0 ? ', RDM: mono' : `, RDM: ${rdm}`);
  let p = tp + 3;
  ctx.print(', RD:');
  for (let i = 0; i < 4; i++, p += 2) ctx.print(` ${hex(ctx.u16(p), 4)}`);
  const infolen = optlen - 11;
  if (proto === 2) {
    if (infolen !== 0) {
      if (infolen < 20) ctx.print(' ??');
      else {
        const realmlen = infolen - 20;
        if (realmlen > 0) ctx.print(', realm: ');
        for (let i = 0; i < realmlen; i++, p++) ctx.print(hex(ctx.u8(p), 2));
        ctx.print(`, key ID: ${hex(ctx.u32(p), 8)}`);
        p += 4;
        ctx.print(', HMAC-MD5:');
        for (let i = 0; i < 4; i++, p += 4) ctx.print(` ${hex(ctx.u32(p), 8)}`);
      }
    }
  } else if (proto === 3) {
    if (infolen !== 17) ctx.print(' ??');
    else {
      const t = ctx.u8(p);
      ctx.print(t === 1 ? ' reconfig-key' : t === 2 ? ' type: HMAC-MD5' : ' type: ??');
      p++;
      ctx.print(' value:');
      for (let i = 0; i < 4; i++, p += 4) ctx.print(` ${hex(ctx.u32(p), 8)}`);
    }
  } else ctx.print(' ??');
  ctx.print(')');
}

function trunc(ctx: PrintContext): void {
  ctx.print(` [|${ctx.protocol}]`);
}

/** tcpdump dhcp6_print: the message at off, `length` bytes of UDP payload (or relay option). */
export function dhcp6Print(ctx: PrintContext, off: number, length: number): void {
  ctx.protocol = 'dhcp6';
  ctx.print('dhcp6');
  const ep = Math.min(ctx.snapend, off + length);
  ctx.check(off, 4);
  const msgtype = ctx.u8(off);
  const name = MSG_NAMES[msgtype] || `msgtype-${msgtype}`;
  if (!ctx.opts.vflag) {
    ctx.print(` ${name}`);
    return;
  }
  ctx.print(` ${name} (`);
  if (msgtype !== RELAY_FORW && msgtype !== RELAY_REPLY) {
    ctx.print(`xid=${(ctx.u32(off) & 0x00ffffff).toString(16)}`);
    optionsPrint(ctx, off + 4, ep);
  } else {
    ctx.print(`linkaddr=${ip6addrString(ctx, off + 2)}`);
    ctx.print(` peeraddr=${ip6addrString(ctx, off + 18)}`);
    optionsPrint(ctx, off + 34, ep);
  }
  ctx.print(')');
}
