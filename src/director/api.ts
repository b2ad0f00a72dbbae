// The director's contract for control/ and the data planes; `Director` (director.ts) implements it.
// Pure and synchronous. Time `now` is always milliseconds (any monotonic origin, e.g.
// performance.now() or Date.now()); the director never reads a clock itself.

import type { Result } from './errors.js';
import type {
  ConnectionRow,
  ConnectOptions,
  Direction,
  DirectorSnapshot,
  Family,
  ProxyEvent,
  RealServerConfig,
  ServiceConfig,
  ServiceKey,
  Timeouts,
} from './types.js';

/**
 * Ids: services and real servers are numbered densely from free-lists (>= 0; -1 = none). A real
 * server id stays valid while connections still reference it after `deleteServer` (the kernel's
 * trash); re-adding the same server to the same service within that time revives the same id with
 * its stats. Connection ids are slots of the connection table, valid until the entry expires.
 *
 * Addresses: text in, canonical text out (IPv4 dotted, IPv6 compressed lowercase, no brackets).
 */
export interface DirectorApi {
  // ---- control (ipvsadm commands); each validates fully before changing anything -------------
  /** `-A`: new service. EEXIST if it exists, ENOENT for an unknown scheduler/pe. */
  addService(key: ServiceKey, cfg: ServiceConfig): Result<number>;
  /** `-E`: replace the service's settings (all of them: ipvsadm sends a full object). ESRCH. */
  editService(key: ServiceKey, cfg: ServiceConfig): Result<number>;
  /** `-D`: delete a service; its reals go to the trash while connections reference them. ESRCH. */
  deleteService(key: ServiceKey): Result<void>;
  /** `-C`: delete all services. */
  clear(): Result<void>;
  /** `-a`: add a real server at the HEAD of the list. ESRCH (no service), EEXIST, ERANGE (l > u). */
  addServer(key: ServiceKey, rs: RealServerConfig): Result<number>;
  /** `-e`: replace weight/method/thresholds/tunnel of a real server. ESRCH, ENOENT, ERANGE. */
  editServer(key: ServiceKey, rs: RealServerConfig): Result<number>;
  /** `-d`: delete a real server. ESRCH, ENOENT. */
  deleteServer(key: ServiceKey, address: string, port: number): Result<void>;
  /** `-Z [service]`: zero counters and rate estimators (one service and its reals, or everything). */
  zero(key?: ServiceKey): Result<void>;
  /** `--set tcp tcpfin udp` in seconds; 0 leaves a value unchanged. */
  setTimeouts(tcp: number, tcpfin: number, udp: number): Result<void>;
  getTimeouts(): Timeouts;
  /** Service id for a key, or -1. */
  findService(key: ServiceKey): number;
  /** Real server id of a service (address + port), or -1. */
  findServer(svcId: number, address: string, port: number): number;

  // ---- data planes --------------------------------------------------------------------------
  /** Service for a packet/connection to (protocol, address, port), or -1. No allocation for IPv4. */
  lookupService(protocol: 'TCP' | 'UDP', address: string, port: number): number;
  /** Firewall-mark service, or -1. */
  lookupFwmark(mark: number, family?: Family): number;
  /**
   * Choose a real server for a new connection from client (address, port): persistence template
   * first (created or refreshed here), else the service's scheduler. `destAddress`/`destPort` are the
   * packet's destination (default: the service's address/port; needed by dh/lblc/lblcr and for
   * fwmark services). Returns the real id or -1 (no destination: weight 0 everywhere, overloaded...).
   */
  schedule(
    svcId: number,
    clientAddress: string,
    clientPort: number,
    now: number,
    destAddress?: string,
    destPort?: number,
  ): number;
  /**
   * Create the connection entry (state NONE, counted inactive until its first transition) for a
   * flow scheduled to `realId`; counts `conns`, links it to the client's persistence template.
   * Returns the connection id, CONN_DROPPED (table full), CONN_ONE_PACKET (-o UDP service: count
   * its packets with countPackets) or CONN_INVALID (service or real not live).
   */
  connect(
    svcId: number,
    realId: number,
    clientAddress: string,
    clientPort: number,
    vaddr: string,
    vport: number,
    now: number,
    opts?: ConnectOptions,
  ): number;
  /** Existing entry for a client->virtual packet (not templates), or -1. */
  lookupConn(protocol: 'TCP' | 'UDP', caddr: string, cport: number, vaddr: string, vport: number): number;
  /** Existing entry for a reply real->client packet (NAT), or -1. */
  lookupConnReply(
    protocol: 'TCP' | 'UDP',
    raddr: string,
    rport: number,
    caddr: string,
    cport: number,
  ): number;
  /**
   * One packet of a connection: counts inpkts/inbytes (dir INPUT) or outpkts/outbytes (OUTPUT) on
   * the real, its service and the total, drives the TCP state machine with `tcpFlags` (header byte
   * 13; ignored for UDP) and re-arms the entry's timer. `bytes` = L3 length. Returns the new state
   * index (TCP) or the UDP state. No allocation.
   */
  packet(connId: number, dir: Direction, tcpFlags: number, bytes: number, now: number): number;
  /**
   * Count relayed data (proxy plane: chunks as packets) and re-arm the timer; TCP state is left to
   * event(), a UDP datagram refreshes the UDP timeout as packet() does.
   */
  traffic(connId: number, dir: Direction, packets: number, bytes: number, now: number): void;
  /** Proxy plane: a TCP life-cycle event mapped onto the kernel's transitions. */
  event(connId: number, ev: ProxyEvent, now: number): void;
  /** Real server of a connection (or -1 if the id is not live). */
  connReal(connId: number): number;
  /** State name of a connection ('ESTABLISHED', 'UDP', ...), '' if not live. */
  connState(connId: number): string;
  /** Address, port, family and method of a real server (for the data plane to forward). */
  realInfo(realId: number): { address: string; port: number; family: Family; method: string } | null;
  /** New SYN on an existing entry: expire it and return true when it should be rescheduled. */
  reuseOnSyn(connId: number, now: number): boolean;
  /** Free an entry at once (the kernel's ip_vs_conn_expire_now). */
  expireNow(connId: number, now: number): void;
  /** Expire due connections and templates; returns how many entries were freed. */
  tick(now: number): number;
  /** Run the rate estimator; the owner calls it every 2 s (ip_vs_est's period). */
  estimate(now: number): void;

  // ---- listing ------------------------------------------------------------------------------
  /** Plain data for `-L` and its variants. */
  snapshot(): DirectorSnapshot;
  /** Rows for `-Lc`, in table order, with seconds left computed from `now`. */
  connections(now: number): ConnectionRow[];
}

/**
 * Allocation-free entry points for the packet plane. Addresses are host-order u32 (IPv4, `*V4`) or
 * four words in a Uint32Array (`*W`, IPv4 in word 3, IPv6 in order); `proto` is 6 or 17.
 */
export interface PacketPlaneApi {
  lookupServiceV4(proto: number, addr: number, port: number): number;
  lookupServiceW(proto: number, family: Family, w: Uint32Array, port: number): number;
  scheduleV4(svcId: number, caddr: number, cport: number, daddr: number, dport: number, now: number): number;
  scheduleW(
    svcId: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    daddr: Uint32Array,
    dport: number,
    now: number,
  ): number;
  connectV4(
    svcId: number,
    realId: number,
    proto: number,
    caddr: number,
    cport: number,
    vaddr: number,
    vport: number,
    now: number,
    seesReplies: boolean,
  ): number;
  connectW(
    svcId: number,
    realId: number,
    proto: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    vaddr: Uint32Array,
    vport: number,
    now: number,
    seesReplies: boolean,
  ): number;
  lookupConnV4(proto: number, caddr: number, cport: number, vaddr: number, vport: number): number;
  lookupConnW(
    proto: number,
    family: Family,
    caddr: Uint32Array,
    cport: number,
    vaddr: Uint32Array,
    vport: number,
  ): number;
  lookupConnReplyV4(proto: number, raddr: number, rport: number, caddr: number, cport: number): number;
  lookupConnReplyW(
    proto: number,
    family: Family,
    raddr: Uint32Array,
    rport: number,
    caddr: Uint32Array,
    cport: number,
  ): number;
  /** FULLNAT: the local address:port of a connection, and the reply lookup by it. */
  setConnLocalV4(connId: number, laddr: number, lport: number): void;
  setConnLocalW(connId: number, laddr: Uint32Array, lport: number): void;
  lookupConnLocalV4(proto: number, raddr: number, rport: number, laddr: number, lport: number): number;
  lookupConnLocalW(
    proto: number,
    family: Family,
    raddr: Uint32Array,
    rport: number,
    laddr: Uint32Array,
    lport: number,
  ): number;
  connLocalW(connId: number, out: Uint32Array): number;
  /** Rewriting: 0 = client, 1 = virtual, 2 = destination (real). */
  connAddrW(connId: number, which: 0 | 1 | 2, out: Uint32Array): Family | 0;
  connPort(connId: number, which: 0 | 1 | 2): number;
  /** False once the real was deleted (expire_nodest_conn=0: drop the packet silently). */
  connRealAvailable(connId: number): boolean;
  realAddrV4(realId: number): number;
  realAddrW(realId: number, out: Uint32Array): Family | 0;
  /** One-packet (-o) flows have no entry: count their packets here. */
  countPackets(realId: number, dir: Direction, packets: number, bytes: number): void;
}
