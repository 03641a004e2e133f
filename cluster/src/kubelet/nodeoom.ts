/**
 * Memory running out on a node. A container without a memory limit is bounded only by the pods' cgroup
 * (kubepods), which the kubelet limits to the node's allocatable memory (enforceNodeAllocatable: pods). kind's
 * kubelet has no memory eviction threshold (eviction.ts), so when the pods together ask for more than that, the
 * kernel's OOM killer acts, not the kubelet: it kills the process with the highest badness, its memory use plus
 * its oom_score_adj scaled to the cgroup's limit (oom_badness), until the rest fits. The kubelet set each
 * container's oom_score_adj by its pod's QoS class (pkg/kubelet/qos/policy.go, GetContainerOOMScoreAdjust), so
 * BestEffort containers go first, Guaranteed ones last. The container ends `OOMKilled`, exit code 137, and is
 * restarted by its pod's restartPolicy, as for its own limit.
 *
 * Neither kill gives the Node a `SystemOOM` event. The kubelet's OOM watcher (pkg/kubelet/oom/oom_watcher_linux.go)
 * records one only when cAdvisor's VictimContainerName is "/": the kernel line's oom_memcg, the cgroup whose limit
 * was hit (cadvisor utils/oomparser; kubernetes#88868). Here that is the container's cgroup or kubepods, never the
 * machine's root; a whole-machine OOM, outside every pod cgroup, is not simulated.
 */
import type { KObject } from '../contract';
import { memoryDemand, stressDemand } from '../metrics/usage';
import { qosClass, quantity } from '../scheduler/resources';
import type { ContainerSim, PodSim } from './podsim';

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;

/** GetContainerOOMScoreAdjust: -997 for node-critical and Guaranteed pods, 1000 for BestEffort, 3..999 by the memory request otherwise. */
export function oomScoreAdj(pod: KObject, container: any, memoryCapacity: number): number {
  const critical = pod.spec?.priorityClassName === 'system-node-critical'
    || pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
  if (critical) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = pod.status?.qosClass ?? qosClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const request = Math.ceil(quantity(container?.resources?.requests?.memory ?? '0'));
  const adj = memoryCapacity > 0 ? 1000 - Math.trunc((1000 * request) / memoryCapacity) : 1000;
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  return adj === BESTEFFORT_OOM_SCORE_ADJ ? adj - 1 : adj;
}

/** Whether a container asks for memory of its own (KUBEPLAY_MEMORY, or a stress tool's): only such a start can fill a node. */
export function asksForMemory(spec: any): boolean {
  if ((spec?.env ?? []).some((e: any) => e?.name === 'KUBEPLAY_MEMORY')) return true;
  return stressDemand(spec).memory !== undefined;
}

/** A running container's memory now: what it asks for, held at its limit (the limit's own OOM kill comes apart). */
export function containerMemory(spec: any): number {
  const demand = memoryDemand(spec);
  const limit = spec?.resources?.limits?.memory;
  return limit === undefined ? demand : Math.min(demand, quantity(limit));
}

export interface MemoryUser { pod: PodSim; container: ContainerSim; bytes: number; adj: number }

/**
 * The kernel's choice under the pods' cgroup limit: while the users together are over `limit`, the one with the
 * highest badness (bytes + adj × limit / 1000) is killed. The earliest listed wins a tie.
 */
export function oomVictims(users: MemoryUser[], limit: number): MemoryUser[] {
  const left = [...users];
  let total = left.reduce((n, u) => n + u.bytes, 0);
  const victims: MemoryUser[] = [];
  while (total > limit && left.length) {
    let best = 0;
    const badness = (u: MemoryUser) => u.bytes + (u.adj * limit) / 1000;
    for (let i = 1; i < left.length; i++) if (badness(left[i]) > badness(left[best])) best = i;
    const [v] = left.splice(best, 1);
    victims.push(v);
    total -= v.bytes;
  }
  return victims;
}
