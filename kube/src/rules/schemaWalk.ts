/**
 * Schema rules: walks a plain object against the generated TypeDefs and reports
 * unknown fields (with "did you mean"), wrong types, missing required fields,
 * values outside an enum, bad quantities and base64.
 *
 * Nulls follow kubeconform, whose schemas make every optional field nullable:
 * `creationTimestamp: null` is fine, a null required field is an error.
 *
 * Hot path of `kubeplay validate` (100k objects): one mutable path stack, and
 * paths are copied only when a finding is made.
 */
import type { TypeDef, TypeRef } from '../schema/types';
import { isQuantity } from '../quantity';
import { base64ErrorOffset } from './base64';
import type { JsonObject, SchemaLike } from './context';
import { formatApiMessage } from './context';
import { enumInvalidDetail, upstreamEnumOrder } from './enums';
import { closest } from './suggest';
import type { FieldPath, Finding } from './types';

export const SCHEMA_CODES = ['unknown-field', 'wrong-type', 'missing-required', 'enum-value', 'null-value', 'invalid-quantity', 'invalid-base64'];

/** resource.ParseQuantity's ErrFormatWrong text. */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/**
 * Required strings upstream refuses by length, `if len(ev.Name) == 0 { field.Required(...) }` (validateContainerCommon,
 * ValidateEnv, validateVolumes, ValidateVolumeMounts in pkg/apis/core/validation/validation.go), with no rule of their
 * own here: a JSON null decodes to "" (Go's zero value), so the apiserver judges "" as it judges a missing field.
 */
const EMPTY_IS_MISSING = new Set(['Container.name', 'EphemeralContainer.name', 'EnvVar.name', 'Volume.name', 'VolumeMount.name', 'VolumeMount.mountPath']
  .map((f) => `io.k8s.api.core.v1.${f}`));

const requiredCache = new WeakMap<TypeDef, string[]>();

/** Required field names of a type: the def's list plus fields flagged required. */
export function requiredFields(def: TypeDef): string[] {
  let r = requiredCache.get(def);
  if (!r) {
    const set = new Set(def.required ?? []);
    for (const k in def.properties) if (def.properties[k].required) set.add(k);
    r = [...set];
    requiredCache.set(def, r);
  }
  return r;
}

export function shortTypeName(id: string): string {
  const i = id.lastIndexOf('.');
  return i >= 0 ? id.slice(i + 1) : id;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function expected(t: TypeRef): string {
  switch (t.kind) {
    case 'object': case 'map': return 'object';
    case 'primitive': return t.type;
    case 'intOrString': return 'integer or string';
    case 'quantity': return 'quantity (string or number)';
    case 'time': return 'string (RFC 3339 time)';
    case 'array': return 'array';
    default: return 'any';
  }
}

class Walker {
  readonly path: (string | number)[] = [];
  /** `emptyIsMissing`: the apiserver's view, where a required string left "" is as missing as an absent one. */
  constructor(private readonly schema: SchemaLike, private readonly out: Finding[], private readonly emptyIsMissing = false) {}

  private at(extra?: string | number): FieldPath {
    const p = this.path.slice();
    if (extra !== undefined) p.push(extra);
    return p;
  }

  object(value: JsonObject, def: TypeDef): void {
    const props = def.properties;
    for (const key in value) {
      const field = props[key];
      this.path.push(key);
      if (!field) {
        const suggestion = closest(key, Object.keys(props));
        this.out.push({
          code: 'unknown-field', severity: 'error', path: this.at(), target: 'key',
          message: `Unknown field "${key}" in ${shortTypeName(def.id)}.` + (suggestion ? ` Did you mean "${suggestion}"?` : ''),
          data: { field: key, suggestion },
        });
      } else {
        const v = value[key];
        if (v === null) {
          if (field.required || def.required?.includes(key)) {
            this.out.push({ code: 'null-value', severity: 'error', path: this.at(), message: `"${key}" is required and may not be null.`,
              apiError: { type: 'FieldValueRequired', detail: '' } });
          }
        } else this.value(v, field.type);
      }
      this.path.pop();
    }
    for (const r of requiredFields(def)) {
      const empty = this.emptyIsMissing && value[r] === '' && EMPTY_IS_MISSING.has(`${def.id}.${r}`);
      if (!(r in value) || empty) {
        this.out.push({
          code: 'missing-required', severity: 'error', path: this.at(r), target: 'key',
          message: `Missing required field "${r}" in ${shortTypeName(def.id)}.`,
          apiError: { type: 'FieldValueRequired', detail: '' }, data: { field: r, type: def.id },
        });
      }
    }
  }

  private wrong(t: TypeRef, v: unknown): void {
    this.out.push({ code: 'wrong-type', severity: 'error', path: this.at(), message: `Incorrect type: expected ${expected(t)}, got ${jsonType(v)}.`,
      data: { expected: expected(t), actual: jsonType(v) } });
  }

  value(v: unknown, t: TypeRef): void {
    switch (t.kind) {
      case 'object': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.wrong(t, v);
        const def = this.schema.def(t.ref);
        if (def) this.object(v as JsonObject, def);
        return;
      }
      case 'primitive': return this.primitive(v, t);
      case 'intOrString':
        if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return;
        return this.wrong(t, v);
      case 'quantity':
        if (typeof v === 'number') return;
        if (typeof v !== 'string') return this.wrong(t, v);
        if (!isQuantity(v)) {
          this.out.push({ code: 'invalid-quantity', severity: 'error', path: this.at(), message: `Invalid quantity "${v}": ${QUANTITY_FORMAT_ERROR}`,
            apiError: { type: 'FieldValueInvalid', value: v, detail: QUANTITY_FORMAT_ERROR } });
        }
        return;
      case 'time':
        if (typeof v !== 'string') this.wrong(t, v);
        return;
      case 'array': {
        if (!Array.isArray(v)) return this.wrong(t, v);
        for (let i = 0; i < v.length; i++) {
          if (v[i] === null) continue;
          this.path.push(i);
          this.value(v[i], t.items);
          this.path.pop();
        }
        return;
      }
      case 'map': {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return this.wrong(t, v);
        const o = v as JsonObject;
        for (const k in o) {
          if (o[k] === null) continue;
          this.path.push(k);
          this.value(o[k], t.values);
          this.path.pop();
        }
        return;
      }
      default: return;
    }
  }

  private primitive(v: unknown, t: Extract<TypeRef, { kind: 'primitive' }>): void {
    switch (t.type) {
      case 'string':
        if (typeof v !== 'string') return this.wrong(t, v);
        if (t.enum && !t.enum.includes(v)) {
          const supported = upstreamEnumOrder(t.enum);
          const detail = enumInvalidDetail(t.enum);
          this.out.push({ code: 'enum-value', severity: 'error', path: this.at(),
            message: detail ? formatApiMessage('FieldValueInvalid', v, detail) : formatApiMessage('FieldValueNotSupported', v, '', supported),
            apiError: detail ? { type: 'FieldValueInvalid', value: v, detail } : { type: 'FieldValueNotSupported', value: v, supported }, data: { supported: t.enum } });
        } else if (t.format === 'byte') {
          const off = base64ErrorOffset(v);
          if (off >= 0) {
            const detail = `illegal base64 data at input byte ${off}`;
            this.out.push({ code: 'invalid-base64', severity: 'error', path: this.at(), message: `Not valid base64: ${detail}. Use stringData for plain text.`,
              apiError: { type: 'FieldValueInvalid', value: v, detail } });
          }
        }
        return;
      case 'integer':
        if (typeof v !== 'number' || !Number.isInteger(v)) this.wrong(t, v);
        return;
      case 'number':
        if (typeof v !== 'number') this.wrong(t, v);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') this.wrong(t, v);
        return;
    }
  }
}

/** Walks `obj` (a whole object of type `definition`) and appends findings. */
export function walkSchema(obj: JsonObject, definition: string, schema: SchemaLike, out: Finding[], apiserver = false): void {
  const def = schema.def(definition);
  if (def) new Walker(schema, out, apiserver).object(obj, def);
}
