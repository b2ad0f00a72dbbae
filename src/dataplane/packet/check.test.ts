// PacketPlane.check(): null where the packet plane can run; without CAP_NET_ADMIN, `tsvs run
// --plane packet` refuses with a message that says what is missing and what to do instead.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PacketPlane } from './index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const root = process.platform === 'linux' && process.getuid?.() === 0;

test('check() is null as root on Linux with the addon and /dev/net/tun', {
  skip: !root && 'needs root',
}, () => {
  if (!existsSync('/dev/net/tun')) return;
  assert.equal(PacketPlane.check(), null);
});

test('tsvs run --plane packet without CAP_NET_ADMIN: a clear refusal, exit status 1', {
  skip: !(root && existsSync('/usr/bin/setpriv')) && 'needs root and setpriv',
}, (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tsvs-check-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const rules = join(dir, 'rules');
  writeFileSync(rules, '-A -t 10.99.1.100:80 -s rr\n');
  const r = spawnSync(
    '/usr/bin/setpriv',
    [
      '--bounding-set=-net_admin',
      '--inh-caps=-net_admin',
      '--',
      process.execPath,
      '--import',
      'tsx',
      'src/cli/tsvs.ts',
      'run',
      '--plane',
      'packet',
      '--rules',
      rules,
      '--socket',
      join(dir, 'sock'),
      '--no-state',
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /CAP_NET_ADMIN/);
  assert.match(r.stderr, /--plane proxy/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
