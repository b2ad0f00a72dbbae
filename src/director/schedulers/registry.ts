// Schedulers by the name ipvsadm uses (-s NAME); each service gets its own instance (its own state).

import { DestinationHashing } from './dh.js';
import { WeightedFailover } from './fo.js';
import { LocalityLeastConnection } from './lblc.js';
import { LocalityLeastConnectionReplication } from './lblcr.js';
import { LeastConnection } from './lc.js';
import { MaglevHashing } from './mh.js';
import { NeverQueue } from './nq.js';
import { WeightedOverflow } from './ovf.js';
import { RoundRobin } from './rr.js';
import type { Scheduler } from './scheduler.js';
import { ShortestExpectedDelay } from './sed.js';
import { SourceHashing } from './sh.js';
import { TwoChoices } from './twos.js';
import { WeightedLeastConnection } from './wlc.js';
import { WeightedRoundRobin } from './wrr.js';

const FACTORIES: Readonly<Record<string, () => Scheduler>> = {
  rr: () => new RoundRobin(),
  wrr: () => new WeightedRoundRobin(),
  lc: () => new LeastConnection(),
  wlc: () => new WeightedLeastConnection(),
  lblc: () => new LocalityLeastConnection(),
  lblcr: () => new LocalityLeastConnectionReplication(),
  dh: () => new DestinationHashing(),
  sh: () => new SourceHashing(),
  sed: () => new ShortestExpectedDelay(),
  nq: () => new NeverQueue(),
  fo: () => new WeightedFailover(),
  ovf: () => new WeightedOverflow(),
  mh: () => new MaglevHashing(),
  twos: () => new TwoChoices(),
};

/** Scheduler names in ipvsadm's SCHEDULERS order, then twos. */
export const SCHEDULER_NAMES: readonly string[] = Object.keys(FACTORIES);

/** A new scheduler instance for `name`, or null when the name is unknown (ENOENT). */
export function createScheduler(name: string): Scheduler | null {
  const f = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  return f ? f() : null;
}
