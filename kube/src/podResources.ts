/**
 * A pod's total requests and limits as exact quantities, the way upstream's
 * resource helpers add them up for quota and LimitRanger: the containers'
 * sum, sidecars (init containers with restartPolicy Always) added to it, and
 * the largest moment of initialization if that is more. Sums keep the
 * format of the first value added, so the totals print as upstream's do.
 * Pod-level `spec.resources` (PodLevelResources) override the containers'
 * totals for the resources they name, and are defaulted here as
 * SetDefaults_Pod does.
 */
import { addQty, cmpQty, formatQty, parseQty, type Qty } from './qty';
import { isHugePageResourceName, isOvercommitAllowed, isSupportedPodLevelResource } from './resourceNames';

export type QtyList = Map<string, Qty>;

type Obj = Record<string, any>;

/** A map of quantities (`{cpu: 500m}`) as exact values; what is no quantity is left out (validation reports it). */
export function qtyMap(m: unknown): QtyList {
  const out: QtyList = new Map();
  if (!m || typeof m !== 'object' || Array.isArray(m)) return out;
  const r = m as Obj;
  for (const k of Object.keys(r)) {
    const q = parseQty(r[k]);
    if (q) out.set(k, q);
  }
  return out;
}

/** The container's `resources.<side>` as quantities. */
export function containerList(c: Obj | undefined, side: 'requests' | 'limits'): QtyList {
  return qtyMap(c?.resources?.[side]);
}

/** addResourceList: a missing key takes the value, a present one adds it. */
export function addList(into: QtyList, add: QtyList): void {
  for (const [k, v] of add) {
    const have = into.get(k);
    into.set(k, have ? addQty(have, v) : v);
  }
}

/** maxResourceList: per key, the larger. */
function maxList(into: QtyList, other: QtyList): void {
  for (const [k, v] of other) {
    const have = into.get(k);
    if (!have || cmpQty(v, have) > 0) into.set(k, v);
  }
}

/** AggregateContainerRequests / AggregateContainerLimits: the containers alone, no pod-level values, no overhead. */
export function aggregate(pod: Obj, side: 'requests' | 'limits'): QtyList {
  const spec = pod?.spec ?? {};
  const total: QtyList = new Map();
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) addList(total, containerList(c, side));
  const sidecars: QtyList = new Map();
  const initMax: QtyList = new Map();
  for (const c of Array.isArray(spec.initContainers) ? spec.initContainers : []) {
    const own = containerList(c, side);
    let use: QtyList;
    if (c?.restartPolicy === 'Always') {
      addList(total, own);
      addList(sidecars, own);
      use = sidecars;
    } else {
      use = new Map();
      addList(use, own);
      addList(use, sidecars);
    }
    maxList(initMax, use);
  }
  maxList(total, initMax);
  return total;
}

/**
 * applyPodLevelResources: each resource the pod-level list names (of those `supported` says pod-level resources may
 * name) replaces the containers' total. component-helpers allows cpu, memory and huge pages; LimitRanger's own copy
 * of the rule only cpu and memory.
 */
function applyPodLevel(out: QtyList, pod: Obj, side: 'requests' | 'limits', supported: (name: string) => boolean): void {
  const level = pod?.spec?.resources?.[side];
  if (!level || typeof level !== 'object') return;
  for (const [k, v] of qtyMap(level)) if (supported(k)) out.set(k, v);
}

/**
 * PodRequests: with `overhead`, spec.overhead is added to every resource it
 * names (quota counts it; LimitRanger's own sum does not).
 */
export function podRequestList(pod: Obj, overhead = true, supported: (name: string) => boolean = isSupportedPodLevelResource): QtyList {
  const out = aggregate(pod, 'requests');
  applyPodLevel(out, pod, 'requests', supported);
  if (overhead) addList(out, overheadOf(pod));
  return out;
}

/** PodLimits: overhead only adds to limits that are set and not zero. */
export function podLimitList(pod: Obj, overhead = true, supported: (name: string) => boolean = isSupportedPodLevelResource): QtyList {
  const out = aggregate(pod, 'limits');
  applyPodLevel(out, pod, 'limits', supported);
  if (overhead) {
    for (const [k, v] of overheadOf(pod)) {
      const have = out.get(k);
      if (have && have.nanos !== 0n) out.set(k, addQty(have, v));
    }
  }
  return out;
}

const overheadOf = (pod: Obj): QtyList => qtyMap(pod?.spec?.overhead);

/** IsPodLevelResourcesSet: the pod-level requests or limits name cpu, memory or a huge page size. */
export function isPodLevelResourcesSet(spec: Obj | undefined): boolean {
  const r = spec?.resources;
  if (!r || typeof r !== 'object') return false;
  for (const side of [r.requests, r.limits]) {
    if (side && typeof side === 'object') for (const k of Object.keys(side)) if (isSupportedPodLevelResource(k)) return true;
  }
  return false;
}

const hasKeys = (m: unknown): m is Obj => !!m && typeof m === 'object' && !Array.isArray(m) && Object.keys(m).length > 0;

/**
 * SetDefaults_Pod's pod-level step (PodLevelResources), after the containers' own requests were defaulted from their
 * limits: defaultHugePagePodLimits, then defaultPodRequests (pkg/apis/core/v1/defaults.go, 1.34). Only a Pod is
 * defaulted this way, not a workload's template, and only when `spec.resources` names something already.
 * - A huge page size the containers limit, that the pod neither limits nor requests, gets their total as its limit.
 * - With pod-level limits, a resource the pod does not request gets the containers' total request (cpu, memory),
 *   or else its pod-level limit.
 */
export function defaultPodLevelResources(pod: Obj): void {
  const r = pod?.spec?.resources;
  if (!r || typeof r !== 'object' || Array.isArray(r) || (!hasKeys(r.limits) && !hasKeys(r.requests))) return;
  const requests: Obj = hasKeys(r.requests) ? r.requests : {};
  const limits: Obj = hasKeys(r.limits) ? r.limits : {};
  for (const [k, v] of aggregate(pod, 'limits')) {
    if (isHugePageResourceName(k) && !(k in requests) && !(k in limits)) limits[k] = formatQty(v);
  }
  if (hasKeys(limits)) r.limits = limits;
  if (!hasKeys(limits)) return;
  for (const [k, v] of aggregate(pod, 'requests')) {
    if (!(k in requests) && isSupportedPodLevelResource(k) && isOvercommitAllowed(k)) requests[k] = formatQty(v);
  }
  for (const k of Object.keys(limits)) if (!(k in requests) && isSupportedPodLevelResource(k)) requests[k] = limits[k];
  if (hasKeys(requests)) r.requests = requests;
}

/** SetDefaults_Pod's container step: a container's limit stands in for a request it does not make. */
export function defaultContainerRequests(c: Obj): void {
  const r = c?.resources;
  if (!r || typeof r !== 'object' || !r.limits || typeof r.limits !== 'object') return;
  r.requests ??= {};
  for (const k of Object.keys(r.limits)) if (r.requests[k] === undefined) r.requests[k] = r.limits[k];
}

/**
 * qos.ComputePodQOS when `spec.resources` is set: resourceQOS on the pod-level lists alone. For cpu and memory each,
 * a request unequal to its limit (an absent one is zero) makes the pod Burstable; both zero for both is BestEffort,
 * both set and equal for both Guaranteed, anything between Burstable.
 */
export function resourceQos(requests: unknown, limits: unknown, value: (q: any) => number): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  if (!hasKeys(requests) && !hasKeys(limits)) return 'BestEffort';
  let qos: 'Guaranteed' | 'BestEffort' | undefined;
  for (const name of ['cpu', 'memory']) {
    const req = value((requests as Obj | undefined)?.[name]), lim = value((limits as Obj | undefined)?.[name]);
    if (req !== lim) return 'Burstable';
    const here = req === 0 ? 'BestEffort' : 'Guaranteed';
    if (qos === undefined) qos = here;
    else if (qos !== here) return 'Burstable';
  }
  return qos!;
}
