// Helpers for the proxy plane's tests: loopback servers that say who they are, a plane over a
// director loaded with ipvsadm rules, and clients with bounded waits. Loopback only.

import dgram from 'node:dgram';
import net from 'node:net';
import { executeIpvsadm } from '../../control/ipvsadm/execute.js';
import { Director } from '../../director/index.js';
import { emptyPlaneConfig, type PlaneConfig } from '../plane.js';
import { ProxyPlane, type ProxyTuning } from './index.js';

/** A TCP port that was free a moment ago on `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((res, rej) => {
    s.once('error', rej);
    s.listen(0, host, () => res());
  });
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** A UDP port that was free a moment ago. */
export async function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((res) => s.bind(0, host, () => res()));
  const port = s.address().port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

export interface Backend {
  name: string;
  port: number;
  /** Everything received, per connection, in accept order. */
  received: Buffer[][];
  close(): Promise<void>;
}

/**
 * A TCP server that writes `NAME\n` on accept, then echoes. With `halfClose`, it waits for the
 * client's FIN and then answers `got N bytes\n` and ends.
 */
export async function tcpBackend(
  name: string,
  opts: { host?: string; halfClose?: boolean; greet?: boolean } = {},
): Promise<Backend> {
  const received: Buffer[][] = [];
  const socks = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => {});
    const mine: Buffer[] = [];
    received.push(mine);
    if (opts.greet !== false) s.write(`${name}\n`);
    let n = 0;
    s.on('data', (c: Buffer) => {
      mine.push(c);
      n += c.length;
      if (!opts.halfClose) s.write(c);
    });
    s.on('end', () => {
      if (opts.halfClose) s.write(`got ${n} bytes\n`);
      s.end();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, host, () => res());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    name,
    port,
    received,
    close: () =>
      new Promise<void>((res) => {
        for (const s of socks) s.destroy();
        server.close(() => res());
      }),
  };
}

export interface PlaneFixture {
  director: Director;
  plane: ProxyPlane;
  clock: { t: number };
  config: PlaneConfig;
  ipvsadm(line: string): string;
  close(): Promise<void>;
}

/**
 * A director with `rules` (ipvsadm-restore text) and a plane on it, synced. The clock is
 * manual (`clock.t`, ms), so expiry is driven by the test, never by sleeping.
 */
export async function planeFixture(
  rules: string,
  config: PlaneConfig = emptyPlaneConfig(),
  tuning: Partial<ProxyTuning> = {},
): Promise<PlaneFixture & { problems: string[] }> {
  const clock = { t: 1_000_000 };
  let plane: ProxyPlane | null = null;
  const director = new Director({ onConnExpired: (id, rid) => plane?.connExpired(id, rid) });
  const r = executeIpvsadm(director, ['-R'], { now: clock.t, stdin: rules });
  if (r.status !== 0) throw new Error(`rules refused: ${r.stderr}`);
  plane = new ProxyPlane({ director, now: () => clock.t, log: () => {}, config }, tuning);
  const p = plane;
  const problems = await p.sync();
  return {
    director,
    plane: p,
    clock,
    config,
    problems,
    ipvsadm(line: string): string {
      const o = executeIpvsadm(director, line.split(' '), { now: clock.t });
      if (o.status !== 0) throw new Error(`ipvsadm ${line}: ${o.stderr}`);
      return o.stdout;
    },
    close: () => p.close(0),
  };
}

/** Connect, optionally send, read until the server ends or `until` matches; bounded by `ms`. */
export function talk(
  port: number,
  opts: {
    host?: string;
    send?: Buffer | string;
    end?: boolean;
    until?: (got: Buffer) => boolean;
    ms?: number;
  } = {},
): Promise<{ data: Buffer; ended: boolean; error: string | null; localPort: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const s = net.connect({ host: opts.host ?? '127.0.0.1', port, allowHalfOpen: true });
    let localPort = 0;
    const finish = (ended: boolean, error: string | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      s.destroy();
      resolve({ data: Buffer.concat(chunks, size), ended, error, localPort });
    };
    const timer = setTimeout(() => finish(false, 'timeout'), opts.ms ?? 3000);
    s.on('connect', () => {
      localPort = s.localPort ?? 0;
      if (opts.send !== undefined) s.write(opts.send);
      if (opts.end) s.end();
    });
    s.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (opts.until?.(Buffer.concat(chunks, size))) finish(false, null);
    });
    s.on('end', () => finish(true, null));
    s.on('error', (e: NodeJS.ErrnoException) => finish(false, e.code ?? e.message));
  });
}

/** Wait (bounded) until `cond()` holds; polls every 5 ms. */
export async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
