/**
 * A namespace's NetworkPolicies in the tree: each policy with the pods it
 * selects and its rules in plain words, and a pod's isolation in its
 * tooltip. The words follow `kubectl describe networkpolicy`'s reading
 * (an empty selector is every pod; two peers are either; ports and peers of
 * one rule are both).
 */
import { labelSelectorSelects } from '../../../kube/src/labels';
import { isolationOf, policyTypesOf, ruleText, selectorText } from '../../../kube/src/networkPolicy';
import { byName, md, paged, TreeNode } from './node';
import { KObject, refOf } from './types';
import type { TreeContext } from './tree';

type T = TreeContext['t'];

/** The pods of the namespace the policy selects. */
function selected(ctx: TreeContext, np: KObject): KObject[] {
  const sel = np.spec?.podSelector ?? {};
  return ctx.store.list('pods', np.metadata.namespace ?? '').filter((p) => !p.spec?.hostNetwork && labelSelectorSelects(sel, p.metadata.labels));
}

export function netpolGroup(ctx: TreeContext, ns: string, parent: TreeNode): TreeNode | undefined {
  const { t, store } = ctx;
  const count = store.count('networkpolicies', ns);
  if (!count) return undefined;
  const g: TreeNode = { id: `${parent.id}/netpols`, label: t('NetworkPolicies'), parent, look: { icon: 'shield' }, description: String(count) };
  g.children = () => paged(g, store.list('networkpolicies', ns).map((np) => netpolNode(ctx, np, g)).sort(byName));
  return g;
}

function netpolNode(ctx: TreeContext, np: KObject, parent: TreeNode): TreeNode {
  const { t } = ctx;
  const types = policyTypesOf(np.spec);
  const pods = selected(ctx, np);
  const podCount = pods.length === 1 ? t('1 pod') : t('{0} pods', pods.length);
  const lines: { dir: 'ingress' | 'egress'; text: string }[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    if (!types.includes(dir === 'ingress' ? 'Ingress' : 'Egress')) continue;
    const rules: any[] = np.spec?.[dir] ?? [];
    if (!rules.length) lines.push({ dir, text: dir === 'ingress' ? t('nothing gets in (the pods are isolated)') : t('nothing gets out (the pods are isolated)') });
    for (const r of rules) lines.push({ dir, text: ruleText(t, dir, r) });
  }
  const dirLabel = (dir: 'ingress' | 'egress') => (dir === 'ingress' ? t('Ingress') : t('Egress'));
  const node: TreeNode = {
    id: `${parent.id}/${np.metadata.name}`,
    label: np.metadata.name ?? '',
    parent,
    ref: refOf(np, 'networkpolicies'),
    contextValue: 'kubeplay.object',
    look: { icon: 'shield' },
    description: `${selectorText(t, np.spec?.podSelector)} · ${types.join(', ')} · ${podCount}`,
    tooltip: () => `**${md(np.metadata.name ?? '')}**\n\n- ${t('Selects')}: ${md(selectorText(t, np.spec?.podSelector))} (${podCount})\n` +
      lines.map((l) => `- ${dirLabel(l.dir)}: ${md(l.text)}`).join('\n') +
      `\n\n${t('Connections the policies of a pod do not allow are dropped: the client times out.')}`,
  };
  node.children = () => lines.map((l, i) => ({ id: `${node.id}/${i}`, label: dirLabel(l.dir), parent: node, look: { icon: l.dir === 'ingress' ? 'arrow-down' : 'arrow-up' }, description: l.text }));
  return node;
}

/** `Isolated for ingress by a, b; for egress by c`, or '' when no policy selects the pod. */
export function podIsolation(ctx: TreeContext, p: KObject): string {
  if (p.spec?.hostNetwork) return '';
  const ns = p.metadata.namespace ?? 'default';
  const policies = ctx.store.list('networkpolicies', ns);
  if (!policies.length) return '';
  const nsObj = ctx.store.get('namespaces', undefined, ns);
  const iso = isolationOf(policies, { namespace: ns, name: p.metadata.name ?? '', labels: p.metadata.labels ?? {}, namespaceLabels: nsObj?.metadata.labels });
  const name = (k: string) => k.slice(k.indexOf('/') + 1);
  const parts: string[] = [];
  if (iso.ingress.length) parts.push(t2(ctx.t, 'ingress', iso.ingress.map(name).join(', ')));
  if (iso.egress.length) parts.push(t2(ctx.t, 'egress', iso.egress.map(name).join(', ')));
  return parts.join('; ');
}

const t2 = (t: T, dir: 'ingress' | 'egress', names: string) => (dir === 'ingress' ? t('ingress isolated by {0}', names) : t('egress isolated by {0}', names));
