// The optimizer libpcap runs by default (what `tcpdump -d` shows): value numbering and constant
// folding per block, peephole rules, dead stores, jump threading over dominating edges, and/or
// pull-ups, then merging of equal blocks. Same passes in the same order, so listings match libpcap's.
import { NOP } from './assemble.js';
import type { Block, Edge, Slist, Stmt } from './cfg.js';
import { A_ATOM, JF, JT, N_ATOMS, sappend, X_ATOM } from './cfg.js';
import { FilterError } from './errors.js';
import {
  BPF_ABS,
  BPF_ADD,
  BPF_ALU,
  BPF_AND,
  BPF_B,
  BPF_DIV,
  BPF_IMM,
  BPF_IND,
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
  BPF_MISC,
  BPF_MOD,
  BPF_MSH,
  BPF_MUL,
  BPF_NEG,
  BPF_OR,
  BPF_RET,
  BPF_RSH,
  BPF_ST,
  BPF_STX,
  BPF_SUB,
  BPF_TAX,
  BPF_TXA,
  BPF_W,
  BPF_X,
  BPF_XOR,
  bpfClass,
  bpfMiscOp,
  bpfMode,
  bpfOp,
  bpfRval,
  bpfSize,
  bpfSrc,
} from './insn.js';

const AX_ATOM = N_ATOMS;
const VAL_UNKNOWN = 0;

const setMember = (p: Uint32Array, a: number): boolean => (p[a >>> 5]! & (1 << (a & 31))) !== 0;
const setInsert = (p: Uint32Array, a: number): void => {
  p[a >>> 5]! |= 1 << (a & 31);
};
const setIntersect = (a: Uint32Array, b: Uint32Array): void => {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! & b[i]!;
};
const setUnion = (a: Uint32Array, b: Uint32Array): void => {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! | b[i]!;
};
const succOf = (b: Block, t: boolean): Block | null => (t ? b.et.succ : b.ef.succ);
const setSucc = (b: Block, t: boolean, v: Block | null): void => {
  if (t) b.et.succ = v;
  else b.ef.succ = v;
};
const atomElem = (set: number, atom: number): boolean => (set & (1 << atom)) !== 0;
const atomMask = (atom: number): number => 1 << atom;

function atomuse(s: Stmt): number {
  const c = s.code;
  if (c === NOP) return -1;
  switch (bpfClass(c)) {
    case BPF_RET:
      return bpfRval(c) === 0x10 ? A_ATOM : -1;
    case BPF_LD:
    case BPF_LDX:
      return bpfMode(c) === BPF_IND ? X_ATOM : bpfMode(c) === BPF_MEM ? s.k : -1;
    case BPF_ST:
      return A_ATOM;
    case BPF_STX:
      return X_ATOM;
    case BPF_JMP:
    case BPF_ALU:
      return bpfSrc(c) === BPF_X ? AX_ATOM : A_ATOM;
    case BPF_MISC:
      return bpfMiscOp(c) === BPF_TXA ? X_ATOM : A_ATOM;
  }
  return -1;
}

function atomdef(s: Stmt): number {
  if (s.code === NOP) return -1;
  switch (bpfClass(s.code)) {
    case BPF_LD:
    case BPF_ALU:
      return A_ATOM;
    case BPF_LDX:
      return X_ATOM;
    case BPF_ST:
    case BPF_STX:
      return s.k;
    case BPF_MISC:
      return bpfMiscOp(s.code) === BPF_TAX ? X_ATOM : A_ATOM;
  }
  return -1;
}

interface OptBlock extends Block {
  def?: number;
  kill?: number;
}

class Optimizer {
  done = false;
  nonBranchMovement = false;
  blocks: OptBlock[] = [];
  edges: Edge[] = [];
  levels: (Block | null)[] = [];
  nodewords = 0;
  edgewords = 0;
  /** All blocks' dominator sets, contiguous so they can be reset in one fill. */
  private allDom = new Uint32Array(0);
  root: Block;
  // Value numbering.
  curval = 0;
  private hash = new Map<string, number>();
  private isConst: boolean[] = [];
  private constVal: number[] = [];

  constructor(root: Block) {
    this.root = root;
    this.init();
  }

  private err(msg: string): never {
    throw new FilterError(msg);
  }

  private init(): void {
    const seen = new Set<Block>();
    const number = (p: Block | null) => {
      if (!p || seen.has(p)) return;
      seen.add(p);
      p.id = this.blocks.length;
      this.blocks.push(p);
      number(JT(p));
      number(JF(p));
    };
    number(this.root);
    const n = this.blocks.length;
    this.edgewords = Math.floor((2 * n) / 32) + 1;
    this.nodewords = Math.floor(n / 32) + 1;
    this.levels = new Array(n).fill(null);
    this.edges = new Array(2 * n);
    this.allDom = new Uint32Array(n * this.nodewords);
    for (let i = 0; i < n; i++) {
      const b = this.blocks[i]!;
      b.dom = this.allDom.subarray(i * this.nodewords, (i + 1) * this.nodewords);
      b.closure = new Uint32Array(this.nodewords);
      b.et.edom = new Uint32Array(this.edgewords);
      b.ef.edom = new Uint32Array(this.edgewords);
      b.et.id = i;
      this.edges[i] = b.et;
      b.ef.id = n + i;
      this.edges[n + i] = b.ef;
      b.et.pred = b;
      b.ef.pred = b;
      b.val = new Uint32Array(N_ATOMS);
    }
  }

  // ---- graph analyses -------------------------------------------------------------------------

  findLevels(): void {
    this.levels.fill(null);
    const seen = new Set<Block>();
    const rec = (b: Block) => {
      if (seen.has(b)) return;
      seen.add(b);
      b.link = null;
      let level: number;
      if (JT(b)) {
        rec(JT(b)!);
        rec(JF(b)!);
        level = Math.max(JT(b)!.level, JF(b)!.level) + 1;
      } else level = 0;
      b.level = level;
      b.link = this.levels[level] ?? null;
      this.levels[level] = b;
    };
    rec(this.root);
  }

  findDom(): void {
    // Index arithmetic on the contiguous sets (no view objects in the inner loops).
    const all = this.allDom;
    const w = this.nodewords;
    all.fill(0xffffffff);
    this.root.dom.fill(0);
    for (let level = this.root.level; level >= 0; --level) {
      for (let b = this.levels[level] ?? null; b; b = b.link) {
        const bo = b.id * w;
        all[bo + (b.id >>> 5)]! |= 1 << (b.id & 31);
        const t = b.et.succ;
        if (!t) continue;
        const f = b.ef.succ!;
        const to = t.id * w;
        const fo = f.id * w;
        for (let i = 0; i < w; i++) {
          const v = all[bo + i]!;
          all[to + i]! &= v;
          all[fo + i]! &= v;
        }
      }
    }
  }

  private propedom(ep: Edge): void {
    setInsert(ep.edom, ep.id);
    if (ep.succ) {
      setIntersect(ep.succ.et.edom, ep.edom);
      setIntersect(ep.succ.ef.edom, ep.edom);
    }
  }

  findEdom(): void {
    for (const e of this.edges) e.edom.fill(0xffffffff);
    this.root.et.edom.fill(0);
    this.root.ef.edom.fill(0);
    for (let level = this.root.level; level >= 0; --level) {
      for (let b = this.levels[level] ?? null; b; b = b.link) {
        this.propedom(b.et);
        this.propedom(b.ef);
      }
    }
  }

  findClosure(): void {
    for (const b of this.blocks) b.closure.fill(0);
    for (let level = this.root.level; level >= 0; --level) {
      for (let b = this.levels[level] ?? null; b; b = b.link) {
        setInsert(b.closure, b.id);
        if (!JT(b)) continue;
        setUnion(JT(b)!.closure, b.closure);
        setUnion(JF(b)!.closure, b.closure);
      }
    }
  }

  private computeLocalUd(b: OptBlock): void {
    let def = 0;
    let use = 0;
    let killed = 0;
    const useAtom = (atom: number) => {
      if (atom < 0) return;
      if (atom === AX_ATOM) {
        if (!atomElem(def, X_ATOM)) use |= atomMask(X_ATOM);
        if (!atomElem(def, A_ATOM)) use |= atomMask(A_ATOM);
      } else if (atom < N_ATOMS) {
        if (!atomElem(def, atom)) use |= atomMask(atom);
      }
    };
    for (let s = b.stmts; s; s = s.next) {
      if (s.s.code === NOP) continue;
      useAtom(atomuse(s.s));
      const atom = atomdef(s.s);
      if (atom >= 0) {
        if (!atomElem(use, atom)) killed |= atomMask(atom);
        def |= atomMask(atom);
      }
    }
    if (bpfClass(b.s.code) === BPF_JMP) useAtom(atomuse(b.s));
    b.def = def;
    b.kill = killed;
    b.inUse = use;
  }

  findUd(): void {
    const maxlevel = this.root.level;
    for (let i = maxlevel; i >= 0; --i)
      for (let p = this.levels[i] ?? null; p; p = p.link) {
        this.computeLocalUd(p);
        p.outUse = 0;
      }
    for (let i = 1; i <= maxlevel; ++i)
      for (let p: OptBlock | null = this.levels[i] ?? null; p; p = p.link) {
        p.outUse |= JT(p)!.inUse | JF(p)!.inUse;
        p.inUse |= p.outUse & ~(p.kill ?? 0);
      }
  }

  // ---- value numbering ------------------------------------------------------------------------

  private initVal(): void {
    this.curval = 0;
    this.hash.clear();
    this.isConst = [false];
    this.constVal = [0];
  }

  private F(code: number, v0: number, v1: number): number {
    const key = `${code},${v0 >>> 0},${v1 >>> 0}`;
    const hit = this.hash.get(key);
    if (hit !== undefined) return hit;
    const val = ++this.curval;
    if (bpfMode(code) === BPF_IMM && (bpfClass(code) === BPF_LD || bpfClass(code) === BPF_LDX)) {
      this.constVal[val] = v0 >>> 0;
      this.isConst[val] = true;
    } else {
      this.isConst[val] = false;
      this.constVal[val] = 0;
    }
    this.hash.set(key, val);
    return val;
  }

  private K(i: number): number {
    return this.F(BPF_LD | BPF_IMM | BPF_W, i >>> 0, 0);
  }

  private vstore(s: Stmt | null, vals: Uint32Array, idx: number, newval: number, alter: boolean): void {
    if (alter && s && newval !== VAL_UNKNOWN && vals[idx] === newval) s.code = NOP;
    else vals[idx] = newval;
  }

  private foldOp(s: Stmt, v0: number, v1: number): void {
    let a = this.constVal[v0]! >>> 0;
    const b = this.constVal[v1]! >>> 0;
    switch (bpfOp(s.code)) {
      case BPF_ADD:
        a = (a + b) >>> 0;
        break;
      case BPF_SUB:
        a = (a - b) >>> 0;
        break;
      case BPF_MUL:
        a = Math.imul(a, b) >>> 0;
        break;
      case BPF_DIV:
        if (b === 0) this.err('division by zero');
        a = (a / b) >>> 0;
        break;
      case BPF_MOD:
        if (b === 0) this.err('modulus by zero');
        a = (a % b) >>> 0;
        break;
      case BPF_AND:
        a = (a & b) >>> 0;
        break;
      case BPF_OR:
        a = (a | b) >>> 0;
        break;
      case BPF_XOR:
        a = (a ^ b) >>> 0;
        break;
      case BPF_LSH:
        a = b < 32 ? (a << b) >>> 0 : 0;
        break;
      case BPF_RSH:
        a = b < 32 ? a >>> b : 0;
        break;
      default:
        this.err('internal error: unknown fold operation');
    }
    s.k = a;
    s.code = BPF_LD | BPF_IMM;
    this.done = false;
    this.nonBranchMovement = true;
  }

  private thisOp(s: Slist | null): Slist | null {
    while (s && s.s.code === NOP) s = s.next;
    return s;
  }

  private optNot(b: Block): void {
    const tmp = b.et.succ;
    b.et.succ = b.ef.succ;
    b.ef.succ = tmp;
  }

  private optPeep(b: Block): void {
    let s: Slist | null = b.stmts;
    if (!s) return;
    let last: Slist = s;
    for (;;) {
      s = this.thisOp(s);
      if (!s) break;
      const next = this.thisOp(s.next);
      if (!next) break;
      last = next;
      if (s.s.code === BPF_ST && next.s.code === (BPF_LDX | BPF_MEM) && s.s.k === next.s.k) {
        this.done = false;
        next.s.code = BPF_MISC | BPF_TAX;
        this.nonBranchMovement = true;
      }
      if (s.s.code === (BPF_LD | BPF_IMM) && next.s.code === (BPF_MISC | BPF_TAX)) {
        s.s.code = BPF_LDX | BPF_IMM;
        next.s.code = BPF_MISC | BPF_TXA;
        this.done = false;
        this.nonBranchMovement = true;
      }
      if (s.s.code === (BPF_LD | BPF_IMM)) {
        if (atomElem(b.outUse, X_ATOM)) {
          s = next;
          continue;
        }
        const add = next.s.code !== (BPF_LDX | BPF_MSH | BPF_B) ? next : this.thisOp(next.next);
        if (!add || add.s.code !== (BPF_ALU | BPF_ADD | BPF_X)) {
          s = next;
          continue;
        }
        const tax = this.thisOp(add.next);
        if (!tax || tax.s.code !== (BPF_MISC | BPF_TAX)) {
          s = next;
          continue;
        }
        const ild = this.thisOp(tax.next);
        if (!ild || bpfClass(ild.s.code) !== BPF_LD || bpfMode(ild.s.code) !== BPF_IND) {
          s = next;
          continue;
        }
        ild.s.k = (ild.s.k + s.s.k) >>> 0;
        s.s.code = NOP;
        add.s.code = NOP;
        tax.s.code = NOP;
        this.done = false;
        this.nonBranchMovement = true;
      }
      s = next;
    }
    if (b.s.code === (BPF_JMP | BPF_JEQ | BPF_K) && !atomElem(b.outUse, A_ATOM)) {
      if (last.s.code === (BPF_ALU | BPF_SUB | BPF_X)) {
        const val = b.val[X_ATOM]!;
        if (this.isConst[val]) {
          b.s.k = (b.s.k + this.constVal[val]!) >>> 0;
          last.s.code = NOP;
          this.done = false;
          this.nonBranchMovement = true;
        } else if (b.s.k === 0) {
          last.s.code = NOP;
          b.s.code = BPF_JMP | BPF_JEQ | BPF_X;
          this.done = false;
          this.nonBranchMovement = true;
        }
      } else if (last.s.code === (BPF_ALU | BPF_SUB | BPF_K)) {
        last.s.code = NOP;
        b.s.k = (b.s.k + last.s.k) >>> 0;
        this.done = false;
        this.nonBranchMovement = true;
      } else if (last.s.code === (BPF_ALU | BPF_AND | BPF_K) && b.s.k === 0) {
        b.s.k = last.s.k;
        b.s.code = BPF_JMP | BPF_K | BPF_JSET;
        last.s.code = NOP;
        this.done = false;
        this.optNot(b);
        this.nonBranchMovement = true;
      }
    }
    if (b.s.code === (BPF_JMP | BPF_K | BPF_JSET)) {
      // As every libpcap 1.10.x (tcpdump 4.99.3's): "jset #0 -> never", and "jset #0xffffffff ->
      // always", although that one is taken only when A != 0 (HEAD turns it into jeq #0). Kept so
      // the packets selected are tcpdump's: `X & 0xffffffff != 0` accepts every packet that gets
      // there, `X & 0xffffffff = 0` none.
      if (b.s.k === 0) b.et.succ = b.ef.succ;
      if (b.s.k >>> 0 === 0xffffffff) b.ef.succ = b.et.succ;
    }
    let val = b.val[X_ATOM]!;
    if (this.isConst[val] && bpfSrc(b.s.code) === BPF_X) {
      b.s.code &= ~BPF_X;
      b.s.k = this.constVal[val]!;
    }
    val = b.val[A_ATOM]!;
    if (this.isConst[val] && bpfSrc(b.s.code) === BPF_K) {
      let v = this.constVal[val]! >>> 0;
      const k = b.s.k >>> 0;
      switch (bpfOp(b.s.code)) {
        case BPF_JEQ:
          v = v === k ? 1 : 0;
          break;
        case BPF_JGT:
          v = v > k ? 1 : 0;
          break;
        case BPF_JGE:
          v = v >= k ? 1 : 0;
          break;
        case BPF_JSET:
          v = (v & k) >>> 0;
          break;
        default:
          this.err('internal error: unknown jump');
      }
      if (JF(b) !== JT(b)) {
        this.done = false;
        this.nonBranchMovement = true;
      }
      if (v) b.ef.succ = b.et.succ;
      else b.et.succ = b.ef.succ;
    }
  }

  private optStmt(s: Stmt, val: Uint32Array, alter: boolean): void {
    let v: number;
    switch (s.code) {
      case BPF_LD | BPF_ABS | BPF_W:
      case BPF_LD | BPF_ABS | 0x08:
      case BPF_LD | BPF_ABS | BPF_B:
        v = this.F(s.code, s.k, 0);
        this.vstore(s, val, A_ATOM, v, alter);
        break;
      case BPF_LD | BPF_IND | BPF_W:
      case BPF_LD | BPF_IND | 0x08:
      case BPF_LD | BPF_IND | BPF_B:
        v = val[X_ATOM]!;
        if (alter && this.isConst[v]) {
          s.code = BPF_LD | BPF_ABS | bpfSize(s.code);
          s.k = (s.k + this.constVal[v]!) >>> 0;
          v = this.F(s.code, s.k, 0);
          this.done = false;
          this.nonBranchMovement = true;
        } else v = this.F(s.code, s.k, v);
        this.vstore(s, val, A_ATOM, v, alter);
        break;
      case BPF_LD | BPF_LEN:
        v = this.F(s.code, 0, 0);
        this.vstore(s, val, A_ATOM, v, alter);
        break;
      case BPF_LD | BPF_IMM:
        v = this.K(s.k);
        this.vstore(s, val, A_ATOM, v, alter);
        break;
      case BPF_LDX | BPF_IMM:
        v = this.K(s.k);
        this.vstore(s, val, X_ATOM, v, alter);
        break;
      case BPF_LDX | BPF_MSH | BPF_B:
        v = this.F(s.code, s.k, 0);
        this.vstore(s, val, X_ATOM, v, alter);
        break;
      case BPF_ALU | BPF_NEG:
        if (alter && this.isConst[val[A_ATOM]!]) {
          s.code = BPF_LD | BPF_IMM;
          s.k = (0 - this.constVal[val[A_ATOM]!]!) >>> 0;
          val[A_ATOM] = this.K(s.k);
        } else val[A_ATOM] = this.F(s.code, val[A_ATOM]!, 0);
        break;
      case BPF_ALU | BPF_ADD | BPF_K:
      case BPF_ALU | BPF_SUB | BPF_K:
      case BPF_ALU | BPF_MUL | BPF_K:
      case BPF_ALU | BPF_DIV | BPF_K:
      case BPF_ALU | BPF_MOD | BPF_K:
      case BPF_ALU | BPF_AND | BPF_K:
      case BPF_ALU | BPF_OR | BPF_K:
      case BPF_ALU | BPF_XOR | BPF_K:
      case BPF_ALU | BPF_LSH | BPF_K:
      case BPF_ALU | BPF_RSH | BPF_K: {
        const op = bpfOp(s.code);
        if (alter) {
          if (s.k === 0) {
            if (op === BPF_ADD || op === BPF_LSH || op === BPF_RSH || op === BPF_OR || op === BPF_XOR) {
              s.code = NOP;
              break;
            }
            if (op === BPF_MUL || op === BPF_AND) {
              s.code = BPF_LD | BPF_IMM;
              val[A_ATOM] = this.K(s.k);
              break;
            }
            if (op === BPF_DIV) this.err('division by zero');
            if (op === BPF_MOD) this.err('modulus by zero');
          }
          if (this.isConst[val[A_ATOM]!]) {
            this.foldOp(s, val[A_ATOM]!, this.K(s.k));
            val[A_ATOM] = this.K(s.k);
            break;
          }
        }
        val[A_ATOM] = this.F(s.code, val[A_ATOM]!, this.K(s.k));
        break;
      }
      case BPF_ALU | BPF_ADD | BPF_X:
      case BPF_ALU | BPF_SUB | BPF_X:
      case BPF_ALU | BPF_MUL | BPF_X:
      case BPF_ALU | BPF_DIV | BPF_X:
      case BPF_ALU | BPF_MOD | BPF_X:
      case BPF_ALU | BPF_AND | BPF_X:
      case BPF_ALU | BPF_OR | BPF_X:
      case BPF_ALU | BPF_XOR | BPF_X:
      case BPF_ALU | BPF_LSH | BPF_X:
      case BPF_ALU | BPF_RSH | BPF_X: {
        const op = bpfOp(s.code);
        if (alter && this.isConst[val[X_ATOM]!]) {
          if (this.isConst[val[A_ATOM]!]) {
            this.foldOp(s, val[A_ATOM]!, val[X_ATOM]!);
            val[A_ATOM] = this.K(s.k);
          } else {
            s.code = BPF_ALU | BPF_K | op;
            s.k = this.constVal[val[X_ATOM]!]!;
            if ((op === BPF_LSH || op === BPF_RSH) && s.k > 31) this.err('shift by more than 31 bits');
            this.done = false;
            val[A_ATOM] = this.F(s.code, val[A_ATOM]!, this.K(s.k));
            this.nonBranchMovement = true;
          }
          break;
        }
        if (alter && this.isConst[val[A_ATOM]!] && this.constVal[val[A_ATOM]!] === 0) {
          if (op === BPF_ADD || op === BPF_OR || op === BPF_XOR) {
            s.code = BPF_MISC | BPF_TXA;
            this.vstore(s, val, A_ATOM, val[X_ATOM]!, alter);
            break;
          }
          if (
            op === BPF_MUL ||
            op === BPF_DIV ||
            op === BPF_MOD ||
            op === BPF_AND ||
            op === BPF_LSH ||
            op === BPF_RSH
          ) {
            s.code = BPF_LD | BPF_IMM;
            s.k = 0;
            this.vstore(s, val, A_ATOM, this.K(s.k), alter);
            break;
          }
          if (op === BPF_NEG) {
            s.code = NOP;
            break;
          }
        }
        val[A_ATOM] = this.F(s.code, val[A_ATOM]!, val[X_ATOM]!);
        break;
      }
      case BPF_MISC | BPF_TXA:
        this.vstore(s, val, A_ATOM, val[X_ATOM]!, alter);
        break;
      case BPF_LD | BPF_MEM:
        v = val[s.k]!;
        if (alter && this.isConst[v]) {
          s.code = BPF_LD | BPF_IMM;
          s.k = this.constVal[v]!;
          this.done = false;
          this.nonBranchMovement = true;
        }
        this.vstore(s, val, A_ATOM, v, alter);
        break;
      case BPF_MISC | BPF_TAX:
        this.vstore(s, val, X_ATOM, val[A_ATOM]!, alter);
        break;
      case BPF_LDX | BPF_MEM:
        v = val[s.k]!;
        if (alter && this.isConst[v]) {
          s.code = BPF_LDX | BPF_IMM;
          s.k = this.constVal[v]!;
          this.done = false;
          this.nonBranchMovement = true;
        }
        this.vstore(s, val, X_ATOM, v, alter);
        break;
      case BPF_ST:
        this.vstore(s, val, s.k, val[A_ATOM]!, alter);
        break;
      case BPF_STX:
        this.vstore(s, val, s.k, val[X_ATOM]!, alter);
        break;
    }
  }

  private deadstmt(s: Stmt, last: (Stmt | null)[]): void {
    let atom = atomuse(s);
    if (atom >= 0) {
      if (atom === AX_ATOM) {
        last[X_ATOM] = null;
        last[A_ATOM] = null;
      } else last[atom] = null;
    }
    atom = atomdef(s);
    if (atom >= 0) {
      const l = last[atom];
      if (l) {
        this.done = false;
        l.code = NOP;
        this.nonBranchMovement = true;
      }
      last[atom] = s;
    }
  }

  private optDeadstores(b: Block): void {
    const last: (Stmt | null)[] = new Array(N_ATOMS).fill(null);
    for (let s = b.stmts; s; s = s.next) this.deadstmt(s.s, last);
    this.deadstmt(b.s, last);
    for (let atom = 0; atom < N_ATOMS; ++atom) {
      const l = last[atom];
      if (l && !atomElem(b.outUse, atom)) {
        l.code = NOP;
        b.val[atom] = VAL_UNKNOWN;
        this.done = false;
        this.nonBranchMovement = true;
      }
    }
  }

  private optBlk(b: Block, doStmts: boolean): void {
    for (let s = b.stmts; s?.next; s = s.next) {
      if (bpfClass(s.s.code) === BPF_JMP) {
        doStmts = false;
        break;
      }
    }
    let p = b.inEdges;
    if (!p) b.val.fill(0);
    else {
      b.val.set(p.pred!.val);
      while ((p = p.next) !== null) {
        for (let i = 0; i < N_ATOMS; ++i) if (b.val[i] !== p.pred!.val[i]) b.val[i] = 0;
      }
    }
    const aval = b.val[A_ATOM]!;
    const xval = b.val[X_ATOM]!;
    for (let s = b.stmts; s; s = s.next) this.optStmt(s.s, b.val, doStmts);
    if (
      doStmts &&
      ((b.outUse === 0 &&
        aval !== VAL_UNKNOWN &&
        b.val[A_ATOM] === aval &&
        xval !== VAL_UNKNOWN &&
        b.val[X_ATOM] === xval) ||
        bpfClass(b.s.code) === BPF_RET)
    ) {
      if (b.stmts) {
        b.stmts = null;
        this.done = false;
        this.nonBranchMovement = true;
      }
    } else {
      this.optPeep(b);
      this.optDeadstores(b);
    }
    if (bpfSrc(b.s.code) === BPF_K) b.oval = this.K(b.s.k);
    else b.oval = b.val[X_ATOM]!;
    b.et.code = b.s.code;
    b.ef.code = -b.s.code;
  }

  private useConflict(b: Block, succ: Block): boolean {
    const use = succ.outUse;
    if (use === 0) return false;
    for (let atom = 0; atom < N_ATOMS; ++atom)
      if (atomElem(use, atom) && b.val[atom] !== succ.val[atom]) return true;
    return false;
  }

  private foldEdge(child: Block, ep: Edge): Block | null {
    let code = ep.code;
    let sense: boolean;
    if (code < 0) {
      code = -code;
      sense = false;
    } else sense = true;
    if (child.s.code !== code) return null;
    const aval0 = child.val[A_ATOM];
    const oval0 = child.oval;
    const aval1 = ep.pred!.val[A_ATOM];
    const oval1 = ep.pred!.oval;
    if (aval0 !== aval1) return null;
    if (oval0 === oval1) return sense ? JT(child) : JF(child);
    if (sense && code === (BPF_JMP | BPF_JEQ | BPF_K)) return JF(child);
    return null;
  }

  private optJ(ep: Edge): void {
    if (!JT(ep.succ!)) return;
    if (JT(ep.succ!) === JF(ep.succ!)) {
      if (!this.useConflict(ep.pred!, JT(ep.succ!)!)) {
        this.done = false;
        ep.succ = JT(ep.succ!);
        this.nonBranchMovement = true;
      }
    }
    for (;;) {
      let again = false;
      outer: for (let i = 0; i < this.edgewords; ++i) {
        let x = ep.edom[i]!;
        while (x !== 0) {
          const k0 = 31 - Math.clz32(x & -x);
          x &= ~(1 << k0);
          const k = k0 + i * 32;
          const target = this.foldEdge(ep.succ!, this.edges[k]!);
          if (target && !this.useConflict(ep.pred!, target)) {
            this.done = false;
            ep.succ = target;
            if (JT(target)) {
              again = true;
              break outer;
            }
            return;
          }
        }
      }
      if (!again) return;
    }
  }

  private pullup(b: Block, isOr: boolean): void {
    // or_pullup follows false branches with a common true target; and_pullup the mirror image.
    // A successor slot (libpcap's `struct block **`) is a block plus which edge: t = true edge.
    const alongT = !isOr;
    let ep = b.inEdges;
    if (!ep) return;
    const val = ep.pred!.val[A_ATOM];
    for (ep = ep.next; ep; ep = ep.next) if (val !== ep.pred!.val[A_ATOM]) return;
    const first = b.inEdges!.pred!;
    const commonB = isOr ? b.et.succ : b.ef.succ;
    let diffB: Block = first;
    let diffT = first.et.succ === b;
    let atTop = true;
    for (;;) {
      const d = succOf(diffB, diffT);
      if (!d) return;
      if ((isOr ? d.et.succ : d.ef.succ) !== commonB) return;
      if (!setMember(d.dom, b.id)) return;
      if (d.val[A_ATOM] !== val) break;
      diffB = d;
      diffT = alongT;
      atTop = false;
    }
    let sameB: Block = succOf(diffB, diffT)!;
    const sameT = alongT;
    for (;;) {
      const x = succOf(sameB, sameT);
      if (!x) return;
      if ((isOr ? x.et.succ : x.ef.succ) !== commonB) return;
      if (!setMember(x.dom, b.id)) return;
      if (x.val[A_ATOM] === val) break;
      sameB = x;
    }
    const pull = succOf(sameB, sameT)!;
    setSucc(sameB, sameT, succOf(pull, alongT));
    setSucc(pull, alongT, succOf(diffB, diffT));
    if (atTop) {
      for (ep = b.inEdges; ep; ep = ep.next) {
        if (ep.pred!.et.succ === b) ep.pred!.et.succ = pull;
        else ep.pred!.ef.succ = pull;
      }
    } else setSucc(diffB, diffT, pull);
    this.done = false;
    this.findDom();
  }

  findInedges(): void {
    for (const b of this.blocks) b.inEdges = null;
    for (let level = this.root.level; level > 0; --level) {
      for (let b = this.levels[level] ?? null; b; b = b.link) {
        b.et.next = JT(b)!.inEdges;
        JT(b)!.inEdges = b.et;
        b.ef.next = JF(b)!.inEdges;
        JF(b)!.inEdges = b.ef;
      }
    }
  }

  private optBlks(doStmts: boolean): void {
    this.initVal();
    const maxlevel = this.root.level;
    this.findInedges();
    for (let i = maxlevel; i >= 0; --i)
      for (let p = this.levels[i] ?? null; p; p = p.link) this.optBlk(p, doStmts);
    if (doStmts) return;
    for (let i = 1; i <= maxlevel; ++i)
      for (let p = this.levels[i] ?? null; p; p = p.link) {
        this.optJ(p.et);
        this.optJ(p.ef);
      }
    this.findInedges();
    for (let i = 1; i <= maxlevel; ++i)
      for (let p = this.levels[i] ?? null; p; p = p.link) {
        this.pullup(p, true);
        this.pullup(p, false);
      }
  }

  optLoop(doStmts: boolean): void {
    let loopCount = 0;
    for (;;) {
      this.nonBranchMovement = false;
      this.done = true;
      this.findLevels();
      this.findDom();
      this.findClosure();
      this.findUd();
      this.findEdom();
      this.optBlks(doStmts);
      if (this.done) break;
      if (this.nonBranchMovement) loopCount = 0;
      else if (++loopCount >= 100) break;
    }
  }

  private live(): Set<Block> {
    const seen = new Set<Block>();
    const rec = (p: Block) => {
      if (seen.has(p)) return;
      seen.add(p);
      if (bpfClass(p.s.code) !== BPF_RET) {
        rec(JT(p)!);
        rec(JF(p)!);
      }
    };
    rec(this.root);
    return seen;
  }

  internBlocks(): void {
    const eqSlist = (x: Slist | null, y: Slist | null): boolean => {
      for (;;) {
        while (x && x.s.code === NOP) x = x.next;
        while (y && y.s.code === NOP) y = y.next;
        if (!x) return !y;
        if (!y) return !x;
        if (x.s.code !== y.s.code || x.s.k !== y.s.k) return false;
        x = x.next;
        y = y.next;
      }
    };
    const eqBlk = (b0: Block, b1: Block) =>
      b0.s.code === b1.s.code &&
      b0.s.k === b1.s.k &&
      b0.et.succ === b1.et.succ &&
      b0.ef.succ === b1.ef.succ &&
      eqSlist(b0.stmts, b1.stmts);
    const n = this.blocks.length;
    for (;;) {
      let done1 = true;
      for (const b of this.blocks) b.link = null;
      const marked = this.live();
      // Only blocks with the same branch can be equal: compare within those groups, in the
      // same order as libpcap (for each i from the end, the first equal j > i).
      const groups = new Map<string, number[]>();
      for (let i = 0; i < n; i++) {
        const b = this.blocks[i]!;
        if (!marked.has(b)) continue;
        const key = `${b.s.code},${b.s.k >>> 0}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = []));
        g.push(i);
      }
      for (const g of groups.values()) {
        for (let gi = g.length - 1; gi >= 0; --gi) {
          const i = g[gi]!;
          if (i === n - 1) continue;
          const bi = this.blocks[i]!;
          for (let gj = gi + 1; gj < g.length; ++gj) {
            const bj = this.blocks[g[gj]!]!;
            if (eqBlk(bi, bj)) {
              bi.link = bj.link ? bj.link : bj;
              break;
            }
          }
        }
      }
      for (const p of this.blocks) {
        if (!JT(p)) continue;
        if (JT(p)!.link) {
          done1 = false;
          p.et.succ = JT(p)!.link;
        }
        if (JF(p)!.link) {
          done1 = false;
          p.ef.succ = JF(p)!.link;
        }
      }
      if (done1) return;
    }
  }
}

function optRoot(b: Block): Block {
  const s = b.stmts;
  b.stmts = null;
  while (bpfClass(b.s.code) === BPF_JMP && JT(b) === JF(b)) b = JT(b)!;
  const tmp = b.stmts;
  let merged = s;
  if (tmp) {
    if (merged) sappend(merged, tmp);
    else merged = tmp;
  }
  b.stmts = merged;
  if (bpfClass(b.s.code) === BPF_RET) b.stmts = null;
  return b;
}

/** libpcap's bpf_optimize over the graph rooted at `root`; returns the new root. */
export function optimize(root: Block): Block {
  const o = new Optimizer(root);
  o.optLoop(false);
  o.optLoop(true);
  o.internBlocks();
  return optRoot(o.root);
}

export { BPF_LEN, BPF_NEG };
