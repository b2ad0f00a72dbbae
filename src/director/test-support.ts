// Re-exports for the director's own tests (one import line for constants and scheduler names).
export { SCHEDULER_NAMES as SCHEDULER_NAMES_FOR_TEST } from './schedulers/registry.js';
export { DIR_INPUT, DIR_OUTPUT, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from './types.js';
