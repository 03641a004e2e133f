/**
 * Hover on a NetworkPolicy's selectors: which workloads of the workspace its
 * `podSelector` (the policy's own pods, or a peer's) picks, and which
 * Namespaces a peer's `namespaceSelector` does, read as the network plugin
 * reads them: a bare peer podSelector looks in the policy's namespace, one
 * paired with a namespaceSelector in the namespaces that one picks, and an
 * empty selector picks everything. Every namespace carries its name in
 * `kubernetes.io/metadata.name`.
 */
import { labelSelectorSelects as matches } from '../../../kube/src/labels';
import type { FieldPath, KubeObject } from './model';
import { get as at, sameNamespace, type IndexedObject, type WorkspaceIndex } from './workspace';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** A namespace's labels as the cluster would have them: its own (from the workspace) plus its name label. */
function namespaceLabels(ws: WorkspaceIndex, name: string): Record<string, string> {
  const ns = ws.byKind('Namespace').find((n) => n.name === name);
  return { ...(ns?.labels ?? {}), 'kubernetes.io/metadata.name': name };
}

const where = (o: IndexedObject) => `${o.uri.replace(/^.*\//, '')}:${o.line + 1}`;

export function netpolSelectorHover(o: KubeObject, rest: FieldPath, ws: WorkspaceIndex, zh: boolean): string | undefined {
  if (o.kind !== 'NetworkPolicy') return undefined;
  let i = -1;
  for (let k = rest.length - 1; k >= 0; k--) if (rest[k] === 'podSelector' || rest[k] === 'namespaceSelector') { i = k; break; }
  if (i < 0) return undefined;
  const selPath = rest.slice(0, i + 1);
  const sel = rec(at(o.value, selPath));
  if (!sel) return undefined;
  const label = `\`${selPath.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]')}\``;
  if (rest[i] === 'namespaceSelector') {
    const names = new Set<string>();
    for (const w of ws.objects()) if (w.namespace) names.add(w.namespace);
    for (const n of ws.byKind('Namespace')) names.add(n.name);
    const hit = [...names].filter((n) => matches(sel, namespaceLabels(ws, n))).sort();
    if (!hit.length) return zh ? `${label} 不匹配工作区中的任何命名空间（每个命名空间都自动带有 \`kubernetes.io/metadata.name: <名称>\` 标签）。` : `${label} matches no namespace of the workspace (every namespace carries \`kubernetes.io/metadata.name: <name>\`).`;
    return `${label} ${zh ? `匹配命名空间` : `matches the namespaces`}: ${hit.map((n) => `\`${n}\``).join(', ')}`;
  }
  const peer = i > 1 ? rec(at(o.value, rest.slice(0, i))) : undefined;
  const nsSel = rec(peer?.namespaceSelector);
  const inNamespace = (w: IndexedObject) => (nsSel ? !!w.namespace && matches(nsSel, namespaceLabels(ws, w.namespace)) || (!w.namespace && !Object.keys(nsSel).length) : sameNamespace(w.namespace, o.namespace));
  const hit = ws.workloads().filter((w) => w.podTemplate && w.kind !== 'PodTemplate' && inNamespace(w) && matches(sel, w.podTemplate.labels));
  if (!hit.length) {
    return zh ? `${label} 不匹配工作区中任何工作负载的 Pod（集群里可能有匹配的 Pod）。` : `${label} matches the pods of no workload in the workspace (the cluster may have some).`;
  }
  const list = hit.slice(0, 20).map((w) => `- ${w.kind} \`${w.name}\`${w.namespace ? ` (${w.namespace})` : ''} — ${where(w)}`);
  return `${label} ${zh ? `匹配这些工作负载的 Pod（${hit.length} 个）：` : `matches the pods of ${hit.length} workload${hit.length === 1 ? '' : 's'}:`}\n${list.join('\n')}${hit.length > 20 ? '\n- …' : ''}`;
}
