// Public API of the director core (pure, synchronous; time `now` in milliseconds, passed in).
// control/ and dataplane/ import only from here. See api.ts for the contract of each method.

export * from './addr.js';
export type { DirectorApi } from './api.js';
export { Director, schedFlagNames } from './director.js';
export type { DirectorOp, KernelErrno, Result } from './errors.js';
export { DirectorError, ipvsadmMessage, KERNEL_REFUSAL_EXIT } from './errors.js';
export { SCHEDULER_NAMES } from './schedulers/registry.js';
export { STATE_NAMES } from './tcp-state.js';
export * from './types.js';
