// TCP relay of the proxy plane: one accepted client socket, one socket to the real server chosen
// by director.schedule(), bytes copied both ways with backpressure and half-close (Envoy's
// tcp_proxy shape). Life-cycle events go to director.event() so -Lnc states and ActiveConn /
// InActConn are true; every relayed chunk is one traffic() "packet" for --stats and --rate.
//
// Hot path: the socket handlers are shared module functions (no closure per connection); each
// socket carries its relay in one symbol-keyed field. A chunk is written as received (no copy);
// write() === false pauses the other side until 'drain'.

import net from 'node:net';
import { DIR_INPUT, DIR_OUTPUT } from '../../director/index.js';
import { type PlaneCore, RelayBase, type RelayLike } from './core.js';
import { proxyV1, proxyV2 } from './proxy-protocol.js';

const kRelay = Symbol('tsvs.relay');
type RelaySocket = net.Socket & { [kRelay]: TcpRelay };

/** What a listener knows when it accepts: the service to look up and the virtual address. */
export interface TcpEntry {
  /** Service id now (lookupService / lookupFwmark at accept time), -1 if gone. */
  lookup(): number;
  /** Virtual address and port the client dialled (the listener's). */
  vaddr: string;
  vport: number;
  /** PROXY protocol version for this service now (0 = none). */
  proxyVersion(): 0 | 1 | 2;
}

// Relay flags.
const F_CONNECTED = 1; // the upstream socket is connected and relaying
const F_CLIENT_EOF = 2; // client sent FIN (we ended the upstream's write side)
const F_SERVER_EOF = 4; // server sent FIN (we ended the client's write side)
const F_CLIENT_CLOSED = 8;
const F_SERVER_CLOSED = 16;
const F_DONE = 32; // finished: events reported, removed from the plane

/** One proxied TCP connection. Fields are fixed at construction (one hidden class). */
export class TcpRelay extends RelayBase implements RelayLike {
  readonly client: RelaySocket;
  upstream: RelaySocket | null = null;

  constructor(
    core: PlaneCore,
    set: Set<RelayLike>,
    client: net.Socket,
    entry: TcpEntry,
    svc: number,
    caddr: string,
    cport: number,
    now: number,
  ) {
    super(core, set, entry, svc, caddr, cport, now);
    this.client = client as RelaySocket;
    this.client[kRelay] = this;
  }

  /**
   * Schedule a real server and start connecting to it. Returns false when there is none (no
   * destination, table full, all attempts used): the caller resets the client.
   */
  dispatch(now: number): boolean {
    const core = this.core;
    const e = this.entry;
    if (this.attempts >= core.tuning.maxAttempts) return false;
    const at = core.attempt(this.svc, this.caddr, this.cport, e.vaddr, e.vport, this.tried, now);
    if (at === null) return false;
    core.claim(this, at.cid);
    this.rid = at.rid;
    this.attempts++;
    this.last = now;
    const up = net.connect({
      host: at.address,
      port: at.port,
      family: at.family,
      noDelay: true,
      allowHalfOpen: true,
    }) as RelaySocket;
    up[kRelay] = this;
    this.upstream = up;
    up.on('connect', onUpConnect);
    up.on('error', onUpError);
    up.on('close', onUpClose);
    return true;
  }

  /** The real server did not answer (refused, unreachable, timeout): try another one. */
  connectFailed(now: number): void {
    const core = this.core;
    const up = this.upstream;
    if (up !== null) {
      up.removeListener('close', onUpClose);
      up.destroy();
      this.upstream = null;
    }
    if (this.tried === null) this.tried = [];
    this.tried.push(this.rid);
    const cid = this.cid;
    if (cid >= 0) {
      // The server's RST puts the entry in CLOSE; the client's next try would reuse it (the
      // kernel's conn_reuse_mode): free it so the new entry is the only one for this client.
      core.d.event(cid, 'reset', now);
      core.d.expireNow(cid, now);
      core.release(this);
    }
    if (!this.dispatch(now)) {
      this.flags |= F_SERVER_CLOSED;
      this.client.resetAndDestroy();
    }
  }

  /** Both sides are gone: final event, forget the relay. */
  finish(): void {
    if (this.flags & F_DONE) return;
    this.flags |= F_DONE;
    const core = this.core;
    if (this.cid >= 0) {
      core.d.event(this.cid, 'closed', core.now());
      core.release(this);
    }
    this.set.delete(this);
  }

  /** Idle timeout or shutdown: close both sockets now. */
  abort(): void {
    this.client.destroy();
    if (this.upstream !== null) this.upstream.destroy();
    else this.flags |= F_SERVER_CLOSED;
  }

  /** Enforce the connect deadline and the idle timeouts (tcp / tcpfin seconds). */
  sweep(now: number, tcpMs: number, finMs: number): void {
    const f = this.flags;
    if (f & F_DONE) return;
    if ((f & F_CONNECTED) === 0) {
      if (this.upstream !== null && now - this.last >= this.core.tuning.connectTimeoutMs)
        this.connectFailed(now);
      return;
    }
    const limit = f & (F_CLIENT_EOF | F_SERVER_EOF) ? finMs : tcpMs;
    if (now - this.last >= limit) this.abort();
  }
}

function onUpConnect(this: RelaySocket): void {
  const r = this[kRelay];
  const core = r.core;
  const now = core.now();
  r.flags |= F_CONNECTED;
  r.last = now;
  if (r.cid >= 0) core.d.event(r.cid, 'established', now);
  const v = r.entry.proxyVersion();
  if (v !== 0)
    this.write(
      v === 1
        ? proxyV1(r.caddr, r.cport, r.entry.vaddr, r.entry.vport)
        : proxyV2(r.caddr, r.cport, r.entry.vaddr, r.entry.vport),
    );
  this.on('data', onUpData);
  this.on('end', onUpEnd);
  this.on('drain', onUpDrain);
  const c = r.client;
  c.on('data', onClientData);
  c.on('end', onClientEnd);
  c.on('drain', onClientDrain);
  c.resume();
}

function onUpError(this: RelaySocket, _err: Error): void {
  const r = this[kRelay];
  if (r.upstream !== this) return;
  if ((r.flags & F_CONNECTED) === 0) {
    r.connectFailed(r.core.now());
    return;
  }
  // Reset by the server after connect: reset the client too ('close' follows).
  const now = r.core.now();
  if (r.cid >= 0) r.core.d.event(r.cid, 'reset', now);
  if ((r.flags & F_CLIENT_CLOSED) === 0) r.client.resetAndDestroy();
}

function onUpClose(this: RelaySocket): void {
  const r = this[kRelay];
  if (r.upstream !== this) return;
  r.flags |= F_SERVER_CLOSED;
  if ((r.flags & F_CLIENT_CLOSED) === 0) {
    // The server side is gone; unless the client has its FIN and all our bytes, end it now.
    if ((r.flags & F_SERVER_EOF) === 0) r.client.destroy();
  } else r.finish();
}

function onClientError(this: RelaySocket, _err: Error): void {
  const r = this[kRelay];
  const now = r.core.now();
  if (r.cid >= 0 && (r.flags & F_CONNECTED) !== 0) r.core.d.event(r.cid, 'reset', now);
  const up = r.upstream;
  if (up !== null && (r.flags & F_SERVER_CLOSED) === 0) {
    if (r.flags & F_CONNECTED) up.resetAndDestroy();
    else up.destroy();
  }
}

function onClientClose(this: RelaySocket): void {
  const r = this[kRelay];
  r.flags |= F_CLIENT_CLOSED;
  const up = r.upstream;
  if ((r.flags & F_SERVER_CLOSED) === 0 && up !== null) {
    if ((r.flags & F_CLIENT_EOF) === 0) up.destroy();
  } else r.finish();
}

function onClientData(this: RelaySocket, chunk: Buffer): void {
  const r = this[kRelay];
  const core = r.core;
  const now = core.now();
  r.last = now;
  if (r.cid >= 0) core.d.traffic(r.cid, DIR_INPUT, 1, chunk.length, now);
  if (!r.upstream!.write(chunk)) this.pause();
}

function onUpData(this: RelaySocket, chunk: Buffer): void {
  const r = this[kRelay];
  const core = r.core;
  const now = core.now();
  r.last = now;
  if (r.cid >= 0) core.d.traffic(r.cid, DIR_OUTPUT, 1, chunk.length, now);
  if (!r.client.write(chunk)) this.pause();
}

function onUpDrain(this: RelaySocket): void {
  this[kRelay].client.resume();
}

function onClientDrain(this: RelaySocket): void {
  const up = this[kRelay].upstream;
  if (up !== null) up.resume();
}

function onClientEnd(this: RelaySocket): void {
  const r = this[kRelay];
  r.flags |= F_CLIENT_EOF;
  const now = r.core.now();
  r.last = now;
  if (r.cid >= 0) r.core.d.event(r.cid, 'client-fin', now);
  r.upstream!.end();
}

function onUpEnd(this: RelaySocket): void {
  const r = this[kRelay];
  r.flags |= F_SERVER_EOF;
  const now = r.core.now();
  r.last = now;
  if (r.cid >= 0) r.core.d.event(r.cid, 'server-fin', now);
  r.client.end();
}

/**
 * Accept one client connection on a listener: schedule, connect, relay. Returns the relay or
 * null when the connection was refused (no service, no destination): the client gets a reset.
 */
export function acceptTcp(
  core: PlaneCore,
  set: Set<RelayLike>,
  entry: TcpEntry,
  sock: net.Socket,
): TcpRelay | null {
  const svc = entry.lookup();
  const caddr = sock.remoteAddress;
  const cport = sock.remotePort;
  if (svc < 0 || caddr === undefined || cport === undefined) {
    sock.on('error', ignore);
    sock.resetAndDestroy();
    return null;
  }
  const now = core.now();
  const r = new TcpRelay(core, set, sock, entry, svc, caddr, cport, now);
  sock.on('error', onClientError);
  sock.on('close', onClientClose);
  if (!r.dispatch(now)) {
    r.flags |= F_SERVER_CLOSED | F_DONE;
    sock.resetAndDestroy();
    return null;
  }
  set.add(r);
  return r;
}

function ignore(): void {}
