/**
 * The EndpointSlice mirroring controller
 * (endpointslicemirroring-controller.k8s.io): the Endpoints someone writes by
 * hand for a Service without a selector (an external database, say) are
 * mirrored into EndpointSlices, so kube-proxy, which reads slices, routes to
 * them. One slice per subset, owned by the Endpoints, labelled with the
 * Service's name and the Endpoints' own labels; `addresses` are ready,
 * `notReadyAddresses` not. Endpoints labelled
 * `endpointslice.kubernetes.io/skip-mirror: "true"` (the apiserver's own
 * `kubernetes` Endpoints) and those of Services with a selector are left out,
 * and their mirrored slices removed.
 */
import type { Component, ComponentContext } from '../contract';
import { WorkQueue } from '../runtime/queue';
import { GVRS, objKey, ObjectCache } from '../scheduler/watch';
import { reconcileSlices, type SliceBody } from './endpoints';

export const MIRRORING_MANAGED_BY = 'endpointslicemirroring-controller.k8s.io';
const COMPONENT = 'endpointslicemirroring-controller';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
/** Endpoints mirrored per subset at most (the controller's --mirroring-max-endpoints-per-subset default). */
const MAX_PER_SUBSET = 1000;

export class EndpointSliceMirroringController implements Component {
  readonly name = COMPONENT;
  private endpoints?: ObjectCache;
  private services?: ObjectCache;
  private slices?: ObjectCache;
  private readonly queue: WorkQueue;

  constructor(private readonly ctx: ComponentContext) {
    this.queue = new WorkQueue(ctx.clock, (k) => this.sync(k), { batch: 200 });
  }

  start(): void {
    this.slices = new ObjectCache(this.ctx.api, GVRS.endpointSlices, (_t, s) => {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      if (svc && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MIRRORING_MANAGED_BY) this.queue.add(`${s.metadata.namespace}/${svc}`);
    }).start();
    this.slices.addIndex('mirrored', (s) => {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      return svc && s.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === MIRRORING_MANAGED_BY ? [`${s.metadata.namespace}/${svc}`] : [];
    });
    this.services = new ObjectCache(this.ctx.api, GVRS.services, (_t, s) => this.queue.add(objKey(s))).start();
    this.endpoints = new ObjectCache(this.ctx.api, GVRS.endpoints, (_t, e) => this.queue.add(objKey(e))).start();
  }

  stop(): void {
    this.queue.stop();
    for (const c of [this.endpoints, this.services, this.slices]) c?.stop();
  }

  private sync(key: string): void {
    const ns = key.slice(0, key.indexOf('/')), name = key.slice(key.indexOf('/') + 1);
    const eps = this.endpoints!.get(ns, name);
    const svc = this.services!.get(ns, name);
    const mirrored = this.slices!.byIndex('mirrored', key);
    const selector = svc?.spec?.selector;
    const wanted = eps && svc && !(selector && Object.keys(selector).length) && eps.metadata.labels?.[SKIP_MIRROR] !== 'true';
    if (!wanted) {
      for (const s of mirrored) this.tryDelete(ns, s.metadata.name!);
      return;
    }
    const labels: Record<string, string> = { ...(eps!.metadata.labels ?? {}), 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': MIRRORING_MANAGED_BY };
    const bodies: SliceBody[] = (eps!.subsets ?? []).map((ss: any) => {
      const ep = (a: any, ready: boolean) => ({
        addresses: [a.ip],
        conditions: { ready },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      });
      const endpoints = [...(ss.addresses ?? []).map((a: any) => ep(a, true)), ...(ss.notReadyAddresses ?? []).map((a: any) => ep(a, false))].slice(0, MAX_PER_SUBSET);
      const ports = (ss.ports ?? []).map((p: any) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));
      return { addressType: 'IPv4', endpoints, ports: ports.length ? ports : null };
    }).filter((b: any) => b.endpoints.length);
    reconcileSlices(this.ctx, {
      namespace: ns, name, labels, existing: mirrored,
      owner: { apiVersion: 'v1', kind: 'Endpoints', name, uid: eps!.metadata.uid! },
      retry: () => this.queue.addRateLimited(key),
      log: (verb, slice) => { if (verb === 'created') this.ctx.log(COMPONENT, `mirrored Endpoints ${ns}/${name} into EndpointSlice ${slice}`); },
    }, bodies);
  }

  private tryDelete(ns: string, name: string): void {
    try { this.ctx.api.delete(GVRS.endpointSlices, ns, name); } catch { /* gone */ }
  }
}

