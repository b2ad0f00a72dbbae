// Verdicts of the forward/ transforms: what the data plane does with the packet after the rewrite.

/** Numeric so the hot path compares integers; names follow IPVS's NF_* outcomes and its drop reasons. */
export const Verdict = {
  /** Rewritten in place: send it on. */
  FORWARD: 0,
  /** Not an IPv4 packet this transform understands (bad header, truncated L4): drop and count. */
  DROP_MALFORMED: 1,
  /** TTL would reach 0: drop (the kernel sends ICMP time exceeded). */
  DROP_TTL: 2,
  /** FULLNAT: no local address:port left in the pool. */
  DROP_POOL_EXHAUSTED: 3,
  /** Encapsulated packet exceeds the MTU with DF set: answer ICMP frag needed. */
  FRAG_NEEDED: 4,
  /** Not enough headroom before the packet for the header to prepend. */
  DROP_NO_HEADROOM: 5,
  /** A non-first fragment: only its addresses were rewritten (no L4 header to touch). */
  FORWARD_FRAGMENT: 6,
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export const VERDICT_NAMES: readonly string[] = [
  'forward',
  'drop-malformed',
  'drop-ttl',
  'drop-pool-exhausted',
  'frag-needed',
  'drop-no-headroom',
  'forward-fragment',
];
