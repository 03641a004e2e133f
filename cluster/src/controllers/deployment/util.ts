/**
 * The arithmetic and bookkeeping of upstream's deployment_util.go: surge and
 * unavailability budgets, revision annotations, conditions, proportions.
 * Pure functions over plain objects, so they are tested without a cluster.
 */
import type { KObject } from '../../contract.js';
import { stableStringify } from '../util/hash.js';
import { scaledValue } from '../util/intstr.js';
import { formatTime, parseTime } from '../util/time.js';

export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_REV_HISTORY_CHARS = 2000;
const MAX_INT32 = 2147483647;

export const Reason = {
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  NewReplicaSet: 'NewReplicaSetCreated',
  FoundNewRS: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewRSAvailable: 'NewReplicaSetAvailable',
  TimedOut: 'ProgressDeadlineExceeded',
  Paused: 'DeploymentPaused',
  Resumed: 'DeploymentResumed',
  FailedRSCreate: 'ReplicaSetCreateError',
  RollbackDone: 'DeploymentRollback',
  RollbackRevisionNotFound: 'DeploymentRollbackRevisionNotFound',
  RollbackTemplateUnchanged: 'DeploymentRollbackTemplateUnchanged',
} as const;

const SKIP_COPY = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

export const replicasOf = (o: KObject | undefined): number => (o ? o.spec?.replicas ?? 1 : 0);

export function isRollingUpdate(d: KObject): boolean {
  return (d.spec?.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * maxSurge rounds up, maxUnavailable rounds down; if both come to zero,
 * maxUnavailable becomes 1 so a rollout can make progress at all.
 */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true, 0);
  let unavailable = scaledValue(maxUnavailable, desired, false, 0);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

function fenceposts(d: KObject): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge ?? '25%', ru.maxUnavailable ?? '25%', replicasOf(d));
}

export function maxSurge(d: KObject): number {
  return isRollingUpdate(d) ? fenceposts(d)[0] : 0;
}

export function maxUnavailable(d: KObject): number {
  const r = replicasOf(d);
  if (!isRollingUpdate(d) || r === 0) return 0;
  return Math.min(fenceposts(d)[1], r);
}

export const sumSpecReplicas = (rss: (KObject | undefined)[]): number => rss.reduce((n, rs) => n + (rs ? replicasOf(rs) : 0), 0);
export const sumStatus = (rss: (KObject | undefined)[], f: string): number => rss.reduce((n, rs) => n + (rs?.status?.[f] ?? 0), 0);

/** How many replicas the new ReplicaSet may have now (NewRSNewReplicas). */
export function newRSNewReplicas(d: KObject, allRSs: (KObject | undefined)[], newRS: KObject): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const surge = scaledValue(d.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', replicasOf(d), true, 0);
  const current = sumSpecReplicas(allRSs);
  const maxTotal = replicasOf(d) + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
  return replicasOf(newRS) + up;
}

/** Canonical text of a template without the hash label, memoized per (immutable) template object. */
const templateKeys = new WeakMap<object, string>();

export function templatesEqualIgnoreHash(a: any, b: any): boolean {
  return templateKey(a) === templateKey(b);
}

function templateKey(t: any): string {
  if (t && typeof t === 'object') {
    const k = templateKeys.get(t);
    if (k !== undefined) return k;
    const v = stripHash(t);
    if (Object.isFrozen(t)) templateKeys.set(t, v);
    return v;
  }
  return stripHash(t);
}

function stripHash(t: any): string {
  const c = typedTemplate(t);
  if (c.metadata.labels) {
    const l = { ...c.metadata.labels };
    delete l[HASH_LABEL];
    c.metadata.labels = l;
  }
  return stableStringify(c);
}

/**
 * A pod template as Go's typed PodTemplateSpec sees it, for Semantic.DeepEqual and the hash: an empty or null
 * metadata field (`creationTimestamp: null`, `labels: {}`) and a container's empty `resources` (a struct, which Go
 * always writes as `resources: {}`) are the same as leaving them out. kubectl's rollout undo sends templates with
 * both, and without this a rollback to an older ReplicaSet made a new one.
 */
export function typedTemplate(t: any): any {
  const c = { ...(t ?? {}), metadata: { ...(t?.metadata ?? {}) } };
  for (const k of Object.keys(c.metadata)) {
    const v = c.metadata[k];
    if (v === null || (typeof v === 'object' && Object.keys(v).length === 0)) delete c.metadata[k];
  }
  const spec = c.spec;
  if (spec && typeof spec === 'object') {
    let out: any;
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const cs = spec[list];
      if (!Array.isArray(cs) || !cs.some(emptyResources)) continue;
      out ??= { ...spec };
      out[list] = cs.map((x: any) => {
        if (!emptyResources(x)) return x;
        const { resources: _r, ...rest } = x;
        return rest;
      });
    }
    if (out) c.spec = out;
  }
  return c;
}
const emptyResources = (x: any) => x && typeof x === 'object' && x.resources !== undefined
  && (x.resources === null || (typeof x.resources === 'object' && Object.keys(x.resources).every((k) => x.resources[k] == null || (typeof x.resources[k] === 'object' && Object.keys(x.resources[k]).length === 0))));

export function byCreation(a: KObject, b: KObject): number {
  const ta = parseTime(a.metadata.creationTimestamp) ?? 0;
  const tb = parseTime(b.metadata.creationTimestamp) ?? 0;
  if (ta !== tb) return ta - tb;
  return a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0;
}

export function revisionOf(rs: KObject | undefined): number {
  const v = rs?.metadata.annotations?.[REVISION];
  const n = v ? Number(v) : 0;
  return Number.isFinite(n) ? n : 0;
}

export function maxRevision(rss: KObject[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/** The second-highest revision: what `rollout undo` without a revision goes back to. */
export function lastRevision(rss: KObject[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

export function findNewReplicaSet(d: KObject, rss: KObject[]): KObject | undefined {
  return rss.slice().sort(byCreation).find((rs) => templatesEqualIgnoreHash(rs.spec?.template, d.spec?.template));
}

export function setReplicasAnnotations(rs: KObject, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) (a[DESIRED_REPLICAS] = String(desired)), (changed = true);
  if (a[MAX_REPLICAS] !== String(max)) (a[MAX_REPLICAS] = String(max)), (changed = true);
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: KObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations;
  return !a || a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/**
 * Copies the deployment's own annotations onto the new ReplicaSet and raises
 * its revision to `newRevision`; a ReplicaSet that already had a revision is
 * being rolled back to, so its old number goes into revision-history.
 */
export function setNewReplicaSetAnnotations(d: KObject, rs: KObject, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIP_COPY.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION];
  let oldN = 0;
  if (oldRevision !== undefined && oldRevision !== '') {
    oldN = Number(oldRevision);
    if (!Number.isInteger(oldN)) return false;
  }
  if (oldN < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision !== undefined) {
      const hist = a[REVISION_HISTORY] ?? '';
      if (hist === '') a[REVISION_HISTORY] = oldRevision;
      else {
        const parts = hist.split(',');
        let total = hist.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REV_HISTORY_CHARS && start < parts.length) total -= parts[start++].length + 1;
        if (total <= MAX_REV_HISTORY_CHARS) a[REVISION_HISTORY] = [...parts.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Deployment annotations after a rollback: its own (minus copied ones) plus the ReplicaSet's. */
export function deploymentAnnotationsFrom(d: KObject, rs: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (SKIP_COPY.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!SKIP_COPY.has(k)) out[k] = v;
  return out;
}

// ---------- conditions ----------

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export function newCondition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: any, type: string): Condition | undefined {
  return status?.conditions?.find((c: Condition) => c.type === type);
}

/**
 * SetDeploymentCondition: same status and reason is a no-op; same status
 * keeps lastTransitionTime; the changed condition moves to the end.
 */
export function setCondition(status: any, c: Condition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  if (cur && cur.status === c.status) c = { ...c, lastTransitionTime: cur.lastTransitionTime };
  status.conditions = [...(status.conditions ?? []).filter((x: Condition) => x.type !== c.type), c];
}

export function removeCondition(status: any, type: string): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((x: Condition) => x.type !== type);
}

export function hasProgressDeadline(d: KObject): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

export function deploymentComplete(d: KObject, s: any): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** Any sign of progress between the stored status and the new one. */
export function deploymentProgressing(d: KObject, s: any): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) || newOld < oldOld || (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) || (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0);
}

export function deploymentTimedOut(d: KObject, s: any, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  const from = parseTime(c.lastUpdateTime) ?? 0;
  return from + d.spec.progressDeadlineSeconds * 1000 < now;
}

// ---------- proportional scaling ----------

function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** GetReplicaSetProportion: this ReplicaSet's share of `toAdd`, bounded by what is left. */
export function replicaSetProportion(rs: KObject, d: KObject, toAdd: number, added: number): number {
  if (replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: KObject, d: KObject): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const dMax = replicasOf(d) + maxSurge(d);
  let before = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
  if (!Number.isInteger(before) || before === 0) before = d.status?.replicas ?? 0;
  if (before === 0) return 0;
  return roundHalfAway((replicasOf(rs) * dMax) / before) - replicasOf(rs);
}

export function isSaturated(d: KObject, rs: KObject | undefined): boolean {
  if (!rs) return false;
  const desired = Number(rs.metadata.annotations?.[DESIRED_REPLICAS]);
  return desired === replicasOf(d) && replicasOf(rs) === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}
