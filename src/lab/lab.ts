// `tsvs lab MODE`: the seeds' LVS setups in network namespaces — a client, a director (VIP + DIP)
// and three real servers answering "real server N" — the director in the packet plane (nat, fullnat,
// tun, dr) or the proxy plane (proxy), a client loop, captures with tsdump on the client and the real
// servers, and the proof: the client's SYN sequence number as the real server saw it (LVS: the same
// handshake end to end; a reverse proxy: a second handshake with its own ISN).
//
// Topology (all names start with tsl-, all addresses private, only inside these namespaces):
//   tsl-cli  eth0 10.99.1.2/24 ──┐ brc (tsl-lan) ┌── eth1 10.99.1.1/24  tsl-dir  eth2 10.99.2.1/24 ──┐ brr (tsl-lan)
//   VIP 10.99.1.100 (answered by the director)   │                                                    │
//   nat/fullnat/proxy: tsl-rsN eth0 10.99.2.1N/24 on brr (nat/proxy: gateway 10.99.2.1; fullnat: none,
//   local address 10.99.2.250); dr/tun: tsl-rsN eth0 10.99.1.1N/24 on brc with the VIP on lo
//   (arp_ignore=1, arp_announce=2), answering the client directly.

import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SynSeen, synsInPcap } from './isn.js';
import {
  addNamespace,
  ip,
  LAB_PREFIX,
  LAB_TMP_PREFIX,
  labDown,
  labDownStale,
  nodeScript,
  nsSysctl,
  release,
  runNode,
  spawnIn,
  stop,
  waitFor,
  waitForLog,
} from './netns.js';

export const LAB_MODES = ['nat', 'fullnat', 'tun', 'dr', 'proxy'] as const;
export type LabMode = (typeof LAB_MODES)[number];

export const VIP = '10.99.1.100';
export const CLIENT = '10.99.1.2';
export const DIR_OUT = '10.99.1.1';
export const DIP = '10.99.2.1';
export const LOCAL_ADDR = '10.99.2.250';
// Namespace names carry the lab process's pid (tsl-PID-cli...), so that labs started at the same
// time (two test runs) never touch each other's; set once per process by runLab().
let NS_LAN = `${LAB_PREFIX}lan`;
let NS_CLI = `${LAB_PREFIX}cli`;
let NS_DIR = `${LAB_PREFIX}dir`;
let nsReal = (i: number) => `${LAB_PREFIX}rs${i}`;

function nameLab(id: string): void {
  const p = `${LAB_PREFIX}${id}-`;
  NS_LAN = `${p}lan`;
  NS_CLI = `${p}cli`;
  NS_DIR = `${p}dir`;
  nsReal = (i: number) => `${p}rs${i}`;
}

export interface LabOptions {
  /** Leave everything running (for a look around); `tsvs lab down` removes it. */
  keep?: boolean;
  /** Client requests (default 6). */
  requests?: number;
  /** Real servers (2 or 3; default 3). */
  reals?: number;
  /** SYN flood from spoofed sources during the client loop: how many SYNs (0: none). */
  flood?: number;
  /** Flood pace in SYNs per second (default 10000). */
  floodRate?: number;
  /** Director connection table capacity (default 65536). */
  connCapacity?: number;
  /**
   * The director process: `tsvs run` administered with tsvsadm (default), or the lab's own runner
   * (src/lab/director.ts: the same Director and planes, plus the forwarder's counters).
   */
  director?: 'daemon' | 'runner';
  /** Capture with tsdump and prove the ISNs (default true). */
  capture?: boolean;
  /** Human-readable progress lines. */
  print: (line: string) => void;
}

export interface LabResult {
  mode: LabMode;
  requests: number;
  errors: number;
  servers_seen: string[];
  client_isn: number | null;
  server_isn: number | null;
  /** True when the real server saw the client's own SYN (one handshake end to end). */
  same_handshake: boolean;
  client_syn: SynSeen | null;
  server_syn: (SynSeen & { server: string }) | null;
  director: {
    plane: 'packet' | 'proxy';
    counters: Record<string, number>;
    states: string[];
    listing: string;
  };
  captures?: Record<string, string>;
  flood?: {
    syns_sent: number;
    flood_ms: number;
    legit_requests: number;
    legit_ok: number;
    success_rate: number;
    legit_ms_median: number;
    table_entries: number;
    table_capacity: number;
    conn_drops: number;
  };
}

function realAddr(mode: LabMode, i: number): string {
  return mode === 'dr' || mode === 'tun' ? `10.99.1.1${i}` : `10.99.2.1${i}`;
}

/** ipvsadm -R text for the lab's service. */
export function labRules(mode: LabMode, reals: number): string {
  const flag = mode === 'dr' ? '-g' : mode === 'tun' ? '-i' : '-m';
  const lines = [`-A -t ${VIP}:80 -s rr`];
  for (let i = 1; i <= reals; i++) lines.push(`-a -t ${VIP}:80 -r ${realAddr(mode, i)}:80 ${flag} -w 1`);
  return `${lines.join('\n')}\n`;
}

/** Builds the namespaces, links and addresses of `mode`. */
function buildTopology(mode: LabMode, reals: number): void {
  for (const ns of [NS_LAN, NS_CLI, NS_DIR]) addNamespace(ns);
  for (let i = 1; i <= reals; i++) addNamespace(nsReal(i));
  const lan = (...a: string[]) => ip('-n', NS_LAN, ...a);
  lan('link', 'add', 'brc', 'type', 'bridge');
  lan('link', 'add', 'brr', 'type', 'bridge');
  lan('link', 'set', 'brc', 'up');
  lan('link', 'set', 'brr', 'up');
  const plug = (port: string, ns: string, dev: string, bridge: string) => {
    lan('link', 'add', port, 'type', 'veth', 'peer', 'name', dev, 'netns', ns);
    lan('link', 'set', port, 'master', bridge);
    lan('link', 'set', port, 'up');
    ip('-n', ns, 'link', 'set', dev, 'up');
  };
  plug('p-cli', NS_CLI, 'eth0', 'brc');
  plug('p-dir1', NS_DIR, 'eth1', 'brc');
  plug('p-dir2', NS_DIR, 'eth2', 'brr');
  ip('-n', NS_CLI, 'addr', 'add', `${CLIENT}/24`, 'dev', 'eth0');
  ip('-n', NS_CLI, 'route', 'add', 'default', 'via', DIR_OUT);
  ip('-n', NS_DIR, 'addr', 'add', `${DIR_OUT}/24`, 'dev', 'eth1');
  ip('-n', NS_DIR, 'addr', 'add', `${DIP}/24`, 'dev', 'eth2');
  nsSysctl(NS_DIR, 'net.ipv4.ip_forward', '1');
  if (mode === 'proxy') ip('-n', NS_DIR, 'addr', 'add', `${VIP}/32`, 'dev', 'eth1');
  const onClientLan = mode === 'dr' || mode === 'tun';
  for (let i = 1; i <= reals; i++) {
    const ns = nsReal(i);
    const a = realAddr(mode, i);
    plug(`p-rs${i}`, ns, 'eth0', onClientLan ? 'brc' : 'brr');
    ip('-n', ns, 'addr', 'add', `${a}/24`, 'dev', 'eth0');
    if (mode === 'nat' || mode === 'proxy') ip('-n', ns, 'route', 'add', 'default', 'via', DIP);
    if (onClientLan) {
      // The VIP is the real server's own address, but it must never answer ARP for it.
      ip('-n', ns, 'addr', 'add', `${VIP}/32`, 'dev', 'lo');
      for (const dev of ['all', 'eth0']) {
        nsSysctl(ns, `net.ipv4.conf.${dev}.arp_ignore`, '1');
        nsSysctl(ns, `net.ipv4.conf.${dev}.arp_announce`, '2');
      }
      ip('-n', ns, 'route', 'add', 'default', 'via', DIR_OUT);
    }
    if (mode === 'tun') {
      nsSysctl(ns, 'net.ipv4.conf.all.rp_filter', '0');
      nsSysctl(ns, 'net.ipv4.conf.default.rp_filter', '0');
    }
  }
}

/** The kernel has the ipip module when a tunl0 device can be made in a namespace. */
function kernelHasIpip(ns: string): boolean {
  try {
    ip('-n', ns, 'link', 'set', 'tunl0', 'up');
    return true;
  } catch {
    try {
      ip('-n', ns, 'link', 'add', 'tsl-ipip0', 'type', 'ipip', 'local', 'any');
      ip('-n', ns, 'link', 'del', 'tsl-ipip0');
      ip('-n', ns, 'link', 'set', 'tunl0', 'up');
      return true;
    } catch {
      return false;
    }
  }
}

interface Proc {
  name: string;
  child: ChildProcess;
}

/** Runs one lab; resolves with its result. Removes everything at the end unless opts.keep. */
export async function runLab(mode: LabMode, opts: LabOptions): Promise<LabResult> {
  const reals = opts.reals ?? 3;
  const requests = opts.requests ?? 6;
  const print = opts.print;
  const leftovers = labDownStale();
  if (leftovers.length > 0) print(`removed leftovers of an earlier lab: ${leftovers.join(' ')}`);
  nameLab(String(process.pid));
  const tmp = mkdtempSync(join(tmpdir(), `${LAB_TMP_PREFIX}${process.pid}-`));
  const procs: Proc[] = [];
  const start = (name: string, ns: string, argv: string[], logFile?: string) => {
    const child = spawnIn(ns, argv, logFile);
    procs.push({ name, child });
    return child;
  };
  try {
    print(
      `lab ${mode}: building namespaces ${NS_CLI} ${NS_DIR} ${Array.from({ length: reals }, (_, i) => nsReal(i + 1)).join(' ')} (${NS_LAN} holds the bridges)`,
    );
    buildTopology(mode, reals);
    // Real servers.
    for (let i = 1; i <= reals; i++) {
      const c = start(`real server ${i}`, nsReal(i), [
        ...nodeScript('lab/http-server'),
        '80',
        `real server ${i}`,
      ]);
      await waitFor(c, /listening on/, 15_000, `real server ${i}`);
    }
    if (mode === 'tun') {
      const kernel = kernelHasIpip(nsReal(1));
      for (let i = 1; i <= reals; i++) {
        const ns = nsReal(i);
        if (kernel) {
          if (i > 1) ip('-n', ns, 'link', 'set', 'tunl0', 'up');
          nsSysctl(ns, 'net.ipv4.conf.tunl0.rp_filter', '0');
        } else {
          const c = start(`ipip receiver ${i}`, ns, [
            ...nodeScript('lab/ipip-decap'),
            'eth0',
            realAddr(mode, i),
            'tsl-ipip',
          ]);
          await waitFor(c, /decapsulating/, 15_000, `ipip receiver on real server ${i}`);
          ip('-n', ns, 'link', 'set', 'tsl-ipip', 'up');
          nsSysctl(ns, 'net.ipv4.conf.tsl-ipip.rp_filter', '0');
        }
      }
      print(
        kernel
          ? 'real servers decapsulate IP-in-IP with the kernel (tunl0)'
          : "this kernel has no ipip module: the real servers decapsulate IP-in-IP with tsvs's own receiver (src/lab/ipip-decap.ts) into a TUN device",
      );
    }
    // The director.
    const plane = mode === 'proxy' ? 'proxy' : 'packet';
    const rules = labRules(mode, reals);
    const cfgPath = join(tmp, 'director.json');
    const statusPath = join(tmp, 'director-status.json');
    const sockPath = join(tmp, 'tsvs.sock');
    const logPath = join(tmp, 'director.log');
    const useDaemon = opts.director !== 'runner';
    const capacity = opts.connCapacity ?? 1 << 16;
    let dir: ChildProcess;
    if (useDaemon) {
      // The real thing: `tsvs run` with the rules (FULLNAT: --fullnat reals and local-address).
      const rulesPath = join(tmp, 'rules');
      writeFileSync(rulesPath, mode === 'fullnat' ? rules.replace(/ -m /g, ' --fullnat ') : rules);
      const args = ['run', '--plane', plane, '--rules', rulesPath, '--socket', sockPath, '--no-state'];
      args.push('--conn-capacity', String(capacity));
      if (mode === 'fullnat') {
        writeFileSync(cfgPath, `local-address ${LOCAL_ADDR}\n`);
        args.push('--config', cfgPath);
      }
      print(
        `director: tsvs ${args.join(' ')} in ${NS_DIR}, rules:\n${readFileSync(rulesPath, 'utf8').trimEnd().replace(/^/gm, '  ipvsadm ')}`,
      );
      dir = start('director', NS_DIR, [...nodeScript('cli/tsvs'), ...args], logPath);
    } else {
      writeFileSync(
        cfgPath,
        JSON.stringify({
          plane,
          rules,
          fullnat: mode === 'fullnat',
          localAddresses: mode === 'fullnat' ? [LOCAL_ADDR] : [],
          connCapacity: capacity,
        }),
      );
      print(
        `director: the lab's runner (${plane} plane) in ${NS_DIR}, rules:\n${rules.trimEnd().replace(/^/gm, '  ipvsadm ')}${mode === 'fullnat' ? `\n  (reals switched to FULLNAT, local address ${LOCAL_ADDR})` : ''}`,
      );
      dir = start('director', NS_DIR, [
        ...nodeScript('lab/director'),
        '--config',
        cfgPath,
        '--status',
        statusPath,
      ]);
    }
    let dirLog = '';
    dir.stderr?.on('data', (b: Buffer) => {
      dirLog += b.toString();
    });
    if (useDaemon) await waitForLog(dir, logPath, /\bstarted socket=/, 20_000, 'director (tsvs run)');
    else await waitFor(dir, /director ready/, 20_000, 'director');
    // Captures.
    const caps: Record<string, string> = {};
    const capture = async (label: string, ns: string) => {
      const file = join(tmp, `${label}.pcap`);
      const c = start(`tsdump ${label}`, ns, [...nodeScript('cli/tsdump'), '-i', 'eth0', '-n', '-w', file]);
      await waitFor(c, /listening on/, 15_000, `tsdump on ${label}`);
      caps[label] = file;
      return c;
    };
    const capProcs: ChildProcess[] = [];
    if (opts.capture !== false) {
      capProcs.push(await capture('client', NS_CLI));
      for (let i = 1; i <= reals; i++) capProcs.push(await capture(`rs${i}`, nsReal(i)));
    }
    // The flood, if asked: spoofed sources through a TUN device in the client namespace.
    let flood: ChildProcess | null = null;
    let floodOut = '';
    if (opts.flood && opts.flood > 0) {
      // Replies to the spoofed sources die at the director, silently, as on the Internet.
      ip('-n', NS_DIR, 'route', 'add', 'blackhole', '10.99.200.0/21');
      nsSysctl(NS_CLI, 'net.ipv4.ip_forward', '1');
      nsSysctl(NS_CLI, 'net.ipv4.conf.all.rp_filter', '0');
      flood = start('flood', NS_CLI, [
        ...nodeScript('lab/flood'),
        VIP,
        '80',
        String(opts.flood),
        String(opts.floodRate ?? 10_000),
        'tsl-flood',
      ]);
      flood.stdout?.on('data', (b: Buffer) => {
        floodOut += b.toString();
      });
      await waitFor(flood, /flood ready/, 15_000, 'flood');
      nsSysctl(NS_CLI, 'net.ipv4.conf.default.rp_filter', '0');
      ip('-n', NS_CLI, 'link', 'set', 'tsl-flood', 'up');
      print(
        `SYN flood: ${opts.flood} SYNs from spoofed 10.99.200.0/21 at ${opts.floodRate ?? 10_000}/s while the client runs`,
      );
    }
    // The client loop.
    print(`client ${CLIENT} -> http://${VIP}/ x${requests}`);
    const cl = start('client', NS_CLI, [
      ...nodeScript('lab/client'),
      `http://${VIP}/`,
      String(requests),
      opts.flood ? '1500' : '3000',
    ]);
    let clOut = '';
    cl.stdout?.on('data', (b: Buffer) => {
      clOut += b.toString();
    });
    await new Promise<void>((resolve) => cl.once('exit', () => resolve()));
    if (flood)
      await new Promise<void>((resolve) =>
        flood.exitCode !== null ? resolve() : flood.once('exit', () => resolve()),
      );
    const answers = JSON.parse(clOut.trim().split('\n').pop() || '{"answers":[],"errors":0}') as {
      answers: string[];
      errors: number;
      ms: number[];
    };
    for (const [i, a] of answers.answers.entries()) print(`  ${i + 1}: ${a || '(failed)'}`);
    await new Promise((r) => setTimeout(r, 300));
    for (const c of capProcs) await stop(c, 'SIGINT', 3000);
    if (useDaemon) {
      // What an administrator sees: tsvsadm against the running daemon's control socket.
      const adm = (...a: string[]) => runNode('cli/tsvsadm', ['--socket', sockPath, ...a]);
      const connections = adm('-Lnc');
      writeFileSync(
        statusPath,
        JSON.stringify({
          counters: {},
          listing: adm('-Ln', '--stats'),
          connections,
          states: connections
            .split('\n')
            .slice(2)
            .map((l) => l.trim().split(/\s+/)[2] ?? '')
            .filter((x) => x !== ''),
          connCount: 0,
          connDrops: 0,
        }),
      );
      if (!opts.keep) await stop(dir, 'SIGTERM', 5000);
    } else if (opts.keep) {
      // The director stays up: ask for its status only.
      dir.kill('SIGUSR2');
      for (let i = 0; i < 100 && !existsSync(statusPath); i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 50));
    } else await stop(dir, 'SIGTERM', 5000);
    let status = {
      counters: {} as Record<string, number>,
      states: [] as string[],
      listing: '',
      connections: '',
      connCount: 0,
      connDrops: 0,
    };
    try {
      status = JSON.parse(readFileSync(statusPath, 'utf8'));
      // What tsvsadm shows on a running director: stats per real, connection entries and states.
      print(`director: tsvsadm -Ln --stats\n${status.listing.trimEnd().replace(/^/gm, '  ')}`);
      const rows = status.connections.trimEnd().split('\n');
      const shown = rows.length > 12 ? [...rows.slice(0, 11), `  ... ${rows.length - 11} more`] : rows;
      print(`director: tsvsadm -Lnc\n${shown.join('\n').replace(/^/gm, '  ')}`);
      const c = Object.entries(status.counters).filter(([, v]) => v !== 0);
      if (c.length > 0) print(`director: forwarder counters ${c.map(([k, v]) => `${k}=${v}`).join(' ')}`);
    } catch {
      const log = useDaemon && existsSync(logPath) ? readFileSync(logPath, 'utf8') : dirLog;
      print(`director status unavailable; its log:\n${log.trim()}`);
    }
    // The proof.
    const clientSyn = caps.client ? (synsInPcap(caps.client, 80)[0] ?? null) : null;
    let serverSyn: (SynSeen & { server: string }) | null = null;
    for (let i = 1; i <= reals; i++) {
      const file = caps[`rs${i}`];
      const s = file ? synsInPcap(file, 80)[0] : undefined;
      if (s && (!serverSyn || s.ts < serverSyn.ts)) serverSyn = { ...s, server: `real server ${i}` };
    }
    const same = clientSyn !== null && serverSyn !== null && clientSyn.seq === serverSyn.seq;
    if (clientSyn) {
      print(
        `client SYN  ${clientSyn.src}.${clientSyn.sport} > ${clientSyn.dst}.${clientSyn.dport}  seq ${clientSyn.seq}`,
      );
    } else print('client SYN: none captured');
    if (serverSyn) {
      print(
        `${serverSyn.server} SYN ${serverSyn.src}.${serverSyn.sport} > ${serverSyn.dst}.${serverSyn.dport}  seq ${serverSyn.seq}${serverSyn.encapsulated ? ' (inside IP-in-IP)' : ''}`,
      );
    } else print('real server SYN: none captured');
    print(
      same
        ? 'same ISN: one TCP handshake from the client to the real server (the director only rewrote headers)'
        : 'different ISN: two TCP handshakes (the director terminated the client connection and opened its own)',
    );
    const result: LabResult = {
      mode,
      requests,
      errors: answers.errors,
      servers_seen: answers.answers,
      client_isn: clientSyn?.seq ?? null,
      server_isn: serverSyn?.seq ?? null,
      same_handshake: same,
      client_syn: clientSyn,
      server_syn: serverSyn,
      director: { plane, counters: status.counters, states: status.states, listing: status.listing },
    };
    if (opts.keep) result.captures = caps;
    if (flood) {
      const f = JSON.parse(floodOut.trim().split('\n').pop() || '{"sent":0,"ms":0}') as {
        sent: number;
        ms: number;
      };
      const okMs = answers.ms.slice().sort((a, b) => a - b);
      const legitOk = answers.answers.filter((a) => a !== '').length;
      result.flood = {
        syns_sent: f.sent,
        flood_ms: f.ms,
        legit_requests: requests,
        legit_ok: legitOk,
        success_rate: requests > 0 ? legitOk / requests : 0,
        legit_ms_median: okMs.length > 0 ? okMs[okMs.length >> 1]! : 0,
        table_entries: status.connCount,
        table_capacity: opts.connCapacity ?? 1 << 16,
        conn_drops: status.connDrops,
      };
      print(
        `flood: ${f.sent} SYNs in ${f.ms} ms; legitimate client ${legitOk}/${requests} answered (median ${result.flood.legit_ms_median} ms); table ${status.connCount} entries of ${result.flood.table_capacity}, ${status.connDrops} refused as full`,
      );
    }
    return result;
  } finally {
    if (!opts.keep) {
      for (const p of procs.reverse()) await stop(p.child, 'SIGTERM', 2000);
      labDown(String(process.pid));
      rmSync(tmp, { recursive: true, force: true });
    } else {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) release(p.child);
      const running = procs
        .filter((p) => p.child.exitCode === null && p.child.signalCode === null)
        .map((p) => p.name);
      print(
        `kept: namespaces ${LAB_PREFIX}${process.pid}-*, running: ${running.join(', ')}; files in ${tmp}`,
      );
      print(`try: ip netns exec ${NS_CLI} curl -s http://${VIP}/`);
      if (opts.director !== 'runner') print(`     tsvsadm --socket ${join(tmp, 'tsvs.sock')} -Lnc`);
      print('remove everything with: tsvs lab down');
    }
  }
}
