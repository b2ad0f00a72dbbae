// State the proxy plane's relays share: the director, the clock, tuning, and the table that maps a
// director connection id to the relay or UDP session that owns it (ids are reused after expiry).

import {
  CONN_DROPPED,
  CONN_INVALID,
  CONN_ONE_PACKET,
  type Director,
  type Family,
} from '../../director/index.js';
import type { PlaneConfig, PlaneLog } from '../plane.js';
import type { TcpEntry } from './tcp-relay.js';

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

/** Where one connect attempt goes: the real, its new connection entry and the address to dial. */
export interface Attempt {
  rid: number;
  cid: number;
  address: string;
  port: number;
  family: Family;
}

/** What a TCP relay of either engine keeps about its client connection and its attempts. */
export abstract class RelayBase implements ConnOwner {
  cid = -1;
  flags = 0;
  svc: number;
  rid = -1;
  /** Last activity (plane clock, ms): idle timeouts and connect deadlines are measured from it. */
  last: number;
  attempts = 0;
  /** Reals that refused or timed out for this client connection (tried at most once each). */
  tried: number[] | null = null;
  readonly caddr: string;
  readonly cport: number;
  readonly entry: TcpEntry;
  readonly core: PlaneCore;
  readonly set: Set<RelayLike>;

  constructor(
    core: PlaneCore,
    set: Set<RelayLike>,
    entry: TcpEntry,
    svc: number,
    caddr: string,
    cport: number,
    now: number,
  ) {
    this.core = core;
    this.set = set;
    this.entry = entry;
    this.svc = svc;
    this.caddr = caddr;
    this.cport = cport;
    this.last = now;
  }
}

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

  /**
   * One connect attempt of a TCP relay (both engines): schedule() a real, skipping the ones that
   * already failed for this client (a few more schedule() calls, bounded, let rr/wrr/lc move on;
   * persistence keeps returning the same one, and then we give up), and make its connection entry
   * (counted as connecting). Null when there is none: no destination, table full, only failed reals.
   */
  attempt(
    svc: number,
    caddr: string,
    cport: number,
    vaddr: string,
    vport: number,
    tried: readonly number[] | null,
    now: number,
  ): Attempt | null {
    const d = this.d;
    let rid = d.schedule(svc, caddr, cport, now, vaddr, vport);
    if (tried !== null) {
      for (let i = 0; rid >= 0 && tried.includes(rid) && i < 2 * this.tuning.maxAttempts + 4; i++)
        rid = d.schedule(svc, caddr, cport, now, vaddr, vport);
      if (rid >= 0 && tried.includes(rid)) return null;
    }
    if (rid < 0) return null;
    const info = d.realInfo(rid);
    if (info === null) return null;
    const cid = d.connect(svc, rid, caddr, cport, vaddr, vport, now, { seesReplies: true, protocol: 'TCP' });
    if (cid === CONN_DROPPED || cid === CONN_INVALID || cid === CONN_ONE_PACKET) return null;
    d.event(cid, 'connecting', now);
    // A real without a port (port 0) keeps the virtual port.
    return {
      rid,
      cid,
      address: info.address,
      port: info.port === 0 ? vport : info.port,
      family: info.family,
    };
  }
}

/** `[addr]:port` for IPv6, `addr:port` otherwise, as ipvsadm -Ln writes them. */
export function hostPort(address: string, port: number): string {
  return address.indexOf(':') >= 0 ? `[${address}]:${port}` : `${address}:${port}`;
}
