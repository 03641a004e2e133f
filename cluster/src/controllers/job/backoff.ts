/**
 * The Job-wide pod failure back-off (upstream backoff_utils.go): a record per
 * Job, kept in the controller's memory, of the failures since the last
 * success and when the last one happened. It outlives the failed pods, so
 * deleting them does not shorten the wait; it is dropped when the Job
 * finishes or is deleted, and lost when the controller restarts.
 */
import type { KObject } from '../../contract.js';
import { MAX_POD_FAILURE_BACKOFF_MS, POD_FAILURE_BACKOFF_MS, finishTime } from './util.js';

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  /** ms; set whenever failuresAfterLastSuccess > 0. */
  lastFailureTime?: number;
}

export const NO_FAILURES: BackoffRecord = { failuresAfterLastSuccess: 0 };

/**
 * newBackoffRecord: the record after this sync's newly finished pods (those
 * still carrying the tracking finalizer). Failures alone add up; a success
 * resets the count to the failures that finished strictly after the latest
 * success.
 */
export function nextBackoffRecord(prev: BackoffRecord | undefined, newSucceeded: KObject[], newFailed: KObject[]): BackoffRecord {
  const old = prev ?? NO_FAILURES;
  const failedTimes = newFailed.map(finishTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return { ...old };
    return { failuresAfterLastSuccess: old.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  // A loop, not Math.max(...): a large Job can finish more pods in one sync than a call takes arguments.
  let lastSuccess = -Infinity;
  for (const p of newSucceeded) lastSuccess = Math.max(lastSuccess, finishTime(p));
  const next: BackoffRecord = { failuresAfterLastSuccess: 0 };
  for (let i = failedTimes.length - 1; i >= 0 && failedTimes[i] > lastSuccess; i--) {
    next.lastFailureTime ??= failedTimes[i];
    next.failuresAfterLastSuccess++;
  }
  return next;
}

/**
 * getRemainingTimeForFailuresCount: 10 s doubled per failure after the first,
 * capped at MaxJobPodFailureBackOff (10 min), less the time since the last
 * failure; 0 once that has passed.
 */
export function remainingForFailures(failures: number, lastFailureTime: number | undefined, now: number): number {
  if (failures <= 0 || lastFailureTime === undefined) return 0;
  let backoff = POD_FAILURE_BACKOFF_MS;
  for (let i = 1; i < failures; i++) {
    backoff *= 2;
    if (backoff >= MAX_POD_FAILURE_BACKOFF_MS) {
      backoff = MAX_POD_FAILURE_BACKOFF_MS;
      break;
    }
  }
  const elapsed = now - lastFailureTime;
  return backoff < elapsed ? 0 : backoff - elapsed;
}

/** getRemainingTime of a record. */
export const remainingBackoff = (record: BackoffRecord, now: number): number => remainingForFailures(record.failuresAfterLastSuccess, record.lastFailureTime, now);
