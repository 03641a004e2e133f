/**
 * A model of kube-proxy: a request to a Service's ClusterIP and port (or to
 * any node's IP and a NodePort) goes to one of the Service's ready
 * endpoints, round-robin, at the endpoint's resolved target port. When no
 * endpoint is ready but some are serving while terminating, those are used,
 * as kube-proxy does.
 *
 * Which endpoints a node uses depends on where the connection enters
 * (CategorizeEndpoints): internalTrafficPolicy Local keeps a pod's traffic to
 * the ClusterIP on its own node's endpoints, externalTrafficPolicy Local does
 * the same for traffic from outside to a NodePort, and a node with no such
 * endpoint drops the connection (the client times out); otherwise topology
 * hints (trafficDistribution) narrow the endpoints to the node's own, or its
 * zone's, when every ready endpoint carries one.
 */
import type { KObject } from '../contract';
import type { ObjectCache } from '../scheduler/watch';

/** Where kube-proxy sends a connection: the endpoint's pod (empty for a hand-written endpoint), address and port; the Service. */
export interface Route {
  podNamespace: string; podName: string; ip: string; port: number; service?: string;
  /** kube-proxy drops the connection (a Local traffic policy and no endpoint on this node): ip and port are the dialled ones. */
  dropped?: boolean;
}

/** Where a connection comes from: the node it enters kube-proxy on, and whether a pod there made it. */
export interface RouteSource { node?: string; fromPod?: boolean }

/** One endpoint of a Service port: the slice's endpoint and the port number its slice gives that port. */
export interface PortEndpoint { ep: any; port: number }

/**
 * The endpoints of one Service port across its EndpointSlices (in slice-name
 * order): the ready ones, and those still serving while they terminate.
 */
export function portEndpoints(slices: KObject[], portName: string, protocol = 'TCP'): { ready: PortEndpoint[]; serving: PortEndpoint[] } {
  const ready: PortEndpoint[] = [];
  const serving: PortEndpoint[] = [];
  for (const s of [...slices].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
    const p = (s.ports ?? []).find((x: any) => (x?.name ?? '') === portName && (x?.protocol ?? 'TCP') === protocol);
    if (!p) continue;
    for (const ep of s.endpoints ?? []) {
      if (!ep?.addresses?.length) continue;
      if (ep.conditions?.ready) ready.push({ ep, port: p.port });
      else if (ep.conditions?.serving && ep.conditions?.terminating) serving.push({ ep, port: p.port });
    }
  }
  return { ready, serving };
}

export class ProxyModel {
  private next = new Map<string, number>();
  constructor(private services: ObjectCache, private slices: ObjectCache, private nodes: ObjectCache) {}

  route(ip: string, port: number, protocol = 'TCP', from: RouteSource = {}): Route | undefined {
    const hit = this.findService(ip, port, protocol);
    if (!hit) return undefined;
    const { svc, sp, nodeIP } = hit;
    const ns = svc.metadata.namespace!, name = svc.metadata.name!;
    const portName = sp.name ?? '';
    const { ready, serving } = portEndpoints(this.slices.byIndex('service', `${ns}/${name}`), portName, protocol);
    if (!ready.length && !serving.length) return undefined;
    // Traffic to a NodePort enters on the node dialled (127.0.0.1: the source's own node); a pod's traffic to an
    // external address is short-circuited to the cluster policy, as kube-proxy's local traffic detector does.
    const external = nodeIP !== undefined;
    const node = external ? (this.nodeByIP(nodeIP) ?? from.node) : from.node;
    const local = node !== undefined && (external ? svc.spec?.externalTrafficPolicy === 'Local' && !from.fromPod : svc.spec?.internalTrafficPolicy === 'Local');
    let pool: PortEndpoint[];
    if (local) {
      const mine = (l: PortEndpoint[]) => l.filter((e) => e.ep.nodeName === node);
      pool = mine(ready).length ? mine(ready) : mine(serving);
      if (!pool.length) return { podNamespace: '', podName: '', ip, port, service: `${ns}/${name}`, dropped: true };
    } else {
      pool = ready.length ? this.topology(ready, node) : serving;
    }
    const key = `${ns}/${name}:${portName}/${protocol}${local || pool.length !== ready.length ? `@${node}` : ''}`;
    const i = (this.next.get(key) ?? 0) % pool.length;
    this.next.set(key, i + 1);
    const { ep, port: target } = pool[i];
    return { podNamespace: ep.targetRef?.namespace ?? ns, podName: ep.targetRef?.name ?? '', ip: ep.addresses[0], port: target, service: `${ns}/${name}` };
  }

  /**
   * topologyModeFromHints and availableForTopology: when every ready endpoint has a node hint and one is for this
   * node, the node's own; else when every one has a zone hint and one is for this node's zone, the zone's; else all.
   */
  private topology(ready: PortEndpoint[], node: string | undefined): PortEndpoint[] {
    if (node === undefined) return ready;
    const zone = this.nodes.get(undefined, node)?.metadata.labels?.['topology.kubernetes.io/zone'] ?? '';
    const hinted = (e: PortEndpoint, key: 'forNodes' | 'forZones', v: string) => (e.ep.hints?.[key] ?? []).some((h: any) => h?.name === v);
    const all = (key: 'forNodes' | 'forZones') => ready.every((e) => (e.ep.hints?.[key] ?? []).length > 0);
    if (all('forNodes') && ready.some((e) => hinted(e, 'forNodes', node))) return ready.filter((e) => hinted(e, 'forNodes', node));
    if (all('forZones') && ready.some((e) => hinted(e, 'forZones', zone))) return ready.filter((e) => hinted(e, 'forZones', zone));
    return ready;
  }

  private nodeByIP(ip: string): string | undefined {
    for (const n of this.nodes.list()) if ((n.status?.addresses ?? []).some((a: any) => a.type === 'InternalIP' && a.address === ip)) return n.metadata.name;
    return undefined;
  }

  /** The Service port dialled; `nodeIP` when it was a NodePort on a node's address (or 127.0.0.1). */
  private findService(ip: string, port: number, protocol: string): { svc: KObject; sp: any; nodeIP?: string } | undefined {
    const nodeIPs = new Set<string>();
    for (const n of this.nodes.list()) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') nodeIPs.add(a.address);
    const viaNode = nodeIPs.has(ip) || ip === '127.0.0.1';
    for (const svc of this.services.list()) {
      const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
      for (const sp of svc.spec?.ports ?? []) {
        if ((sp.protocol ?? 'TCP') !== protocol) continue;
        if (ips.includes(ip) && sp.port === port) return { svc, sp };
        if (viaNode && sp.nodePort === port) return { svc, sp, nodeIP: ip };
      }
    }
    return undefined;
  }
}
