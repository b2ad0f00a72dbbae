// Loads the C addon (native/tsvs_native.c, built into build/Release/) and says why when it cannot.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TsvsError } from '../errors.js';

/** An opened AF_PACKET socket inside the addon (opaque). */
export type NativePacketHandle = { readonly __brand: 'tsvs.packet' };
/** A running libuv poll on a file descriptor (opaque). */
export type NativePoller = { readonly __brand: 'tsvs.poller' };

export interface NativePacketOpenOptions {
  /** 0 = all interfaces ("any"). */
  ifindex: number;
  /** SOCK_DGRAM (no link-layer header; cooked capture) instead of SOCK_RAW. */
  cooked: boolean;
  /** Bytes of each packet copied out of the kernel. */
  snaplen: number;
  promisc: boolean;
  /** PACKET_IGNORE_OUTGOING (Linux 4.20+): the kernel never queues our own transmissions. */
  ignoreOutgoing?: boolean;
  /** TPACKET_V3 ring geometry; ringBlocks 0 reads with recvmmsg instead. */
  ringBlockSize?: number;
  ringBlocks?: number;
  /** Ring block retire timeout in milliseconds (how long a partly filled block waits). */
  blockTimeoutMs?: number;
  /** SO_RCVBUF(FORCE) in bytes for recvmmsg mode (tcpdump -B). */
  rcvbuf?: number;
}

export interface NativePacketStats {
  /** Packets that passed the kernel filter, including those dropped for lack of room. */
  received: number;
  /** Packets dropped because the ring or the socket buffer was full. */
  dropped: number;
  /** Times the ring froze its queue (TPACKET_V3 only). */
  freezes: number;
}

/** The functions the addon exports (see the comments above each one in tsvs_native.c). */
export interface NativeAddon {
  RECORD_HEADER_LEN: number;
  packetOpen(opts: NativePacketOpenOptions): NativePacketHandle;
  /** insns: packed struct sock_filter (8 bytes each, host byte order); empty = detach. */
  packetSetFilter(h: NativePacketHandle, insns: Uint8Array): void;
  /** Fills buf with capture records; returns the bytes used (0 = nothing ready). Never blocks. */
  packetRead(h: NativePacketHandle, buf: Uint8Array): number;
  packetStats(h: NativePacketHandle): NativePacketStats;
  packetFd(h: NativePacketHandle): number;
  packetClose(h: NativePacketHandle): void;
  /** Sends one frame; returns bytes sent, 0 when the socket buffer is full. */
  packetSend(h: NativePacketHandle, buf: Uint8Array, off: number, len: number): number;
  /** flags: 1 TAP, 2 NO_PI, 4 VNET_HDR, 8 MULTI_QUEUE. */
  tunOpen(name: string, flags: number): { fd: number; name: string };
  /** TUNSETOFFLOAD: TUN_F_CSUM 1, TUN_F_TSO4 2, TUN_F_TSO6 4, TUN_F_TSO_ECN 8 (VNET_HDR readers). */
  tunSetOffload?(fd: number, flags: number): void;
  /** Records [u32 len][packet][pad to 4]; returns bytes used. */
  tunRead(fd: number, buf: Uint8Array): number;
  /** offsets holds [off, len] pairs; returns how many packets were written before EAGAIN. */
  tunWrite(fd: number, buf: Uint8Array, offsets: Uint32Array, count: number): number;
  /** ETHTOOL_GLINK: 1 connected, 0 disconnected, -1 not applicable, -2 unknown. */
  linkStatus(name: string): number;
  pollStart(fd: number, onReadable: (status: number) => void): NativePoller;
  pollStop(p: NativePoller): void;
}

/** An Error thrown by the addon for a failed system call. */
export interface NativeSysError extends Error {
  errno: number;
  /** errno name, e.g. 'EPERM'. */
  code: string;
  syscall: string;
}

export function isNativeSysError(e: unknown): e is NativeSysError {
  return e instanceof Error && typeof (e as Partial<NativeSysError>).errno === 'number';
}

export type NativeLoad = { ok: true; addon: NativeAddon } | { ok: false; reason: string };

/**
 * The checkout's root: the nearest directory above this module with a package.json. This module
 * runs from src/io (tests), dist/io, or a bundle chunk under dist/cli (tsdump), so a fixed
 * relative path would not do.
 */
function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let d = here; ; ) {
    if (existsSync(join(d, 'package.json'))) return d;
    const up = dirname(d);
    if (up === d) return join(here, '..', '..');
    d = up;
  }
}

const ROOT = packageRoot();
const ADDON_PATH = join(ROOT, 'build', 'Release', 'tsvs_native.node');
const BUILD_ERROR_PATH = join(ROOT, 'build', 'tsvs_native.error');

let cached: NativeLoad | undefined;

/** Loads the addon once; never throws. TSVS_NATIVE_ADDON overrides the path (tests, packaging). */
export function loadNative(): NativeLoad {
  if (cached) return cached;
  cached = tryLoad(process.env.TSVS_NATIVE_ADDON || ADDON_PATH);
  return cached;
}

function tryLoad(path: string): NativeLoad {
  if (process.platform !== 'linux') {
    return { ok: false, reason: `it needs Linux (AF_PACKET, TUN/TAP); this is ${process.platform}` };
  }
  if (!existsSync(path)) {
    let why = 'the native addon was not built';
    if (existsSync(BUILD_ERROR_PATH)) {
      why += ` (${readFileSync(BUILD_ERROR_PATH, 'utf8').trim()})`;
    }
    return {
      ok: false,
      reason: `${why}; install a C compiler, make and python3, then run: node native/build.mjs`,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    if (typeof addon.packetOpen !== 'function') {
      return { ok: false, reason: `${path} is not the tsvs native addon; rebuild it: node native/build.mjs` };
    }
    return { ok: true, addon };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return {
      ok: false,
      reason: `the native addon failed to load (${msg}); rebuild it: node native/build.mjs`,
    };
  }
}

/** The addon, or a TsvsError('TSVS_ERR_CAPTURE') saying why `what` is unavailable. */
export function requireNative(what: string): NativeAddon {
  const r = loadNative();
  if (r.ok) return r.addon;
  throw new TsvsError('TSVS_ERR_CAPTURE', `${what} is unavailable: ${r.reason}`);
}
