// tcpdump's live capture run around pcap_loop: banner, filter, -w rotation, -c, signals, closing lines.
//
// tsdump's CLI parses its options and calls runLive() with a printer for each packet (the offline
// printing path) when it prints. Messages go through the given stdout/stderr functions with
// tcpdump 4.99's exact wording; the promise resolves to the exit status (0, or 1 after an error).
import { networkInterfaces } from 'node:os';
import { isTsvsError, type TsvsError } from '../../errors.js';
import { compileFilter } from '../../filter/index.js';
import type { PacketRecord } from '../../pcap/record.js';
import {
  closingLines,
  LIVE_LINKTYPE_NAMES,
  type LiveCapture,
  type LiveOptions,
  type LiveStats,
  listeningBanner,
  openLive,
} from './live.js';
import { ROTATE_LIMIT_REACHED, type RotateOptions, RotatingPcapWriter } from './live-rotate.js';

export interface LiveSessionOptions {
  /** Program name for messages ("tsdump"). */
  program: string;
  live: LiveOptions;
  /** The pcap-filter expression; '' captures everything. */
  expression: string;
  /** false for -O. */
  optimize: boolean;
  /** -c: stop after this many packets; 0 = no limit. */
  count: number;
  /** -v given: the banner then reads "<prog>: listening on ...". */
  verbose: boolean;
  /** -w and its rotation options; absent when printing. path '-' writes the savefile to stdout. */
  write?: Omit<RotateOptions, 'linktype' | 'snaplen'>;
  /** Prints one packet (no -w, or -w with --print). The record is borrowed. */
  print?: (rec: PacketRecord) => void;
  /** Flushes the printer's buffered stdout (before the closing lines). */
  flush?: () => void;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** The one-line statistics tcpdump prints on SIGUSR1 (info(0)). */
export function infoLine(program: string, s: LiveStats): string {
  return `${program}: ${closingLines(s).trimEnd().split('\n').join(', ')}\n`;
}

/** Runs a live capture until -c, a signal, an error or the -G/-W file limit; resolves to the exit status. */
export function runLive(o: LiveSessionOptions): Promise<number> {
  const fail = (e: unknown): Promise<number> => {
    if (!isTsvsError(e)) throw e;
    o.stderr(`${o.program}: ${e.message}\n`);
    return Promise.resolve(e.exitStatus || 1);
  };

  let cap: LiveCapture;
  try {
    cap = openLive(o.live);
  } catch (e) {
    return fail(e);
  }
  // tcpdump sets (and announces) the link type when -y is given, and always for "any".
  if (o.live.linktype !== undefined || o.live.iface === 'any') {
    o.stderr(`${o.program}: data link type ${LIVE_LINKTYPE_NAMES[cap.linktype]?.name ?? cap.linktype}\n`);
  }
  let writer: RotatingPcapWriter | null = null;
  try {
    if (o.expression.trim() !== '') {
      cap.setFilter(
        compileFilter(o.expression, {
          linktype: cap.linktype,
          snaplen: cap.snaplen,
          optimize: o.optimize,
          netmask: interfaceNetmask(o.live.iface),
        }),
      );
      for (const w of cap.warnings) o.stderr(`${w}\n`);
    }
    if (o.write)
      writer = new RotatingPcapWriter({ ...o.write, linktype: cap.linktype, snaplen: cap.snaplen });
  } catch (e) {
    cap.stop();
    return fail(e);
  }

  if (!o.verbose && !o.write) {
    o.stderr(`${o.program}: verbose output suppressed, use -v[v]... for full protocol decode\n`);
  } else {
    o.stderr(`${o.program}: `);
  }
  o.stderr(`${listeningBanner(cap)}\n`);

  return new Promise<number>((resolve) => {
    let done = false;
    let captured = 0;
    const signals: [NodeJS.Signals, () => void][] = [];
    const finish = (status: number, interrupted: boolean, message?: string) => {
      if (done) return;
      done = true;
      for (const [sig, h] of signals) process.off(sig, h);
      cap.stop();
      if (writer) {
        try {
          writer.close();
        } catch (e) {
          if (!isTsvsError(e)) throw e;
          message ??= e.message;
          status = 1;
        }
      }
      o.flush?.();
      if (interrupted && !o.write) o.stdout('\n'); // tcpdump ends a line the signal may have cut
      if (message !== undefined) o.stderr(`${o.program}: ${message}\n`);
      o.stderr(closingLines(cap.stats()));
      resolve(status);
    };
    const onSignal = () => finish(0, true);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGPIPE'] as NodeJS.Signals[])
      signals.push([sig, onSignal]);
    signals.push(['SIGUSR1', () => o.stderr(infoLine(o.program, cap.stats()))]);
    signals.push(['SIGUSR2', () => writer?.flush()]);
    for (const [sig, h] of signals) process.on(sig, h);

    try {
      cap.start(
        (rec) => {
          if (done) return;
          if (writer && writer.write(rec) === ROTATE_LIMIT_REACHED) {
            o.stderr(`Maximum file limit reached: ${o.write?.fileCount}\n`);
            finish(0, false);
            return;
          }
          captured++;
          o.print?.(rec);
          if (o.count > 0 && captured >= o.count) finish(0, false);
        },
        (err: TsvsError) => finish(1, false, err.message),
      );
    } catch (e) {
      if (!isTsvsError(e)) throw e;
      finish(1, false, e.message);
    }
  });
}

/** The interface's first IPv4 netmask for `ip broadcast` (tcpdump's pcap_lookupnet), else 0. */
function interfaceNetmask(iface: string | undefined): number {
  const addrs = iface === undefined ? undefined : networkInterfaces()[iface];
  const v4 = addrs?.find((a) => a.family === 'IPv4');
  if (v4 === undefined) return 0;
  return v4.netmask.split('.').reduce((m, part) => m * 256 + Number(part), 0) >>> 0;
}
