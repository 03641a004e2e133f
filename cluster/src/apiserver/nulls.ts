/**
 * What a v1.34 apiserver makes of a JSON `null` in a built-in object's body. It decodes the body into Go structs
 * (sigs.k8s.io/json, encoding/json's rules for null): a map, slice or pointer becomes nil, any other type keeps its
 * zero value, and a type with its own UnmarshalJSON is handed the null (Quantity and IntOrString read it as 0, Time
 * as the zero time). What it writes back follows the struct tags: `omitempty` leaves out a nil map, slice or pointer
 * and a zero scalar, a nil one without omitempty prints `null`, and a struct always prints (`resources: {}`). So a
 * hand-written `env:` or `labels:` with nothing after it is simply gone, `containerPort:` is 0, and `containers:`
 * stays null for validation to refuse. nulls.json says, per definition and field, which fields do not just drop
 * their null; test/kubectl/protoDescriptors.ts makes it from the descriptors and struct tags in a kubectl binary.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Schema } from '../../../kube/src/schema';
import type { KObject } from '../contract';
import { sharedSchema } from './validate';

type TypeRef = Parameters<Schema['walk']>[0];
type Obj = Record<string, unknown>;

/** A nil slice, map or pointer without omitempty: written back as `null`. */
const KEEP_NULL = 0;
/** A non-pointer struct or a scalar without omitempty: written back as its zero value. */
const ZERO = 1;
type Table = Record<string, Record<string, number> | undefined>;

let table: Table | undefined;
/** A bundler inlines the require; compiled to out/ (tsc copies no JSON) it is read from the sources. */
function load(): Table {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require('./nulls.json') as Table;
  } catch {
    return JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../cluster/src/apiserver/nulls.json'), 'utf8')) as Table;
  }
}

/** Whether the object holds a `null` anywhere (rare: a YAML key with nothing after it); cheap enough for every write. */
function hasNull(v: unknown): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (x === null || (typeof x === 'object' && hasNull(x))) return true;
    return false;
  }
  for (const k in v as Obj) {
    const x = (v as Obj)[k];
    if (x === null || (typeof x === 'object' && hasNull(x))) return true;
  }
  return false;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's zero value of a type as its JSON encoder writes it; `null` for a nil slice, map or pointer and a zero Time. */
function zeroOf(t: TypeRef, s: Schema, nulls: Table): unknown {
  switch (t.kind) {
    case 'object': {
      // A struct prints its fields that omitempty does not drop: `containers: null`, `name: ""`, `resources: {}`.
      const out: Obj = {};
      const props = s.def(t.ref)?.properties;
      const codes = nulls[t.ref];
      if (props && codes) {
        for (const k in codes) {
          const f = props[k];
          if (f) out[k] = codes[k] === KEEP_NULL ? null : zeroOf(f.type, s, nulls);
        }
      }
      return out;
    }
    case 'primitive':
      return t.type === 'string' ? (t.format === 'byte' ? null : '') : t.type === 'boolean' ? false : 0;
    // Quantity.UnmarshalJSON takes null as the zero quantity, written "0"; IntOrString's reads it as the int 0.
    case 'quantity':
      return '0';
    case 'intOrString':
      return 0;
    default:
      return null;
  }
}

function decode(v: unknown, t: TypeRef, s: Schema, nulls: Table): void {
  if (t.kind === 'array' && Array.isArray(v)) {
    // A list element has no tag of its own: a null is the element type's zero value (`containers: [null]`).
    for (let i = 0; i < v.length; i++) {
      if (v[i] === null) v[i] = zeroOf(t.items, s, nulls);
      else decode(v[i], t.items, s, nulls);
    }
  } else if (t.kind === 'object' && isObj(v)) {
    const props = s.def(t.ref)?.properties;
    if (!props) return;
    const codes = nulls[t.ref];
    for (const k in v) {
      const f = props[k];
      if (!f) continue;
      const x = v[k];
      // A definition the table lacks (kube-aggregator's, or newer than the kubectl it was read from) keeps its nulls.
      if (x === null && codes) {
        const code = codes?.[k];
        if (code === ZERO) v[k] = zeroOf(f.type, s, nulls);
        else if (code !== KEEP_NULL) delete v[k];
      } else if (typeof x === 'object') decode(x, f.type, s, nulls);
    }
  } else if (t.kind === 'map' && isObj(v)) {
    // A map value, like a list element, is the value type's zero (`labels: {a: null}` is the label a="").
    for (const k in v) {
      if (v[k] === null) v[k] = zeroOf(t.values, s, nulls);
      else decode(v[k], t.values, s, nulls);
    }
  }
}

/**
 * Rewrites the `null`s of a built-in object's body, in place, as the apiserver's decoding and encoding leave them,
 * before defaulting and validation see it. A custom resource keeps its nulls (its schema prunes them).
 */
export function decodeNulls(obj: KObject, apiVersion: string, kind: string): void {
  if (!hasNull(obj)) return;
  const s = sharedSchema();
  const info = s?.kind(apiVersion, kind);
  if (!s || !info) return;
  table ??= load();
  decode(obj, { kind: 'object', ref: info.definition }, s, table);
}
