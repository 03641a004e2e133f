/**
 * The default filter plugins, in upstream's order (NodeUnschedulable,
 * TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit, VolumeBinding,
 * PodTopologySpread, InterPodAffinity). A node is rejected by the first plugin that fails; the
 * reasons are upstream's exact strings, and `unresolvable` marks the plugins
 * whose failure preemption cannot fix (UnschedulableAndUnresolvable).
 */
import { labelSelectorMatches } from '../../../kube/src/labels';
import { isExtendedResourceName } from '../../../kube/src/resourceNames';
import type { KObject } from '../contract';
import type { NodeInfo, PodEntry } from './nodeinfo';
import { hardSpread, spreadRejects, type SpreadConstraint } from './spread';
import { CANNOT_ALLOCATE } from './dra';

export const HOSTNAME = 'kubernetes.io/hostname';

export interface Rejection { reasons: string[]; unresolvable: boolean }

/** DynamicResources' Filter when the allocator finds no devices (statusUnschedulable: UnschedulableAndUnresolvable). */
const DRA_REJECTION: Rejection = { reasons: [CANNOT_ALLOCATE], unresolvable: true };

/** `selector` null: the term has no labelSelector, and selects no pod. */
export interface AffinityTerm { selector: any; namespaces: Set<string> | 'all'; topologyKey: string }

/** What a scheduling cycle knows about the pod, computed once (PreFilter). */
export interface PodCycle {
  pod: KObject;
  entry: PodEntry;
  tolerations: any[];
  nodeSelector?: Record<string, string>;
  requiredTerms?: any[];
  affinity: AffinityTerm[];
  antiAffinity: AffinityTerm[];
  /** topologyKey → label values whose domain has a pod the affinity term matches. */
  affinityDomains: Map<AffinityTerm, Set<string>>;
  /** Domains where this pod's anti-affinity terms already have a matching pod (non-hostname keys). */
  antiDomains: Map<AffinityTerm, Set<string>>;
  /** Domains where an existing pod's anti-affinity forbids this pod: topologyKey → values. */
  existingAntiDomains: Map<string, Set<string>>;
  /** Nothing but cpu, memory and pods to check on an untainted, schedulable node (the common case, filtered inline). */
  simple: boolean;
  /** The scalar resources NodeResourcesFit checks: the pod's non-zero ones, less the ignored extended resources. */
  scalar?: Array<[string, number]>;
  /** The node selector terms of each PersistentVolume the pod's claims are bound to (VolumeBinding). */
  volumeTerms?: any[][];
  /** The pod's DoNotSchedule topology spread constraints, with their domain counts (spread.ts). */
  spread?: SpreadConstraint[];
  /** Every node, when the pod has spread constraints of its own (its ScheduleAnyway ones count pods on them). */
  spreadNodes?: Iterable<NodeInfo>;
  /** The pod has a ResourceClaim left to allocate, which no driver can (DynamicResources, dra.ts). */
  unallocatedClaims?: boolean;
}

export function tolerates(tolerations: any[], taint: any): boolean {
  // Indexed: a pod's tolerations are frozen (see deepFreeze).
  for (let i = 0; i < tolerations.length; i++) {
    const t = tolerations[i];
    if (t.effect && t.effect !== taint.effect) continue;
    if (t.operator === 'Exists') { if (!t.key || t.key === taint.key) return true; continue; }
    if (t.key === taint.key && (t.value ?? '') === (taint.value ?? '')) return true;
  }
  return false;
}

function matchExpression(e: any, value: string | undefined): boolean {
  switch (e.operator) {
    case 'In': return value !== undefined && (e.values ?? []).includes(value);
    case 'NotIn': return value === undefined || !(e.values ?? []).includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    case 'Gt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) > Number(e.values?.[0]);
    case 'Lt': return value !== undefined && /^-?\d+$/.test(value) && Number(value) < Number(e.values?.[0]);
    default: return false;
  }
}

/** A NodeSelectorTerm: all of its expressions and fields; an empty term selects nothing. */
export function nodeSelectorTermMatches(term: any, node: KObject): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (!exprs.length && !fields.length) return false;
  const labels = node.metadata.labels ?? {};
  for (const e of exprs) if (!matchExpression(e, labels[e.key])) return false;
  for (const f of fields) if (f.key !== 'metadata.name' || !matchExpression(f, node.metadata.name)) return false;
  return true;
}

export function termMatchesPod(term: AffinityTerm, pod: KObject): boolean {
  // No labelSelector selects nothing (newAffinityTerm's LabelSelectorAsSelector(nil)).
  if (!term.selector) return false;
  if (term.namespaces !== 'all' && !term.namespaces.has(pod.metadata.namespace!)) return false;
  return labelSelectorMatches(term.selector, pod.metadata.labels ?? {});
}

const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export type Filter = (c: PodCycle, n: NodeInfo) => Rejection | null;

export const FILTERS: Array<[string, Filter]> = [
  ['NodeUnschedulable', (c, n) =>
    n.unschedulable && !tolerates(c.tolerations, UNSCHEDULABLE_TAINT)
      ? { reasons: ["node(s) were unschedulable"], unresolvable: true } : null],
  ['TaintToleration', (c, n) => (toleratesTaints(c.tolerations, n) ? null : { reasons: ['node(s) had untolerated taint(s)'], unresolvable: true })],
  ['NodeAffinity', (c, n) => (nodeAffinityMatches(c.nodeSelector, c.requiredTerms, n) ? null
    : { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true })],
  ['NodePorts', (c, n) => {
    for (const p of c.entry.ports) if (n.ports.has(p)) return { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false };
    return null;
  }],
  // fit.go's fitsRequest. A request larger than the whole node's allocatable makes the node
  // UnschedulableAndUnresolvable (InsufficientResource.Unresolvable): preemption there would not help.
  ['NodeResourcesFit', (c, n) => {
    const reasons: string[] = [];
    let unresolvable = false;
    const r = c.entry.req;
    if (n.podCount + 1 > n.allocPods) reasons.push('Too many pods');
    if (r.milliCpu > 0 && r.milliCpu > n.allocMilliCpu - n.milliCpu) {
      reasons.push('Insufficient cpu');
      if (r.milliCpu > n.allocMilliCpu) unresolvable = true;
    }
    if (r.memory > 0 && r.memory > n.allocMemory - n.memory) {
      reasons.push('Insufficient memory');
      if (r.memory > n.allocMemory) unresolvable = true;
    }
    if (r.ephemeral > 0 && r.ephemeral > n.allocEphemeral - n.ephemeral) {
      reasons.push('Insufficient ephemeral-storage');
      if (r.ephemeral > n.allocEphemeral) unresolvable = true;
    }
    if (c.scalar) {
      for (const [name, want] of c.scalar) {
        // A resource the node does not advertise has nothing allocatable: a GPU pod fits no node without GPUs.
        const alloc = n.allocScalar[name] ?? 0;
        if (want > alloc - (n.scalar?.get(name) ?? 0)) {
          reasons.push(`Insufficient ${name}`);
          if (want > alloc) unresolvable = true;
        }
      }
    }
    return reasons.length ? { reasons, unresolvable } : null;
  }],
  ['VolumeBinding', (c, n) =>
    c.volumeTerms && !c.volumeTerms.every((terms) => terms.some((t: any) => nodeSelectorTermMatches(t, n.node)))
      ? { reasons: ['node(s) had volume node affinity conflict'], unresolvable: true } : null],
  ['PodTopologySpread', (c, n) => (c.spread ? spreadRejects(c.spread, n) : null)],
  ['InterPodAffinity', (c, n) => {
    for (const t of c.affinity) {
      const v = n.labels[t.topologyKey];
      const domains = c.affinityDomains.get(t)!;
      // No pod matches anywhere yet: a pod matching its own term may start the group.
      const selfStart = domains.size === 0 && termMatchesPod(t, c.pod);
      if (v === undefined || (!domains.has(v) && !selfStart)) return { reasons: ["node(s) didn't match pod affinity rules"], unresolvable: true };
    }
    for (const t of c.antiAffinity) {
      const v = n.labels[t.topologyKey];
      if (v === undefined) continue;
      if (t.topologyKey === HOSTNAME) {
        for (const e of n.pods.values()) if (termMatchesPod(t, e.pod)) return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
      } else if (c.antiDomains.get(t)!.has(v)) {
        return { reasons: ["node(s) didn't match pod anti-affinity rules"], unresolvable: false };
      }
    }
    for (const [key, values] of c.existingAntiDomains) {
      const v = n.labels[key];
      if (v !== undefined && values.has(v)) return { reasons: ["node(s) didn't satisfy existing pods anti-affinity rules"], unresolvable: false };
    }
    return null;
  }],
  // After InterPodAffinity, before DefaultPreemption (default_plugins.go).
  ['DynamicResources', (c) => (c.unallocatedClaims ? DRA_REJECTION : null)],
];

/** TaintToleration's test: every NoSchedule and NoExecute taint of the node is tolerated. */
export function toleratesTaints(tolerations: any[], n: NodeInfo): boolean {
  for (const t of n.taints) if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t)) return false;
  return true;
}

/** NodeAffinity's test: the node has the nodeSelector's labels and matches one of the required terms (if any). */
export function nodeAffinityMatches(nodeSelector: Record<string, string> | undefined, requiredTerms: any[] | undefined, n: NodeInfo): boolean {
  if (nodeSelector) for (const k in nodeSelector) if (n.labels[k] !== nodeSelector[k]) return false;
  return !requiredTerms?.length || requiredTerms.some((t) => nodeSelectorTermMatches(t, n.node));
}

const FILTER_FNS: Filter[] = FILTERS.map(([, f]) => f);

export function runFilters(c: PodCycle, n: NodeInfo): Rejection | null {
  if (c.simple && !n.unschedulable && n.taints.length === 0) {
    const r = c.entry.req;
    if (n.podCount + 1 <= n.allocPods && (r.milliCpu <= 0 || r.milliCpu <= n.allocMilliCpu - n.milliCpu) && (r.memory <= 0 || r.memory <= n.allocMemory - n.memory)) return null;
  }
  for (let i = 0; i < FILTER_FNS.length; i++) {
    const r = FILTER_FNS[i](c, n);
    if (r) return r;
  }
  return null;
}

/** Shared by pods without inter-pod terms; never written to. */
const NO_TERMS: AffinityTerm[] = [];

function terms(pod: KObject, list: any[] | undefined): AffinityTerm[] {
  if (!list?.length) return NO_TERMS;
  return list.map((t: any) => ({
    selector: t.labelSelector ?? null,
    topologyKey: t.topologyKey,
    namespaces: t.namespaceSelector && Object.keys(t.namespaceSelector).length === 0 && !t.namespaces?.length
      ? 'all' : new Set<string>(t.namespaces?.length ? t.namespaces : [pod.metadata.namespace!]),
  }));
}

/** Shared by pods without inter-pod terms; never written to. */
const EMPTY = new Map<any, any>();

/**
 * NodeResourcesFitArgs' ignoredResources and ignoredResourceGroups: extended resources (by name, or by the domain
 * before the slash) the filter does not check. Both default to none (pkg/scheduler/apis/config/v1 defaults).
 */
export interface FitArgs { ignoredResources?: string[]; ignoredResourceGroups?: string[] }

/** The scalar requests NodeResourcesFit looks at: zero ones are skipped, and the ignored extended resources. */
function fitScalar(scalar: Record<string, number>, fit: FitArgs): Array<[string, number]> | undefined {
  let out: Array<[string, number]> | undefined;
  for (const name in scalar) {
    if (scalar[name] === 0) continue;
    if (isExtendedResourceName(name) && (fit.ignoredResources?.includes(name) || fit.ignoredResourceGroups?.includes(name.split('/')[0]))) continue;
    (out ??= []).push([name, scalar[name]]);
  }
  return out;
}

/** PreFilter: everything about the pod a Filter needs, computed once per cycle. */
export function preFilter(pod: KObject, entry: PodEntry, nodes: Iterable<NodeInfo>, withAntiAffinity: Iterable<NodeInfo>, fit: FitArgs = {}): PodCycle {
  const aff = pod.spec?.affinity ?? {};
  const c: PodCycle = {
    pod, entry,
    tolerations: pod.spec?.tolerations ?? [],
    nodeSelector: pod.spec?.nodeSelector && Object.keys(pod.spec.nodeSelector).length ? pod.spec.nodeSelector : undefined,
    requiredTerms: aff.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms,
    affinity: terms(pod, aff.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    antiAffinity: terms(pod, aff.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution),
    affinityDomains: EMPTY, antiDomains: EMPTY, existingAntiDomains: EMPTY, simple: false,
  };
  if (c.affinity.length) c.affinityDomains = new Map();
  if (c.antiAffinity.length) c.antiDomains = new Map();
  let withAnti = false;
  for (const _ of withAntiAffinity) { withAnti = true; break; }
  if (withAnti) c.existingAntiDomains = new Map();
  const scan = c.affinity.length || c.antiAffinity.length ? [...c.affinity, ...c.antiAffinity.filter((t) => t.topologyKey !== HOSTNAME)] : [];
  for (const t of scan) (c.affinity.includes(t) ? c.affinityDomains : c.antiDomains).set(t, new Set());
  if (scan.length) {
    for (const n of nodes) {
      for (const t of scan) {
        const v = n.labels[t.topologyKey];
        if (v === undefined) continue;
        const set = (c.affinity.includes(t) ? c.affinityDomains : c.antiDomains).get(t)!;
        if (set.has(v)) continue;
        for (const e of n.pods.values()) if (termMatchesPod(t, e.pod)) { set.add(v); break; }
      }
    }
  }
  for (const n of withAntiAffinity) {
    for (const e of n.antiAffinityPods) {
      for (const t of terms(e.pod, e.pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)) {
        const v = n.labels[t.topologyKey];
        if (v === undefined || !termMatchesPod(t, pod)) continue;
        let s = c.existingAntiDomains.get(t.topologyKey);
        if (!s) c.existingAntiDomains.set(t.topologyKey, (s = new Set()));
        s.add(v);
      }
    }
  }
  if (pod.spec?.topologySpreadConstraints?.length) {
    c.spread = hardSpread(pod, nodes);
    c.spreadNodes = nodes;
  }
  if (entry.req.scalar) c.scalar = fitScalar(entry.req.scalar, fit);
  c.simple = !c.nodeSelector && !c.requiredTerms && !c.affinity.length && !c.antiAffinity.length && !entry.ports.length && c.existingAntiDomains.size === 0
    && !c.spreadNodes && entry.req.ephemeral <= 0 && !c.scalar;
  return c;
}

/** NodeAffinity's PreFilter reason when every term names nodes and no name is left. */
export const AFFINITY_CONFLICT = 'pod affinity terms conflict';
/** The status of every node a PreFilter result left out (SetAbsentNodesStatus). */
export const ABSENT_NODE_REASON = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

/**
 * NodeAffinity's PreFilterResult: when every required term pins `metadata.name`
 * with `In` (a DaemonSet's pods do), only those nodes are worth filtering, and
 * the scheduler looks at no other. Undefined means every node; an empty set,
 * terms that contradict each other.
 */
export function preFilterNodeNames(pod: KObject): Set<string> | undefined {
  const terms: any[] | undefined = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!Array.isArray(terms) || !terms.length) return undefined;
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t?.matchFields ?? []) {
      if (r?.key !== 'metadata.name' || r.operator !== 'In') continue;
      const s = new Set<string>(r.values ?? []);
      termNames = termNames ? new Set([...termNames].filter((n) => s.has(n))) : s;
    }
    // A term that pins no name lets every node through: the terms are ORed.
    if (!termNames) return undefined;
    names = names ? new Set([...names, ...termNames]) : termNames;
  }
  return names;
}
