// Sends COUNT identical-size IPv4/UDP frames (dport 9000) out of IFACE as fast as a packet socket
// takes them, then prints how many went out: the bounded flood of bench/capture-vs-tcpdump.sh.
//   node --import tsx bench/capture-flood.ts IFACE DST_MAC SRC_IP DST_IP COUNT SIZE
import { readFileSync } from 'node:fs';
import { ifIndexOf } from '../src/cli/tsdump/live-interfaces.js';
import { PacketSocket } from '../src/io/packet-socket.js';

const [iface, dstMac, srcIp, dstIp, countArg, sizeArg] = process.argv.slice(2);
const count = Number(countArg);
const size = Math.max(64, Number(sizeArg));
const ifindex = ifIndexOf(iface);
if (ifindex === undefined) throw new Error(`${iface}: no such interface`);
const srcMac = readFileSync(`/sys/class/net/${iface}/address`, 'utf8').trim();

const f = Buffer.alloc(size);
Buffer.from(dstMac.replaceAll(':', ''), 'hex').copy(f, 0);
Buffer.from(srcMac.replaceAll(':', ''), 'hex').copy(f, 6);
f.writeUInt16BE(0x0800, 12);
f[14] = 0x45;
f.writeUInt16BE(size - 14, 16);
f[22] = 64;
f[23] = 17;
Buffer.from(srcIp.split('.').map(Number)).copy(f, 26);
Buffer.from(dstIp.split('.').map(Number)).copy(f, 30);
let sum = 0;
for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
f.writeUInt16BE(~sum & 0xffff, 24);
f.writeUInt16BE(9000, 34);
f.writeUInt16BE(9000, 36);
f.writeUInt16BE(size - 34, 38);

const sock = PacketSocket.open({
  ifindex,
  cooked: false,
  snaplen: 64,
  promisc: false,
  bufferBytes: 0,
  ring: false,
});
const deadline = Date.now() + 60000;
let sent = 0;
const start = process.hrtime.bigint();
for (let tries = 0; sent < count; tries++) {
  // A sequence number in the payload so each frame is distinct.
  f.writeUInt32BE(sent, 42);
  if (sock.send(f, 0, size) === size) sent++;
  if ((tries & 0xffff) === 0 && Date.now() > deadline) break;
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
sock.close();
process.stdout.write(`${JSON.stringify({ sent, seconds: secs, pps: Math.round(sent / secs) })}\n`);
