// Applies a compiled filter to every packet of a pcap (what `tsdump -r F -w /dev/null EXPR` does
// minus the writer), for bench/filter-vs-tcpdump.sh while the tsdump CLI is not there yet.
//   node --import tsx bench/filter-run.ts FILE EXPR...   -> prints "matched/total"
import { closeSync, openSync, readSync } from 'node:fs';
import { compileFilter, compileToFunction } from '../src/filter/index.js';

const [file, ...words] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: filter-run FILE EXPR...\n');
  process.exit(64);
}
const fd = openSync(file, 'r');
const CHUNK = 1 << 22;
let buf = Buffer.allocUnsafe(CHUNK * 2);
let len = readSync(fd, buf, 0, buf.length, null);
const le = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
const rd32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
const snaplen = rd32(16);
const linktype = rd32(20) & 0xffff;
const fn = compileToFunction(
  compileFilter(words.join(' '), {
    linktype,
    snaplen: snaplen || 262144,
    optimize: true,
    offline: le ? 'unswapped' : 'swapped',
  }),
);
let pos = 24;
let total = 0;
let matched = 0;
for (;;) {
  if (pos + 16 > len || pos + 16 + rd32(pos + 8) > len) {
    // Refill: keep the unread tail, read more behind it (no per-packet allocation).
    const tail = len - pos;
    const need = pos + 16 <= len ? 16 + rd32(pos + 8) : 16;
    if (need > buf.length) {
      const nb = Buffer.allocUnsafe(need * 2);
      buf.copy(nb, 0, pos, len);
      buf = nb;
    } else buf.copy(buf, 0, pos, len);
    pos = 0;
    len = tail;
    const n = readSync(fd, buf, len, buf.length - len, null);
    if (n === 0) break;
    len += n;
    continue;
  }
  const caplen = rd32(pos + 8);
  const wirelen = rd32(pos + 12);
  if (fn(buf, pos + 16, caplen, wirelen) !== 0) matched++;
  total++;
  pos += 16 + caplen;
}
closeSync(fd);
process.stdout.write(`${matched}/${total}\n`);
