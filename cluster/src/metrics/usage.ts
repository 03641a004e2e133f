/**
 * The resource metrics pipeline (metrics-server over the kubelets' cAdvisor
 * data), as the playground models it, pure and deterministic:
 *
 * - A container's CPU and memory use follows docs/images.md: the
 *   `KUBEPLAY_CPU` and `KUBEPLAY_MEMORY` environment variables set it per
 *   container; `KUBEPLAY_LOAD` is CPU demand shared by the workload's Ready
 *   pods (as traffic behind a Service is), so an autoscaler adding pods
 *   lowers each one's use; otherwise an image idles at a small, typical
 *   amount. CPU is
 *   throttled at the container's limit, and memory never passes its limit;
 *   a container without its own limit is held to the pod-level one
 *   (spec.resources.limits), which also caps the containers together.
 *   Each sample varies by a few percent, seeded by the pod, the container and
 *   the sample's time.
 * - metrics-server scrapes every 15 s (--metric-resolution) and serves a CPU
 *   rate over the last two scrapes, so a pod has metrics once all its
 *   containers have run through two scrapes, and a sample's `timestamp` is
 *   the last scrape, its `window` the 15 s between the two.
 * - A node's use is its pods' plus the system's (kubelet, runtime, OS).
 */
import type { KObject } from '../contract';
import { parseQuantity } from '../../../kube/src/quantity';
import { stressDemand } from '../../../kube/src/imageConvention';

export { stressDemand };
import { rfc3339 } from '../runtime/objects';

/** metrics-server's default --metric-resolution. */
export const METRIC_RESOLUTION_MS = 15_000;
/** A container this long into its life at a scrape is measured from its start. */
const FRESH_CONTAINER_MS = 10_000;

/** A metav1.Duration as Go prints it: `15s`, `12.5s`. */
const goSeconds = (ms: number) => `${ms / 1000}s`;

/** What the simulated cAdvisor reports for one container: cores and bytes. */
export interface Usage { cpu: number; memory: number }

export interface ContainerMetrics { name: string; usage: { cpu: string; memory: string } }
export interface PodMetrics {
  kind: 'PodMetrics';
  apiVersion: 'metrics.k8s.io/v1beta1';
  metadata: { name: string; namespace: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}
export interface NodeMetrics {
  kind: 'NodeMetrics';
  apiVersion: 'metrics.k8s.io/v1beta1';
  metadata: { name: string; creationTimestamp: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}

const MI = 1024 * 1024;
/** The system's share of a node: kubelet, container runtime and OS. */
const SYSTEM: Usage = { cpu: 0.085, memory: 780 * MI };

/** FNV-1a over a string: the jitter's seed. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** A factor in [1 - spread, 1 + spread), the same for the same seed. */
const jitter = (seed: string, spread: number) => 1 + ((hash(seed) / 0x100000000) * 2 - 1) * spread;

function envValue(container: any, name: string): string | undefined {
  const e = (container?.env ?? []).find((x: any) => x?.name === name);
  return typeof e?.value === 'string' ? e.value : undefined;
}

function quantityOr(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  try {
    const n = parseQuantity(text.trim());
    return Number.isFinite(n) && n >= 0 ? n : fallback;
  } catch {
    return fallback;
  }
}

/**
 * What the cluster's own components use at rest on an idle kind cluster, as `kubectl top pods -n kube-system` shows
 * them there: the API server is the largest by far (its watch cache), then etcd and the controller manager.
 */
const SYSTEM_IDLE: Record<string, Usage> = {
  'kube-apiserver': { cpu: 0.040, memory: 320 * MI },
  etcd: { cpu: 0.025, memory: 30 * MI },
  'kube-controller-manager': { cpu: 0.018, memory: 48 * MI },
  'kube-scheduler': { cpu: 0.004, memory: 21 * MI },
  'kube-proxy': { cpu: 0.001, memory: 12 * MI },
  kindnetd: { cpu: 0.001, memory: 7 * MI },
  coredns: { cpu: 0.002, memory: 13 * MI },
  'metrics-server': { cpu: 0.003, memory: 17 * MI },
};

/** What an image uses at rest: a web server a millicore and a few MiB, a shell sleeping nothing to speak of. */
function idleUsage(image: string): Usage {
  const name = image.replace(/[:@].*$/, '').split('/').pop() ?? '';
  if (/^(busybox|alpine|pause)$/.test(name)) return { cpu: 0, memory: 0.4 * MI };
  if (name === 'nginx') return { cpu: 0.001, memory: 4 * MI };
  return SYSTEM_IDLE[name] ?? { cpu: 0.001, memory: 2 * MI };
}

/** The memory a container asks for (KUBEPLAY_MEMORY, or a stress tool's), before its limit: what the OOM killer weighs. */
export function memoryDemand(container: any): number {
  return quantityOr(envValue(container, 'KUBEPLAY_MEMORY'), stressDemand(container).memory ?? idleUsage(String(container?.image ?? '')).memory);
}

/** A pod's pod-level limits (spec.resources.limits) in cores and bytes; undefined for the common pod without them. */
export function podLevelLimits(pod: KObject | { spec?: any }): Partial<Usage> | undefined {
  const l = pod.spec?.resources?.limits;
  if (!l || typeof l !== 'object') return undefined;
  const out: Partial<Usage> = {};
  if (l.cpu !== undefined) out.cpu = quantityOr(String(l.cpu), Infinity);
  if (l.memory !== undefined) out.memory = quantityOr(String(l.memory), Infinity);
  return out;
}

/**
 * kuberuntime's getCPULimit / getMemoryLimit: a container's own limit, or, when it sets none, the pod-level one
 * (the container's cgroup is given the pod's). Undefined: no limit but the node.
 */
export function effectiveLimit(container: any, pod: Partial<Usage> | undefined, name: keyof Usage): number | undefined {
  const own = container?.resources?.limits?.[name];
  if (own !== undefined && quantityOr(String(own), 0) > 0) return quantityOr(String(own), Infinity);
  return pod?.[name];
}

/**
 * One container's use at a scrape, by the convention above; `share` is the number of Ready pods its KUBEPLAY_LOAD is
 * spread over, `podLimits` the pod-level limits a container without its own is held to.
 */
export function containerUsage(container: any, seed: string, share = 1, podLimits?: Partial<Usage>): Usage {
  const stress = stressDemand(container);
  const base = idleUsage(String(container?.image ?? ''));
  const idle = { cpu: stress.cpu ?? base.cpu, memory: stress.memory ?? base.memory };
  const load = envValue(container, 'KUBEPLAY_LOAD');
  const demand = load !== undefined ? quantityOr(envValue(container, 'KUBEPLAY_CPU'), idle.cpu) + quantityOr(load, 0) / Math.max(1, share)
    : quantityOr(envValue(container, 'KUBEPLAY_CPU'), idle.cpu);
  let cpu = demand * jitter(`${seed}/cpu`, 0.05);
  let memory = quantityOr(envValue(container, 'KUBEPLAY_MEMORY'), idle.memory) * jitter(`${seed}/mem`, 0.02);
  const cpuLimit = effectiveLimit(container, podLimits, 'cpu');
  const memLimit = effectiveLimit(container, podLimits, 'memory');
  if (cpuLimit !== undefined) cpu = Math.min(cpu, cpuLimit);
  if (memLimit !== undefined) memory = Math.min(memory, memLimit);
  // Working sets are whole pages.
  return { cpu, memory: Math.round(memory / 4096) * 4096 };
}

/** resource.Quantity's canonical text of nanocores (`1m`, `1500u`, `1234567n`). */
export function formatNanoCores(cores: number): string {
  const n = Math.round(cores * 1e9);
  if (n === 0) return '0';
  if (n % 1e9 === 0) return String(n / 1e9);
  if (n % 1e6 === 0) return `${n / 1e6}m`;
  if (n % 1e3 === 0) return `${n / 1e3}u`;
  return `${n}n`;
}

/** resource.Quantity's canonical text of a BinarySI byte count (`3Mi`, `3120Ki`, `1000`). */
export function formatBytes(bytes: number): string {
  const b = Math.round(bytes);
  if (b === 0) return '0';
  for (const [suffix, f] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (b % f === 0) return `${b / f}${suffix}`;
  return String(b);
}

/** The last scrape at or before `now`. */
export const lastScrape = (now: number) => Math.floor(now / METRIC_RESOLUTION_MS) * METRIC_RESOLUTION_MS;

/** The containers metrics-server reports for a pod: its own and its native sidecars, which keep running beside them. */
function measured(pod: KObject): any[] {
  return [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always')];
}

function runningSince(pod: KObject): number | undefined {
  if (pod.status?.phase !== 'Running' || pod.metadata.deletionTimestamp) return undefined;
  const names = new Set(measured(pod).map((c) => c.name));
  const statuses: any[] = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].filter((s) => names.has(s?.name));
  if (!statuses.length || statuses.length < names.size) return undefined;
  let since = -Infinity;
  for (const s of statuses) {
    const started = Date.parse(s?.state?.running?.startedAt ?? '');
    if (!Number.isFinite(started)) return undefined;
    since = Math.max(since, started);
  }
  return since;
}

const WORKLOAD_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']);

/** The workload a pod belongs to, for sharing KUBEPLAY_LOAD: its namespace and labels, less the per-revision and per-pod ones. */
function workloadKey(pod: KObject): string {
  const labels = Object.entries(pod.metadata.labels ?? {}).filter(([k]) => !WORKLOAD_LABELS.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${pod.metadata.namespace}\u0000${JSON.stringify(labels)}`;
}

const isReady = (pod: KObject) => (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/**
 * How many Ready pods share each pod's KUBEPLAY_LOAD: those of its workload
 * (same namespace and labels, across ReplicaSet revisions). Give it every pod
 * of the namespaces asked about.
 */
export function loadShares(pods: Iterable<KObject>): (pod: KObject) => number {
  const counts = new Map<string, number>();
  for (const p of pods) {
    if (p.status?.phase !== 'Running' || p.metadata.deletionTimestamp || !isReady(p)) continue;
    const k = workloadKey(p);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return (pod) => counts.get(workloadKey(pod)) ?? 1;
}

/** Each container's use in a pod with metrics at `now`, or undefined while metrics-server has none for it. */
export function podUsage(pod: KObject, now: number, share?: (pod: KObject) => number): { at: number; windowMs: number; containers: { name: string; usage: Usage }[] } | undefined {
  const since = runningSince(pod);
  const at = lastScrape(now);
  if (since === undefined) return undefined;
  // A rate needs two points of every container: two scrapes, or, for a container started 10 s or more (but less
  // than a resolution) before the scrape, its start as a point at zero (metrics-server's fresh-container rule).
  const age = at - since;
  if (age < FRESH_CONTAINER_MS) return undefined;
  const podLimits = podLevelLimits(pod);
  // A pod that is not Ready gets no traffic: none of the shared load.
  const containers = measured(pod).map((c: any) => ({
    name: c.name,
    usage: containerUsage(isReady(pod) || envValue(c, 'KUBEPLAY_LOAD') === undefined ? c : { ...c, env: (c.env ?? []).filter((e: any) => e?.name !== 'KUBEPLAY_LOAD') },
      `${pod.metadata.uid}/${c.name}/${at}`, share?.(pod) ?? 1, podLimits),
  }));
  if (podLimits) capToPod(containers, podLimits);
  return { at, windowMs: Math.min(age, METRIC_RESOLUTION_MS), containers };
}

/** The pod-level cgroup holds the containers together: past its cpu limit they are throttled in proportion. */
function capToPod(containers: { usage: Usage }[], limits: Partial<Usage>): void {
  for (const name of ['cpu', 'memory'] as const) {
    const cap = limits[name];
    if (cap === undefined) continue;
    const total = containers.reduce((n, c) => n + c.usage[name], 0);
    if (total <= cap) continue;
    for (const c of containers) c.usage[name] = name === 'memory' ? Math.floor((c.usage.memory * cap) / total / 4096) * 4096 : (c.usage.cpu * cap) / total;
  }
}

/** A pod's metrics.k8s.io/v1beta1 PodMetrics at `now`, or undefined. */
export function podMetrics(pod: KObject, now: number, share?: (pod: KObject) => number): PodMetrics | undefined {
  const u = podUsage(pod, now, share);
  if (!u) return undefined;
  const metadata: PodMetrics['metadata'] = { name: pod.metadata.name!, namespace: pod.metadata.namespace!, creationTimestamp: rfc3339(now) };
  if (pod.metadata.labels) metadata.labels = pod.metadata.labels;
  return {
    kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata, timestamp: rfc3339(u.at), window: goSeconds(u.windowMs),
    containers: u.containers.map((c) => ({ name: c.name, usage: { cpu: formatNanoCores(c.usage.cpu), memory: formatBytes(c.usage.memory) } })),
  };
}

/** A Ready node's NodeMetrics at `now`: its running pods' use and the system's. */
export function nodeMetrics(node: KObject, podsOnNode: KObject[], now: number, share?: (pod: KObject) => number): NodeMetrics | undefined {
  const ready = (node.status?.conditions ?? []).find((c: any) => c.type === 'Ready')?.status === 'True';
  if (!ready) return undefined;
  const at = lastScrape(now);
  let cpu = SYSTEM.cpu * jitter(`${node.metadata.name}/cpu/${at}`, 0.1);
  let memory = SYSTEM.memory * jitter(`${node.metadata.name}/mem/${at}`, 0.01);
  for (const p of podsOnNode) {
    const u = podUsage(p, now, share);
    for (const c of u?.containers ?? []) {
      cpu += c.usage.cpu;
      memory += c.usage.memory;
    }
  }
  const metadata: NodeMetrics['metadata'] = { name: node.metadata.name!, creationTimestamp: rfc3339(now) };
  if (node.metadata.labels) metadata.labels = node.metadata.labels;
  return { kind: 'NodeMetrics', apiVersion: 'metrics.k8s.io/v1beta1', metadata, timestamp: rfc3339(at), window: goSeconds(METRIC_RESOLUTION_MS), usage: { cpu: formatNanoCores(cpu), memory: formatBytes(Math.round(memory / 1024) * 1024) } };
}

/**
 * Whether the resource metrics API answers: the aggregator routes it to the
 * kube-system/metrics-server Service, and answers 503 while that has no ready
 * endpoint. `slices` are that Service's EndpointSlices.
 */
export function metricsServerReady(slices: Iterable<KObject>): boolean {
  for (const s of slices) {
    if (s.metadata?.labels?.['kubernetes.io/service-name'] !== 'metrics-server' || s.metadata?.namespace !== 'kube-system') continue;
    if ((s.endpoints ?? []).some((e: any) => e?.conditions?.ready !== false)) return true;
  }
  return false;
}
