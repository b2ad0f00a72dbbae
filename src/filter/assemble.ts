// Assembler: linearizes the block graph into classic BPF (libpcap's icode_to_fcode layout:
// false branch first, blocks emitted back to front, long jumps get an extra `ja`).
import type { Block, Slist } from './cfg.js';
import { FilterError } from './errors.js';
import type { BpfInsn } from './index.js';
import { BPF_JA, BPF_JMP, BPF_RET, bpfClass } from './insn.js';

export const NOP = -1;

function slength(s: Slist | null): number {
  let n = 0;
  for (; s; s = s.next) if (s.s.code !== NOP) n++;
  return n;
}

/** Converts the graph rooted at `root` into instructions. */
export function assemble(root: Block): BpfInsn[] {
  for (;;) {
    const marked = new Set<Block>();
    const countStmts = (p: Block | null): number => {
      if (!p || marked.has(p)) return 0;
      marked.add(p);
      const n = countStmts(p.et.succ) + countStmts(p.ef.succ);
      return slength(p.stmts) + n + 1 + p.longjt + p.longjf;
    };
    const n = countStmts(root);
    const out: BpfInsn[] = Array.from({ length: n }, () => ({ code: 0, jt: 0, jf: 0, k: 0 }));
    let ftail = n;
    const done = new Set<Block>();
    const convert = (p: Block | null): boolean => {
      if (!p || done.has(p)) return true;
      done.add(p);
      if (!convert(p.ef.succ)) return false;
      if (!convert(p.et.succ)) return false;
      const slen = slength(p.stmts);
      ftail -= slen + 1 + p.longjt + p.longjf;
      let dst = ftail;
      p.offset = dst;
      const offsets: Slist[] = [];
      // As libpcap: the first slen list entries, NOPs included, are the in-block jump targets.
      for (let src = p.stmts; src && offsets.length < slen; src = src.next) offsets.push(src);
      let off = 0;
      for (let src = p.stmts; src; src = src.next) {
        if (src.s.code === NOP) continue;
        const d = out[dst]!;
        d.code = src.s.code;
        d.k = src.s.k >>> 0;
        if (bpfClass(src.s.code) === BPF_JMP && src.s.code !== (BPF_JMP | BPF_JA) && off !== slen - 2) {
          if (!src.s.jt || !src.s.jf)
            throw new FilterError(`no jmp destination for block-local relative jump: off=${off}`);
          let jt = 0;
          let jf = 0;
          for (let i = 0; i < slen; i++) {
            if (offsets[i] === src.s.jt) {
              d.jt = i - off - 1;
              jt++;
            }
            if (offsets[i] === src.s.jf) {
              d.jf = i - off - 1;
              jf++;
            }
          }
          if (!jt || !jf)
            throw new FilterError(`no destination found for block-local relative jump: off=${off}`);
        }
        dst++;
        off++;
      }
      const d = out[dst]!;
      d.code = p.s.code;
      d.k = p.s.k >>> 0;
      if (p.et.succ) {
        let extra = 0;
        let o = p.et.succ.offset - (p.offset + slen) - 1;
        if (o >= 256) {
          if (p.longjt === 0) {
            p.longjt++;
            return false;
          }
          d.jt = extra;
          extra++;
          out[dst + extra] = { code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: o - extra };
        } else d.jt = o;
        o = p.ef.succ!.offset - (p.offset + slen) - 1;
        if (o >= 256) {
          if (p.longjf === 0) {
            p.longjf++;
            return false;
          }
          d.jf = extra;
          extra++;
          out[dst + extra] = { code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: o - extra };
        } else d.jf = o;
      } else if (bpfClass(p.s.code) !== BPF_RET) {
        throw new FilterError('internal error: branch without a target');
      }
      return true;
    };
    if (convert(root)) return out;
  }
}
