// Recursive-descent parser for libpcap's grammar.y: builds the AST, resolving qualifier inheritance
// (`host a or b`, `port 80 or 443`) and operator precedence exactly as the bison grammar does.
import type { Arth, Node, Qual } from './ast.js';
import { QERR } from './ast.js';
import { FilterError } from './errors.js';
import {
  BPF_ADD,
  BPF_AND,
  BPF_DIV,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_LSH,
  BPF_MOD,
  BPF_MUL,
  BPF_OR,
  BPF_RSH,
  BPF_SUB,
  BPF_XOR,
} from './insn.js';
import type { Token } from './lexer.js';
import { LexError, tokenize } from './lexer.js';

const SYNTAX = "can't parse filter expression: syntax error";

/** Protocol keywords usable as pqual (grammar's pname). */
const PNAMES = new Set([
  'link',
  'ip',
  'arp',
  'rarp',
  'sctp',
  'tcp',
  'udp',
  'icmp',
  'igmp',
  'igrp',
  'pim',
  'vrrp',
  'carp',
  'atalk',
  'aarp',
  'decnet',
  'lat',
  'sca',
  'mopdl',
  'moprc',
  'ip6',
  'icmp6',
  'ah',
  'esp',
  'iso',
  'esis',
  'isis',
  'l1',
  'l2',
  'iih',
  'lsp',
  'snp',
  'psnp',
  'csnp',
  'clnp',
  'stp',
  'ipx',
  'netbeui',
  'radio',
]);
const DQUALS = new Set(['src', 'dst', 'addr1', 'addr2', 'addr3', 'addr4', 'ra', 'ta']);
const AQUALS = new Set(['host', 'net', 'port', 'portrange']);
const UNSUPPORTED_OTHER = new Set([
  'ifname',
  'rset',
  'rnr',
  'srnr',
  'reason',
  'action',
  'llc',
  'lane',
  'metac',
  'bcc',
  'oamf4ec',
  'oamf4sc',
  'sc',
  'ilmic',
  'oam',
  'oamf4',
  'connectmsg',
  'metaconnect',
  'vpi',
  'vci',
  'fisu',
  'lssu',
  'msu',
  'hfisu',
  'hlssu',
  'hmsu',
  'sio',
  'opc',
  'dpc',
  'sls',
  'hsio',
  'hopc',
  'hdpc',
  'hsls',
  'type',
  'subtype',
  'dir',
]);

// Bison precedence of the arithmetic operators; '%' and '^' have none (conflicts resolve to shift).
const PREC: Record<string, number | undefined> = {
  '|': 1,
  '&': 2,
  '<<': 3,
  '>>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
};
const UMINUS = 6;
const ARITH_OPS: Record<string, number> = {
  '+': BPF_ADD,
  '-': BPF_SUB,
  '*': BPF_MUL,
  '/': BPF_DIV,
  '%': BPF_MOD,
  '&': BPF_AND,
  '|': BPF_OR,
  '^': BPF_XOR,
  '<<': BPF_LSH,
  '>>': BPF_RSH,
};

interface Val {
  node: Node;
  q: Qual;
}

class Fail extends Error {}
const FAIL = new Fail('syntax');

export class Parser {
  private readonly toks: Token[];
  private pos = 0;

  constructor(src: string | Token[]) {
    this.toks = typeof src === 'string' ? tokenize(src) : src;
  }

  /** The whole expression; null for an empty one (accept everything). */
  parseProgram(): Node | null {
    if (this.peek().kind === 'EOF') return null;
    try {
      const v = this.expr(QERR);
      if (this.peek().kind !== 'EOF') throw FAIL;
      return v.node;
    } catch (e) {
      if (e instanceof Fail) throw new FilterError(SYNTAX);
      throw e;
    }
  }

  private peek(n = 0): Token {
    return this.toks[Math.min(this.pos + n, this.toks.length - 1)]!;
  }
  private isKw(t: Token, kw: string): boolean {
    return t.kind === 'KW' && t.text === kw;
  }
  private isOp(t: Token, op: string): boolean {
    return t.kind === 'OP' && t.text === op;
  }
  private expectOp(op: string): void {
    if (!this.isOp(this.peek(), op)) throw FAIL;
    this.pos++;
  }
  private isNot(t: Token): boolean {
    return this.isOp(t, '!') || this.isKw(t, 'not');
  }
  private atEnd(): boolean {
    const t = this.peek();
    return t.kind === 'EOF' || this.isOp(t, ')') || this.isKw(t, 'and') || this.isKw(t, 'or');
  }

  private expr(qb: Qual): Val {
    let v = this.term(qb);
    for (;;) {
      const t = this.peek();
      if (!this.isKw(t, 'and') && !this.isKw(t, 'or')) return v;
      this.pos++;
      const r = this.termOrId(v.q);
      v = { node: { t: t.text as 'and' | 'or', l: v.node, r: r.node }, q: r.q };
    }
  }

  /** After `and`/`or`: a term, or an id that inherits the qualifiers of what came before. */
  private termOrId(q: Qual): Val {
    const save = this.pos;
    try {
      const v = this.term(q);
      if (this.atEnd()) return v;
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
    }
    this.pos = save;
    return this.id(q);
  }

  private term(qb: Qual): Val {
    if (this.isNot(this.peek())) {
      this.pos++;
      const v = this.term(qb);
      return { node: { t: 'not', e: v.node }, q: v.q };
    }
    return this.rterm(qb);
  }

  private rterm(qb: Qual): Val {
    const t = this.peek();
    if (this.isOp(t, '(')) {
      const save = this.pos;
      try {
        return { node: this.relation(), q: QERR };
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
      }
      this.pos = save;
      this.pos++;
      const v = this.expr(qb);
      this.expectOp(')');
      return { node: v.node, q: qb };
    }
    if (t.kind === 'NUM' || this.isOp(t, '-') || this.isKw(t, 'len'))
      return { node: this.relation(), q: QERR };
    if (t.kind !== 'KW') throw FAIL;
    let pq = 'default';
    if (PNAMES.has(t.text)) {
      const n = this.peek(1);
      if (this.isOp(n, '[')) return { node: this.relation(), q: QERR };
      if (n.kind === 'KW' && (this.isHeadStart(n.text) || n.text === 'broadcast' || n.text === 'multicast')) {
        pq = t.text;
        this.pos++;
      } else if (n.kind === 'KW' && (n.text === 'type' || n.text === 'subtype' || n.text === 'dir')) {
        this.pos += 2;
        return { node: { t: 'unsupported', what: n.text, arg: null }, q: QERR };
      } else {
        this.pos++;
        return { node: { t: 'abbrev', proto: t.text }, q: QERR };
      }
    }
    const h = this.peek();
    if (h.kind === 'KW' && this.isHeadStart(h.text)) {
      const q = this.head(pq);
      return this.id(q);
    }
    if (this.isKw(h, 'broadcast') || this.isKw(h, 'multicast')) {
      this.pos++;
      return { node: { t: h.text as 'broadcast' | 'multicast', proto: pq }, q: QERR };
    }
    if (pq !== 'default') throw FAIL;
    return { node: this.other(), q: QERR };
  }

  private isHeadStart(kw: string): boolean {
    return DQUALS.has(kw) || AQUALS.has(kw) || kw === 'proto' || kw === 'protochain' || kw === 'gateway';
  }

  private head(proto: string): Qual {
    const t = this.peek();
    this.pos++;
    if (t.text === 'proto' || t.text === 'protochain' || t.text === 'gateway') {
      return { proto, dir: 'default', addr: t.text };
    }
    if (AQUALS.has(t.text)) return { proto, dir: 'default', addr: t.text };
    // dqual [aqual]
    let dir = t.text;
    if (
      (t.text === 'src' || t.text === 'dst') &&
      (this.isKw(this.peek(), 'or') || this.isKw(this.peek(), 'and'))
    ) {
      const conj = this.peek().text;
      const other = this.peek(1);
      if (!this.isKw(other, t.text === 'src' ? 'dst' : 'src')) throw FAIL;
      this.pos += 2;
      dir = conj;
    }
    const a = this.peek();
    if (a.kind === 'KW' && AQUALS.has(a.text)) {
      this.pos++;
      return { proto, dir, addr: a.text };
    }
    return { proto, dir, addr: 'default' };
  }

  private pnumOpt(): number | null {
    const save = this.pos;
    try {
      return this.pnum();
    } catch (e) {
      if (!(e instanceof Fail)) throw e;
      this.pos = save;
      return null;
    }
  }

  private pnum(): number {
    const t = this.peek();
    if (t.kind === 'NUM') {
      this.pos++;
      return t.num;
    }
    if (this.isOp(t, '(')) {
      this.pos++;
      const v = this.pnum();
      this.expectOp(')');
      return v;
    }
    throw FAIL;
  }

  private num(): number {
    const t = this.peek();
    if (t.kind !== 'NUM') throw FAIL;
    this.pos++;
    return t.num;
  }

  private other(): Node {
    const t = this.peek();
    this.pos++;
    switch (t.text) {
      case 'less':
      case 'greater':
        return { t: t.text, n: this.num() };
      case 'byte': {
        const idx = this.num();
        const o = this.peek();
        if (o.kind !== 'OP' || !['&', '|', '<', '>', '='].includes(o.text)) throw FAIL;
        this.pos++;
        return { t: 'byte', idx, op: o.text, val: this.num() };
      }
      case 'inbound':
      case 'outbound':
        return { t: t.text };
      case 'ifindex':
        return { t: 'ifindex', n: this.num() };
      case 'vlan':
      case 'mpls':
      case 'pppoes':
      case 'geneve':
      case 'vxlan':
        return { t: t.text, n: this.pnumOpt() };
      case 'pppoed':
        return { t: 'pppoed' };
      default:
        if (UNSUPPORTED_OTHER.has(t.text)) {
          // Consume a following ID/NUM argument so the message names the keyword.
          const a = this.peek();
          // `llc` takes a type name only (`llc 300` is a syntax error).
          if (
            a.kind === 'ID' ||
            (a.kind === 'NUM' && t.text !== 'llc') ||
            (a.kind === 'KW' && a.text === 'rnr')
          ) {
            this.pos++;
            return { t: 'unsupported', what: t.text, arg: a.kind === 'NUM' ? null : a.text };
          }
          return { t: 'unsupported', what: t.text, arg: null };
        }
        throw FAIL;
    }
  }

  private nid(q: Qual): Node | null {
    const t = this.peek();
    switch (t.kind) {
      case 'ID':
      case 'EID':
      case 'AID':
        this.pos++;
        return { t: 'nid', kind: t.kind, s: t.text, s2: null, len: 0, q };
      case 'HID': {
        this.pos++;
        if (this.isOp(this.peek(), '/')) {
          this.pos++;
          return { t: 'nid', kind: 'HIDLEN', s: t.text, s2: null, len: this.num(), q };
        }
        if (this.isKw(this.peek(), 'mask')) {
          this.pos++;
          const m = this.peek();
          if (m.kind !== 'HID') throw FAIL;
          this.pos++;
          return { t: 'nid', kind: 'HIDMASK', s: t.text, s2: m.text, len: 0, q };
        }
        return { t: 'nid', kind: 'HID', s: t.text, s2: null, len: 0, q };
      }
      case 'HID6': {
        this.pos++;
        if (this.isOp(this.peek(), '/')) {
          this.pos++;
          return { t: 'nid', kind: 'HID6LEN', s: t.text, s2: null, len: this.num(), q };
        }
        return { t: 'nid', kind: 'HID6', s: t.text, s2: null, len: 128, q };
      }
      default:
        return null;
    }
  }

  private id(q: Qual): Val {
    const t = this.peek();
    if (this.isNot(t)) {
      this.pos++;
      const v = this.id(q);
      return { node: { t: 'not', e: v.node }, q: v.q };
    }
    const n = this.nid(q);
    if (n) return { node: n, q };
    if (t.kind === 'NUM') {
      this.pos++;
      return { node: { t: 'pnum', v: t.num, q }, q };
    }
    if (this.isOp(t, '(')) {
      this.pos++;
      // paren pnum ')' or paren pid ')'
      let first: Node | null = this.nid(q);
      if (!first) {
        const v = this.pnum();
        first = { t: 'pnum', v, q };
        if (this.isOp(this.peek(), ')')) {
          this.pos++;
          return { node: first, q };
        }
      }
      let node = first;
      for (;;) {
        const c = this.peek();
        if (this.isKw(c, 'and') || this.isKw(c, 'or')) {
          this.pos++;
          const r = this.id(q);
          node = { t: c.text as 'and' | 'or', l: node, r: r.node };
          continue;
        }
        break;
      }
      if (first === node && first.t === 'pnum') throw FAIL;
      this.expectOp(')');
      return { node, q };
    }
    throw FAIL;
  }

  private relation(): Node {
    const a0 = this.arth();
    const t = this.peek();
    let code: number;
    let reversed = false;
    if (t.kind !== 'OP') throw FAIL;
    switch (t.text) {
      case '>':
        code = BPF_JGT;
        break;
      case '>=':
        code = BPF_JGE;
        break;
      case '=':
        code = BPF_JEQ;
        break;
      case '<=':
        code = BPF_JGT;
        reversed = true;
        break;
      case '<':
        code = BPF_JGE;
        reversed = true;
        break;
      case '!=':
        code = BPF_JEQ;
        reversed = true;
        break;
      default:
        throw FAIL;
    }
    this.pos++;
    const a1 = this.arth();
    return { t: 'rel', code, reversed, a0, a1 };
  }

  /** Shift-reduce over the arithmetic operators with bison's precedence rules. */
  private arth(): Arth {
    const vals: Arth[] = [];
    const ops: string[] = [];
    const reduce = () => {
      const op = ops.pop()!;
      if (op === 'neg') {
        const e = vals.pop()!;
        vals.push({ t: 'neg', e });
      } else {
        const r = vals.pop()!;
        const l = vals.pop()!;
        vals.push({ t: 'bin', op: ARITH_OPS[op]!, l, r });
      }
    };
    const precOf = (op: string): number | undefined => (op === 'neg' ? UMINUS : PREC[op]);
    for (;;) {
      // operand (with any unary minus prefixes)
      while (this.isOp(this.peek(), '-')) {
        this.pos++;
        ops.push('neg');
      }
      vals.push(this.arthPrimary());
      const t = this.peek();
      if (t.kind !== 'OP' || ARITH_OPS[t.text] === undefined) break;
      const pop = PREC[t.text];
      while (ops.length > 0) {
        const top = ops[ops.length - 1]!;
        const ptop = precOf(top);
        if (ptop === undefined || pop === undefined || ptop < pop) break;
        reduce();
      }
      ops.push(t.text);
      this.pos++;
    }
    while (ops.length > 0) reduce();
    return vals[0]!;
  }

  private arthPrimary(): Arth {
    const t = this.peek();
    if (t.kind === 'NUM') {
      this.pos++;
      return { t: 'num', v: t.num };
    }
    if (this.isKw(t, 'len')) {
      this.pos++;
      return { t: 'len' };
    }
    if (this.isOp(t, '(')) {
      this.pos++;
      const a = this.arth();
      this.expectOp(')');
      return a;
    }
    if (t.kind === 'KW' && PNAMES.has(t.text) && this.isOp(this.peek(1), '[')) {
      this.pos += 2;
      const idx = this.arth();
      let size = 1;
      if (this.isOp(this.peek(), ':')) {
        this.pos++;
        size = this.num();
      }
      this.expectOp(']');
      return { t: 'load', proto: t.text, idx, size };
    }
    throw FAIL;
  }
}

export function parseFilter(src: string): Node | null {
  return new Parser(src).parseProgram();
}

/**
 * For an expression with a syntax error or a bad token: the trees of the leading runs of tokens
 * before it that parse, longest first. libpcap generates code as its parser reduces, so a semantic
 * error in what came before is what it reports (`host nosuch junk`: unknown host 'nosuch').
 */
export function* parsePrefixes(src: string): Generator<Node> {
  let toks: Token[];
  let full = false;
  try {
    toks = tokenize(src);
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    // Every token before the bad one has been read: the whole run may have been reduced.
    toks = [...e.before, { kind: 'EOF', text: '', num: 0 }];
    full = true;
  }
  const eof = toks[toks.length - 1]!;
  for (let n = toks.length - (full ? 1 : 2); n > 0; n--) {
    let node: Node | null = null;
    try {
      node = new Parser([...toks.slice(0, n), eof]).parseProgram();
    } catch (e) {
      if (!(e instanceof FilterError)) throw e;
    }
    if (node) yield node;
  }
}
