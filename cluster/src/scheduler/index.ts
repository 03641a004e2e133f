/**
 * The scheduler of the playground.
 *
 * Exports (called by the Playground façade):
 * - `createScheduler(ctx, opts?)` → Component named `default-scheduler`.
 *   Binds through the pods/binding subresource (falls back to a spec.nodeName
 *   update when the apiserver answers 404/405 for it).
 * - `fitErrorMessage`, `numFeasibleNodesToFind`, `FILTERS` — the pure parts,
 *   for tests and the teaching UI.
 */
import type { ComponentContext } from '../contract';
import { Scheduler, type SchedulerOptions } from './scheduler';

export { Scheduler, SCHEDULER_NAME } from './scheduler';
export type { SchedulerOptions } from './scheduler';
export { fitErrorMessage, NO_NODES_MESSAGE } from './message';
export { numFeasibleNodesToFind } from './score';
export { FILTERS, tolerates, nodeSelectorTermMatches } from './filters';
export { podRequests, qosClass, quantity } from './resources';

export function createScheduler(ctx: ComponentContext, opts: SchedulerOptions = {}): Scheduler {
  return new Scheduler(ctx, opts);
}
