// tcpdump's own print test corpus (../shared/corpus, run by its runner against Debian's tcpdump
// 4.99.3 expectations): at least 95% of the cases pass, and every case of the core groups.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..', '..');
const runner = join(root, '..', 'shared', 'corpus', 'run-tcpdump-cases');
const CORE_GROUPS = ['tcp', 'ipv4', 'udp', 'icmp', 'core-l2', 'time', 'output', 'file'];

test('tcpdump print corpus (--expect 4.99.3)', {
  skip: existsSync(runner) ? false : `no corpus at ${runner}`,
}, () => {
  const r = spawnSync(
    runner,
    ['--cmd', `${process.execPath} ${join(root, 'dist', 'cli', 'tsdump.js')}`, '--expect', '4.99.3'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const last = /(\d+) passed, (\d+) failed/.exec(r.stdout);
  assert.ok(last, `no summary line in:\n${r.stdout.slice(-500)}`);
  const passed = Number(last[1]);
  const failed = Number(last[2]);
  const coreFailures = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('FAIL ') && CORE_GROUPS.some((g) => l.includes(`[${g}]`)));
  assert.deepEqual(coreFailures, [], 'every case of the core groups passes');
  assert.ok(passed / (passed + failed) >= 0.95, `${passed} passed, ${failed} failed: below 95%`);
});
