// tcpdump -d / -dd / -ddd listings of a classic BPF program (libpcap's bpf_image and bpf_dump formats).
import type { BpfInsn } from './index.js';
import { SKF_AD_OFF } from './insn.js';

const AD_NAMES: Record<number, string> = {
  0: 'proto',
  4: 'type',
  8: 'ifidx',
  12: 'nla',
  16: 'nlan',
  20: 'mark',
  24: 'queue',
  28: 'hatype',
  32: 'rxhash',
  36: 'cpu',
  40: 'xor_x',
  44: 'vlan_tci',
  48: 'vlanp',
  52: 'poff',
  56: 'random',
  60: 'vlan_tpid',
};

const hex = (k: number): string => `#0x${(k >>> 0).toString(16)}`;
const sdec = (k: number): string => String(k | 0);

function absOperand(k: number): string {
  const u = k >>> 0;
  if (u >= SKF_AD_OFF && u < SKF_AD_OFF + 64) {
    const name = AD_NAMES[u - SKF_AD_OFF];
    if (name !== undefined) return `[${name}]`;
  }
  return `[${sdec(k)}]`;
}

/** [mnemonic, operand] of one instruction as bpf_image prints it. */
function opAndOperand(p: BpfInsn, n: number): [string, string] {
  const k = p.k;
  switch (p.code) {
    case 0x06:
      return ['ret', `#${sdec(k)}`];
    case 0x16:
      return ['ret', ''];
    case 0x20:
      return ['ld', absOperand(k)];
    case 0x28:
      return ['ldh', absOperand(k)];
    case 0x30:
      return ['ldb', absOperand(k)];
    case 0x80:
      return ['ld', '#pktlen'];
    case 0x81:
      return ['ldx', '#pktlen'];
    case 0x40:
      return ['ld', `[x + ${sdec(k)}]`];
    case 0x48:
      return ['ldh', `[x + ${sdec(k)}]`];
    case 0x50:
      return ['ldb', `[x + ${sdec(k)}]`];
    case 0x00:
      return ['ld', hex(k)];
    case 0x01:
      return ['ldx', hex(k)];
    case 0xb1:
      return ['ldxb', `4*([${sdec(k)}]&0xf)`];
    case 0x60:
      return ['ld', `M[${sdec(k)}]`];
    case 0x61:
      return ['ldx', `M[${sdec(k)}]`];
    case 0x02:
      return ['st', `M[${sdec(k)}]`];
    case 0x03:
      return ['stx', `M[${sdec(k)}]`];
    case 0x05:
      return ['ja', String(n + 1 + (k | 0))];
    case 0x25:
      return ['jgt', hex(k)];
    case 0x35:
      return ['jge', hex(k)];
    case 0x15:
      return ['jeq', hex(k)];
    case 0x45:
      return ['jset', hex(k)];
    case 0x2d:
      return ['jgt', 'x'];
    case 0x3d:
      return ['jge', 'x'];
    case 0x1d:
      return ['jeq', 'x'];
    case 0x4d:
      return ['jset', 'x'];
    case 0x0c:
      return ['add', 'x'];
    case 0x1c:
      return ['sub', 'x'];
    case 0x2c:
      return ['mul', 'x'];
    case 0x3c:
      return ['div', 'x'];
    case 0x9c:
      return ['mod', 'x'];
    case 0x5c:
      return ['and', 'x'];
    case 0x4c:
      return ['or', 'x'];
    case 0xac:
      return ['xor', 'x'];
    case 0x6c:
      return ['lsh', 'x'];
    case 0x7c:
      return ['rsh', 'x'];
    case 0x04:
      return ['add', `#${sdec(k)}`];
    case 0x14:
      return ['sub', `#${sdec(k)}`];
    case 0x24:
      return ['mul', `#${sdec(k)}`];
    case 0x34:
      return ['div', `#${sdec(k)}`];
    case 0x94:
      return ['mod', `#${sdec(k)}`];
    case 0x54:
      return ['and', hex(k)];
    case 0x44:
      return ['or', hex(k)];
    case 0xa4:
      return ['xor', hex(k)];
    case 0x64:
      return ['lsh', `#${sdec(k)}`];
    case 0x74:
      return ['rsh', `#${sdec(k)}`];
    case 0x84:
      return ['neg', ''];
    case 0x07:
      return ['tax', ''];
    case 0x87:
      return ['txa', ''];
    default:
      return ['unimp', `0x${p.code.toString(16)}`];
  }
}

/** One line of `tcpdump -d` (bpf_image), without the newline. */
export function imageOf(p: BpfInsn, n: number): string {
  const [op, operand] = opAndOperand(p, n);
  const num = String(n).padStart(3, '0');
  if ((p.code & 0x07) === 0x05 && (p.code & 0xf0) !== 0x00) {
    return `(${num}) ${op.padEnd(8)} ${operand.padEnd(16)} jt ${n + 1 + p.jt}\tjf ${n + 1 + p.jf}`;
  }
  if (operand === '') return `(${num}) ${op}`;
  return `(${num}) ${op.padEnd(8)} ${operand}`;
}

export function listProgram(prog: BpfInsn[], level: 1 | 2 | 3): string {
  let out = '';
  if (level === 3) {
    out += `${prog.length}\n`;
    for (const p of prog) out += `${p.code} ${p.jt} ${p.jf} ${p.k >>> 0}\n`;
    return out;
  }
  if (level === 2) {
    for (const p of prog) {
      out += `{ 0x${p.code.toString(16)}, ${p.jt}, ${p.jf}, 0x${(p.k >>> 0).toString(16).padStart(8, '0')} },\n`;
    }
    return out;
  }
  for (let i = 0; i < prog.length; i++) out += `${imageOf(prog[i]!, i)}\n`;
  return out;
}
