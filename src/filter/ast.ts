// Syntax tree of a pcap-filter expression, with each primitive's qualifiers resolved as libpcap's grammar does.

/** Qualifiers of a primitive: protocol, direction, address kind ('default' when absent, 'undef' = qerr). */
export interface Qual {
  proto: string;
  dir: string;
  addr: string;
}

export const QERR: Qual = Object.freeze({ proto: 'undef', dir: 'undef', addr: 'undef' });

export type Arth =
  | { t: 'num'; v: number }
  | { t: 'load'; proto: string; idx: Arth; size: number }
  | { t: 'bin'; op: number; l: Arth; r: Arth }
  | { t: 'neg'; e: Arth }
  | { t: 'len' };

export type IdKind = 'ID' | 'HID' | 'HIDLEN' | 'HIDMASK' | 'HID6' | 'HID6LEN' | 'EID' | 'AID';

export type Node =
  | { t: 'and' | 'or'; l: Node; r: Node }
  | { t: 'not'; e: Node }
  | { t: 'nid'; kind: IdKind; s: string; s2: string | null; len: number; q: Qual }
  | { t: 'pnum'; v: number; q: Qual }
  | { t: 'abbrev'; proto: string }
  | { t: 'rel'; code: number; reversed: boolean; a0: Arth; a1: Arth }
  | { t: 'broadcast' | 'multicast'; proto: string }
  | { t: 'less' | 'greater'; n: number }
  | { t: 'byte'; idx: number; op: string; val: number }
  | { t: 'inbound' | 'outbound' }
  | { t: 'ifindex'; n: number }
  | { t: 'vlan' | 'mpls' | 'pppoes' | 'geneve' | 'vxlan'; n: number | null }
  | { t: 'pppoed' }
  | { t: 'unsupported'; what: string; arg: string | null };
