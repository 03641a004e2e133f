/**
 * Which resource names are what (upstream pkg/apis/core/helper): the
 * standard names, the ones a quota may name, the ones a container may
 * request, the integer-only ones, the extended ones (`example.com/gpu`) and
 * whether a resource may be overcommitted. Validation of ResourceQuotas,
 * LimitRanges and container resources, and the quota evaluators, read them.
 */
import { isQualifiedName } from './names';
import { parseQty, type Qty } from './qty';

const STANDARD = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory',
  'limits.ephemeral-storage', 'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'storage', 'requests.storage', 'services.nodeports', 'services.loadbalancers',
]);

const STANDARD_QUOTA = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu',
  'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'persistentvolumeclaims',
  'configmaps', 'services.nodeports', 'services.loadbalancers',
]);

const INTEGER = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports',
  'services.loadbalancers',
]);

export const STANDARD_QUOTA_NAMES: readonly string[] = [...STANDARD_QUOTA];

export const isHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-');

/**
 * IsHugePageResourceValueDivisible (pkg/apis/core/helper): the quantity, as the whole number Quantity.Value() makes
 * of it (rounded away from zero), is a multiple of the page size the name carries; a name whose size does not parse
 * as a whole positive quantity never is.
 */
export function isHugePageResourceValueDivisible(name: string, q: Qty): boolean {
  const page = parseQty(name.slice('hugepages-'.length));
  if (!page || page.nanos <= 0n || page.nanos % 1_000_000_000n !== 0n) return false;
  const abs = q.nanos < 0n ? -q.nanos : q.nanos;
  const whole = (abs + 999_999_999n) / 1_000_000_000n;
  return whole % (page.nanos / 1_000_000_000n) === 0n;
}

/** hugepages-<size> or requests.hugepages-<size>, as a quota names them. */
export const isQuotaHugePageResourceName = (name: string): boolean => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');

export function isStandardResourceName(name: string): boolean {
  return STANDARD.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardQuotaResourceName(name: string): boolean {
  return STANDARD_QUOTA.has(name) || isQuotaHugePageResourceName(name);
}

export function isStandardContainerResourceName(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || isHugePageResourceName(name);
}

/** Unprefixed names, and names in the kubernetes.io domain, are Kubernetes' own. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** A vendor's resource (`example.com/gpu`): not native, and `requests.<name>` is a qualified name. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${name}`).length === 0;
}

export function isIntegerResourceName(name: string): boolean {
  return INTEGER.has(name) || isExtendedResourceName(name);
}

/** Requests may sit below limits, except for huge pages and extended resources. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/**
 * component-helpers' IsSupportedPodLevelResource: what `spec.resources` (PodLevelResources, beta and on in 1.34) may
 * name: cpu, memory and huge pages. SUPPORTED_POD_LEVEL is SupportedPodLevelResources() as validation lists it.
 */
export const isSupportedPodLevelResource = (name: string): boolean => name === 'cpu' || name === 'memory' || isHugePageResourceName(name);
export const SUPPORTED_POD_LEVEL: readonly string[] = ['cpu', 'hugepages-', 'memory'];

/** validateResourceName: a qualified name, and a standard one when unprefixed. Details in upstream order. */
export function resourceNameErrors(name: string): string[] {
  const errs = isQualifiedName(name);
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) return ['must be a standard resource type or fully qualified'];
  return [];
}

/** validateContainerResourceName: also a container's own kind of resource, or a well-formed extended one. */
export function containerResourceNameErrors(name: string): string[] {
  const errs = resourceNameErrors(name);
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) errs.push('must be a standard resource for containers');
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) errs.push("doesn't follow extended resource name standard");
  return errs;
}

/** ValidateResourceQuotaResourceName: unprefixed names must be ones a quota can track. */
export function quotaResourceNameErrors(name: string): string[] {
  const errs = resourceNameErrors(name);
  if (!name.includes('/') && !isStandardQuotaResourceName(name)) errs.push('must be a standard resource for quota');
  return errs;
}
