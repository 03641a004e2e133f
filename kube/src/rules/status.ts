/**
 * Upstream wording of validation failures, for the playground apiserver:
 * `field.Error.Error()` ("spec.replicas: Invalid value: -1: must be greater
 * than or equal to 0") and the `Status.message` of NewInvalid
 * (`Deployment.apps "web" is invalid: <error>` or `... is invalid: [<e1>, <e2>]`).
 */
import { formatApiMessage } from './context';
import type { FieldPath, Finding } from './types';

/** `spec.template.spec.containers[0].image`, map keys as `[key]`, as field.Path prints. */
export function formatFieldPath(path: FieldPath): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg) || s === '') s += (s ? '.' : '') + seg;
    else s += `[${seg}]`;
  }
  return s;
}

/** The findings the apiserver refuses an object for (those carrying an upstream error). */
export function apiErrors(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.apiError && f.severity === 'error');
}

/** One upstream field error string. */
export function fieldErrorString(f: Finding): string {
  const e = f.apiError!;
  return `${formatFieldPath(e.apiPath ?? f.path)}: ${formatApiMessage(e.type, e.value, e.detail ?? '', e.supported)}`;
}

/**
 * `Status.message` for a 422 Invalid: `qualifiedKind` is `Deployment.apps`
 * (or `Pod` for the core group).
 */
export function invalidMessage(qualifiedKind: string, name: string, findings: Finding[]): string {
  const errs = apiErrors(findings).map(fieldErrorString);
  const body = errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  return `${qualifiedKind} ${JSON.stringify(name)} is invalid: ${body}`;
}
