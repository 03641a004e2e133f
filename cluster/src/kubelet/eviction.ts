/**
 * The kubelet's eviction manager (pkg/kubelet/eviction), for what a kind node runs with. kind's kubelet
 * configuration sets `evictionHard: {nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%"}`
 * (kind's kubeadm config template); a 0% threshold is ignored (parseThresholdStatement) and, as evictionHard is
 * set, the kubelet fills in none of the defaults (server.go loadConfigFile, mergeDefaultEvictionSettings false):
 * no memory.available or disk threshold, so a kind node never reports MemoryPressure or DiskPressure and never
 * evicts for them (memory runs out in the kernel instead: nodeoom.ts). What still runs, every 10 s
 * (evictionMonitoringPeriod), is localStorageEviction, on with LocalStorageCapacityIsolation: each active pod is
 * checked, in this order, for
 * - an emptyDir over its `sizeLimit` (emptyDirLimitEviction),
 * - the pod's ephemeral storage over the sum of its containers' `limits.ephemeral-storage`
 *   (podEphemeralStorageLimitEviction),
 * - a container's writable layer and logs over its own limit (containerEphemeralStorageLimitEviction),
 * and a pod over any of them is evicted (evictPod): a Warning `Evicted` event with the message, the pod
 * killed with a 1 s grace period (immediateEvictionGracePeriodSeconds), its status `Failed`, reason `Evicted`.
 * Volume usage comes from the volume stats cache, which measures a pod's volumes when the kubelet's 1-minute
 * pass first sees it and then every 1 to 2 minutes (fs_resource_analyzer, volume_stat_calculator); a
 * container's layer and logs are measured at each pass.
 */
import type { KObject } from '../contract';
import { addQty, cmpQty, formatQty, parseQty, type Qty } from '../../../kube/src/qty';

/** evictionMonitoringPeriod: the eviction manager's housekeeping interval. */
export const EVICTION_MONITORING_MS = 10_000;
/** VolumeStatsAggPeriod: how often a pod's volume usage is measured (then up to as long again, jittered). */
export const VOLUME_STATS_PERIOD_MS = 60_000;
/** immediateEvictionGracePeriodSeconds. */
export const EVICTION_GRACE_SEC = 1;
export const EVICTED_REASON = 'Evicted';

/** What one pass measured of a pod: each container's writable layer and logs, each emptyDir's bytes. */
export interface LocalUsage {
  containers: Map<string, number>;
  emptyDirs: Map<string, number>;
}

const ephemeralLimit = (c: any): unknown => c?.resources?.limits?.['ephemeral-storage'];
/** An emptyDir on the node's disk (a Memory one is tmpfs, sized by its limit, and counted as memory). */
const diskEmptyDir = (v: any) => v?.emptyDir && v.emptyDir.medium !== 'Memory';

/**
 * Whether the pod has anything localStorageEviction checks: a container's ephemeral-storage limit or an emptyDir
 * sizeLimit. Most pods have neither, and the eviction manager then never looks at them.
 */
export function checksLocalStorage(pod: KObject): boolean {
  const spec = pod.spec;
  if (!spec) return false;
  // Indexed loops: the spec's lists are frozen (see deepFreeze).
  const volumes = spec.volumes ?? [];
  for (let i = 0; i < volumes.length; i++) if (volumes[i]?.emptyDir?.sizeLimit !== undefined) return true;
  const containers = spec.containers ?? [];
  for (let i = 0; i < containers.length; i++) if (ephemeralLimit(containers[i]) !== undefined) return true;
  const inits = spec.initContainers ?? [];
  for (let i = 0; i < inits.length; i++) if (ephemeralLimit(inits[i]) !== undefined) return true;
  return false;
}

/** Whether the pod has an emptyDir whose usage the volume stats cache measures. */
export const hasDiskEmptyDir = (pod: KObject) => (pod.spec?.volumes ?? []).some(diskEmptyDir);

const positive = (q: Qty | undefined): q is Qty => !!q && q.nanos > 0n;
const bytes = (n: number): Qty => parseQty(String(Math.max(0, Math.round(n))))!;

/**
 * PodLimits for one resource: the containers' limits added up (each native sidecar's too), or a regular init
 * container's with the sidecars started before it when that is more (AggregateContainerLimits). Undefined when no
 * container sets one.
 */
export function podEphemeralLimit(pod: KObject): Qty | undefined {
  let sum: Qty | undefined;
  const add = (a: Qty | undefined, b: Qty | undefined) => (a && b ? addQty(a, b) : a ?? b);
  for (const c of pod.spec?.containers ?? []) sum = add(sum, parseQty(ephemeralLimit(c)));
  let sidecars: Qty | undefined;
  let initMax: Qty | undefined;
  for (const c of pod.spec?.initContainers ?? []) {
    const lim = parseQty(ephemeralLimit(c));
    if (c?.restartPolicy === 'Always') {
      sidecars = add(sidecars, lim);
      sum = add(sum, lim);
      continue;
    }
    const need = lim ? add(lim, sidecars) : undefined;
    if (need && (!initMax || cmpQty(need, initMax) > 0)) initMax = need;
  }
  if (initMax && (!sum || cmpQty(initMax, sum) > 0)) return initMax;
  return sum;
}

/**
 * The message localStorageEviction evicts the pod with, or undefined when it stays (helpers.go's
 * emptyDirMessageFmt, podEphemeralStorageMessageFmt, containerEphemeralStorageMessageFmt, each with its
 * trailing space). `volumes` is undefined while the volume stats cache has not measured the pod yet.
 */
export function localStorageViolation(pod: KObject, containers: Map<string, number>, volumes: Map<string, number> | undefined): string | undefined {
  const vols = pod.spec?.volumes ?? [];
  if (volumes) {
    for (const v of vols) {
      const size = parseQty(v?.emptyDir?.sizeLimit);
      const used = volumes.get(v?.name);
      if (used !== undefined && positive(size) && cmpQty(bytes(used), size) > 0) return `Usage of EmptyDir volume ${JSON.stringify(v.name)} exceeds the limit ${JSON.stringify(formatQty(size))}. `;
    }
  }
  const podLimit = podEphemeralLimit(pod);
  if (podLimit) {
    // The pod's ephemeral storage: its containers' layers and logs, and its emptyDirs on the node's disk.
    let total = 0;
    for (const n of containers.values()) total += n;
    for (const v of vols) if (diskEmptyDir(v)) total += volumes?.get(v.name) ?? 0;
    if (cmpQty(bytes(total), podLimit) > 0) return `Pod ephemeral local storage usage exceeds the total limit of containers ${formatQty(podLimit)}. `;
  }
  for (const c of pod.spec?.containers ?? []) {
    const limit = parseQty(ephemeralLimit(c));
    const used = containers.get(c?.name);
    if (!positive(limit) || used === undefined) continue;
    if (cmpQty(bytes(used), limit) > 0) return `Container ${c.name} exceeded its local ephemeral storage limit ${JSON.stringify(formatQty(limit))}. `;
  }
  return undefined;
}

/** scheduling.SystemCriticalPriority: system-cluster-critical and system-node-critical are at or above it. */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/** kubelettypes.IsCriticalPod: static and mirror pods, and pods of a system-critical priority, are never evicted. */
export function isCriticalPod(pod: KObject, isStatic = false): boolean {
  if (isStatic || pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return true;
  return typeof pod.spec?.priority === 'number' && pod.spec.priority >= SYSTEM_CRITICAL_PRIORITY;
}

/**
 * The bytes a container's log file takes for these lines: the CRI logging format writes each as
 * `<RFC3339Nano time> stdout F <line>\n` (a 30-character timestamp), which the kubelet's log stats count.
 */
export function criLogBytes(lines: readonly string[]): number {
  let n = 0;
  for (const l of lines) n += 41 + Buffer.byteLength(l, 'utf8');
  return n;
}
