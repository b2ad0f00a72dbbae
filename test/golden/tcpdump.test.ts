// Golden test of tsdump's printing: every row of every test/golden/tcpdump/**/cases.tsv
// (name, pcap, options, expected output, paths relative to the tsv) is run through dist/cli/tsdump.js
// and must print exactly what tcpdump 4.99.3 printed (the regen scripts beside each tsv make them).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli', 'tsdump.js');

function tsvFiles(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsvFiles(p, out);
    else if (name === 'cases.tsv') out.push(p);
  }
  return out;
}

for (const tsv of tsvFiles(join(import.meta.dirname, 'tcpdump'), [])) {
  const base = dirname(tsv);
  const group = base.slice(join(import.meta.dirname, 'tcpdump').length + 1) || '.';
  const rows = readFileSync(tsv, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
  test(`tcpdump goldens: ${group} (${rows.length} cases)`, () => {
    const failures: string[] = [];
    for (const row of rows) {
      const [name, pcap, options, expected] = row.split('\t');
      const args = ['-r', join(base, pcap!), ...(options ?? '').split(/\s+/).filter((w) => w !== '')];
      const r = spawnSync(process.execPath, [cli, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
        env: { ...process.env, TZ: 'GMT0' },
      });
      const want = readFileSync(join(base, expected!), 'utf8');
      if (r.status !== 0 || r.stdout !== want) {
        failures.push(`${name}: tsdump ${args.join(' ')} (exit ${r.status})`);
      }
    }
    assert.deepEqual(failures, []);
  });
}
