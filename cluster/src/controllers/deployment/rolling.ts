/** The RollingUpdate strategy: upstream's rolling.go. */
import type { KObject } from '../../contract.js';
import type { DeploymentController } from './controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';
import { byCreation, deploymentComplete, maxUnavailable, newRSNewReplicas, replicasOf, sumSpecReplicas, sumStatus } from './util.js';

export function rolloutRolling(dc: DeploymentController, d: KObject, rsList: KObject[]): void {
  const { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];
  if (reconcileNewReplicaSet(dc, allRSs, newRS!, d)) return syncRolloutStatus(dc, allRSs, newRS, d);
  const fresh = (rs: KObject) => dc.rss.get(rs.metadata.namespace, rs.metadata.name!) ?? rs;
  const newNow = fresh(newRS!);
  const oldNow = oldRSs.map(fresh);
  if (reconcileOldReplicaSets(dc, [...oldNow, newNow], oldNow.filter((rs) => replicasOf(rs) > 0), newNow, d)) {
    return syncRolloutStatus(dc, [...oldRSs.map(fresh), fresh(newNow)], fresh(newNow), d);
  }
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(dc, oldNow, d);
  syncRolloutStatus(dc, [...oldNow, newNow], newNow, d);
}

function reconcileNewReplicaSet(dc: DeploymentController, allRSs: KObject[], newRS: KObject, d: KObject): boolean {
  if (replicasOf(newRS) === replicasOf(d)) return false;
  if (replicasOf(newRS) > replicasOf(d)) return scaleReplicaSetAndRecordEvent(dc, newRS, replicasOf(d), d).scaled;
  return scaleReplicaSetAndRecordEvent(dc, newRS, newRSNewReplicas(d, allRSs, newRS), d).scaled;
}

/**
 * How far old ReplicaSets may shrink now. Example: replicas 10, maxUnavailable
 * 2 (minAvailable 8), 3 old + 10 new where the 10 new are all unavailable:
 * maxScaledDown = 13 - 8 - 10 = -5, so nothing is scaled down until new pods
 * become available; unhealthy old replicas go first, then healthy ones down
 * to the availability floor.
 */
export function maxScaledDown(allPods: number, desired: number, maxUnavail: number, newRSUnavailable: number): number {
  return allPods - (desired - maxUnavail) - newRSUnavailable;
}

function reconcileOldReplicaSets(dc: DeploymentController, allRSs: KObject[], oldRSs: KObject[], newRS: KObject, d: KObject): boolean {
  if (sumSpecReplicas(oldRSs) === 0) return false;
  const newUnavailable = replicasOf(newRS) - (newRS.status?.availableReplicas ?? 0);
  const budget = maxScaledDown(sumSpecReplicas(allRSs), replicasOf(d), maxUnavailable(d), newUnavailable);
  if (budget <= 0) return false;
  const { rss: cleaned, count: cleanupCount } = cleanupUnhealthyReplicas(dc, oldRSs, d, budget);
  const scaledDown = scaleDownOldReplicaSetsForRollingUpdate(dc, [...cleaned, newRS], cleaned, d);
  return cleanupCount + scaledDown > 0;
}

/** Scales down old replicas that are not available, oldest ReplicaSet first, within `maxCleanup`. */
function cleanupUnhealthyReplicas(dc: DeploymentController, oldRSs: KObject[], d: KObject, maxCleanup: number): { rss: KObject[]; count: number } {
  const rss = oldRSs.slice().sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i];
    const avail = rs.status?.availableReplicas ?? 0;
    if (replicasOf(rs) === 0 || replicasOf(rs) === avail) continue;
    const n = Math.min(maxCleanup - total, replicasOf(rs) - avail);
    rss[i] = scaleReplicaSetAndRecordEvent(dc, rs, replicasOf(rs) - n, d).rs;
    total += n;
  }
  return { rss, count: total };
}

/** Scales down old ReplicaSets, oldest first, as far as the availability floor allows. */
function scaleDownOldReplicaSetsForRollingUpdate(dc: DeploymentController, allRSs: KObject[], oldRSs: KObject[], d: KObject): number {
  const minAvailable = replicasOf(d) - maxUnavailable(d);
  const available = sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const want = available - minAvailable;
  let total = 0;
  for (const rs of oldRSs.slice().sort(byCreation)) {
    if (total >= want) break;
    if (replicasOf(rs) === 0) continue;
    const n = Math.min(replicasOf(rs), want - total);
    scaleReplicaSetAndRecordEvent(dc, rs, replicasOf(rs) - n, d);
    total += n;
  }
  return total;
}
