/**
 * The workload controllers (ReplicationController, ReplicaSet, Deployment,
 * Job, CronJob, DaemonSet, StatefulSet, the disruption controller over
 * PodDisruptionBudgets, and the horizontal pod autoscaler), built on one set of caches over the
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
import { replicaSetController } from './replicaset/index.js';
import { replicationController } from './replicationcontroller/index.js';
import { Informers } from './util/cache.js';

export { rolloutUndoDeployment } from './deployment/rollback.js';
export { rolloutUndoFromHistory } from './util/undo.js';

export function workloadControllers(ctx: ComponentContext): Component[] {
  const informers = new Informers(ctx.api);
  return [
    replicationController(ctx, informers),
    replicaSetController(ctx, informers),
    new DeploymentController(ctx, informers),
    new JobController(ctx, informers),
    new TTLAfterFinishedController(ctx, informers),
    new CronJobController(ctx, informers),
    new StatefulSetController(ctx, informers),
    new DaemonSetController(ctx, informers),
    new DisruptionController(ctx, informers),
    new HorizontalPodAutoscalerController(ctx, informers),
  ];
}
