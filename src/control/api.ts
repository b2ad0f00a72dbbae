// The daemon's control API: HTTP/1.1 + JSON on a unix socket (mode 0600).
//
//   POST /v1/ipvsadm   {"argv": [...], "stdin"?: "...", "prog"?: "tsvsadm"}
//                      -> 200 {"stdout": "...", "stderr": "...", "status": N}
//                      one ipvsadm invocation against the live director (tsvsadm sends its argv)
//   GET  /v1/health    -> 200 {"ok": true, "pid": N, "plane": "proxy", "services": N, ...}
//   GET  /v1/snapshot  -> 200 the director's snapshot (services, reals, stats, rates, timeouts)
//
// Errors: 400 (bad JSON or fields), 404 (unknown path), 405 (wrong method), 413 (body over the
// limit), 500 (a handler failed): body {"error": "what went wrong"}. A request never stops the daemon.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export const DEFAULT_SOCKET = '/run/tsvs/tsvs.sock';
/** Largest request body (an `-R` of many rules fits easily). */
export const MAX_BODY = 64 * 1024 * 1024;

export interface IpvsadmRequest {
  argv: string[];
  stdin?: string;
  prog?: string;
}

export interface IpvsadmResponse {
  stdout: string;
  stderr: string;
  status: number;
}

export interface ControlHandlers {
  ipvsadm(req: IpvsadmRequest): Promise<IpvsadmResponse>;
  health(): unknown;
  snapshot(): unknown;
}

/** The socket to use: an explicit path, else $TSVS_SOCKET, else the default. */
export function resolveSocket(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.TSVS_SOCKET) return env.TSVS_SOCKET;
  return DEFAULT_SOCKET;
}

/** Check a decoded body; returns the request or a message for a 400. */
export function checkIpvsadmRequest(body: unknown): IpvsadmRequest | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return 'the body must be a JSON object';
  const b = body as Record<string, unknown>;
  if (!Array.isArray(b.argv) || !b.argv.every((a) => typeof a === 'string'))
    return "'argv' must be an array of strings";
  if (b.stdin !== undefined && typeof b.stdin !== 'string') return "'stdin' must be a string";
  if (b.prog !== undefined && (typeof b.prog !== 'string' || b.prog.length > 256))
    return "'prog' must be a short string";
  const req: IpvsadmRequest = { argv: b.argv as string[] };
  if (b.stdin !== undefined) req.stdin = b.stdin as string;
  if (b.prog !== undefined) req.prog = b.prog as string;
  return req;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * An HTTP server answering the control API with `h`. `onError` hears about handler failures
 * (each becomes a 500 for its request; the server goes on).
 */
export function createControlServer(h: ControlHandlers, onError: (what: string) => void): Server {
  const server = createServer(async (req, res) => {
    try {
      const url = (req.url ?? '/').split('?')[0];
      if (url === '/v1/ipvsadm') {
        if (req.method !== 'POST') return send(res, 405, { error: 'use POST /v1/ipvsadm' });
        const text = await readBody(req, MAX_BODY);
        if (text === null) return send(res, 413, { error: `request body over ${MAX_BODY} bytes` });
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (e) {
          return send(res, 400, { error: `bad JSON: ${(e as Error).message}` });
        }
        const r = checkIpvsadmRequest(body);
        if (typeof r === 'string') return send(res, 400, { error: r });
        return send(res, 200, await h.ipvsadm(r));
      }
      if (url === '/v1/health' || url === '/v1/snapshot') {
        if (req.method !== 'GET') return send(res, 405, { error: `use GET ${url}` });
        return send(res, 200, url === '/v1/health' ? h.health() : h.snapshot());
      }
      return send(res, 404, {
        error: `no such endpoint ${req.method} ${url} (see POST /v1/ipvsadm, GET /v1/health, GET /v1/snapshot)`,
      });
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
      if (!res.headersSent) send(res, 500, { error: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    }
  });
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return server;
}
