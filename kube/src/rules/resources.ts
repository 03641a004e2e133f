/**
 * A container may not request more of a resource than its limit (upstream
 * ValidateResourceRequirements): "must be less than or equal to cpu limit of 500m".
 */
import { canonicalQty } from '../qty';
import { parseQuantity } from '../quantity';
import type { Rule } from './context';
import { eachObject, isObject, podSpecSites } from './context';

export const resourcesRule: Rule = {
  codes: ['request-above-limit'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const res = ctr.resources;
          if (!isObject(res) || !isObject(res.requests) || !isObject(res.limits)) return;
          const { requests, limits } = res;
          for (const name in requests) {
            const req = requests[name];
            const lim = limits[name];
            if ((typeof req !== 'string' && typeof req !== 'number') || (typeof lim !== 'string' && typeof lim !== 'number')) continue;
            let over: boolean;
            try {
              over = parseQuantity(req) > parseQuantity(lim);
            } catch {
              continue; // bad syntax is the schema walk's invalid-quantity
            }
            if (!over) continue;
            // Both printed as Quantity.String() prints them: `0.5` is `500m`, `1.5Gi` is `1536Mi`.
            const detail = `must be less than or equal to ${name} limit of ${canonicalQty(lim)}`;
            const value = canonicalQty(req);
            out.push({ code: 'request-above-limit', severity: 'error', path: [...site.specPath, list, i, 'resources', 'requests', name],
              message: `Invalid value: ${JSON.stringify(value)}: ${detail}`,
              // validateResourceRequirements reports it on the requests map, not the key.
              apiError: { type: 'FieldValueInvalid', value, detail, apiPath: [...site.specPath, list, i, 'resources', 'requests'] } });
          }
        });
      }
    }
  },
};
