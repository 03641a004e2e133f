/**
 * Which nodes a DaemonSet runs on (upstream daemon_controller.go
 * NodeShouldRunDaemonPod): nodeSelector, required node affinity, and taints
 * against the pod's tolerations plus the ones every daemon pod gets. A pod
 * that tolerates the node's NoExecute taints may keep running even where a
 * new one would not be placed.
 */
import type { KObject } from '../../contract.js';

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

/** AddOrUpdateDaemonPodTolerations: node problems must not evict or block the pods that may fix them. */
export function daemonTolerations(spec: any): Toleration[] {
  const out: Toleration[] = [...(spec?.tolerations ?? [])];
  const add = (key: string, effect: string) => {
    if (!out.some((t) => t.key === key && t.operator === 'Exists' && t.effect === effect && t.tolerationSeconds === undefined)) {
      // An existing toleration for the same key and effect is replaced, as upstream's AddOrUpdateTolerationInPodSpec does.
      const i = out.findIndex((t) => t.key === key && t.effect === effect);
      const tol = { key, operator: 'Exists', effect };
      if (i >= 0) out[i] = tol;
      else out.push(tol);
    }
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec?.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return out;
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

function requirementMatches(r: { key: string; operator: string; values?: string[] }, get: (k: string) => string | undefined): boolean {
  const v = get(r.key);
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In': return v !== undefined && vals.includes(v);
    case 'NotIn': return v === undefined || !vals.includes(v);
    case 'Exists': return v !== undefined;
    case 'DoesNotExist': return v === undefined;
    case 'Gt': return v !== undefined && /^-?\d+$/.test(v) && Number(v) > Number(vals[0]);
    case 'Lt': return v !== undefined && /^-?\d+$/.test(v) && Number(v) < Number(vals[0]);
    default: return false;
  }
}

/** Required node affinity: terms are OR-ed; within a term, expressions (labels) and fields (metadata.name) are AND-ed; an empty term matches nothing. */
export function nodeAffinityMatches(affinity: any, node: KObject): boolean {
  const terms = affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  const labels = node.metadata.labels ?? {};
  return terms.some((t: any) => {
    const ex = t.matchExpressions ?? [];
    const fields = t.matchFields ?? [];
    if (!ex.length && !fields.length) return false;
    return ex.every((r: any) => requirementMatches(r, (k) => labels[k])) &&
      fields.every((r: any) => requirementMatches(r, (k) => (k === 'metadata.name' ? node.metadata.name : undefined)));
  });
}

export function nodeSelectorMatches(sel: Record<string, string> | undefined, node: KObject): boolean {
  for (const [k, v] of Object.entries(sel ?? {})) if (node.metadata.labels?.[k] !== v) return false;
  return true;
}

/** [shouldRun, shouldContinueRunning] for the DaemonSet's pod on this node. */
export function nodeShouldRunDaemonPod(node: KObject, ds: KObject, tols: Toleration[] = daemonTolerations(ds.spec?.template?.spec)): [boolean, boolean] {
  const spec = ds.spec?.template?.spec ?? {};
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return [false, false];
  if (!nodeSelectorMatches(spec.nodeSelector, node) || !nodeAffinityMatches(spec.affinity, node)) return [false, false];
  const taints: Taint[] = node.spec?.taints ?? [];
  const untolerated = (effects: string[]) => taints.some((t) => effects.includes(t.effect) && !tols.some((tol) => tolerates(tol, t)));
  if (untolerated(['NoSchedule', 'NoExecute'])) return [false, !untolerated(['NoExecute'])];
  return [true, true];
}

/** The node a daemon pod is for: where it is bound, else the node its affinity pins it to. */
export function targetNodeName(pod: KObject): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const t of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of t.matchFields ?? []) if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
  }
  return undefined;
}

/** ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become exactly "metadata.name In [node]". */
export function pinToNode(affinity: any, node: string): any {
  const req = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
  const a = affinity ? structuredClone(affinity) : {};
  a.nodeAffinity = { ...(a.nodeAffinity ?? {}), requiredDuringSchedulingIgnoredDuringExecution: req };
  return a;
}
