/**
 * Counts that upstream refuses below zero (ValidateNonnegativeField: "must be
 * greater than or equal to 0"), the Deployment progress deadline that must
 * exceed minReadySeconds, and the pod's non-empty container list.
 */
import type { Rule } from './context';
import { get, isObject, podSpecSites } from './context';
import type { FieldPath } from './types';

const JOB_COUNTS = ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex', 'maxFailedIndexes'];

/** Per kind, the fields ValidateNonnegativeField covers upstream (apps, core and batch validation). */
const NONNEGATIVE: Record<string, FieldPath[]> = {
  Deployment: [['spec', 'replicas'], ['spec', 'minReadySeconds'], ['spec', 'revisionHistoryLimit'], ['spec', 'progressDeadlineSeconds']],
  ReplicaSet: [['spec', 'replicas'], ['spec', 'minReadySeconds']],
  // ValidateStatefulSetSpec checks no revisionHistoryLimit; the partition of a rolling update is.
  StatefulSet: [['spec', 'replicas'], ['spec', 'minReadySeconds'], ['spec', 'updateStrategy', 'rollingUpdate', 'partition'], ['spec', 'ordinals', 'start']],
  DaemonSet: [['spec', 'minReadySeconds'], ['spec', 'revisionHistoryLimit']],
  ReplicationController: [['spec', 'replicas'], ['spec', 'minReadySeconds']],
  Job: JOB_COUNTS.map((f) => ['spec', f]),
  CronJob: [['spec', 'startingDeadlineSeconds'], ['spec', 'successfulJobsHistoryLimit'], ['spec', 'failedJobsHistoryLimit'],
    ...JOB_COUNTS.map((f) => ['spec', 'jobTemplate', 'spec', f])],
};

export const NONNEGATIVE_DETAIL = 'must be greater than or equal to 0';

export const nonNegativeRule: Rule = {
  codes: ['negative-value', 'progress-deadline', 'no-containers'],
  check(obj, ctx, out) {
    for (const path of NONNEGATIVE[ctx.kind] ?? []) {
      const v = get(obj, path);
      if (typeof v === 'number' && v < 0) {
        out.push({ code: 'negative-value', severity: 'error', path, message: `Invalid value: ${v}: ${NONNEGATIVE_DETAIL}`,
          apiError: { type: 'FieldValueInvalid', value: v, detail: NONNEGATIVE_DETAIL } });
      }
    }
    if (ctx.kind === 'Deployment' && isObject(obj.spec)) {
      const pds = obj.spec.progressDeadlineSeconds;
      const mrs = typeof obj.spec.minReadySeconds === 'number' ? obj.spec.minReadySeconds : 0;
      if (typeof pds === 'number' && pds >= 0 && pds <= mrs) {
        out.push({ code: 'progress-deadline', severity: 'error', path: ['spec', 'progressDeadlineSeconds'],
          message: `Invalid value: ${pds}: must be greater than minReadySeconds (${mrs})`,
          apiError: { type: 'FieldValueInvalid', value: pds, detail: 'must be greater than minReadySeconds' } });
      }
    }
    for (const site of podSpecSites(obj, ctx.kind)) {
      const c = site.spec.containers;
      if (Array.isArray(c) && c.length === 0) {
        out.push({ code: 'no-containers', severity: 'error', path: [...site.specPath, 'containers'], target: 'key',
          message: 'Required value: a pod needs at least one container', apiError: { type: 'FieldValueRequired', detail: '' } });
      }
    }
  },
};
