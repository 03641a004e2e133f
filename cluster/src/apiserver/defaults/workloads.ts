/**
 * apps/v1 and batch/v1 defaulting (pkg/apis/apps/v1/defaults.go,
 * pkg/apis/batch/v1/defaults.go, pkg/apis/core/v1/defaults.go for RCs).
 */
import { defaultPodTemplate, defaultTemplateMeta } from './pod';
import { canonicalRequirements } from './quantity';

type Obj = Record<string, any>;

export function defaultDeployment(d: Obj): void {
  const s = (d.spec ??= {});
  s.replicas ??= 1;
  s.strategy ??= {};
  if (!s.strategy.type) s.strategy.type = 'RollingUpdate';
  if (s.strategy.type === 'RollingUpdate') {
    s.strategy.rollingUpdate ??= {};
    s.strategy.rollingUpdate.maxUnavailable ??= '25%';
    s.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  s.revisionHistoryLimit ??= 10;
  s.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(s.template);
}

export function defaultReplicaSet(rs: Obj): void {
  const s = (rs.spec ??= {});
  s.replicas ??= 1;
  defaultPodTemplate(s.template);
}

/** SetDefaults_ReplicationController: selector and labels come from the template when absent. */
export function defaultReplicationController(rc: Obj): void {
  const s = (rc.spec ??= {});
  const tplLabels = s.template?.metadata?.labels;
  if (tplLabels && typeof tplLabels === 'object') {
    if (!s.selector || Object.keys(s.selector).length === 0) s.selector = { ...tplLabels };
    rc.metadata ??= {};
    if (!rc.metadata.labels || Object.keys(rc.metadata.labels).length === 0) rc.metadata.labels = { ...tplLabels };
  }
  s.replicas ??= 1;
  defaultPodTemplate(s.template);
}

export function defaultDaemonSet(ds: Obj): void {
  const s = (ds.spec ??= {});
  s.updateStrategy ??= {};
  if (!s.updateStrategy.type) s.updateStrategy.type = 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    s.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  s.revisionHistoryLimit ??= 10;
  defaultPodTemplate(s.template);
}

export function defaultStatefulSet(sts: Obj): void {
  const s = (sts.spec ??= {});
  s.podManagementPolicy ??= 'OrderedReady';
  s.updateStrategy ??= {};
  if (!s.updateStrategy.type) s.updateStrategy.type = 'RollingUpdate';
  if (s.updateStrategy.type === 'RollingUpdate') {
    s.updateStrategy.rollingUpdate ??= {};
    s.updateStrategy.rollingUpdate.partition ??= 0;
  }
  s.persistentVolumeClaimRetentionPolicy ??= {};
  s.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  s.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  s.replicas ??= 1;
  s.revisionHistoryLimit ??= 10;
  if (Array.isArray(s.volumeClaimTemplates)) {
    for (const t of s.volumeClaimTemplates) {
      if (!t || typeof t !== 'object') continue;
      if (t.metadata && typeof t.metadata === 'object' && t.metadata.creationTimestamp === null) delete t.metadata.creationTimestamp;
      t.apiVersion ??= 'v1';
      t.kind ??= 'PersistentVolumeClaim';
      t.spec ??= {};
      t.spec.volumeMode ??= 'Filesystem';
      canonicalRequirements(t.spec.resources);
      t.status ??= {};
      t.status.phase ??= 'Pending';
    }
  }
  defaultPodTemplate(s.template);
}

export function defaultJob(j: Obj): void {
  const s = (j.spec ??= {});
  if (s.completions === undefined && s.parallelism === undefined) {
    s.completions = 1;
    s.parallelism = 1;
  }
  s.parallelism ??= 1;
  s.backoffLimit ??= s.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const tplLabels = s.template?.metadata?.labels;
  j.metadata ??= {};
  if (tplLabels && (!j.metadata.labels || Object.keys(j.metadata.labels).length === 0)) j.metadata.labels = { ...tplLabels };
  s.completionMode ??= 'NonIndexed';
  s.suspend ??= false;
  if (Array.isArray(s.podFailurePolicy?.rules)) {
    for (const r of s.podFailurePolicy.rules) {
      if (Array.isArray(r?.onPodConditions)) for (const p of r.onPodConditions) if (p && !p.status) p.status = 'True';
    }
  }
  s.podReplacementPolicy ??= s.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  s.manualSelector ??= false;
  defaultPodTemplate(s.template);
}

/**
 * The Job strategy's generateSelector: unless the user asked for a manual
 * selector, the pods carry the job's uid and name and the selector matches the uid.
 */
export function generateJobSelector(j: Obj): void {
  const s = j.spec;
  if (!s || s.manualSelector === true) return;
  const uid = j.metadata.uid;
  const name = j.metadata.name;
  s.template ??= {};
  s.template.metadata ??= {};
  const labels = (s.template.metadata.labels ??= {});
  labels['batch.kubernetes.io/controller-uid'] ??= uid;
  labels['batch.kubernetes.io/job-name'] ??= name;
  labels['controller-uid'] ??= uid;
  labels['job-name'] ??= name;
  // generateSelector adds the uid to whatever selector the Job came with.
  s.selector ??= {};
  s.selector.matchLabels ??= {};
  s.selector.matchLabels['batch.kubernetes.io/controller-uid'] ??= uid;
}

/**
 * SetDefaults_Job: a Job without labels of its own shows its pod template's, including the selector labels
 * generateJobSelector put there (upstream shares the one map, so `kubectl get jobs -l job-name=pi` finds it).
 */
export function defaultJobLabels(j: Obj): void {
  const labels = j.spec?.template?.metadata?.labels;
  if (labels && typeof labels === 'object' && Object.keys(j.metadata?.labels ?? {}).length === 0) j.metadata.labels = { ...labels };
}

export function defaultCronJob(cj: Obj): void {
  const s = (cj.spec ??= {});
  s.concurrencyPolicy ??= 'Allow';
  s.suspend ??= false;
  s.successfulJobsHistoryLimit ??= 3;
  s.failedJobsHistoryLimit ??= 1;
  if (s.jobTemplate && typeof s.jobTemplate === 'object') defaultTemplateMeta(s.jobTemplate);
  defaultPodTemplate(s.jobTemplate?.spec?.template);
}
