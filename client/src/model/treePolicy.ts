import { byName, md, paged, TreeNode } from './node';
import { KObject, refOf } from './types';
import type { TreeContext } from './tree';
import { cmpQty, parseQty } from '../../../kube/src/qty';
import { netpolGroup } from './treeNetpol';

/**
 * A namespace's NetworkPolicies (who may connect to and from its pods), ResourceQuotas (what is used of each
 * limit) and LimitRanges (the bounds and defaults they set).
 */
export function policyGroups(ctx: TreeContext, ns: string, parent: TreeNode): TreeNode[] {
  const { t, store } = ctx;
  const out: TreeNode[] = [];
  const np = netpolGroup(ctx, ns, parent);
  if (np) out.push(np);
  if (store.count('resourcequotas', ns)) {
    const g: TreeNode = { id: `${parent.id}/quotas`, label: t('ResourceQuotas'), parent, look: { icon: 'dashboard' }, description: String(store.count('resourcequotas', ns)) };
    g.children = () => paged(g, store.list('resourcequotas', ns).map((q) => quotaNode(ctx, q, g)).sort(byName));
    out.push(g);
  }
  if (store.count('limitranges', ns)) {
    const g: TreeNode = { id: `${parent.id}/limitranges`, label: t('LimitRanges'), parent, look: { icon: 'symbol-ruler' }, description: String(store.count('limitranges', ns)) };
    g.children = () => paged(g, store.list('limitranges', ns).map((lr) => limitRangeNode(ctx, lr, g)).sort(byName));
    out.push(g);
  }
  return out;
}

/** Whether a quota has reached one of its limits: the next object that needs more of it is refused. */
function full(used: unknown, hard: unknown): boolean {
  const u = parseQty(String(used ?? '0'));
  const h = parseQty(String(hard ?? ''));
  return !!u && !!h && cmpQty(u, h) >= 0;
}

function quotaNode(ctx: TreeContext, q: KObject, parent: TreeNode): TreeNode {
  const { t } = ctx;
  const hard: Record<string, unknown> = q.status?.hard ?? {};
  const used: Record<string, unknown> = q.status?.used ?? {};
  const keys = Object.keys(hard).sort();
  const atLimit = keys.filter((k) => full(used[k], hard[k]));
  const node: TreeNode = {
    id: `${parent.id}/${q.metadata.name}`,
    label: q.metadata.name ?? '',
    parent,
    ref: refOf(q, 'resourcequotas'),
    contextValue: 'kubeplay.object',
    look: { icon: 'dashboard', color: !keys.length ? undefined : atLimit.length ? 'charts.yellow' : 'charts.green' },
    // Before the quota controller's first count the status is empty, and the quota limits nothing yet.
    description: keys.length ? keys.map((k) => `${k} ${used[k] ?? '0'}/${hard[k]}`).join(' · ') : t('not counted yet'),
    tooltip: () => `**${md(q.metadata.name ?? '')}**` + (atLimit.length ? `\n\n${t('At its limit: {0}. What needs more of it is refused.', atLimit.join(', '))}` : ''),
  };
  node.children = () => keys.map((k) => ({
    id: `${node.id}/${k}`,
    label: k,
    parent: node,
    look: { icon: full(used[k], hard[k]) ? 'warning' : 'pass' },
    description: `${used[k] ?? '0'} / ${hard[k]}`,
  }));
  return node;
}

function limitRangeNode(ctx: TreeContext, lr: KObject, parent: TreeNode): TreeNode {
  const { t } = ctx;
  const node: TreeNode = {
    id: `${parent.id}/${lr.metadata.name}`,
    label: lr.metadata.name ?? '',
    parent,
    ref: refOf(lr, 'limitranges'),
    contextValue: 'kubeplay.object',
    look: { icon: 'symbol-ruler' },
  };
  const fields: [string, string][] = [['min', t('min')], ['max', t('max')], ['defaultRequest', t('default request')], ['default', t('default limit')], ['maxLimitRequestRatio', t('max limit/request')]];
  node.children = () => (lr.spec?.limits ?? []).flatMap((item: any, i: number) => {
    const names = new Set<string>();
    for (const [f] of fields) for (const k of Object.keys(item?.[f] ?? {})) names.add(k);
    return [...names].sort().map((k) => ({
      id: `${node.id}/${i}/${k}`,
      label: `${item?.type ?? ''} ${k}`,
      parent: node,
      look: { icon: 'symbol-ruler' },
      description: fields.filter(([f]) => item?.[f]?.[k] !== undefined).map(([f, label]) => `${label} ${item[f][k]}`).join(' · '),
    }));
  });
  return node;
}
