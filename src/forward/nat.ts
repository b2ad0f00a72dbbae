// LVS-NAT (ip_vs_nat_xmit / ip_vs_snat_out): VIP:vport <-> RIP:rport, in place, incremental checksums.
import { IPV4_DST, IPV4_SRC, ipv4HeaderLen, isLaterFragment, setAddr, setPort } from './l4.js';
import { Verdict } from './verdict.js';

/** Client -> real server: destination VIP:vport becomes RIP:rport. */
export function natIn(b: Uint8Array, off: number, len: number, rip: number, rport: number): Verdict {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0) return Verdict.DROP_MALFORMED;
  setAddr(b, off, hl, IPV4_DST, rip);
  if (isLaterFragment(b, off)) return Verdict.FORWARD_FRAGMENT;
  setPort(b, off, hl, 2, rport);
  return Verdict.FORWARD;
}

/** Real server -> client: source RIP:rport becomes VIP:vport. */
export function natOut(b: Uint8Array, off: number, len: number, vip: number, vport: number): Verdict {
  const hl = ipv4HeaderLen(b, off, len);
  if (hl < 0) return Verdict.DROP_MALFORMED;
  setAddr(b, off, hl, IPV4_SRC, vip);
  if (isLaterFragment(b, off)) return Verdict.FORWARD_FRAGMENT;
  setPort(b, off, hl, 0, vport);
  return Verdict.FORWARD;
}
