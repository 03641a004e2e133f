/** Scaling, new-ReplicaSet bookkeeping, cleanup and status: upstream's sync.go. */
import type { KObject } from '../../contract.js';
import { computeHash } from '../util/hash.js';
import { REPLICASETS } from '../util/gvr.js';
import { deepCopy, newControllerRef } from '../util/owner.js';
import { errorMessage, isAlreadyExists } from '../util/write.js';
import type { DeploymentController } from './controller.js';
import { COMPONENT } from './controller.js';
import {
  DESIRED_REPLICAS, HASH_LABEL, REVISION, Reason, byCreation, findNewReplicaSet, getCondition, hasProgressDeadline, isRollingUpdate, isSaturated,
  maxRevision, maxSurge, maxUnavailable, newCondition, newRSNewReplicas, replicaSetProportion, replicasAnnotationsNeedUpdate, replicasOf,
  revisionOf, setCondition, setNewReplicaSetAnnotations, setReplicasAnnotations, sumSpecReplicas, sumStatus, templatesEqualIgnoreHash,
  typedTemplate,
} from './util.js';

export function syncStatusOnly(dc: DeploymentController, d: KObject, rsList: KObject[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** Paused deployments and scaling events: resize, never roll. */
export function sync(dc: DeploymentController, d: KObject, rsList: KObject[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  scale(dc, d, newRS, oldRSs);
  if (d.spec?.paused && d.metadata.annotations?.['deprecated.deployment.rollback.to'] === undefined) cleanupDeployment(dc, oldRSs, d);
  syncDeploymentStatus(dc, [...oldRSs, newRS], newRS, d);
}

/**
 * Progressing goes Unknown with DeploymentPaused / DeploymentResumed, so a
 * deployment paused longer than its deadline is not reported as timed out.
 */
export function checkPausedConditions(dc: DeploymentController, d: KObject): void {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === Reason.TimedOut) return;
  const pausedExists = cond?.reason === Reason.Paused;
  if (!!d.spec?.paused === pausedExists) return;
  const status = deepCopy(d.status ?? {});
  if (d.spec?.paused) setCondition(status, newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused', dc.now()));
  else setCondition(status, newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed', dc.now()));
  dc.writeStatus(d, status);
}

/** A scaling event: some active ReplicaSet was sized for a different spec.replicas. */
export function isScalingEvent(dc: DeploymentController, d: KObject, rsList: KObject[]): boolean {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  for (const rs of [...oldRSs, newRS]) {
    if (!rs || replicasOf(rs) <= 0) continue;
    const v = rs.metadata.annotations?.[DESIRED_REPLICAS];
    if (v === undefined || !/^-?\d+$/.test(v)) continue;
    if (Number(v) !== replicasOf(d)) return true;
  }
  return false;
}

export interface RSSet {
  newRS: KObject | undefined;
  oldRSs: KObject[];
}

export function getAllReplicaSetsAndSyncRevision(dc: DeploymentController, d: KObject, rsList: KObject[], create: boolean): RSSet {
  // Earlier steps of this sync may have written some of them: read our own writes back.
  rsList = rsList.map((rs) => dc.rss.get(rs.metadata.namespace, rs.metadata.name!) ?? rs);
  const existingNew = findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existingNew);
  const newRS = getNewReplicaSet(dc, d, rsList, existingNew, oldRSs, create);
  return { newRS, oldRSs };
}

function getNewReplicaSet(dc: DeploymentController, d: KObject, rsList: KObject[], existing: KObject | undefined, oldRSs: KObject[], create: boolean): KObject | undefined {
  const newRevision = maxRevision(oldRSs) + 1;
  const now = dc.now();
  if (existing) {
    // Only annotations and minReadySeconds may change here; a shallow copy is enough.
    const rsCopy: KObject = { ...existing, metadata: { ...existing.metadata, annotations: { ...(existing.metadata.annotations ?? {}) } }, spec: { ...existing.spec } };
    const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
    const mrs = d.spec?.minReadySeconds ?? 0;
    if (annotationsUpdated || (rsCopy.spec.minReadySeconds ?? 0) !== mrs) {
      rsCopy.spec.minReadySeconds = mrs;
      const res = dc.ctx.api.update(REPLICASETS, rsCopy.metadata.namespace, rsCopy).object;
      dc.rss.upsert(res);
      return res;
    }
    let needsUpdate = setDeploymentRevision(d, rsCopy.metadata.annotations?.[REVISION]);
    const found = hasProgressDeadline(d) && !getCondition(d.status, 'Progressing');
    const status = needsUpdate || found ? deepCopy(d.status ?? {}) : d.status;
    if (found) {
      setCondition(status, newCondition('Progressing', 'True', Reason.FoundNewRS, `Found new replica set "${rsCopy.metadata.name}"`, now));
      needsUpdate = true;
    }
    if (needsUpdate) dc.writeStatus(d, status);
    return rsCopy;
  }
  if (!create) return undefined;

  const template = deepCopy(d.spec.template);
  // The hash of the template as a typed Go object (an empty `resources`, a null creationTimestamp left out), so the
  // same template gives the same name however it was written.
  const hash = computeHash(typedTemplate(template), d.status?.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const selector = deepCopy(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const newRS: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: d.metadata.namespace, ownerReferences: [newControllerRef(d)], labels: { ...template.metadata.labels } },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);
  let created: KObject;
  let alreadyExists = false;
  try {
    created = dc.ctx.api.create(REPLICASETS, d.metadata.namespace, newRS).object;
    dc.rss.upsert(created);
  } catch (err) {
    if (isAlreadyExists(err)) {
      alreadyExists = true;
      const rs = dc.rss.get(d.metadata.namespace, newRS.metadata.name!) ?? dc.ctx.api.get(REPLICASETS, d.metadata.namespace, newRS.metadata.name!);
      const ref = rs.metadata.ownerReferences?.find((r) => r.controller);
      if (ref?.uid === d.metadata.uid && templatesEqualIgnoreHash(d.spec.template, rs.spec.template)) {
        created = rs;
      } else {
        // A different template hashed to the same name: bump collisionCount and retry.
        const status = { ...deepCopy(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
        dc.writeStatus(d, status);
        throw err;
      }
    } else {
      const msg = `Failed to create new replica set "${newRS.metadata.name}": ${errorMessage(err)}`;
      if (hasProgressDeadline(d)) {
        const status = deepCopy(d.status ?? {});
        setCondition(status, newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, now));
        dc.writeStatus(d, status);
      }
      dc.ctx.events.event({ component: COMPONENT }, d, 'Warning', Reason.FailedRSCreate, msg);
      throw err;
    }
  }
  if (!alreadyExists && count > 0) {
    dc.ctx.events.event({ component: COMPONENT }, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${count}`);
  }
  let needsUpdate = setDeploymentRevision(d, String(newRevision));
  const status = deepCopy(d.status ?? {});
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(status, newCondition('Progressing', 'True', Reason.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, now));
    needsUpdate = true;
  }
  if (needsUpdate) dc.writeStatus(d, status);
  return created;
}

function setDeploymentRevision(d: KObject, revision: string | undefined): boolean {
  if (revision === undefined) return false;
  const a = (d.metadata.annotations ??= {});
  if (a[REVISION] === revision) return false;
  a[REVISION] = revision;
  return true;
}

/**
 * Resizes ReplicaSets when spec.replicas changed mid-rollout: one active
 * ReplicaSet takes the whole count; otherwise the surplus or deficit is
 * spread in proportion to each ReplicaSet's size (largest first, leftovers
 * to the first).
 */
export function scale(dc: DeploymentController, d: KObject, newRS: KObject | undefined, oldRSs: KObject[]): void {
  const active = [...oldRSs].sort(byCreation).reverse();
  const all = [...active, newRS].filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);
  let activeOrLatest: KObject | undefined;
  if (newRS || oldRSs.length) {
    if (all.length === 0) activeOrLatest = newRS ?? active[0];
    else if (all.length === 1) activeOrLatest = all[0];
  }
  if (activeOrLatest) {
    if (replicasOf(activeOrLatest) !== replicasOf(d)) scaleReplicaSetAndRecordEvent(dc, activeOrLatest, replicasOf(d), d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of oldRSs.filter((rs) => replicasOf(rs) > 0)) scaleReplicaSetAndRecordEvent(dc, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allRSs = [...oldRSs, newRS].filter((rs): rs is KObject => !!rs && replicasOf(rs) > 0);
  const allowed = replicasOf(d) > 0 ? replicasOf(d) + maxSurge(d) : 0;
  const toAdd = allowed - sumSpecReplicas(allRSs);
  let op = '';
  if (toAdd > 0) {
    allRSs.sort((a, b) => replicasOf(b) - replicasOf(a) || -byCreation(a, b));
    op = 'up';
  } else if (toAdd < 0) {
    allRSs.sort((a, b) => replicasOf(b) - replicasOf(a) || byCreation(a, b));
    op = 'down';
  }
  let added = 0;
  const size = new Map<string, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const p = replicaSetProportion(rs, d, toAdd, added);
      size.set(rs.metadata.name!, replicasOf(rs) + p);
      added += p;
    } else size.set(rs.metadata.name!, replicasOf(rs));
  }
  allRSs.forEach((rs, i) => {
    if (i === 0 && toAdd !== 0) size.set(rs.metadata.name!, Math.max(0, size.get(rs.metadata.name!)! + toAdd - added));
    scaleReplicaSet(dc, rs, size.get(rs.metadata.name!)!, d, op);
  });
}

export function scaleReplicaSetAndRecordEvent(dc: DeploymentController, rs: KObject, newScale: number, d: KObject): { scaled: boolean; rs: KObject } {
  if (replicasOf(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(dc, rs, newScale, d, replicasOf(rs) < newScale ? 'up' : 'down');
}

function scaleReplicaSet(dc: DeploymentController, rs: KObject, newScale: number, d: KObject, op: string): { scaled: boolean; rs: KObject } {
  const sizeNeedsUpdate = replicasOf(rs) !== newScale;
  const max = replicasOf(d) + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, replicasOf(d), max)) return { scaled: false, rs };
  const oldScale = replicasOf(rs);
  const copy = deepCopy(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, replicasOf(d), max);
  const res = dc.ctx.api.update(REPLICASETS, copy.metadata.namespace, copy).object;
  dc.rss.upsert(res);
  if (sizeNeedsUpdate) {
    dc.ctx.events.event({ component: COMPONENT }, d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${res.metadata.name} from ${oldScale} to ${newScale}`);
    dc.ctx.log(COMPONENT, `Scaled ${op} replica set ${d.metadata.namespace}/${res.metadata.name} from ${oldScale} to ${newScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: res };
}

/** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
export function cleanupDeployment(dc: DeploymentController, oldRSs: KObject[], d: KObject): void {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  cleanable.sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || replicasOf(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      dc.ctx.api.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name!);
      dc.rss.remove(rs);
    } catch {
      /* already gone */
    }
  }
}

export function syncDeploymentStatus(dc: DeploymentController, allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): void {
  dc.writeStatus(d, calculateStatus(allRSs, newRS, d, dc.now()));
}

/** The deployment's status from its ReplicaSets; zero counts are omitted as upstream's omitempty does. */
export function calculateStatus(allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject, now: number): any {
  const available = sumStatus(allRSs, 'availableReplicas');
  const unavailable = Math.max(0, sumSpecReplicas(allRSs) - available);
  const s: any = {};
  if (d.metadata.generation) s.observedGeneration = d.metadata.generation;
  const put = (k: string, v: number) => {
    if (v) s[k] = v;
  };
  put('replicas', sumStatus(allRSs, 'replicas'));
  put('updatedReplicas', sumStatus([newRS], 'replicas'));
  put('readyReplicas', sumStatus(allRSs, 'readyReplicas'));
  put('availableReplicas', available);
  put('unavailableReplicas', unavailable);
  // Conditions are replaced, never edited in place, so the stored ones can be shared.
  s.conditions = [...(d.status?.conditions ?? [])];
  const ok = available >= replicasOf(d) - maxUnavailable(d);
  const cur = getCondition(s, 'Available');
  if (!cur || cur.status !== (ok ? 'True' : 'False')) {
    if (ok) setCondition(s, newCondition('Available', 'True', Reason.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
    else setCondition(s, newCondition('Available', 'False', Reason.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  if (d.status?.collisionCount !== undefined) s.collisionCount = d.status.collisionCount;
  return s;
}
