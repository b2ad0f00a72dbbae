#!/usr/bin/env node
// Bundles tsdump's entry (after tsc) into one module plus shared chunks for what it imports
// lazily (printers, analysis, live capture). Why: `tsdump -r F -w G EXPR` is a short process, and
// resolving and loading ~30 separate ES modules cost ~30 ms of its start on the bench machine
// (bench/filter-vs-tcpdump.sh compares whole runs against tcpdump). dist/cli/tsdump.js is
// overwritten in place; the other files of dist/ stay as tsc wrote them (tests and the other CLIs
// use them).
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'cli');
rmSync(join(out, 'chunks'), { recursive: true, force: true });
await build({
  entryPoints: [join(out, 'tsdump.js')],
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
