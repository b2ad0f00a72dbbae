// `tsvs run`: the director daemon in the foreground (systemd-style): logs to stderr, SIGHUP
// reloads --config/--rules, SIGTERM/SIGINT stop accepting, drain and exit 0.

import { DEFAULT_SOCKET, resolveSocket } from '../../control/api.js';
import { Daemon, type DaemonOptions } from '../../control/daemon/daemon.js';
import { createLog, type LogFormat } from '../../control/daemon/log.js';
import { isTsvsError } from '../../errors.js';
import { PLANE_NAMES, type PlaneName, planeFactory } from './planes.js';

export const DEFAULT_STATE = '/var/lib/tsvs/state';

export const RUN_USAGE = `Usage: tsvs run [options]
  Run the director daemon in the foreground; administer it with tsvsadm.
Options:
  --socket PATH        control socket (default $TSVS_SOCKET, else ${DEFAULT_SOCKET})
  --state PATH         state file, rewritten atomically on every rule change and restored at start
                       (default: next to a --socket/$TSVS_SOCKET as NAME.state, else ${DEFAULT_STATE})
  --no-state           keep no state file
  --rules FILE         ipvsadm-restore rules (ipvsadm -S format) loaded at start and on SIGHUP
  --config FILE        config file: fwmark listeners, proxy-protocol, rule lines (see README)
  --plane proxy|packet data plane (default proxy: no privileges; packet: CAP_NET_ADMIN)
  --log-format text|json
  --drain SECONDS      on SIGTERM, how long open connections may finish (default 2)
  --conn-capacity N    connection table entries (default 131072)
  -h, --help
Signals: SIGHUP re-reads --config/--rules and applies the difference; SIGTERM/SIGINT stop.
`;

class UsageError extends Error {}

interface RunArgs {
  socket: string;
  state: string | null;
  rules?: string;
  config?: string;
  plane: PlaneName;
  logFormat: LogFormat;
  drainMs: number;
  connCapacity?: number;
  help: boolean;
}

/** State file default: beside an explicit socket (x.sock -> x.state), else the system path. */
export function defaultState(socket: string, explicit: boolean): string {
  if (!explicit) return DEFAULT_STATE;
  return `${socket.replace(/\.sock$/, '')}.state`;
}

export function parseRunArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): RunArgs {
  let socket: string | undefined;
  let state: string | null | undefined;
  let rules: string | undefined;
  let config: string | undefined;
  let plane: PlaneName = 'proxy';
  let logFormat: LogFormat = 'text';
  let drainMs = 2000;
  let connCapacity: number | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let inline: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      inline = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`option ${a} needs a value`);
      return v;
    };
    switch (a) {
      case '-h':
      case '--help':
        help = true;
        break;
      case '--socket':
        socket = value();
        break;
      case '--state':
        state = value();
        break;
      case '--no-state':
        state = null;
        break;
      case '--rules':
        rules = value();
        break;
      case '--config':
        config = value();
        break;
      case '--plane': {
        const v = value();
        if (!PLANE_NAMES.includes(v as PlaneName))
          throw new UsageError(`unknown plane '${v}' (proxy or packet)`);
        plane = v as PlaneName;
        break;
      }
      case '--log-format': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`unknown log format '${v}' (text or json)`);
        logFormat = v;
        break;
      }
      case '--drain': {
        const v = value();
        if (!/^\d+(\.\d+)?$/.test(v)) throw new UsageError(`--drain takes seconds, got '${v}'`);
        drainMs = Math.round(Number(v) * 1000);
        break;
      }
      case '--conn-capacity': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 16 || Number(v) > 1 << 26)
          throw new UsageError(`--conn-capacity takes a count 16..67108864, got '${v}'`);
        connCapacity = Number(v);
        break;
      }
      default:
        throw new UsageError(a.startsWith('-') ? `unknown option '${a}'` : `unexpected argument '${a}'`);
    }
  }
  const explicit = socket !== undefined || !!env.TSVS_SOCKET;
  const sock = resolveSocket(socket, env);
  const out: RunArgs = {
    socket: sock,
    state: state === undefined ? defaultState(sock, explicit) : state,
    plane,
    logFormat,
    drainMs,
    help,
  };
  if (rules !== undefined) out.rules = rules;
  if (config !== undefined) out.config = config;
  if (connCapacity !== undefined) out.connCapacity = connCapacity;
  return out;
}

export async function runMain(argv: readonly string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`tsvs run: ${e.message}\n${RUN_USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  const log = createLog(args.logFormat, (line) => process.stderr.write(line));
  let daemon: Daemon;
  try {
    const opts: DaemonOptions = {
      socket: args.socket,
      statePath: args.state,
      plane: await planeFactory(args.plane),
      planeName: args.plane,
      log,
      drainMs: args.drainMs,
    };
    if (args.rules !== undefined) opts.rulesFile = args.rules;
    if (args.config !== undefined) opts.configFile = args.config;
    if (args.connCapacity !== undefined) opts.connCapacity = args.connCapacity;
    daemon = await Daemon.start(opts);
  } catch (e) {
    if (!isTsvsError(e)) throw e;
    process.stderr.write(`tsvs run: ${e.message}\n`);
    return e.exitStatus;
  }
  // A bug somewhere below must not take the director down with all its connections: log it (with
  // its stack: it is a bug report, not a user error) and keep serving.
  const internal = (e: unknown) =>
    log('internal-error', { error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  process.on('uncaughtException', internal);
  process.on('unhandledRejection', internal);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) {
        log('exit-now', { signal: sig });
        process.exit(1);
      }
      stopping = true;
      log('signal', { signal: sig, action: 'stop' });
      void daemon.stop().then(() => resolve(0));
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', () => {
      log('signal', { signal: 'SIGHUP', action: 'reload' });
      void daemon.reload();
    });
  });
}
