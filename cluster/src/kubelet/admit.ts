/**
 * The kubelet's admission of a pod it did not get from the scheduler (one created with `spec.nodeName`, which skips
 * it): predicate.go's Admit runs the scheduler's fit (noderesources' fitsRequest: pods first, then cpu, memory,
 * ephemeral-storage and the scalar resources) against the pods the node has already admitted. A pod that does not
 * fit is rejected (rejectPod): `Failed`, reason `OutOf<resource>` (OutOfcpu, OutOfephemeral-storage,
 * OutOfnvidia.com/gpu, OutOfhugepages-2Mi), `Pod was rejected: Node didn't have enough resource: cpu, requested:
 * 10000, used: 850, capacity: 4000`, and a Warning event with that reason. The Assign Pods to Nodes page warns of
 * exactly this. A pod the scheduler bound fits by the same rule, so it is not checked again here.
 */
import { isExtendedResourceName } from '../../../kube/src/resourceNames';
import type { KObject } from '../contract';
import { podRequests, quantity } from '../scheduler/resources';

export interface Rejection {
  reason: string;
  message: string;
}

/** Whether the scheduler placed the pod (its PodScheduled condition), rather than the pod naming its node itself. */
export const scheduledByScheduler = (pod: KObject) => (pod.status?.conditions ?? []).some((c: any) => c?.type === 'PodScheduled' && c.status === 'True');

/**
 * The first resource the pod does not fit on the node, given the pods already admitted there (not terminal), or
 * undefined when it fits.
 */
export function admissionFailure(pod: KObject, node: KObject | undefined, admitted: KObject[]): Rejection | undefined {
  const alloc = node?.status?.allocatable;
  if (!alloc) return undefined;
  const live = admitted.filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
  const insufficient = (name: string, requested: number, used: number, capacity: number): Rejection => ({
    reason: `OutOf${name}`,
    message: `Node didn't have enough resource: ${name}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  });
  const maxPods = Math.floor(quantity(alloc.pods ?? '110'));
  if (live.length + 1 > maxPods) return insufficient('pods', 1, live.length, maxPods);
  const want = podRequests(pod);
  let cpu = 0, memory = 0, ephemeral = 0;
  const scalar = new Map<string, number>();
  for (const p of live) {
    const r = podRequests(p);
    cpu += r.milliCpu;
    memory += r.memory;
    ephemeral += r.ephemeral;
    if (want.scalar) for (const k in r.scalar) scalar.set(k, (scalar.get(k) ?? 0) + r.scalar[k]);
  }
  const cpuCap = Math.round(quantity(alloc.cpu ?? '0') * 1000);
  const memCap = Math.round(quantity(alloc.memory ?? '0'));
  const ephCap = Math.ceil(quantity(alloc['ephemeral-storage'] ?? '0'));
  if (want.milliCpu > 0 && want.milliCpu > cpuCap - cpu) return insufficient('cpu', want.milliCpu, cpu, cpuCap);
  if (want.memory > 0 && want.memory > memCap - memory) return insufficient('memory', want.memory, memory, memCap);
  if (want.ephemeral > 0 && want.ephemeral > ephCap - ephemeral) return insufficient('ephemeral-storage', want.ephemeral, ephemeral, ephCap);
  for (const name in want.scalar) {
    const n = want.scalar[name];
    // removeMissingExtendedResources: an extended resource the node does not list at all is left to the cluster
    // (cluster-level resources), so the kubelet admits it; huge pages are always checked.
    if (n === 0 || (isExtendedResourceName(name) && !(name in alloc))) continue;
    const cap = Math.ceil(quantity(alloc[name])), used = scalar.get(name) ?? 0;
    if (n > cap - used) return insufficient(name, n, used, cap);
  }
  return undefined;
}
