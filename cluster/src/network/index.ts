/**
 * Service networking of the playground.
 *
 * Exports (called by the Playground façade):
 * - `createNetwork(ctx)` → `Network`, a Component bundling everything below:
 *   `network.admission` — register it with `apiServer.use(...)` so ClusterIPs
 *   and NodePorts are allocated synchronously on create/update, as upstream's
 *   registry does (a fallback controller fills in Services created without it);
 *   `network.resolve(name, fromNamespace?)` — the DNS model, answering only
 *   while `network.dnsServing()` (kube-system/kube-dns has a ready endpoint);
 *   `network.route(ip, port, protocol?)` — the kube-proxy model;
 *   `network.allocator.rebuild(services)` — after restoring saved state.
 * - `createEndpointsController(ctx)` — EndpointSlices and Endpoints alone.
 * - `ServiceAllocator`, `serviceIPAdmission`, `resolveName`, `ProxyModel`.
 */
import type { AdmissionPlugin } from '../apiserver/api';
import type { Component, ComponentContext, KObject } from '../contract';
import { GVRS, ObjectCache } from '../scheduler/watch';
import { query, resolveName, type DnsReply, type DnsSources, type QueryType } from './dns';
import { EndpointsController } from './endpoints';
import { EndpointSliceMirroringController } from './mirroring';
import { ServiceAllocator, serviceIPAdmission } from './ipalloc';
import { ProxyModel, type Route, type RouteSource } from './proxy';
import { IngressRouter } from './ingress';
import { PolicyModel, type Peer } from './policy';
import { APISERVER_WRITE, contextAs, controllerActor } from '../auth/identities';
import type { Verdict } from '../../../kube/src/networkPolicy';

export { ServiceAllocator, serviceIPAdmission, SERVICE_CIDR, NODE_PORT_MIN, NODE_PORT_MAX } from './ipalloc';
export { EndpointsController, resolveTargetPort, MANAGED_BY, MAX_ENDPOINTS_PER_SLICE } from './endpoints';
export { resolveName, candidates, CLUSTER_DOMAIN } from './dns';
export { ProxyModel } from './proxy';
export type { Route } from './proxy';
export { PolicyModel } from './policy';
export type { Peer } from './policy';

/** The Service in front of the cluster DNS pods, as kubeadm names it. */
export const KUBE_DNS_KEY = 'kube-system/kube-dns';

const INGRESSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const INGRESS_CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const NETWORK_POLICIES = { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies' };
const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

export const createEndpointsController = (ctx: ComponentContext) => new EndpointsController(ctx);

export class Network implements Component {
  readonly name = 'network';
  readonly allocator: ServiceAllocator;
  readonly admission: AdmissionPlugin;
  readonly endpoints: EndpointsController;
  readonly mirroring: EndpointSliceMirroringController;
  private services?: ObjectCache;
  private slices?: ObjectCache;
  private nodes?: ObjectCache;
  private proxy?: ProxyModel;
  private ingresses?: ObjectCache;
  private ingressClasses?: ObjectCache;
  private netpols?: ObjectCache;
  private namespaces?: ObjectCache;
  private policy?: PolicyModel;
  /** Where an ingress-nginx controller pod sends the requests it receives. */
  readonly ingress: IngressRouter;

  constructor(private ctx: ComponentContext) {
    this.allocator = new ServiceAllocator(ctx.rand);
    this.admission = serviceIPAdmission(this.allocator);
    // Each as its controller-manager service account (auth/identities.ts); the Endpoints writes are the endpoint-controller's.
    this.endpoints = new EndpointsController(contextAs(ctx, controllerActor('endpointslice-controller')), controllerActor('endpoint-controller'));
    this.mirroring = new EndpointSliceMirroringController(contextAs(ctx, controllerActor('endpointslicemirroring-controller')));
    const self = this;
    this.ingress = new IngressRouter(ctx.api, {
      get ingresses() { return self.ingresses!; },
      get classes() { return self.ingressClasses!; },
      get services() { return self.services!; },
      get slices() { return self.slices!; },
    });
  }

  start(): void {
    this.services = new ObjectCache(this.ctx.api, GVRS.services, (t, s) => this.onService(t, s)).start();
    this.allocator.rebuild(this.services.list());
    this.slices = new ObjectCache(this.ctx.api, GVRS.endpointSlices).start();
    this.slices.addIndex('service', (s) => {
      const svc = s.metadata.labels?.['kubernetes.io/service-name'];
      return svc ? [`${s.metadata.namespace}/${svc}`] : [];
    });
    this.nodes = new ObjectCache(this.ctx.api, GVRS.nodes).start();
    this.proxy = new ProxyModel(this.services, this.slices, this.nodes);
    this.ingresses = new ObjectCache(this.ctx.api, INGRESSES).start();
    this.ingressClasses = new ObjectCache(this.ctx.api, INGRESS_CLASSES).start();
    this.netpols = new ObjectCache(this.ctx.api, NETWORK_POLICIES).start();
    this.namespaces = new ObjectCache(this.ctx.api, NAMESPACES).start();
    this.policy = new PolicyModel(this.netpols, this.namespaces, (name) =>
      this.nodes?.get(undefined, name)?.status?.addresses?.find((a: any) => a.type === 'InternalIP')?.address);
    this.endpoints.start();
    this.mirroring.start();
  }

  stop(): void {
    this.endpoints.stop();
    this.mirroring.stop();
    for (const c of [this.services, this.slices, this.nodes, this.ingresses, this.ingressClasses, this.netpols, this.namespaces]) c?.stop();
  }

  /**
   * Whether anyone answers at the cluster DNS address: the kube-dns Service's
   * EndpointSlices list a ready endpoint (a CoreDNS pod that passed its
   * readiness probe). The DNS model itself stays pure; this is its server.
   */
  /**
   * Whether the kube-dns Service has no ready endpoint at all: kube-proxy then rejects what is sent to it (its
   * "has no endpoints" REJECT rule), so a client is refused at once instead of waiting for a reply.
   */
  dnsRefused(): boolean {
    for (const s of this.slices?.byIndex('service', KUBE_DNS_KEY) ?? []) if ((s.endpoints ?? []).some((e: any) => e.conditions?.ready)) return false;
    return true;
  }

  dnsServing(from?: KObject): boolean {
    for (const s of this.slices?.byIndex('service', KUBE_DNS_KEY) ?? []) {
      const port = (s.ports ?? []).find((p: any) => p?.protocol === 'UDP' && p?.port !== undefined)?.port ?? 53;
      for (const e of s.endpoints ?? []) {
        if (!e.conditions?.ready) continue;
        if (!from || !this.netpols?.size) return true;
        // The resolver asks over UDP: the pod's egress and the DNS pod's ingress must both let port 53/UDP through.
        const pod = this.podOf(e.targetRef);
        if (this.connect(from, pod ?? { ip: e.addresses?.[0] ?? '' }, port, 'UDP').allowed) return true;
      }
    }
    return false;
  }

  /**
   * Whether a connection opens under the NetworkPolicies, from one pod (or
   * address) to another's `port` (a Service's address already translated).
   */
  connect(from: Peer, to: Peer, port: number, protocol = 'TCP'): Verdict {
    return this.policy?.verdict(from, to, port, protocol) ?? { allowed: true };
  }

  private podOf(ref: any): KObject | undefined {
    if (ref?.kind !== 'Pod' || !ref.name) return undefined;
    try { return this.ctx.api.get(PODS, ref.namespace, ref.name); } catch { return undefined; }
  }

  resolve(name: string, fromNamespace = 'default', from?: KObject): string[] {
    if (!this.services || !this.slices || !this.dnsServing(from)) return [];
    const src: DnsSources = { services: this.services, slices: this.slices, namespaces: this.namespaces };
    return resolveName(src, name, fromNamespace);
  }

  /**
   * One question to the cluster DNS (dns.ts `query`): `qname` fully qualified, with or without its final dot.
   * Undefined while the DNS does not answer `from` (no ready endpoint, or its NetworkPolicies drop the queries).
   */
  dnsQuery(qname: string, type: QueryType, from?: KObject): DnsReply | undefined {
    if (!this.services || !this.slices || !this.dnsServing(from)) return undefined;
    return query({ services: this.services, slices: this.slices, namespaces: this.namespaces }, qname.replace(/\.$/, ''), type);
  }

  route(ip: string, port: number, protocol = 'TCP', from?: RouteSource): Route | undefined {
    return this.proxy?.route(ip, port, protocol, from);
  }

  /** Fallback for an apiserver without the admission hook: allocate by updating the Service. */
  private onService(type: string, svc: KObject): void {
    if (type === 'DELETED') { this.allocator.release(svc); return; }
    const s = svc.spec ?? {};
    const needsIP = s.type !== 'ExternalName' && !s.clusterIP;
    const needsPort = (s.type === 'NodePort' || s.type === 'LoadBalancer') && (s.ports ?? []).some((p: any) => !p.nodePort);
    if (!needsIP && !needsPort) return;
    const copy: KObject = JSON.parse(JSON.stringify(svc));
    try {
      this.allocator.admit(copy, undefined);
      this.ctx.api.update(GVRS.services, svc.metadata.namespace, copy, APISERVER_WRITE);
      this.ctx.log('service-ip-allocator', `allocated ${copy.spec.clusterIP} to Service ${svc.metadata.namespace}/${svc.metadata.name}`);
    } catch (e) {
      this.ctx.log('service-ip-allocator', `could not allocate for ${svc.metadata.namespace}/${svc.metadata.name}: ${(e as Error).message}`);
    }
  }
}

export function createNetwork(ctx: ComponentContext): Network {
  return new Network(ctx);
}
