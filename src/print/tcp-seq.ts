// tcpdump's tcp_seq_hash: the initial sequence numbers of each TCP conversation, so that later
// segments print relative numbers. An open-addressing table over one Uint32Array (no object or
// string per lookup); entries are never removed, as in tcpdump.

/**
 * A table keyed by `keyWords` u32 words (IPv4: src, dst, ports = 3; IPv6: 4 + 4 + 1 = 9) whose
 * values are the conversation's base seq and ack. `lookup` fills `key` first.
 */
export class TcpSeqTable {
  readonly keyWords: number;
  /** The key of the next lookup/insert; the caller writes it. */
  readonly key: Uint32Array;
  private stride: number;
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(keyWords: number, initialCapacity = 1024) {
    this.keyWords = keyWords;
    this.key = new Uint32Array(keyWords);
    this.stride = keyWords + 3; // key..., used, seq, ack
    this.slots = new Uint32Array(initialCapacity * this.stride);
    this.mask = initialCapacity - 1;
  }

  private hash(k: Uint32Array): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k[i]!, 0x01000193);
    h ^= h >>> 15;
    return Math.imul(h, 0x2c1b3c6d) >>> 0;
  }

  /** Slot index (in entries) of `key`, or the free slot where it would go (used flag 0). */
  find(): number {
    const k = this.key;
    const kw = this.keyWords;
    const stride = this.stride;
    const s = this.slots;
    let i = this.hash(k) & this.mask;
    for (;;) {
      const base = i * stride;
      if (s[base + kw] === 0) return i;
      let eq = true;
      for (let j = 0; j < kw; j++) {
        if (s[base + j] !== k[j]) {
          eq = false;
          break;
        }
      }
      if (eq) return i;
      i = (i + 1) & this.mask;
    }
  }

  isUsed(slot: number): boolean {
    return this.slots[slot * this.stride + this.keyWords] !== 0;
  }

  seq(slot: number): number {
    return this.slots[slot * this.stride + this.keyWords + 1]!;
  }

  ack(slot: number): number {
    return this.slots[slot * this.stride + this.keyWords + 2]!;
  }

  /** Stores (key, seq, ack) at `slot` (from find()); returns the slot it ended up in. */
  set(slot: number, seq: number, ack: number): number {
    const kw = this.keyWords;
    const base = slot * this.stride;
    const s = this.slots;
    if (s[base + kw] === 0) {
      if ((this.count + 1) * 2 > this.mask + 1) {
        this.grow();
        return this.set(this.find(), seq, ack);
      }
      this.count++;
      for (let j = 0; j < kw; j++) s[base + j] = this.key[j]!;
      s[base + kw] = 1;
    }
    s[base + kw + 1] = seq >>> 0;
    s[base + kw + 2] = ack >>> 0;
    return slot;
  }

  private grow(): void {
    const old = this.slots;
    const stride = this.stride;
    const kw = this.keyWords;
    const oldCap = this.mask + 1;
    const saved = this.key.slice();
    this.slots = new Uint32Array(oldCap * 2 * stride);
    this.mask = oldCap * 2 - 1;
    for (let i = 0; i < oldCap; i++) {
      const base = i * stride;
      if (old[base + kw] === 0) continue;
      for (let j = 0; j < kw; j++) this.key[j] = old[base + j]!;
      const slot = this.find();
      const nb = slot * stride;
      for (let j = 0; j < stride; j++) this.slots[nb + j] = old[base + j]!;
    }
    this.key.set(saved);
  }
}
