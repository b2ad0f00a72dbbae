// FULLNAT: both ends rewritten (client -> local address:port of the director), with the port pool.
import { IPV4_DST, IPV4_SRC, ipv4HeaderLen, isLaterFragment, setAddr, setPort } from './l4.js';
import { Verdict } from './verdict.js';

/** Client -> real server: source CIP:cport -> LIP:lport, destination VIP:vport -> RIP:rport. */
export function fullnatIn(
  b: Uint8Array,
  off: number,
  len: number,
  lip: number,
  lport: number,
  rip: number,
  rport: number,
): Verdict {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0) return Verdict.DROP_MALFORMED;
  setAddr(b, off, hl, IPV4_SRC, lip);
  setAddr(b, off, hl, IPV4_DST, rip);
  if (isLaterFragment(b, off)) return Verdict.FORWARD_FRAGMENT;
  setPort(b, off, hl, 0, lport);
  setPort(b, off, hl, 2, rport);
  return Verdict.FORWARD;
}

/** Real server -> client: source RIP:rport -> VIP:vport, destination LIP:lport -> CIP:cport. */
export function fullnatOut(
  b: Uint8Array,
  off: number,
  len: number,
  vip: number,
  vport: number,
  cip: number,
  cport: number,
): Verdict {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0) return Verdict.DROP_MALFORMED;
  setAddr(b, off, hl, IPV4_SRC, vip);
  setAddr(b, off, hl, IPV4_DST, cip);
  if (isLaterFragment(b, off)) return Verdict.FORWARD_FRAGMENT;
  setPort(b, off, hl, 0, vport);
  setPort(b, off, hl, 2, cport);
  return Verdict.FORWARD;
}

/**
 * Local address:port pool for FULLNAT: each local address has ports [lo, hi]; a port is taken
 * until released. Bitmap over typed arrays, a rotating cursor per address: no allocation.
 */
export class LocalPortPool {
  readonly addrs: Uint32Array;
  private readonly lo: number;
  private readonly span: number;
  private readonly used: Uint8Array;
  private readonly cursor: Uint32Array;
  private next = 0;
  /** Ports in use over all addresses. */
  inUse = 0;

  constructor(addrs: readonly number[], lo = 1024, hi = 65535) {
    if (addrs.length === 0) throw new RangeError('FULLNAT needs at least one local address');
    if (!(lo >= 1 && hi <= 65535 && lo <= hi)) throw new RangeError(`bad local port range ${lo}-${hi}`);
    this.addrs = Uint32Array.from(addrs);
    this.lo = lo;
    this.span = hi - lo + 1;
    this.used = new Uint8Array(addrs.length * this.span);
    this.cursor = new Uint32Array(addrs.length);
  }

  get capacity(): number {
    return this.used.length;
  }

  /**
   * Takes a free (address index << 16 | port), or -1 when every port of every address is taken
   * (IPVS FULLNAT drops the SYN then).
   */
  take(): number {
    if (this.inUse >= this.used.length) return -1;
    const n = this.addrs.length;
    for (let a = 0; a < n; a++) {
      const ai = (this.next + a) % n;
      const base = ai * this.span;
      let c = this.cursor[ai]!;
      for (let i = 0; i < this.span; i++) {
        if (this.used[base + c] === 0) {
          this.used[base + c] = 1;
          this.cursor[ai] = (c + 1) % this.span;
          this.next = (ai + 1) % n;
          this.inUse++;
          return (ai << 16) | (this.lo + c);
        }
        c = c + 1 === this.span ? 0 : c + 1;
      }
    }
    return -1;
  }

  /** Gives back what take() returned. Returns false when it was not taken (double release). */
  release(token: number): boolean {
    const ai = token >>> 16;
    const c = (token & 0xffff) - this.lo;
    if (ai >= this.addrs.length || c < 0 || c >= this.span) return false;
    const i = ai * this.span + c;
    if (this.used[i] === 0) return false;
    this.used[i] = 0;
    this.inUse--;
    return true;
  }

  addrOf(token: number): number {
    return this.addrs[token >>> 16]!;
  }
}
