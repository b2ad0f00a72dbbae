// State the proxy plane's relays share: the director, the clock, tuning, and the table that maps a
// director connection id to the relay or UDP session that owns it (ids are reused after expiry).

import type { Director } from '../../director/index.js';
import type { PlaneConfig, PlaneLog } from '../plane.js';

/** Tunables of the proxy plane (defaults in DEFAULT_TUNING). */
export interface ProxyTuning {
  /** TCP connect timeout towards a real server, ms (haproxy's `timeout connect`). */
  connectTimeoutMs: number;
  /** Real servers tried for one client connection before giving up (first try included). */
  maxAttempts: number;
  /** listen() backlog. */
  backlog: number;
  /** Period of the sweep that enforces connect deadlines and idle timeouts, ms. */
  sweepMs: number;
  /**
   * TCP relay engine: 'raw' = libuv handles (fast; Node internals, checked at start), 'net' =
   * net.Socket streams. 'raw' falls back to 'net' when the internals are not there.
   */
  engine: 'raw' | 'net';
}

export const DEFAULT_TUNING: ProxyTuning = {
  connectTimeoutMs: 5000,
  maxAttempts: 3,
  backlog: 4096,
  sweepMs: 1000,
  engine: 'raw',
};

/** A TCP relay of either engine, as the plane's sweep and shutdown see it. */
export interface RelayLike {
  /** Enforce the connect deadline and idle timeouts (ms). */
  sweep(now: number, tcpMs: number, finMs: number): void;
  /** Close both sides now. */
  abort(): void;
}

/** Something that owns a director connection id (a TCP relay or a UDP session). */
export interface ConnOwner {
  /** Director connection id, or -1 once the entry is gone (expired, reused, never made). */
  cid: number;
}

export class PlaneCore {
  readonly d: Director;
  readonly now: () => number;
  readonly log: PlaneLog;
  readonly config: PlaneConfig;
  readonly tuning: ProxyTuning;
  /**
   * Connection id -> its owner. Invariant: owners[c] = o implies o.cid = c. An id the director
   * freed and handed out again is claimed by the new owner; the old one is detached (cid = -1) and
   * keeps relaying without counting (the kernel would have made a new entry).
   */
  private readonly owners: (ConnOwner | undefined)[] = [];

  constructor(d: Director, now: () => number, log: PlaneLog, config: PlaneConfig, tuning: ProxyTuning) {
    this.d = d;
    this.now = now;
    this.log = log;
    this.config = config;
    this.tuning = tuning;
  }

  /** Record that `o` owns the fresh connection id `cid` (>= 0). */
  claim(o: ConnOwner, cid: number): void {
    const old = this.owners[cid];
    if (old !== undefined && old !== o) old.cid = -1;
    o.cid = cid;
    this.owners[cid] = o;
  }

  /** `o` is done with its id (it stays in the director's table until its timer ends). */
  release(o: ConnOwner): void {
    const c = o.cid;
    if (c >= 0 && this.owners[c] === o) this.owners[c] = undefined;
    o.cid = -1;
  }

  /** The director freed `cid` (its onConnExpired hook): detach the owner. */
  expired(cid: number): void {
    const o = this.owners[cid];
    if (o !== undefined) {
      o.cid = -1;
      this.owners[cid] = undefined;
    }
  }
}

/** `[addr]:port` for IPv6, `addr:port` otherwise, as ipvsadm -Ln writes them. */
export function hostPort(address: string, port: number): string {
  return address.indexOf(':') >= 0 ? `[${address}]:${port}` : `${address}:${port}`;
}
