// The one interface every IPVS scheduler implements (CONVENTIONS 7), and the data it reads.
// Kernel: include/net/ip_vs.h struct ip_vs_scheduler (init_service, add/del/upd_dest, schedule).

/** Real-server flag bits (IP_VS_DEST_F_*). */
export const REAL_AVAILABLE = 0x1;
export const REAL_OVERLOAD = 0x2;

/**
 * Per-real-server columns, indexed by real id. The arrays may be replaced when the table grows,
 * so read them through the view each time, never cache the arrays.
 */
export interface RealColumns {
  weight: Int32Array;
  /** Latest non-zero weight ever configured (mh keeps its table when a server is quiesced). */
  lastWeight: Int32Array;
  active: Int32Array;
  inact: Int32Array;
  flags: Uint8Array;
  family: Uint8Array;
  /** Four words per real (see addr.ts). */
  addr: Uint32Array;
  port: Int32Array;
}

/** What a scheduler sees of its service. `dests` is the kernel's list order: head = newest. */
export interface SchedService {
  readonly dests: readonly number[];
  readonly reals: RealColumns;
  /** IP_VS_SVC_F_SCHED1..3 bits (see types.ts). */
  readonly schedFlags: number;
  readonly family: number;
}

/**
 * The flow being scheduled. Reused by the director for every call: borrowed, valid only during
 * `schedule()`. Addresses are four host-order words (IPv4 in word 3).
 */
export interface Flow {
  family: number;
  caddr: Uint32Array;
  cport: number;
  daddr: Uint32Array;
  dport: number;
  /** Milliseconds (time is a parameter). */
  now: number;
  /** Uniform [0,1); injected so twos is deterministic in tests. */
  random: () => number;
  /** lblc/lblcr entry expiration (ms). */
  lblcExpiration: number;
  lblcrExpiration: number;
}

/** Which dest hook the kernel would call. */
export type DestChange = 'add' | 'del' | 'upd';

export interface Scheduler {
  /** ipvsadm name (rr, wrr, ...). */
  readonly name: string;
  /** init_service: bind to a service with its current dests. */
  init(svc: SchedService): void;
  /**
   * add_dest / del_dest / upd_dest, called after the list changed. For 'del', `index` is where the
   * removed real was in the list before removal; otherwise its current index.
   */
  update(svc: SchedService, change: DestChange, realId: number, index: number): void;
  /** Pick a real server id, or -1 (no destination available). */
  schedule(svc: SchedService, flow: Flow): number;
}

/** ip_vs_dest_conn_overhead: active * 256 + inactive. */
export function overhead(r: RealColumns, id: number): number {
  return r.active[id]! * 256 + r.inact[id]!;
}

/** Usable by the plain schedulers: weight > 0 and not OVERLOAD. */
export function usable(r: RealColumns, id: number): boolean {
  return r.weight[id]! > 0 && (r.flags[id]! & REAL_OVERLOAD) === 0;
}

/** XOR-fold of an address (IPv4: the address itself). */
export function fold(w: Uint32Array): number {
  return (w[0]! ^ w[1]! ^ w[2]! ^ w[3]!) >>> 0;
}

/** include/linux/hash.h hash_32: (val * GOLDEN_RATIO_32) >> (32 - bits). */
export function hash32(val: number, bits: number): number {
  return Math.imul(val >>> 0, 0x61c88647) >>> (32 - bits);
}

/** Greatest common divisor of two positive ints. */
export function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** The weighted-least-connection pick shared by wlc, lblc and lblcr (ties keep list order). */
export function wlcPick(svc: SchedService): number {
  const r = svc.reals;
  const d = svc.dests;
  let i = 0;
  let least = -1;
  for (; i < d.length; i++) {
    if (usable(r, d[i]!)) {
      least = d[i]!;
      break;
    }
  }
  if (least < 0) return -1;
  let loh = overhead(r, least);
  for (i++; i < d.length; i++) {
    const id = d[i]!;
    if ((r.flags[id]! & REAL_OVERLOAD) !== 0) continue;
    const doh = overhead(r, id);
    if (loh * r.weight[id]! > doh * r.weight[least]!) {
      least = id;
      loh = doh;
    }
  }
  return least;
}
