/**
 * Which active pods a Job removes (upstream activePodsForRemoval and
 * appendDuplicatedIndexPodsForRemoval): in an Indexed Job every pod without a
 * valid index and all but one pod of each repeated index go first; then, if
 * still too many run, the least advanced pods by controller.ActivePods order.
 */
import type { KObject } from '../../contract.js';
import { compareRestarts, isPodReady, podReadyTime } from '../util/pods.js';
import { PHASE_ORDINAL } from '../util/activepods.js';
import { parseTime } from '../util/time.js';
import { podIndex } from './indexes.js';

/** podPhaseToOrdinal; a phase outside the map (none yet) reads as Go's zero value, like Pending. */
const phaseOrdinal = (p: KObject): number => PHASE_ORDINAL[p.status?.phase] ?? 0;

/** afterOrZero: t1 after t2, a zero (missing) time counting as after any other. */
function afterOrZero(t1: number | undefined, t2: number | undefined): boolean {
  if (t1 === undefined || t2 === undefined) return t1 === undefined;
  return t1 > t2;
}

/**
 * controller.ActivePods Less: true when `a` is removed before `b`.
 * Unassigned before assigned; Pending, Unknown, Running; not ready before
 * ready; both ready: ready more recently first; more restarts first; newer
 * (or no creation time) first. No deletion cost, ranks or log buckets: those
 * belong to the ReplicaSet's ordering, not the Job's.
 */
export function lessActive(a: KObject, b: KObject): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  if (phaseOrdinal(a) !== phaseOrdinal(b)) return phaseOrdinal(a) < phaseOrdinal(b);
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return !ra;
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) return afterOrZero(ta, tb);
  }
  const restarts = compareRestarts(a, b);
  if (restarts !== 0) return restarts < 0;
  const ca = parseTime(a.metadata.creationTimestamp);
  const cb = parseTime(b.metadata.creationTimestamp);
  if (ca !== cb) return afterOrZero(ca, cb);
  return false;
}

/** Sorts by lessActive; ties keep their order (Go's insertion sort does for up to 12 pods). */
export const sortActive = (pods: KObject[]): KObject[] => pods.slice().sort((a, b) => (lessActive(a, b) ? -1 : lessActive(b, a) ? 1 : 0));

/**
 * appendDuplicatedIndexPodsForRemoval: pods sorted by completion index (no
 * index first); those without an index or at or past `completions` are
 * removed, and of each repeated index all but the last in ActivePods order
 * (the most advanced pod) are removed. Returns [remove, keep].
 */
export function duplicatedIndexPods(pods: KObject[], completions: number): [KObject[], KObject[]] {
  const rm: KObject[] = [];
  const left: KObject[] = [];
  const ix = (p: KObject): number => podIndex(p) ?? -1;
  const sorted = pods.map((p) => [ix(p), p] as const).sort((x, y) => x[0] - y[0]);
  let i = 0;
  while (i < sorted.length) {
    const index = sorted[i][0];
    if (index >= completions) {
      for (; i < sorted.length; i++) rm.push(sorted[i][1]);
      break;
    }
    let j = i;
    while (j < sorted.length && sorted[j][0] === index) j++;
    const group = sorted.slice(i, j).map((x) => x[1]);
    if (index < 0) rm.push(...group);
    else if (group.length === 1) left.push(group[0]);
    else {
      const ordered = sortActive(group);
      rm.push(...ordered.slice(0, -1));
      left.push(ordered[ordered.length - 1]);
    }
    i = j;
  }
  return [rm, left];
}

/** activePodsForRemoval: at least `rmAtLeast` pods, more when an Indexed Job has duplicates or pods without a valid index. */
export function activePodsForRemoval(pods: KObject[], rmAtLeast: number, indexed: boolean, completions: number): KObject[] {
  const [rm, left] = indexed ? duplicatedIndexPods(pods, completions) : [[], pods];
  if (rm.length < rmAtLeast) rm.push(...sortActive(left).slice(0, rmAtLeast - rm.length));
  return rm;
}
