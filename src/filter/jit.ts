// Compiles a classic BPF program to a JavaScript function (new Function over a switch translation).
import type { BpfInsn, CompiledFilter } from './index.js';
import { interpret, MAX_BACKWARD_JUMPS } from './interp.js';

/** JavaScript source of the body of (p, o, c, w) => accept length; same semantics as interpret(). */
export function programSource(prog: readonly BpfInsn[]): string {
  const n = prog.length;
  const lines: string[] = [];
  let usesMem = false;
  // A jump target outside the program rejects; every in-range target gets a case label.
  const target = (t: number): string => (t >= n || t < 0 ? 'return 0;' : `pc = ${t}; continue;`);
  for (let i = 0; i < n; i++) {
    const p = prog[i]!;
    const k = p.k >>> 0;
    const ld32 = (a: string) =>
      `A = ((p[o + ${a}] << 24) | (p[o + ${a} + 1] << 16) | (p[o + ${a} + 2] << 8) | p[o + ${a} + 3]) >>> 0;`;
    let s: string;
    switch (p.code) {
      case 0x06:
        s = `return ${k};`;
        break;
      case 0x16:
        s = 'return A >>> 0;';
        break;
      case 0x20:
        s = `if (c < ${k + 4}) return 0; ${ld32(String(k))}`;
        break;
      case 0x28:
        s = `if (c < ${k + 2}) return 0; A = (p[o + ${k}] << 8) | p[o + ${k + 1}];`;
        break;
      case 0x30:
        s = `if (c < ${k + 1}) return 0; A = p[o + ${k}];`;
        break;
      case 0x80:
        s = 'A = w >>> 0;';
        break;
      case 0x81:
        s = 'X = w >>> 0;';
        break;
      case 0x40:
        s = `t = X + ${k}; if (t + 4 > c) return 0; ${ld32('t')}`;
        break;
      case 0x48:
        s = `t = X + ${k}; if (t + 2 > c) return 0; A = (p[o + t] << 8) | p[o + t + 1];`;
        break;
      case 0x50:
        s = `t = X + ${k}; if (t >= c) return 0; A = p[o + t];`;
        break;
      case 0x00:
        s = `A = ${k};`;
        break;
      case 0x01:
        s = `X = ${k};`;
        break;
      case 0xb1:
        s = `if (c <= ${k}) return 0; X = (p[o + ${k}] & 15) << 2;`;
        break;
      case 0x60:
        usesMem = true;
        s = k < 16 ? `A = M${k};` : 'return 0;';
        break;
      case 0x61:
        usesMem = true;
        s = k < 16 ? `X = M${k};` : 'return 0;';
        break;
      case 0x02:
        usesMem = true;
        s = k < 16 ? `M${k} = A;` : 'return 0;';
        break;
      case 0x03:
        usesMem = true;
        s = k < 16 ? `M${k} = X;` : 'return 0;';
        break;
      case 0x05:
        // Signed offset: libpcap's protochain loops jump backwards (bounded like the interpreter).
        s = (k | 0) < 0 ? `if (--b < 0) return 0; ${target(i + 1 + (k | 0))}` : target(i + 1 + (k | 0));
        break;
      case 0x25:
      case 0x35:
      case 0x15:
      case 0x45:
      case 0x2d:
      case 0x3d:
      case 0x1d:
      case 0x4d: {
        const rhs = p.code & 0x08 ? 'X' : String(k);
        const op = p.code & 0xf0;
        const cond =
          op === 0x20
            ? `A > ${rhs}`
            : op === 0x30
              ? `A >= ${rhs}`
              : op === 0x10
                ? `A === ${rhs}`
                : `(A & ${rhs}) !== 0`;
        const jt = i + 1 + p.jt;
        const jf = i + 1 + p.jf;
        if (jt === jf) s = target(jt);
        else s = `if (${cond}) { ${target(jt)} } ${target(jf)}`;
        break;
      }
      case 0x0c:
        s = 'A = (A + X) >>> 0;';
        break;
      case 0x1c:
        s = 'A = (A - X) >>> 0;';
        break;
      case 0x2c:
        s = 'A = Math.imul(A, X) >>> 0;';
        break;
      case 0x3c:
        s = 'if (X === 0) return 0; A = (A / X) >>> 0;';
        break;
      case 0x9c:
        s = 'if (X === 0) return 0; A = (A % X) >>> 0;';
        break;
      case 0x5c:
        s = 'A = (A & X) >>> 0;';
        break;
      case 0x4c:
        s = 'A = (A | X) >>> 0;';
        break;
      case 0xac:
        s = 'A = (A ^ X) >>> 0;';
        break;
      case 0x6c:
        s = 'A = X < 32 ? (A << X) >>> 0 : 0;';
        break;
      case 0x7c:
        s = 'A = X < 32 ? A >>> X : 0;';
        break;
      case 0x04:
        s = `A = (A + ${k}) >>> 0;`;
        break;
      case 0x14:
        s = `A = (A - ${k}) >>> 0;`;
        break;
      case 0x24:
        s = `A = Math.imul(A, ${k}) >>> 0;`;
        break;
      case 0x34:
        s = k === 0 ? 'return 0;' : `A = (A / ${k}) >>> 0;`;
        break;
      case 0x94:
        s = k === 0 ? 'return 0;' : `A = (A % ${k}) >>> 0;`;
        break;
      case 0x54:
        s = `A = (A & ${k}) >>> 0;`;
        break;
      case 0x44:
        s = `A = (A | ${k}) >>> 0;`;
        break;
      case 0xa4:
        s = `A = (A ^ ${k}) >>> 0;`;
        break;
      case 0x64:
        s = k < 32 ? `A = (A << ${k}) >>> 0;` : 'A = 0;';
        break;
      case 0x74:
        s = k < 32 ? `A = A >>> ${k};` : 'A = 0;';
        break;
      case 0x84:
        s = 'A = (-A) >>> 0;';
        break;
      case 0x07:
        s = 'X = A;';
        break;
      case 0x87:
        s = 'A = X;';
        break;
      default:
        s = 'return 0;';
    }
    lines.push(`case ${i}: ${s}`);
  }
  const mem = usesMem
    ? 'let M0 = 0, M1 = 0, M2 = 0, M3 = 0, M4 = 0, M5 = 0, M6 = 0, M7 = 0, M8 = 0, M9 = 0, M10 = 0, M11 = 0, M12 = 0, M13 = 0, M14 = 0, M15 = 0;\n'
    : '';
  return `let A = 0, X = 0, t = 0, pc = 0, b = ${MAX_BACKWARD_JUMPS};\n${mem}for (;;) {\nswitch (pc) {\n${lines.join('\n')}\ndefault: return 0;\n}\nreturn 0;\n}`;
}

const TOO_BIG = new Error('program too big for the tree form');

/**
 * Straight-line form: the program's DAG unfolded into nested `if`s (every path ends in a return),
 * so no dispatch loop runs per packet. Throws TOO_BIG for backward jumps or too much unfolding.
 */
export function treeSource(prog: readonly BpfInsn[]): string {
  const n = prog.length;
  // Reuse the switch translation of each non-branch instruction.
  const one = programSource(prog)
    .split('\n')
    .filter((l) => l.startsWith('case '))
    .map((l) => l.replace(/^case \d+: /, ''));
  let budget = 4000;
  const emit = (pc: number): string => {
    let out = '';
    for (;;) {
      if (pc >= n || pc < 0) return `${out}return 0;`;
      if (--budget < 0) throw TOO_BIG;
      const p = prog[pc]!;
      const cls = p.code & 0x07;
      if (p.code === 0x05) {
        if ((p.k | 0) < 0) throw TOO_BIG;
        pc = pc + 1 + (p.k | 0);
        continue;
      }
      if (cls === 0x05) {
        const op = p.code & 0xf0;
        if (op !== 0x10 && op !== 0x20 && op !== 0x30 && op !== 0x40) return `${out}return 0;`;
        const rhs = p.code & 0x08 ? 'X' : String(p.k >>> 0);
        const cond =
          op === 0x20
            ? `A > ${rhs}`
            : op === 0x30
              ? `A >= ${rhs}`
              : op === 0x10
                ? `A === ${rhs}`
                : `(A & ${rhs}) !== 0`;
        if (p.jt === p.jf) {
          pc = pc + 1 + p.jt;
          continue;
        }
        return `${out}if (${cond}) {\n${emit(pc + 1 + p.jt)}\n}\n${emit(pc + 1 + p.jf)}`;
      }
      const line = one[pc]!;
      if (cls === 0x06 || line.startsWith('return')) return out + line;
      out += `${line}\n`;
      pc++;
    }
  };
  const body = emit(0);
  const mem =
    'let M0 = 0, M1 = 0, M2 = 0, M3 = 0, M4 = 0, M5 = 0, M6 = 0, M7 = 0, M8 = 0, M9 = 0, M10 = 0, M11 = 0, M12 = 0, M13 = 0, M14 = 0, M15 = 0;';
  return `let A = 0, X = 0, t = 0;\n${/M[0-9]/.test(body) ? mem : ''}\n${body}`;
}

/** A function equal to interpret(prog, ...). Falls back to the interpreter if codegen fails. */
export function compileProgram(prog: readonly BpfInsn[]): CompiledFilter {
  const copy = prog.map((p) => ({ code: p.code & 0xffff, jt: p.jt & 0xff, jf: p.jf & 0xff, k: p.k >>> 0 }));
  try {
    let src: string;
    try {
      src = treeSource(copy);
    } catch (e) {
      if (e !== TOO_BIG) throw e;
      src = programSource(copy);
    }
    return new Function('p', 'o', 'c', 'w', src) as CompiledFilter;
  } catch {
    return (pkt, off, caplen, wirelen) => interpret(copy, pkt, off, caplen, wirelen);
  }
}
