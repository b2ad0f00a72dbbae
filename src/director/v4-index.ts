// Services by (protocol, IPv4 address, port) for the packet plane's per-packet lookup. A Map keyed
// by one number needs a key above 2^31, which V8 boxes on every call; this open-addressing table
// over typed arrays compares two small integers instead and allocates nothing per lookup. Services
// change rarely, so the table is rebuilt on each change.

const EMPTY = -1;

export class V4ServiceIndex {
  private readonly byKey = new Map<string, { addr: number; pp: number; id: number }>();
  private mask = 7;
  private addrs = new Int32Array(8);
  private pps = new Int32Array(8);
  private ids = new Int32Array(8).fill(EMPTY);

  set(proto: number, addr: number, port: number, id: number): void {
    const pp = (proto << 16) | port;
    this.byKey.set(`${addr >>> 0}/${pp}`, { addr: addr | 0, pp, id });
    this.rebuild();
  }

  delete(proto: number, addr: number, port: number): void {
    if (this.byKey.delete(`${addr >>> 0}/${(proto << 16) | port}`)) this.rebuild();
  }

  /** Service id, or -1. */
  get(proto: number, addr: number, port: number): number {
    const a = addr | 0;
    const pp = (proto << 16) | port;
    const mask = this.mask;
    for (let i = slot(a, pp) & mask; ; i = (i + 1) & mask) {
      const id = this.ids[i]!;
      if (id === EMPTY) return EMPTY;
      if (this.addrs[i] === a && this.pps[i] === pp) return id;
    }
  }

  private rebuild(): void {
    let size = 8;
    while (size < this.byKey.size * 2) size *= 2;
    this.mask = size - 1;
    this.addrs = new Int32Array(size);
    this.pps = new Int32Array(size);
    this.ids = new Int32Array(size).fill(EMPTY);
    for (const e of this.byKey.values()) {
      let i = slot(e.addr, e.pp) & this.mask;
      while (this.ids[i] !== EMPTY) i = (i + 1) & this.mask;
      this.addrs[i] = e.addr;
      this.pps[i] = e.pp;
      this.ids[i] = e.id;
    }
  }
}

function slot(addr: number, pp: number): number {
  const h = Math.imul(addr ^ Math.imul(pp, 0x9e3779b1), 0x85ebca6b);
  return (h ^ (h >>> 15)) >>> 0;
}
