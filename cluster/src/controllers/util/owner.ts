import type { KObject, OwnerReference } from '../../contract.js';
import { getControllerOf } from '../../runtime/objects.js';
import type { ObjectCache } from './cache.js';

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

/**
 * The controller of `kind` an update took an object from (its reference removed, or now naming another owner), as
 * `owners` holds it, if it is still there. Upstream's updatePod handlers sync it too (controllerRefChanged, then
 * resolveControllerRef): it lost a pod it must replace. `old` is the version before an update (none for others).
 */
export function formerController(owners: ObjectCache, kind: string, old: KObject | undefined, cur: KObject): KObject | undefined {
  if (!old || old.metadata.ownerReferences === cur.metadata.ownerReferences) return undefined;
  const was = getControllerOf(old);
  if (!was || was.kind !== kind || was.uid === getControllerOf(cur)?.uid) return undefined;
  const owner = owners.get(cur.metadata.namespace, was.name);
  return owner?.metadata.uid === was.uid ? owner : undefined;
}

export function isControlledBy(o: KObject, owner: KObject): boolean {
  return getControllerOf(o)?.uid === owner.metadata.uid;
}

export { deepCopy, getControllerOf } from '../../runtime/objects.js';
