/**
 * The cluster as a text tree, and its events as a log tagged with the
 * component that acted: what `npm start` prints so that the pieces of the
 * control plane (scheduler, kubelets, controllers) can be seen at work.
 */
import { english, policyTypesOf, ruleText, selectorText } from '../../kube/src/networkPolicy';
import type { Api, GVR, KObject } from '../../cluster/src/contract';
import { formatQuantity, parseQuantity } from '../../kube/src/quantity';
import { summarizePod } from '../../kube/src/printPod';
import { formatHpaMetrics } from '../../kube/src/printHpa';

const R = (group: string, version: string, resource: string): GVR => ({ group, version, resource });
export const GVRS = {
  nodes: R('', 'v1', 'nodes'),
  namespaces: R('', 'v1', 'namespaces'),
  pods: R('', 'v1', 'pods'),
  services: R('', 'v1', 'services'),
  configmaps: R('', 'v1', 'configmaps'),
  secrets: R('', 'v1', 'secrets'),
  pvcs: R('', 'v1', 'persistentvolumeclaims'),
  pvs: R('', 'v1', 'persistentvolumes'),
  events: R('', 'v1', 'events'),
  endpointslices: R('discovery.k8s.io', 'v1', 'endpointslices'),
  deployments: R('apps', 'v1', 'deployments'),
  replicasets: R('apps', 'v1', 'replicasets'),
  statefulsets: R('apps', 'v1', 'statefulsets'),
  daemonsets: R('apps', 'v1', 'daemonsets'),
  jobs: R('batch', 'v1', 'jobs'),
  cronjobs: R('batch', 'v1', 'cronjobs'),
  hpas: R('autoscaling', 'v2', 'horizontalpodautoscalers'),
  ingresses: R('networking.k8s.io', 'v1', 'ingresses'),
  resourcequotas: R('', 'v1', 'resourcequotas'),
  limitranges: R('', 'v1', 'limitranges'),
  networkpolicies: R('networking.k8s.io', 'v1', 'networkpolicies'),
};

const list = (api: Api, gvr: GVR, ns?: string): KObject[] => api.list(gvr, ns).items;
const ownedBy = (o: KObject, owner: KObject) => (o.metadata.ownerReferences ?? []).some((r) => r.uid === owner.metadata.uid && r.controller);

/** STATUS as kubectl prints it for a pod (upstream's printPod, shared with the apiserver and the editor). */
export function podStatus(p: KObject): string {
  return summarizePod(p).reason || 'Pending';
}

function podLine(p: KObject): string {
  const s = summarizePod(p);
  return `Pod ${p.metadata.name}  ${s.ready}/${s.total} ${s.reason || 'Pending'}${s.restarts ? `  restarts ${s.restarts}` : ''}  ${p.spec?.nodeName ?? '<unscheduled>'}  ${p.status?.podIP ?? ''}`.trimEnd();
}

type Tree = { label: string; children?: Tree[] };

function render(t: Tree, prefix = '', last = true, root = true, out: string[] = []): string[] {
  out.push(root ? t.label : `${prefix}${last ? '└─ ' : '├─ '}${t.label}`);
  const kids = t.children ?? [];
  kids.forEach((k, i) => render(k, root ? '' : prefix + (last ? '   ' : '│  '), i === kids.length - 1, false, out));
  return out;
}

function nodeTree(api: Api): Tree {
  const pods = list(api, GVRS.pods);
  return {
    label: 'Nodes',
    children: list(api, GVRS.nodes).map((n) => {
      const mine = pods.filter((p) => p.spec?.nodeName === n.metadata.name && !['Succeeded', 'Failed'].includes(p.status?.phase));
      let cpu = 0;
      let mem = 0;
      for (const p of mine)
        for (const c of p.spec?.containers ?? []) {
          cpu += safeQ(c.resources?.requests?.cpu);
          mem += safeQ(c.resources?.requests?.memory);
        }
      const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True';
      const a = n.status?.allocatable ?? {};
      const label =
        `Node ${n.metadata.name}  ${ready ? 'Ready' : 'NotReady'}${n.spec?.unschedulable ? ',SchedulingDisabled' : ''}  ` +
        `cpu ${formatQuantity(cpu, 'cpu')}/${a.cpu}  memory ${formatQuantity(mem, 'memory')}/${a.memory}  pods ${mine.length}/${a.pods}`;
      return { label, children: mine.map((p) => ({ label: `${p.metadata.namespace}/${p.metadata.name}  ${podStatus(p)}` })) };
    }),
  };
}

function safeQ(v: unknown): number {
  try {
    return v === undefined ? 0 : parseQuantity(v as string);
  } catch {
    return 0;
  }
}

function namespaceTree(api: Api, ns: string): Tree | undefined {
  const pods = list(api, GVRS.pods, ns);
  const rss = list(api, GVRS.replicasets, ns);
  const kids: Tree[] = [];
  const podsOf = (o: KObject) => pods.filter((p) => ownedBy(p, o)).map((p) => ({ label: podLine(p) }));
  for (const d of list(api, GVRS.deployments, ns)) {
    const s = d.status ?? {};
    kids.push({
      label: `Deployment ${d.metadata.name}  ${s.readyReplicas ?? 0}/${d.spec?.replicas ?? 1} ready, ${s.updatedReplicas ?? 0} up-to-date, ${s.availableReplicas ?? 0} available`,
      children: rss
        .filter((rs) => ownedBy(rs, d))
        .map((rs) => ({
          label: `ReplicaSet ${rs.metadata.name}  revision ${rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? '?'}  ${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0} ready`,
          children: podsOf(rs),
        })),
    });
  }
  for (const rs of rss.filter((r) => !(r.metadata.ownerReferences ?? []).length))
    kids.push({ label: `ReplicaSet ${rs.metadata.name}  ${rs.status?.readyReplicas ?? 0}/${rs.spec?.replicas ?? 0} ready`, children: podsOf(rs) });
  const pvcs = list(api, GVRS.pvcs, ns);
  for (const s of list(api, GVRS.statefulsets, ns)) {
    const mine = pvcs.filter((c) => (s.spec?.volumeClaimTemplates ?? []).some((t: any) => c.metadata.name?.startsWith(`${t.metadata?.name}-${s.metadata.name}-`)));
    kids.push({
      label: `StatefulSet ${s.metadata.name}  ${s.status?.readyReplicas ?? 0}/${s.spec?.replicas ?? 1} ready`,
      children: [...podsOf(s), ...mine.map((c) => ({ label: `PVC ${c.metadata.name}  ${c.status?.phase ?? 'Pending'}${c.spec?.volumeName ? ` → ${c.spec.volumeName}` : ''}` }))],
    });
  }
  for (const d of list(api, GVRS.daemonsets, ns))
    kids.push({ label: `DaemonSet ${d.metadata.name}  ${d.status?.numberReady ?? 0}/${d.status?.desiredNumberScheduled ?? 0} ready`, children: podsOf(d) });
  const jobs = list(api, GVRS.jobs, ns);
  for (const c of list(api, GVRS.cronjobs, ns))
    kids.push({
      label: `CronJob ${c.metadata.name}  schedule "${c.spec?.schedule}"${c.spec?.suspend ? ' (suspended)' : ''}, last run ${c.status?.lastScheduleTime ?? 'never'}`,
      children: jobs.filter((j) => ownedBy(j, c)).map((j) => ({ label: `Job ${j.metadata.name}  ${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1} succeeded`, children: podsOf(j) })),
    });
  for (const j of jobs.filter((j) => !(j.metadata.ownerReferences ?? []).length)) {
    const done = (j.status?.conditions ?? []).find((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
    kids.push({ label: `Job ${j.metadata.name}  ${j.status?.succeeded ?? 0}/${j.spec?.completions ?? 1} succeeded${done ? ` (${done.type})` : ''}`, children: podsOf(j) });
  }
  for (const p of pods.filter((p) => !(p.metadata.ownerReferences ?? []).length)) kids.push({ label: podLine(p) });
  for (const h of list(api, GVRS.hpas, ns)) {
    const ref = h.spec?.scaleTargetRef ?? {};
    const st = h.status ?? {};
    kids.push({ label: `HorizontalPodAutoscaler ${h.metadata.name}  → ${ref.kind}/${ref.name}  ${formatHpaMetrics(h.spec?.metrics ?? [], st.currentMetrics ?? [])}  ${st.currentReplicas ?? 0} replicas (min ${h.spec?.minReplicas ?? 1}, max ${h.spec?.maxReplicas})` });
  }
  const slices = list(api, GVRS.endpointslices, ns);
  for (const s of list(api, GVRS.services, ns)) {
    const eps = slices
      .filter((e) => e.metadata.labels?.['kubernetes.io/service-name'] === s.metadata.name)
      .flatMap((e) => (e.endpoints ?? []).filter((x: any) => x.conditions?.ready !== false).flatMap((x: any) => x.addresses ?? []));
    const ports = (s.spec?.ports ?? []).map((p: any) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
    kids.push({ label: `Service ${s.metadata.name}  ${s.spec?.type ?? 'ClusterIP'} ${s.spec?.clusterIP ?? ''}  ${ports} → ${eps.length ? eps.join(', ') : '<no endpoints>'}` });
  }
  for (const i of list(api, GVRS.ingresses, ns)) {
    const address = (i.status?.loadBalancer?.ingress ?? []).map((a: any) => a.ip || a.hostname).join(',') || '<no address yet>';
    const rules = (i.spec?.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => ({
      label: `${r.host || '*'}${p.path || '/'} → ${p.backend?.service ? `${p.backend.service.name}:${p.backend.service.port?.number ?? p.backend.service.port?.name}` : '?'}`,
    })));
    kids.push({ label: `Ingress ${i.metadata.name}  class ${i.spec?.ingressClassName ?? '<none>'}  ${address}`, children: rules });
  }
  for (const np of list(api, GVRS.networkpolicies, ns)) {
    const types = policyTypesOf(np.spec);
    const rules = (['ingress', 'egress'] as const).filter((d) => types.includes(d === 'ingress' ? 'Ingress' : 'Egress')).flatMap((d) => {
      const list: any[] = np.spec?.[d] ?? [];
      const word = d === 'ingress' ? 'Ingress' : 'Egress';
      return list.length ? list.map((r) => ({ label: `${word} ${ruleText(english, d, r)}` })) : [{ label: `${word}: nothing allowed (isolated)` }];
    });
    kids.push({ label: `NetworkPolicy ${np.metadata.name}  ${selectorText(english, np.spec?.podSelector)}  ${types.join(', ')}`, children: rules });
  }
  for (const q of list(api, GVRS.resourcequotas, ns)) {
    const hard = q.status?.hard ?? {};
    const used = q.status?.used ?? {};
    kids.push({ label: `ResourceQuota ${q.metadata.name}  ${Object.keys(hard).sort().map((k) => `${k} ${used[k] ?? '0'}/${hard[k]}`).join(', ') || '<not counted yet>'}` });
  }
  for (const lr of list(api, GVRS.limitranges, ns)) {
    const rows = (lr.spec?.limits ?? []).flatMap((it: any) => {
      const names = new Set<string>();
      for (const f of ['min', 'max', 'defaultRequest', 'default']) for (const k of Object.keys(it?.[f] ?? {})) names.add(k);
      return [...names].sort().map((k) => ({ label: `${it.type} ${k}: ${[['min', 'min'], ['max', 'max'], ['defaultRequest', 'default request'], ['default', 'default limit']].filter(([f]) => it?.[f]?.[k] !== undefined).map(([f, l]) => `${l} ${it[f][k]}`).join(', ')}` }));
    });
    kids.push({ label: `LimitRange ${lr.metadata.name}`, children: rows });
  }
  for (const c of list(api, GVRS.configmaps, ns)) if (c.metadata.name !== 'kube-root-ca.crt') kids.push({ label: `ConfigMap ${c.metadata.name}  keys: ${Object.keys(c.data ?? {}).join(', ') || '<none>'}` });
  for (const c of list(api, GVRS.secrets, ns)) kids.push({ label: `Secret ${c.metadata.name}  keys: ${Object.keys(c.data ?? {}).join(', ') || '<none>'}` });
  for (const c of pvcs.filter((c) => !kids.some((k) => k.children?.some((x) => x.label.startsWith(`PVC ${c.metadata.name} `)))))
    kids.push({ label: `PVC ${c.metadata.name}  ${c.status?.phase ?? 'Pending'}` });
  return kids.length ? { label: `Namespace ${ns}`, children: kids } : undefined;
}

export function clusterTree(api: Api, title: string): string {
  const nsTrees = list(api, GVRS.namespaces)
    .map((n) => namespaceTree(api, n.metadata.name!))
    .filter((t): t is Tree => !!t);
  const pvs = list(api, GVRS.pvs).map((v) => ({ label: `PV ${v.metadata.name}  ${v.spec?.capacity?.storage ?? ''} ${v.status?.phase ?? ''}${v.spec?.claimRef ? ` ← ${v.spec.claimRef.namespace}/${v.spec.claimRef.name}` : ''}` }));
  const children = [nodeTree(api), ...nsTrees];
  if (pvs.length) children.push({ label: 'PersistentVolumes', children: pvs });
  return render({ label: title, children }).join('\n');
}

/** Who acted, as upstream records it (source, or reportingController for events.k8s.io). */
export function eventActor(e: KObject): string {
  const c = e.source?.component || e.reportingComponent || e.reportingController || 'unknown';
  const host = e.source?.host || e.reportingInstance;
  return host && c === 'kubelet' ? `kubelet on ${host}` : c;
}

export function eventLog(api: Api, since = 0): string[] {
  // Event timestamps have whole seconds.
  const from = Math.floor(since / 1000) * 1000;
  const evs = list(api, GVRS.events).filter((e) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp) >= from);
  // Same second: creation order, which the name's hexadecimal suffix records.
  const seq = (e: KObject) => {
    const hex = e.metadata.name?.slice(e.metadata.name.lastIndexOf('.') + 1) ?? '';
    return /^[0-9a-f]+$/.test(hex) ? BigInt('0x' + hex) : 0n;
  };
  evs.sort((a, b) => {
    const d = Date.parse(a.firstTimestamp ?? a.metadata.creationTimestamp) - Date.parse(b.firstTimestamp ?? b.metadata.creationTimestamp);
    if (d) return d;
    const x = seq(a);
    const y = seq(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const t0 = evs.length ? Date.parse(evs[0].firstTimestamp ?? evs[0].metadata.creationTimestamp) : 0;
  return evs.map((e) => {
    const at = ((Date.parse(e.firstTimestamp ?? e.metadata.creationTimestamp) - t0) / 1000).toFixed(1).padStart(6);
    const obj = `${e.involvedObject?.kind}/${e.involvedObject?.name}`;
    const n = e.series?.count ?? e.count ?? 1;
    const count = n > 1 ? ` (x${n})` : '';
    return `+${at}s  [${eventActor(e)}]  ${e.type === 'Warning' ? 'Warning ' : ''}${e.reason}  ${obj}: ${e.message}${count}`;
  });
}
