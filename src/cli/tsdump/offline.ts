// Reading a savefile (-r): banner, filter, -c, printing, -w, --count and the tshark-style
// analysis; errors during the loop keep what was printed and end with tcpdump's message.

import { statSync, writeFileSync } from 'node:fs';
import type { AnalysisSession, FieldsOptions, StatRequest } from '../../analyze/session.js';
import { TsvsError } from '../../errors.js';
import { type CompiledFilter, compileFilter, compileToFunction } from '../../filter/index.js';
import { linktypeBanner } from '../../pcap/linktype.js';
import { checkLinktype, errnoText, openSavefile, type Savefile } from '../../pcap/reader.js';
import { PcapWriter } from '../../pcap/writer.js';
import { Out } from '../../print/out.js';
import type { PacketPrinter } from '../../print/packet.js';
import type { TsdumpOptions } from './options.js';

export interface RunIo {
  stderr: (s: string) => void;
  /** stderr is a terminal: show a progress bar while reading a large file. */
  progress?: boolean;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** "\r[##########          ]  50% 412 MB" */
function progressBar(done: number, total: number): string {
  const f = total > 0 ? Math.min(1, done / total) : 0;
  const w = 30;
  const k = Math.round(f * w);
  return `\r[${'#'.repeat(k)}${' '.repeat(w - k)}] ${String(Math.round(f * 100)).padStart(3)}% ${Math.round(done / 1e6)} MB`;
}

/** tcpdump's first line on stderr for a savefile (-r, and -d -r). */
export function readingBanner(path: string, f: Savefile): string {
  return `reading from file ${path}, link-type ${linktypeBanner(f.linktype)}, snapshot length ${f.snaplen}\n`;
}

/** Parses -E options (tshark): header=y|n, separator=/t|/s|C, occurrence=f|l|a, aggregator=C, quote=d|s|n. */
export function fieldsOptions(o: TsdumpOptions): FieldsOptions {
  const f: FieldsOptions = {
    fields: o.tshark.fields,
    header: false,
    separator: '\t',
    occurrence: 'a',
    aggregator: ',',
    quote: 'n',
  };
  for (const e of o.tshark.eopts) {
    const eq = e.indexOf('=');
    const k = eq < 0 ? e : e.slice(0, eq);
    const v = eq < 0 ? '' : e.slice(eq + 1);
    if (k === 'header' && (v === 'y' || v === 'n')) f.header = v === 'y';
    else if (k === 'separator') f.separator = v === '/t' ? '\t' : v === '/s' ? ' ' : v;
    else if (k === 'occurrence' && (v === 'f' || v === 'l' || v === 'a')) f.occurrence = v;
    else if (k === 'aggregator') f.aggregator = v === '/s' ? ' ' : v;
    else if (k === 'quote' && (v === 'd' || v === 's' || v === 'n')) f.quote = v;
    else
      throw new TsvsError(
        'TSVS_ERR_USAGE',
        `Invalid -E option "${e}" (header=y|n, separator=/t|/s|<char>, occurrence=f|l|a, aggregator=<char>, quote=d|s|n)`,
      );
  }
  return f;
}

export function statRequests(
  o: TsdumpOptions,
  parseStat: (z: string) => StatRequest | string,
): StatRequest[] {
  return o.tshark.stats.map((z) => {
    const r = parseStat(z);
    if (typeof r === 'string') throw new TsvsError('TSVS_ERR_USAGE', r);
    return r;
  });
}

/**
 * Runs -r; returns the exit status. The printers and the analysis are loaded only when asked for:
 * `-r F -w G EXPR` then starts with the reader, the filter and the writer alone (half the start time).
 */
export async function runOffline(o: TsdumpOptions, expression: string, io: RunIo): Promise<number> {
  const tsharkMode =
    o.tshark.fieldsMode || o.tshark.stats.length > 0 || o.analyze || o.flowGraph || o.report !== undefined;
  let fields: FieldsOptions | undefined;
  let stats: StatRequest[] = [];
  let analysis: typeof import('../../analyze/session.js') | undefined;
  if (tsharkMode) {
    analysis = await import('../../analyze/session.js');
    const { unknownFields, parseStat } = analysis;
    if (o.tshark.fieldsMode) {
      if (o.tshark.fields.length === 0)
        throw new TsvsError(
          'TSVS_ERR_USAGE',
          '"-T fields" was specified, but no fields were specified with "-e".',
        );
      const bad = unknownFields(o.tshark.fields);
      if (bad.length > 0) {
        throw new TsvsError(
          'TSVS_ERR_USAGE',
          `Some fields aren't valid:\n${bad.map((b) => `\t${b}`).join('\n')}\n(tsdump knows frame.*, ip.*, ipv6.*, tcp.* and tcp.analysis.* fields as tshark names them)`,
        );
      }
      fields = fieldsOptions(o);
    }
    stats = statRequests(o, parseStat);
  }
  const printing =
    !o.countOnly &&
    (o.writeFile === undefined || o.printWithWrite) &&
    !o.tshark.fieldsMode &&
    !o.tshark.quiet &&
    !o.flowGraph;
  const printers = printing ? await import('../../print/packet.js') : undefined;
  const file: Savefile = openSavefile(o.readFile!);
  const out = new Out(1, o.lineBuffered);
  let writer: PcapWriter | null = null;
  let writeError: unknown = null;
  try {
    io.stderr(readingBanner(o.readFile!, file));
    checkLinktype(file.linktype);
    // SLL2 names interfaces by index, which this machine may number differently.
    if (file.linktype === 276) io.stderr('Warning: interface names might be incorrect\n');
    let filter: CompiledFilter | null = null;
    if (expression.trim() !== '') {
      // As tcpdump -r: netmask 0, and code for the file's byte order.
      const prog = compileFilter(expression, {
        linktype: file.linktype,
        snaplen: file.snaplen,
        optimize: !o.noOptimize,
        netmask: 0,
        offline: file.swapped ? 'swapped' : 'unswapped',
      });
      filter = compileToFunction(prog);
    }
    if (o.writeFile !== undefined) {
      const w = new PcapWriter(o.writeFile, file.linktype, file.snaplen, file.nano);
      w.packetBuffered = o.packetBuffered;
      // Same precision as the file: records are copied as stored, adjacent ones at once.
      w.copyStored = true;
      // A write error raised there is the writer's, not the reader's: kept and thrown after next().
      file.beforeRefill(() => {
        try {
          w.flushRun();
        } catch (e) {
          writeError ??= e;
        }
      });
      writer = w;
    }
    const nano = o.precisionGiven ? o.print.nano : false;
    o.print.nano = nano;
    o.print.fileNano = file.nano;
    const printer: PacketPrinter | null = printers ? new printers.PacketPrinter(o.print, out) : null;
    const session: AnalysisSession | null = analysis
      ? new analysis.AnalysisSession(
          { fields, stats, notes: o.analyze, flowGraph: o.flowGraph, report: o.report !== undefined },
          (t) => out.write(t),
        )
      : null;
    // pcap's 32-bit seconds are signed for tcpdump; pcapng's are 64-bit.
    const signedSec = file.format === 'pcap';
    let n = 0;
    let frame = 0;
    const limit = o.count;
    // A progress bar on a terminal while a big file is read, unless packet lines go to it too.
    const size = o.readFile === '-' ? 0 : fileSize(o.readFile!);
    const progress =
      io.progress === true && size > 64 * 1024 * 1024 && !(printer !== null && process.stdout.isTTY === true);
    let nextTick = Date.now() + 250;
    for (;;) {
      let r: ReturnType<Savefile['next']>;
      try {
        r = file.next();
      } catch (e) {
        if (writeError !== null) throw writeError;
        if (e instanceof TsvsError) throw new TsvsError(e.code, `pcap_loop: ${e.message}`, e.exitStatus);
        throw e;
      }
      if (writeError !== null) throw writeError;
      if (r === null) break;
      frame++;
      if (progress && (frame & 0xffff) === 0 && Date.now() >= nextTick) {
        nextTick = Date.now() + 250;
        io.stderr(progressBar(file.position(), size));
      }
      if (filter !== null && filter(r.buf, r.off, r.caplen, r.len) === 0) continue;
      n++;
      if (session !== null) session.frame(r.buf, r.off, r.caplen, r.len, r.linktype, r.tsSec, r.tsNsec);
      if (writer !== null) writer.write(r);
      if (printer !== null) {
        if (session !== null && o.analyze)
          printer.suffix = session.notes === '' ? '' : ` ${session.notes.trimEnd()}`;
        printer.print(
          r.buf,
          r.off,
          r.caplen,
          r.len,
          r.linktype,
          signedSec ? r.tsSec | 0 : r.tsSec,
          r.tsNsec,
          n,
        );
      }
      if (out.closed) break;
      if (limit > 0 && n >= limit) break;
    }
    if (progress) io.stderr(`${progressBar(size, size)}\n`);
    if (session !== null) {
      session.finish();
      if (o.report !== undefined) {
        try {
          writeFileSync(o.report, session.reportHtml(o.readFile!));
        } catch (e) {
          throw new TsvsError('TSVS_ERR_FILE', `${o.report}: ${errnoText(e as NodeJS.ErrnoException)}`);
        }
      }
    }
    if (o.countOnly) out.write(`${n} packet${n === 1 ? '' : 's'}\n`);
    return 0;
  } finally {
    out.flush();
    if (writer !== null) writer.close();
    file.close();
  }
}
