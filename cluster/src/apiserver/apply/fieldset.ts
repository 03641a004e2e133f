/**
 * Field sets as structured-merge-diff keeps them: each owned field is a path
 * of FieldsV1 segments — `f:<field>`, `k:{"name":"c"}` for an item of a list
 * keyed by its merge keys, `v:"x"` for a member of a set, and `.` for a map
 * or list item owned as a whole. Paths are held as joined strings so sets
 * are plain JS Sets; `toFieldsV1` / `fromFieldsV1` convert to the nested
 * object stored in metadata.managedFields.
 */
import { fieldDefault, fieldType, itemType, type TypeRef } from '../patch/schematype';

export type FieldSet = Set<string>;
const SEP = '\u0001';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Metadata fields no manager owns (identity and system-maintained fields). */
const SYSTEM_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName']);

/** Keys of a list's items: listMapKeys, else the merge key. */
export function listKeys(t: TypeRef): string[] | undefined {
  if (t.kind !== 'array') return undefined;
  if (t.listType === 'map' && t.listMapKeys?.length) return t.listMapKeys;
  if (t.mergeKey) return [t.mergeKey];
  return undefined;
}

export function isSet(t: TypeRef): boolean {
  return t.kind === 'array' && (t.listType === 'set' || (!t.mergeKey && t.patchStrategy === 'merge')) && (t.items.kind === 'primitive');
}

/** Structs the schema marks atomic upstream (x-kubernetes-map-type: atomic) are owned as one leaf. */
function atomicStruct(t: TypeRef): boolean {
  return t.kind === 'object' && /LabelSelector$|\.ObjectReference$|NodeSelector$/.test(t.ref) && !/NodeSelectorTerm/.test(t.ref);
}

/**
 * An item's key values; a key field left out takes the schema's default, as structured-merge-diff does, so
 * `{containerPort: 80}` is the item `{containerPort: 80, protocol: TCP}` the apiserver defaulted.
 */
export function keyValues(item: Obj, keys: string[], itemT?: TypeRef): Obj {
  const o: Obj = {};
  for (const k of keys) {
    const v = item[k] !== undefined ? item[k] : itemT ? fieldDefault(itemT, k) : undefined;
    if (v !== undefined) o[k] = v;
  }
  return o;
}

export function keySegment(item: Obj, keys: string[], itemT?: TypeRef): string {
  return 'k:' + JSON.stringify(keyValues(item, keys, itemT));
}

/**
 * Every owned path of `value` (of type `t`). `scope` picks the part of an
 * object a request may own: the main resource (no status) or `status`.
 */
export function fieldsOf(obj: Obj, root: TypeRef, scope: 'main' | 'status' | 'all'): FieldSet {
  const out: FieldSet = new Set();
  for (const k of Object.keys(obj)) {
    if (k === 'apiVersion' || k === 'kind') continue;
    if (scope === 'main' && k === 'status') continue;
    if (scope === 'status' && k !== 'status') continue;
    const v = obj[k];
    if (v === undefined || v === null) continue;
    const seg = 'f:' + k;
    if (k === 'metadata' && isObj(v)) {
      for (const mk of Object.keys(v)) {
        if (SYSTEM_META.has(mk) || v[mk] === undefined || v[mk] === null) continue;
        walk(v[mk], fieldType(fieldType(root, 'metadata'), mk), [seg, 'f:' + mk], out);
      }
      continue;
    }
    walk(v, fieldType(root, k), [seg], out);
  }
  return out;
}

function walk(v: unknown, t: TypeRef, path: string[], out: FieldSet): void {
  if (isObj(v) && !atomicStruct(t) && Object.keys(v).length) {
    if (t.kind === 'map') out.add([...path, '.'].join(SEP));
    for (const k of Object.keys(v)) {
      if (v[k] === undefined || v[k] === null) continue;
      walk(v[k], fieldType(t, k), [...path, 'f:' + k], out);
    }
    return;
  }
  if (Array.isArray(v) && v.length) {
    const keys = listKeys(t);
    if (keys) {
      for (const item of v) {
        if (!isObj(item)) continue;
        const p = [...path, keySegment(item, keys, itemType(t))];
        out.add([...p, '.'].join(SEP));
        for (const k of Object.keys(item)) {
          if (item[k] === undefined || item[k] === null) continue;
          walk(item[k], fieldType(itemType(t), k), [...p, 'f:' + k], out);
        }
      }
      return;
    }
    if (isSet(t)) {
      for (const item of v) out.add([...path, 'v:' + JSON.stringify(item)].join(SEP));
      return;
    }
  }
  out.add(path.join(SEP));
}

export function segments(p: string): string[] {
  return p.split(SEP);
}

/** `.spec.template.spec.containers[name="c"].image`, as conflicts print a path. */
export function printPath(p: string): string {
  let s = '';
  for (const seg of segments(p)) {
    if (seg === '.') continue;
    if (seg.startsWith('f:')) s += '.' + seg.slice(2);
    else if (seg.startsWith('k:')) {
      const o = JSON.parse(seg.slice(2)) as Obj;
      s += '[' + Object.entries(o).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',') + ']';
    } else if (seg.startsWith('v:')) s += `[=${seg.slice(2)}]`;
  }
  return s;
}

/** The value at a path (undefined when absent); `.` answers the node itself. */
export function valueAt(obj: unknown, p: string): unknown {
  let cur: unknown = obj;
  for (const seg of segments(p)) {
    if (cur === undefined) return undefined;
    if (seg === '.') return cur;
    if (seg.startsWith('f:')) cur = isObj(cur) ? cur[seg.slice(2)] : undefined;
    else if (seg.startsWith('k:')) {
      const want = JSON.parse(seg.slice(2)) as Obj;
      // An apply configuration may leave out a key field the segment holds with its default (`protocol: TCP`).
      cur = Array.isArray(cur)
        ? cur.find((x) => isObj(x) && Object.entries(want).every(([k, v]) => x[k] === v)) ?? cur.find((x) => isObj(x) && Object.entries(want).every(([k, v]) => x[k] === v || x[k] === undefined))
        : undefined;
    } else if (seg.startsWith('v:')) {
      const want = JSON.parse(seg.slice(2));
      return Array.isArray(cur) && cur.some((x) => JSON.stringify(x) === JSON.stringify(want)) ? want : undefined;
    }
  }
  return cur;
}

export function toFieldsV1(set: FieldSet): Obj {
  const root: Obj = {};
  for (const p of [...set].sort()) {
    let cur = root;
    for (const seg of segments(p)) {
      if (!isObj(cur[seg])) cur[seg] = {};
      cur = cur[seg] as Obj;
    }
  }
  return root;
}

/**
 * The leaf paths of a stored FieldsV1 tree. With the object's root type, list keys are written the way
 * fieldsOf writes them now (a key field left out takes the schema's default): an entry stored as
 * `k:{"containerPort":80}` before key defaults were filled in is the same item as `k:{"containerPort":80,"protocol":"TCP"}`.
 */
export function fromFieldsV1(tree: unknown, root?: TypeRef): FieldSet {
  const out: FieldSet = new Set();
  const rec = (node: unknown, path: string[], t: TypeRef | undefined) => {
    if (!isObj(node)) return;
    const keys = Object.keys(node);
    if (!keys.length && path.length) out.add(path.join(SEP));
    for (const k of keys) {
      let seg = k;
      let next: TypeRef | undefined;
      if (t && k.startsWith('f:')) next = fieldType(t, k.slice(2));
      else if (t && (k.startsWith('k:') || k.startsWith('v:'))) {
        next = itemType(t);
        const lk = k.startsWith('k:') ? listKeys(t) : undefined;
        if (lk) {
          try {
            const item = JSON.parse(k.slice(2));
            if (isObj(item)) seg = keySegment(item, lk, next);
          } catch {
            /* a key that is no JSON stays as stored */
          }
        }
      } else next = t;
      rec(node[k], [...path, seg], next);
    }
  };
  rec(tree, [], root);
  return out;
}

/**
 * What structured-merge-diff's ObjectToTyped refuses in an apply configuration, whatever fieldValidation says: a
 * field the type does not declare, and two items of a keyed list with the same key. Its paths (`.spec.foo`,
 * `.spec.containers[name="c"].env`) and messages.
 */
export function typedErrors(obj: Obj, root: TypeRef, lookup: (ref: string) => { properties: Record<string, unknown> } | undefined): string[] {
  const errs: string[] = [];
  const visit = (v: unknown, t: TypeRef, path: string) => {
    if (v === null || v === undefined) return;
    if (t.kind === 'object' && isObj(v)) {
      const def = lookup(t.ref);
      // A type with no declared properties (RawExtension and the like) takes anything.
      if (!def || !Object.keys(def.properties).length) return;
      for (const k of Object.keys(v)) {
        if (!(k in def.properties)) { errs.push(`${path}.${k}: field not declared in schema`); continue; }
        visit(v[k], fieldType(t, k), `${path}.${k}`);
      }
    } else if (t.kind === 'map' && isObj(v)) {
      for (const k of Object.keys(v)) visit(v[k], t.values, `${path}.${k}`);
    } else if (t.kind === 'array' && Array.isArray(v)) {
      const keys = t.listType === 'map' && t.listMapKeys?.length ? t.listMapKeys : t.mergeKey ? [t.mergeKey] : undefined;
      const seen = new Set<string>();
      v.forEach((item, i) => {
        if (keys && isObj(item)) {
          const kv = keyValues(item, keys, t.items);
          const label = `[${keys.filter((k) => kv[k] !== undefined).map((k) => `${k}=${JSON.stringify(kv[k])}`).join(',')}]`;
          if (seen.has(label)) errs.push(`${path}: duplicate entries for key ${label}`);
          seen.add(label);
          visit(item, t.items, `${path}${label}`);
        } else visit(item, t.items, `${path}[${i}]`);
      });
    }
  };
  visit(obj, root, '');
  return errs;
}
