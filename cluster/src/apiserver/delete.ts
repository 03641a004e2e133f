/**
 * Deletion as the generic registry does it (BeforeDelete + the GC
 * finalizers): preconditions, graceful deletion of scheduled pods,
 * propagationPolicy turned into the `orphan` / `foregroundDeletion`
 * finalizers, and removal once no finalizer is left.
 */
import type { DeleteOptions, KObject } from '../contract';
import { deepFreeze, rfc3339 } from '../runtime/objects';
import type { ApiServer } from './api';
import { storageId, type ResourceInfo } from './resources';
import { conflict, forbidden, notFound } from './status';
import { CRD_TABLE } from './crd/registry';
import { markCRDTerminating } from './crd/definition';

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/** batch/v1 Jobs orphan their pods unless told otherwise (for backward compatibility, as upstream). */
function defaultPolicy(id: string): 'Background' | 'Orphan' {
  return id === 'batch/jobs' ? 'Orphan' : 'Background';
}

export function deleteObject(api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, opts: DeleteOptions): KObject {
  const id = storageId(info);
  const existing = api.store.get(id, ns, name);
  if (!existing) throw notFound(info, name);
  const pre = opts.preconditions;
  if (pre?.uid && pre.uid !== existing.metadata.uid) {
    throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
    throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
  }
  // Store.Delete runs validating admission (deleteValidation) once the object is read and the preconditions hold.
  for (const p of api.pluginsFor(id)) p.validateDelete?.(info, existing, opts);
  // BeforeDelete: a negative grace period is taken as 1 s on the delete path.
  if (opts.gracePeriodSeconds !== undefined && opts.gracePeriodSeconds < 0) opts = { ...opts, gracePeriodSeconds: 1 };
  const now = api.clock.now();
  const m = { ...existing.metadata };
  let finalizers = [...(m.finalizers ?? [])];

  // The CRD REST's Delete: the first delete marks it Terminating with the cleanup finalizer (crd/definition.ts).
  if (id === CRD_TABLE) {
    const marked = markCRDTerminating(existing, now);
    if (marked) return opts.dryRun ? deepFreeze(marked) : api.store.put(id, marked);
  }

  if (id === '/namespaces') {
    // NamespaceLifecycle admission keeps the system namespaces forever.
    if (name === 'default' || name === 'kube-system' || name === 'kube-public') throw forbidden(info, name, 'this namespace may not be deleted');
    return deleteNamespace(api, existing, opts);
  }

  // Graceful deletion of a pod a kubelet runs: the kubelet finishes it with grace 0.
  let shortened = false;
  if (id === '/pods') {
    const phase = existing.status?.phase;
    const graceful = !!existing.spec?.nodeName && phase !== 'Succeeded' && phase !== 'Failed';
    let grace = opts.gracePeriodSeconds ?? existing.spec?.terminationGracePeriodSeconds ?? 30;
    if (!graceful) grace = 0;
    const current = m.deletionGracePeriodSeconds;
    if (grace > 0 && (current === undefined || grace < current)) {
      // BeforeDelete: a shorter grace period counts from when the deletion began, not from now.
      const first = current === undefined || !m.deletionTimestamp;
      m.deletionTimestamp = rfc3339(first ? now + grace * 1000 : Date.parse(m.deletionTimestamp!) - (current! - grace) * 1000);
      m.deletionGracePeriodSeconds = grace;
      if (first) bumpGeneration(m);
      return write(api, id, existing, m, opts);
    }
    if (grace > 0) return existing;
    // BeforeDelete: a shorter grace period shortens the pending one, finalizers or not. The kubelet's final
    // delete (grace 0) so leaves the pod to be removed as soon as its last finalizer goes.
    if (m.deletionTimestamp && (current ?? 0) > 0) {
      m.deletionTimestamp = rfc3339(Date.parse(m.deletionTimestamp) - current! * 1000);
      m.deletionGracePeriodSeconds = 0;
      shortened = true;
    }
  }

  const policy = opts.propagationPolicy ?? (finalizers.includes(FINALIZER_ORPHAN) ? 'Orphan' : finalizers.includes(FINALIZER_FOREGROUND) ? 'Foreground' : defaultPolicy(id));
  if (policy === 'Orphan' && !finalizers.includes(FINALIZER_ORPHAN)) {
    finalizers = finalizers.filter((f) => f !== FINALIZER_FOREGROUND);
    finalizers.push(FINALIZER_ORPHAN);
  } else if (policy === 'Foreground' && !finalizers.includes(FINALIZER_FOREGROUND)) {
    finalizers = finalizers.filter((f) => f !== FINALIZER_ORPHAN);
    finalizers.push(FINALIZER_FOREGROUND);
  } else if (policy === 'Background' && opts.propagationPolicy) {
    finalizers = finalizers.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  }
  if (finalizers.length) {
    const changed = shortened || !existing.metadata.deletionTimestamp || finalizers.join() !== (existing.metadata.finalizers ?? []).join();
    if (!changed) return existing;
    m.finalizers = finalizers;
    if (!m.deletionTimestamp) {
      m.deletionTimestamp = rfc3339(now);
      m.deletionGracePeriodSeconds = 0;
      bumpGeneration(m);
    }
    return write(api, id, existing, m, opts);
  }
  if (opts.dryRun) return existing;
  // Store.Delete writes the shortened grace period (a MODIFIED with grace 0 and the earlier timestamp) before it
  // deletes, so watchers see the kubelet's final delete as one more update, then DELETED with that metadata.
  if (shortened) api.store.put(id, { ...existing, metadata: m } as KObject);
  const gone = api.store.remove(id, ns, name);
  api.released(id, existing);
  return gone ?? existing;
}

/**
 * The first step of a deletion changes how the object's controllers act, so it bumps a generation the object has
 * (BeforeDelete for a graceful deletion, markAsDeleting for one that waits on finalizers).
 */
function bumpGeneration(m: KObject['metadata']): void {
  if (typeof m.generation === 'number' && m.generation > 0) m.generation += 1;
}

function write(api: ApiServer, id: string, existing: KObject, m: KObject['metadata'], opts: DeleteOptions): KObject {
  const o = { ...existing, metadata: m } as KObject;
  if (opts.dryRun) return deepFreeze(o);
  return api.store.put(id, o);
}

/** A namespace is marked Terminating; the namespace controller empties it and removes the `kubernetes` finalizer. */
function deleteNamespace(api: ApiServer, existing: KObject, opts: DeleteOptions): KObject {
  if (existing.metadata.deletionTimestamp) return existing;
  const m = { ...existing.metadata, deletionTimestamp: rfc3339(api.clock.now()), deletionGracePeriodSeconds: 0 };
  const finalizers = [...(m.finalizers ?? [])];
  if (opts.propagationPolicy === 'Orphan' && !finalizers.includes(FINALIZER_ORPHAN)) finalizers.push(FINALIZER_ORPHAN);
  if (finalizers.length) m.finalizers = finalizers;
  const o = { ...existing, metadata: m, status: { ...(existing.status ?? {}), phase: 'Terminating' } } as KObject;
  if (!(existing.spec?.finalizers ?? []).length && !finalizers.length) {
    if (opts.dryRun) return existing;
    return api.store.remove('/namespaces', undefined, existing.metadata.name!) ?? existing;
  }
  if (opts.dryRun) return deepFreeze(o);
  return api.store.put('/namespaces', o);
}
