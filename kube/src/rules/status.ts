/**
 * Upstream wording of validation failures, for the playground apiserver:
 * `field.Error.Error()` ("spec.replicas: Invalid value: -1: must be greater
 * than or equal to 0") and the `Status.message` of NewInvalid
 * (`Deployment.apps "web" is invalid: <error>` or `... is invalid: [<e1>, <e2>]`).
 */
import { formatApiMessage } from './context';
import { upstreamOrder } from './order';
import type { FieldPath, Finding } from './types';

/** `spec.template.spec.containers[0].image`, map keys as `[key]`, as field.Path prints. */
export function formatFieldPath(path: FieldPath): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    // `resources[storage]` is a field and its map key in one segment (claimSpec.ts `keyed`).
    else if (/^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?$/.test(seg) || s === '') s += (s ? '.' : '') + seg;
    else s += `[${seg}]`;
  }
  return s;
}

/**
 * The findings the apiserver refuses an object of `kind` for (those carrying
 * an upstream error), in upstream's order.
 */
export function apiErrors(findings: Finding[], kind?: string): Finding[] {
  const errs = findings.filter((f) => f.apiError && f.severity === 'error');
  return kind ? upstreamOrder(kind, errs) : errs;
}

/**
 * Whether a finding is about a StatefulSet's pod spec (not its restartPolicy,
 * which ValidateStatefulSetSpec has always checked). Kubernetes 1.34 validates
 * that pod spec on create (with the claim templates counted as volumes), but an
 * update of a set whose stored pod spec was already invalid skips it
 * (StatefulSetValidationOptions.SkipValidatePodTemplateSpec), so old sets stay editable.
 */
export function isStatefulSetPodSpecFinding(f: Finding): boolean {
  const p = f.apiError?.apiPath ?? f.path;
  return p[0] === 'spec' && p[1] === 'template' && p[2] === 'spec' && f.code !== 'restart-policy';
}

/**
 * Whether a finding is about a StatefulSet's volumeClaimTemplates specs, which
 * Kubernetes 1.34 validates (ValidateVolumeClaimTemplates) except on an update
 * of a set whose stored templates were already invalid
 * (StatefulSetValidationOptions.SkipValidateVolumeClaimTemplates). A malformed
 * quantity stays a decode error either way.
 */
export function isStatefulSetClaimTemplateFinding(f: Finding): boolean {
  const p = f.apiError?.apiPath ?? f.path;
  return p[0] === 'spec' && p[1] === 'volumeClaimTemplates' && p[3] === 'spec' && f.code !== 'invalid-quantity';
}

/** One upstream field error string. */
export function fieldErrorString(f: Finding): string {
  const e = f.apiError!;
  if (e.omitValue) return `${formatFieldPath(e.apiPath ?? f.path)}: ${e.type === 'FieldValueInvalid' ? 'Invalid value' : e.type}: ${e.detail ?? ''}`;
  return `${formatFieldPath(e.apiPath ?? f.path)}: ${formatApiMessage(e.type, e.value, e.detail ?? '', e.supported, e.valueText)}`;
}

/**
 * `Status.message` for a 422 Invalid: `qualifiedKind` is `Deployment.apps`
 * (or `Pod` for the core group).
 */
export function invalidMessage(qualifiedKind: string, name: string, findings: Finding[]): string {
  const errs = apiErrors(findings, qualifiedKind.split('.')[0]).map(fieldErrorString);
  // ErrorList.ToAggregate drops repeated messages; one error is printed bare, several in brackets.
  const unique = [...new Set(errs)];
  const body = unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
  return `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${body}`;
}
