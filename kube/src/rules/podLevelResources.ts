/**
 * Pod-level `spec.resources` (PodLevelResources, beta and on in 1.34) as ValidatePodSpec's validatePodResources
 * checks them (pkg/apis/core/validation/validation.go):
 * - no `claims` ("claims cannot be set for Resources at pod-level");
 * - validatePodResourceRequirements: each name a pod may set (validatePodResourceName: cpu, memory and huge pages,
 *   anything else "Unsupported value"), the quantities (huge pages in whole pages), a request no more than its
 *   limit, huge pages only beside cpu or memory, as for a container;
 * - validatePodResourceConsistency: the pod requests at least what its containers request together
 *   (AggregateContainerRequests, every resource they name; one the pod does not request counts as 0), and no
 *   regular container's limit is above the pod's limit for that resource.
 * A Pod is checked as the apiserver sees it after SetDefaults_Pod (containers' limits copied into missing requests,
 * pod-level requests defaulted); a workload's template is not defaulted, upstream neither.
 */
import { aggregate, defaultContainerRequests, defaultPodLevelResources, qtyMap } from '../podResources';
import { cmpQty, formatQty, type Qty } from '../qty';
import { isSupportedPodLevelResource, resourceNameErrors, SUPPORTED_POD_LEVEL } from '../resourceNames';
import type { JsonObject, Rule } from './context';
import { apiFinding, invalidBare, isObject, keyedAt, podSpecSites } from './context';
import { checkRequestsAgainstLimits, checkSide } from './resources';
import type { FieldPath, Finding } from './types';

/** A pod-level resource name: a valid one, and one of those validatePodResourceName allows. */
function podLevelName(name: string, path: FieldPath, out: Finding[]): void {
  const nameErrs = resourceNameErrors(name);
  for (const d of nameErrs) out.push({ ...keyedAt(invalidBare('invalid-resource-name', path, name, d)), target: 'key' });
  if (!nameErrs.length && !isSupportedPodLevelResource(name)) {
    // field.NotSupported with the ResourceName, which prints bare (a fmt.Stringer), and sets.List's sorted names.
    const f = keyedAt(apiFinding('invalid-resource-name', path, 'FieldValueNotSupported', name, '',
      `Unsupported value: ${name}: supported values: ${SUPPORTED_POD_LEVEL.map((s) => JSON.stringify(s)).join(', ')}`));
    f.apiError = { ...f.apiError!, valueText: name, supported: [...SUPPORTED_POD_LEVEL] };
    out.push({ ...f, target: 'key' });
  }
}

/** The spec as validation sees it: a Pod's defaulted (on a copy), a template's as written. */
function effectiveSpec(spec: JsonObject, template: boolean): JsonObject {
  if (template) return spec;
  const copy = JSON.parse(JSON.stringify(spec)) as JsonObject;
  for (const list of [copy.containers, copy.initContainers]) if (Array.isArray(list)) for (const c of list) defaultContainerRequests(c as JsonObject);
  defaultPodLevelResources({ spec: copy });
  return copy;
}

export const podLevelResourcesRule: Rule = {
  codes: ['pod-resources-claims', 'pod-requests-below-containers', 'container-limit-above-pod'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      if (!isObject(site.spec.resources)) continue;
      const at = [...site.specPath, 'resources'];
      const spec = effectiveSpec(site.spec, site.template);
      const res = spec.resources as JsonObject;
      if (res.claims !== undefined && res.claims !== null) {
        out.push({ ...apiFinding('pod-resources-claims', [...at, 'claims'], 'FieldValueForbidden', undefined, 'claims cannot be set for Resources at pod-level'), target: 'key' });
      }
      // validateResourceRequirements with validatePodResourceName.
      const limits = isObject(res.limits) ? checkSide(res.limits, [...at, 'limits'], out, podLevelName) : new Map<string, Qty>();
      const requests = isObject(res.requests) ? checkSide(res.requests, [...at, 'requests'], out, podLevelName) : new Map<string, Qty>();
      checkRequestsAgainstLimits(requests, limits, at, out);
      // validatePodResourceConsistency: requests first, then each regular container's limits.
      const totals = aggregate({ spec }, 'requests');
      for (const name of [...totals.keys()].sort()) {
        const want = totals.get(name)!;
        const have = requests.get(name);
        if (have && cmpQty(want, have) <= 0) continue;
        if (!have && want.nanos <= 0n) continue;
        const value = have ? formatQty(have) : '0';
        const detail = `must be greater than or equal to aggregate container requests of ${formatQty(want)}`;
        out.push({ code: 'pod-requests-below-containers', severity: 'error', path: have ? [...at, 'requests', name] : at, target: have ? undefined : 'key',
          message: `Invalid value: ${JSON.stringify(value)}: ${detail} (${name})`,
          apiError: { type: 'FieldValueInvalid', value, detail, apiPath: [...at, `requests[${name}]`] } });
      }
      if (!limits.size) continue;
      const containers = Array.isArray(spec.containers) ? spec.containers : [];
      containers.forEach((c, i) => {
        const own = isObject(c) ? qtyMap((c.resources as JsonObject | undefined)?.limits) : new Map<string, Qty>();
        for (const name of [...own.keys()].sort()) {
          const podLim = limits.get(name);
          const lim = own.get(name)!;
          if (!podLim || cmpQty(lim, podLim) <= 0) continue;
          const value = formatQty(lim);
          const detail = `must be less than or equal to pod limits of ${formatQty(podLim)}`;
          out.push({ code: 'container-limit-above-pod', severity: 'error', path: [...site.specPath, 'containers', i, 'resources', 'limits', name],
            message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value, detail, apiPath: [...at, `containers[${i}][${name}]`, 'limits'] } });
        }
      });
    }
  },
};
