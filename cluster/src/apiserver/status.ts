/**
 * Upstream-shaped failures. Every verb of the Api throws `StatusError`
 * carrying a metav1.Status exactly as k8s.io/apimachinery/pkg/api/errors
 * builds it, so the HTTP layer can send `err.status` as the body and
 * `err.status.code` as the HTTP status, and kubectl prints what it prints
 * against a real cluster.
 */

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

export class StatusError extends Error {
  constructor(readonly status: Status) {
    super(status.message);
    this.name = 'StatusError';
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** What the errors name an object by: `deployments.apps` (resource) or `Deployment.apps` (kind). */
export interface Qualified {
  group: string;
  resource: string;
  kind?: string;
}

function qualifiedResource(q: Qualified): string {
  return q.group ? `${q.resource}.${q.group}` : q.resource;
}

function failure(code: number, reason: string, message: string, details?: Status['details']): StatusError {
  const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) s.details = details;
  return new StatusError(s);
}

export function notFound(q: Qualified, name: string): StatusError {
  return failure(404, 'NotFound', `${qualifiedResource(q)} "${name}" not found`, { name, group: q.group || undefined, kind: q.resource });
}

export function alreadyExists(q: Qualified, name: string): StatusError {
  return failure(409, 'AlreadyExists', `${qualifiedResource(q)} "${name}" already exists`, { name, group: q.group || undefined, kind: q.resource });
}

export function conflict(q: Qualified, name: string, detail: string): StatusError {
  return failure(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(q)} "${name}": ${detail}`, {
    name,
    group: q.group || undefined,
    kind: q.resource,
  });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function staleConflict(q: Qualified, name: string): StatusError {
  return conflict(q, name, OBJECT_MODIFIED);
}

/** A field error as upstream's field.Error: `<field>: <Type string>[: <value>][: <detail>]`. */
export interface FieldError {
  type: string;
  field: string;
  value?: unknown;
  /** Leave the value out of the message (Required, Forbidden, TooLong, or when the rule gave none). */
  omitValue?: boolean;
  /** The value already formatted as Go would print it (structs such as v1.LabelSelector). */
  valueText?: string;
  detail?: string;
}

const TYPE_STRINGS: Record<string, string> = {
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

/** field.Error.ErrorBody(). */
export function errorBody(e: FieldError): string {
  const t = TYPE_STRINGS[e.type] ?? e.type;
  let s: string;
  if (
    e.omitValue ||
    e.type === 'FieldValueRequired' ||
    e.type === 'FieldValueForbidden' ||
    e.type === 'FieldValueTooLong' ||
    e.type === 'InternalError'
  ) {
    s = t;
  } else {
    s = `${t}: ${e.valueText ?? goValue(e.value)}`;
  }
  if (e.detail) s += `: ${e.detail}`;
  return s;
}

/** `utilerrors.NewAggregate(errs).Error()`: one message alone, several in brackets, duplicates dropped. */
export function aggregate(msgs: string[]): string {
  const seen: string[] = [];
  for (const m of msgs) if (!seen.includes(m)) seen.push(m);
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}

/** errors.NewInvalid: `Deployment.apps "x" is invalid: <aggregate>`. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const qk = group ? `${kind}.${group}` : kind;
  const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  const message = errs.length
    ? `${qk} "${name}" is invalid: ${aggregate(errs.map((e) => `${e.field}: ${errorBody(e)}`))}`
    : `${qk} "${name}" is invalid`;
  return failure(422, 'Invalid', message, { name, group: group || undefined, kind, causes });
}

export function badRequest(message: string): StatusError {
  return failure(400, 'BadRequest', message);
}

export function methodNotAllowed(message: string): StatusError {
  return failure(405, 'MethodNotAllowed', message);
}

/** errors.NewForbidden: `<resource> "<name>" is forbidden: <why>`. */
export function forbidden(q: Qualified, name: string, why: string): StatusError {
  const subject = name ? `${qualifiedResource(q)} "${name}"` : qualifiedResource(q);
  return failure(403, 'Forbidden', `${subject} is forbidden: ${why}`, { name: name || undefined, group: q.group || undefined, kind: q.resource });
}

export function gone(message: string): StatusError {
  return failure(410, 'Expired', message);
}

export function internal(message: string): StatusError {
  return failure(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

export function unsupportedMediaType(message: string): StatusError {
  return failure(415, 'UnsupportedMediaType', message);
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
    return `[]interface {}{${v.map(goIface).join(', ')}}`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  if (keys.every((k) => typeof o[k] === 'string')) {
    return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(', ')}}`;
  }
  return `map[string]interface {}{${keys.map((k) => `${JSON.stringify(k)}:${goIface(o[k])}`).join(', ')}}`;
}

function goIface(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}` : `${v}`;
  return goValue(v);
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
