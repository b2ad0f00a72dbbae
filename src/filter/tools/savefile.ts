// Minimal pcap/pcapng reader for the filter's own test tools (filtertest, goldens, bench), whole-file.
import { readFileSync } from 'node:fs';

export interface SavefilePacket {
  off: number;
  caplen: number;
  len: number;
  linktype: number;
}

export interface Savefile {
  data: Uint8Array;
  linktype: number;
  snaplen: number;
  /** True when the file's byte order differs from this (little-endian) host. */
  swapped: boolean;
  packets: SavefilePacket[];
}

export class SavefileError extends Error {}

export function readSavefile(path: string): Savefile {
  let data: Uint8Array;
  try {
    data = new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new SavefileError(`${path}: ${(e as Error).message}`);
  }
  return parseSavefile(data);
}

export function parseSavefile(data: Uint8Array): Savefile {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (data.length < 4)
    throw new SavefileError(
      'truncated dump file; tried to read 4 file header bytes, only got ' + data.length,
    );
  const magicLE = dv.getUint32(0, true);
  if (magicLE === 0x0a0d0d0a) return parsePcapng(data, dv);
  let le: boolean;
  if (magicLE === 0xa1b2c3d4 || magicLE === 0xa1b23c4d) le = true;
  else if (dv.getUint32(0, false) === 0xa1b2c3d4 || dv.getUint32(0, false) === 0xa1b23c4d) le = false;
  else throw new SavefileError('unknown file format');
  if (data.length < 24) throw new SavefileError('truncated dump file');
  const major = dv.getUint16(4, le);
  const minor = dv.getUint16(6, le);
  if (major !== 2 || minor > 4)
    throw new SavefileError(`unsupported pcap savefile version ${major}.${minor}`);
  const snaplen = dv.getUint32(16, le);
  const ltField = dv.getUint32(20, le);
  if ((ltField & 0x03ff0000) !== 0) {
    throw new SavefileError(
      `savefile linktype reserved field not zero (0x${(ltField & 0x03ff0000).toString(16).padStart(8, '0')})`,
    );
  }
  const linktype = ltField & 0xffff;
  const packets: SavefilePacket[] = [];
  let p = 24;
  while (p + 16 <= data.length) {
    const caplen = dv.getUint32(p + 8, le);
    const len = dv.getUint32(p + 12, le);
    if (p + 16 + caplen > data.length) break;
    packets.push({ off: p + 16, caplen, len, linktype });
    p += 16 + caplen;
  }
  return { data, linktype, snaplen, swapped: !le, packets };
}

function parsePcapng(data: Uint8Array, dv: DataView): Savefile {
  let le = true;
  const ifaces: { linktype: number; snaplen: number }[] = [];
  const packets: SavefilePacket[] = [];
  let p = 0;
  let first = true;
  while (p + 12 <= data.length) {
    let type = dv.getUint32(p, le);
    if (type === 0x0a0d0d0a) {
      const bom = dv.getUint32(p + 8, true);
      if (bom === 0x1a2b3c4d) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else throw new SavefileError('unknown file format');
      type = 0x0a0d0d0a;
      const major = dv.getUint16(p + 12, le);
      const minor = dv.getUint16(p + 14, le);
      if (major !== 1 || minor !== 0)
        throw new SavefileError(`unsupported pcapng savefile version ${major}.${minor}`);
      ifaces.length = 0;
    } else if (first) throw new SavefileError('unknown file format');
    first = false;
    const blen = dv.getUint32(p + 4, le);
    if (blen < 12 || p + blen > data.length) throw new SavefileError(`block total length ${blen} is invalid`);
    const trailer = dv.getUint32(p + blen - 4, le);
    if (trailer !== blen) {
      throw new SavefileError(`block total length in header ${blen} and trailer ${trailer} don't match`);
    }
    if (type === 1) {
      ifaces.push({ linktype: dv.getUint16(p + 8, le), snaplen: dv.getUint32(p + 12, le) });
    } else if (type === 6) {
      const ifid = dv.getUint32(p + 8, le);
      const caplen = dv.getUint32(p + 20, le);
      const len = dv.getUint32(p + 24, le);
      const iface = ifaces[ifid];
      if (!iface)
        throw new SavefileError(
          `a packet arrived on interface ${ifid}, but there's no Interface Description Block for that interface`,
        );
      packets.push({ off: p + 28, caplen, len, linktype: iface.linktype });
    } else if (type === 3) {
      const iface = ifaces[0];
      if (!iface) throw new SavefileError('a Simple Packet Block arrived, but there is no interface');
      const len = dv.getUint32(p + 8, le);
      const caplen = Math.min(len, blen - 16, iface.snaplen || len);
      packets.push({ off: p + 12, caplen, len, linktype: iface.linktype });
    }
    p += blen;
  }
  if (ifaces.length === 0) throw new SavefileError('the capture file has no Interface Description Blocks');
  return {
    data,
    linktype: ifaces[0]!.linktype,
    snaplen: ifaces[0]!.snaplen || 262144,
    swapped: !le,
    packets,
  };
}
