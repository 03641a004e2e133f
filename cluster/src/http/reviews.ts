/**
 * The review resources clients ask before acting: `kubectl auth can-i`
 * (SelfSubjectAccessReview, SelfSubjectRulesReview) and `kubectl auth whoami`
 * (SelfSubjectReview). The playground has one user, holding the token, who
 * may do anything, so the answers say exactly that.
 */
import type { ServedResource } from './resources';

export const USER = { username: 'kubeplay-admin', groups: ['system:masters', 'system:authenticated'] };

const review = (group: string, kind: string, resource: string): ServedResource => ({
  group, version: 'v1', apiVersion: `${group}/v1`, kind, resource, singular: kind.toLowerCase(), namespaced: false,
  shortNames: [], categories: [], verbs: ['create'], definition: `io.k8s.api.${group.split('.')[0]}.v1.${kind}`, subresources: [],
});

export const REVIEW_RESOURCES: ServedResource[] = [
  review('authentication.k8s.io', 'SelfSubjectReview', 'selfsubjectreviews'),
  review('authorization.k8s.io', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
];

/** The answer to a created review, or undefined when `r` is not one of them. */
export function answerReview(r: ServedResource, body: any): unknown {
  const base = { ...body, apiVersion: r.apiVersion, kind: r.kind, metadata: { ...(body?.metadata ?? {}), creationTimestamp: null } };
  switch (r.resource) {
    case 'selfsubjectreviews':
      return { ...base, status: { userInfo: USER } };
    case 'selfsubjectaccessreviews':
      return { ...base, status: { allowed: true, reason: 'the playground has a single user, who may do anything' } };
    case 'selfsubjectrulesreviews':
      return {
        ...base,
        status: {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        },
      };
  }
  return undefined;
}
