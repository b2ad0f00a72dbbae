// Runs tsdump's live capture engine inside a network namespace for the e2e tests: options as JSON
// in argv[2]; prints {"ready":...} once capturing, then one JSON result line when done.
import { readFileSync } from 'node:fs';
import { type LiveOptions, openLive } from '../../../src/cli/tsdump/live.js';
import { RotatingPcapWriter } from '../../../src/cli/tsdump/live-rotate.js';
import { isTsvsError } from '../../../src/errors.js';
import type { BpfInsn } from '../../../src/filter/index.js';

interface DriverOptions extends LiveOptions {
  filter?: BpfInsn[];
  /** Stop after this many packets (tcpdump -c). */
  count?: number;
  /** Hard bound on the capture time. */
  maxMs: number;
  /** Write the packets to this pcap file as well. */
  pcap?: string;
}

const opts = JSON.parse(process.argv[2]) as DriverOptions;

function ifaceFlags(name: string): number {
  try {
    return Number.parseInt(readFileSync(`/sys/class/net/${name}/flags`, 'utf8'), 16);
  } catch {
    return -1;
  }
}

function out(obj: unknown): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

try {
  const cap = openLive(opts);
  if (opts.filter) cap.setFilter(opts.filter);
  const writer = opts.pcap
    ? new RotatingPcapWriter({ path: opts.pcap, linktype: cap.linktype, snaplen: cap.snaplen })
    : null;
  const packets: { hex: string; caplen: number; len: number; ts: number }[] = [];
  let done = false;
  const finish = (error?: string) => {
    if (done) return;
    done = true;
    cap.stop();
    writer?.close();
    out({ packets, stats: cap.stats(), filterIn: cap.filterIn, linktype: cap.linktype, error });
    clearTimeout(timer);
  };
  const timer = setTimeout(() => finish(), opts.maxMs);
  process.on('SIGTERM', () => finish());
  cap.start(
    (rec) => {
      packets.push({
        hex: Buffer.from(rec.buf.subarray(rec.off, rec.off + rec.caplen)).toString('hex'),
        caplen: rec.caplen,
        len: rec.len,
        ts: rec.tsSec + rec.tsNsec / 1e9,
      });
      writer?.write(rec);
      if (opts.count !== undefined && packets.length >= opts.count) finish();
    },
    (err) => finish(err.message),
  );
  out({ ready: true, flags: opts.iface === 'any' ? 0 : ifaceFlags(opts.iface), linktype: cap.linktype });
} catch (e) {
  if (!isTsvsError(e)) throw e;
  out({ error: e.message, code: e.code });
}
