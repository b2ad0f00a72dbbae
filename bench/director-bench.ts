// Baseline micro-benchmark of the director core: schedule() per scheduler with 10/100/1000 reals,
// connection-table inserts and lookups per second, and memory with 1M entries.
// Run: npx tsc -p tsconfig.build.json && node --expose-gc --import tsx bench/director-bench.ts [--quick] [--src]
// By default the built ESM in dist/ is measured (what tsvs runs); --src measures src/ through tsx,
// whose CommonJS-style export getters slow every cross-module constant read.

import { existsSync } from 'node:fs';

type DirectorModule = typeof import('../src/director/index.js');
const distUrl = new URL('../dist/director/index.js', import.meta.url);
const useSrc = process.argv.includes('--src') || !existsSync(distUrl);
const mod: DirectorModule = useSrc ? await import('../src/director/index.js') : await import(distUrl.href);
const { Director, SCHEDULER_NAMES } = mod;
console.log(`director from ${useSrc ? 'src/ (tsx)' : 'dist/ (built)'}`);

const quick = process.argv.includes('--quick');
const VIP = 0x0a000064;

function ns(): number {
  return Number(process.hrtime.bigint()) / 1e6; // ms
}

function fmtRate(opsPerSec: number): string {
  if (opsPerSec >= 1e6) return `${(opsPerSec / 1e6).toFixed(2)} M/s`;
  if (opsPerSec >= 1e3) return `${(opsPerSec / 1e3).toFixed(1)} k/s`;
  return `${opsPerSec.toFixed(0)} /s`;
}

function benchSchedule(name: string, reals: number, persistent = 0): number {
  // Persistent: 65536 distinct clients, each gets a template on its first pick, reused afterwards.
  const d = new Director({ connCapacity: persistent ? 1 << 17 : 16, random: mulberry(42) });
  const key = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 } as const;
  const r = d.addService(key, {
    scheduler: name,
    schedFlags: name === 'sh' || name === 'mh' ? 0x08 : 0,
    persistent,
  });
  if (!r.ok) throw r.error;
  for (let i = 0; i < reals; i++) {
    const a = d.addServer(key, {
      address: `10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`,
      port: 80,
      weight: 1 + (i % 5),
    });
    if (!a.ok) throw a.error;
  }
  const sid = r.value;
  // Give the load-based schedulers something to compare.
  for (let i = 0; i < reals; i++) {
    d.reals.active[i] = (i * 7) % 13;
    d.reals.inact[i] = (i * 11) % 17;
  }
  const budget = quick ? 100 : 400; // ms
  let n = 0;
  let sink = 0;
  const t0 = ns();
  let t = t0;
  while (t - t0 < budget) {
    for (let k = 0; k < 1000; k++, n++)
      sink += d.scheduleV4(sid, 0xc6336400 + (n & 0xffff), 1024 + (n & 0x7fff), VIP, 80, n);
    t = ns();
  }
  if (sink === Number.MIN_SAFE_INTEGER) console.log(sink);
  return (n / (t - t0)) * 1000;
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

function mb(x: number): string {
  return `${(x / 1048576).toFixed(1)} MB`;
}

/** Bytes held by typed arrays reachable from the director's connection table and timer wheel. */
function structuralBytes(d: InstanceType<typeof Director>): number {
  let total = 0;
  const seen = new Set<ArrayBuffer | SharedArrayBuffer>();
  const visit = (o: object) => {
    for (const v of Object.values(o)) {
      if (ArrayBuffer.isView(v) && !seen.has(v.buffer)) {
        seen.add(v.buffer);
        total += v.byteLength;
      }
    }
  };
  visit(d.conns);
  visit((d as unknown as { wheel: object }).wheel);
  return total;
}

function benchConnTable(entries: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  const d = new Director({ connCapacity: entries });
  const key = { kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 } as const;
  const s = d.addService(key, { scheduler: 'rr' });
  if (!s.ok) throw s.error;
  const a = d.addServer(key, { address: '192.168.10.1', port: 80, method: 'masq' });
  if (!a.ok) throw a.error;
  const sid = s.value;
  const rid = a.value;
  // Clients: 32768 ports per address, consecutive addresses.
  const client = (i: number) => 0xc6330000 + (i >>> 15);
  const cport = (i: number) => 1024 + (i & 0x7fff);
  const t0 = ns();
  for (let i = 0; i < entries; i++) {
    const id = d.connectV4(sid, rid, 6, client(i), cport(i), VIP, 80, 0, true);
    if (id < 0) throw new Error(`insert ${i} failed: ${id}`);
  }
  const t1 = ns();
  gc?.();
  const after = process.memoryUsage();
  // Lookups in a pseudo-random order (as real traffic visits slots and records), best of three
  // passes so that JIT warm-up is not what is measured.
  let found = 0;
  let missed = 0;
  let hitRate = 0;
  let missRate = 0;
  let pktRate = 0;
  for (let pass = 0; pass < 3; pass++) {
    let x = 12345 + pass;
    found = 0;
    const t2 = ns();
    for (let k = 0; k < entries; k++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const i = x % entries;
      if (d.lookupConnV4(6, client(i), cport(i), VIP, 80) >= 0) found++;
    }
    const t3 = ns();
    missed = 0;
    for (let i = 0; i < entries; i++) if (d.lookupConnV4(6, 0xc7330000 + i, 1024, VIP, 80) < 0) missed++;
    const t4 = ns();
    for (let k = 0; k < entries; k++) d.packet(k, 0, 0x10, 1500, 1);
    const t5 = ns();
    hitRate = Math.max(hitRate, (entries / (t3 - t2)) * 1000);
    missRate = Math.max(missRate, (entries / (t4 - t3)) * 1000);
    pktRate = Math.max(pktRate, (entries / (t5 - t4)) * 1000);
  }
  const n = entries.toLocaleString('en');
  console.log(`connection table, ${n} entries (capacity ${n})`);
  console.log(`  insert (connectV4)        ${fmtRate((entries / (t1 - t0)) * 1000).padStart(12)}`);
  console.log(`  lookup hit, random order  ${fmtRate(hitRate).padStart(12)}  (${found} found)`);
  console.log(`  lookup miss               ${fmtRate(missRate).padStart(12)}  (${missed} missed)`);
  console.log(`  packet() (state + stats)  ${fmtRate(pktRate).padStart(12)}`);
  const rssDelta = after.rss - before.rss;
  console.log(
    `  memory: ${mb(structuralBytes(d))} in typed arrays (${(structuralBytes(d) / entries).toFixed(0)} B/entry), ` +
      `RSS +${mb(rssDelta)} (process RSS ${mb(after.rss)})`,
  );
  const t6 = ns();
  const freed = d.tick(1_000_000);
  const t7 = ns();
  console.log(
    `  expiry (tick) of ${freed.toLocaleString('en')} entries ${fmtRate((freed / (t7 - t6)) * 1000).padStart(12)}`,
  );
}

benchConnTable(quick ? 100_000 : 1_000_000);

const sizes = [10, 100, 1000];
console.log(`\nschedule() per scheduler (scheduleV4, non-persistent), calls per second`);
console.log(`${'scheduler'.padEnd(10)}${sizes.map((n) => `${n} reals`.padStart(14)).join('')}`);
for (const name of SCHEDULER_NAMES) {
  const row = sizes.map((n) => fmtRate(benchSchedule(name, n)).padStart(14));
  console.log(`${name.padEnd(10)}${row.join('')}`);
}
const prow = sizes.map((n) => fmtRate(benchSchedule('wlc', n, 360)).padStart(14));
console.log(`${'wlc -p'.padEnd(10)}${prow.join('')}   (persistence templates, 65536 clients)`);
