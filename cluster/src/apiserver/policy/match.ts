/**
 * Which requests a ValidatingAdmissionPolicy's matchConstraints and a binding's matchResources select
 * (k8s.io/apiserver/pkg/admission/plugin/policy/matching Matcher.Matches, with the namespace and object matchers of
 * plugin/webhook/predicates and the rule matcher of plugin/webhook/predicates/rules): the namespace selector, the
 * object selector (the new or the old object's labels), excludeResourceRules, then resourceRules with their
 * resourceNames. An empty rule list (a binding's) matches whatever its policy matched.
 */
import type { KObject } from '../../contract';
import { labelSelectorMatches } from '../../../../kube/src/labels';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** The request as the matchers see it (admission.Attributes). */
export interface RequestAttributes {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  kind: string;
  namespaced: boolean;
  /** The request's namespace ('' for a cluster-scoped resource). */
  namespace: string;
  name: string;
  operation: Operation;
  object: KObject | null;
  oldObject: KObject | null;
  /** The request namespace's labels (undefined when there is none), read only when a selector needs them. */
  namespaceLabels: () => Record<string, string> | undefined;
}

type Obj = Record<string, any>;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const has = (l: unknown, v: string) => list(l).some((x) => x === '*' || x === v);

/**
 * rules.Matcher: operation, group, version, scope, and a resource that may name a subresource (rules.go resource():
 * each side matches itself or `*`, so `pods` is the pods alone, `pods/*` the pods and all their subresources,
 * `* /eviction` every resource's eviction, `*` every resource but no subresource, `* / *` everything).
 */
export function ruleMatches(r: Obj, a: RequestAttributes, anyVersion: boolean): boolean {
  if (!has(r.operations, a.operation)) return false;
  if (!has(r.apiGroups, a.group)) return false;
  if (!anyVersion && !has(r.apiVersions, a.version)) return false;
  const scope = r.scope ?? '*';
  if (scope === 'Cluster' && a.namespaced) return false;
  if (scope === 'Namespaced' && !a.namespaced) return false;
  return list(r.resources).some((res) => {
    if (typeof res !== 'string') return false;
    const i = res.indexOf('/');
    const [rr, sr] = i < 0 ? [res, ''] : [res.slice(0, i), res.slice(i + 1)];
    return (rr === '*' || rr === a.resource) && (sr === '*' || sr === a.subresource);
  });
}

/** matchesResourceRules: a rule that matches, and names the request's object among its resourceNames if it has any. */
function anyRule(rules: unknown, a: RequestAttributes, anyVersion: boolean): boolean {
  for (const r of list(rules)) {
    if (!r || typeof r !== 'object' || !ruleMatches(r as Obj, a, anyVersion)) continue;
    const names = list((r as Obj).resourceNames);
    if (!names.length || names.includes(a.name)) return true;
  }
  return false;
}

/** namespace.Matcher.MatchNamespaceSelector: a cluster-scoped request always matches; a Namespace is judged by its own labels. */
function namespaceMatches(sel: unknown, a: RequestAttributes): boolean {
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return true;
  if (a.resource === 'namespaces' && !a.subresource && !a.namespaced) {
    const ns = a.object ?? a.oldObject;
    return labelSelectorMatches(sel as any, ns?.metadata?.labels ?? {});
  }
  if (!a.namespace) return true;
  return labelSelectorMatches(sel as any, a.namespaceLabels() ?? {});
}

/** object.Matcher.MatchObjectSelector: the new object's or the old object's labels. */
function objectMatches(sel: unknown, a: RequestAttributes): boolean {
  if (!sel || typeof sel !== 'object' || Object.keys(sel).length === 0) return true;
  const ok = (o: KObject | null) => !!o && labelSelectorMatches(sel as any, o.metadata?.labels ?? {});
  return ok(a.object) || ok(a.oldObject);
}

/** Matcher.Matches for one MatchResources (a policy's matchConstraints, or a binding's matchResources). */
export function matchResources(mr: Obj | undefined, a: RequestAttributes, emptyMatches: boolean): boolean {
  if (!mr || typeof mr !== 'object') return emptyMatches;
  if (!namespaceMatches(mr.namespaceSelector, a)) return false;
  if (!objectMatches(mr.objectSelector, a)) return false;
  // matchPolicy Equivalent: the same resource through another version matches too (the playground serves one
  // version of most resources, so another version can only be an equivalent one).
  const anyVersion = mr.matchPolicy !== 'Exact';
  if (anyRule(mr.excludeResourceRules, a, anyVersion)) return false;
  if (!list(mr.resourceRules).length) return emptyMatches;
  return anyRule(mr.resourceRules, a, anyVersion);
}
