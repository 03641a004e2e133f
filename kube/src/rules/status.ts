/**
 * Upstream wording of validation failures, one implementation for the
 * playground apiserver (its 422 Status objects) and for tests and tools that
 * want to know what it would say: `field.Error.Error()` ("spec.replicas:
 * Invalid value: -1: must be greater than or equal to 0", from
 * k8s.io/apimachinery/pkg/util/validation/field/errors.go) and the
 * `Status.message` of errors.NewInvalid (`Deployment.apps "web" is invalid:
 * <error>` or `... is invalid: [<e1>, <e2>]`).
 */
import { upstreamOrder } from './order';
import type { FieldErrorType, FieldPath, Finding } from './types';

/**
 * A path as text. A FieldPath does not say which segments are map keys, so
 * both styles guess from the segment's spelling:
 * - `'bracket'` (the editor, the CLI): a segment that is no identifier is
 *   taken for a map key and printed `[key]`, as field.Path.Key prints it
 *   (`metadata.labels[app.kubernetes.io/name]`);
 * - `'dot'` (the apiserver): every name is joined with a dot, which is what
 *   the JSON decoder's field stack shows in `unknown field "…"` and what the
 *   apiserver has always printed in field errors (it keeps CRD fields such as
 *   `x-kubernetes-validations` dotted, as upstream's Child does).
 * Indexes print `[0]` in both. A segment that is already `name[key]`
 * (claimSpec.ts `keyed`) is one field and its key.
 */
export function formatFieldPath(path: FieldPath, style: 'bracket' | 'dot' = 'bracket'): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (style === 'dot' || s === '' || /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?$/.test(seg)) s += (s ? '.' : '') + seg;
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

/** A field error as upstream's field.Error: `<field>: <Type string>[: <value>][: <detail>]`. */
export interface FieldError {
  type: FieldErrorType | 'InternalError';
  /** The path as field.Path.String() prints it. */
  field: string;
  value?: unknown;
  /** Leave the value out of the message (field.OmitValueType, or when the rule gave none). */
  omitValue?: boolean;
  /** The value already formatted as Go would print it (structs such as v1.LabelSelector). */
  valueText?: string;
  detail?: string;
}

/** ErrorType.String(). */
const TYPE_STRINGS: Record<FieldError['type'], string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
  FieldValueTypeInvalid: 'Invalid value',
};

/** The types ErrorBody prints without their value, whatever it is. */
const VALUELESS = new Set<string>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

/** field.Error.ErrorBody(): the message without the field, which is also a Status cause's message. */
export function errorBody(e: FieldError): string {
  const t = TYPE_STRINGS[e.type] ?? e.type;
  let s = e.omitValue || VALUELESS.has(e.type) ? t : `${t}: ${e.valueText ?? goValue(e.value)}`;
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** field.Error.Error(): `<field>: <body>`. */
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${errorBody(e)}`;
}

/** `utilerrors.NewAggregate(errs).Error()` after ErrorList.ToAggregate: one message alone, several in brackets, duplicates dropped. */
export function aggregate(msgs: string[]): string {
  const seen: string[] = [];
  for (const m of msgs) if (!seen.includes(m)) seen.push(m);
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/** errors.NewInvalid's message: `Deployment.apps "x" is invalid: <aggregate>`, or no colon when there are no errors. */
export function invalidText(qualifiedKind: string, name: string, errs: FieldError[]): string {
  return errs.length ? `${qualifiedKind} "${name}" is invalid: ${aggregate(errs.map(fieldErrorText))}` : `${qualifiedKind} "${name}" is invalid`;
}

/**
 * The field error the apiserver reports for a finding: its upstream path,
 * NotSupported's `supported values: …` detail, no value when the rule gave
 * none (NotSupported always prints one), and the Go struct text of values
 * no JSON value prints as.
 */
export function findingFieldError(f: Finding): FieldError {
  const a = f.apiError!;
  let detail = a.detail;
  if (a.type === 'FieldValueNotSupported' && a.supported && !detail) detail = 'supported values: ' + a.supported.map((v) => JSON.stringify(v)).join(', ');
  const e: FieldError = {
    type: a.type, field: formatFieldPath(a.apiPath ?? f.path, 'dot'), value: a.value,
    omitValue: a.omitValue || (!('value' in a) && a.type !== 'FieldValueNotSupported'), detail,
  };
  // The value is a *metav1.LabelSelector, which field.Error prints as the dereferenced Go struct.
  if (f.code === 'empty-selector') e.valueText = goLabelSelector(a.value);
  else if (a.valueText !== undefined) e.valueText = a.valueText;
  return e;
}

/** One upstream field error string, as the apiserver prints it for this finding. */
export function fieldErrorString(f: Finding): string {
  return fieldErrorText(findingFieldError(f));
}

/**
 * `Status.message` for a 422 Invalid: `qualifiedKind` is `Deployment.apps`
 * (or `Pod` for the core group).
 */
export function invalidMessage(qualifiedKind: string, name: string, findings: Finding[]): string {
  return invalidText(qualifiedKind, name, apiErrors(findings, qualifiedKind.split('.')[0]).map(findingFieldError));
}

/**
 * Formats a JSON value the way Go's `%#v` prints the decoded value, which
 * is what upstream puts after "Invalid value:". Strings are quoted, numbers
 * and booleans bare, string maps as `map[string]string{"k":"v"}` (keys
 * sorted, as Go prints maps), string lists as `[]string{"a", "b"}`.
 */
export function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    if (v.every((x) => typeof x === 'number' && Number.isInteger(x))) return `[]int32{${v.join(', ')}}`;
    return `[]interface {}{${v.map(goValue).join(', ')}}`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.every((k) => typeof o[k] === 'string')) {
    return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(', ')}}`;
  }
  return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goValue(o[k])}`).join(', ')}}`;
}

/** `%#v` of a *metav1.LabelSelector, as immutability errors print it. */
export function goLabelSelector(ls: any): string {
  if (!ls) return 'null';
  const ml = ls.matchLabels ? goValue(ls.matchLabels) : 'map[string]string(nil)';
  const me = Array.isArray(ls.matchExpressions) && ls.matchExpressions.length
    ? `[]v1.LabelSelectorRequirement{${ls.matchExpressions
        .map((r: any) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(r.key)}, Operator:${JSON.stringify(r.operator)}, Values:${r.values ? goValue(r.values) : '[]string(nil)'}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

/**
 * The apiserver's decode error for a body whose kind its scheme does not know (transformDecodeError around the
 * scheme's notRegisteredErr): `deployment in version "v1" cannot be handled as a Deployment: no kind …`.
 */
export function notRegisteredMessage(kind: string, apiVersion: string, handledAs: string): string {
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${handledAs}: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(apiVersion)} in scheme "pkg/api/legacyscheme/scheme.go:30"`;
}
