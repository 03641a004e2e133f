/**
 * The DynamicResources plugin (pkg/scheduler/framework/plugins/dynamicresources), for a cluster without a DRA driver:
 * nothing publishes ResourceSlices, so no claim the scheduler would have to allocate can be allocated.
 *
 * - PreEnqueue (foreachPodResourceClaim): a pod whose claim does not exist yet, or is being deleted, is not even
 *   tried: it waits without a FailedScheduling event or a PodScheduled condition, until a claim or class changes.
 * - PreFilter: an unallocated claim whose request names a DeviceClass that does not exist fails every node
 *   (validateDeviceClass: `request <name>: device class <class> does not exist`).
 * - Filter: with an unallocated claim left, every node is refused with `cannot allocate all claims`
 *   (UnschedulableAndUnresolvable, so preemption is not helpful).
 *
 * Only pods with spec.resourceClaims come here; the others pay one length check.
 */
import type { KObject } from '../contract';
import type { ObjectCache } from './watch';

export const CANNOT_ALLOCATE = 'cannot allocate all claims';

/** resourceclaim.Name: the claim a pod's entry stands for; null when the template made none; an error text when unknown yet. */
function claimName(pod: KObject, podClaim: any): string | null | { error: string } {
  if (typeof podClaim?.resourceClaimName === 'string') return podClaim.resourceClaimName;
  const ns = pod.metadata.namespace, name = pod.metadata.name;
  if (typeof podClaim?.resourceClaimTemplateName === 'string') {
    for (const s of pod.status?.resourceClaimStatuses ?? []) if (s?.name === podClaim.name) return typeof s.resourceClaimName === 'string' ? s.resourceClaimName : null;
    return { error: `pod "${ns}/${name}": ResourceClaim not created yet` };
  }
  return { error: `pod "${ns}/${name}", spec.resourceClaim ${JSON.stringify(String(podClaim?.name ?? ''))}: API is not supported` };
}

/** The pod's claims, or why the pod cannot be tried yet (the assume cache's NotFoundError, a deletion). */
export function podClaims(pod: KObject, claims: ObjectCache): KObject[] | string {
  const out: KObject[] = [];
  for (const pc of pod.spec?.resourceClaims ?? []) {
    const name = claimName(pod, pc);
    if (name === null) continue;
    if (typeof name === 'object') return name.error;
    const claim = claims.get(pod.metadata.namespace, name);
    if (!claim) return `could not find ResourceClaim "${pod.metadata.namespace}/${name}"`;
    if (claim.metadata.deletionTimestamp) return `resourceclaim "${name}" is being deleted`;
    out.push(claim);
  }
  return out;
}

export interface DraPreFilter {
  /** PreFilter's refusal, for every node. */
  message?: string;
  /** Some claim needs an allocation no driver can make. */
  unallocated: boolean;
}

/** PreFilter over the pod's claims: the classes of each unallocated claim's requests must exist. */
export function draPreFilter(claims: KObject[], classes: ObjectCache): DraPreFilter {
  let unallocated = false;
  for (const claim of claims) {
    if (claim.status?.allocation) continue;
    unallocated = true;
    for (const r of claim.spec?.devices?.requests ?? []) {
      const subs: Array<[string, unknown]> = r?.exactly ? [[r.name, r.exactly.deviceClassName]]
        : (r?.firstAvailable ?? []).map((s: any) => [`${r.name}/${s?.name}`, s?.deviceClassName] as [string, unknown]);
      for (const [request, cls] of subs) {
        if (typeof cls === 'string' && cls && !classes.get(undefined, cls)) return { message: `request ${request}: device class ${cls} does not exist`, unallocated };
      }
    }
  }
  return { unallocated };
}
