/**
 * The workload controllers (ReplicationController, ReplicaSet, Deployment,
 * Job, CronJob, DaemonSet, StatefulSet, the disruption controller over
 * PodDisruptionBudgets, the horizontal pod autoscaler, and the resource claim controller that makes a pod's
 * ResourceClaims from their templates), built on one set of caches over the
 * runtime's shared informers. The playground starts them in this order.
 */
import type { Component, ComponentContext } from '../contract.js';
import { DeploymentController } from './deployment/controller.js';
import { JobController } from './job/controller.js';
import { TTLAfterFinishedController } from './job/ttl.js';
import { CronJobController } from './cronjob/controller.js';
import { StatefulSetController } from './statefulset/controller.js';
import { DaemonSetController } from './daemonset/controller.js';
import { DisruptionController } from './disruption/controller.js';
import { HorizontalPodAutoscalerController } from './podautoscaler/controller.js';
import { ResourceClaimController } from './resourceclaim/controller.js';
import { replicaSetController } from './replicaset/index.js';
import { replicationController } from './replicationcontroller/index.js';
import { Informers } from './util/cache.js';

export { rolloutUndoDeployment } from './deployment/rollback.js';
export { rolloutUndoFromHistory } from './util/undo.js';

/** `as(name)`: the context whose writes carry the controller's service account (wiring.ts); by default ctx itself. */
export function workloadControllers(ctx: ComponentContext, as: (controller: string) => ComponentContext = () => ctx): Component[] {
  const informers = new Informers(ctx.api);
  return [
    replicationController(as('replication-controller'), informers),
    replicaSetController(as('replicaset-controller'), informers),
    new DeploymentController(as('deployment-controller'), informers),
    new JobController(as('job-controller'), informers),
    new TTLAfterFinishedController(as('ttl-after-finished-controller'), informers),
    new CronJobController(as('cronjob-controller'), informers),
    new StatefulSetController(as('statefulset-controller'), informers),
    new DaemonSetController(as('daemon-set-controller'), informers),
    new DisruptionController(as('disruption-controller'), informers),
    new HorizontalPodAutoscalerController(as('horizontal-pod-autoscaler'), informers),
    // kube-controller-manager's resourceclaim-controller, whose client is the resource-claim-controller service account.
    new ResourceClaimController(as('resource-claim-controller'), informers),
  ];
}
