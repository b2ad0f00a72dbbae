// AF_PACKET capture socket (packet(7)): open, attach classic BPF, batched non-blocking reads, stats.
import type { BpfInsn } from '../filter/index.js';
import {
  type NativeAddon,
  type NativePacketHandle,
  type NativePacketStats,
  type NativePoller,
  requireNative,
} from './native.js';

/**
 * Layout of one capture record as the addon writes it (host byte order, 8-byte aligned records).
 * Indexes are in 32-bit words from the record start, except ADDR_BYTE and DATA_BYTE (bytes).
 */
export const RECORD_HEADER_LEN = 48;
export const REC_W_RECLEN = 0;
export const REC_W_CAPLEN = 1;
export const REC_W_WIRELEN = 2;
export const REC_W_SEC = 3;
export const REC_W_NSEC = 4;
export const REC_W_IFINDEX = 5;
/** protocol (16 bits, host value of the EtherType) | pkttype << 16 | flags << 24 */
export const REC_W_PROTO = 6;
/** hatype (ARPHRD_*) | halen << 16 */
export const REC_W_HATYPE = 7;
export const REC_ADDR_BYTE = 32;
/** vlan tci | tpid << 16 */
export const REC_W_VLAN = 10;
export const REC_DATA_BYTE = RECORD_HEADER_LEN;
/** Flag: a VLAN tag was present and is not in the data (cooked sockets). */
export const REC_FLAG_VLAN_PENDING = 1;

/** sll_pkttype values (linux/if_packet.h). */
export const PACKET_HOST = 0;
export const PACKET_BROADCAST = 1;
export const PACKET_MULTICAST = 2;
export const PACKET_OTHERHOST = 3;
export const PACKET_OUTGOING = 4;

export interface PacketSocketOptions {
  /** Interface index; 0 captures on all interfaces. */
  ifindex: number;
  /** Cooked capture (SOCK_DGRAM): data starts at the network header. */
  cooked: boolean;
  snaplen: number;
  promisc: boolean;
  ignoreOutgoing?: boolean;
  /** Kernel buffer in bytes: the TPACKET_V3 ring size, or SO_RCVBUF when ring is false. */
  bufferBytes: number;
  /** true: TPACKET_V3 ring (throughput); false: recvmmsg on the socket queue (each packet at once). */
  ring: boolean;
  /** Ring block retire timeout (ms): the longest a packet waits in a partly filled block. */
  blockTimeoutMs?: number;
}

/**
 * Ring block size: libpcap's TPACKET_V3 geometry, one 256 KiB block per "frame" of MAXIMUM_SNAPLEN,
 * so -B buys the same ring as tcpdump's. A packet larger than a block is cut to fit by the kernel.
 */
export const RING_BLOCK_SIZE = 262144;

/** Packs a program as an array of struct sock_filter (u16 code, u8 jt, u8 jf, u32 k; host order). */
export function packBpf(prog: readonly BpfInsn[]): Uint8Array {
  const out = new Uint8Array(prog.length * 8);
  const dv = new DataView(out.buffer);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let i = 0; i < prog.length; i++) {
    const p = prog[i];
    dv.setUint16(i * 8, p.code & 0xffff, le);
    dv.setUint8(i * 8 + 2, p.jt & 0xff);
    dv.setUint8(i * 8 + 3, p.jf & 0xff);
    dv.setUint32(i * 8 + 4, p.k >>> 0, le);
  }
  return out;
}

/** One AF_PACKET socket. Methods throw the addon's NativeSysError (errno, code, syscall). */
export class PacketSocket {
  readonly cooked: boolean;
  readonly ring: boolean;
  readonly snaplen: number;
  private readonly native: NativeAddon;
  private handle: NativePacketHandle | null;
  private poller: NativePoller | null = null;

  private constructor(native: NativeAddon, handle: NativePacketHandle, opts: PacketSocketOptions) {
    this.native = native;
    this.handle = handle;
    this.cooked = opts.cooked;
    this.ring = opts.ring;
    this.snaplen = opts.snaplen;
  }

  /** Opens and binds the socket. A reject-all filter is attached until setFilter() is called. */
  static open(opts: PacketSocketOptions): PacketSocket {
    const native = requireNative('live capture');
    const blockSize = RING_BLOCK_SIZE;
    const handle = native.packetOpen({
      ifindex: opts.ifindex,
      cooked: opts.cooked,
      snaplen: opts.snaplen,
      promisc: opts.promisc,
      ignoreOutgoing: opts.ignoreOutgoing ?? false,
      ringBlockSize: blockSize,
      ringBlocks: opts.ring ? Math.max(2, Math.ceil(opts.bufferBytes / blockSize)) : 0,
      blockTimeoutMs: opts.blockTimeoutMs ?? 100,
      rcvbuf: opts.ring ? 0 : opts.bufferBytes,
    });
    return new PacketSocket(native, handle, opts);
  }

  private h(): NativePacketHandle {
    if (!this.handle) throw new Error('packet socket is closed');
    return this.handle;
  }

  /** Attaches a classic BPF program in the kernel (SO_ATTACH_FILTER); null detaches (accept all). */
  setFilter(prog: readonly BpfInsn[] | null): void {
    this.native.packetSetFilter(this.h(), prog ? packBpf(prog) : new Uint8Array(0));
  }

  /** Copies ready packets into buf as records (see REC_*); returns bytes used, 0 if none. */
  read(buf: Uint8Array): number {
    return this.native.packetRead(this.h(), buf);
  }

  /** Smallest read buffer that always holds at least one record. */
  minReadBuffer(): number {
    return RECORD_HEADER_LEN + this.snaplen + 16;
  }

  stats(): NativePacketStats {
    return this.native.packetStats(this.h());
  }

  get fd(): number {
    return this.native.packetFd(this.h());
  }

  /** Sends one frame (SOCK_RAW: a full link-layer frame); returns bytes sent, 0 if the queue is full. */
  send(buf: Uint8Array, off: number, len: number): number {
    return this.native.packetSend(this.h(), buf, off, len);
  }

  /** Calls cb on the main thread whenever the socket is readable (status < 0: libuv error). */
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

  get closed(): boolean {
    return this.handle === null;
  }

  close(): void {
    this.stopReadable();
    if (this.handle) {
      this.native.packetClose(this.handle);
      this.handle = null;
    }
  }
}
