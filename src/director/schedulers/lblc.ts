// lblc: locality-based least connection: destination address -> real cache, wlc on miss or overload
// (kernel ip_vs_lblc.c), with its 60 s garbage collection driven by the `now` of each call.

import type { DestChange, Flow, SchedService, Scheduler } from './scheduler.js';
import { REAL_AVAILABLE, wlcPick } from './scheduler.js';

/** Kernel constants: table of 1024 buckets, max_size = 16 * 1024 entries. */
export const LBLC_MAX_SIZE = 1024 * 16;
/** CHECK_EXPIRE_INTERVAL 60 s, ENTRY_TIMEOUT 6 min, full check every 30 runs. */
export const LBLC_CHECK_INTERVAL = 60_000;
export const LBLC_ENTRY_TIMEOUT = 6 * 60_000;
export const LBLC_FULL_EVERY = 30;

/** Key of a destination address: the IPv4 value, or the four words as text for IPv6. */
export function daddrKey(family: number, a: Uint32Array): number | string {
  return family === 4 ? a[3]! : `${a[0]}:${a[1]}:${a[2]}:${a[3]}`;
}

/**
 * The half-load rule of lblc/lblcr: `dest` counts as overloaded when its active connections exceed
 * its weight and some real of the service is below half its weight.
 */
export function lblcOverloaded(svc: SchedService, id: number): boolean {
  const r = svc.reals;
  if (r.active[id]! > r.weight[id]!) {
    for (const m of svc.dests) if (r.active[m]! * 2 < r.weight[m]!) return true;
  }
  return false;
}

interface LblcEntry {
  dest: number;
  lastuse: number;
}

export class LocalityLeastConnection implements Scheduler {
  readonly name = 'lblc';
  readonly table = new Map<number | string, LblcEntry>();
  private nextCheck = -1;
  private counter = 1;

  init(_svc: SchedService): void {
    this.table.clear();
    this.nextCheck = -1;
    this.counter = 1;
  }

  update(_svc: SchedService, change: DestChange, realId: number): void {
    // The kernel keeps entries to a deleted (unavailable) real and reschedules on use; dropping them
    // gives the same choice and keeps no reference to an id that may be reused.
    if (change !== 'del') return;
    for (const [k, e] of this.table) if (e.dest === realId) this.table.delete(k);
  }

  /** ip_vs_lblc_check_expire, run when 60 s passed since the previous run. */
  private check(now: number, expiration: number): void {
    if (this.nextCheck < 0) this.nextCheck = now + LBLC_CHECK_INTERVAL;
    while (now >= this.nextCheck) {
      this.nextCheck += LBLC_CHECK_INTERVAL;
      if (this.counter % LBLC_FULL_EVERY === 0) {
        for (const [k, e] of this.table) if (now >= e.lastuse + expiration) this.table.delete(k);
        this.counter = 1;
        continue;
      }
      if (this.table.size <= LBLC_MAX_SIZE) {
        this.counter++;
        continue;
      }
      let goal = Math.min(Math.trunc(((this.table.size - LBLC_MAX_SIZE) * 4) / 3), LBLC_MAX_SIZE / 2);
      for (const [k, e] of this.table) {
        if (now < e.lastuse + LBLC_ENTRY_TIMEOUT) continue;
        this.table.delete(k);
        if (--goal <= 0) break;
      }
    }
  }

  schedule(svc: SchedService, flow: Flow): number {
    this.check(flow.now, flow.lblcExpiration);
    const key = daddrKey(flow.family, flow.daddr);
    const en = this.table.get(key);
    const r = svc.reals;
    if (en) {
      en.lastuse = flow.now;
      const d = en.dest;
      if ((r.flags[d]! & REAL_AVAILABLE) !== 0 && r.weight[d]! > 0 && !lblcOverloaded(svc, d)) return d;
    }
    const dest = wlcPick(svc);
    if (dest < 0) return -1;
    if (en) en.dest = dest;
    else this.table.set(key, { dest, lastuse: flow.now });
    return dest;
  }
}
