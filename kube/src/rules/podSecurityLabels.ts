/**
 * A Namespace's Pod Security labels (`pod-security.kubernetes.io/enforce`,
 * `warn`, `audit` and their `-version`s): the PodSecurity admission plugin
 * refuses a namespace whose label names no level or version it knows.
 */
import type { Rule } from './context';
import { apiFinding, isObject } from './context';
import { namespacePolicy } from '../podSecurity';

export const podSecurityLabelsRule: Rule = {
  codes: ['pod-security-label'],
  kinds: ['Namespace'],
  check(obj, _ctx, out) {
    const labels = isObject(obj.metadata) && isObject(obj.metadata.labels) ? obj.metadata.labels : undefined;
    if (!labels) return;
    for (const [key, value, detail] of namespacePolicy(labels).errors) {
      const f = apiFinding('pod-security-label', ['metadata', 'labels', key], 'FieldValueInvalid', value, detail);
      // Upstream's field path keys the label: metadata.labels[pod-security.kubernetes.io/enforce].
      f.apiError!.apiPath = ['metadata', `labels[${key}]`];
      out.push(f);
    }
  },
};
