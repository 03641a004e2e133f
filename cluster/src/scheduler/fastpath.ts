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
import { cacheBase, nthBest, signature } from './score';

let base = new Float64Array(1024);
let spread = new Float64Array(1024);
let slots = new Int32Array(1024);
let scores = new Float64Array(1024);

/**
 * Recomputes one slot's cached scores. A function of its own: inlined into
 * the scan, this rarely taken branch had no type feedback when the scan got
 * optimized and deoptimized it again and again.
 */
function refresh(t: NodeTable, s: number, c: PodCycle, sig: number): void {
  const n = t.nodes[s];
  cacheBase(n, c, sig);
  t.base[s] = n.scoreBase;
  t.spread[s] = n.scoreSpread;
  t.cacheGen[s] = t.gen[s];
  t.cacheSig[s] = sig;
}

export interface FastResult { node: NodeInfo; feasible: number; checked: number; next: number }

/** Undefined: not the common case here, use the general path. */
export function scheduleSimple(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number): FastResult | undefined {
  // Tolerations only matter on tainted nodes, which leave this path.
  if (!c.simple || c.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return undefined;
  const all = t.nodes.length;
  if (all === 0) return undefined;
  if (base.length < want) { base = new Float64Array(want * 2); spread = new Float64Array(want * 2); slots = new Int32Array(want * 2); scores = new Float64Array(want * 2); }
  // Module-level scratch arrays copied to locals: the loop then reads no context slots.
  const bs = base, sps = spread, sl = slots, sc = scores;
  const r = c.entry.req;
  const rc = r.milliCpu, rm = r.memory;
  const sig = signature(c);
  const owned = !!c.entry.owner;
  const { plain, freePods, freeCpu, freeMem, gen, cacheGen, cacheSig } = t;
  const tBase = t.base, tSpread = t.spread;
  let idx = start % all, found = 0, i = 0;
  let min = Infinity, max = -Infinity;
  // Same arithmetic as pickNode: TaintToleration gives every untainted node 3 × 100.
  let bestScore = -Infinity, ties = 0, best = 0;
  for (; i < all && found < want; i++) {
    const s = idx;
    if (++idx === all) idx = 0;
    if (plain[s] === 0 || freePods[s] < 1 || (rc > 0 && rc > freeCpu[s]) || (rm > 0 && rm > freeMem[s])) return undefined;
    if (cacheGen[s] !== gen[s] || cacheSig[s] !== sig) refresh(t, s, c, sig);
    sl[found] = s;
    if (owned) {
      const sp = tSpread[s];
      bs[found] = tBase[s];
      sps[found] = sp;
      if (sp < min) min = sp;
      if (sp > max) max = sp;
    } else {
      // No spread group: the score is final here, one pass suffices.
      const v = Math.floor(tBase[s] + 300);
      sc[found] = v;
      if (v > bestScore) { bestScore = v; best = found; ties = 1; }
      else if (v === bestScore) ties++;
    }
    found++;
  }
  if (found === 0) return undefined;
  if (owned) {
    const spreadOn = max > 0;
    for (let k = 0; k < found; k++) {
      let v = bs[k] + 300;
      if (spreadOn) v += 2 * Math.round((100 * (max + min - sps[k])) / max);
      v = Math.floor(v);
      sc[k] = v;
      if (v > bestScore) { bestScore = v; best = k; ties = 1; }
      else if (v === bestScore) ties++;
    }
  }
  if (ties > 1) best = nthBest(sc, found, bestScore, Math.floor(random() * ties));
  return { node: t.nodes[sl[best]], feasible: found, checked: i, next: idx };
}
