/**
 * Server-side apply (`PATCH` with application/apply-patch+yaml): the
 * configuration is merged into the live object by the schema's list keys,
 * its fields become the manager's (an Apply entry in managedFields), fields
 * the manager applied before and dropped now are removed unless someone
 * else owns them, and changing a field another manager owns is a conflict
 * (409) unless forced, which moves the field to the applier.
 */
import { fromServed } from '../versions';
import type { KObject, WriteOptions, WriteResult } from '../../contract';
import { deepCopy, deepEqual, rfc3339 } from '../../runtime/objects';
import type { ApiServer } from '../api';
import { apiVersionOf, gvrOf, storageId, type ResourceInfo } from '../resources';
import { fieldType, itemType, rootType, type TypeRef } from '../patch/schematype';
import { badRequest, invalid, StatusError } from '../status';
import { fieldsOf, fromFieldsV1, isSet, keyValues, listKeys, printPath, segments, typedErrors, valueAt, type FieldSet } from './fieldset';
import { sharedSchema } from '../validate';
import { entries, sameEntry, writeEntries, type ManagedEntry } from './managed';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function serverSideApply(api: ApiServer, info: ResourceInfo, ns: string | undefined, name: string, p: unknown, opts: WriteOptions, sub?: string): WriteResult {
  const manager = opts.fieldManager;
  if (!manager) {
    throw invalid('meta.k8s.io', 'PatchOptions', '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]);
  }
  if (!isObj(p)) throw badRequest('error decoding YAML: the apply configuration is not an object');
  const config = deepCopy(p) as KObject;
  config.metadata = isObj(config.metadata) ? config.metadata : {};
  if (config.metadata.name && config.metadata.name !== name) {
    throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${name})`);
  }
  config.metadata.name = name;
  const apiVersion = apiVersionOf(info);
  const root = rootType({ apiVersion: config.apiVersion ?? apiVersion, kind: config.kind ?? info.kind });
  // ObjectToTyped: an undeclared field or a duplicated list key fails the apply itself (a plain error, so a 500),
  // before any fieldValidation is looked at.
  if (root.kind === 'object') {
    const errs = typedErrors(config as Obj, root, (ref) => sharedSchema()?.def(ref));
    if (errs.length) {
      const i = apiVersion.indexOf('/');
      const gvk = `${i < 0 ? '' : apiVersion.slice(0, i)}/${i < 0 ? apiVersion : apiVersion.slice(i + 1)}, Kind=${info.kind}`;
      const text = errs.length === 1 ? errs[0] : ['errors:', ...errs.map((e) => '  ' + e)].join('\n');
      throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `failed to create typed patch object (${ns ?? ''}/${name}; ${gvk}): ${text}`, reason: 'Unknown', code: 500 });
    }
  }
  const scope = sub === 'status' ? 'status' : 'main';
  const applied = fieldsOf(config as Obj, root, scope);
  const now = rfc3339(api.clock.now());
  const applyEntry: ManagedEntry = { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: {} };
  if (sub) applyEntry.subresource = sub;
  const plain: WriteOptions = { ...opts, fieldManager: undefined };
  const existing = api.store.get(storageId(info), ns, name);
  if (!existing) {
    const obj = deepCopy(config);
    writeEntries(obj, [{ entry: applyEntry, set: applied }]);
    return api.create(gvrOf(info), ns, obj, plain);
  }
  const live = api.present(info, existing);
  const list = entries(existing).map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1, root) }));
  const conflicts: { entry: ManagedEntry; path: string }[] = [];
  for (const x of list) {
    if (sameEntry(x.entry, manager, 'Apply', apiVersion, sub)) continue;
    for (const path of applied) {
      if (!x.set.has(path) || path.endsWith('.')) continue;
      if (!deepEqual(valueAt(config, path), valueAt(live, path))) conflicts.push({ entry: x.entry, path });
    }
  }
  if (conflicts.length && !opts.force) throw applyConflict(conflicts);
  for (const c of conflicts) for (const x of list) if (x.entry === c.entry) x.set.delete(c.path);
  let mine = list.find((x) => sameEntry(x.entry, manager, 'Apply', apiVersion, sub));
  const before: FieldSet = mine ? mine.set : new Set();
  const merged = mergeApplied(live as Obj, config as Obj, root) as KObject;
  // Fields this manager applied before and no longer does go, unless someone else still owns them.
  const dropped = [...before].filter((path) => !applied.has(path)).sort((a, b) => b.length - a.length);
  for (const path of dropped) {
    const prefix = path.endsWith('.') ? path.slice(0, -2) : path;
    const ownedElsewhere = list.some((x) => x !== mine && [...x.set].some((q) => q === path || q.startsWith(prefix)));
    if (!ownedElsewhere) removeAt(merged as Obj, path);
  }
  if (!mine) {
    mine = { entry: applyEntry, set: applied };
    list.push(mine);
  } else {
    mine.entry = { ...mine.entry, time: now };
    mine.set = applied;
  }
  merged.metadata = { ...merged.metadata };
  writeEntries(merged, list);
  delete merged.metadata.resourceVersion;
  return api.updateFrom(info, existing, info.storage ? fromServed(info, merged) : merged, plain, sub);
}

/** The 409 structured-merge-diff reports (k8s.io/apimachinery managedfields internal/conflict.go). */
function applyConflict(conflicts: { entry: ManagedEntry; path: string }[]): StatusError {
  const who = (e: ManagedEntry) => {
    let s = JSON.stringify(e.manager);
    if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
    return e.operation === 'Update' ? `${s} using ${e.apiVersion}` : s;
  };
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${who(conflicts[0].entry)}: ${printPath(conflicts[0].path)}`;
  } else {
    const by = new Map<string, string[]>();
    for (const c of conflicts) {
      const k = who(c.entry);
      if (!by.has(k)) by.set(k, []);
      by.get(k)!.push(printPath(c.path));
    }
    const lines: string[] = [];
    for (const k of [...by.keys()].sort()) {
      lines.push(`conflicts with ${k}:`);
      for (const path of by.get(k)!) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new StatusError({
    kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason: 'Conflict', code: 409,
    details: { causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${who(c.entry)}`, field: printPath(c.path) })) },
  });
}

/** Merges an apply configuration into the live object: maps by key, keyed lists by their keys, sets by value, other lists replaced. */
function mergeApplied(live: unknown, config: unknown, t: TypeRef): unknown {
  if (isObj(config)) {
    const out: Obj = isObj(live) ? { ...live } : {};
    for (const k of Object.keys(config)) {
      const v = config[k];
      if (v === null) delete out[k];
      else out[k] = mergeApplied(out[k], v, fieldType(t, k));
    }
    return out;
  }
  if (Array.isArray(config)) {
    const keys = listKeys(t);
    if (keys && Array.isArray(live)) {
      const out = [...live];
      const it = itemType(t);
      const match = (a: unknown, b: Obj) => isObj(a) && deepEqual(keyValues(a, keys, it), keyValues(b, keys, it));
      for (const item of config) {
        if (!isObj(item)) continue;
        const i = out.findIndex((x) => match(x, item));
        if (i >= 0) out[i] = mergeApplied(out[i], item, itemType(t));
        else out.push(deepCopy(item));
      }
      return out;
    }
    if (isSet(t) && Array.isArray(live)) {
      const out = [...live];
      for (const x of config) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    return deepCopy(config);
  }
  return config;
}

function removeAt(obj: Obj, path: string): void {
  const segs = segments(path);
  if (segs[segs.length - 1] === '.') segs.pop();
  let cur: unknown = obj;
  for (let i = 0; i < segs.length - 1; i++) cur = step(cur, segs[i]);
  const last = segs[segs.length - 1];
  if (last.startsWith('f:') && isObj(cur)) delete cur[last.slice(2)];
  else if (last.startsWith('k:') || last.startsWith('v:')) {
    // cur is the list's parent; find the list field from the previous segment.
    const parentSegs = segs.slice(0, -1);
    let parent: unknown = obj;
    for (let i = 0; i < parentSegs.length - 1; i++) parent = step(parent, parentSegs[i]);
    const field = parentSegs[parentSegs.length - 1]?.slice(2);
    if (!isObj(parent) || !field || !Array.isArray(parent[field])) return;
    const want = JSON.parse(last.slice(2));
    parent[field] = (parent[field] as unknown[]).filter((x) =>
      last.startsWith('k:') ? !(isObj(x) && Object.entries(want as Obj).every(([k, v]) => x[k] === v)) : JSON.stringify(x) !== JSON.stringify(want),
    );
  }
}

function step(cur: unknown, seg: string): unknown {
  if (seg.startsWith('f:')) {
    if (!isObj(cur)) return undefined;
    const k = seg.slice(2);
    if (isObj(cur[k])) cur[k] = { ...(cur[k] as Obj) };
    else if (Array.isArray(cur[k])) cur[k] = [...(cur[k] as unknown[])];
    return cur[k];
  }
  if (seg.startsWith('k:') && Array.isArray(cur)) {
    const want = JSON.parse(seg.slice(2)) as Obj;
    const i = cur.findIndex((x) => isObj(x) && Object.entries(want).every(([k, v]) => x[k] === v));
    if (i < 0) return undefined;
    cur[i] = { ...(cur[i] as Obj) };
    return cur[i];
  }
  return undefined;
}
