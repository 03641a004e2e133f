/**
 * Container rules from upstream pod validation: an image is required, names
 * are unique DNS-1123 labels across containers and initContainers, and ports
 * are in range with unique, well-formed names per container.
 */
import { isDNS1123Label } from '../names';
import type { JsonObject, Rule } from './context';
import { eachObject, podSpecSites } from './context';
import { portNameErrors, portNumErrors } from './ports';
import type { FieldPath, Finding } from './types';

function checkPorts(ctr: JsonObject, base: FieldPath, out: Finding[]): void {
  const seen = new Set<string>();
  eachObject(ctr.ports, (port, j) => {
    const pp = [...base, 'ports', j];
    const name = port.name;
    if (typeof name === 'string' && name !== '') {
      const errs = portNameErrors(name);
      for (const detail of errs) {
        out.push({ code: 'invalid-port-name', severity: 'error', path: [...pp, 'name'], message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: name, detail } });
      }
      if (!errs.length && seen.has(name)) {
        out.push({ code: 'duplicate-port-name', severity: 'error', path: [...pp, 'name'], message: `Duplicate value: ${JSON.stringify(name)}: port names must be unique in a container`,
          apiError: { type: 'FieldValueDuplicate', value: name } });
      }
      seen.add(name);
    }
    for (const f of ['containerPort', 'hostPort'] as const) {
      const n = port[f];
      if (typeof n !== 'number' || (f === 'hostPort' && n === 0)) continue;
      if (n === 0) {
        out.push({ code: 'port-range', severity: 'error', path: [...pp, f], message: 'Required value: containerPort must be set (1-65535)',
          apiError: { type: 'FieldValueRequired', detail: '' } });
        continue;
      }
      for (const detail of portNumErrors(n)) {
        out.push({ code: 'port-range', severity: 'error', path: [...pp, f], message: `Invalid value: ${n}: ${detail}`,
          apiError: { type: 'FieldValueInvalid', value: n, detail } });
      }
    }
  });
}

export const containersRule: Rule = {
  codes: ['missing-image', 'duplicate-container-name', 'invalid-container-name', 'invalid-port-name', 'duplicate-port-name', 'port-range'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const names = new Set<string>();
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          const base = [...site.specPath, list, i];
          const name = ctr.name;
          if (typeof name === 'string' && name !== '') {
            for (const detail of isDNS1123Label(name)) {
              out.push({ code: 'invalid-container-name', severity: 'error', path: [...base, 'name'], message: `Invalid value: ${JSON.stringify(name)}: ${detail}`,
                apiError: { type: 'FieldValueInvalid', value: name, detail } });
            }
            if (names.has(name)) {
              out.push({ code: 'duplicate-container-name', severity: 'error', path: [...base, 'name'], message: `Duplicate value: ${JSON.stringify(name)}: container names must be unique in a pod`,
                apiError: { type: 'FieldValueDuplicate', value: name } });
            }
            names.add(name);
          }
          if (typeof ctr.image !== 'string' || ctr.image === '') {
            out.push({ code: 'missing-image', severity: 'error', path: [...base, 'image'], target: 'key', message: `Required value: container ${JSON.stringify(name ?? i)} has no image`,
              apiError: { type: 'FieldValueRequired', detail: '' }, data: { container: name } });
          }
          checkPorts(ctr, base, out);
        });
      }
    }
  },
};
