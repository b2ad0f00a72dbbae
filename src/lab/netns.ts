// Network namespaces for the labs: run commands (bounded in time), create namespaces, veths and
// bridges, start child processes inside a namespace, and remove everything by name prefix.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every lab object is named with this prefix; `tsvs lab down` removes what carries it. */
export const LAB_PREFIX = 'tsl-';
/** Scratch directories of labs (captures, director config and status) under the temp directory. */
export const LAB_TMP_PREFIX = 'tsvs-lab-';

/** Runs a command and returns its stdout; throws an Error with the command and its stderr. */
export function run(cmd: string, args: readonly string[], timeoutMs = 15_000): string {
  try {
    return execFileSync(cmd, args as string[], {
      encoding: 'utf8',
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    const why = (err.stderr || err.message).toString().trim().split('\n')[0];
    throw new Error(`${cmd} ${args.join(' ')}: ${why}`);
  }
}

/** `ip ARGS` */
export function ip(...args: string[]): string {
  return run('ip', args);
}

/** `ip netns exec NS CMD ARGS` */
export function nsRun(ns: string, cmd: string, ...args: string[]): string {
  return run('ip', ['netns', 'exec', ns, cmd, ...args]);
}

/** Writes a sysctl inside a namespace. */
export function nsSysctl(ns: string, name: string, value: string): void {
  nsRun(ns, 'sysctl', '-q', '-w', `${name}=${value}`);
}

export function listNamespaces(): string[] {
  const out = run('ip', ['netns', 'list']);
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

export function addNamespace(name: string): void {
  ip('netns', 'add', name);
  ip('-n', name, 'link', 'set', 'lo', 'up');
}

/** Kills what runs in a namespace (SIGKILL, by pid from `ip netns pids`), then deletes it. */
export function deleteNamespace(name: string): void {
  let pids: string[] = [];
  try {
    pids = ip('netns', 'pids', name).split(/\s+/).filter(Boolean);
  } catch {
    // already gone
  }
  for (const p of pids) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // exited meanwhile
    }
  }
  try {
    ip('netns', 'del', name);
  } catch {
    // already gone
  }
}

/** The pid a lab namespace or scratch directory belongs to (tsl-PID-..., tsvs-lab-PID-...), or -1. */
function ownerPid(name: string, prefix: string): number {
  const m = new RegExp(`^${prefix}(\\d+)-`).exec(name);
  return m ? Number(m[1]) : -1;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes lab namespaces (and what runs in them) and the labs' scratch directories
 * (TMPDIR/tsvs-lab-*): all of them (`tsvs lab down`), or those of lab `id` (its pid) only, or with
 * `stale`, those whose lab process is gone. Returns what it removed.
 */
export function labDown(id?: string, stale = false): string[] {
  const gone: string[] = [];
  const mine = (name: string, prefix: string) => {
    if (!name.startsWith(prefix)) return false;
    if (id !== undefined) return name.startsWith(`${prefix}${id}-`);
    if (stale) {
      const pid = ownerPid(name, prefix);
      return pid < 0 || !alive(pid);
    }
    return true;
  };
  for (const n of listNamespaces()) {
    if (mine(n, LAB_PREFIX)) {
      deleteNamespace(n);
      gone.push(n);
    }
  }
  for (const d of readdirSync(tmpdir())) {
    if (!mine(d, LAB_TMP_PREFIX)) continue;
    const p = join(tmpdir(), d);
    rmSync(p, { recursive: true, force: true });
    gone.push(p);
  }
  return gone;
}

/** labDown() of labs whose process has exited without cleaning up (or were kept). */
export function labDownStale(): string[] {
  return labDown(undefined, true);
}

const SELF_DIR = fileURLToPath(new URL('.', import.meta.url));
/** Repository root (two levels above src/lab or dist/lab). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNNING_TS = import.meta.url.endsWith('.ts');

/**
 * The node command line for one of tsvs's scripts: `lab/NAME` or `cli/NAME` relative to src/ or
 * dist/ — the TypeScript source through tsx when this module runs from source, else the build.
 */
export function nodeScript(rel: string): string[] {
  if (RUNNING_TS) {
    const p = fileURLToPath(new URL(`../${rel}.ts`, import.meta.url));
    return [process.execPath, '--import', 'tsx', p];
  }
  const p = fileURLToPath(new URL(`../${rel}.js`, import.meta.url));
  if (!existsSync(p)) throw new Error(`${p} is missing: build tsvs first (npm run build)`);
  return [process.execPath, p];
}

/** Runs one of tsvs's scripts (nodeScript) to completion in this namespace; returns its stdout. */
export function runNode(rel: string, args: readonly string[]): string {
  const [cmd, ...pre] = nodeScript(rel);
  try {
    return execFileSync(cmd!, [...pre, ...args], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 15_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(
      `${rel} ${args.join(' ')}: ${(err.stderr || err.message).toString().trim().split('\n')[0]}`,
    );
  }
}

/** Starts a child process inside namespace `ns`; stdout/stderr are piped for the caller. */
export function spawnIn(ns: string, argv: readonly string[], logFile?: string): ChildProcess {
  // Its own process group: a terminal's Ctrl-C reaches the lab, which stops its children itself.
  // With logFile, its output goes there (it may outlive the lab: --keep) instead of to pipes.
  const fd = logFile ? openSync(logFile, 'a') : -1;
  try {
    return spawn('ip', ['netns', 'exec', ns, ...argv], {
      cwd: REPO_ROOT,
      env: process.env,
      stdio: fd >= 0 ? ['ignore', fd, fd] : ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Resolves when `pattern` appears in file `path` (a child's log); rejects on its exit or timeout. */
export async function waitForLog(
  child: ChildProcess,
  path: string,
  pattern: RegExp,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    if (pattern.test(text)) return;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${what} exited (status ${child.exitCode}) before it was ready: ${text.trim().slice(-400)}`,
      );
    }
    if (performance.now() > until)
      throw new Error(`${what} was not ready within ${timeoutMs} ms: ${text.trim().slice(-400)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Lets the lab exit while `child` keeps running (`--keep`): no more reading from its pipes. */
export function release(child: ChildProcess): void {
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
}

/** Resolves when `pattern` appears in the child's stdout or stderr; rejects on exit or timeout. */
export function waitFor(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs: number,
  what: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const done = (err: Error | null, v = '') => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(v);
    };
    const onData = (b: Buffer) => {
      seen += b.toString();
      const m = pattern.exec(seen);
      if (m) done(null, m[0]);
    };
    const onExit = (code: number | null) =>
      done(new Error(`${what} exited (status ${code}) before it was ready: ${seen.trim().slice(-400)}`));
    const timer = setTimeout(
      () => done(new Error(`${what} was not ready within ${timeoutMs} ms: ${seen.trim().slice(-400)}`)),
      timeoutMs,
    );
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Sends `signal`, waits up to timeoutMs for the exit, then SIGKILL. */
export function stop(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

export { SELF_DIR };
