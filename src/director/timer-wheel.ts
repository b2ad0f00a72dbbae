// A hashed timer wheel over typed arrays for connection expiry: no setTimeout, no allocation.
// Entries are small integer ids; each holds one timer. Time is milliseconds, passed in.

/** Something told about due entries; it may re-arm the entry from inside the call. */
export interface ExpiryHandler {
  expire(id: number, now: number): void;
}

export class TimerWheel {
  /** Absolute due time (ms) per id; NaN when not armed. */
  readonly due: Float64Array;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly slotOf: Int32Array;
  private readonly heads: Int32Array;
  private readonly mask: number;
  /** Slot index (time / resolution) processed up to; -1 before the first advance. */
  private cursor = -1;

  /**
   * @param capacity ids 0..capacity-1
   * @param resolution ms per slot (entries fire within one advance after their due time)
   * @param slots power of two; span = slots * resolution before an entry needs extra rounds
   */
  constructor(
    capacity: number,
    readonly resolution = 1000,
    slots = 4096,
  ) {
    if ((slots & (slots - 1)) !== 0) throw new RangeError('timer wheel slots must be a power of two');
    this.due = new Float64Array(capacity).fill(Number.NaN);
    this.next = new Int32Array(capacity).fill(-1);
    this.prev = new Int32Array(capacity).fill(-1);
    this.slotOf = new Int32Array(capacity).fill(-1);
    this.heads = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
  }

  /** Arm (or re-arm) `id` to fire at `at` ms. */
  arm(id: number, at: number): void {
    if (this.slotOf[id]! >= 0) this.unlink(id);
    this.due[id] = at;
    this.link(id, Math.floor(at / this.resolution) & this.mask);
  }

  /** Disarm `id` (no-op if not armed). */
  cancel(id: number): void {
    if (this.slotOf[id]! >= 0) this.unlink(id);
    this.due[id] = Number.NaN;
  }

  isArmed(id: number): boolean {
    return this.slotOf[id]! >= 0;
  }

  /**
   * Fire every entry due at or before `now`, in slot order. An entry is disarmed before its
   * handler runs; the handler may re-arm it. Returns the number fired.
   */
  advance(now: number, handler: ExpiryHandler): number {
    const target = Math.floor(now / this.resolution);
    // The first advance visits one full turn: entries may have been armed before it.
    let from = this.cursor < 0 ? target - this.mask : this.cursor;
    // After a long pause one full turn visits every slot once.
    if (target - from > this.mask) from = target - this.mask;
    let fired = 0;
    for (let t = from; t <= target; t++) {
      const slot = t & this.mask;
      // Detach the slot's list so re-armed entries are not seen again in this pass.
      let id = this.heads[slot]!;
      this.heads[slot] = -1;
      while (id >= 0) {
        const nxt = this.next[id]!;
        this.next[id] = -1;
        this.prev[id] = -1;
        this.slotOf[id] = -1;
        if (this.due[id]! <= now) {
          this.due[id] = Number.NaN;
          fired++;
          handler.expire(id, now);
        } else {
          this.link(id, slot); // later round or later in this slot's period
        }
        id = nxt;
      }
    }
    // Stay on the current slot: entries later in this period are checked on the next advance.
    this.cursor = target;
    return fired;
  }

  private link(id: number, slot: number): void {
    const h = this.heads[slot]!;
    this.next[id] = h;
    this.prev[id] = -1;
    if (h >= 0) this.prev[h] = id;
    this.heads[slot] = id;
    this.slotOf[id] = slot;
  }

  private unlink(id: number): void {
    const p = this.prev[id]!;
    const n = this.next[id]!;
    if (p >= 0) this.next[p] = n;
    else this.heads[this.slotOf[id]!] = n;
    if (n >= 0) this.prev[n] = p;
    this.next[id] = -1;
    this.prev[id] = -1;
    this.slotOf[id] = -1;
  }
}
