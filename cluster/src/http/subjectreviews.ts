/**
 * The reviews a component asks on someone else's behalf: SubjectAccessReview
 * (cluster-scoped) and LocalSubjectAccessReview (namespaced) answer whether
 * the user in the spec may do something (pkg/registry/authorization/
 * subjectaccessreview, localsubjectaccessreview), and TokenReview says whom a
 * bearer token stands for (pkg/registry/authentication/tokenreview). Creating
 * them is an ordinary RBAC-checked create: `system:auth-delegator` grants
 * tokenreviews and subjectaccessreviews, `admin` localsubjectaccessreviews.
 */
import type { UserInfo } from '../auth/issuer';
import { API_AUDIENCES } from '../auth/issuer';
import { authorize, MASTERS, type RequestAttributes } from '../auth/rbac';
import { badRequest, invalid, type FieldError } from '../apiserver/status';
import type { AuthSources } from './auth';

const AUTHZ = 'authorization.k8s.io';

/** Go's %#v-like String() of the attribute structs, as field.Invalid prints a pointer to one. */
function nonResourceText(nra: any): string {
  return `&NonResourceAttributes{Path:${String(nra?.path ?? '')},Verb:${String(nra?.verb ?? '')},}`;
}

/** ValidateSubjectAccessReviewSpec. */
function specErrors(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  if (ra && nra) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', valueText: nonResourceText(nra), detail: 'cannot be specified in combination with resourceAttributes' });
  if (!ra && !nra) errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: 'null', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' });
  const groups = Array.isArray(spec?.groups) ? spec.groups : [];
  if (!spec?.user && groups.length === 0) errs.push({ type: 'FieldValueInvalid', field: 'spec.user', value: String(spec?.user ?? ''), detail: 'at least one of user or group must be specified' });
  return errs;
}

/**
 * AuthorizationAttributesFrom(spec): the user exactly as the spec gives it — no system:authenticated or
 * service-account groups are added — and the attributes of the request asked about.
 */
function attributesOf(spec: any): { user: UserInfo; a: RequestAttributes } {
  const user: UserInfo = { username: String(spec?.user ?? ''), groups: Array.isArray(spec?.groups) ? spec.groups.map(String) : [] };
  if (spec?.uid) user.uid = String(spec.uid);
  if (spec?.extra && typeof spec.extra === 'object') user.extra = spec.extra;
  const ra = spec?.resourceAttributes;
  const nra = spec?.nonResourceAttributes;
  const a: RequestAttributes = ra
    ? { verb: String(ra.verb ?? ''), apiGroup: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined }
    : { verb: String(nra?.verb ?? ''), path: String(nra?.path ?? '') };
  return { user, a };
}

/**
 * The status the apiserver's authorizer chain gives (privileged group, then RBAC): `allowed` with RBAC's
 * "allowed by" reason, or no opinion — not `denied`, which only a deny-capable authorizer (a webhook) sets — with
 * the missing roles as reason. Go omits the false booleans and the empty reason.
 */
function accessStatus(spec: any, auth: AuthSources | undefined): Record<string, unknown> {
  const { user, a } = attributesOf(spec);
  const d = user.groups.includes(MASTERS) || !auth ? { allowed: user.groups.includes(MASTERS) } : authorize(auth.store, user, a);
  return { ...(d.allowed ? { allowed: true } : { allowed: false }), ...('reason' in d && d.reason ? { reason: d.reason } : {}) };
}

const base = (apiVersion: string, kind: string, body: any, metadata: Record<string, unknown>) => ({ ...body, apiVersion, kind, metadata: { ...metadata, creationTimestamp: null } });

/** POST subjectaccessreviews: may `spec.user` (with `spec.groups`) do what the spec says? */
export function subjectAccessReview(body: any, auth: AuthSources | undefined): unknown {
  const errs = specErrors(body?.spec);
  if (errs.length) throw invalid(AUTHZ, 'SubjectAccessReview', '', errs);
  return { ...base(`${AUTHZ}/v1`, 'SubjectAccessReview', body, { ...(body?.metadata ?? {}) }), status: accessStatus(body.spec, auth) };
}

/**
 * POST namespaces/{ns}/localsubjectaccessreviews: the same question inside one namespace. The object's namespace
 * is the URL's (a different one is refused before validation, as for every namespaced create), and
 * ValidateLocalSubjectAccessReview wants the resource attributes in it and no non-resource attributes.
 */
export function localSubjectAccessReview(body: any, ns: string, auth: AuthSources | undefined): unknown {
  const given = body?.metadata?.namespace;
  if (given && given !== ns) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const errs = specErrors(body?.spec);
  const ra = body?.spec?.resourceAttributes;
  if (ra && String(ra.namespace ?? '') !== ns) errs.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', value: String(ra.namespace ?? ''), detail: 'must match metadata.namespace' });
  const nra = body?.spec?.nonResourceAttributes;
  if (nra) errs.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', valueText: nonResourceText(nra), detail: 'disallowed on this kind of request' });
  if (errs.length) throw invalid(AUTHZ, 'LocalSubjectAccessReview', '', errs);
  return { ...base(`${AUTHZ}/v1`, 'LocalSubjectAccessReview', body, { ...(body?.metadata ?? {}), namespace: ns }), status: accessStatus(body.spec, auth) };
}

/**
 * POST tokenreviews: the token is authenticated as a request bearing it would be, for `spec.audiences` (the API's
 * own when none are given). A token no authenticator recognises gets the bearer-token authenticator's
 * `invalid bearer token`; one the service-account authenticator rejects, its reason.
 */
export function tokenReview(body: any, auth: AuthSources | undefined): unknown {
  const token = String(body?.spec?.token ?? '');
  if (!token) throw badRequest('token is required for TokenReview in authentication');
  const out = base('authentication.k8s.io/v1', 'TokenReview', body, { ...(body?.metadata ?? {}) });
  if (!auth) return { ...out, status: { user: {} } };
  const requested: string[] = Array.isArray(body?.spec?.audiences) && body.spec.audiences.length ? body.spec.audiences.map(String) : API_AUDIENCES;
  const v = auth.tokens.review(token, requested);
  if (!v.user) return { ...out, status: { user: {}, error: v.error ?? 'invalid bearer token' } };
  const u = v.user;
  const user = { username: u.username, ...(u.uid ? { uid: u.uid } : {}), groups: u.groups, ...(u.extra && Object.keys(u.extra).length ? { extra: u.extra } : {}) };
  return { ...out, status: { authenticated: true, user, audiences: v.audiences } };
}
