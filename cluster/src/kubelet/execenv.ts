/**
 * What a process inside a simulated container would see: its environment
 * (as the kubelet builds it, Service link variables included) and the few
 * files the kubelet and the runtime put there (/etc/hostname, /etc/hosts,
 * /etc/resolv.conf, the service-account namespace file and ConfigMap/Secret
 * volumes). Pure: everything comes from the `ExecWorld` handed in.
 */
import type { ServerConnection } from './accesslog';
import type { Api, KObject } from '../contract';
import { CLUSTER_DNS_IP, searchPath, type DnsReply, type QueryType } from '../network/dns';
import type { Disks } from './disk';
import type { IngressGateway } from './ingresssite';
import type { Verdict } from '../../../kube/src/networkPolicy';
import type { PodApiServer } from '../network/apiserver';
import { fieldValue, resourceFieldValue } from './downward';
import { kernelHostname } from './hostname';
import { debianImageEnv } from './debianroot';
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The simulation's truth, as seen from one container. */
export interface ExecWorld {
  pod: KObject;
  container: string;
  /** Simulated milliseconds since the epoch. */
  now(): number;
  /** A records of one fully qualified name (no search path applied). */
  lookup(fqdn: string): string[];
  /**
   * One question to the cluster DNS (a fully qualified name, no search path applied), answered as CoreDNS answers it;
   * undefined when no reply comes (the DNS does not answer this pod). Absent: only `lookup` knows names.
   */
  dnsQuery?(qname: string, type: QueryType): DnsReply | undefined;
  /**
   * Whether the cluster DNS server (the kube-dns Service at CLUSTER_DNS_IP)
   * answers at all: false while it has no ready endpoint, and then names time
   * out instead of resolving. Absent means it answers.
   */
  dnsServing?(): boolean;
  /** When the cluster DNS does not answer: whether kube-proxy refuses the queries (no ready endpoint) rather than dropping them. */
  dnsRefused?(): boolean;
  /** kube-proxy: which pod serves this Service IP and port. */
  route(ip: string, port: number): { podNamespace: string; podName: string; ip: string; port: number; service?: string; dropped?: boolean } | undefined;
  /** A running pod that owns this IP, for requests straight to a pod. */
  podByIP(ip: string): KObject | undefined;
  /**
   * The network plugin: whether a connection from this pod to that pod (or
   * address) at `port` opens under the NetworkPolicies. Absent: every one does.
   */
  connect?(to: KObject | { ip: string }, port: number, protocol: string): Verdict;
  /** Services of a namespace (for the Service link variables). */
  services(namespace: string): KObject[];
  configMap(namespace: string, name: string): KObject | undefined;
  secret(namespace: string, name: string): KObject | undefined;
  /** The same as they were at a time (the kubelet's last sync), when the world knows. */
  configAsOf?(table: '/configmaps' | '/secrets', namespace: string, name: string, at: number): KObject | undefined;
  /** What outlives one session: layers, emptyDirs, node disks, volumes (absent: a throwaway filesystem). */
  disks?: Disks;
  /** The PersistentVolume bound to a claim, when it is bound. */
  persistentVolume?(namespace: string, claim: string): KObject | undefined;
  /** What another container sees (the web server a request reaches, to read the files it serves). */
  worldOf?(pod: KObject, container: string): ExecWorld;
  /** The text of a projected serviceAccountToken source's file for this pod now (absent: no token issuer). */
  serviceAccountToken?(src: any): string | undefined;
  /** The Ingress routing of ingress-nginx controller pods (absent: they answer like any server). */
  ingress?: IngressGateway;
  /** The apiserver behind the kubernetes Service, while one serves pods (absent: connections to it are refused). */
  apiserver?(): PodApiServer | undefined;
  /** Writes a line to a running container's log (the access log of the server a request reached). */
  accessLog?(pod: KObject, container: string, line: string): void;
  /** A new connection to the server in a running container (nginx numbers them in its error log). */
  connection?(pod: KObject, container: string): ServerConnection | undefined;
  /** Text written to the container's first process's output (`echo hi > /proc/1/fd/1`): it goes to the container's log. */
  mainOutput?(text: string): void;
  /** The node the pod runs on (its CPUs decide how many workers nginx forks). */
  node?(): KObject | undefined;
  /** A container of this pod's first process ended (a signal from `kill`) with this exit code. */
  endContainer?(container: string, code: number): void;
  /** A signal to a container's first process: true when it is a played script whose shell traps it (and runs the trap). */
  signalScript?(container: string, sig: number): boolean;
  /** Whether the kubelet plays this container's script through the shell (which then makes its files itself). */
  playsScript?(container: string): boolean;
  /** The cluster's PID bookkeeping (procs.ts), one per playground; absent, each call starts afresh. */
  pidNamespaces?: Map<string, unknown>;
  /** The pod as it is now (`pod` is as it was when the session opened); undefined once it is gone. */
  currentPod?(): KObject | undefined;
}

/** What a world is built from: the Api for objects, the clock, and the DNS and kube-proxy models. */
export interface WorldSources {
  api: Api;
  /** A ConfigMap or Secret as it was at a time, given what it is now (configversions.ts). */
  configAsOf?(table: '/configmaps' | '/secrets', ns: string, name: string, at: number, current: KObject | undefined): KObject | undefined;
  now(): number;
  resolve(name: string): string[];
  /** One question to the cluster DNS from this pod (network/index.ts `dnsQuery`). */
  dnsQuery?(qname: string, type: QueryType, from?: KObject): DnsReply | undefined;
  /** Whether the cluster DNS answers, to this pod when one is given (its NetworkPolicies may drop the queries). */
  dnsServing(from?: KObject): boolean;
  /** Whether the kube-dns Service has no ready endpoint, so kube-proxy rejects its queries. */
  dnsRefused?(): boolean;
  route(ip: string, port: number, from?: { node?: string; fromPod?: boolean }): { podNamespace: string; podName: string; ip: string; port: number; service?: string; dropped?: boolean } | undefined;
  /** Whether a connection between two pods (or a pod and an address) opens under the NetworkPolicies. */
  connect?(from: KObject | { ip: string }, to: KObject | { ip: string }, port: number, protocol: string): Verdict;
  disks?: Disks;
  /** Issues the token a projected serviceAccountToken source holds. */
  token?(pod: KObject, src: any): string | undefined;
  ingress?: IngressGateway;
  apiserver?(): PodApiServer | undefined;
  accessLog?(pod: KObject, container: string, line: string): void;
  connection?(pod: KObject, container: string): ServerConnection | undefined;
  mainOutput?(pod: KObject, container: string, text: string): void;
  /** A running container's first process ended with `code` (the kubelet sees it at its next relist). */
  endContainer?(pod: KObject, container: string, code: number): void;
  signalScript?(pod: KObject, container: string, sig: number): boolean;
  playsScript?(pod: KObject, container: string): boolean;
  pidNamespaces?: Map<string, unknown>;
}

const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PVS = { group: '', version: 'v1', resource: 'persistentvolumes' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };

/** The world one container sees, read live from the cluster (for `kubectl exec` and for the scripts the kubelet plays). */
export function clusterWorld(src: WorldSources, pod: KObject, container: string): ExecWorld {
  const tryGet = (gvr: typeof PODS, ns: string | undefined, name: string) => { try { return src.api.get(gvr, ns, name); } catch { return undefined; } };
  const current = () => {
    const now = tryGet(PODS, pod.metadata.namespace, pod.metadata.name!);
    return now && now.metadata.uid === pod.metadata.uid ? now : undefined;
  };
  return {
    pod, container,
    now: () => src.now(),
    lookup: (fqdn) => src.resolve(`${fqdn}.`),
    dnsQuery: src.dnsQuery ? (qname, type) => src.dnsQuery!(qname, type, pod) : undefined,
    dnsServing: () => src.dnsServing(pod),
    dnsRefused: src.dnsRefused ? () => src.dnsRefused!() : undefined,
    // kube-proxy on the pod's node handles its connections (a hostNetwork pod's are the node's own).
    route: (ip, port) => src.route(ip, port, { node: pod.spec?.nodeName, fromPod: !pod.spec?.hostNetwork }),
    connect: src.connect ? (to, port, protocol) => src.connect!(pod, to, port, protocol) : undefined,
    podByIP: (ip) => (src.api.list(PODS, undefined).items as KObject[]).find((p) => p.status?.podIP === ip && p.status?.phase === 'Running'),
    services: (ns) => src.api.list(SERVICES, ns).items as KObject[],
    configMap: (ns, name) => tryGet(CONFIGMAPS, ns, name),
    secret: (ns, name) => tryGet(SECRETS, ns, name),
    configAsOf: src.configAsOf
      ? (table, ns, name, at) => src.configAsOf!(table, ns, name, at, tryGet(table === '/configmaps' ? CONFIGMAPS : SECRETS, ns, name))
      : undefined,
    disks: src.disks,
    worldOf: (p, c) => clusterWorld(src, p, c),
    serviceAccountToken: src.token ? (s) => src.token!(pod, s) : undefined,
    ingress: src.ingress,
    apiserver: src.apiserver,
    accessLog: src.accessLog,
    connection: src.connection,
    mainOutput: src.mainOutput ? (text) => src.mainOutput!(current() ?? pod, container, text) : undefined,
    node: () => (pod.spec?.nodeName ? tryGet(NODES, undefined, pod.spec.nodeName) : undefined),
    endContainer: src.endContainer ? (c, code) => src.endContainer!(current() ?? pod, c, code) : undefined,
    signalScript: src.signalScript ? (c, sig) => src.signalScript!(current() ?? pod, c, sig) : undefined,
    playsScript: src.playsScript ? (c) => src.playsScript!(current() ?? pod, c) : undefined,
    currentPod: current,
    pidNamespaces: src.pidNamespaces,
    persistentVolume: (ns, claim) => {
      const pvc = tryGet(PVCS, ns, claim);
      const pv = pvc?.spec?.volumeName ? tryGet(PVS, undefined, pvc.spec.volumeName) : undefined;
      return pv && pvc?.status?.phase === 'Bound' ? pv : undefined;
    },
  };
}

const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

export function containerSpecOf(w: ExecWorld): any {
  const all: any[] = [...(w.pod.spec?.containers ?? []), ...(w.pod.spec?.initContainers ?? []), ...(w.pod.spec?.ephemeralContainers ?? [])];
  return all.find((c) => c.name === w.container) ?? {};
}

/** Upstream's link variables of one Service (pkg/kubelet/envvars). */
function serviceVars(svc: KObject): Array<[string, string]> {
  const ip: string | undefined = svc.spec?.clusterIP;
  const ports: any[] = svc.spec?.ports ?? [];
  if (!ip || ip === 'None' || !ports.length) return [];
  const n = envName(svc.metadata.name!);
  const out: Array<[string, string]> = [[`${n}_SERVICE_HOST`, ip], [`${n}_SERVICE_PORT`, String(ports[0].port)]];
  for (const p of ports) if (p.name) out.push([`${n}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${ip}:${p.port}`;
    if (i === 0) out.push([`${n}_PORT`, url]);
    const prefix = `${n}_PORT_${p.port}_${proto.toUpperCase()}`;
    out.push([prefix, url], [`${prefix}_PROTO`, proto], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
  });
  return out;
}

export function decodeSecret(secret: KObject | undefined, key: string): string | undefined {
  const v = secret?.data?.[key];
  if (typeof v === 'string') return Buffer.from(v, 'base64').toString('utf8');
  return secret?.stringData?.[key];
}

/**
 * `$(VAR)` references expand, `$$(VAR)` escapes, as the kubelet does: the sources are the variables declared so
 * far, then the Service link variables (kubelet_pods.go makeEnvironmentVariables: MappingFuncFor(tmpEnv, serviceEnv)).
 */
function expand(value: string, env: Map<string, string>, links: Map<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name) => {
    if (all === '$$') return '$';
    return env.has(name) ? env.get(name)! : links.has(name) ? links.get(name)! : all;
  });
}

/** The container instance an exec reaches (its containerID and start), when the container has started. */
export function instanceOf(pod: KObject, container: string): { id?: string; startedAt?: number } {
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
  const s = statuses.find((x) => x.name === container);
  const at = Date.parse(s?.state?.running?.startedAt ?? '');
  return { id: s?.containerID || undefined, startedAt: Number.isNaN(at) ? undefined : at };
}

/** Whether the container's variables read ConfigMaps or Secrets (what the kubelet resolves once, at start). */
export function envReadsObjects(spec: any): boolean {
  return !!spec?.envFrom?.length || !!spec?.env?.some((e: any) => e?.valueFrom?.configMapKeyRef || e?.valueFrom?.secretKeyRef);
}

/** `env` and `envFrom` resolved now: values from ConfigMaps, Secrets and the downward API, `$(VAR)` expanded. */
export function declaredEnv(w: ExecWorld): Map<string, string> {
  const pod = w.pod;
  const ns = pod.metadata.namespace ?? 'default';
  const spec = containerSpecOf(w);
  const env = new Map<string, string>();
  let links: Map<string, string> | undefined;
  for (const from of spec.envFrom ?? []) {
    const src = from.configMapRef ? w.configMap(ns, from.configMapRef.name)?.data : from.secretRef ? w.secret(ns, from.secretRef.name) : undefined;
    const keys = from.configMapRef ? Object.keys(src ?? {}) : Object.keys((src as any)?.data ?? {});
    for (const k of keys) {
      const v = from.configMapRef ? (src as any)[k] : decodeSecret(src as any, k);
      if (v !== undefined) env.set(`${from.prefix ?? ''}${k}`, v);
    }
  }
  for (const e of spec.env ?? []) {
    if (e.valueFrom) {
      const vf = e.valueFrom;
      let v: string | undefined;
      if (vf.configMapKeyRef) v = w.configMap(ns, vf.configMapKeyRef.name)?.data?.[vf.configMapKeyRef.key];
      else if (vf.secretKeyRef) v = decodeSecret(w.secret(ns, vf.secretKeyRef.name), vf.secretKeyRef.key);
      else if (vf.fieldRef) v = fieldValue(pod, vf.fieldRef.fieldPath);
      else if (vf.resourceFieldRef) v = resourceFieldValue(pod, spec, vf.resourceFieldRef, w.node?.()?.status?.allocatable);
      if (v !== undefined) env.set(e.name, v);
    } else {
      env.set(e.name, expand(e.value ?? '', env, links ??= serviceLinks(w)));
    }
  }
  return env;
}

/** The variables kept at the container's start (startsnap.ts), or undefined when there are none or they do not read back. */
function keptEnv(saved: unknown): Map<string, string> | undefined {
  if (!saved || typeof saved !== 'object' || !('data' in saved)) return undefined;
  try {
    const pairs = JSON.parse(Buffer.from((saved as { data: Uint8Array }).data).toString('utf8'));
    return Array.isArray(pairs) && pairs.every((p) => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string') ? new Map(pairs) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Service link variables the container gets: the pod's namespace's Services (unless disabled), and always the
 * apiserver's own Service; those created after the container started are not in its environment.
 */
function serviceLinks(w: ExecWorld): Map<string, string> {
  const pod = w.pod;
  const ns = pod.metadata.namespace ?? 'default';
  const inst = instanceOf(pod, w.container);
  const before = (s: KObject) => inst.startedAt === undefined || !(Date.parse(s.metadata.creationTimestamp ?? '') > inst.startedAt);
  const links = new Map<string, string>();
  const svcs = pod.spec?.enableServiceLinks === false ? [] : w.services(ns);
  const master = w.services('default').filter((s) => s.metadata.name === 'kubernetes');
  for (const s of [...master, ...svcs]) if (before(s)) for (const [k, v] of serviceVars(s)) links.set(k, v);
  return links;
}

/**
 * The container's environment in the order `env` prints it. It is fixed when
 * the container starts, as the kubelet builds it once: ConfigMap and Secret
 * values as they were then (startsnap.ts keeps them), and the link variables
 * of the Services that existed then. A change needs a new container.
 */
export function containerEnv(w: ExecWorld): Array<[string, string]> {
  const pod = w.pod;
  const inst = instanceOf(pod, w.container);
  const snap = inst.id ? w.disks?.startSnapshot('env', pod.metadata.uid ?? pod.metadata.name ?? '', w.container, inst.id) : undefined;
  const env = keptEnv(snap?.entries.get('env.json')) ?? declaredEnv(w);
  const links = serviceLinks(w);
  const out: Array<[string, string]> = [['PATH', DEFAULT_PATH], ['HOSTNAME', kernelHostname(pod)]];
  // The image's ENV comes next, as containerd merges the image config's Env with the container's (oci.WithEnv,
  // replaceOrAppendEnvValues): a variable the pod sets replaces the image's in its place.
  const image = debianImageEnv(String(containerSpecOf(w).image ?? ''));
  for (const [k, v] of image) out.push([k, env.get(k) ?? v]);
  const fromImage = image.length ? new Set(image.map(([k]) => k)) : undefined;
  for (const k of [...links.keys()].sort()) if (!env.has(k)) out.push([k, links.get(k)!]);
  for (const [k, v] of env) if (!fromImage?.has(k)) out.push([k, v]);
  if (!env.has('HOME')) out.push(['HOME', '/root']);
  return out;
}

/**
 * The node's resolver, which `dnsPolicy: Default` (and host-network) pods get from the node's /etc/resolv.conf (the
 * kubelet's --resolv-conf): Docker writes its embedded DNS, 127.0.0.11, there, and kind's entrypoint
 * (enable_network_magic) replaces it with the docker host's address, the node's default gateway on docker's `kind`
 * network when host.docker.internal does not resolve (Docker Engine on Linux). It knows nothing of cluster.local.
 */
export const NODE_RESOLVER = '172.18.0.1';
/** The options of that file: Docker's embedded resolver asks for ndots:0 (libnetwork Resolver.ResolverOptions). */
const NODE_RESOLVER_OPTIONS = [{ name: 'ndots', value: '0' }];

/** What the kubelet puts in a pod's /etc/resolv.conf (dnsPolicy, dnsConfig): nameservers, search list, options. */
export interface ResolverConfig {
  servers: string[];
  search: string[];
  options: Array<{ name: string; value?: string }>;
}

/** The resolver's limits the kubelet keeps a pod's file within (validation.go MaxDNSNameservers, MaxDNSSearchPaths, MaxDNSSearchListChars). */
const MAX_NAMESERVERS = 3;
const MAX_SEARCH_PATHS = 32;
const MAX_SEARCH_LIST_CHARS = 2048;

/** omitDuplicates: the first of each, in order. */
const omitDuplicates = (list: string[]) => [...new Set(list)];

/**
 * GetPodDNS (pkg/kubelet/network/dns/dns.go): the policy's base (the node's resolver for Default and for a
 * host-network pod without ClusterFirstWithHostNet, the cluster DNS for ClusterFirst, nothing for None), then the
 * pod's dnsConfig appended without duplicates (appendDNSConfig; an option of the same name replaces the base's),
 * then cut to what libc reads (formDNSConfigFitsLimits): 3 nameservers, 32 search domains and 2048 characters of
 * search line, the domains cut from the end. Each cut is a DNSConfigForming warning, in the kubelet's words.
 */
function formPodDns(pod: KObject): { config: ResolverConfig; warnings: string[] } {
  const ns = pod.metadata.namespace ?? 'default';
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const host = policy === 'Default' || (pod.spec?.hostNetwork && policy === 'ClusterFirst');
  const none = policy === 'None';
  let servers: string[] = host ? [NODE_RESOLVER] : none ? [] : [CLUSTER_DNS_IP];
  let search: string[] = host || none ? [] : searchPath(ns);
  const options: Array<{ name: string; value?: string }> = host ? [...NODE_RESOLVER_OPTIONS] : none ? [] : [{ name: 'ndots', value: '5' }];
  const cfg = pod.spec?.dnsConfig;
  if (cfg) {
    servers = omitDuplicates([...servers, ...(cfg.nameservers ?? [])]);
    search = omitDuplicates([...search, ...(cfg.searches ?? [])]);
    for (const o of cfg.options ?? []) {
      const i = options.findIndex((x) => x.name === o.name);
      if (i >= 0) options[i] = o;
      else options.push(o);
    }
  }
  const warnings: string[] = [];
  if (servers.length > MAX_NAMESERVERS) {
    servers = servers.slice(0, MAX_NAMESERVERS);
    warnings.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}`);
  }
  let cut = false;
  if (search.length > MAX_SEARCH_PATHS) {
    search = search.slice(0, MAX_SEARCH_PATHS);
    cut = true;
  }
  while (search.join(' ').length > MAX_SEARCH_LIST_CHARS) {
    search = search.slice(0, -1);
    cut = true;
  }
  if (cut) warnings.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${search.join(' ')}`);
  return { config: { servers, search, options }, warnings };
}

export function resolverConfig(pod: KObject): ResolverConfig {
  return formPodDns(pod).config;
}

/** The DNSConfigForming warnings the kubelet records each time it makes the pod's sandbox. */
export function dnsConfigWarnings(pod: KObject): string[] {
  return formPodDns(pod).warnings;
}

export function resolvConf(pod: KObject): string {
  const { servers, search, options } = resolverConfig(pod);
  let text = '';
  if (search.length) text += `search ${search.join(' ')}\n`;
  for (const s of servers) text += `nameserver ${s}\n`;
  if (options.length) text += `options ${options.map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : o.name)).join(' ')}\n`;
  return text;
}
