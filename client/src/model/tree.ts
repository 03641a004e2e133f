import { ClusterStore } from './store';
import { byName, md, paged, pagedBy, TreeNode } from './node';
import { KObject, ObjRef, refOf } from './types';
import { podLook, podStatus, workloadReady, nodeReady } from './status';
import { cpuMilli, formatBytes, quantityValue, since } from './format';
import { formatQuantity } from '../../../kube/src/quantity';
import { workloadChildren, podNode, isMirrorPod, WORKLOAD_KINDS } from './treeWorkloads';
import { policyGroups } from './treePolicy';
import { networkGroups } from './treeNetwork';

/** Localizer: the extension passes vscode.l10n.t; tests pass a plain formatter. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

export const plainT: Translate = (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

/** What the tree knows beyond the objects: where it points and, on the playground, the simulation's figures. */
export interface TreeContext {
  store: ClusterStore;
  t: Translate;
  /** "now" for ages: simulated time on the playground, wall time on a real cluster. */
  now(): number;
  target: { kind: 'playground' | 'context'; name: string; connected: boolean; error?: string };
  stats?: {
    time: number;
    speed: number;
    paused: boolean;
    components: Record<string, Record<string, number>>;
  };
}

/**
 * The Cluster view as pure data: target, Control plane, Nodes, Namespaces
 * and PersistentVolumes at the root, everything below computed on demand.
 */
export class TreeModel {
  constructor(readonly ctx: TreeContext) {}

  roots(): TreeNode[] {
    const { t, target, stats } = this.ctx;
    const nodes: TreeNode[] = [];
    const targetNode: TreeNode = {
      id: 'target',
      label: target.kind === 'playground' ? t('Playground') : t('Context: {0}', target.name),
      contextValue: 'kubeplay.target',
      look: { icon: target.connected ? 'plug' : 'debug-disconnect', color: target.connected ? 'charts.green' : 'charts.red' },
      description: target.error ? target.error : stats ? simulatedTime(t, stats) : target.connected ? t('connected') : t('connecting…'),
      tooltip: () => target.kind === 'playground' ? t('The simulated cluster running on this machine') : t('Kubeconfig context {0}', target.name),
    };
    // The learner's own objects first; the control plane below, closed until asked for.
    nodes.push(targetNode, this.namespacesGroup(), this.nodesGroup());
    if (stats) nodes.push(this.controlPlane());
    nodes.push(this.pvGroup());
    return nodes;
  }

  /**
   * The seed's component list, always in the same order, each with what it
   * has done: one headline figure in the row, every counter (named in words)
   * in the tooltip. Counters the playground reports are filed under the
   * component they belong to; the controller-manager opens to its controllers.
   */
  private controlPlane(): TreeNode {
    const { t } = this.ctx;
    const group: TreeNode = { id: 'cp', label: t('Control plane'), look: { icon: 'server-process' }, contextValue: 'kubeplay.controlPlane' };
    group.children = () => {
      const comps = this.ctx.stats?.components ?? {};
      const members = new Map<string, string[]>(CONTROL_PLANE.map((c) => [c.name, []]));
      const planeNodes = controlPlaneNodes(this.ctx.store);
      for (const name of Object.keys(comps).sort()) members.get(componentOf(name))!.push(name);
      return CONTROL_PLANE.filter((c) => c.name !== 'other' || members.get('other')!.length).map((c) => {
        const names = members.get(c.name)!;
        // A component's own entry (the controller-manager's `syncs`) already sums its members'.
        const own = comps[c.name] ?? {};
        const counters: Record<string, number> = { ...own };
        for (const n of names) if (n !== c.name) for (const [k, v] of Object.entries(comps[n])) if (!(k in own)) counters[k] = (counters[k] ?? 0) + v;
        const entries = Object.entries(counters);
        const head = HEADLINE[c.name];
        // etcd, the apiserver, the controller-manager and the scheduler run as static pods: the row stands for the
        // mirror pod, with its Describe / Show Logs (kubeadm names it `<component>-<node>`, labelled component=<name>).
        const pod = staticPodOf(this.ctx.store, c.name, planeNodes);
        const node: TreeNode = {
          id: `cp/${c.name}`,
          label: c.name,
          parent: group,
          look: { icon: c.icon, color: entries.length ? 'charts.green' : undefined },
          ...(pod ? { ref: refOf(pod, 'pods'), contextValue: 'kubeplay.component.pod' } : { contextValue: 'kubeplay.component' }),
          description: !entries.length ? t('idle') : head && head.counter in counters ? t(head.text, counters[head.counter]) : counterText(t, entries[0][0], entries[0][1]),
          tooltip: () => `**${md(c.name)}** — ${t(c.role)}\n\n` + (pod ? `- ${t('Pod')}: ${md(`${pod.metadata.namespace}/${pod.metadata.name}`)} — ${md(podStatus(pod).reason)}\n\n` : '') + (entries.length ? `| ${t('counter')} | ${t('value')} |\n|---|---:|\n` + entries.map(([k, v]) => `| ${md(counterName(t, k))} | ${v} |`).join('\n') : ''),
        };
        if (names.length > 1 || (names.length === 1 && names[0] !== c.name)) {
          node.children = () =>
            names.map((n) => ({
              id: `${node.id}/${n}`,
              label: n,
              parent: node,
              look: { icon: 'gear' },
              description: Object.entries(comps[n]).map(([k, v]) => counterText(t, k, v)).join(' · '),
            }));
        }
        return node;
      });
    };
    return group;
  }

  private nodesGroup(): TreeNode {
    const { t, store } = this.ctx;
    const list = store.list('nodes');
    const ready = list.filter((n) => nodeReady(n) === 'True').length;
    const group: TreeNode = {
      id: 'nodes',
      label: t('Nodes'),
      description: t('{0}/{1} ready', ready, list.length),
      look: { icon: 'server' },
      contextValue: 'kubeplay.nodes',
      expanded: true,
    };
    group.children = () => paged(group, store.list('nodes').map((n) => this.nodeNode(n, group)).sort(byName));
    return group;
  }

  nodeNode(n: KObject, parent: TreeNode): TreeNode {
    const { t, store } = this.ctx;
    const name = n.metadata.name ?? '';
    const pods = store.podsOnNode(name).filter((p) => !['Succeeded', 'Failed'].includes(p.status?.phase));
    const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
    let cpu = 0;
    let mem = 0;
    for (const p of pods) {
      const r = podRequests(p);
      cpu += r.cpu;
      mem += r.mem;
    }
    const ready = nodeReady(n);
    const cordoned = !!n.spec?.unschedulable;
    const node: TreeNode = {
      id: `${parent.id}/node:${name}`,
      label: name,
      parent,
      ref: refOf(n, 'nodes'),
      contextValue: cordoned ? 'kubeplay.node.cordoned' : 'kubeplay.node',
      look: ready === 'True' ? { icon: cordoned ? 'debug-pause' : 'vm-active', color: cordoned ? 'charts.yellow' : 'charts.green' } : { icon: 'vm-outline', color: 'charts.red' },
      // kubectl get nodes' STATUS alone (Ready, NotReady, Unknown; `,SchedulingDisabled` when cordoned): at the default
      // side-bar width nothing after it would show. The pods against the node's limit are on the Pods row below, and
      // with cpu and memory in the tooltip.
      description: nodeStatusText(ready, cordoned),
      tooltip: () =>
        `**${md(name)}** — ${md(nodeStatusText(ready, cordoned))}\n\n` +
        `- ${t('cpu {0}/{1} · mem {2}/{3} · pods {4}/{5}', formatQuantity(cpu / 1000, 'cpu'), formatQuantity(cpuMilli(alloc.cpu) / 1000, 'cpu'), formatBytes(mem), formatBytes(quantityValue(alloc.memory)), pods.length, alloc.pods ?? '?')}\n` +
        // Labels in the user's language, as the pod tooltip's; values as the API has them. `<none>` escaped, or
        // the Markdown hover reads it as an HTML tag and drops it.
        `- ${t('Unschedulable')}: ${cordoned}\n` +
        `- ${t('Taints')}: ${(n.spec?.taints ?? []).length ? (n.spec.taints as any[]).map((x) => '`' + `${x.key}${x.value ? '=' + x.value : ''}:${x.effect}`.replace(/`/g, "'") + '`').join(', ') : md(t('<none>'))}\n` +
        (n.status?.conditions ?? []).map((c: any) => `- ${conditionLine(c)}`).join('\n'),
    };
    node.children = () => {
      const conds: TreeNode = { id: `${node.id}/conditions`, label: t('Conditions'), parent: node, look: { icon: 'checklist' } };
      conds.children = () =>
        (n.status?.conditions ?? []).map((c: any) => ({
          id: `${conds.id}/${c.type}`,
          label: c.type,
          parent: conds,
          description: `${c.status}${c.reason ? ' · ' + c.reason : ''}`,
          tooltip: () => md(c.message ?? ''),
          look: conditionLook(c.type, c.status),
        }));
      const podsGroup: TreeNode = { id: `${node.id}/pods`, label: t('Pods'), description: `${pods.length}/${alloc.pods ?? '?'}`, parent: node, look: { icon: 'symbol-namespace' } };
      podsGroup.children = () => pagedBy(podsGroup, store.podsOnNode(name), (p) => `${p.metadata.namespace}/${p.metadata.name}`, (p, parent) => podNode(this.ctx, p, parent, true));
      return [conds, podsGroup];
    };
    return node;
  }

  private namespacesGroup(): TreeNode {
    const { t, store } = this.ctx;
    const group: TreeNode = { id: 'ns', label: t('Namespaces'), look: { icon: 'folder-library' }, expanded: true, contextValue: 'kubeplay.namespaces' };
    group.children = () =>
      store.namespaces().map((ns) => {
        const nsObj = store.get('namespaces', undefined, ns);
        const node: TreeNode = {
          id: `ns/${ns}`,
          label: ns,
          parent: group,
          ref: nsObj ? refOf(nsObj, 'namespaces') : { apiVersion: 'v1', kind: 'Namespace', resource: 'namespaces', name: ns },
          contextValue: 'kubeplay.namespace',
          look: { icon: 'folder' },
          description: podCount(t, store.count('pods', ns)),
          expanded: ns === 'default',
        };
        node.children = () => this.namespaceChildren(ns, node);
        return node;
      });
    return group;
  }

  private namespaceChildren(ns: string, parent: TreeNode): TreeNode[] {
    const { t, store } = this.ctx;
    const workloads: TreeNode = { id: `${parent.id}/workloads`, label: t('Workloads'), parent, look: { icon: 'layers' }, expanded: true };
    workloads.children = () => {
      const kinds = WORKLOAD_KINDS.map((k) => ({ k, n: k.count(store, ns) })).filter(({ n }) => n > 0).map(({ k, n }) => {
        const g: TreeNode = { id: `${workloads.id}/${k.resource}`, label: t(k.plural), parent: workloads, look: { icon: k.icon }, description: String(n), expanded: true };
        g.children = () => pagedBy(g, k.list(store, ns), (o) => o.metadata.name ?? '', (o, parent) => workloadChildren(this.ctx, o, k.resource, parent));
        return g;
      });
      // The group stays open where Apply shows what it made; with nothing in it, a row says so and what to do.
      if (kinds.length) return kinds;
      return [{ id: `${workloads.id}/none`, label: t('No workloads'), parent: workloads, look: { icon: 'info' }, description: t('apply a manifest to add one') }];
    };
    const groups = [workloads, ...networkGroups(this.ctx, ns, parent), ...policyGroups(this.ctx, ns, parent)];
    const events: TreeNode = { id: `${parent.id}/events`, label: t('Events'), parent, look: { icon: 'history' }, description: String(store.count('events', ns)) };
    events.children = () => {
      const sorted = store.list('events', ns).sort(newestFirst);
      const now = this.ctx.now();
      const age = (e: KObject) => since(new Date(eventTime(e)).toISOString(), now);
      // Pages say which stretch of time they hold: "newest 100  5s – 3m", "older 101–200  3m – 1h".
      const pageText = (slice: KObject[], start: number) => ({
        label: start === 0 ? t('newest {0}', slice.length) : t('older {0}–{1}', start + 1, start + slice.length),
        description: `${age(slice[0])} – ${age(slice[slice.length - 1])}`,
      });
      return pagedBy(events, sorted, (e) => e.reason ?? '', (e, parent) => eventNodes(this.ctx, [e], parent)[0], undefined, false, pageText);
    };
    groups.push(events);
    return groups;
  }

  private pvGroup(): TreeNode {
    const { t, store } = this.ctx;
    const group: TreeNode = { id: 'pvs', label: t('PersistentVolumes'), look: { icon: 'database' }, description: String(store.count('persistentvolumes')) };
    group.children = () =>
      paged(group, store.list('persistentvolumes').map((pv) => ({
        id: `pvs/${pv.metadata.name}`,
        label: pv.metadata.name ?? '',
        parent: group,
        ref: refOf(pv, 'persistentvolumes'),
        contextValue: 'kubeplay.object',
        look: { icon: 'database', color: pv.status?.phase === 'Bound' ? 'charts.green' : 'charts.yellow' },
        description: `${pv.status?.phase ?? ''} · ${pv.spec?.capacity?.storage ?? ''}${pv.spec?.claimRef ? ` → ${pv.spec.claimRef.namespace}/${pv.spec.claimRef.name}` : ''}`,
      })).sort(byName));
    return group;
  }

  /**
   * The chain of rows from the root down to the row showing `ref`, found by
   * opening only the groups on the way; used to reveal an applied object.
   */
  pathTo(ref: ObjRef): TreeNode[] | undefined {
    const search = (nodes: TreeNode[], depth: number): TreeNode[] | undefined => {
      for (const n of nodes) {
        if (n.ref && n.ref.kind === ref.kind && n.ref.name === ref.name && (n.ref.namespace ?? '') === (ref.namespace ?? '')) return [n];
        if (!n.children || depth === 0 || (n.ref && n.ref.kind !== 'Namespace')) continue;
        if (n.id === 'nodes' || n.id === 'cp') continue;
        if (ref.namespace && n.id.startsWith('ns/') && n.ref?.kind === 'Namespace' && n.ref.name !== ref.namespace) continue;
        const found = search(n.children(), depth - 1);
        if (found) return [n, ...found];
      }
      return undefined;
    };
    return search(this.roots(), 6);
  }
}

/** Requested cpu (millicores) and memory (bytes) of a pod, parsed once per object version. */
const requestsCache = new WeakMap<KObject, { cpu: number; mem: number }>();
function podRequests(p: KObject): { cpu: number; mem: number } {
  let r = requestsCache.get(p);
  if (!r) {
    r = { cpu: 0, mem: 0 };
    for (const c of p.spec?.containers ?? []) {
      r.cpu += cpuMilli(c.resources?.requests?.cpu);
      r.mem += quantityValue(c.resources?.requests?.memory);
    }
    requestsCache.set(p, r);
  }
  return r;
}

export function eventNodes(ctx: TreeContext, events: KObject[], parent: TreeNode): TreeNode[] {
  const sorted = [...events].sort(newestFirst);
  return sorted.map((e) => ({
    id: `${parent.id}/ev:${e.metadata.name}`,
    label: e.reason ?? '',
    parent,
    look: e.type === 'Warning' ? { icon: 'warning', color: 'charts.yellow' } : { icon: 'info', color: 'charts.blue' },
    description: `${since(new Date(eventTime(e)).toISOString(), ctx.now())} · ${e.involvedObject?.kind ?? ''}/${e.involvedObject?.name ?? ''} · ${e.message ?? ''}`,
    tooltip: () => `**${md(e.type)} ${md(e.reason)}** — ${md(e.source?.component ?? e.reportingComponent ?? '')}\n\n${md(e.message)}${(e.series?.count ?? e.count ?? 1) > 1 ? `\n\n×${e.series?.count ?? e.count}` : ''}`,
    contextValue: 'kubeplay.event',
  }));
}

/**
 * Newest first. Events of the same second (timestamps have whole seconds) keep
 * the order they were written in, reversed: by creationTimestamp, then by
 * resourceVersion, so Killing → SuccessfulCreate → Scheduled → Pulled →
 * Created → Started reads the same way every time.
 */
export function newestFirst(a: KObject, b: KObject): number {
  return eventTime(b) - eventTime(a) ||
    (Date.parse(b.metadata.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata.creationTimestamp ?? '') || 0) ||
    compareResourceVersions(b.metadata.resourceVersion, a.metadata.resourceVersion);
}

/** resourceVersions are opaque strings; the ones etcd (and the playground) hand out are integers, compared as such. */
function compareResourceVersions(a: string | undefined, b: string | undefined): number {
  const x = a ?? '';
  const y = b ?? '';
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function podCount(t: Translate, n: number): string {
  return n === 1 ? t('1 pod') : t('{0} pods', n);
}

export function eventTime(e: KObject): number {
  return Date.parse(e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '') || 0;
}

function simulatedTime(t: Translate, s: NonNullable<TreeContext['stats']>): string {
  const time = new Date(s.time).toISOString().slice(11, 19);
  return s.paused ? t('simulated {0} · paused', time) : t('simulated {0} · {1}×', time, s.speed);
}

/** The control plane as the seed lists it; `role` is shown in the tooltip. */
export const CONTROL_PLANE = [
  { name: 'etcd', icon: 'database', role: 'stores the whole state of the cluster' },
  { name: 'kube-apiserver', icon: 'globe', role: 'the only entry point for operations on resources: authentication, validation, admission' },
  { name: 'kube-controller-manager', icon: 'gear', role: 'keeps the cluster in its desired state: replication, rollouts, node failures' },
  { name: 'kube-scheduler', icon: 'calendar', role: 'places each pod on a node' },
  { name: 'kubelet', icon: 'vm', role: 'runs the containers of the pods on its node' },
  { name: 'kube-proxy', icon: 'arrow-swap', role: 'service discovery and load balancing inside the cluster' },
  { name: 'kube-dns', icon: 'symbol-key', role: 'DNS for services and pods' },
  { name: 'other', icon: 'ellipsis', role: 'other counters' },
];

/** The one figure a component's row shows; the rest are in its tooltip. */
export const HEADLINE: Record<string, { counter: string; text: string }> = {
  etcd: { counter: 'objects', text: '{0} objects' },
  'kube-apiserver': { counter: 'requests', text: '{0} requests' },
  'kube-controller-manager': { counter: 'syncs', text: '{0} syncs' },
  'kube-scheduler': { counter: 'scheduled', text: '{0} scheduled' },
  kubelet: { counter: 'pods', text: '{0} pods started' },
};

/** The playground's counters in words (translated); an unknown one shows as reported. */
export const COUNTER_NAMES: Record<string, string> = {
  objects: 'objects stored',
  revision: 'revision',
  requests: 'requests',
  get: 'get',
  list: 'list',
  watch: 'watch',
  create: 'create',
  update: 'update',
  patch: 'patch',
  delete: 'delete',
  recorded: 'events recorded',
  repeated: 'events repeated',
  syncs: 'syncs',
  podsCreated: 'pods created',
  podsDeleted: 'pods deleted',
  deleted: 'objects deleted',
  evicted: 'pods evicted',
  nodesNotReady: 'nodes marked NotReady',
  scheduled: 'pods scheduled',
  unschedulable: 'scheduling failures',
  preempted: 'pods preempted',
  provisioned: 'volumes provisioned',
  bound: 'claims bound',
  nodes: 'nodes registered',
  pods: 'pods started',
  statusUpdates: 'status updates',
};

function counterName(t: Translate, key: string): string {
  return Object.prototype.hasOwnProperty.call(COUNTER_NAMES, key) ? t(COUNTER_NAMES[key]) : key;
}

function counterText(t: Translate, key: string, value: number): string {
  return `${counterName(t, key)} ${value}`;
}

/** Which seed component a reported counter group belongs to. */
export function componentOf(name: string): string {
  const n = name.toLowerCase();
  if (n.includes('etcd') || n === 'store') return 'etcd';
  if (n.includes('apiserver') || n === 'events' || n.includes('admission')) return 'kube-apiserver';
  if (n.includes('scheduler')) return 'kube-scheduler';
  if (n.includes('kubelet')) return 'kubelet';
  if (n.includes('proxy')) return 'kube-proxy';
  if (n.includes('dns')) return 'kube-dns';
  if (n.includes('controller') || n.includes('garbage') || n.includes('gc') || n.includes('lifecycle')) return 'kube-controller-manager';
  return 'other';
}
/** A node condition is healthy when Ready is True and any other (MemoryPressure, DiskPressure, …) is False. */
function conditionHealthy(type: string, status: string): boolean {
  return type === 'Ready' ? status === 'True' : status === 'False';
}

function conditionLook(type: string, status: string) {
  return conditionHealthy(type, status) ? { icon: 'pass', color: 'charts.green' } : { icon: 'warning', color: 'charts.red' };
}

/**
 * `Ready: False (KubeletNotReady) — container runtime network not ready: …`: the message, which kubectl describe node
 * prints in its Conditions table, only for a condition out of its healthy state (the healthy ones say the obvious).
 */
function conditionLine(c: any): string {
  const head = `${md(c.type)}: ${md(c.status)}${c.reason ? ` (${md(c.reason)})` : ''}`;
  return !conditionHealthy(c.type, c.status) && c.message ? `${head} — ${md(c.message)}` : head;
}

/** Nodes labelled as kubeadm labels a control-plane node, by name. */
function controlPlaneNodes(store: ClusterStore): string[] {
  return store.list('nodes').filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined).map((n) => n.metadata.name ?? '').sort();
}

/**
 * The mirror pod of a control-plane component's static pod: kubeadm's manifest is named after the component, and the
 * kubelet names a static pod `<name>-<lowercased node name>` (pkg/kubelet/config/common.go, generatePodName) and
 * mirrors it under that name in kube-system, owned by its Node.
 */
function staticPodOf(store: ClusterStore, component: string, nodes: string[]): KObject | undefined {
  for (const node of nodes) {
    const pod = store.get('pods', 'kube-system', `${component}-${node.toLowerCase()}`);
    if (pod && isMirrorPod(pod)) return pod;
  }
  return undefined;
}
export { podLook, podStatus, workloadReady };

/**
 * The STATUS kubectl get nodes prints: the Ready condition's word, with `,SchedulingDisabled` for a cordoned node.
 * In kubectl's words in every locale, so that the row reads as the terminal's `kubectl get nodes` does.
 */
function nodeStatusText(ready: string | undefined, cordoned: boolean): string {
  const word = ready === 'True' ? 'Ready' : ready === 'False' ? 'NotReady' : 'Unknown';
  return cordoned ? `${word},SchedulingDisabled` : word;
}
