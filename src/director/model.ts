// The director's model: real servers as typed-array columns by dense id (free-list), and services.
// Kernel: struct ip_vs_dest / struct ip_vs_service (include/net/ip_vs.h).

import type { Family } from './addr.js';
import type { RealColumns, SchedService, Scheduler } from './schedulers/scheduler.js';
import type { ForwardMethod, TunnelConfig } from './types.js';

/** Real flag: slot allocated (live or in the trash). Not a kernel bit. */
export const REAL_ALLOCATED = 0x80;

export const METHODS: readonly ForwardMethod[] = ['masq', 'gate', 'ipip', 'fullnat'];
export const METHOD_MASQ = 0;
export const METHOD_FULLNAT = 3;

export const DEFAULT_TUNNEL: TunnelConfig = { type: 'ipip', port: 0, csum: 'nocsum' };

/** Real-server columns, grown by doubling (control-plane path only). */
export class RealTable implements RealColumns {
  weight = new Int32Array(0);
  lastWeight = new Int32Array(0);
  active = new Int32Array(0);
  inact = new Int32Array(0);
  persist = new Int32Array(0);
  flags = new Uint8Array(0);
  family = new Uint8Array(0);
  addr = new Uint32Array(0);
  port = new Int32Array(0);
  method = new Uint8Array(0);
  uThreshold = new Int32Array(0);
  lThreshold = new Int32Array(0);
  /** Owning service id. */
  svc = new Int32Array(0);
  /** Connection entries (templates included) that point at this real. */
  refs = new Int32Array(0);
  /** Deleted but still referenced by connections (the kernel's trash). */
  trash = new Uint8Array(0);
  tunnel: TunnelConfig[] = [];
  private free: number[] = [];
  private size = 0;

  constructor(capacity = 64) {
    this.grow(capacity);
  }

  get capacity(): number {
    return this.weight.length;
  }

  private grow(capacity: number): void {
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const g8 = (a: Uint8Array) => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    this.weight = g32(this.weight);
    this.lastWeight = g32(this.lastWeight);
    this.active = g32(this.active);
    this.inact = g32(this.inact);
    this.persist = g32(this.persist);
    this.flags = g8(this.flags);
    this.family = g8(this.family);
    const a = new Uint32Array(capacity * 4);
    a.set(this.addr);
    this.addr = a;
    this.port = g32(this.port);
    this.method = g8(this.method);
    this.uThreshold = g32(this.uThreshold);
    this.lThreshold = g32(this.lThreshold);
    this.svc = g32(this.svc);
    this.refs = g32(this.refs);
    this.trash = g8(this.trash);
  }

  /** A fresh id (lowest freed first, else the next new one); columns zeroed. */
  alloc(): number {
    let id: number;
    if (this.free.length > 0) {
      this.free.sort((x, y) => y - x);
      id = this.free.pop()!;
    } else {
      id = this.size++;
      if (id >= this.capacity) this.grow(Math.max(64, this.capacity * 2));
    }
    this.weight[id] = 0;
    this.lastWeight[id] = 0;
    this.active[id] = 0;
    this.inact[id] = 0;
    this.persist[id] = 0;
    this.flags[id] = REAL_ALLOCATED;
    this.refs[id] = 0;
    this.trash[id] = 0;
    this.uThreshold[id] = 0;
    this.lThreshold[id] = 0;
    this.tunnel[id] = DEFAULT_TUNNEL;
    return id;
  }

  release(id: number): void {
    this.flags[id] = 0;
    this.trash[id] = 0;
    this.svc[id] = -1;
    this.free.push(id);
  }

  isAllocated(id: number): boolean {
    return id >= 0 && id < this.size && (this.flags[id]! & REAL_ALLOCATED) !== 0;
  }
}

/** A virtual service. Implements the scheduler's view of it. */
export class Service implements SchedService {
  dests: number[] = [];
  /** Reals (live or trash) whose svc is this service; the id is freed when 0 after deletion. */
  realRefs = 0;
  deleted = false;
  schedName: string;
  schedFlags = 0;
  /** Persistence timeout in seconds, 0 = none. */
  persistent = 0;
  /** IPv4: mask (host order u32); IPv6: prefix length. */
  netmask: number;
  ops = false;
  pe = '';

  constructor(
    readonly id: number,
    readonly reals: RealTable,
    readonly kind: 'addr' | 'fwmark',
    /** 6 or 17 (fwmark services: 6, as the kernel's ipvsadm sends). */
    readonly proto: number,
    readonly family: Family,
    readonly addr: Uint32Array,
    readonly port: number,
    readonly fwmark: number,
    public sched: Scheduler,
  ) {
    this.schedName = sched.name;
    this.netmask = family === 4 ? 0xffffffff : 128;
  }
}
