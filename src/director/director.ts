// The director facade: ipvsadm's operations on services and real servers, scheduling with
// persistence templates, the connection table driven by packets or proxy events, expiry, stats.
// Kernel: ip_vs_ctl.c (control), ip_vs_core.c (ip_vs_schedule, ip_vs_sched_persist),
// ip_vs_conn.c (bind/unbind, expiry), ip_vs_proto_tcp.c / _udp.c (states), ip_vs_est.c (rates).

import { type Family, formatWords, parseAddr, parseInto } from './addr.js';
import type { DirectorApi, PacketPlaneApi } from './api.js';
import {
  C_ASSURED,
  C_INACTIVE,
  C_NOOUTPUT,
  C_TEMPLATE,
  ConnTable,
  REC_CLIENT,
  REC_DEST,
  REC_VIRTUAL,
  REC_WORDS,
} from './conn-table.js';
import { fail, ok, type Result } from './errors.js';
import { DEFAULT_TUNNEL, METHOD_FULLNAT, METHOD_MASQ, METHODS, RealTable, Service } from './model.js';
import { TEMPLATE_REARM_MS, templateKey } from './persistence.js';
import { type Flow, REAL_AVAILABLE, REAL_OVERLOAD } from './schedulers/scheduler.js';
import { compareServicesIpvsadm, connectionRows, connStateName, serviceSnapshot } from './snapshot.js';
import { ST_CONNS, ST_INBYTES, ST_INPKTS, ST_OUTBYTES, ST_OUTPKTS, StatsTable } from './stats.js';
import {
  DEFAULT_TIMEOUTS,
  isActiveState,
  NEW_CONN_TIMEOUT,
  nextTcpState,
  S_CLOSE,
  S_ESTABLISHED,
  S_FIN_WAIT,
  S_NONE,
  S_TIME_WAIT,
  S_UDP,
  TCP_DIR_INPUT,
  TCP_DIR_INPUT_ONLY,
  TCP_DIR_OUTPUT,
} from './tcp-state.js';
import { type ExpiryHandler, TimerWheel } from './timer-wheel.js';
import {
  CONN_DROPPED,
  CONN_INVALID,
  CONN_ONE_PACKET,
  type ConnectionRow,
  type ConnectOptions,
  DEFAULT_PERSISTENT_TIMEOUT,
  DIR_OUTPUT,
  type Direction,
  type DirectorOptions,
  type DirectorSnapshot,
  IPPROTO_TCP,
  IPPROTO_UDP,
  type Protocol,
  type ProxyEvent,
  type RealServerConfig,
  type ServiceConfig,
  type ServiceKey,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  type Timeouts,
} from './types.js';
import { V4ServiceIndex } from './v4-index.js';
import { checkRealConfig, checkServiceConfig, MAX_TIMEOUT } from './validate.js';

/** IP_VS_DEST_TRASH_PERIOD: an idle deleted real is kept (revivable) this long. */
const DEST_TRASH_PERIOD_MS = 120_000;
const DAY_MS = 24 * 3600_000;

/** Words of an IPv4 address (host-order u32) without a call into the runtime (no fill()). */
function setV4(w: Uint32Array, v: number): void {
  w[0] = 0;
  w[1] = 0;
  w[2] = 0;
  w[3] = v;
}

function protoNum(p: Protocol): number {
  return p === 'UDP' ? IPPROTO_UDP : IPPROTO_TCP;
}

export class Director implements DirectorApi, PacketPlaneApi, ExpiryHandler {
  private readonly services: (Service | undefined)[] = [];
  private readonly svcFree: number[] = [];
  private readonly v4Index = new V4ServiceIndex();
  private readonly keyIndex = new Map<string, number>();
  private readonly fwm4Index = new Map<number, number>();
  private readonly fwm6Index = new Map<number, number>();
  readonly reals = new RealTable();
  readonly conns: ConnTable;
  private readonly wheel: TimerWheel;
  private readonly svcStats = new StatsTable(16);
  private readonly realStats = new StatsTable(64);
  private readonly totalStats = new StatsTable(1);
  /** Timeouts in ms by state index (S_UDP for UDP). */
  private readonly timeoutMs = new Float64Array(DEFAULT_TIMEOUTS.map((s) => s * 1000));
  private readonly flow: Flow;
  private readonly sc = new Uint32Array(4);
  private readonly sv = new Uint32Array(4);
  private readonly sd = new Uint32Array(4);
  private readonly st = new Uint32Array(4);
  private readonly expireQuiescentTemplate: boolean;
  private readonly expireNodestConn: boolean;
  private readonly connReuseMode: number;
  private readonly onConnExpired: ((connId: number, realId: number) => void) | undefined;
  private inTick = false;
  private readonly connTabSize: number;
  private freed = 0;
  /** Trashed real -> time it was first seen idle at a tick (-1: not yet / referenced). */
  private readonly trashIdle = new Map<number, number>();
  /** Connections refused because the table was full. */
  connDrops = 0;

  constructor(opts: DirectorOptions = {}) {
    const cap = opts.connCapacity ?? 1 << 17;
    this.conns = new ConnTable(cap);
    this.wheel = new TimerWheel(cap, 1000, 4096);
    this.expireQuiescentTemplate = opts.expireQuiescentTemplate ?? false;
    this.expireNodestConn = opts.expireNodestConn ?? false;
    this.connReuseMode = opts.connReuseMode ?? 1;
    this.onConnExpired = opts.onConnExpired;
    this.connTabSize = opts.connTabSize ?? 4096;
    this.flow = {
      family: 4,
      caddr: new Uint32Array(4),
      cport: 0,
      daddr: new Uint32Array(4),
      dport: 0,
      now: 0,
      random: opts.random ?? Math.random,
      lblcExpiration: opts.lblcExpiration ?? DAY_MS,
      lblcrExpiration: opts.lblcrExpiration ?? DAY_MS,
    };
  }

  // ---- keys -----------------------------------------------------------------------------------

  /** Firewall-mark services by mark, one map per family (no key string per packet). */
  private fwmIndex(family: Family): Map<number, number> {
    return family === 6 ? this.fwm6Index : this.fwm4Index;
  }

  private keyString(proto: number, family: Family, w: Uint32Array, port: number): string {
    return `${proto}|${family}|${w[0]}:${w[1]}:${w[2]}:${w[3]}|${port}`;
  }

  private findKey(key: ServiceKey): number {
    if (key.kind === 'fwmark') return this.fwmIndex(key.family).get(key.fwmark >>> 0) ?? -1;
    const fam = parseInto(key.address, this.sv);
    if (fam === 0) return -1;
    return this.lookupWords(protoNum(key.protocol), fam, this.sv, key.port);
  }

  private lookupWords(proto: number, fam: Family, w: Uint32Array, port: number): number {
    if (fam === 4) return this.v4Index.get(proto, w[3]!, port);
    return this.keyIndex.get(this.keyString(proto, fam, w, port)) ?? -1;
  }

  findService(key: ServiceKey): number {
    return this.findKey(key);
  }

  findServer(svcId: number, address: string, port: number): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return -1;
    const a = parseAddr(address);
    if (!a) return -1;
    return this.findDest(svc, a.family, a.w, port, false);
  }

  private findDest(svc: Service, fam: number, w: Uint32Array, port: number, trash: boolean): number {
    const r = this.reals;
    const match = (id: number) =>
      r.family[id] === fam &&
      r.port[id] === port &&
      r.addr[id * 4] === w[0] &&
      r.addr[id * 4 + 1] === w[1] &&
      r.addr[id * 4 + 2] === w[2] &&
      r.addr[id * 4 + 3] === w[3];
    if (!trash) {
      for (const id of svc.dests) if (match(id)) return id;
      return -1;
    }
    for (let id = 0; id < r.capacity; id++) {
      if (r.isAllocated(id) && r.trash[id] === 1 && r.svc[id] === svc.id && match(id)) return id;
    }
    return -1;
  }

  // ---- control --------------------------------------------------------------------------------

  addService(key: ServiceKey, cfg: ServiceConfig): Result<number> {
    const op = 'add-service';
    let family: Family;
    const w = new Uint32Array(4);
    let proto: number;
    let port = 0;
    let fwmark = 0;
    if (key.kind === 'fwmark') {
      if (!Number.isInteger(key.fwmark) || key.fwmark < 1 || key.fwmark > 0xffffffff)
        return fail(op, 'EINVAL', `bad fwmark ${key.fwmark}`);
      family = key.family;
      proto = IPPROTO_TCP;
      fwmark = key.fwmark >>> 0;
    } else {
      const a = parseAddr(key.address);
      if (!a) return fail(op, 'EINVAL', `bad service address '${key.address}'`);
      if (!Number.isInteger(key.port) || key.port < 0 || key.port > 65535)
        return fail(op, 'EINVAL', `bad service port ${key.port}`);
      family = a.family;
      w.set(a.w);
      proto = protoNum(key.protocol);
      port = key.port;
      if (port === 0 && !cfg.persistent) return fail(op, 'EINVAL', 'port 0 needs a persistent service');
    }
    if (this.findKey(key) >= 0) return fail(op, 'EEXIST', 'service exists');
    const c = checkServiceConfig(op, family, key.kind === 'fwmark' || proto === IPPROTO_UDP, cfg);
    if (!c.ok) return c;
    const id = this.svcFree.length > 0 ? this.svcFree.sort((x, y) => y - x).pop()! : this.services.length;
    const svc = new Service(id, this.reals, key.kind, proto, family, w, port, fwmark, c.value.sched);
    this.applyConfig(svc, c.value);
    svc.sched.init(svc);
    this.services[id] = svc;
    this.svcStats.grow(this.services.length);
    this.svcStats.reset(id);
    if (key.kind === 'fwmark') this.fwmIndex(family).set(fwmark, id);
    else if (family === 4) this.v4Index.set(proto, w[3]!, port, id);
    else this.keyIndex.set(this.keyString(proto, family, w, port), id);
    return ok(id);
  }

  private applyConfig(
    svc: Service,
    c: { schedFlags: number; persistent: number; netmask: number; ops: boolean; pe: string },
  ): void {
    svc.schedFlags = c.schedFlags;
    svc.persistent = c.persistent;
    svc.netmask = c.netmask;
    svc.ops = c.ops;
    svc.pe = c.pe;
  }

  editService(key: ServiceKey, cfg: ServiceConfig): Result<number> {
    const op = 'edit-service';
    const id = this.findKey(key);
    const svc = id >= 0 ? this.services[id] : undefined;
    if (!svc) return fail(op, 'ESRCH', 'no such service');
    const c = checkServiceConfig(op, svc.family, svc.kind === 'fwmark' || svc.proto === IPPROTO_UDP, cfg);
    if (!c.ok) return c;
    this.applyConfig(svc, c.value);
    // A different scheduler is bound afresh; the same one keeps its state (ip_vs_edit_service).
    if (c.value.sched.name !== svc.schedName) {
      svc.sched = c.value.sched;
      svc.schedName = c.value.sched.name;
      svc.sched.init(svc);
    }
    return ok(id);
  }

  deleteService(key: ServiceKey): Result<void> {
    const id = this.findKey(key);
    const svc = id >= 0 ? this.services[id] : undefined;
    if (!svc) return fail('delete-service', 'ESRCH', 'no such service');
    this.removeService(svc);
    return ok(undefined);
  }

  private removeService(svc: Service): void {
    for (const rid of [...svc.dests]) this.unlinkDest(svc, rid);
    svc.deleted = true;
    if (svc.kind === 'fwmark') this.fwmIndex(svc.family).delete(svc.fwmark);
    else if (svc.family === 4) this.v4Index.delete(svc.proto, svc.addr[3]!, svc.port);
    else this.keyIndex.delete(this.keyString(svc.proto, svc.family, svc.addr, svc.port));
    this.maybeFreeService(svc);
  }

  private maybeFreeService(svc: Service): void {
    if (svc.deleted && svc.realRefs === 0 && this.services[svc.id] === svc) {
      this.services[svc.id] = undefined;
      this.svcFree.push(svc.id);
    }
  }

  clear(): Result<void> {
    for (const svc of this.services) if (svc && !svc.deleted) this.removeService(svc);
    return ok(undefined);
  }

  /** __ip_vs_update_dest: weight (last_weight keeps the latest non-zero one), method, thresholds. */
  private setDest(
    id: number,
    v: { method: number; weight: number; u: number; l: number; tunnel: RealServerConfig['tunnel'] },
    add: boolean,
  ): void {
    const r = this.reals;
    r.weight[id] = v.weight;
    if (add || v.weight !== 0) r.lastWeight[id] = v.weight;
    r.method[id] = v.method;
    // The OVERLOAD flag clears when the upper threshold is removed or raised.
    if (v.u === 0 || v.u > r.uThreshold[id]!) r.flags[id] = r.flags[id]! & ~REAL_OVERLOAD;
    r.uThreshold[id] = v.u;
    r.lThreshold[id] = v.l;
    r.tunnel[id] = v.tunnel ?? DEFAULT_TUNNEL;
    r.flags[id] = r.flags[id]! | REAL_AVAILABLE;
  }

  addServer(key: ServiceKey, rs: RealServerConfig): Result<number> {
    const op = 'add-server';
    const sid = this.findKey(key);
    const svc = sid >= 0 ? this.services[sid] : undefined;
    if (!svc) return fail(op, 'ESRCH', 'service not defined');
    const c = checkRealConfig(op, svc.family, rs);
    if (!c.ok) return c;
    const v = c.value;
    if (this.findDest(svc, v.a.family, v.a.w, rs.port, false) >= 0)
      return fail(op, 'EEXIST', 'destination exists');
    // A deleted real still referenced by connections comes back with its stats (the trash).
    let id = this.findDest(svc, v.a.family, v.a.w, rs.port, true);
    if (id >= 0) {
      this.reals.trash[id] = 0;
      this.trashIdle.delete(id);
    } else {
      id = this.reals.alloc();
      const r = this.reals;
      r.family[id] = v.a.family;
      r.addr.set(v.a.w, id * 4);
      r.port[id] = rs.port;
      r.svc[id] = svc.id;
      svc.realRefs++;
      this.realStats.grow(r.capacity);
      this.realStats.reset(id);
    }
    this.setDest(id, v, true);
    svc.dests.unshift(id);
    svc.sched.update(svc, 'add', id, 0);
    return ok(id);
  }

  editServer(key: ServiceKey, rs: RealServerConfig): Result<number> {
    const op = 'edit-server';
    const sid = this.findKey(key);
    const svc = sid >= 0 ? this.services[sid] : undefined;
    if (!svc) return fail(op, 'ESRCH', 'service not defined');
    const c = checkRealConfig(op, svc.family, rs);
    if (!c.ok) return c;
    const id = this.findDest(svc, c.value.a.family, c.value.a.w, rs.port, false);
    if (id < 0) return fail(op, 'ENOENT', 'no such destination');
    this.setDest(id, c.value, false);
    svc.sched.update(svc, 'upd', id, svc.dests.indexOf(id));
    return ok(id);
  }

  deleteServer(key: ServiceKey, address: string, port: number): Result<void> {
    const op = 'delete-server';
    const sid = this.findKey(key);
    const svc = sid >= 0 ? this.services[sid] : undefined;
    if (!svc) return fail(op, 'ESRCH', 'service not defined');
    const a = parseAddr(address);
    const id = a ? this.findDest(svc, a.family, a.w, port, false) : -1;
    if (id < 0) return fail(op, 'ENOENT', 'no such destination');
    this.unlinkDest(svc, id);
    return ok(undefined);
  }

  /**
   * Take a real out of its service's list into the trash (__ip_vs_del_dest): it stays there while
   * connections reference it and for DEST_TRASH_PERIOD once idle, so re-adding it revives its stats.
   */
  private unlinkDest(svc: Service, id: number): void {
    const i = svc.dests.indexOf(id);
    svc.dests.splice(i, 1);
    this.reals.flags[id] = this.reals.flags[id]! & ~REAL_AVAILABLE;
    svc.sched.update(svc, 'del', id, i);
    this.reals.trash[id] = 1;
    this.trashIdle.set(id, -1);
  }

  /** ip_vs_dest_trash_expire: free trashed reals idle (no references) for DEST_TRASH_PERIOD. */
  private expireTrash(now: number): void {
    for (const [id, since] of this.trashIdle) {
      if (this.reals.trash[id] !== 1) {
        this.trashIdle.delete(id); // revived
      } else if (this.reals.refs[id]! > 0) {
        this.trashIdle.set(id, -1);
      } else if (since < 0) {
        this.trashIdle.set(id, now);
      } else if (now - since >= DEST_TRASH_PERIOD_MS) {
        this.trashIdle.delete(id);
        this.releaseReal(id);
      }
    }
  }

  private releaseReal(id: number): void {
    const svc = this.services[this.reals.svc[id]!];
    this.reals.release(id);
    if (svc) {
      svc.realRefs--;
      this.maybeFreeService(svc);
    }
  }

  zero(key?: ServiceKey): Result<void> {
    if (key) {
      const id = this.findKey(key);
      const svc = id >= 0 ? this.services[id] : undefined;
      if (!svc) return fail('zero', 'ESRCH', 'no such service');
      this.zeroService(svc);
      return ok(undefined);
    }
    for (const svc of this.services) if (svc && !svc.deleted) this.zeroService(svc);
    this.totalStats.zero(0);
    return ok(undefined);
  }

  private zeroService(svc: Service): void {
    this.svcStats.zero(svc.id);
    for (const id of svc.dests) this.realStats.zero(id);
  }

  setTimeouts(tcp: number, tcpfin: number, udp: number): Result<void> {
    for (const v of [tcp, tcpfin, udp]) {
      if (!Number.isInteger(v) || v < 0 || v > MAX_TIMEOUT)
        return fail('set', 'EINVAL', `timeout ${v} out of 0..${MAX_TIMEOUT}`);
    }
    if (tcp) this.timeoutMs[S_ESTABLISHED] = tcp * 1000;
    if (tcpfin) this.timeoutMs[S_FIN_WAIT] = tcpfin * 1000;
    if (udp) this.timeoutMs[S_UDP] = udp * 1000;
    return ok(undefined);
  }

  getTimeouts(): Timeouts {
    return {
      tcp: this.timeoutMs[S_ESTABLISHED]! / 1000,
      tcpfin: this.timeoutMs[S_FIN_WAIT]! / 1000,
      udp: this.timeoutMs[S_UDP]! / 1000,
    };
  }

  // ---- data planes ----------------------------------------------------------------------------

  lookupService(protocol: 'TCP' | 'UDP', address: string, port: number): number {
    const fam = parseInto(address, this.sv);
    if (fam === 0) return -1;
    return this.lookupWords(protoNum(protocol), fam, this.sv, port);
  }

  /** lookupService for an IPv4 address as a host-order u32 (packet plane). No allocation. */
  lookupServiceV4(proto: number, addr: number, port: number): number {
    return this.v4Index.get(proto, addr, port);
  }

  lookupFwmark(mark: number, family: Family = 4): number {
    return this.fwmIndex(family).get(mark >>> 0) ?? -1;
  }

  schedule(
    svcId: number,
    clientAddress: string,
    clientPort: number,
    now: number,
    destAddress?: string,
    destPort?: number,
  ): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return -1;
    const f = this.flow;
    const fam = parseInto(clientAddress, f.caddr);
    if (fam === 0) return -1;
    if (destAddress === undefined || parseInto(destAddress, f.daddr) === 0) f.daddr.set(svc.addr);
    return this.scheduleFlow(svc, fam, clientPort, destPort ?? svc.port, now);
  }

  /**
   * schedule() for IPv4 host-order u32 addresses (packet plane). `daddr`/`dport` are the packet's
   * destination (the VIP for address services). No allocation.
   */
  scheduleV4(svcId: number, caddr: number, cport: number, daddr: number, dport: number, now: number): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return -1;
    const f = this.flow;
    setV4(f.caddr, caddr);
    setV4(f.daddr, daddr);
    return this.scheduleFlow(svc, 4, cport, dport, now);
  }

  private scheduleFlow(svc: Service, fam: Family, cport: number, dport: number, now: number): number {
    const f = this.flow;
    f.family = fam;
    f.cport = cport;
    f.dport = dport;
    f.now = now;
    if (svc.persistent > 0) return this.schedulePersistent(svc, fam, now);
    return svc.sched.schedule(svc, f);
  }

  /** ip_vs_sched_persist: reuse the client's template, or schedule and create one. */
  private schedulePersistent(svc: Service, fam: Family, now: number): number {
    const f = this.flow;
    const k = templateKey(svc, f.caddr, fam, this.st, this.sd);
    const tproto = Math.floor(k / 0x10000);
    const tvport = k & 0xffff;
    const c = this.conns;
    let ct = c.findIn(tproto, fam, this.st, 0, this.sd, tvport, true);
    if (ct >= 0) {
      const rid = c.real[ct]!;
      const rf = this.reals.flags[rid]!;
      if ((rf & REAL_AVAILABLE) === 0 || (this.expireQuiescentTemplate && this.reals.weight[rid] === 0)) {
        // Invalidate: re-keyed to port 65535 so it no longer matches, listed until it expires.
        c.setPorts(ct, 0xffff, 0xffff);
        ct = -1;
      } else {
        this.wheel.arm(ct, now + c.timeout[ct]!);
        return rid;
      }
    }
    const rid = svc.sched.schedule(svc, f);
    if (rid < 0) return -1;
    const r = this.reals;
    this.realWords(rid, this.sv);
    const tdport = tvport === 0 ? 0 : r.port[rid]!;
    ct = c.insert(tproto, fam, this.st, 0, this.sd, tvport, this.sv, tdport, C_TEMPLATE);
    if (ct < 0) {
      this.connDrops++;
      return -1;
    }
    c.svc[ct] = svc.id;
    c.real[ct] = rid;
    c.state[ct] = S_NONE;
    c.timeout[ct] = svc.persistent * 1000;
    this.bind(ct, rid, true);
    this.wheel.arm(ct, now + c.timeout[ct]!);
    return rid;
  }

  /** ip_vs_bind_dest: count the entry on its real and maybe set OVERLOAD. */
  private bind(id: number, rid: number, template: boolean): void {
    const r = this.reals;
    r.refs[rid]!++;
    if (template) r.persist[rid]!++;
    else if (this.conns.flags[id]! & C_INACTIVE) r.inact[rid]!++;
    else r.active[rid]!++;
    const u = r.uThreshold[rid]!;
    if (u !== 0 && r.active[rid]! + r.inact[rid]! >= u) r.flags[rid] = r.flags[rid]! | REAL_OVERLOAD;
  }

  /** ip_vs_unbind_dest: uncount, and clear OVERLOAD by the lower threshold (or 3/4 of upper). */
  private unbind(id: number, rid: number): void {
    const r = this.reals;
    if (this.conns.flags[id]! & C_TEMPLATE) r.persist[rid]!--;
    else if (this.conns.flags[id]! & C_INACTIVE) r.inact[rid]!--;
    else r.active[rid]!--;
    const total = r.active[rid]! + r.inact[rid]!;
    const l = r.lThreshold[rid]!;
    const u = r.uThreshold[rid]!;
    if (l !== 0) {
      if (total < l) r.flags[rid] = r.flags[rid]! & ~REAL_OVERLOAD;
    } else if (u !== 0) {
      if (total * 4 < u * 3) r.flags[rid] = r.flags[rid]! & ~REAL_OVERLOAD;
    } else r.flags[rid] = r.flags[rid]! & ~REAL_OVERLOAD;
    r.refs[rid]!--;
  }

  private countConn(rid: number): void {
    this.realStats.cnt[rid * 5 + ST_CONNS]!++;
    this.svcStats.cnt[this.reals.svc[rid]! * 5 + ST_CONNS]!++;
    this.totalStats.cnt[ST_CONNS]!++;
  }

  /** Copy a real's address words into `out`. */
  private realWords(rid: number, out: Uint32Array): void {
    const a = this.reals.addr;
    const b = rid * 4;
    out[0] = a[b]!;
    out[1] = a[b + 1]!;
    out[2] = a[b + 2]!;
    out[3] = a[b + 3]!;
  }

  connect(
    svcId: number,
    realId: number,
    clientAddress: string,
    clientPort: number,
    vaddr: string,
    vport: number,
    now: number,
    opts?: ConnectOptions,
  ): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return CONN_INVALID;
    const fam = parseInto(clientAddress, this.sc);
    if (fam === 0 || parseInto(vaddr, this.sv) === 0) return CONN_INVALID;
    const proto = opts?.protocol ? protoNum(opts.protocol) : svc.proto;
    const m = this.reals.method[realId];
    const sees = opts?.seesReplies ?? (m === METHOD_MASQ || m === METHOD_FULLNAT);
    return this.connectWords(svc, realId, proto, fam, clientPort, vport, now, sees);
  }

  /**
   * connect() for IPv4 host-order u32 addresses (packet plane); `proto` 6 or 17; `seesReplies` as
   * in ConnectOptions (NAT/FULLNAT: true). No allocation.
   */
  connectV4(
    svcId: number,
    realId: number,
    proto: number,
    caddr: number,
    cport: number,
    vaddr: number,
    vport: number,
    now: number,
    seesReplies: boolean,
  ): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return CONN_INVALID;
    setV4(this.sc, caddr);
    setV4(this.sv, vaddr);
    return this.connectWords(svc, realId, proto, 4, cport, vport, now, seesReplies);
  }

  /** ip_vs_conn_new + ip_vs_bind_dest + conn stats, with client in this.sc and virtual in this.sv. */
  private connectWords(
    svc: Service,
    realId: number,
    proto: number,
    fam: Family,
    clientPort: number,
    vport: number,
    now: number,
    sees: boolean,
  ): number {
    const r = this.reals;
    if (!r.isAllocated(realId) || r.svc[realId] !== svc.id) return CONN_INVALID;
    if (svc.ops && proto === IPPROTO_UDP) {
      // One-packet scheduling: the entry lives for one datagram only.
      this.countConn(realId);
      return CONN_ONE_PACKET;
    }
    // The real's port, unless it has none or a persistent service matched another port (port 0 /
    // fwmark services): then the packet's own destination port.
    const rport = r.port[realId]!;
    const dport = rport !== 0 && !(svc.persistent > 0 && vport !== svc.port) ? rport : vport;
    this.realWords(realId, this.sd);
    const c = this.conns;
    const id = c.insert(
      proto,
      fam,
      this.sc,
      clientPort,
      this.sv,
      vport,
      this.sd,
      dport,
      C_INACTIVE | (sees ? 0 : C_NOOUTPUT),
    );
    if (id < 0) {
      this.connDrops++;
      return CONN_DROPPED;
    }
    c.svc[id] = svc.id;
    c.real[id] = realId;
    c.state[id] = proto === IPPROTO_UDP ? S_UDP : S_NONE;
    c.timeout[id] = NEW_CONN_TIMEOUT * 1000;
    this.bind(id, realId, false);
    this.countConn(realId);
    if (svc.persistent > 0) {
      const k = templateKey(svc, this.sc, fam, this.st, this.sd);
      const ct = c.findIn(Math.floor(k / 0x10000), fam, this.st, 0, this.sd, k & 0xffff, true);
      if (ct >= 0 && c.real[ct] === realId) {
        c.control[id] = ct;
        c.nControl[ct]!++;
      }
    }
    this.wheel.arm(id, now + c.timeout[id]!);
    return id;
  }

  lookupConn(protocol: 'TCP' | 'UDP', caddr: string, cport: number, vaddr: string, vport: number): number {
    const fam = parseInto(caddr, this.sc);
    if (fam === 0 || parseInto(vaddr, this.sv) === 0) return -1;
    return this.conns.findIn(protoNum(protocol), fam, this.sc, cport, this.sv, vport, false);
  }

  lookupConnReply(
    protocol: 'TCP' | 'UDP',
    raddr: string,
    rport: number,
    caddr: string,
    cport: number,
  ): number {
    const fam = parseInto(caddr, this.sc);
    if (fam === 0 || parseInto(raddr, this.sd) === 0) return -1;
    return this.conns.findOut(protoNum(protocol), fam, this.sd, rport, this.sc, cport);
  }

  /** lookupConn for IPv4 host-order u32 addresses (packet plane). No allocation. */
  lookupConnV4(proto: number, caddr: number, cport: number, vaddr: number, vport: number): number {
    setV4(this.sc, caddr);
    setV4(this.sv, vaddr);
    return this.conns.findIn(proto, 4, this.sc, cport, this.sv, vport, false);
  }

  /** lookupConnReply for IPv4 host-order u32 addresses (packet plane). No allocation. */
  lookupConnReplyV4(proto: number, raddr: number, rport: number, caddr: number, cport: number): number {
    setV4(this.sc, caddr);
    setV4(this.sd, raddr);
    return this.conns.findOut(proto, 4, this.sd, rport, this.sc, cport);
  }

  // ---- word forms (IPv4 and IPv6) for the packet plane: addresses as four host-order words ---------

  /** lookupService with the address as words (IPv4 in w[3]). No allocation for IPv4. */
  lookupServiceW(proto: number, family: Family, w: Uint32Array, port: number): number {
    return this.lookupWords(proto, family, w, port);
  }

  /** schedule() with client and destination as words. */
  scheduleW(
    svcId: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    daddr: Uint32Array,
    dport: number,
    now: number,
  ): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return -1;
    this.flow.caddr.set(caddr);
    this.flow.daddr.set(daddr);
    return this.scheduleFlow(svc, family, cport, dport, now);
  }

  /** connect() with client and virtual addresses as words. */
  connectW(
    svcId: number,
    realId: number,
    proto: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    vaddr: Uint32Array,
    vport: number,
    now: number,
    seesReplies: boolean,
  ): number {
    const svc = this.services[svcId];
    if (!svc || svc.deleted) return CONN_INVALID;
    this.sc.set(caddr);
    this.sv.set(vaddr);
    return this.connectWords(svc, realId, proto, family, cport, vport, now, seesReplies);
  }

  /** lookupConn with words. */
  lookupConnW(
    proto: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    vaddr: Uint32Array,
    vport: number,
  ): number {
    return this.conns.findIn(proto, family, caddr, cport, vaddr, vport, false);
  }

  /** lookupConnReply with words. */
  lookupConnReplyW(
    proto: number,
    family: Family,
    raddr: Uint32Array,
    rport: number,
    caddr: Uint32Array,
    cport: number,
  ): number {
    return this.conns.findOut(proto, family, raddr, rport, caddr, cport);
  }

  /** Copy a real's address words into `out` (packet plane); returns its family, 0 if unknown. */
  realAddrW(realId: number, out: Uint32Array): Family | 0 {
    if (!this.reals.isAllocated(realId)) return 0;
    this.realWords(realId, out);
    return this.reals.family[realId] as Family;
  }

  /**
   * FULLNAT: give connection `connId` the director-side local address:port its packets to the real
   * server carry, so replies (real -> local) are found by lookupConnLocalW/V4.
   */
  setConnLocalW(connId: number, laddr: Uint32Array, lport: number): void {
    if (this.conns.isLive(connId)) this.conns.setLocal(connId, laddr, lport);
  }

  setConnLocalV4(connId: number, laddr: number, lport: number): void {
    setV4(this.st, laddr);
    this.setConnLocalW(connId, this.st, lport);
  }

  /** FULLNAT reply real (raddr, rport) -> local (laddr, lport), or -1. */
  lookupConnLocalW(
    proto: number,
    family: Family,
    raddr: Uint32Array,
    rport: number,
    laddr: Uint32Array,
    lport: number,
  ): number {
    return this.conns.findLocal(proto, family, raddr, rport, laddr, lport);
  }

  lookupConnLocalV4(proto: number, raddr: number, rport: number, laddr: number, lport: number): number {
    setV4(this.sd, raddr);
    setV4(this.st, laddr);
    return this.conns.findLocal(proto, 4, this.sd, rport, this.st, lport);
  }

  /** A connection's local (FULLNAT) address into `out`; returns the local port or -1. */
  connLocalW(connId: number, out: Uint32Array): number {
    return this.conns.isLive(connId) ? this.conns.local(connId, out) : -1;
  }

  /**
   * One of a connection's addresses as words into `out` (packet plane rewriting): `which` 0 = client,
   * 1 = virtual, 2 = destination (real). Returns the family, 0 if the id is not live.
   */
  connAddrW(connId: number, which: 0 | 1 | 2, out: Uint32Array): Family | 0 {
    const c = this.conns;
    if (!c.isLive(connId)) return 0;
    const b = connId * REC_WORDS + (which === 0 ? REC_CLIENT : which === 1 ? REC_VIRTUAL : REC_DEST);
    out[0] = c.rec[b]!;
    out[1] = c.rec[b + 1]!;
    out[2] = c.rec[b + 2]!;
    out[3] = c.rec[b + 3]!;
    if (which === 2) {
      const rid = c.real[connId]!;
      if (this.reals.isAllocated(rid)) return this.reals.family[rid] as Family;
    }
    return c.family[connId] as Family;
  }

  /** One of a connection's ports: 0 = client, 1 = virtual, 2 = destination; -1 if not live. */
  connPort(connId: number, which: 0 | 1 | 2): number {
    const c = this.conns;
    if (!c.isLive(connId)) return -1;
    return which === 0 ? c.clientPort(connId) : which === 1 ? c.virtualPort(connId) : c.destPort(connId);
  }

  /** True when the connection's real server is still in its service (not deleted / in the trash). */
  connRealAvailable(connId: number): boolean {
    const c = this.conns;
    return c.isLive(connId) && (this.reals.flags[c.real[connId]!]! & REAL_AVAILABLE) !== 0;
  }

  /**
   * Count packets of a flow that has no entry (one-packet -o services, CONN_ONE_PACKET) on the real,
   * its service and the total.
   */
  countPackets(realId: number, dir: Direction, packets: number, bytes: number): void {
    const r = this.reals;
    if (!r.isAllocated(realId) || (r.flags[realId]! & REAL_AVAILABLE) === 0) return;
    this.countOn(realId, dir, packets, bytes);
  }

  /** Move a connection to `state`, keeping ActiveConn/InActConn and template assurance right. */
  private setState(id: number, state: number): void {
    const c = this.conns;
    if (state !== c.state[id]) {
      const rid = c.real[id]!;
      const r = this.reals;
      const inactive = (c.flags[id]! & C_INACTIVE) !== 0;
      if (!inactive && !isActiveState(state)) {
        r.active[rid]!--;
        r.inact[rid]!++;
        c.flags[id] = c.flags[id]! | C_INACTIVE;
      } else if (inactive && isActiveState(state)) {
        r.active[rid]!++;
        r.inact[rid]!--;
        c.flags[id] = c.flags[id]! & ~C_INACTIVE;
      }
      c.state[id] = state;
      if (state === S_ESTABLISHED) this.assure(id);
    }
    c.timeout[id] = this.timeoutMs[state]!;
  }

  private assure(id: number): void {
    const ct = this.conns.control[id]!;
    if (ct >= 0) this.conns.flags[ct] = this.conns.flags[ct]! | C_ASSURED;
  }

  private count(id: number, dir: Direction, packets: number, bytes: number): void {
    const rid = this.conns.real[id]!;
    if ((this.reals.flags[rid]! & REAL_AVAILABLE) === 0) return;
    this.countOn(rid, dir, packets, bytes);
  }

  private countOn(rid: number, dir: Direction, packets: number, bytes: number): void {
    const sid = this.reals.svc[rid]!;
    const pk = dir === DIR_OUTPUT ? ST_OUTPKTS : ST_INPKTS;
    const by = dir === DIR_OUTPUT ? ST_OUTBYTES : ST_INBYTES;
    const rs = this.realStats.cnt;
    const ss = this.svcStats.cnt;
    const ts = this.totalStats.cnt;
    rs[rid * 5 + pk] += packets;
    rs[rid * 5 + by] += bytes;
    ss[sid * 5 + pk] += packets;
    ss[sid * 5 + by] += bytes;
    ts[pk] += packets;
    ts[by] += bytes;
  }

  packet(connId: number, dir: Direction, tcpFlags: number, bytes: number, now: number): number {
    const c = this.conns;
    if (!c.isLive(connId) || (c.flags[connId]! & C_TEMPLATE) !== 0) return -1;
    this.count(connId, dir, 1, bytes);
    this.transition(connId, dir, tcpFlags);
    this.wheel.arm(connId, now + c.timeout[connId]!);
    return c.state[connId]!;
  }

  private transition(id: number, dir: Direction, tcpFlags: number): void {
    const c = this.conns;
    if (c.proto[id] === IPPROTO_UDP) {
      c.timeout[id] = this.timeoutMs[S_UDP]!;
      if (dir === DIR_OUTPUT) this.assure(id);
      return;
    }
    let off = dir === DIR_OUTPUT ? TCP_DIR_OUTPUT : TCP_DIR_INPUT;
    if (c.flags[id]! & C_NOOUTPUT) {
      if (off === TCP_DIR_OUTPUT) c.flags[id] = c.flags[id]! & ~C_NOOUTPUT;
      else off = TCP_DIR_INPUT_ONLY;
    }
    this.setState(id, nextTcpState(c.state[id]!, off, tcpFlags));
  }

  traffic(connId: number, dir: Direction, packets: number, bytes: number, now: number): void {
    const c = this.conns;
    if (!c.isLive(connId) || (c.flags[connId]! & C_TEMPLATE) !== 0) return;
    this.count(connId, dir, packets, bytes);
    // A UDP datagram is its own state transition (UDP timeout; a reply assures the template).
    if (c.proto[connId] === IPPROTO_UDP) this.transition(connId, dir, 0);
    this.wheel.arm(connId, now + c.timeout[connId]!);
  }

  event(connId: number, ev: ProxyEvent, now: number): void {
    const c = this.conns;
    if (!c.isLive(connId) || (c.flags[connId]! & C_TEMPLATE) !== 0) return;
    const IN = 0;
    switch (ev) {
      case 'connecting':
        this.transition(connId, IN, TCP_SYN);
        break;
      case 'established':
        this.transition(connId, IN, TCP_ACK);
        break;
      case 'client-fin':
        this.transition(connId, IN, TCP_FIN | TCP_ACK);
        break;
      case 'server-fin':
        this.transition(connId, DIR_OUTPUT, TCP_FIN | TCP_ACK);
        break;
      case 'reset':
        this.transition(connId, IN, TCP_RST);
        break;
      case 'closed': {
        const s = c.state[connId]!;
        if (c.proto[connId] !== IPPROTO_UDP && s !== S_TIME_WAIT && s !== S_CLOSE)
          this.setState(connId, S_CLOSE);
        break;
      }
    }
    this.wheel.arm(connId, now + c.timeout[connId]!);
  }

  connReal(connId: number): number {
    return this.conns.isLive(connId) ? this.conns.real[connId]! : -1;
  }

  connState(connId: number): string {
    return this.conns.isLive(connId) ? connStateName(this.conns, connId) : '';
  }

  realInfo(realId: number): { address: string; port: number; family: Family; method: string } | null {
    const r = this.reals;
    if (!r.isAllocated(realId)) return null;
    const b = realId * 4;
    const family = r.family[realId] as Family;
    return {
      address: formatWords(family, r.addr[b]!, r.addr[b + 1]!, r.addr[b + 2]!, r.addr[b + 3]!),
      port: r.port[realId]!,
      family,
      method: METHODS[r.method[realId]!]!,
    };
  }

  /** A real's IPv4 address as a host-order u32 (packet plane), or -1 for IPv6 / unknown ids. */
  realAddrV4(realId: number): number {
    const r = this.reals;
    return r.isAllocated(realId) && r.family[realId] === 4 ? r.addr[realId * 4 + 3]! : -1;
  }

  /**
   * conn_reuse_mode (default 1) for a new SYN that hit entry `connId`: when the entry is in TIME_WAIT
   * or CLOSE (or FIN_WAIT without replies, with mode bit 2), is not controlled by a template and
   * controls nothing, it is expired now and true is returned: the caller schedules afresh. Also
   * true (and expired) when sysctl expire_nodest_conn is on and the entry's real was deleted.
   */
  reuseOnSyn(connId: number, now: number): boolean {
    const c = this.conns;
    if (!c.isLive(connId) || c.flags[connId]! & C_TEMPLATE) return false;
    const rid = c.real[connId]!;
    if (this.expireNodestConn && (this.reals.flags[rid]! & REAL_AVAILABLE) === 0) {
      this.expireNow(connId, now);
      return true;
    }
    if (this.connReuseMode === 0 || c.proto[connId] !== IPPROTO_TCP || c.control[connId]! >= 0) return false;
    const s = c.state[connId]!;
    const expected =
      s === S_TIME_WAIT ||
      s === S_CLOSE ||
      ((this.connReuseMode & 2) !== 0 && s === S_FIN_WAIT && (c.flags[connId]! & C_NOOUTPUT) !== 0);
    if (!expected || c.nControl[connId]! > 0) return false;
    this.expireNow(connId, now);
    return true;
  }

  /** Free a connection entry at once (ip_vs_conn_expire_now). Templates with controlled entries stay. */
  expireNow(connId: number, now: number): void {
    const c = this.conns;
    if (!c.isLive(connId)) return;
    this.wheel.cancel(connId);
    this.expire(connId, now);
  }

  /** Timer-wheel callback: free an entry, or re-arm a template that still controls connections. */
  expire(id: number, now: number): void {
    const c = this.conns;
    if (c.nControl[id]! > 0) {
      // Still controls connections: expire later; the timeout stays 60 s from now on, so later
      // uses of the template re-arm it with 60 s too (ip_vs_conn_expire's expire_later).
      c.timeout[id] = TEMPLATE_REARM_MS;
      this.wheel.arm(id, now + TEMPLATE_REARM_MS);
      return;
    }
    const ct = c.control[id]!;
    if (ct >= 0 && c.isLive(ct)) c.nControl[ct]!--;
    const rid = c.real[id]!;
    const template = (c.flags[id]! & C_TEMPLATE) !== 0;
    this.unbind(id, rid);
    c.remove(id);
    this.freed++;
    if (this.inTick && !template && this.onConnExpired) this.onConnExpired(id, rid);
  }

  tick(now: number): number {
    this.freed = 0;
    this.inTick = true;
    try {
      this.wheel.advance(now, this);
    } finally {
      this.inTick = false;
    }
    if (this.trashIdle.size > 0) this.expireTrash(now);
    return this.freed;
  }

  estimate(_now: number): void {
    for (const svc of this.services) {
      if (!svc || svc.deleted) continue;
      this.svcStats.estimate(svc.id);
      for (const id of svc.dests) this.realStats.estimate(id);
    }
    this.totalStats.estimate(0);
  }

  // ---- listing --------------------------------------------------------------------------------

  snapshot(): DirectorSnapshot {
    const live = this.services.filter((s): s is Service => !!s && !s.deleted).sort(compareServicesIpvsadm);
    return {
      services: live.map((s) => serviceSnapshot(s, this.svcStats, this.realStats)),
      total: this.totalStats.snapshot(0),
      totalRates: this.totalStats.rates(0),
      timeouts: this.getTimeouts(),
      connTabSize: this.connTabSize,
      connCount: this.conns.count,
      connDrops: this.connDrops,
    };
  }

  connections(now: number): ConnectionRow[] {
    return connectionRows(this.conns, this.reals, this.wheel.due, now);
  }

  /** Persistence default for `-p` without a value, re-exported for control/. */
  static readonly DEFAULT_PERSISTENT_TIMEOUT = DEFAULT_PERSISTENT_TIMEOUT;
}
