/**
 * ControllerRevisions for StatefulSets and DaemonSets (upstream
 * pkg/controller/history): a revision stores the pod template as a
 * `{"spec":{"template":{...,"$patch":"replace"}}}` patch, is named
 * `<owner>-<hash>` and numbered; equal templates reuse a revision, and the
 * oldest unused revisions are trimmed to revisionHistoryLimit.
 */
import type { Api, KObject } from '../../contract.js';
import type { ObjectCache } from './cache.js';
import { CONTROLLERREVISIONS } from './gvr.js';
import { fnv32, goJSON, safeEncodeString, stableStringify } from './hash.js';
import { deepCopy, newControllerRef } from './owner.js';
import { isAlreadyExists } from './write.js';

export const CR_HASH_LABEL = 'controller.kubernetes.io/hash';

/**
 * The template as the Go structs serialize it: metadata always carries
 * `creationTimestamp: null` and every container `resources: {}` (fields
 * without omitempty), so the patch bytes, and the hash, come out as upstream's.
 */
export function templateForPatch(template: any): any {
  const t = deepCopy(template ?? {});
  t.metadata = { creationTimestamp: null, ...(t.metadata ?? {}) };
  t.spec = t.spec ?? {};
  for (const k of ['containers', 'initContainers']) {
    if (Array.isArray(t.spec[k])) t.spec[k] = t.spec[k].map((c: any) => ({ resources: {}, ...c }));
  }
  return t;
}

export function revisionPatch(owner: KObject): any {
  return { spec: { template: { ...templateForPatch(owner.spec?.template), $patch: 'replace' } } };
}

/** HashControllerRevision: FNV-1 over the raw data, then the collision count as decimal text. */
export function hashRevisionData(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32(enc.encode(goJSON(data)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

export function revisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/**
 * A new ControllerRevision of a StatefulSet or DaemonSet. It carries its owner's annotations (StatefulSet's
 * newRevision and DaemonSet's snapshot copy them), so `kubectl rollout history` shows kubernetes.io/change-cause.
 */
export function newRevision(owner: KObject, data: any, revision: number, hash: string, name: string): KObject {
  const annotations = owner.metadata.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(owner.spec?.template?.metadata?.labels ?? {}), [CR_HASH_LABEL]: hash },
      ...(annotations && Object.keys(annotations).length ? { annotations: { ...annotations } } : {}),
      ownerReferences: [newControllerRef(owner)],
    },
    // The raw bytes the controllers store are Go's json.Marshal of the patch: keys sorted. kubectl rollout undo
    // compares them byte for byte with its own (statefulsetMatch, daemonSetMatch) to say "skipped rollback".
    data: JSON.parse(goJSON(data)),
    revision,
  };
}

export const equalRevisionData = (a: KObject, b: KObject): boolean => stableStringify(a.data) === stableStringify(b.data);

export function sortRevisions(rs: KObject[]): KObject[] {
  return rs.slice().sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0) || (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

/**
 * Creates `cr`, bumping the collision count while the name is taken by a
 * revision with different data; returns the stored revision and the count.
 */
export function createRevision(api: Api, cache: ObjectCache, owner: KObject, cr: KObject, collisionCount: number, rename: (count: number) => string): { cr: KObject; collisionCount: number } {
  for (let i = 0; i < 100; i++) {
    try {
      const res = api.create(CONTROLLERREVISIONS, owner.metadata.namespace, cr).object;
      cache.upsert(res);
      return { cr: res, collisionCount };
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const existing = cache.get(owner.metadata.namespace, cr.metadata.name!) ?? api.get(CONTROLLERREVISIONS, owner.metadata.namespace, cr.metadata.name!);
      if (equalRevisionData(existing, cr) && existing.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid)) return { cr: existing, collisionCount };
      collisionCount++;
      cr = { ...cr, metadata: { ...cr.metadata, name: rename(collisionCount) } };
    }
  }
  throw new Error(`too many hash collisions creating ControllerRevision for ${owner.metadata.name}`);
}

export function updateRevisionNumber(api: Api, cache: ObjectCache, cr: KObject, revision: number): KObject {
  if (cr.revision === revision) return cr;
  const res = api.update(CONTROLLERREVISIONS, cr.metadata.namespace, { ...deepCopy(cr), revision }).object;
  cache.upsert(res);
  return res;
}

/** Deletes the oldest revisions not in `live` beyond `limit`. */
export function truncateHistory(api: Api, cache: ObjectCache, revisions: KObject[], live: Set<string>, limit: number): void {
  const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata.name!));
  for (const r of history.slice(0, Math.max(0, history.length - limit))) {
    try {
      api.delete(CONTROLLERREVISIONS, r.metadata.namespace, r.metadata.name!);
      cache.remove(r);
    } catch {
      /* gone */
    }
  }
}
