import { defaultEndpoints, defaultNamespace, defaultNode, defaultPersistentVolume, defaultPersistentVolumeClaim, defaultSecret, defaultService } from './core';
import { defaultPod, defaultPodTemplate } from './pod';
import {
  defaultCronJob,
  defaultDaemonSet,
  defaultDeployment,
  defaultJob,
  defaultReplicaSet,
  defaultReplicationController,
  defaultStatefulSet,
} from './workloads';

export { defaultPullPolicy } from './pod';
export { generateJobSelector } from './workloads';

type Obj = Record<string, any>;

/** Defaulting by store id (group/resource), applied to every object written, as decoding does upstream. */
const byResource: Record<string, (o: Obj) => void> = {
  '/pods': defaultPod,
  '/services': defaultService,
  '/namespaces': defaultNamespace,
  '/persistentvolumeclaims': defaultPersistentVolumeClaim,
  '/persistentvolumes': defaultPersistentVolume,
  '/secrets': defaultSecret,
  '/endpoints': defaultEndpoints,
  '/nodes': defaultNode,
  '/replicationcontrollers': defaultReplicationController,
  '/podtemplates': (o) => defaultPodTemplate(o.template),
  'apps/deployments': defaultDeployment,
  'apps/replicasets': defaultReplicaSet,
  'apps/daemonsets': defaultDaemonSet,
  'apps/statefulsets': defaultStatefulSet,
  'batch/jobs': defaultJob,
  'batch/cronjobs': defaultCronJob,
  // SetDefaults_PriorityClass.
  'scheduling.k8s.io/priorityclasses': (o) => {
    o.preemptionPolicy ??= 'PreemptLowerPriority';
  },
};

export function applyDefaults(storeId: string, obj: Obj): void {
  const f = byResource[storeId];
  if (f) f(obj);
}
