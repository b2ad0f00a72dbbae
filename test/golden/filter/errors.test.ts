// Golden test: for every expression and link type of errors.tsv, our compiler refuses exactly what
// tcpdump 4.99.3 (libpcap 1.10.3) refuses, with its error message, and compiles what it compiles.
// Rows come from `tcpdump -d -r EMPTYFILE EXPR` (tools/compare-errors.ts --write-golden); names
// resolve from etc/ here, a copy of the files of the machine that made the rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isTsvsError } from '../../../src/errors.js';
import { FileResolver, formatProgram } from '../../../src/filter/index.js';
import { compileAsTcpdumpR } from './as-tcpdump-r.js';

const dir = import.meta.dirname;

// Where we knowingly differ from libpcap 1.10.3 (keys "LINKTYPE<TAB>expression", "*" = every type).
const KNOWN_DIFFERENCES = new Set<string>([
  // Code we do not generate: Geneve (1.10.3 compiles it).
  '*\tgeneve',
]);

test('filter errors: same refusals and messages as tcpdump 4.99.3', () => {
  const resolver = new FileResolver(join(dir, 'etc'));
  const rows = readFileSync(join(dir, 'errors.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string, string]);
  const failures: string[] = [];
  let refused = 0;
  for (const [lt, expr, want] of rows) {
    let got = 'ok';
    try {
      compileAsTcpdumpR(expr, lt, resolver);
    } catch (e) {
      assert.ok(isTsvsError(e), `${lt} ${expr}: ${String(e)}`);
      got = e.message;
    }
    if (want !== 'ok') refused++;
    if (got === want || KNOWN_DIFFERENCES.has(`${lt}\t${expr}`) || KNOWN_DIFFERENCES.has(`*\t${expr}`))
      continue;
    failures.push(
      `${lt}\t${JSON.stringify(expr)}: tcpdump ${JSON.stringify(want)}, ours ${JSON.stringify(got)}`,
    );
  }
  assert.deepEqual(failures, []);
  assert.ok(rows.length > 10000 && refused > 5000, `only ${rows.length} rows, ${refused} refused`);
});

test('filter listings: code only libpcap 1.10.3 generates (llc, OSI, DECnet, 1.10.3 ranges) equals tcpdump -d', () => {
  const resolver = new FileResolver(join(dir, 'etc'));
  const rows = readFileSync(join(dir, 'listings-1.10.3.tsv'), 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t') as [string, string, string]);
  const failures: string[] = [];
  for (const [lt, expr, listing] of rows) {
    const want = `${listing.replace(/\\n/g, '\n').replace(/\\t/g, '\t')}\n`;
    const prog = compileAsTcpdumpR(expr, lt, resolver);
    const got = formatProgram(prog, 1);
    if (got !== want) failures.push(`${lt}\t${expr}\n--- tcpdump\n${want}--- ours\n${got}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(rows.length >= 80, `only ${rows.length} rows`);
});
