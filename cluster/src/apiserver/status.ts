/**
 * Upstream-shaped failures. Every verb of the Api throws `StatusError`
 * carrying a metav1.Status exactly as k8s.io/apimachinery/pkg/api/errors
 * builds it, so the HTTP layer can send `err.status` as the body and
 * `err.status.code` as the HTTP status, and kubectl prints what it prints
 * against a real cluster. Field errors are worded by the rules' formatter
 * (kube/src/rules/status.ts), which the editor's tests share.
 */
import { errorBody, invalidText, type FieldError } from '../../../kube/src/rules/status';

export type { FieldError };

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

/** errors.NewInvalid: `Deployment.apps "x" is invalid: <aggregate>`, one cause per field error. */
export function invalid(group: string, kind: string, name: string, errs: FieldError[]): StatusError {
  const qk = group ? `${kind}.${group}` : kind;
  const causes = errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return failure(422, 'Invalid', invalidText(qk, name, errs), { name, group: group || undefined, kind, causes });
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

const MAX_UINT64 = 18446744073709551615n;

/**
 * The error strconv.ParseUint(rv, 10, 64) returns, as APIObjectVersioner hands it on (`strconv.ParseUint: parsing
 * "x": invalid syntax` or `value out of range`), or undefined for a resourceVersion it reads. "" is 0 there.
 */
export function resourceVersionParseError(rv: string): string | undefined {
  if (rv === '') return undefined;
  let why: string | undefined;
  if (!/^[0-9]+$/.test(rv)) why = 'invalid syntax';
  else if (rv.length > 19 && BigInt(rv) > MAX_UINT64) why = 'value out of range';
  return why && `strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${why}`;
}

/**
 * A plain Go error that reaches the handler (responsewriters.ErrorToAPIStatus): 500 with its text, reason Unknown,
 * which is "" and so left out, and no details.
 */
export function unknownError(message: string): StatusError {
  return new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, message } as Status);
}

export function unsupportedMediaType(message: string): StatusError {
  return failure(415, 'UnsupportedMediaType', message);
}
