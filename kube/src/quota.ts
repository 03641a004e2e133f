/**
 * What an object costs a ResourceQuota (upstream pkg/quota/v1/evaluator):
 * the usage of a pod, a Service, a PersistentVolumeClaim or any other object
 * (its `count/<resource>.<group>`), which quota keys each kind answers for,
 * the pod scopes (Terminating, BestEffort, PriorityClass, ...), the
 * "must specify" constraint, and the `k=v,k=v` form of quota errors. Shared
 * by the apiserver's admission, the resourcequota controller and the editor.
 */
import { addQty, cmpQty, formatQty, parseQty, qtyOf, subQty, ZERO, type Qty } from './qty';
import { podLimitList, podRequestList, containerList, isPodLevelResourcesSet, qtyMap, resourceQos, type QtyList } from './podResources';
import { isExtendedResourceName } from './resourceNames';

type Obj = Record<string, any>;

const ONE = qtyOf(1_000_000_000n);

/** The evaluator of a resource: pods, services and PVCs have their own; the rest are counted. */
export type EvaluatorKind = 'pods' | 'services' | 'persistentvolumeclaims' | 'count';

/** `count/pods`, `count/deployments.apps`: the object-count key of a resource. */
export function objectCountName(resource: string, group: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** The older bare names some core resources are also counted under. */
const ALIASES: Record<string, string> = { configmaps: 'configmaps', secrets: 'secrets', replicationcontrollers: 'replicationcontrollers', resourcequotas: 'resourcequotas' };

/** Resources quota admission never looks at, as `group/resource` (the playground store's table ids). */
export const QUOTA_IGNORED: ReadonlySet<string> = new Set(['/bindings', '/componentstatuses', '/events', 'events.k8s.io/events']);

export function isQuotaIgnored(group: string, resource: string): boolean {
  return QUOTA_IGNORED.has(`${group}/${resource}`) || group === 'authentication.k8s.io' || group === 'authorization.k8s.io';
}

export function evaluatorKind(group: string, resource: string): EvaluatorKind {
  if (!group && (resource === 'pods' || resource === 'services' || resource === 'persistentvolumeclaims')) return resource;
  return 'count';
}

const POD_KEYS = new Set([
  'count/pods', 'cpu', 'memory', 'ephemeral-storage', 'pods', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage',
]);
const SERVICE_KEYS = new Set(['count/services', 'services', 'services.loadbalancers', 'services.nodeports']);
const PVC_KEYS = new Set(['count/persistentvolumeclaims', 'persistentvolumeclaims', 'requests.storage']);
const CLASS_SUFFIXES = ['.storageclass.storage.k8s.io/persistentvolumeclaims', '.storageclass.storage.k8s.io/requests.storage'];

/** MatchingResources: the keys of `names` this resource's evaluator computes. */
export function matchingResources(group: string, resource: string, names: Iterable<string>): string[] {
  const kind = evaluatorKind(group, resource);
  const out: string[] = [];
  for (const n of names) {
    let ok: boolean;
    if (kind === 'pods') ok = POD_KEYS.has(n) || n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || (n.startsWith('requests.') && isExtendedResourceName(n.slice('requests.'.length)));
    else if (kind === 'services') ok = SERVICE_KEYS.has(n);
    else if (kind === 'persistentvolumeclaims') ok = PVC_KEYS.has(n) || CLASS_SUFFIXES.some((s) => n.endsWith(s));
    else ok = n === objectCountName(resource, group) || (!group && ALIASES[resource] === n);
    if (ok) out.push(n);
  }
  return out;
}

/** QuotaV1Pod: terminal pods, and pods past their grace period, no longer count toward compute resources. */
export function podCountsForCompute(pod: Obj, now: number): boolean {
  const phase = pod?.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const m = pod?.metadata ?? {};
  if (m.deletionTimestamp && typeof m.deletionGracePeriodSeconds === 'number') {
    const end = Date.parse(m.deletionTimestamp) + m.deletionGracePeriodSeconds * 1000;
    if (now > end) return false;
  }
  return true;
}

/** podComputeUsageHelper: the pod's totals under their quota names. */
function computeUsage(requests: QtyList, limits: QtyList): QtyList {
  const out: QtyList = new Map([['pods', ONE]]);
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    const req = requests.get(r);
    if (req) {
      out.set(r, req);
      out.set(`requests.${r}`, req);
    }
    const lim = limits.get(r);
    if (lim) out.set(`limits.${r}`, lim);
  }
  for (const [k, v] of requests) {
    if (k.startsWith('hugepages-')) {
      out.set(k, v);
      out.set(`requests.${k}`, v);
    }
    if (isExtendedResourceName(k)) out.set(`requests.${k}`, v);
  }
  return out;
}

export function podUsage(pod: Obj, now: number): QtyList {
  const out: QtyList = new Map([['count/pods', ONE]]);
  if (!podCountsForCompute(pod, now)) return out;
  for (const [k, v] of computeUsage(podRequestList(pod), podLimitList(pod))) out.set(k, v);
  return out;
}

export function serviceUsage(svc: Obj): QtyList {
  const ports = Array.isArray(svc?.spec?.ports) ? svc.spec.ports : [];
  let nodePorts = 0;
  let lbs = 0;
  const type = svc?.spec?.type;
  if (type === 'NodePort') nodePorts = ports.length;
  else if (type === 'LoadBalancer') {
    nodePorts = svc.spec.allocateLoadBalancerNodePorts === false ? ports.filter((p: Obj) => p?.nodePort).length : ports.length;
    lbs = 1;
  }
  return new Map([
    ['count/services', ONE],
    ['services', ONE],
    ['services.loadbalancers', qtyOf(BigInt(lbs) * ONE.nanos)],
    ['services.nodeports', qtyOf(BigInt(nodePorts) * ONE.nanos)],
  ]);
}

/** The claim's class: the beta annotation first, then spec.storageClassName. */
export function claimClass(pvc: Obj): string {
  return pvc?.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc?.spec?.storageClassName ?? '';
}

export function pvcUsage(pvc: Obj): QtyList {
  const out: QtyList = new Map([['persistentvolumeclaims', ONE], ['count/persistentvolumeclaims', ONE]]);
  const cls = claimClass(pvc);
  if (cls) out.set(`${cls}.storageclass.storage.k8s.io/persistentvolumeclaims`, ONE);
  let storage = parseQty(pvc?.spec?.resources?.requests?.storage);
  const allocated = parseQty(pvc?.status?.allocatedResources?.storage);
  if (storage && allocated && cmpQty(allocated, storage) > 0) storage = allocated;
  if (storage) {
    // Whole bytes, rounded up.
    const whole = (storage.nanos + 999_999_999n) / 1_000_000_000n;
    storage = qtyOf(whole * 1_000_000_000n, storage.format);
    out.set('requests.storage', storage);
    if (cls) out.set(`${cls}.storageclass.storage.k8s.io/requests.storage`, storage);
  }
  return out;
}

export function objectUsage(group: string, resource: string): QtyList {
  const out: QtyList = new Map([[objectCountName(resource, group), ONE]]);
  if (!group && ALIASES[resource]) out.set(ALIASES[resource], ONE);
  return out;
}

/** The usage of any object, by its evaluator. */
export function usageOf(group: string, resource: string, obj: Obj, now: number): QtyList {
  switch (evaluatorKind(group, resource)) {
    case 'pods': return podUsage(obj, now);
    case 'services': return serviceUsage(obj);
    case 'persistentvolumeclaims': return pvcUsage(obj);
    default: return objectUsage(group, resource);
  }
}

// ---------- scopes ----------

export interface ScopeExpression {
  scopeName: string;
  operator: string;
  values?: string[];
}

/** spec.scopes (as Exists) followed by spec.scopeSelector's expressions: all must match. */
export function quotaScopes(quota: Obj): ScopeExpression[] {
  const out: ScopeExpression[] = [];
  for (const s of Array.isArray(quota?.spec?.scopes) ? quota.spec.scopes : []) out.push({ scopeName: s, operator: 'Exists' });
  for (const e of Array.isArray(quota?.spec?.scopeSelector?.matchExpressions) ? quota.spec.scopeSelector.matchExpressions : []) {
    if (e && typeof e === 'object') out.push({ scopeName: e.scopeName, operator: e.operator, values: Array.isArray(e.values) ? e.values : [] });
  }
  return out;
}

/**
 * GetPodQOS's BestEffort: no container or init container asks for more than zero cpu or memory; a pod with
 * `spec.resources` is judged by those alone (ComputePodQOS's resourceQOS).
 */
function isBestEffort(pod: Obj): boolean {
  const level = pod?.spec?.resources;
  if (level && typeof level === 'object') return resourceQos(level.requests, level.limits, (q) => Number(parseQty(q)?.nanos ?? 0n)) === 'BestEffort';
  const some = (q: Qty | undefined) => !!q && q.nanos > 0n;
  for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
    for (const side of ['requests', 'limits'] as const) {
      const l = containerList(c, side);
      if (some(l.get('cpu')) || some(l.get('memory'))) return false;
    }
  }
  return true;
}

function crossNamespaceAffinity(pod: Obj): boolean {
  const a = pod?.spec?.affinity ?? {};
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const x = a[kind] ?? {};
    const terms = [...(x.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(x.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: Obj) => p?.podAffinityTerm)];
    for (const t of terms) if (t && ((Array.isArray(t.namespaces) && t.namespaces.length) || (t.namespaceSelector !== undefined && t.namespaceSelector !== null))) return true;
  }
  return false;
}

function podMatchesScope(pod: Obj, e: ScopeExpression): boolean {
  const terminating = typeof pod?.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;
  switch (e.scopeName) {
    case 'Terminating': return terminating;
    case 'NotTerminating': return !terminating;
    case 'BestEffort': return isBestEffort(pod);
    case 'NotBestEffort': return !isBestEffort(pod);
    case 'CrossNamespacePodAffinity': return crossNamespaceAffinity(pod);
    case 'PriorityClass': {
      const cls: string = pod?.spec?.priorityClassName ?? '';
      const values = e.values ?? [];
      switch (e.operator) {
        case 'Exists': return cls !== '';
        case 'DoesNotExist': return cls === '';
        case 'In': return cls !== '' && values.includes(cls);
        case 'NotIn': return cls === '' || !values.includes(cls);
        default: return false;
      }
    }
    default: return false;
  }
}

/** Whether a pod falls in every one of the scopes. */
export function quotaMatchesScopes(scopes: ScopeExpression[], pod: Obj): boolean {
  return scopes.every((e) => podMatchesScope(pod, e));
}

/** Matches: the quota limits something this object costs, and (pods only) every scope holds. */
export function quotaMatches(quota: Obj, group: string, resource: string, obj: Obj): boolean {
  const hard = quota?.status?.hard;
  if (!hard || !matchingResources(group, resource, Object.keys(hard)).length) return false;
  const scopes = quotaScopes(quota);
  if (!scopes.length) return true;
  if (evaluatorKind(group, resource) !== 'pods') return false;
  return quotaMatchesScopes(scopes, obj);
}

// ---------- constraints and messages ----------

/** The quota keys for which admission demands a value in every container (a mistake upstream keeps for these six). */
export const MUST_SPECIFY: ReadonlySet<string> = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/**
 * The pod evaluator's Constraints: `must specify limits.cpu for: a,b; requests.memory for: a`, or undefined. A pod
 * with pod-level resources is not asked for its containers' (PodLevelResources: they are optional then).
 */
export function podConstraintError(required: string[], pod: Obj): string | undefined {
  if (isPodLevelResourcesSet(pod?.spec)) return undefined;
  const want = required.filter((r) => MUST_SPECIFY.has(r));
  if (!want.length) return undefined;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])]) {
    if (!c || typeof c !== 'object') continue;
    const has = computeUsage(containerList(c, 'requests'), containerList(c, 'limits'));
    for (const r of want) {
      if (has.has(r)) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(String(c.name ?? ''));
    }
  }
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}

/** prettyPrint: `k=v` pairs, keys sorted, joined by a bare comma. */
export function prettyPrint(list: QtyList): string {
  return [...list.keys()].sort().map((k) => `${k}=${formatQty(list.get(k)!)}`).join(',');
}

/** A quota's `status.hard`/`status.used` map as quantities. */
export const toList = qtyMap;

/** The canonical text map of a list, keys sorted (as Go's JSON encoder writes a map). */
export function fromList(list: QtyList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...list.keys()].sort()) out[k] = formatQty(list.get(k)!);
  return out;
}

export { addQty, subQty, cmpQty, ZERO };
