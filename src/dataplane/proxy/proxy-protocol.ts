// PROXY protocol headers (haproxy's proxy-protocol.txt, versions 1 and 2) that the proxy plane
// sends first to a real server, so that it sees the client's address instead of the director's.
// Source = the client, destination = the virtual address the client dialled (a listener's).

import { parseInto } from '../../director/index.js';

/** The 12-byte signature that opens every version 2 header. */
export const PROXY_V2_SIGNATURE = Buffer.from([
  0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
]);

const words = new Uint32Array(4);
const words2 = new Uint32Array(4);

/** Strip an IPv4-mapped IPv6 prefix (a dual-stack socket's view of an IPv4 peer). */
function plain(addr: string): string {
  return addr.startsWith('::ffff:') && addr.indexOf('.') > 0 ? addr.slice(7) : addr;
}

/**
 * Version 1 (text): `PROXY TCP4 src dst sport dport\r\n`; `PROXY UNKNOWN\r\n` when the two
 * addresses are not of one family (the receiver then uses the connection's own addresses).
 */
export function proxyV1(srcAddr: string, srcPort: number, dstAddr: string, dstPort: number): Buffer {
  const s = plain(srcAddr);
  const d = plain(dstAddr);
  const fs = parseInto(s, words);
  const fd = parseInto(d, words2);
  if (fs === 0 || fs !== fd) return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  return Buffer.from(`PROXY TCP${fs} ${s} ${d} ${srcPort} ${dstPort}\r\n`, 'latin1');
}

/**
 * Version 2 (binary): signature, version 2 + command PROXY (0x21), family/transport byte
 * (0x11 TCP/IPv4, 0x21 TCP/IPv6, 0x12/0x22 for UDP), length, addresses, ports (network order).
 * Mixed or unparsable families give the LOCAL command with no address block.
 */
export function proxyV2(
  srcAddr: string,
  srcPort: number,
  dstAddr: string,
  dstPort: number,
  transport: 'TCP' | 'UDP' = 'TCP',
): Buffer {
  const fs = parseInto(plain(srcAddr), words);
  const fd = parseInto(plain(dstAddr), words2);
  if (fs === 0 || fs !== fd) {
    const b = Buffer.alloc(16);
    PROXY_V2_SIGNATURE.copy(b, 0);
    b[12] = 0x20; // version 2, LOCAL
    b[13] = 0x00; // UNSPEC
    b.writeUInt16BE(0, 14);
    return b;
  }
  const alen = fs === 4 ? 12 : 36;
  const b = Buffer.alloc(16 + alen);
  PROXY_V2_SIGNATURE.copy(b, 0);
  b[12] = 0x21;
  b[13] = (fs === 4 ? 0x10 : 0x20) | (transport === 'TCP' ? 0x01 : 0x02);
  b.writeUInt16BE(alen, 14);
  let o = 16;
  if (fs === 4) {
    b.writeUInt32BE(words[3]!, o);
    b.writeUInt32BE(words2[3]!, o + 4);
    o += 8;
  } else {
    for (let i = 0; i < 4; i++) b.writeUInt32BE(words[i]!, o + i * 4);
    for (let i = 0; i < 4; i++) b.writeUInt32BE(words2[i]!, o + 16 + i * 4);
    o += 32;
  }
  b.writeUInt16BE(srcPort, o);
  b.writeUInt16BE(dstPort, o + 2);
  return b;
}
