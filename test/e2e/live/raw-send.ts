// Sends raw Ethernet frames (hex in argv[3..]) out of interface argv[2] through tsvs's packet socket.
import { ifIndexOf } from '../../../src/cli/tsdump/live-interfaces.js';
import { PacketSocket } from '../../../src/io/packet-socket.js';

const [iface, ...frames] = process.argv.slice(2);
const ifindex = ifIndexOf(iface);
if (ifindex === undefined) throw new Error(`${iface}: no such interface`);
const sock = PacketSocket.open({
  ifindex,
  cooked: false,
  snaplen: 65535,
  promisc: false,
  bufferBytes: 0,
  ring: false,
});
let sent = 0;
for (const hex of frames) {
  const b = Buffer.from(hex, 'hex');
  if (sock.send(b, 0, b.length) === b.length) sent++;
}
sock.close();
process.stdout.write(`${sent}\n`);
