/**
 * A memory-backed emptyDir (`medium: Memory`) is a tmpfs, and a tmpfs has a size: pkg/volume/emptydir's
 * newMounterInternal works it out (calculateEmptyDirMemorySize, SizeMemoryBackedVolumes being GA) and setupTmpfs
 * mounts it with `size=<bytes>` (generateTmpfsMountOptions). Past it a write fails with ENOSPC inside the container,
 * and the volume never grows beyond its sizeLimit (so the eviction manager's emptyDir check never fires for it).
 */
import type { KObject } from '../contract';
import { podLimitList } from '../../../kube/src/podResources';
import { parseQty, type Qty } from '../../../kube/src/qty';

/** Quantity.Value(): whole bytes, rounded up; undefined for no quantity or one not above zero. */
const wholeBytes = (q: Qty | undefined): number | undefined => (q && q.nanos > 0n ? Number((q.nanos + 999_999_999n) / 1_000_000_000n) : undefined);
const bytesOf = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : wholeBytes(parseQty(v)));

/**
 * The memory limit of the pod's cgroup (cm.ResourceConfigForPod): PodLimits' memory when the pod sets a pod-level
 * memory limit or every regular container limits its memory; none otherwise (a BestEffort pod, or a Burstable one
 * with a container that sets no memory limit).
 */
function podMemoryLimit(pod: KObject): number | undefined {
  const spec = pod.spec ?? {};
  const declared = bytesOf(spec.resources?.limits?.memory) !== undefined
    || ((spec.containers ?? []).length > 0 && (spec.containers ?? []).every((c: any) => bytesOf(c?.resources?.limits?.memory) !== undefined));
  return declared ? wholeBytes(podLimitList(pod).get('memory')) : undefined;
}

/**
 * calculateEmptyDirMemorySize: the node's allocatable memory, or the pod's memory limit when it is set and no more,
 * or the volume's sizeLimit when it is set and no more than that. Undefined for any other volume, or when nothing
 * bounds it (no node allocatable known).
 */
export function tmpfsSize(pod: KObject, volume: any, allocatable: Record<string, unknown> | undefined): number | undefined {
  if (volume?.emptyDir?.medium !== 'Memory') return undefined;
  let size = bytesOf(allocatable?.memory);
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && (size === undefined || podLimit <= size)) size = podLimit;
  const own = bytesOf(volume.emptyDir.sizeLimit);
  if (own !== undefined && (size === undefined || own <= size)) size = own;
  return size;
}
