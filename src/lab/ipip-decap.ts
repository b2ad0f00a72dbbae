// A lab real server's IP-in-IP receiver (RFC 2003) for kernels without the ipip module: captures
// protocol-4 packets addressed to this host on IFACE (AF_PACKET + BPF "ip proto 4 and dst host
// ADDR"), strips the outer header and writes the inner packet into a TUN device, where the kernel
// delivers it to the VIP held on lo — what tunl0 does when the module exists.
// usage: node ipip-decap.js IFACE ADDR TUNNAME

import { compileFilter } from '../filter/index.js';
import { PacketSocket, REC_DATA_BYTE, REC_W_CAPLEN, REC_W_RECLEN } from '../io/packet-socket.js';
import { TunDevice } from '../io/tun.js';

const [iface, addr, tunName] = process.argv.slice(2);
if (!iface || !addr || !tunName) {
  process.stderr.write('usage: ipip-decap IFACE ADDR TUNNAME\n');
  process.exit(2);
}
const ifindex = Number((await import('node:fs')).readFileSync(`/sys/class/net/${iface}/ifindex`, 'utf8'));
const sock = PacketSocket.open({
  ifindex,
  cooked: false,
  snaplen: 65535,
  promisc: false,
  ignoreOutgoing: true,
  bufferBytes: 4 << 20,
  ring: false,
});
// A raw socket on an Ethernet interface: EN10MB programs, the kernel runs them as they are.
sock.setFilter(
  compileFilter(`ip proto 4 and dst host ${addr}`, { linktype: 1, snaplen: 65535, optimize: true }),
);
const tun = TunDevice.open(tunName);
const rbuf = new Uint8Array(Math.max(sock.minReadBuffer(), 1 << 20));
const words = new Uint32Array(rbuf.buffer);
const offsets = new Uint32Array(2 * 1024);
let forwarded = 0;

sock.onReadable(() => {
  for (let round = 0; round < 16; round++) {
    const used = sock.read(rbuf);
    if (used <= 0) return;
    let pos = 0;
    let n = 0;
    while (pos < used && n < 1024) {
      const recLen = words[(pos >> 2) + REC_W_RECLEN]!;
      const caplen = words[(pos >> 2) + REC_W_CAPLEN]!;
      if (recLen === 0) break;
      const ipOff = pos + REC_DATA_BYTE + 14;
      const hl = (rbuf[ipOff]! & 15) << 2;
      if (rbuf[ipOff]! >>> 4 === 4 && caplen > 14 + hl + 20) {
        offsets[2 * n] = ipOff + hl;
        offsets[2 * n + 1] = caplen - 14 - hl;
        n++;
      }
      pos += recLen;
    }
    if (n > 0) forwarded += tun.writeBatch(rbuf, offsets, n);
  }
});
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);
process.stdout.write(`decapsulating on ${iface} into ${tun.name}\n`);
process.on('SIGTERM', () => {
  sock.close();
  tun.close();
  process.stderr.write(`ipip-decap: ${forwarded} packets\n`);
  process.exit(0);
});
