/** Job arithmetic: how many pods to run, index bookkeeping, failure back-off (upstream job_controller.go, indexed_job_utils.go). */
import type { KObject } from '../../contract.js';
import { parseTime } from '../util/time.js';
import { INDEX_ANNOTATION, atoi, parseIntervals, podIndex } from './indexes.js';

export { INDEX_ANNOTATION, podIndex };
export const INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const IGNORED_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** An int32 annotation as parseInt32 reads it (Atoi, then 0 to MaxInt32): anything else is 0. */
function annotationCount(pod: KObject, key: string): number {
  const v = pod.metadata.annotations?.[key];
  const n = v === undefined ? undefined : atoi(v);
  return n === undefined || n < 0 || n > 2147483647 ? 0 : n;
}

/** Failures of this pod's index before it (batch.kubernetes.io/job-index-failure-count). */
export const indexFailureCount = (pod: KObject): number => annotationCount(pod, FAILURE_COUNT_ANNOTATION);
export const indexIgnoredCount = (pod: KObject): number => annotationCount(pod, IGNORED_COUNT_ANNOTATION);

/**
 * onlyReplaceFailedPods: with a pod failure policy, or podReplacementPolicy
 * Failed, a pod still terminating is neither failed nor replaced yet.
 */
export const onlyReplaceFailedPods = (job: KObject): boolean => !!job.spec?.podFailurePolicy || job.spec?.podReplacementPolicy === 'Failed';

/**
 * isPodFailed: phase Failed, or (unless only failed pods are replaced) deleted
 * before it succeeded, since an orphaned or force-deleted pod may never reach
 * the Failed phase.
 */
export function isPodFailed(pod: KObject, onlyFailed: boolean): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Failed') return true;
  if (onlyFailed) return false;
  return !!pod.metadata.deletionTimestamp && phase !== 'Succeeded';
}

/**
 * isIndexFailed (backoffLimitPerIndex): a FailIndex rule matched, or the
 * failure counts and the index had already used its budget before this pod.
 */
export function isIndexFailed(job: KObject, pod: KObject, onlyFailed: boolean): boolean {
  if (!isPodFailed(pod, onlyFailed)) return false;
  if (job.spec?.podFailurePolicy) {
    const action = matchPodFailurePolicy(job, pod)?.action;
    if (action === 'FailIndex') return true;
    if (action === 'Ignore') return false;
  }
  return indexFailureCount(pod) >= job.spec.backoffLimitPerIndex;
}

/**
 * getPodsWithDelayedDeletionPerIndex: for each index not succeeded, failed or
 * running, the failed pod that still holds the tracking finalizer and whose
 * failure counts the next pod of that index inherits. Its finalizer stays
 * (and it is not counted in status.failed) until that pod exists. A later
 * candidate takes the place when its absolute count is not lower and it did
 * not finish earlier, so a higher count that finished earlier does not win.
 */
export function podsWithDelayedDeletion(pods: KObject[], completions: number, onlyFailed: boolean, skip: (index: number) => boolean): Map<number, KObject> {
  const out = new Map<number, KObject>();
  for (const p of pods) {
    if (!p.metadata.finalizers?.includes(TRACKING_FINALIZER) || !isPodFailed(p, onlyFailed)) continue;
    const i = podIndex(p);
    if (i === undefined || i >= completions || skip(i)) continue;
    const last = out.get(i);
    if (!last || (absoluteFailureCount(last) <= absoluteFailureCount(p) && finishTime(p) >= finishTime(last))) out.set(i, p);
  }
  return out;
}

const absoluteFailureCount = (pod: KObject): number => indexFailureCount(pod) + indexIgnoredCount(pod);

/**
 * getRemainingTimePerIndex: milliseconds an index still waits after its last
 * failed pod (the one delayed for it): 10 s doubling per failure of the index,
 * ignored ones included, capped.
 */
export function remainingTimePerIndex(lastFailed: KObject | undefined, now: number): number {
  if (!lastFailed) return 0;
  const failures = absoluteFailureCount(lastFailed) + 1;
  const backoff = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, finishTime(lastFailed) + backoff - now);
}

/** DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff: 10 s doubling per failure, capped at 10 min (the code's cap; docs say 6). */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

export const isIndexed = (job: KObject): boolean => job.spec?.completionMode === 'Indexed';

/** wantActive: parallelism, bounded by the completions still needed; a work queue stops adding after a success. */
export function wantActive(completions: number | undefined | null, parallelism: number, succeeded: number, active: number): number {
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

/**
 * parseIndexesFromString: "1,3-5,7" → {1,3,4,5,7}. A part whose bound is not
 * an integer (Go's Atoi: "", "x"; so "-1" too) is skipped; parsing stops at
 * the first interval starting at or past completions.
 */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const [a, b] of parseIntervals(s, completions)) for (let i = a; i <= b; i++) out.add(i);
  return out;
}

/** [1,3,4,5,7] → "1,3-5,7"; [0,1] → "0,1" */
export function formatIndexes(set: Set<number>): string {
  const xs = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < xs.length; ) {
    let j = i;
    while (j + 1 < xs.length && xs[j + 1] === xs[j] + 1) j++;
    // orderedIntervals.String(): two neighbours are written "a,b", longer runs "a-b".
    parts.push(j === i ? String(xs[i]) : j === i + 1 ? `${xs[i]},${xs[j]}` : `${xs[i]}-${xs[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/**
 * getFinishedTime: the latest container finishedAt when every container has
 * terminated (with a time); else when Ready turned False; else the deletion
 * time less its grace period (a pod removed by the pod GC); else creation.
 */
export function finishTime(pod: KObject): number {
  const fromContainers = containersFinishedAt(pod);
  if (fromContainers !== undefined) return fromContainers;
  const ready = pod.status?.conditions?.find((c: any) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? parseTime(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined && readyFalse !== GO_ZERO_TIME) return readyFalse;
  const deleted = parseTime(pod.metadata.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata.deletionGracePeriodSeconds ?? 0) * 1000;
  return parseTime(pod.metadata.creationTimestamp) ?? 0;
}

/** Go's zero time, which metav1.Time.IsZero() is true for. */
const GO_ZERO_TIME = Date.parse('0001-01-01T00:00:00Z');

/**
 * getFinishTimeFromContainers: the latest finishedAt of the regular
 * containers, none if one has not terminated; then folded with the native
 * sidecars' (init containers with restartPolicy Always), which always stop
 * last. As upstream, the sidecars' fold starts over from nothing when a
 * regular container is still running.
 */
function containersFinishedAt(pod: KObject): number | undefined {
  const t = latestFinish(undefined, pod.status?.containerStatuses ?? []);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name));
  return latestFinish(t, (pod.status?.initContainerStatuses ?? []).filter((s: any) => sidecars.has(s.name)));
}

/** latestFinishTime: undefined as soon as one status has no (non-zero) finishedAt. */
function latestFinish(prev: number | undefined, statuses: any[]): number | undefined {
  let t = prev;
  for (const s of statuses) {
    const at = parseTime(s.state?.terminated?.finishedAt);
    if (at === undefined || at === GO_ZERO_TIME) return undefined;
    if (t === undefined || at > t) t = at;
  }
  return t;
}

/**
 * matchPodFailurePolicy: the first rule that matches a failed pod, as
 * `{ action, message }` (a message only for FailJob), or undefined when none
 * does (the failure counts). Exit codes are read from the containers that
 * terminated with a non-zero code, app containers before init containers.
 * FailIndex matches like any action (the JobBackoffLimitPerIndex gate is GA
 * and locked on); only isIndexFailed reads it, with backoffLimitPerIndex,
 * which validation requires for a FailIndex rule, so elsewhere it counts.
 */
export function matchPodFailurePolicy(job: KObject, pod: KObject): { action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex'; message?: string } | undefined {
  const rules: any[] = job.spec?.podFailurePolicy?.rules ?? [];
  const st = pod.status ?? {};
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    // A rule with an action upstream does not know is skipped.
    const action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex' | undefined = ['FailJob', 'Ignore', 'Count', 'FailIndex'].includes(rule.action) ? rule.action : undefined;
    if (!action) continue;
    if (rule.onExitCodes) {
      const req = rule.onExitCodes;
      const values: number[] = req.values ?? [];
      const hit = [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])].find((cs: any) => {
        const code = cs.state?.terminated?.exitCode;
        if (code === undefined || code === 0) return false;
        if (req.containerName && req.containerName !== cs.name) return false;
        return req.operator === 'NotIn' ? !values.includes(code) : values.includes(code);
      });
      if (!hit) continue;
      return action === 'FailJob'
        ? { action, message: `Container ${hit.name} for pod ${ns}/${name} failed with exit code ${hit.state.terminated.exitCode} matching FailJob rule at index ${index}` }
        : { action };
    }
    if (rule.onPodConditions) {
      const cond = (st.conditions ?? []).find((c: any) => (rule.onPodConditions as any[]).some((p) => p.type === c.type && (p.status ?? 'True') === c.status));
      if (!cond) continue;
      return action === 'FailJob' ? { action, message: `Pod ${ns}/${name} has condition ${cond.type} matching FailJob rule at index ${index}` } : { action };
    }
  }
  return undefined;
}

/**
 * matchSuccessPolicy (Indexed Jobs): the message of the first rule the
 * succeeded indexes satisfy, or undefined. A rule with succeededIndexes needs
 * all of them (or succeededCount of them); one with succeededCount alone needs
 * that many indexes in all.
 */
export function matchSuccessPolicy(job: KObject, completed: Set<number>, completions: number): string | undefined {
  const rules: any[] = job.spec?.successPolicy?.rules ?? [];
  if (!completed.size) return undefined;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    if (rule.succeededIndexes !== undefined && rule.succeededIndexes !== null) {
      const required = parseIndexes(String(rule.succeededIndexes), completions);
      if (!required.size) continue;
      let hits = 0;
      for (const i of required) if (completed.has(i)) hits++;
      if (rule.succeededCount !== undefined && rule.succeededCount !== null ? hits >= rule.succeededCount : hits === required.size) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && rule.succeededCount !== null && completed.size >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}
