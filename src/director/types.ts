// Public data types of the director: service/real-server configuration, snapshots, connection rows.
// Words and defaults follow ipvsadm 1.31 and the kernel's IPVS (see reference/ipvs-semantics.md).

import type { Family } from './addr.js';

export type { Family } from './addr.js';

/** Protocol of an address service (fwmark services use TCP internally, as the kernel does). */
export type Protocol = 'TCP' | 'UDP';

/** IANA protocol numbers used in the hash key and for fwmark templates (`IP` = 0). */
export const IPPROTO_IP = 0;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** Forwarding method: ipvsadm -m (Masq), -g (Route, the default), -i (Tunnel), DPVS FullNat. */
export type ForwardMethod = 'masq' | 'gate' | 'ipip' | 'fullnat';

/** Name printed by `ipvsadm -L` in the Forward column for each method. */
export const FORWARD_NAMES: Readonly<Record<ForwardMethod, string>> = {
  masq: 'Masq',
  gate: 'Route',
  ipip: 'Tunnel',
  fullnat: 'FullNat',
};

/** Scheduler flag bits as the kernel stores them (IP_VS_SVC_F_SCHED1..3). */
export const SCHED_FLAG_1 = 0x0008; // flag-1 = sh-fallback = mh-fallback
export const SCHED_FLAG_2 = 0x0010; // flag-2 = sh-port = mh-port
export const SCHED_FLAG_3 = 0x0020; // flag-3

/** Default persistence timeout for `-p` without a value (IPVS_SVC_PERSISTENT_TIMEOUT). */
export const DEFAULT_PERSISTENT_TIMEOUT = 360;
/** Default scheduler (ipvsadm DEF_SCHED). */
export const DEFAULT_SCHEDULER = 'wlc';

/**
 * Identifies a virtual service: an address service (protocol, address, port) or a firewall-mark
 * service (mark + address family). Addresses are text (IPv4 dotted or IPv6), any accepted form;
 * the director stores and reports the canonical form.
 */
export type ServiceKey =
  | { kind: 'addr'; protocol: Protocol; address: string; port: number }
  | { kind: 'fwmark'; fwmark: number; family: Family };

/** What `-A`/`-E` set on a service. Missing fields take ipvsadm's defaults (an edit sends all). */
export interface ServiceConfig {
  /** Scheduler name as ipvsadm spells it (rr, wrr, lc, wlc, ...); default `wlc`. */
  scheduler?: string;
  /** Scheduler flag bits (SCHED_FLAG_1..3); default 0. */
  schedFlags?: number;
  /** Persistence timeout in seconds; 0 or missing = not persistent. Range 1..2678400. */
  persistent?: number;
  /**
   * Persistence granularity: for IPv4 services the mask as a host-order u32 (default 0xffffffff);
   * for IPv6 services the prefix length 1..128 (default 128). The kernel keeps it the same way.
   */
  netmask?: number;
  /** One-packet scheduling (`-o`, UDP and fwmark only). */
  ops?: boolean;
  /** Persistence engine name (`--pe sip`); stored and reported, only `sip` is accepted. */
  pe?: string;
}

/** Tunnel encapsulation of an ipip real server (`--tun-type`, `--tun-port`, csum options). */
export interface TunnelConfig {
  type: 'ipip' | 'gue' | 'gre';
  /** UDP destination port for gue (1..65535), 0 otherwise. */
  port: number;
  csum: 'nocsum' | 'csum' | 'remcsum';
}

/** What `-a`/`-e` set on a real server. Missing fields take ipvsadm's defaults. */
export interface RealServerConfig {
  address: string;
  /** Real server port; 0 for fwmark services without a port. */
  port: number;
  /** 0..65535, default 1; 0 = quiesced (no new connections). */
  weight?: number;
  /** Default `gate` (ipvsadm -g). */
  method?: ForwardMethod;
  /** Upper connection threshold, 0 = none. */
  uThreshold?: number;
  /** Lower connection threshold, 0 = none; must be <= uThreshold (ERANGE otherwise). */
  lThreshold?: number;
  tunnel?: TunnelConfig;
}

/** The five counters of IPVS statistics (shown counters = live - zero point). */
export interface StatsSnapshot {
  conns: number;
  inpkts: number;
  outpkts: number;
  inbytes: number;
  outbytes: number;
}

/** Rates from the 2-second estimator, already rounded as the kernel reports them. BPS = bytes/s. */
export interface RateSnapshot {
  cps: number;
  inpps: number;
  outpps: number;
  inbps: number;
  outbps: number;
}

export interface RealServerSnapshot {
  id: number;
  address: string;
  family: Family;
  port: number;
  method: ForwardMethod;
  weight: number;
  uThreshold: number;
  lThreshold: number;
  tunnel: TunnelConfig;
  activeConns: number;
  inactConns: number;
  persistConns: number;
  overloaded: boolean;
  stats: StatsSnapshot;
  rates: RateSnapshot;
}

export interface ServiceSnapshot {
  id: number;
  key: ServiceKey;
  /** 'TCP' | 'UDP' for address services, 'FWM' for firewall-mark services. */
  protocol: Protocol | 'FWM';
  family: Family;
  /** Canonical address ('' for fwmark services). */
  address: string;
  port: number;
  /** Firewall mark (0 for address services). */
  fwmark: number;
  scheduler: string;
  schedFlags: number;
  /** Flag names as ipvsadm prints them for this scheduler (sh-*, mh-* or flag-N), in bit order. */
  schedFlagNames: string[];
  /** Persistence timeout in seconds, 0 = not persistent. */
  persistent: number;
  /** IPv4: mask as host-order u32; IPv6: prefix length. */
  netmask: number;
  /** IPv4 dotted mask / IPv6 prefix length in decimal, as ipvsadm prints it after `mask`. */
  netmaskText: string;
  /** True when netmask is not the default (/32 or /128); ipvsadm prints ` mask …` only then. */
  netmaskIsDefault: boolean;
  ops: boolean;
  pe: string;
  /** Real servers in the kernel's list order (most recently added first), as `--nosort` shows. */
  reals: RealServerSnapshot[];
  stats: StatsSnapshot;
  rates: RateSnapshot;
}

export interface Timeouts {
  /** ESTABLISHED timeout, seconds (default 900). */
  tcp: number;
  /** FIN_WAIT timeout, seconds (default 120). */
  tcpfin: number;
  /** UDP timeout, seconds (default 300). */
  udp: number;
}

export interface DirectorSnapshot {
  /** Services in ipvsadm's listing order (fwmark, family, protocol, address, port; ipvsadm's quirk). */
  services: ServiceSnapshot[];
  total: StatsSnapshot;
  totalRates: RateSnapshot;
  timeouts: Timeouts;
  /** Connection hash size the banner prints: `IP Virtual Server version 1.2.1 (size=4096)`. */
  connTabSize: number;
  /** Live connection entries (templates included). */
  connCount: number;
  /** Connections refused because the table was full. */
  connDrops: number;
}

/** One row of `ipvsadm -Lnc`. */
export interface ConnectionRow {
  id: number;
  /** 'TCP' | 'UDP' | 'IP' (fwmark templates). */
  protocol: 'TCP' | 'UDP' | 'IP';
  /** Whole seconds until expiry (never negative). */
  expireSeconds: number;
  /** State name as ipvsadm prints it (ESTABLISHED, FIN_WAIT, UDP, NONE, ASSURED, ...). */
  state: string;
  family: Family;
  clientAddress: string;
  clientPort: number;
  virtualAddress: string;
  virtualPort: number;
  destAddress: string;
  destPort: number;
  template: boolean;
  serviceId: number;
  realId: number;
}

/** Direction of a packet through the director. */
export const DIR_INPUT = 0; // client -> real server
export const DIR_OUTPUT = 1; // real server -> client (seen only for NAT/FULLNAT and the proxy)
export type Direction = typeof DIR_INPUT | typeof DIR_OUTPUT;

/** TCP flag bits as in the TCP header byte 13 (tcpdump's F S R P . U). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/**
 * Events the proxy plane reports instead of TCP flags, mapped onto the kernel's NAT transitions:
 * connecting = client SYN (SYN_RECV), established = client ACK (ESTABLISHED), client-fin = FIN in
 * (CLOSE_WAIT), server-fin = FIN out (FIN_WAIT / TIME_WAIT), reset = RST in (CLOSE), closed = both
 * sockets gone (CLOSE unless already TIME_WAIT/CLOSE).
 */
export type ProxyEvent = 'connecting' | 'established' | 'client-fin' | 'server-fin' | 'reset' | 'closed';

/** connect(): no entry because the table is full (counted in connDrops). */
export const CONN_DROPPED = -1;
/** connect(): one-packet (-o) service: counted, no entry kept. */
export const CONN_ONE_PACKET = -2;
/** connect(): the service or real id is not live. */
export const CONN_INVALID = -3;

/** Options when creating a connection entry. */
export interface ConnectOptions {
  /**
   * The caller sees both directions (the proxy plane, or NAT/FULLNAT). Default: true for masq and
   * fullnat reals, false otherwise (the kernel's NOOUTPUT flag: the INPUT-ONLY table is used).
   */
  seesReplies?: boolean;
  /** Protocol of the flow; needed for fwmark services (default: the service's, TCP for fwmark). */
  protocol?: Protocol;
}

/** Tunables that the kernel exposes as sysctls; defaults as in ipvs-sysctl.rst. */
export interface DirectorOptions {
  /**
   * Connection table capacity (entries, templates included; about 120 bytes each). Default 1 << 17
   * (131072, ~15 MB); a daemon expecting more concurrent flows passes more (1 << 20: ~120 MB).
   */
  connCapacity?: number;
  /** Random source in [0,1) for twos; default Math.random. Inject for deterministic tests. */
  random?: () => number;
  /** sysctl expire_quiescent_template (default false). */
  expireQuiescentTemplate?: boolean;
  /** sysctl expire_nodest_conn (default false). */
  expireNodestConn?: boolean;
  /** sysctl conn_reuse_mode (default 1; bit 2 also reuses FIN_WAIT of non-NAT entries). */
  connReuseMode?: number;
  /** Bucket count shown in the banner (`size=`); default 4096 (CONFIG_IP_VS_TAB_BITS=12). */
  connTabSize?: number;
  /**
   * Told about every connection entry (not templates) freed by its timer during tick(), after it is
   * freed: the proxy plane closes the matching sockets. The id may be reused by the next connect().
   */
  onConnExpired?: (connId: number, realId: number) => void;
  /** lblc/lblcr expiration in ms (sysctl lblc_expiration / lblcr_expiration, default 24 h). */
  lblcExpiration?: number;
  lblcrExpiration?: number;
}
