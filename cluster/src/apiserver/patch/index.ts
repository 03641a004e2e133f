/** PATCH in its four forms, each turned into an update of the stored object. */
import type { KObject, PatchType, WriteOptions, WriteResult } from '../../contract';
import { deepCopy } from '../../runtime/objects';
import type { ApiServer } from '../api';
import { fromServed } from '../versions';
import { storageId, type ResourceInfo } from '../resources';
import { getScale, scaleToUpdate } from '../scale';
import { badRequest, notFound, StatusError, unsupportedMediaType } from '../status';
import { applyJsonPatch, PatchError } from './jsonpatch';
import { applyMergePatch } from './mergepatch';
import { applyStrategicPatch, StrategicPatchError } from './strategic';
import { serverSideApply } from '../apply/apply';

function parse(patch: unknown): unknown {
  if (typeof patch === 'string' || Buffer.isBuffer(patch)) {
    try {
      return JSON.parse(patch.toString());
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
  }
  return patch;
}

function unprocessable(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Invalid', details: {}, code: 422 });
}

/** A merge patch of the status alone, given as an object: `{ status: {...} }`. */
function isStatusOnly(p: unknown): p is { status: Record<string, unknown> } {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return false;
  const keys = Object.keys(p);
  if (keys.length !== 1 || keys[0] !== 'status') return false;
  const status = (p as { status?: unknown }).status;
  return typeof status === 'object' && status !== null && !Array.isArray(status);
}

export function applyPatch(
  api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, type: PatchType, rawPatch: unknown, opts: WriteOptions, sub?: string,
): WriteResult {
  const id = storageId(info);
  const p = parse(rawPatch);
  // crdHandler serves json, merge and apply patches only (no Go struct carries a custom resource's patch strategy).
  if (type === 'strategic' && info.custom) {
    throw unsupportedMediaType('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
  }
  if (type === 'apply') return serverSideApply(api, info, ns, name, p, opts, sub);
  if (type !== 'json' && type !== 'merge' && type !== 'strategic') throw unsupportedMediaType(`the body of the request was in an unknown format`);
  const existing = api.store.get(id, ns, name);
  if (!existing) throw notFound(info, name);
  // A pod status the caller built afresh and hands over whole (the kubelet's `{ status }`, two writes per pod): the
  // generic merge would copy the pod only for the status write to read its status and the stored metadata, so the
  // status alone is merged, as the generic merge merges it. A pod has one served version and no custom schema.
  if (type === 'merge' && sub === 'status' && opts.handOver === true && id === '/pods' && isStatusOnly(p)) {
    const status = applyMergePatch(existing.status, p.status, true);
    return api.updateFrom(info, existing, { metadata: existing.metadata, status } as KObject, opts, sub, undefined, undefined, true);
  }
  const base: KObject = sub === 'scale' ? getScale(info, existing) : api.present(info, existing);
  let patched: KObject;
  try {
    if (type === 'json') patched = applyJsonPatch(deepCopy(base), p) as KObject;
    else if (type === 'merge') {
      if (typeof p !== 'object' || p === null || Array.isArray(p)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      patched = applyMergePatch(base, p, opts.handOver === true) as KObject;
    } else {
      if (typeof p !== 'object' || p === null || Array.isArray(p)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
      patched = applyStrategicPatch(base, p as Record<string, unknown>, sub === 'scale' ? undefined : { apiVersion: base.apiVersion, kind: base.kind }) as KObject;
    }
  } catch (e) {
    // applyJSPatch: a patch that does not apply is a generic 422; the library's own words stay on the server.
    if (e instanceof PatchError) throw e.decode ? badRequest(`error decoding patch: ${e.message}`) : unprocessable('the server rejected our request due to an error in our request');
    if (e instanceof StrategicPatchError) {
      if (e.code) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: 'Unknown', code: e.code });
      throw e.badRequest ? badRequest(e.message) : unprocessable(e.message);
    }
    throw e;
  }
  if (!patched || typeof patched !== 'object' || Array.isArray(patched)) throw unprocessable('the patch did not produce an object');
  if (sub === 'scale') return api.updateFrom(info, existing, scaleToUpdate(info, existing, patched), { ...opts, managedSubresource: 'scale' }, undefined, getScale);
  if (info.storage) patched = fromServed(info, patched);
  // A status write whose patch left metadata alone keeps the stored metadata: the status subresource takes only the
  // resourceVersion and uid from it (and reads annotations or finalizers for a few kinds), which are the stored ones,
  // so updateFrom's checks pass as they would with the copy and no resourceVersion.
  if (sub !== 'status' || patched.metadata !== existing.metadata) {
    patched.metadata = { ...(patched.metadata ?? {}) };
    if (patched.metadata.resourceVersion === existing.metadata.resourceVersion) delete patched.metadata.resourceVersion;
  }
  // Merge and JSON patches copy every value they take from the patch, so the result is ours to keep.
  return api.updateFrom(info, existing, patched, opts, sub, undefined, undefined, type === 'merge' || type === 'json');
}
