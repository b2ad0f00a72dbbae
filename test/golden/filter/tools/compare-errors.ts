// Compares our filter compiler with tcpdump 4.99.3 (libpcap 1.10.3): the error message of every
// refused expression and the -d / -O -d listings of accepted ones, for each supported link type.
//
//   node --import tsx test/golden/filter/tools/compare-errors.ts [--oracle FILE] [--mode lib|tcpdump-opts|cli]
//        [--dlt EN10MB,...] [--listings] [--verbose] [--write-golden]
//
// Expressions: /work/shared/corpus/filter/{reject,accept}.json and tools/bad-expressions.txt.
// The oracle (tcpdump -d -r EMPTYFILE EXPR, and tcpdump -O -d for listings) is run once and cached
// in --oracle (default /tmp/tsvs-filter-oracle.json); without tcpdump the cache must exist.
// --mode lib compiles in-process with what the tsdump CLI passes (no netmask, live code);
// --mode tcpdump-opts in-process as tcpdump -r does (netmask 0, code for an unswapped savefile);
// --mode cli runs `node dist/cli/tsdump.js -d -r EMPTYFILE EXPR` (slow: one node per case).
// --write-golden rewrites test/golden/filter/errors.tsv from the oracle (expressions only).
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTsvsError } from '../../../../src/errors.js';
import { compileFilter, formatProgram } from '../../../../src/filter/index.js';
import { linktypeByName } from '../../../../src/pcap/linktype.js';

const HERE = import.meta.dirname;
const GOLDEN_DIR = join(HERE, '..');
const REPO = join(HERE, '..', '..', '..', '..');
const CORPUS = process.env.TSVS_FILTER_CORPUS ?? '/work/shared/corpus/filter';

/** The link types the filter issue covers (numbers from the pcap layer's table). */
export const DLT_NAMES = ['EN10MB', 'LINUX_SLL', 'LINUX_SLL2', 'NULL', 'LOOP', 'RAW', 'IPV4', 'IPV6'];

interface Outcome {
  /** Error message without the program prefix, or null when the expression compiled. */
  err: string | null;
  /** -d listing when compiled. */
  opt?: string;
  /** -O -d listing when compiled (listing expressions only). */
  unopt?: string;
}

type Oracle = Record<string, Outcome>;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(name);

function emptyFile(dir: string, dlt: string): string {
  const p = join(dir, `${dlt}.pcap`);
  if (!existsSync(p)) {
    const b = Buffer.alloc(24);
    b.writeUInt32LE(0xa1b2c3d4, 0);
    b.writeUInt16LE(2, 4);
    b.writeUInt16LE(4, 6);
    b.writeUInt32LE(262144, 16);
    b.writeUInt32LE(linktypeByName(dlt)!, 20);
    writeFileSync(p, b);
  }
  return p;
}

/** Last `prog: ` line of stderr, prefix removed. */
function errorLine(stderr: string, prog: string): string {
  const lines = stderr.split('\n').filter((l) => l.startsWith(`${prog}: `));
  return lines.length ? lines[lines.length - 1]!.slice(prog.length + 2) : `(no message) ${stderr.trim()}`;
}

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000, maxBuffer: 1 << 24 }, (e, stdout, stderr) => {
      const code = e ? (typeof e.code === 'number' ? e.code : 255) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function pool<T>(items: T[], n: number, f: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (i < items.length) await f(items[i++]!);
    }),
  );
}

export function loadExpressions(): { errExprs: string[]; listExprs: string[] } {
  const rej = JSON.parse(readFileSync(join(CORPUS, 'reject.json'), 'utf8')).tests as { expr?: string }[];
  const acc = JSON.parse(readFileSync(join(CORPUS, 'accept.json'), 'utf8')).tests as { expr: string }[];
  const mine = readFileSync(join(HERE, 'bad-expressions.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const listExprs = [...new Set(acc.map((t) => t.expr))];
  const errExprs = [
    ...new Set([...rej.filter((t) => t.expr !== undefined).map((t) => t.expr!), ...listExprs, ...mine]),
  ];
  return { errExprs, listExprs };
}

async function main(): Promise<void> {
  const oraclePath = arg('--oracle') ?? '/tmp/tsvs-filter-oracle.json';
  const mode = arg('--mode') ?? 'lib';
  const dlts = (arg('--dlt') ?? DLT_NAMES.join(',')).split(',');
  const listings = flag('--listings');
  const verbose = flag('--verbose');
  const tmp = '/tmp/tsvs-filter-compare';
  mkdirSync(tmp, { recursive: true });
  const { errExprs, listExprs } = loadExpressions();
  const listSet = new Set(listExprs);
  const oracle: Oracle = existsSync(oraclePath) ? JSON.parse(readFileSync(oraclePath, 'utf8')) : {};

  // 1. Oracle: whatever is missing from the cache.
  const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;
  const todo: [string, string][] = [];
  for (const dlt of dlts) for (const e of errExprs) if (!(`${dlt}\t${e}` in oracle)) todo.push([dlt, e]);
  if (todo.length) {
    if (!haveTcpdump) throw new Error(`tcpdump not installed and ${todo.length} oracle results missing`);
    process.stderr.write(`running tcpdump for ${todo.length} cases\n`);
    await pool(todo, 2, async ([dlt, e]) => {
      const f = emptyFile(tmp, dlt);
      const r = await run('tcpdump', ['-d', '-r', f, e]);
      const o: Outcome =
        r.code === 0 ? { err: null, opt: r.stdout } : { err: errorLine(r.stderr, 'tcpdump') };
      if (r.code === 0 && listSet.has(e)) {
        const u = await run('tcpdump', ['-O', '-d', '-r', f, e]);
        o.unopt = u.code === 0 ? u.stdout : `(refused: ${errorLine(u.stderr, 'tcpdump')})`;
      }
      oracle[`${dlt}\t${e}`] = o;
    });
    writeFileSync(oraclePath, JSON.stringify(oracle));
  }

  if (flag('--write-golden')) {
    const rows = [
      '# linktype\texpression\ttcpdump 4.99.3 -d -r EMPTYFILE: error message, or "ok" when it compiles',
    ];
    for (const dlt of dlts)
      for (const e of errExprs) {
        const o = oracle[`${dlt}\t${e}`]!;
        if (/[\t\n]/.test(e)) continue;
        rows.push(`${dlt}\t${e}\t${o.err ?? 'ok'}`);
      }
    writeFileSync(join(GOLDEN_DIR, 'errors.tsv'), `${rows.join('\n')}\n`);
    process.stderr.write(`wrote ${rows.length - 1} rows to errors.tsv\n`);
  }

  // 2. Ours.
  const ours = async (dlt: string, e: string, optimize: boolean): Promise<Outcome> => {
    if (mode === 'cli') {
      const r = await run('node', [
        join(REPO, 'dist/cli/tsdump.js'),
        ...(optimize ? [] : ['-O']),
        '-d',
        '-r',
        emptyFile(tmp, dlt),
        e,
      ]);
      return r.code === 0 ? { err: null, opt: r.stdout } : { err: errorLine(r.stderr, 'tsdump') };
    }
    try {
      const prog = compileFilter(e, {
        linktype: linktypeByName(dlt)!,
        snaplen: 262144,
        optimize,
        ...(mode === 'tcpdump-opts' ? { netmask: 0, offline: 'unswapped' as const } : {}),
      });
      return { err: null, opt: formatProgram(prog, 1) };
    } catch (x) {
      if (!isTsvsError(x)) return { err: `(crash) ${String(x)}` };
      return { err: x.message };
    }
  };

  let same = 0;
  let diffMsg = 0;
  let weAccept = 0;
  let weRefuse = 0;
  let refusedBoth = 0;
  let lsame = 0;
  let ldiff = 0;
  let usame = 0;
  let udiff = 0;
  const report: string[] = [];
  const cases: [string, string][] = [];
  for (const dlt of dlts) for (const e of errExprs) cases.push([dlt, e]);
  await pool(cases, mode === 'cli' ? 2 : 1, async ([dlt, e]) => {
    const o = oracle[`${dlt}\t${e}`]!;
    const m = await ours(dlt, e, true);
    if (o.err !== null) {
      if (m.err === null) {
        weAccept++;
        report.push(`ACCEPTS ${dlt}\t${e}\ttcpdump: ${o.err}`);
      } else {
        refusedBoth++;
        if (m.err === o.err) same++;
        else {
          diffMsg++;
          report.push(`MESSAGE ${dlt}\t${e}\ttcpdump: ${o.err}\tours: ${m.err}`);
        }
      }
      return;
    }
    if (m.err !== null) {
      weRefuse++;
      report.push(`REFUSES ${dlt}\t${e}\tours: ${m.err}`);
      return;
    }
    same++;
    if (listings && listSet.has(e)) {
      if (m.opt === o.opt) lsame++;
      else {
        ldiff++;
        report.push(`LISTING ${dlt}\t${e}${verbose ? `\n--- tcpdump\n${o.opt}--- ours\n${m.opt}` : ''}`);
      }
      const u = await ours(dlt, e, false);
      if (u.opt === o.unopt) usame++;
      else {
        udiff++;
        report.push(
          `UNOPT ${dlt}\t${e}${verbose ? `\n--- tcpdump\n${o.unopt}--- ours\n${u.opt ?? u.err}\n` : ''}`,
        );
      }
    }
  });
  report.sort();
  process.stdout.write(report.map((l) => `${l}\n`).join(''));
  const total = cases.length;
  process.stdout.write(
    `cases ${total}: outcome+message equal ${same}; refused by both, message differs ${diffMsg}; ` +
      `tcpdump refuses, we accept ${weAccept}; tcpdump accepts, we refuse ${weRefuse} ` +
      `(refused by both ${refusedBoth}, messages equal ${refusedBoth - diffMsg})\n`,
  );
  if (listings)
    process.stdout.write(
      `listings (accept.json exprs accepted by both): -d equal ${lsame}, differ ${ldiff}; -O -d equal ${usame}, differ ${udiff}\n`,
    );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
