// Regenerates the IPv4-family goldens under test/golden/tcpdump/ipv4/: the expected text of
// Debian's tcpdump 4.99.3 for every capture in pcap/ and every flag set below (out/*.out), the
// printers.tsv list (all rows, checked printer by printer by printers.test.ts) and cases.tsv (the
// rows whole-line tsdump already matches, run by the tsdump golden runner).
// Captures: test/tools/capture-tcpdump-ipv4.sh (real traffic, root) and craft-ipv4.ts (crafted).
// usage: node --import tsx test/tools/regen-tcpdump-ipv4.ts
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const DIR = join(ROOT, 'test/golden/tcpdump/ipv4');
const PCAP_DIR = join(DIR, 'pcap');
const OUT_DIR = join(DIR, 'out');
const TSDUMP = join(ROOT, 'dist/cli/tsdump.js');

/** Flag sets every capture is printed with (-n first: no resolver, as in the corpus). */
const FLAG_SETS: [string, string[]][] = [
  ['', ['-n']],
  ['v', ['-n', '-v']],
  ['vv', ['-n', '-vv']],
  ['vvv', ['-n', '-vvv']],
  ['S', ['-n', '-S']],
  ['q', ['-n', '-q']],
  ['nn-e', ['-nn', '-e']],
  ['x', ['-n', '-x']],
  ['X', ['-n', '-X']],
  ['vv-e-tttt', ['-n', '-vv', '-e', '-tttt']],
];
/** Flag sets whose output is not only the IPv4 printers' (link header, hex dumps, time). */
const WHOLE_LINE_ONLY = new Set(['nn-e', 'x', 'X', 'vv-e-tttt']);
/** Rows left out to keep the goldens small (300 segments of hex). */
const SKIP = new Set(['loss-x', 'loss-X']);

function run(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'latin1',
    env: { ...process.env, TZ: 'GMT0' },
    maxBuffer: 1 << 28,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

mkdirSync(OUT_DIR, { recursive: true });
const printerRows: string[] = ['name\tpcap\toptions\texpected'];
const caseRows: string[] = ['name\tpcap\toptions\texpected'];
let total = 0;
let passing = 0;
const canRunTsdump = existsSync(TSDUMP);
for (const file of readdirSync(PCAP_DIR).sort()) {
  if (!file.endsWith('.pcap')) continue;
  const base = file.slice(0, -5);
  // printers.test.ts reads Ethernet captures only; others (Linux cooked) are whole-line rows.
  const ethernet = (readFileSync(join(PCAP_DIR, file)).readUInt32LE(20) & 0xffff) === 1;
  for (const [suffix, flags] of FLAG_SETS) {
    const name = suffix === '' ? base : `${base}-${suffix}`;
    if (SKIP.has(name)) continue;
    const pcap = join(PCAP_DIR, file);
    const r = run('tcpdump', ['-r', pcap, ...flags]);
    if (r.status !== 0) throw new Error(`tcpdump -r ${file} ${flags.join(' ')} failed: ${r.stderr}`);
    writeFileSync(join(OUT_DIR, `${name}.out`), r.stdout, 'latin1');
    const row = `${name}\tpcap/${file}\t${flags.join(' ')}\tout/${name}.out`;
    total++;
    if (ethernet && !WHOLE_LINE_ONLY.has(suffix)) printerRows.push(row);
    if (canRunTsdump) {
      // Retried: other people's builds rewrite dist/ while this runs (a half-written module fails).
      for (let attempt = 0; attempt < 3; attempt++) {
        const t = run('node', [TSDUMP, '-r', pcap, ...flags]);
        if (t.status === 0 && t.stdout === r.stdout) {
          caseRows.push(row);
          passing++;
          break;
        }
        if (t.status === 0) break;
      }
    }
  }
}
writeFileSync(join(DIR, 'printers.tsv'), `${printerRows.join('\n')}\n`);
writeFileSync(join(DIR, 'cases.tsv'), `${caseRows.join('\n')}\n`);
console.log(
  `${total} outputs, ${printerRows.length - 1} printer rows, ${canRunTsdump ? `${passing} whole-line rows tsdump passes` : 'no dist/cli/tsdump.js: cases.tsv left empty'}`,
);
