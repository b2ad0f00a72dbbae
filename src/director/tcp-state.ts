// The LVS TCP state machine and per-state timeouts (kernel ip_vs_proto_tcp.c, non-secure table),
// plus the UDP single state. RFC 793 flag classes: RST > SYN > FIN > ACK.

export const S_NONE = 0;
export const S_ESTABLISHED = 1;
export const S_SYN_SENT = 2;
export const S_SYN_RECV = 3;
export const S_FIN_WAIT = 4;
export const S_TIME_WAIT = 5;
export const S_CLOSE = 6;
export const S_CLOSE_WAIT = 7;
export const S_LAST_ACK = 8;
export const S_LISTEN = 9;
export const S_SYNACK = 10;
/** Not a TCP state: the one state of UDP entries (printed `UDP`). */
export const S_UDP = 11;

export const STATE_NAMES: readonly string[] = [
  'NONE',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'SYNACK',
  'UDP',
];

/** Default timeouts in seconds by state index (tcp_timeouts[]), and UDP's 300 s at S_UDP. */
export const DEFAULT_TIMEOUTS: readonly number[] = [2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120, 300];

/** A new entry's timeout before its first transition (3 s, as ip_vs_conn_new sets). */
export const NEW_CONN_TIMEOUT = 3;

/** States counted in ActiveConn (tcp_state_active_table). */
export function isActiveState(s: number): boolean {
  return s === S_ESTABLISHED || s === S_SYN_SENT || s === S_SYN_RECV || s === S_SYNACK;
}

// Row offsets: INPUT = 0, OUTPUT = 4, INPUT-ONLY = 8; flag class syn 0, fin 1, ack 2, rst 3.
export const TCP_DIR_INPUT = 0;
export const TCP_DIR_OUTPUT = 4;
export const TCP_DIR_INPUT_ONLY = 8;

const ES = S_ESTABLISHED;
const SS = S_SYN_SENT;
const SR = S_SYN_RECV;
const FW = S_FIN_WAIT;
const TW = S_TIME_WAIT;
const CL = S_CLOSE;
const CW = S_CLOSE_WAIT;
const LA = S_LAST_ACK;
const LI = S_LISTEN;

// 12 rows x 11 columns (current state); the row is direction offset + flag class.
// biome-ignore format: the kernel's table layout
const TABLE = new Uint8Array([
  /* IN  syn */ SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR,
  /* IN  fin */ CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW,
  /* IN  ack */ ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES,
  /* IN  rst */ CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR,
  /* OUT syn */ SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR,
  /* OUT fin */ TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW,
  /* OUT ack */ ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES,
  /* OUT rst */ CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL,
  /* IO  syn */ SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR,
  /* IO  fin */ CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW,
  /* IO  ack */ ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES,
  /* IO  rst */ CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL,
]);

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/**
 * Next TCP state for a packet with `flags` (TCP header byte 13) arriving in row offset `dirOff`
 * (TCP_DIR_*) while in `state`. A packet with none of RST/SYN/FIN/ACK moves to CLOSE.
 */
export function nextTcpState(state: number, dirOff: number, flags: number): number {
  let cls: number;
  if (flags & RST) cls = 3;
  else if (flags & SYN) cls = 0;
  else if (flags & FIN) cls = 1;
  else if (flags & ACK) cls = 2;
  else return S_CLOSE;
  return TABLE[(dirOff + cls) * 11 + state]!;
}

/**
 * Whether a packet with no connection entry may create one (tcp_conn_schedule / udp_conn_schedule):
 * TCP only on SYN without RST (any packet without RST with sysctl sloppy_tcp), UDP always.
 */
export function isSchedulable(proto: number, tcpFlags: number, sloppyTcp = false): boolean {
  if (proto === 17) return true;
  if (proto !== 6 || (tcpFlags & RST) !== 0) return false;
  return sloppyTcp || (tcpFlags & SYN) !== 0;
}
