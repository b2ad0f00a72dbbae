// The connection table: fixed capacity, columns in typed arrays by dense id, open addressing with
// linear probing (backward-shift deletion, no tombstones) keyed by a hash of (protocol, client
// address, client port), so the inbound lookup and the NAT reply lookup hash alike (as the kernel
// hashes both directions on the client side). No object or string per lookup.

/** Entry flags (a subset of IP_VS_CONN_F_*, renumbered). */
export const C_LIVE = 0x01;
export const C_TEMPLATE = 0x02;
/** Non-NAT: replies never pass the director; the INPUT-ONLY table is used until one does. */
export const C_NOOUTPUT = 0x04;
/** Counted in InActConn (kernel IP_VS_CONN_F_INACTIVE). */
export const C_INACTIVE = 0x08;
/** Template whose controlled connection was established or got a reply. */
export const C_ASSURED = 0x10;

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class ConnTable {
  readonly capacity: number;
  readonly proto: Uint8Array;
  readonly family: Uint8Array;
  readonly flags: Uint8Array;
  readonly state: Uint8Array;
  /** 12 words per entry: client 0..3, virtual 4..7, destination (real) 8..11. */
  readonly addr: Uint32Array;
  /** 3 per entry: client, virtual, destination port. */
  readonly port: Uint16Array;
  readonly svc: Int32Array;
  readonly real: Int32Array;
  /** Template controlling this connection, -1 = none. */
  readonly control: Int32Array;
  /** Number of connections a template controls. */
  readonly nControl: Int32Array;
  /** Current timeout in ms (re-armed with it on every packet). */
  readonly timeout: Uint32Array;
  private readonly hash: Uint32Array;
  /** Open-addressing slots holding id + 1; 0 = empty. Load factor <= 1/2. */
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  private readonly freeNext: Int32Array;
  private freeHead: number;
  count = 0;

  constructor(
    capacity: number,
    private readonly seed = 0x5eed1e55,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`bad connection capacity ${capacity}`);
    this.capacity = capacity;
    this.proto = new Uint8Array(capacity);
    this.family = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.state = new Uint8Array(capacity);
    this.addr = new Uint32Array(capacity * 12);
    this.port = new Uint16Array(capacity * 3);
    this.svc = new Int32Array(capacity);
    this.real = new Int32Array(capacity);
    this.control = new Int32Array(capacity);
    this.nControl = new Int32Array(capacity);
    this.timeout = new Uint32Array(capacity);
    this.hash = new Uint32Array(capacity);
    let slots = 2;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.slotMask = slots - 1;
    this.freeNext = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeNext[i] = i + 1 < capacity ? i + 1 : -1;
    this.freeHead = 0;
  }

  /** Hash of (protocol, address words at a[off..off+3], port). */
  hashKey(proto: number, a: Uint32Array, off: number, port: number): number {
    let h = this.seed ^ proto;
    h = mix(h, a[off]!);
    h = mix(h, a[off + 1]!);
    h = mix(h, a[off + 2]!);
    h = mix(h, a[off + 3]!);
    h = mix(h, port);
    return fmix(h);
  }

  isLive(id: number): boolean {
    return id >= 0 && id < this.capacity && (this.flags[id]! & C_LIVE) !== 0;
  }

  /**
   * New entry with the given key fields (client, virtual, destination words read from the three
   * arrays at offset 0). Returns its id, or -1 when the table is full.
   */
  insert(
    proto: number,
    family: number,
    caddr: Uint32Array,
    cport: number,
    vaddr: Uint32Array,
    vport: number,
    daddr: Uint32Array,
    dport: number,
    flags: number,
  ): number {
    const id = this.freeHead;
    if (id < 0) return -1;
    this.freeHead = this.freeNext[id]!;
    this.freeNext[id] = -1;
    this.proto[id] = proto;
    this.family[id] = family;
    this.flags[id] = flags | C_LIVE;
    this.state[id] = 0;
    const b = id * 12;
    for (let i = 0; i < 4; i++) {
      this.addr[b + i] = caddr[i]!;
      this.addr[b + 4 + i] = vaddr[i]!;
      this.addr[b + 8 + i] = daddr[i]!;
    }
    this.port[id * 3] = cport;
    this.port[id * 3 + 1] = vport;
    this.port[id * 3 + 2] = dport;
    this.svc[id] = -1;
    this.real[id] = -1;
    this.control[id] = -1;
    this.nControl[id] = 0;
    this.timeout[id] = 0;
    this.link(id);
    this.count++;
    return id;
  }

  private link(id: number): void {
    const h = this.hashKey(this.proto[id]!, this.addr, id * 12, this.port[id * 3]!);
    this.hash[id] = h;
    let i = h & this.slotMask;
    while (this.slots[i] !== 0) i = (i + 1) & this.slotMask;
    this.slots[i] = id + 1;
  }

  private unlink(id: number): void {
    const mask = this.slotMask;
    let i = this.hash[id]! & mask;
    while (this.slots[i] !== id + 1) i = (i + 1) & mask;
    // Backward-shift deletion keeps every probe chain unbroken.
    for (;;) {
      let j = i;
      for (;;) {
        j = (j + 1) & mask;
        const s = this.slots[j]!;
        if (s === 0) {
          this.slots[i] = 0;
          return;
        }
        const k = this.hash[s - 1]! & mask;
        const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
        if (!inRange) {
          this.slots[i] = s;
          i = j;
          break;
        }
      }
    }
  }

  /** Free an entry (caller has already unbound it from its real and template). */
  remove(id: number): void {
    this.unlink(id);
    this.flags[id] = 0;
    this.freeNext[id] = this.freeHead;
    this.freeHead = id;
    this.count--;
  }

  /**
   * Change the virtual/destination ports of an entry in place (template invalidation re-keys to
   * 65535); the hash does not cover them, so the entry stays in its slot.
   */
  setPorts(id: number, vport: number, dport: number): void {
    this.port[id * 3 + 1] = vport;
    this.port[id * 3 + 2] = dport;
  }

  private sameWords(id: number, base: number, a: Uint32Array, off: number): boolean {
    const x = this.addr;
    const p = id * 12 + base;
    return x[p + 3] === a[off + 3] && x[p] === a[off] && x[p + 1] === a[off + 1] && x[p + 2] === a[off + 2];
  }

  /**
   * Entry for a packet client -> virtual (connections only, or templates only when `template`).
   * Address words are read at offset 0 of `c` and `v`.
   */
  findIn(
    proto: number,
    family: number,
    c: Uint32Array,
    cport: number,
    v: Uint32Array,
    vport: number,
    template: boolean,
  ): number {
    const h = this.hashKey(proto, c, 0, cport);
    const want = template ? C_TEMPLATE : 0;
    let i = h & this.slotMask;
    for (;;) {
      const s = this.slots[i]!;
      if (s === 0) return -1;
      const id = s - 1;
      if (
        this.hash[id] === h &&
        this.proto[id] === proto &&
        this.family[id] === family &&
        (this.flags[id]! & C_TEMPLATE) === want &&
        this.port[id * 3] === cport &&
        this.port[id * 3 + 1] === vport &&
        this.sameWords(id, 0, c, 0) &&
        this.sameWords(id, 4, v, 0)
      )
        return id;
      i = (i + 1) & this.slotMask;
    }
  }

  /** Entry for a reply real (d, dport) -> client (c, cport); connections only. */
  findOut(
    proto: number,
    family: number,
    d: Uint32Array,
    dport: number,
    c: Uint32Array,
    cport: number,
  ): number {
    const h = this.hashKey(proto, c, 0, cport);
    let i = h & this.slotMask;
    for (;;) {
      const s = this.slots[i]!;
      if (s === 0) return -1;
      const id = s - 1;
      if (
        this.hash[id] === h &&
        this.proto[id] === proto &&
        this.family[id] === family &&
        (this.flags[id]! & C_TEMPLATE) === 0 &&
        this.port[id * 3] === cport &&
        this.port[id * 3 + 2] === dport &&
        this.sameWords(id, 0, c, 0) &&
        this.sameWords(id, 8, d, 0)
      )
        return id;
      i = (i + 1) & this.slotMask;
    }
  }

  /** Live ids in slot (hash) order, as /proc/net/ip_vs_conn lists them. */
  *ids(): Generator<number> {
    for (let i = 0; i <= this.slotMask; i++) {
      const s = this.slots[i]!;
      if (s !== 0) yield s - 1;
    }
  }
}
