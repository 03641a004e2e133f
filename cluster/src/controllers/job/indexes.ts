/**
 * Completion indexes as sorted, disjoint intervals (upstream's
 * orderedIntervals in indexed_job_utils.go), so a Job with many indexes is
 * walked interval by interval instead of index by index.
 */
import type { KObject } from '../../contract.js';

export const INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';

/** [first, last], both included. */
export type Interval = [number, number];

const MAX_INT64 = 9223372036854775807n;

/**
 * strconv.Atoi on a 64-bit platform: an optional sign and decimal digits,
 * nothing else, within int64. Undefined where Go returns an error.
 */
export function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  if (s.length > 18) {
    const big = BigInt(s);
    if (big > MAX_INT64 || big < -MAX_INT64 - 1n) return undefined;
  }
  return Number(s) + 0; // "-0" is 0, not -0
}

/**
 * getCompletionIndex: the completion-index annotation read with Atoi; a
 * missing, unparsable or negative value is no index. The label of the same
 * name is not read: upstream writes it but never looks at it.
 */
export function podIndex(pod: KObject): number | undefined {
  const v = pod.metadata.annotations?.[INDEX_ANNOTATION];
  if (v === undefined) return undefined;
  const i = atoi(v);
  return i === undefined || i < 0 ? undefined : i;
}

/**
 * parseIndexesFromString as intervals: a part whose bound is not an integer
 * is skipped, parsing stops at the first part starting at or past
 * completions, a last bound past it is clipped, and a part that starts right
 * after the previous one extends it.
 */
export function parseIntervals(s: string | undefined | null, completions: number): Interval[] {
  const out: Interval[] = [];
  if (!s) return out;
  for (const part of s.split(',')) {
    const bounds = part.split('-');
    const first = atoi(bounds[0]);
    if (first === undefined) continue;
    if (first >= completions) break;
    let last = first;
    if (bounds.length > 1) {
      const b = atoi(bounds[1]);
      if (b === undefined) continue;
      last = Math.min(b, completions - 1);
    }
    const prev = out[out.length - 1];
    if (prev && prev[1] === first - 1) prev[1] = last;
    else out.push([first, last]);
  }
  return out;
}

/** merge: both lists sorted by first index; overlapping or adjacent intervals join. */
export function mergeIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  const add = (iv: Interval): void => {
    const last = out[out.length - 1];
    if (!last || iv[0] > last[1] + 1) out.push([iv[0], iv[1]]);
    else if (last[1] < iv[1]) last[1] = iv[1];
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) add(a[i][0] < b[j][0] ? a[i++] : b[j++]);
  while (i < a.length) add(a[i++]);
  while (j < b.length) add(b[j++]);
  return out;
}

/** withOrderedIndexes: adds single indexes (any order, duplicates allowed). */
export function withIndexes(intervals: readonly Interval[], indexes: Iterable<number>): Interval[] {
  const sorted = [...new Set(indexes)].sort((x, y) => x - y);
  return mergeIntervals(intervals, sorted.map((i): Interval => [i, i]));
}

/** total(): how many indexes the intervals hold. */
export const intervalsTotal = (intervals: readonly Interval[]): number => intervals.reduce((n, [a, b]) => n + b - a + 1, 0);

/**
 * firstPendingIndexes: the lowest `count` indexes below `completions` outside
 * the sorted non-pending intervals (succeeded, running, failed, and
 * terminating when only failed pods are replaced). Work is bounded by the
 * number of intervals and `count`, not by the indexes they cover.
 */
export function firstPendingIndexes(count: number, completions: number, nonPending: readonly Interval[]): number[] {
  const out: number[] = [];
  if (count <= 0) return out;
  let candidate = 0;
  for (const [first, last] of nonPending) {
    for (; candidate < completions && out.length < count && candidate < first; candidate++) out.push(candidate);
    if (out.length >= count || candidate >= completions) return out;
    if (candidate < last + 1) candidate = last + 1;
  }
  for (; candidate < completions && out.length < count; candidate++) out.push(candidate);
  return out;
}
