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

export interface DnsSources {
  services: ObjectCache;
  slices: ObjectCache;
  /** Namespaces: `<ns>.svc.cluster.local` is a name (with no records) while its namespace exists. Absent: one with a Service. */
  namespaces?: ObjectCache;
}

export function searchPath(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

/**
 * The names a libc resolver (and bind's nslookup) tries for `name`, in order: a name ending in a dot alone; else
 * the search list, with the name itself first when it has at least `ndots` dots and last otherwise.
 */
export function searchOrder(name: string, search: string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const searched = search.map((d) => `${name}.${d}`);
  return name.split('.').length - 1 >= ndots ? [name, ...searched] : [...searched, name];
}

/** Candidate fully qualified names, as a pod's resolver (ndots:5, its namespace's search list) tries them. */
export function candidates(name: string, fromNamespace: string): string[] {
  return searchOrder(name.toLowerCase(), searchPath(fromNamespace), 5);
}

/**
 * An endpoint DNS names: a ready one, or any with the Service's publishNotReadyAddresses. An endpoint whose
 * readiness is not said (a hand-written EndpointSlice) counts as ready, as the EndpointSlice API asks consumers
 * to take it and CoreDNS does (endpointsliceReady).
 */
const published = (svc: KObject, e: any): boolean => e.conditions?.ready !== false || !!svc.spec?.publishNotReadyAddresses;

/** The label an endpoint's address has under its Service: its hostname, else its address dashed (endpointHostname). */
const endpointLabel = (e: any, ip: string): string => e.hostname ?? ip.replace(/[.:]/g, '-');

/** Whether the plugin knows a namespace (namespaceExposed); without a namespace cache, one that has a Service. */
const namespaceKnown = (src: DnsSources, ns: string): boolean => (src.namespaces ? !!src.namespaces.get(undefined, ns) : src.services.list(ns).length > 0);

function sliceEndpoints(src: DnsSources, ns: string, svc: string): any[] {
  return src.slices.byIndex('service', `${ns}/${svc}`).flatMap((s) => s.endpoints ?? []);
}

/**
 * A records for one fully qualified name; an ExternalName Service gives its target instead, or, when that is a
 * cluster name, the target's records (CoreDNS follows a CNAME of its own zone).
 */
export function lookup(src: DnsSources, fqdn: string, depth = 0): string[] {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return [];
  const labels = fqdn.slice(0, -suffix.length).split('.');
  if (labels.length === 3 && labels[2] === 'svc') {
    const svc: KObject | undefined = src.services.get(labels[1], labels[0]);
    const target = svc?.spec?.type === 'ExternalName' ? String(svc.spec.externalName ?? '').toLowerCase().replace(/\.$/, '') : '';
    if (target.endsWith(suffix) && depth < 7) return lookup(src, target, depth + 1);
    return serviceRecords(src, labels[1], labels[0]);
  }
  if (labels.length === 4 && labels[3] === 'svc') {
    // An endpoint by its name under the Service (its hostname, else its dashed address), headless or not (findServices).
    const [host, svcName, ns] = labels;
    const svc = src.services.get(ns, svcName);
    if (!svc || svc.spec?.type === 'ExternalName') return [];
    const out: string[] = [];
    for (const e of sliceEndpoints(src, ns, svcName)) {
      if (!published(svc, e)) continue;
      for (const ip of e.addresses ?? []) if (endpointLabel(e, ip) === host && !out.includes(ip)) out.push(ip);
    }
    return out;
  }
  if (labels.length === 3 && labels[2] === 'pod') {
    // `pods insecure`: any well-formed address, in a namespace the plugin knows.
    const ip = labels[0].replace(/-/g, '.');
    return namespaceKnown(src, labels[1]) && /^\d+\.\d+\.\d+\.\d+$/.test(ip) && ip.split('.').every((o) => Number(o) < 256) ? [ip] : [];
  }
  return [];
}

/** One SRV record as CoreDNS's kubernetes plugin answers it (the target without its final dot). */
export interface SrvRecord {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/**
 * SRV records for one fully qualified name, as CoreDNS's kubernetes plugin answers them:
 * `_<port>._<proto>.<svc>.<ns>.svc.cluster.local` names a Service's named port (`_http._tcp.web.default.svc…`),
 * `<svc>.<ns>.svc.cluster.local` all of its ports, `<host>.<svc>.<ns>.svc.cluster.local` one endpoint of a headless
 * Service. A Service with a ClusterIP answers one record per port, its target the Service's own name; a headless one
 * one per ready endpoint and port, its target the endpoint's name (its hostname under the Service, else its dashed
 * address). Priorities are 0 and the records share a weight of 100 (backend_lookup.go: 100 / their number, rounded
 * down). Undefined: no such name (NXDOMAIN); an empty list: the name is there, with no SRV record (NODATA).
 */
export function lookupSrv(src: DnsSources, fqdn: string): SrvRecord[] | undefined {
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!fqdn.endsWith(suffix)) return undefined;
  let labels = fqdn.slice(0, -suffix.length).split('.');
  let portName: string | undefined, proto: string | undefined;
  if (labels.length === 5 && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    portName = labels[0].slice(1);
    proto = labels[1].slice(1);
    labels = labels.slice(2);
  }
  const wanted = (p: any) => portName === undefined || (p?.name === portName && String(p?.protocol ?? 'TCP').toLowerCase() === proto);
  // `<ns>.svc.cluster.local`: a namespace the zone knows, with no records of its own.
  if (labels.length === 2 && labels[1] === 'svc' && portName === undefined) return src.services.list(labels[0]).length ? [] : undefined;
  const host = labels.length === 4 && labels[3] === 'svc' ? labels[0] : undefined;
  if (host !== undefined) labels = labels.slice(1);
  if (labels.length !== 3 || labels[2] !== 'svc') return undefined;
  const [name, ns] = labels;
  const svc: KObject | undefined = src.services.get(ns, name);
  if (!svc || svc.spec?.type === 'ExternalName') return undefined;
  const out: Array<Omit<SrvRecord, 'weight'>> = [];
  const headless = !svc.spec?.clusterIP || svc.spec.clusterIP === 'None';
  if (host !== undefined && !headless) return undefined;
  if (!headless) {
    for (const p of svc.spec?.ports ?? []) if (wanted(p)) out.push({ priority: 0, port: p.port, target: `${name}.${ns}.svc.${CLUSTER_DOMAIN}` });
  } else {
    // A headless Service: its endpoints' own ports, under the Service's port names.
    for (const slice of src.slices.byIndex('service', `${ns}/${name}`)) {
      for (const e of slice.endpoints ?? []) {
        if (!published(svc, e)) continue;
        for (const ip of e.addresses ?? []) {
          const label = endpointLabel(e, ip);
          if (host !== undefined && label !== host) continue;
          for (const p of slice.ports ?? []) if (wanted(p)) out.push({ priority: 0, port: p.port, target: `${label}.${name}.${ns}.svc.${CLUSTER_DOMAIN}` });
        }
      }
    }
  }
  // A port or an endpoint the Service does not have is no name at all; a Service with no ports has no records.
  if (!out.length && (portName !== undefined || host !== undefined)) return undefined;
  const weight = out.length ? Math.floor(100 / out.length) : 0;
  return out.map((r) => ({ ...r, weight }));
}

function serviceRecords(src: DnsSources, ns: string, name: string): string[] {
  const svc: KObject | undefined = src.services.get(ns, name);
  if (!svc) return [];
  if (svc.spec?.type === 'ExternalName') return svc.spec.externalName ? [svc.spec.externalName] : [];
  if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return [...(svc.spec.clusterIPs ?? [svc.spec.clusterIP])];
  const ips = sliceEndpoints(src, ns, name).filter((e) => published(svc, e)).flatMap((e) => e.addresses);
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

/** The query types nslookup can ask (busybox's table); the model has records of five of them. */
export type QueryType = 'A' | 'AAAA' | 'CNAME' | 'PTR' | 'SRV' | 'MX' | 'NS' | 'SOA' | 'TXT' | 'ANY';

/** One answer record; `name` is its owner, as the question spelt it (CoreDNS echoes the question's case). */
export type DnsRecord =
  | { name: string; type: 'A'; data: string }
  | { name: string; type: 'CNAME' | 'PTR'; data: string }
  | { name: string; type: 'SRV'; data: string; srv: SrvRecord };

/**
 * A reply as the cluster DNS sends it: NXDOMAIN for a name that is not there, NOERROR with no answer (NODATA) for
 * one that is there without records of the type asked. Cluster names (cluster.local and the reverse zone) are
 * answered authoritatively; anything else is forwarded upstream, which the playground (offline) knows nothing of.
 */
export interface DnsReply {
  rcode: 'NOERROR' | 'NXDOMAIN';
  authoritative: boolean;
  answers: DnsRecord[];
}

const nxdomain = (authoritative: boolean): DnsReply => ({ rcode: 'NXDOMAIN', authoritative, answers: [] });

/**
 * Answers one question as CoreDNS's kubernetes plugin does (with `pods insecure`, kubeadm's Corefile). `qname` is
 * fully qualified, without its final dot. A: a Service's ClusterIP, a headless Service's published endpoints, one
 * endpoint under its hostname or dashed address, `a-b-c-d.<ns>.pod`; an ExternalName Service a CNAME (followed when
 * its target is a cluster name and has the record asked). AAAA: the same names, with no IPv6 record in this IPv4
 * cluster (NODATA). PTR (`d.c.b.a.in-addr.arpa`): a ClusterIP's Service name, else the address's name under every
 * Service it is an endpoint of.
 */
export function query(src: DnsSources, qname: string, type: QueryType, depth = 0): DnsReply {
  const name = qname.toLowerCase();
  if (name.endsWith('.in-addr.arpa')) return reverse(src, qname, type);
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (name !== CLUSTER_DOMAIN && !name.endsWith(suffix)) return nxdomain(false);
  if (type === 'SRV') {
    const srv = lookupSrv(src, name);
    return srv ? { rcode: 'NOERROR', authoritative: true, answers: srv.map((r) => ({ name: qname, type: 'SRV', data: r.target, srv: r })) } : nxdomain(true);
  }
  const found = addressesOf(src, name === CLUSTER_DOMAIN ? [] : name.slice(0, -suffix.length).split('.'));
  if (!found) return nxdomain(true);
  const answers: DnsRecord[] = [];
  if (found.cname) {
    const cname: DnsRecord = { name: qname, type: 'CNAME', data: found.cname };
    const target = found.cname.toLowerCase().replace(/\.$/, '');
    if (type === 'CNAME' || !target.endsWith(suffix)) {
      // A target elsewhere goes upstream, and the CNAME stays whatever upstream says (backend_lookup.go).
      if (type === 'A' || type === 'AAAA' || type === 'CNAME') answers.push(cname);
    } else if (depth < 7) {
      // A target of the zone is followed, and the CNAME kept only when the target has records of the type.
      const next = query(src, target, type, depth + 1).answers;
      if (next.length) answers.push(cname, ...next);
    }
  } else if (type === 'A') {
    for (const ip of found.ips) answers.push({ name: qname, type: 'A', data: ip });
  }
  return { rcode: 'NOERROR', authoritative: true, answers };
}

/** What a cluster name holds (labels without the zone): IPv4 addresses, an alias, or nothing (undefined: no such name). */
function addressesOf(src: DnsSources, labels: string[]): { ips: string[]; cname?: string } | undefined {
  const none = { ips: [] };
  // The zone's apex and its two branches are names without records.
  if (labels.length === 0 || (labels.length === 1 && (labels[0] === 'svc' || labels[0] === 'pod'))) return none;
  if (labels.length === 2 && (labels[1] === 'svc' || labels[1] === 'pod')) return namespaceKnown(src, labels[0]) ? none : undefined;
  // A pod's dashed address, or one endpoint under its Service.
  if ((labels.length === 3 && labels[2] === 'pod') || (labels.length === 4 && labels[3] === 'svc')) {
    const ips = lookup(src, `${labels.join('.')}.${CLUSTER_DOMAIN}`);
    return ips.length ? { ips } : undefined;
  }
  if (labels.length === 3 && labels[2] === 'svc') {
    const svc: KObject | undefined = src.services.get(labels[1], labels[0]);
    if (!svc) return undefined;
    if (svc.spec?.type === 'ExternalName') return svc.spec.externalName ? { ips: [], cname: svc.spec.externalName } : undefined;
    const ips = serviceRecords(src, labels[1], labels[0]);
    // A headless Service with no endpoint to publish has no records at all: CoreDNS says NXDOMAIN (errNoItems).
    return ips.length ? { ips } : undefined;
  }
  if (labels.length === 5 && labels[4] === 'svc' && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    // `_<port>._<proto>.<svc>.<ns>.svc`: the Service's addresses, while it has that port.
    return lookupSrv(src, `${labels.join('.')}.${CLUSTER_DOMAIN}`) ? addressesOf(src, labels.slice(2)) : undefined;
  }
  return undefined;
}

/** `d.c.b.a.in-addr.arpa` (reverse.go's serviceRecordForIP): the Service holding that ClusterIP, else an endpoint's name. */
function reverse(src: DnsSources, qname: string, type: QueryType): DnsReply {
  const labels = qname.toLowerCase().split('.');
  const octets = labels.slice(0, -2);
  // kubeadm's Corefile says `fallthrough in-addr.arpa ip6.arpa`: what the plugin does not know goes upstream.
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) < 256)) return nxdomain(false);
  const ip = [...octets].reverse().map(Number).join('.');
  const targets: string[] = [];
  const svc = src.services.list().find((x) => (x.spec?.clusterIPs ?? [x.spec?.clusterIP]).includes(ip));
  if (svc) targets.push(`${svc.metadata.name}.${svc.metadata.namespace}.svc.${CLUSTER_DOMAIN}`);
  else {
    // No ClusterIP: every Service endpoint with the address names it (serviceRecordForIP; PTR answers deduplicated).
    for (const slice of src.slices.list()) {
      const svcName = slice.metadata?.labels?.['kubernetes.io/service-name'];
      const svc = svcName ? src.services.get(slice.metadata.namespace, svcName) : undefined;
      if (!svc) continue;
      for (const e of slice.endpoints ?? []) {
        if (!published(svc, e) || !(e.addresses ?? []).includes(ip)) continue;
        const t = `${endpointLabel(e, ip)}.${svcName}.${slice.metadata.namespace}.svc.${CLUSTER_DOMAIN}`;
        if (!targets.includes(t)) targets.push(t);
      }
    }
  }
  if (!targets.length) return nxdomain(false);
  return { rcode: 'NOERROR', authoritative: true, answers: type === 'PTR' ? targets.map((t) => ({ name: qname, type: 'PTR' as const, data: t })) : [] };
}
