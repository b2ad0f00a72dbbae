// The packet plane's kernel configuration through iproute2 and /proc/sys: routes into the TUN
// device, policy rules for NAT replies, proxy-ARP entries for VIPs on a connected subnet, sysctls.
// Every change is recorded so that undoAll() removes exactly what was added.

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/** Runs `ip ARGS`; resolves with stdout, rejects with a one-line message. */
export function ip(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ip', args as string[], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) {
        const why = (stderr || err.message).trim().split('\n')[0];
        reject(new Error(`ip ${args.join(' ')}: ${why}`));
      } else resolve(stdout);
    });
  });
}

/** IPv4 dotted text <-> host-order u32. */
export function v4ToU32(s: string): number {
  const p = s.split('.');
  if (p.length !== 4) return -1;
  let v = 0;
  for (const x of p) {
    const n = Number(x);
    if (!/^\d{1,3}$/.test(x) || n > 255) return -1;
    v = v * 256 + n;
  }
  return v >>> 0;
}

export function u32ToV4(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** One IPv4 prefix configured on an interface (from `ip -o -4 addr show`). */
export interface IfPrefix {
  dev: string;
  addr: number;
  len: number;
}

export async function interfacePrefixes(): Promise<IfPrefix[]> {
  const out = await ip(['-o', '-4', 'addr', 'show']);
  const res: IfPrefix[] = [];
  for (const line of out.split('\n')) {
    const m = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(line);
    if (m) res.push({ dev: m[1]!, addr: v4ToU32(m[2]!), len: Number(m[3]) });
  }
  return res;
}

/** The interface whose connected subnet holds `addr` (not a /32), or null. */
export function connectedDev(prefixes: readonly IfPrefix[], addr: number, exclude: string): string | null {
  for (const p of prefixes) {
    if (p.dev === exclude || p.len >= 32 || p.len === 0) continue;
    const mask = (0xffffffff << (32 - p.len)) >>> 0;
    if ((p.addr & mask) >>> 0 === (addr & mask) >>> 0) return p.dev;
  }
  return null;
}

/** `ip route get ADDR`: outgoing device, preferred source, gateway. */
export async function routeGet(addr: string): Promise<{ dev: string; src: string; via: string } | null> {
  try {
    const out = await ip(['-o', '-4', 'route', 'get', addr]);
    const dev = /\bdev (\S+)/.exec(out)?.[1] ?? '';
    const src = /\bsrc (\S+)/.exec(out)?.[1] ?? '';
    const via = /\bvia (\S+)/.exec(out)?.[1] ?? '';
    return dev ? { dev, src, via } : null;
  } catch {
    return null;
  }
}

/** Link-layer address of `addr` on `dev` from the neighbour table, or null. */
export async function neighMac(addr: string, dev: string): Promise<Uint8Array | null> {
  try {
    const out = await ip(['neigh', 'show', addr, 'dev', dev]);
    const m = /lladdr ([0-9a-f]{2}(?::[0-9a-f]{2}){5})/.exec(out);
    if (!m || /\bFAILED\b|\bINCOMPLETE\b/.test(out)) return null;
    return macBytes(m[1]!);
  } catch {
    return null;
  }
}

export function macBytes(s: string): Uint8Array {
  return Uint8Array.from(s.split(':').map((x) => Number.parseInt(x, 16)));
}

export function devMac(dev: string): Uint8Array | null {
  try {
    return macBytes(readFileSync(`/sys/class/net/${dev}/address`, 'utf8').trim());
  } catch {
    return null;
  }
}

export function devIndex(dev: string): number {
  try {
    return Number(readFileSync(`/sys/class/net/${dev}/ifindex`, 'utf8').trim());
  } catch {
    return -1;
  }
}

/** Something the plane added: the `ip` arguments that add it and those that remove it. */
interface Change {
  del: string[];
}

/** Records additions (routes, rules, proxy neighbours) and sysctl writes, and undoes them. */
export class NetConf {
  private readonly added = new Map<string, Change>();
  private readonly sysctls = new Map<string, string>();

  has(key: string): boolean {
    return this.added.has(key);
  }

  keys(): string[] {
    return [...this.added.keys()];
  }

  /**
   * Runs `ip add` and records `del` to undo it under `key`. "File exists" (left by a run that
   * crashed) counts as added, so that close() removes it this time; other failures reject.
   */
  async add(key: string, add: string[], del: string[]): Promise<void> {
    if (this.added.has(key)) return;
    try {
      await ip(add);
    } catch (e) {
      if (!(e instanceof Error && /File exists/.test(e.message))) throw e;
    }
    this.added.set(key, { del });
  }

  /** Undoes one recorded change; a failure (already gone) is ignored. */
  async remove(key: string): Promise<void> {
    const c = this.added.get(key);
    if (!c) return;
    this.added.delete(key);
    await ip(c.del).catch(() => undefined);
  }

  /** Writes a sysctl (path under /proc/sys, dotted or slashed) and remembers the old value. */
  sysctl(name: string, value: string): void {
    const path = `/proc/sys/${name.replace(/\./g, '/')}`;
    const old = readFileSync(path, 'utf8').trim();
    if (old === value) return;
    if (!this.sysctls.has(path)) this.sysctls.set(path, old);
    writeFileSync(path, value);
  }

  /** Undo everything, newest first; sysctls last. */
  async undoAll(): Promise<void> {
    for (const key of [...this.added.keys()].reverse()) await this.remove(key);
    for (const [path, old] of this.sysctls) {
      try {
        writeFileSync(path, old);
      } catch {
        // The device of a per-interface sysctl is gone: nothing to restore.
      }
    }
    this.sysctls.clear();
  }
}
