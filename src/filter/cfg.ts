// Control-flow graph of the code generator and optimizer: statements, blocks and edges as libpcap shapes them.

/** One non-branch statement; jt/jf are only used by in-block jumps (protochain, vlan patching). */
export interface Stmt {
  code: number;
  k: number;
  jt: Slist | null;
  jf: Slist | null;
}

export interface Slist {
  s: Stmt;
  next: Slist | null;
}

export interface Edge {
  id: number;
  /** Branch code of the edge (the block's jump, negated for the false edge). */
  code: number;
  edom: Uint32Array;
  succ: Block | null;
  pred: Block | null;
  next: Edge | null;
}

export const IS_UNCERTAIN = 0;
export const IS_TRUE = 1;
export const IS_FALSE = 2;

/** Atoms the optimizer tracks: M[0..15], A, X. */
export const N_ATOMS = 18;
export const A_ATOM = 16;
export const X_ATOM = 17;

export class Block {
  id = 0;
  offset = 0;
  longjt = 0;
  longjf = 0;
  mark = 0;
  /** The final branch (or return) of the block. */
  s: Stmt;
  stmts: Slist | null = null;
  /** During code generation: which of et/ef holds the backpatch list. */
  sense = false;
  /** Boolean constant detection (libpcap's IS_TRUE / IS_FALSE). */
  meaning = IS_UNCERTAIN;
  et: Edge;
  ef: Edge;
  head: Block;
  link: Block | null = null;
  level = 0;
  inEdges: Edge | null = null;
  dom: Uint32Array = new Uint32Array(0);
  closure: Uint32Array = new Uint32Array(0);
  inUse = 0;
  outUse = 0;
  oval = 0;
  val: Uint32Array = new Uint32Array(N_ATOMS);

  constructor(code: number, k = 0) {
    this.s = { code, k, jt: null, jf: null };
    this.et = { id: 0, code: 0, edom: new Uint32Array(0), succ: null, pred: this, next: null };
    this.ef = { id: 0, code: 0, edom: new Uint32Array(0), succ: null, pred: this, next: null };
    this.head = this;
  }
}

export const JT = (b: Block): Block | null => b.et.succ;
export const JF = (b: Block): Block | null => b.ef.succ;

export function newStmt(code: number, k = 0): Slist {
  return { s: { code, k, jt: null, jf: null }, next: null };
}

/** Appends list s1 to the end of list s0. */
export function sappend(s0: Slist, s1: Slist | null): void {
  let s = s0;
  while (s.next) s = s.next;
  s.next = s1;
}
