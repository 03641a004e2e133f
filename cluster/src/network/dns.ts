/**
 * A model of cluster DNS (CoreDNS's kubernetes plugin) for the zone
 * cluster.local: `<svc>.<ns>.svc.cluster.local` answers the ClusterIP, or for
 * a headless Service the IPs of its ready endpoints (all of them with
 * publishNotReadyAddresses); `<hostname>.<svc>.<ns>.svc.cluster.local`
 * answers one pod of a headless Service (StatefulSet pods set hostname and
 * subdomain); `a-b-c-d.<ns>.pod.cluster.local` answers a.b.c.d. Short forms
 * resolve through a pod's search path (`<ns>.svc.cluster.local`,
 * `svc.cluster.local`, `cluster.local`), so `web` and `web.default` work.
 */
import type { KObject } from '../contract';
import type { ObjectCache } from '../scheduler/watch';

export const CLUSTER_DOMAIN = 'cluster.local';
/**
 * The kubelet's `clusterDNS` on a kubeadm cluster (the tenth address of the
 * Service range): every pod's resolv.conf names it and kube-system/kube-dns holds it.
 */
export const CLUSTER_DNS_IP = '10.96.0.10';

export interface DnsSources { services: ObjectCache; slices: ObjectCache }

export function searchPath(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/** Candidate fully qualified names, as a resolver with ndots:5 tries them. */
export function candidates(name: string, fromNamespace: string): string[] {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (name.endsWith('.')) return [n];
  const dots = n.split('.').length - 1;
  const searched = searchPath(fromNamespace).map((s) => `${n}.${s}`);
  return dots >= 5 ? [n, ...searched] : [...searched, n];
}

function sliceEndpoints(src: DnsSources, ns: string, svc: string): any[] {
  return src.slices.byIndex('service', `${ns}/${svc}`).flatMap((s) => s.endpoints ?? []);
}

/** A records for one fully qualified name. */
export function lookup(src: DnsSources, fqdn: string): string[] {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return [];
  const labels = fqdn.slice(0, -suffix.length).split('.');
  if (labels.length === 3 && labels[2] === 'svc') return serviceRecords(src, labels[1], labels[0]);
  if (labels.length === 4 && labels[3] === 'svc') {
    const [host, svcName, ns] = labels;
    const svc = src.services.get(ns, svcName);
    if (!svc || svc.spec?.clusterIP !== 'None') return [];
    return sliceEndpoints(src, ns, svcName)
      .filter((e) => e.hostname === host && (e.conditions?.ready || svc.spec.publishNotReadyAddresses))
      .flatMap((e) => e.addresses);
  }
  if (labels.length === 3 && labels[2] === 'pod' && /^\d+-\d+-\d+-\d+$/.test(labels[0])) return [labels[0].replace(/-/g, '.')];
  return [];
}

function serviceRecords(src: DnsSources, ns: string, name: string): string[] {
  const svc: KObject | undefined = src.services.get(ns, name);
  if (!svc) return [];
  if (svc.spec?.type === 'ExternalName') return svc.spec.externalName ? [svc.spec.externalName] : [];
  if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return [...(svc.spec.clusterIPs ?? [svc.spec.clusterIP])];
  const publish = !!svc.spec?.publishNotReadyAddresses;
  const ips = sliceEndpoints(src, ns, name).filter((e) => publish || e.conditions?.ready).flatMap((e) => e.addresses);
  return [...new Set<string>(ips)].sort(compareIps);
}

function compareIps(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** Resolves a name as a pod in `fromNamespace` would: the first candidate with records wins. */
export function resolveName(src: DnsSources, name: string, fromNamespace = 'default'): string[] {
  for (const fqdn of candidates(name, fromNamespace)) {
    const r = lookup(src, fqdn);
    if (r.length) return r;
  }
  return [];
}
