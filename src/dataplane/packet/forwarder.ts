// The packet plane's forwarder: one IPv4 packet read from the TUN device -> lookup or schedule
// through the director -> in-place rewrite by the real server's method (NAT, FULLNAT, IP-in-IP, DR)
// -> an action for the I/O loop. Pure over bytes and the director: no I/O, no allocation per packet.
// RFC 791 (IPv4), RFC 2003 (IP-in-IP), RFC 792 (ICMP errors); LVS ip_vs_core.c for the flow.

import {
  CONN_DROPPED,
  CONN_INVALID,
  CONN_ONE_PACKET,
  DIR_INPUT,
  DIR_OUTPUT,
  type Director,
  TCP_ACK,
  TCP_RST,
  TCP_SYN,
} from '../../director/index.js';
import {
  clampMss,
  drFrame,
  ETH_HLEN,
  fullnatIn,
  fullnatOut,
  icmpErrorTranslate,
  icmpQuoteOffset,
  ipipEncap,
  ipv4HeaderLen,
  LocalPortPool,
  natIn,
  natOut,
  rd16,
  rd32,
  tunnelMss,
  Verdict,
} from '../../forward/index.js';
import { ttlAdjust } from '../../forward/ttl.js';
import { internetChecksum } from '../../wire/checksum.js';

/** What the I/O loop does with the packet after process(). */
export const Action = {
  /** Dropped; the reason is counted. */
  DROP: 0,
  /** Write buf[outOff .. outOff+outLen) back into the TUN device (the kernel routes it). */
  TUN: 1,
  /** Send the Ethernet frame buf[outOff .. +outLen) on packet socket `outPort` (DR). */
  FRAME: 2,
} as const;
export type Action = (typeof Action)[keyof typeof Action];

/** Counters, declared once: index -> name as `tsvs` prints them. */
export const COUNTER_NAMES = [
  'rx',
  'tx',
  'tx_frames',
  'forwarded_fragments',
  'icmp_translated',
  'drop_malformed',
  'drop_not_ipv4',
  'drop_no_service',
  'drop_no_conn',
  'drop_fragment',
  'drop_ttl',
  'drop_no_dest',
  'drop_table_full',
  'drop_nodest_conn',
  'drop_no_mac',
  'drop_pool_exhausted',
  'drop_frag_needed',
  'icmp_frag_needed_sent',
  'drop_icmp',
  'drop_method',
  'drop_gso',
  'defense_drop_entry',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
const C = Object.fromEntries(COUNTER_NAMES.map((n, i) => [n, i])) as Record<CounterName, number>;

/** Per-real forwarding methods as numbers (the director's names in comments). */
export const M_NONE = 0;
export const M_MASQ = 1; // masq (-m)
export const M_GATE = 2; // gate (-g)
export const M_IPIP = 3; // ipip (-i)
export const M_FULLNAT = 4; // fullnat

export function methodCode(name: string): number {
  switch (name) {
    case 'masq':
      return M_MASQ;
    case 'gate':
      return M_GATE;
    case 'ipip':
      return M_IPIP;
    case 'fullnat':
      return M_FULLNAT;
    default:
      return M_NONE;
  }
}

/** How to reach one real server, filled by the plane's sync() (not on the hot path). */
export interface RealRoute {
  method: number;
  /** IPIP: outer source (the director's address towards the real server), host order. */
  tunnelSource?: number;
  /** DR: the real server's MAC and ours, and the index of the packet socket to send on. */
  mac?: Uint8Array;
  srcMac?: Uint8Array;
  port?: number;
}

/** A destination that belongs to a firewall-mark service (from the config's fwmark listeners). */
export interface FwmarkEntry {
  proto: number;
  /** Host-order IPv4 address. */
  addr: number;
  port: number;
  svc: number;
}

const FRAG_SLOTS = 1024;
const SIDE_BYTES = 4 << 20;
const SIDE_HEADROOM = 64;
/** Past this, the side arena may not hold one more maximal packet: write it out first. */
export const SIDE_LIMIT = SIDE_BYTES - 65536 - 2 * SIDE_HEADROOM;
const PROTO_ICMP = 1;
const PROTO_TCP = 6;
const PROTO_UDP = 17;

export interface ForwarderOptions {
  /** FULLNAT local addresses (host-order u32) and port range. */
  localAddresses?: readonly number[];
  localPortLow?: number;
  localPortHigh?: number;
  /** MTU of the path to IP-in-IP real servers (for DF and MSS clamping); default 1500. */
  tunnelMtu?: number;
  /** When the table is full, a SYN replaces a random half-open entry (default true). */
  dropEntry?: boolean;
}

/**
 * Forwarder over a Director. Call setReal() for every real id after each rule change, then
 * process() per packet, in place. Results of process() are in outBuf/outOff/outLen/outPort (valid
 * until the next call): outBuf is the caller's buffer, or `side` for packets that grew.
 */
export class Forwarder {
  readonly counters = new Float64Array(COUNTER_NAMES.length);
  /** Output of the last process(): where the bytes to send are. */
  outBuf: Uint8Array;
  outOff = 0;
  outLen = 0;
  outPort = -1;
  /**
   * Side arena for packets that grow in front (IP-in-IP, DR): process() copies them to
   * side[sidePos + SIDE_HEADROOM ..]; the caller resets sidePos to 0 once it wrote them out, and
   * before a call when sidePos > SIDE_LIMIT.
   */
  readonly side = new Uint8Array(SIDE_BYTES);
  sidePos = 0;
  /**
   * Offload state of the packet about to be processed (virtio_net_hdr of a VNET_HDR TUN), set by
   * the caller: the L4 checksum field holds only the pseudo-header sum (VIRTIO_NET_HDR_F_NEEDS_CSUM)
   * at csumStart + csumOffset from the IP header; gso: a TCP super-packet the kernel segments later.
   */
  csumPartial = false;
  csumStart = 0;
  csumOffset = 0;
  gso = false;

  private readonly d: Director;
  private method = new Uint8Array(64);
  private tunSrc = new Uint32Array(64);
  private dstMac = new Uint8Array(64 * 6);
  private srcMac = new Uint8Array(64 * 6);
  private hasMac = new Uint8Array(64);
  private macPort = new Int32Array(64);
  readonly pool: LocalPortPool | null;
  private readonly poolAddrs: Uint32Array;
  /** FULLNAT: pool token held by connection slot (-1 none). Grows with the table's slots. */
  private token = new Int32Array(1024).fill(-1);
  private readonly w = new Uint32Array(4);
  private readonly tunnelMtu: number;
  private ipId = 1;
  private fwmN = 0;
  private fwmKey = new Uint32Array(0);
  private fwmSvc = new Int32Array(0);
  /** Highest connection id seen (the table's slots in use are below it); -1 none yet. */
  private maxConn = -1;
  private rnd = 0x9e3779b9;
  private readonly dropEntryOn: boolean;
  // Fragment follow table: (src, dst, id|proto) of a first fragment -> connection and direction.
  private readonly fragKey = new Uint32Array(FRAG_SLOTS * 3);
  private readonly fragConn = new Int32Array(FRAG_SLOTS).fill(-1);
  private readonly fragDir = new Uint8Array(FRAG_SLOTS);

  constructor(director: Director, opts: ForwarderOptions = {}) {
    this.d = director;
    const la = opts.localAddresses ?? [];
    this.pool =
      la.length > 0 ? new LocalPortPool(la, opts.localPortLow ?? 1024, opts.localPortHigh ?? 65535) : null;
    this.poolAddrs = Uint32Array.from(la);
    this.tunnelMtu = opts.tunnelMtu ?? 1500;
    this.dropEntryOn = opts.dropEntry ?? true;
    this.outBuf = this.side;
  }

  /** Copies b[off..off+len) into the side arena behind SIDE_HEADROOM bytes; returns its offset. */
  private toSide(b: Uint8Array, off: number, len: number): number {
    const at = this.sidePos + SIDE_HEADROOM;
    const s = this.side;
    if (len <= 256) for (let i = 0; i < len; i++) s[at + i] = b[off + i]!;
    else s.set(b.subarray(off, off + len), at);
    return at;
  }

  /** Destinations of firewall-mark services (a handful: a linear scan). */
  setFwmarkDestinations(list: readonly FwmarkEntry[]): void {
    this.fwmN = list.length;
    this.fwmKey = new Uint32Array(list.length * 3);
    this.fwmSvc = new Int32Array(list.length);
    list.forEach((e, i) => {
      this.fwmKey[i * 3] = e.proto;
      this.fwmKey[i * 3 + 1] = e.addr;
      this.fwmKey[i * 3 + 2] = e.port;
      this.fwmSvc[i] = e.svc;
    });
  }

  private fwmLookup(proto: number, addr: number, port: number): number {
    const k = this.fwmKey;
    for (let i = 0; i < this.fwmN; i++) {
      if (k[i * 3] === proto && k[i * 3 + 1] === addr && k[i * 3 + 2] === port) return this.fwmSvc[i]!;
    }
    return -1;
  }

  /** Forget every real's route (before a full re-sync). */
  clearReals(): void {
    this.method.fill(0);
    this.hasMac.fill(0);
  }

  /** Set how to reach real id `rid` (grows the per-real arrays). */
  setReal(rid: number, r: RealRoute): void {
    if (rid >= this.method.length) this.growReals(rid + 1);
    this.method[rid] = r.method;
    this.tunSrc[rid] = r.tunnelSource ?? 0;
    if (r.mac && r.srcMac && r.port !== undefined) {
      this.dstMac.set(r.mac.subarray(0, 6), rid * 6);
      this.srcMac.set(r.srcMac.subarray(0, 6), rid * 6);
      this.macPort[rid] = r.port;
      this.hasMac[rid] = 1;
    } else this.hasMac[rid] = 0;
  }

  private growReals(n: number): void {
    let cap = this.method.length;
    while (cap < n) cap *= 2;
    const g8 = (a: Uint8Array, k: number) => {
      const b = new Uint8Array(cap * k);
      b.set(a);
      return b;
    };
    this.method = g8(this.method, 1);
    this.hasMac = g8(this.hasMac, 1);
    this.dstMac = g8(this.dstMac, 6);
    this.srcMac = g8(this.srcMac, 6);
    const t = new Uint32Array(cap);
    t.set(this.tunSrc);
    this.tunSrc = t;
    const p = new Int32Array(cap);
    p.set(this.macPort);
    this.macPort = p;
  }

  counter(name: CounterName): number {
    return this.counters[C[name]]!;
  }

  /** Counters as a plain object (for logs and tests). */
  counterObject(): Record<string, number> {
    const o: Record<string, number> = {};
    for (let i = 0; i < COUNTER_NAMES.length; i++) o[COUNTER_NAMES[i]!] = this.counters[i]!;
    return o;
  }

  private drop(i: number): Action {
    this.counters[i]!++;
    return Action.DROP;
  }

  /**
   * One IPv4 packet at buf[off..off+len) as read from the TUN device, rewritten in place; no
   * headroom is needed: packets that grow are moved to the side arena first.
   */
  process(b: Uint8Array, off: number, len: number, now: number): Action {
    this.counters[C.rx]!++;
    if (len < 1 || b[off]! >>> 4 !== 4) return this.drop(C.drop_not_ipv4);
    const hl = ipv4HeaderLen(b, off, len);
    if (hl < 0) return this.drop(C.drop_malformed);
    if (b[off + 8]! === 0) return this.drop(C.drop_ttl);
    const total = rd16(b, off + 2);
    const proto = b[off + 9]!;
    const src = rd32(b, off + 12);
    const dst = rd32(b, off + 16);
    if (proto === PROTO_ICMP) return this.icmp(b, off, total, now);
    if (proto !== PROTO_TCP && proto !== PROTO_UDP) return this.drop(C.drop_no_service);
    const frag = rd16(b, off + 6);
    if ((frag & 0x1fff) !== 0) return this.laterFragment(b, off, total, src, dst, proto, now);
    const t = off + hl;
    const sport = rd16(b, t);
    const dport = rd16(b, t + 2);
    const flags = proto === PROTO_TCP ? b[t + 13]! : 0;
    const d = this.d;
    let svc = d.lookupServiceV4(proto, dst, dport);
    if (svc < 0 && this.fwmN > 0) svc = this.fwmLookup(proto, dst, dport);
    if (svc >= 0) {
      let cid = d.lookupConnV4(proto, src, sport, dst, dport);
      const syn = (flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN;
      if (cid >= 0 && syn && d.reuseOnSyn(cid, now)) cid = -1;
      let rid: number;
      if (cid < 0) {
        // Only a SYN creates a TCP entry (sloppy_tcp off); any UDP datagram does.
        if (proto === PROTO_TCP && !syn) return this.drop(C.drop_no_conn);
        rid = d.scheduleV4(svc, src, sport, dst, dport, now);
        if (rid < 0) return this.drop(C.drop_no_dest);
        const m = this.method[rid] ?? M_NONE;
        if (m === M_NONE) return this.drop(C.drop_method);
        const sees = m === M_MASQ || m === M_FULLNAT;
        cid = d.connectV4(svc, rid, proto, src, sport, dst, dport, now, sees);
        // Table full: a SYN may take the place of a random half-open entry (drop_entry defense).
        if (cid === CONN_DROPPED && syn && this.dropEntry(now)) {
          cid = d.connectV4(svc, rid, proto, src, sport, dst, dport, now, sees);
        }
        if (cid === CONN_DROPPED) return this.drop(C.drop_table_full);
        if (cid > this.maxConn) this.maxConn = cid;
        if (cid === CONN_INVALID) return this.drop(C.drop_no_dest);
        if (cid === CONN_ONE_PACKET) {
          d.countPackets(rid, DIR_INPUT, 1, total);
          return this.forwardIn(b, off, total, -1, rid, d.realAddrV4(rid), dport, now);
        }
        if (m === M_FULLNAT && !this.bindLocal(cid, now)) return this.drop(C.drop_pool_exhausted);
      } else {
        if (!d.connRealAvailable(cid)) return this.drop(C.drop_nodest_conn);
        rid = d.connReal(cid);
      }
      d.packet(cid, DIR_INPUT, flags, total, now);
      if ((frag & 0x2000) !== 0) this.rememberFragment(b, off, src, dst, proto, cid, DIR_INPUT);
      return this.forwardIn(b, off, total, cid, rid, d.realAddrV4(rid), d.connPort(cid, 2), now);
    }
    // Not for a service: a reply from a real server (NAT: to the client; FULLNAT: to a local address).
    let cid = -1;
    if (this.isLocal(dst)) cid = d.lookupConnLocalV4(proto, src, sport, dst, dport);
    else cid = d.lookupConnReplyV4(proto, src, sport, dst, dport);
    if (cid < 0) return this.drop(C.drop_no_service);
    d.packet(cid, DIR_OUTPUT, flags, total, now);
    if ((frag & 0x2000) !== 0) this.rememberFragment(b, off, src, dst, proto, cid, DIR_OUTPUT);
    return this.forwardOut(b, off, total, cid);
  }

  /** Client -> real server by the real's method. `cid` -1 for one-packet flows. */
  private forwardIn(
    b: Uint8Array,
    off: number,
    len: number,
    cid: number,
    rid: number,
    rip: number,
    rport: number,
    _now: number,
  ): Action {
    const m = this.method[rid]!;
    let v: Verdict;
    switch (m) {
      case M_MASQ:
        v = natIn(b, off, len, rip, rport);
        break;
      case M_FULLNAT: {
        const tk = cid >= 0 ? this.token[cid]! : -1;
        if (tk < 0) return this.drop(C.drop_pool_exhausted);
        v = fullnatIn(b, off, len, this.pool!.addrOf(tk), tk & 0xffff, rip, rport);
        break;
      }
      case M_IPIP: {
        // virtio_net_hdr has no GSO type for IP-in-IP, and DR frames leave through a packet socket.
        if (this.gso) return this.drop(C.drop_gso);
        if (this.csumPartial) this.completeChecksum(b, off);
        clampMss(b, off, len, tunnelMss(this.tunnelMtu));
        this.ipId = (this.ipId + 1) & 0xffff;
        // The packet grows in front: it moves to the side arena, behind free headroom.
        const at = this.toSide(b, off, len);
        v = ipipEncap(this.side, at, len, this.tunSrc[rid]!, rip, this.ipId, this.tunnelMtu);
        if (v === Verdict.FRAG_NEEDED) return this.fragNeeded(b, off, rid);
        if (v !== Verdict.FORWARD)
          return this.drop(v === Verdict.DROP_MALFORMED ? C.drop_malformed : C.drop_method);
        this.sidePos = (at + len + 7) & ~7;
        this.outBuf = this.side;
        this.outOff = at - 20;
        this.outLen = len + 20;
        this.counters[C.tx]!++;
        return Action.TUN;
      }
      case M_GATE: {
        if (this.hasMac[rid] === 0) return this.drop(C.drop_no_mac);
        if (this.gso) return this.drop(C.drop_gso);
        if (this.csumPartial) this.completeChecksum(b, off);
        // Sent at once by the caller: the frame is built at the side arena's current position.
        const at = this.toSide(b, off, len);
        v = drFrame(this.side, at, len, this.dstMac, rid * 6, this.srcMac, rid * 6);
        if (v !== Verdict.FORWARD) return this.drop(C.drop_malformed);
        this.outBuf = this.side;
        this.outOff = at - ETH_HLEN;
        this.outLen = len + ETH_HLEN;
        this.outPort = this.macPort[rid]!;
        this.counters[C.tx_frames]!++;
        return Action.FRAME;
      }
      default:
        return this.drop(C.drop_method);
    }
    return this.finish(b, off, len, v);
  }

  /** Real server -> client (NAT and FULLNAT only: the others never see replies). */
  private forwardOut(b: Uint8Array, off: number, len: number, cid: number): Action {
    const d = this.d;
    const rid = d.connReal(cid);
    const m = rid >= 0 ? this.method[rid]! : M_NONE;
    d.connAddrW(cid, 1, this.w);
    const vip = this.w[3]!;
    const vport = d.connPort(cid, 1);
    let v: Verdict;
    if (m === M_FULLNAT) {
      d.connAddrW(cid, 0, this.w);
      v = fullnatOut(b, off, len, vip, vport, this.w[3]!, d.connPort(cid, 0));
    } else v = natOut(b, off, len, vip, vport);
    return this.finish(b, off, len, v);
  }

  /** After a NAT/FULLNAT rewrite: give back the hop the kernel takes again, then send to TUN. */
  private finish(b: Uint8Array, off: number, len: number, v: Verdict): Action {
    if (v === Verdict.DROP_MALFORMED) return this.drop(C.drop_malformed);
    if (v === Verdict.FORWARD_FRAGMENT) this.counters[C.forwarded_fragments]!++;
    else if (v !== Verdict.FORWARD) return this.drop(C.drop_method);
    // The kernel decremented the TTL routing into the TUN and will again routing out of it: LVS
    // forwards as one hop, so undo one (a TTL of 255 stays).
    ttlAdjust(b, off, 1);
    this.outBuf = b;
    // A partial checksum covers only the pseudo-header: the incremental updates above do not
    // apply to it (ports are not in it); recompute it for the new addresses and length.
    const p = b[off + 9]!;
    if (this.csumPartial && (p === PROTO_TCP || p === PROTO_UDP)) this.pseudoHeaderSum(b, off);
    this.outOff = off;
    this.outLen = len;
    this.counters[C.tx]!++;
    return Action.TUN;
  }

  /**
   * An IP-in-IP packet too big for the tunnel with DF set: dropped, and answered as the kernel
   * answers for LVS (ICMP destination unreachable, fragmentation needed, RFC 1191) from the
   * director's tunnel address to the client, quoting the IP header and 8 bytes; sent into the TUN.
   */
  private fragNeeded(b: Uint8Array, off: number, rid: number): Action {
    this.counters[C.drop_frag_needed]!++;
    const from = this.tunSrc[rid]!;
    if (from === 0) return Action.DROP;
    const hl = (b[off]! & 15) << 2;
    const quote = Math.min(hl + 8, rd16(b, off + 2));
    const s = this.side;
    const o = this.sidePos + SIDE_HEADROOM;
    const total = 28 + quote;
    s.fill(0, o, o + 28);
    s[o] = 0x45;
    s[o + 2] = total >>> 8;
    s[o + 3] = total & 0xff;
    s[o + 8] = 64;
    s[o + 9] = PROTO_ICMP;
    for (let i = 0; i < 4; i++) {
      s[o + 12 + i] = (from >>> (24 - 8 * i)) & 0xff;
      s[o + 16 + i] = b[off + 12 + i]!;
    }
    let c = internetChecksum(s, o, 20);
    s[o + 10] = c >>> 8;
    s[o + 11] = c & 0xff;
    s[o + 20] = 3; // destination unreachable
    s[o + 21] = 4; // fragmentation needed and DF set
    const mtu = this.tunnelMtu - 20;
    s[o + 26] = mtu >>> 8;
    s[o + 27] = mtu & 0xff;
    for (let i = 0; i < quote; i++) s[o + 28 + i] = b[off + i]!;
    c = internetChecksum(s, o + 20, 8 + quote);
    s[o + 22] = c >>> 8;
    s[o + 23] = c & 0xff;
    this.sidePos = (o + total + 7) & ~7;
    this.outBuf = s;
    this.outOff = o;
    this.outLen = total;
    this.counters[C.icmp_frag_needed_sent]!++;
    return Action.TUN;
  }

  /** Field := pseudo-header sum (src, dst, protocol, L4 length), folded, not complemented. */
  private pseudoHeaderSum(b: Uint8Array, off: number): void {
    const hl = (b[off]! & 15) << 2;
    const l4len = rd16(b, off + 2) - hl;
    let sum = (b[off + 9]! as number) + l4len;
    for (let i = 12; i < 20; i += 2) sum += (b[off + i]! << 8) | b[off + i + 1]!;
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    const f = off + this.csumStart + this.csumOffset;
    b[f] = sum >>> 8;
    b[f + 1] = sum & 0xff;
  }

  /** Finish a partial checksum in software (skb_checksum_help): sum from csumStart to the end. */
  private completeChecksum(b: Uint8Array, off: number): void {
    const start = off + this.csumStart;
    const end = off + rd16(b, off + 2);
    const f = start + this.csumOffset;
    if (f + 2 > end) return;
    this.pseudoHeaderSum(b, off);
    const c = internetChecksum(b, start, end - start);
    b[f] = c >>> 8;
    b[f + 1] = c & 0xff;
    this.csumPartial = false;
  }

  /**
   * IPVS's drop_entry defense (ip_vs_random_dropentry), applied when the table is full rather than
   * when memory is low: probe random entries and expire one that is still half-open (SYN_RECV:
   * the client never completed the handshake — a spoofed SYN), so that a new SYN finds room.
   */
  private dropEntry(now: number): boolean {
    if (!this.dropEntryOn || this.maxConn < 0) return false;
    const d = this.d;
    for (let k = 0; k < 64; k++) {
      // xorshift32: cheap, no allocation; quality is irrelevant here.
      let x = this.rnd;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.rnd = x >>> 0;
      const id = this.rnd % (this.maxConn + 1);
      if (d.connState(id) === 'SYN_RECV') {
        d.expireNow(id, now);
        this.counters[C.defense_drop_entry]!++;
        return true;
      }
    }
    return false;
  }

  private isLocal(addr: number): boolean {
    const a = this.poolAddrs;
    for (let i = 0; i < a.length; i++) if (a[i] === addr) return true;
    return false;
  }

  /** FULLNAT: take a local address:port for a new connection slot. */
  private bindLocal(cid: number, now: number): boolean {
    const pool = this.pool;
    if (!pool) {
      this.d.expireNow(cid, now);
      return false;
    }
    if (cid >= this.token.length) {
      let n = this.token.length;
      while (n <= cid) n *= 2;
      const t = new Int32Array(n).fill(-1);
      t.set(this.token);
      this.token = t;
    }
    // A slot reused after its entry expired still holds the old token: give it back first.
    if (this.token[cid]! >= 0) {
      pool.release(this.token[cid]!);
      this.token[cid] = -1;
    }
    let tk = pool.take();
    if (tk < 0) {
      this.sweepLocal();
      tk = pool.take();
    }
    if (tk < 0) {
      this.d.expireNow(cid, now);
      return false;
    }
    this.token[cid] = tk;
    this.d.setConnLocalV4(cid, pool.addrOf(tk), tk & 0xffff);
    return true;
  }

  /** Give back the local ports of connections that expired. Call every second or so. */
  sweepLocal(): number {
    const pool = this.pool;
    if (!pool) return 0;
    let n = 0;
    const t = this.token;
    for (let i = 0; i < t.length; i++) {
      const tk = t[i]!;
      if (tk < 0) continue;
      const port = this.d.connLocalW(i, this.w);
      if (port !== (tk & 0xffff) || this.w[3] !== pool.addrOf(tk)) {
        pool.release(tk);
        t[i] = -1;
        n++;
      }
    }
    return n;
  }

  private fragSlot(src: number, dst: number, idp: number): number {
    let h = Math.imul(src ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(dst, 0xc2b2ae35) ^ idp;
    h ^= h >>> 15;
    return (h >>> 0) & (FRAG_SLOTS - 1);
  }

  private rememberFragment(
    b: Uint8Array,
    off: number,
    src: number,
    dst: number,
    proto: number,
    cid: number,
    dir: number,
  ): void {
    const idp = ((rd16(b, off + 4) << 8) | proto) >>> 0;
    const s = this.fragSlot(src, dst, idp);
    this.fragKey[s * 3] = src;
    this.fragKey[s * 3 + 1] = dst;
    this.fragKey[s * 3 + 2] = idp;
    this.fragConn[s] = cid;
    this.fragDir[s] = dir;
  }

  /** A non-first fragment: follows the flow its first fragment opened, or is dropped and counted. */
  private laterFragment(
    b: Uint8Array,
    off: number,
    len: number,
    src: number,
    dst: number,
    proto: number,
    now: number,
  ): Action {
    const idp = ((rd16(b, off + 4) << 8) | proto) >>> 0;
    const s = this.fragSlot(src, dst, idp);
    const k = this.fragKey;
    const cid = this.fragConn[s]!;
    if (cid < 0 || k[s * 3] !== src || k[s * 3 + 1] !== dst || k[s * 3 + 2] !== idp) {
      return this.drop(C.drop_fragment);
    }
    const d = this.d;
    const rid = d.connReal(cid);
    if (rid < 0) return this.drop(C.drop_fragment);
    if (this.fragDir[s] === DIR_OUTPUT) {
      d.packet(cid, DIR_OUTPUT, 0, len, now);
      return this.forwardOut(b, off, len, cid);
    }
    d.packet(cid, DIR_INPUT, 0, len, now);
    return this.forwardIn(b, off, len, cid, rid, d.realAddrV4(rid), d.connPort(cid, 2), now);
  }

  /** ICMP errors quoting a tracked connection are translated like it; other ICMP is not ours. */
  private icmp(b: Uint8Array, off: number, len: number, _now: number): Action {
    const q = icmpQuoteOffset(b, off, len);
    if (q < 0) return this.drop(C.drop_icmp);
    const qproto = b[q + 9]!;
    if (qproto !== PROTO_TCP && qproto !== PROTO_UDP) return this.drop(C.drop_icmp);
    const qhl = (b[q]! & 15) << 2;
    const qsrc = rd32(b, q + 12);
    const qdst = rd32(b, q + 16);
    const qsport = rd16(b, q + qhl);
    const qdport = rd16(b, q + qhl + 2);
    const d = this.d;
    // From the client side about a reply we sent (quoted VIP:vport -> CIP:cport): to the real.
    let cid = d.lookupConnV4(qproto, qdst, qdport, qsrc, qsport);
    if (cid >= 0) {
      const rid = d.connReal(cid);
      const m = rid >= 0 ? this.method[rid]! : M_NONE;
      if (m !== M_MASQ) return this.drop(C.drop_icmp);
      const v = icmpErrorTranslate(b, off, len, false, d.realAddrV4(rid), d.connPort(cid, 2));
      if (v !== Verdict.FORWARD) return this.drop(C.drop_malformed);
      this.counters[C.icmp_translated]!++;
      return this.finish(b, off, len, v);
    }
    // From the real server's side about a packet we forwarded (quoted CIP:cport -> RIP:rport).
    cid = d.lookupConnReplyV4(qproto, qdst, qdport, qsrc, qsport);
    if (cid >= 0) {
      const rid = d.connReal(cid);
      const m = rid >= 0 ? this.method[rid]! : M_NONE;
      if (m !== M_MASQ) return this.drop(C.drop_icmp);
      d.connAddrW(cid, 1, this.w);
      const v = icmpErrorTranslate(b, off, len, true, this.w[3]!, d.connPort(cid, 1));
      if (v !== Verdict.FORWARD) return this.drop(C.drop_malformed);
      this.counters[C.icmp_translated]!++;
      return this.finish(b, off, len, v);
    }
    return this.drop(C.drop_icmp);
  }
}
