/**
 * In-place pod resize on the node (InPlacePodVerticalScaling, beta in 1.34), as pkg/kubelet/allocation's manager
 * does it: a pod whose containers' resources (pods/resize) differ from what the kubelet allocated is checked
 * against the node (canResizePod). Bigger than the node's allocatable: PodResizePending, reason Infeasible, never
 * retried until the spec changes again. Not fitting beside the other pods: Deferred, retried when pods leave the node
 * and every 3 minutes. Fitting: the allocation takes the new resources, PodResizeInProgress is set, and the runtime
 * actuates them (kuberuntime's computePodActions): in place, or by restarting the container when its resizePolicy
 * for a changed resource is RestartContainer. When every running container runs with its allocation, the condition
 * goes and a ResizeCompleted event is recorded (CheckPodResizeInProgress).
 * Nothing here runs for a pod whose spec never changed.
 */
import type { KObject, TimerHandle } from '../contract';
import { deepEqual } from '../runtime/objects';
import { quantity, specRequests } from '../scheduler/resources';
import type { ContainerSim, PodSim } from './podsim';

/** One of the two resize conditions the kubelet owns (updatedPodResizeCondition). */
export interface ResizeCondition {
  reason?: string;
  message?: string;
  generation?: number;
  since: number;
  probed: number;
}

export interface ResizeState {
  /** What the kubelet allocated per container (requests and limits), where it differs from what the container runs with. */
  allocated: Map<string, any>;
  pending?: ResizeCondition;
  inProgress?: ResizeCondition;
  /** The retry of a Deferred resize (the allocation manager's periodic retry). */
  retryTimer?: TimerHandle;
  /** The sync that actuates an allocated resize. */
  actuateTimer?: TimerHandle;
  /** The allocation is in the kubelet's checkpoint (disk.ts allocation). */
  checkpointed?: boolean;
}

/** The allocation manager retries pending resizes every 3 minutes (retryDelay). */
export const RESIZE_RETRY_MS = 3 * 60_000;
/** From the allocation to the runtime's UpdateContainerResources: the pod sync that follows. */
export const RESIZE_ACTUATE_MS = 1000;

/** A container the kubelet resizes: a regular one or a sidecar (IsResizableContainer), not an init or ephemeral one. */
export const resizable = (c: ContainerSim) => !c.ephemeral && (!c.init || c.sidecar);

/** The resources the kubelet allocated to the container. */
export function allocatedOf(p: PodSim, c: ContainerSim): any {
  const a = p.resize?.allocated.get(c.name);
  return a !== undefined ? a : (c.nextSpec ?? c.spec).resources;
}

const norm = (r: any) => {
  const out: any = {};
  for (const k of ['limits', 'requests', 'claims']) if (r?.[k] && Object.keys(r[k]).length) out[k] = r[k];
  return out;
};
export const sameResources = (a: any, b: any) => a === b || deepEqual(norm(a), norm(b));

/** The containers of the pod's spec whose resources differ from the allocation, by name. */
export function desiredChanges(p: PodSim, pod: KObject): Map<string, any> {
  const specs = new Map<string, any>();
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) specs.set(c?.name, c);
  const out = new Map<string, any>();
  for (const c of p.containers) {
    if (!resizable(c)) continue;
    const spec = specs.get(c.name);
    if (spec && !sameResources(spec.resources, allocatedOf(p, c))) out.set(c.name, spec.resources);
  }
  return out;
}

/** The pod with its containers' resources as allocated (UpdatePodFromAllocation), for admitting others against it. */
export function allocatedPod(p: PodSim): KObject {
  if (!p.resize?.allocated.size) return p.pod;
  const alloc = p.resize.allocated;
  const swap = (c: any) => (alloc.has(c?.name) ? { ...c, resources: alloc.get(c.name) } : c);
  return { ...p.pod, spec: { ...p.pod.spec, containers: (p.pod.spec?.containers ?? []).map(swap), initContainers: (p.pod.spec?.initContainers ?? []).map(swap) } };
}

/**
 * canResizePod's first check: a pod whose requests exceed the node's allocatable can never be resized here
 * ("Node didn't have enough capacity: memory, requested: …, capacity: …", memory named first).
 */
export function infeasible(pod: KObject, node: KObject | undefined): string | undefined {
  const alloc = node?.status?.allocatable;
  if (!alloc) return undefined;
  const r = specRequests(pod);
  const cpuCap = Math.round(quantity(alloc.cpu ?? '0') * 1000);
  const memCap = Math.round(quantity(alloc.memory ?? '0'));
  if (r.memory > memCap) return `Node didn't have enough capacity: memory, requested: ${r.memory}, capacity: ${memCap}`;
  if (r.milliCpu > cpuCap) return `Node didn't have enough capacity: cpu, requested: ${r.milliCpu}, capacity: ${cpuCap}`;
  return undefined;
}

/**
 * computePodActions for a running container whose allocation changed: a restart when a changed cpu request or limit,
 * or memory limit, has the RestartContainer policy (a memory request alone is never actuated).
 */
export function needsRestart(c: ContainerSim, next: any): boolean {
  const now = c.spec.resources ?? {};
  const policy = (r: string) => (c.spec.resizePolicy ?? []).find((x: any) => x?.resourceName === r)?.restartPolicy;
  const changed = (kind: 'requests' | 'limits', r: string) => quantity(now[kind]?.[r]) !== quantity(next?.[kind]?.[r]);
  return (policy('cpu') === 'RestartContainer' && (changed('limits', 'cpu') || changed('requests', 'cpu')))
    || (policy('memory') === 'RestartContainer' && changed('limits', 'memory'));
}

/** Whether a running container still runs with other resources than its allocation (isPodResizeInProgress). */
export function actuationPending(p: PodSim): boolean {
  for (const c of p.containers) {
    if (!resizable(c) || (c.step !== 'running' && c.step !== 'stopping')) continue;
    if (!sameResources(c.spec.resources, allocatedOf(p, c))) return true;
  }
  return false;
}

/** A ResourceRequirements as Go's encoding/json writes it: limits, requests, claims, map keys sorted. */
function requirementsJson(r: any): string {
  const parts: string[] = [];
  for (const k of ['limits', 'requests']) {
    const m = r?.[k];
    if (!m || !Object.keys(m).length) continue;
    parts.push(`${JSON.stringify(k)}:{${Object.keys(m).sort().map((n) => `${JSON.stringify(n)}:${JSON.stringify(String(m[n]))}`).join(',')}}`);
  }
  if (Array.isArray(r?.claims) && r.claims.length) parts.push(`"claims":${JSON.stringify(r.claims)}`);
  return `{${parts.join(',')}}`;
}

/** podResizeCompletionMsg: `Pod resize completed: {"containers":[{"name":…,"resources":…}]}`, init containers first. */
export function completionMessage(p: PodSim): string {
  const pod = allocatedPod(p);
  const entry = (c: any) => `{"name":${JSON.stringify(c?.name ?? '')},"resources":${requirementsJson(c?.resources)}}`;
  const inits: any[] = pod.spec?.initContainers ?? [];
  const parts: string[] = [];
  if (inits.length) parts.push(`"initContainers":[${inits.map(entry).join(',')}]`);
  const cs: any[] = pod.spec?.containers ?? [];
  if (cs.length) parts.push(`"containers":[${cs.map(entry).join(',')}]`);
  return `Pod resize completed: {${parts.join(',')}}`;
}

/** updatedPodResizeCondition: probed now; the transition time kept while the reason stays the same. */
export function resizeCondition(old: ResizeCondition | undefined, now: number, generation: number | undefined, reason?: string, message?: string): ResizeCondition {
  const since = old && old.reason === reason ? old.since : now;
  return { reason, message, generation, since, probed: now };
}
