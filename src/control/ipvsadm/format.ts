// ipvsadm 1.31's listings (-L/-l and variants, -c, --timeout) and -S rules, byte for byte.
// Reference: shared/reference/ipvs-semantics.md §4 (print_largenum) and §5.4-5.5 (formats).

import {
  type ConnectionRow,
  type DirectorSnapshot,
  FORWARD_NAMES,
  type ForwardMethod,
  type RealServerSnapshot,
  type ServiceSnapshot,
  sortRealsIpvsadm,
  type TunnelConfig,
} from '../../director/index.js';
import type { ListFlags } from './grammar.js';

export const BANNER_VERSION = '1.2.1';

/** Name lookups for listings without -n; return undefined to print the number. */
export interface NameResolver {
  host(address: string): string | undefined;
  port(port: number, proto: 'tcp' | 'udp'): string | undefined;
}

export const NUMERIC: NameResolver = { host: () => undefined, port: () => undefined };

/** The -S switch of each forwarding method (--fullnat is tsvsadm's extension). */
const SAVE_METHOD: Record<ForwardMethod, string> = {
  masq: '-m',
  gate: '-g',
  ipip: '-i',
  fullnat: '--fullnat',
};

function padEnd(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}
function padStart(s: string, n: number): string {
  return s.length >= n ? s : ' '.repeat(n - s.length) + s;
}

/** print_largenum: 9 characters, abbreviated with K/M/G/T; with --exact the full number. */
export function largenum(v: number, exact: boolean): string {
  if (exact) {
    const s = String(v);
    return padStart(s, Math.max(9, s.length + 1));
  }
  if (v < 100_000_000) return padStart(String(v), 9);
  if (v < 1_000_000_000) return `${padStart(String(Math.floor(v / 1000)), 8)}K`;
  if (v < 100_000_000_000) return `${padStart(String(Math.floor(v / 1_000_000)), 8)}M`;
  if (v < 100_000_000_000_000) return `${padStart(String(Math.floor(v / 1_000_000_000)), 8)}G`;
  return `${padStart(String(Math.floor(v / 1_000_000_000_000)), 8)}T`;
}

function addrPort(
  address: string,
  family: 4 | 6,
  port: number,
  proto: 'tcp' | 'udp',
  names: NameResolver,
): string {
  const h = names.host(address) ?? address;
  const p = names.port(port, proto) ?? String(port);
  return family === 6 && h === address ? `[${h}]:${p}` : `${h}:${p}`;
}

/** `TCP  10.0.0.100:80`, `FWM  10`, `FWM  10 IPv6` (IPv4 forms cut at 33 characters as ipvsadm does). */
export function serviceName(s: ServiceSnapshot, names: NameResolver): string {
  if (s.protocol === 'FWM') return `FWM  ${s.fwmark}${s.family === 6 ? ' IPv6' : ''}`;
  const proto = s.protocol === 'UDP' ? 'udp' : 'tcp';
  const text = `${padEnd(s.protocol, 4)} ${addrPort(s.address, s.family, s.port, proto, names)}`;
  return s.family === 4 ? text.slice(0, 33) : text;
}

function realName(s: ServiceSnapshot, r: RealServerSnapshot, names: NameResolver): string {
  const text = addrPort(r.address, r.family, r.port, s.protocol === 'UDP' ? 'udp' : 'tcp', names);
  return r.family === 4 ? text.slice(0, 28) : text;
}

/** Scheduler, flags, persistence, ops: the tail of a service line in the default format. */
function serviceTail(s: ServiceSnapshot): string {
  let t = ` ${s.scheduler}`;
  if (s.schedFlagNames.length > 0) t += ` (${s.schedFlagNames.join(',')})`;
  if (s.persistent > 0) {
    t += ` persistent ${s.persistent}`;
    if (!s.netmaskIsDefault) t += ` mask ${s.netmaskText}`;
    if (s.pe) t += ` pe ${s.pe}`;
  }
  if (s.ops) t += ' ops';
  return t;
}

function tunnelInfo(r: RealServerSnapshot): string {
  if (r.method !== 'ipip') return 'n/a';
  const t: TunnelConfig = r.tunnel;
  const c = t.csum === 'csum' ? '+c' : t.csum === 'remcsum' ? 'r+c' : '-c';
  if (t.type === 'gue') return `gue:${t.port}:${c}`;
  if (t.type === 'gre') return `gre:${c}`;
  return 'ipip';
}

type Format = 'default' | 'stats' | 'rate' | 'thresholds' | 'persistent-conn' | 'tun-info';

function formatOf(f: ListFlags): Format {
  if (f.stats) return 'stats';
  if (f.rate) return 'rate';
  if (f.thresholds) return 'thresholds';
  if (f.persistentConn) return 'persistent-conn';
  if (f.tunInfo) return 'tun-info';
  return 'default';
}

function titles(fmt: Format): string {
  switch (fmt) {
    case 'stats':
      return `${padEnd('Prot LocalAddress:Port', 33)}${['Conns', 'InPkts', 'OutPkts', 'InBytes', 'OutBytes']
        .map((h) => ` ${padStart(h, 8)}`)
        .join('')}\n  -> RemoteAddress:Port\n`;
    case 'rate':
      return `${padEnd('Prot LocalAddress:Port', 33)}${['CPS', 'InPPS', 'OutPPS', 'InBPS', 'OutBPS']
        .map((h) => ` ${padStart(h, 8)}`)
        .join('')}\n  -> RemoteAddress:Port\n`;
    case 'thresholds':
      return `${padEnd('Prot LocalAddress:Port', 33)} ${padEnd('Uthreshold', 10)} ${padEnd('Lthreshold', 10)} ${padEnd('ActiveConn', 10)} ${padEnd('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
    case 'persistent-conn':
      return `${padEnd('Prot LocalAddress:Port', 33)} ${padEnd('Weight', 9)} ${padEnd('PersistConn', 11)} ${padEnd('ActiveConn', 10)} ${padEnd('InActConn', 10)}\n  -> RemoteAddress:Port\n`;
    case 'tun-info':
      return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n';
    default:
      return 'Prot LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n';
  }
}

function five(v: { a: number; b: number; c: number; d: number; e: number }, exact: boolean): string {
  return (
    largenum(v.a, exact) +
    largenum(v.b, exact) +
    largenum(v.c, exact) +
    largenum(v.d, exact) +
    largenum(v.e, exact)
  );
}

function formatService(s: ServiceSnapshot, fmt: Format, f: ListFlags, names: NameResolver): string {
  const name = serviceName(s, names);
  let out: string;
  if (fmt === 'stats') {
    const t = s.stats;
    out = `${padEnd(name, 33)}${five({ a: t.conns, b: t.inpkts, c: t.outpkts, d: t.inbytes, e: t.outbytes }, f.exact)}\n`;
  } else if (fmt === 'rate') {
    const t = s.rates;
    out = `${padEnd(name, 33)}${five({ a: t.cps, b: t.inpps, c: t.outpps, d: t.inbps, e: t.outbps }, f.exact)}\n`;
  } else out = `${name}${serviceTail(s)}\n`;
  const reals = f.nosort ? s.reals : sortRealsIpvsadm(s.reals);
  for (const r of reals) {
    const rn = realName(s, r, names);
    switch (fmt) {
      case 'stats': {
        const t = r.stats;
        out += `  -> ${padEnd(rn, 28)}${five({ a: t.conns, b: t.inpkts, c: t.outpkts, d: t.inbytes, e: t.outbytes }, f.exact)}\n`;
        break;
      }
      case 'rate': {
        const t = r.rates;
        out += `  -> ${padEnd(rn, 28)} ${padStart(String(t.cps), 8)} ${padStart(String(t.inpps), 8)} ${padStart(String(t.outpps), 8)}${largenum(t.inbps, f.exact)}${largenum(t.outbps, f.exact)}\n`;
        break;
      }
      case 'thresholds':
        out += `  -> ${padEnd(rn, 28)} ${padEnd(String(r.uThreshold), 10)} ${padEnd(String(r.lThreshold), 10)} ${padEnd(String(r.activeConns), 10)} ${padEnd(String(r.inactConns), 10)}\n`;
        break;
      case 'persistent-conn':
        out += `  -> ${padEnd(rn, 28)} ${padEnd(String(r.weight), 9)} ${padEnd(String(r.persistConns), 11)} ${padEnd(String(r.activeConns), 10)} ${padEnd(String(r.inactConns), 10)}\n`;
        break;
      case 'tun-info':
        out += `  -> ${padEnd(rn, 28)} ${padEnd(FORWARD_NAMES[r.method], 7)} ${padEnd(tunnelInfo(r), 13)} ${padEnd(String(r.weight), 6)} ${padEnd(String(r.activeConns), 10)} ${padEnd(String(r.inactConns), 10)}\n`;
        break;
      default:
        out += `  -> ${padEnd(rn, 28)} ${padEnd(FORWARD_NAMES[r.method], 7)} ${padEnd(String(r.weight), 6)} ${padEnd(String(r.activeConns), 10)} ${padEnd(String(r.inactConns), 10)}\n`;
    }
  }
  return out;
}

/**
 * `-L` output. `only` restricts to one service (no banner then, as `-L -t svc` prints). Services
 * come from the snapshot in ipvsadm's order (the snapshot already sorts them).
 */
export function formatList(
  snap: DirectorSnapshot,
  f: ListFlags,
  names: NameResolver,
  only?: ServiceSnapshot,
): string {
  const fmt = formatOf(f);
  let out = '';
  if (!only) out += `IP Virtual Server version ${BANNER_VERSION} (size=${snap.connTabSize})\n`;
  out += titles(fmt);
  const services = only ? [only] : snap.services;
  for (const s of services) out += formatService(s, fmt, f, names);
  return out;
}

/** `--timeout`. */
export function formatTimeouts(snap: DirectorSnapshot): string {
  const t = snap.timeouts;
  return `Timeout (tcp tcpfin udp): ${t.tcp} ${t.tcpfin} ${t.udp}\n`;
}

function endpoint(address: string, port: number, proto: 'tcp' | 'udp', names: NameResolver): string {
  return addrPort(address, address.includes(':') ? 6 : 4, port, proto, names);
}

/** `-Lc` / `-Lnc`: the connection table, in table order. */
export function formatConnections(rows: readonly ConnectionRow[], names: NameResolver): string {
  let out =
    'IPVS connection entries\npro expire state       source             virtual            destination\n';
  for (const r of rows) {
    const proto = r.protocol === 'UDP' ? 'udp' : 'tcp';
    const mm = Math.floor(r.expireSeconds / 60);
    const ss = r.expireSeconds % 60;
    const expire = `${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}`;
    out += `${padEnd(r.protocol, 3)} ${padEnd(expire, 6)} ${padEnd(r.state, 11)} ${padEnd(endpoint(r.clientAddress, r.clientPort, proto, names), 18)} ${padEnd(endpoint(r.virtualAddress, r.virtualPort, proto, names), 18)} ${endpoint(r.destAddress, r.destPort, proto, names)}\n`;
  }
  return out;
}

function saveServiceArg(s: ServiceSnapshot, names: NameResolver): string {
  if (s.protocol === 'FWM') return `-f ${s.fwmark}${s.family === 6 ? ' -6' : ''}`;
  const proto = s.protocol === 'UDP' ? 'udp' : 'tcp';
  return `${s.protocol === 'UDP' ? '-u' : '-t'} ${addrPort(s.address, s.family, s.port, proto, names)}`;
}

/** `-S` / `-S -n`: rules that `-R` reads back (thresholds are not saved, as in ipvsadm). */
export function formatSave(snap: DirectorSnapshot, names: NameResolver): string {
  let out = '';
  for (const s of snap.services) {
    const svc = saveServiceArg(s, names);
    let line = `-A ${svc} -s ${s.scheduler}`;
    if (s.persistent > 0) {
      line += ` -p ${s.persistent}`;
      if (!s.netmaskIsDefault) line += ` -M ${s.netmaskText}`;
    }
    if (s.pe) line += ` --pe ${s.pe}`;
    if (s.ops) line += ' -o';
    if (s.schedFlagNames.length > 0) line += ` -b ${s.schedFlagNames.join(',')}`;
    out += `${line}\n`;
    for (const r of sortRealsIpvsadm(s.reals)) {
      const m = SAVE_METHOD[r.method];
      let rl = `-a ${svc} -r ${realName(s, r, names)} ${m} -w ${r.weight}`;
      if (r.method === 'ipip') {
        const t = r.tunnel;
        if (t.type === 'ipip') rl += ' --tun-type ipip';
        else if (t.type === 'gue') rl += ` --tun-type gue --tun-port ${t.port} --tun-${t.csum}`;
        else rl += ` --tun-type gre --tun-${t.csum}`;
      }
      out += `${rl}\n`;
    }
  }
  return out;
}

/** Usage text for -h (tsvsadm's own words; the grammar is ipvsadm's). */
export function usageText(prog: string): string {
  return `${prog} (tsvs): administer the tsvs director with ipvsadm's commands and options.
Usage:
  ${prog} -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [--pe engine] [-b sched-flags]
  ${prog} -D virtual-service
  ${prog} -C
  ${prog} -R < rules
  ${prog} -S [-n]
  ${prog} -a|e virtual-service -r server-address [-g|i|m] [-w weight] [-x upper] [-y lower]
  ${prog} -d virtual-service -r server-address
  ${prog} -L|l [virtual-service] [options]
  ${prog} -Z [virtual-service]
  ${prog} --set tcp tcpfin udp
  ${prog} -h
  ${prog} -v
virtual-service: -t|u service-address (host[:port], IPv6 as [addr]:port) | -f fwmark [-6]
list options: -n --stats --rate --thresholds --persistent-conn --tun-info --exact --nosort -c --timeout
The daemon socket: --socket PATH or $TSVS_SOCKET (default /run/tsvs/tsvs.sock).
`;
}

export const VERSION_LINE = 'tsvsadm v0.1.0 (ipvsadm v1.31 grammar, IPVS v1.2.1)';
