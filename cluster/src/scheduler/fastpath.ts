/**
 * The scheduling cycle for the common pod — no node selector, affinity,
 * host ports or preferred terms — over the common node (schedulable,
 * untainted): filtering, sampling and scoring fused into one pass over the
 * node window of the NodeTable. It picks exactly the node the general path
 * (filters.ts + score.ts) would pick; any node outside the common case sends
 * the cycle back to that path.
 */
import type { PodCycle } from './filters';
import type { NodeInfo } from './nodeinfo';
import type { NodeTable } from './nodetable';
import { baseScore, nthBest, requestSignature } from './score';
import { tolerates } from './filters';

let base = new Float64Array(1024);
let spread = new Float64Array(1024);
let slots = new Int32Array(1024);
let scores = new Float64Array(1024);

/**
 * Recomputes one slot's verdict for these requests: -1 when the general path
 * must decide (tainted, cordoned or full for these requests), else the score
 * without the spread term. A function of its own: inlined into the scan, this
 * rarely taken branch had no type feedback when the scan got optimized and
 * deoptimized it again and again.
 */
function refresh(t: NodeTable, s: number, c: PodCycle, sig: number): void {
  const r = c.entry.req;
  const rc = r.milliCpu, rm = r.memory;
  t.cacheSig[s] = sig;
  if (t.plain[s] === 0) {
    // A schedulable node with a NoSchedule or NoExecute taint (kind's control plane): TAINTED, for the scan to judge
    // by the pod's tolerations; anything else leaves the fast path.
    const ni = t.nodes[s];
    t.fit[s] = !ni.unschedulable && ni.taints.some(hardTaint) ? TAINTED : -1;
    return;
  }
  if (t.freePods[s] < 1 || (rc > 0 && rc > t.freeCpu[s]) || (rm > 0 && rm > t.freeMem[s])) {
    t.fit[s] = -1;
    return;
  }
  const b = baseScore(t.nodes[s], r);
  t.base[s] = b;
  // Same arithmetic as pickNode: TaintToleration gives every untainted node 3 × 100.
  t.fit[s] = Math.floor(b + 300);
}

export interface FastResult { node: NodeInfo; feasible: number; checked: number; next: number }

/** A slot whose node has a taint that keeps pods off unless they tolerate it. */
const TAINTED = -2;
const hardTaint = (taint: any) => taint?.effect === 'NoSchedule' || taint?.effect === 'NoExecute';

/**
 * Whether TaintToleration's filter rejects the pod on this node: then the general path would reject it too and go
 * on scanning, so the fast path may skip it (it counts as checked, not as feasible, and scores nothing).
 */
function rejectedByTaint(c: PodCycle, ni: NodeInfo): boolean {
  for (const taint of ni.taints) if (hardTaint(taint) && !tolerates(c.tolerations, taint)) return true;
  return false;
}

/** Undefined: not the common case here, use the general path. */
export function scheduleSimple(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number): FastResult | undefined {
  // Tolerations only matter on tainted nodes, which leave this path.
  if (!c.simple || c.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return undefined;
  const all = t.nodes.length;
  if (all === 0) return undefined;
  // Slots cache what depends on the requests only; the spread group is read from NodeTable.counts.
  const sig = requestSignature(c);
  const { cacheSig, fit } = t;
  if (c.entry.owner) return scheduleSpread(c, t, start, want, random, sig, t.countFor(c.entry.owner));
  // No spread group: a slot's cached verdict is its final score, one pass suffices.
  let idx = start % all, found = 0, i = 0, bestScore = -Infinity, ties = 0, bestSlot = 0;
  for (; i < all && found < want; i++) {
    const s = idx;
    if (++idx === all) idx = 0;
    if (cacheSig[s] !== sig) refresh(t, s, c, sig);
    const v = fit[s];
    if (v < 0) {
      if (v === TAINTED && rejectedByTaint(c, t.nodes[s])) continue;
      return undefined;
    }
    if (v > bestScore) { bestScore = v; bestSlot = s; ties = 1; }
    else if (v === bestScore) ties++;
    found++;
  }
  if (found === 0) return undefined;
  if (ties > 1) {
    // The rank-th tie in scan order; nothing changed since the scan, so the window is walked again.
    let rank = Math.floor(random() * ties), s = start % all;
    for (;;) {
      if (fit[s] === bestScore && rank-- === 0) { bestSlot = s; break; }
      if (++s === all) s = 0;
    }
  }
  return { node: t.nodes[bestSlot], feasible: found, checked: i, next: idx };
}

/**
 * The same for a pod with a spread group: PodTopologySpread's system default
 * (hostname, maxSkew 3) scores matching pods + 2, normalized over the
 * window's min and max.
 */
function scheduleSpread(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number, sig: number, counts: Float64Array): FastResult | undefined {
  const all = t.nodes.length;
  if (base.length < want) { base = new Float64Array(want * 2); spread = new Float64Array(want * 2); slots = new Int32Array(want * 2); scores = new Float64Array(want * 2); }
  // Module-level scratch arrays copied to locals: the loop then reads no context slots.
  const bs = base, sps = spread, sl = slots, sc = scores;
  const { cacheSig, fit } = t;
  const tBase = t.base;
  let idx = start % all, found = 0, i = 0;
  let min = Infinity, max = -Infinity;
  for (; i < all && found < want; i++) {
    const s = idx;
    if (++idx === all) idx = 0;
    if (cacheSig[s] !== sig) refresh(t, s, c, sig);
    if (fit[s] < 0) {
      if (fit[s] === TAINTED && rejectedByTaint(c, t.nodes[s])) continue;
      return undefined;
    }
    const sp = counts[s] + 2;
    sl[found] = s;
    bs[found] = tBase[s];
    sps[found] = sp;
    if (sp < min) min = sp;
    if (sp > max) max = sp;
    found++;
  }
  if (found === 0) return undefined;
  let bestScore = -Infinity, ties = 0, best = 0;
  const spreadOn = max > 0;
  // The spread term depends on the node's count alone, and a window has few distinct counts (most nodes hold none of
  // the group): it is worked out again only when the count changes from the node before.
  let lastSp = -1, term = 0;
  for (let k = 0; k < found; k++) {
    let v = bs[k] + 300;
    if (spreadOn) {
      const sp = sps[k];
      if (sp !== lastSp) {
        lastSp = sp;
        term = 2 * Math.round((100 * (max + min - sp)) / max);
      }
      v += term;
    }
    v = Math.floor(v);
    sc[k] = v;
    if (v > bestScore) { bestScore = v; best = k; ties = 1; }
    else if (v === bestScore) ties++;
  }
  if (ties > 1) best = nthBest(sc, found, bestScore, Math.floor(random() * ties));
  return { node: t.nodes[sl[best]], feasible: found, checked: i, next: idx };
}
