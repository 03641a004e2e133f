/**
 * Dynamic Resource Allocation objects (resource.k8s.io/v1), validated as v1.34's pkg/apis/resource/validation does:
 * ValidateResourceClaim, ValidateResourceClaimTemplate, ValidateDeviceClass and ValidateResourceSlice, kept to the
 * rules a learner meets: the request shape (a DNS label name, exactly one of `exactly` or `firstAvailable`, a device
 * class, the allocation mode and count after defaulting), CEL selectors compiled against the `device` variable, and
 * a slice's driver, pool and node selection. The metadata is checked with the rest (kube/src/rules/objectMeta.ts).
 *
 * Left out: the constraints and opaque config entries, the size limits (32 requests, 32 selectors...), the devices
 * of a ResourceSlice, and a claim's status (the status subresource only checks the shared schema).
 */
import type { KObject } from '../contract';
import type { FieldError } from '../../../kube/src/rules/status';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../kube/src/names';
import { compile, typedEnvironment, type DeclType, type TypedEnvironment } from '../cel/engine';

type Obj = Record<string, any>;

export const DEVICE_CLASSES = 'resource.k8s.io/deviceclasses';
export const RESOURCE_CLAIMS = 'resource.k8s.io/resourceclaims';
export const RESOURCE_CLAIM_TEMPLATES = 'resource.k8s.io/resourceclaimtemplates';
export const RESOURCE_SLICES = 'resource.k8s.io/resourceslices';

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** SetDefaults_ExactDeviceRequest and SetDefaults_DeviceSubRequest (pkg/apis/resource/v1/defaults.go). */
function defaultRequest(r: Obj | undefined): void {
  if (!r) return;
  if (r.allocationMode === undefined || r.allocationMode === null || r.allocationMode === '') r.allocationMode = 'ExactCount';
  if (r.allocationMode === 'ExactCount' && (r.count === undefined || r.count === null || r.count === 0)) r.count = 1;
}

function defaultClaimSpec(spec: Obj | undefined): void {
  for (const req of list(obj(obj(spec)?.devices)?.requests)) {
    const r = obj(req);
    if (!r) continue;
    defaultRequest(obj(r.exactly));
    for (const sub of list(r.firstAvailable)) defaultRequest(obj(sub));
  }
}

/** The v1 defaulters of the claim and the template (their requests' allocation mode and count). */
export function defaultResourceClaim(o: Obj): void {
  defaultClaimSpec(obj(o.spec));
}

export function defaultResourceClaimTemplate(o: Obj): void {
  defaultClaimSpec(obj(obj(o.spec)?.spec));
}

/**
 * The `device` variable of DRA's CEL environment (k8s.io/dynamic-resource-allocation/cel): the driver, the
 * attributes and capacities by domain and id, and allowMultipleAllocations (DRAConsumableCapacity, alpha in 1.34, is
 * off, but the field is declared). Attribute values are of several types, so they are dyn here.
 */
let deviceEnv: TypedEnvironment | undefined;
function env(): TypedEnvironment {
  const dyn: DeclType = { kind: 'simple', name: 'dyn' };
  const byDomain: DeclType = { kind: 'map', value: { kind: 'map', value: dyn } };
  return (deviceEnv ??= typedEnvironment({
    device: { kind: 'object', name: 'device', fields: { driver: { kind: 'simple', name: 'string' }, attributes: byDomain, capacity: byDomain, allowMultipleAllocations: { kind: 'simple', name: 'bool' } } },
  }, 'device'));
}

/** CELSelectorExpressionMaxLength. */
const CEL_MAX_LENGTH = 10 * 1024;

/**
 * validateCELExpression with compiler.CompileCELExpression: an expression that does not compile, or whose type is
 * neither bool nor dyn, is refused at `<selector>.cel.expression` with the expression as the value.
 */
function celErrors(field: string, expression: string): FieldError[] {
  if (expression.length > CEL_MAX_LENGTH) return [{ type: 'FieldValueTooLong', field, value: '', detail: `may not be more than ${CEL_MAX_LENGTH} bytes` }];
  const e = env();
  const c = compile(e.env, expression, e.objects);
  if (c.error) return [invalid(field, expression, `compilation failed: ${c.error}`)];
  if (c.type && c.type !== 'bool' && c.type !== 'dyn') return [invalid(field, expression, `must evaluate to bool or the unknown type, not ${c.type}`)];
  return [];
}

function selectorErrors(path: string, selectors: unknown): FieldError[] {
  const errs: FieldError[] = [];
  list(selectors).forEach((s, i) => {
    const cel = obj(obj(s)?.cel);
    if (!cel) errs.push(required(`${path}[${i}].cel`));
    else errs.push(...celErrors(`${path}[${i}].cel.expression`, str(cel.expression)));
  });
  return errs;
}

/** validateDeviceClass (the request's class name): required, a DNS subdomain. */
function deviceClassNameErrors(field: string, name: unknown): FieldError[] {
  const n = str(name);
  if (!n) return [required(field)];
  return isDNS1123Subdomain(n).map((d) => invalid(field, n, d));
}

/** validateDeviceAllocationMode, on the defaulted request. */
function allocationModeErrors(path: string, r: Obj): FieldError[] {
  const count = typeof r.count === 'number' ? r.count : 0;
  switch (r.allocationMode) {
    case 'All':
      return count !== 0 ? [invalid(`${path}.count`, count, "must not be specified when allocationMode is 'All'")] : [];
    case 'ExactCount':
      return count <= 0 ? [invalid(`${path}.count`, count, 'must be greater than zero')] : [];
    default:
      return [{ type: 'FieldValueNotSupported', field: `${path}.allocationMode`, value: str(r.allocationMode), detail: 'supported values: "All", "ExactCount"' }];
  }
}

/** validateExactDeviceRequest and validateDeviceSubRequest (less the tolerations). */
function exactErrors(path: string, r: Obj): FieldError[] {
  return [
    ...deviceClassNameErrors(`${path}.deviceClassName`, r.deviceClassName),
    ...selectorErrors(`${path}.selectors`, r.selectors),
    ...allocationModeErrors(path, r),
  ];
}

/** validateRequestName: a DNS label (an empty one fails the label regex). */
function requestNameErrors(field: string, name: unknown): FieldError[] {
  const n = str(name);
  return isDNS1123Label(n).map((d) => invalid(field, n, d));
}

/** validateSet's uniqueness check over the names. */
function duplicates(path: string, items: unknown[], errs: FieldError[]): void {
  const seen = new Set<string>();
  items.forEach((x, i) => {
    const name = str(obj(x)?.name);
    if (seen.has(name)) errs.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: name, detail: '' });
    seen.add(name);
  });
}

/** validateDeviceRequest. */
function requestErrors(path: string, r: Obj): FieldError[] {
  const errs = requestNameErrors(`${path}.name`, r.name);
  const first = list(r.firstAvailable);
  const exactly = obj(r.exactly);
  if (!first.length && !exactly) errs.push(required(path, 'exactly one of `exactly` or `firstAvailable` is required'));
  // field.Invalid with a nil value prints it as the string "null".
  else if (first.length && exactly) errs.push(invalid(path, 'null', 'exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set'));
  else if (exactly) errs.push(...exactErrors(`${path}.exactly`, exactly));
  else {
    first.forEach((s, i) => {
      const sub = obj(s) ?? {};
      errs.push(...requestNameErrors(`${path}.firstAvailable[${i}].name`, sub.name), ...exactErrors(`${path}.firstAvailable[${i}]`, sub));
    });
    duplicates(`${path}.firstAvailable`, first, errs);
  }
  return errs;
}

/** validateResourceClaimSpec: each request of `devices`, then the names' uniqueness. */
function claimSpecErrors(path: string, spec: Obj | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const requests = list(obj(spec?.devices)?.requests);
  requests.forEach((r, i) => errs.push(...requestErrors(`${path}.devices.requests[${i}]`, obj(r) ?? {})));
  duplicates(`${path}.devices.requests`, requests, errs);
  return errs;
}

export function resourceClaimErrors(o: KObject): FieldError[] {
  return claimSpecErrors('spec', obj(o.spec));
}

export function resourceClaimTemplateErrors(o: KObject): FieldError[] {
  return claimSpecErrors('spec.spec', obj(obj(o.spec)?.spec));
}

/** validateDeviceClassSpec: its selectors (the config entries are left out). */
export function deviceClassErrors(o: KObject): FieldError[] {
  return selectorErrors('spec.selectors', obj(o.spec)?.selectors);
}

const NODE_SELECTION = 'exactly one of `nodeName`, `nodeSelector`, `allNodes`, `perDeviceNodeSelection` is required';

/** validateResourceSliceSpec: the driver (ValidateCSIDriverName), the pool, and exactly one way to name its nodes. */
export function resourceSliceErrors(o: KObject): FieldError[] {
  const spec = obj(o.spec) ?? {};
  const errs: FieldError[] = [];
  const driver = str(spec.driver);
  if (!driver) errs.push(required('spec.driver'));
  else {
    if (driver.length > 63) errs.push({ type: 'FieldValueTooLong', field: 'spec.driver', value: driver, detail: 'may not be more than 63 bytes' });
    for (const d of isDNS1123Subdomain(driver.toLowerCase())) errs.push(invalid('spec.driver', driver, d));
  }
  const pool = obj(spec.pool) ?? {};
  const poolName = str(pool.name);
  if (!poolName) errs.push(required('spec.pool.name'));
  else for (const part of poolName.split('/')) for (const d of isDNS1123Subdomain(part)) errs.push(invalid('spec.pool.name', part, d));
  const count = typeof pool.resourceSliceCount === 'number' ? pool.resourceSliceCount : 0;
  if (count <= 0) errs.push(invalid('spec.pool.resourceSliceCount', count, 'must be greater than zero'));
  const set: string[] = [];
  if (typeof spec.nodeName === 'string') {
    if (spec.nodeName) set.push('`nodeName`');
    else errs.push(invalid('spec.nodeName', '', 'must be either unset or set to a non-empty string'));
  }
  if (obj(spec.nodeSelector)) set.push('`nodeSelector`');
  if (typeof spec.allNodes === 'boolean') {
    if (spec.allNodes) set.push('`allNodes`');
    else errs.push(invalid('spec.allNodes', false, 'must be either unset or set to true'));
  }
  if (typeof spec.perDeviceNodeSelection === 'boolean') {
    if (spec.perDeviceNodeSelection) set.push('`perDeviceNodeSelection`');
    else errs.push(invalid('spec.perDeviceNodeSelection', false, 'must be either unset or set to true'));
  }
  if (set.length === 0) errs.push(required('spec', NODE_SELECTION));
  else if (set.length > 1) errs.push(invalid('spec', `{${set.join(', ')}}`, `${NODE_SELECTION}, but multiple fields are set`));
  return errs;
}

/**
 * The shared schema marks `spec` and a few fields required, but these specs are Go structs that decode to their zero
 * value: upstream says what is missing in its own words (or accepts it: a claim with no requests is valid). So the
 * shared rules' Required errors give way to the kind's own.
 */
export function draValidation(own: (o: KObject) => FieldError[]): (shared: FieldError[], o: KObject) => FieldError[] {
  return (shared, o) => {
    const mine = own(o);
    // The schema's enums (allocationMode) are checked by both: upstream reports each once.
    const seen = new Set(mine.map((e) => `${e.type} ${e.field}`));
    return [...shared.filter((e) => (e.type !== 'FieldValueRequired' || e.field.startsWith('metadata')) && !seen.has(`${e.type} ${e.field}`)), ...mine];
  };
}
