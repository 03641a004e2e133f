/**
 * Container restart policies and native sidecars, as upstream's
 * validateInitContainers and validateContainers check them (Kubernetes 1.34
 * with the alpha ContainerRestartRules gate off):
 *   - an init container's restartPolicy may only be Always, which makes it a
 *     sidecar that runs next to the app containers;
 *   - lifecycle hooks and probes belong to sidecars: an init container that
 *     runs to completion may not have them;
 *   - a regular container takes no restartPolicy of its own.
 */
import type { Rule } from './context';
import { eachObject, podSpecSites } from './context';

const SIDECAR_ONLY = ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const;

export const sidecarsRule: Rule = {
  codes: ['container-restart-policy', 'init-container-field'],
  check(obj, ctx, out) {
    for (const site of podSpecSites(obj, ctx.kind)) {
      eachObject(site.spec.initContainers, (ctr, i) => {
        const base = [...site.specPath, 'initContainers', i];
        const rp = ctr.restartPolicy;
        if (rp !== undefined && rp !== null && rp !== 'Always') {
          out.push({ code: 'container-restart-policy', severity: 'error', path: [...base, 'restartPolicy'],
            message: `Unsupported value: ${JSON.stringify(rp)}: supported values: "Always". An init container either runs to completion (no restartPolicy) or is a sidecar that keeps running (Always).`,
            apiError: { type: 'FieldValueNotSupported', value: rp, supported: ['Always'] }, data: { allowed: ['Always'] } });
        }
        if (rp === 'Always') return;
        for (const f of SIDECAR_ONLY) {
          if (ctr[f] === undefined || ctr[f] === null) continue;
          const detail = 'may not be set for init containers without restartPolicy=Always';
          out.push({ code: 'init-container-field', severity: 'error', path: [...base, f], target: 'key',
            message: `Forbidden: ${detail}. Only a sidecar (an init container with restartPolicy: Always) has ${f === 'lifecycle' ? 'lifecycle hooks' : 'probes'}.`,
            apiError: { type: 'FieldValueForbidden', detail } });
        }
      });
      eachObject(site.spec.containers, (ctr, i) => {
        if (ctr.restartPolicy === undefined || ctr.restartPolicy === null) return;
        const detail = 'may not be set for non-init containers';
        out.push({ code: 'container-restart-policy', severity: 'error', path: [...site.specPath, 'containers', i, 'restartPolicy'], target: 'key',
          message: `Forbidden: ${detail}. Containers follow the pod's restartPolicy; to run a sidecar, declare it under initContainers with restartPolicy: Always.`,
          apiError: { type: 'FieldValueForbidden', detail } });
      });
    }
  },
};
