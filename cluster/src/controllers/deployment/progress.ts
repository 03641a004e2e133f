/** Progress reporting against progressDeadlineSeconds: upstream's progress.go. */
import type { KObject } from '../../contract.js';
import type { DeploymentController } from './controller.js';
import { calculateStatus } from './sync.js';
import {
  Reason, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, removeCondition, setCondition,
} from './util.js';
import { keyOf } from '../util/queue.js';
import { parseTime } from '../util/time.js';
import { sameJSON } from '../util/write.js';

export function syncRolloutStatus(dc: DeploymentController, allRSs: (KObject | undefined)[], newRS: KObject | undefined, d: KObject): void {
  const now = dc.now();
  const s = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(s, 'Progressing');
  const cur = getCondition(d.status, 'Progressing');
  const isComplete = (s.replicas ?? 0) === (s.updatedReplicas ?? 0) && cur?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const rsName = newRS?.metadata.name;
    if (deploymentComplete(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has successfully progressed.` : `Deployment "${d.metadata.name}" has successfully progressed.`;
      setCondition(s, newCondition('Progressing', 'True', Reason.NewRSAvailable, msg, now));
    } else if (deploymentProgressing(d, s)) {
      const msg = rsName ? `ReplicaSet "${rsName}" is progressing.` : `Deployment "${d.metadata.name}" is progressing.`;
      const c = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, msg, now);
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      if (cur) {
        if (cur.status === 'True') c.lastTransitionTime = cur.lastTransitionTime;
        removeCondition(s, 'Progressing');
      }
      setCondition(s, c);
    } else if (deploymentTimedOut(d, s, now)) {
      const msg = rsName ? `ReplicaSet "${rsName}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(s, newCondition('Progressing', 'False', Reason.TimedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(s, failure);
  else removeCondition(s, 'ReplicaFailure');
  if (sameJSON(d.status ?? {}, s)) {
    requeueStuckDeployment(dc, d, s);
    return;
  }
  const before = getCondition(d.status, 'Progressing');
  dc.writeStatus(d, s);
  const after = getCondition(s, 'Progressing');
  if (after?.reason === Reason.TimedOut && before?.reason !== Reason.TimedOut) {
    dc.ctx.log('deployment-controller', `Deployment ${d.metadata.namespace}/${d.metadata.name} exceeded its progress deadline`);
  }
  requeueStuckDeployment(dc, d, s);
}

/** The first ReplicaFailure condition of the ReplicaSets, carried onto the deployment. */
function replicaFailure(allRSs: (KObject | undefined)[], newRS: KObject | undefined): any {
  const order = newRS ? [newRS, ...allRSs.filter((r) => r && r !== newRS)] : allRSs;
  for (const rs of order) {
    const c = rs?.status?.conditions?.find((x: any) => x.type === 'ReplicaFailure');
    if (c) return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
  }
  return undefined;
}

/**
 * Without new events a stuck rollout would never be re-examined, so the
 * deployment is re-queued for the moment its deadline passes.
 */
function requeueStuckDeployment(dc: DeploymentController, d: KObject, s: any): void {
  const cur = getCondition(d.status, 'Progressing');
  if (!hasProgressDeadline(d) || !cur) return;
  if (deploymentComplete(d, s) || cur.reason === Reason.TimedOut) return;
  const after = (parseTime(cur.lastUpdateTime) ?? 0) + d.spec.progressDeadlineSeconds * 1000 - dc.now();
  const key = keyOf(d.metadata.namespace, d.metadata.name!);
  dc.queue.addAfter(key, after < 1000 ? Math.max(after, 0) + 5 : after + 1);
}
