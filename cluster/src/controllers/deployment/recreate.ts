/** The Recreate strategy: every old pod is gone before the first new one is made (upstream's recreate.go). */
import type { KObject } from '../../contract.js';
import type { DeploymentController } from './controller.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';
import { deploymentComplete, replicasOf, sumStatus } from './util.js';

export function rolloutRecreate(dc: DeploymentController, d: KObject, rsList: KObject[]): void {
  let { newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, false);
  let scaledDown = false;
  for (const rs of oldRSs.filter((x) => replicasOf(x) > 0)) {
    if (scaleReplicaSetAndRecordEvent(dc, rs, 0, d).scaled) scaledDown = true;
  }
  if (scaledDown) return syncRolloutStatus(dc, [...oldRSs, newRS], newRS, d);
  if (oldPodsRunning(dc, newRS, oldRSs)) return syncRolloutStatus(dc, [...oldRSs, newRS], newRS, d);
  if (!newRS) ({ newRS, oldRSs } = getAllReplicaSetsAndSyncRevision(dc, d, rsList, true));
  newRS = scaleReplicaSetAndRecordEvent(dc, newRS!, replicasOf(d), d).rs;
  if (deploymentComplete(d, d.status ?? {})) cleanupDeployment(dc, oldRSs, d);
  syncRolloutStatus(dc, [...oldRSs, newRS], newRS, d);
}

/** Old ReplicaSets still report pods, or an old pod has not finished (Succeeded/Failed) or been deleted. */
function oldPodsRunning(dc: DeploymentController, newRS: KObject | undefined, oldRSs: KObject[]): boolean {
  if (sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const rs of oldRSs) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    for (const p of dc.pods.ownedBy(rs.metadata.uid!)) {
      const phase = p.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}
