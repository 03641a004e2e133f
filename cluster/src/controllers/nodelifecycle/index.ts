/**
 * Node lifecycle in the controller manager.
 *
 * Exports (called by the Playground façade, each a Component):
 * - `createNodeLifecycleController(ctx)` — heartbeats → Ready=Unknown after
 *   50 s, condition taints (not-ready, unreachable, unschedulable), pods
 *   marked not ready, RegisteredNode / NodeNotReady events from node-controller.
 * - `createTaintEvictionController(ctx)` — evicts pods from NoExecute-tainted
 *   nodes after their tolerationSeconds.
 * - `createPodGCController(ctx)` — force-deletes pods of removed nodes.
 * - `createNodeControllers(ctx)` — all three.
 */
import type { ComponentContext } from '../../contract';
import { NodeLifecycleController } from './lifecycle';
import { PodGCController } from './podgc';
import { TaintEvictionController } from './tainteviction';

export { NodeLifecycleController, NODE_MONITOR_GRACE_PERIOD_MS, NODE_MONITOR_PERIOD_MS, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE } from './lifecycle';
export { TaintEvictionController, evictionDelayMs } from './tainteviction';
export { PodGCController, QUARANTINE_MS } from './podgc';

export const createNodeLifecycleController = (ctx: ComponentContext) => new NodeLifecycleController(ctx);
export const createTaintEvictionController = (ctx: ComponentContext) => new TaintEvictionController(ctx);
export const createPodGCController = (ctx: ComponentContext) => new PodGCController(ctx);
/** `as(name)` gives each its service account; the taint-eviction controller uses node-controller's (core.go newTaintEvictionController). */
export const createNodeControllers = (ctx: ComponentContext, as: (controller: string) => ComponentContext = () => ctx) =>
  [createNodeLifecycleController(as('node-controller')), createTaintEvictionController(as('node-controller')), createPodGCController(as('pod-garbage-collector'))];
