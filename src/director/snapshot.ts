// Plain-data views of the director for listings: services and reals (`ipvsadm -L` and variants)
// and connection rows (`ipvsadm -Lc`). Allocates freely: control path only.

import { type Family, formatWords } from './addr.js';
import {
  C_ASSURED,
  C_TEMPLATE,
  type ConnTable,
  REC_CLIENT,
  REC_DEST,
  REC_VIRTUAL,
  REC_WORDS,
} from './conn-table.js';
import { DEFAULT_TUNNEL, METHODS, type RealTable, type Service } from './model.js';
import { REAL_OVERLOAD } from './schedulers/scheduler.js';
import type { StatsTable } from './stats.js';
import { STATE_NAMES } from './tcp-state.js';
import {
  type ConnectionRow,
  IPPROTO_IP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  type RealServerSnapshot,
  SCHED_FLAG_1,
  SCHED_FLAG_2,
  SCHED_FLAG_3,
  type ServiceKey,
  type ServiceSnapshot,
} from './types.js';

/** ipvsadm prints flag names by scheduler: sh-*, mh-*, else flag-N. */
export function schedFlagNames(flags: number, scheduler: string): string[] {
  const out: string[] = [];
  const pre = scheduler === 'sh' ? 'sh-' : scheduler === 'mh' ? 'mh-' : '';
  if (flags & SCHED_FLAG_1) out.push(pre ? `${pre}fallback` : 'flag-1');
  if (flags & SCHED_FLAG_2) out.push(pre ? `${pre}port` : 'flag-2');
  if (flags & SCHED_FLAG_3) out.push('flag-3');
  return out;
}

function mask4Text(m: number): string {
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}`;
}

/**
 * libipvs ipvs_cmp_services: fwmark, family (AF_INET 2 before AF_INET6 10), protocol, address,
 * port, with address words subtracted into a signed int as ipvsadm does.
 */
export function compareServicesIpvsadm(a: Service, b: Service): number {
  let r = (a.fwmark - b.fwmark) | 0;
  if (r) return r;
  r = (a.family === 4 ? 2 : 10) - (b.family === 4 ? 2 : 10);
  if (r) return r;
  r = a.proto - b.proto;
  if (r) return r;
  if (a.family === 6) {
    for (let i = 0; !r && i < 4; i++) r = (a.addr[i]! - b.addr[i]!) | 0;
  } else r = (a.addr[3]! - b.addr[3]!) | 0;
  if (r) return r;
  return a.port - b.port;
}

export function realAddressText(reals: RealTable, id: number): string {
  const b = id * 4;
  const a = reals.addr;
  return formatWords(reals.family[id] as Family, a[b]!, a[b + 1]!, a[b + 2]!, a[b + 3]!);
}

export function realSnapshot(reals: RealTable, stats: StatsTable, id: number): RealServerSnapshot {
  const r = reals;
  return {
    id,
    address: realAddressText(r, id),
    family: r.family[id] as Family,
    port: r.port[id]!,
    method: METHODS[r.method[id]!]!,
    weight: r.weight[id]!,
    uThreshold: r.uThreshold[id]!,
    lThreshold: r.lThreshold[id]!,
    tunnel: r.tunnel[id] ?? DEFAULT_TUNNEL,
    activeConns: r.active[id]!,
    inactConns: r.inact[id]!,
    persistConns: r.persist[id]!,
    overloaded: (r.flags[id]! & REAL_OVERLOAD) !== 0,
    stats: stats.snapshot(id),
    rates: stats.rates(id),
  };
}

export function serviceSnapshot(s: Service, svcStats: StatsTable, realStats: StatsTable): ServiceSnapshot {
  const key: ServiceKey =
    s.kind === 'fwmark'
      ? { kind: 'fwmark', fwmark: s.fwmark, family: s.family }
      : {
          kind: 'addr',
          protocol: s.proto === IPPROTO_UDP ? 'UDP' : 'TCP',
          address: formatWords(s.family, s.addr[0]!, s.addr[1]!, s.addr[2]!, s.addr[3]!),
          port: s.port,
        };
  return {
    id: s.id,
    key,
    protocol: key.kind === 'fwmark' ? 'FWM' : key.protocol,
    family: s.family,
    address: key.kind === 'addr' ? key.address : '',
    port: s.port,
    fwmark: s.fwmark,
    scheduler: s.schedName,
    schedFlags: s.schedFlags,
    schedFlagNames: schedFlagNames(s.schedFlags, s.schedName),
    persistent: s.persistent,
    netmask: s.netmask,
    netmaskText: s.family === 4 ? mask4Text(s.netmask) : String(s.netmask),
    netmaskIsDefault: s.family === 4 ? s.netmask === 0xffffffff : s.netmask === 128,
    ops: s.ops,
    pe: s.pe,
    reals: s.dests.map((id) => realSnapshot(s.reals, realStats, id)),
    stats: svcStats.snapshot(s.id),
    rates: svcStats.rates(s.id),
  };
}

/** State as `-Lc` prints it: templates NONE/ASSURED, else the TCP state or UDP. */
export function connStateName(c: ConnTable, id: number): string {
  if (c.flags[id]! & C_TEMPLATE) return c.flags[id]! & C_ASSURED ? 'ASSURED' : 'NONE';
  return STATE_NAMES[c.state[id]!]!;
}

/** Rows of `ipvsadm -Lc` in table (hash) order; `due` = each entry's expiry time (ms). */
export function connectionRows(
  c: ConnTable,
  reals: RealTable,
  due: Float64Array,
  now: number,
): ConnectionRow[] {
  const rows: ConnectionRow[] = [];
  const a = c.rec;
  for (const id of c.ids()) {
    const fam = c.family[id] as Family;
    const b = id * REC_WORDS;
    const cl = b + REC_CLIENT;
    const vi = b + REC_VIRTUAL;
    const de = b + REC_DEST;
    const rid = c.real[id]!;
    const dfam = (reals.isAllocated(rid) ? reals.family[rid] : fam) as Family;
    const at = due[id]!;
    const proto = c.proto[id]!;
    rows.push({
      id,
      protocol: proto === IPPROTO_UDP ? 'UDP' : proto === IPPROTO_TCP ? 'TCP' : 'IP',
      expireSeconds: Number.isNaN(at) ? 0 : Math.max(0, Math.floor((at - now) / 1000)),
      state: connStateName(c, id),
      family: fam,
      clientAddress: formatWords(fam, a[cl]!, a[cl + 1]!, a[cl + 2]!, a[cl + 3]!),
      clientPort: c.clientPort(id),
      // A fwmark template's "virtual address" is the mark as an IPv4 word (mark 10 -> 0.0.0.10).
      virtualAddress:
        proto === IPPROTO_IP
          ? formatWords(4, 0, 0, 0, a[vi + 3]!)
          : formatWords(fam, a[vi]!, a[vi + 1]!, a[vi + 2]!, a[vi + 3]!),
      virtualPort: c.virtualPort(id),
      destAddress: formatWords(dfam, a[de]!, a[de + 1]!, a[de + 2]!, a[de + 3]!),
      destPort: c.destPort(id),
      template: (c.flags[id]! & C_TEMPLATE) !== 0,
      serviceId: c.svc[id]!,
      realId: rid,
    });
  }
  return rows;
}
