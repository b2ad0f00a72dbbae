#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
// tsdump: tcpdump's reading, filtering and printing (and tshark's analysis views) for savefiles,
// and live capture through the native addon. argv -> the layers below -> tcpdump's exit status.
// The shebang drops NODE_EXTRA_CA_CERTS: this tool makes no TLS connection, and Node parses that
// bundle at every start (~70 ms of each run where it is set, as on the bench machine).

import { readFileSync } from 'node:fs';
import { isTsvsError, TsvsError } from '../errors.js';
import { compileFilter, formatProgram } from '../filter/index.js';
import { linktypeByName } from '../pcap/linktype.js';
import { openSavefile } from '../pcap/reader.js';
import { readingBanner, runOffline } from './tsdump/offline.js';
import { parseOptions, type TsdumpOptions, USAGE } from './tsdump/options.js';

const PROG = 'tsdump';

function stderr(s: string): void {
  process.stderr.write(s);
}

/** The filter expression: from -F FILE (comments are not part of tcpdump's syntax) or argv. */
function expressionOf(o: TsdumpOptions): string {
  if (o.filterFile === undefined) return o.expression;
  let text: string;
  try {
    text = readFileSync(o.filterFile, 'latin1');
  } catch (e) {
    throw new TsvsError(
      'TSVS_ERR_FILE',
      `can't open ${o.filterFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message}`,
    );
  }
  if (o.expression !== '') stderr(`${PROG}: Warning: ignoring filter expression on the command line\n`);
  // tcpdump strips '#' comments from -F files.
  return text.replace(/#.*$/gm, ' ').trim();
}

async function main(argv: string[]): Promise<number> {
  const o = parseOptions(argv);
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (o.version) {
    process.stdout.write(`${PROG} version 0.1.0 (tcpdump 4.99.3 compatible output)\n`);
    return 0;
  }
  const expression = expressionOf(o);
  if (o.dumpLevel > 0) {
    // -d/-dd/-ddd: the link type comes from -y, else the savefile, else the interface.
    let linktype = 1;
    let snaplen = o.snaplenGiven ? o.print.snaplen || 262144 : 262144;
    let offline: 'swapped' | 'unswapped' | undefined;
    let banner = '';
    if (o.linktypeName !== undefined) {
      const lt = linktypeByName(o.linktypeName);
      if (lt === undefined) throw new TsvsError('TSVS_ERR_USAGE', `invalid data link type ${o.linktypeName}`);
      linktype = lt;
    } else if (o.readFile !== undefined) {
      const f = openSavefile(o.readFile);
      linktype = f.linktype;
      if (!o.snaplenGiven) snaplen = f.snaplen;
      offline = f.swapped ? 'swapped' : 'unswapped';
      banner = readingBanner(o.readFile, f);
      f.close();
    }
    // tcpdump -d -r opens the file (and says so) before it compiles, with netmask 0.
    process.stderr.write(banner);
    const prog = compileFilter(expression, {
      linktype,
      snaplen,
      optimize: !o.noOptimize,
      netmask: 0,
      offline,
    });
    process.stdout.write(formatProgram(prog, Math.min(o.dumpLevel, 3) as 1 | 2 | 3));
    return 0;
  }
  // As tcpdump: -r wins over -i and -L (they only matter for a live capture).
  const wantsLive = o.readFile === undefined && (o.listDataLinks || o.iface !== undefined);
  if (o.listInterfaces || wantsLive) {
    let live: typeof import('./tsdump/live.js');
    let session: typeof import('./tsdump/live-session.js');
    try {
      live = await import('./tsdump/live.js');
      session = await import('./tsdump/live-session.js');
    } catch (e) {
      throw new TsvsError(
        'TSVS_ERR_CAPTURE',
        `live capture is not available in this build: ${(e as Error).message}`,
      );
    }
    if (o.listInterfaces) {
      process.stdout.write(live.listInterfaces());
      return 0;
    }
    if (o.listDataLinks) {
      const { linkPrinterExists } = await import('../print/link.js');
      stderr(live.listDataLinks(liveOptions(o), linkPrinterExists));
      return 0;
    }
    return runLiveCapture(o, expression, session);
  }
  if (o.readFile === undefined) {
    stderr(
      `${PROG}: no interface or savefile given: use -r FILE to read a capture, or -i IFACE to capture\n${USAGE}`,
    );
    return 1;
  }
  return runOffline(o, expression, { stderr, progress: process.stderr.isTTY === true });
}

/** The live capture options of the command line (-i, -s, -p, -Q, --immediate-mode, -B, -y). */
function liveOptions(o: TsdumpOptions) {
  let linktype: number | undefined;
  if (o.linktypeName !== undefined) {
    linktype = linktypeByName(o.linktypeName);
    if (linktype === undefined)
      throw new TsvsError('TSVS_ERR_USAGE', `invalid data link type ${o.linktypeName}`);
  }
  return {
    iface: o.iface ?? 'any',
    snaplen: o.snaplenGiven ? o.print.snaplen : 262144,
    promisc: o.promisc,
    direction: o.direction,
    immediate: o.immediate,
    bufferKiB: o.bufferKiB,
    linktype,
    linktypeName: o.linktypeName,
  };
}

async function runLiveCapture(
  o: TsdumpOptions,
  expression: string,
  session: typeof import('./tsdump/live-session.js'),
): Promise<number> {
  const { Out } = await import('../print/out.js');
  const { PacketPrinter } = await import('../print/packet.js');
  const out = new Out(1, o.lineBuffered || process.stdout.isTTY === true);
  const printer = o.writeFile === undefined || o.printWithWrite ? new PacketPrinter(o.print, out) : null;
  let n = 0;
  return session.runLive({
    program: PROG,
    live: liveOptions(o),
    expression,
    optimize: !o.noOptimize,
    count: o.count,
    verbose: o.verboseGiven,
    write:
      o.writeFile === undefined
        ? undefined
        : {
            path: o.writeFile,
            fileSize: o.fileSizeMb === undefined ? undefined : Math.round(o.fileSizeMb * 1000000),
            fileCount: o.fileCount,
            rotateSeconds: o.rotateSeconds,
            packetBuffered: o.packetBuffered,
            nanosecond: o.print.nano,
          },
    print:
      printer === null
        ? undefined
        : (rec) => {
            n++;
            printer.print(rec.buf, rec.off, rec.caplen, rec.len, rec.linktype, rec.tsSec, rec.tsNsec, n);
          },
    flush: () => out.flush(),
    stdout: (s) => process.stdout.write(s),
    stderr,
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (isTsvsError(e)) {
      stderr(`${PROG}: ${e.message}\n`);
      if (e.code === 'TSVS_ERR_USAGE') stderr(USAGE);
      process.exitCode = e.exitStatus || 1;
      return;
    }
    stderr(`${PROG}: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
