// wlc: weighted least connection, the default (kernel ip_vs_wlc.c): cross-multiplied, ties keep order.

import type { SchedService, Scheduler } from './scheduler.js';
import { wlcPick } from './scheduler.js';

export class WeightedLeastConnection implements Scheduler {
  readonly name = 'wlc';
  init(_svc: SchedService): void {}
  update(): void {}
  schedule(svc: SchedService, _flow: unknown): number {
    return wlcPick(svc);
  }
}
