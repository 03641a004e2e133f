/**
 * What the kind cluster's own programs write to their logs, for `kubectl logs -n kube-system <pod>`: CoreDNS's
 * startup, and kindnetd's startup and its node loop. Generated when asked, like the rest of containerLogLines:
 * nothing is stored per line, and an image the playground does not model here gets undefined (the generic lines).
 */
import type { KObject } from '../contract';
import { corefileSha512, KUBEADM_COREFILE } from './corefile';
import { KUBERNETES_SERVICE_IP } from '../network/apiserver';
import { fnv } from '../runtime/hash';

/** A node as a program that lists nodes sees it. */
export interface ClusterNode { name: string; internalIPs: string[]; podCIDRs: string[]; created: number }

/** What a system program learns of its machine and cluster (HostFacts' part the generic images do not need). */
export interface SystemFacts { cpus: number; nodes?: () => ClusterNode[]; leaseHolder?: (name: string) => string | undefined }

/** Lines with when each was written, and how many older ones the log no longer keeps. */
export type TimedLines = string[] & { times: number[]; dropped?: number };

/** As many lines as the kubelet keeps of a container's output (scriptrun.ts LOG_LINES). */
const KEEP_LINES = 10_000;

const two = (n: number) => String(n).padStart(2, '0');

/**
 * klog's text header (k8s.io/klog/v2 formatHeader): severity, MMDD, hh:mm:ss.uuuuuu in the container's zone
 * (UTC), the PID right-aligned in 7 columns, then `file:line] `. `us` is the time in microseconds.
 */
export function klogLine(severity: 'I' | 'W' | 'E', us: number, pid: number, at: string, msg: string): string {
  const t = new Date(Math.floor(us / 1000));
  const micros = String(Math.floor(us % 1_000_000)).padStart(6, '0');
  return `${severity}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}:${two(t.getUTCSeconds())}.${micros} ${String(pid).padStart(7)} ${at}] ${msg}`;
}

class Log {
  readonly lines: string[] = [];
  readonly times: number[] = [];
  add(ms: number, line: string): void { this.lines.push(line); this.times.push(Math.floor(ms)); }
  done(dropped = 0): TimedLines {
    const out = Object.assign(this.lines, { times: this.times }) as TimedLines;
    if (dropped) out.dropped = dropped;
    return out;
  }
}

/** klog lines (PID 1) of a process that started at `startedAt`: each `ms` and `micros` after that start. */
function klogFrom(log: Log, startedAt: number): (ms: number, micros: number, severity: 'I' | 'E', site: string, msg: string) => void {
  return (ms, micros, severity, site, msg) => {
    const us = startedAt * 1000 + ms * 1000 + micros;
    log.add(us / 1000, klogLine(severity, us, 1, site, msg));
  };
}

const envValue = (container: any, name: string): string | undefined => (container.env ?? []).find((e: any) => e?.name === name && typeof e.value === 'string')?.value;

/** The lines of a system image's process, or undefined for an image (or a command) not modelled here. */
export function systemLog(pod: KObject, container: any, repository: string, tag: string, startedAt: number, now: number, facts: SystemFacts): TimedLines | undefined {
  if (repository === 'coredns/coredns') return corednsLog(container, tag, startedAt, facts);
  if (repository === 'kindest/kindnetd') return kindnetdLog(pod, container, startedAt, now, facts);
  if (repository === 'kube-proxy') return kubeProxyLog(pod, container, tag, startedAt);
  if (repository === 'kube-scheduler') return schedulerLog(container, tag, startedAt);
  if (repository === 'kube-apiserver') return apiserverLog(container, tag, startedAt);
  if (repository === 'kube-controller-manager') return controllerManagerLog(container, tag, startedAt, facts);
  return undefined;
}

/** The Go toolchain and commit CoreDNS releases were built with, as releaseString prints them. */
const COREDNS_BUILDS: Record<string, string> = { 'v1.12.1': 'go1.24.1, 707c7c1', '1.12.1': 'go1.24.1, 707c7c1' };

/**
 * CoreDNS with kubeadm's arguments (`-conf /etc/coredns/Corefile`), which reads the Corefile of the `coredns`
 * ConfigMap. In order (coremain/run.go Run): automaxprocs' line through log.Printf (LogFlags 0: no timestamp);
 * caddy.Start, whose startup hooks print the server's zones (core/dnsserver OnStartupComplete, `.:53`) and the
 * reload plugin's digest of the Corefile; then showVersion's `CoreDNS-<version>` and `<os>/<arch>, <go>, <commit>`.
 * The playground does not re-read an edited ConfigMap (the reload plugin's `[INFO] Reloading` lines), so the
 * digest is that of the Corefile kubeadm wrote.
 */
function corednsLog(container: any, tag: string, startedAt: number, facts: SystemFacts): TimedLines | undefined {
  const args = [...(container.command ?? []), ...(container.args ?? [])];
  const build = COREDNS_BUILDS[tag];
  if (!build || args.join(' ') !== '-conf /etc/coredns/Corefile') return undefined;
  const log = new Log();
  log.add(startedAt, maxprocs(container, facts.cpus));
  log.add(startedAt, '.:53');
  log.add(startedAt, `[INFO] plugin/reload: Running configuration SHA512 = ${corefileSha512(KUBEADM_COREFILE)}`);
  log.add(startedAt, `CoreDNS-${tag.replace(/^v/, '')}`);
  log.add(startedAt, `linux/amd64, ${build}`);
  return log.done();
}

/**
 * go.uber.org/automaxprocs maxprocs.Set: GOMAXPROCS from the environment is honoured; without a CPU limit (no
 * CFS quota) Go's default, the machine's CPUs, stays; a limit gives floor(cores), at least 1.
 */
function maxprocs(container: any, cpus: number): string {
  const env = envValue(container, 'GOMAXPROCS');
  if (env !== undefined) return `maxprocs: Honoring GOMAXPROCS=${JSON.stringify(env)} as set in environment`;
  const limit = cpuCores(container.resources?.limits?.cpu);
  if (limit === undefined) return `maxprocs: Leaving GOMAXPROCS=${cpus}: CPU quota undefined`;
  const procs = Math.floor(limit);
  return procs < 1 ? 'maxprocs: Updating GOMAXPROCS=1: using minimum allowed GOMAXPROCS' : `maxprocs: Updating GOMAXPROCS=${procs}: determined from CPU quota`;
}

function cpuCores(q: unknown): number | undefined {
  if (q === undefined || q === null || q === '') return undefined;
  const s = String(q);
  const n = s.endsWith('m') ? Number(s.slice(0, -1)) / 1000 : Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** kindnetd's main loop period (`time.Sleep(10 * time.Second)`). */
const KINDNETD_PERIOD_MS = 10_000;

/**
 * kindnetd (kind's images/kindnetd/cmd/kindnetd/main.go), PID 1, klog to stderr. It probes CONTROL_PLANE_ENDPOINT
 * and talks to the apiserver there (else in-cluster, the kubernetes Service), prints HOST_IP and POD_IP (one
 * Infof, so `podIP = ` begins a line of its own), the CNI's MTU (kind's network: 1500), the IP family and the
 * no-masquerade subnets of POD_SUBNET. Its loop then reads the node informer's lister every 10 s; the informer
 * has just started when the first pass reads it (no WaitForCacheSync), so the first pass sees no node. Each later
 * pass prints every node: `Handling node with IPs: map[<ip>:{}]` (a sets.Set printed with %v), then `handling
 * current node` for its own, or `Node <name> has CIDR [<cidrs>] ` (the format's trailing space kept) for the
 * others. The lister's order is a Go map's; here it is by name.
 *
 * File:line: the startup calls as a kind cluster with CONTROL_PLANE_ENDPOINT logged them (main.go:316 probe,
 * :102 connected, :107 hostIP, :116 mtu, :146 family, :150 noMask; kindnetd of 2023, the nearest such log found);
 * the loop's as a kind v0.29/v0.30 cluster (this image) logged them: :320 Handling, :347 has CIDR, and :324 for
 * `handling current node`, four lines below Handling in every version of main.go read.
 */
function kindnetdLog(pod: KObject, container: any, startedAt: number, now: number, facts: SystemFacts): TimedLines | undefined {
  if ((container.command ?? []).length || (container.args ?? []).length) return undefined;
  const hostIP = pod.status?.hostIP ?? pod.status?.podIP ?? '';
  const endpoint = envValue(container, 'CONTROL_PLANE_ENDPOINT');
  const subnets = (envValue(container, 'POD_SUBNET') ?? '').trim().split(',').filter(Boolean);
  const v6 = subnets.filter((s) => s.includes(':'));
  const v4 = subnets.filter((s) => !s.includes(':'));
  const family = v4.length && v6.length ? 'dualstack' : v6.length ? 'ipv6' : 'ipv4';
  const log = new Log();
  // The gaps between lines are a running program's (tens to a couple of hundred microseconds, never the same twice in
  // a row); they come from a hash of the pod and the line, since a log is made again at every read.
  const jitter = gapsFor(String(pod.metadata.uid ?? pod.metadata.name));
  let us = startedAt * 1000 + 900 + jitter(0, 0) % 200;
  let line = 0;
  let pass0 = 0;
  const info = (at: string, msg: string) => { us += 20 + (jitter(pass0, ++line) % 170); log.add(us / 1000, klogLine('I', us, 1, at, msg)); };
  if (endpoint) info('main.go:316', `probe TCP address ${endpoint}`);
  info('main.go:102', `connected to apiserver: https://${endpoint ?? `${KUBERNETES_SERVICE_IP}:443`}`);
  info('main.go:107', `hostIP = ${hostIP}`);
  log.add(us / 1000, `podIP = ${pod.status?.podIP ?? hostIP}`);
  info('main.go:116', 'setting mtu 1500 for CNI ');
  info('main.go:146', `kindnetd IP family: "${family}"`);
  if (v4.length) info('main.go:150', `noMask IPv4 subnets: [${v4.join(' ')}]`);
  if (v6.length) info('main.go:166', `noMask IPv6 subnets: [${v6.join(' ')}]`);

  const passes = Math.floor(Math.max(0, now - startedAt) / KINDNETD_PERIOD_MS);
  if (!passes || !facts.nodes) return log.done();
  const nodes = facts.nodes().slice().sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pass = (at: number): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    for (const n of nodes) {
      if (n.created > at) continue;
      out.push(['main.go:320', `Handling node with IPs: map[${n.internalIPs.map((ip) => `${ip}:{}`).sort().join(' ')}]`]);
      if (n.internalIPs.includes(hostIP)) out.push(['main.go:324', 'handling current node']);
      else if (n.podCIDRs.length) out.push(['main.go:347', `Node ${n.name} has CIDR [${n.podCIDRs.join(' ')}] `]);
    }
    return out;
  };
  // The log keeps its newest KEEP_LINES lines (scriptrun.ts appendLines): only the passes that can show are made.
  const per = Math.max(1, pass(startedAt + passes * KINDNETD_PERIOD_MS).length);
  const first = Math.max(1, passes - Math.ceil(KEEP_LINES / per));
  let dropped = 0;
  for (const n of nodes) {
    // The passes before `first` that saw this node, each with its one or two lines.
    const from = Math.max(1, Math.ceil((n.created - startedAt) / KINDNETD_PERIOD_MS));
    const lines = n.internalIPs.includes(hostIP) || n.podCIDRs.length ? 2 : 1;
    dropped += Math.max(0, first - from) * lines;
  }
  for (let k = first; k <= passes; k++) {
    const at = startedAt + k * KINDNETD_PERIOD_MS;
    // Each pass's ticker fires a few milliseconds off the 10 s mark, as a loaded goroutine scheduler makes it.
    pass0 = k;
    line = 0;
    us = at * 1000 + 1_000 + (jitter(k, 0) % 8_000);
    for (const [site, msg] of pass(at)) info(site, msg);
  }
  if (log.lines.length > KEEP_LINES) {
    const gone = log.lines.length - KEEP_LINES;
    log.lines.splice(0, gone);
    log.times.splice(0, gone);
    dropped += gone;
  }
  return log.done(dropped);
}

/**
 * A deterministic stream of pseudo-random numbers for (pass, line) of one log: FNV-1a of the seed, mixed with both
 * numbers by a 32-bit finaliser (murmur3's fmix32). Not the playground's seeded random source, which a read must not
 * advance.
 */
function gapsFor(seed: string): (pass: number, line: number) => number {
  const h = fnv(seed);
  return (pass, line) => {
    let x = (h ^ Math.imul(pass + 1, 0x9e3779b1) ^ Math.imul(line + 1, 0x85ebca6b)) >>> 0;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return (x ^ (x >>> 16)) >>> 0;
  };
}

/** Go's %q of a string list, as klog's structured values print a []string: `["a","b"]`. */
const goStrings = (list: string[]) => `[${list.map((x) => JSON.stringify(x)).join(',')}]`;

/**
 * kube-proxy as kubeadm's DaemonSet runs it (`--config=/var/lib/kube-proxy/config.conf`, no -v: verbosity 0) with
 * kind's KubeProxyConfiguration (mode iptables; conntrack.maxPerCore 0, so no nf_conntrack_max line;
 * nodePortAddresses and iptables.localhostNodePorts unset). Its structured klog lines at v=0, in the order
 * cmd/kube-proxy/app (server.go, server_linux.go) and pkg/proxy/iptables/proxier.go write them: the mode, the
 * node informer's wait for the node's IPs, the configuration warning about nodePortAddresses, the dual-stack
 * note, the Proxier, route_localnet, the version, then the four config controllers (service, endpoint slice,
 * serviceCIDR, node; they start on goroutines, here in that order), the node's cache synced at once and the
 * others at WaitForCacheSync's next poll, 100 ms on. Nothing more at v=0 (its syncs log at v=2).
 * File:line as a v1.34.0 kubeadm cluster logged them (server_linux.go:53, server.go:219, :256, :265, :527, :529,
 * server_linux.go:132, proxier.go:242, config.go:200/106/403/309, shared_informer.go:349/356); a v1.34.5 one logs
 * the same server.go lines, so v1.34.1, between them, is taken to as well. The conntrack `Set sysctl` lines a node
 * prints only when its kernel's timeouts differ from kube-proxy's are left out.
 */
function kubeProxyLog(pod: KObject, container: any, tag: string, startedAt: number): TimedLines | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  if (!/(^|\/)kube-proxy$/.test(argv[0] ?? '') || !argv.includes('--config=/var/lib/kube-proxy/config.conf') || !/^v\d+\.\d+\.\d+$/.test(tag)) return undefined;
  const nodeIP = pod.status?.hostIP ?? pod.status?.podIP ?? '';
  const log = new Log();
  const at = klogFrom(log, startedAt);
  const waiting = (c: string) => `"Waiting for caches to sync" controller="${c}"`;
  const synced = (c: string) => `"Caches are synced" controller="${c}"`;
  at(0, 113, 'I', 'server_linux.go:53', '"Using iptables proxy"');
  at(418, 928, 'I', 'shared_informer.go:349', waiting('node informer cache'));
  at(519, 717, 'I', 'shared_informer.go:356', synced('node informer cache'));
  at(519, 762, 'I', 'server.go:219', `"Successfully retrieved NodeIPs" NodeIPs=${goStrings([nodeIP])}`);
  at(594, 733, 'E', 'server.go:256', '"Kube-proxy configuration may be incomplete or incorrect" err="nodePortAddresses is unset; NodePort connections will be accepted on all local IPs. Consider using `--nodeport-addresses primary`"');
  at(689, 271, 'I', 'server.go:265', '"kube-proxy running in dual-stack mode" primary ipFamily="IPv4"');
  at(689, 324, 'I', 'server_linux.go:132', '"Using iptables Proxier"');
  at(695, 144, 'I', 'proxier.go:242', '"Setting route_localnet=1 to allow node-ports on localhost; to change this either disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses (--nodeport-addresses) to filter loopback addresses" ipFamily="IPv4"');
  at(726, 391, 'I', 'server.go:527', `"Version info" version="${tag}"`);
  at(726, 429, 'I', 'server.go:529', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  const controllers: Array<[string, string]> = [['config.go:200', 'service config'], ['config.go:106', 'endpoint slice config'], ['config.go:403', 'serviceCIDR config'], ['config.go:309', 'node config']];
  let micros = 756;
  for (const [site, name] of controllers) {
    at(727, micros, 'I', site, `"Starting ${name} controller"`);
    at(727, micros + 11, 'I', 'shared_informer.go:349', waiting(name));
    micros += 29;
  }
  at(727, micros, 'I', 'shared_informer.go:356', synced('node config'));
  ['service config', 'endpoint slice config', 'serviceCIDR config'].forEach((name, i) => at(828, 851 + i * 105, 'I', 'shared_informer.go:356', synced(name)));
  return log.done();
}

/** The value of a `--flag=value` argument. */
const flag = (argv: string[], name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/** A control-plane binary of kubeadm's static pod (`kube-scheduler --…`) at a release tag, with its arguments. */
function staticArgs(container: any, binary: string, tag: string): string[] | undefined {
  const argv = [...(container.command ?? []), ...(container.args ?? [])];
  return argv[0] === binary && /^v\d+\.\d+\.\d+$/.test(tag) ? argv : undefined;
}

/**
 * kube-scheduler as kubeadm's static pod runs it, at v=0: the in-memory serving certificate, the version, the
 * secure port on --bind-address, the authentication ConfigMap controllers and their caches, then client-go's
 * leader election (leaderelection.go: `attempting to acquire leader lease <ns>/<name>...`, then `successfully
 * acquired lease <ns>/<name>`; the playground's scheduler holds kube-system/kube-scheduler from the start).
 * File:line as v1.34.0 and v1.34.5 clusters logged them (server.go:175/177 in both); the acquired line's as the
 * controller manager of v1.34.5 logged it (leaderelection.go:271, the same client-go). A real control plane's
 * scheduler often starts before the apiserver serves RBAC and first logs `forbidden` warnings; this one does not.
 */
function schedulerLog(container: any, tag: string, startedAt: number): TimedLines | undefined {
  const argv = staticArgs(container, 'kube-scheduler', tag);
  if (!argv) return undefined;
  const log = new Log();
  const at = klogFrom(log, startedAt);
  const cm = 'client-ca::kube-system::extension-apiserver-authentication::';
  const leader = flag(argv, 'leader-elect') !== 'false';
  at(0, 708, 'I', 'serving.go:386', 'Generated self-signed cert in-memory');
  at(282, 660, 'I', 'server.go:175', `"Starting Kubernetes Scheduler" version="${tag}"`);
  at(282, 675, 'I', 'server.go:177', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  at(284, 931, 'I', 'secure_serving.go:211', `Serving securely on ${flag(argv, 'bind-address') ?? '0.0.0.0'}:${flag(argv, 'secure-port') ?? '10259'}`);
  at(284, 974, 'I', 'requestheader_controller.go:180', 'Starting RequestHeaderAuthRequestController');
  at(285, 579, 'I', 'configmap_cafile_content.go:205', `"Starting controller" name="${cm}client-ca-file"`);
  at(285, 591, 'I', 'shared_informer.go:349', `"Waiting for caches to sync" controller="${cm}client-ca-file"`);
  at(285, 601, 'I', 'tlsconfig.go:243', '"Starting DynamicServingCertificateController"');
  at(286, 102, 'I', 'configmap_cafile_content.go:205', `"Starting controller" name="${cm}requestheader-client-ca-file"`);
  at(286, 107, 'I', 'shared_informer.go:349', '"Waiting for caches to sync" controller="RequestHeaderAuthRequestController"');
  at(286, 110, 'I', 'shared_informer.go:349', `"Waiting for caches to sync" controller="${cm}requestheader-client-ca-file"`);
  if (leader) at(385, 476, 'I', 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-scheduler...');
  at(385, 684, 'I', 'shared_informer.go:356', `"Caches are synced" controller="${cm}client-ca-file"`);
  at(386, 194, 'I', 'shared_informer.go:356', '"Caches are synced" controller="RequestHeaderAuthRequestController"');
  at(386, 559, 'I', 'shared_informer.go:356', `"Caches are synced" controller="${cm}requestheader-client-ca-file"`);
  if (leader) at(391, 205, 'I', 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-scheduler');
  return log.done();
}

/**
 * kube-controller-manager as kubeadm's static pod runs it, at v=0: the serving certificate, `"Starting"` with
 * its version, the request-header and client CA file controllers (kubeadm's --requestheader-client-ca-file and
 * --client-ca-file), the secure port, leader election with the LeaderElection event it records (event.go's
 * `"Event occurred"`, the holder being the Lease's `<node>_<uuid>`), then the first controller it starts, the
 * service account tokens controller, before the rest. File:line as a v1.34.5 cluster logged them. What follows
 * (each controller's own start lines and `"Started controller"`, some fifty of them) is not modelled: the log
 * ends at the tokens controller's cache wait.
 */
function controllerManagerLog(container: any, tag: string, startedAt: number, facts: SystemFacts): TimedLines | undefined {
  const argv = staticArgs(container, 'kube-controller-manager', tag);
  if (!argv) return undefined;
  const log = new Log();
  const at = klogFrom(log, startedAt);
  const leader = flag(argv, 'leader-elect') !== 'false';
  at(0, 964, 'I', 'serving.go:386', 'Generated self-signed cert in-memory');
  at(325, 352, 'I', 'controllermanager.go:191', `"Starting" version="${tag}"`);
  at(325, 366, 'I', 'controllermanager.go:193', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  const requestHeader = flag(argv, 'requestheader-client-ca-file');
  const clientCA = flag(argv, 'client-ca-file');
  if (requestHeader) at(326, 181, 'I', 'dynamic_cafile_content.go:161', `"Starting controller" name="request-header::${requestHeader}"`);
  if (clientCA) at(326, 220, 'I', 'dynamic_cafile_content.go:161', `"Starting controller" name="client-ca-bundle::${clientCA}"`);
  at(326, 702, 'I', 'secure_serving.go:211', `Serving securely on ${flag(argv, 'bind-address') ?? '0.0.0.0'}:${flag(argv, 'secure-port') ?? '10257'}`);
  at(326, 902, 'I', 'tlsconfig.go:243', '"Starting DynamicServingCertificateController"');
  if (!leader) return log.done();
  at(326, 921, 'I', 'leaderelection.go:257', 'attempting to acquire leader lease kube-system/kube-controller-manager...');
  at(331, 870, 'I', 'leaderelection.go:271', 'successfully acquired lease kube-system/kube-controller-manager');
  const holder = facts.leaseHolder?.('kube-controller-manager');
  if (holder) {
    at(332, 25, 'I', 'event.go:389', `"Event occurred" object="kube-system/kube-controller-manager" fieldPath="" kind="Lease" apiVersion="coordination.k8s.io/v1" type="Normal" reason="LeaderElection" message="${holder} became leader"`);
  }
  at(334, 371, 'I', 'controllermanager.go:781', '"Started controller" controller="serviceaccount-token-controller"');
  at(334, 688, 'I', 'shared_informer.go:349', '"Waiting for caches to sync" controller="tokens"');
  return log.done();
}

/**
 * kube-apiserver's first lines only: options.go's `external host was not specified, using <advertise address>`,
 * then server.go's version and Go settings, as a v1.34.1 apiserver logged them (kubernetes/kubernetes issue
 * "Alpha API warnings printed to apiserver logs on startup"). What it prints next (that issue's alpha-API
 * warnings, the storage and admission setup, the controllers) is not modelled: the log ends there.
 */
function apiserverLog(container: any, tag: string, startedAt: number): TimedLines | undefined {
  const argv = staticArgs(container, 'kube-apiserver', tag);
  const host = argv && flag(argv, 'advertise-address');
  if (!host) return undefined;
  const log = new Log();
  const at = (us: number, site: string, msg: string) => log.add(startedAt + us / 1000, klogLine('I', startedAt * 1000 + us, 1, site, msg));
  at(479_712, 'options.go:263', `external host was not specified, using ${host}`);
  at(482_464, 'server.go:150', `Version: ${tag}`);
  at(482_494, 'server.go:152', '"Golang settings" GOGC="" GOMAXPROCS="" GOTRACEBACK=""');
  return log.done();
}
