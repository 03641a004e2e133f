/**
 * ServiceCIDR and IPAddress validation (pkg/apis/networking/validation/validation.go: ValidateServiceCIDR,
 * ValidateServiceCIDRUpdate, ValidateIPAddress, ValidateIPAddressUpdate). The names are checked with the rest of the
 * metadata (kube/src/rules/objectMeta.ts: an IPAddress is named by its address); this is the spec part. Both kinds
 * are new API fields, so their addresses go through the strict IsValidCIDR / IsValidIP of apimachinery's
 * validation/ip.go: no leading zeros, no IPv4-mapped IPv6, no host bits, canonical form.
 */
import type { KObject } from '../contract';
import type { FieldError } from '../../../kube/src/rules/status';
import { parseCidr, strictCIDRErrors } from '../../../kube/src/cidr';
import { isDNS1123Subdomain } from '../../../kube/src/names';

const IMMUTABLE = 'field is immutable';

const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const invalidText = (field: string, valueText: string, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, valueText, detail });
const required = (field: string, detail = ''): FieldError => ({ type: 'FieldValueRequired', field, detail });
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const goStrings = (xs: unknown[]) => `[]string{${xs.map((x) => JSON.stringify(str(x))).join(', ')}}`;

/** validateServiceCIDRSpec: one or two CIDRs (one of each family), each a valid one. */
function serviceCIDRSpecErrors(cidrs: unknown[]): FieldError[] {
  const field = 'spec.cidrs';
  if (cidrs.length === 0) return [required(field, 'at least one CIDR required')];
  // The whole spec is the bad value, printed as Go prints the internal struct.
  const spec = `networking.ServiceCIDRSpec{CIDRs:${goStrings(cidrs)}}`;
  if (cidrs.length > 2) return [invalidText(field, spec, 'may only hold up to 2 values')];
  if (cidrs.length === 2) {
    // netutils.IsDualStackCIDRStrings: both parse, and one is IPv6 and the other not.
    const [a, b] = cidrs.map((c) => parseCidr(str(c)));
    if (!a || !b || a.v6 === b.v6) return [invalidText(field, spec, 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64')];
  }
  const errs: FieldError[] = [];
  cidrs.forEach((c, i) => { for (const d of strictCIDRErrors(str(c))) errs.push(invalid(`${field}[${i}]`, str(c), d)); });
  return errs;
}

const cidrsOf = (o: KObject): unknown[] => (Array.isArray(o.spec?.cidrs) ? o.spec.cidrs : []);

/** ValidateServiceCIDR's spec part, on create and update. */
export function serviceCIDRErrors(o: KObject): FieldError[] {
  return serviceCIDRSpecErrors(cidrsOf(o));
}

/**
 * ValidateServiceCIDRUpdate: the CIDRs never change, except that a single-stack ServiceCIDR may gain a CIDR of the
 * other family (kubernetes/kubernetes#131261, in 1.33).
 */
export function serviceCIDRUpdateErrors(o: KObject, old: KObject): FieldError[] {
  const next = cidrsOf(o);
  const prev = cidrsOf(old);
  if (next.length === prev.length) {
    const errs: FieldError[] = [];
    prev.forEach((c, i) => { if (c !== next[i]) errs.push(invalid(`spec.cidrs[${i}]`, str(next[i]), IMMUTABLE)); });
    return errs;
  }
  if (prev.length === 1 && next.length === 2) {
    const errs: FieldError[] = [];
    if (next[0] !== prev[0]) errs.push(invalid('spec.cidrs[0]', str(next[0]), IMMUTABLE));
    errs.push(...serviceCIDRSpecErrors(next));
    return errs;
  }
  return [invalidText('spec.cidrs', goStrings(next), IMMUTABLE)];
}

/** pathvalidation.IsValidPathSegmentName. */
function pathSegmentErrors(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const msgs: string[] = [];
  if (name.includes('/')) msgs.push("may not contain '/'");
  if (name.includes('%')) msgs.push("may not contain '%'");
  return msgs;
}

/** validateIPAddressParentReference: a parent is required, with a resource and a name. */
export function ipAddressSpecErrors(o: KObject): FieldError[] {
  const ref = o.spec?.parentRef;
  if (ref === undefined || ref === null) return [required('spec.parentRef')];
  const path = 'spec.parentRef';
  const errs: FieldError[] = [];
  const group = str(ref.group);
  // The core group of Services is "", so a group cannot be required.
  if (group) for (const d of isDNS1123Subdomain(group)) errs.push(invalid(`${path}.group`, group, d));
  const resource = str(ref.resource);
  if (!resource) errs.push(required(`${path}.resource`));
  else for (const d of pathSegmentErrors(resource)) errs.push(invalid(`${path}.resource`, resource, d));
  const name = str(ref.name);
  if (!name) errs.push(required(`${path}.name`));
  else for (const d of pathSegmentErrors(name)) errs.push(invalid(`${path}.name`, name, d));
  const ns = str(ref.namespace);
  if (ns) for (const d of pathSegmentErrors(ns)) errs.push(invalid(`${path}.namespace`, ns, d));
  return errs;
}

const goParentRef = (ref: any) => (ref === undefined || ref === null ? 'null'
  : `networking.ParentReference{Group:${JSON.stringify(str(ref.group))}, Resource:${JSON.stringify(str(ref.resource))}, Namespace:${JSON.stringify(str(ref.namespace))}, Name:${JSON.stringify(str(ref.name))}}`);

/** ValidateIPAddressUpdate: ValidateImmutableField on the parentRef (Go prints the dereferenced struct). */
export function ipAddressUpdateErrors(o: KObject, old: KObject): FieldError[] {
  const a = old.spec?.parentRef ?? null;
  const b = o.spec?.parentRef ?? null;
  const same = (a === null) === (b === null) && (a === null || ['group', 'resource', 'namespace', 'name'].every((k) => str(a[k]) === str(b[k])));
  return same ? [] : [invalidText('spec.parentRef', goParentRef(b), IMMUTABLE)];
}
