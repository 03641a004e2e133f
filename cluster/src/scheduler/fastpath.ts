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
import { cacheBase, signature } from './score';

let base = new Float64Array(1024);
let spread = new Float64Array(1024);
let slots = new Int32Array(1024);

export interface FastResult { node: NodeInfo; feasible: number; checked: number; next: number }

/** Undefined: not the common case here, use the general path. */
export function scheduleSimple(c: PodCycle, t: NodeTable, start: number, want: number, random: () => number): FastResult | undefined {
  // Tolerations only matter on tainted nodes, which leave this path.
  if (!c.simple || c.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length) return undefined;
  const all = t.nodes.length;
  if (all === 0) return undefined;
  if (base.length < want) { base = new Float64Array(want * 2); spread = new Float64Array(want * 2); slots = new Int32Array(want * 2); }
  const r = c.entry.req;
  const rc = r.milliCpu, rm = r.memory;
  const sig = signature(c);
  const { plain, freePods, freeCpu, freeMem, gen, cacheGen, cacheSig } = t;
  let idx = start % all, found = 0, i = 0;
  let min = Infinity, max = -Infinity;
  for (; i < all && found < want; i++) {
    const s = idx;
    if (++idx === all) idx = 0;
    if (plain[s] === 0 || freePods[s] < 1 || (rc > 0 && rc > freeCpu[s]) || (rm > 0 && rm > freeMem[s])) return undefined;
    if (cacheGen[s] !== gen[s] || cacheSig[s] !== sig) {
      const n = t.nodes[s];
      cacheBase(n, c, sig);
      t.base[s] = n.scoreBase;
      t.spread[s] = n.scoreSpread;
      cacheGen[s] = gen[s];
      cacheSig[s] = sig;
    }
    const sp = t.spread[s];
    base[found] = t.base[s];
    spread[found] = sp;
    slots[found] = s;
    if (sp < min) min = sp;
    if (sp > max) max = sp;
    found++;
  }
  if (found === 0) return undefined;
  // Same arithmetic as pickNode: TaintToleration gives every untainted node 3 × 100.
  let best = 0, bestScore = -Infinity, ties = 0;
  const spreadOn = !!c.entry.owner && max > 0;
  for (let k = 0; k < found; k++) {
    let s = base[k] + 300;
    if (spreadOn) s += 2 * Math.round((100 * (max + min - spread[k])) / max);
    s = Math.floor(s);
    if (s > bestScore) { bestScore = s; best = k; ties = 1; }
    else if (s === bestScore) { ties++; if (random() * ties < 1) best = k; }
  }
  return { node: t.nodes[slots[best]], feasible: found, checked: i, next: idx };
}
