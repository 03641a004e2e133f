/**
 * VolumeBinding's PreFilter: a pod whose PersistentVolumeClaim is missing,
 * being deleted, or unbound with an Immediate binding mode cannot be placed
 * yet. Claims of a WaitForFirstConsumer class pass: the provisioner acts once
 * the scheduler has picked a node (see storage/).
 */
import type { KObject } from '../contract';
import type { ObjectCache } from './watch';

/**
 * Stands for an absent volume list. The loops index a pod's volumes, as they run for every pod the scheduler places
 * and the lists are frozen (see deepFreeze).
 */
const NO_VOLUMES: readonly any[] = [];

export function volumePreFilter(pod: KObject, pvcs: ObjectCache, scs: ObjectCache): string | undefined {
  let unboundImmediate = false;
  const vs = pod.spec?.volumes ?? NO_VOLUMES;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
    if (!claim) continue;
    const pvc = pvcs.get(pod.metadata.namespace, claim);
    if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
    if (pvc.metadata.deletionTimestamp) return `persistentvolumeclaim "${claim}" is being deleted`;
    if (pvc.status?.phase === 'Bound' || pvc.spec?.volumeName) continue;
    const className = pvc.spec?.storageClassName;
    const sc = className ? scs.get(undefined, className) : undefined;
    if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') unboundImmediate = true;
  }
  return unboundImmediate ? 'pod has unbound immediate PersistentVolumeClaims' : undefined;
}

const NONE: KObject[] = [];

/** Unbound claims of WaitForFirstConsumer classes: the scheduler names the chosen node on them (selected-node). */
export function delayedClaims(pod: KObject, pvcs: ObjectCache, scs: ObjectCache): KObject[] {
  if (!pod.spec?.volumes?.length) return NONE;
  const out: KObject[] = [];
  const vs = pod.spec.volumes;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = pvcs.get(pod.metadata.namespace, claim);
    if (!pvc || pvc.status?.phase === 'Bound' || pvc.spec?.volumeName) continue;
    const sc = pvc.spec?.storageClassName ? scs.get(undefined, pvc.spec.storageClassName) : undefined;
    if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.metadata.annotations?.['volume.kubernetes.io/selected-node']) out.push(pvc);
  }
  return out;
}

/**
 * VolumeBinding's Filter for bound claims: the node must match the node
 * affinity of every PersistentVolume the pod's claims are bound to (a
 * local-path volume lives on one node). Undefined when no PV pins the pod.
 */
export function volumeNodeTerms(pod: KObject, pvcs: ObjectCache, pvs: ObjectCache): any[][] | undefined {
  let out: any[][] | undefined;
  const vs = pod.spec?.volumes ?? NO_VOLUMES;
  for (let i = 0; i < vs.length; i++) {
    const v = vs[i];
    const claim = v.persistentVolumeClaim?.claimName ?? (v.ephemeral ? `${pod.metadata.name}-${v.name}` : undefined);
    if (!claim) continue;
    const name = pvcs.get(pod.metadata.namespace, claim)?.spec?.volumeName;
    const terms = name ? pvs.get(undefined, name)?.spec?.nodeAffinity?.required?.nodeSelectorTerms : undefined;
    if (Array.isArray(terms)) (out ??= []).push(terms);
  }
  return out;
}
