/**
 * A custom resource against its version's structural schema, as the apiextensions-apiserver treats it:
 * pruning of unknown fields (structural/pruning, with the paths `fieldValidation` reports), defaulting
 * (structural/defaulting: nulls of non-nullable fields without a default dropped first), and validation with
 * kube-openapi's messages turned into field errors (apiserver/validation kubeOpenAPIResultToFieldErrors).
 * x-kubernetes-validations (CEL rules) are celrules.ts's.
 */
import type { FieldError } from '../status';
import type { JSONSchemaProps } from './types';
import { RE2JS } from 're2js';
import { Interner } from '../../runtime/intern';

type Json = unknown;
const isObj = (v: Json): v is Record<string, Json> => !!v && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);
const index = (path: string, i: number) => `${path}[${i}]`;

// ---------- pruning ----------

/**
 * Drops the fields the schema does not specify and answers their paths, sorted (pruning.PruneWithOptions with
 * isResourceRoot: apiVersion, kind and metadata stay at the root and in embedded resources).
 */
export function pruneUnknown(obj: Record<string, Json>, schema: JSONSchemaProps | undefined): string[] {
  const out: string[] = [];
  if (!schema) return out;
  pruneNode(obj, schema, '', true, out);
  return out.sort();
}

function pruneNode(x: Json, s: JSONSchemaProps | undefined, path: string, resourceRoot: boolean, out: string[]): void {
  if (!s) return;
  if (Array.isArray(x)) {
    x.forEach((v, i) => pruneNode(v, s.items, index(path, i), !!s.items?.['x-kubernetes-embedded-resource'], out));
    return;
  }
  if (!isObj(x)) return;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  const additional = s.additionalProperties;
  for (const k of Object.keys(x)) {
    if (resourceRoot && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
    const prop = s.properties?.[k];
    if (prop) pruneNode(x[k], prop, child(path, k), !!prop['x-kubernetes-embedded-resource'], out);
    else if (isObj(additional)) pruneNode(x[k], additional, child(path, k), false, out);
    else if (!preserve && additional !== true) {
      delete x[k];
      out.push(child(path, k));
    }
  }
}

/** The ObjectMeta fields a custom resource's metadata may carry (objectmeta.Coerce drops the rest). */
const OBJECT_META = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
]);

/** Unknown metadata fields, dropped, with their paths. */
export function pruneMetadata(obj: Record<string, Json>): string[] {
  const m = obj.metadata;
  if (!isObj(m)) return [];
  const out: string[] = [];
  for (const k of Object.keys(m)) {
    if (!OBJECT_META.has(k)) {
      delete m[k];
      out.push(`metadata.${k}`);
    }
  }
  return out;
}

// ---------- defaulting ----------

const nonNullableNull = (v: Json, s: JSONSchemaProps | undefined) => v === null && !!s && !s.nullable && !s['x-kubernetes-preserve-unknown-fields'];

/** structuraldefaulting.PruneNonNullableNullsWithoutDefaults, then Default: the schema's defaults where a field is absent. */
export function applyDefaults(x: Json, s: JSONSchemaProps | undefined, root = true): void {
  if (!s) return;
  if (isObj(x)) {
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      if (root && (k === 'apiVersion' || k === 'kind' || k === 'metadata')) continue;
      if (nonNullableNull(x[k], prop) && prop.default === undefined) delete x[k];
      if (prop.default !== undefined && (!(k in x) || nonNullableNull(x[k], prop))) x[k] = clone(prop.default);
    }
    const additional = isObj(s.additionalProperties) ? (s.additionalProperties as JSONSchemaProps) : undefined;
    for (const k of Object.keys(x)) {
      if (root && k === 'metadata') continue;
      const prop = s.properties?.[k];
      if (prop) applyDefaults(x[k], prop, false);
      else if (additional) {
        if (nonNullableNull(x[k], additional) && additional.default !== undefined) x[k] = clone(additional.default);
        applyDefaults(x[k], additional, false);
      }
    }
  } else if (Array.isArray(x) && s.items) {
    for (let i = 0; i < x.length; i++) {
      if (nonNullableNull(x[i], s.items) && s.items.default !== undefined) x[i] = clone(s.items.default);
      applyDefaults(x[i], s.items, false);
    }
  }
}

/** Whether any node of the schema has a default (reads then default too). */
export function hasDefaults(s: JSONSchemaProps | undefined): boolean {
  if (!s || typeof s !== 'object') return false;
  if (s.default !== undefined) return true;
  if (Object.values(s.properties ?? {}).some(hasDefaults)) return true;
  if (isObj(s.additionalProperties) && hasDefaults(s.additionalProperties as JSONSchemaProps)) return true;
  return hasDefaults(s.items);
}

// ---------- validation ----------

/** kube-openapi's name for a JSON value's type (typeValidator.schemaInfoForType). */
function jsonType(v: Json): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Go's %v of a float64 bound, as the messages print it. */
const num = (n: number) => String(n);

const FORMATS: Record<string, (s: string) => boolean> = {
  'date-time': (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  datetime: (s) => FORMATS['date-time'](s),
  date: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
  email: (s) => /^[^@\s]+@[^@\s]+$/.test(s),
  hostname: (s) => s.length <= 255 && /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/.test(s),
  ipv4: (s) => /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/.test(s),
  ipv6: (s) => s.includes(':') && /^[0-9A-Fa-f:.]+$/.test(s),
  cidr: (s) => /^[0-9A-Fa-f:.]+\/\d{1,3}$/.test(s),
  uuid: (s) => /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s),
  byte: (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
  duration: (s) => /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$/.test(s),
  mac: (s) => /^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}$/.test(s),
};

/** The schema's type list as the type validator joins it (x-kubernetes-int-or-string is `integer,string`). */
function typesOf(s: JSONSchemaProps): string[] {
  if (s['x-kubernetes-int-or-string']) return ['integer', 'string'];
  return s.type ? [s.type] : [];
}

/**
 * The field errors kube-openapi's SchemaValidator reports for `x` (the whole object, root path empty), in its
 * order per node: composition, type, string, format, number, array, enum, object (required, then properties).
 */
export function validateSchema(x: Json, s: JSONSchemaProps | undefined): FieldError[] {
  const out: FieldError[] = [];
  if (s) validateNode(x, s, '', out, true);
  return out;
}

function invalid(out: FieldError[], field: string, value: unknown, detail: string): void {
  out.push({ type: 'FieldValueInvalid', field, value, detail });
}

function validateNode(x: Json, s: JSONSchemaProps, path: string, out: FieldError[], root = false): void {
  const name = path || '.';
  const types = typesOf(s);
  // allOf / anyOf / oneOf / not (schemaPropsValidator).
  for (const sub of s.allOf ?? []) validateNode(x, sub, path, out);
  if (s.anyOf?.length && !s.anyOf.some((sub) => validateSchemaAt(x, sub, path).length === 0)) {
    invalid(out, path, x ?? '', `${name} in body must validate at least one schema (anyOf)`);
  }
  if (s.oneOf?.length && s.oneOf.filter((sub) => validateSchemaAt(x, sub, path).length === 0).length !== 1) {
    invalid(out, path, x ?? '', `${name} in body must validate one and only one schema (oneOf)`);
  }
  if (s.not && validateSchemaAt(x, s.not, path).length === 0) invalid(out, path, x ?? '', `${name} in body must not validate the schema (not)`);
  // typeValidator: null only where nullable; integers are numbers too when whole.
  const t = jsonType(x);
  if (x === null || x === undefined) {
    if (types.length && !s.nullable) out.push({ type: 'FieldValueTypeInvalid', field: path, value: 'null', detail: `${name} in body must be of type ${types.join(',')}: "null"` });
    return;
  }
  if (types.length && !types.includes(t) && !(t === 'integer' && types.includes('number'))) {
    out.push({ type: 'FieldValueTypeInvalid', field: path, value: t, detail: `${name} in body must be of type ${types.join(',')}: ${JSON.stringify(t)}` });
    if (!root) {
      enumCheck(x, s, path, out);
      return;
    }
  }
  if (typeof x === 'string') {
    const len = [...x].length;
    if (s.maxLength !== undefined && len > s.maxLength) out.push({ type: 'FieldValueTooLong', field: path, value: x, detail: `may not be more than ${s.maxLength} ${s.maxLength === 1 ? 'byte' : 'bytes'}` });
    if (s.minLength !== undefined && len < s.minLength) invalid(out, path, x, `${name} in body should be at least ${s.minLength} chars long`);
    if (s.pattern !== undefined) {
      const re = compiledPattern(s.pattern);
      if (re && !re.matcher(x).find()) invalid(out, path, x, `${name} in body should match '${s.pattern}'`);
    }
    const fmt = s.format ? FORMATS[s.format] : undefined;
    if (fmt && !fmt(x)) out.push({ type: 'FieldValueTypeInvalid', field: path, value: x, detail: `${name} in body must be of type ${s.format}: ${JSON.stringify(x)}` });
  }
  if (typeof x === 'number') {
    if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(x / s.multipleOf)) invalid(out, path, x, `${name} in body should be a multiple of ${num(s.multipleOf)}`);
    if (s.maximum !== undefined && (s.exclusiveMaximum ? x >= s.maximum : x > s.maximum)) {
      invalid(out, path, x, `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${num(s.maximum)}`);
    }
    if (s.minimum !== undefined && (s.exclusiveMinimum ? x <= s.minimum : x < s.minimum)) {
      invalid(out, path, x, `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${num(s.minimum)}`);
    }
  }
  if (Array.isArray(x)) {
    if (s.minItems !== undefined && x.length < s.minItems) invalid(out, path, x.length, `${name} in body should have at least ${s.minItems} items`);
    if (s.maxItems !== undefined && x.length > s.maxItems) out.push({ type: 'FieldValueTooMany', field: path, value: x.length, detail: `must have at most ${s.maxItems} ${s.maxItems === 1 ? 'item' : 'items'}` });
    if (s.items) x.forEach((v, i) => validateNode(v, s.items!, index(path, i), out));
  }
  enumCheck(x, s, path, out);
  if (isObj(x)) {
    const n = Object.keys(x).length;
    if (s.maxProperties !== undefined && n > s.maxProperties) out.push({ type: 'FieldValueTooMany', field: path, value: n, detail: `must have at most ${s.maxProperties} ${s.maxProperties === 1 ? 'item' : 'items'}` });
    if (s.minProperties !== undefined && n < s.minProperties) invalid(out, path, n, `${name} in body should have at least ${s.minProperties} properties`);
    for (const k of s.required ?? []) if (!(k in x)) out.push({ type: 'FieldValueRequired', field: child(path, k), detail: '' });
    for (const [k, prop] of Object.entries(s.properties ?? {})) {
      // The root's metadata is ObjectMeta's to validate (a schema there may only restrict name and generateName).
      if (root && k === 'metadata') continue;
      if (k in x) validateNode(x[k], prop, child(path, k), out);
    }
    if (isObj(s.additionalProperties)) {
      for (const k of Object.keys(x)) if (!s.properties?.[k]) validateNode(x[k], s.additionalProperties as JSONSchemaProps, child(path, k), out);
    }
  }
}

function enumCheck(x: Json, s: JSONSchemaProps, path: string, out: FieldError[]): void {
  if (!s.enum || !s.enum.length) return;
  const want = JSON.stringify(x);
  if (s.enum.some((e) => JSON.stringify(e) === want)) return;
  const values = s.enum.map((e) => (typeof e === 'string' ? e : JSON.stringify(e)));
  out.push({ type: 'FieldValueNotSupported', field: path, value: x, detail: `supported values: ${values.map((v) => JSON.stringify(v)).join(', ')}` });
}

function validateSchemaAt(x: Json, s: JSONSchemaProps, path: string): FieldError[] {
  const out: FieldError[] = [];
  validateNode(x, s, path, out);
  return out;
}

/**
 * A schema's `pattern`, compiled once. Upstream matches it with Go's regexp, an RE2 engine: linear in the input, with
 * RE2's syntax (no lookaround, no backreferences). RE2JS is the same engine, so a pattern such as `^(a+)+$` cannot
 * stall the apiserver on a long value as JavaScript's backtracking RegExp would. A pattern RE2 refuses matches nothing
 * here and is not applied.
 */
const patterns = new Interner<RE2JS | null>(1024);
function compileOrNull(pattern: string): RE2JS | null {
  try {
    return RE2JS.compile(pattern);
  } catch {
    return null;
  }
}
const compiledPattern = (pattern: string): RE2JS | null => patterns.get(pattern, compileOrNull);
