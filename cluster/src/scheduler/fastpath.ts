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
import { BLOCK, BLOCK_SHIFT, type BlockSummary, type NodeTable } from './nodetable';
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
  // The slot's scores change: so may its block's summaries (summarize sets them again after).
  t.fitBlocks.sig[s >> BLOCK_SHIFT] = t.fit200Blocks.sig[s >> BLOCK_SHIFT] = -1;
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

const BLOCK_MASK = BLOCK - 1;

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
  if (c.entry.owner) return scheduleSpread(c, t, start, want, random, sig, t.countFor(c.entry.owner));
  // No spread group: a slot's cached verdict is its final score, one pass suffices.
  if (!scan(c, t, start % all, want, sig, t.fit, t.fitBlocks)) return undefined;
  const { found, checked, top, topTies } = win;
  if (found === 0) return undefined;
  const rank = topTies > 1 ? Math.floor(random() * topTies) : 0;
  const slot = nthTie(t, start % all, checked, sig, t.fit, t.fitBlocks, top, rank, NO_HELD, 0, t.counts);
  return { node: t.nodes[slot], feasible: found, checked, next: win.next };
}

/** What `scan` found of a window: its feasible slots, the slots checked, where the next cycle starts, and the top score and how many have it. */
const win = { found: 0, checked: 0, next: 0, top: -Infinity, topTies: 0 };

/**
 * Walks the window from slot `from` until `want` feasible slots are found, noting the highest of the `scores` and
 * how many slots have it, in `win`. A whole block of the window is read from its summary when it has one for
 * these requests and every slot of it holds a score. False: a slot of the window needs the general path.
 */
function scan(c: PodCycle, t: NodeTable, from: number, want: number, sig: number, scores: Float64Array, sum: BlockSummary): boolean {
  const all = t.nodes.length;
  const cacheSig = t.cacheSig;
  let idx = from, found = 0, i = 0, top = -Infinity, topTies = 0;
  while (i < all && found < want) {
    const s = idx;
    if ((s & BLOCK_MASK) === 0 && s + BLOCK <= all && i + BLOCK <= all && found + BLOCK <= want) {
      const j = s >> BLOCK_SHIFT;
      if (sum.sig[j] !== sig) summarize(t, j, c, sig, scores, sum);
      if (sum.ok[j] === 1) {
        const m = sum.max[j];
        if (m > top) { top = m; topTies = sum.ties[j]; }
        else if (m === top) topTies += sum.ties[j];
        found += BLOCK;
        i += BLOCK;
        idx = s + BLOCK === all ? 0 : s + BLOCK;
        continue;
      }
    }
    i++;
    if (++idx === all) idx = 0;
    if (cacheSig[s] !== sig) refresh(t, s, c, sig);
    const v = scores[s];
    if (v < 0) {
      if (v === TAINTED && rejectedByTaint(c, t.nodes[s])) continue;
      return false;
    }
    found++;
    if (v > top) { top = v; topTies = 1; }
    else if (v === top) topTies++;
  }
  win.found = found; win.checked = i; win.next = idx; win.top = top; win.topTies = topTies;
  return true;
}

/** Refreshes the block's stale slots for these requests and summarizes it. */
function summarize(t: NodeTable, j: number, c: PodCycle, sig: number, scores: Float64Array, sum: BlockSummary): void {
  const cacheSig = t.cacheSig;
  const from = j << BLOCK_SHIFT, to = from + BLOCK;
  for (let s = from; s < to; s++) if (cacheSig[s] !== sig) refresh(t, s, c, sig);
  let max = -Infinity, ties = 0, ok = 1;
  for (let s = from; s < to; s++) {
    const v = scores[s];
    if (v < 0) { ok = 0; break; }
    if (v > max) { max = v; ties = 1; }
    else if (v === max) ties++;
  }
  sum.sig[j] = sig; sum.max[j] = max; sum.ties[j] = ties; sum.ok[j] = ok;
}

/**
 * The slot of the rank-th score equal to `best` in scan order, among the `checked` slots from `from` (a slot passed
 * over has a negative score; the held slots, in scan order in `hs`, count with their scores in `hv`). Nothing changed
 * since the scan, so a whole block inside the window without held slots counts by its summary.
 */
function nthTie(t: NodeTable, from: number, checked: number, sig: number, scores: Float64Array, sum: BlockSummary, best: number,
  rank: number, hs: Int32Array, nHeld: number, counts: Float64Array): number {
  const all = t.nodes.length;
  const hv = heldScores;
  let s = from, w = 0, k = 0;
  // The offset in the window of the next held slot.
  let nextHeld = nHeld ? offset(hs[0], from, all) : Infinity;
  for (;;) {
    if ((s & BLOCK_MASK) === 0 && s + BLOCK <= all && w + BLOCK <= checked && nextHeld >= w + BLOCK) {
      const j = s >> BLOCK_SHIFT;
      if (sum.sig[j] === sig && sum.ok[j] === 1) {
        // Inside the window and without held slots, the block's top is at most `best`.
        const n = sum.max[j] === best ? sum.ties[j] : 0;
        if (rank >= n) {
          rank -= n;
          w += BLOCK;
          s = s + BLOCK === all ? 0 : s + BLOCK;
          continue;
        }
      }
    }
    const f = scores[s];
    if (f >= 0) {
      let v = f;
      if (counts[s] !== 0 && k < nHeld && hs[k] === s) {
        v = hv[k++];
        nextHeld = k < nHeld ? offset(hs[k], from, all) : Infinity;
      }
      if (v === best && rank-- === 0) return s;
    }
    w++;
    if (++s === all) s = 0;
  }
}

const offset = (s: number, from: number, all: number): number => (s >= from ? s - from : s + all - from);
const NO_HELD = new Int32Array(0);

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
  const fit200 = t.fit200, from = start % all;
  // First every feasible slot of the window as if it held none of the group...
  if (!scan(c, t, from, want, sig, fit200, t.fit200Blocks)) return undefined;
  const { found, checked } = win;
  if (found === 0) return undefined;
  // ...then the held ones, in scan order, taken out of the top's count.
  let nHeld = 0, max = -Infinity, heldTop = 0;
  const top = win.top;
  const slots = t.countedSlots;
  if (slots.length < checked) {
    // The group's nodes (a Deployment's, a hundred or so) fewer than the window's: those inside it, put in scan order.
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      const o = offset(s, from, all);
      if (o >= checked || counts[s] === 0 || fit200[s] < 0) continue;
      let k = nHeld++;
      for (; k > 0 && offset(hs[k - 1], from, all) > o; k--) hs[k] = hs[k - 1];
      hs[k] = s;
      if (counts[s] + 2 > max) max = counts[s] + 2;
      if (fit200[s] === top) heldTop++;
    }
  } else {
    // Else the window itself, as one or two runs of slots (it may wrap past the last): a tight read of the counts.
    for (let run = 0, s = from, end = Math.min(all, from + checked); run < 2; run++, s = 0, end = from + checked - all) {
      for (; s < end; s++) {
        if (counts[s] !== 0 && fit200[s] >= 0) {
          hs[nHeld++] = s;
          if (counts[s] + 2 > max) max = counts[s] + 2;
          if (fit200[s] === top) heldTop++;
        }
      }
    }
  }
  let bestScore = top, ties = win.topTies - heldTop;
  if (ties === 0) {
    // Only held slots have the window's top: the best of the others is unknown, or there is none.
    if (nHeld < found) return scanSpread(c, t, start, want, random, sig, counts);
    bestScore = -Infinity;
  }
  // -1: the best is a slot without the group's pods, found by its rank below.
  let bestSlot = -1;
  if (nHeld) {
    best.score = bestScore; best.slot = bestSlot; best.ties = ties;
    scoreHeld(t, hs, nHeld, found, counts, max);
    bestScore = best.score; bestSlot = best.slot; ties = best.ties;
  }
  if (ties > 1) bestSlot = nthTie(t, from, checked, sig, fit200, t.fit200Blocks, bestScore, Math.floor(random() * ties), hs, nHeld, counts);
  else if (bestSlot < 0) bestSlot = nthTie(t, from, checked, sig, fit200, t.fit200Blocks, bestScore, 0, hs, nHeld, counts);
  return { node: t.nodes[bestSlot], feasible: found, checked, next: win.next };
}

/**
 * The spread cycle slot by slot, for a window whose top score only held slots have (the best of the others needs
 * every slot's score).
 */
function scanSpread(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number, sig: number, counts: Float64Array): FastResult | undefined {
  const all = t.nodes.length;
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
    best.score = bestScore; best.slot = bestSlot; best.ties = ties;
    scoreHeld(t, hs, nHeld, found, counts, max);
    bestScore = best.score; bestSlot = best.slot; ties = best.ties;
  }
  if (ties > 1) bestSlot = nthTie(t, start % all, i, sig, fit200, t.fit200Blocks, bestScore, Math.floor(random() * ties), hs, nHeld, counts);
  return { node: t.nodes[bestSlot], feasible: found, checked: i, next: idx };
}

/** The best score of a spread cycle so far, its slot and how many slots have it (scoreHeld's input and answer). */
const best = { score: -Infinity, slot: -1, ties: 0 };

/**
 * Scores the held slots (those with pods of the spread group), in scan order, into heldScores, and folds them into
 * `best`. `max` is the window's highest count + 2.
 */
function scoreHeld(t: NodeTable, hs: Int32Array, nHeld: number, found: number, counts: Float64Array, max: number): void {
  // min is 2 while some node of the window holds none of the group, else the least count there.
  const min = nHeld === found ? minHeld(hs, nHeld, counts) : 2;
  const hv = heldScores;
  let score = best.score, slot = best.slot, ties = best.ties;
  for (let k = 0; k < nHeld; k++) {
    const s = hs[k];
    const v = (hv[k] = spreadScore(t.base[s], counts[s] + 2, min, max));
    if (v > score) { score = v; slot = s; ties = 1; }
    else if (v === score) ties++;
  }
  best.score = score; best.slot = slot; best.ties = ties;
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
