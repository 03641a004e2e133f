import type { ClusterStore } from './store';
import { podIsolation } from './treeNetpol';
import { byName, md, paged, pagedBy, TreeNode } from './node';
import { controllerOf, KObject, refOf } from './types';
import { podLook, podStatus, workloadReady } from './status';
import { since } from './format';
import { formatHpaMetrics } from '../../../kube/src/printHpa';
import type { TreeContext } from './tree';

/** The workload kinds under a namespace, in the order kubectl and Lens list them. */
interface WorkloadKind {
  resource: string;
  plural: string;
  icon: string;
  list(s: ClusterStore, ns: string): KObject[];
  /** Cheaper than list().length for kinds that need no filtering. */
  count(s: ClusterStore, ns: string): number;
}

const kinds: Omit<WorkloadKind, 'count'>[] = [
  { resource: 'deployments', plural: 'Deployments', icon: 'rocket', list: (s, ns) => s.list('deployments', ns) },
  { resource: 'statefulsets', plural: 'StatefulSets', icon: 'list-ordered', list: (s, ns) => s.list('statefulsets', ns) },
  { resource: 'daemonsets', plural: 'DaemonSets', icon: 'server-environment', list: (s, ns) => s.list('daemonsets', ns) },
  // ReplicaSets owned by a Deployment appear under it; only stand-alone ones are listed here.
  { resource: 'replicasets', plural: 'ReplicaSets', icon: 'copy', list: (s, ns) => s.list('replicasets', ns).filter((o) => !controllerOf(o)) },
  { resource: 'jobs', plural: 'Jobs', icon: 'run-all', list: (s, ns) => s.list('jobs', ns).filter((o) => !controllerOf(o)) },
  { resource: 'cronjobs', plural: 'CronJobs', icon: 'watch', list: (s, ns) => s.list('cronjobs', ns) },
  { resource: 'replicationcontrollers', plural: 'ReplicationControllers', icon: 'copy', list: (s, ns) => s.list('replicationcontrollers', ns) },
  // Pods no workload controls, as `kubectl get pods` lists them; a static pod's mirror is "controlled" by its Node,
  // which is no workload, so etcd-…, kube-apiserver-… and the like are listed here.
  { resource: 'pods', plural: 'Pods', icon: 'symbol-namespace', list: (s, ns) => s.list('pods', ns).filter((o) => (controllerOf(o)?.kind ?? 'Node') === 'Node') },
];

/**
 * A static pod's mirror in the API, as the kubelet marks it (pkg/kubelet/pod/mirror_client.go, IsMirrorPod: the
 * `kubernetes.io/config.mirror` annotation).
 */
export function isMirrorPod(p: KObject): boolean {
  return p.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
}

const FILTERED = new Set(['replicasets', 'jobs', 'pods']);
export const WORKLOAD_KINDS: WorkloadKind[] = kinds.map((k) => ({
  ...k,
  count: FILTERED.has(k.resource) ? (s, ns) => k.list(s, ns).length : (s, ns) => s.count(k.resource, ns),
}));

const CONTEXT: Record<string, string> = {
  deployments: 'kubeplay.deployment',
  statefulsets: 'kubeplay.statefulset',
  daemonsets: 'kubeplay.daemonset',
  replicasets: 'kubeplay.replicaset',
  replicationcontrollers: 'kubeplay.replicationcontroller',
  jobs: 'kubeplay.job',
  cronjobs: 'kubeplay.cronjob',
};

/** A workload row (or a pod row) with its owned objects below it. */
export function workloadChildren(ctx: TreeContext, o: KObject, resource: string, parent: TreeNode): TreeNode {
  if (resource === 'pods') return podNode(ctx, o, parent);
  const { t, store } = ctx;
  const { ready, desired } = workloadReady(o);
  const name = o.metadata.name ?? '';
  const revision = o.metadata.annotations?.['deployment.kubernetes.io/revision'];
  const allGood = ready >= desired;
  const node: TreeNode = {
    id: `${parent.id}/${resource}:${name}`,
    label: name,
    parent,
    ref: refOf(o, resource),
    contextValue: CONTEXT[resource] ?? 'kubeplay.object',
    look: workloadLook(o, resource, allGood),
    description:
      (resource === 'replicasets' && revision ? t('rev {0}', revision) + ' · ' : '') +
      (resource === 'cronjobs' ? `${o.spec?.schedule ?? ''}${o.spec?.suspend ? ' · ' + t('suspended') : ''}` :
        resource === 'jobs' ? t('{0}/{1} complete', ready, desired) : t('{0}/{1} ready', ready, desired)) +
      autoscaled(ctx, o),
    tooltip: () => workloadTooltip(ctx, o, resource),
    // Open by default so applying a manifest shows Deployment → ReplicaSet → Pods appearing without clicks.
    expanded: resource === 'deployments' || (resource === 'replicasets' && (o.spec?.replicas ?? 0) > 0 && (o.spec?.replicas ?? 0) <= 100),
  };
  node.children = () => {
    const uid = o.metadata.uid;
    if (resource === 'deployments') {
      return store.owned('replicasets', uid)
        .sort((a, b) => revisionOf(b) - revisionOf(a))
        .map((rs) => workloadChildren(ctx, rs, 'replicasets', node));
    }
    if (resource === 'cronjobs') {
      return store.owned('jobs', uid).map((j) => workloadChildren(ctx, j, 'jobs', node)).sort(byName);
    }
    const pods = store.owned('pods', uid);
    // Under its owner a pod is told apart by the end of its name (`…-4wtq9`, `…-0`), so the status beside it stays in sight.
    const build = (p: KObject, parent: TreeNode) => podNode(ctx, p, parent, false, name);
    if (resource === 'statefulsets') {
      pods.sort((a, b) => ordinal(a.metadata.name ?? '') - ordinal(b.metadata.name ?? ''));
      const claims = statefulSetClaims(store, o).map((pvc) => claimNode(ctx, pvc, node));
      return [...pagedBy(node, pods, (p) => p.metadata.name ?? '', build, undefined, false), ...claims];
    }
    return pagedBy(node, pods, (p) => p.metadata.name ?? '', build);
  };
  return node;
}

/**
 * A pod row. `ownerName`: the workload row it sits under, whose name the pod's
 * repeats (`web-7d4cb59555` → `web-7d4cb59555-4wtq9`); the row then shows only
 * the rest, and the full name is in the tooltip and what a screen reader says.
 */
export function podNode(ctx: TreeContext, p: KObject, parent: TreeNode, showNamespace = false, ownerName?: string): TreeNode {
  const { t } = ctx;
  const s = podStatus(p);
  const name = p.metadata.name ?? '';
  const isolation = podIsolation(ctx, p);
  const short = ownerName && name.length > ownerName.length + 1 && name.startsWith(ownerName + '-') ? '…' + name.slice(ownerName.length) : undefined;
  const description = `${s.reason} · ${t('{0}/{1} ready', s.ready, s.total)}${s.restarts ? ' · ' + t('{0} restarts', s.restarts) : ''}${p.spec?.nodeName && !showNamespace ? ' · ' + p.spec.nodeName : ''}`;
  const label = showNamespace && p.metadata.namespace !== 'default' ? `${p.metadata.namespace}/${name}` : short ?? name;
  return {
    id: `${parent.id}/pod:${p.metadata.namespace}/${name}`,
    label,
    parent,
    ref: refOf(p, 'pods'),
    contextValue: 'kubeplay.pod',
    look: podLook(s),
    description,
    accessibility: `${showNamespace ? label : name}, ${description}`,
    tooltip: () =>
      `**${md(name)}** — ${md(s.reason)}\n\n` +
      `- ${t('Node')}: ${md(p.spec?.nodeName ?? t('<none>'))}\n- IP: ${md(p.status?.podIP ?? t('<none>'))}\n- ${t('Age')}: ${since(p.metadata.creationTimestamp, ctx.now())}\n` +
      (p.spec?.containers ?? []).map((c: any) => `- ${t('Container')} \`${c.name}\`: ${md(c.image)}`).join('\n') +
      stuckText(p) +
      (isolation ? `\n- ${t('NetworkPolicies')}: ${md(isolation)}` : ''),
  };
}

/**
 * Why the pod is not (or no longer) running, in the kubelet's words: the first container, init containers first
 * (one that completed aside), that is waiting or terminated with a reason, as `reason: message` (`ImagePullBackOff: Back-off pulling image
 * "nginx:no-such-tag"`), the line kubectl describe pod prints as State/Reason and the event's message. Built on hover.
 */
function stuckText(p: KObject): string {
  const init = p.status?.initContainerStatuses ?? [];
  for (const cs of [...init, ...(p.status?.containerStatuses ?? [])]) {
    // An init container that ran to its end (exit 0, Completed) is how it should be, not a reason.
    const st = cs.state?.waiting ?? (init.includes(cs) && cs.state?.terminated?.exitCode === 0 ? undefined : cs.state?.terminated);
    if (!st?.reason) continue;
    return `\n- \`${cs.name}\`: ${md(st.reason)}${st.message ? `: ${md(st.message)}` : ''}`;
  }
  return '';
}

/** The HorizontalPodAutoscaler that scales this workload, if any. */
function autoscalerOf(ctx: TreeContext, o: KObject): KObject | undefined {
  return ctx.store.list('horizontalpodautoscalers', o.metadata.namespace ?? '')
    .find((x) => x.spec?.scaleTargetRef?.kind === o.kind && x.spec?.scaleTargetRef?.name === o.metadata.name);
}

/** ` · HPA 1–10, cpu: 45%/50%` when a HorizontalPodAutoscaler scales this workload. */
function autoscaled(ctx: TreeContext, o: KObject): string {
  const h = autoscalerOf(ctx, o);
  if (!h) return '';
  const range = `${h.spec?.minReplicas ?? 1}–${h.spec?.maxReplicas ?? '?'}`;
  return ' · ' + ctx.t('HPA {0}, {1}', range, formatHpaMetrics(h.spec?.metrics ?? [], h.status?.currentMetrics ?? []));
}

/** Controllers converge (green when there, spinning yellow on the way); Jobs finish or fail; CronJobs wait. */
function workloadLook(o: KObject, resource: string, allGood: boolean) {
  const cond = (type: string) => (o.status?.conditions ?? []).some((c: any) => c.type === type && c.status === 'True');
  if (resource === 'cronjobs') return o.spec?.suspend ? { icon: 'debug-pause', color: 'disabledForeground' } : { icon: 'watch', color: (o.status?.active ?? []).length ? 'charts.blue' : undefined };
  if (resource === 'jobs') {
    if (cond('Failed')) return { icon: 'error', color: 'charts.red' };
    if (cond('Complete')) return { icon: 'pass-filled', color: 'charts.green' };
    return { icon: 'sync~spin', color: 'charts.blue' };
  }
  return allGood ? { icon: 'pass-filled', color: 'charts.green' } : { icon: 'sync~spin', color: 'charts.yellow' };
}

function claimNode(ctx: TreeContext, pvc: KObject, parent: TreeNode): TreeNode {
  return {
    id: `${parent.id}/pvc:${pvc.metadata.name}`,
    label: pvc.metadata.name ?? '',
    parent,
    ref: refOf(pvc, 'persistentvolumeclaims'),
    contextValue: 'kubeplay.object',
    look: { icon: 'database', color: pvc.status?.phase === 'Bound' ? 'charts.green' : 'charts.yellow' },
    description: `${pvc.status?.phase ?? 'Pending'}${pvc.spec?.volumeName ? ' → ' + pvc.spec.volumeName : ''}`,
  };
}

/** PVCs a StatefulSet's claim templates produce: `<template>-<set>-<ordinal>`. */
export function statefulSetClaims(store: ClusterStore, sts: KObject): KObject[] {
  const ns = sts.metadata.namespace;
  const prefixes = (sts.spec?.volumeClaimTemplates ?? []).map((t: any) => `${t.metadata?.name}-${sts.metadata.name}-`);
  return store
    .list('persistentvolumeclaims', ns)
    .filter((c) => prefixes.some((p: string) => (c.metadata.name ?? '').startsWith(p) && /^\d+$/.test((c.metadata.name ?? '').slice(p.length))))
    .sort((a, b) => ordinal(a.metadata.name ?? '') - ordinal(b.metadata.name ?? ''));
}

function ordinal(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : 0;
}

function revisionOf(rs: KObject): number {
  return Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0);
}

function workloadTooltip(ctx: TreeContext, o: KObject, resource: string): string {
  const { t } = ctx;
  const lines = [`**${md(o.kind ?? resource)} ${md(o.metadata.name)}**`, ''];
  const images = (o.spec?.template?.spec?.containers ?? o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []).map((c: any) => c.image);
  if (images.length) lines.push(`- ${t('Images')}: ${images.map(md).join(', ')}`);
  lines.push(`- ${t('Age')}: ${since(o.metadata.creationTimestamp, ctx.now())}`);
  for (const c of o.status?.conditions ?? []) lines.push(`- ${md(c.type)}: ${md(c.status)}${c.reason ? ` (${md(c.reason)})` : ''}`);
  const h = autoscalerOf(ctx, o);
  if (h) {
    lines.push(`- ${t('Autoscaled by {0}: {1}–{2} replicas, {3}', `HorizontalPodAutoscaler ${md(h.metadata.name)}`, h.spec?.minReplicas ?? 1, h.spec?.maxReplicas ?? '?',
      md(formatHpaMetrics(h.spec?.metrics ?? [], h.status?.currentMetrics ?? [])))}`);
  }
  return lines.join('\n');
}
