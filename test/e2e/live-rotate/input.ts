// The deterministic packet stream the rotation goldens are made from (shared by regen.ts and the test).
import type { PacketRecord } from '../../../src/pcap/record.js';

export const INPUT_PACKETS = 5000;
export const INPUT_LINKTYPE = 1;
export const INPUT_SNAPLEN = 262144;

/** Calls fn for each packet: sizes 60..1459, bytes (i + j) & 0xff, one packet per millisecond. */
export function forEachInputPacket(fn: (rec: PacketRecord) => void): void {
  const buf = new Uint8Array(2048);
  const rec: PacketRecord = {
    buf,
    off: 0,
    caplen: 0,
    len: 0,
    tsSec: 0,
    tsNsec: 0,
    linktype: INPUT_LINKTYPE,
    ifIndex: 0,
  };
  for (let i = 0; i < INPUT_PACKETS; i++) {
    const size = 60 + ((i * 7919) % 1400);
    for (let j = 0; j < size; j++) buf[j] = (i + j) & 0xff;
    rec.caplen = size;
    rec.len = size + (i % 3 === 0 ? 100 : 0);
    rec.tsSec = 1700000000 + Math.floor(i / 1000);
    rec.tsNsec = (i % 1000) * 1000000 + 1000;
    fn(rec);
  }
}

/** The stream as a classic pcap file (microseconds), written independently of the code under test. */
export function inputPcap(): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeUInt32LE(INPUT_SNAPLEN, 16);
  h.writeUInt32LE(INPUT_LINKTYPE, 20);
  parts.push(h);
  forEachInputPacket((r) => {
    const rh = Buffer.alloc(16);
    rh.writeUInt32LE(r.tsSec, 0);
    rh.writeUInt32LE(Math.floor(r.tsNsec / 1000), 4);
    rh.writeUInt32LE(r.caplen, 8);
    rh.writeUInt32LE(r.len, 12);
    parts.push(rh, Buffer.from(r.buf.subarray(r.off, r.off + r.caplen)));
  });
  return Buffer.concat(parts);
}
