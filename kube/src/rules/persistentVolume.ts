/**
 * PersistentVolume specs as upstream ValidatePersistentVolumeSpec checks a
 * standalone volume (pkg/apis/core/validation): access modes, a capacity
 * holding only `storage` with a positive size, exactly one volume source
 * (the first one found counts; each later one is "may not specify more than
 * 1 volume type"), node affinity for a `local` volume, and the class name.
 * Reclaim policy and volume mode values are the schema walk's enum checks,
 * whose supported lists upstream prints in the same sorted order.
 */
import { parseQuantity } from '../quantity';
import { checkAccessModes, checkStorageClassName, keyed, NOT_POSITIVE, quantityString } from './claimSpec';
import type { JsonObject, Rule } from './context';
import { isObject } from './context';
import { nodeSelectorFindings } from './affinity';
import type { FieldPath, Finding } from './types';
import { isRootPath, volumePathFindings } from './volumePaths';

/**
 * The volume sources in the order ValidatePersistentVolumeSpec tests them,
 * with the path upstream names in its Forbidden error where that differs from
 * the JSON field (`cephFS`). flexVolume is counted but never refused itself.
 */
export const PV_SOURCES: [json: string, reported: string][] = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'], ['glusterfs', 'glusterfs'],
  ['flocker', 'flocker'], ['nfs', 'nfs'], ['rbd', 'rbd'], ['quobyte', 'quobyte'], ['cephfs', 'cephFS'], ['iscsi', 'iscsi'], ['cinder', 'cinder'],
  ['fc', 'fc'], ['flexVolume', ''], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'], ['photonPersistentDisk', 'photonPersistentDisk'],
  ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['scaleIO', 'scaleIO'], ['local', 'local'], ['storageos', 'storageos'], ['csi', 'csi'],
];

const NO_VOLUME_TYPE = 'must specify a volume type';
const MORE_THAN_ONE = 'may not specify more than 1 volume type';
const LOCAL_AFFINITY = 'Local volume requires node affinity';
const BAD_QUANTITY = 'must be a valid resource quantity';
const NODE_CONSTRAINTS = 'must specify required node constraints';

/** `%#v` of the decoded core.ResourceList, exact for the absent and empty maps learners write. */
function goResourceList(cap: unknown): string {
  if (!isObject(cap)) return 'core.ResourceList(nil)';
  const keys = Object.keys(cap).sort();
  return `core.ResourceList{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(cap[k]))}`).join(', ')}}`;
}

function checkCapacity(spec: JsonObject, out: Finding[]): void {
  const cap = spec.capacity;
  const path: FieldPath = ['spec', 'capacity'];
  const keys = isObject(cap) ? Object.keys(cap) : [];
  if (keys.length === 0) {
    out.push({ code: 'pv-capacity', severity: 'error', path, target: 'key', message: 'Required value: a PersistentVolume needs capacity.storage',
      apiError: { type: 'FieldValueRequired', detail: '' } });
  }
  if (!keys.includes('storage') || keys.length > 1) {
    out.push({ code: 'pv-capacity', severity: 'error', path, target: 'key', message: 'Unsupported value: capacity holds only `storage`: supported values: "storage"',
      apiError: { type: 'FieldValueNotSupported', value: cap ?? null, supported: ['storage'], valueText: goResourceList(cap) } });
  }
  if (!isObject(cap)) return;
  for (const k of keys) {
    const v = cap[k];
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    let n: number;
    try {
      n = parseQuantity(v);
    } catch {
      continue; // the schema walk's invalid-quantity
    }
    const at: FieldPath = ['spec', 'capacity', k];
    const apiPath: FieldPath = ['spec', keyed('capacity', k)];
    // validateBasicResource compares Quantity.Value(), which rounds up to an integer.
    const whole = Math.ceil(n);
    if (whole < 0) {
      out.push({ code: 'pv-capacity-value', severity: 'error', path: at, message: `Invalid value: ${whole}: ${BAD_QUANTITY}`,
        apiError: { type: 'FieldValueInvalid', value: whole, detail: BAD_QUANTITY, apiPath } });
    }
    if (n <= 0) {
      const value = quantityString(v, n);
      out.push({ code: 'pv-capacity-value', severity: 'error', path: at, message: `Invalid value: ${JSON.stringify(value)}: ${NOT_POSITIVE}`,
        apiError: { type: 'FieldValueInvalid', value, detail: NOT_POSITIVE, apiPath } });
    }
  }
}

function checkSources(spec: JsonObject, out: Finding[]): void {
  let count = 0;
  for (const [json, reported] of PV_SOURCES) {
    const src = spec[json];
    if (src === undefined || src === null) continue;
    if (count > 0 && reported) {
      out.push({ code: 'pv-volume-type', severity: 'error', path: ['spec', json], target: 'key',
        message: `Forbidden: ${MORE_THAN_ONE} (the first source given is ${firstSource(spec)})`,
        apiError: { type: 'FieldValueForbidden', detail: MORE_THAN_ONE, apiPath: ['spec', reported] } });
      continue;
    }
    count++;
    // validateVolumeNodeAffinity counts any nodeAffinity as given (a missing `required` is its own error).
    if (json === 'local' && (spec.nodeAffinity === undefined || spec.nodeAffinity === null)) {
      out.push({ code: 'pv-local-affinity', severity: 'error', path: ['spec', 'nodeAffinity'], target: 'key', message: `Required value: ${LOCAL_AFFINITY}`,
        apiError: { type: 'FieldValueRequired', detail: LOCAL_AFFINITY } });
    }
  }
  if (count === 0) {
    out.push({ code: 'pv-volume-type', severity: 'error', path: ['spec'], target: 'key',
      message: `Required value: ${NO_VOLUME_TYPE} (hostPath, nfs, csi, local, ...)`, apiError: { type: 'FieldValueRequired', detail: NO_VOLUME_TYPE } });
  }
}

function firstSource(spec: JsonObject): string {
  return PV_SOURCES.find(([json]) => spec[json] !== undefined && spec[json] !== null)?.[0] ?? '';
}

export const persistentVolumeRule: Rule = {
  codes: ['pv-capacity', 'pv-capacity-value', 'pv-volume-type', 'pv-local-affinity', 'pv-node-affinity', 'invalid-volume-path', 'pv-recycle-root'],
  kinds: ['PersistentVolume'],
  check(obj, ctx, out) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    checkAccessModes(spec, ['spec'], out, '');
    checkCapacity(spec, out);
    const na = spec.nodeAffinity;
    if (isObject(na) && (na.required === undefined || na.required === null)) {
      out.push({ code: 'pv-node-affinity', severity: 'error', path: ['spec', 'nodeAffinity', 'required'], target: 'key',
        message: `Required value: ${NODE_CONSTRAINTS}`, apiError: { type: 'FieldValueRequired', detail: NODE_CONSTRAINTS } });
    }
    if (isObject(na) && isObject(na.required)) nodeSelectorFindings('pv-node-affinity', na.required, ['spec', 'nodeAffinity', 'required'], !!ctx.apiserver, out);
    checkSources(spec, out);
    out.push(...volumePathFindings(spec, ['spec']));
    // The recycler would empty the host's root.
    const hp = isObject(spec.hostPath) ? spec.hostPath.path : undefined;
    if (spec.persistentVolumeReclaimPolicy === 'Recycle' && typeof hp === 'string' && isRootPath(hp)) {
      const detail = "may not be 'recycle' for a hostPath mount of '/'";
      out.push({ code: 'pv-recycle-root', severity: 'error', path: ['spec', 'persistentVolumeReclaimPolicy'], message: `Forbidden: ${detail}`,
        apiError: { type: 'FieldValueForbidden', detail } });
    }
    checkStorageClassName(spec, ['spec'], out);
  },
};
