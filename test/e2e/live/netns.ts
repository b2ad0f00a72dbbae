// Two network namespaces joined by a veth pair, for the live-capture e2e tests (always cleaned up).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadNative } from '../../../src/io/native.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url));
export const PEER = fileURLToPath(new URL('./udp-peer.mjs', import.meta.url));
export const RAW_SEND = fileURLToPath(new URL('./raw-send.ts', import.meta.url));
export const SESSION = fileURLToPath(new URL('./session.ts', import.meta.url));

function run(cmd: string, args: string[], allowFail = false): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
  if (!allowFail && r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
  }
  return r.stdout ?? '';
}

/** Why the namespace tests cannot run here, or undefined if they can. */
export function netnsSkipReason(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'needs root (CAP_NET_ADMIN, CAP_NET_RAW) to build namespaces';
  const native = loadNative();
  if (!native.ok) return `live capture unavailable: ${native.reason}`;
  const probe = `tsvs-probe-${process.pid}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (r.error || r.status !== 0)
    return `no network namespace support (${r.error?.message ?? r.stderr.trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  return undefined;
}

export interface Side {
  ns: string;
  veth: string;
  addr: string;
  mac: string;
  ifindex: number;
}

/** ns A and ns B, veth A <-> veth B, 10.251.N.1 and .2, IPv6 off and static ARP so only test traffic flows. */
export class VethPair {
  readonly a: Side;
  readonly b: Side;
  private created: string[] = [];

  constructor(tag: string) {
    const id = process.pid % 10000;
    const net = (process.pid % 200) + 20;
    this.a = {
      ns: `tsvs-${tag}a-${process.pid}`,
      veth: `t${tag}${id}a`,
      addr: `10.251.${net}.1`,
      mac: '',
      ifindex: 0,
    };
    this.b = {
      ns: `tsvs-${tag}b-${process.pid}`,
      veth: `t${tag}${id}b`,
      addr: `10.251.${net}.2`,
      mac: '',
      ifindex: 0,
    };
  }

  exec(side: Side, args: string[], allowFail = false): string {
    return run('ip', ['netns', 'exec', side.ns, ...args], allowFail);
  }

  setUp(): void {
    for (const s of [this.a, this.b]) {
      run('ip', ['netns', 'add', s.ns]);
      this.created.push(s.ns);
      for (const k of ['all', 'default'])
        this.exec(s, ['sysctl', '-qw', `net.ipv6.conf.${k}.disable_ipv6=1`]);
      this.exec(s, ['ip', 'link', 'set', 'lo', 'up']);
    }
    run('ip', [
      'link',
      'add',
      this.a.veth,
      'netns',
      this.a.ns,
      'type',
      'veth',
      'peer',
      'name',
      this.b.veth,
      'netns',
      this.b.ns,
    ]);
    for (const s of [this.a, this.b]) {
      this.exec(s, ['ip', 'addr', 'add', `${s.addr}/24`, 'dev', s.veth]);
      this.exec(s, ['ip', 'link', 'set', s.veth, 'up']);
      s.mac = this.exec(s, ['cat', `/sys/class/net/${s.veth}/address`]).trim();
      s.ifindex = Number(this.exec(s, ['cat', `/sys/class/net/${s.veth}/ifindex`]).trim());
    }
    this.neigh(this.a, this.b.addr, this.b.mac, this.a.veth);
    this.neigh(this.b, this.a.addr, this.a.mac, this.b.veth);
  }

  /** A permanent neighbour entry, so no ARP crosses the link. */
  neigh(side: Side, addr: string, mac: string, dev: string): void {
    this.exec(side, ['ip', 'neigh', 'replace', addr, 'lladdr', mac, 'nud', 'permanent', 'dev', dev]);
  }

  tearDown(): void {
    for (const ns of this.created.reverse()) run('ip', ['netns', 'del', ns], true);
    this.created = [];
  }
}

function waitLine(
  p: ChildProcess,
  pred: (line: string) => boolean,
  ms: number,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let acc = '';
    let errAcc = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${ms} ms waiting for output; stderr: ${errAcc}`));
    }, ms);
    const onData = (d: Buffer) => {
      acc += d.toString();
      let nl = acc.indexOf('\n');
      while (nl >= 0) {
        const line = acc.slice(0, nl);
        acc = acc.slice(nl + 1);
        if (pred(line)) {
          cleanup();
          resolve(line);
          return;
        }
        nl = acc.indexOf('\n');
      }
    };
    const onErr = (d: Buffer) => {
      errAcc += d.toString();
      if (stream === 'stderr') onData(d);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`process exited (${code}) before the expected output; stderr: ${errAcc}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      p.stdout?.off('data', onData);
      p.stderr?.off('data', onErr);
      p.off('exit', onExit);
    };
    if (stream === 'stdout') p.stdout?.on('data', onData);
    p.stderr?.on('data', onErr);
    p.on('exit', onExit);
  });
}

export interface DriverResult {
  packets: { hex: string; caplen: number; len: number; ts: number }[];
  stats: { captured?: number; received: number; dropped: number };
  filterIn: string;
  linktype: number;
  error?: string;
  code?: string;
}

export interface DriverReady {
  ready?: boolean;
  flags?: number;
  linktype?: number;
  error?: string;
  code?: string;
}

/** A capture driver running in a namespace (or in the current one when ns is undefined). */
export class Driver {
  private proc: ChildProcess;
  private lines: string[] = [];
  private exited: Promise<void>;

  constructor(ns: string | undefined, opts: object, env?: NodeJS.ProcessEnv, asUser?: number) {
    const node = [process.execPath, '--import', 'tsx', DRIVER, JSON.stringify(opts)];
    let cmd = ns ? ['ip', 'netns', 'exec', ns, ...node] : node;
    if (asUser !== undefined) {
      cmd = ['setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', ...cmd];
    }
    this.proc = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
    this.proc.stdout?.on('data', (d: Buffer) => {
      this.lines.push(
        ...d
          .toString()
          .split('\n')
          .filter((l) => l.length > 0),
      );
    });
    this.exited = new Promise((resolve) => this.proc.on('exit', () => resolve()));
  }

  async ready(): Promise<DriverReady> {
    const line = await waitLine(this.proc, (l) => l.startsWith('{'), 15000);
    return JSON.parse(line) as DriverReady;
  }

  /** Stops the capture (SIGTERM, like Ctrl-C) and returns its result. */
  async finish(afterMs = 400): Promise<DriverResult> {
    await new Promise((r) => setTimeout(r, afterMs));
    this.proc.kill('SIGTERM');
    const bound = setTimeout(() => this.proc.kill('SIGKILL'), 10000);
    await this.exited;
    clearTimeout(bound);
    const last = this.lines.filter((l) => l.startsWith('{')).pop();
    if (!last) throw new Error('capture driver printed no result');
    return JSON.parse(last) as DriverResult;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

/** Runs `count` UDP datagrams "TAG i" of `size` bytes from one side to the other (receiver first). */
export async function udpTraffic(
  pair: VethPair,
  from: Side,
  to: Side,
  count: number,
  tag: string,
  size: number,
): Promise<void> {
  const recv = spawn('ip', [
    'netns',
    'exec',
    to.ns,
    process.execPath,
    PEER,
    'recv',
    '9000',
    String(count),
    '3000',
  ]);
  try {
    await waitLine(recv, (l) => l === 'LISTENING', 10000);
    const r = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        from.ns,
        process.execPath,
        PEER,
        'send',
        to.addr,
        '9000',
        String(count),
        tag,
        String(size),
        '9000',
      ],
      { timeout: 10000, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`udp sender failed: ${r.stderr}`);
  } finally {
    await new Promise<void>((resolve) => {
      if (recv.exitCode !== null) resolve();
      else {
        const t = setTimeout(() => recv.kill('SIGKILL'), 4000);
        recv.on('exit', () => {
          clearTimeout(t);
          resolve();
        });
      }
    });
  }
  void pair;
}

/** The payload udp-peer.mjs sends for datagram i. */
export function payloadOf(tag: string, i: number, size: number): Buffer {
  const p = Buffer.alloc(size, '.');
  p.write(`${tag} ${i}`);
  return p;
}

function ipChecksum(b: Buffer, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i < len; i += 2) sum += b.readUInt16BE(off + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An Ethernet frame (802.1Q-tagged when vlan is given) carrying IPv4/UDP 9000 -> 9000 with payload. */
export function udpFrame(from: Side, to: Side, vlan: number | undefined, payload: Buffer): Buffer {
  const tag = vlan === undefined ? 0 : 4;
  const f = Buffer.alloc(14 + tag + 28 + payload.length);
  Buffer.from(to.mac.replaceAll(':', ''), 'hex').copy(f, 0);
  Buffer.from(from.mac.replaceAll(':', ''), 'hex').copy(f, 6);
  if (vlan !== undefined) {
    f.writeUInt16BE(0x8100, 12);
    f.writeUInt16BE(vlan, 14);
  }
  f.writeUInt16BE(0x0800, 12 + tag);
  const ip = 14 + tag;
  f[ip] = 0x45;
  f.writeUInt16BE(28 + payload.length, ip + 2);
  f[ip + 8] = 64;
  f[ip + 9] = 17;
  Buffer.from(from.addr.split('.').map(Number)).copy(f, ip + 12);
  Buffer.from(to.addr.split('.').map(Number)).copy(f, ip + 16);
  f.writeUInt16BE(ipChecksum(f, ip, 20), ip + 10);
  f.writeUInt16BE(9000, ip + 20);
  f.writeUInt16BE(9000, ip + 22);
  f.writeUInt16BE(8 + payload.length, ip + 24);
  payload.copy(f, ip + 28);
  return f;
}

export interface SessionResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** tsdump's runLive() in a namespace: resolves once listening; end() stops it (SIGINT unless it ends by itself). */
export async function startSession(
  ns: string,
  opts: object,
): Promise<{ end: (signal?: boolean) => Promise<SessionResult> }> {
  const p = spawn(
    'ip',
    ['netns', 'exec', ns, process.execPath, '--import', 'tsx', SESSION, JSON.stringify(opts)],
    { cwd: ROOT },
  );
  let out = '';
  p.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => p.on('exit', () => resolve()));
  await waitLine(p, (l) => l === 'READY', 15000, 'stderr');
  return {
    end: async (signal = true) => {
      await new Promise((r) => setTimeout(r, 400));
      if (signal && p.exitCode === null) p.kill('SIGINT');
      const bound = setTimeout(() => p.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(bound);
      const line = out.trim().split('\n').pop() ?? '';
      return JSON.parse(line) as SessionResult;
    },
  };
}
