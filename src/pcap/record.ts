// One captured packet as readers and live capture hand it out (borrowed: valid until the next packet).

export interface PacketRecord {
  /** Bytes of the packet are buf[off .. off + caplen). Borrowed: the reader reuses this buffer. */
  buf: Uint8Array;
  off: number;
  /** Bytes captured. */
  caplen: number;
  /** Length on the wire. */
  len: number;
  /** Seconds since the epoch (may exceed 2^32 for pcapng). */
  tsSec: number;
  /** Fraction of a second in units of 10^-9 (nanoseconds) whatever the file's precision. */
  tsNsec: number;
  /** LINKTYPE_* of this packet (pcapng interfaces can differ). */
  linktype: number;
  /** pcapng interface id (0 for pcap and live capture on one interface). */
  ifIndex: number;
  /**
   * Offset in buf of the record's 16-byte header when the record is stored exactly as PcapWriter
   * writes it (little-endian pcap, caplen not cut to the snaplen); -1 or absent otherwise.
   */
  raw?: number;
}
