/**
 * The downward API's values, as the kubelet computes them for `env`
 * (`fieldRef`, `resourceFieldRef`) and for downwardAPI volume files: pod
 * fields, and a container's requests and limits divided by a divisor.
 */
import type { KObject } from '../contract';
import { parseQty, qtyMilli, qtyValue, type Qty } from '../../../kube/src/qty';

/** The IPs of a status list (`podIPs`, `hostIPs`), or the single address when the list is not set yet. */
function ips(list: unknown, single: unknown): string[] {
  const out = Array.isArray(list) ? list.map((p: any) => p?.ip).filter((ip): ip is string => typeof ip === 'string' && !!ip) : [];
  return out.length ? out : typeof single === 'string' && single ? [single] : [];
}

/**
 * One `fieldRef` value (kubelet_pods.go podFieldSelectorRuntimeValue): `status.podIPs` and `status.hostIPs` are the
 * addresses joined with commas (one on a single-stack cluster); anything not set is the empty string.
 */
export function fieldValue(pod: KObject, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (pod.metadata as any)?.[m[1]]?.[m[2]] ?? '';
  const known: Record<string, unknown> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec?.nodeName,
    'spec.serviceAccountName': pod.spec?.serviceAccountName,
    'status.podIP': pod.status?.podIP,
    'status.podIPs': ips(pod.status?.podIPs, pod.status?.podIP).join(','),
    'status.hostIP': pod.status?.hostIP,
    'status.hostIPs': ips(pod.status?.hostIPs, pod.status?.hostIP).join(','),
  };
  return String(known[path] ?? '');
}

/** A downward API volume file's text: labels and annotations as sorted `key="value"` lines, as the kubelet writes them. */
export function downwardText(pod: KObject, path: string): string {
  const m = /^metadata\.(labels|annotations)$/.exec(path);
  if (m) {
    const map: Record<string, string> = (pod.metadata as any)?.[m[1]] ?? {};
    return Object.keys(map).sort().map((k) => `${k}=${JSON.stringify(map[k])}`).join('\n');
  }
  return fieldValue(pod, path);
}

/** A `resourceFieldRef`: the resource (`limits.cpu`, `requests.memory`, ...), an optional container and divisor. */
export interface ResourceFieldSelector { resource?: string; containerName?: string; divisor?: string | number }

/**
 * The limits a missing one falls back to (resource.MergeContainerResourceLimits, which the kubelet's
 * defaultPodLimitsForDownwardAPI applies): cpu, memory and ephemeral-storage take the node's allocatable.
 */
const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

function quantityOf(list: any, name: string): Qty | undefined {
  const v = list?.[name];
  return v === undefined || v === null ? undefined : parseQty(v);
}

/**
 * One `resourceFieldRef` value as the kubelet computes it (pkg/api/v1/resource/helpers.go
 * ExtractContainerResourceValue): ceil(value / divisor), in millicores for cpu and in whole units (bytes) for
 * memory, ephemeral-storage and hugepages; a zero or absent divisor is "1". With `containerName` the value is that
 * container's (ExtractResourceValueByContainerName), else `container`'s. A missing (or zero) cpu, memory or
 * ephemeral-storage limit is the node's allocatable. Undefined for a resource the helper does not know, or a
 * container the pod does not have (upstream's error: the container is not created).
 */
export function resourceFieldValue(pod: KObject, container: any, fs: ResourceFieldSelector, allocatable?: Record<string, unknown>): string | undefined {
  const named = fs.containerName
    ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c: any) => c?.name === fs.containerName)
    : container;
  if (!named) return undefined;
  const m = /^(limits|requests)\.(.+)$/.exec(String(fs.resource ?? ''));
  if (!m) return undefined;
  const [, side, name] = m;
  if (!['cpu', 'memory', 'ephemeral-storage'].includes(name) && !name.startsWith('hugepages-')) return undefined;
  let value = quantityOf(named.resources?.[side], name);
  if (side === 'limits' && DEFAULTED_LIMITS.includes(name) && (!value || value.nanos === 0n)) value = quantityOf(allocatable, name) ?? value;
  const div = fs.divisor === undefined || fs.divisor === null ? undefined : parseQty(fs.divisor);
  const divisor = div && div.nanos !== 0n ? div : parseQty('1')!;
  // convertResourceCPUToString and its memory twins divide as float64 and round up.
  const [n, d] = name === 'cpu' ? [qtyMilli(value ?? parseQty('0')!), qtyMilli(divisor)] : [qtyValue(value ?? parseQty('0')!), qtyValue(divisor)];
  return String(Math.ceil(Number(n) / Number(d)));
}
