// Answers pings through a TUN device with tsvs's tun.ts (open, poll, batched read and write):
// argv: DEVICE LOCAL_CIDR PEER_IP COUNT. Prints READY once the device is up, DONE n when n replies went out.
import { execFileSync } from 'node:child_process';
import { TunDevice } from '../../../src/io/tun.js';

const [name, cidr, peer, countArg] = process.argv.slice(2);
const count = Number(countArg);
const tun = TunDevice.open(name, { noPi: true });
execFileSync('ip', ['addr', 'add', cidr, 'dev', tun.name]);
execFileSync('ip', ['link', 'set', tun.name, 'up']);
void peer;

const inBuf = new Uint8Array(1 << 20);
const outBuf = new Uint8Array(1 << 20);
const offsets = new Uint32Array(2 * 256);
let replied = 0;

function checksum(b: Uint8Array, off: number, len: number): number {
  let sum = 0;
  for (let i = 0; i < len - 1; i += 2) sum += (b[off + i] << 8) | b[off + i + 1];
  if (len & 1) sum += b[off + len - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const timer = setTimeout(() => {
  tun.close();
  process.stdout.write(`DONE ${replied}\n`);
}, 10000);

tun.onReadable(() => {
  const n = tun.readBatch(inBuf);
  const view = new DataView(inBuf.buffer);
  let out = 0;
  let k = 0;
  for (let off = 0; off < n; ) {
    const len = view.getUint32(off, true);
    const p = off + 4;
    off += (4 + len + 3) & ~3;
    // IPv4 ICMP echo request -> echo reply: swap addresses, type 0, fix the ICMP checksum.
    if (len < 28 || inBuf[p] >> 4 !== 4 || inBuf[p + 9] !== 1 || inBuf[p + 20] !== 8) continue;
    outBuf.set(inBuf.subarray(p, p + len), out);
    outBuf.set(inBuf.subarray(p + 16, p + 20), out + 12);
    outBuf.set(inBuf.subarray(p + 12, p + 16), out + 16);
    outBuf[out + 20] = 0;
    outBuf[out + 22] = 0;
    outBuf[out + 23] = 0;
    const c = checksum(outBuf, out + 20, len - 20);
    outBuf[out + 22] = c >> 8;
    outBuf[out + 23] = c & 0xff;
    offsets[2 * k] = out;
    offsets[2 * k + 1] = len;
    out += len;
    k++;
  }
  if (k > 0) replied += tun.writeBatch(outBuf, offsets, k);
  if (replied >= count) {
    clearTimeout(timer);
    tun.close();
    process.stdout.write(`DONE ${replied}\n`);
  }
});
process.stdout.write(`READY ${tun.name}\n`);
