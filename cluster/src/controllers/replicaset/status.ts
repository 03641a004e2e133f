import type { KObject } from '../../contract.js';
import { isPodAvailable, isPodReady } from '../util/pods.js';
import { formatTime } from '../util/time.js';

/**
 * The status a ReplicaSet (or ReplicationController) reports for its active
 * pods. `replicas` is always written; the other counts are omitted at zero,
 * as upstream's omitempty JSON tags do.
 */
export function calculateReplicaStatus(rs: KObject, activePods: KObject[], templateLabels: Record<string, string>, now: number, createError?: string): any {
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  const tl = Object.entries(templateLabels);
  for (const p of activePods) {
    const l = p.metadata.labels ?? {};
    if (tl.every(([k, v]) => l[k] === v)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const status: any = { replicas: activePods.length };
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
  const prev: any[] = (rs.status?.conditions ?? []).filter((c: any) => c.type !== 'ReplicaFailure');
  const oldFailure = (rs.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
  if (createError) {
    // calculateStatus sets the condition only when there is none: it keeps the first failure's words.
    const reason = (rs.spec?.replicas ?? 1) > activePods.length ? 'FailedCreate' : 'FailedDelete';
    prev.push(oldFailure ?? { type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(now), reason, message: createError });
  }
  if (prev.length) status.conditions = prev;
  return status;
}

/** Batches 1, 2, 4, ... so a failing create (quota, admission) fails fast instead of `replicas` times. */
export function slowStartBatches(count: number, initial = 1): number[] {
  const out: number[] = [];
  let remaining = count;
  let size = Math.min(remaining, initial);
  while (size > 0) {
    out.push(size);
    remaining -= size;
    size = Math.min(2 * size, remaining);
  }
  return out;
}
