/**
 * Strategic merge patch, as k8s.io/apimachinery/pkg/util/strategicpatch
 * applies it: maps merge, `null` deletes, and lists follow the field's
 * patchStrategy — merged by their mergeKey (containers by name, ports by
 * containerPort), unioned for primitive merge lists (finalizers), replaced
 * otherwise. The directives kubectl sends are honoured: `$patch`
 * (merge/replace/delete), `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>`.
 */
import { ANY, fieldType, itemType, rootType, strategies, type TypeRef } from './schematype';

export class StrategicPatchError extends Error {
  constructor(
    message: string,
    readonly badRequest = true,
    /** An error the apiserver does not interpret: its status is this code, with the message alone. */
    readonly code?: number,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const copy = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

export function applyStrategicPatch(base: unknown, patch: Obj, kind?: { apiVersion: string; kind: string }): unknown {
  return mergeMap(isObj(base) ? base : {}, patch, rootType(kind));
}

function mergeMap(orig: Obj, patch: Obj, t: TypeRef): Obj | undefined {
  const directive = patch['$patch'];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const out: Obj = {};
    for (const [k, v] of Object.entries(patch)) if (k !== '$patch') out[k] = copy(v);
    return out;
  }
  if (directive !== undefined && directive !== 'merge') {
    // mergepatch.ErrBadPatchType, which the apiserver passes on as it is: a 500 with Go's %v of the map.
    throw new StrategicPatchError(`Unknown patch type: ${goText(directive)} in map: ${goText(patch)}`, false, 500);
  }
  const out: Obj = { ...orig };
  const retain = patch['$retainKeys'];
  if (retain !== undefined && !Array.isArray(retain)) throw new StrategicPatchError('invalid patch: $retainKeys must be a list');
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    const ft = fieldType(t, k);
    if (v === null) {
      delete out[k];
      continue;
    }
    if (isObj(v)) {
      const merged = mergeMap(isObj(out[k]) ? (out[k] as Obj) : {}, v, ft);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
      continue;
    }
    if (Array.isArray(v)) {
      out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, ft, patch[SET_ORDER + k]);
      continue;
    }
    out[k] = v;
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith(DELETE_PRIMITIVE)) {
      const field = k.slice(DELETE_PRIMITIVE.length);
      if (!Array.isArray(v)) throw new StrategicPatchError(`invalid patch: ${k} must be a list`);
      if (Array.isArray(out[field])) out[field] = (out[field] as unknown[]).filter((x) => !v.includes(x));
    } else if (k.startsWith(SET_ORDER)) {
      const field = k.slice(SET_ORDER.length);
      if (!Array.isArray(v)) throw new StrategicPatchError(`invalid patch: ${k} must be a list`);
      if (!(field in patch) && Array.isArray(out[field])) out[field] = order(out[field] as unknown[], v, strategies(fieldType(t, field)).mergeKey);
    }
  }
  if (Array.isArray(retain)) {
    for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  }
  return out;
}

function mergeList(orig: unknown[], patch: unknown[], t: TypeRef, setOrder: unknown): unknown[] {
  const { merge, mergeKey } = strategies(t);
  if (t.kind === 'any' || !merge) {
    // Replace strategy: directives are still stripped.
    return patch.filter((x) => !(isObj(x) && x['$patch'] !== undefined)).map(copy);
  }
  const it = itemType(t);
  if (!mergeKey) {
    // A merge list of primitives (e.g. finalizers): union, in patch order for new items.
    const out = [...orig];
    for (const x of patch) if (!out.some((y) => JSON.stringify(y) === JSON.stringify(x))) out.push(copy(x));
    return Array.isArray(setOrder) ? order(out, setOrder, undefined) : out;
  }
  if (patch.some((x) => isObj(x) && x['$patch'] === 'replace')) {
    return patch.filter((x) => !(isObj(x) && x['$patch'] !== undefined)).map(copy);
  }
  const out: unknown[] = [...orig];
  for (const x of patch) {
    if (!isObj(x)) throw new StrategicPatchError(`invalid patch: list item ${JSON.stringify(x)} of a list merged by ${mergeKey} is not an object`);
    const key = x[mergeKey];
    if (key === undefined) {
      throw new StrategicPatchError(`map: ${JSON.stringify(x)} does not contain declared merge key: ${mergeKey}`);
    }
    const idx = out.findIndex((y) => isObj(y) && y[mergeKey] === key);
    if (x['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(out[idx] as Obj, x, it);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      const clean: Obj = {};
      for (const [k, v] of Object.entries(x)) if (k !== '$patch') clean[k] = copy(v);
      const added = mergeMap({}, clean, it);
      if (added) out.push(added);
    }
  }
  return Array.isArray(setOrder) ? order(out, setOrder, mergeKey) : out;
}

/**
 * `$setElementOrder`: items named in the order list come in that order;
 * items only the server has keep their place relative to them.
 */
function order(items: unknown[], orderList: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (x: unknown) => JSON.stringify(mergeKey && isObj(x) ? x[mergeKey] : x);
  const rank = new Map<string, number>();
  orderList.forEach((x, i) => rank.set(keyOf(x), i));
  const ordered = items.filter((x) => rank.has(keyOf(x))).sort((a, b) => rank.get(keyOf(a))! - rank.get(keyOf(b))!);
  const out: unknown[] = [];
  let j = 0;
  for (const x of items) out.push(rank.has(keyOf(x)) ? ordered[j++] : x);
  return out;
}

export { ANY };

/** Go's %v of a decoded JSON value: map[k:v ...] with sorted keys, [a b] for a list, strings bare, <nil> for null. */
function goText(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goText(o[k])}`).join(' ')}]`;
  }
  return String(v);
}
