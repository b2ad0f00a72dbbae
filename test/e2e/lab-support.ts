// Shared by the lab end-to-end tests: run `tsvs lab ... --json` from source, list tsl-* namespaces.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const labSkip =
  process.platform === 'linux' && process.getuid?.() === 0
    ? false
    : 'needs root on Linux (tsvs lab creates network namespaces)';

export function labNamespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith('tsl-'));
}

/** `tsvs lab down`, for cleanup after a failure. */
export function labDownCli(): void {
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/tsvs.ts', 'lab', 'down'], {
    cwd: ROOT,
    timeout: 30_000,
  });
}

export function runLabCli(args: string[]): {
  status: number | null;
  json: Record<string, unknown>;
  out: string;
} {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/tsvs.ts', 'lab', ...args, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 80_000,
  });
  const lines = (r.stdout ?? '').trim().split('\n');
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(lines[lines.length - 1] ?? '{}');
  } catch {
    // the caller asserts on the fields
  }
  return { status: r.status, json, out: `${r.stdout}\n${r.stderr}` };
}
