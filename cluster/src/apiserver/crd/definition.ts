/**
 * The CustomResourceDefinition registry's own rules (apiextensions-apiserver pkg/registry/customresourcedefinition):
 * v1 defaulting (SetDefaults_CustomResourceDefinitionSpec), the strategy's PrepareForCreate and PrepareForUpdate
 * (status reset, storedVersions, generation), the status strategy (spec and metadata kept, finalizers taken so the
 * finalizer controller can remove its own), and REST.Delete, which marks a CRD Terminating with the
 * customresourcecleanup finalizer instead of deleting it while instances may exist.
 */
import type { KObject } from '../../contract';
import { deepEqual, rfc3339 } from '../../runtime/objects';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** SetDefaults_CustomResourceDefinitionSpec (v1): singular and listKind from the kind, conversion None, webhook port 443. */
export function defaultCRD(o: KObject): void {
  const spec = o.spec;
  if (!isObj(spec)) return;
  const names = spec.names;
  if (isObj(names) && typeof names.kind === 'string' && names.kind) {
    if (!names.singular) names.singular = names.kind.toLowerCase();
    if (!names.listKind) names.listKind = `${names.kind}List`;
  }
  if (!isObj(spec.conversion)) spec.conversion = { strategy: 'None' };
  const svc = spec.conversion?.webhook?.clientConfig?.service;
  if (isObj(svc) && svc.port === undefined) svc.port = 443;
}

/** The storage version is recorded in status.storedVersions (strategy.go PrepareForCreate/PrepareForUpdate). */
function addStoredVersion(o: KObject): void {
  const versions: Obj[] = Array.isArray(o.spec?.versions) ? o.spec.versions : [];
  const storage = versions.find((v) => v?.storage)?.name;
  if (typeof storage !== 'string') return;
  const stored: string[] = Array.isArray(o.status?.storedVersions) ? [...o.status.storedVersions] : [];
  if (!stored.includes(storage)) o.status = { ...(o.status ?? {}), storedVersions: [...stored, storage] };
}

/** PrepareForCreate: a new CRD has no status but its stored version; the names come from the naming controller. */
export function prepareCRDCreate(o: KObject): void {
  o.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
  addStoredVersion(o);
}

/** PrepareForUpdate: the status stays the stored one (plus a new storage version); a spec change bumps the generation. */
export function prepareCRDUpdate(o: KObject, old: KObject): void {
  if (old.status !== undefined) o.status = old.status;
  else delete o.status;
  addStoredVersion(o);
  if (!deepEqual(o.spec, old.spec)) o.metadata.generation = (old.metadata.generation ?? 1) + 1;
}

/**
 * The status strategy's PrepareForUpdate keeps spec, labels, annotations, ownerReferences and generation; the
 * finalizers come from the request (the finalizer controller's UpdateStatus takes its finalizer off).
 */
export function crdStatusFinalizers(o: KObject, input: KObject): void {
  const f = input.metadata?.finalizers;
  if (Array.isArray(f) && f.length) o.metadata.finalizers = [...f];
  else delete o.metadata.finalizers;
}

/** Sets a condition as apiextensionshelpers.SetCRDCondition: the transition time moves only when the status does. */
export function setCRDCondition(status: Obj, cond: { type: string; status: string; reason: string; message: string }, now: number): Obj {
  const list: Obj[] = Array.isArray(status.conditions) ? status.conditions.map((c: Obj) => ({ ...c })) : [];
  const i = list.findIndex((c) => c.type === cond.type);
  const at = i >= 0 && list[i].status === cond.status ? list[i].lastTransitionTime : rfc3339(now);
  // The v1 field order: type, status, lastTransitionTime, reason, message.
  const next = { type: cond.type, status: cond.status, lastTransitionTime: at, reason: cond.reason, message: cond.message };
  if (i < 0) list.push(next);
  else list[i] = next;
  return { ...status, conditions: list };
}

/**
 * REST.Delete's first step: the deletion timestamp, the cleanup finalizer and Terminating=True
 * (InstanceDeletionPending); the finalizer controller deletes the instances and lets the CRD go.
 */
export function markCRDTerminating(existing: KObject, now: number): KObject | undefined {
  if (existing.metadata.deletionTimestamp) return undefined;
  const finalizers = [...(existing.metadata.finalizers ?? [])];
  if (!finalizers.includes(CLEANUP_FINALIZER)) finalizers.push(CLEANUP_FINALIZER);
  const status = setCRDCondition(existing.status ?? {}, {
    type: 'Terminating', status: 'True', reason: 'InstanceDeletionPending', message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
  }, now);
  return { ...existing, metadata: { ...existing.metadata, deletionTimestamp: rfc3339(now), finalizers }, status };
}
