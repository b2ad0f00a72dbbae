// A minimal service for scheduler tests and benchmarks: reals added at the head as the kernel does,
// the dest hooks called like ip_vs_ctl.c calls them. Not used by the director itself.

import { parseAddr } from '../addr.js';
import type { Flow, RealColumns, SchedService, Scheduler } from './scheduler.js';
import { REAL_AVAILABLE, REAL_OVERLOAD } from './scheduler.js';

export class SchedHarness implements SchedService {
  dests: number[] = [];
  readonly reals: RealColumns;
  readonly names: string[] = [];
  schedFlags = 0;
  readonly family = 4;
  readonly flow: Flow;
  private next = 0;

  constructor(
    readonly sched: Scheduler,
    capacity = 4096,
    random: () => number = Math.random,
  ) {
    this.reals = {
      weight: new Int32Array(capacity),
      lastWeight: new Int32Array(capacity),
      active: new Int32Array(capacity),
      inact: new Int32Array(capacity),
      flags: new Uint8Array(capacity),
      family: new Uint8Array(capacity),
      addr: new Uint32Array(capacity * 4),
      port: new Int32Array(capacity),
    };
    this.flow = {
      family: 4,
      caddr: new Uint32Array(4),
      cport: 0,
      daddr: new Uint32Array(4),
      dport: 0,
      now: 0,
      random,
      lblcExpiration: 24 * 3600_000,
      lblcrExpiration: 24 * 3600_000,
    };
    sched.init(this);
  }

  /** Add a real (name, weight, address) at the head of the list; returns its id. */
  add(name: string, weight: number, address = `10.1.0.${this.next + 1}`, port = 80): number {
    const id = this.next++;
    const a = parseAddr(address)!;
    this.reals.addr.set(a.w, id * 4);
    this.reals.port[id] = port;
    this.reals.family[id] = 4;
    this.reals.weight[id] = weight;
    this.reals.lastWeight[id] = weight;
    this.reals.flags[id] = REAL_AVAILABLE;
    this.names[id] = name;
    this.dests.unshift(id);
    this.sched.update(this, 'add', id, 0);
    return id;
  }

  del(id: number): void {
    const i = this.dests.indexOf(id);
    this.dests.splice(i, 1);
    this.reals.flags[id] = 0;
    this.sched.update(this, 'del', id, i);
  }

  setWeight(id: number, w: number): void {
    this.reals.weight[id] = w;
    if (w > 0) this.reals.lastWeight[id] = w;
    this.sched.update(this, 'upd', id, this.dests.indexOf(id));
  }

  overload(id: number, on: boolean): void {
    this.reals.flags[id] = on
      ? this.reals.flags[id]! | REAL_OVERLOAD
      : this.reals.flags[id]! & ~REAL_OVERLOAD;
  }

  id(name: string): number {
    return this.names.indexOf(name);
  }

  /** Schedule once with client/destination addresses; returns the real's name or '-'. */
  pick(client = '192.168.0.1', cport = 0, dest = '10.0.0.100'): string {
    this.flow.caddr.set(parseAddr(client)!.w);
    this.flow.daddr.set(parseAddr(dest)!.w);
    this.flow.cport = cport;
    const id = this.sched.schedule(this, this.flow);
    return id < 0 ? '-' : this.names[id]!;
  }

  picks(n: number): string {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(this.pick());
    return out.join(' ');
  }
}
