// ARP/RARP/InARP codec (RFC 826, RFC 903, RFC 2390): a re-pointable view over any hardware and
// protocol address lengths, Ethernet/IPv4 accessors, and emit() for Ethernet/IPv4 packets.

export const ARP_FIXED_LEN = 8;
/** An Ethernet/IPv4 ARP packet: 8 + 2*6 + 2*4. */
export const ARP_ETHER_IPV4_LEN = 28;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_REVARP = 0x8035;

export const ArpHardware = { ETHERNET: 1, IEEE802: 6, FRAME_RELAY: 15, ATM: 19, INFINIBAND: 32 } as const;
export const ArpOp = {
  REQUEST: 1,
  REPLY: 2,
  REV_REQUEST: 3,
  REV_REPLY: 4,
  INV_REQUEST: 8,
  INV_REPLY: 9,
  NAK: 10,
} as const;

export const ArpStatus = {
  OK: 0,
  SHORT_HEADER: 1,
  /** The addresses (2*hln + 2*pln) run past the bytes available (tcpdump: `[|arp]`). */
  SHORT_ADDRESSES: 2,
} as const;

/** Re-pointable view of an ARP packet. Borrowed: valid while `buf` holds it. */
export class ArpView {
  buf: Uint8Array = new Uint8Array(0);
  off = 0;
  len = 0;

  wrap(buf: Uint8Array, off: number, len: number): this {
    this.buf = buf;
    this.off = off;
    this.len = Math.min(len, buf.length - off);
    return this;
  }

  check(): number {
    if (this.len < ARP_FIXED_LEN) return ArpStatus.SHORT_HEADER;
    if (ARP_FIXED_LEN + 2 * this.hardwareLength + 2 * this.protocolLength > this.len)
      return ArpStatus.SHORT_ADDRESSES;
    return ArpStatus.OK;
  }

  private u16(at: number): number {
    const b = this.buf;
    const i = this.off + at;
    return (b[i]! << 8) | b[i + 1]!;
  }
  private u32(i: number): number {
    const b = this.buf;
    return ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;
  }

  get hardwareType(): number {
    return this.u16(0);
  }
  get protocolType(): number {
    return this.u16(2);
  }
  get hardwareLength(): number {
    return this.buf[this.off + 4]!;
  }
  get protocolLength(): number {
    return this.buf[this.off + 5]!;
  }
  get operation(): number {
    return this.u16(6);
  }
  set operation(v: number) {
    this.buf[this.off + 6] = v >>> 8;
    this.buf[this.off + 7] = v & 0xff;
  }
  /** Indices in buf of the four addresses. */
  get senderHardwareOffset(): number {
    return this.off + ARP_FIXED_LEN;
  }
  get senderProtocolOffset(): number {
    return this.off + ARP_FIXED_LEN + this.hardwareLength;
  }
  get targetHardwareOffset(): number {
    return this.off + ARP_FIXED_LEN + this.hardwareLength + this.protocolLength;
  }
  get targetProtocolOffset(): number {
    return this.off + ARP_FIXED_LEN + 2 * this.hardwareLength + this.protocolLength;
  }
  /** True for hardware Ethernet (6-byte MACs) and protocol IPv4 (4-byte addresses). */
  get isEtherIpv4(): boolean {
    return (
      this.hardwareType === ArpHardware.ETHERNET &&
      this.protocolType === 0x0800 &&
      this.hardwareLength === 6 &&
      this.protocolLength === 4
    );
  }
  /** IPv4 sender/target (host-order u32; only when protocolLength is 4). */
  get senderIpv4(): number {
    return this.u32(this.senderProtocolOffset);
  }
  get targetIpv4(): number {
    return this.u32(this.targetProtocolOffset);
  }
}

export interface ArpFields {
  operation: number;
  senderMac: Uint8Array;
  senderIpv4: number;
  targetMac: Uint8Array;
  targetIpv4: number;
}

function putU32(buf: Uint8Array, i: number, v: number): void {
  buf[i] = v >>> 24;
  buf[i + 1] = (v >>> 16) & 0xff;
  buf[i + 2] = (v >>> 8) & 0xff;
  buf[i + 3] = v & 0xff;
}

/** Writes an Ethernet/IPv4 ARP packet (28 bytes) at buf[off]. */
export function emitArp(f: ArpFields, buf: Uint8Array, off: number): number {
  buf[off] = 0;
  buf[off + 1] = ArpHardware.ETHERNET;
  buf[off + 2] = 0x08;
  buf[off + 3] = 0x00;
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  buf[off + 6] = f.operation >>> 8;
  buf[off + 7] = f.operation & 0xff;
  buf.set(f.senderMac.subarray(0, 6), off + 8);
  putU32(buf, off + 14, f.senderIpv4);
  buf.set(f.targetMac.subarray(0, 6), off + 18);
  putU32(buf, off + 24, f.targetIpv4);
  return ARP_ETHER_IPV4_LEN;
}
