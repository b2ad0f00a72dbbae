// Reference classic BPF interpreter (libpcap's bpf_filter semantics; out-of-bounds loads reject like the kernel).
import type { BpfInsn } from './index.js';

/** How many backward jumps one run may take before it rejects (a loop that never ends). */
export const MAX_BACKWARD_JUMPS = 65536;

/**
 * Runs `prog` over pkt[off .. off+caplen) whose length on the wire is `wirelen`.
 * Returns the accept length (0 = reject). Anything invalid (unknown opcode, division by
 * zero, load past the captured bytes, jump or fall off the end) rejects, as the kernel does.
 */
export function interpret(
  prog: readonly BpfInsn[],
  pkt: Uint8Array,
  off: number,
  caplen: number,
  wirelen: number,
): number {
  let A = 0;
  let X = 0;
  const M = new Uint32Array(16);
  const n = prog.length;
  let pc = 0;
  // Backward jumps (libpcap's protochain loops) are bounded so no program runs forever.
  let backjumps = MAX_BACKWARD_JUMPS;
  while (pc < n) {
    const p = prog[pc]!;
    const k = p.k >>> 0;
    pc++;
    switch (p.code) {
      case 0x06: // ret #k
        return k;
      case 0x16: // ret a
        return A >>> 0;
      case 0x20: // ld [k]
        if (k > caplen || 4 > caplen - k) return 0;
        A =
          ((pkt[off + k]! << 24) |
            (pkt[off + k + 1]! << 16) |
            (pkt[off + k + 2]! << 8) |
            pkt[off + k + 3]!) >>>
          0;
        break;
      case 0x28: // ldh [k]
        if (k > caplen || 2 > caplen - k) return 0;
        A = (pkt[off + k]! << 8) | pkt[off + k + 1]!;
        break;
      case 0x30: // ldb [k]
        if (k >= caplen) return 0;
        A = pkt[off + k]!;
        break;
      case 0x80: // ld #pktlen
        A = wirelen >>> 0;
        break;
      case 0x81: // ldx #pktlen
        X = wirelen >>> 0;
        break;
      case 0x40: {
        // ld [x + k]
        const a = X + k;
        if (a > 0xffffffff || a > caplen || 4 > caplen - a) return 0;
        A =
          ((pkt[off + a]! << 24) |
            (pkt[off + a + 1]! << 16) |
            (pkt[off + a + 2]! << 8) |
            pkt[off + a + 3]!) >>>
          0;
        break;
      }
      case 0x48: {
        const a = X + k;
        if (a > 0xffffffff || a > caplen || 2 > caplen - a) return 0;
        A = (pkt[off + a]! << 8) | pkt[off + a + 1]!;
        break;
      }
      case 0x50: {
        const a = X + k;
        if (a > 0xffffffff || a >= caplen) return 0;
        A = pkt[off + a]!;
        break;
      }
      case 0x00: // ld #k
        A = k;
        break;
      case 0x01: // ldx #k
        X = k;
        break;
      case 0xb1: // ldxb 4*([k]&0xf)
        if (k >= caplen) return 0;
        X = (pkt[off + k]! & 0xf) << 2;
        break;
      case 0x60:
        if (k >= 16) return 0;
        A = M[k]!;
        break;
      case 0x61:
        if (k >= 16) return 0;
        X = M[k]!;
        break;
      case 0x02:
        if (k >= 16) return 0;
        M[k] = A;
        break;
      case 0x03:
        if (k >= 16) return 0;
        M[k] = X;
        break;
      case 0x05: // ja (signed: libpcap's protochain loops jump backwards)
        if ((k | 0) < 0 && --backjumps < 0) return 0;
        pc += k | 0;
        if (pc < 0) return 0;
        break;
      case 0x25:
        pc += A > k ? p.jt : p.jf;
        break;
      case 0x35:
        pc += A >= k ? p.jt : p.jf;
        break;
      case 0x15:
        pc += A === k ? p.jt : p.jf;
        break;
      case 0x45:
        pc += (A & k) !== 0 ? p.jt : p.jf;
        break;
      case 0x2d:
        pc += A > X ? p.jt : p.jf;
        break;
      case 0x3d:
        pc += A >= X ? p.jt : p.jf;
        break;
      case 0x1d:
        pc += A === X ? p.jt : p.jf;
        break;
      case 0x4d:
        pc += (A & X) !== 0 ? p.jt : p.jf;
        break;
      case 0x0c:
        A = (A + X) >>> 0;
        break;
      case 0x1c:
        A = (A - X) >>> 0;
        break;
      case 0x2c:
        A = Math.imul(A, X) >>> 0;
        break;
      case 0x3c:
        if (X === 0) return 0;
        A = (A / X) >>> 0;
        break;
      case 0x9c:
        if (X === 0) return 0;
        A = (A % X) >>> 0;
        break;
      case 0x5c:
        A = (A & X) >>> 0;
        break;
      case 0x4c:
        A = (A | X) >>> 0;
        break;
      case 0xac:
        A = (A ^ X) >>> 0;
        break;
      case 0x6c:
        A = X < 32 ? (A << X) >>> 0 : 0;
        break;
      case 0x7c:
        A = X < 32 ? A >>> X : 0;
        break;
      case 0x04:
        A = (A + k) >>> 0;
        break;
      case 0x14:
        A = (A - k) >>> 0;
        break;
      case 0x24:
        A = Math.imul(A, k) >>> 0;
        break;
      case 0x34:
        if (k === 0) return 0;
        A = (A / k) >>> 0;
        break;
      case 0x94:
        if (k === 0) return 0;
        A = (A % k) >>> 0;
        break;
      case 0x54:
        A = (A & k) >>> 0;
        break;
      case 0x44:
        A = (A | k) >>> 0;
        break;
      case 0xa4:
        A = (A ^ k) >>> 0;
        break;
      case 0x64:
        A = k < 32 ? (A << k) >>> 0 : 0;
        break;
      case 0x74:
        A = k < 32 ? A >>> k : 0;
        break;
      case 0x84:
        A = -A >>> 0;
        break;
      case 0x07:
        X = A;
        break;
      case 0x87:
        A = X;
        break;
      default:
        return 0;
    }
  }
  return 0;
}
