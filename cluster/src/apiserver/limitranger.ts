/**
 * The LimitRanger admission plugin. On a pod's create it fills in missing
 * requests and limits from the namespace's LimitRanges (type Container:
 * `defaultRequest` and `default`) and says so in the
 * `kubernetes.io/limit-ranger` annotation; then, once the pod passed its own
 * validation, it refuses one that breaks a min, a max or a limit/request
 * ratio, per container or for the pod's total, with upstream's words.
 * PersistentVolumeClaims are held to a storage min and max on create and update.
 */
import type { KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import type { AdmissionPlugin } from './api';
import { forbidden } from './status';
import { byNameIn } from './resourcequota';
import { containerList, podLimitList, podRequestList, qtyMap, type QtyList } from '../../../kube/src/podResources';
import { formatQty, parseQty, qtyMilli, type Qty } from '../../../kube/src/qty';

const ANNOTATION = 'kubernetes.io/limit-ranger';
/** The pod-level resources limitranger's isSupportedPodLevelResource knows (huge pages are not among them). */
const cpuOrMemory = (name: string) => name === 'cpu' || name === 'memory';

type Obj = Record<string, any>;

const rangesOf = (store: Store, ns: string | undefined): KObject[] => byNameIn(store, '/limitranges', ns);

function items(lr: KObject): Obj[] {
  return Array.isArray(lr.spec?.limits) ? lr.spec.limits.filter((x: unknown) => x && typeof x === 'object') : [];
}

/** The Container items' defaults of one LimitRange (a later item's value for a key wins, as the map copy does). */
function containerDefaults(lr: KObject): { requests: Obj; limits: Obj } {
  const out = { requests: {} as Obj, limits: {} as Obj };
  for (const it of items(lr)) {
    if (it.type !== 'Container') continue;
    Object.assign(out.requests, it.defaultRequest ?? {});
    Object.assign(out.limits, it.default ?? {});
  }
  return out;
}

/** mergeContainerResources: sets what is missing, and says what it set. */
function mergeContainer(c: Obj, defaults: { requests: Obj; limits: Obj }, prefix: string, notes: string[]): void {
  const set = (side: 'requests' | 'limits', from: Obj): string[] => {
    const done: string[] = [];
    for (const k of Object.keys(from)) {
      // A container without resources holds the shared frozen `{}` (defaults/pod.ts): it gets one of its own.
      if (!c.resources || Object.isFrozen(c.resources)) c.resources = { ...(c.resources ?? {}) };
      const m = c.resources[side];
      if (m && typeof m === 'object' && m[k] !== undefined) continue;
      c.resources[side] = { ...(m && typeof m === 'object' ? m : {}), [k]: canonical(from[k]) };
      done.push(k);
    }
    return done.sort();
  };
  const limits = set('limits', defaults.limits);
  const requests = set('requests', defaults.requests);
  if (requests.length) notes.push(`${requests.join(', ')} request for ${prefix} ${c.name}`);
  if (limits.length) notes.push(`${limits.join(', ')} limit for ${prefix} ${c.name}`);
}

const canonical = (v: unknown): unknown => {
  const q = typeof v === 'string' || typeof v === 'number' ? parseQty(v) : undefined;
  return q ? formatQty(q) : v;
};

// ---------- the constraints (min, max, ratio), compared in thousandths as upstream does ----------

function minConstraint(type: string, name: string, enforced: Qty, req: Qty | undefined, lim: Qty | undefined): string | undefined {
  const e = formatQty(enforced);
  if (!req) return `minimum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (qtyMilli(req) < qtyMilli(enforced)) return `minimum ${name} usage per ${type} is ${e}, but request is ${formatQty(req)}`;
  if (lim && qtyMilli(lim) < qtyMilli(enforced)) return `minimum ${name} usage per ${type} is ${e}, but limit is ${formatQty(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Qty, req: Qty | undefined, lim: Qty | undefined): string | undefined {
  const e = formatQty(enforced);
  if (!lim) return `maximum ${name} usage per ${type} is ${e}.  No limit is specified`;
  if (qtyMilli(lim) > qtyMilli(enforced)) return `maximum ${name} usage per ${type} is ${e}, but limit is ${formatQty(lim)}`;
  if (req && qtyMilli(req) > qtyMilli(enforced)) return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQty(req)}`;
  return undefined;
}

/** maxRequestConstraint: a claim's request against the max (claims have no limits). */
function maxRequestConstraint(type: string, name: string, enforced: Qty, req: Qty | undefined): string | undefined {
  const e = formatQty(enforced);
  if (!req) return `maximum ${name} usage per ${type} is ${e}.  No request is specified`;
  if (qtyMilli(req) > qtyMilli(enforced)) return `maximum ${name} usage per ${type} is ${e}, but request is ${formatQty(req)}`;
  return undefined;
}

function ratioConstraint(type: string, name: string, enforced: Qty, req: Qty | undefined, lim: Qty | undefined): string | undefined {
  const e = formatQty(enforced);
  const r = req ? qtyMilli(req) : 0n;
  const l = lim ? qtyMilli(lim) : 0n;
  if (r === 0n) return `${name} max limit to request ratio per ${type} is ${e}, but no request is specified or request is 0`;
  if (l === 0n) return `${name} max limit to request ratio per ${type} is ${e}, but no limit is specified or limit is 0`;
  const observed = Number(l) / Number(r);
  if (observed * 1000 > Number(qtyMilli(enforced))) return `${name} max limit to request ratio per ${type} is ${e}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

/** An item's map as (resource, quantity) pairs, resources sorted (upstream walks a Go map; sorted is one fixed order). */
const qmap = (m: unknown): [string, Qty][] => [...qtyMap(m)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** min, then max, then ratio checks of one item against one set of requests and limits. */
function checkAgainst(it: Obj, type: string, requests: QtyList, limits: QtyList, errs: string[]): void {
  const push = (e: string | undefined) => { if (e) errs.push(e); };
  for (const [k, v] of qmap(it.min)) push(minConstraint(type, k, v, requests.get(k), limits.get(k)));
  for (const [k, v] of qmap(it.max)) push(maxConstraint(type, k, v, requests.get(k), limits.get(k)));
  for (const [k, v] of qmap(it.maxLimitRequestRatio)) push(ratioConstraint(type, k, v, requests.get(k), limits.get(k)));
}

/** PodValidateLimitFunc: every Container item per container (init containers after), every Pod item on the totals. */
export function podLimitErrors(lr: KObject, pod: Obj): string[] {
  const errs: string[] = [];
  const spec = pod.spec ?? {};
  for (const it of items(lr)) {
    if (it.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        if (c && typeof c === 'object') checkAgainst(it, 'Container', containerList(c, 'requests'), containerList(c, 'limits'), errs);
      }
    } else if (it.type === 'Pod') {
      // The plugin's own podRequests/podLimits: pod-level cpu and memory stand in for the containers' totals.
      checkAgainst(it, 'Pod', podRequestList(pod, false, cpuOrMemory), podLimitList(pod, false, cpuOrMemory), errs);
    }
  }
  return errs;
}

/** PersistentVolumeClaimValidateLimitFunc: the claim's requests against min and max. */
export function claimLimitErrors(lr: KObject, pvc: Obj): string[] {
  const errs: string[] = [];
  const requests = containerList(pvc.spec, 'requests');
  for (const it of items(lr)) {
    if (it.type !== 'PersistentVolumeClaim') continue;
    for (const [k, v] of qmap(it.min)) {
      const e = minConstraint('PersistentVolumeClaim', k, v, requests.get(k), undefined);
      if (e) errs.push(e);
    }
    for (const [k, v] of qmap(it.max)) {
      const e = maxRequestConstraint('PersistentVolumeClaim', k, v, requests.get(k));
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** utilerrors.NewAggregate's text: each message once, in order; one bare, several in brackets. */
const aggregate = (all: string[]) => {
  const errs = [...new Set(all)];
  return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
};

export function limitRangerAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'LimitRanger',
    resources: ['/pods', '/persistentvolumeclaims'],
    admit(op: 'CREATE' | 'UPDATE', obj: KObject, _old: KObject | undefined, _opts: WriteOptions, subresource?: string): boolean {
      if (op !== 'CREATE' || subresource || obj.kind !== 'Pod') return false;
      let changed = false;
      for (const lr of rangesOf(store, obj.metadata.namespace)) {
        const defaults = containerDefaults(lr);
        if (!Object.keys(defaults.requests).length && !Object.keys(defaults.limits).length) continue;
        const notes: string[] = [];
        for (const c of obj.spec?.containers ?? []) if (c && typeof c === 'object') mergeContainer(c, defaults, 'container', notes);
        for (const c of obj.spec?.initContainers ?? []) if (c && typeof c === 'object') mergeContainer(c, defaults, 'init container', notes);
        if (!notes.length) continue;
        obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
        changed = true;
      }
      // Defaults can put a limit below a request the user gave: the pod's own validation runs again.
      return changed;
    },
    validate(op: 'CREATE' | 'UPDATE', obj: KObject, old: KObject | undefined, _opts: WriteOptions, subresource?: string): void {
      if (subresource) return;
      const pod = obj.kind === 'Pod';
      if (pod && op !== 'CREATE') return;
      if (old?.metadata.deletionTimestamp) return;
      for (const lr of rangesOf(store, obj.metadata.namespace)) {
        const errs = pod ? podLimitErrors(lr, obj) : claimLimitErrors(lr, obj);
        if (errs.length) throw forbidden({ group: '', resource: pod ? 'pods' : 'persistentvolumeclaims' }, obj.metadata.name ?? '', aggregate(errs));
      }
    },
  };
}
