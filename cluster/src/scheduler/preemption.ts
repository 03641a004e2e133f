/**
 * The DefaultPreemption PostFilter plugin
 * (pkg/scheduler/framework/plugins/defaultpreemption and framework/preemption),
 * run when a pod fits nowhere:
 *
 * - Eligibility: a pod with preemptionPolicy Never does not preempt, and a pod
 *   whose nominated node still has a lower-priority pod terminating waits
 *   for it instead of preempting again.
 * - Candidates: nodes whose rejection preemption can fix (not
 *   UnschedulableAndUnresolvable), from a random offset, until
 *   max(100, 10% of the nodes) are found. On each, every pod of lower
 *   priority is taken away; if the pod then fits, they are put back one by
 *   one, those whose eviction would break a PodDisruptionBudget first, each
 *   group most important first (higher priority, then earlier start), and
 *   those without which it no longer fits are the victims.
 * - The node: fewest PodDisruptionBudget violations, then
 *   the lowest highest victim priority, the lowest sum of priorities, the
 *   fewest victims, the latest start among the highest-priority victims, the
 *   first found.
 *
 * Known simplification: the inter-pod affinity state computed at PreFilter is
 * not recomputed without the victims.
 */
import type { KObject } from '../contract';
import type { PodCycle, Rejection } from './filters';
import type { NodeInfo, PodEntry } from './nodeinfo';
import { labelSelectorMatches } from '../../../kube/src/labels';

export const podPriority = (pod: KObject): number => (typeof pod.spec?.priority === 'number' ? pod.spec.priority : 0);

/** GetPodStartTime: status.startTime, or now for a pod the kubelet has not started (it counts as the latest). */
function startTimeOf(pod: KObject, now: number): number {
  const t = Date.parse(pod.status?.startTime ?? '');
  return Number.isNaN(t) ? now : t;
}

/** MoreImportantPod: higher priority first; on a tie, the one that started earlier. Start times are read once. */
function byImportance(pods: PodEntry[], now: number): PodEntry[] {
  const start = new Map(pods.map((e) => [e, startTimeOf(e.pod, now)]));
  return pods.sort((a, b) => podPriority(b.pod) - podPriority(a.pod) || start.get(a)! - start.get(b)!);
}

/** The filters a dry run uses: the scheduler's, with pods nominated to the node counted (RunFilterPluginsWithNominatedPods). */
export type NodeFilter = (c: PodCycle, n: NodeInfo) => Rejection | null;

export interface Candidate {
  node: NodeInfo;
  victims: PodEntry[];
  /** Victims whose eviction breaks a PodDisruptionBudget. */
  violations: number;
}

/**
 * filterPodsWithPDBViolation: walking the pods in order, each spends one
 * disruption of every budget that selects it (a pod already in a budget's
 * disruptedPods spends nothing); a pod that takes a budget below zero violates it.
 */
function splitByBudget(pods: PodEntry[], pdbs: KObject[]): { violating: PodEntry[]; other: PodEntry[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  // A budget with a nil or empty selector matches nothing here.
  const matchers = pdbs.map((p) => {
    const sel = p.spec?.selector;
    return sel && (Object.keys(sel.matchLabels ?? {}).length || (sel.matchExpressions ?? []).length)
      ? (labels: Record<string, string>) => labelSelectorMatches(sel, labels) : undefined;
  });
  const violating: PodEntry[] = [];
  const other: PodEntry[] = [];
  for (const e of pods) {
    let broken = false;
    const labels = e.pod.metadata.labels;
    if (labels && Object.keys(labels).length) {
      for (let i = 0; i < pdbs.length; i++) {
        const m = matchers[i];
        if (!m || pdbs[i].metadata.namespace !== e.pod.metadata.namespace || !m(labels)) continue;
        if (pdbs[i].status?.disruptedPods?.[e.pod.metadata.name!] !== undefined) continue;
        if (--allowed[i] < 0) broken = true;
      }
    }
    (broken ? violating : other).push(e);
  }
  return { violating, other };
}

/**
 * PodEligibleToPreemptOthers: why the pod may not preempt, in upstream's
 * words, or undefined when it may. A pod nominated to a node where a
 * lower-priority pod is still terminating because of a preemption waits for
 * it, unless the node has become unusable for it (UnschedulableAndUnresolvable).
 */
export function notEligible(pod: KObject, nodes: Map<string, NodeInfo>, filterNominated: (n: NodeInfo) => Rejection | null): string | undefined {
  if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
  const nominated = pod.status?.nominatedNodeName;
  const ni = nominated ? nodes.get(nominated) : undefined;
  if (ni && !filterNominated(ni)?.unresolvable) {
    const prio = podPriority(pod);
    for (const e of ni.pods.values()) {
      if (podPriority(e.pod) < prio && terminatingByPreemption(e.pod)) return 'not eligible due to a terminating pod on the nominated node.';
    }
  }
  return undefined;
}

/** podTerminatingByPreemption: being deleted, with the DisruptionTarget condition a preemption sets. */
function terminatingByPreemption(pod: KObject): boolean {
  if (!pod.metadata.deletionTimestamp) return false;
  return (pod.status?.conditions ?? []).some((c: any) => c.type === 'DisruptionTarget' && c.status === 'True' && c.reason === 'PreemptionByScheduler');
}

/**
 * SelectVictimsOnNode on the live NodeInfo, which is left exactly as it was
 * found. Undefined when removing every lower-priority pod does not help.
 */
function selectVictims(cycle: PodCycle, ni: NodeInfo, prio: number, pdbs: KObject[], filter: NodeFilter, now: number): { victims: PodEntry[]; violations: number } | undefined {
  const potential: PodEntry[] = [];
  for (const e of ni.pods.values()) if (podPriority(e.pod) < prio) potential.push(e);
  if (!potential.length) return undefined;
  for (const e of potential) ni.remove(e.key);
  const victims: PodEntry[] = [];
  try {
    if (filter(cycle, ni)) return undefined;
    byImportance(potential, now);
    const { violating, other } = splitByBudget(potential, pdbs);
    const breaking = new Set(violating);
    let violations = 0;
    for (const e of [...violating, ...other]) {
      ni.add(e);
      if (filter(cycle, ni)) {
        ni.remove(e.key);
        victims.push(e);
        if (breaking.has(e)) violations++;
      }
    }
    return { victims, violations };
  } finally {
    // Whatever was taken away goes back: the reprieved are back already, the rest are put back here.
    for (const e of potential) if (!ni.pods.has(e.key)) ni.add(e);
  }
}

/** FindCandidates and SelectCandidate; undefined when no node helps. */
export function findPreemption(cycle: PodCycle, order: NodeInfo[], random: () => number, pdbs: KObject[], filter: NodeFilter, now: number): Candidate | undefined {
  const all = order.length;
  if (!all) return undefined;
  const prio = podPriority(cycle.pod);
  const want = Math.min(all, Math.max(100, Math.floor(all / 10)));
  const offset = Math.floor(random() * all);
  const found: Candidate[] = [];
  for (let i = 0; i < all && found.length < want; i++) {
    const ni = order[(offset + i) % all];
    const r = filter(cycle, ni);
    if (!r || r.unresolvable) continue;
    const sel = selectVictims(cycle, ni, prio, pdbs, filter, now);
    if (sel?.victims.length) found.push({ node: ni, victims: sel.victims, violations: sel.violations });
  }
  return pick(found, now);
}

/** pickOneNodeForPreemption. */
function pick(cands: Candidate[], now: number): Candidate | undefined {
  if (cands.length <= 1) return cands[0];
  const highest = (c: Candidate) => Math.max(...c.victims.map((v) => podPriority(v.pod)));
  // Priorities are offset so that every term is positive, as upstream sums them.
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + podPriority(v.pod) + 2147483648, 0);
  // The earliest start among the highest-priority victims: the later it is, the less work is lost.
  const earliestTop = (c: Candidate) => {
    const top = highest(c);
    return Math.min(...c.victims.filter((v) => podPriority(v.pod) === top).map((v) => startTimeOf(v.pod, now)));
  };
  const steps: Array<(c: Candidate) => number> = [(c) => -c.violations, (c) => -highest(c), (c) => -sum(c), (c) => -c.victims.length, earliestTop];
  let rest = cands;
  for (const score of steps) {
    let best = -Infinity;
    let next: Candidate[] = [];
    for (const c of rest) {
      const s = score(c);
      if (s > best) { best = s; next = [c]; } else if (s === best) next.push(c);
    }
    rest = next;
    if (rest.length === 1) break;
  }
  return rest[0];
}
