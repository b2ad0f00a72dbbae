// lblcr: lblc with replication: destination address -> set of reals, grown on overload and shrunk
// after lblcr_expiration (kernel ip_vs_lblcr.c).

import {
  daddrKey,
  LBLC_CHECK_INTERVAL,
  LBLC_ENTRY_TIMEOUT,
  LBLC_FULL_EVERY,
  LBLC_MAX_SIZE,
  lblcOverloaded,
} from './lblc.js';
import type { DestChange, Flow, SchedService, Scheduler } from './scheduler.js';
import { overhead, REAL_AVAILABLE, REAL_OVERLOAD, wlcPick } from './scheduler.js';

interface LblcrEntry {
  /** Members, most recently inserted first (list_add_rcu at the head). */
  set: number[];
  lastmod: number;
  lastuse: number;
}

export class LocalityLeastConnectionReplication implements Scheduler {
  readonly name = 'lblcr';
  readonly table = new Map<number | string, LblcrEntry>();
  private nextCheck = -1;
  private counter = 1;

  init(_svc: SchedService): void {
    this.table.clear();
    this.nextCheck = -1;
    this.counter = 1;
  }

  update(_svc: SchedService, change: DestChange, realId: number): void {
    if (change !== 'del') return;
    for (const e of this.table.values()) {
      const i = e.set.indexOf(realId);
      if (i >= 0) e.set.splice(i, 1);
    }
  }

  /** ip_vs_dest_set_min: weighted least loaded usable member. */
  private setMin(svc: SchedService, set: number[]): number {
    const r = svc.reals;
    let i = 0;
    let least = -1;
    for (; i < set.length; i++) {
      const id = set[i]!;
      if ((r.flags[id]! & REAL_OVERLOAD) !== 0) continue;
      if (r.weight[id]! > 0 && (r.flags[id]! & REAL_AVAILABLE) !== 0) {
        least = id;
        break;
      }
    }
    if (least < 0) return -1;
    let loh = overhead(r, least);
    for (i++; i < set.length; i++) {
      const id = set[i]!;
      if ((r.flags[id]! & REAL_OVERLOAD) !== 0) continue;
      const doh = overhead(r, id);
      if (loh * r.weight[id]! > doh * r.weight[least]! && (r.flags[id]! & REAL_AVAILABLE) !== 0) {
        least = id;
        loh = doh;
      }
    }
    return least;
  }

  /** ip_vs_dest_set_max: most loaded member with weight > 0. */
  private setMax(svc: SchedService, set: number[]): number {
    const r = svc.reals;
    let i = 0;
    let most = -1;
    for (; i < set.length; i++) {
      if (r.weight[set[i]!]! > 0) {
        most = set[i]!;
        break;
      }
    }
    if (most < 0) return -1;
    let moh = overhead(r, most);
    for (i++; i < set.length; i++) {
      const id = set[i]!;
      const doh = overhead(r, id);
      if (moh * r.weight[id]! < doh * r.weight[most]! && r.weight[id]! > 0) {
        most = id;
        moh = doh;
      }
    }
    return most;
  }

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
    if (en) {
      en.lastuse = flow.now;
      let dest = this.setMin(svc, en.set);
      // More than one member and nothing changed for lblcr_expiration: drop the most loaded.
      if (en.set.length > 1 && flow.now > en.lastmod + flow.lblcrExpiration) {
        const m = this.setMax(svc, en.set);
        if (m >= 0) {
          en.set.splice(en.set.indexOf(m), 1);
          en.lastmod = flow.now;
        }
      }
      if (dest >= 0 && !lblcOverloaded(svc, dest)) return dest;
      dest = wlcPick(svc);
      if (dest < 0) return -1;
      if (!en.set.includes(dest)) {
        en.set.unshift(dest);
        en.lastmod = flow.now;
      }
      return dest;
    }
    const dest = wlcPick(svc);
    if (dest < 0) return -1;
    this.table.set(key, { set: [dest], lastmod: flow.now, lastuse: flow.now });
    return dest;
  }
}
