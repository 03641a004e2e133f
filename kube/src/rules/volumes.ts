/**
 * Volume rules from upstream pod validation: volume names are unique DNS-1123
 * labels, and every volumeMount names a declared volume (a StatefulSet's
 * volumeClaimTemplates count as declared).
 */
import { isDNS1123Label } from '../names';
import type { Rule } from './context';
import { eachObject, get, podSpecSites } from './context';

export const volumesRule: Rule = {
  codes: ['duplicate-volume-name', 'invalid-volume-name', 'undeclared-volume'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      const declared = new Set<string>();
      eachObject(site.spec.volumes, (vol, i) => {
        const name = vol.name;
        if (typeof name !== 'string' || name === '') return;
        const path = [...site.specPath, 'volumes', i, 'name'];
        for (const detail of isDNS1123Label(name)) {
          out.push({ code: 'invalid-volume-name', severity: 'error', path, message: `Invalid volume name ${JSON.stringify(name)}: ${detail}`,
            apiError: { type: 'FieldValueInvalid', value: name, detail } });
        }
        if (declared.has(name)) {
          out.push({ code: 'duplicate-volume-name', severity: 'error', path, message: `Duplicate value: ${JSON.stringify(name)}: volume names must be unique in a pod`,
            apiError: { type: 'FieldValueDuplicate', value: name } });
        }
        declared.add(name);
      });
      const claimTemplates = ctx.kind === 'StatefulSet';
      if (claimTemplates) eachObject(get(obj, ['spec', 'volumeClaimTemplates']), (t) => { const n = get(t, ['metadata', 'name']); if (typeof n === 'string') declared.add(n); });
      for (const list of ['containers', 'initContainers'] as const) {
        eachObject(site.spec[list], (ctr, i) => {
          eachObject(ctr.volumeMounts, (mnt, j) => {
            const name = mnt.name;
            if (typeof name !== 'string' || name === '' || declared.has(name)) return;
            out.push({
              code: 'undeclared-volume', severity: 'error', path: [...site.specPath, list, i, 'volumeMounts', j, 'name'],
              message: `Not found: ${JSON.stringify(name)}: no volume of that name is declared in ${site.specPath.concat('volumes').join('.')}`,
              // A StatefulSet's claim templates count as volumes (upstream adds them before validating its pod spec).
              apiError: { type: 'FieldValueNotFound', value: name },
              data: { volume: name, volumesPath: [...site.specPath, 'volumes'] },
            });
          });
        });
      }
    }
  },
};
