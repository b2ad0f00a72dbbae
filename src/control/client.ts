// Client side of the control API (api.ts): one HTTP request over the daemon's unix socket, and a
// probe that tells a live daemon from a stale socket file.

import { request } from 'node:http';
import { connect } from 'node:net';
import { TsvsError } from '../errors.js';
import type { IpvsadmRequest, IpvsadmResponse } from './api.js';

/** No daemon answers on `socket`; `reason` is the connect error code (ENOENT, ECONNREFUSED...). */
export class DaemonUnreachable extends TsvsError {
  readonly socket: string;
  readonly reason: string;
  constructor(socket: string, reason: string) {
    super('TSVS_ERR_CONTROL', `no tsvs daemon answers on ${socket} (connect ${reason})`, 2);
    this.socket = socket;
    this.reason = reason;
  }
}

export interface ApiReply {
  code: number;
  body: unknown;
}

/** One request to the control API; rejects with DaemonUnreachable when nothing listens. */
export function callDaemon(
  socket: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let connected = false;
    const req = request(
      {
        socketPath: socket,
        agent: false, // one connection per call: a kept-alive one may belong to a daemon since gone
        method,
        path,
        headers: payload
          ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
          : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ code: res.statusCode ?? 0, body: JSON.parse(text) });
          } catch {
            reject(
              new TsvsError('TSVS_ERR_CONTROL', `the daemon on ${socket} sent a reply that is not JSON`, 2),
            );
          }
        });
        res.on('error', (e) =>
          reject(new TsvsError('TSVS_ERR_CONTROL', `reading the reply from ${socket}: ${e.message}`, 2)),
        );
      },
    );
    req.on('socket', (s) => s.on('connect', () => (connected = true)));
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no reply within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => {
      if (!connected) reject(new DaemonUnreachable(socket, e.code ?? e.message));
      else
        reject(
          new TsvsError('TSVS_ERR_CONTROL', `the daemon on ${socket} failed to answer: ${e.message}`, 2),
        );
    });
    req.end(payload);
  });
}

/** Run one ipvsadm invocation in the daemon. */
export async function remoteIpvsadm(socket: string, req: IpvsadmRequest): Promise<IpvsadmResponse> {
  const r = await callDaemon(socket, 'POST', '/v1/ipvsadm', req);
  const b = r.body as Partial<IpvsadmResponse> & { error?: string };
  if (r.code !== 200 || typeof b.status !== 'number')
    throw new TsvsError(
      'TSVS_ERR_CONTROL',
      `the daemon on ${socket} refused the request: ${b.error ?? `HTTP ${r.code}`}`,
      2,
    );
  return { stdout: b.stdout ?? '', stderr: b.stderr ?? '', status: b.status };
}

/**
 * What is at `socket`: 'live' (something accepts connections), 'stale' (a socket file nobody
 * listens on), 'absent' (no file), or 'other' (a file that is not a socket, or no permission).
 */
export function probeSocket(socket: string): Promise<'live' | 'stale' | 'absent' | 'other'> {
  return new Promise((resolve) => {
    const s = connect({ path: socket });
    const timer = setTimeout(() => {
      s.destroy();
      resolve('live'); // accepted but slow: someone is there
    }, 2000);
    s.on('connect', () => {
      clearTimeout(timer);
      s.destroy();
      resolve('live');
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT') resolve('absent');
      else if (e.code === 'ECONNREFUSED') resolve('stale');
      else resolve('other');
    });
  });
}
