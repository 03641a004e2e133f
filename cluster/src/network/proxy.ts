/**
 * A model of kube-proxy: a request to a Service's ClusterIP and port (or to
 * any node's IP and a NodePort) goes to one of the Service's ready
 * endpoints, round-robin, at the endpoint's resolved target port. When no
 * endpoint is ready but some are serving while terminating, those are used,
 * as kube-proxy does.
 */
import type { KObject } from '../contract';
import type { ObjectCache } from '../scheduler/watch';

/** Where kube-proxy sends a connection: the endpoint's pod (empty for a hand-written endpoint), address and port; the Service. */
export interface Route { podNamespace: string; podName: string; ip: string; port: number; service?: string }

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

  route(ip: string, port: number, protocol = 'TCP'): Route | undefined {
    const hit = this.findService(ip, port, protocol);
    if (!hit) return undefined;
    const { svc, sp } = hit;
    const ns = svc.metadata.namespace!, name = svc.metadata.name!;
    const portName = sp.name ?? '';
    const { ready, serving } = portEndpoints(this.slices.byIndex('service', `${ns}/${name}`), portName, protocol);
    const pool = ready.length ? ready : serving;
    if (!pool.length) return undefined;
    const key = `${ns}/${name}:${portName}/${protocol}`;
    const i = (this.next.get(key) ?? 0) % pool.length;
    this.next.set(key, i + 1);
    const { ep, port: target } = pool[i];
    return { podNamespace: ep.targetRef?.namespace ?? ns, podName: ep.targetRef?.name ?? '', ip: ep.addresses[0], port: target, service: `${ns}/${name}` };
  }

  private findService(ip: string, port: number, protocol: string): { svc: KObject; sp: any } | undefined {
    const nodeIPs = new Set<string>();
    for (const n of this.nodes.list()) for (const a of n.status?.addresses ?? []) if (a.type === 'InternalIP') nodeIPs.add(a.address);
    const viaNode = nodeIPs.has(ip) || ip === '127.0.0.1';
    for (const svc of this.services.list()) {
      const ips: string[] = svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : []);
      for (const sp of svc.spec?.ports ?? []) {
        if ((sp.protocol ?? 'TCP') !== protocol) continue;
        if (ips.includes(ip) && sp.port === port) return { svc, sp };
        if (viaNode && sp.nodePort === port) return { svc, sp };
      }
    }
    return undefined;
  }
}
