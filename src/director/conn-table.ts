// The connection table: fixed capacity, columns in typed arrays by dense id, open addressing with
// linear probing (backward-shift deletion, no tombstones) keyed by a hash of (protocol, client
// address, client port), so the inbound lookup and the NAT reply lookup hash alike (as the kernel
// hashes both directions on the client side). No object or string per lookup.
// The lookup key of each entry lives in one 64-byte record (hash, protocol/family/template, ports,
// client/virtual/real addresses), so a probe that hits touches the slot array and one record.

/** Entry flags (a subset of IP_VS_CONN_F_*, renumbered). */
export const C_LIVE = 0x01;
export const C_TEMPLATE = 0x02;
/** Non-NAT: replies never pass the director; the INPUT-ONLY table is used until one does. */
export const C_NOOUTPUT = 0x04;
/** Counted in InActConn (kernel IP_VS_CONN_F_INACTIVE). */
export const C_INACTIVE = 0x08;
/** Template whose controlled connection was established or got a reply. */
export const C_ASSURED = 0x10;
/** FULLNAT entry with a local (director) address:port, also indexed by it for replies. */
export const C_LOCAL = 0x20;

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

/** Record layout: 16 u32 words per entry. */
export const REC_WORDS = 16;
const R_HASH = 0;
/** proto | family << 8 | template << 16 */
const R_META = 1;
/** cport | vport << 16 */
const R_PORTS = 2;
const R_DPORT = 3;
/** Client address words at 4..7, virtual at 8..11, destination (real) at 12..15. */
export const REC_CLIENT = 4;
export const REC_VIRTUAL = 8;
export const REC_DEST = 12;

/**
 * Backward-shift deletion at slot `i` of a linear-probing table: later entries of the chain move
 * up so no tombstone is needed. The home hash of slot value v is `hashes[(v - 1) * stride]`.
 */
function deleteSlot(slots: Int32Array, mask: number, i: number, hashes: Uint32Array, stride: number): void {
  for (;;) {
    let j = i;
    for (;;) {
      j = (j + 1) & mask;
      const v = slots[j]!;
      if (v === 0) {
        slots[i] = 0;
        return;
      }
      const k = hashes[(v - 1) * stride]! & mask;
      const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
      if (!inRange) {
        slots[i] = v;
        i = j;
        break;
      }
    }
  }
}

export class ConnTable {
  readonly capacity: number;
  readonly proto: Uint8Array;
  readonly family: Uint8Array;
  readonly flags: Uint8Array;
  readonly state: Uint8Array;
  /** Key records, REC_WORDS per entry (see R_* / REC_* offsets). */
  readonly rec: Uint32Array;
  readonly svc: Int32Array;
  readonly real: Int32Array;
  /** Template controlling this connection, -1 = none. */
  readonly control: Int32Array;
  /** Number of connections a template controls. */
  readonly nControl: Int32Array;
  /** Current timeout in ms (re-armed with it on every packet). */
  readonly timeout: Uint32Array;
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
    this.rec = new Uint32Array(capacity * REC_WORDS);
    this.svc = new Int32Array(capacity);
    this.real = new Int32Array(capacity);
    this.control = new Int32Array(capacity);
    this.nControl = new Int32Array(capacity);
    this.timeout = new Uint32Array(capacity);
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
    const b = id * REC_WORDS;
    const r = this.rec;
    r[b + R_META] = proto | (family << 8) | ((flags & C_TEMPLATE) !== 0 ? 0x10000 : 0);
    r[b + R_PORTS] = (cport | (vport << 16)) >>> 0;
    r[b + R_DPORT] = dport;
    for (let i = 0; i < 4; i++) {
      r[b + REC_CLIENT + i] = caddr[i]!;
      r[b + REC_VIRTUAL + i] = vaddr[i]!;
      r[b + REC_DEST + i] = daddr[i]!;
    }
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
    const b = id * REC_WORDS;
    const h = this.hashKey(this.proto[id]!, this.rec, b + REC_CLIENT, this.rec[b + R_PORTS]! & 0xffff);
    this.rec[b + R_HASH] = h;
    let i = h & this.slotMask;
    while (this.slots[i] !== 0) i = (i + 1) & this.slotMask;
    this.slots[i] = id + 1;
  }

  private unlink(id: number): void {
    const mask = this.slotMask;
    let i = this.rec[id * REC_WORDS + R_HASH]! & mask;
    while (this.slots[i] !== id + 1) i = (i + 1) & mask;
    deleteSlot(this.slots, mask, i, this.rec, REC_WORDS);
  }

  /** Free an entry (caller has already unbound it from its real and template). */
  remove(id: number): void {
    this.unlink(id);
    if (this.flags[id]! & C_LOCAL) this.unlinkLocal(id);
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
    const b = id * REC_WORDS;
    this.rec[b + R_PORTS] = ((this.rec[b + R_PORTS]! & 0xffff) | (vport << 16)) >>> 0;
    this.rec[b + R_DPORT] = dport;
  }

  clientPort(id: number): number {
    return this.rec[id * REC_WORDS + R_PORTS]! & 0xffff;
  }

  virtualPort(id: number): number {
    return this.rec[id * REC_WORDS + R_PORTS]! >>> 16;
  }

  destPort(id: number): number {
    return this.rec[id * REC_WORDS + R_DPORT]!;
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
    const meta = proto | (family << 8) | (template ? 0x10000 : 0);
    const ports = (cport | (vport << 16)) >>> 0;
    const r = this.rec;
    const slots = this.slots;
    const mask = this.slotMask;
    let i = h & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) return -1;
      const b = (s - 1) * REC_WORDS;
      if (
        r[b] === h &&
        r[b + R_META] === meta &&
        r[b + R_PORTS] === ports &&
        r[b + REC_CLIENT + 3] === c[3] &&
        r[b + REC_VIRTUAL + 3] === v[3] &&
        r[b + REC_CLIENT] === c[0] &&
        r[b + REC_CLIENT + 1] === c[1] &&
        r[b + REC_CLIENT + 2] === c[2] &&
        r[b + REC_VIRTUAL] === v[0] &&
        r[b + REC_VIRTUAL + 1] === v[1] &&
        r[b + REC_VIRTUAL + 2] === v[2]
      )
        return s - 1;
      i = (i + 1) & mask;
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
    const meta = proto | (family << 8);
    const r = this.rec;
    const slots = this.slots;
    const mask = this.slotMask;
    let i = h & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) return -1;
      const b = (s - 1) * REC_WORDS;
      if (
        r[b] === h &&
        r[b + R_META] === meta &&
        (r[b + R_PORTS]! & 0xffff) === cport &&
        r[b + R_DPORT] === dport &&
        r[b + REC_CLIENT + 3] === c[3] &&
        r[b + REC_DEST + 3] === d[3] &&
        r[b + REC_CLIENT] === c[0] &&
        r[b + REC_CLIENT + 1] === c[1] &&
        r[b + REC_CLIENT + 2] === c[2] &&
        r[b + REC_DEST] === d[0] &&
        r[b + REC_DEST + 1] === d[1] &&
        r[b + REC_DEST + 2] === d[2]
      )
        return s - 1;
      i = (i + 1) & mask;
    }
  }

  // ---- FULLNAT local address index (allocated on first use) ---------------------------------

  /** Local address words (4 per entry) and ports, hash and slots of the local index. */
  private laddr: Uint32Array | null = null;
  private lport: Uint16Array | null = null;
  private lhash: Uint32Array | null = null;
  private lslots: Int32Array | null = null;

  /**
   * Give a FULLNAT entry its local address:port (words at `laddr[0..3]`); replies from the real
   * server to it are then found by findLocal(). Replaces a previous local address.
   */
  setLocal(id: number, laddr: Uint32Array, lport: number): void {
    if (!this.lslots) {
      this.laddr = new Uint32Array(this.capacity * 4);
      this.lport = new Uint16Array(this.capacity);
      this.lhash = new Uint32Array(this.capacity);
      this.lslots = new Int32Array(this.slotMask + 1);
    }
    if (this.flags[id]! & C_LOCAL) this.unlinkLocal(id);
    const la = this.laddr!;
    la[id * 4] = laddr[0]!;
    la[id * 4 + 1] = laddr[1]!;
    la[id * 4 + 2] = laddr[2]!;
    la[id * 4 + 3] = laddr[3]!;
    this.lport![id] = lport;
    const h = this.hashKey(this.proto[id]!, this.laddr!, id * 4, lport);
    this.lhash![id] = h;
    const slots = this.lslots;
    let i = h & this.slotMask;
    while (slots[i] !== 0) i = (i + 1) & this.slotMask;
    slots[i] = id + 1;
    this.flags[id] = this.flags[id]! | C_LOCAL;
  }

  /** Copy an entry's local address into `out`; returns its local port, or -1 if it has none. */
  local(id: number, out: Uint32Array): number {
    if (!(this.flags[id]! & C_LOCAL)) return -1;
    const a = this.laddr!;
    out[0] = a[id * 4]!;
    out[1] = a[id * 4 + 1]!;
    out[2] = a[id * 4 + 2]!;
    out[3] = a[id * 4 + 3]!;
    return this.lport![id]!;
  }

  private unlinkLocal(id: number): void {
    const slots = this.lslots!;
    const mask = this.slotMask;
    let i = this.lhash![id]! & mask;
    while (slots[i] !== id + 1) i = (i + 1) & mask;
    deleteSlot(slots, mask, i, this.lhash!, 1);
    this.flags[id] = this.flags[id]! & ~C_LOCAL;
  }

  /** FULLNAT reply real (d, dport) -> local (l, lport); -1 when none. */
  findLocal(
    proto: number,
    family: number,
    d: Uint32Array,
    dport: number,
    l: Uint32Array,
    lport: number,
  ): number {
    const slots = this.lslots;
    if (!slots) return -1;
    const h = this.hashKey(proto, l, 0, lport);
    const la = this.laddr!;
    const r = this.rec;
    const mask = this.slotMask;
    let i = h & mask;
    for (;;) {
      const s = slots[i]!;
      if (s === 0) return -1;
      const id = s - 1;
      const b = id * REC_WORDS;
      if (
        this.lhash![id] === h &&
        this.lport![id] === lport &&
        (r[b + R_META]! & 0xffff) === (proto | (family << 8)) &&
        r[b + R_DPORT] === dport &&
        la[id * 4 + 3] === l[3] &&
        la[id * 4] === l[0] &&
        la[id * 4 + 1] === l[1] &&
        la[id * 4 + 2] === l[2] &&
        r[b + REC_DEST + 3] === d[3] &&
        r[b + REC_DEST] === d[0] &&
        r[b + REC_DEST + 1] === d[1] &&
        r[b + REC_DEST + 2] === d[2]
      )
        return id;
      i = (i + 1) & mask;
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
