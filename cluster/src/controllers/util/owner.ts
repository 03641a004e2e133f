import type { KObject, OwnerReference } from '../../contract.js';

/** The ownerReference a controller puts on what it creates (controller and blockOwnerDeletion true). */
export function newControllerRef(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function getControllerOf(o: KObject): OwnerReference | undefined {
  // A plain loop: called for every pod event of several controllers, with no closure made for it.
  const refs = o.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i].controller) return refs[i];
  return undefined;
}

/**
 * The controller reference an update took from an object (removed, or now naming another owner), if any. Upstream's
 * updatePod handlers sync that former controller too (controllerRefChanged): it lost a pod it must replace.
 */
export function formerControllerOf(old: KObject | undefined, cur: KObject): OwnerReference | undefined {
  if (!old || old.metadata.ownerReferences === cur.metadata.ownerReferences) return undefined;
  const was = getControllerOf(old);
  return was && was.uid !== getControllerOf(cur)?.uid ? was : undefined;
}

export function isControlledBy(o: KObject, owner: KObject): boolean {
  return getControllerOf(o)?.uid === owner.metadata.uid;
}

export { deepCopy } from '../../runtime/objects.js';
