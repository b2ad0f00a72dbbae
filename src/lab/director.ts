// The lab's director process: a Director with the lab's ipvsadm rules (-R text through the ipvsadm
// executor), the packet or proxy plane, tick/estimate timers; on SIGTERM it writes its status
// (counters, -Ln --stats listing, connections) to --status FILE, closes the plane and exits;
// on SIGUSR2 it writes the status and keeps running.
// usage: node director.js --config FILE --status FILE
// config: {"plane":"packet"|"proxy","rules":"-A -t ...\n-a ...","fullnat":bool,"localAddresses":[...],
//          "connCapacity":N}

import { readFileSync, writeFileSync } from 'node:fs';
import { executeIpvsadm } from '../control/ipvsadm/execute.js';
import { type DataPlane, emptyPlaneConfig, type PlaneLog } from '../dataplane/plane.js';
import { Director } from '../director/index.js';

interface LabDirectorConfig {
  plane: 'packet' | 'proxy';
  rules: string;
  fullnat?: boolean;
  localAddresses?: string[];
  connCapacity?: number;
}

function arg(name: string): string {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (!v) {
    process.stderr.write(`lab director: missing ${name} FILE\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(arg('--config'), 'utf8')) as LabDirectorConfig;
  const statusPath = arg('--status');
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  let onExpired: ((id: number, rid: number) => void) | undefined;
  const director = new Director({
    connCapacity: cfg.connCapacity ?? 1 << 16,
    onConnExpired: (id, rid) => onExpired?.(id, rid),
  });
  const r = executeIpvsadm(director, ['-R'], { now: now(), stdin: cfg.rules, prog: 'tsvs' });
  if (r.status !== 0) {
    process.stderr.write(`lab director: rules refused: ${r.stderr}`);
    process.exit(1);
  }
  if (cfg.fullnat) {
    // ipvsadm 1.31 has no FULLNAT switch: the lab turns its -m reals into fullnat ones.
    for (const s of director.snapshot().services) {
      for (const rs of s.reals) {
        const e = director.editServer(s.key, {
          address: rs.address,
          port: rs.port,
          weight: rs.weight,
          method: 'fullnat',
        });
        if (!e.ok) throw e.error;
      }
    }
  }
  const log: PlaneLog = (event, fields) => process.stderr.write(`${event} ${JSON.stringify(fields)}\n`);
  const opts = { director, now, log, config: emptyPlaneConfig() };
  let plane: DataPlane;
  let counters: () => Record<string, number> = () => ({});
  if (cfg.plane === 'packet') {
    const { PacketPlane } = await import('../dataplane/packet/index.js');
    const why = PacketPlane.check();
    if (why) {
      process.stderr.write(`lab director: ${why}\n`);
      process.exit(1);
    }
    const p = new PacketPlane({ ...opts, localAddresses: cfg.localAddresses ?? [] });
    counters = () => p.counters();
    plane = p;
  } else {
    const { ProxyPlane } = await import('../dataplane/proxy/index.js');
    const p = new ProxyPlane(opts);
    onExpired = (id, rid) => p.connExpired(id, rid);
    plane = p;
  }
  const problems = await plane.sync();
  for (const p of problems) process.stderr.write(`lab director: ${p}\n`);
  const tick = setInterval(() => director.tick(now()), 1000);
  const est = setInterval(() => director.estimate(now()), 2000);
  let stopping = false;
  const writeStatus = () => {
    const list = executeIpvsadm(director, ['-Ln', '--stats'], { now: now() });
    const conns = executeIpvsadm(director, ['-Lnc'], { now: now() });
    const snap = director.snapshot();
    writeFileSync(
      statusPath,
      JSON.stringify({
        counters: counters(),
        listing: list.stdout,
        connections: conns.stdout,
        connCount: snap.connCount,
        connDrops: snap.connDrops,
        states: director.connections(now()).map((c) => c.state),
      }),
    );
  };
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(tick);
    clearInterval(est);
    writeStatus();
    await plane.close(200);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  // `tsvs lab --keep`: the status now, and keep running (its parent may be gone: ignore EPIPE).
  process.on('SIGUSR2', () => writeStatus());
  process.stdout.on('error', () => undefined);
  process.stderr.on('error', () => undefined);
  process.stdout.write(`director ready (${cfg.plane} plane)\n`);
}

main().catch((e) => {
  process.stderr.write(`lab director: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
