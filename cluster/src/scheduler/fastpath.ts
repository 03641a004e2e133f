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
import { baseScore, requestSignature } from './score';
import { tolerates } from './filters';

/** The window's slots holding pods of the spread group, in scan order, and their scores. */
let held = new Int32Array(1024);
let heldScores = new Float64Array(1024);

/**
 * Recomputes one slot's verdict for these requests: -1 when the general path
 * must decide (tainted, cordoned or full for these requests), else the score
 * without the spread term (`fit200` holds the same verdicts). A function of its own: inlined into the scan, this
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
    t.fit[s] = t.fit200[s] = !ni.unschedulable && ni.taints.some(hardTaint) ? TAINTED : -1;
    return;
  }
  if (t.freePods[s] < 1 || (rc > 0 && rc > t.freeCpu[s]) || (rm > 0 && rm > t.freeMem[s])) {
    t.fit[s] = t.fit200[s] = -1;
    return;
  }
  const b = baseScore(t.nodes[s], r);
  t.base[s] = b;
  // Same arithmetic as pickNode: TaintToleration gives every untainted node 3 × 100.
  t.fit[s] = Math.floor(b + 300);
  // With the spread term of a node holding none of the pod's group (see scheduleSpread).
  t.fit200[s] = Math.floor(b + 300 + 200);
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
  const ts = ni.taints;
  for (let i = 0; i < ts.length; i++) if (hardTaint(ts[i]) && !tolerates(c.tolerations, ts[i])) return true;
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
 * window's min and max. A node's spread term is 2 × round(100 × (max + min −
 * (count + 2)) / max); a window nearly always holds a node without the
 * group's pods, so min is 2 and such a node's term is exactly 200 whatever
 * max is: its whole score is the slot's cached `fit200`. Only the few nodes
 * holding the group's pods are scored once max is known.
 */
function scheduleSpread(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number, sig: number, counts: Float64Array): FastResult | undefined {
  const all = t.nodes.length;
  if (held.length < want) { held = new Int32Array(want * 2); heldScores = new Float64Array(want * 2); }
  // A module-level scratch array copied to a local: the loop then reads no context slot.
  const hs = held;
  const { cacheSig, fit200 } = t;
  let idx = start % all, found = 0, i = 0, nHeld = 0;
  let bestScore = -Infinity, ties = 0, bestSlot = 0, max = -Infinity;
  for (; i < all && found < want; i++) {
    const s = idx;
    if (++idx === all) idx = 0;
    if (cacheSig[s] !== sig) refresh(t, s, c, sig);
    const v = fit200[s];
    if (v < 0) {
      if (v === TAINTED && rejectedByTaint(c, t.nodes[s])) continue;
      return undefined;
    }
    found++;
    const n = counts[s];
    if (n !== 0) {
      hs[nHeld++] = s;
      if (n + 2 > max) max = n + 2;
      continue;
    }
    if (v > bestScore) { bestScore = v; bestSlot = s; ties = 1; }
    else if (v === bestScore) ties++;
  }
  if (found === 0) return undefined;
  if (nHeld) {
    // min is 2 while some node of the window holds none of the group, else the least count there.
    const min = nHeld === found ? minHeld(hs, nHeld, counts) : 2;
    const hv = heldScores;
    for (let k = 0; k < nHeld; k++) {
      const s = hs[k];
      const v = (hv[k] = spreadScore(t.base[s], counts[s] + 2, min, max));
      if (v > bestScore) { bestScore = v; bestSlot = s; ties = 1; }
      else if (v === bestScore) ties++;
    }
    if (ties > 1) {
      // The rank-th tie in scan order; nothing changed since the scan, so the window is walked again (meeting the
      // held slots in the order they were scored).
      let rank = Math.floor(random() * ties), s = start % all, k = 0;
      for (;;) {
        const f = fit200[s];
        if (f >= 0 && (counts[s] === 0 ? f : hv[k++]) === bestScore && rank-- === 0) { bestSlot = s; break; }
        if (++s === all) s = 0;
      }
    }
  } else if (ties > 1) {
    // No node of the window holds the group: every score is the cached one (a slot passed over has a negative one).
    let rank = Math.floor(random() * ties), s = start % all;
    for (;;) {
      if (fit200[s] === bestScore && rank-- === 0) { bestSlot = s; break; }
      if (++s === all) s = 0;
    }
  }
  return { node: t.nodes[bestSlot], feasible: found, checked: i, next: idx };
}

/** A node's whole score with its spread term: the base, then TaintToleration's 300, then the term, in that order (it can change the floor). */
function spreadScore(base: number, sp: number, min: number, max: number): number {
  return Math.floor(base + 300 + 2 * Math.round((100 * (max + min - sp)) / max));
}

/** The least spread count (matching pods + 2) of the slots. */
function minHeld(hs: Int32Array, n: number, counts: Float64Array): number {
  let min = Infinity;
  for (let k = 0; k < n; k++) if (counts[hs[k]] + 2 < min) min = counts[hs[k]] + 2;
  return min;
}
