#!/usr/bin/env node
// Builds the native addon (build/Release/tsvs_native.node) with node-gyp; run by `npm ci` (install).
// Tolerant on purpose: a machine without a compiler still installs, and live capture then says why
// it is unavailable (the reason is kept in build/tsvs_native.error for src/io/native.ts to report).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const errorFile = join(root, 'build', 'tsvs_native.error');

function fail(reason) {
  mkdirSync(join(root, 'build'), { recursive: true });
  writeFileSync(errorFile, `${reason}\n`);
  process.stderr.write(`tsvs: native addon not built: ${reason}\n`);
  process.stderr.write('tsvs: everything works except live capture and TUN/TAP; fix the cause and run: node native/build.mjs\n');
  process.exit(0);
}

if (process.env.TSVS_SKIP_NATIVE) fail('skipped because TSVS_SKIP_NATIVE is set');
if (process.platform !== 'linux') fail(`AF_PACKET and TUN/TAP need Linux (this is ${process.platform})`);

// node-gyp: the one npm passes to scripts, else the one bundled with npm next to this node.
const candidates = [
  process.env.npm_config_node_gyp,
  join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  join(dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].filter((p) => p && existsSync(p));
if (candidates.length === 0) fail('node-gyp not found (it ships with npm; reinstall npm or set npm_config_node_gyp)');

const args = [candidates[0], 'rebuild'];
// Use the headers installed with this node when present, so the build needs no network.
const prefix = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
rmSync(errorFile, { force: true });
const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
if (r.error) fail(`cannot run node-gyp: ${r.error.message}`);
if (r.status !== 0) {
  process.stderr.write(r.stderr ?? '');
  const lines = (r.stderr ?? '').split('\n').filter((l) => /error|not found|No such file/i.test(l));
  fail(`node-gyp exited with status ${r.status}${lines.length ? `: ${lines.slice(0, 3).join(' | ')}` : ''}`);
}
if (!existsSync(join(root, 'build', 'Release', 'tsvs_native.node'))) fail('node-gyp succeeded but produced no addon');
process.stderr.write('tsvs: native addon built (build/Release/tsvs_native.node)\n');
