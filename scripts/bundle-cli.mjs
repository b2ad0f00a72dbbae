#!/usr/bin/env node
// Bundles the short-lived CLIs, tsdump and tsvsadm, (after tsc) into one module each plus shared
// chunks for what they import lazily (printers, analysis, live capture). Why: resolving and loading
// 30-40 separate ES modules cost ~30 ms of every run on the bench machine (bench/filter-vs-tcpdump.sh
// compares whole tsdump runs against tcpdump; scripts call tsvsadm once per rule). Their entry files
// are overwritten in place; the rest of dist/ stays as tsc wrote it (tests and `tsvs` use it: tsvs
// finds files next to its modules through import.meta.url, which a bundle would move).
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
rmSync(join(out, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: [join(out, 'tsdump.js'), join(out, 'tsvsadm.js')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  allowOverwrite: true,
  logLevel: 'warning',
});
// The bundles are the commands npm links (package.json "bin"): executable, so that their shebang runs.
for (const f of ['tsdump.js', 'tsvsadm.js', 'tsvs.js']) chmodSync(join(out, f), 0o755);
