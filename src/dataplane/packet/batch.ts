// One batch through the forwarder: read records from an IP link, process each packet in an arena
// with headroom, write the results back in batched writes and DR frames to their packet socket.
// No allocation per packet: every buffer is owned by the Batcher and reused.

import { Action, type Forwarder } from './forwarder.js';

/** What the forwarder reads from and writes to: a TUN device, or an in-memory link in tests. */
export interface IpLink {
  /** Records [u32 len, host order][packet][pad to 4]; returns bytes used, 0 when none is ready. */
  readBatch(buf: Uint8Array): number;
  /** Writes buf[offsets[2i] .. +offsets[2i+1]) for i < count; returns how many were taken. */
  writeBatch(buf: Uint8Array, offsets: Uint32Array, count: number): number;
}

/** Sends one Ethernet frame (DR); returns bytes sent, 0 when the queue is full. */
export interface FrameSender {
  send(buf: Uint8Array, off: number, len: number): number;
}

const READ_BUF = 1 << 20;
const ARENA = 1 << 21;
const MAX_BATCH = 4096;
const HEADROOM = 64;
const VNET = 10;
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class Batcher {
  private readonly rbuf: Buffer = Buffer.allocUnsafeSlow(READ_BUF);
  private readonly arena = new Uint8Array(ARENA);
  private readonly out = new Uint32Array(MAX_BATCH * 2);
  /** Packets the link did not take (its queue was full) or frames the socket refused. */
  txDropped = 0;
  private readonly fwd: Forwarder;
  private readonly link: IpLink;
  /** Packet sockets for DR by the forwarder's port index. */
  senders: FrameSender[] = [];

  /** Each packet read and written is preceded by a struct virtio_net_hdr (IFF_VNET_HDR). */
  private readonly vnet: boolean;

  constructor(fwd: Forwarder, link: IpLink, opts: { vnetHdr?: boolean } = {}) {
    this.fwd = fwd;
    this.link = link;
    this.vnet = opts.vnetHdr ?? false;
  }

  /**
   * Reads and forwards up to `maxRounds` reads' worth of packets; returns how many packets were
   * read (0: the link had nothing).
   */
  run(now: number, maxRounds: number): number {
    let total = 0;
    for (let r = 0; r < maxRounds; r++) {
      const n = this.link.readBatch(this.rbuf);
      if (n <= 0) break;
      total += this.forwardRecords(n, now);
    }
    return total;
  }

  private forwardRecords(used: number, now: number): number {
    const b = this.rbuf;
    const arena = this.arena;
    const fwd = this.fwd;
    let pos = 0;
    let n = 0;
    let arenaPos = 0;
    let count = 0;
    while (pos + 4 <= used) {
      const len = LE
        ? (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0
        : ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
      const off = pos + 4;
      pos = off + ((len + 3) & ~3);
      if (off + len > used) break;
      count++;
      // Packets may grow (IP-in-IP: +20, DR: +14 in front), which in the read buffer would
      // overwrite the previous record: each is copied into the arena behind HEADROOM bytes.
      if (arenaPos + HEADROOM + len + 8 > ARENA || n === MAX_BATCH) {
        this.flush(n);
        n = 0;
        arenaPos = 0;
      }
      const at = arenaPos + HEADROOM;
      let a: Action;
      if (this.vnet) {
        // virtio_net_hdr (little-endian on the hosts Node runs on): flags, gso_type, hdr_len,
        // gso_size, csum_start, csum_offset — copied just before the packet, reused on output.
        if (len < VNET) continue;
        b.copy(arena, at - VNET, off, off + len);
        const h = at - VNET;
        fwd.csumPartial = (arena[h]! & 1) !== 0;
        fwd.gso = arena[h + 1]! !== 0;
        fwd.csumStart = arena[h + 6]! | (arena[h + 7]! << 8);
        fwd.csumOffset = arena[h + 8]! | (arena[h + 9]! << 8);
        a = fwd.process(arena, at, len - VNET, now);
        if (a === Action.TUN) {
          if (fwd.outOff !== at) {
            // Re-framed (IP-in-IP): the checksum was completed in software and nothing is GSO.
            arena.fill(0, fwd.outOff - VNET, fwd.outOff);
          }
          fwd.outOff -= VNET;
          fwd.outLen += VNET;
        }
      } else {
        b.copy(arena, at, off, off + len);
        a = fwd.process(arena, at, len, now);
      }
      if (a === Action.DROP) continue;
      if (a === Action.FRAME) {
        const s = this.senders[fwd.outPort];
        if (!s || s.send(arena, fwd.outOff, fwd.outLen) <= 0) this.txDropped++;
        continue;
      }
      this.out[n * 2] = fwd.outOff;
      this.out[n * 2 + 1] = fwd.outLen;
      n++;
      arenaPos = (fwd.outOff + fwd.outLen + 7) & ~7;
    }
    this.flush(n);
    return count;
  }

  private flush(n: number): void {
    if (n > 0) this.txDropped += n - this.link.writeBatch(this.arena, this.out, n);
  }
}
