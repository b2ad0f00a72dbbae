// Validation of ipvsadm service and real-server settings, as the kernel's control path refuses them
// (ip_vs_ctl.c: ERANGE for l > u thresholds or a bad weight, ENOENT for an unknown scheduler/pe).

import { type AddrWords, type Family, parseAddr } from './addr.js';
import { type DirectorOp, fail, ok, type Result } from './errors.js';
import { DEFAULT_TUNNEL, METHODS } from './model.js';
import { createScheduler } from './schedulers/registry.js';
import type { Scheduler } from './schedulers/scheduler.js';
import {
  DEFAULT_SCHEDULER,
  type RealServerConfig,
  SCHED_FLAG_1,
  SCHED_FLAG_2,
  SCHED_FLAG_3,
  type ServiceConfig,
  type TunnelConfig,
} from './types.js';

/** ipvsadm's limit for timeouts (-p, --set): 31 days in seconds. */
export const MAX_TIMEOUT = 2678400;

/** A validated service configuration, with a fresh scheduler instance. */
export interface ServiceSettings {
  sched: Scheduler;
  schedFlags: number;
  persistent: number;
  netmask: number;
  ops: boolean;
  pe: string;
}

/** A validated real-server configuration (method as an index into METHODS). */
export interface DestSettings {
  a: AddrWords;
  method: number;
  weight: number;
  u: number;
  l: number;
  tunnel: TunnelConfig;
}

/** Validate a service config; returns the normalized fields or a refusal. */
export function checkServiceConfig(
  op: DirectorOp,
  family: Family,
  isUdpOrFwm: boolean,
  cfg: ServiceConfig,
): Result<ServiceSettings> {
  const scheduler = cfg.scheduler ?? DEFAULT_SCHEDULER;
  const sched = createScheduler(scheduler);
  if (!sched) return fail(op, 'ENOENT', `unknown scheduler '${scheduler}'`);
  const pe = cfg.pe ?? '';
  if (pe !== '' && pe !== 'sip') return fail(op, 'ENOENT', `unknown persistence engine '${pe}'`);
  const persistent = cfg.persistent ?? 0;
  if (!Number.isInteger(persistent) || persistent < 0 || persistent > MAX_TIMEOUT)
    return fail(op, 'EINVAL', `persistence timeout ${persistent} out of 0..${MAX_TIMEOUT}`);
  const netmask = cfg.netmask ?? (family === 4 ? 0xffffffff : 128);
  if (family === 4 ? !(netmask >= 0 && netmask <= 0xffffffff) : !(netmask >= 1 && netmask <= 128))
    return fail(op, 'EINVAL', `bad persistence netmask ${netmask}`);
  const schedFlags = cfg.schedFlags ?? 0;
  if ((schedFlags & ~(SCHED_FLAG_1 | SCHED_FLAG_2 | SCHED_FLAG_3)) !== 0)
    return fail(op, 'EINVAL', `bad scheduler flags 0x${schedFlags.toString(16)}`);
  if (cfg.ops && !isUdpOrFwm) return fail(op, 'EINVAL', 'one-packet scheduling is only for UDP services');
  return ok({ sched, schedFlags, persistent, netmask: netmask >>> 0, ops: cfg.ops ?? false, pe });
}

/** Validate a real-server config for a service of `svcFamily`; normalized fields or a refusal. */
export function checkRealConfig(
  op: DirectorOp,
  svcFamily: Family,
  rs: RealServerConfig,
): Result<DestSettings> {
  const a = parseAddr(rs.address);
  if (!a) return fail(op, 'EINVAL', `bad real server address '${rs.address}'`);
  if (!Number.isInteger(rs.port) || rs.port < 0 || rs.port > 65535)
    return fail(op, 'EINVAL', `bad real server port ${rs.port}`);
  const method = rs.method ?? 'gate';
  const m = METHODS.indexOf(method);
  if (m < 0) return fail(op, 'EINVAL', `bad forwarding method '${method}'`);
  if (a.family !== svcFamily && method !== 'ipip')
    return fail(op, 'EINVAL', 'different address family is allowed only for tunneling servers');
  const weight = rs.weight ?? 1;
  if (!Number.isInteger(weight) || weight < 0 || weight > 65535)
    return fail(op, 'ERANGE', `weight ${weight} out of 0..65535`);
  const u = rs.uThreshold ?? 0;
  const l = rs.lThreshold ?? 0;
  if (!Number.isInteger(u) || !Number.isInteger(l) || u < 0 || l < 0 || u > 0x7fffffff || l > 0x7fffffff)
    return fail(op, 'EINVAL', 'bad thresholds');
  if (l > u) return fail(op, 'ERANGE', `lower threshold ${l} above upper threshold ${u}`);
  return ok({ a, method: m, weight, u, l, tunnel: rs.tunnel ?? DEFAULT_TUNNEL });
}
