/** Job arithmetic: how many pods to run, index bookkeeping, failure back-off (upstream job_controller.go, indexed_job_utils.go). */
import type { KObject } from '../../contract.js';
import { parseTime } from '../util/time.js';

export const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const INDEX_LABEL = 'batch.kubernetes.io/job-completion-index';
export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const FAILURE_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-failure-count';
export const IGNORED_COUNT_ANNOTATION = 'batch.kubernetes.io/job-index-ignored-failure-count';

/** An int32 annotation as parseInt32 reads it: anything else is 0. */
function annotationCount(pod: KObject, key: string): number {
  const v = pod.metadata.annotations?.[key];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  const n = Number(v);
  return n > 2147483647 ? 0 : n;
}

/** Failures of this pod's index before it (batch.kubernetes.io/job-index-failure-count). */
export const indexFailureCount = (pod: KObject): number => annotationCount(pod, FAILURE_COUNT_ANNOTATION);
export const indexIgnoredCount = (pod: KObject): number => annotationCount(pod, IGNORED_COUNT_ANNOTATION);

/** The failed pod a new pod of `index` replaces: the one with the most failures before it, the latest to finish on a tie. */
export function lastFailedOf(pods: KObject[], index: number): KObject | undefined {
  let best: KObject | undefined;
  for (const p of pods) {
    if (p.status?.phase !== 'Failed' || podIndex(p) !== index) continue;
    const abs = indexFailureCount(p) + indexIgnoredCount(p);
    const bestAbs = best ? indexFailureCount(best) + indexIgnoredCount(best) : -1;
    if (!best || abs > bestAbs || (abs === bestAbs && finishTime(p) >= finishTime(best))) best = p;
  }
  return best;
}

/** Milliseconds an index still waits after its last failure: 10 s doubling per failure of the index, capped. */
export function indexBackoff(lastFailed: KObject | undefined, now: number): number {
  if (!lastFailed) return 0;
  const failures = indexFailureCount(lastFailed) + indexIgnoredCount(lastFailed) + 1;
  const backoff = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, finishTime(lastFailed) + backoff - now);
}
/** Pod failure back-off: 10 s doubling per failure since the last success, capped at 10 min (the code's cap; docs say 6). */
export const POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

export const isIndexed = (job: KObject): boolean => job.spec?.completionMode === 'Indexed';

/** wantActive: parallelism, bounded by the completions still needed; a work queue stops adding after a success. */
export function wantActive(completions: number | undefined | null, parallelism: number, succeeded: number, active: number): number {
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

export function podIndex(pod: KObject): number | undefined {
  const v = pod.metadata.annotations?.[INDEX_ANNOTATION] ?? pod.metadata.labels?.[INDEX_LABEL];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

/** "1,3-5,7" → [1,3,4,5,7] */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  if (!s) return out;
  for (const part of s.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a) && i < completions; i++) out.add(i);
  }
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

/** When a terminated pod finished: its containers' finishedAt, else the Ready condition's transition. */
export function finishTime(pod: KObject): number {
  let t = 0;
  for (const s of pod.status?.containerStatuses ?? []) t = Math.max(t, parseTime(s.state?.terminated?.finishedAt) ?? 0);
  if (t) return t;
  const ready = pod.status?.conditions?.find((c: any) => c.type === 'Ready');
  return parseTime(ready?.lastTransitionTime) ?? parseTime(pod.metadata.creationTimestamp) ?? 0;
}

/**
 * Milliseconds to wait before creating the next pod: failures since the last
 * success set the exponent, the last failure the starting point.
 */
export function remainingBackoff(pods: KObject[], now: number): number {
  let lastSuccess = 0;
  for (const p of pods) if (p.status?.phase === 'Succeeded') lastSuccess = Math.max(lastSuccess, finishTime(p));
  let failures = 0;
  let lastFailure = 0;
  for (const p of pods) {
    if (p.status?.phase !== 'Failed') continue;
    const t = finishTime(p);
    if (t >= lastSuccess) {
      failures++;
      lastFailure = Math.max(lastFailure, t);
    }
  }
  if (failures === 0) return 0;
  const backoff = Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
  return Math.max(0, lastFailure + backoff - now);
}

/**
 * matchPodFailurePolicy: the first rule that matches a failed pod, as
 * `{ action, message }` (a message only for FailJob), or undefined when none
 * does (the failure counts). Exit codes are read from the containers that
 * terminated with a non-zero code, app containers before init containers.
 * FailIndex fails the pod's index when the Job has backoffLimitPerIndex
 * (validation requires it); without it, it counts like Count.
 */
export function matchPodFailurePolicy(job: KObject, pod: KObject): { action: 'FailJob' | 'Ignore' | 'Count' | 'FailIndex'; message?: string } | undefined {
  const rules: any[] = job.spec?.podFailurePolicy?.rules ?? [];
  const st = pod.status ?? {};
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index];
    const action = rule.action === 'FailJob' || rule.action === 'Ignore' ? rule.action
      : rule.action === 'FailIndex' && typeof job.spec?.backoffLimitPerIndex === 'number' ? 'FailIndex' : 'Count';
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
