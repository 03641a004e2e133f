/**
 * PodTopologySpread for a pod's own `topologySpreadConstraints`, as the
 * upstream plugin plays them:
 *   - `whenUnsatisfiable: DoNotSchedule` constraints filter. A node without
 *     the constraint's topology key is refused outright; any other, when
 *     placing the pod there would make its domain's count of matching pods
 *     exceed the smallest domain's by more than maxSkew. With fewer domains
 *     than minDomains, the smallest counts as 0.
 *   - `ScheduleAnyway` constraints score: fewer matching pods in a node's
 *     domain score higher, each constraint weighted by the log of its number
 *     of domains.
 * Pods are counted in the incoming pod's namespace, not being deleted, matching
 * the constraint's labelSelector ANDed with the pod's own values for its
 * matchLabelKeys. Nodes count toward a constraint when they carry every
 * topology key of the pod's constraints, match the pod's node selector and
 * required affinity (nodeAffinityPolicy Honor, the default) and, under
 * nodeTaintsPolicy Honor, tolerate its taints. A pod with no constraints of its
 * own keeps the system default spread (score.ts).
 */
import { labelSelectorMatches } from '../../../kube/src/labels';
import type { KObject } from '../contract';
import { HOSTNAME, nodeAffinityMatches, toleratesTaints } from './filters';
import type { NodeInfo } from './nodeinfo';

export const SPREAD_REASON = "node(s) didn't match pod topology spread constraints";
export const SPREAD_LABEL_REASON = `${SPREAD_REASON} (missing required label)`;

export interface SpreadConstraint {
  key: string;
  maxSkew: number;
  minDomains: number;
  /** The labelSelector, with the pod's values for its matchLabelKeys; null when there is none (it selects nothing). */
  selector: any;
  /** Namespace and selector, the key of the per-node counts kept between cycles (countOn). */
  selectorKey: string;
  /** A missing or empty selector: countPodsMatchSelector counts nothing with it. */
  empty: boolean;
  honorAffinity: boolean;
  honorTaints: boolean;
  /** Domain (the topology key's value) → matching pods, over the nodes that count. */
  counts: Map<string, number>;
  /** The smallest domain's count, 0 below minDomains domains. */
  min: number;
  /** The incoming pod matches its own selector (it would add one to the domain it lands in). */
  selfMatch: number;
}

/** The pod's constraints of one kind, with their selectors (matchLabelKeys merged) and policies; counts not yet taken. */
function constraintsOf(pod: KObject, when: 'DoNotSchedule' | 'ScheduleAnyway'): SpreadConstraint[] {
  const list: any[] = Array.isArray(pod.spec?.topologySpreadConstraints) ? pod.spec.topologySpreadConstraints : [];
  const labels: Record<string, string> = pod.metadata.labels ?? {};
  const out: SpreadConstraint[] = [];
  for (const t of list) {
    if (!t || typeof t.topologyKey !== 'string' || (t.whenUnsatisfiable ?? 'DoNotSchedule') !== when) continue;
    // No labelSelector selects nothing (LabelSelectorAsSelector(nil)); matchLabelKeys add to a selector, never make one.
    const base = t.labelSelector && typeof t.labelSelector === 'object' ? t.labelSelector : null;
    const extra = base ? (Array.isArray(t.matchLabelKeys) ? t.matchLabelKeys : []).filter((k: string) => Object.prototype.hasOwnProperty.call(labels, k))
      .map((k: string) => ({ key: k, operator: 'In', values: [labels[k]] })) : [];
    const selector = extra.length ? { ...base, matchExpressions: [...(base!.matchExpressions ?? []), ...extra] } : base;
    out.push({
      key: t.topologyKey, maxSkew: Math.max(1, Number(t.maxSkew) || 1), minDomains: when === 'DoNotSchedule' ? Math.max(1, Number(t.minDomains) || 1) : 1,
      selector, selectorKey: `${pod.metadata.namespace}\u0000${JSON.stringify(selector)}`, empty: !selector || emptySelector(selector),
      honorAffinity: (t.nodeAffinityPolicy ?? 'Honor') === 'Honor', honorTaints: t.nodeTaintsPolicy === 'Honor',
      counts: new Map(), min: 0, selfMatch: selector && labelSelectorMatches(selector, labels) ? 1 : 0,
    });
  }
  return out;
}

export function hasOwnConstraints(pod: KObject): boolean {
  return Array.isArray(pod.spec?.topologySpreadConstraints) && pod.spec.topologySpreadConstraints.length > 0;
}

/** Whether a node passes the pod's node selector and required node affinity (what nodeAffinityPolicy Honor asks). */
const affinityMatches = (pod: KObject, n: NodeInfo) => nodeAffinityMatches(pod.spec?.nodeSelector,
  pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms, n);

/** Whether the pod tolerates the node's NoSchedule and NoExecute taints (what nodeTaintsPolicy Honor asks). */
const untainted = (pod: KObject, n: NodeInfo) => toleratesTaints(pod.spec?.tolerations ?? [], n);

const emptySelector = (sel: any) => !Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length;

/** Per node: selector key → the node's generation when counted, and the count (a node that did not change is not walked again). */
const counted = new WeakMap<NodeInfo, Map<string, { gen: number; count: number }>>();

/**
 * Matching pods on one node for a constraint (countPodsMatchSelector): the pod's namespace, not being deleted; none
 * for an empty selector. Kept per node until the node changes, so that the pods of one Deployment, scheduled one after
 * another, walk only the node the last one went to.
 */
export function countOn(n: NodeInfo, c: SpreadConstraint, namespace: string | undefined): number {
  if (c.empty) return 0;
  let byKey = counted.get(n);
  if (!byKey) counted.set(n, (byKey = new Map()));
  const hit = byKey.get(c.selectorKey);
  if (hit && hit.gen === n.generation) return hit.count;
  let k = 0;
  for (const e of n.pods.values()) {
    const m = e.pod.metadata;
    if (m.namespace === namespace && !m.deletionTimestamp && labelSelectorMatches(c.selector, m.labels ?? {})) k++;
  }
  if (byKey.size > 64) byKey.clear();
  byKey.set(c.selectorKey, { gen: n.generation, count: k });
  return k;
}

/** Takes the counts of `constraints` over `nodes`, each node counted once per constraint it counts for. */
function count(pod: KObject, constraints: SpreadConstraint[], nodes: Iterable<NodeInfo>): void {
  const ns = pod.metadata.namespace;
  for (const n of nodes) {
    if (!constraints.every((c) => n.labels[c.key] !== undefined)) continue;
    let affinity: boolean | undefined;
    let taints: boolean | undefined;
    for (const c of constraints) {
      if (c.honorAffinity && !(affinity ??= affinityMatches(pod, n))) continue;
      if (c.honorTaints && !(taints ??= untainted(pod, n))) continue;
      const v = n.labels[c.key];
      c.counts.set(v, (c.counts.get(v) ?? 0) + countOn(n, c, ns));
    }
  }
  for (const c of constraints) {
    let min = Infinity;
    for (const k of c.counts.values()) if (k < min) min = k;
    c.min = c.counts.size < c.minDomains || min === Infinity ? 0 : min;
  }
}

/** PreFilter: the pod's DoNotSchedule constraints with their domain counts, or undefined when it has none. */
export function hardSpread(pod: KObject, nodes: Iterable<NodeInfo>): SpreadConstraint[] | undefined {
  const cs = constraintsOf(pod, 'DoNotSchedule');
  if (!cs.length) return undefined;
  count(pod, cs, nodes);
  return cs;
}

/** The filter for one node; null when it passes. */
export function spreadRejects(cs: SpreadConstraint[], n: NodeInfo): { reasons: string[]; unresolvable: boolean } | null {
  for (const c of cs) {
    const v = n.labels[c.key];
    if (v === undefined) return { reasons: [SPREAD_LABEL_REASON], unresolvable: true };
    if ((c.counts.get(v) ?? 0) + c.selfMatch - c.min > c.maxSkew) return { reasons: [SPREAD_REASON], unresolvable: false };
  }
  return null;
}

/**
 * PreScore and Score for the ScheduleAnyway constraints, normalised (NormalizeScore): 0..100 per feasible node,
 * in `out`; undefined when the pod has none (its spread then scores nothing). Nodes without every key score 0.
 */
export function softSpreadScores(pod: KObject, feasible: NodeInfo[], allNodes: Iterable<NodeInfo>, out: Float64Array): boolean {
  const cs = constraintsOf(pod, 'ScheduleAnyway');
  if (!cs.length) return false;
  const len = feasible.length;
  const ignored = feasible.map((n) => !cs.every((c) => n.labels[c.key] !== undefined));
  // Domains among the feasible nodes; their pods are counted over every node that counts.
  const weights = cs.map((c) => {
    if (c.key === HOSTNAME) return Math.log(ignored.filter((x) => !x).length + 2);
    const values = new Set<string>();
    for (let i = 0; i < len; i++) if (!ignored[i]) values.add(feasible[i].labels[c.key]);
    for (const v of values) c.counts.set(v, 0);
    return Math.log(values.size + 2);
  });
  const ns = pod.metadata.namespace;
  const others = cs.filter((c) => c.key !== HOSTNAME);
  if (others.length) {
    for (const n of allNodes) {
      if (!cs.every((c) => n.labels[c.key] !== undefined)) continue;
      for (const c of others) {
        if (c.honorAffinity && !affinityMatches(pod, n)) continue;
        if (c.honorTaints && !untainted(pod, n)) continue;
        const v = n.labels[c.key];
        if (c.counts.has(v)) c.counts.set(v, c.counts.get(v)! + countOn(n, c, ns));
      }
    }
  }
  let min = Infinity, max = 0;
  for (let i = 0; i < len; i++) {
    if (ignored[i]) continue;
    const n = feasible[i];
    let s = 0;
    cs.forEach((c, k) => {
      const cnt = c.key === HOSTNAME ? countOn(n, c, ns) : c.counts.get(n.labels[c.key]) ?? 0;
      s += cnt * weights[k] + (c.maxSkew - 1);
    });
    const r = Math.round(s);
    out[i] = r;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  for (let i = 0; i < len; i++) out[i] = ignored[i] ? 0 : max === 0 ? 100 : Math.floor((100 * (max + min - out[i])) / max);
  return true;
}
