// Hand-assembled classic BPF for "udp port 9000" over Ethernet, LINUX_SLL and LINUX_SLL2, so the live
// tests do not depend on the filter compiler (the shape of `tcpdump -d 'ip and udp port 9000'`).
import type { BpfInsn } from '../../../src/filter/index.js';

const LDH_ABS = 0x28;
const LDB_ABS = 0x30;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const LDXB_MSH = 0xb1;
const LDH_IND = 0x48;
const RET_K = 0x06;

const REJECT = 11;
const ACCEPT = 12;

/** IPv4, UDP, first fragment, source or destination port `port`; ethertype at `proto`, IP at `ip`. */
function udpPort(proto: number, ip: number, port: number): BpfInsn[] {
  // jt/jf are relative to the next instruction: to(target, at) = target - at - 1.
  const to = (target: number, at: number) => target - at - 1;
  const i = (code: number, k: number, jt = 0, jf = 0): BpfInsn => ({ code, jt, jf, k });
  return [
    /* 0 */ i(LDH_ABS, proto),
    /* 1 */ i(JEQ_K, 0x0800, 0, to(REJECT, 1)),
    /* 2 */ i(LDB_ABS, ip + 9),
    /* 3 */ i(JEQ_K, 17, 0, to(REJECT, 3)),
    /* 4 */ i(LDH_ABS, ip + 6),
    /* 5 */ i(JSET_K, 0x1fff, to(REJECT, 5), 0),
    /* 6 */ i(LDXB_MSH, ip),
    /* 7 */ i(LDH_IND, ip),
    /* 8 */ i(JEQ_K, port, to(ACCEPT, 8), 0),
    /* 9 */ i(LDH_IND, ip + 2),
    /* 10 */ i(JEQ_K, port, to(ACCEPT, 10), to(REJECT, 10)),
    /* 11 */ i(RET_K, 0),
    /* 12 */ i(RET_K, 262144),
  ];
}

export const ETHER_UDP_9000 = udpPort(12, 14, 9000);
export const SLL_UDP_9000 = udpPort(14, 16, 9000);
export const SLL2_UDP_9000 = udpPort(0, 20, 9000);
