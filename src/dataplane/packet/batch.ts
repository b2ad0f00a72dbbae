// One batch through the forwarder: read records from an IP link, rewrite each packet where it lies
// (or in the forwarder's side arena when it grows), write the results back in batched writes and
// DR frames to their packet socket.
// No allocation per packet: every buffer is owned by the Batcher and reused.

import { Action, type Forwarder, SIDE_LIMIT } from './forwarder.js';

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
const MAX_BATCH = 4096;
const VNET = 10;
const LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class Batcher {
  private readonly rbuf = new Uint8Array(READ_BUF);
  private readonly inPlace = new Uint32Array(MAX_BATCH * 2);
  private readonly sideOut = new Uint32Array(MAX_BATCH * 2);
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
    const fwd = this.fwd;
    const side = fwd.side;
    const vnet = this.vnet;
    let pos = 0;
    let nIn = 0;
    let nSide = 0;
    let count = 0;
    while (pos + 4 <= used) {
      const rec = LE
        ? (b[pos]! | (b[pos + 1]! << 8) | (b[pos + 2]! << 16) | (b[pos + 3]! << 24)) >>> 0
        : ((b[pos]! << 24) | (b[pos + 1]! << 16) | (b[pos + 2]! << 8) | b[pos + 3]!) >>> 0;
      const start = pos + 4;
      pos = start + ((rec + 3) & ~3);
      if (start + rec > used) break;
      count++;
      let off = start;
      let len = rec;
      if (vnet) {
        // virtio_net_hdr (little-endian on the hosts Node runs on): flags, gso_type, hdr_len,
        // gso_size, csum_start, csum_offset. It stays in place before the packet for output.
        if (rec < VNET) continue;
        fwd.csumPartial = (b[start]! & 1) !== 0;
        fwd.gso = b[start + 1]! !== 0;
        fwd.csumStart = b[start + 6]! | (b[start + 7]! << 8);
        fwd.csumOffset = b[start + 8]! | (b[start + 9]! << 8);
        off += VNET;
        len -= VNET;
      }
      if (fwd.sidePos > SIDE_LIMIT || nSide === MAX_BATCH) {
        this.flushSide(nSide);
        nSide = 0;
      }
      if (nIn === MAX_BATCH) {
        this.flushIn(nIn);
        nIn = 0;
      }
      // Rewritten where it lies (NAT, FULLNAT), or moved to the side arena when it grows in
      // front (IP-in-IP, DR).
      const a = fwd.process(b, off, len, now);
      if (a === Action.DROP) continue;
      if (a === Action.FRAME) {
        const s = this.senders[fwd.outPort];
        if (!s || s.send(side, fwd.outOff, fwd.outLen) <= 0) this.txDropped++;
        continue;
      }
      let o = fwd.outOff;
      let l = fwd.outLen;
      if (vnet) {
        // In place the original header is still there; a re-framed packet gets a zeroed one
        // (its checksum was completed in software and it is not GSO).
        if (fwd.outBuf !== b) side.fill(0, o - VNET, o);
        o -= VNET;
        l += VNET;
      }
      if (fwd.outBuf === b) {
        this.inPlace[nIn * 2] = o;
        this.inPlace[nIn * 2 + 1] = l;
        nIn++;
      } else {
        this.sideOut[nSide * 2] = o;
        this.sideOut[nSide * 2 + 1] = l;
        nSide++;
      }
    }
    this.flushIn(nIn);
    this.flushSide(nSide);
    return count;
  }

  private flushIn(n: number): void {
    if (n > 0) this.txDropped += n - this.link.writeBatch(this.rbuf, this.inPlace, n);
  }

  private flushSide(n: number): void {
    if (n > 0) this.txDropped += n - this.link.writeBatch(this.fwd.side, this.sideOut, n);
    this.fwd.sidePos = 0;
  }
}
