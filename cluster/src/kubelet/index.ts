/**
 * Nodes and kubelets of the playground.
 *
 * Exports (called by the Playground façade):
 * - `createNodes(ctx, count, capacity?)` → `NodeFleet`, a Component. `start()`
 *   registers `count` nodes named kubeplay-worker, kubeplay-worker2, ... and
 *   starts their kubelets (lease heartbeats, pod lifecycle stage engine); with
 *   `controlPlane`, kubeplay-control-plane first, tainted, running kubeadm's
 *   static pods (staticpods.ts) as mirror pods in kube-system; with `cni`, each node is
 *   NotReady until its CNI's pod has written the network config (cni.ts).
 *   Operator actions: `addNode(name?)`, `removeNode(name)`, `failNode(name)`,
 *   `recoverNode(name)`, `cordon(name)`, `cordon(name, false)` (= uncordon),
 *   `drain(name)`; `killPod(ns, name)` via `fleet.engine.killPod`.
 * - `logs(fleet, ns, pod, container?, previous?)` → simulated container log lines;
 *   with `previous`, throws NoPreviousContainerError (upstream's message) when
 *   there is no previous instance. `previousLogLines(pod, container)` answers
 *   the same from the pod object alone (for the HTTP log subresource).
 * - Probes (probes.ts): liveness, readiness and startup, by docs/images.md.
 * - `STAGES` — the pod lifecycle stage table; `behaviourOf` — the image
 *   convention of docs/images.md.
 */
import type { ComponentContext } from '../contract';
import { NodeFleet, type NodeCapacity } from './nodes';

export { NodeFleet, nodeName, CONTROL_PLANE_NODE, CONTROL_PLANE_ROLE, podCidr, readyConditions, KUBELET_VERSION, LEASE_RENEW_MS } from './nodes';
export type { NodeCapacity } from './nodes';
export { KubeletEngine } from './engine';
export { STAGES, BACKOFF_INITIAL_MS, BACKOFF_MAX_MS } from './stages';
export { probeAnswer } from './images';
export { behaviourOf, parseImage, JOB_DEFAULT_RUN_MS } from '../../../kube/src/imageConvention';
export { previousLogLines, NoPreviousContainerError } from './logs';

export function createNodes(ctx: ComponentContext, count = 3, capacity: NodeCapacity = {}, controlPlane = false, cni = false): NodeFleet {
  return new NodeFleet(ctx, count, capacity, controlPlane, cni);
}

export function logs(fleet: NodeFleet, namespace: string, pod: string, container?: string, previous = false, instance?: string): string[] {
  return fleet.engine.logs(namespace, pod, container, previous, instance);
}
