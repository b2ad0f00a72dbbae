// Creates the data plane `tsvs run --plane` names: proxy (default, no privileges) or packet
// (Linux, CAP_NET_ADMIN; its static check() says why it cannot run here).

import type { PlaneFactory } from '../../control/daemon/daemon.js';
import { ProxyPlane } from '../../dataplane/proxy/index.js';
import { TsvsError } from '../../errors.js';

export type PlaneName = 'proxy' | 'packet';
export const PLANE_NAMES: readonly PlaneName[] = ['proxy', 'packet'];

/** The factory for a plane, after checking that it can run here (throws TsvsError otherwise). */
export async function planeFactory(name: PlaneName): Promise<PlaneFactory> {
  if (name === 'proxy') return (opts) => new ProxyPlane(opts);
  // Loaded only when chosen: it needs the native addon, which a proxy-only install may lack.
  let mod: typeof import('../../dataplane/packet/index.js');
  try {
    mod = await import('../../dataplane/packet/index.js');
  } catch (e) {
    throw new TsvsError(
      'TSVS_ERR_INTERNAL',
      `the packet plane cannot be loaded (${e instanceof Error ? e.message : String(e)}); use --plane proxy`,
      1,
    );
  }
  const why = mod.PacketPlane.check();
  if (why !== null) throw new TsvsError('TSVS_ERR_USAGE', `cannot use the packet plane: ${why}`, 1);
  const { PacketPlane } = mod;
  return (opts) => new PacketPlane(opts);
}
