/**
 * Writes and reads of custom resources (apiextensions-apiserver pkg/registry/customresource and crdHandler):
 * decoding prunes what the schema does not know (reported under fieldValidation) and applies its defaults, the
 * object is validated against ObjectMeta's rules and the schema, the generation moves on any change outside
 * metadata (and status, when status is a subresource), reads default again, and the scale subresource reads and
 * writes the replicas at the CRD's JSON paths.
 */
import type { KObject, WriteOptions } from '../../contract';
import type { ResourceInfo } from '../resources';
import { badRequest, invalid, methodNotAllowed, notFound, type FieldError } from '../status';
import { deepCopy, deepEqual } from '../../runtime/objects';
import { isDNS1123Subdomain } from '../../../../kube/src/names';
import { checkLabelsAndAnnotations } from '../../../../kube/src/rules/objectMeta';
import { findingFieldError } from '../../../../kube/src/rules/status';
import type { Finding } from '../../../../kube/src/rules/types';
import { applyDefaults, hasDefaults, pruneMetadata, pruneUnknown, validateSchema } from './schema';
import type { CustomVersion } from './types';
import { hasRules, validateRules } from './celrules';

const schemaDefaults = new WeakMap<object, boolean>();
function defaults(c: CustomVersion): boolean {
  if (!c.schema) return false;
  let d = schemaDefaults.get(c.schema);
  if (d === undefined) schemaDefaults.set(c.schema, (d = hasDefaults(c.schema)));
  return d;
}

/** crdHandler refuses new objects of a CRD being deleted: `create not allowed while custom resource definition is terminating`. */
export function refuseWhileTerminating(info: ResourceInfo): void {
  if (!info.custom?.terminating) return;
  const err = methodNotAllowed('create not allowed while custom resource definition is terminating');
  err.status.details = { group: info.group, kind: info.resource };
  throw err;
}

/**
 * Decoding and validation of a custom resource's body: unknown fields pruned (refused under Strict, warned under
 * Warn, as the built-in kinds), defaults applied, then the errors ObjectMeta and the schema give.
 */
export function checkCustomResource(info: ResourceInfo, o: KObject, opts: WriteOptions, existing?: KObject): { errors: FieldError[]; warnings?: string[] } {
  const warnings = decodeCustomResource(info, o, opts);
  const ratcheted: string[] = [];
  const errors = validateCustomResource(info, o, existing, ratcheted);
  return { errors, warnings: ratcheted.length ? [...(warnings ?? []), ...ratcheted] : warnings };
}

/** What the CR decoder does: unknown fields pruned and reported, then the schema's defaults. */
export function decodeCustomResource(info: ResourceInfo, o: KObject, opts: WriteOptions): string[] | undefined {
  const c = info.custom!;
  const unknown = [...pruneMetadata(o), ...(c.schema && c.schema['x-kubernetes-preserve-unknown-fields'] !== true ? pruneUnknown(o, c.schema) : [])];
  let warnings: string[] | undefined;
  const dups = opts.duplicateFields ?? [];
  if (unknown.length || dups.length) {
    const msgs = [...dups.map((p) => `duplicate field "${p}"`), ...unknown.map((p) => `unknown field "${p}"`)];
    const mode = opts.fieldValidation ?? 'Warn';
    if (mode === 'Strict') throw badRequest(`${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${msgs.join(', ')}`);
    if (mode === 'Warn') warnings = msgs;
  }
  if (c.schema) applyDefaults(o, c.schema);
  return warnings;
}

/**
 * customResourceValidator.Validate (and ValidateUpdate, given the stored object): ObjectMeta, the schema, the scale
 * paths, then the x-kubernetes-validations rules, unless a type or enum error already makes the object one they
 * cannot read (hasBlockingErr). Errors the update's ratcheting turns into warnings go to `warnings`.
 */
export function validateCustomResource(info: ResourceInfo, o: KObject, existing?: KObject, warnings?: string[]): FieldError[] {
  const schema = info.custom!.schema;
  const errs = [...objectMetaErrors(o), ...validateSchema(o, schema), ...scaleErrors(info, o)];
  if (!hasRules(schema)) return errs;
  if (errs.some((e) => e.type === 'FieldValueTypeInvalid' || e.type === 'FieldValueNotSupported')) {
    errs.push({ type: 'FieldValueInvalid', field: '<nil>', value: null, detail: 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation' });
    return errs;
  }
  const r = validateRules(o, existing, schema);
  if (warnings) warnings.push(...r.warnings);
  return [...errs, ...r.errors];
}

/** ValidateObjectMetaAccessor with NameIsDNSSubdomain (customResourceValidator.Validate). */
function objectMetaErrors(o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const name = o.metadata?.name;
  if (!name) {
    if (!o.metadata?.generateName) errs.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    for (const d of isDNS1123Subdomain(name)) errs.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: name, detail: d });
  }
  const findings: Finding[] = [];
  checkLabelsAndAnnotations(o as any, ['metadata'], findings);
  for (const f of findings) if (f.apiError) errs.push(findingFieldError(f));
  return errs;
}

/** Go's %T of a decoded JSON value, as unstructured's accessor errors name it. */
function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Go's %v of a decoded JSON value. */
function goText(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goText).join(' ')}]`;
  return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goText((v as any)[k])}`).join(' ')}]`;
}

/**
 * ValidateScaleSpec and ValidateScaleStatus (customResourceValidator): the replicas at the scale paths are
 * non-negative integers, the selector a string; the paths are printed as given (field.NewPath(".spec.replicas")).
 */
function scaleErrors(info: ResourceInfo, o: KObject): FieldError[] {
  const sp = info.custom?.scalePaths;
  if (!sp) return [];
  const errs: FieldError[] = [];
  for (const p of [sp.specReplicasPath, sp.statusReplicasPath]) {
    const v = readPath(o, p);
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) errs.push({ type: 'FieldValueInvalid', field: p, value: 0, detail: `${p} accessor error: ${goText(v)} is of the type ${goType(v)}, expected int64` });
    else if (v < 0) errs.push({ type: 'FieldValueInvalid', field: p, value: v, detail: 'should be a non-negative integer' });
    else if (v > 2147483647) errs.push({ type: 'FieldValueInvalid', field: p, value: v, detail: 'should be less than or equal to 2147483647' });
  }
  if (sp.labelSelectorPath) {
    const v = readPath(o, sp.labelSelectorPath);
    if (v !== undefined && v !== null && typeof v !== 'string') {
      errs.push({ type: 'FieldValueInvalid', field: sp.labelSelectorPath, value: '', detail: `${sp.labelSelectorPath} accessor error: ${goText(v)} is of the type ${goType(v)}, expected string` });
    }
  }
  return errs;
}

/** The stored object as a version of it is served: its apiVersion, and the schema's defaults (crdHandler defaults on read). */
export function presentCustom(info: ResourceInfo, o: KObject): KObject {
  const c = info.custom!;
  const apiVersion = `${info.group}/${info.version}`;
  const needsDefaults = defaults(c);
  if (o.apiVersion === apiVersion && !needsDefaults) return o;
  const out = needsDefaults ? deepCopy(o) : { ...o };
  out.apiVersion = apiVersion;
  if (needsDefaults) {
    applyDefaults(out, c.schema);
    if (deepEqual(out, { ...o, apiVersion })) return o.apiVersion === apiVersion ? o : { ...o, apiVersion };
  }
  return out;
}

/** customResourceStrategy.PrepareForUpdate: any change outside metadata (and status, when it is a subresource) moves the generation. */
export function customGeneration(info: ResourceInfo, existing: KObject, o: KObject): void {
  const strip = (x: KObject) => {
    const { metadata: _m, apiVersion: _a, ...rest } = x;
    if (info.status) delete (rest as any).status;
    return rest;
  };
  if (!deepEqual(strip(existing), strip(o))) o.metadata.generation = (existing.metadata.generation ?? 1) + 1;
}

// ---------- the scale subresource (pkg/registry/customresource/scale) ----------

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.').filter(Boolean);
}

export function readPath(o: unknown, path: string): unknown {
  let cur: any = o;
  for (const s of segments(path)) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = cur[s];
  }
  return cur;
}

function writePath(o: any, path: string, value: unknown): void {
  const segs = segments(path);
  let cur = o;
  for (let i = 0; i < segs.length - 1; i++) {
    if (!cur[segs[i]] || typeof cur[segs[i]] !== 'object') cur[segs[i]] = {};
    else cur[segs[i]] = { ...cur[segs[i]] };
    cur = cur[segs[i]];
  }
  cur[segs[segs.length - 1]] = value;
}

/** scaleFromCustomResource: spec.replicas and status.replicas from their paths (0 when absent), the selector as a string. */
export function customScale(info: ResourceInfo, o: KObject): KObject {
  const sp = info.custom?.scalePaths;
  if (!sp) throw notFound(info, o.metadata.name ?? '');
  const m = o.metadata;
  const int = (v: unknown) => (typeof v === 'number' ? Math.trunc(v) : 0);
  const status: Record<string, unknown> = { replicas: int(readPath(o, sp.statusReplicasPath)) };
  const sel = sp.labelSelectorPath ? readPath(o, sp.labelSelectorPath) : undefined;
  if (typeof sel === 'string' && sel) status.selector = sel;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: int(readPath(o, sp.specReplicasPath)) },
    status,
  };
}

/** The custom resource a Scale update makes: the replicas written at specReplicasPath. */
export function customFromScale(info: ResourceInfo, existing: KObject, scale: KObject): KObject {
  const sp = info.custom?.scalePaths;
  if (!sp) throw notFound(info, existing.metadata.name ?? '');
  const replicas = scale?.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', existing.metadata.name!, [{ type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' }]);
  }
  const out: any = { ...existing, metadata: { ...existing.metadata, resourceVersion: scale?.metadata?.resourceVersion || undefined } };
  writePath(out, sp.specReplicasPath, replicas);
  return out as KObject;
}
