/**
 * kube-aggregator's APIServices, as kube-apiserver keeps them:
 *
 * - the autoregister controller's sync on start (cmd/kube-apiserver/app/aggregator.go apiServicesToRegister,
 *   pkg/controlplane/apiserver/aggregator.go makeAPIService): one `<version>.<group>` APIService (`v1.` for the
 *   core group) per group-version the apiserver serves and upstream's priority table lists, with `service: null`,
 *   labelled `kube-aggregator.kubernetes.io/automanaged: onstart`; made again on every start when missing, and
 *   removed on start when no longer served;
 * - the availability controllers (kube-aggregator pkg/controllers/status/local and .../remote): a local one is
 *   Available `Local` / `Local APIServices are always available`; one backed by a Service is checked as
 *   remote_available_controller.go checks it (the Service, its port, its EndpointSlices' ready endpoints, then a
 *   discovery GET) and reads `Passed` / `all checks passed` once metrics-server answers.
 *
 * Custom resources' groups get none (the crdregistration controller is left out).
 */
import type { KObject } from '../contract';
import type { ApiServer } from '../apiserver/api';
import type { ChangeRecord, Store } from '../store/store';
import { allResources } from '../apiserver/resources';
import { isStatusError } from '../apiserver/status';
import { deepEqual, rfc3339 } from '../runtime/objects';
import { TapController } from '../runtime/tapcontroller';
import { APISERVER_WRITE } from '../auth/identities';

const GVR = { group: 'apiregistration.k8s.io', version: 'v1', resource: 'apiservices' };
const TABLE = 'apiregistration.k8s.io/apiservices';
export const AUTOMANAGED_LABEL = 'kube-aggregator.kubernetes.io/automanaged';

/**
 * groupPriorityMinimum and versionPriority per group-version: DefaultGenericAPIServicePriorities merged with
 * kube-apiserver's own table, as v1.34 has them. A served group-version missing here gets no APIService.
 */
const PRIORITIES: Record<string, [number, number]> = {
  v1: [18000, 1],
  'apps/v1': [17800, 15],
  'events.k8s.io/v1': [17750, 15],
  'authentication.k8s.io/v1': [17700, 15],
  'authorization.k8s.io/v1': [17600, 15],
  'autoscaling/v1': [17500, 15],
  'autoscaling/v2': [17500, 30],
  'batch/v1': [17400, 15],
  'certificates.k8s.io/v1': [17300, 15],
  'networking.k8s.io/v1': [17200, 15],
  'policy/v1': [17100, 15],
  'rbac.authorization.k8s.io/v1': [17000, 15],
  'storage.k8s.io/v1': [16800, 15],
  'apiextensions.k8s.io/v1': [16700, 15],
  'admissionregistration.k8s.io/v1': [16700, 15],
  'scheduling.k8s.io/v1': [16600, 15],
  'coordination.k8s.io/v1': [16500, 15],
  'node.k8s.io/v1': [16300, 15],
  'discovery.k8s.io/v1': [16200, 15],
  'flowcontrol.apiserver.k8s.io/v1': [16100, 21],
  // kube-apiserver's table has resource.k8s.io at 16200 (v1beta2 15, v1beta1 9); v1 sits above its betas.
  'resource.k8s.io/v1': [16200, 21],
};

/** Served by the HTTP layer rather than the Api's table (http/reviews.ts: the self-reviews). */
const HTTP_SERVED = ['authentication.k8s.io/v1', 'authorization.k8s.io/v1'];

/** The group-versions the apiserver serves itself (the aggregator's own apiregistration.k8s.io is not one). */
export function localGroupVersions(): string[] {
  const gvs = new Set<string>(HTTP_SERVED);
  for (const r of allResources()) gvs.add(r.group ? `${r.group}/${r.version}` : r.version);
  return [...gvs].filter((gv) => PRIORITIES[gv]).sort();
}

function apiServiceName(gv: string): string {
  const i = gv.indexOf('/');
  return i < 0 ? `${gv}.` : `${gv.slice(i + 1)}.${gv.slice(0, i)}`;
}

function localAPIService(gv: string): KObject {
  const i = gv.indexOf('/');
  const [group, version] = i < 0 ? ['', gv] : [gv.slice(0, i), gv.slice(i + 1)];
  const [groupPriorityMinimum, versionPriority] = PRIORITIES[gv];
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: apiServiceName(gv), labels: { [AUTOMANAGED_LABEL]: 'onstart' } },
    spec: { service: null, group, version, groupPriorityMinimum, versionPriority },
  } as unknown as KObject;
}

/**
 * The autoregister controller's work at start: each served group-version's APIService is created when missing
 * and has its spec put back when changed; an `onstart` one nothing serves any more is deleted.
 */
export function ensureLocalAPIServices(api: ApiServer): void {
  const wanted = new Map(localGroupVersions().map((gv) => [apiServiceName(gv), localAPIService(gv)] as const));
  for (const [name, desired] of wanted) {
    const existing = api.store.get(TABLE, undefined, name);
    if (!existing) api.create(GVR, undefined, desired, APISERVER_WRITE);
    else if (!deepEqual((existing as any).spec, (desired as any).spec)) api.update(GVR, undefined, { ...existing, spec: (desired as any).spec } as KObject, APISERVER_WRITE);
  }
  for (const o of [...api.store.list(TABLE)]) {
    if (o.metadata.labels?.[AUTOMANAGED_LABEL] === 'onstart' && !wanted.has(o.metadata.name!)) api.delete(GVR, undefined, o.metadata.name!, APISERVER_WRITE);
  }
}

/** The APIService of metrics-server v0.7.2's components.yaml, which routes metrics.k8s.io to its Service. */
export function metricsServerAPIService(): KObject {
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io', labels: { 'k8s-app': 'metrics-server' } },
    spec: {
      group: 'metrics.k8s.io',
      groupPriorityMinimum: 100,
      insecureSkipTLSVerify: true,
      service: { name: 'metrics-server', namespace: 'kube-system' },
      version: 'v1beta1',
      versionPriority: 100,
    },
  } as unknown as KObject;
}

interface Condition { type: 'Available'; status: 'True' | 'False' | 'Unknown'; lastTransitionTime?: string; reason: string; message: string }

/** The aggregated servers the playground runs: metrics-server's metrics.k8s.io/v1beta1 behind kube-system/metrics-server. */
function answersDiscovery(apiService: any): boolean {
  const s = apiService.spec;
  return s?.group === 'metrics.k8s.io' && s?.version === 'v1beta1' && s?.service?.namespace === 'kube-system' && s?.service?.name === 'metrics-server';
}

/** remote_available_controller.go's checks, in its order and with its words. */
export function remoteAvailability(store: Store, apiService: any): Omit<Condition, 'type' | 'lastTransitionTime'> {
  const ref = apiService.spec.service;
  const where = `service/${ref.name} in "${ref.namespace}"`;
  const svc = store.get('/services', ref.namespace, ref.name);
  if (!svc) return { status: 'False', reason: 'ServiceNotFound', message: `${where} is not present` };
  if ((svc.spec?.type ?? 'ClusterIP') === 'ClusterIP') {
    const port = ref.port ?? 443;
    const sp = (svc.spec?.ports ?? []).find((p: any) => p?.port === port);
    if (!sp) return { status: 'False', reason: 'ServicePortError', message: `${where} is not listening on port ${port}` };
    const portName = sp.name ?? '';
    const slices = [...store.list('discovery.k8s.io/endpointslices', ref.namespace)].filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === ref.name);
    if (slices.length === 0) return { status: 'False', reason: 'EndpointsNotFound', message: `cannot find endpointslices for ${where}` };
    // hasAvailableEndpoint: a slice with an endpoint not marked unready and a port of that name.
    const active = slices.some((s: any) => (s.endpoints ?? []).some((e: any) => e?.conditions?.ready !== false) && (s.ports ?? []).some((p: any) => (p?.name ?? '') === portName && p?.port != null));
    if (!active) return { status: 'False', reason: 'MissingEndpoints', message: `endpointslices for ${where} have no addresses with port name "${portName}"` };
  }
  if (!answersDiscovery(apiService)) {
    // Nothing in the playground serves another group's discovery document: the aggregator's GET of it fails.
    const url = `https://${svc.spec?.clusterIP ?? ''}:${ref.port ?? 443}/apis/${apiService.spec.group}/${apiService.spec.version}`;
    return { status: 'False', reason: 'FailedDiscoveryCheck', message: `failing or missing response from ${url}: bad status from ${url}: 404` };
  }
  return { status: 'True', reason: 'Passed', message: 'all checks passed' };
}

/** The local and remote availability controllers: each APIService's Available condition, written through /status. */
export class APIServiceAvailability extends TapController {
  protected readonly scope = { only: [TABLE, '/services', 'discovery.k8s.io/endpointslices'] };
  readonly name = 'apiservice-status-available-controller';

  protected seed(): void {
    for (const o of this.store.list(TABLE)) this.queue.add(o.metadata.name!);
  }

  protected observe(table: string, rec: ChangeRecord): void {
    if (table === TABLE) {
      this.queue.add(rec.object.metadata.name!);
      return;
    }
    // A Service or EndpointSlice change requeues the APIServices that point at that Service.
    let ns: string | undefined, svc: string | undefined;
    if (table === '/services') [ns, svc] = [rec.object.metadata.namespace, rec.object.metadata.name];
    else if (table === 'discovery.k8s.io/endpointslices') [ns, svc] = [rec.object.metadata.namespace, rec.object.metadata.labels?.['kubernetes.io/service-name']];
    else return;
    for (const a of this.store.list(TABLE)) {
      const ref = (a as any).spec?.service;
      if (ref && ref.namespace === ns && ref.name === svc) this.queue.add(a.metadata.name!);
    }
  }

  protected sync(name: string): void {
    const a = this.store.get(TABLE, undefined, name) as any;
    if (!a) return;
    const next = a.spec?.service ? remoteAvailability(this.store, a) : { status: 'True', reason: 'Local', message: 'Local APIServices are always available' };
    const conditions: Condition[] = Array.isArray(a.status?.conditions) ? a.status.conditions.map((c: Condition) => ({ ...c })) : [];
    const cur = conditions.find((c) => c.type === 'Available');
    // SetAPIServiceCondition: the transition time moves only when the status does.
    if (!cur) conditions.push({ type: 'Available', status: next.status as Condition['status'], lastTransitionTime: rfc3339(this.ctx.clock.now()), reason: next.reason, message: next.message });
    else {
      if (cur.status !== next.status) {
        cur.status = next.status as Condition['status'];
        cur.lastTransitionTime = rfc3339(this.ctx.clock.now());
      }
      cur.reason = next.reason;
      cur.message = next.message;
    }
    if (deepEqual(conditions, a.status?.conditions ?? [])) return;
    try {
      this.ctx.api.update(GVR, undefined, { ...a, status: { ...(a.status ?? {}), conditions } }, APISERVER_WRITE, 'status');
    } catch (e) {
      // Changed or gone meanwhile: its own event brings it back.
      if (!isStatusError(e) || (e.code !== 409 && e.code !== 404)) throw e;
    }
  }
}
