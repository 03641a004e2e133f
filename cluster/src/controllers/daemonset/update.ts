/** DaemonSet rolling update (upstream update.go rollingUpdate): which old pods to delete and where to surge. */
import type { KObject } from '../../contract.js';
import { isPodAvailable } from '../util/pods.js';
import { scaledValue } from '../util/intstr.js';

export const REVISION_LABEL = 'controller-revision-hash';

/** Both budgets round up for DaemonSets; zero and zero means one unavailable. */
export function updateBudgets(ds: KObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const ru = ds.spec?.updateStrategy?.rollingUpdate;
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate' || !ru) return { maxSurge: 0, maxUnavailable: 0 };
  const maxSurge = scaledValue(ru.maxSurge, desired, true, 0);
  let maxUnavailable = scaledValue(ru.maxUnavailable, desired, true, 1);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** findUpdatedPodsOnNode: at most one new and one old live pod, else `ok` is false. */
export function podsOnNode(pods: KObject[], hash: string): { newPod?: KObject; oldPod?: KObject; ok: boolean } {
  let newPod: KObject | undefined;
  let oldPod: KObject | undefined;
  for (const p of pods) {
    if (p.metadata.deletionTimestamp) continue;
    if (p.metadata.labels?.[REVISION_LABEL] === hash) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

/**
 * Without surge: delete old pods while keeping at most maxUnavailable nodes
 * without an available daemon pod (old pods that are already unavailable are
 * always replaced). With surge: start new pods beside old ones on up to
 * maxSurge nodes and delete an old pod once its replacement is available.
 */
export function rollingUpdatePlan(byNode: Map<string, KObject[]>, hash: string, maxSurge: number, maxUnavailable: number, mrs: number, now: number): { deletePods: KObject[]; createOn: string[] } {
  const nodes = [...byNode.keys()].sort();
  if (maxSurge === 0) {
    let unavailable = 0;
    const allowed: KObject[] = [];
    const candidates: KObject[] = [];
    for (const n of nodes) {
      const { newPod, oldPod, ok } = podsOnNode(byNode.get(n)!, hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        unavailable++;
        continue;
      }
      if (newPod) {
        if (!isPodAvailable(newPod, mrs, now)) unavailable++;
      } else if (!isPodAvailable(oldPod!, mrs, now)) allowed.push(oldPod!);
      else if (unavailable < maxUnavailable) candidates.push(oldPod!);
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { deletePods: [...allowed, ...candidates.slice(0, remaining)], createOn: [] };
  }
  let surging = 0;
  const allowedNew: string[] = [];
  const candidateNew: string[] = [];
  const deletePods: KObject[] = [];
  for (const n of nodes) {
    const { newPod, oldPod, ok } = podsOnNode(byNode.get(n)!, hash);
    if (!ok) {
      surging++;
      continue;
    }
    if (!oldPod) continue;
    if (!newPod) {
      if (!isPodAvailable(oldPod, mrs, now)) allowedNew.push(n);
      else if (surging < maxSurge) candidateNew.push(n);
      continue;
    }
    if (!isPodAvailable(newPod, mrs, now)) {
      surging++;
      continue;
    }
    deletePods.push(oldPod);
  }
  const remaining = Math.min(Math.max(0, maxSurge - surging), candidateNew.length);
  return { deletePods, createOn: [...allowedNew, ...candidateNew.slice(0, remaining)] };
}
