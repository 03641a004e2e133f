/**
 * ValidateCustomResourceDefinition and ValidateCustomResourceDefinitionUpdate
 * (apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go) for what a v1 CRD meets: the name
 * `<plural>.<group>`, the group, the scope, the names, the versions (DNS-1035 names, unique, exactly one
 * storage version, a schema each), structural schemas (pkg/apiserver/schema validation.go ValidateStructural),
 * printer columns, selectable fields, the conversion strategy, the stored versions, and the fields an established CRD keeps. The
 * apiserver validates the internal CRD that v1 converts to, so the paths and the order are the internal spec's.
 */
import type { KObject } from '../../contract';
import type { FieldError } from '../status';
import { isDNS1035Label, isDNS1123Subdomain } from '../../../../kube/src/names';
import { crdCondition } from './registry';
import type { JSONSchemaProps } from './types';
import { RE2JS } from 're2js';
import { compileRule, resolveFieldPath, validFieldPath, type ValidationRule } from './celrules';
import { schemaDeclType } from '../../cel/values';
import { STATIC_ESTIMATED_COST_LIMIT, STATIC_ESTIMATED_CRD_COST_LIMIT, costErrorMessage, maxCardinality, sizeModel } from '../../cel/estimate';

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

const PRINTER_TYPES = ['boolean', 'date', 'integer', 'number', 'string'];
const COLUMN_FORMATS = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];
const OPENAPI_TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported', field, value, detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});

/**
 * Which per-version fields v1→internal conversion moves to the spec (apiextensions/v1 conversion.go,
 * Convert_v1_CustomResourceDefinitionSpec_To_apiextensions_CustomResourceDefinitionSpec): each of schema,
 * subresources and additionalPrinterColumns that every version has identical (unset included) becomes
 * spec.validation, spec.subresources or spec.additionalPrinterColumns and is cleared from the versions, so the
 * internal CRD that validation sees reports its errors there. selectableFields move only with the schema.
 */
interface Hoisted {
  schema: boolean;
  subresources: boolean;
  columns: boolean;
  selectable: boolean;
}

function hoisted(versions: Obj[]): Hoisted {
  const same = (key: string) => versions.length > 0 && versions.every((v) => semanticEqual(v?.[key], versions[0]?.[key]));
  const schema = same('schema');
  return { schema, subresources: same('subresources'), columns: same('additionalPrinterColumns'), selectable: schema && same('selectableFields') };
}

/** apiequality.Semantic.DeepEqual on the JSON: unset, null and an empty list are alike; key order does not count. */
function semanticEqual(a: unknown, b: unknown): boolean {
  const unset = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && v.length === 0);
  if (unset(a) || unset(b)) return unset(a) && unset(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  }
  if (!isObj(a) || !isObj(b)) return a === b;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (!semanticEqual(a[k], b[k])) return false;
  return true;
}

/**
 * How field.Invalid prints the []CustomResourceDefinitionVersion it is given (%#v of the internal structs): the
 * scalar fields as Go prints them; the pointers, whose addresses differ in every apiserver, as nil or a stand-in.
 * A field moved to the spec by the conversion is nil in every version.
 */
function goVersions(versions: unknown, moved: Hoisted): string {
  if (!Array.isArray(versions)) return '[]apiextensions.CustomResourceDefinitionVersion(nil)';
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => goVersion(v, moved)).join(', ')}}`;
}

function goVersion(v: Obj, moved: Hoisted): string {
  const ptr = (x: unknown, type: string) => (x === undefined || x === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);
  const colList = moved.columns ? undefined : v?.additionalPrinterColumns;
  const cols = Array.isArray(colList) && colList.length ? '[]apiextensions.CustomResourceColumnDefinition{...}' : '[]apiextensions.CustomResourceColumnDefinition(nil)';
  const sfList = moved.selectable ? undefined : v?.selectableFields;
  const sfs = Array.isArray(sfList) && sfList.length
    ? `[]apiextensions.SelectableField{${sfList.map((f: any) => `apiextensions.SelectableField{JSONPath:${JSON.stringify(String(f?.jsonPath ?? ''))}}`).join(', ')}}`
    : '[]apiextensions.SelectableField(nil)';
  return `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(String(v?.name ?? ''))}, Served:${!!v?.served}, Storage:${!!v?.storage}, `
    + `Deprecated:${!!v?.deprecated}, DeprecationWarning:${ptr(v?.deprecationWarning, 'string')}, Schema:${ptr(moved.schema ? undefined : v?.schema, 'apiextensions.CustomResourceValidation')}, `
    + `Subresources:${ptr(moved.subresources ? undefined : v?.subresources, 'apiextensions.CustomResourceSubresources')}, AdditionalPrinterColumns:${cols}, SelectableFields:${sfs}}`;
}

export function validateCRD(crd: KObject, old?: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec: Obj = isObj(crd.spec) ? crd.spec : {};
  const names: Obj = isObj(spec.names) ? spec.names : {};
  const name = crd.metadata?.name ?? '';
  // ValidateObjectMeta with the CRD's own name rule (create); on update the name cannot change anyway.
  if (!old && name) {
    for (const d of isDNS1123Subdomain(name)) errs.push(invalid('metadata.name', name, d));
    if (name !== `${names.plural ?? ''}.${spec.group ?? ''}`) errs.push(invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(spec, isObj(old?.spec) ? old.spec : undefined));
  if (old) {
    const os: Obj = isObj(old.spec) ? old.spec : {};
    // requireImmutableNames: once established, the scope and kind are the storage's.
    if (crdCondition(old, 'Established')) {
      if (spec.scope !== os.scope) errs.push(invalid('spec.scope', spec.scope ?? '', 'field is immutable'));
      if (names.kind !== os.names?.kind) errs.push(invalid('spec.names.kind', names.kind ?? '', 'field is immutable'));
    }
    if (spec.group !== os.group) errs.push(invalid('spec.group', spec.group ?? '', 'field is immutable'));
    if (names.plural !== os.names?.plural) errs.push(invalid('spec.names.plural', names.plural ?? '', 'field is immutable'));
  }
  errs.push(...validateNames(isObj(crd.status?.acceptedNames) ? crd.status.acceptedNames : {}, 'status.acceptedNames'));
  errs.push(...storedVersionErrors(crd.status?.storedVersions, Array.isArray(spec.versions) ? spec.versions : []));
  // validatePreserveUnknownFields, last: v1 keeps the field from v1beta1 and lets it be true only where it was.
  if (spec.preserveUnknownFields === true && old?.spec?.preserveUnknownFields !== true) {
    errs.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  }
  return errs;
}

/**
 * validateCustomResourceDefinitionSpec on the internal spec: group, scope, the versions' schemas present, each
 * version (name, then what the conversion left in it), unique names and one storage version, spec.version (the
 * first version's name), the names, then the schema, subresources and printer columns moved to the spec, and the
 * conversion (its webhook at the internal webhookClientConfig).
 */
function validateSpec(spec: Obj, oldSpec?: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const group = spec.group;
  if (!group) errs.push(required('spec.group'));
  else {
    const e = isDNS1123Subdomain(String(group));
    if (e.length) errs.push(invalid('spec.group', group, e.join(',')));
    else if (String(group).split('.').length < 2) errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions: Obj[] = Array.isArray(spec.versions) ? spec.versions : [];
  const moved = hoisted(versions);
  // findVersionsWithUnchangedSchemas: an update that leaves a version's schema as it was is not held to the
  // per-expression cost limit again (suppressPerExpressionCost), so a cost estimate that grew does not lock it.
  const oldVersions: Obj[] = Array.isArray(oldSpec?.versions) ? oldSpec.versions : [];
  const unchanged = (name: unknown) => {
    const was = oldVersions.find((o) => o?.name === name);
    const now = versions.find((v) => v?.name === name);
    return !!was && !!now && isObj(now.schema) && semanticEqual(now.schema, was.schema);
  };
  const first: Obj = versions[0] ?? {};
  // requireOpenAPISchema: without a spec-level schema, every version needs its own.
  if (!(moved.schema && isObj(first.schema?.openAPIV3Schema))) {
    versions.forEach((v, i) => {
      if (!isObj(v?.schema?.openAPIV3Schema)) errs.push(required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
    });
  }
  let storage = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const path = `spec.versions[${i}]`;
    if (v?.storage) storage++;
    const vn = String(v?.name ?? '');
    if (seen.has(vn)) unique = false;
    seen.add(vn);
    const e = isDNS1035Label(vn);
    if (e.length) errs.push(invalid(`${path}.name`, vn, e.join(',')));
    // validateCustomResourceDefinitionVersion, for what stays per version.
    const schema = v?.schema?.openAPIV3Schema;
    if (!moved.schema && isObj(schema)) errs.push(...validateSchemaDefinition(schema as JSONSchemaProps, `${path}.schema.openAPIV3Schema`, !!v?.subresources?.status, unchanged(v?.name)));
    if (!moved.subresources) errs.push(...validateSubresources(v?.subresources, `${path}.subresources`));
    if (!moved.columns) errs.push(...validateColumns(v?.additionalPrinterColumns, `${path}.additionalPrinterColumns`));
    if (!moved.selectable && hasItems(v?.selectableFields)) {
      if (!isObj(schema)) errs.push(invalid(`${path}.selectableFields`, '', 'selectableFields may only be set when version.schema.openAPIV3Schema is not included'));
      else errs.push(...validateSelectableFields(v.selectableFields, schema as JSONSchemaProps, `${path}.selectableFields`));
    }
  });
  if (!unique) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', valueText: goVersions(spec.versions, moved), detail: 'must contain unique version names' });
  if (storage !== 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', valueText: goVersions(spec.versions, moved), detail: 'must have exactly one version marked as storage version' });
  // The conversion copies versions[0].name to the internal spec.version, which is checked again.
  const version = versions.length ? String(first.name ?? '') : '';
  if (version) {
    const e = isDNS1035Label(version);
    if (e.length) errs.push(invalid('spec.version', version, e.join(',')));
  }
  const names: Obj = isObj(spec.names) ? spec.names : {};
  if (!names.plural) errs.push(required('spec.names.plural'));
  if (!names.singular) errs.push(required('spec.names.singular'));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (!names.listKind) errs.push(required('spec.names.listKind'));
  errs.push(...validateNames(names, 'spec.names'));
  if (moved.schema && isObj(first.schema?.openAPIV3Schema)) {
    // hasAnyStatusEnabled: the status subresource of the spec or of any version.
    const status = versions.some((v) => !!v?.subresources?.status);
    errs.push(...validateSchemaDefinition(first.schema.openAPIV3Schema as JSONSchemaProps, 'spec.validation.openAPIV3Schema', status, unchanged(first.name)));
  }
  if (moved.subresources) errs.push(...validateSubresources(first.subresources, 'spec.subresources'));
  if (moved.columns) errs.push(...validateColumns(first.additionalPrinterColumns, 'spec.additionalPrinterColumns'));
  if (moved.selectable && hasItems(first.selectableFields)) {
    const schema = first.schema?.openAPIV3Schema;
    if (!isObj(schema)) errs.push(invalid('spec.selectableFields', '', 'selectableFields may only be set when validations.schema is included'));
    else errs.push(...validateSelectableFields(first.selectableFields, schema as JSONSchemaProps, 'spec.selectableFields'));
  }
  const conv = spec.conversion;
  if (isObj(conv)) {
    if (!conv.strategy) errs.push(required('spec.conversion.strategy'));
    else if (conv.strategy !== 'None' && conv.strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', conv.strategy, ['None', 'Webhook']));
    else if (conv.strategy === 'Webhook' && !isObj(conv.webhook?.clientConfig)) errs.push(required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
  }
  return errs;
}

const hasItems = (v: unknown): v is unknown[] => Array.isArray(v) && v.length > 0;

/** At most MaxSelectableFields (8) distinct paths a version's custom resources can be selected by. */
const MAX_SELECTABLE_FIELDS = 8;

/**
 * ValidateCustomResourceSelectableFields: each jsonPath a simple path (no `[...]`) to a string, boolean or integer
 * field of the schema, outside metadata, each once; at most eight.
 */
function validateSelectableFields(list: unknown[], schema: JSONSchemaProps, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list.forEach((sf, i) => {
    const at = `${path}[${i}].jsonPath`;
    const jsonPath = isObj(sf) ? sf.jsonPath : undefined;
    if (!jsonPath) {
      errs.push(required(at));
      return;
    }
    const r = resolveFieldPath(String(jsonPath), schema, false);
    if ('error' in r) {
      errs.push(invalid(at, jsonPath, `is an invalid path: ${r.error}`));
      return;
    }
    if (r.path.split(/[.[]/)[0] === 'metadata') errs.push(invalid(at, jsonPath, 'must not point to fields in metadata'));
    if (r.schema?.type !== 'string' && r.schema?.type !== 'boolean' && r.schema?.type !== 'integer') {
      errs.push(invalid(at, jsonPath, 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.'));
    }
    if (seen.has(r.path)) errs.push({ type: 'FieldValueDuplicate', field: at, value: jsonPath });
    else seen.add(r.path);
  });
  if (seen.size > MAX_SELECTABLE_FIELDS) errs.push({ type: 'FieldValueTooMany', field: path, value: seen.size, detail: `must have at most ${MAX_SELECTABLE_FIELDS} items` });
  return errs;
}

function validateNames(names: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const check = (field: string, value: unknown, lower = false) => {
    if (typeof value !== 'string' || !value) return;
    const e = isDNS1035Label(lower ? value.toLowerCase() : value);
    if (e.length) errs.push(invalid(`${path}.${field}`, value, (lower ? 'may have mixed case, but should otherwise match: ' : '') + e.join(',')));
  };
  check('plural', names.plural);
  check('singular', names.singular);
  check('kind', names.kind, true);
  check('listKind', names.listKind, true);
  (Array.isArray(names.shortNames) ? names.shortNames : []).forEach((s: string, i: number) => {
    const e = isDNS1035Label(String(s));
    if (e.length) errs.push(invalid(`${path}.shortNames[${i}]`, s, e.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (Array.isArray(names.categories) ? names.categories : []).forEach((c: string, i: number) => {
    const e = isDNS1035Label(String(c));
    if (e.length) errs.push(invalid(`${path}.categories[${i}]`, c, e.join(',')));
  });
  return errs;
}

function storedVersionErrors(stored: unknown, versions: Obj[]): FieldError[] {
  const list = Array.isArray(stored) ? stored.map(String) : [];
  if (!list.length) return [{ type: 'FieldValueInvalid', field: 'status.storedVersions', valueText: '[]string(nil)', detail: 'must have at least one stored version' }];
  const errs: FieldError[] = [];
  const left = new Map(list.map((v, i) => [v, i] as const));
  const goList = `[]string{${list.map((v) => JSON.stringify(v)).join(', ')}}`;
  for (const v of versions) {
    if (v?.storage && !left.has(v.name)) errs.push({ type: 'FieldValueInvalid', field: 'status.storedVersions', valueText: goList, detail: `must have the storage version ${v.name}` });
    left.delete(v?.name);
  }
  // The 1.33 wording (kubernetes/kubernetes#128746), ValidateCustomResourceDefinitionStoredVersions.
  for (const [v, i] of left) {
    errs.push(invalid(`status.storedVersions[${i}]`, v, `missing from spec.versions; ${v} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${v} and removes ${v} from status.storedVersions`));
  }
  return errs;
}

/**
 * ValidateCustomResourceDefinitionSubresources: each scale path is first a simple JSON path (validateSimpleJSONPath),
 * and only then one under .spec, .status, or either.
 */
function validateSubresources(sub: unknown, path: string): FieldError[] {
  if (!isObj(sub) || !isObj(sub.scale)) return [];
  const errs: FieldError[] = [];
  const scale = sub.scale;
  const check = (field: string, under: RegExp, detail: string) => {
    const p = String(scale[field]);
    const simple = simpleJSONPath(p, `${path}.scale.${field}`);
    if (simple) errs.push(simple);
    else if (!under.test(p)) errs.push(invalid(`${path}.scale.${field}`, p, detail));
  };
  if (!scale.specReplicasPath) errs.push(required(`${path}.scale.specReplicasPath`));
  else check('specReplicasPath', /^\.spec\./, 'should be a json path under .spec');
  if (!scale.statusReplicasPath) errs.push(required(`${path}.scale.statusReplicasPath`));
  else check('statusReplicasPath', /^\.status\./, 'should be a json path under .status');
  if (scale.labelSelectorPath) check('labelSelectorPath', /^\.(spec|status)\./, 'should be a json path under either .spec or .status');
  return errs;
}

/** validateSimpleJSONPath: a path in the dot notation, starting with a dot. */
function simpleJSONPath(p: string, field: string): FieldError | undefined {
  if (!p) return invalid(field, p, 'must not be empty');
  if (p[0] !== '.') return invalid(field, p, 'must be a simple json path starting with .');
  return undefined;
}

function validateColumns(cols: unknown, path: string): FieldError[] {
  return (Array.isArray(cols) ? cols : []).flatMap((c: Obj, j: number) => validateColumn(c, `${path}[${j}]`));
}

/** ValidateCustomResourceColumnDefinition. */
function validateColumn(c: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${path}.name`));
  if (!c?.type) errs.push(required(`${path}.type`, `must be one of ${PRINTER_TYPES.join(',')}`));
  else if (!PRINTER_TYPES.includes(c.type)) errs.push(invalid(`${path}.type`, c.type, `must be one of ${PRINTER_TYPES.join(',')}`));
  if (c?.format && !COLUMN_FORMATS.includes(c.format)) errs.push(invalid(`${path}.format`, c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c?.jsonPath) errs.push(required(`${path}.JSONPath`));
  else {
    const simple = simpleJSONPath(String(c.jsonPath), `${path}.JSONPath`);
    if (simple) errs.push(simple);
  }
  return errs;
}

/**
 * The schema's own rules (ValidateCustomResourceDefinitionOpenAPISchema: known types, no $ref, no uniqueItems)
 * and, when they pass, the structural ones (ValidateStructural: a type everywhere, objects at the root, items
 * for arrays, properties and additionalProperties not both).
 */
function validateSchemaDefinition(schema: JSONSchemaProps, path: string, statusEnabled: boolean, suppressPerExpressionCost = false): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  if (statusEnabled && schema.type && schema.type !== 'object') {
    errs.push(invalid(`${path}.type`, schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  const celErrs: FieldError[] = [];
  const cost: CostContext = { cardinality: 1, total: { total: 0, mostExpensive: [] }, suppress: suppressPerExpressionCost };
  openApiRules(schema, path, errs, celErrs, undefined, cost, true);
  // OpenAPISchemaErrorList.AllErrors: the schema's errors, then those of its CEL rules.
  if (!errs.length) structural(schema, path, 'root', errs);
  return [...errs, ...celErrs, ...totalCostErrors(cost.total, path)];
}

/**
 * CELSchemaContext's cost bookkeeping: how many times a node's rules may run (MaxCardinality: the product of the
 * maxItems and maxProperties above it, unbounded where one is missing) and the schema's running total (TotalCost).
 */
interface CostContext {
  cardinality: number | undefined;
  total: { total: number; mostExpensive: { path: string; cost: number }[] };
  suppress: boolean;
}

/** childContext: the cardinality of a child is its parent's times extractMaxElements(parent). */
function childCost(c: CostContext, parent: JSONSchemaProps): CostContext {
  let factor: number | undefined = 1;
  if (parent.type === 'array') factor = typeof parent.maxItems === 'number' ? Math.max(0, parent.maxItems) : undefined;
  else if (parent.type === 'object' && parent.additionalProperties !== undefined && parent.additionalProperties !== null) {
    factor = typeof parent.maxProperties === 'number' ? Math.max(0, parent.maxProperties) : undefined;
  }
  const cardinality = c.cardinality === undefined || factor === undefined ? undefined : Math.min(c.cardinality * factor, 18446744073709551615);
  return { ...c, cardinality };
}

/** TotalCost.ObserveExpressionCost: the sum, and the four costliest expressions of at least 1% of the CRD limit. */
function observeCost(c: CostContext, path: string, cost: number): void {
  c.total.total = Math.min(c.total.total + cost, 18446744073709551615);
  if (cost < STATIC_ESTIMATED_CRD_COST_LIMIT / 100) return;
  c.total.mostExpensive.push({ path, cost });
  c.total.mostExpensive.sort((a, b) => b.cost - a.cost);
  c.total.mostExpensive.length = Math.min(c.total.mostExpensive.length, 4);
}

/** validateCustomResourceDefinitionValidation: a schema whose rules together are estimated past the CRD limit. */
function totalCostErrors(t: CostContext['total'], path: string): FieldError[] {
  if (t.total <= STATIC_ESTIMATED_CRD_COST_LIMIT) return [];
  return [
    ...t.mostExpensive.map((e) => forbidden(e.path, 'contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema')),
    forbidden(path, costErrorMessage('x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema', t.total, STATIC_ESTIMATED_CRD_COST_LIMIT)),
  ];
}

/** `uncorrelatable`: the path below which oldSelf has no old value to stand for (an item of a list that is no map list). */
function openApiRules(s: JSONSchemaProps, path: string, errs: FieldError[], celErrs: FieldError[], uncorrelatable: string | undefined, cost: CostContext, root = false): void {
  if (!isObj(s)) return;
  if ('$ref' in s) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type && !OPENAPI_TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, OPENAPI_TYPES));
  if (s.uniqueItems === true) errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (isObj(s.additionalProperties) && s.properties) errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  // ValidateCustomResourceDefinitionOpenAPISchema: every map type is correlatable (cel.MapIsCorrelatable: unset,
  // granular and atomic), so only a list that is no map list forbids oldSelf below it, named by the list's own path.
  const sub = childCost(cost, s);
  for (const [k, p] of Object.entries(s.properties ?? {})) openApiRules(p, `${path}.properties[${k}]`, errs, celErrs, uncorrelatable, sub);
  if (isObj(s.additionalProperties)) openApiRules(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, errs, celErrs, uncorrelatable, sub);
  if (s.items) openApiRules(s.items, `${path}.items`, errs, celErrs, uncorrelatable ?? (s['x-kubernetes-list-type'] === 'map' ? undefined : path), sub);
  if (Array.isArray(s['x-kubernetes-validations'])) validationRuleErrors(s, path, errs, celErrs, uncorrelatable, cost, root);
}

function structural(s: JSONSchemaProps, path: string, level: 'root' | 'item' | 'field', errs: FieldError[]): void {
  if (!isObj(s)) return;
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') {
    if (!s.type) errs.push(required(`${path}.type`, 'must be object if x-kubernetes-embedded-resource is true'));
    else errs.push(invalid(`${path}.type`, s.type, 'must be object if x-kubernetes-embedded-resource is true'));
  } else if (!s.type && !intOrString && !preserve) {
    errs.push(required(`${path}.type`, level === 'root' ? 'must not be empty at the root' : level === 'item' ? 'must not be empty for specified array items' : 'must not be empty for specified object fields'));
  }
  if (level === 'root' && s.type && s.type !== 'object') errs.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  if (intOrString && s.type) errs.push(invalid(`${path}.type`, s.type, 'must be empty if x-kubernetes-int-or-string is true'));
  if (s.type === 'array' && !s.items) errs.push(required(`${path}.items`, 'must be specified'));
  // validateValueValidation: a pattern compiles with Go's regexp (RE2 syntax and its error words, which RE2JS shares).
  if (typeof s.pattern === 'string' && s.pattern) {
    try {
      RE2JS.compile(s.pattern);
    } catch (e) {
      errs.push(invalid(`${path}.pattern`, s.pattern, `must be a valid regular expression, but isn't: ${(e as Error).message}`));
    }
  }
  for (const [k, p] of Object.entries(s.properties ?? {})) structural(p, `${path}.properties[${k}]`, 'field', errs);
  if (isObj(s.additionalProperties)) structural(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, 'field', errs);
  if (s.items) structural(s.items, `${path}.items`, 'item', errs);
}

/** %#v of the internal apiextensions.ValidationRule, as field.Invalid prints it (pointers as nil or a stand-in). */
function goRule(r: ValidationRule): string {
  const str = (v: unknown) => JSON.stringify(typeof v === 'string' ? v : '');
  const ptr = (v: unknown, type: string) => (v === undefined || v === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);
  return `apiextensions.ValidationRule{Rule:${str(r.rule)}, Message:${str(r.message)}, MessageExpression:${str(r.messageExpression)}, `
    + `Reason:${ptr(r.reason, 'apiextensions.FieldValueErrorReason')}, FieldPath:${str(r.fieldPath)}, OptionalOldSelf:${ptr(r.optionalOldSelf, 'bool')}}`;
}

/**
 * ValidateCustomResourceDefinitionOpenAPISchema on x-kubernetes-validations: each rule's fields (schema errors; an
 * absent rule and an unknown reason are the shared rules' to report, from the schema's required and enum),
 * then what compiling it says (CEL errors: `compilation failed: ERROR: <input>:...`, a messageExpression that does
 * not compile, oldSelf where no old value correlates, optionalOldSelf without oldSelf).
 */
function validationRuleErrors(s: JSONSchemaProps, path: string, errs: FieldError[], celErrs: FieldError[], uncorrelatable: string | undefined, cost: CostContext, root: boolean): void {
  const rules = s['x-kubernetes-validations'] as unknown[];
  // The rules are type-checked against the node's schema (Compile(s, isResourceRoot): the root and embedded resources
  // see apiVersion, kind and metadata.name/generateName).
  const resourceRoot = root || s['x-kubernetes-embedded-resource'] === true;
  const self = schemaDeclType(s, resourceRoot);
  // getExpressionCost: a rule's estimate times how often it may run, bounded by the request size where no
  // maxItems/maxProperties bounds it (compilation.go maxCardinality of the node's smallest serialization).
  const cardinality = cost.cardinality ?? maxCardinality(sizeModel(s, resourceRoot)?.minSize ?? 0);
  rules.forEach((raw, i) => {
    const r: ValidationRule = isObj(raw) ? raw : {};
    const at = `${path}.x-kubernetes-validations[${i}]`;
    const rule = (r.rule ?? '').trim();
    const msg = (r.message ?? '').trim();
    // An absent rule is reported by the shared rules (the schema's required `rule`); the message checks follow it.
    if (rule) {
      if (r.message && !msg) errs.push(invalid(`${at}.message`, r.message, 'message must be non-empty if specified'));
      else if (msg.includes('\n')) errs.push(invalid(`${at}.message`, r.message, 'message must not contain line breaks'));
      else if (rule.includes('\n') && !msg) errs.push(required(`${at}.message`, 'message must be specified if rule contains line breaks'));
    }
    if (r.messageExpression && !r.messageExpression.trim()) errs.push(required(`${at}.messageExpression`, 'messageExpression must be non-empty if specified'));
    if (r.fieldPath) {
      if (!r.fieldPath.trim()) errs.push(invalid(`${at}.fieldPath`, r.fieldPath, 'fieldPath must be non-empty if specified'));
      else if (r.fieldPath.includes('\n')) errs.push(invalid(`${at}.fieldPath`, r.fieldPath, 'fieldPath must not contain line breaks'));
      else {
        const p = validFieldPath(r.fieldPath, s);
        if (typeof p !== 'string') errs.push(invalid(`${at}.fieldPath`, r.fieldPath, `fieldPath must be a valid path: ${p.error}`));
      }
    }
    if (!rule) return;
    const c = compileRule(r, s, self, resourceRoot);
    const ruleCost = c.maxCost ? Math.min(c.maxCost * cardinality, 18446744073709551615) : 0;
    if (!cost.suppress && ruleCost > STATIC_ESTIMATED_COST_LIMIT) celErrs.push(forbidden(`${at}.rule`, costErrorMessage('estimated rule cost', ruleCost, STATIC_ESTIMATED_COST_LIMIT)));
    observeCost(cost, `${at}.rule`, ruleCost);
    if (c.error) celErrs.push({ type: 'FieldValueInvalid', field: `${at}.rule`, valueText: goRule(r), detail: c.error });
    if (c.messageError) celErrs.push({ type: 'FieldValueInvalid', field: `${at}.messageExpression`, valueText: goRule(r), detail: c.messageError });
    else if (c.messageMaxCost !== undefined) {
      if (!cost.suppress && c.messageMaxCost > STATIC_ESTIMATED_COST_LIMIT) {
        celErrs.push(forbidden(`${at}.messageExpression`, costErrorMessage('estimated messageExpression cost', c.messageMaxCost, STATIC_ESTIMATED_COST_LIMIT)));
      }
      observeCost(cost, `${at}.messageExpression`, c.messageMaxCost);
    }
    if (c.usesOldSelf && uncorrelatable) celErrs.push(invalid(`${at}.rule`, r.rule, `oldSelf cannot be used on the uncorrelatable portion of the schema within ${uncorrelatable}`));
    if (r.optionalOldSelf === true && c.program && !c.usesOldSelf) celErrs.push(invalid(`${at}.optionalOldSelf`, true, 'may not be set if oldSelf is not used in rule'));
  });
}
