// The director daemon behind `tsvs run` and `tsvs demo`: owns the Director and its clock, runs
// tick() every second and estimate() every 2 s, answers the control API (api.ts) on a unix socket,
// keeps the state file, loads --rules/--config, re-applies them as a difference on reload (SIGHUP),
// and drives a data plane through sync()/close().
//
// Where the rules come from at start: the state file first (the last rules this daemon had), then,
// when --rules is given or the config file has rule lines, those files are the source of truth and
// the director is brought to them by a difference (the state's extra services are deleted).

import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import type { Server } from 'node:http';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  type DataPlane,
  emptyPlaneConfig,
  type PlaneConfig,
  type PlaneLog,
  type PlaneOptions,
} from '../../dataplane/plane.js';
import { Director } from '../../director/index.js';
import { TsvsError } from '../../errors.js';
import { createControlServer, type IpvsadmRequest, type IpvsadmResponse } from '../api.js';
import { probeSocket } from '../client.js';
import { type DaemonConfig, loadConfig, readText } from '../config/config.js';
import { buildRules, diffRules, type RuleLine, ruleLines, rulesText } from '../config/rules.js';
import { executeIpvsadm } from '../ipvsadm/execute.js';
import { systemNames, systemPorts } from '../names.js';
import { corruptName, writeAtomic } from './state.js';

/** Creates the data plane once the director exists. */
export type PlaneFactory = (opts: PlaneOptions) => DataPlane | Promise<DataPlane>;

export interface DaemonOptions {
  socket: string;
  /** State file, or null for none (the demo). */
  statePath: string | null;
  rulesFile?: string;
  configFile?: string;
  plane: PlaneFactory;
  /** Plane name for logs and /v1/health. */
  planeName: string;
  log: PlaneLog;
  /** How long close() lets open connections finish (ms, default 5000). */
  drainMs?: number;
  /** Connection table capacity (default: the director's, 131072). */
  connCapacity?: number;
  /** Clock in ms (default performance.now()). */
  now?: () => number;
}

/** A plane may take expiry notices from the director (optional duck-typed hook). */
interface ExpiryAware {
  connExpired?: (connId: number, realId: number) => void;
}

interface Desired {
  config: DaemonConfig | null;
  /** The rules the files want, or null when no file manages rules. */
  rules: Director | null;
  lines: number;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Daemon {
  readonly director: Director;
  readonly now: () => number;
  private readonly opts: DaemonOptions;
  private readonly log: PlaneLog;
  private readonly planeConfig: PlaneConfig = emptyPlaneConfig();
  private plane: DataPlane | null = null;
  private server: Server | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private lastSaved: string | null = null;
  private expiry: ((connId: number, realId: number) => void) | undefined;
  private readonly started = Date.now();
  private stopping: Promise<void> | null = null;

  private constructor(opts: DaemonOptions) {
    this.opts = opts;
    this.log = opts.log;
    this.now = opts.now ?? (() => performance.now());
    const dopts: ConstructorParameters<typeof Director>[0] = {
      onConnExpired: (id, rid) => this.expiry?.(id, rid),
    };
    if (opts.connCapacity) dopts.connCapacity = opts.connCapacity;
    this.director = new Director(dopts);
  }

  /**
   * Start: check the files (a bad one throws a TsvsError before anything listens), claim the
   * socket (refused if a live daemon answers there; a stale socket file is removed), restore the
   * state, apply the files, open the plane, listen. Throws TsvsError for the user's mistakes.
   */
  static async start(opts: DaemonOptions): Promise<Daemon> {
    const d = new Daemon(opts);
    const desired = d.loadDesired();
    await d.claimSocket();
    d.restoreState();
    if (desired.config) d.setPlaneConfig(desired.config.plane);
    if (desired.rules) d.applyDesired(desired.rules, 'start');
    d.saveState();
    try {
      d.plane = await opts.plane({ director: d.director, now: d.now, log: d.log, config: d.planeConfig });
    } catch (e) {
      throw new TsvsError('TSVS_ERR_INTERNAL', `cannot start the ${opts.planeName} plane: ${message(e)}`, 1);
    }
    const hook = (d.plane as ExpiryAware).connExpired;
    if (typeof hook === 'function') d.expiry = hook.bind(d.plane);
    await d.syncPlane();
    try {
      await d.listen();
    } catch (e) {
      await d.plane.close(0);
      throw e;
    }
    const guard = (what: string, fn: () => void) => () => {
      try {
        fn();
      } catch (e) {
        d.log('internal-error', { in: what, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    };
    const tick = setInterval(
      guard('tick', () => d.director.tick(d.now())),
      1000,
    );
    const est = setInterval(
      guard('estimate', () => d.director.estimate(d.now())),
      2000,
    );
    tick.unref();
    est.unref();
    d.timers.push(tick, est);
    const snap = d.director.snapshot();
    d.log('started', {
      socket: opts.socket,
      state: opts.statePath ?? '-',
      plane: opts.planeName,
      services: snap.services.length,
      pid: process.pid,
    });
    return d;
  }

  // ---- files ------------------------------------------------------------------------------------

  private loadDesired(): Desired {
    const o = this.opts;
    const config = o.configFile ? loadConfig(o.configFile) : null;
    const lines: RuleLine[] = config ? [...config.rules] : [];
    if (o.rulesFile) lines.push(...ruleLines(readText(o.rulesFile, 'rules file'), o.rulesFile));
    const manages = o.rulesFile !== undefined || (config !== null && config.rules.length > 0);
    return { config, rules: manages ? buildRules(lines, systemPorts) : null, lines: lines.length };
  }

  private setPlaneConfig(c: PlaneConfig): void {
    // In place: the plane holds this object.
    this.planeConfig.fwmarks.clear();
    for (const [k, v] of c.fwmarks) this.planeConfig.fwmarks.set(k, v);
    this.planeConfig.proxyProtocol.clear();
    for (const [k, v] of c.proxyProtocol) this.planeConfig.proxyProtocol.set(k, v);
    this.planeConfig.localAddresses.splice(0, Infinity, ...c.localAddresses);
  }

  /** Bring the live director to `want` by the smallest list of commands; returns how many ran. */
  private applyDesired(want: Director, why: string): number {
    const cmds = diffRules(this.director, want);
    for (const argv of cmds) {
      const r = executeIpvsadm(this.director, argv, { now: this.now(), prog: 'tsvsadm' });
      if (r.status !== 0) this.log('rule-failed', { why, command: argv.join(' '), error: r.stderr.trim() });
      else this.log('rule', { why, command: argv.join(' ') });
    }
    return cmds.length;
  }

  private restoreState(): void {
    const path = this.opts.statePath;
    if (!path) return;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      throw new TsvsError(
        'TSVS_ERR_FILE',
        `cannot read the state file ${path} (${code ?? message(e)}); run as root, or choose --state PATH or --no-state`,
        1,
      );
    }
    let want: Director;
    try {
      want = buildRules(ruleLines(text, path), systemPorts);
    } catch (e) {
      let aside = corruptName(path, new Date());
      for (let i = 1; existsSync(aside); i++) aside = `${corruptName(path, new Date())}.${i}`;
      this.log('state-corrupt', { state: path, error: message(e), movedTo: aside });
      try {
        renameSync(path, aside);
      } catch (e2) {
        throw new TsvsError(
          'TSVS_ERR_FILE',
          `the state file ${path} is corrupt (${message(e)}) and cannot be moved aside: ${message(e2)}`,
          1,
        );
      }
      return;
    }
    this.applyDesired(want, 'state');
    this.lastSaved = text;
    this.log('state-restored', { state: path, services: this.director.snapshot().services.length });
  }

  private saveState(): void {
    const path = this.opts.statePath;
    if (!path) return;
    const text = rulesText(this.director);
    if (text === this.lastSaved) return;
    try {
      writeAtomic(path, text);
      this.lastSaved = text;
    } catch (e) {
      this.log('state-save-failed', { state: path, error: message(e) });
    }
  }

  // ---- socket -----------------------------------------------------------------------------------

  private async claimSocket(): Promise<void> {
    const path = this.opts.socket;
    let st: ReturnType<typeof lstatSync> | undefined;
    try {
      st = lstatSync(path);
    } catch {
      st = undefined;
    }
    if (!st) return;
    if (!st.isSocket())
      throw new TsvsError(
        'TSVS_ERR_USAGE',
        `${path} exists and is not a socket; remove it or choose another --socket`,
        1,
      );
    const p = await probeSocket(path);
    if (p === 'live')
      throw new TsvsError(
        'TSVS_ERR_USAGE',
        `a tsvs daemon already answers on ${path}; stop it first, or give this one another --socket (or TSVS_SOCKET)`,
        1,
      );
    if (p === 'stale') {
      unlinkSync(path);
      this.log('stale-socket-removed', { socket: path });
    }
    if (p === 'other')
      throw new TsvsError(
        'TSVS_ERR_USAGE',
        `${path} exists and cannot be checked (no permission to connect?); remove it or choose another --socket`,
        1,
      );
  }

  private listen(): Promise<void> {
    const path = this.opts.socket;
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? message(e);
      throw new TsvsError(
        'TSVS_ERR_USAGE',
        `cannot create the socket directory ${dirname(path)} (${code}); run as root or choose a --socket (or TSVS_SOCKET) you may write`,
        1,
      );
    }
    const server = createControlServer(
      {
        ipvsadm: (req) => this.ipvsadm(req),
        health: () => this.health(),
        snapshot: () => this.director.snapshot(),
      },
      (what) => this.log('control-error', { error: what }),
    );
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        this.server = null;
        reject(
          new TsvsError(
            'TSVS_ERR_USAGE',
            e.code === 'EADDRINUSE'
              ? `another tsvs daemon took ${path} while this one started; stop it first or use another --socket`
              : `cannot listen on ${path} (${e.code ?? e.message}); choose another --socket (or TSVS_SOCKET)`,
            1,
          ),
        );
      });
      // Only the owner may drive the director: create the socket with no access, then 0600.
      const old = process.umask(0o177);
      server.listen(path, () => {
        process.umask(old);
        chmodSync(path, 0o600);
        server.on('error', (e) => this.log('control-error', { error: message(e) }));
        resolve();
      });
      process.umask(old);
    });
  }

  // ---- operations ---------------------------------------------------------------------------------

  /** Run `fn` after everything queued before it (rule changes and plane syncs never interleave). */
  private serialize<T>(fn: () => Promise<T> | T): Promise<T> {
    const p = this.chain.then(fn);
    this.chain = p.catch(() => undefined);
    return p;
  }

  private async syncPlane(): Promise<void> {
    if (!this.plane) return;
    try {
      const problems = await this.plane.sync();
      for (const p of problems) this.log('plane', { plane: this.opts.planeName, problem: p });
    } catch (e) {
      this.log('plane-sync-failed', { plane: this.opts.planeName, error: message(e) });
    }
  }

  /** One ipvsadm invocation (the control API's POST /v1/ipvsadm). */
  ipvsadm(req: IpvsadmRequest): Promise<IpvsadmResponse> {
    return this.serialize(async () => {
      const opts: Parameters<typeof executeIpvsadm>[2] = {
        now: this.now(),
        prog: req.prog ?? 'tsvsadm',
        names: systemNames,
        ports: systemPorts,
      };
      if (req.stdin !== undefined) opts.stdin = req.stdin;
      const r = executeIpvsadm(this.director, req.argv, opts);
      if (r.changed) {
        this.log('rules-changed', { command: req.argv.join(' '), status: r.status });
        this.saveState();
        await this.syncPlane();
      } else if (r.status !== 0) {
        this.log('refused', { command: req.argv.join(' '), status: r.status, error: r.stderr.trim() });
      }
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    });
  }

  private health(): Record<string, unknown> {
    const snap = this.director.snapshot();
    return {
      ok: true,
      pid: process.pid,
      plane: this.opts.planeName,
      socket: this.opts.socket,
      state: this.opts.statePath,
      services: snap.services.length,
      connections: snap.connCount,
      uptimeSeconds: Math.floor((Date.now() - this.started) / 1000),
    };
  }

  /**
   * SIGHUP: re-read --config and --rules; when they are valid, apply only the difference (services
   * and reals that did not change keep their connections), save, sync the plane. A bad file is
   * logged and changes nothing. Resolves true when the files were applied.
   */
  reload(): Promise<boolean> {
    return this.serialize(async () => {
      let desired: Desired;
      try {
        desired = this.loadDesired();
      } catch (e) {
        this.log('reload-failed', { error: message(e), kept: 'the current rules' });
        return false;
      }
      if (desired.config) this.setPlaneConfig(desired.config.plane);
      const n = desired.rules ? this.applyDesired(desired.rules, 'reload') : 0;
      this.saveState();
      await this.syncPlane();
      this.log('reloaded', { changes: n });
      return true;
    });
  }

  /** SIGTERM: stop accepting (control and plane), drain the plane, remove the socket. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const t of this.timers) clearInterval(t);
      this.timers = [];
      const server = this.server;
      this.server = null;
      const closed = server
        ? new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          })
        : Promise.resolve();
      try {
        unlinkSync(this.opts.socket);
      } catch {}
      await this.chain;
      if (this.plane) {
        try {
          await this.plane.close(this.opts.drainMs ?? 5000);
        } catch (e) {
          this.log('plane-close-failed', { error: message(e) });
        }
      }
      server?.closeAllConnections();
      await closed;
      this.log('stopped', { socket: this.opts.socket });
    })();
    return this.stopping;
  }
}
