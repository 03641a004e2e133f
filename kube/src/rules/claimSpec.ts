/**
 * PersistentVolumeClaim specs as upstream ValidatePersistentVolumeClaimSpec
 * checks them (pkg/apis/core/validation): at least one access mode, no
 * ReadWriteOncePod beside another mode, a positive `storage` request and a
 * DNS-subdomain storage class. The same checks apply to a StatefulSet's
 * volumeClaimTemplates, which Kubernetes 1.34 validates on create
 * (apps ValidateVolumeClaimTemplates, kubernetes PR #132212): before that a
 * template without access modes was accepted and every PVC the controller
 * made from it failed.
 */
import { isDNS1123Subdomain } from '../names';
import { parseQuantity } from '../quantity';
import type { Rule } from './context';
import { eachObject, get, isObject, type JsonObject } from './context';
import type { FieldPath, Finding } from './types';

const ACCESS_MODES_REQUIRED = 'at least 1 access mode is required';
const RWOP_ALONE = 'may not use ReadWriteOncePod with other access modes';
export const NOT_POSITIVE = 'must be greater than zero';
const SUPPORTED_MODES = new Set(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']);

/** `field.Path.Key`: upstream prints `resources[storage]`; one segment, so both path printers keep it whole. */
export function keyed(field: string, key: string): string {
  return `${field}[${key}]`;
}

/** How resource.Quantity.String() prints the value the user gave (zero canonicalises to "0"). */
export function quantityString(v: string | number, n: number): string {
  return n === 0 ? '0' : String(v);
}

/**
 * The access-mode checks PV and PVC specs share. The schema walk has already
 * reported an unknown mode at its list item (so the editor marks the item);
 * upstream reports it on the list itself, so the finding gets that apiPath.
 */
export function checkAccessModes(spec: JsonObject, base: FieldPath, out: Finding[], requiredDetail: string): void {
  const modes = spec.accessModes;
  const path = [...base, 'accessModes'];
  // A value of the wrong type (`accessModes: ReadWriteOnce`) fails the decode: the schema reports that alone.
  if (modes !== undefined && modes !== null && !Array.isArray(modes)) return;
  if (!Array.isArray(modes) || modes.length === 0) {
    out.push({ code: 'access-modes-required', severity: 'error', path, target: 'key',
      message: `Required value${requiredDetail ? `: ${requiredDetail}` : ''}`, apiError: { type: 'FieldValueRequired', detail: requiredDetail } });
    return;
  }
  // `out` holds only this object's findings (a List's items are validated into arrays of their own).
  for (let k = 0; k < out.length; k++) {
    const f = out[k];
    if (f.code === 'enum-value' && f.path.length === path.length + 1 && samePrefix(f.path, path) && f.apiError) f.apiError.apiPath = path;
  }
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (typeof m === 'string' && SUPPORTED_MODES.has(m)) other = true;
  }
  if (rwop && other) {
    out.push({ code: 'access-modes-rwop', severity: 'error', path, target: 'key', message: `Forbidden: ${RWOP_ALONE}`,
      apiError: { type: 'FieldValueForbidden', detail: RWOP_ALONE } });
  }
}

function samePrefix(p: FieldPath, prefix: FieldPath): boolean {
  for (let i = 0; i < prefix.length; i++) if (p[i] !== prefix[i]) return false;
  return true;
}

/** ValidatePersistentVolumeClaimSpec over `spec` at `base`. */
function checkClaimSpec(spec: JsonObject, base: FieldPath, out: Finding[]): void {
  checkAccessModes(spec, base, out, ACCESS_MODES_REQUIRED);
  const requests = get(spec, ['resources', 'requests']);
  const storage = isObject(requests) ? requests.storage : undefined;
  const apiPath = [...base, keyed('resources', 'storage')];
  if (storage === undefined || storage === null) {
    out.push({ code: 'storage-request-required', severity: 'error', path: [...base, 'resources', 'requests', 'storage'], target: 'key',
      message: 'Required value: a claim must request `storage` in resources.requests', apiError: { type: 'FieldValueRequired', detail: '', apiPath } });
  } else if (typeof storage === 'string' || typeof storage === 'number') {
    let n: number | undefined;
    try {
      n = parseQuantity(storage);
    } catch {
      n = undefined; // malformed: the schema walk's invalid-quantity (a decode error upstream)
    }
    if (n !== undefined && n <= 0) {
      const value = quantityString(storage, n);
      out.push({ code: 'storage-request-positive', severity: 'error', path: [...base, 'resources', 'requests', 'storage'],
        message: `Invalid value: ${JSON.stringify(value)}: ${NOT_POSITIVE}`, apiError: { type: 'FieldValueInvalid', value, detail: NOT_POSITIVE, apiPath } });
    }
  }
  checkStorageClassName(spec, base, out);
}

/** A claim's or a volume's storageClassName must be a DNS subdomain. */
export function checkStorageClassName(spec: JsonObject, base: FieldPath, out: Finding[]): void {
  const cls = spec.storageClassName;
  if (typeof cls === 'string' && cls !== '') {
    for (const detail of isDNS1123Subdomain(cls)) {
      out.push({ code: 'invalid-storage-class-name', severity: 'error', path: [...base, 'storageClassName'],
        message: `Invalid value: ${JSON.stringify(cls)}: ${detail}`, apiError: { type: 'FieldValueInvalid', value: cls, detail } });
    }
  }
}

export const claimSpecRule: Rule = {
  codes: ['access-modes-required', 'access-modes-rwop', 'storage-request-required', 'storage-request-positive', 'invalid-storage-class-name'],
  kinds: ['PersistentVolumeClaim', 'StatefulSet'],
  check(obj, ctx, out) {
    if (ctx.kind === 'PersistentVolumeClaim') {
      checkClaimSpec(isObject(obj.spec) ? obj.spec : {}, ['spec'], out);
      return;
    }
    eachObject(get(obj, ['spec', 'volumeClaimTemplates']), (tmpl, i) => {
      // A template without a spec has an empty claim spec upstream: both requirements fail.
      checkClaimSpec(isObject(tmpl.spec) ? tmpl.spec : {}, ['spec', 'volumeClaimTemplates', i, 'spec'], out);
    });
  },
};
