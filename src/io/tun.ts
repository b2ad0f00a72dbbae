// TUN/TAP devices (Documentation/networking/tuntap.rst): open, batched non-blocking read and write.
import { closeSync } from 'node:fs';
import { type NativeAddon, type NativePoller, requireNative } from './native.js';

export interface TunOptions {
  /** TAP (Ethernet frames) instead of TUN (IP packets). */
  tap?: boolean;
  /** IFF_NO_PI: no 4-byte packet information header (default true). */
  noPi?: boolean;
  /** IFF_VNET_HDR: each packet starts with a struct virtio_net_hdr. */
  vnetHdr?: boolean;
  /** IFF_MULTI_QUEUE: several fds may attach to one device. */
  multiQueue?: boolean;
}

/** TUNSETOFFLOAD flags (linux/if_tun.h). */
export const TUN_F_CSUM = 1;
export const TUN_F_TSO4 = 2;
export const TUN_F_TSO6 = 4;
export const TUN_F_TSO_ECN = 8;

/** Bytes of struct virtio_net_hdr before each packet of an IFF_VNET_HDR device (the default size). */
export const VNET_HDR_LEN = 10;

/** Bytes a tunRead record header takes before each packet. */
export const TUN_RECORD_HEADER_LEN = 4;

/** An open TUN/TAP file descriptor. The device lives as long as the fd unless made persistent. */
export class TunDevice {
  /** Name the kernel gave the device (e.g. tun0 when asked for "tun%d"). */
  readonly name: string;
  private fdNum: number;
  private readonly native: NativeAddon;
  private poller: NativePoller | null = null;

  private constructor(native: NativeAddon, fd: number, name: string) {
    this.native = native;
    this.fdNum = fd;
    this.name = name;
  }

  /** Opens /dev/net/tun and attaches to (or creates) `name`. Needs CAP_NET_ADMIN. */
  static open(name: string, opts: TunOptions = {}): TunDevice {
    const native = requireNative('TUN/TAP');
    const flags =
      (opts.tap ? 1 : 0) | (opts.noPi === false ? 0 : 2) | (opts.vnetHdr ? 4 : 0) | (opts.multiQueue ? 8 : 0);
    const r = native.tunOpen(name, flags);
    return new TunDevice(native, r.fd, r.name);
  }

  get fd(): number {
    if (this.fdNum < 0) throw new Error(`${this.name}: TUN/TAP device is closed`);
    return this.fdNum;
  }

  /**
   * Reads every packet ready (up to what fits) into buf as records [u32 len (host order)][bytes]
   * padded to 4; returns bytes used (0: none ready). Leave at least 64 KiB + 20 bytes of room.
   */
  readBatch(buf: Uint8Array): number {
    return this.native.tunRead(this.fd, buf);
  }

  /** Writes packets buf[offsets[2i] .. +offsets[2i+1]) for i < count; returns how many went out. */
  writeBatch(buf: Uint8Array, offsets: Uint32Array, count: number): number {
    return this.native.tunWrite(this.fd, buf, offsets, count);
  }

  /**
   * TUNSETOFFLOAD (VNET_HDR devices): which partial checksums (TUN_F_CSUM) and GSO super-packets
   * (TUN_F_TSO4/6) the kernel may hand over. False when the addon predates it (rebuild it).
   */
  setOffload(flags: number): boolean {
    if (!this.native.tunSetOffload) return false;
    this.native.tunSetOffload(this.fd, flags);
    return true;
  }

  onReadable(cb: (status: number) => void): void {
    this.stopReadable();
    this.poller = this.native.pollStart(this.fd, cb);
  }

  stopReadable(): void {
    if (this.poller) {
      this.native.pollStop(this.poller);
      this.poller = null;
    }
  }

  close(): void {
    this.stopReadable();
    if (this.fdNum >= 0) {
      closeSync(this.fdNum);
      this.fdNum = -1;
    }
  }
}
