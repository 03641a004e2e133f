/**
 * The downward API references upstream pod validation checks
 * (pkg/apis/core/validation): an env `fieldRef` names one of the few fields
 * the kubelet resolves for a variable, a downwardAPI volume item one of those
 * it writes to a file (validateObjectFieldSelector, ConvertDownwardAPIFieldLabel);
 * a `resourceFieldRef` names a supported resource, a volume item its
 * container, and a divisor the resource understands
 * (validateContainerResourceFieldSelector, validateContainerResourceDivisor).
 */
import { isQualifiedName } from '../names';
import { canonicalQty } from '../qty';
import type { JsonObject, Rule } from './context';
import { eachObject, isObject, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';

/** validEnvDownwardAPIFieldPathExpressions, sorted as sets.List prints it. */
const ENV_FIELDS = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
/** validVolumeDownwardAPIFieldPathExpressions, sorted. */
const VOLUME_FIELDS = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
/** What ConvertDownwardAPIFieldLabel (pkg/apis/core/pods/helpers.go) knows for a v1 pod; `spec.host` is the old nodeName. */
const CONVERTIBLE = new Set(['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName',
  'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName', 'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP',
  'status.podIPs', 'spec.host']);
/** validContainerResourceFieldPathExpressions, sorted; `requests.hugepages-*` and `limits.hugepages-*` pass by prefix. */
const RESOURCES = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];
const HUGEPAGES = /^(requests|limits)\.hugepages-/;
const CPU_DIVISORS = new Set(['1m', '1']);
const BYTE_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);
const BYTE_DIVISOR_LIST = "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the";

export const downwardApiRule: Rule = {
  codes: ['downward-field-path', 'resource-field-ref'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      eachObject(site.spec.volumes, (vol, i) => {
        const at = [...site.specPath, 'volumes', i];
        if (isObject(vol.downwardAPI)) volumeItems(vol.downwardAPI.items, [...at, 'downwardAPI'], out);
        if (isObject(vol.projected)) {
          eachObject(vol.projected.sources, (src, k) => {
            if (isObject(src.downwardAPI)) volumeItems(src.downwardAPI.items, [...at, 'projected', 'sources', k, 'downwardAPI'], out);
          });
        }
      });
      for (const list of ['initContainers', 'containers'] as const) {
        eachObject(site.spec[list], (ctr, i) => eachObject(ctr.env, (ev, j) => {
          const from = ev.valueFrom;
          if (!isObject(from)) return;
          const at = [...site.specPath, list, i, 'env', j, 'valueFrom'];
          if (isObject(from.fieldRef)) fieldSelector(from.fieldRef, ENV_FIELDS, [...at, 'fieldRef'], [...at, 'fieldRef'], out);
          if (isObject(from.resourceFieldRef)) resourceSelector(from.resourceFieldRef, false, [...at, 'resourceFieldRef'], [...at, 'resourceFieldRef'], out);
        }));
      }
    }
  },
};

/**
 * validateDownwardAPIVolumeFile: upstream validates each item at the source's own path (no `items[i]`), so the
 * apiserver's message names `downwardAPI.fieldRef.fieldPath`; the editor marks the item itself.
 */
function volumeItems(items: unknown, source: FieldPath, out: Finding[]): void {
  eachObject(items, (item, j) => {
    const at = [...source, 'items', j];
    if (isObject(item.fieldRef)) fieldSelector(item.fieldRef, VOLUME_FIELDS, [...at, 'fieldRef'], [...source, 'fieldRef'], out);
    else if (isObject(item.resourceFieldRef)) resourceSelector(item.resourceFieldRef, true, [...at, 'resourceFieldRef'], [...source, 'resourceFieldRef'], out);
  });
}

function push(out: Finding[], code: string, path: FieldPath, apiPath: FieldPath, type: 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueRequired', value: unknown, detail: string, message: string, supported?: string[]): void {
  out.push({ code, severity: 'error', path, message, apiError: { type, value, detail, apiPath, ...(supported ? { supported } : {}) } });
}

/** validateObjectFieldSelector (apiVersion is defaulted to v1 before validation; an empty fieldPath is the schema's). */
function fieldSelector(fs: JsonObject, supported: string[], at: FieldPath, apiAt: FieldPath, out: Finding[]): void {
  const path = fs.fieldPath;
  if (typeof path !== 'string' || path === '') return;
  const version = typeof fs.apiVersion === 'string' && fs.apiVersion !== '' ? fs.apiVersion : 'v1';
  const sub = /^(.*?)\['(.*)'\]$/.exec(path);
  let error: string | undefined;
  if (version !== 'v1') error = `unsupported pod version: ${version}`;
  else if (sub && sub[1] !== 'metadata.annotations' && sub[1] !== 'metadata.labels') error = `field label does not support subscript: ${path}`;
  else if (!sub && !CONVERTIBLE.has(path)) error = `field label not supported: ${path}`;
  if (error) {
    const detail = `error converting fieldPath: ${error}`;
    push(out, 'downward-field-path', [...at, 'fieldPath'], [...apiAt, 'fieldPath'], 'FieldValueInvalid', path, detail, `Invalid value: ${JSON.stringify(path)}: ${detail}`);
    return;
  }
  if (sub) {
    // ValidateQualifiedName of the key, reported at the selector itself (annotations' lower-cased).
    const key = sub[1] === 'metadata.annotations' ? sub[2].toLowerCase() : sub[2];
    for (const detail of isQualifiedName(key)) {
      push(out, 'downward-field-path', [...at, 'fieldPath'], apiAt, 'FieldValueInvalid', key, detail, `Invalid value: ${JSON.stringify(key)}: ${detail}`);
    }
    return;
  }
  const internal = path === 'spec.host' ? 'spec.nodeName' : path;
  if (!supported.includes(internal)) {
    const where = supported === ENV_FIELDS ? 'an environment variable' : 'a downwardAPI volume file';
    push(out, 'downward-field-path', [...at, 'fieldPath'], [...apiAt, 'fieldPath'], 'FieldValueNotSupported', internal, '',
      `Unsupported value: ${JSON.stringify(internal)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')} (the fields ${where} can hold)`, supported);
  }
}

/** validateContainerResourceFieldSelector, then validateContainerResourceDivisor (divisors compared in canonical form). */
function resourceSelector(fs: JsonObject, volume: boolean, at: FieldPath, apiAt: FieldPath, out: Finding[]): void {
  const resource = typeof fs.resource === 'string' ? fs.resource : '';
  if (volume && (typeof fs.containerName !== 'string' || fs.containerName === '')) {
    push(out, 'resource-field-ref', at, [...apiAt, 'containerName'], 'FieldValueRequired', '', '', 'Required value: containerName: a volume file needs the container whose resources it holds');
  } else if (resource === '') {
    return; // the schema's missing required field
  } else if (!RESOURCES.includes(resource) && !HUGEPAGES.test(resource)) {
    push(out, 'resource-field-ref', [...at, 'resource'], [...apiAt, 'resource'], 'FieldValueNotSupported', resource, '',
      `Unsupported value: ${JSON.stringify(resource)}: supported values: ${RESOURCES.map((s) => JSON.stringify(s)).join(', ')}`, RESOURCES);
  }
  const divisor = fs.divisor;
  if ((typeof divisor !== 'string' && typeof divisor !== 'number') || canonicalQty(divisor) === '0') return;
  const text = canonicalQty(divisor);
  let detail: string | undefined;
  if (resource === 'limits.cpu' || resource === 'requests.cpu') {
    if (!CPU_DIVISORS.has(text)) detail = "only divisor's values 1m and 1 are supported with the cpu resource";
  } else if (resource === 'limits.memory' || resource === 'requests.memory') {
    if (!BYTE_DIVISORS.has(text)) detail = `${BYTE_DIVISOR_LIST} memory resource`;
  } else if (resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') {
    if (!BYTE_DIVISORS.has(text)) detail = `${BYTE_DIVISOR_LIST} local ephemeral storage resource`;
  } else if (HUGEPAGES.test(resource) && !BYTE_DIVISORS.has(text)) {
    detail = `${BYTE_DIVISOR_LIST} hugepages resource`;
  }
  // Upstream reports the resource name as the divisor's value.
  if (detail) push(out, 'resource-field-ref', [...at, 'divisor'], [...apiAt, 'divisor'], 'FieldValueInvalid', resource, detail, `Invalid value: ${JSON.stringify(resource)}: ${detail}`);
}
