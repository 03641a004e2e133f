/**
 * JSON as the CEL values an expression sees (apiextensions schema/cel UnstructuredToVal and model.SchemaDeclType):
 * `integer` fields are CEL ints, `number` fields doubles (a whole JSON number there too), objects with properties
 * are objects whose field names are escaped as cel.Escape does (`x-y` is `x__dash__y`), objects with
 * additionalProperties maps, int-or-string and preserve-unknown-fields values whatever their JSON is (a whole number
 * an int). At a resource root only apiVersion, kind and metadata.name and generateName are visible
 * (model.WithTypeAndObjectMeta).
 */
import type { DeclType } from './engine';

/** The schema fields the conversion reads (an apiextensions v1 JSONSchemaProps). */
export interface ValueSchema {
  type?: string;
  properties?: Record<string, ValueSchema>;
  additionalProperties?: ValueSchema | boolean;
  items?: ValueSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
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

export function toCel(v: unknown, s: ValueSchema | undefined, resourceRoot = false): unknown {
  if (v === null || v === undefined || !s) return v === undefined ? undefined : untyped(v);
  if (s['x-kubernetes-int-or-string']) return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : untyped(v);
  switch (s.type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : v;
    case 'number':
      return v;
    case 'array':
      return Array.isArray(v) ? v.map((x) => toCel(x, s.items)) : v;
    case 'object':
      return isObj(v) ? objectToCel(v, s, resourceRoot || !!s['x-kubernetes-embedded-resource']) : v;
    default:
      return s.type ? v : untyped(v);
  }
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
