// Shared pieces of the director end-to-end tests: `tsvs run` and `tsvsadm` from dist/ in a temp
// directory, real servers on 127.0.0.1, clients. Everything started here is stopped in t.after.
// Traffic goes to 127.0.0.0/8 only.

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, get, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callDaemon } from '../../src/control/client.js';

export const root = join(import.meta.dirname, '..', '..');
export const TSVS = join(root, 'dist', 'cli', 'tsvs.js');
export const TSVSADM = join(root, 'dist', 'cli', 'tsvsadm.js');

interface After {
  after: (fn: () => unknown) => void;
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run a node script to completion (async: the daemon under test lives in this process's loop). */
export function runNode(
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, {
      env: opts.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    p.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.on('error', reject);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    p.stdin.end(opts.input ?? '');
  });
}

export function tempDir(t: After, prefix = 'tsvs-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface DaemonProc {
  proc: ChildProcess;
  socket: string;
  /** Everything the daemon wrote to stderr so far. */
  log: () => string;
  /** tsvsadm with this daemon's socket in TSVS_SOCKET. */
  adm: (line: string | string[], input?: string) => Promise<Run>;
  /** SIGTERM and wait for the exit status. */
  stop: () => Promise<number | null>;
  /** Wait for the exit status (no signal sent). */
  exited: () => Promise<number | null>;
  /** Wait until the log matches. */
  waitLog: (re: RegExp, ms?: number) => Promise<void>;
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Start `tsvs run --socket DIR/NAME ARGS`; resolves when the control API answers. */
export async function startDaemon(
  t: After,
  dir: string,
  args: string[] = [],
  name = 'tsvs.sock',
): Promise<DaemonProc> {
  const socket = join(dir, name);
  const proc = spawn(process.execPath, [TSVS, 'run', '--socket', socket, '--drain', '1', ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr!.setEncoding('utf8').on('data', (c: string) => (log += c));
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    proc.on('exit', (code) => {
      exited = code;
      resolve(code);
    }),
  );
  t.after(async () => {
    if (exited === undefined) {
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(killer);
    }
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited !== undefined) throw new Error(`tsvs run exited with ${exited}: ${log}`);
    try {
      const r = await callDaemon(socket, 'GET', '/v1/health', undefined, 1000);
      if (r.code === 200) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`tsvs run did not answer within 10 s: ${log}`);
    await sleep(30);
  }
  const d: DaemonProc = {
    proc,
    socket,
    log: () => log,
    adm: (line, input) =>
      runNode([TSVSADM, ...(typeof line === 'string' ? line.split(' ').filter((w) => w !== '') : line)], {
        env: { ...process.env, TSVS_SOCKET: socket },
        ...(input === undefined ? {} : { input }),
      }),
    stop: async () => {
      if (exited === undefined) proc.kill('SIGTERM');
      return exit;
    },
    exited: () => exit,
    waitLog: async (re, ms = 5000) => {
      const end = Date.now() + ms;
      while (!re.test(log)) {
        if (Date.now() > end) throw new Error(`daemon log never matched ${re}: ${log}`);
        await sleep(20);
      }
    },
  };
  return d;
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Free ports in increasing order (so that listings, sorted by port, are in name order). */
export async function freePorts(n: number): Promise<number[]> {
  const out = new Set<number>();
  while (out.size < n) out.add(await freePort());
  return [...out].sort((a, b) => a - b);
}

export interface NamedServer {
  name: string;
  port: number;
  server: Server | HttpServer;
}

/**
 * TCP real servers that speak first: on accept each writes its name and a newline, then keeps the
 * connection open until the client closes (so the connection stays ESTABLISHED).
 */
export async function namedServers(t: After, names: string[]): Promise<NamedServer[]> {
  const out: NamedServer[] = [];
  for (const name of names) {
    const sockets = new Set<Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
      s.write(`${name}\n`);
      s.resume();
      s.on('end', () => s.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    });
    out.push({ name, port: (server.address() as { port: number }).port, server });
  }
  return out;
}

/** HTTP real servers answering `body(name)` on 127.0.0.1. */
export async function httpServers(
  t: After,
  names: string[],
  handler?: (name: string, res: import('node:http').ServerResponse) => void,
): Promise<NamedServer[]> {
  const out: NamedServer[] = [];
  for (const name of names) {
    const server = createHttpServer((_req, res) => {
      if (handler) return handler(name, res);
      const body = `${name}\n`;
      res.writeHead(200, { 'content-length': body.length, connection: 'close' });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    t.after(() => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    });
    out.push({ name, port: (server.address() as { port: number }).port, server });
  }
  return out;
}

/** An open client connection and the first line the real server sent ('' if closed without). */
export interface Held {
  socket: Socket;
  line: string;
}

/** Connect to 127.0.0.1:port (from `from`, default 127.0.0.1) and read the first line. */
export function connectRead(port: number, from = '127.0.0.1', ms = 5000): Promise<Held> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress: from });
    let buf = '';
    let done = false;
    const finish = (line: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ socket, line });
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no line from 127.0.0.1:${port} within ${ms} ms`));
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => {
      buf += c;
      const i = buf.indexOf('\n');
      if (i >= 0) finish(buf.slice(0, i));
    });
    socket.on('error', () => finish(''));
    socket.on('close', () => finish(''));
  });
}

/** One HTTP GET on a new connection; the body. */
export function httpGet(port: number, path = '/'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}
