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
  return o.metadata.ownerReferences?.find((r) => r.controller);
}

export function isControlledBy(o: KObject, owner: KObject): boolean {
  return getControllerOf(o)?.uid === owner.metadata.uid;
}

export { deepCopy } from '../../runtime/objects.js';
