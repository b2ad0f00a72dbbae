// IPVS statistics: five 64-bit counters per id with a zero point (-Z), and the 2-second rate
// estimator exactly as ip_vs_est.c computes it (EWMA weight 1/4, conns/packets scaled by 2^10,
// bytes by 2^5). Counters are Float64 (exact to 2^53).

import type { RateSnapshot, StatsSnapshot } from './types.js';

/** Counter indexes within a block of five. */
export const ST_CONNS = 0;
export const ST_INPKTS = 1;
export const ST_OUTPKTS = 2;
export const ST_INBYTES = 3;
export const ST_OUTBYTES = 4;
const N = 5;

export class StatsTable {
  /** Live counters, 5 per id. */
  cnt: Float64Array;
  /** Zero point set by -Z: shown = cnt - zero. */
  private zeroPt: Float64Array;
  /** Estimator: counts at the previous estimate, and the scaled averages. */
  private last: Float64Array;
  private avg: Float64Array;

  constructor(capacity: number) {
    this.cnt = new Float64Array(capacity * N);
    this.zeroPt = new Float64Array(capacity * N);
    this.last = new Float64Array(capacity * N);
    this.avg = new Float64Array(capacity * N);
  }

  get capacity(): number {
    return this.cnt.length / N;
  }

  /** Grow to at least `capacity` ids, keeping values. */
  grow(capacity: number): void {
    if (capacity <= this.capacity) return;
    const g = (a: Float64Array) => {
      const b = new Float64Array(capacity * N);
      b.set(a);
      return b;
    };
    this.cnt = g(this.cnt);
    this.zeroPt = g(this.zeroPt);
    this.last = g(this.last);
    this.avg = g(this.avg);
  }

  /** Forget an id completely (on reuse of a freed id). */
  reset(id: number): void {
    this.cnt.fill(0, id * N, id * N + N);
    this.zeroPt.fill(0, id * N, id * N + N);
    this.last.fill(0, id * N, id * N + N);
    this.avg.fill(0, id * N, id * N + N);
  }

  /** ip_vs_zero_stats: zero point = now, estimator restarted from the current counts. */
  zero(id: number): void {
    for (let k = id * N; k < id * N + N; k++) {
      this.zeroPt[k] = this.cnt[k]!;
      this.last[k] = this.cnt[k]!;
      this.avg[k] = 0;
    }
  }

  /** One estimator step for `id` (the kernel runs it every 2 s). */
  estimate(id: number): void {
    const b = id * N;
    for (let k = 0; k < N; k++) {
      const c = this.cnt[b + k]!;
      const delta = c - this.last[b + k]!;
      this.last[b + k] = c;
      // Δ over 2 s: << 9 gives per-second x 2^10 (conns, packets); << 4 gives per-second x 2^5 (bytes).
      const rate = k < ST_INBYTES ? delta * 512 : delta * 16;
      const a = this.avg[b + k]!;
      this.avg[b + k] = a + Math.floor((rate - a) / 4);
    }
  }

  snapshot(id: number): StatsSnapshot {
    const b = id * N;
    const v = (k: number) => this.cnt[b + k]! - this.zeroPt[b + k]!;
    return {
      conns: v(ST_CONNS),
      inpkts: v(ST_INPKTS),
      outpkts: v(ST_OUTPKTS),
      inbytes: v(ST_INBYTES),
      outbytes: v(ST_OUTBYTES),
    };
  }

  /** Rates rounded as ip_vs_read_estimator: (avg + 0x1FF) >> 10 and (avg + 0xF) >> 5. */
  rates(id: number): RateSnapshot {
    const b = id * N;
    const r10 = (k: number) => Math.floor((this.avg[b + k]! + 0x1ff) / 1024);
    const r5 = (k: number) => Math.floor((this.avg[b + k]! + 0xf) / 32);
    return {
      cps: r10(ST_CONNS),
      inpps: r10(ST_INPKTS),
      outpps: r10(ST_OUTPKTS),
      inbps: r5(ST_INBYTES),
      outbps: r5(ST_OUTBYTES),
    };
  }
}
