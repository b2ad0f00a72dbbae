// Address, port and protocol strings for the IPv4-family printers (tcpdump's ipaddr_string,
// tcpport_string, udpport_string, netdb_protoname) plus the small formatting helpers they share.
//
// With -n (the corpus always runs with it) every name is numeric, as in tcpdump 4.99.3, where -n
// also turns off /etc/services and /etc/protocols lookups. Without -n, port and protocol names come
// from the system's /etc/services and /etc/protocols (read once, lazily) and host names from the
// hosts file (hosts.ts: no DNS queries, unlike tcpdump's resolver).
import { readFileSync } from 'node:fs';
import { ipv6ToString } from '../wire/ipv6.js';
import type { PrintContext } from './context.js';
import { shortName, systemHosts } from './hosts.js';

// Dotted quads already formatted (tcpdump's hnametable): most captures reuse few addresses.
const QUAD_CACHE_MAX = 1 << 16;
const quadCache = new Map<number, string>();

/** Dotted quad of the 4 bytes at i (throws TRUNCATED when they were not captured). */
export function ipaddrString(ctx: PrintContext, i: number): string {
  ctx.check(i, 4);
  const b = ctx.buf;
  // A signed 32-bit key stays a small integer in V8 (no heap number per lookup).
  const key = (b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!;
  if (ctx.opts.nflag === 0) {
    const name = systemHosts().v4.get(key >>> 0);
    if (name !== undefined) return ctx.opts.Nflag ? shortName(name) : name;
  }
  let s = quadCache.get(key);
  if (s === undefined) {
    s = `${b[i]}.${b[i + 1]}.${b[i + 2]}.${b[i + 3]}`;
    if (quadCache.size >= QUAD_CACHE_MAX) quadCache.clear();
    quadCache.set(key, s);
  }
  return s;
}

/** Dotted quad of a host-order u32. */
export { formatIpv4 as ipv4ToString } from '../wire/ipv4.js';

let tcpServices: Map<number, string> | null = null;
let udpServices: Map<number, string> | null = null;
let protocols: Map<number, string> | null = null;

function loadServices(): void {
  tcpServices = new Map();
  udpServices = new Map();
  let text = '';
  try {
    text = readFileSync('/etc/services', 'latin1');
  } catch {
    return;
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const m = /^(\S+)\s+(\d+)\/(tcp|udp)/.exec(line);
    if (m === null) continue;
    const port = Number(m[2]);
    const table = m[3] === 'tcp' ? tcpServices : udpServices;
    if (!table.has(port)) table.set(port, m[1]!);
  }
}

/** tcpdump's tcpport_string: a service name unless -n, else the number. */
export function tcpportString(ctx: PrintContext, port: number): string {
  if (ctx.opts.nflag === 0) {
    if (tcpServices === null) loadServices();
    const n = tcpServices!.get(port);
    if (n !== undefined) return n;
  }
  return `${port}`;
}

/** tcpdump's udpport_string. */
export function udpportString(ctx: PrintContext, port: number): string {
  if (ctx.opts.nflag === 0) {
    if (udpServices === null) loadServices();
    const n = udpServices!.get(port);
    if (n !== undefined) return n;
  }
  return `${port}`;
}

/** tcpdump's netdb_protoname (getprotobynumber): undefined when unknown. */
export function netdbProtoname(proto: number): string | undefined {
  if (protocols === null) {
    protocols = new Map();
    try {
      for (const raw of readFileSync('/etc/protocols', 'latin1').split('\n')) {
        const line = raw.replace(/#.*/, '').trim();
        const m = /^(\S+)\s+(\d+)/.exec(line);
        if (m !== null && !protocols.has(Number(m[2]))) protocols.set(Number(m[2]), m[1]!);
      }
    } catch {
      // no /etc/protocols: numbers only
    }
  }
  return protocols.get(proto);
}

const HEX = '0123456789abcdef';

/** Two lower-case hex digits (printf %02x). */
export function hex2(v: number): string {
  return HEX[(v >>> 4) & 15]! + HEX[v & 15]!;
}

/** Four lower-case hex digits (printf %04x). */
export function hex4(v: number): string {
  return HEX[(v >>> 12) & 15]! + HEX[(v >>> 8) & 15]! + HEX[(v >>> 4) & 15]! + HEX[v & 15]!;
}

/** printf %x. */
export function hex(v: number): string {
  return (v >>> 0).toString(16);
}

/** tcpdump's fn_print_char: M- for 8-bit, ^X for control characters. */
export function fnPrintChar(c: number): string {
  let s = '';
  if (c > 0x7f) {
    c &= 0x7f;
    s = 'M-';
  }
  if (c < 0x20 || c === 0x7f) {
    c ^= 0x40;
    s += '^';
  }
  return s + String.fromCharCode(c);
}

/** tcpdump's addrtostr6 (RFC 4291 text, longest run of >= 2 zero words as `::`, embedded IPv4). */
export function ip6addrString(ctx: PrintContext, i: number): string {
  ctx.check(i, 16);
  const b = ctx.buf;
  if (ctx.opts.nflag === 0) {
    const name = systemHosts().v6.get(Buffer.from(b.buffer, b.byteOffset + i, 16).toString('hex'));
    if (name !== undefined) return ctx.opts.Nflag ? shortName(name) : name;
  }
  return ipv6ToString(b, i);
}
