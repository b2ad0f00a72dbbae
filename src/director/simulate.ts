// What would the director choose? Replays rules into a private Director and schedules a list of
// client connections through the same schedule()/connect() path, without touching a live director.

import { Director } from './director.js';
import type { DirectorOptions, RealServerConfig, ServiceConfig, ServiceKey } from './types.js';

/** One service as ipvsadm would create it: -A, then -a for each real in the given order. */
export interface SimulatedService {
  key: ServiceKey;
  cfg: ServiceConfig;
  reals: RealServerConfig[];
}

export interface SimulatedClient {
  address: string;
  port: number;
}

export interface SimulationStep {
  client: string;
  clientPort: number;
  /** Chosen real as `address:port`, or '' when no destination was available. */
  real: string;
}

export interface SimulateOptions extends DirectorOptions {
  /**
   * Keep every simulated connection ESTABLISHED (load-based schedulers see them pile up);
   * default false: each connection is closed before the next one arrives.
   */
  hold?: boolean;
  /** Milliseconds between connections (default 0). */
  interval?: number;
}

/** Schedule `clients` one after another on `service`; returns the choice for each. */
export function simulate(
  service: SimulatedService,
  clients: readonly SimulatedClient[],
  opts: SimulateOptions = {},
): SimulationStep[] {
  const d = new Director({ connCapacity: Math.max(64, clients.length * 2 + 16), ...opts });
  const s = d.addService(service.key, service.cfg);
  if (!s.ok) throw s.error;
  for (const rs of service.reals) {
    const r = d.addServer(service.key, rs);
    if (!r.ok) throw r.error;
  }
  const sid = s.value;
  const vaddr = service.key.kind === 'addr' ? service.key.address : '0.0.0.0';
  const vport = service.key.kind === 'addr' ? service.key.port : 0;
  const out: SimulationStep[] = [];
  let now = 0;
  for (const c of clients) {
    const rid = d.schedule(sid, c.address, c.port, now);
    if (rid < 0) {
      out.push({ client: c.address, clientPort: c.port, real: '' });
    } else {
      const info = d.realInfo(rid)!;
      const addr = info.family === 6 ? `[${info.address}]` : info.address;
      out.push({ client: c.address, clientPort: c.port, real: `${addr}:${info.port}` });
      const cid = d.connect(sid, rid, c.address, c.port, vaddr, vport, now, { seesReplies: true });
      if (cid >= 0) {
        d.event(cid, 'connecting', now);
        d.event(cid, 'established', now);
        if (!opts.hold) {
          d.event(cid, 'client-fin', now);
          d.event(cid, 'server-fin', now);
          d.expireNow(cid, now);
        }
      }
    }
    now += opts.interval ?? 0;
    d.tick(now);
  }
  return out;
}
