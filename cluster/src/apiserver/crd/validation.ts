/**
 * ValidateCustomResourceDefinition and ValidateCustomResourceDefinitionUpdate
 * (apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go) for what a v1 CRD meets: the name
 * `<plural>.<group>`, the group, the scope, the names, the versions (DNS-1035 names, unique, exactly one
 * storage version, a schema each), structural schemas (pkg/apiserver/schema validation.go ValidateStructural),
 * printer columns, the conversion strategy, the stored versions, and the fields an established CRD keeps.
 */
import type { KObject } from '../../contract';
import type { FieldError } from '../status';
import { isDNS1035Label, isDNS1123Subdomain } from '../../../../kube/src/names';
import { crdCondition } from './registry';
import type { JSONSchemaProps } from './types';

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
 * How field.Invalid prints the []CustomResourceDefinitionVersion it is given (%#v of the internal structs): the
 * scalar fields as Go prints them; the pointers, whose addresses differ in every apiserver, as nil or a stand-in.
 */
function goVersions(versions: unknown): string {
  if (!Array.isArray(versions)) return '[]apiextensions.CustomResourceDefinitionVersion(nil)';
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(goVersion).join(', ')}}`;
}

function goVersion(v: Obj): string {
  const ptr = (x: unknown, type: string) => (x === undefined || x === null ? `(*${type})(nil)` : `(*${type})(0xc000000000)`);
  const cols = Array.isArray(v?.additionalPrinterColumns) && v.additionalPrinterColumns.length ? '[]apiextensions.CustomResourceColumnDefinition{...}' : '[]apiextensions.CustomResourceColumnDefinition(nil)';
  return `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(String(v?.name ?? ''))}, Served:${!!v?.served}, Storage:${!!v?.storage}, `
    + `Deprecated:${!!v?.deprecated}, DeprecationWarning:${ptr(v?.deprecationWarning, 'string')}, Schema:${ptr(v?.schema, 'apiextensions.CustomResourceValidation')}, `
    + `Subresources:${ptr(v?.subresources, 'apiextensions.CustomResourceSubresources')}, AdditionalPrinterColumns:${cols}, SelectableFields:[]apiextensions.SelectableField(nil)}`;
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
  errs.push(...validateSpec(spec));
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
  return errs;
}

function validateSpec(spec: Obj): FieldError[] {
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
    const schema = v?.schema?.openAPIV3Schema;
    if (!isObj(schema)) errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
    else errs.push(...validateSchemaDefinition(schema as JSONSchemaProps, `${path}.schema.openAPIV3Schema`, !!v?.subresources?.status));
    errs.push(...validateSubresources(v?.subresources, `${path}.subresources`));
    (Array.isArray(v?.additionalPrinterColumns) ? v.additionalPrinterColumns : []).forEach((c: Obj, j: number) => errs.push(...validateColumn(c, `${path}.additionalPrinterColumns[${j}]`)));
  });
  if (!unique) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', valueText: goVersions(spec.versions), detail: 'must contain unique version names' });
  if (storage !== 1) errs.push({ type: 'FieldValueInvalid', field: 'spec.versions', valueText: goVersions(spec.versions), detail: 'must have exactly one version marked as storage version' });
  const names: Obj = isObj(spec.names) ? spec.names : {};
  if (!names.plural) errs.push(required('spec.names.plural'));
  if (!names.singular) errs.push(required('spec.names.singular'));
  if (!names.kind) errs.push(required('spec.names.kind'));
  if (!names.listKind) errs.push(required('spec.names.listKind'));
  errs.push(...validateNames(names, 'spec.names'));
  const conv = spec.conversion;
  if (isObj(conv)) {
    if (!conv.strategy) errs.push(required('spec.conversion.strategy'));
    else if (conv.strategy !== 'None' && conv.strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', conv.strategy, ['None', 'Webhook']));
    else if (conv.strategy === 'Webhook' && !isObj(conv.webhook?.clientConfig)) errs.push(required('spec.conversion.webhook', 'required when strategy is set to Webhook'));
  }
  // v1's validatePreserveUnknownFields: the field survives from v1beta1 and may only be false.
  if (spec.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in openAPIV3Schema instead'));
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
  for (const v of versions) {
    if (v?.storage && !left.has(v.name)) errs.push({ type: 'FieldValueInvalid', field: 'status.storedVersions', valueText: goVersion(v), detail: `must have the storage version ${v.name}` });
    left.delete(v?.name);
  }
  for (const [v, i] of left) errs.push(invalid(`status.storedVersions[${i}]`, v, 'must appear in spec.versions'));
  return errs;
}

function validateSubresources(sub: unknown, path: string): FieldError[] {
  if (!isObj(sub) || !isObj(sub.scale)) return [];
  const errs: FieldError[] = [];
  const scale = sub.scale;
  // ValidateCustomResourceDefinitionSubresources: .spec and .status paths, simple JSON paths.
  if (!scale.specReplicasPath) errs.push(required(`${path}.scale.specReplicasPath`));
  else if (!String(scale.specReplicasPath).startsWith('.spec.')) errs.push(invalid(`${path}.scale.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
  if (!scale.statusReplicasPath) errs.push(required(`${path}.scale.statusReplicasPath`));
  else if (!String(scale.statusReplicasPath).startsWith('.status.')) errs.push(invalid(`${path}.scale.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
  if (scale.labelSelectorPath && !/^\.(spec|status)\./.test(String(scale.labelSelectorPath))) {
    errs.push(invalid(`${path}.scale.labelSelectorPath`, scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

function validateColumn(c: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c?.name) errs.push(required(`${path}.name`));
  if (!c?.type) errs.push(required(`${path}.type`, `must be one of ${PRINTER_TYPES.join(',')}`));
  else if (!PRINTER_TYPES.includes(c.type)) errs.push(invalid(`${path}.type`, c.type, `must be one of ${PRINTER_TYPES.join(',')}`));
  if (c?.format && !COLUMN_FORMATS.includes(c.format)) errs.push(invalid(`${path}.format`, c.format, `must be one of ${COLUMN_FORMATS.join(',')}`));
  if (!c?.jsonPath) errs.push(required(`${path}.JSONPath`));
  return errs;
}

/**
 * The schema's own rules (ValidateCustomResourceDefinitionOpenAPISchema: known types, no $ref, no uniqueItems)
 * and, when they pass, the structural ones (ValidateStructural: a type everywhere, objects at the root, items
 * for arrays, properties and additionalProperties not both).
 */
function validateSchemaDefinition(schema: JSONSchemaProps, path: string, statusEnabled: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (schema.nullable) errs.push(forbidden(`${path}.nullable`, 'nullable cannot be true at the root'));
  if (statusEnabled && schema.type && schema.type !== 'object') {
    errs.push(invalid(`${path}.type`, schema.type, 'only "object" is allowed as the type at the root of the schema if the status subresource is enabled'));
  }
  openApiRules(schema, path, errs);
  if (errs.length) return errs;
  structural(schema, path, 'root', errs);
  return errs;
}

function openApiRules(s: JSONSchemaProps, path: string, errs: FieldError[]): void {
  if (!isObj(s)) return;
  if ('$ref' in s) errs.push(forbidden(`${path}.$ref`, '$ref is not supported'));
  if (s.type && !OPENAPI_TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, OPENAPI_TYPES));
  if (s.uniqueItems === true) errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (isObj(s.additionalProperties) && s.properties) errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  for (const [k, p] of Object.entries(s.properties ?? {})) openApiRules(p, `${path}.properties[${k}]`, errs);
  if (isObj(s.additionalProperties)) openApiRules(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, errs);
  if (s.items) openApiRules(s.items, `${path}.items`, errs);
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
  for (const [k, p] of Object.entries(s.properties ?? {})) structural(p, `${path}.properties[${k}]`, 'field', errs);
  if (isObj(s.additionalProperties)) structural(s.additionalProperties as JSONSchemaProps, `${path}.additionalProperties`, 'field', errs);
  if (s.items) structural(s.items, `${path}.items`, 'item', errs);
}
