/**
 * JSON as the CEL values an expression sees (apiextensions schema/cel UnstructuredToVal and model.SchemaDeclType):
 * `integer` fields are CEL ints, `number` fields doubles (a whole JSON number there too), objects with properties
 * are objects whose field names are escaped as cel.Escape does (`x-y` is `x__dash__y`), objects with
 * additionalProperties maps, int-or-string and preserve-unknown-fields values whatever their JSON is (a whole number
 * an int). At a resource root only apiVersion, kind and metadata.name and generateName are visible
 * (model.WithTypeAndObjectMeta).
 */
import { CelDuration, type DeclType } from './engine';
import { KeyedList, keyedHolders } from './extensions';
import type { Schema, TypeRef } from '../../../kube/src/schema';

/** The schema fields the conversion reads (an apiextensions v1 JSONSchemaProps). */
export interface ValueSchema {
  type?: string;
  properties?: Record<string, ValueSchema>;
  additionalProperties?: ValueSchema | boolean;
  items?: ValueSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  format?: string;
}

const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let',
  'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** cel.Escape (k8s.io/apiserver/pkg/cel/escaping.go): undefined when the name cannot be a CEL field name at all. */
export function escapeFieldName(name: string): string | undefined {
  if (!name) return undefined;
  if (RESERVED.has(name)) return `__${name}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(name)) return undefined;
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i];
    if (c === '_' && name[i + 1] === '_') {
      out += '__underscores__';
      i++;
    } else if (c === '.') out += '__dot__';
    else if (c === '-') out += '__dash__';
    else if (c === '/') out += '__slash__';
    else out += c;
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A JSON number with no schema to say which: a whole one is an int, as Go's JSON decoding makes it an int64. */
function untyped(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(untyped);
  if (isObj(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) out[k] = untyped(v[k]);
    return out;
  }
  return v;
}

/** Notes a list or object that holds a set or map list, whose equality then follows theirs (extensions.ts). */
function holding<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Array.isArray(v) ? v : Object.values(v)) {
      if (x instanceof KeyedList || (x && typeof x === 'object' && keyedHolders.has(x))) {
        keyedHolders.add(v);
        break;
      }
    }
  }
  return v;
}

export function toCel(v: unknown, s: ValueSchema | undefined, resourceRoot = false): unknown {
  if (v === null || v === undefined || !s) return v === undefined ? undefined : untyped(v);
  if (s['x-kubernetes-int-or-string']) return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : untyped(v);
  switch (s.type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
    case 'number':
      return v;
    case 'array': {
      if (!Array.isArray(v)) return v;
      const listType = s['x-kubernetes-list-type'];
      if (listType === 'set' || listType === 'map') {
        const out = new KeyedList();
        for (const x of v) out.push(toCel(x, s.items));
        if (listType === 'map') out.mapKeys = (s['x-kubernetes-list-map-keys'] ?? []).map((k) => escapeFieldName(k) ?? k);
        return out;
      }
      return holding(v.map((x) => toCel(x, s.items)));
    }
    case 'object':
      return isObj(v) ? holding(objectToCel(v, s, resourceRoot || !!s['x-kubernetes-embedded-resource'])) : v;
    case 'string':
      return typeof v === 'string' && s.format ? formatted(v, s.format) : v;
    default:
      return s.type ? v : untyped(v);
  }
}

/**
 * UnstructuredToVal's formatted strings: date-time and date are timestamps, duration a duration. A string that does
 * not parse stays a string (schema validation has refused it already; upstream's value would be an error).
 */
function formatted(v: string, format: string): unknown {
  switch (format) {
    case 'date-time': {
      // strfmt.ParseDateTime: RFC 3339, the `T` or a space between date and time.
      if (!/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(v)) return v;
      const d = new Date(v.replace(' ', 'T'));
      return Number.isNaN(d.getTime()) ? v : d;
    }
    case 'date': {
      // time.Parse(strfmt.RFC3339FullDate): midnight UTC of that day.
      if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
      const d = new Date(`${v}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? v : d;
    }
    case 'duration': {
      const ms = parseDurationMs(v);
      return ms === undefined ? v : CelDuration.fromMilliseconds(ms);
    }
    default:
      return v;
  }
}

const UNIT_MS: Record<string, number> = {
  ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000,
};
const LONG_UNITS: Record<string, string> = {
  nanosecond: 'ns', microsecond: 'us', millisecond: 'ms', second: 's', sec: 's', minute: 'm', min: 'm', hour: 'h', hr: 'h',
  day: 'd', week: 'w', wk: 'w',
};

/** strfmt.ParseDuration: Go's time.ParseDuration (`1h30m`, `1.5s`), or `<n> <unit>` (`3 days`, `10 seconds`, `2d`). */
export function parseDurationMs(v: string): number | undefined {
  const go = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(v);
  if (go) {
    let total = 0;
    for (const [, n, u] of v.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * UNIT_MS[u];
    return go[1] === '-' ? -total : total;
  }
  if (v === '0') return 0;
  const m = /^(\d+)\s*([A-Za-zµ]+)$/.exec(v.trim());
  if (!m) return undefined;
  let unit = m[2].toLowerCase();
  if (!UNIT_MS[unit]) unit = LONG_UNITS[unit.replace(/s$/, '')] ?? '';
  return UNIT_MS[unit] === undefined ? undefined : Number(m[1]) * UNIT_MS[unit];
}

function objectToCel(v: Record<string, unknown>, s: ValueSchema, resourceRoot: boolean): unknown {
  const out: Record<string, unknown> = {};
  if (s.properties) {
    for (const k of Object.keys(v)) {
      const prop = s.properties[k];
      if (resourceRoot && (k === 'apiVersion' || k === 'kind')) out[k] = v[k];
      else if (resourceRoot && k === 'metadata') out.metadata = metadataOf(v.metadata);
      else if (prop) {
        const name = escapeFieldName(k);
        if (name !== undefined) out[name] = toCel(v[k], prop);
      } else if (s['x-kubernetes-preserve-unknown-fields']) out[k] = untyped(v[k]);
    }
    return out;
  }
  const additional = isObj(s.additionalProperties) ? (s.additionalProperties as ValueSchema) : undefined;
  for (const k of Object.keys(v)) {
    if (resourceRoot && k === 'metadata') out.metadata = metadataOf(v.metadata);
    else out[k] = additional ? toCel(v[k], additional) : untyped(v[k]);
  }
  return out;
}

function metadataOf(m: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (isObj(m)) {
    if (typeof m.name === 'string') out.name = m.name;
    if (typeof m.generateName === 'string') out.generateName = m.generateName;
  }
  return out;
}

const STRING_FORMATS: Record<string, string> = {
  byte: 'bytes', duration: 'google.protobuf.Duration', date: 'google.protobuf.Timestamp', 'date-time': 'google.protobuf.Timestamp',
};
const SIMPLE: Record<string, string> = { boolean: 'bool', number: 'double', integer: 'int' };

/**
 * The declared type of the values a schema allows (apiserver/pkg/cel/common/schemas.go SchemaDeclType), or undefined
 * where CEL sees nothing: int-or-string is dyn; an object with additionalProperties a map, else an object of its
 * properties (cel.Escape'd; those without a type left out, so preserve-unknown-fields exposes no unknown field); a
 * resource root (and an embedded resource) also has apiVersion, kind and metadata.name and generateName
 * (WithTypeAndObjectMeta); string formats byte, duration, date and date-time are bytes, durations and timestamps.
 */
export function schemaDeclType(s: ValueSchema | undefined, resourceRoot: boolean): DeclType | undefined {
  if (!s || typeof s !== 'object') return undefined;
  if (s['x-kubernetes-int-or-string']) return { kind: 'simple', name: 'dyn' };
  if (resourceRoot) s = withTypeAndObjectMeta(s);
  switch (s.type) {
    case 'array': {
      const item = s.items && schemaDeclType(s.items, !!s.items['x-kubernetes-embedded-resource']);
      return item ? { kind: 'list', item } : undefined;
    }
    case 'object': {
      const additional = isObj(s.additionalProperties) ? (s.additionalProperties as ValueSchema) : undefined;
      if (additional) {
        const value = schemaDeclType(additional, !!additional['x-kubernetes-embedded-resource']);
        return value ? { kind: 'map', value } : undefined;
      }
      const fields: Record<string, DeclType> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        const t = schemaDeclType(p, !!p?.['x-kubernetes-embedded-resource']);
        const name = escapeFieldName(k);
        if (t && name !== undefined) fields[name] = t;
      }
      return { kind: 'object', fields };
    }
    case 'string':
      return { kind: 'simple', name: STRING_FORMATS[s.format ?? ''] ?? 'string' };
    default:
      return s.type && SIMPLE[s.type] ? { kind: 'simple', name: SIMPLE[s.type] } : undefined;
  }
}

const STRING: ValueSchema = { type: 'string' };
function withTypeAndObjectMeta(s: ValueSchema): ValueSchema {
  const p = s.properties ?? {};
  const m = p.metadata?.properties;
  if (p.kind?.type === 'string' && p.apiVersion?.type === 'string' && p.metadata?.type === 'object'
    && m?.name?.type === 'string' && m?.generateName?.type === 'string') return s;
  return {
    ...s,
    properties: { ...p, kind: STRING, apiVersion: STRING, metadata: { type: 'object', properties: { name: STRING, generateName: STRING } } },
  };
}

const kubeTypes = new WeakMap<Schema, Map<string, DeclType>>();

/**
 * The declared type of a built-in kind from the generated schema, as common.SchemaDeclType makes it of the kind's
 * OpenAPI schema (the resolver the policy type checker uses): objects of their properties, maps, lists, int-or-string a
 * dyn, a Quantity a string, a metav1.Time a timestamp (format date-time), free-form JSON a dyn. The whole ObjectMeta is
 * visible (WithTypeAndObjectMeta keeps a schema that already declares it). One DeclType per definition, so a
 * recursive definition (JSONSchemaProps) refers to itself.
 */
export function kubeDeclType(schema: Schema, definition: string): DeclType {
  let byRef = kubeTypes.get(schema);
  if (!byRef) kubeTypes.set(schema, (byRef = new Map()));
  const memo = byRef;
  const ofRef = (ref: TypeRef): DeclType => {
    switch (ref.kind) {
      case 'object': {
        let t = memo.get(ref.ref);
        if (t) return t;
        const fields: Record<string, DeclType> = {};
        memo.set(ref.ref, (t = { kind: 'object', fields }));
        for (const [k, f] of Object.entries(schema.def(ref.ref)?.properties ?? {})) {
          const name = escapeFieldName(k);
          if (name !== undefined) fields[name] = ofRef(f.type);
        }
        return t;
      }
      case 'primitive':
        return { kind: 'simple', name: ref.type === 'string' ? STRING_FORMATS[ref.format ?? ''] ?? 'string' : SIMPLE[ref.type] };
      case 'quantity':
        return { kind: 'simple', name: 'string' };
      case 'time':
        return { kind: 'simple', name: 'google.protobuf.Timestamp' };
      case 'array':
        return { kind: 'list', item: ofRef(ref.items) };
      case 'map':
        return { kind: 'map', value: ofRef(ref.values) };
      default:
        return { kind: 'simple', name: 'dyn' };
    }
  };
  return ofRef({ kind: 'object', ref: definition });
}
