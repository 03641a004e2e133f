/**
 * The default score plugins that matter for a simulated cluster, with
 * upstream's weights: NodeResourcesFit LeastAllocated (1),
 * NodeResourcesBalancedAllocation (1), PodTopologySpread's system default
 * spread across hostnames (2), TaintToleration PreferNoSchedule (3) and
 * preferred NodeAffinity (2). Scores are 0..100 per plugin, as upstream.
 */
import type { PodCycle } from './filters';
import { nodeSelectorTermMatches, tolerates } from './filters';
import type { NodeInfo } from './nodeinfo';
import { softSpreadScores } from './spread';

const MAX = 100;

// Scratch space reused across cycles: scoring allocates nothing per node.
let spreadBuf = new Float64Array(1024);
let taintBuf = new Float64Array(1024);
let affBuf = new Float64Array(1024);
let scoreBuf = new Float64Array(1024);

/**
 * Scores every feasible node and returns the index of the best one; ties are
 * broken uniformly at random (seeded), like upstream's selectHost.
 * LeastAllocated uses the non-zero requests (100m / 200Mi defaults);
 * BalancedAllocation the real ones; the standard deviation of two fractions
 * is half their distance.
 */
const sigIds = new Map<string, number>();
let lastSig = 0;
interface LastSig { milliCpu: number; memory: number; nonZeroMilliCpu: number; nonZeroMemory: number; owner: string | undefined; id: number }
const lastFull: LastSig = { milliCpu: 0, memory: 0, nonZeroMilliCpu: 0, nonZeroMemory: 0, owner: undefined, id: 0 };
const lastReq: LastSig = { ...lastFull };

/** A small number naming the pod's requests and spread group, so per-node scores can be cached. */
export function signature(c: PodCycle): number {
  return sigOf(c.entry.req, c.entry.owner, lastFull);
}

/** The same for the requests alone (what the base score and the fit depend on). */
export function requestSignature(c: PodCycle): number {
  return sigOf(c.entry.req, undefined, lastReq);
}

function sigOf(r: PodCycle['entry']['req'], owner: string | undefined, last: LastSig): number {
  // Consecutive pods usually come from one template: the last answer is checked before a key is built.
  if (r.milliCpu === last.milliCpu && r.memory === last.memory && r.nonZeroMilliCpu === last.nonZeroMilliCpu
    && r.nonZeroMemory === last.nonZeroMemory && owner === last.owner && last.id > 0) return last.id;
  const k = `${r.milliCpu}/${r.memory}/${r.nonZeroMilliCpu}/${r.nonZeroMemory}/${owner ?? ''}`;
  let id = sigIds.get(k);
  if (id === undefined) {
    if (sigIds.size > 100_000) sigIds.clear();
    // Never reused after a clear: caches compare ids, a recycled one would match stale scores.
    sigIds.set(k, (id = ++lastSig));
  }
  last.milliCpu = r.milliCpu; last.memory = r.memory; last.nonZeroMilliCpu = r.nonZeroMilliCpu; last.nonZeroMemory = r.nonZeroMemory;
  last.owner = owner; last.id = id;
  return id;
}

export function pickNode(c: PodCycle, feasible: NodeInfo[], random: () => number): number {
  const len = feasible.length;
  if (len === 1) return 0;
  const sig = signature(c);
  if (spreadBuf.length < len) { spreadBuf = new Float64Array(len * 2); taintBuf = new Float64Array(len * 2); affBuf = new Float64Array(len * 2); scoreBuf = new Float64Array(len * 2); }
  const owner = c.entry.owner;
  const preferred: any[] = c.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const tol = c.tolerations;
  let spreadMin = Infinity, spreadMax = -Infinity, taintMax = 0, affMax = 0;
  for (let i = 0; i < len; i++) {
    const n = feasible[i];
    if (n.scoreGen !== n.generation || n.scoreSig !== sig) cacheBase(n, c, sig);
    const sp = n.scoreSpread;
    spreadBuf[i] = sp;
    if (sp < spreadMin) spreadMin = sp;
    if (sp > spreadMax) spreadMax = sp;
    let t = 0;
    if (n.taints.length) for (const x of n.taints) if (x.effect === 'PreferNoSchedule' && !tolerates(tol, x)) t++;
    taintBuf[i] = t;
    if (t > taintMax) taintMax = t;
    let a = 0;
    if (preferred.length) for (const p of preferred) if (nodeSelectorTermMatches(p.preference ?? {}, n.node)) a += p.weight ?? 0;
    affBuf[i] = a;
    if (a > affMax) affMax = a;
  }
  let best = -1, bestScore = -Infinity, ties = 0;
  const scores = scoreBuf;
  // A pod with constraints of its own is spread by its ScheduleAnyway ones (if any), not by the system default.
  const own = c.spreadNodes !== undefined;
  const soft = own && softSpreadScores(c.pod, feasible, c.spreadNodes!, spreadBuf);
  for (let i = 0; i < len; i++) {
    let s = feasible[i].scoreBase;
    if (soft) s += 2 * spreadBuf[i];
    else if (!own && owner && spreadMax > 0) s += 2 * Math.round((MAX * (spreadMax + spreadMin - spreadBuf[i])) / spreadMax);
    s += taintMax > 0 ? 3 * Math.round(MAX - (MAX * taintBuf[i]) / taintMax) : 3 * MAX;
    if (affMax > 0) s += 2 * Math.round((MAX * affBuf[i]) / affMax);
    s = Math.floor(s);
    scores[i] = s;
    if (s > bestScore) { bestScore = s; best = i; ties = 1; }
    else if (s === bestScore) ties++;
  }
  return ties > 1 ? nthBest(scores, len, bestScore, Math.floor(random() * ties)) : best;
}

/**
 * selectHost: a uniformly random node among those with the top score.
 * Upstream draws once per tie (reservoir sampling); one draw of the tie's rank
 * gives the same uniform choice without a draw per node, which matters when
 * hundreds of sampled nodes tie.
 */
export function nthBest(scores: Float64Array, len: number, best: number, rank: number): number {
  for (let k = 0; k < len; k++) if (scores[k] === best && rank-- === 0) return k;
  return 0;
}

/** LeastAllocated + BalancedAllocation and the raw spread count of one node for this pod's signature. */
export function cacheBase(n: NodeInfo, c: PodCycle, sig: number): void {
  n.scoreBase = baseScore(n, c.entry.req);
  // System default constraint on hostname, maxSkew 3: matching pods + maxSkew − 1.
  n.scoreSpread = c.entry.owner ? (n.owners.get(c.entry.owner) ?? 0) + 2 : 0;
  n.scoreGen = n.generation;
  n.scoreSig = sig;
}

/** LeastAllocated (non-zero requests) + BalancedAllocation (real requests) of one node for these requests. */
export function baseScore(n: NodeInfo, r: PodCycle['entry']['req']): number {
  const usedCpu = n.nonZeroMilliCpu + r.nonZeroMilliCpu, usedMem = n.nonZeroMemory + r.nonZeroMemory;
  const la = ((n.allocMilliCpu <= 0 || usedCpu > n.allocMilliCpu ? 0 : ((n.allocMilliCpu - usedCpu) * MAX) / n.allocMilliCpu)
    + (n.allocMemory <= 0 || usedMem > n.allocMemory ? 0 : ((n.allocMemory - usedMem) * MAX) / n.allocMemory)) / 2;
  const fc = n.allocMilliCpu <= 0 ? 1 : Math.min(1, (n.milliCpu + r.milliCpu) / n.allocMilliCpu);
  const fm = n.allocMemory <= 0 ? 1 : Math.min(1, (n.memory + r.memory) / n.allocMemory);
  return la + (1 - Math.abs(fc - fm) / 2) * MAX;
}

/** percentageOfNodesToScore's adaptive default: 50% − nodes/125, at least 5%, and never fewer than 100 nodes. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  const minFeasible = 100;
  if (numAllNodes < minFeasible) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - numAllNodes / 125;
    if (pct < 5) pct = 5;
  }
  const n = Math.floor((numAllNodes * pct) / 100);
  return n < minFeasible ? minFeasible : n;
}
