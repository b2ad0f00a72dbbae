// The fast TCP relay engine: the same life cycle as tcp-relay.ts, on Node's libuv TCP handles
// (process.binding('tcp_wrap')) instead of net.Socket streams. A net.Socket costs two stream
// state machines, an event emitter and several closures per connection; here a connection is
// one TcpRawRelay object and two handles, reads arrive in one shared onread function, and a
// write is one WriteWrap. Backpressure is the kernel's: when a write cannot complete at once
// (the destination's send buffer is full) the source stops reading until the write completes.
// Half-close: EOF on one side = shutdown() of the other's write side after its queued writes.
//
// These bindings are Node internals (stable since Node 12, used here for Node >= 20). loadRaw()
// checks them once; when anything is missing the plane uses the net.Socket engine.

import type net from 'node:net';
import { DIR_INPUT, DIR_OUTPUT } from '../../director/index.js';
import { type PlaneCore, RelayBase, type RelayLike } from './core.js';
import { proxyV1, proxyV2 } from './proxy-protocol.js';
import type { TcpEntry } from './tcp-relay.js';

/** libuv's end-of-stream status (UV_EOF), the same on every platform. */
const UV_EOF = -4095;

// ---- the internal handle API, typed as far as this file uses it ------------------------------
interface TcpHandle {
  onread: (this: TcpHandle, ab: ArrayBuffer | undefined) => void;
  onconnection: (err: number, h: TcpHandle | undefined) => void;
  readStart(): number;
  readStop(): number;
  writeBuffer(req: WriteReq, buf: Buffer): number;
  shutdown(req: ShutdownReq): number;
  close(cb?: () => void): void;
  reset(cb?: () => void): number;
  connect(req: ConnectReq, address: string, port: number): number;
  connect6(req: ConnectReq, address: string, port: number): number;
  getpeername(out: { address?: string; port?: number; family?: string }): number;
  setNoDelay(on: boolean): number;
  useUserBuffer(buf: Buffer): void;
  [kRelay]: TcpRawRelay;
  /** The handle's own read buffer once upgraded (see UPGRADE_BYTES), else undefined. */
  [kBuf]: Buffer | undefined;
  /** 0 = client, 1 = server side of its relay. */
  [kSide]: number;
}
interface WriteReq {
  handle: TcpHandle;
  oncomplete: (this: WriteReq, status: number) => void;
  async: boolean;
  bytes: number;
  buffer: Buffer | null;
  relay: TcpRawRelay | null;
  side: number;
  /** The read buffer `buffer` is a view of, recycled when the write completes. */
  own: Buffer | null;
}
interface ShutdownReq {
  handle: TcpHandle;
  oncomplete: (this: ShutdownReq, status: number) => void;
  relay: TcpRawRelay | null;
  side: number;
}
interface ConnectReq {
  oncomplete: (this: ConnectReq, status: number, h: TcpHandle) => void;
  relay: TcpRawRelay | null;
  address: string;
  port: number;
}
interface RawBinding {
  TCP: new (type: number) => TcpHandle;
  TCPConnectWrap: new () => ConnectReq;
  SOCKET: number;
  WriteWrap: new () => WriteReq;
  ShutdownWrap: new () => ShutdownReq;
  state: Int32Array;
  kRead: number;
  kOffset: number;
  kAsync: number;
}

const kRelay = Symbol('tsvs.raw-relay');
const kSide = Symbol('tsvs.raw-side');
const kBuf = Symbol('tsvs.raw-buf');

/**
 * Read buffers. A handle starts with Node's allocation per read (a fresh 64 KiB area each time,
 * then shrunk: ~2 us of allocation per read, but free of memory while idle, and a short
 * connection reads only once or twice per side). After UPGRADE_READS reads on one side (a busy
 * keep-alive connection or a transfer) the handle reads into a buffer of its own
 * (useUserBuffer): no allocation per read. It starts at 4 KiB (a request or a small response;
 * an idle keep-alive connection then holds 8 KiB); a read that fills the buffer moves the handle
 * one size up (16 KiB, haproxy's buffer size, then 128 KiB for bulk: about twice the bytes per
 * CPU-second of Node's allocation). A chunk written at once leaves the buffer free for the next
 * read; a write that has to wait keeps its buffer, and onread hands libuv another one (a Buffer
 * returned from onread becomes the next read buffer). Buffers go back to their pool when their
 * write completes or their handle closes; each pool keeps at most POOL_MAX.
 * 128 KiB: loopback returns more than 64 KiB per read when segments queue up; on bulk transfers
 * 64 KiB gave ~17 Gbit/s per CPU-second, 128 KiB ~20, 256 KiB ~21 (twice the memory).
 * Upgrading after 8 reads instead of after 256 KiB cut the daemon's user CPU per keep-alive
 * request from ~11 to ~8.5 us (1 KiB responses through wrk, user time from /proc).
 */
const SIZES = [4 * 1024, 16 * 1024, 128 * 1024] as const;
const UPGRADE_READS = 8;
const POOL_MAX = 128;
const pools: Buffer[][] = [[], [], []];
let upgradeReads = UPGRADE_READS;

/** Tests: upgrade after `n` reads on a side (0 = at once) to exercise the user-buffer path. */
export function setUpgradeReads(n: number): void {
  upgradeReads = n;
}

/** A buffer of SIZES[tier]. */
function takeBuf(tier: number): Buffer {
  return pools[tier]!.pop() ?? Buffer.allocUnsafeSlow(SIZES[tier]!);
}

/** The tier of a buffer from takeBuf. */
function tierOf(b: Buffer): number {
  return b.length === SIZES[0] ? 0 : b.length === SIZES[1] ? 1 : 2;
}

function giveBuf(b: Buffer): void {
  const p = pools[tierOf(b)]!;
  if (p.length < POOL_MAX) p.push(b);
}

let raw: RawBinding | null | undefined;

/** The internal bindings, or null when this Node does not have them in the expected shape. */
export function loadRaw(): RawBinding | null {
  if (raw !== undefined) return raw;
  raw = null;
  try {
    const pb = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tw = pb('tcp_wrap') as {
      TCP?: RawBinding['TCP'];
      TCPConnectWrap?: RawBinding['TCPConnectWrap'];
      constants?: { SOCKET?: number };
    };
    const sw = pb('stream_wrap') as {
      WriteWrap?: RawBinding['WriteWrap'];
      ShutdownWrap?: RawBinding['ShutdownWrap'];
      streamBaseState?: Int32Array;
      kReadBytesOrError?: number;
      kArrayBufferOffset?: number;
      kLastWriteWasAsync?: number;
    };
    if (
      typeof tw.TCP === 'function' &&
      typeof tw.TCPConnectWrap === 'function' &&
      typeof tw.constants?.SOCKET === 'number' &&
      typeof sw.WriteWrap === 'function' &&
      typeof sw.ShutdownWrap === 'function' &&
      sw.streamBaseState instanceof Int32Array &&
      typeof sw.kReadBytesOrError === 'number' &&
      typeof sw.kArrayBufferOffset === 'number' &&
      typeof sw.kLastWriteWasAsync === 'number'
    ) {
      const proto = tw.TCP.prototype as Partial<TcpHandle>;
      for (const m of [
        'readStart',
        'readStop',
        'writeBuffer',
        'shutdown',
        'close',
        'reset',
        'connect',
        'connect6',
      ])
        if (typeof (proto as Record<string, unknown>)[m] !== 'function') return null;
      raw = {
        TCP: tw.TCP,
        TCPConnectWrap: tw.TCPConnectWrap,
        SOCKET: tw.constants.SOCKET,
        WriteWrap: sw.WriteWrap,
        ShutdownWrap: sw.ShutdownWrap,
        state: sw.streamBaseState,
        kRead: sw.kReadBytesOrError,
        kOffset: sw.kArrayBufferOffset,
        kAsync: sw.kLastWriteWasAsync,
      };
    }
  } catch {
    raw = null;
  }
  return raw;
}

// Per-side flags (index 0 = client, 1 = server), packed as side bits in TcpRawRelay.flags.
const S_EOF = 1; // read EOF (the peer sent FIN)
const S_SHUT = 2; // our write side is shut down (FIN sent after queued writes)
const S_SHUTTING = 4; // shutdown() issued, not yet complete
const S_CLOSED = 8; // handle closed (or closing)
const S_PAUSED = 16; // reading stopped for backpressure
const SIDE_SHIFT = 8; // server side flags = S_* << 8

/**
 * Backpressure: bytes that may wait in libuv towards one side (beyond the kernel's socket buffer)
 * before the other side stops being read, and the level at which reading resumes. One 64 KiB read
 * in flight keeps bulk transfers streaming; more only costs memory per slow client.
 */
const HIGH_WATER = 64 * 1024;
const LOW_WATER = 16 * 1024;

const F_CONNECTED = 1 << 16;
const F_DONE = 1 << 17;
const F_RESET = 1 << 18; // event 'reset' reported

function sideBit(side: number, f: number): number {
  return side === 0 ? f : f << SIDE_SHIFT;
}

/** One proxied TCP connection on raw handles. Fields fixed at construction. */
export class TcpRawRelay extends RelayBase implements RelayLike {
  /** Bytes of writes still queued (in libuv) towards the client (0) and the server (1). */
  pend0 = 0;
  pend1 = 0;
  /** Reads from the client (0) and the server (1) while on Node's allocation. */
  rd0 = 0;
  rd1 = 0;
  readonly c: TcpHandle;
  s: TcpHandle | null = null;
  readonly rb: RawBinding;

  constructor(
    rb: RawBinding,
    core: PlaneCore,
    set: Set<RelayLike>,
    c: TcpHandle,
    entry: TcpEntry,
    svc: number,
    caddr: string,
    cport: number,
    now: number,
  ) {
    super(core, set, entry, svc, caddr, cport, now);
    this.rb = rb;
    this.c = c;
    c[kRelay] = this;
    c[kSide] = 0;
  }

  /** Schedule a real and start connecting; false when there is none (the caller resets). */
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
    const rb = this.rb;
    const s = new rb.TCP(rb.SOCKET);
    s[kRelay] = this;
    s[kSide] = 1;
    s.onread = onRead;
    this.s = s;
    const req = new rb.TCPConnectWrap();
    req.oncomplete = onConnect;
    req.relay = this;
    req.address = at.address;
    req.port = at.port;
    const err = at.family === 6 ? s.connect6(req, at.address, at.port) : s.connect(req, at.address, at.port);
    // Reading is armed with the connect: one epoll registration for both (libuv reports the
    // connect first, and nothing is read before it completes).
    if (err === 0) s.readStart();
    else {
      // Synchronous failure (e.g. no route): count it as a refused connect.
      queueMicrotask(() => {
        if (this.s === s) this.connectFailed(this.core.now());
      });
    }
    return true;
  }

  connectFailed(now: number): void {
    const core = this.core;
    const s = this.s;
    if (s !== null) {
      this.s = null;
      s.close();
    }
    if (this.tried === null) this.tried = [];
    this.tried.push(this.rid);
    const cid = this.cid;
    if (cid >= 0) {
      core.d.event(cid, 'reset', now);
      core.d.expireNow(cid, now);
      core.release(this);
    }
    if (!this.dispatch(now)) {
      this.flags |= sideBit(1, S_CLOSED | S_EOF | S_SHUT);
      this.resetSide(0);
    }
  }

  /** Write `buf` to `side`; on a write that did not complete at once, stop reading the other. */
  /**
   * Returns true when the write is still queued (it keeps `buf`, and `own` if given, until it
   * completes).
   */
  write(side: number, buf: Buffer, own: Buffer | null = null): boolean {
    const h = side === 0 ? this.c : this.s!;
    const rb = this.rb;
    // A request object only gets its native part when the write goes asynchronous; one that
    // completed at once is reused for the next write (no allocation per chunk).
    const req = spareReq ?? new rb.WriteWrap();
    spareReq = null;
    req.handle = h;
    req.oncomplete = onWriteDone;
    req.async = false;
    req.bytes = 0;
    req.buffer = buf;
    req.relay = this;
    req.side = side;
    req.own = null;
    const err = h.writeBuffer(req, buf);
    if (err !== 0) {
      this.fail(side);
      return false;
    }
    if (rb.state[rb.kAsync] !== 0) {
      req.bytes = buf.length;
      const pend = side === 0 ? (this.pend0 += buf.length) : (this.pend1 += buf.length);
      const other = 1 - side;
      const pb = sideBit(other, S_PAUSED);
      if (pend > HIGH_WATER && (this.flags & (pb | sideBit(other, S_EOF | S_CLOSED))) === 0) {
        this.flags |= pb;
        (other === 0 ? this.c : this.s!).readStop();
      }
      req.own = own;
      return true;
    }
    req.buffer = null;
    req.relay = null;
    spareReq = req;
    return false;
  }

  /** Shut down `side`'s write half (after its queued writes: libuv orders them). */
  shut(side: number): void {
    const f = this.flags;
    if (f & sideBit(side, S_SHUT | S_SHUTTING | S_CLOSED)) return;
    const h = side === 0 ? this.c : this.s!;
    const req = new this.rb.ShutdownWrap();
    req.handle = h;
    req.oncomplete = onShutdown;
    req.relay = this;
    req.side = side;
    this.flags |= sideBit(side, S_SHUTTING);
    const err = h.shutdown(req);
    if (err === 1) this.shutDone(side);
    else if (err !== 0) this.fail(side);
  }

  shutDone(side: number): void {
    this.flags = (this.flags & ~sideBit(side, S_SHUTTING)) | sideBit(side, S_SHUT);
    this.maybeClose(side);
  }

  /** Close a side whose both halves are done. */
  maybeClose(side: number): void {
    const f = this.flags;
    if ((f & sideBit(side, S_EOF | S_SHUT)) === sideBit(side, S_EOF | S_SHUT)) this.closeSide(side);
  }

  /**
   * Close a side (FIN after what the kernel holds; libuv drops writes still queued, so callers
   * close a side with queued writes only when aborting). The relay does not wait for the close
   * callback: the handle delivers nothing more once closing.
   */
  closeSide(side: number): void {
    if (this.flags & sideBit(side, S_CLOSED)) return;
    this.flags |= sideBit(side, S_CLOSED);
    const h = side === 0 ? this.c : this.s;
    if (h !== null) {
      h.close();
      const b = h[kBuf];
      if (b !== undefined) {
        h[kBuf] = undefined;
        giveBuf(b);
      }
    }
    this.closed();
  }

  /**
   * Reset (RST) a side: abortive close. A side whose shutdown is still pending is closed instead:
   * libuv refuses to reset it (EINVAL) and Node marks the handle closing all the same, so the
   * close() after a failed reset() did nothing: the socket stayed open, and at exit Node waited for
   * it forever (a likely cause of a daemon seen spinning at 100 % CPU after SIGTERM).
   */
  resetSide(side: number): void {
    const f = this.flags;
    if (f & sideBit(side, S_CLOSED)) return;
    this.flags |= sideBit(side, S_CLOSED);
    const h = side === 0 ? this.c : this.s;
    if (h !== null) {
      if (f & sideBit(side, S_SHUTTING)) h.close();
      else h.reset(noop);
      const b = h[kBuf];
      if (b !== undefined) {
        h[kBuf] = undefined;
        giveBuf(b);
      }
    }
    this.closed();
  }

  /** Both sides closed: the relay is finished. */
  closed(): void {
    const both = sideBit(0, S_CLOSED) | sideBit(1, S_CLOSED);
    if ((this.flags & both) === both) this.finish();
  }

  /** An error on `side` (read/write/shutdown): reset both sides. */
  fail(side: number): void {
    if ((this.flags & F_RESET) === 0 && this.cid >= 0) {
      this.flags |= F_RESET;
      this.core.d.event(this.cid, 'reset', this.core.now());
    }
    this.resetSide(1 - side);
    this.resetSide(side);
  }

  /** The peer on `side` sent FIN. */
  eof(side: number, now: number): void {
    this.flags |= sideBit(side, S_EOF);
    const core = this.core;
    if (this.cid >= 0) core.d.event(this.cid, side === 0 ? 'client-fin' : 'server-fin', now);
    const other = 1 - side;
    if (this.flags & sideBit(other, S_CLOSED)) this.closeSide(side);
    else if (this.flags & sideBit(other, S_EOF) && (other === 0 ? this.pend0 : this.pend1) === 0) {
      // Both peers sent FIN and nothing waits towards `other`: close() sends its FIN, and saves
      // a shutdown round trip. `side` had its FIN forwarded already (or it is in flight).
      this.closeSide(other);
      if ((side === 0 ? this.pend0 : this.pend1) === 0) this.closeSide(side);
      else this.maybeClose(side);
    } else {
      this.shut(other);
      this.maybeClose(side);
    }
  }

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

  /** Idle timeout or plane shutdown. */
  abort(): void {
    this.closeSide(0);
    this.closeSide(1);
  }

  sweep(now: number, tcpMs: number, finMs: number): void {
    const f = this.flags;
    if (f & F_DONE) return;
    if ((f & F_CONNECTED) === 0) {
      if (this.s !== null && now - this.last >= this.core.tuning.connectTimeoutMs) this.connectFailed(now);
      return;
    }
    const limit = f & (sideBit(0, S_EOF) | sideBit(1, S_EOF)) ? finMs : tcpMs;
    if (now - this.last >= limit) this.abort();
  }
}

function onConnect(this: ConnectReq, status: number, h: TcpHandle): void {
  const r = this.relay!;
  this.relay = null;
  if (r.s !== h || r.flags & F_DONE) return;
  const core = r.core;
  const now = core.now();
  if (status !== 0) {
    r.connectFailed(now);
    return;
  }
  if (r.flags & sideBit(0, S_CLOSED)) {
    r.closeSide(1);
    return;
  }
  r.flags |= F_CONNECTED;
  r.last = now;
  h.setNoDelay(true);
  if (r.cid >= 0) core.d.event(r.cid, 'established', now);
  const v = r.entry.proxyVersion();
  if (v !== 0)
    r.write(
      1,
      v === 1
        ? proxyV1(r.caddr, r.cport, r.entry.vaddr, r.entry.vport)
        : proxyV2(r.caddr, r.cport, r.entry.vaddr, r.entry.vport),
    );
  r.c.readStart();
}

function onRead(this: TcpHandle, ab: ArrayBuffer | undefined): Buffer | undefined {
  const r = this[kRelay];
  const rb = r.rb;
  const nread = rb.state[rb.kRead]!;
  if (nread === 0) return undefined;
  const side = this[kSide]!;
  if (r.flags & sideBit(side, S_CLOSED)) return undefined;
  const core = r.core;
  const now = core.now();
  r.last = now;
  if (nread > 0) {
    if (r.cid >= 0) core.d.traffic(r.cid, side === 0 ? DIR_INPUT : DIR_OUTPUT, 1, nread, now);
    const other = 1 - side;
    const own = this[kBuf];
    if (own === undefined) {
      const buf = Buffer.from(ab!, rb.state[rb.kOffset]!, nread);
      if ((r.flags & sideBit(other, S_CLOSED | S_SHUT | S_SHUTTING)) === 0) r.write(other, buf);
      const rd = side === 0 ? ++r.rd0 : ++r.rd1;
      if (rd >= upgradeReads) {
        // Sized for what this side reads: a request, a response, or a transfer.
        const b = takeBuf(nread > SIZES[1] ? 2 : nread > SIZES[0] ? 1 : 0);
        this[kBuf] = b;
        this.useUserBuffer(b);
      }
      return undefined;
    }
    // Data is in the handle's own buffer; a write that waits keeps it: read into another one.
    const tier = tierOf(own);
    const full = nread === own.length && tier < 2;
    if (
      (r.flags & sideBit(other, S_CLOSED | S_SHUT | S_SHUTTING)) === 0 &&
      r.write(other, own.subarray(0, nread), own)
    ) {
      const next = takeBuf(full ? tier + 1 : tier);
      this[kBuf] = next;
      return next;
    }
    if (full) {
      // A read that fills the buffer: the flow needs more, read into the next size up.
      giveBuf(own);
      const next = takeBuf(tier + 1);
      this[kBuf] = next;
      return next;
    }
    return undefined;
  }
  if (nread === UV_EOF) {
    r.eof(side, now);
    return undefined;
  }
  r.fail(side);
  return undefined;
}

function onWriteDone(this: WriteReq, status: number): void {
  const r = this.relay!;
  this.relay = null;
  this.buffer = null;
  if (this.own !== null) {
    giveBuf(this.own);
    this.own = null;
  }
  const side = this.side;
  const pend = side === 0 ? (r.pend0 -= this.bytes) : (r.pend1 -= this.bytes);
  if (r.flags & sideBit(side, S_CLOSED)) return;
  if (status !== 0) {
    r.fail(side);
    return;
  }
  if (pend <= LOW_WATER) {
    const other = 1 - side;
    const pb = sideBit(other, S_PAUSED);
    if (r.flags & pb) {
      r.flags &= ~pb;
      if ((r.flags & sideBit(other, S_EOF | S_CLOSED)) === 0) (other === 0 ? r.c : r.s!).readStart();
    }
  }
}

function onShutdown(this: ShutdownReq, status: number): void {
  const r = this.relay!;
  this.relay = null;
  const side = this.side;
  if (r.flags & sideBit(side, S_CLOSED)) return;
  if (status !== 0 && status !== -107 /* ENOTCONN */) {
    r.fail(side);
    return;
  }
  r.shutDone(side);
}

function noop(): void {}

/** The spare write request (see TcpRawRelay.write). */
let spareReq: WriteReq | null = null;

/**
 * Take over a listening net.Server's accept path: its handle's onconnection now builds raw relays.
 * The server keeps owning the listening handle (close(), errors).
 */
export function attachRaw(
  rb: RawBinding,
  server: net.Server,
  core: PlaneCore,
  set: Set<RelayLike>,
  entry: TcpEntry,
): boolean {
  const h = (server as unknown as { _handle?: TcpHandle })._handle;
  if (h === undefined || h === null || typeof h.onconnection !== 'function') return false;
  const peer: { address?: string; port?: number; family?: string } = {};
  h.onconnection = (err: number, ch: TcpHandle | undefined) => {
    if (err !== 0 || ch === undefined) return;
    ch.onread = onRead;
    const svc = entry.lookup();
    peer.address = undefined;
    peer.port = undefined;
    ch.getpeername(peer);
    const caddr = peer.address;
    const cport = peer.port;
    if (svc < 0 || caddr === undefined || cport === undefined) {
      if (ch.reset(noop) !== 0) ch.close();
      return;
    }
    ch.setNoDelay(true);
    const now = core.now();
    const r = new TcpRawRelay(rb, core, set, ch, entry, svc, caddr, cport, now);
    if (!r.dispatch(now)) {
      r.flags |= F_DONE;
      if (ch.reset(noop) !== 0) ch.close();
      return;
    }
    set.add(r);
  };
  return true;
}
