// Code generator: AST -> control-flow graph of classic BPF blocks, following libpcap's gencode
// (same block/edge structure and the same order of register use, so unoptimized listings match).

import type { Arth, Node, Qual } from './ast.js';
import type { Slist } from './cfg.js';
import { Block, IS_FALSE, IS_TRUE, IS_UNCERTAIN, newStmt, sappend } from './cfg.js';
import { FilterError } from './errors.js';
import {
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_H,
  BPF_IMM,
  BPF_IND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_LSH,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  SKF_AD_OFF,
} from './insn.js';
import { parseIpv6 } from './lexer.js';
import type { NameResolver } from './names.js';
import { nameTable } from './table.js';

// DLT values (Linux numbering) of the link types the compiler knows.
export const DLT_NULL = 0;
export const DLT_EN10MB = 1;
export const DLT_RAW = 12;
export const DLT_LOOP = 108;
export const DLT_LINUX_SLL = 113;
export const DLT_IPV4 = 228;
export const DLT_IPV6 = 229;
export const DLT_LINUX_SLL2 = 276;

const DLT_NAMES: Record<number, [string, string]> = {
  [DLT_NULL]: ['NULL', 'BSD loopback'],
  [DLT_EN10MB]: ['EN10MB', 'Ethernet'],
  [DLT_RAW]: ['RAW', 'Raw IP'],
  [DLT_LOOP]: ['LOOP', 'OpenBSD loopback'],
  [DLT_LINUX_SLL]: ['LINUX_SLL', 'Linux cooked v1'],
  [DLT_IPV4]: ['IPV4', 'Raw IPv4'],
  [DLT_IPV6]: ['IPV6', 'Raw IPv6'],
  [DLT_LINUX_SLL2]: ['LINUX_SLL2', 'Linux cooked v2'],
};

/** Maps a LINKTYPE_* number to the DLT value libpcap compiles for (101 -> DLT_RAW, 14 -> DLT_RAW). */
export function linktypeToDlt(linktype: number): number {
  if (linktype === 101 || linktype === 14) return DLT_RAW;
  return linktype;
}

/** pcap_datalink_val_to_description_or_dlt(), as libpcap words it in messages. */
export function dltName(dlt: number): string {
  const n = DLT_NAMES[dlt];
  return n ? n[1] : `DLT ${dlt}`;
}

export function dltDescription(dlt: number): string {
  const n = DLT_NAMES[dlt];
  return n ? `DLT_${n[0]} (${n[1]})` : `DLT ${dlt}`;
}

const ETHERMTU = 1500;
const ETHERTYPE_IP = 0x0800;
const ETHERTYPE_ARP = 0x0806;
const ETHERTYPE_REVARP = 0x8035;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_8021Q = 0x8100;
const ETHERTYPE_8021AD = 0x88a8;
const ETHERTYPE_8021QINQ = 0x9100;
const ETHERTYPE_MPLS = 0x8847;
const ETHERTYPE_ATALK = 0x809b;
const ETHERTYPE_AARP = 0x80f3;
const ETHERTYPE_IPX = 0x8137;
const ETHERTYPE_DN = 0x6003;
const ETHERTYPE_PPPOED = 0x8863;
const ETHERTYPE_PPPOES = 0x8864;
const LLCSAP_IP = 0x06;
const LLCSAP_ISONS = 0xfe;
const LLCSAP_NETBEUI = 0xf0;
const LLCSAP_IPX = 0xe0;
const LLCSAP_8021D = 0x42;
const LLCSAP_SNAP = 0xaa;
const LINUX_SLL_P_802_2 = 4;
const LINUX_SLL_P_802_3 = 1;
const LINUX_SLL_OUTGOING = 4;
const AF_INET = 2;
const AF_INET6 = 10;
const BSD_AFNUM_INET6_BSD = 24;
const BSD_AFNUM_INET6_FREEBSD = 28;
const BSD_AFNUM_INET6_DARWIN = 30;

const IPPROTO_HOPOPTS = 0;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPPROTO_ROUTING = 43;
const IPPROTO_FRAGMENT = 44;
const IPPROTO_NONE = 59;
const IPPROTO_DSTOPTS = 60;
const IPPROTO_SCTP = 132;
const PROTO_UNDEF = -1;

const IP_PROTOS = nameTable<number>({
  ah: 51,
  carp: 112,
  esp: 50,
  icmp: 1,
  icmp6: 58,
  igmp: 2,
  igrp: 9,
  pim: 103,
  sctp: 132,
  tcp: 6,
  udp: 17,
  vrrp: 112,
});
const ETHERTYPES = nameTable<number>({
  aarp: ETHERTYPE_AARP,
  arp: ETHERTYPE_ARP,
  atalk: ETHERTYPE_ATALK,
  decnet: 0x6003,
  ip: ETHERTYPE_IP,
  ip6: ETHERTYPE_IPV6,
  lat: 0x6004,
  mopdl: 0x6001,
  moprc: 0x6002,
  rarp: ETHERTYPE_REVARP,
  sca: 0x6007,
});
const LLCSAPS = nameTable<number>({
  ipx: LLCSAP_IPX,
  iso: LLCSAP_ISONS,
  netbeui: LLCSAP_NETBEUI,
  stp: LLCSAP_8021D,
});
const EPROTO_DB = nameTable<number>({
  aarp: ETHERTYPE_AARP,
  arp: ETHERTYPE_ARP,
  atalk: ETHERTYPE_ATALK,
  decnet: 0x6003,
  ip: ETHERTYPE_IP,
  ip6: ETHERTYPE_IPV6,
  lat: 0x6004,
  loopback: 0x9000,
  mopdl: 0x6001,
  moprc: 0x6002,
  rarp: ETHERTYPE_REVARP,
  sca: 0x6007,
});

const ISO8473_CLNP = 0x81;
const ISO9542_ESIS = 0x82;
const ISO10589_ISIS = 0x83;
/** OSI network layer protocol ids by name (`esis`, `isis`, `clnp`, and `iso proto \NAME`). */
const OSI_PROTOS = nameTable<number>({ esis: ISO9542_ESIS, isis: ISO10589_ISIS, clnp: ISO8473_CLNP });
// IS-IS PDU types of each abbreviation (L1/L2 LAN IIH 15/16, PTP IIH 17, LSP 18/20, CSNP 24/25, PSNP 26/27).
const ISIS_ABBREVS = nameTable<number[]>({
  l1: [15, 17, 18, 24, 26],
  l2: [16, 17, 20, 25, 27],
  iih: [15, 16, 17],
  lsp: [18, 20],
  snp: [24, 25, 26, 27],
  csnp: [24, 25],
  psnp: [26, 27],
});

// libpcap 1.10.3's fixed messages for qualifiers gen_host refuses (others: "'X' modifier applied to host").
const HOST_PROTO_ERRORS = nameTable<string>({
  atalk: 'AppleTalk host filtering not implemented',
  lat: 'LAT host filtering not implemented',
  sca: 'SCA host filtering not implemented',
  moprc: 'MOPRC host filtering not implemented',
  mopdl: 'MOPDL host filtering not implemented',
  ip6: "'ip6' modifier applied to ip host",
  aarp: 'AARP host filtering not implemented',
  iso: 'ISO host filtering not implemented',
  ipx: 'IPX host filtering not implemented',
});

// libpcap 1.10.3's fixed messages for `Q proto N` where Q has no protocol field (others: "'Q proto' is bogus").
const PROTO_QUAL_ERRORS = nameTable<string>({
  arp: 'arp does not encapsulate another protocol',
  rarp: 'rarp does not encapsulate another protocol',
  atalk: 'AppleTalk encapsulation is not specifiable',
  decnet: 'DECNET encapsulation is not specifiable',
  lat: 'LAT does not encapsulate another protocol',
  sca: 'SCA does not encapsulate another protocol',
  moprc: 'MOPRC does not encapsulate another protocol',
  mopdl: 'MOPDL does not encapsulate another protocol',
  clnp: "'clnp proto' is not supported",
});

/** Where a load's offset is relative to (libpcap's e_offrel). */
enum OR {
  PACKET,
  LINKHDR,
  PREVLINKHDR,
  LLC,
  PREVMPLSHDR,
  LINKPL,
  LINKPL_NOSNAP,
  LINKTYPE,
  TRAN_IPV4,
  TRAN_IPV6,
}

interface AbsOffset {
  constantPart: number;
  isVariable: boolean;
  reg: number;
}

interface ArthVal {
  s: Slist;
  regno: number;
  b: Block | null;
}

const OFFSET_NOT_SET = 0xffffffff;

export interface GenOptions {
  dlt: number;
  snaplen: number;
  netmask: number | undefined;
  resolver: NameResolver;
  /** Code for a savefile: DLT_NULL/LOOP use the BSD AF_ values of offline handling. */
  offline?: 'swapped' | 'unswapped';
  /** Live capture on Linux: ancillary-data loads for inbound/outbound/ifindex and the first vlan. */
  linuxExtensions?: boolean;
}

/** Generates the CFG for an expression; `root` is the entry block, `noOptimize` set by protochain. */
export class Generator {
  noOptimize = false;
  private readonly dlt: number;
  private readonly snaplen: number;
  private readonly netmask: number | undefined;
  private readonly names: NameResolver;
  private readonly offline: 'swapped' | 'unswapped' | undefined;
  private readonly linuxExt: boolean;
  private offLinkhdr: AbsOffset = { constantPart: 0, isVariable: false, reg: -1 };
  private offPrevlinkhdr: AbsOffset = { constantPart: 0, isVariable: false, reg: -1 };
  private offLinkpl: AbsOffset = { constantPart: 0, isVariable: false, reg: -1 };
  private offLinktype: AbsOffset = { constantPart: 0, isVariable: false, reg: -1 };
  private offNl = 0;
  private offNlNosnap = 0;
  private labelStackDepth = 0;
  private vlanStackDepth = 0;
  private isVlanVloffset = false;
  private readonly regused = new Uint8Array(BPF_MEMWORDS);
  private curreg = 0;

  constructor(opts: GenOptions) {
    this.dlt = opts.dlt;
    this.snaplen = opts.snaplen;
    this.netmask = opts.netmask;
    this.names = opts.resolver;
    this.offline = opts.offline;
    this.linuxExt = opts.linuxExtensions === true;
    this.initLinktype();
  }

  private err(msg: string): never {
    throw new FilterError(msg);
  }

  private initLinktype(): void {
    switch (this.dlt) {
      case DLT_EN10MB:
        this.offLinktype.constantPart = 12;
        this.offLinkpl.constantPart = 14;
        this.offNl = 0;
        this.offNlNosnap = 3;
        break;
      case DLT_NULL:
      case DLT_LOOP:
        this.offLinktype.constantPart = 0;
        this.offLinkpl.constantPart = 4;
        break;
      case DLT_RAW:
      case DLT_IPV4:
      case DLT_IPV6:
        this.offLinktype.constantPart = OFFSET_NOT_SET;
        this.offLinkpl.constantPart = 0;
        break;
      case DLT_LINUX_SLL:
        this.offLinktype.constantPart = 14;
        this.offLinkpl.constantPart = 16;
        break;
      case DLT_LINUX_SLL2:
        this.offLinktype.constantPart = 0;
        this.offLinkpl.constantPart = 20;
        break;
      default:
        this.err(`unknown data link type ${this.dlt}`);
    }
    this.offPrevlinkhdr = { ...this.offLinkhdr };
  }

  // ---- blocks and edges -------------------------------------------------------------------

  private newBlock(code: number, k = 0): Block {
    return new Block(code, k);
  }

  genRetblk(v: number): Block {
    return this.newBlock(BPF_RET | BPF_K, v);
  }

  private backpatch(list: Block | null, target: Block): void {
    while (list) {
      let next: Block | null;
      if (!list.sense) {
        next = list.et.succ;
        list.et.succ = target;
      } else {
        next = list.ef.succ;
        list.ef.succ = target;
      }
      list = next;
    }
  }

  private merge(b0: Block, b1: Block): void {
    let p = b0;
    // Find the end of b0's list, then link b1 there.
    for (;;) {
      const next = !p.sense ? p.et.succ : p.ef.succ;
      if (!next) break;
      p = next;
    }
    if (!p.sense) p.et.succ = b1;
    else p.ef.succ = b1;
  }

  /** Resolves the backpatch lists to the accept and reject returns; returns the root block. */
  finish(p: Block): Block {
    this.insertComputeVloffsets(p.head);
    this.backpatch(p, this.genRetblk(this.snaplen));
    p.sense = !p.sense;
    this.backpatch(p, this.genRetblk(0));
    return p.head;
  }

  genAnd(b0: Block, b1: Block): Block {
    if (b0.meaning === IS_FALSE) return b0;
    if (b1.meaning === IS_FALSE) return b1;
    if (b0.meaning === IS_TRUE) return b1;
    if (b1.meaning === IS_TRUE) return b0;
    this.backpatch(b0, b1.head);
    b0.sense = !b0.sense;
    b1.sense = !b1.sense;
    this.merge(b1, b0);
    b1.sense = !b1.sense;
    b1.head = b0.head;
    return b1;
  }

  genOr(b0: Block, b1: Block): Block {
    if (b0.meaning === IS_FALSE) return b1;
    if (b1.meaning === IS_FALSE) return b0;
    if (b0.meaning === IS_TRUE) return b0;
    if (b1.meaning === IS_TRUE) return b1;
    b0.sense = !b0.sense;
    this.backpatch(b0, b1.head);
    b0.sense = !b0.sense;
    this.merge(b1, b0);
    b1.head = b0.head;
    return b1;
  }

  genNot(b: Block): Block {
    b.sense = !b.sense;
    if (b.meaning === IS_TRUE) b.meaning = IS_FALSE;
    else if (b.meaning === IS_FALSE) b.meaning = IS_TRUE;
    return b;
  }

  private genJmpK(jtype: number, v: number, stmts: Slist | null): Block {
    const b = this.newBlock(BPF_JMP | jtype | BPF_K, v >>> 0);
    b.stmts = stmts;
    return b;
  }

  private genJmpX(jtype: number, stmts: Slist | null): Block {
    const b = this.newBlock(BPF_JMP | jtype | BPF_X);
    b.stmts = stmts;
    return b;
  }

  private genUncond(rsense: boolean): Block {
    const s = newStmt(BPF_LD | BPF_IMM, rsense ? 0 : 1);
    const b = this.genJmpK(BPF_JEQ, 0, s);
    b.meaning = rsense ? IS_TRUE : IS_FALSE;
    return b;
  }
  private genTrue(): Block {
    return this.genUncond(true);
  }
  private genFalse(): Block {
    return this.genUncond(false);
  }

  private sprependToBlock(s: Slist | null, b: Block): Block {
    if (s) {
      if (b.stmts) sappend(s, b.stmts);
      b.stmts = s;
      b.meaning = IS_UNCERTAIN;
    }
    return b;
  }

  // ---- registers ----------------------------------------------------------------------------

  private allocReg(): number {
    let n = BPF_MEMWORDS;
    while (--n >= 0) {
      if (this.regused[this.curreg]) this.curreg = (this.curreg + 1) % BPF_MEMWORDS;
      else {
        this.regused[this.curreg] = 1;
        return this.curreg;
      }
    }
    this.err('too many registers needed to evaluate expression');
  }

  private freeReg(n: number): void {
    this.regused[n] = 0;
  }

  // ---- loads and comparisons ----------------------------------------------------------------

  private absOffsetVarpart(off: AbsOffset): Slist | null {
    if (off.isVariable) {
      if (off.reg === -1) off.reg = this.allocReg();
      return newStmt(BPF_LDX | BPF_MEM, off.reg);
    }
    return null;
  }

  private loadAbsoffsetrel(s: Slist | null, offset: number, size: number): Slist {
    if (s) {
      sappend(s, newStmt(BPF_LD | BPF_IND | size, offset));
      return s;
    }
    return newStmt(BPF_LD | BPF_ABS | size, offset);
  }

  private loadxIphdrlen(): Slist {
    const s = this.absOffsetVarpart(this.offLinkpl);
    if (s) {
      sappend(s, newStmt(BPF_LD | BPF_IND | BPF_B, this.offLinkpl.constantPart + this.offNl));
      sappend(s, newStmt(BPF_ALU | BPF_AND | BPF_K, 0xf));
      sappend(s, newStmt(BPF_ALU | BPF_LSH | BPF_K, 2));
      sappend(s, newStmt(BPF_ALU | BPF_ADD | BPF_X));
      sappend(s, newStmt(BPF_MISC | BPF_TAX));
      return s;
    }
    return newStmt(BPF_LDX | BPF_MSH | BPF_B, this.offLinkpl.constantPart + this.offNl);
  }

  private loadA(offrel: OR, offset: number, size: number): Slist {
    let s: Slist | null = null;
    switch (offrel) {
      case OR.PACKET:
        break;
      case OR.LINKHDR:
        s = this.absOffsetVarpart(this.offLinkhdr);
        offset += this.offLinkhdr.constantPart;
        break;
      case OR.PREVLINKHDR:
        s = this.absOffsetVarpart(this.offPrevlinkhdr);
        offset += this.offPrevlinkhdr.constantPart;
        break;
      case OR.LLC:
        s = this.absOffsetVarpart(this.offLinkpl);
        offset += this.offLinkpl.constantPart;
        break;
      case OR.PREVMPLSHDR:
        s = this.absOffsetVarpart(this.offLinkpl);
        offset += this.offLinkpl.constantPart + this.offNl - 4;
        break;
      case OR.LINKPL:
        s = this.absOffsetVarpart(this.offLinkpl);
        offset += this.offLinkpl.constantPart + this.offNl;
        break;
      case OR.LINKPL_NOSNAP:
        s = this.absOffsetVarpart(this.offLinkpl);
        offset += this.offLinkpl.constantPart + this.offNlNosnap;
        break;
      case OR.LINKTYPE:
        s = this.absOffsetVarpart(this.offLinktype);
        offset += this.offLinktype.constantPart;
        break;
      case OR.TRAN_IPV4:
        s = this.loadxIphdrlen();
        offset += this.offLinkpl.constantPart + this.offNl;
        break;
      case OR.TRAN_IPV6:
        s = this.absOffsetVarpart(this.offLinkpl);
        offset += this.offLinkpl.constantPart + this.offNl + 40;
        break;
    }
    return this.loadAbsoffsetrel(s, offset >>> 0, size);
  }

  private genNcmp(
    offrel: OR,
    offset: number,
    size: number,
    mask: number,
    jtype: number,
    reverse: boolean,
    v: number,
  ): Block {
    const s = this.loadA(offrel, offset, size);
    if (mask >>> 0 !== 0xffffffff) sappend(s, newStmt(BPF_ALU | BPF_AND | BPF_K, mask >>> 0));
    const b = this.genJmpK(jtype, v, s);
    return reverse ? this.genNot(b) : b;
  }
  private genCmp(offrel: OR, offset: number, size: number, v: number): Block {
    return this.genNcmp(offrel, offset, size, 0xffffffff, BPF_JEQ, false, v);
  }
  private genCmpGt(offrel: OR, offset: number, size: number, v: number): Block {
    return this.genNcmp(offrel, offset, size, 0xffffffff, BPF_JGT, false, v);
  }
  private genCmpGe(offrel: OR, offset: number, size: number, v: number): Block {
    return this.genNcmp(offrel, offset, size, 0xffffffff, BPF_JGE, false, v);
  }
  private genCmpLt(offrel: OR, offset: number, size: number, v: number): Block {
    return this.genNcmp(offrel, offset, size, 0xffffffff, BPF_JGE, true, v);
  }
  private genCmpLe(offrel: OR, offset: number, size: number, v: number): Block {
    return this.genNcmp(offrel, offset, size, 0xffffffff, BPF_JGT, true, v);
  }
  private genMcmp(offrel: OR, offset: number, size: number, v: number, mask: number): Block {
    if (mask >>> 0 === 0) return v >>> 0 ? this.genFalse() : this.genTrue();
    return this.genNcmp(offrel, offset, size, mask, BPF_JEQ, false, v);
  }

  private genBcmp(offrel: OR, offset: number, size: number, v: Uint8Array): Block {
    let b: Block | null = null;
    while (size >= 4) {
      const p = size - 4;
      const w = ((v[p]! << 24) | (v[p + 1]! << 16) | (v[p + 2]! << 8) | v[p + 3]!) >>> 0;
      const tmp = this.genCmp(offrel, offset + size - 4, BPF_W, w);
      b = b ? this.genAnd(b, tmp) : tmp;
      size -= 4;
    }
    while (size >= 2) {
      const p = size - 2;
      const tmp = this.genCmp(offrel, offset + size - 2, BPF_H, (v[p]! << 8) | v[p + 1]!);
      b = b ? this.genAnd(b, tmp) : tmp;
      size -= 2;
    }
    if (size > 0) {
      const tmp = this.genCmp(offrel, offset, BPF_B, v[0]!);
      b = b ? this.genAnd(b, tmp) : tmp;
    }
    return b!;
  }

  private assertMaxval(name: string, val: number, maxval: number): void {
    if (val >>> 0 > maxval) this.err(`${name} ${val >>> 0} greater than maximum ${maxval}`);
  }

  private failKwOnDlt(keyword: string): never {
    this.err(`'${keyword}' not supported on ${dltDescription(this.dlt)}`);
  }

  // ---- link-layer type tests ----------------------------------------------------------------

  private genSnap(orgcode: number, ptype: number): Block {
    const snap = Uint8Array.of(
      LLCSAP_SNAP,
      LLCSAP_SNAP,
      0x03,
      (orgcode >> 16) & 0xff,
      (orgcode >> 8) & 0xff,
      orgcode & 0xff,
      (ptype >> 8) & 0xff,
      ptype & 0xff,
    );
    return this.genBcmp(OR.LLC, 0, 8, snap);
  }

  private genEtherLinktype(llProto: number): Block {
    let b0: Block;
    let b1: Block;
    switch (llProto) {
      case LLCSAP_ISONS:
      case LLCSAP_IP:
      case LLCSAP_NETBEUI:
        b0 = this.genCmpLe(OR.LINKTYPE, 0, BPF_H, ETHERMTU);
        b1 = this.genCmp(OR.LLC, 0, BPF_H, (llProto << 8) | llProto);
        return this.genAnd(b0, b1);
      case LLCSAP_IPX:
        b0 = this.genCmp(OR.LLC, 0, BPF_B, LLCSAP_IPX);
        b1 = this.genCmp(OR.LLC, 0, BPF_H, 0xffff);
        b1 = this.genOr(b0, b1);
        b0 = this.genSnap(0x000000, ETHERTYPE_IPX);
        b1 = this.genOr(b0, b1);
        b0 = this.genCmpLe(OR.LINKTYPE, 0, BPF_H, ETHERMTU);
        b1 = this.genAnd(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, ETHERTYPE_IPX);
        return this.genOr(b0, b1);
      case ETHERTYPE_ATALK:
      case ETHERTYPE_AARP:
        b0 = this.genCmpLe(OR.LINKTYPE, 0, BPF_H, ETHERMTU);
        b1 =
          llProto === ETHERTYPE_ATALK
            ? this.genSnap(0x080007, ETHERTYPE_ATALK)
            : this.genSnap(0x000000, ETHERTYPE_AARP);
        b1 = this.genAnd(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, llProto);
        return this.genOr(b0, b1);
      default:
        if (llProto <= ETHERMTU) {
          b0 = this.genCmpLe(OR.LINKTYPE, 0, BPF_H, ETHERMTU);
          b1 = this.genCmp(OR.LINKTYPE, 2, BPF_B, llProto);
          return this.genAnd(b0, b1);
        }
        return this.genCmp(OR.LINKTYPE, 0, BPF_H, llProto);
    }
  }

  private genLinuxSllLinktype(llProto: number): Block {
    let b0: Block;
    let b1: Block;
    switch (llProto) {
      case LLCSAP_ISONS:
      case LLCSAP_IP:
      case LLCSAP_NETBEUI:
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, LINUX_SLL_P_802_2);
        b1 = this.genCmp(OR.LLC, 0, BPF_H, (llProto << 8) | llProto);
        return this.genAnd(b0, b1);
      case LLCSAP_IPX:
        b0 = this.genCmp(OR.LLC, 0, BPF_B, LLCSAP_IPX);
        b1 = this.genSnap(0x000000, ETHERTYPE_IPX);
        b1 = this.genOr(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, LINUX_SLL_P_802_2);
        b1 = this.genAnd(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, LINUX_SLL_P_802_3);
        b1 = this.genOr(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, ETHERTYPE_IPX);
        return this.genOr(b0, b1);
      case ETHERTYPE_ATALK:
      case ETHERTYPE_AARP:
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, LINUX_SLL_P_802_2);
        b1 =
          llProto === ETHERTYPE_ATALK
            ? this.genSnap(0x080007, ETHERTYPE_ATALK)
            : this.genSnap(0x000000, ETHERTYPE_AARP);
        b1 = this.genAnd(b0, b1);
        b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, llProto);
        return this.genOr(b0, b1);
      default:
        if (llProto <= ETHERMTU) {
          b0 = this.genCmp(OR.LINKTYPE, 0, BPF_H, LINUX_SLL_P_802_2);
          b1 = this.genCmp(OR.LINKHDR, this.offLinkpl.constantPart, BPF_B, llProto);
          return this.genAnd(b0, b1);
        }
        return this.genCmp(OR.LINKTYPE, 0, BPF_H, llProto);
    }
  }

  private genIpVersion(offrel: OR, ver: number): Block {
    return this.genMcmp(offrel, 0, BPF_B, ver << 4, 0xf0);
  }

  private genEndianLinktype(offset: number, size: number, v: number, swapped: boolean): Block {
    const sw = swapped
      ? (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0
      : v;
    return this.genCmp(OR.LINKHDR, offset, size, sw);
  }

  private genBsdAfOffline(llProto: number, swapped: boolean): Block {
    if (llProto === ETHERTYPE_IP) return this.genEndianLinktype(0, BPF_W, AF_INET, swapped);
    if (llProto === ETHERTYPE_IPV6) {
      const b0 = this.genEndianLinktype(0, BPF_W, BSD_AFNUM_INET6_BSD, swapped);
      let b1 = this.genEndianLinktype(0, BPF_W, BSD_AFNUM_INET6_FREEBSD, swapped);
      b1 = this.genOr(b0, b1);
      const b2 = this.genEndianLinktype(0, BPF_W, BSD_AFNUM_INET6_DARWIN, swapped);
      return this.genOr(b2, b1);
    }
    return this.genFalse();
  }

  private genLoopbackLinktype(llProto: number): Block {
    if (!this.offline) {
      let af: number;
      if (llProto === ETHERTYPE_IP) af = AF_INET;
      else if (llProto === ETHERTYPE_IPV6) af = AF_INET6;
      else return this.genFalse();
      // DLT_NULL holds the AF in host byte order (little-endian here); DLT_LOOP in network order.
      if (this.dlt === DLT_NULL) {
        const sw = (((af & 0xff) << 24) | ((af & 0xff00) << 8) | ((af >>> 8) & 0xff00) | (af >>> 24)) >>> 0;
        return this.genCmp(OR.LINKHDR, 0, BPF_W, sw);
      }
      return this.genCmp(OR.LINKHDR, 0, BPF_W, af);
    }
    // libpcap 1.10.3 reading a savefile: DLT_NULL holds the AF value in the byte order of the
    // machine that wrote the file (one order, not both as HEAD tests); DLT_LOOP in network order.
    if (this.dlt === DLT_NULL) return this.genBsdAfOffline(llProto, this.offline === 'unswapped');
    return this.genBsdAfOffline(llProto, false);
  }

  private genLinktype(llProto: number): Block {
    if (this.labelStackDepth > 0) return this.genMplsLinktype(llProto);
    switch (this.dlt) {
      case DLT_EN10MB:
        return this.genEtherLinktype(llProto);
      case DLT_LINUX_SLL:
        return this.genLinuxSllLinktype(llProto);
      case DLT_RAW:
        if (llProto === ETHERTYPE_IP) return this.genIpVersion(OR.LINKHDR, 4);
        if (llProto === ETHERTYPE_IPV6) return this.genIpVersion(OR.LINKHDR, 6);
        return this.genFalse();
      case DLT_IPV4:
        return llProto === ETHERTYPE_IP ? this.genTrue() : this.genFalse();
      case DLT_IPV6:
        return llProto === ETHERTYPE_IPV6 ? this.genTrue() : this.genFalse();
      case DLT_NULL:
      case DLT_LOOP:
        return this.genLoopbackLinktype(llProto);
      default:
        if (this.offLinktype.constantPart !== OFFSET_NOT_SET) {
          return this.genCmp(OR.LINKTYPE, 0, BPF_H, llProto);
        }
        this.err(`link-layer type filtering not implemented for ${dltDescription(this.dlt)}`);
    }
  }

  private genJustAfterMplsStack(): Block {
    return this.genJmpK(BPF_JSET, 0x01, this.loadA(OR.PREVMPLSHDR, 2, BPF_B));
  }

  private genMplsLinktype(llProto: number): Block {
    if (llProto === ETHERTYPE_IP || llProto === ETHERTYPE_IPV6) {
      const b0 = this.genJustAfterMplsStack();
      const b1 = this.genIpVersion(OR.LINKPL, llProto === ETHERTYPE_IP ? 4 : 6);
      return this.genAnd(b0, b1);
    }
    this.err('unsupported protocol over mpls');
  }

  // ---- hosts ------------------------------------------------------------------------------

  private genHostop(addr: number, mask: number, dir: string, srcOff: number, dstOff: number): Block {
    switch (dir) {
      case 'src':
        return this.genMcmp(OR.LINKPL, srcOff, BPF_W, addr, mask);
      case 'dst':
        return this.genMcmp(OR.LINKPL, dstOff, BPF_W, addr, mask);
      case 'and': {
        const b0 = this.genHostop(addr, mask, 'src', srcOff, dstOff);
        const b1 = this.genHostop(addr, mask, 'dst', srcOff, dstOff);
        return this.genAnd(b0, b1);
      }
      default: {
        const b0 = this.genHostop(addr, mask, 'src', srcOff, dstOff);
        const b1 = this.genHostop(addr, mask, 'dst', srcOff, dstOff);
        return this.genOr(b0, b1);
      }
    }
  }

  private genHostop6(addr: Uint8Array, mask: Uint8Array, dir: string): Block {
    let offset: number;
    switch (dir) {
      case 'src':
        offset = 8;
        break;
      case 'dst':
        offset = 24;
        break;
      case 'and': {
        const b0 = this.genHostop6(addr, mask, 'src');
        const b1 = this.genHostop6(addr, mask, 'dst');
        return this.genAnd(b0, b1);
      }
      default: {
        const b0 = this.genHostop6(addr, mask, 'src');
        const b1 = this.genHostop6(addr, mask, 'dst');
        return this.genOr(b0, b1);
      }
    }
    const w = (a: Uint8Array, i: number) =>
      ((a[4 * i]! << 24) | (a[4 * i + 1]! << 16) | (a[4 * i + 2]! << 8) | a[4 * i + 3]!) >>> 0;
    let b1 = this.genTrue();
    for (let i = 3; i >= 0; i--) {
      const b0 = this.genMcmp(OR.LINKPL, offset + 4 * i, BPF_W, w(addr, i), w(mask, i));
      b1 = this.genAnd(b0, b1);
    }
    return b1;
  }

  /** libpcap 1.10.3's refusal of a protocol qualifier on an IPv4 host/net (gen_host). */
  private hostProtoError(proto: string, typestr: string): never {
    const fixed = HOST_PROTO_ERRORS[proto];
    if (fixed !== undefined) this.err(fixed);
    if (proto === 'link') this.err(`link-layer modifier applied to ${typestr}`);
    this.err(`'${proto}' modifier applied to ${typestr}`);
  }

  /** libpcap 1.10.3's refusal of a protocol qualifier on an IPv6 host/net (gen_host6). */
  private host6ProtoError(proto: string, typestr: string): never {
    if (proto === 'link') this.err(`link-layer modifier applied to ip6 ${typestr}`);
    if (proto === 'atalk') this.err(`AppleTalk modifier applied to ip6 ${typestr}`);
    this.err(`'${proto}' modifier applied to ip6 ${typestr}`);
  }

  /** 802.11 direction qualifiers on a non-802.11 address or port (gen_hostop/gen_portop of 1.10.3). */
  private wlanDirError(dir: string, what: string): void {
    if (/^addr[1-4]$/.test(dir))
      this.err(`'${dir}' and 'address${dir.slice(4)}' are not valid qualifiers for ${what}`);
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is not a valid qualifier for ${what}`);
  }

  private genHost(
    addrs: number[],
    masks: number[],
    proto: string,
    dir: string,
    not: boolean,
    type: string,
  ): Block {
    const typestr = type === 'net' ? 'net' : 'host';
    let llproto: number;
    let srcOff: number;
    let dstOff: number;
    switch (proto) {
      case 'default': {
        let b0 = this.genHost(addrs, masks, 'ip', dir, not, type);
        if (this.labelStackDepth === 0) {
          let b1 = this.genHost(addrs, masks, 'arp', dir, not, type);
          b1 = this.genOr(b0, b1);
          b0 = this.genHost(addrs, masks, 'rarp', dir, not, type);
          b0 = this.genOr(b1, b0);
        }
        return b0;
      }
      case 'ip':
        llproto = ETHERTYPE_IP;
        srcOff = 12;
        dstOff = 16;
        break;
      case 'rarp':
        llproto = ETHERTYPE_REVARP;
        srcOff = 14;
        dstOff = 24;
        break;
      case 'arp':
        llproto = ETHERTYPE_ARP;
        srcOff = 14;
        dstOff = 24;
        break;
      case 'decnet':
        return this.genDnhostop(addrs[0]! & 0xffff, dir);
      default:
        this.hostProtoError(proto, typestr);
    }
    this.wlanDirError(dir, 'addresses other than 802.11 MAC addresses');
    const b0 = this.genLinktype(llproto);
    if (b0.meaning === IS_FALSE) return b0;
    let b1 = this.genFalse();
    for (let i = 0; i < addrs.length; i++)
      b1 = this.genOr(b1, this.genHostop(addrs[i]!, masks[i]!, dir, srcOff, dstOff));
    return this.genAnd(b0, not ? this.genNot(b1) : b1);
  }

  /** A DECnet Phase IV node address in a long or short data header (gen_dnhostop). */
  private genDnhostop(addr: number, dir: string): Block {
    this.wlanDirError(dir, 'addresses other than 802.11 MAC addresses');
    if (dir !== 'src' && dir !== 'dst') {
      const b0 = this.genDnhostop(addr, 'src');
      const b1 = this.genDnhostop(addr, 'dst');
      return dir === 'and' ? this.genAnd(b0, b1) : this.genOr(b0, b1);
    }
    const offsetSh = dir === 'dst' ? 1 : 3;
    const offsetLh = dir === 'dst' ? 7 : 15;
    // The address is little-endian on the wire: libpcap compares ntohs(addr) on a little-endian host.
    const a = ((addr & 0xff) << 8) | (addr >> 8);
    const b0 = this.genLinktype(ETHERTYPE_DN);
    let tmp = this.genMcmp(OR.LINKPL, 2, BPF_H, 0x8106, 0xff07);
    let b1 = this.genCmp(OR.LINKPL, 2 + 1 + offsetLh, BPF_H, a);
    b1 = this.genAnd(tmp, b1);
    tmp = this.genMcmp(OR.LINKPL, 2, BPF_B, 0x06, 0x7);
    let b2 = this.genCmp(OR.LINKPL, 2 + offsetLh, BPF_H, a);
    b2 = this.genAnd(tmp, b2);
    b1 = this.genOr(b2, b1);
    tmp = this.genMcmp(OR.LINKPL, 2, BPF_H, 0x8102, 0xff07);
    b2 = this.genCmp(OR.LINKPL, 2 + 1 + offsetSh, BPF_H, a);
    b2 = this.genAnd(tmp, b2);
    b1 = this.genOr(b2, b1);
    tmp = this.genMcmp(OR.LINKPL, 2, BPF_B, 0x02, 0x7);
    b2 = this.genCmp(OR.LINKPL, 2 + offsetSh, BPF_H, a);
    b2 = this.genAnd(tmp, b2);
    b1 = this.genOr(b2, b1);
    return this.genAnd(b0, b1);
  }

  private genHost6(
    addrs: Uint8Array[],
    masks: Uint8Array[],
    proto: string,
    dir: string,
    not: boolean,
    type: string,
  ): Block {
    if (proto !== 'default' && proto !== 'ip6') this.host6ProtoError(proto, type === 'net' ? 'net' : 'host');
    this.wlanDirError(dir, 'addresses other than 802.11 MAC addresses');
    const linkproto = this.genLinktype(ETHERTYPE_IPV6);
    let host = this.genFalse();
    for (let i = 0; i < addrs.length; i++)
      host = this.genOr(host, this.genHostop6(addrs[i]!, masks[i]!, dir));
    return this.genAnd(linkproto, not ? this.genNot(host) : host);
  }

  private genHost46Byname(name: string, proto: string, dir: string, not: boolean, type: string): Block {
    const ai = this.names.host(name);
    if (!ai) this.err(`unknown host '${name}'`);
    let proto4 = proto;
    let proto6 = proto;
    // libpcap 1.10.3: with no link-layer type field (raw IP), a plain name means IPv4 or IPv6 only.
    if (this.offLinktype.constantPart === OFFSET_NOT_SET && proto === 'default') {
      proto4 = 'ip';
      proto6 = 'ip6';
    }
    let ret: Block | null = null;
    if (proto4 !== 'ip6' && ai.v4.length > 0) {
      const addrs = [...ai.v4].sort((a, b) => a - b);
      ret = this.genHost(
        addrs,
        addrs.map(() => 0xffffffff),
        proto4,
        dir,
        not,
        type,
      );
    }
    if (proto6 !== 'ip' && ai.v6.length > 0) {
      const addrs = [...ai.v6].sort((a, b) => {
        for (let i = 0; i < 16; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
        return 0;
      });
      const m = new Uint8Array(16).fill(0xff);
      const h6 = this.genHost6(
        addrs,
        addrs.map(() => m),
        proto6,
        dir,
        not,
        type,
      );
      ret = ret ? this.genOr(ret, h6) : h6;
    }
    if (!ret) this.err(`unknown host '${name}'${proto === 'default' ? '' : ' for specified address family'}`);
    return ret;
  }

  private genMac48host(eaddr: Uint8Array, dir: string, keyword: string): Block {
    if (this.dlt !== DLT_EN10MB) this.failKwOnDlt(keyword);
    if (/^addr[1-4]$/.test(dir))
      this.err(`'${dir}' and 'address${dir.slice(4)}' are only supported on 802.11 with 802.11 headers`);
    if (dir === 'ra' || dir === 'ta') this.err(`'${dir}' is only supported on 802.11 with 802.11 headers`);
    const srcOff = 6;
    const dstOff = 0;
    switch (dir) {
      case 'src':
        return this.genBcmp(OR.LINKHDR, srcOff, 6, eaddr);
      case 'dst':
        return this.genBcmp(OR.LINKHDR, dstOff, 6, eaddr);
      case 'and': {
        const tmp = this.genBcmp(OR.LINKHDR, srcOff, 6, eaddr);
        const b0 = this.genBcmp(OR.LINKHDR, dstOff, 6, eaddr);
        return this.genAnd(tmp, b0);
      }
      default: {
        const tmp = this.genBcmp(OR.LINKHDR, srcOff, 6, eaddr);
        const b0 = this.genBcmp(OR.LINKHDR, dstOff, 6, eaddr);
        return this.genOr(tmp, b0);
      }
    }
  }

  // ---- protocols ----------------------------------------------------------------------------

  private ipProtoOf(pq: string): number {
    const v = IP_PROTOS[pq];
    if (v === undefined) this.err(`Proto qualifier '${pq}' has no IP protocol`);
    return v;
  }

  genProtoAbbrev(proto: string): Block {
    switch (proto) {
      case 'sctp':
      case 'tcp':
      case 'udp':
      case 'ah':
      case 'esp':
      case 'pim':
        return this.genProto(this.ipProtoOf(proto), 'default');
      case 'icmp':
      case 'igmp':
      case 'igrp':
      case 'vrrp':
      case 'carp':
        return this.genProto(this.ipProtoOf(proto), 'ip');
      case 'icmp6':
        return this.genProto(58, 'ip6');
      case 'ip':
      case 'arp':
      case 'rarp':
      case 'atalk':
      case 'aarp':
      case 'decnet':
      case 'sca':
      case 'lat':
      case 'mopdl':
      case 'moprc':
      case 'ip6':
        return this.genLinktype(ETHERTYPES[proto]!);
      case 'iso':
      case 'stp':
      case 'ipx':
      case 'netbeui':
        return this.genLinktype(LLCSAPS[proto]!);
      case 'esis':
      case 'isis':
      case 'clnp':
        return this.genProto(OSI_PROTOS[proto]!, 'iso');
      case 'l1':
      case 'l2':
      case 'iih':
      case 'lsp':
      case 'snp':
      case 'csnp':
      case 'psnp': {
        // IS-IS PDU types, ORed in libpcap 1.10.3's order.
        const types = ISIS_ABBREVS[proto]!;
        let b1 = this.genProto(types[0]!, 'isis');
        for (let i = 1; i < types.length; i++) {
          const b0 = this.genProto(types[i]!, 'isis');
          b1 = i === 1 ? this.genOr(b1, b0) : this.genOr(b0, b1);
        }
        return b1;
      }
    }
    this.err(`'${proto}' cannot be used as an abbreviation`);
  }

  private genIpProto(proto: number): Block {
    return this.genCmp(OR.LINKPL, 9, BPF_B, proto);
  }
  private genIp6Proto(proto: number): Block {
    return this.genCmp(OR.LINKPL, 6, BPF_B, proto);
  }
  private genIpfrag(): Block {
    const s = this.loadA(OR.LINKPL, 6, BPF_H);
    return this.genNot(this.genJmpK(BPF_JSET, 0x1fff, s));
  }

  private genPortatom(off: number, v: number): Block {
    return this.genCmp(OR.TRAN_IPV4, off, BPF_H, v);
  }
  private genPortatom6(off: number, v: number): Block {
    return this.genCmp(OR.TRAN_IPV6, off, BPF_H, v);
  }

  private genPortDir(atom: (off: number) => Block, dir: string, what: string): Block {
    this.wlanDirError(dir, what);
    switch (dir) {
      case 'src':
        return atom(0);
      case 'dst':
        return atom(2);
      case 'and': {
        const tmp = atom(0);
        const b1 = atom(2);
        return this.genAnd(tmp, b1);
      }
      default: {
        const tmp = atom(0);
        const b1 = atom(2);
        return this.genOr(tmp, b1);
      }
    }
  }

  private genPortCommon(proto: number, b1: Block): Block {
    let tmp: Block;
    if (proto === PROTO_UNDEF) {
      tmp = this.genIpProto(IPPROTO_SCTP);
      tmp = this.genOr(this.genIpProto(IPPROTO_UDP), tmp);
      tmp = this.genOr(this.genIpProto(IPPROTO_TCP), tmp);
    } else tmp = this.genIpProto(proto);
    let b0 = this.genIpfrag();
    b0 = this.genAnd(tmp, b0);
    b1 = this.genAnd(b0, b1);
    return this.genAnd(this.genLinktype(ETHERTYPE_IP), b1);
  }

  private genPort6Common(proto: number, b1: Block): Block {
    let tmp: Block;
    if (proto === PROTO_UNDEF) {
      tmp = this.genIp6Proto(IPPROTO_SCTP);
      tmp = this.genOr(this.genIp6Proto(IPPROTO_UDP), tmp);
      tmp = this.genOr(this.genIp6Proto(IPPROTO_TCP), tmp);
    } else tmp = this.genIp6Proto(proto);
    b1 = this.genAnd(tmp, b1);
    return this.genAnd(this.genLinktype(ETHERTYPE_IPV6), b1);
  }

  private genPort(port: number, proto: number, dir: string): Block {
    const b1 = this.genPortDir((off) => this.genPortatom(off, port), dir, 'ports');
    return this.genPortCommon(proto, b1);
  }
  private genPort6(port: number, proto: number, dir: string): Block {
    const b1 = this.genPortDir((off) => this.genPortatom6(off, port), dir, 'ports');
    return this.genPort6Common(proto, b1);
  }

  private genPortrangeatom(off: number, v1: number, v2: number, six: boolean): Block {
    if (v1 === v2) return six ? this.genPortatom6(off, v1) : this.genPortatom(off, v1);
    const rel = six ? OR.TRAN_IPV6 : OR.TRAN_IPV4;
    const b1 = this.genCmpGe(rel, off, BPF_H, Math.min(v1, v2));
    const b2 = this.genCmpLe(rel, off, BPF_H, Math.max(v1, v2));
    return this.genAnd(b1, b2);
  }
  private genPortrange(p1: number, p2: number, proto: number, dir: string): Block {
    const b1 = this.genPortDir((off) => this.genPortrangeatom(off, p1, p2, false), dir, 'port ranges');
    return this.genPortCommon(proto, b1);
  }
  private genPortrange6(p1: number, p2: number, proto: number, dir: string): Block {
    const b1 = this.genPortDir((off) => this.genPortrangeatom(off, p1, p2, true), dir, 'port ranges');
    return this.genPort6Common(proto, b1);
  }

  private portPqToIpproto(proto: string, kw: string): number {
    switch (proto) {
      case 'udp':
        return IPPROTO_UDP;
      case 'tcp':
        return IPPROTO_TCP;
      case 'sctp':
        return IPPROTO_SCTP;
      case 'default':
        return PROTO_UNDEF;
    }
    this.err(`illegal qualifier of '${kw}'`);
  }

  private lookupProto(name: string, q: Qual): number {
    let v = -1;
    switch (q.proto) {
      case 'default':
      case 'ip':
      case 'ip6':
        v = this.names.protocol(name);
        if (v < 0) this.err(`unknown ip proto '${name}'`);
        break;
      case 'link':
        v = EPROTO_DB[name] ?? LLCSAPS[name] ?? -1;
        if (v < 0) this.err(`unknown ether proto '${name}'`);
        break;
      case 'iso':
        v = OSI_PROTOS[name] ?? -1;
        if (v < 0) this.err(`unknown osi proto '${name}'`);
        break;
    }
    if (v < 0) this.err(`unknown protocol: ${name}`);
    return v;
  }

  /** libpcap 1.10.3's refusal of `PROTO proto N` for a qualifier that carries no protocol field. */
  private protoQualError(proto: string): never {
    const fixed = PROTO_QUAL_ERRORS[proto];
    if (fixed !== undefined) this.err(fixed);
    this.err(`'${proto} proto' is bogus`);
  }

  private genProto(v: number, proto: string, dir = 'default'): Block {
    if (dir !== 'default') this.err("direction applied to 'proto'");
    v >>>= 0;
    switch (proto) {
      case 'default': {
        const b0 = this.genProto(v, 'ip');
        const b1 = this.genProto(v, 'ip6');
        return this.genOr(b0, b1);
      }
      case 'link':
        return this.genLinktype(v);
      case 'ip': {
        const b0 = this.genLinktype(ETHERTYPE_IP);
        const b1 = this.genIpProto(v);
        return this.genAnd(b0, b1);
      }
      case 'ip6': {
        const b0 = this.genLinktype(ETHERTYPE_IPV6);
        let b2 = this.genIp6Proto(IPPROTO_FRAGMENT);
        let b1 = this.genCmp(OR.LINKPL, 40, BPF_B, v);
        b1 = this.genAnd(b2, b1);
        b2 = this.genIp6Proto(v);
        b1 = this.genOr(b2, b1);
        return this.genAnd(b0, b1);
      }
      case 'iso': {
        const b0 = this.genLinktype(LLCSAP_ISONS);
        const b1 = this.genCmp(OR.LINKPL_NOSNAP, 0, BPF_B, v);
        return this.genAnd(b0, b1);
      }
      case 'isis': {
        const b0 = this.genProto(ISO10589_ISIS, 'iso');
        const b1 = this.genCmp(OR.LINKPL_NOSNAP, 4, BPF_B, v);
        return this.genAnd(b0, b1);
      }
    }
    this.protoQualError(proto);
  }

  private genProtochain(v: number, proto: string): Block {
    // As libpcap: the register is taken before the 'default' split (and that one is never freed).
    const reg2 = this.allocReg();
    if (proto === 'default') {
      const b0 = this.genProtochain(v, 'ip');
      const b = this.genProtochain(v, 'ip6');
      return this.genOr(b0, b);
    }
    if (proto !== 'ip' && proto !== 'ip6') this.err("bad protocol applied for 'protochain'");
    v >>>= 0;
    if (this.offLinkpl.isVariable) this.err("'protochain' not supported with variable length headers");
    this.noOptimize = true;
    const s: Slist[] = [];
    const st = (code: number, k = 0): Slist => {
      const x = newStmt(code, k);
      s.push(x);
      return x;
    };
    st(0); // dummy
    const base = this.offLinkpl.constantPart + this.offNl;
    let b0: Block;
    if (proto === 'ip') {
      b0 = this.genLinktype(ETHERTYPE_IP);
      s.push(this.loadA(OR.LINKPL, 9, BPF_B));
      s.push(this.loadxIphdrlen());
    } else {
      b0 = this.genLinktype(ETHERTYPE_IPV6);
      s.push(this.loadA(OR.LINKPL, 6, BPF_B));
      st(BPF_LDX | BPF_IMM, 40);
    }
    const again = s.length;
    const fix5 = st(BPF_JMP | BPF_JEQ | BPF_K, v);
    const fix2 = st(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_NONE);
    fix5.s.jf = fix2;
    let fix3: Slist | null = null;
    if (proto === 'ip6') {
      const v6start = st(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_HOPOPTS);
      fix2.s.jf = v6start;
      const j2 = st(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_DSTOPTS);
      v6start.s.jf = j2;
      const j3 = st(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ROUTING);
      j2.s.jf = j3;
      const j4 = st(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_FRAGMENT);
      j3.s.jf = j4;
      fix3 = j4;
      const v6advance = st(BPF_LD | BPF_IND | BPF_B, base);
      st(BPF_ST, reg2);
      st(BPF_LD | BPF_IND | BPF_B, base + 1);
      st(BPF_ALU | BPF_ADD | BPF_K, 1);
      st(BPF_ALU | BPF_MUL | BPF_K, 8);
      st(BPF_ALU | BPF_ADD | BPF_X, 0);
      st(BPF_MISC | BPF_TAX);
      const ldm = st(BPF_LD | BPF_MEM, reg2);
      const i = s.length;
      const ja = st(BPF_JMP | BPF_JA, (again - i - 1) >>> 0);
      ldm.s.jf = ja;
      for (const j of [v6start, j2, j3, j4]) j.s.jt = v6advance;
    } else {
      const add0 = st(BPF_ALU | BPF_ADD | BPF_K, 0);
      fix2.s.jf = add0;
    }
    const ahcheck = st(BPF_JMP | BPF_JEQ | BPF_K, 51); // IPPROTO_AH
    if (fix3) fix3.s.jf = ahcheck;
    const fix4 = ahcheck;
    const l1 = st(BPF_LD | BPF_IND | BPF_B, base);
    fix4.s.jt = l1;
    const st1 = st(BPF_ST, reg2);
    const txa = st(BPF_MISC | BPF_TXA);
    st1.s.jt = txa;
    st(BPF_ALU | BPF_ADD | BPF_K, 1);
    st(BPF_MISC | BPF_TAX);
    st(BPF_LD | BPF_IND | BPF_B, base);
    st(BPF_ALU | BPF_ADD | BPF_K, 2);
    st(BPF_ALU | BPF_MUL | BPF_K, 4);
    st(BPF_MISC | BPF_TAX);
    st(BPF_LD | BPF_MEM, reg2);
    const i2 = s.length;
    st(BPF_JMP | BPF_JA, (again - i2 - 1) >>> 0);
    const end = st(BPF_ALU | BPF_ADD | BPF_K, 0);
    fix2.s.jt = end;
    fix4.s.jf = end;
    fix5.s.jt = end;
    // Flatten: s[1] and s[2] may themselves be lists (loads with an index part).
    const flat: Slist[] = [];
    for (let i = 1; i < s.length; i++) {
      let x: Slist | null = s[i]!;
      // Each element here is a single statement except the loads, which can be short lists.
      while (x) {
        flat.push(x);
        x = x.next;
      }
    }
    for (let i = 0; i < flat.length - 1; i++) flat[i]!.next = flat[i + 1]!;
    flat[flat.length - 1]!.next = null;
    const b = this.genJmpK(BPF_JEQ, v, flat[0]!);
    this.freeReg(reg2);
    return this.genAnd(b0, b);
  }

  // ---- primitives with an ID -----------------------------------------------------------------

  /**
   * libpcap 1.10.3's pcap_nametoport: a service name of /etc/services (tcp and udp), or a number
   * as getaddrinfo() takes it (decimal, kept to 16 bits); null when neither.
   */
  private nameToPort(str: string): { port: number; proto: number } | null {
    if (/^[0-9]+$/.test(str)) return { port: Number(str) % 65536, proto: PROTO_UNDEF };
    const tcp = this.names.service(str, 'tcp');
    const udp = this.names.service(str, 'udp');
    if (tcp >= 0) return { port: tcp, proto: udp === tcp ? PROTO_UNDEF : IPPROTO_TCP };
    if (udp >= 0) return { port: udp, proto: IPPROTO_UDP };
    return null;
  }

  /** libpcap 1.10.3's pcap_nametoportrange: "N-M" as sscanf("%d-%d") reads it, else NAME-NAME. */
  private nameToPortrange(name: string): { p1: number; p2: number; proto: number } | null {
    const m = /^\s*([+-]?[0-9]+)-\s*([+-]?[0-9]+)/.exec(name);
    if (m) return { p1: clampInt(m[1]!), p2: clampInt(m[2]!), proto: PROTO_UNDEF };
    const hy = name.indexOf('-');
    if (hy < 0) return null;
    const a = this.nameToPort(name.slice(0, hy));
    if (!a) return null;
    const b = this.nameToPort(name.slice(hy + 1));
    if (!b) return null;
    return { p1: a.port, p2: b.port, proto: a.proto !== b.proto ? PROTO_UNDEF : b.proto };
  }

  /** The transport a port qualifier asks for, checked against what the name is (gen_scode). */
  private portRealProto(proto: string, realProto: number, what: string): number {
    const named = (p: number) => (p === IPPROTO_TCP ? 'tcp' : p === IPPROTO_UDP ? 'udp' : 'sctp');
    const want =
      proto === 'udp' ? IPPROTO_UDP : proto === 'tcp' ? IPPROTO_TCP : proto === 'sctp' ? IPPROTO_SCTP : -2;
    if (want === -2) return realProto;
    if (realProto !== PROTO_UNDEF && realProto !== want) this.err(`${what} is ${named(realProto)}`);
    return want;
  }

  private checkPortNumber(port: number): void {
    if (port < 0) this.err(`illegal port number ${port} < 0`);
    if (port > 65535) this.err(`illegal port number ${port} > 65535`);
  }

  private genScode(name: string, q: Qual): Block {
    const proto = q.proto;
    switch (q.addr) {
      case 'net': {
        let addr = this.names.network(name);
        if (addr === 0) this.err(`unknown network '${name}'`);
        let mask = 0xffffffff;
        while (addr && (addr & 0xff000000) === 0) {
          addr = (addr << 8) >>> 0;
          mask = (mask << 8) >>> 0;
        }
        return this.genHost([addr], [mask], proto, q.dir, false, q.addr);
      }
      case 'default':
      case 'host':
        if (proto === 'link') {
          if (this.dlt !== DLT_EN10MB)
            this.err(
              'only ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel supports link-level host name',
            );
          const e = this.names.ether(name);
          if (!e) this.err(`unknown ether host '${name}'`);
          return this.genMac48host(e, q.dir, 'link host NAME');
        }
        if (proto === 'decnet')
          this.err(`decnet name support not included, '${name}' cannot be translated\n`);
        return this.genHost46Byname(name, proto, q.dir, false, q.addr);
      case 'port': {
        if (proto !== 'default' && proto !== 'udp' && proto !== 'tcp' && proto !== 'sctp')
          this.err("illegal qualifier of 'port'");
        const r = this.nameToPort(name);
        if (!r) this.err(`unknown port '${name}'`);
        const realProto = this.portRealProto(proto, r.proto, `port '${name}'`);
        this.checkPortNumber(r.port);
        const b = this.genPort(r.port, realProto, q.dir);
        const b6 = this.genPort6(r.port, realProto, q.dir);
        return this.genOr(b6, b);
      }
      case 'portrange': {
        if (proto !== 'default' && proto !== 'udp' && proto !== 'tcp' && proto !== 'sctp')
          this.err("illegal qualifier of 'portrange'");
        const r = this.nameToPortrange(name);
        if (!r) this.err(`unknown port in range '${name}'`);
        const realProto = this.portRealProto(proto, r.proto, `port in range '${name}'`);
        this.checkPortNumber(r.p1);
        this.checkPortNumber(r.p2);
        const b = this.genPortrange(r.p1, r.p2, realProto, q.dir);
        const b6 = this.genPortrange6(r.p1, r.p2, realProto, q.dir);
        return this.genOr(b6, b);
      }
      case 'gateway':
        // Debian's libpcap 1.10.3 is built with IPv6, where 'gateway' is not available.
        return this.err("'gateway' not supported in this configuration");
      case 'proto':
        return this.genProto(this.lookupProto(name, q), proto, q.dir);
      case 'protochain':
        return this.genProtochain(this.lookupProto(name, q), proto);
    }
    this.err('syntax error in filter expression');
  }

  private genMcode(s1: string, s2: string | null, masklen: number, q: Qual): Block {
    const a = atoin(s1);
    if (a === null) this.err(`invalid IPv4 address '${s1}'`);
    // C's n <<= 32 - nlen: a shift by 32 leaves the value unchanged on x86.
    const n = a.len === 0 ? a.v : (a.v << (32 - a.len)) >>> 0;
    let m: number;
    if (s2 !== null) {
      const b = atoin(s2);
      if (b === null) this.err(`invalid IPv4 address '${s2}'`);
      m = b.len === 0 ? b.v : (b.v << (32 - b.len)) >>> 0;
      if ((n & ~m) >>> 0 !== 0) this.err(`non-network bits set in "${s1} mask ${s2}"`);
    } else {
      if (masklen >>> 0 > 32) this.err('mask length must be <= 32');
      m = masklen === 0 ? 0 : (0xffffffff << (32 - masklen)) >>> 0;
      if ((n & ~m) >>> 0 !== 0) this.err(`non-network bits set in "${s1}/${masklen}"`);
    }
    if (q.addr === 'net') return this.genHost([n], [m], q.proto, q.dir, false, q.addr);
    this.err('Mask syntax for networks only');
  }

  private genNcode(s: string | null, v: number, q: Qual): Block {
    const proto = q.proto;
    let vlen: number;
    if (s === null) vlen = 32;
    else if (proto === 'decnet') {
      // __pcap_atodn: "AREA.NODE" as sscanf("%d.%d") reads it.
      const m = /^\s*([+-]?[0-9]+)\.\s*([+-]?[0-9]+)/.exec(s);
      if (!m) this.err(`malformed decnet address '${s}'`);
      v = ((clampInt(m[1]!) << 10) & 0o176000) | (clampInt(m[2]!) & 0o1777);
      vlen = 32;
    } else {
      const a = atoin(s);
      if (a === null) this.err(`invalid IPv4 address '${s}'`);
      v = a.v;
      vlen = a.len;
    }
    switch (q.addr) {
      case 'default':
      case 'host':
      case 'net': {
        if (proto === 'decnet') return this.genDnhostop(v & 0xffff, q.dir);
        if (proto === 'link') this.err('illegal link layer address');
        let mask = 0xffffffff;
        if (s === null && q.addr === 'net') {
          while (v && (v & 0xff000000) === 0) {
            v = (v << 8) >>> 0;
            mask = (mask << 8) >>> 0;
          }
        } else if (vlen !== 32) {
          v = vlen === 0 ? v : (v << (32 - vlen)) >>> 0;
          mask = vlen === 0 ? mask : (mask << (32 - vlen)) >>> 0;
        }
        return this.genHost([v >>> 0], [mask], proto, q.dir, false, q.addr);
      }
      case 'portrange':
      case 'port': {
        const p = this.portPqToIpproto(proto, q.addr);
        if (v >>> 0 > 65535) this.err(`illegal port number ${v >>> 0} > 65535`);
        if (q.addr === 'port') {
          const b = this.genPort(v, p, q.dir);
          const b6 = this.genPort6(v, p, q.dir);
          return this.genOr(b6, b);
        }
        const b = this.genPortrange(v, v, p, q.dir);
        const b6 = this.genPortrange6(v, v, p, q.dir);
        return this.genOr(b6, b);
      }
      case 'gateway':
        return this.err("'gateway' requires a name");
      case 'proto':
        return this.genProto(v, proto, q.dir);
      case 'protochain':
        return this.genProtochain(v, proto);
    }
    this.err('syntax error in filter expression');
  }

  private genMcode6(s: string, masklen: number, q: Qual): Block {
    const addr = parseIpv6(s);
    if (!addr) this.err(`invalid ip6 address ${s}`);
    if (masklen >>> 0 > 128) this.err('mask length must be <= 128');
    const mask = new Uint8Array(16);
    mask.fill(0xff, 0, masklen >> 3);
    if (masklen % 8) mask[masklen >> 3] = (0xff << (8 - (masklen % 8))) & 0xff;
    for (let i = 0; i < 16; i++)
      if (addr[i]! & ~mask[i]!) this.err(`non-network bits set in "${s}/${masklen}"`);
    switch (q.addr) {
      case 'default':
      case 'host':
        if (masklen !== 128) this.err('Mask syntax for networks only');
        return this.genHost6([addr], [mask], q.proto, q.dir, false, q.addr);
      case 'net':
        return this.genHost6([addr], [mask], q.proto, q.dir, false, q.addr);
      default:
        this.err('invalid qualifier against IPv6 address');
    }
  }

  private genEcode(s: string, q: Qual): Block {
    const context = 'link host XX:XX:XX:XX:XX:XX';
    if (!((q.addr === 'host' || q.addr === 'default') && q.proto === 'link'))
      this.err('ethernet address used in non-ether expression');
    if (this.dlt !== DLT_EN10MB)
      this.err('ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel');
    const e = atomac48(s);
    if (!e) this.err(`invalid MAC-48 address '${s}'`);
    return this.genMac48host(e, q.dir, context);
  }

  // ---- arithmetic -----------------------------------------------------------------------------

  private loadi(val: number): ArthVal {
    const reg = this.allocReg();
    const s = newStmt(BPF_LD | BPF_IMM, val >>> 0);
    s.next = newStmt(BPF_ST, reg);
    return { s, regno: reg, b: null };
  }

  private loadlen(): ArthVal {
    const reg = this.allocReg();
    const s = newStmt(BPF_LD | BPF_LEN);
    s.next = newStmt(BPF_ST, reg);
    return { s, regno: reg, b: null };
  }

  private xferToX(a: ArthVal): Slist {
    return newStmt(BPF_LDX | BPF_MEM, a.regno);
  }
  private xferToA(a: ArthVal): Slist {
    return newStmt(BPF_LD | BPF_MEM, a.regno);
  }

  private genLoad(proto: string, inst: ArthVal, size: number): ArthVal {
    const regno = this.allocReg();
    this.freeReg(inst.regno);
    let sizeCode: number;
    if (size === 1) sizeCode = BPF_B;
    else if (size === 2) sizeCode = BPF_H;
    else if (size === 4) sizeCode = BPF_W;
    else this.err('data size must be 1, 2, or 4');
    let b: Block | null = null;
    let s: Slist | null = null;
    let constpart = 0;
    switch (proto) {
      case 'link':
        s = this.absOffsetVarpart(this.offLinkhdr);
        constpart = this.offLinkhdr.constantPart;
        break;
      case 'ip':
      case 'arp':
      case 'rarp':
      case 'atalk':
      case 'decnet':
      case 'sca':
      case 'lat':
      case 'moprc':
      case 'mopdl':
      case 'ip6':
        s = this.absOffsetVarpart(this.offLinkpl);
        constpart = this.offLinkpl.constantPart + this.offNl;
        b = this.genProtoAbbrev(proto);
        break;
      case 'sctp':
      case 'tcp':
      case 'udp':
      case 'icmp':
      case 'igmp':
      case 'igrp':
      case 'pim':
      case 'vrrp':
      case 'carp':
        s = this.loadxIphdrlen();
        constpart = this.offLinkpl.constantPart + this.offNl;
        b = this.genProtoAbbrev('ip');
        b = this.genAnd(b, this.genIpProto(this.ipProtoOf(proto)));
        b = this.genAnd(b, this.genIpfrag());
        break;
      case 'icmp6':
        b = this.genProtoAbbrev('ip6');
        b = this.genAnd(b, this.genIp6Proto(58));
        s = this.absOffsetVarpart(this.offLinkpl);
        constpart = this.offLinkpl.constantPart + this.offNl + 40;
        break;
      case 'radio':
        this.err('radio information not present in capture');
        break;
      default:
        this.err(`'${proto}' does not support the index operation`);
    }
    if (b) inst.b = inst.b ? this.genAnd(inst.b, b) : b;
    // Offset = variable part (in X) + constant part + index expression.
    if (!s) s = this.xferToX(inst);
    else {
      sappend(s, this.xferToA(inst));
      sappend(s, newStmt(BPF_ALU | BPF_ADD | BPF_X));
      sappend(s, newStmt(BPF_MISC | BPF_TAX));
    }
    sappend(inst.s, this.loadAbsoffsetrel(s, constpart, sizeCode));
    inst.regno = regno;
    sappend(inst.s, newStmt(BPF_ST, regno));
    return inst;
  }

  private genArth(code: number, a0: ArthVal, a1: ArthVal): ArthVal {
    const c = a1.s.s;
    if (code === BPF_DIV && c.code === (BPF_LD | BPF_IMM) && c.k === 0) this.err('division by zero');
    if (code === BPF_MOD && c.code === (BPF_LD | BPF_IMM) && c.k === 0) this.err('modulus by zero');
    if ((code === BPF_LSH || code === BPF_RSH) && c.code === (BPF_LD | BPF_IMM) && c.k >>> 0 > 31)
      this.err('shift by more than 31 bits');
    const s0 = this.xferToX(a1);
    const s1 = this.xferToA(a0);
    const s2 = newStmt(BPF_ALU | BPF_X | code);
    sappend(s1, s2);
    sappend(s0, s1);
    sappend(a1.s, s0);
    sappend(a0.s, a1.s);
    this.freeReg(a0.regno);
    this.freeReg(a1.regno);
    const st = newStmt(BPF_ST);
    a0.regno = st.s.k = this.allocReg();
    sappend(a0.s, st);
    // As libpcap: only a0's protocol checks survive (a1.b is dropped).
    return a0;
  }

  private genNeg(a: ArthVal): ArthVal {
    sappend(a.s, this.xferToA(a));
    sappend(a.s, newStmt(BPF_ALU | BPF_NEG));
    sappend(a.s, newStmt(BPF_ST, a.regno));
    return a;
  }

  private arth(a: Arth): ArthVal {
    switch (a.t) {
      case 'num':
        return this.loadi(a.v);
      case 'len':
        return this.loadlen();
      case 'load':
        return this.genLoad(a.proto, this.arth(a.idx), a.size);
      case 'neg':
        return this.genNeg(this.arth(a.e));
      case 'bin': {
        const l = this.arth(a.l);
        const r = this.arth(a.r);
        return this.genArth(a.op, l, r);
      }
    }
  }

  private genRelation(code: number, a0: ArthVal, a1: ArthVal, reversed: boolean): Block {
    const s0 = this.xferToX(a1);
    const s1 = this.xferToA(a0);
    sappend(s0, s1);
    sappend(a1.s, s0);
    sappend(a0.s, a1.s);
    let b = this.genJmpX(code, a0.s);
    if (reversed) this.genNot(b);
    this.freeReg(a0.regno);
    this.freeReg(a1.regno);
    if (a0.b) b = this.genAnd(a0.b, b);
    if (a1.b) b = this.genAnd(a1.b, b);
    return b;
  }

  // ---- other primitives -------------------------------------------------------------------------

  private genLen(jmp: number, n: number): Block {
    return this.genJmpK(jmp, n, newStmt(BPF_LD | BPF_LEN));
  }

  private genByteop(op: string, idx: number, val: number): Block {
    this.assertMaxval('byte argument', val, 255);
    switch (op) {
      case '=':
        return this.genCmp(OR.LINKHDR, idx, BPF_B, val);
      case '<':
        return this.genCmpLt(OR.LINKHDR, idx, BPF_B, val);
      case '>':
        return this.genCmpGt(OR.LINKHDR, idx, BPF_B, val);
    }
    const s = newStmt(BPF_ALU | (op === '|' ? BPF_OR : BPF_AND) | BPF_K, val);
    const s0 = this.loadA(OR.LINKHDR, idx, BPF_B);
    sappend(s0, s);
    return this.genNot(this.genJmpK(BPF_JEQ, 0, s0));
  }

  private genBroadcast(proto: string): Block {
    switch (proto) {
      case 'default':
      case 'link':
        if (this.dlt !== DLT_EN10MB) this.err('not a broadcast link');
        return this.genMac48host(new Uint8Array(6).fill(0xff), 'dst', 'broadcast');
      case 'ip': {
        if (this.netmask === undefined) this.err("netmask not known, so 'ip broadcast' not supported");
        const b0 = this.genLinktype(ETHERTYPE_IP);
        const hostmask = ~this.netmask >>> 0;
        const b1 = this.genMcmp(OR.LINKPL, 16, BPF_W, 0, hostmask);
        const b2 = this.genMcmp(OR.LINKPL, 16, BPF_W, hostmask, hostmask);
        return this.genAnd(b0, this.genOr(b1, b2));
      }
    }
    this.err('only link-layer/IP broadcast filters supported');
  }

  private genMulticast(proto: string): Block {
    switch (proto) {
      case 'default':
      case 'link':
        if (this.dlt === DLT_EN10MB) return this.genJmpK(BPF_JSET, 1, this.loadA(OR.LINKHDR, 0, BPF_B));
        break;
      case 'ip': {
        const b0 = this.genLinktype(ETHERTYPE_IP);
        // libpcap 1.10 (tcpdump 4.99.3) tests `ip[16] >= 224`: class E and 255.255.255.255 count as
        // multicast. Later libpcap masks the class D bits instead; packets are selected as 1.10 does.
        const b1 = this.genCmpGe(OR.LINKPL, 16, BPF_B, 224);
        return this.genAnd(b0, b1);
      }
      case 'ip6': {
        const b0 = this.genLinktype(ETHERTYPE_IPV6);
        const b1 = this.genCmp(OR.LINKPL, 24, BPF_B, 255);
        return this.genAnd(b0, b1);
      }
    }
    this.err(
      'link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel',
    );
  }

  private genInboundOutbound(outbound: boolean): Block {
    switch (this.dlt) {
      case DLT_LINUX_SLL: {
        const b0 = this.genCmp(OR.LINKHDR, 0, BPF_H, LINUX_SLL_OUTGOING);
        return outbound ? b0 : this.genNot(b0);
      }
      case DLT_LINUX_SLL2: {
        const b0 = this.genCmp(OR.LINKHDR, 10, BPF_B, LINUX_SLL_OUTGOING);
        return outbound ? b0 : this.genNot(b0);
      }
    }
    this.requireLinuxExtensions('inbound/outbound');
    // SKF_AD_PKTTYPE == PACKET_OUTGOING
    const b0 = this.genCmp(OR.LINKHDR, SKF_AD_OFF + 4, BPF_H, 4);
    return outbound ? b0 : this.genNot(b0);
  }

  private genIfindex(ifindex: number): Block {
    if (this.dlt === DLT_LINUX_SLL2) return this.genCmp(OR.LINKHDR, 4, BPF_W, ifindex);
    this.requireLinuxExtensions('ifindex');
    return this.genCmp(OR.LINKHDR, SKF_AD_OFF + 8, BPF_W, ifindex);
  }

  private requireLinuxExtensions(keyword: string): void {
    if (!this.linuxExt) this.err(`${keyword} not supported on ${dltName(this.dlt)} when reading savefiles`);
  }

  private genVlanTpidTest(): Block {
    let b0 = this.genLinktype(ETHERTYPE_8021Q);
    let b1 = this.genLinktype(ETHERTYPE_8021AD);
    b0 = this.genOr(b0, b1);
    b1 = this.genLinktype(ETHERTYPE_8021QINQ);
    return this.genOr(b0, b1);
  }

  private genVlanVidTest(vlanNum: number): Block {
    this.assertMaxval('VLAN tag', vlanNum, 0x0fff);
    return this.genMcmp(OR.LINKPL, 0, BPF_H, vlanNum, 0x0fff);
  }

  private genVlanNoBpfExtensions(vlanNum: number, hasTag: boolean): Block {
    let b0 = this.genVlanTpidTest();
    if (hasTag) b0 = this.genAnd(b0, this.genVlanVidTest(vlanNum));
    this.offLinkpl.constantPart += 4;
    this.offLinktype.constantPart += 4;
    return b0;
  }

  /** Adds v to a (now variable) offset kept in a scratch register. */
  private vlanVloffsetAdd(off: AbsOffset, v: number, s: Slist): void {
    off.isVariable = true;
    if (off.reg === -1) off.reg = this.allocReg();
    sappend(s, newStmt(BPF_LD | BPF_MEM, off.reg));
    sappend(s, newStmt(BPF_ALU | BPF_ADD | BPF_K, v));
    sappend(s, newStmt(BPF_ST, off.reg));
  }

  /** The kernel strips the outer tag: when [vlanp] says so, later offsets do not move. */
  private genVlanBpfExtensions(vlanNum: number, hasTag: boolean): Block {
    let b0 = this.genJmpK(BPF_JEQ, 1, newStmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + 48));
    const bTpid = this.genVlanTpidTest();
    const bVid = hasTag ? this.genVlanVidTest(vlanNum) : null;
    // Patch the TPID test: taking it means the tag is in the packet, so offsets grow by 4.
    const head = newStmt(0);
    this.isVlanVloffset = true;
    this.vlanVloffsetAdd(this.offLinkpl, 4, head);
    this.vlanVloffsetAdd(this.offLinktype, 4, head);
    this.sprependToBlock(head.next, bTpid.head);
    b0 = this.genOr(b0, bTpid);
    if (bVid) {
      // Patch the VID test: take the tag from [vlan_tci] when the kernel stripped it.
      const s = newStmt(BPF_LD | BPF_B | BPF_ABS, SKF_AD_OFF + 48);
      const sjeq = newStmt(BPF_JMP | BPF_JEQ | BPF_K, 1);
      sjeq.s.jf = bVid.stmts;
      sappend(s, sjeq);
      const s2 = newStmt(BPF_LD | BPF_H | BPF_ABS, SKF_AD_OFF + 44);
      sappend(s, s2);
      sjeq.s.jt = s2;
      let cnt = 0;
      for (let x = bVid.stmts; x; x = x.next) cnt++;
      sappend(s, newStmt(BPF_JMP | BPF_JA, cnt - 1));
      this.sprependToBlock(s, bVid);
      b0 = this.genAnd(b0, bVid);
    }
    return b0;
  }

  private genVlan(vlanNum: number, hasTag: boolean): Block {
    if (this.labelStackDepth > 0) this.err('no VLAN match after MPLS');
    if (this.dlt !== DLT_EN10MB) this.err(`no VLAN support for ${dltName(this.dlt)}`);
    const b0 =
      this.linuxExt &&
      this.vlanStackDepth === 0 &&
      !this.offLinkhdr.isVariable &&
      this.offLinkhdr.constantPart === this.offPrevlinkhdr.constantPart
        ? this.genVlanBpfExtensions(vlanNum, hasTag)
        : this.genVlanNoBpfExtensions(vlanNum, hasTag);
    this.vlanStackDepth++;
    return b0;
  }

  private genMpls(label: number, hasLabel: boolean): Block {
    let b0: Block;
    if (this.labelStackDepth > 0) b0 = this.genNot(this.genJustAfterMplsStack());
    else if (this.dlt === DLT_EN10MB) b0 = this.genLinktype(ETHERTYPE_MPLS);
    else this.err(`no MPLS support for ${dltName(this.dlt)}`);
    if (hasLabel) {
      this.assertMaxval('MPLS label', label, 0xfffff);
      const b1 = this.genMcmp(OR.LINKPL, 0, BPF_W, (label << 12) >>> 0, (0xfffff << 12) >>> 0);
      b0 = this.genAnd(b0, b1);
    }
    this.offNlNosnap += 4;
    this.offNl += 4;
    this.labelStackDepth++;
    return b0;
  }

  /** `llc [TYPE]` on Ethernet: an 802.3 length field and no Novell raw 802.3 header (gen_llc*). */
  private genLlc(arg: string | null): Block {
    const llc = (): Block => {
      const b0 = this.genCmpLe(OR.LINKTYPE, 0, BPF_H, ETHERMTU);
      const b1 = this.genNot(this.genCmp(OR.LLC, 0, BPF_H, 0xffff));
      return this.genAnd(b0, b1);
    };
    if (arg === null) return llc();
    const t = arg.toLowerCase();
    const b0 = llc();
    let b1: Block;
    if (t === 'i') b1 = this.genNot(this.genJmpK(BPF_JSET, 0x01, this.loadA(OR.LLC, 2, BPF_B)));
    else if (t === 's') b1 = this.genMcmp(OR.LLC, 2, BPF_B, 1, 0x03);
    else if (t === 'u') b1 = this.genMcmp(OR.LLC, 2, BPF_B, 3, 0x03);
    else if (LLC_S_SUBTYPES[t] !== undefined) b1 = this.genMcmp(OR.LLC, 2, BPF_B, LLC_S_SUBTYPES[t], 0x0f);
    else if (LLC_U_SUBTYPES[t] !== undefined) b1 = this.genMcmp(OR.LLC, 2, BPF_B, LLC_U_SUBTYPES[t], 0xef);
    else this.err(`unknown LLC type name "${arg}"`);
    return this.genAnd(b0, b1);
  }

  private insertComputeVloffsets(b: Block): void {
    let s: Slist | null = null;
    if (this.isVlanVloffset) {
      if (this.offLinkpl.reg === -1) this.offLinkpl.reg = this.allocReg();
      if (this.offLinktype.reg === -1) this.offLinktype.reg = this.allocReg();
      s = newStmt(BPF_LD | BPF_W | BPF_IMM, 0);
      sappend(s, newStmt(BPF_ST, this.offLinkpl.reg));
      sappend(s, newStmt(BPF_ST, this.offLinktype.reg));
    }
    this.sprependToBlock(s, b);
  }

  // ---- the tree walk ------------------------------------------------------------------------------

  gen(n: Node): Block {
    switch (n.t) {
      case 'and': {
        const l = this.gen(n.l);
        const r = this.gen(n.r);
        return this.genAnd(l, r);
      }
      case 'or': {
        const l = this.gen(n.l);
        const r = this.gen(n.r);
        return this.genOr(l, r);
      }
      case 'not':
        return this.genNot(this.gen(n.e));
      case 'pnum':
        return this.genNcode(null, n.v, n.q);
      case 'nid':
        return this.genNid(n);
      case 'abbrev':
        return this.genProtoAbbrev(n.proto);
      case 'rel': {
        const a0 = this.arth(n.a0);
        const a1 = this.arth(n.a1);
        return this.genRelation(n.code, a0, a1, n.reversed);
      }
      case 'broadcast':
        return this.genBroadcast(n.proto);
      case 'multicast':
        return this.genMulticast(n.proto);
      case 'less':
        return this.genNot(this.genLen(BPF_JGT, n.n));
      case 'greater':
        return this.genLen(BPF_JGE, n.n);
      case 'byte':
        return this.genByteop(n.op, n.idx, n.val);
      case 'inbound':
        return this.genInboundOutbound(false);
      case 'outbound':
        return this.genInboundOutbound(true);
      case 'ifindex':
        return this.genIfindex(n.n);
      case 'vlan':
        return this.genVlan(n.n ?? 0, n.n !== null);
      case 'mpls':
        return this.genMpls(n.n ?? 0, n.n !== null);
      case 'pppoed':
        return this.genLinktype(ETHERTYPE_PPPOED);
      case 'pppoes':
        if (n.n === null) return this.genLinktype(ETHERTYPE_PPPOES);
        if (n.n >>> 0 > 0xffff) this.err(`PPPoE session number ${n.n >>> 0} greater than maximum 65535`);
        return this.err("'pppoes' with a session number is not supported by this implementation");
      case 'geneve':
        if (n.n !== null && n.n >>> 0 > 0xffffff)
          this.err(`Geneve VNI ${n.n >>> 0} greater than maximum 16777215`);
        return this.err(`'${n.t}' is not supported by this implementation`);
      case 'vxlan':
        return this.err(`'${n.t}' is not supported by this implementation`);
      case 'unsupported':
        if (n.what === 'llc' && this.dlt === DLT_EN10MB) return this.genLlc(n.arg);
        return this.err(unsupportedMessage(n.what, n.arg, this.dlt));
    }
    this.err('syntax error in filter expression');
  }

  private genNid(n: Extract<Node, { t: 'nid' }>): Block {
    const q = n.q;
    switch (n.kind) {
      case 'ID':
        return this.genScode(n.s, q);
      case 'HIDLEN':
        return this.genMcode(n.s, null, n.len, q);
      case 'HIDMASK':
        return this.genMcode(n.s, n.s2, 0, q);
      case 'HID':
        // libpcap 1.10.3's grammar refuses these before gen_ncode sees the address.
        for (const a of ['port', 'portrange', 'proto', 'protochain'])
          if (q.addr === a) this.err(`'${a}' modifier applied to ip host`);
        return this.genNcode(n.s, 0, q);
      case 'HID6LEN':
        return this.genMcode6(n.s, n.len, q);
      case 'HID6':
        return this.genMcode6(n.s, 128, q);
      case 'EID':
        return this.genEcode(n.s, q);
      case 'AID':
        // None of our link types is ARCnet.
        this.err('aid supported only on ARCnet');
    }
  }
}

const PF_REASONS = new Set(
  'match bad-offset fragment short normalize memory bad-timestamp congestion ip-option proto-cksum state-mismatch state-insert state-limit src-limit synproxy'.split(
    ' ',
  ),
);
const PF_ACTIONS = new Set(
  'pass accept drop block scrub noscrub nat nonat binat nobinat rdr nordr synproxy-drop'.split(' '),
);
const WLAN_TYPES = new Set(['data', 'mgt', 'management', 'ctl', 'control']);
const WLAN_SUBTYPES = new Set(
  (
    'assocreq assoc-req assocresp assoc-resp reassocreq reassoc-req reassocresp reassoc-resp probereq probe-req ' +
    'proberesp probe-resp beacon atim disassoc disassociation auth authentication deauth deauthentication ' +
    'ps-poll rts cts ack cf-end cf-end-ack data data-cf-ack data-cf-poll data-cf-ack-poll null cf-ack cf-poll ' +
    'cf-ack-poll qos-data qos-data-cf-ack qos-data-cf-poll qos-data-cf-ack-poll qos qos-cf-poll qos-cf-ack-poll'
  ).split(' '),
);
const LLC_S_SUBTYPES = nameTable<number>({ rr: 0x01, rnr: 0x05, rej: 0x09 });
const LLC_U_SUBTYPES = nameTable<number>({
  ui: 0x03,
  ua: 0x63,
  disc: 0x43,
  dm: 0x0f,
  sabme: 0x6f,
  test: 0xe3,
  xid: 0xaf,
  frmr: 0x87,
});
const LLC_TYPES = new Set(['i', 's', 'u', ...Object.keys(LLC_S_SUBTYPES), ...Object.keys(LLC_U_SUBTYPES)]);

/**
 * libpcap 1.10.3's message for a keyword of a link type we do not compile for (PF, 802.11, ATM,
 * MTP2/3) or for `llc` off 802.x, with the grammar's name checks on its argument first.
 */
function unsupportedMessage(what: string, arg: string | null, dlt: number): string {
  switch (what) {
    case 'ifname':
      return 'ifname supported only on PF linktype';
    case 'rset':
      return 'ruleset supported only on PF linktype';
    case 'rnr':
    case 'srnr':
      return `${what} supported only on PF linktype`;
    case 'reason':
      if (arg !== null && !PF_REASONS.has(arg)) return `unknown PF reason "${arg}"`;
      return 'reason supported only on PF linktype';
    case 'action':
      if (arg !== null && !PF_ACTIONS.has(arg)) return `unknown PF action "${arg}"`;
      return 'action supported only on PF linktype';
    case 'type':
      if (arg !== null && !WLAN_TYPES.has(arg)) return `unknown 802.11 type name "${arg}"`;
      return '802.11 link-layer types supported only on 802.11';
    case 'subtype':
      if (arg !== null && !WLAN_SUBTYPES.has(arg)) return `unknown 802.11 subtype name "${arg}"`;
      return '802.11 link-layer types supported only on 802.11';
    case 'dir':
      if (arg !== null && !['nods', 'tods', 'fromds', 'dstods'].includes(arg.toLowerCase()))
        return 'unknown 802.11 direction';
      return 'frame direction supported only with 802.11 headers';
    case 'llc':
      if (arg !== null && !LLC_TYPES.has(arg.toLowerCase())) return `unknown LLC type name "${arg}"`;
      return `'llc' not supported for ${dltName(dlt)}`;
    case 'oamf4ec':
      return "'oam4ec' supported only on raw ATM";
    case 'oamf4sc':
      return "'oam4sc' supported only on raw ATM";
    case 'fisu':
    case 'lssu':
    case 'msu':
      return `'${what}' supported only on MTP2`;
    case 'hfisu':
    case 'hlssu':
    case 'hmsu':
      return `'${what}' supported only on MTP2_HSL`;
    case 'sio':
    case 'opc':
    case 'dpc':
    case 'sls':
    case 'hsio':
    case 'hopc':
    case 'hdpc':
    case 'hsls':
      return `'${what.length === 4 ? what.slice(1) : what}' supported only on SS7`;
  }
  return `'${what}' supported only on raw ATM`;
}

/** libpcap's pcapint_atoin: dotted number -> (value, bits); null when a part exceeds 255. */
export function atoin(s: string): { v: number; len: number } | null {
  let v = 0;
  let len = 0;
  let i = 0;
  for (;;) {
    let n = 0;
    while (i < s.length && s[i] !== '.') {
      if (n > 25) return null;
      n = n * 10 + (s.charCodeAt(i) - 48);
      i++;
    }
    if (n > 255) return null;
    v = ((v << 8) | n) >>> 0;
    len += 8;
    if (i >= s.length) return { v, len };
    i++;
  }
}

function atomac48(s: string): Uint8Array | null {
  const hex = s.replace(/[:.-]/g, '');
  if (/^[0-9A-Fa-f]{12}$/.test(hex) && !/[:.-]/.test(s)) {
    return Uint8Array.from({ length: 6 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  }
  const parts = s.split(/[:.-]/);
  if (parts.length === 6 && parts.every((p) => /^[0-9A-Fa-f]{1,2}$/.test(p))) {
    return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
  }
  if (parts.length === 3 && parts.every((p) => /^[0-9A-Fa-f]{4}$/.test(p))) {
    const out = new Uint8Array(6);
    parts.forEach((p, i) => {
      out[2 * i] = Number.parseInt(p.slice(0, 2), 16);
      out[2 * i + 1] = Number.parseInt(p.slice(2), 16);
    });
    return out;
  }
  return null;
}

/** A decimal integer as C's %d reads it into an int (wrapping like the 32-bit store). */
function clampInt(s: string): number {
  return Number(BigInt.asIntN(32, BigInt(s)));
}

export { BPF_JA, BPF_TXA, SKF_AD_OFF };
