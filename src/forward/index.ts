// forward/: pure in-place packet transforms for the packet plane (NAT, FULLNAT, TUN, DR, ICMP, MSS, TTL).
export { drFrame, ETH_HLEN, ETHERTYPE_IPV4 } from './dr.js';
export { fullnatIn, fullnatOut, LocalPortPool } from './fullnat.js';
export { icmpErrorTranslate, icmpQuoteOffset, isIcmpError } from './icmp-error.js';
export { ipv4HeaderLen, isFragment, isLaterFragment, rd16, rd32 } from './l4.js';
export { clampMss } from './mss.js';
export { natIn, natOut } from './nat.js';
export { ttlAdjust } from './ttl.js';
export { IPPROTO_IPIP, ipipEncap, tunnelMss } from './tunnel.js';
export { VERDICT_NAMES, Verdict } from './verdict.js';
