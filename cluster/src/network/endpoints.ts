/**
 * The EndpointSlice controller (endpointslice-controller.k8s.io) and the
 * Endpoints controller: for every Service with a selector, the pods it
 * selects that have an IP become endpoints with ready/serving/terminating
 * conditions, nodeName, targetRef and (for StatefulSet-style pods whose
 * subdomain names the Service) hostname. Slices are named
 * `<service>-<5 random chars>` and hold at most 100 endpoints.
 */
import { labelSelectorMatches } from '../../../kube/src/labels';
import type { Component, ComponentContext, KObject, WriteOptions } from '../contract';
import type { Actor } from '../auth/identities';
import { WorkQueue } from '../runtime/queue';
import { informerFor } from '../runtime/informer';
import { deepEqual, rfc3339 as isoTime } from '../runtime/objects';
import { GVRS, objKey, ObjectCache } from '../scheduler/watch';

export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS_PER_SLICE = 100;
const COMPONENT = 'endpointslice-controller';

const podReady = (p: KObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** targetPort as a number for this pod: names are looked up among its container ports. */
export function resolveTargetPort(port: any, pod: KObject): number | undefined {
  const t = port.targetPort ?? port.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(String(t))) return Number(t);
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === t && (cp.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) return cp.containerPort;
  }
  return undefined;
}

export class EndpointsController implements Component {
  readonly name = COMPONENT;
  private services?: ObjectCache;
  private pods?: ObjectCache;
  private slices?: ObjectCache;
  /** Nodes, for an endpoint's zone (the node's topology.kubernetes.io/zone label). */
  private nodes?: ObjectCache;
  private queue: WorkQueue;

  /** `endpointsWriter`: who writes the Endpoints objects (upstream's separate endpoint-controller); the slices go as ctx's. */
  private readonly endpointsOpts: WriteOptions | undefined;

  constructor(private ctx: ComponentContext, endpointsWriter?: Actor) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { batch: 200 });
    this.endpointsOpts = endpointsWriter ? Object.freeze({ actor: endpointsWriter }) : undefined;
  }

  start(): void {
    this.slices = new ObjectCache(this.ctx.api, GVRS.endpointSlices, (_t, s) => {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (svc && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY) this.queue.add(`${s.metadata.namespace}/${svc}`);
    }).start();
    this.slices.addIndex('service', (s) => {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      return svc ? [`${s.metadata.namespace}/${svc}`] : [];
    });
    this.services = new ObjectCache(this.ctx.api, GVRS.services, (_t, s) => this.queue.add(objKey(s))).start();
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (t, p, old) => {
      // Most namespaces have no Service: their pods' writes are counted off without a list made for each.
      if (!this.services!.count(p.metadata.namespace)) return;
      if (t === 'MODIFIED' && old && !this.relevantChange(old, p)) return;
      for (const s of this.services!.list(p.metadata.namespace)) {
        const sel = s.spec?.selector;
        if (!sel || !Object.keys(sel).length) continue;
        if (labelSelectorMatches({ matchLabels: sel }, p.metadata.labels) || (old && labelSelectorMatches({ matchLabels: sel }, old.metadata.labels))) this.queue.add(objKey(s));
      }
    }).start();
    // Status writes keep the labels instance, so most updates skip rebuilding the label strings.
    informerFor(this.ctx, GVRS.pods).addIndex(
      'label',
      (p) => {
        // Index values made straight from the keys: no [key, value] pair per label of each new pod.
        const labels = p.metadata.labels ?? {};
        const keys = Object.keys(labels);
        const out = new Array<string>(keys.length);
        for (let i = 0; i < keys.length; i++) out[i] = `${p.metadata.namespace}/${keys[i]}=${labels[keys[i]]}`;
        return out;
      },
      (a, b) => a.metadata.labels === b.metadata.labels,
    );
  }

  stop(): void {
    this.queue.stop();
    for (const c of [this.services, this.pods, this.slices, this.nodes]) c?.stop();
  }

  private relevantChange(a: KObject, b: KObject): boolean {
    return a.status?.podIP !== b.status?.podIP || podReady(a) !== podReady(b) || a.metadata.deletionTimestamp !== b.metadata.deletionTimestamp
      || a.status?.phase !== b.status?.phase || !deepEqual(a.metadata.labels, b.metadata.labels) || a.spec?.nodeName !== b.spec?.nodeName;
  }

  private selected(svc: KObject): KObject[] {
    const sel: Record<string, string> = svc.spec.selector;
    const [k, v] = Object.entries(sel)[0];
    return this.pods!.byIndex('label', `${svc.metadata.namespace}/${k}=${v}`)
      .filter((p) => labelSelectorMatches({ matchLabels: sel }, p.metadata.labels))
      .filter((p) => p.status?.podIP && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      .sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  private sync(key: string): void {
    const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    const svc = this.services!.get(ns, name);
    const existing = this.slices!.byIndex('service', key).filter((s) => s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MANAGED_BY);
    if (!svc) {
      // The Service is gone: its Endpoints go here, its slices with their owner (garbage collector).
      this.tryDelete(GVRS.endpoints, ns, name);
      return;
    }
    // A Service without a selector gets its Endpoints and slices from someone else (the apiserver keeps the
    // `kubernetes` Service's; users write their own), and neither controller touches them, as upstream's
    // syncService returns at once. ExternalName Services get none (issue 105986).
    if (!svc.spec?.selector || !Object.keys(svc.spec.selector).length || svc.spec.type === 'ExternalName') return;
    const pods = this.selected(svc);
    this.syncSlices(svc, pods, existing);
    this.syncEndpoints(svc, pods);
  }

  private syncSlices(svc: KObject, pods: KObject[], existing: KObject[]): void {
    const ns = svc.metadata.namespace!, name = svc.metadata.name!;
    const publish = !!svc.spec.publishNotReadyAddresses;
    // trafficdist.ReconcileHints: PreferClose, PreferSameZone and PreferSameNode give each ready endpoint a hint
    // for its own zone (and, for PreferSameNode, its node); any other value leaves endpoints without hints.
    const dist = svc.spec.trafficDistribution;
    const closeHints = dist === 'PreferClose' || dist === 'PreferSameZone' || dist === 'PreferSameNode';
    // Group endpoints by their resolved port numbers, as pods may name ports differently.
    const groups = new Map<string, { ports: any[]; endpoints: any[] }>();
    for (const p of pods) {
      const ports = (svc.spec.ports ?? []).map((sp: any) => ({ name: sp.name ?? '', port: resolveTargetPort(sp, p), protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) }))
        .filter((x: any) => x.port !== undefined);
      const gk = JSON.stringify(ports);
      let g = groups.get(gk);
      if (!g) groups.set(gk, (g = { ports, endpoints: [] }));
      const terminating = !!p.metadata.deletionTimestamp;
      const ready = podReady(p);
      // podToEndpoint: publishNotReadyAddresses forces `ready` only; `serving` is the pod's readiness.
      const epReady = publish || (ready && !terminating);
      const ep: any = {
        addresses: [p.status.podIP],
        conditions: { ready: epReady, serving: ready, terminating },
        nodeName: p.spec.nodeName,
        targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid },
      };
      const zone = p.spec.nodeName ? this.nodes!.get(undefined, p.spec.nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'] : undefined;
      if (zone) ep.zone = zone;
      if (p.spec.hostname && p.spec.subdomain === name) ep.hostname = p.spec.hostname;
      if (closeHints && epReady) {
        const hints: any = {};
        if (zone) hints.forZones = [{ name: zone }];
        if (dist === 'PreferSameNode' && p.spec.nodeName) hints.forNodes = [{ name: p.spec.nodeName }];
        if (hints.forZones || hints.forNodes) ep.hints = hints;
      }
      g.endpoints.push(ep);
    }
    if (!groups.size) groups.set('[]', { ports: (svc.spec.ports ?? []).length ? [] : [], endpoints: [] });
    const wanted: Array<{ ports: any[]; endpoints: any[] }> = [];
    for (const g of groups.values()) {
      for (let i = 0; i < Math.max(1, g.endpoints.length); i += MAX_ENDPOINTS_PER_SLICE) wanted.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), 'endpointslice.kubernetes.io/managed-by': MANAGED_BY, 'kubernetes.io/service-name': name };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    // An empty list comes back from storage as null (protobuf keeps no empty list), so the placeholder slice of a
    // Service without endpoints reads `endpoints: null`, as upstream serves it.
    const bodies = wanted.map((w) => ({ addressType: 'IPv4', endpoints: w.endpoints.length ? w.endpoints : null, ports: w.ports.length ? w.ports : null }));
    reconcileSlices(this.ctx, {
      namespace: ns, name, labels, existing,
      owner: { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid! },
      retry: () => this.queue.addRateLimited(`${ns}/${name}`),
      log: (verb, slice, body) => this.ctx.log(COMPONENT, verb === 'created'
        ? `created EndpointSlice ${ns}/${slice} for Service ${name}: ${this.summary(body.endpoints)}`
        : `updated EndpointSlice ${ns}/${slice}: ${this.summary(body.endpoints)}`),
    }, bodies);
  }

  /** core/v1 Endpoints: ready addresses, notReadyAddresses, no terminating pods (unless published). */
  private syncEndpoints(svc: KObject, pods: KObject[]): void {
    const ns = svc.metadata.namespace!, name = svc.metadata.name!;
    const publish = !!svc.spec.publishNotReadyAddresses;
    const subsets = new Map<string, any>();
    for (const p of pods) {
      if (p.metadata.deletionTimestamp && !publish) continue;
      const ports = (svc.spec.ports ?? []).map((sp: any) => ({ ...(sp.name ? { name: sp.name } : {}), port: resolveTargetPort(sp, p), protocol: sp.protocol ?? 'TCP' })).filter((x: any) => x.port !== undefined);
      const k = JSON.stringify(ports);
      let s = subsets.get(k);
      if (!s) subsets.set(k, (s = { addresses: [], notReadyAddresses: [], ports }));
      const addr: any = { ip: p.status.podIP, nodeName: p.spec.nodeName, targetRef: { kind: 'Pod', namespace: ns, name: p.metadata.name, uid: p.metadata.uid } };
      if (p.spec.hostname && p.spec.subdomain === name) addr.hostname = p.spec.hostname;
      (publish || podReady(p) ? s.addresses : s.notReadyAddresses).push(addr);
    }
    // RepackSubsets sorts each subset's addresses (LessEndpointAddress: the IP's bytes, then the pod's uid).
    const byIp = (a: any, b: any) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.targetRef.uid < b.targetRef.uid ? -1 : a.targetRef.uid > b.targetRef.uid ? 1 : 0);
    const list = [...subsets.values()].map((s) => ({
      ...(s.addresses.length ? { addresses: s.addresses.sort(byIp) } : {}),
      ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.sort(byIp) } : {}),
      ports: s.ports,
    }));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    // An empty label map is left out of the object, as Go's omitempty leaves it.
    let cur: KObject | undefined;
    try { cur = this.ctx.api.get(GVRS.endpoints, ns, name); } catch { cur = undefined; }
    const annotations = { 'endpoints.kubernetes.io/last-change-trigger-time': isoTime(this.ctx.clock.now()) };
    try {
      if (!cur) {
        const metadata = Object.keys(labels).length ? { name, namespace: ns, labels, annotations } : { name, namespace: ns, annotations };
        this.ctx.api.create(GVRS.endpoints, ns, { apiVersion: 'v1', kind: 'Endpoints', metadata, ...(list.length ? { subsets: list } : {}) }, this.endpointsOpts);
      } else if (!deepEqual(cur.subsets ?? [], list) || !deepEqual(cur.metadata.labels ?? {}, labels)) {
        const next: KObject = { ...cur, metadata: { ...cur.metadata, labels, annotations: { ...(cur.metadata.annotations ?? {}), ...annotations } } };
        if (!Object.keys(labels).length) delete next.metadata.labels;
        if (list.length) next.subsets = list; else delete next.subsets;
        this.ctx.api.update(GVRS.endpoints, ns, next, this.endpointsOpts);
      }
    } catch { /* retried on the next change */ }
  }

  private summary(eps: any[] | null): string {
    if (!eps) return '0 endpoint(s), 0 ready';
    const ready = eps.filter((e) => e.conditions.ready).length;
    return `${eps.length} endpoint(s), ${ready} ready`;
  }

  private tryDelete(gvr: typeof GVRS.endpointSlices, ns: string, name: string): void {
    try { this.ctx.api.delete(gvr, ns, name, gvr === GVRS.endpoints ? this.endpointsOpts : undefined); } catch { /* gone */ }
  }
}

/** The body of one EndpointSlice: what a controller wants it to hold. */
export interface SliceBody { addressType: string; endpoints: any[] | null; ports: any[] | null }

export interface SliceOwner {
  namespace: string;
  /** The Service's name: the slices' `<name>-<5 random chars>` prefix. */
  name: string;
  labels: Record<string, string>;
  /** The slices this controller manages for the Service now. */
  existing: KObject[];
  /** The object the slices belong to (the Service, or the Endpoints mirrored). */
  owner: { apiVersion: string; kind: string; name: string; uid: string };
  /** Called when a write fails, to try the key again later. */
  retry(): void;
  log?(verb: 'created' | 'updated', slice: string, body: SliceBody): void;
}

/**
 * Makes a controller's slices hold `bodies`, one slice each, as the
 * EndpointSlice and mirroring controllers' reconcilers do: the existing
 * slices (by name) are updated in place where they differ, the rest are
 * created with generateName, and slices left over are deleted.
 */
export function reconcileSlices(ctx: ComponentContext, o: SliceOwner, bodies: SliceBody[]): void {
  const pool = [...o.existing].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  for (const body of bodies) {
    const cur = pool.shift();
    if (cur) {
      if (deepEqual(cur.endpoints?.length ? cur.endpoints : null, body.endpoints?.length ? body.endpoints : null) && deepEqual(cur.ports ?? null, body.ports) && deepEqual(cur.metadata.labels, o.labels)) continue;
      try {
        ctx.api.update(GVRS.endpointSlices, o.namespace, { ...cur, metadata: { ...cur.metadata, labels: o.labels }, ...body });
        o.log?.('updated', cur.metadata.name!, body);
      } catch { o.retry(); }
      continue;
    }
    try {
      const created = ctx.api.create(GVRS.endpointSlices, o.namespace, {
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: {
          generateName: `${o.name}-`, namespace: o.namespace, labels: o.labels,
          ownerReferences: [{ ...o.owner, controller: true, blockOwnerDeletion: true }],
        },
        ...body,
      }).object;
      o.log?.('created', created.metadata.name!, body);
    } catch { o.retry(); }
  }
  for (const extra of pool) {
    try { ctx.api.delete(GVRS.endpointSlices, o.namespace, extra.metadata.name!); } catch { /* gone */ }
  }
}
