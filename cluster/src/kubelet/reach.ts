/**
 * Where a connection from a pod goes: the name resolved through the pod's
 * search path (when the cluster DNS answers it), a Service's address
 * translated to one of its endpoints by kube-proxy, the NetworkPolicies
 * judged on the pod behind it, and whether anything listens there. The
 * network commands (netcmds.ts) act on it; `traceConnection` tells it step
 * by step, for the "Check Connection" of the extension.
 */
import { CLUSTER_DNS_IP, CLUSTER_DOMAIN, searchOrder, type DnsReply, type QueryType } from '../network/dns';
import type { KObject } from '../contract';
import type { ConnectionTrace, Verdict } from '../../../kube/src/networkPolicy';
import { NODE_RESOLVER, resolverConfig, type ExecWorld } from './execenv';
import { hostsEntries } from './hostsfile';
import { podAnswers } from './podhttp';
import { isApiserverEndpoint, type PodApiServer } from '../network/apiserver';

export type { ConnectionTrace };

export const isIPv4 = (s: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(s);

export const namespaceOf = (w: ExecWorld) => w.pod.metadata.namespace ?? 'default';

/** Whether the nameserver in resolv.conf answers this pod (see ExecWorld.dnsServing). */
export const serving = (w: ExecWorld) => w.dnsServing?.() ?? true;

/** A dotted quad of octets, as inet_pton reads one. */
export const isAddress = (s: string) => isIPv4(s) && s.split('.').every((o) => Number(o) <= 255);

/** The name a PTR question asks for an address (make_ptr), or undefined when the argument is no address. */
export function ptrName(arg: string): string | undefined {
  return isAddress(arg) ? `${arg.split('.').reverse().join('.')}.in-addr.arpa` : undefined;
}
/**
 * Who answers at a nameserver address: the cluster DNS (its Service's address, or a CoreDNS pod's own, which the
 * DNS names under kube-dns), the node's resolver (it answers, but knows no cluster name), or nobody (the
 * playground is offline: 8.8.8.8 never replies).
 */
export function nameserverKind(w: ExecWorld, ip: string): 'cluster' | 'node' | 'none' {
  if (ip === CLUSTER_DNS_IP) return 'cluster';
  if (ip === NODE_RESOLVER) return 'node';
  const ptr = ptrName(ip);
  const r = ptr ? askClusterDns(w, ptr, 'PTR') : undefined;
  return r?.answers.some((a) => a.data.endsWith(`.kube-dns.kube-system.svc.${CLUSTER_DOMAIN}`)) ? 'cluster' : 'none';
}

/** One question, asked of the cluster DNS; undefined when no reply comes. */
export function askClusterDns(w: ExecWorld, qname: string, type: QueryType): DnsReply | undefined {
  if (!serving(w)) return undefined;
  const name = qname.replace(/\.$/, '');
  if (w.dnsQuery) return w.dnsQuery(name, type);
  // A world that knows only A lookups (the unit tests' worlds): an address, an alias, or no such name.
  const records = w.lookup(name.toLowerCase());
  if (!records.length) return { rcode: 'NXDOMAIN', authoritative: true, answers: [] };
  if (type !== 'A' && records.every(isIPv4)) return { rcode: 'NOERROR', authoritative: true, answers: [] };
  return {
    rcode: 'NOERROR', authoritative: true,
    answers: records.map((r) => (isIPv4(r) ? { name, type: 'A' as const, data: r } : { name, type: 'CNAME' as const, data: r })),
  };
}

/**
 * Resolves as the pod's libc does (getent, wget, curl, nc): /etc/hosts first (localhost, the pod's own names,
 * its hostAliases), then each name of the search order its resolv.conf gives (dnsPolicy, dnsConfig, ndots)
 * asked of its nameservers in turn, a server that does not reply passing the question to the next; the first
 * name with addresses wins. The cluster DNS answers the cluster's names; the node's resolver (dnsPolicy
 * Default, host network) knows none of them, and the playground reaches no other.
 */
export function resolveFromPod(w: ExecWorld, name: string): { fqdn: string; records: string[] } | undefined {
  if (isIPv4(name)) return { fqdn: name, records: [name] };
  const n = name.toLowerCase().replace(/\.$/, '');
  for (const e of hostsEntries(w.pod)) {
    if (isIPv4(e.ip) && e.names.some((h) => h.toLowerCase() === n)) return { fqdn: n, records: [e.ip] };
  }
  const cfg = resolverConfig(w.pod);
  const ndots = Number(cfg.options.find((o) => o.name === 'ndots')?.value ?? 1);
  const kinds = cfg.servers.slice(0, 3).map((s) => nameserverKind(w, s));
  for (const fqdn of searchOrder(name.toLowerCase(), cfg.search, Number.isFinite(ndots) ? ndots : 1)) {
    for (const kind of kinds) {
      if (kind === 'none' || (kind === 'cluster' && !serving(w))) continue;
      if (kind === 'node') break;
      const r = w.lookup(fqdn);
      if (r.length) return { fqdn, records: r };
      break;
    }
  }
  return undefined;
}

export interface Reach {
  /** The address dialed. */
  ip: string;
  /** The pod's own network namespace (127.x): never judged, always the pod itself. */
  loopback: boolean;
  /** The Service whose address it was, and the endpoint kube-proxy picked (`ip:port`). */
  service?: string;
  endpoint?: string;
  /** The pod that gets the connection (after kube-proxy's translation), and its address and port. */
  pod?: KObject;
  podName?: string;
  podIP?: string;
  port: number;
  /** The NetworkPolicies' judgement, when they were asked. */
  verdict?: Verdict;
  /** `timeout`: a policy dropped it; `refused`: nothing there, or nothing listening. */
  outcome: 'open' | 'refused' | 'timeout';
  /** The connection reached the kube-apiserver (the kubernetes Service's endpoint), which serves it. */
  apiserver?: PodApiServer;
}

/** A TCP connection from the world's pod to `ip:port`. */
export function reach(w: ExecWorld, ip: string, dialed: number): Reach {
  let podName: string | undefined, podIP: string | undefined, port = dialed;
  // Loopback is the pod's own network namespace: `curl localhost` in an nginx pod reaches that nginx.
  const loopback = ip.startsWith('127.');
  const r = loopback ? undefined : w.route(ip, dialed);
  // kube-proxy drops it (a Local traffic policy, and no endpoint on this node): the client hears nothing.
  if (r?.dropped) return { ip, loopback, port: dialed, service: r.service, outcome: 'timeout' };
  // The apiserver's endpoint is no pod's, even where a pod of an older state still holds that address.
  const toApiserver = !loopback && isApiserverEndpoint(r ? r.ip : ip, r ? r.port : dialed);
  let pod: KObject | undefined;
  if (toApiserver) {
    podIP = r ? r.ip : ip;
    port = r ? r.port : dialed;
  } else if (loopback) {
    pod = w.pod;
    podName = pod.metadata.name;
    podIP = pod.status?.podIP ?? ip;
  } else if (r) {
    podIP = r.ip;
    port = r.port;
    pod = w.podByIP(r.ip);
    // A hand-written endpoint names no pod: whichever running pod has that IP answers, if any.
    podName = r.podName || pod?.metadata?.name;
  } else {
    const p = w.podByIP(ip);
    if (p && p.status?.phase === 'Running') {
      pod = p;
      podName = p.metadata.name;
      podIP = ip;
    }
  }
  const base = { ip, loopback, pod, podName, podIP, port, ...(r ? { service: r.service, endpoint: `${r.ip}:${r.port}` } : {}) };
  const apiserverTrace = toApiserver && !r ? { endpoint: `${ip}:${dialed}` } : {};
  // The network plugin drops what the NetworkPolicies do not allow: the client hears nothing and times out.
  const verdict = !loopback && w.connect ? w.connect(pod ?? { ip: r?.ip ?? ip }, port, 'TCP') : undefined;
  if (verdict && !verdict.allowed) return { ...base, verdict, outcome: 'timeout' };
  // The apiserver answers there while the playground serves its API.
  if (toApiserver) {
    const server = w.apiserver?.();
    return server ? { ...base, ...apiserverTrace, verdict, outcome: 'open', apiserver: server } : { ...base, ...apiserverTrace, verdict, outcome: 'refused' };
  }
  // Nothing there, or nothing listens on that port (a Service's targetPort the image does not serve, say):
  // refused, as the kernel answers with a reset.
  if (!podName || (pod && !podAnswers(pod, port))) return { ...base, verdict, outcome: 'refused' };
  return { ...base, verdict, outcome: 'open' };
}

/** What a connection from the world's pod to `host:port` meets, step by step. */
export function traceConnection(w: ExecWorld, host: string, port: number): ConnectionTrace {
  const from = `${namespaceOf(w)}/${w.pod.metadata.name}`;
  const hit = resolveFromPod(w, host);
  const address = hit?.records.find(isIPv4);
  if (!address) return { from, host, port, dns: serving(w) ? 'unknown' : 'unanswered', outcome: 'unresolved' };
  const r = reach(w, address, port);
  return {
    from, host, port, fqdn: hit!.fqdn, address,
    ...(r.service ? { service: r.service, endpoint: r.endpoint } : r.endpoint ? { endpoint: r.endpoint } : {}),
    ...(r.podName ? { pod: `${r.pod?.metadata.namespace ?? namespaceOf(w)}/${r.podName}`, podIP: r.podIP, targetPort: r.port } : {}),
    ...(r.verdict ? { verdict: r.verdict } : {}),
    ...(r.apiserver ? { apiserver: true } : {}),
    outcome: r.outcome,
  };
}
