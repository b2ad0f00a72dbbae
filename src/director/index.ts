// Public API of the director core (pure, synchronous; time `now` in milliseconds, passed in).
// control/ and dataplane/ import only from here. See api.ts for the contract of each method.
//
// Typical use (proxy plane):
//   const d = new Director({ connCapacity: 1 << 20 });
//   const r = d.addService({ kind: 'addr', protocol: 'TCP', address: '10.0.0.100', port: 80 }, { scheduler: 'wrr' });
//   if (!r.ok) print(r.error.message);            // ipvsadm's wording; r.error.errno / .op / .exitStatus
//   d.addServer(key, { address: '192.168.10.1', port: 80, weight: 3, method: 'masq' });
//   // on accept:
//   const rid = d.schedule(svcId, clientIp, clientPort, now);          // -1: no destination
//   const cid = d.connect(svcId, rid, clientIp, clientPort, vip, vport, now, { seesReplies: true });
//   d.event(cid, 'connecting', now); ... d.event(cid, 'established', now);
//   d.traffic(cid, DIR_INPUT, 1, chunk.length, now);                   // per relayed chunk
//   d.event(cid, 'client-fin' | 'server-fin' | 'closed', now);
//   // every second: d.tick(now); every 2 s: d.estimate(now)
//   // listing: d.snapshot() (services in ipvsadm order, reals in kernel order), d.connections(now)
// Packet plane: lookupServiceV4 / scheduleV4 / connectV4 / lookupConnV4 / lookupConnReplyV4 /
// packet(cid, dir, tcpFlags, l3Bytes, now) / reuseOnSyn / realAddrV4 (no allocation); IPv6 via
// the *W forms (four-word addresses); FULLNAT replies via setConnLocal* / lookupConnLocal*.

export * from './addr.js';
export type { DirectorApi, PacketPlaneApi } from './api.js';
export { Director } from './director.js';
export type { DirectorOp, KernelErrno, Result } from './errors.js';
export { DirectorError, ipvsadmMessage, KERNEL_REFUSAL_EXIT } from './errors.js';
export { compareRealsIpvsadm, sortRealsIpvsadm } from './listing.js';
export { SCHEDULER_NAMES } from './schedulers/registry.js';
export type { SimulatedClient, SimulatedService, SimulateOptions, SimulationStep } from './simulate.js';
export { simulate } from './simulate.js';
export { schedFlagNames } from './snapshot.js';
export { isSchedulable, STATE_NAMES } from './tcp-state.js';
export * from './types.js';
