import { byName, md, paged, TreeNode } from './node';
import { KObject, refOf } from './types';
import { ingressRoutes } from './forward';
import type { TreeContext } from './tree';

/** Services, Ingresses, ConfigMaps, Secrets and PersistentVolumeClaims of one namespace. */
export function networkGroups(ctx: TreeContext, ns: string, parent: TreeNode): TreeNode[] {
  const { t, store } = ctx;
  const out: TreeNode[] = [];
  const group = (key: string, label: string, icon: string, resource: string, row: (o: KObject, g: TreeNode) => TreeNode) => {
    const count = store.count(resource, ns);
    if (count === 0) return;
    const g: TreeNode = { id: `${parent.id}/${key}`, label, parent, look: { icon }, description: String(count) };
    g.children = () => paged(g, store.list(resource, ns).map((o) => row(o, g)).sort(byName));
    out.push(g);
  };
  group('services', t('Services'), 'globe', 'services', (o, g) => serviceNode(ctx, o, g));
  group('ingresses', t('Ingresses'), 'link', 'ingresses', (o, g) => ingressNode(ctx, o, g));
  group('configmaps', t('ConfigMaps'), 'settings', 'configmaps', (o, g) => keysNode(ctx, o, g, 'configmaps'));
  group('secrets', t('Secrets'), 'lock', 'secrets', (o, g) => keysNode(ctx, o, g, 'secrets'));
  group('pvcs', t('PersistentVolumeClaims'), 'database', 'persistentvolumeclaims', (o, g) => ({
    id: `${g.id}/${o.metadata.name}`,
    label: o.metadata.name ?? '',
    parent: g,
    ref: refOf(o, 'persistentvolumeclaims'),
    contextValue: 'kubeplay.object',
    look: { icon: 'database', color: o.status?.phase === 'Bound' ? 'charts.green' : 'charts.yellow' },
    description: `${o.status?.phase ?? 'Pending'}${o.spec?.volumeName ? ' → ' + o.spec.volumeName : ''} · ${o.spec?.resources?.requests?.storage ?? ''}`,
  }));
  return out;
}

/** A NodePort Service's node ports, and on the playground the localhost URL each answers on (kubeplay serve opens them). */
function nodePortLines(ctx: TreeContext, svc: KObject): string {
  if (svc.spec?.type !== 'NodePort' && svc.spec?.type !== 'LoadBalancer') return '';
  return (svc.spec?.ports ?? [])
    .filter((p: any) => Number.isInteger(p.nodePort))
    .map((p: any) => {
      // kubeplay serve opens the node ports of NodePort Services only (a LoadBalancer stays <pending>).
      const where = ctx.target.kind === 'playground' && svc.spec?.type === 'NodePort' && (p.protocol ?? 'TCP') === 'TCP' ? ` — ${ctx.t('on this machine: {0}', `http://127.0.0.1:${p.nodePort}/`)}` : '';
      return `\n- ${ctx.t('Node port')}: ${p.nodePort}/${p.protocol ?? 'TCP'}${where}`;
    })
    .join('');
}

function serviceNode(ctx: TreeContext, svc: KObject, parent: TreeNode): TreeNode {
  const { t, store } = ctx;
  const name = svc.metadata.name ?? '';
  const ns = svc.metadata.namespace ?? '';
  const node: TreeNode = {
    id: `${parent.id}/${name}`,
    label: name,
    parent,
    ref: refOf(svc, 'services'),
    contextValue: 'kubeplay.service',
    look: { icon: 'globe' },
    description: `${svc.spec?.type ?? 'ClusterIP'} ${svc.spec?.clusterIP ?? ''}`,
    tooltip: () => `**${md(name)}**\n\n- ${t('Selector')}: ${md(Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || t('<none>'))}\n- DNS: \`${name}.${ns}.svc.cluster.local\`` +
      nodePortLines(ctx, svc),
  };
  node.children = () =>
    (svc.spec?.ports ?? []).map((p: any, i: number) => {
      const ends = serviceEndpoints(ctx, svc, p);
      const portNode: TreeNode = {
        id: `${node.id}/port:${i}`,
        label: `${p.name ? p.name + ' ' : ''}${p.port}/${p.protocol ?? 'TCP'} → ${p.targetPort ?? p.port}`,
        parent: node,
        look: { icon: 'plug' },
        description: t('{0} endpoints', ends.length),
      };
      portNode.children = () =>
        ends.map((e, j) => ({
          id: `${portNode.id}/ep:${j}`,
          label: e.address,
          parent: portNode,
          description: `${e.target ?? ''}${e.ready ? '' : ' · ' + t('not ready')}`,
          look: { icon: 'circle-filled', color: e.ready ? 'charts.green' : 'charts.yellow' },
        }));
      return portNode;
    });
  void store;
  return node;
}

/**
 * An Ingress: its class and address, and a row per rule path (plus the
 * default backend) naming the Service port it sends to and how many ready
 * endpoints that port has. On the playground, the tooltip says how to reach
 * a host from this machine: the ingress-nginx controller's NodePort on
 * 127.0.0.1, with the host named by `curl --resolve`.
 */
function ingressNode(ctx: TreeContext, ing: KObject, parent: TreeNode): TreeNode {
  const { t, store } = ctx;
  const name = ing.metadata.name ?? '';
  const ns = ing.metadata.namespace;
  const addresses = (ing.status?.loadBalancer?.ingress ?? []).map((a: any) => a.ip || a.hostname).filter(Boolean).join(',');
  const hosts = [...new Set<string>((ing.spec?.rules ?? []).map((r: any) => r?.host || '*'))];
  const controller = store.list('services', 'ingress-nginx').find((s) => s.metadata.name === 'ingress-nginx-controller');
  const reach = ctx.target.kind === 'playground' ? ingressRoutes(ing, controller).map((r) => `\n- \`${r.curl}\``).join('') : '';
  const node: TreeNode = {
    id: `${parent.id}/${name}`,
    label: name,
    parent,
    ref: refOf(ing, 'ingresses'),
    contextValue: 'kubeplay.object.ingress',
    look: { icon: 'link', color: addresses ? 'charts.green' : 'charts.yellow' },
    description: `${ing.spec?.ingressClassName ?? t('<none>')} · ${addresses || t('no address yet')}`,
    tooltip: () => `**${md(name)}**\n\n- ${t('Class')}: ${md(ing.spec?.ingressClassName ?? t('<none>'))}\n- ${t('Hosts')}: ${md(hosts.join(', ') || '*')}\n- ${t('Address')}: ${md(addresses || t('no address yet'))}${reach}`,
  };
  node.children = () => {
    const rows: { label: string; backend: any }[] = [];
    for (const r of ing.spec?.rules ?? []) for (const p of r?.http?.paths ?? []) rows.push({ label: `${r?.host || '*'}${p?.path || '/'}${p?.pathType === 'Exact' ? '' : ' …'}`, backend: p?.backend });
    if (ing.spec?.defaultBackend) rows.push({ label: t('default backend'), backend: ing.spec.defaultBackend });
    return rows.map((row, i) => {
      const svcName = row.backend?.service?.name;
      const port = row.backend?.service?.port ?? {};
      const svc = svcName ? store.list('services', ns).find((s) => s.metadata.name === svcName) : undefined;
      const sp = (svc?.spec?.ports ?? []).find((p: any) => (port.number !== undefined ? p.port === port.number : p.name === port.name));
      const ready = svc && sp ? serviceEndpoints(ctx, svc, sp).filter((e) => e.ready).length : 0;
      const target = svcName ? `${svcName}:${port.number ?? port.name ?? ''}` : row.backend?.resource ? `${row.backend.resource.kind}/${row.backend.resource.name}` : '';
      return {
        id: `${node.id}/rule:${i}`,
        label: row.label,
        parent: node,
        look: { icon: 'arrow-right', color: ready ? 'charts.green' : 'charts.yellow' },
        description: `→ ${target} · ${!svc && svcName ? t('no such Service') : t('{0} endpoints', ready)}`,
      };
    });
  };
  return node;
}

/** Endpoints of one service port from EndpointSlices (labelled with the service name), falling back to Endpoints. */
export function serviceEndpoints(ctx: TreeContext, svc: KObject, port: any): { address: string; target?: string; ready: boolean }[] {
  const ns = svc.metadata.namespace;
  const slices = ctx.store.list('endpointslices', ns).filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc.metadata.name);
  const out: { address: string; target?: string; ready: boolean }[] = [];
  for (const s of slices) {
    const sp = (s.ports ?? []).find((x: any) => (x.name ?? '') === (port.name ?? '')) ?? (s.ports ?? [])[0];
    for (const e of s.endpoints ?? []) {
      out.push({
        address: `${e.addresses?.[0]}${sp?.port ? ':' + sp.port : ''}`,
        target: e.targetRef ? `${e.targetRef.kind}/${e.targetRef.name}` : undefined,
        ready: e.conditions?.ready !== false,
      });
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : 1));
}

/** ConfigMaps show their keys; Secrets show keys only, never values. */
function keysNode(ctx: TreeContext, o: KObject, parent: TreeNode, resource: string): TreeNode {
  const { t } = ctx;
  const keys = [...Object.keys(o.data ?? {}), ...Object.keys(o.binaryData ?? {}), ...(resource === 'secrets' ? Object.keys(o.stringData ?? {}) : [])].sort();
  const node: TreeNode = {
    id: `${parent.id}/${o.metadata.name}`,
    label: o.metadata.name ?? '',
    parent,
    ref: refOf(o, resource),
    contextValue: resource === 'secrets' ? 'kubeplay.secret' : 'kubeplay.configmap',
    look: { icon: resource === 'secrets' ? 'lock' : 'settings' },
    description: `${resource === 'secrets' ? (o.type ?? 'Opaque') + ' · ' : ''}${t('{0} keys', keys.length)}`,
  };
  node.children = () =>
    keys.map((k) => ({
      id: `${node.id}/key:${k}`,
      label: k,
      parent: node,
      look: { icon: 'key' },
      description: resource === 'secrets' ? t('{0} bytes', secretSize(o, k)) : undefined,
    }));
  return node;
}

function secretSize(o: KObject, k: string): number {
  const v = o.data?.[k];
  if (typeof v === 'string') return Buffer.from(v, 'base64').length;
  return Buffer.byteLength(String(o.stringData?.[k] ?? ''));
}
