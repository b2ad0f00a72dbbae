// Creates the data plane `tsvs run --plane` names: proxy (default, no privileges) or packet
// (Linux, CAP_NET_ADMIN; its static check() says why it cannot run here).

import type { PlaneFactory } from '../../control/daemon/daemon.js';
import type { DataPlane, PlaneOptions } from '../../dataplane/plane.js';
import { ProxyPlane } from '../../dataplane/proxy/index.js';
import { TsvsError } from '../../errors.js';

export type PlaneName = 'proxy' | 'packet';
export const PLANE_NAMES: readonly PlaneName[] = ['proxy', 'packet'];

interface PlaneModule {
  new (opts: PlaneOptions): DataPlane;
  check?: () => string | null;
}

// The packet plane is loaded only when chosen: it needs the native addon, which a proxy-only
// install may lack (a variable path keeps it out of the static import graph).
const PACKET = { path: '../../dataplane/packet/index.js', exportName: 'PacketPlane' };

/** The factory for a plane, after checking that it can run here (throws TsvsError otherwise). */
export async function planeFactory(name: PlaneName): Promise<PlaneFactory> {
  if (name === 'proxy') return (opts) => new ProxyPlane(opts);
  const m = PACKET;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(m.path)) as Record<string, unknown>;
  } catch (e) {
    throw new TsvsError(
      'TSVS_ERR_INTERNAL',
      `the ${name} plane cannot be loaded (${e instanceof Error ? e.message : String(e)}); run 'npm run build' first`,
      1,
    );
  }
  const Plane = mod[m.exportName] as PlaneModule | undefined;
  if (typeof Plane !== 'function')
    throw new TsvsError('TSVS_ERR_INTERNAL', `the ${name} plane module has no ${m.exportName}`, 1);
  const why = Plane.check?.() ?? null;
  if (why !== null) throw new TsvsError('TSVS_ERR_USAGE', `the ${name} plane cannot run here: ${why}`, 1);
  return (opts) => new Plane(opts);
}
