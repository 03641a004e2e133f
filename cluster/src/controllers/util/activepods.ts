import type { KObject } from '../../contract.js';
import { compareRestarts, isPodReady, podReadyTime } from './pods.js';
import { parseTime } from './time.js';

/**
 * Which pods a ReplicaSet deletes first when scaling down, in upstream's
 * order (controller_utils.go ActivePodsWithRanks, LogarithmicScaleDown on):
 *  1. unassigned before assigned;
 *  2. Pending before Unknown before Running;
 *  3. not ready before ready;
 *  4. lower controller.kubernetes.io/pod-deletion-cost before higher;
 *  5. more related pods on the same node (rank) before fewer;
 *  6. if both ready: ready for less time first, compared in log2 buckets;
 *  7. more container restarts first;
 *  8. newer first, again in log2 buckets; ties broken by uid.
 * Buckets keep a fleet scaled up in one burst from being picked apart by
 * millisecond differences.
 */
/** podPhaseToOrdinal. */
export const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

export function deletionCost(pod: KObject): number {
  const v = pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  if (v === undefined) return 0;
  const n = Number(v);
  return Number.isInteger(n) ? n : 0;
}

/** log2 of the age in nanoseconds, as upstream; -1 for "not in the past". */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: KObject, b: KObject, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ? 1 : 0;
  const nb = b.spec?.nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  // Go's map lookup gives 0 for a phase not in podPhaseToOrdinal (none yet): it sorts with Pending.
  const pa = PHASE_ORDINAL[a.status?.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca - cb;
  if (rankA !== rankB) return rankB - rankA;
  if (ra && rb) {
    const c = compareTimes(podReadyTime(a), podReadyTime(b), a, b, now);
    if (c !== 0) return c;
  }
  const restarts = compareRestarts(a, b);
  if (restarts !== 0) return restarts;
  return compareTimes(parseTime(a.metadata.creationTimestamp), parseTime(b.metadata.creationTimestamp), a, b, now);
}

/** Later (or missing) time first; equal log buckets fall back to uid order. */
function compareTimes(ta: number | undefined, tb: number | undefined, a: KObject, b: KObject, now: number): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logRank(ta, now) - logRank(tb, now);
  if (diff === 0) return uidCompare(a, b);
  return diff;
}

function uidCompare(a: KObject, b: KObject): number {
  const ua = a.metadata.uid ?? '';
  const ub = b.metadata.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * The `diff` pods to delete from `pods`. `related` are the pods of every
 * sibling controller (for a Deployment, all its ReplicaSets), used to rank
 * pods by how many related pods share their node.
 */
export function podsToDelete(pods: KObject[], related: KObject[], diff: number, now: number): KObject[] {
  if (diff >= pods.length) return pods.slice();
  const perNode = new Map<string, number>();
  for (const p of related) {
    const n = p.spec?.nodeName;
    if (n && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') {
      perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
  }
  const ranked = pods.map((p) => ({ p, r: p.spec?.nodeName ? perNode.get(p.spec.nodeName) ?? 0 : 0 }));
  ranked.sort((x, y) => compareForDeletion(x.p, y.p, x.r, y.r, now));
  return ranked.slice(0, diff).map((x) => x.p);
}

/**
 * The order upstream uses when it must choose among a controller's pods
 * without ranks (ActivePods): used to pick which duplicate to keep.
 */
export function sortActivePods(pods: KObject[], now: number): KObject[] {
  return pods.slice().sort((a, b) => compareForDeletion(a, b, 0, 0, now));
}
