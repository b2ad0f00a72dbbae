// Listing order helpers for control/: ipvsadm 1.31 sorts real servers (libipvs ipvs_cmp_dests) by
// address then port, subtracting host-order u32 words into a signed int (its quirk kept, so
// 10.0.0.1 sorts after 192.168.0.1 as real ipvsadm prints it).

import { parseAddr } from './addr.js';
import type { RealServerSnapshot } from './types.js';

/** ipvs_cmp_dests over snapshots (family taken from the first argument, as libipvs does). */
export function compareRealsIpvsadm(a: RealServerSnapshot, b: RealServerSnapshot): number {
  const wa = parseAddr(a.address)?.w ?? new Uint32Array(4);
  const wb = parseAddr(b.address)?.w ?? new Uint32Array(4);
  let r = 0;
  if (a.family === 6) for (let i = 0; !r && i < 4; i++) r = (wa[i]! - wb[i]!) | 0;
  else r = (wa[3]! - wb[3]!) | 0;
  if (r) return r;
  return a.port - b.port;
}

/** The reals of a service as `ipvsadm -L` lists them (without --nosort). New array. */
export function sortRealsIpvsadm(reals: readonly RealServerSnapshot[]): RealServerSnapshot[] {
  return [...reals].sort(compareRealsIpvsadm);
}
