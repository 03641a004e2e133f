/**
 * Resource arithmetic the scheduler and kubelet share: pod requests the way
 * upstream's resourcehelper.PodRequests computes them (sum of containers,
 * raised to the largest init container, plus overhead), the scheduler's
 * non-zero defaults (100m CPU, 200Mi memory) used only for scoring, and QoS.
 * Besides cpu and memory, a pod may request ephemeral-storage and scalar
 * resources (framework.Resource's ScalarResources: extended resources such as
 * nvidia.com/gpu, hugepages-<size>, kubernetes.io/ prefixed ones); those are
 * worked out only for the few pods that name one. Pod-level `spec.resources`
 * (PodLevelResources) replace the containers' totals for what they name.
 */
import { parseQuantity } from '../../../kube/src/quantity';
import { resourceQos } from '../../../kube/src/podResources';
import { isSupportedPodLevelResource } from '../../../kube/src/resourceNames';
import type { KObject } from '../contract';
import { Interner } from '../runtime/intern';

/** A quantity as a plain number ("500m" → 0.5, "1Gi" → 1073741824); invalid or absent → 0. */
export function quantity(v: string | number | undefined): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : 0;
  // Every pod of a workload repeats its template's few quantity strings: parse each once.
  return parsed.get(v, parseOrZero);
}
const parsed = new Interner<number>(4096);
function parseOrZero(v: string): number {
  try { return parseQuantity(v); } catch { return 0; }
}

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface PodRequest {
  milliCpu: number;
  memory: number;
  /** With the scheduler's non-zero defaults for containers that request nothing. */
  nonZeroMilliCpu: number;
  nonZeroMemory: number;
  /** Bytes of ephemeral-storage (0 for nearly every pod). */
  ephemeral: number;
  /** Scalar resources by name, whole units (Quantity.Value(): bytes for huge pages); undefined when none is named. */
  scalar: Record<string, number> | undefined;
}

/**
 * schedutil.IsScalarResourceName: an extended or kubernetes.io/ prefixed name (it has a domain), a huge page size,
 * or an attachable-volumes- count. cpu, memory, ephemeral-storage and pods are the NodeInfo's own fields.
 */
export const isScalarResourceName = (name: string): boolean =>
  name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');

/** Whether a requests map names anything besides cpu and memory (the cheap test every pod passes through). */
function namesOther(req: Record<string, unknown> | undefined): boolean {
  if (!req) return false;
  for (const k in req) if (k !== 'cpu' && k !== 'memory') return true;
  return false;
}

/**
 * Stands for an absent container list. The loops over a pod's lists index them, as they run for every pod the
 * scheduler places and the lists are frozen (see deepFreeze).
 */
const NO_CONTAINERS: readonly any[] = [];

/** Whether a container of the list requests a resource other than cpu and memory. */
function anyNamesOther(cs: any[] | undefined): boolean {
  if (cs) for (let i = 0; i < cs.length; i++) if (namesOther(cs[i].resources?.requests)) return true;
  return false;
}

/**
 * resourcehelper.PodRequests for one resource: the regular containers' sum
 * plus the sidecars' (restartable init containers run alongside them), or,
 * if more, what the busiest moment of initialization needs: a regular init
 * container's own request plus the sidecars started before it, or the
 * sidecars started so far.
 */
function aggregate(pod: KObject, get: (c: any) => number): number {
  let reqs = 0;
  const cs = pod.spec?.containers ?? NO_CONTAINERS;
  for (let i = 0; i < cs.length; i++) reqs += get(cs[i]);
  let sidecars = 0;
  let initMax = 0;
  const inits = pod.spec?.initContainers ?? NO_CONTAINERS;
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    const own = get(c);
    let phase: number;
    if (c.restartPolicy === 'Always') {
      reqs += own;
      sidecars += own;
      phase = sidecars;
    } else phase = own + sidecars;
    if (phase > initMax) initMax = phase;
  }
  return Math.max(reqs, initMax);
}

/**
 * `aggregate` of cpu and memory, each as it is and with the scheduler's non-zero defaults (NonMissingContainerRequests:
 * a container that requests nothing counts as 100m CPU and 200Mi memory), in one pass over the containers.
 */
function cpuAndMemory(pod: KObject): PodRequest {
  let cpu = 0, mem = 0, nzCpu = 0, nzMem = 0;
  const cs = pod.spec?.containers ?? NO_CONTAINERS;
  for (let i = 0; i < cs.length; i++) {
    const req = cs[i].resources?.requests;
    const ownCpu = Math.ceil(quantity(req?.cpu) * 1000), ownMem = quantity(req?.memory);
    cpu += ownCpu;
    mem += ownMem;
    nzCpu += req?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : ownCpu;
    nzMem += req?.memory === undefined ? DEFAULT_MEMORY_REQUEST : ownMem;
  }
  let sCpu = 0, sMem = 0, sNzCpu = 0, sNzMem = 0;
  let maxCpu = 0, maxMem = 0, maxNzCpu = 0, maxNzMem = 0;
  const inits = pod.spec?.initContainers ?? NO_CONTAINERS;
  for (let i = 0; i < inits.length; i++) {
    const c = inits[i];
    const req = c.resources?.requests;
    const ownCpu = Math.ceil(quantity(req?.cpu) * 1000), ownMem = quantity(req?.memory);
    const ownNzCpu = req?.cpu === undefined ? DEFAULT_MILLI_CPU_REQUEST : ownCpu;
    const ownNzMem = req?.memory === undefined ? DEFAULT_MEMORY_REQUEST : ownMem;
    let pCpu: number, pMem: number, pNzCpu: number, pNzMem: number;
    if (c.restartPolicy === 'Always') {
      cpu += ownCpu; mem += ownMem; nzCpu += ownNzCpu; nzMem += ownNzMem;
      pCpu = sCpu += ownCpu; pMem = sMem += ownMem; pNzCpu = sNzCpu += ownNzCpu; pNzMem = sNzMem += ownNzMem;
    } else {
      pCpu = ownCpu + sCpu; pMem = ownMem + sMem; pNzCpu = ownNzCpu + sNzCpu; pNzMem = ownNzMem + sNzMem;
    }
    if (pCpu > maxCpu) maxCpu = pCpu;
    if (pMem > maxMem) maxMem = pMem;
    if (pNzCpu > maxNzCpu) maxNzCpu = pNzCpu;
    if (pNzMem > maxNzMem) maxNzMem = pNzMem;
  }
  return {
    milliCpu: Math.max(cpu, maxCpu), memory: Math.max(mem, maxMem), nonZeroMilliCpu: Math.max(nzCpu, maxNzCpu), nonZeroMemory: Math.max(nzMem, maxNzMem),
    ephemeral: 0, scalar: undefined,
  };
}

/** The larger of each request (maxResourceList), the first list's strings kept where they win. */
function maxRequests(lists: Array<Record<string, string> | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of lists) for (const [k, v] of Object.entries(l ?? {})) if (out[k] === undefined || quantity(v) > quantity(out[k])) out[k] = v;
  return out;
}

/**
 * resourcehelper.PodRequests with UseStatusResources (InPlacePodVerticalScaling): a container whose status reports
 * resources counts with the most of its spec's requests, the actual ones and the allocated ones, so that a resize
 * under way holds both sizes; while the resize is Infeasible the spec is left out (determineContainerReqs).
 * Only a pod whose spec changed since it was created (generation above 1) can differ from its status.
 */
function statusView(pod: KObject): KObject {
  if ((pod.metadata?.generation ?? 1) <= 1) return pod;
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])];
  if (!statuses.some((s) => s?.resources)) return pod;
  const infeasible = (pod.status?.conditions ?? []).find((c: any) => c?.type === 'PodResizePending')?.reason === 'Infeasible';
  const view = (c: any, resizable: boolean) => {
    const cs = resizable ? statuses.find((s) => s?.name === c?.name) : undefined;
    if (!cs?.resources) return c;
    const lists = [cs.resources.requests, cs.allocatedResources];
    if (!infeasible) lists.unshift(c.resources?.requests);
    return { ...c, resources: { ...(c.resources ?? {}), requests: maxRequests(lists) } };
  };
  return {
    ...pod,
    spec: {
      ...pod.spec,
      containers: (pod.spec?.containers ?? []).map((c: any) => view(c, true)),
      initContainers: (pod.spec?.initContainers ?? []).map((c: any) => view(c, c?.restartPolicy === 'Always')),
    },
  };
}

/** What the pod asks for, as the scheduler and the kubelet's admission count it (a resize under way included). */
export function podRequests(pod: KObject): PodRequest {
  return specRequests(statusView(pod));
}

/** resource.GetResourceRequest: the requests of the pod's spec alone. */
export function specRequests(pod: KObject): PodRequest {
  const r = cpuAndMemory(pod);
  const oh = pod.spec?.overhead;
  if (oh) {
    // calculateResource adds the overhead to the scoring (non-zero) requests too.
    const cpu = Math.ceil(quantity(oh.cpu) * 1000), mem = quantity(oh.memory);
    r.milliCpu += cpu; r.memory += mem; r.nonZeroMilliCpu += cpu; r.nonZeroMemory += mem;
  }
  let other = namesOther(oh);
  if (!other) other = anyNamesOther(pod.spec?.containers) || anyNamesOther(pod.spec?.initContainers);
  if (other) addOtherRequests(pod, r);
  const level = pod.spec?.resources?.requests;
  if (level && typeof level === 'object') applyPodLevelRequests(pod, level, r);
  return r;
}

/**
 * PodRequests when IsPodLevelRequestsSet (component-helpers/resource/helpers.go): each of cpu, memory and huge pages
 * the pod requests at pod level replaces the containers' total (the overhead still added). The scheduler's non-zero
 * defaults (getNonMissingContainerRequests, scheduler framework types.go) then apply only to cpu or memory that
 * neither the pod nor any container names; one named anywhere counts as it is.
 */
function applyPodLevelRequests(pod: KObject, level: Record<string, unknown>, r: PodRequest): void {
  let set = false;
  for (const k in level) if (isSupportedPodLevelResource(k)) { set = true; break; }
  if (!set) return;
  const oh = pod.spec?.overhead ?? {};
  const named = (name: string) => level[name] !== undefined || oh[name] !== undefined
    || [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].some((c: any) => c?.resources?.requests?.[name] !== undefined);
  if (level.cpu !== undefined) r.milliCpu = Math.ceil(quantity(level.cpu as string) * 1000) + Math.ceil(quantity(oh.cpu) * 1000);
  if (level.memory !== undefined) r.memory = quantity(level.memory as string) + quantity(oh.memory);
  if (named('cpu')) r.nonZeroMilliCpu = r.milliCpu;
  if (named('memory')) r.nonZeroMemory = r.memory;
  for (const k in level) {
    if (!k.startsWith('hugepages-')) continue;
    (r.scalar ??= {})[k] = Math.ceil(quantity(level[k] as string)) + Math.ceil(quantity(oh[k]));
  }
}

/** Every other resource the pod names, aggregated the same way (sidecars, init containers, overhead). */
function addOtherRequests(pod: KObject, r: PodRequest): void {
  const names = new Set<string>();
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) for (const k in c.resources?.requests) names.add(k);
  for (const k in pod.spec?.overhead) names.add(k);
  for (const name of names) {
    if (name !== 'ephemeral-storage' && !isScalarResourceName(name)) continue;
    // Quantity.Value(): whole units, rounded up.
    const amount = aggregate(pod, (c) => Math.ceil(quantity(c.resources?.requests?.[name]))) + Math.ceil(quantity(pod.spec?.overhead?.[name]));
    if (name === 'ephemeral-storage') r.ephemeral = amount;
    else (r.scalar ??= {})[name] = amount;
  }
}

/**
 * Upstream qos.ComputePodQOS: Guaranteed when every container's limits equal requests for cpu and memory; a pod
 * with `spec.resources` is classed by those alone (resourceQOS).
 */
export function qosClass(pod: KObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const level = pod.spec?.resources;
  if (level && typeof level === 'object') return resourceQos(level.requests, level.limits, quantity);
  const cs = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of cs) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined && quantity(req[r]) !== 0) any = true;
      if (lim[r] !== undefined && quantity(lim[r]) !== 0) any = true;
      const rq = req[r] ?? lim[r];
      if (lim[r] === undefined || quantity(rq) !== quantity(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
