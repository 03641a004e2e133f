/**
 * MultiCIDRServiceAllocator (GA in 1.33, on in 1.34), as a learner sees it:
 *
 * - the `kubernetes` ServiceCIDR, made by the apiserver's kubernetes-service-cidr-controller
 *   (pkg/controlplane/controller/defaultservicecidr) from --service-cluster-ip-range (here SERVICE_CIDR), with the
 *   service-cidrs controller's protection finalizer and Ready condition (pkg/controller/servicecidrs:
 *   `Kubernetes Service CIDR is ready`, no reason);
 * - an IPAddress per allocated ClusterIP (pkg/registry/core/service/ipallocator: named by the address, labelled
 *   with its family and `managed-by: ipallocator.k8s.io`, its parentRef the Service), made when the Service gets
 *   its address and deleted with it. Headless and ExternalName Services hold none. The repair loop's part is
 *   played at start: a saved cluster's Services get theirs, and addresses nothing holds are released;
 * - the service-cidrs controller (pkg/controller/servicecidrs) for every ServiceCIDR: its finalizer and Ready
 *   condition, and on deletion the finalizer kept while an address only it holds has an IPAddress.
 */
import type { ComponentContext, KObject } from '../contract';
import type { ApiServer } from '../apiserver/api';
import type { ChangeRecord, Store } from '../store/store';
import { isStatusError } from '../apiserver/status';
import { rfc3339 } from '../runtime/objects';
import { TapController } from '../runtime/tapcontroller';
import { APISERVER_WRITE, controllerActor, writeAs } from '../auth/identities';
import { SERVICE_CIDR } from './ipalloc';
import { cidrContains, cidrWithin, parseCidr, type Cidr } from '../../../kube/src/cidr';

const CIDR_GVR = { group: 'networking.k8s.io', version: 'v1', resource: 'servicecidrs' };
const IP_GVR = { group: 'networking.k8s.io', version: 'v1', resource: 'ipaddresses' };
const CIDRS = 'networking.k8s.io/servicecidrs';
/** kube-controller-manager starts the service-cidrs controller with ClientOrDie("service-cidrs-controller"). */
const SERVICE_CIDRS_WRITE = writeAs(controllerActor('service-cidrs-controller'));
const IPS = 'networking.k8s.io/ipaddresses';
export const DEFAULT_SERVICE_CIDR = 'kubernetes';
export const SERVICE_CIDR_FINALIZER = 'networking.k8s.io/service-cidr-finalizer';
export const MANAGED_BY_LABEL = 'ipaddress.kubernetes.io/managed-by';
export const IP_FAMILY_LABEL = 'ipaddress.kubernetes.io/ip-family';
export const IPALLOCATOR = 'ipallocator.k8s.io';

/** The default ServiceCIDR, made when missing (its cidrs are immutable: a stored one is left as it is), then Ready. */
export function ensureDefaultServiceCIDR(api: ApiServer, now: number): void {
  let cidr = api.store.get(CIDRS, undefined, DEFAULT_SERVICE_CIDR) as any;
  if (!cidr) {
    cidr = api.create(CIDR_GVR, undefined, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'ServiceCIDR',
      metadata: { name: DEFAULT_SERVICE_CIDR, finalizers: [SERVICE_CIDR_FINALIZER] },
      spec: { cidrs: [SERVICE_CIDR] },
    } as unknown as KObject, APISERVER_WRITE).object as any;
  }
  if ((cidr.status?.conditions ?? []).some((c: any) => c?.type === 'Ready' && c.status === 'True')) return;
  const ready = { type: 'Ready', status: 'True', lastTransitionTime: rfc3339(now), reason: '', message: 'Kubernetes Service CIDR is ready' };
  api.update(CIDR_GVR, undefined, { ...cidr, status: { conditions: [ready] } } as KObject, APISERVER_WRITE, 'status');
}

function clusterIPsOf(svc: any): string[] {
  if (!svc || svc.spec?.type === 'ExternalName') return [];
  const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
  return ips.filter((ip) => ip && ip !== 'None');
}

function ipAddressFor(ip: string, svc: KObject): KObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: { name: ip, labels: { [IP_FAMILY_LABEL]: ip.includes(':') ? 'IPv6' : 'IPv4', [MANAGED_BY_LABEL]: IPALLOCATOR } },
    spec: { parentRef: { resource: 'services', namespace: svc.metadata.namespace, name: svc.metadata.name } },
  } as unknown as KObject;
}

const holds = (ipa: any, ns: string | undefined, name: string) =>
  ipa?.spec?.parentRef?.resource === 'services' && !ipa.spec.parentRef.group && ipa.spec.parentRef.namespace === ns && ipa.spec.parentRef.name === name;

/** Keeps the IPAddresses in step with the Services' ClusterIPs, one Service key at a time. */
export class IPAddressController extends TapController {
  readonly name = 'ipallocator';
  protected readonly scope = { only: ['/services'] };

  constructor(ctx: ComponentContext, private readonly api: ApiServer, store: Store) {
    super(ctx, store);
  }

  protected seed(): void {
    for (const s of this.store.list('/services')) this.queue.add(`${s.metadata.namespace}/${s.metadata.name}`);
    // The repair loop: an address whose Service is gone is released.
    for (const ipa of [...this.store.list(IPS)] as any[]) {
      const ref = ipa.spec?.parentRef;
      if (ipa.metadata.labels?.[MANAGED_BY_LABEL] === IPALLOCATOR && ref?.resource === 'services') this.queue.add(`${ref.namespace}/${ref.name}`);
    }
  }

  protected observe(table: string, rec: ChangeRecord): void {
    if (table !== '/services') return;
    const o = rec.object;
    // A change that leaves the ClusterIPs as they were asks nothing (status and label writes).
    if (rec.type === 'MODIFIED' && rec.prev && String(clusterIPsOf(rec.prev)) === String(clusterIPsOf(o))) return;
    this.queue.add(`${o.metadata.namespace}/${o.metadata.name}`);
  }

  protected sync(key: string): void {
    const i = key.indexOf('/');
    const ns = key.slice(0, i);
    const name = key.slice(i + 1);
    const svc = this.store.get('/services', ns, name);
    const want = new Set(svc && !svc.metadata.deletionTimestamp ? clusterIPsOf(svc) : []);
    for (const ipa of [...this.store.list(IPS)] as any[]) {
      if (!holds(ipa, ns, name) || want.has(ipa.metadata.name)) continue;
      this.tolerate(() => this.api.delete(IP_GVR, undefined, ipa.metadata.name, APISERVER_WRITE));
    }
    for (const ip of want) {
      const existing = this.store.get(IPS, undefined, ip);
      if (existing && holds(existing, ns, name)) continue;
      if (existing) {
        // Held for a Service that is gone (deleted before its address was released): the repair loop's case, taken
        // over. Any other holder keeps it (the allocator refuses an address an IPAddress names).
        const ref = (existing as any).spec?.parentRef;
        const orphan = ref?.resource === 'services' && !ref.group && !this.store.get('/services', ref.namespace, ref.name);
        if (!orphan) continue;
        this.tolerate(() => this.api.delete(IP_GVR, undefined, ip, APISERVER_WRITE));
      }
      this.tolerate(() => this.api.create(IP_GVR, undefined, ipAddressFor(ip, svc!), APISERVER_WRITE));
    }
  }

  private tolerate(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
    }
  }
}

const READY_MESSAGE = 'Kubernetes Service CIDR is ready';
const TERMINATING_MESSAGE = 'There are still IPAddresses referencing the ServiceCIDR, please remove them or create a new ServiceCIDR';
/** servicecidrs_controller.go deletionGracePeriod: time for the allocators to stop using a deleted range. */
const DELETION_GRACE_MS = 10_000;

const prefixesOf = (c: KObject): Cidr[] => ((c as any).spec?.cidrs ?? []).map((x: string) => parseCidr(x)).filter((x: Cidr | undefined): x is Cidr => !!x);

/**
 * The service-cidrs controller of kube-controller-manager (pkg/controller/servicecidrs, `(*Controller).sync`): a
 * ServiceCIDR gets the protection finalizer and Ready=True; one being deleted keeps its finalizer, with Ready=False
 * reason Terminating (ServiceCIDRReasonTerminating), while some allocated address lies in it and in no other
 * ServiceCIDR (canDeleteCIDR), and loses it DELETION_GRACE_MS after its deletion began otherwise.
 */
export class ServiceCIDRController extends TapController {
  protected readonly scope = { only: [CIDRS, IPS] };
  readonly name = 'service-cidrs-controller';

  constructor(ctx: ComponentContext, private readonly api: ApiServer, store: Store) {
    super(ctx, store);
  }

  protected seed(): void {
    for (const c of this.store.list(CIDRS)) this.queue.add(c.metadata.name!);
  }

  protected observe(table: string, rec: ChangeRecord): void {
    if (table === CIDRS) {
      this.queue.add(rec.object.metadata.name!);
      // A range added or removed may unblock (or block) the deletion of another.
      if (rec.type !== 'MODIFIED') this.requeueDeleting();
    } else if (table === IPS && rec.type !== 'MODIFIED' && rec.object.metadata.labels?.[MANAGED_BY_LABEL] === IPALLOCATOR) {
      // An address allocated or released may block or unblock a deletion.
      this.requeueDeleting();
    }
  }

  private requeueDeleting(): void {
    for (const c of this.store.list(CIDRS)) if (c.metadata.deletionTimestamp) this.queue.add(c.metadata.name!);
  }

  protected sync(name: string): void {
    const cidr = this.store.get(CIDRS, undefined, name) as any;
    if (!cidr) return;
    if (cidr.metadata.deletionTimestamp) {
      if (!this.canDelete(cidr)) return this.setReady(cidr, 'False', 'Terminating', TERMINATING_MESSAGE);
      const wait = Date.parse(cidr.metadata.deletionTimestamp) + DELETION_GRACE_MS - this.ctx.clock.now();
      if (wait > 0) return this.queue.addAfter(name, wait);
      const finalizers: string[] = cidr.metadata.finalizers ?? [];
      if (!finalizers.includes(SERVICE_CIDR_FINALIZER)) return;
      this.tolerate(() => this.api.update(CIDR_GVR, undefined, { ...cidr, metadata: { ...cidr.metadata, finalizers: finalizers.filter((f) => f !== SERVICE_CIDR_FINALIZER) } } as KObject, SERVICE_CIDRS_WRITE));
      return;
    }
    let current = cidr;
    if (!(cidr.metadata.finalizers ?? []).includes(SERVICE_CIDR_FINALIZER)) {
      const r = this.tolerate(() => this.api.update(CIDR_GVR, undefined, { ...cidr, metadata: { ...cidr.metadata, finalizers: [...(cidr.metadata.finalizers ?? []), SERVICE_CIDR_FINALIZER] } } as KObject, SERVICE_CIDRS_WRITE));
      if (!r) return;
      current = r.object;
    }
    this.setReady(current, 'True', '', READY_MESSAGE);
  }

  /** canDeleteCIDR: another ServiceCIDR holds each of its ranges, or no allocated address lies in it alone. */
  private canDelete(cidr: KObject): boolean {
    const all = [...this.store.list(CIDRS)];
    const mine = prefixesOf(cidr);
    const hasParent = mine.every((p) => all.some((o) => o.metadata.name !== cidr.metadata.name && prefixesOf(o).some((q) => cidrWithin(p, q))));
    if (hasParent) return true;
    for (const ipa of this.store.list(IPS)) {
      if (ipa.metadata.labels?.[MANAGED_BY_LABEL] !== IPALLOCATOR) continue;
      const address = ipa.metadata.name!;
      if (!mine.some((p) => cidrContains(p, address))) continue;
      const holders = all.filter((o) => prefixesOf(o).some((q) => cidrContains(q, address)));
      if (holders.length === 1 && holders[0].metadata.name === cidr.metadata.name) return false;
    }
    return true;
  }

  /** The Ready condition, written when it says something new (upstream applies it with a fresh transition time). */
  private setReady(cidr: any, status: 'True' | 'False', reason: string, message: string): void {
    const conditions: any[] = cidr.status?.conditions ?? [];
    const had = conditions.find((c) => c?.type === 'Ready');
    if (had && had.status === status && (had.reason ?? '') === reason && had.message === message) return;
    const ready = { type: 'Ready', status, lastTransitionTime: rfc3339(this.ctx.clock.now()), reason, message };
    const next = had ? conditions.map((c) => (c === had ? ready : c)) : [...conditions, ready];
    this.tolerate(() => this.api.update(CIDR_GVR, undefined, { ...cidr, status: { ...cidr.status, conditions: next } } as KObject, SERVICE_CIDRS_WRITE, 'status'));
  }

  private tolerate<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      // A conflict or a deleted object: the change that caused it queues the key again.
      if (!isStatusError(e) || (e.code !== 404 && e.code !== 409)) throw e;
      return undefined;
    }
  }
}
