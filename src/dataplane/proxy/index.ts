// The proxy data plane: one listener per virtual service (TCP: net.Server, UDP: a dgram socket),
// plus the addr:port listeners that the config gives each firewall-mark service. Accepted traffic
// goes through the director (schedule, connect, event, traffic) and is relayed to real servers.
// No privileges needed; two TCP handshakes per connection, as a reverse proxy does.

import net from 'node:net';
import type { Family, ServiceSnapshot } from '../../director/index.js';
import type { DataPlane, PlaneOptions } from '../plane.js';
import { DEFAULT_TUNING, hostPort, PlaneCore, type ProxyTuning, type RelayLike } from './core.js';
import { attachRaw, loadRaw } from './raw-relay.js';
import { acceptTcp, type TcpEntry } from './tcp-relay.js';
import { type UdpEntry, UdpListener } from './udp-session.js';

export type { ProxyTuning } from './core.js';
export { DEFAULT_TUNING } from './core.js';
export { PROXY_V2_SIGNATURE, proxyV1, proxyV2 } from './proxy-protocol.js';

/** What one listener serves; `key` identifies it across syncs. */
interface ListenerSpec {
  key: string;
  /** Text for messages: `TCP 127.0.0.1:80`, `FWM 5 (UDP [::1]:53)`. */
  text: string;
  protocol: 'TCP' | 'UDP';
  address: string;
  port: number;
  family: Family;
  /** 0 for address services. */
  fwmark: number;
  /** Keys of config.proxyProtocol that name this service, most specific first. */
  ppKeys: string[];
}

interface OpenListener {
  spec: ListenerSpec;
  tcp: net.Server | null;
  udp: UdpListener | null;
}

const ERRNO_TEXT: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available on this host',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EAFNOSUPPORT: 'address family not supported',
};

function familyOf(address: string): Family {
  return address.indexOf(':') >= 0 ? 6 : 4;
}

export class ProxyPlane implements DataPlane {
  private readonly core: PlaneCore;
  private readonly listeners = new Map<string, OpenListener>();
  private readonly relays = new Set<RelayLike>();
  private readonly udps = new Set<UdpListener>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closing = false;

  /**
   * `tuning` defaults to DEFAULT_TUNING; the environment variable TSVS_PROXY_ENGINE=net selects
   * the net.Socket engine when `tuning.engine` is not given (a switch for troubleshooting).
   */
  constructor(opts: PlaneOptions, tuning: Partial<ProxyTuning> = {}) {
    const envEngine = process.env.TSVS_PROXY_ENGINE === 'net' ? ({ engine: 'net' } as const) : {};
    this.core = new PlaneCore(opts.director, opts.now, opts.log, opts.config, {
      ...DEFAULT_TUNING,
      ...envEngine,
      ...tuning,
    });
  }

  /**
   * Hook for DirectorOptions.onConnExpired: the director freed `connId` in tick(). The relay that
   * owned it keeps running (detached, no longer counted); the id is free for the next connect().
   */
  connExpired(connId: number, _realId?: number): void {
    this.core.expired(connId);
  }

  /** The TCP engine in use: 'raw' (libuv handles) or 'net' (net.Socket). */
  get engine(): 'raw' | 'net' {
    return this.core.tuning.engine === 'raw' && loadRaw() !== null ? 'raw' : 'net';
  }

  /** Open TCP relays (for tests and status). */
  get relayCount(): number {
    return this.relays.size;
  }

  /** Open UDP sessions across all listeners. */
  get udpSessionCount(): number {
    let n = 0;
    for (const u of this.udps) n += u.sessions.size;
    return n;
  }

  /** Keys of the open listeners (`TCP 127.0.0.1:80`, ...), sorted. */
  listening(): string[] {
    return [...this.listeners.values()].map((l) => l.spec.text).sort();
  }

  private specs(): Map<string, ListenerSpec> {
    const out = new Map<string, ListenerSpec>();
    const snap = this.core.d.snapshot();
    for (const s of snap.services) {
      if (s.protocol === 'FWM') this.fwmarkSpecs(s, out);
      else {
        const hp = hostPort(s.address, s.port);
        const text = `${s.protocol} ${hp}`;
        out.set(text, {
          key: text,
          text,
          protocol: s.protocol,
          address: s.address,
          port: s.port,
          family: s.family,
          fwmark: 0,
          ppKeys: [text, `${s.protocol}  ${hp}`],
        });
      }
    }
    return out;
  }

  private fwmarkSpecs(s: ServiceSnapshot, out: Map<string, ListenerSpec>): void {
    const ls = this.core.config.fwmarks.get(s.fwmark);
    if (ls === undefined) return;
    const ppKeys =
      s.family === 6
        ? [`FWM ${s.fwmark} IPv6`, `FWM  ${s.fwmark} IPv6`, `FWM ${s.fwmark}`]
        : [`FWM ${s.fwmark}`, `FWM  ${s.fwmark}`];
    for (const l of ls) {
      if (familyOf(l.address) !== s.family) continue;
      const text = `FWM ${s.fwmark} (${l.protocol} ${hostPort(l.address, l.port)})`;
      out.set(text, {
        key: text,
        text,
        protocol: l.protocol,
        address: l.address,
        port: l.port,
        family: s.family,
        fwmark: s.fwmark,
        ppKeys,
      });
    }
  }

  /** sync() calls run one after the other (a listener is never opened twice). */
  private syncChain: Promise<unknown> = Promise.resolve();

  sync(): Promise<string[]> {
    const p = this.syncChain.then(() => this.syncNow());
    this.syncChain = p.catch(() => {});
    return p;
  }

  private async syncNow(): Promise<string[]> {
    if (this.closing) return [];
    const want = this.specs();
    const problems: string[] = [];
    for (const [key, l] of this.listeners) {
      if (want.has(key)) continue;
      this.listeners.delete(key);
      this.closeListener(l);
      this.core.log('proxy-listener-closed', { listener: l.spec.text });
    }
    const opening: Promise<void>[] = [];
    for (const [key, spec] of want) {
      if (this.listeners.has(key)) continue;
      opening.push(
        this.open(spec).then(
          (l) => {
            if (this.closing) {
              this.closeListener(l);
              return;
            }
            this.listeners.set(key, l);
            this.core.log('proxy-listening', { listener: spec.text });
          },
          (err: NodeJS.ErrnoException) => {
            const code = err.code ?? 'EIO';
            const why = ERRNO_TEXT[code] ?? err.message;
            problems.push(`${spec.text}: cannot listen: ${why} (${code})`);
          },
        ),
      );
    }
    await Promise.all(opening);
    if (this.sweepTimer === null && !this.closing) {
      this.sweepTimer = setInterval(() => this.sweep(), this.core.tuning.sweepMs);
      this.sweepTimer.unref();
    }
    return problems;
  }

  private entryLookup(spec: ListenerSpec): () => number {
    const d = this.core.d;
    if (spec.fwmark !== 0) {
      const mark = spec.fwmark;
      const fam = spec.family;
      return () => d.lookupFwmark(mark, fam);
    }
    const { protocol, address, port } = spec;
    return () => d.lookupService(protocol, address, port);
  }

  private open(spec: ListenerSpec): Promise<OpenListener> {
    const core = this.core;
    const lookup = this.entryLookup(spec);
    if (spec.protocol === 'UDP') {
      const entry: UdpEntry = { lookup, vaddr: spec.address, vport: spec.port };
      const u = new UdpListener(core, entry, spec.family);
      return new Promise((resolve, reject) => {
        const onErr = (err: Error) => {
          u.closed = true;
          try {
            u.socket.close();
          } catch {}
          reject(err);
        };
        u.socket.once('error', onErr);
        u.socket.bind({ address: spec.address, port: spec.port, exclusive: true }, () => {
          u.socket.removeListener('error', onErr);
          u.socket.on('error', (err) =>
            core.log('proxy-udp-error', { listener: spec.text, error: err.message }),
          );
          this.udps.add(u);
          resolve({ spec, tcp: null, udp: u });
        });
      });
    }
    const cfg = core.config;
    const ppKeys = spec.ppKeys;
    const entry: TcpEntry = {
      lookup,
      vaddr: spec.address,
      vport: spec.port,
      proxyVersion: () => {
        if (cfg.proxyProtocol.size === 0) return 0;
        for (const k of ppKeys) {
          const v = cfg.proxyProtocol.get(k);
          if (v !== undefined) return v;
        }
        return 0;
      },
    };
    const relays = this.relays;
    const rb = core.tuning.engine === 'raw' ? loadRaw() : null;
    const server = net.createServer({ pauseOnConnect: true, noDelay: true, allowHalfOpen: true }, (sock) => {
      acceptTcp(core, relays, entry, sock);
    });
    return new Promise((resolve, reject) => {
      const onErr = (err: Error) => {
        server.close();
        reject(err);
      };
      server.once('error', onErr);
      server.listen(
        {
          host: spec.address,
          port: spec.port,
          backlog: core.tuning.backlog,
          ipv6Only: spec.family === 6,
          exclusive: true,
        },
        () => {
          server.removeListener('error', onErr);
          server.on('error', (err) =>
            core.log('proxy-listener-error', { listener: spec.text, error: err.message }),
          );
          if (rb !== null) attachRaw(rb, server, core, relays, entry);
          resolve({ spec, tcp: server, udp: null });
        },
      );
    });
  }

  private closeListener(l: OpenListener): void {
    if (l.tcp !== null) l.tcp.close();
    if (l.udp !== null) {
      l.udp.close();
      this.udps.delete(l.udp);
    }
  }

  private sweep(): void {
    const core = this.core;
    const now = core.now();
    const t = core.d.getTimeouts();
    const tcpMs = t.tcp * 1000;
    const finMs = t.tcpfin * 1000;
    const udpMs = t.udp * 1000;
    for (const r of this.relays) r.sweep(now, tcpMs, finMs);
    for (const u of this.udps) u.sweep(now, udpMs);
  }

  async close(drainMs: number): Promise<void> {
    this.closing = true;
    for (const l of this.listeners.values()) this.closeListener(l);
    this.listeners.clear();
    const deadline = Date.now() + Math.max(0, drainMs);
    // Drain: poll (bounded by drainMs) until the relays finished on their own; the sweep keeps
    // enforcing idle timeouts meanwhile.
    while (this.relays.size > 0 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, Math.min(50, Math.max(1, deadline - Date.now()))));
    }
    for (const r of [...this.relays]) r.abort();
    // Let the destroyed sockets emit 'close' so their entries get their final event.
    for (let i = 0; i < 20 && this.relays.size > 0; i++) await new Promise((res) => setTimeout(res, 5));
    if (this.sweepTimer !== null) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = null;
    }
  }
}
