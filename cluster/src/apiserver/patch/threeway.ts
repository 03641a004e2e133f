/**
 * CreateThreeWayMergePatch, as kubectl's client-side apply computes it:
 * changes and additions come from current -> modified, deletions from
 * original (the last-applied configuration) -> modified, so fields other
 * writers set are left alone. Lists merged by key get `$patch: delete`
 * entries and a `$setElementOrder` directive; primitive merge lists get
 * `$deleteFromPrimitiveList`.
 */
import { fieldType, itemType, rootType, strategies, type TypeRef } from './schematype';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (isObj(v)) {
    const o: Obj = {};
    for (const k of Object.keys(v).sort()) o[k] = sorted(v[k]);
    return o;
  }
  return v;
}

export function threeWayPatch(original: Obj | undefined, modified: Obj, current: Obj, kind?: { apiVersion: string; kind: string }): Obj {
  return diffMap(original, modified, current, rootType(kind)) ?? {};
}

function diffMap(original: Obj | undefined, modified: Obj, current: Obj, t: TypeRef): Obj | undefined {
  const out: Obj = {};
  if (original) {
    for (const k of Object.keys(original)) if (!(k in modified) && k in current) out[k] = null;
  }
  for (const k of Object.keys(modified)) {
    const m = modified[k];
    const c = current[k];
    const o = original?.[k];
    const ft = fieldType(t, k);
    if (isObj(m)) {
      if (!isObj(c)) {
        out[k] = m;
        continue;
      }
      const d = diffMap(isObj(o) ? o : undefined, m, c, ft);
      if (d) out[k] = d;
      continue;
    }
    if (Array.isArray(m)) {
      diffList(out, k, Array.isArray(o) ? o : undefined, m, Array.isArray(c) ? c : undefined, ft);
      continue;
    }
    if (!same(m, c)) out[k] = m;
  }
  return Object.keys(out).length ? out : undefined;
}

function diffList(out: Obj, k: string, original: unknown[] | undefined, modified: unknown[], current: unknown[] | undefined, t: TypeRef): void {
  const { merge, mergeKey } = strategies(t);
  if (!merge || !current) {
    if (!current || !same(modified, current)) out[k] = modified;
    return;
  }
  if (!mergeKey) {
    const added = modified.filter((x) => !current.some((y) => same(x, y)));
    const removed = (original ?? []).filter((x) => !modified.some((y) => same(x, y)) && current.some((y) => same(x, y)));
    if (added.length) out[k] = added;
    if (removed.length) out['$deleteFromPrimitiveList/' + k] = removed;
    if (added.length || removed.length) out['$setElementOrder/' + k] = modified;
    return;
  }
  const it = itemType(t);
  const items: unknown[] = [];
  const keyOf = (x: unknown) => (isObj(x) ? x[mergeKey] : undefined);
  for (const m of modified) {
    if (!isObj(m)) continue;
    const c = current.find((x) => same(keyOf(x), m[mergeKey]));
    const o = original?.find((x) => same(keyOf(x), m[mergeKey]));
    if (!isObj(c)) {
      items.push(m);
      continue;
    }
    const d = diffMap(isObj(o) ? o : undefined, m, c, it);
    if (d) items.push({ [mergeKey]: m[mergeKey], ...d });
  }
  for (const o of original ?? []) {
    if (!isObj(o)) continue;
    const stillWanted = modified.some((x) => same(keyOf(x), o[mergeKey]));
    const present = current.some((x) => same(keyOf(x), o[mergeKey]));
    if (!stillWanted && present) items.push({ [mergeKey]: o[mergeKey], $patch: 'delete' });
  }
  const orderChanged = !same(
    modified.map(keyOf),
    current.map(keyOf).filter((x) => modified.some((m) => same(keyOf(m), x))),
  );
  if (items.length || orderChanged) {
    out['$setElementOrder/' + k] = modified.map((m) => ({ [mergeKey]: keyOf(m) }));
    if (items.length) out[k] = items;
  }
}
