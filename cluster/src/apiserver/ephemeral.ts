/**
 * The pods/ephemeralcontainers subresource, as `kubectl debug` uses it: the
 * only way to change a pod's ephemeral containers, and only to add one.
 * Upstream's ValidatePodEphemeralContainersUpdate: an existing ephemeral
 * container may be neither removed nor changed, a new one needs a unique,
 * valid name and an image, and the fields a pod relies on (ports, probes,
 * lifecycle, resources, restart policy) cannot be set on it.
 */
import { isDNS1123Label } from '../../../kube/src/names';
import { deepEqual } from '../runtime/objects';
import type { KObject } from '../contract';
import type { FieldError } from './status';

/** EphemeralContainerCommon fields upstream does not allow (allowedEphemeralContainerFields), by JSON name. */
const NOT_ALLOWED = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

export function ephemeralContainerErrors(oldPod: KObject, newPod: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.ephemeralContainers';
  const next: any[] = newPod.spec?.ephemeralContainers ?? [];
  const prev: any[] = oldPod.spec?.ephemeralContainers ?? [];
  const byName = new Map(next.map((c) => [c?.name, c]));
  const taken = new Set<string>([...(newPod.spec?.containers ?? []), ...(newPod.spec?.initContainers ?? [])].map((c: any) => c.name));
  next.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (prev.some((o) => o.name === c?.name)) { taken.add(c.name); return; }
    if (!c?.name) errs.push({ type: 'FieldValueRequired', field: `${at}.name`, omitValue: true, detail: '' });
    else {
      for (const detail of isDNS1123Label(c.name)) errs.push({ type: 'FieldValueInvalid', field: `${at}.name`, value: c.name, detail });
      if (taken.has(c.name)) errs.push({ type: 'FieldValueDuplicate', field: `${at}.name`, value: c.name });
      taken.add(c.name);
    }
    if (!c?.image) errs.push({ type: 'FieldValueRequired', field: `${at}.image`, omitValue: true, detail: '' });
    for (const f of NOT_ALLOWED) {
      const v = c?.[f];
      if (v === undefined || v === null || (Array.isArray(v) && !v.length) || (typeof v === 'object' && !Array.isArray(v) && !Object.keys(v).length)) continue;
      errs.push({ type: 'FieldValueForbidden', field: `${at}.${f}`, omitValue: true, detail: 'cannot be set for an Ephemeral Container' });
    }
    // A subPath mount is a bind mount that outlives the container until the pod ends: not for a debugging container.
    (c?.volumeMounts ?? []).forEach((vm: any, j: number) => {
      if (vm?.subPath) errs.push({ type: 'FieldValueForbidden', field: `${at}.volumeMounts[${j}].subPath`, omitValue: true, detail: 'cannot be set for an Ephemeral Container' });
      if (vm?.subPathExpr) errs.push({ type: 'FieldValueForbidden', field: `${at}.volumeMounts[${j}].subPathExpr`, omitValue: true, detail: 'cannot be set for an Ephemeral Container' });
    });
    // A targeted container must be one of the pod's own (kubectl debug --target).
    if (c?.targetContainerName && ![...(newPod.spec?.containers ?? []), ...(newPod.spec?.initContainers ?? [])].some((x: any) => x.name === c.targetContainerName)) {
      errs.push({ type: 'FieldValueNotFound', field: `${at}.targetContainerName`, value: c.targetContainerName });
    }
  });
  for (const old of prev) {
    const now = byName.get(old.name);
    if (!now) errs.push({ type: 'FieldValueForbidden', field: path, omitValue: true, detail: `existing ephemeral containers ${JSON.stringify(old.name)} may not be removed\n` });
    else if (!deepEqual(old, now)) errs.push({ type: 'FieldValueForbidden', field: path, omitValue: true, detail: `existing ephemeral containers ${JSON.stringify(old.name)} may not be changed` });
  }
  return errs;
}
