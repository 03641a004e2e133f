/**
 * A container's resources as upstream's validateResourceRequirements checks
 * them: each name a container may ask for (`gpu` is no such name; a vendor's
 * `nvidia.com/gpu` is), no negative quantity, whole numbers of an extended
 * resource, an extended resource's request equal to its limit (and a limit
 * set), a request no more than its limit ("must be less than or equal to cpu
 * limit of 500m"), huge pages in whole pages ("3Mi is not positive integer
 * multiple of hugepages-2Mi") and only beside cpu or memory.
 */
import { cmpQty, formatQty, parseQty, type Qty } from '../qty';
import { containerResourceNameErrors, isHugePageResourceName, isHugePageResourceValueDivisible, isIntegerResourceName, isOvercommitAllowed } from '../resourceNames';
import type { JsonObject, Rule } from './context';
import { apiFinding, eachObject, invalidBare, isObject, keyedAt, podSpecSites } from './context';
import type { FieldPath, Finding } from './types';

/** A container's resource name: a standard one or a qualified extended one. */
function containerName(name: string, path: FieldPath, out: Finding[]): void {
  // A core.ResourceName or a Quantity prints bare (a fmt.Stringer), a string quoted; the message keys the map.
  for (const d of containerResourceNameErrors(name)) out.push({ ...keyedAt(invalidBare('invalid-resource-name', path, name, d)), target: 'key' });
}

/**
 * One map of a `resources` block (requests or limits) at `base`: each name as `checkName` wants it, each quantity
 * non-negative, whole where it must be, whole pages for huge pages. Answers the quantities by name.
 */
export function checkSide(side: JsonObject, base: FieldPath, out: Finding[], checkName: (name: string, path: FieldPath, out: Finding[]) => void = containerName): Map<string, Qty> {
  const quantities = new Map<string, Qty>();
  for (const name of Object.keys(side).sort()) {
    const path = [...base, name];
    checkName(name, path, out);
    const q = parseQty(side[name]);
    if (!q) continue; // the schema walk reports a malformed quantity
    quantities.set(name, q);
    if (q.nanos < 0n) out.push(keyedAt(apiFinding('invalid-resource-quantity', path, 'FieldValueInvalid', formatQty(q), 'must be greater than or equal to 0')));
    if (isIntegerResourceName(name) && q.nanos % 1_000_000_000n !== 0n) out.push(keyedAt(invalidBare('invalid-resource-quantity', path, formatQty(q), 'must be an integer')));
    // validateResourceQuantityHugePageValue: a whole number of pages (the value is the quantity's text, quoted).
    if (isHugePageResourceName(name) && !isHugePageResourceValueDivisible(name, q)) {
      out.push(keyedAt(apiFinding('invalid-resource-quantity', path, 'FieldValueInvalid', formatQty(q), `${formatQty(q)} is not positive integer multiple of ${name}`)));
    }
  }
  return quantities;
}

/**
 * validateResourceRequirements' checks across the two maps of one `resources` block at `at` (a container's or the
 * pod's): each request within its limit (equal to it for a resource that cannot be overcommitted, which must have
 * one), and huge pages only beside cpu or memory.
 */
export function checkRequestsAgainstLimits(requests: Map<string, Qty>, limits: Map<string, Qty>, at: FieldPath, out: Finding[]): void {
  const reqAt = [...at, 'requests'];
  for (const [name, q] of requests) {
    const lim = limits.get(name);
    if (lim) {
      // Both printed as Quantity.String() prints them: `0.5` is `500m`, `1.5Gi` is `1536Mi`.
      const value = formatQty(q);
      let detail: string | undefined;
      if (cmpQty(q, lim) !== 0 && !isOvercommitAllowed(name)) detail = `must be equal to ${name} limit of ${formatQty(lim)}`;
      else if (cmpQty(q, lim) > 0) detail = `must be less than or equal to ${name} limit of ${formatQty(lim)}`;
      if (detail) {
        // validateResourceRequirements reports it on the requests map, not the key.
        out.push({ code: 'request-above-limit', severity: 'error', path: [...reqAt, name], message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value, detail, apiPath: reqAt } });
      }
    } else if (!isOvercommitAllowed(name)) {
      out.push({ code: 'extended-resource-limit', severity: 'error', path: [...reqAt, name], target: 'key',
        message: `Required value: Limit must be set for non overcommitable resources (${name})`,
        apiError: { type: 'FieldValueRequired', detail: 'Limit must be set for non overcommitable resources', apiPath: [...at, 'limits'] } });
    }
  }
  const names = [...limits.keys(), ...requests.keys()];
  if (names.some(isHugePageResourceName) && !names.some((n) => n === 'cpu' || n === 'memory')) {
    out.push({ code: 'hugepages-alone', severity: 'error', path: at, target: 'key', message: 'Forbidden: HugePages require cpu or memory',
      apiError: { type: 'FieldValueForbidden', detail: 'HugePages require cpu or memory' } });
  }
}

export const resourcesRule: Rule = {
  codes: ['request-above-limit', 'invalid-resource-name', 'invalid-resource-quantity', 'extended-resource-limit', 'hugepages-alone'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const res = ctr.resources;
          if (!isObject(res)) return;
          const at = [...site.specPath, list, i, 'resources'];
          const limits = isObject(res.limits) ? checkSide(res.limits, [...at, 'limits'], out) : new Map<string, Qty>();
          const requests = isObject(res.requests) ? checkSide(res.requests, [...at, 'requests'], out) : new Map<string, Qty>();
          checkRequestsAgainstLimits(requests, limits, at, out);
        });
      }
    }
  },
};
