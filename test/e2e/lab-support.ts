// Shared by the lab end-to-end tests: run `tsvs lab ... --json` from source; the namespaces of one
// lab run (tsl-PID-*, PID = that tsvs process), and their removal after a failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const labSkip =
  process.platform === 'linux' && process.getuid?.() === 0
    ? false
    : 'needs root on Linux (tsvs lab creates network namespaces)';

/** The packet plane's modes also need a TUN device. */
export const packetSkip =
  labSkip ||
  (existsSync('/dev/net/tun')
    ? false
    : 'needs /dev/net/tun (the packet plane routes the VIP into a TUN device)');

/** Namespaces left by the lab process `pid`. */
export function labNamespaces(pid: number | undefined): string[] {
  if (pid === undefined) return [];
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`tsl-${pid}-`));
}

/** Removes what lab `pid` left (its processes, then its namespaces). */
export function labCleanup(pid: number | undefined): void {
  for (const ns of labNamespaces(pid)) {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
      .stdout.split(/\s+/)
      .filter(Boolean);
    for (const p of pids) {
      try {
        process.kill(Number(p), 'SIGKILL');
      } catch {
        // gone
      }
    }
    spawnSync('ip', ['netns', 'del', ns]);
  }
}

export function runLabCli(args: string[]): {
  status: number | null;
  pid: number | undefined;
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
  return { status: r.status, pid: r.pid, json, out: `${r.stdout}\n${r.stderr}` };
}
