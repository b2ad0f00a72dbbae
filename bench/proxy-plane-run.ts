// A minimal director + proxy plane process for benchmarks, before (or instead of) `tsvs run`:
//   node --import tsx bench/proxy-plane-run.ts --rules FILE [--cpu-prof-ms N]
// Loads an ipvsadm-restore file, runs tick() every second and estimate() every 2 s, opens the
// proxy plane's listeners, and exits on SIGTERM/SIGINT (draining 1 s). No control socket.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { executeIpvsadm } from '../src/control/ipvsadm/execute.js';
import { emptyPlaneConfig } from '../src/dataplane/plane.js';
import { ProxyPlane } from '../src/dataplane/proxy/index.js';
import { Director } from '../src/director/index.js';

function usage(msg: string): never {
  process.stderr.write(`proxy-plane-run: ${msg}\nusage: proxy-plane-run --rules FILE\n`);
  process.exit(2);
}

const argv = process.argv.slice(2);
let rulesFile = '';
for (let i = 0; i < argv.length; i++) {
  const a = argv[i]!;
  if (a === '--rules') rulesFile = argv[++i] ?? usage('--rules needs a file');
  else if (a.startsWith('--rules=')) rulesFile = a.slice(8);
  else usage(`unknown argument ${a}`);
}
if (rulesFile === '') usage('--rules FILE is required');

let rules: string;
try {
  rules = readFileSync(rulesFile, 'utf8');
} catch (e) {
  usage(`cannot read ${rulesFile}: ${(e as Error).message}`);
}

const now = () => performance.now();
let plane: ProxyPlane | null = null;
const director = new Director({
  connCapacity: 1 << 20,
  onConnExpired: (id, rid) => plane?.connExpired(id, rid),
});
const r = executeIpvsadm(director, ['-R'], { now: now(), stdin: rules, prog: 'proxy-plane-run' });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(r.status);
}
plane = new ProxyPlane({
  director,
  now,
  log: (ev, fields) => process.stderr.write(`${ev} ${JSON.stringify(fields)}\n`),
  config: emptyPlaneConfig(),
});
const problems = await plane.sync();
for (const p of problems) process.stderr.write(`proxy-plane-run: ${p}\n`);
const tick = setInterval(() => director.tick(now()), 1000);
const est = setInterval(() => director.estimate(now()), 2000);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  clearInterval(tick);
  clearInterval(est);
  const open = plane!.relayCount;
  await plane!.close(1000);
  const t = director.snapshot().total;
  process.stderr.write(`proxy-plane-run: engine ${plane!.engine}, ${open} relays open at stop\n`);
  process.stderr.write(
    `proxy-plane-run: conns ${t.conns} inpkts ${t.inpkts} outpkts ${t.outpkts} inbytes ${t.inbytes} outbytes ${t.outbytes}\n`,
  );
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
