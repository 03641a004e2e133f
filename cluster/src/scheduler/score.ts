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

const MAX = 100;

function leastAllocated(c: PodCycle, n: NodeInfo): number {
  const r = c.entry.req;
  const one = (alloc: number, used: number) => (alloc <= 0 || used > alloc ? 0 : ((alloc - used) * MAX) / alloc);
  return (one(n.allocMilliCpu, n.nonZeroMilliCpu + r.nonZeroMilliCpu) + one(n.allocMemory, n.nonZeroMemory + r.nonZeroMemory)) / 2;
}

function balanced(c: PodCycle, n: NodeInfo): number {
  const r = c.entry.req;
  const f = (used: number, alloc: number) => (alloc <= 0 ? 1 : Math.min(1, used / alloc));
  const cpu = f(n.milliCpu + r.milliCpu, n.allocMilliCpu);
  const mem = f(n.memory + r.memory, n.allocMemory);
  // Standard deviation of two fractions is half their distance.
  return (1 - Math.abs(cpu - mem) / 2) * MAX;
}

/**
 * Scores every feasible node and returns the index of the best one; ties are
 * broken uniformly at random (seeded), like upstream's selectHost.
 */
export function pickNode(c: PodCycle, feasible: NodeInfo[], random: () => number): number {
  if (feasible.length === 1) return 0;
  const owner = c.entry.owner;
  const preferred = c.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  const prefNoSchedule = c.tolerations;
  // Raw values of the normalised plugins first.
  let spreadMin = Infinity, spreadMax = -Infinity, taintMax = 0, affMax = 0;
  const spread = new Array<number>(feasible.length);
  const taint = new Array<number>(feasible.length);
  const aff = new Array<number>(feasible.length);
  for (let i = 0; i < feasible.length; i++) {
    const n = feasible[i];
    // System default constraint: hostname, maxSkew 3 → count + maxSkew - 1.
    spread[i] = owner ? (n.owners.get(owner) ?? 0) + 2 : 0;
    if (spread[i] < spreadMin) spreadMin = spread[i];
    if (spread[i] > spreadMax) spreadMax = spread[i];
    let t = 0;
    for (const x of n.taints) if (x.effect === 'PreferNoSchedule' && !tolerates(prefNoSchedule, x)) t++;
    taint[i] = t;
    if (t > taintMax) taintMax = t;
    let a = 0;
    for (const p of preferred) if (nodeSelectorTermMatches(p.preference ?? {}, n.node)) a += p.weight ?? 0;
    aff[i] = a;
    if (a > affMax) affMax = a;
  }
  let best = -1, bestScore = -Infinity, ties = 0;
  for (let i = 0; i < feasible.length; i++) {
    const n = feasible[i];
    let s = leastAllocated(c, n) + balanced(c, n);
    if (owner && spreadMax > 0) s += 2 * Math.round((MAX * (spreadMax + spreadMin - spread[i])) / spreadMax);
    if (taintMax > 0) s += 3 * Math.round(MAX - (MAX * taint[i]) / taintMax);
    else s += 3 * MAX;
    if (affMax > 0) s += 2 * Math.round((MAX * aff[i]) / affMax);
    s = Math.floor(s);
    if (s > bestScore) { bestScore = s; best = i; ties = 1; }
    else if (s === bestScore) { ties++; if (random() * ties < 1) best = i; }
  }
  return best;
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
