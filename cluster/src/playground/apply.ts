/**
 * `kubectl apply` (client-side): the object is saved with the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation; on a
 * re-apply a three-way strategic merge patch (last applied, new, live) is
 * sent, and an empty patch means `unchanged`.
 */
import type { ApplyResult, KObject, WriteOptions } from '../contract';
import type { ApiServer } from '../apiserver/api';
import { gvrOf, resourceForKind, storageId } from '../apiserver/resources';
import { StatusError } from '../apiserver/status';

/** What kubectl reports for a kind the server does not serve. */
export function noKindMatch(obj: KObject): StatusError {
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', code: 404,
    message: `resource mapping not found for name: "${obj.metadata?.name ?? ''}" namespace: "${obj.metadata?.namespace ?? ''}" from "": no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`,
  });
}
import { threeWayPatch } from '../apiserver/patch/threeway';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
export const CSA_MANAGER = 'kubectl-client-side-apply';

/** The annotation's value: the object as given, without the annotation itself, as compact JSON plus a newline. */
function lastApplied(obj: KObject): string {
  const c = JSON.parse(JSON.stringify(obj));
  if (c.metadata?.annotations) {
    delete c.metadata.annotations[LAST_APPLIED];
    if (Object.keys(c.metadata.annotations).length === 0) delete c.metadata.annotations;
  }
  return JSON.stringify(sortKeys(c)) + '\n';
}

/** Go's encoding/json writes map keys sorted; so does the annotation. */
function sortKeys(v: any): any {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o: any = {};
    for (const k of Object.keys(v).sort()) o[k] = sortKeys(v[k]);
    return o;
  }
  return v;
}

export function clientSideApply(api: ApiServer, obj: KObject, opts: WriteOptions & { namespace?: string }): ApplyResult {
  const info = resourceForKind(obj.apiVersion, obj.kind, api.store);
  if (!info) throw noKindMatch(obj);
  const gvr = gvrOf(info);
  const ns = info.namespaced ? obj.metadata?.namespace || opts.namespace || 'default' : undefined;
  const modified: KObject = JSON.parse(JSON.stringify(obj));
  modified.metadata ??= {};
  if (ns) modified.metadata.namespace = ns;
  modified.metadata.annotations = { ...(modified.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(modified) };
  const wopts: WriteOptions = { ...opts, fieldManager: opts.fieldManager ?? CSA_MANAGER };
  const name = modified.metadata.name;
  const live = name ? api.store.get(storageId(info), ns, name) : undefined;
  if (!live) {
    const r = api.create(gvr, ns, modified, wopts);
    return { gvr, object: r.object, action: 'created', warnings: r.warnings };
  }
  const originalText = live.metadata.annotations?.[LAST_APPLIED];
  let original: KObject | undefined;
  try {
    original = originalText ? JSON.parse(originalText) : undefined;
  } catch {
    original = undefined;
  }
  const warnings: string[] = [];
  if (!originalText) {
    const res = info.group ? `${info.resource}.${info.group}` : info.resource;
    warnings.push(
      `resource ${res}/${name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`,
    );
  }
  const patch = threeWayPatch(original as any, modified as any, api.present(info, live) as any, { apiVersion: live.apiVersion, kind: live.kind });
  if (Object.keys(patch).length === 0) return { gvr, object: api.present(info, live), action: 'unchanged' };
  // kubectl falls back to a JSON merge patch for kinds its scheme lacks (custom resources).
  const r = api.patch(gvr, ns, name!, info.custom ? 'merge' : 'strategic', patch, wopts);
  warnings.push(...(r.warnings ?? []));
  return { gvr, object: r.object, action: 'configured', warnings: warnings.length ? warnings : undefined };
}
