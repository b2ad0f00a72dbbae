#!/usr/bin/env node
// The project's test command: type-check, lint, build, then run every *.test.ts under src/ and test/
// with node:test (through tsx, so tests run from source; the CLIs they spawn run from dist/).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`test: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

function find(dir, out) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const only = process.argv.slice(2);
if (only.length === 0) {
  run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
  run('npx', ['biome', 'check', '.']);
}
run('npx', ['tsc', '-p', 'tsconfig.build.json']);
run(process.execPath, ['scripts/bundle-cli.mjs']);
const files = only.length > 0 ? only : [...find('src', []), ...find('test', [])];
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...files]);
