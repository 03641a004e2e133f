/**
 * The review resources clients ask before acting: `kubectl auth can-i`
 * (SelfSubjectAccessReview, SelfSubjectRulesReview) and `kubectl auth whoami`
 * (SelfSubjectReview), answered for the user who asked, from RBAC; and the
 * ones asked for someone else (subjectreviews.ts), create-only as upstream
 * serves them (storage_authorization.go, storage_authentication.go).
 */
import type { ServedResource } from './resources';
import type { UserInfo } from '../auth/issuer';
import { authorize, MASTERS, rulesFor, type RequestAttributes } from '../auth/rbac';
import type { AuthSources } from './auth';
import { HttpStatusError, failure } from './status';
import { localSubjectAccessReview, subjectAccessReview, tokenReview } from './subjectreviews';

const review = (group: string, kind: string, resource: string, namespaced = false): ServedResource => ({
  group, version: 'v1', apiVersion: `${group}/v1`, kind, resource, singular: kind.toLowerCase(), namespaced,
  shortNames: [], categories: [], verbs: ['create'], definition: `io.k8s.api.${group.split('.')[0]}.v1.${kind}`, subresources: [],
});

export const REVIEW_RESOURCES: ServedResource[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authentication.k8s.io', 'TokenReview', 'tokenreviews'),
  review('authorization.k8s.io', 'SubjectAccessReview', 'subjectaccessreviews'),
  review('authorization.k8s.io', 'LocalSubjectAccessReview', 'localsubjectaccessreviews', true),
];

/** The answer to a created review for the user who asked (in namespace `ns`), or undefined when `r` is not one of them. */
export function answerReview(r: ServedResource, body: any, user: UserInfo, auth: AuthSources | undefined, ns?: string): unknown {
  const base = { ...body, apiVersion: r.apiVersion, kind: r.kind, metadata: { ...(body?.metadata ?? {}), creationTimestamp: null } };
  const masters = user.groups.includes(MASTERS);
  switch (r.resource) {
    case 'tokenreviews':
      return tokenReview(body, auth);
    case 'subjectaccessreviews':
      return subjectAccessReview(body, auth);
    case 'localsubjectaccessreviews':
      return localSubjectAccessReview(body, ns ?? '', auth);
    case 'selfsubjectreviews':
      return { ...base, status: { userInfo: user } };
    case 'selfsubjectaccessreviews': {
      const ra = body?.spec?.resourceAttributes;
      const nra = body?.spec?.nonResourceAttributes;
      if (!ra && !nra) {
        throw new HttpStatusError(failure(422, 'Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified', { kind: 'SelfSubjectAccessReview', group: 'authorization.k8s.io' }));
      }
      if (ra && nra) {
        throw new HttpStatusError(failure(422, 'Invalid', `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.nonResourceAttributes: Invalid value: ${goStruct(nra)}: cannot be specified in combination with resourceAttributes`, { kind: 'SelfSubjectAccessReview', group: 'authorization.k8s.io' }));
      }
      const a: RequestAttributes = ra
        ? { verb: String(ra.verb ?? ''), apiGroup: ra.group ?? '', resource: ra.resource ?? '', subresource: ra.subresource || undefined, namespace: ra.namespace || undefined, name: ra.name || undefined }
        : { verb: String(nra.verb ?? ''), path: String(nra.path ?? '') };
      const d = masters || !auth ? { allowed: masters } : authorize(auth.store, user, a);
      return { ...base, status: { allowed: d.allowed, ...('reason' in d && d.reason ? { reason: d.reason } : {}) } };
    }
    case 'selfsubjectrulesreviews': {
      const ns = String(body?.spec?.namespace ?? '');
      if (!ns) throw new HttpStatusError(failure(400, 'BadRequest', 'no namespace on request'));
      return { ...base, status: rulesFor(auth?.store, user, ns) };
    }
  }
  return undefined;
}

/** The attributes as Go prints the struct's pointer in a field error (`&NonResourceAttributes{Path:…,Verb:…,}`). */
function goStruct(nra: any): string {
  return `&NonResourceAttributes{Path:${String(nra?.path ?? '')},Verb:${String(nra?.verb ?? '')},}`;
}
