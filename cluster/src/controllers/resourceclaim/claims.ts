/**
 * The pure rules of the resource claim controller (pkg/controller/resourceclaim) and of the claim-name lookup it
 * shares with the scheduler and the kubelet (k8s.io/dynamic-resource-allocation/resourceclaim).
 */
import type { KObject } from '../../contract.js';
import { deepCopy } from '../util/owner.js';

/** podResourceClaimAnnotation: the pod.spec.resourceClaims[].name a generated claim stands for. */
export const POD_CLAIM_NAME_ANNOTATION = 'resource.kubernetes.io/pod-claim-name';
/** resourceapi.Finalizer: the scheduler puts it on a claim it allocates; the controller takes it off once unused. */
export const DELETE_PROTECTION_FINALIZER = 'resource.kubernetes.io/delete-protection';
/** Longest generateName base: 63 characters less a hyphen and the apiserver's 5 random ones. */
const MAX_BASE_LEN = 57;

export type ClaimName =
  /** The claim's name (null: the template made none on purpose); `checkOwner` when the pod must own it. */
  | { name: string | null; checkOwner: boolean; error?: undefined }
  /** `notCreated`: resourceclaim.ErrClaimNotFound, the template's claim is not recorded in the pod's status yet. */
  | { error: string; notCreated: boolean };

/** resourceclaim.Name: which ResourceClaim a pod's entry stands for. */
export function claimName(pod: KObject, podClaim: any): ClaimName {
  const ns = pod.metadata.namespace, name = pod.metadata.name;
  if (typeof podClaim?.resourceClaimName === 'string') return { name: podClaim.resourceClaimName, checkOwner: false };
  if (typeof podClaim?.resourceClaimTemplateName === 'string') {
    for (const s of pod.status?.resourceClaimStatuses ?? []) {
      if (s?.name === podClaim.name) return { name: typeof s.resourceClaimName === 'string' ? s.resourceClaimName : null, checkOwner: true };
    }
    return { error: `pod "${ns}/${name}": ResourceClaim not created yet`, notCreated: true };
  }
  return { error: `pod "${ns}/${name}", spec.resourceClaim ${JSON.stringify(String(podClaim?.name ?? ''))}: none of the supported fields are set`, notCreated: false };
}

/** The pod that controls the claim, as owningPod and claimPodOwnerIndexFunc read it (a controller ref to a v1 Pod). */
export function owningPod(claim: KObject): { name: string; uid: string } | undefined {
  for (const r of claim.metadata.ownerReferences ?? []) {
    if (r.controller === true && r.apiVersion === 'v1' && r.kind === 'Pod') return { name: r.name, uid: r.uid };
  }
  return undefined;
}

/** resourceclaim.IsForPod: undefined when the pod owns the claim, else upstream's error text. */
export function notForPod(pod: KObject, claim: KObject): string | undefined {
  const owner = claim.metadata.ownerReferences?.find((r) => r.controller);
  if (claim.metadata.namespace === pod.metadata.namespace && owner && owner.uid === pod.metadata.uid) return undefined;
  return `ResourceClaim ${claim.metadata.namespace}/${claim.metadata.name} was not created for pod ${pod.metadata.namespace}/${pod.metadata.name} (pod is not owner)`;
}

export function isReservedForPod(pod: KObject, claim: KObject): boolean {
  return (claim.status?.reservedFor ?? []).some((r: any) => r?.uid === pod.metadata.uid);
}

/** podutil.IsPodTerminal. */
export function isPodTerminal(pod: KObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** isPodDone: none of the pod's containers runs or ever will (finished, or deleted before it was scheduled). */
export function isPodDone(pod: KObject): boolean {
  return isPodTerminal(pod) || (!!pod.metadata.deletionTimestamp && !pod.spec?.nodeName);
}

/** podNeedsClaims: false (with the reason) once the pod's claims can be released. */
export function podNeedsClaims(pod: KObject, deleted: boolean): boolean {
  if (deleted || isPodTerminal(pod)) return false;
  return !(pod.metadata.deletionTimestamp && !pod.spec?.nodeName);
}

/**
 * handleClaim's generateName, `<pod>-<pod claim>-`: past 57 characters both names are cut in proportion to their
 * length (not the apiserver's cut at the end, which would lose the pod claim's name).
 */
export function claimGenerateName(podName: string, podClaimName: string): string {
  const base = `${podName}-${podClaimName}-`;
  if (base.length <= MAX_BASE_LEN) return base;
  return `${podName.slice(0, Math.floor(podName.length * MAX_BASE_LEN / base.length))}-${podClaimName.slice(0, Math.floor(podClaimName.length * MAX_BASE_LEN / base.length))}`;
}

/**
 * The claim handleClaim creates from a template: the template's labels and annotations plus the pod-claim-name
 * annotation, the template's spec, and the pod as controller with blockOwnerDeletion.
 */
export function claimFromTemplate(pod: KObject, podClaimName: string, template: KObject): KObject {
  const meta = template.spec?.metadata ?? {};
  const metadata: any = {
    generateName: claimGenerateName(pod.metadata.name!, podClaimName),
    namespace: pod.metadata.namespace,
    ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid!, controller: true, blockOwnerDeletion: true }],
    annotations: { ...(meta.annotations ?? {}), [POD_CLAIM_NAME_ANNOTATION]: podClaimName },
  };
  if (meta.labels) metadata.labels = { ...meta.labels };
  return { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata, spec: deepCopy(template.spec?.spec ?? {}) };
}
