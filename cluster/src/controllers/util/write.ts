import type { Api, GVR, KObject, OwnerReference } from '../../contract.js';
import type { ObjectCache } from './cache.js';
import { deepEqual, deepFreeze } from '../../runtime/objects.js';
import { deepCopy, newControllerRef } from './owner.js';

/** Structural equality of JSON values, key order ignored. */
export function sameJSON(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

/**
 * Writes `status` through the status subresource if it differs from what the
 * object has. On a stale resourceVersion it re-reads once and retries, which
 * is what upstream's UpdateStatus-with-retries amounts to.
 */
export function writeStatus(api: Api, gvr: GVR, obj: KObject, status: any, cache?: ObjectCache): KObject {
  if (sameJSON(obj.status ?? {}, status)) return obj;
  let res: KObject;
  try {
    res = api.update(gvr, obj.metadata.namespace, { ...obj, status }, undefined, 'status').object;
  } catch {
    const fresh = api.get(gvr, obj.metadata.namespace, obj.metadata.name!);
    res = api.update(gvr, obj.metadata.namespace, { ...fresh, status }, undefined, 'status').object;
  }
  cache?.upsert(res);
  return res;
}

/** Writes a changed object (spec/metadata), retrying once against a fresh copy via `mutate`. */
export function writeObject(api: Api, gvr: GVR, obj: KObject, mutate: (o: KObject) => void, cache?: ObjectCache): KObject {
  const copy = deepCopy(obj);
  mutate(copy);
  if (sameJSON(copy, obj)) return obj;
  let res: KObject;
  try {
    res = api.update(gvr, obj.metadata.namespace, copy).object;
  } catch {
    const fresh = deepCopy(api.get(gvr, obj.metadata.namespace, obj.metadata.name!));
    mutate(fresh);
    res = api.update(gvr, obj.metadata.namespace, fresh).object;
  }
  cache?.upsert(res);
  return res;
}

/**
 * A pod from a controller's template (GetPodFromTemplate): template labels,
 * annotations and finalizers, the controller's ownerReference, and either a
 * fixed name or `generateName` for the apiserver to complete.
 *
 * A caller that changes nothing in the pod before it creates it passes `share`: the pod then holds the template's
 * spec, labels, annotations and finalizers themselves, and one frozen owner list of its parent's, as the apiserver
 * copies what it is given anyway; the apiserver also knows a request that holds the same frozen spec as one before it
 * (validationmemo.ts).
 */
export function podFromTemplate(template: any, parent: KObject, name: { name?: string; generateName?: string }, share = false): KObject {
  const meta = template?.metadata ?? {};
  // The name's fields are copied one by one: V8 builds an object literal that spreads one object and then adds
  // fields of its own (`{ ...name, namespace }`) some fifty times slower (microseconds a pod).
  const metadata: KObject['metadata'] = {};
  for (const k of Object.keys(name) as (keyof typeof name)[]) metadata[k] = name[k];
  metadata.namespace = parent.metadata.namespace;
  metadata.labels = share ? meta.labels ?? {} : { ...(meta.labels ?? {}) };
  metadata.ownerReferences = share ? sharedControllerRefs(parent) : [newControllerRef(parent)];
  const pod: KObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: share ? template?.spec ?? {} : deepCopy(template?.spec ?? {}),
  };
  if (meta.annotations) pod.metadata.annotations = share ? meta.annotations : { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = share ? meta.finalizers : [...meta.finalizers];
  return pod;
}

/** The controller reference list of each frozen parent, for the pods made with `share`: one for all its pods. */
const controllerRefs = new WeakMap<KObject, OwnerReference[]>();

/**
 * A frozen list of `parent`'s controller reference, the same list for every pod of one (frozen, so unchanging)
 * parent: the apiserver then finds a request's owners equal to the one before it at once (validationmemo.ts).
 */
function sharedControllerRefs(parent: KObject): OwnerReference[] {
  if (!Object.isFrozen(parent)) return [newControllerRef(parent)];
  let refs = controllerRefs.get(parent);
  if (!refs) controllerRefs.set(parent, (refs = deepFreeze([newControllerRef(parent)])));
  return refs;
}

/** Short text for an error thrown by the Api (a StatusError or anything else). */
/** The create failed because its namespace is being deleted (the NamespaceTerminating cause): no event for that. */
export function namespaceTerminating(err: unknown): boolean {
  return ((err as any)?.status?.details?.causes ?? []).some((c: any) => c?.reason === 'NamespaceTerminating');
}

export function errorMessage(err: unknown): string {
  const e = err as any;
  return e?.status?.message ?? e?.message ?? String(err);
}

export function isNotFound(err: unknown): boolean {
  const e = err as any;
  return e?.status?.code === 404 || e?.status?.reason === 'NotFound' || e?.code === 404;
}

export function isAlreadyExists(err: unknown): boolean {
  const e = err as any;
  return e?.status?.code === 409 && e?.status?.reason === 'AlreadyExists';
}
