// The packet plane (DESIGN.md "The data planes"): the VIPs (and FULLNAT local addresses) are routed
// into a TUN device; the forwarder rewrites each packet as LVS does (NAT, FULLNAT, IP-in-IP, DR)
// and writes it back for the kernel to route, or frames it to the real server's MAC (DR).
// Linux only, CAP_NET_ADMIN. Everything added to the kernel is recorded and removed by close().

import { createSocket } from 'node:dgram';
import { existsSync, readFileSync } from 'node:fs';
import type { Director } from '../../director/index.js';
import { loadNative } from '../../io/native.js';
import { PacketSocket } from '../../io/packet-socket.js';
import { TUN_F_CSUM, TUN_F_TSO_ECN, TUN_F_TSO4, TunDevice } from '../../io/tun.js';
import type { DataPlane, PlaneLog, PlaneOptions } from '../plane.js';
import { Batcher } from './batch.js';
import {
  Forwarder,
  type FwmarkEntry,
  M_FULLNAT,
  M_GATE,
  M_IPIP,
  M_MASQ,
  methodCode,
  type RealRoute,
} from './forwarder.js';
import {
  connectedDev,
  devIndex,
  devMac,
  interfacePrefixes,
  ip,
  NetConf,
  neighMac,
  routeGet,
  u32ToV4,
  v4ToU32,
} from './netconf.js';

export { Action, COUNTER_NAMES, Forwarder } from './forwarder.js';

export interface PacketPlaneOptions extends PlaneOptions {
  /** TUN device name (default $TSVS_TUN or tsvs0). */
  device?: string;
  /** FULLNAT local addresses (default: config.localAddresses, else $TSVS_FULLNAT_LADDR, comma separated). */
  localAddresses?: string[];
  /** Policy-routing table and rule priority for NAT replies (default 3197). */
  table?: number;
  /**
   * virtio_net_hdr on the TUN device with checksum and TSO offloads while every real server is
   * NAT/FULLNAT: the kernel hands over 64 KB TCP super-packets (default true; $TSVS_PACKET_OFFLOAD=0
   * turns it off).
   */
  offload?: boolean;
}

const CAP_NET_ADMIN = 12;
const READ_ROUNDS = 32;

function hasCapNetAdmin(): boolean {
  try {
    const m = /^CapEff:\s*([0-9a-f]+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (!m) return false;
    return (BigInt(`0x${m[1]}`) & (1n << BigInt(CAP_NET_ADMIN))) !== 0n;
  } catch {
    return false;
  }
}

function loadNativeHasOffload(): boolean {
  const n = loadNative();
  return n.ok && typeof n.addon.tunSetOffload === 'function';
}

function hasIpCommand(): boolean {
  const dirs = (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':');
  return dirs.some((d) => d !== '' && existsSync(`${d}/ip`));
}

export class PacketPlane implements DataPlane {
  /** Why the packet plane cannot run here, or null when it can. */
  static check(): string | null {
    if (process.platform !== 'linux') {
      return `the packet plane needs Linux (TUN device, policy routing); this is ${process.platform}: use --plane proxy`;
    }
    const n = loadNative();
    if (!n.ok) return `the packet plane is unavailable: ${n.reason}`;
    if (!hasCapNetAdmin()) {
      return 'the packet plane needs CAP_NET_ADMIN (run as root, or: setcap cap_net_admin+ep $(which node)); without privileges use --plane proxy';
    }
    if (!existsSync('/dev/net/tun')) {
      return 'the packet plane needs /dev/net/tun (modprobe tun; in a container add --device /dev/net/tun)';
    }
    if (!hasIpCommand()) return 'the packet plane needs the ip command (iproute2): apt-get install iproute2';
    return null;
  }

  readonly device: string;
  readonly forwarder: Forwarder;
  private readonly director: Director;
  private readonly now: () => number;
  private readonly config: PlaneOptions['config'];
  private readonly log: PlaneLog;
  private readonly table: number;
  private readonly localAddresses: string[];
  private readonly net = new NetConf();
  private tun: TunDevice | null = null;
  private batcher: Batcher | null = null;
  private readonly sockets = new Map<string, { sock: PacketSocket; index: number }>();
  private sweepTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly offload: boolean;
  private offloadFlags = -1;
  private ioErrors = 0;
  private lastErrorLog = -Infinity;
  /** DR real servers without a MAC address at the last sync (their packets count drop_no_mac). */
  private unresolved = 0;
  private lastResolve = 0;
  private lastProblems = '';
  private syncing: Promise<string[]> | null = null;

  constructor(opts: PacketPlaneOptions) {
    const why = PacketPlane.check();
    if (why) throw new Error(why);
    this.director = opts.director;
    this.now = opts.now;
    this.config = opts.config;
    this.log = opts.log;
    this.device = opts.device ?? process.env.TSVS_TUN ?? 'tsvs0';
    this.table = opts.table ?? 3197;
    this.offload = (opts.offload ?? process.env.TSVS_PACKET_OFFLOAD !== '0') && loadNativeHasOffload();
    // FULLNAT local addresses: the option, else the config file's, else $TSVS_FULLNAT_LADDR.
    const fromConfig = opts.config.localAddresses;
    const fromEnv = (process.env.TSVS_FULLNAT_LADDR ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    this.localAddresses = opts.localAddresses ?? (fromConfig.length > 0 ? fromConfig : fromEnv);
    const la = this.localAddresses.map(v4ToU32);
    const bad = this.localAddresses.find((_, i) => la[i]! < 0);
    if (bad !== undefined) throw new Error(`FULLNAT local address ${bad} is not an IPv4 address`);
    this.forwarder = new Forwarder(this.director, { localAddresses: la });
  }

  /** Counters of the forwarder and the I/O loop. */
  counters(): Record<string, number> {
    const c = this.forwarder.counterObject();
    c.tx_dropped = this.batcher?.txDropped ?? 0;
    return c;
  }

  sync(): Promise<string[]> {
    return this.queueSync(false);
  }

  private queueSync(retry: boolean): Promise<string[]> {
    // Serialize: a rule change during a sync waits for it, then syncs again.
    const prev = this.syncing ?? Promise.resolve([]);
    const next = prev
      .catch(() => [])
      .then(() => this.doSync(retry))
      .catch((e: unknown) => [`packet plane: ${e instanceof Error ? e.message : String(e)}`]);
    this.syncing = next;
    return next;
  }

  private async start(): Promise<void> {
    const tun = TunDevice.open(this.device, { vnetHdr: this.offload });
    this.tun = tun;
    const n = this.net;
    n.sysctl('net.ipv4.ip_forward', '1');
    // Packets written into the TUN carry the client's (or our own, IP-in-IP) source address.
    n.sysctl(`net.ipv4.conf.${tun.name}.rp_filter`, '0');
    n.sysctl('net.ipv4.conf.all.rp_filter', '0');
    n.sysctl(`net.ipv4.conf.${tun.name}.accept_local`, '1');
    // The forwarder is IPv4 only: keep the kernel's own IPv6 chatter (router solicitations) off it.
    try {
      n.sysctl(`net.ipv6.conf.${tun.name}.disable_ipv6`, '1');
    } catch {
      // IPv6 disabled or absent: nothing to do.
    }
    // Bursts (a SYN flood, a window of segments) queue on the device until the forwarder reads:
    // a longer queue than the default 500 turns short stalls of the event loop into delay, not loss.
    await ip(['link', 'set', 'dev', tun.name, 'txqueuelen', '8192', 'up']);
    await n.add(
      'table-default',
      ['route', 'replace', 'default', 'dev', tun.name, 'table', String(this.table)],
      ['route', 'del', 'default', 'dev', tun.name, 'table', String(this.table)],
    );
    const b = new Batcher(this.forwarder, tun, { vnetHdr: this.offload });
    this.batcher = b;
    tun.onReadable((status) => {
      if (status < 0 || !this.batcher) return;
      try {
        b.run(this.now(), READ_ROUNDS);
      } catch (e) {
        // A failed read or write (device going down...): the batch is lost, the loop goes on.
        this.ioErrors++;
        const t = this.now();
        if (t - this.lastErrorLog >= 1000) {
          this.lastErrorLog = t;
          this.log('packet-error', {
            error: e instanceof Error ? e.message : String(e),
            errors: this.ioErrors,
          });
        }
      }
    });
    this.sweepTimer = setInterval(() => {
      this.forwarder.sweepLocal();
      // DR real servers whose MAC was unknown: try again every few seconds.
      const t = this.now();
      if (this.unresolved > 0 && t - this.lastResolve >= 5000 && !this.closed) {
        this.lastResolve = t;
        void this.queueSync(true);
      }
    }, 1000);
    this.sweepTimer.unref();
    this.log('packet-plane', { device: tun.name, table: this.table });
  }

  private async doSync(retry: boolean): Promise<string[]> {
    if (this.closed) return ['the packet plane is closed'];
    const problems: string[] = [];
    if (!this.tun) {
      try {
        await this.start();
      } catch (e) {
        // Half set up: undo it, so that the next sync starts again from nothing.
        if (this.sweepTimer) clearInterval(this.sweepTimer);
        this.sweepTimer = null;
        this.batcher = null;
        // start() may have set it (TypeScript narrowed it to null above).
        (this.tun as TunDevice | null)?.close();
        this.tun = null;
        await this.net.undoAll().catch(() => undefined);
        return [`packet plane: cannot set up ${this.device}: ${e instanceof Error ? e.message : String(e)}`];
      }
    }
    const dev = this.tun!.name;
    const snap = this.director.snapshot();
    const prefixes = await interfacePrefixes().catch(() => []);
    const want = new Map<string, { add: string[]; del: string[] }>();
    const route = (addr: string) => {
      const a = v4ToU32(addr);
      const local = prefixes.find((p) => p.addr === a);
      if (local) {
        problems.push(
          `packet plane: ${addr} is an address of ${local.dev}, so the kernel delivers its packets locally and the forwarder never sees them: remove it (ip addr del ${addr}/${local.len} dev ${local.dev}); the packet plane answers ARP for it`,
        );
      }
      want.set(`route ${addr}`, {
        add: ['route', 'replace', `${addr}/32`, 'dev', dev],
        del: ['route', 'del', `${addr}/32`, 'dev', dev],
      });
      // An address on a connected subnet is answered for (proxy ARP) on that subnet's interface.
      const on = connectedDev(prefixes, v4ToU32(addr), dev);
      if (on) {
        want.set(`proxy ${addr} ${on}`, {
          add: ['neigh', 'replace', 'proxy', addr, 'dev', on],
          del: ['neigh', 'del', 'proxy', addr, 'dev', on],
        });
      }
    };
    this.forwarder.clearReals();
    let unresolved = 0;
    const fwm: FwmarkEntry[] = [];
    for (const s of snap.services) {
      // Firewall-mark services: a TUN packet carries no mark, so the config's listeners of the mark
      // (fwmark 99 tcp ADDR:80 tcp ADDR:443) say which destinations belong to the service.
      let protos = [s.protocol.toLowerCase()];
      if (s.protocol === 'FWM') {
        const ls = (this.config.fwmarks.get(s.fwmark) ?? []).filter((l) => v4ToU32(l.address) >= 0);
        if (s.family !== 4 || ls.length === 0) {
          problems.push(
            `packet plane: FWM ${s.fwmark} needs IPv4 listeners in the config file (fwmark ${s.fwmark} tcp ADDR:PORT ...); skipped`,
          );
          continue;
        }
        for (const l of ls) {
          route(l.address);
          fwm.push({
            proto: l.protocol === 'TCP' ? 6 : 17,
            addr: v4ToU32(l.address),
            port: l.port,
            svc: s.id,
          });
        }
        protos = [...new Set(ls.map((l) => l.protocol.toLowerCase()))];
      } else if (s.family !== 4) {
        problems.push(
          `packet plane: ${s.protocol} [${s.address}]:${s.port} is IPv6, not supported yet; skipped`,
        );
        continue;
      }
      if (s.protocol !== 'FWM') route(s.address);
      for (const r of s.reals) {
        if (r.family !== 4) {
          problems.push(`packet plane: real server [${r.address}]:${r.port} is IPv6, not supported yet`);
          continue;
        }
        const m = methodCode(r.method);
        const rr: RealRoute = { method: m };
        if (m === M_MASQ) {
          // Replies from the real server's service port (only those) come back through the TUN.
          for (const proto of protos) {
            const sel = ['from', `${r.address}/32`, 'ipproto', proto];
            if (r.port !== 0) sel.push('sport', String(r.port));
            const tail = ['lookup', String(this.table), 'pref', String(this.table)];
            want.set(`rule ${sel.join(' ')}`, {
              add: ['rule', 'add', ...sel, ...tail],
              del: ['rule', 'del', ...sel, ...tail],
            });
          }
        } else if (m === M_IPIP) {
          const rt = await routeGet(r.address);
          if (!rt?.src) {
            problems.push(`packet plane: no route to real server ${r.address} (IP-in-IP)`);
            continue;
          }
          rr.tunnelSource = v4ToU32(rt.src);
        } else if (m === M_GATE) {
          const err = await this.resolveDr(r.address, rr);
          if (err) {
            // Still a DR real: its packets are dropped as drop_no_mac until the MAC is known.
            problems.push(err);
            unresolved++;
          }
        } else if (m === M_FULLNAT) {
          if (!this.forwarder.pool) {
            problems.push(
              `packet plane: real server ${r.address}:${r.port} is FULLNAT but no local address is configured (config file or TSVS_FULLNAT_LADDR)`,
            );
            continue;
          }
        }
        this.forwarder.setReal(r.id, rr);
      }
    }
    if (this.offload) {
      // GSO super-packets and partial checksums only while every real server is NAT/FULLNAT:
      // IP-in-IP has no virtio GSO type and DR frames leave through a packet socket.
      const natOnly = snap.services.every((s) =>
        s.reals.every((r) => r.method === 'masq' || r.method === 'fullnat'),
      );
      const flags = natOnly ? TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO_ECN : 0;
      if (flags !== this.offloadFlags) {
        try {
          this.tun!.setOffload(flags);
          this.offloadFlags = flags;
          this.log('packet-offload', { csum: (flags & TUN_F_CSUM) !== 0, tso4: (flags & TUN_F_TSO4) !== 0 });
        } catch (e) {
          problems.push(`packet plane: offloads: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
    if (snap.services.some((s) => s.reals.some((r) => r.method === 'fullnat'))) {
      for (const a of this.localAddresses) route(a);
    }
    // Remove what is no longer wanted, then add what is new.
    for (const key of this.net.keys()) {
      if (key !== 'table-default' && !want.has(key)) await this.net.remove(key);
    }
    for (const [key, c] of want) {
      if (this.net.has(key)) continue;
      try {
        await this.net.add(key, c.add, c.del);
      } catch (e) {
        problems.push(`packet plane: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.forwarder.setFwmarkDestinations(fwm);
    this.unresolved = unresolved;
    // sync()'s caller reports what it returns; the plane's own retries (unresolved MACs) log the
    // problems, when they change.
    const text = problems.join('\n');
    if (retry && text !== this.lastProblems)
      for (const p of problems) this.log('packet-sync-problem', { problem: p });
    this.lastProblems = text;
    return problems;
  }

  /** DR: the interface towards the real server and its MAC (the kernel ARPs for it when unknown). */
  private async resolveDr(addr: string, rr: RealRoute): Promise<string | null> {
    const rt = await routeGet(addr);
    if (!rt || rt.dev === this.tun?.name) return `packet plane: no route to real server ${addr} (DR)`;
    if (rt.via)
      return `packet plane: DR real server ${addr} must be on a directly connected network (it is via ${rt.via})`;
    let mac = await neighMac(addr, rt.dev);
    if (!mac) {
      // Make the kernel resolve it: one empty UDP datagram to the discard port of the real server
      // (on its own segment) sends an ARP request; then wait up to a second for the answer.
      await new Promise<void>((resolve) => {
        const sock = createSocket('udp4');
        sock.on('error', () => undefined);
        sock.send(new Uint8Array(0), 9, addr, () => {
          sock.close();
          resolve();
        });
      });
      for (let i = 0; i < 10 && !mac; i++) {
        await new Promise((r) => setTimeout(r, 100));
        mac = await neighMac(addr, rt.dev);
      }
    }
    if (!mac) return `packet plane: cannot resolve the MAC address of DR real server ${addr} on ${rt.dev}`;
    const src = devMac(rt.dev);
    if (!src) return `packet plane: cannot read the MAC address of ${rt.dev}`;
    let s = this.sockets.get(rt.dev);
    if (!s) {
      const ifindex = devIndex(rt.dev);
      const sock = PacketSocket.open({
        ifindex,
        cooked: false,
        snaplen: 128,
        promisc: false,
        ignoreOutgoing: true,
        bufferBytes: 1 << 20,
        ring: false,
      });
      s = { sock, index: this.sockets.size };
      this.sockets.set(rt.dev, s);
      this.batcher!.senders[s.index] = sock;
    }
    rr.mac = mac;
    rr.srcMac = src;
    rr.port = s.index;
    return null;
  }

  async close(drainMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await (this.syncing ?? Promise.resolve()).catch(() => undefined);
    // Connections are the kernel's and the real servers' business: there is nothing to drain
    // in a stateless forwarder beyond packets already queued, so drainMs only bounds the wait.
    if (drainMs > 0 && this.tun) await new Promise((r) => setTimeout(r, Math.min(drainMs, 50)));
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.tun?.stopReadable();
    this.batcher = null;
    await this.net.undoAll();
    for (const { sock } of this.sockets.values()) sock.close();
    this.sockets.clear();
    this.tun?.close();
    this.tun = null;
    this.log('packet-plane-closed', { device: this.device });
  }
}

export { u32ToV4, v4ToU32 };
