/**
 * The few checks the apiserver's own validation makes that the shared rules
 * do not (yet) report, so the playground never stores what a cluster would
 * refuse. Duplicates of a rule's finding collapse in the aggregate message.
 */
import type { KObject } from '../contract';
import type { FieldError } from './status';

const nonNegative = (errs: FieldError[], field: string, v: unknown) => {
  if (typeof v === 'number' && v < 0) errs.push({ type: 'FieldValueInvalid', field, value: v, detail: 'must be greater than or equal to 0' });
};

function podSpec(errs: FieldError[], prefix: string, spec: any): void {
  if (!spec || typeof spec !== 'object') return;
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push({ type: 'FieldValueRequired', field: `${prefix}.containers`, detail: '' });
}

export function registryChecks(id: string, o: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const s = o.spec;
  switch (id) {
    case 'apps/deployments':
    case 'apps/replicasets':
    case 'apps/statefulsets':
    case '/replicationcontrollers':
      nonNegative(errs, 'spec.replicas', s?.replicas);
      podSpec(errs, 'spec.template.spec', s?.template?.spec);
      break;
    case 'apps/daemonsets':
      podSpec(errs, 'spec.template.spec', s?.template?.spec);
      break;
    case 'batch/jobs':
      nonNegative(errs, 'spec.parallelism', s?.parallelism);
      nonNegative(errs, 'spec.completions', s?.completions);
      nonNegative(errs, 'spec.backoffLimit', s?.backoffLimit);
      podSpec(errs, 'spec.template.spec', s?.template?.spec);
      break;
    case '/pods':
      podSpec(errs, 'spec', s);
      break;
  }
  return errs;
}
