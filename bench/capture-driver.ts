// A minimal tsdump -i for bench/capture-vs-tcpdump.sh until the tsdump CLI has -i: the same engine
// (src/cli/tsdump/live.ts), the same writer (-w/-C/-W/-G), tcpdump's banner and closing lines.
//   node --import tsx bench/capture-driver.ts -i IFACE -w FILE [-B KiB] [-s SNAPLEN] [-c N] [--immediate-mode] [EXPR]

import { closingLines, LINKTYPE_ETHERNET, listeningBanner, openLive } from '../src/cli/tsdump/live.js';
import { ROTATE_OK, RotatingPcapWriter } from '../src/cli/tsdump/live-rotate.js';
import { TsvsError } from '../src/errors.js';
import { type BpfInsn, compileFilter } from '../src/filter/index.js';

const args = process.argv.slice(2);
let iface = '';
let file = '';
let bufferKiB: number | undefined;
let snaplen = 262144;
let count = 0;
let immediate = false;
const expr: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '-i') iface = args[++i];
  else if (a === '-w') file = args[++i];
  else if (a === '-B') bufferKiB = Number(args[++i]);
  else if (a === '-s') snaplen = Number(args[++i]);
  else if (a === '-c') count = Number(args[++i]);
  else if (a === '--immediate-mode') immediate = true;
  else expr.push(a);
}

/** "udp port N" by hand, in case the filter compiler is not available in this checkout. */
function udpPortEthernet(port: number): BpfInsn[] {
  const i = (code: number, k: number, jt = 0, jf = 0): BpfInsn => ({ code, jt, jf, k });
  return [
    i(0x28, 12),
    i(0x15, 0x0800, 0, 9),
    i(0x30, 23),
    i(0x15, 17, 0, 7),
    i(0x28, 20),
    i(0x45, 0x1fff, 5, 0),
    i(0xb1, 14),
    i(0x48, 14),
    i(0x15, port, 3, 0),
    i(0x48, 16),
    i(0x15, port, 1, 0),
    i(0x06, 0),
    i(0x06, 262144),
  ];
}

try {
  if (!iface || !file)
    throw new TsvsError('TSVS_ERR_USAGE', 'usage: capture-driver.ts -i IFACE -w FILE [options] [expression]');
  const cap = openLive({ iface, snaplen, promisc: true, direction: 'inout', immediate, bufferKiB });
  if (expr.length > 0) {
    const text = expr.join(' ');
    let prog: BpfInsn[];
    try {
      prog = compileFilter(text, { linktype: cap.linktype, snaplen: cap.snaplen, optimize: true });
    } catch (e) {
      const m = /^udp port (\d+)$/.exec(text);
      if (!m || cap.linktype !== LINKTYPE_ETHERNET) throw e;
      prog = udpPortEthernet(Number(m[1]));
    }
    cap.setFilter(prog);
  }
  for (const w of cap.warnings) process.stderr.write(`${w}\n`);
  const writer = new RotatingPcapWriter({ path: file, linktype: cap.linktype, snaplen: cap.snaplen });
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    cap.stop();
    writer.close();
    process.stderr.write(closingLines(cap.stats()));
  };
  process.on('SIGINT', finish);
  process.on('SIGTERM', finish);
  let n = 0;
  cap.start(
    (rec) => {
      if (writer.write(rec) !== ROTATE_OK) finish();
      if (count > 0 && ++n >= count) finish();
    },
    (err) => {
      process.stderr.write(`tsdump: ${err.message}\n`);
      finish();
      process.exitCode = 1;
    },
  );
  process.stderr.write(`${listeningBanner(cap)}\n`);
} catch (e) {
  if (!(e instanceof TsvsError)) throw e;
  process.stderr.write(`tsdump: ${e.message}\n`);
  process.exit(1);
}
