/**
 * Roles and bindings, as upstream's RBAC validation checks them (the
 * apiserver refuses these), and as a reviewer reads them (warnings only the
 * editor shows: a rule naming a resource in a group that does not serve it,
 * a singular resource name, a verb RBAC never checks; each grants nothing).
 * Upstream: pkg/apis/rbac/validation (ValidatePolicyRule, ValidateRoleBinding,
 * ValidateRoleBindingSubject), after v1 defaulting of subjects' apiGroup.
 */
import type { Rule, JsonObject, RuleRunContext } from './context';
import { isObject } from './context';
import { isRemovedAt } from '../removed';
import type { FieldPath, Finding } from './types';

const GROUP = 'rbac.authorization.k8s.io';
const KNOWN_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'bind', 'escalate', 'impersonate', 'use', 'approve', 'sign', 'attest', 'proxy', '*']);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const goStrings = (xs: string[]) => `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

function invalid(path: FieldPath, value: unknown, detail: string, valueText?: string): Finding {
  return { code: 'rbac-invalid', severity: 'error', path, message: `Invalid value: ${detail}`, apiError: { type: 'FieldValueInvalid', value, detail, ...(valueText ? { valueText } : {}) } };
}
function required(path: FieldPath, detail: string, message: string): Finding {
  return { code: 'rbac-invalid', severity: 'error', path, target: 'key', message: `Required value: ${message}`, apiError: { type: 'FieldValueRequired', detail } };
}
function unsupported(path: FieldPath, value: unknown, supported: string[], message: string): Finding {
  return { code: 'rbac-invalid', severity: 'error', path, message, apiError: { type: 'FieldValueNotSupported', value, supported } };
}

/** The served resources at one Kubernetes version, from the schema's kinds (removed APIs left out). */
export interface ServedResources {
  /** resource name -> the groups serving it */
  groups: Map<string, Set<string>>;
  /** group -> the resources it serves */
  resources: Map<string, Set<string>>;
  /** lower-case kind -> its resource name (`deployment` -> `deployments`) */
  plural: Map<string, string>;
}

type ServedKind = { apiVersion: string; group: string; resource: string; kind: string };
const served = new Map<string, ServedResources>();

/** Built once per Kubernetes version (the schema does not change while the process runs). */
export function servedResources(kinds: readonly ServedKind[], kubernetesVersion: string): ServedResources {
  const cached = served.get(kubernetesVersion);
  if (cached) return cached;
  const out: ServedResources = { groups: new Map(), resources: new Map(), plural: new Map() };
  const add = (m: Map<string, Set<string>>, k: string, v: string) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = new Set()));
    s.add(v);
  };
  for (const k of kinds) {
    if (!k.resource || isRemovedAt(k.apiVersion, k.kind, kubernetesVersion)) continue;
    add(out.groups, k.resource, k.group);
    add(out.resources, k.group, k.resource);
    out.plural.set(k.kind.toLowerCase(), k.resource);
  }
  served.set(kubernetesVersion, out);
  return out;
}

function checkRule(rule: JsonObject, path: FieldPath, namespaced: boolean, ctx: RuleRunContext, out: Finding[]): void {
  const verbs = strings(rule.verbs);
  if (!verbs.length) out.push(required([...path, 'verbs'], 'verbs must contain at least one value', 'a rule needs at least one verb'));
  const urls = strings(rule.nonResourceURLs);
  if (urls.length) {
    const v = goStrings(urls);
    if (namespaced) out.push(invalid([...path, 'nonResourceURLs'], urls, 'namespaced rules cannot apply to non-resource URLs', v));
    if (strings(rule.apiGroups).length || strings(rule.resources).length || strings(rule.resourceNames).length) {
      out.push(invalid([...path, 'nonResourceURLs'], urls, 'rules cannot apply to both regular resources and non-resource URLs', v));
    }
    return;
  }
  const groups = strings(rule.apiGroups);
  const resources = strings(rule.resources);
  if (!Array.isArray(rule.apiGroups) || !rule.apiGroups.length) out.push(required([...path, 'apiGroups'], 'resource rules must supply at least one api group', 'a resource rule names its API groups ("" is the core group)'));
  if (!resources.length) out.push(required([...path, 'resources'], 'resource rules must supply at least one resource', 'a resource rule names at least one resource'));
  verbs.forEach((v, i) => {
    // Constrained impersonation's verbs (`impersonate:user-info`, `impersonate-on:…`) are RBAC's too.
    if (!KNOWN_VERBS.has(v) && !/^impersonate(-on)?:/.test(v)) {
      out.push({ code: 'rbac-rule-lint', severity: 'warning', path: [...path, 'verbs', i],
        message: `"${v}" is not a verb the apiserver asks RBAC about, so this grants nothing; use get, list, watch, create, update, patch, delete or deletecollection.` });
    }
  });
  const kinds = (ctx.schema as { servedKinds?: () => ServedKind[] }).servedKinds?.();
  const s = kinds && servedResources(kinds, ctx.kubernetesVersion);
  // Only rules whose every group is a built-in one are judged: a CRD's or an aggregated API's group
  // (metrics.k8s.io serves `pods` too) may hold any name.
  if (!s || groups.includes('*') || !groups.every((g) => s.resources.has(g))) return;
  (Array.isArray(rule.resources) ? rule.resources : []).forEach((r, i) => {
    if (typeof r !== 'string' || r === '*' || r.startsWith('*/')) return;
    const base = r.split('/')[0];
    const where = s.groups.get(base);
    if (!where) {
      // RBAC compares names as they are: `Pods` or `pod` match nothing.
      const plural = s.plural.get(base.toLowerCase()) ?? (s.groups.has(base.toLowerCase()) ? base.toLowerCase() : undefined);
      if (plural && plural !== base) {
        out.push({ code: 'rbac-rule-lint', severity: 'warning', path: [...path, 'resources', i],
          message: `RBAC names resources by their lower-case plural: "${base}" matches nothing, "${plural}" does.` });
      }
      return;
    }
    if (groups.some((g) => where.has(g))) return;
    const names = [...where].map((g) => JSON.stringify(g) + (g === '' ? ' (the core group)' : '')).join(' or ');
    out.push({ code: 'rbac-rule-lint', severity: 'warning', path: [...path, 'resources', i],
      message: `"${base}" is served in ${names}, not in ${groups.map((g) => JSON.stringify(g)).join(', ')}: this rule grants nothing on it. Add ${[...where].map((g) => JSON.stringify(g)).join(' or ')} to apiGroups.` });
  });
}

function checkSubject(s: JsonObject, path: FieldPath, namespaced: boolean, out: Finding[]): void {
  const name = typeof s.name === 'string' ? s.name : '';
  if (!name) out.push(required([...path, 'name'], '', 'a subject needs a name'));
  const kind = s.kind;
  // v1 defaulting: a ServiceAccount's apiGroup is "", a User's or Group's rbac.authorization.k8s.io.
  const apiGroup = typeof s.apiGroup === 'string' && s.apiGroup !== '' ? s.apiGroup : kind === 'ServiceAccount' ? '' : GROUP;
  switch (kind) {
    case 'ServiceAccount':
      if (apiGroup !== '') out.push(unsupported([...path, 'apiGroup'], apiGroup, [''], `A ServiceAccount subject has no apiGroup ("" or left out), not "${apiGroup}".`));
      if (!namespaced && !(typeof s.namespace === 'string' && s.namespace)) out.push(required([...path, 'namespace'], '', 'a ClusterRoleBinding names the namespace of each ServiceAccount it binds'));
      return;
    case 'User':
    case 'Group':
      if (apiGroup !== GROUP) out.push(unsupported([...path, 'apiGroup'], apiGroup, [GROUP], `A ${kind} subject's apiGroup is "${GROUP}".`));
      return;
    default:
      out.push(unsupported([...path, 'kind'], kind ?? '', ['ServiceAccount', 'User', 'Group'], `A subject is a ServiceAccount, a User or a Group.`));
  }
}

export const rbacRule: Rule = {
  codes: ['rbac-invalid', 'rbac-rule-lint'],
  kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'],
  check(obj, ctx, out) {
    if (!ctx.apiVersion.startsWith(`${GROUP}/`)) return;
    const kind = ctx.kind;
    if (kind === 'Role' || kind === 'ClusterRole') {
      if (Array.isArray(obj.rules)) obj.rules.forEach((r, i) => { if (isObject(r)) checkRule(r, ['rules', i], kind === 'Role', ctx, out); });
      const agg = obj.aggregationRule;
      if (kind === 'ClusterRole' && isObject(agg) && !(Array.isArray(agg.clusterRoleSelectors) && agg.clusterRoleSelectors.length)) {
        out.push(required(['aggregationRule', 'clusterRoleSelectors'], 'at least one clusterRoleSelector required if aggregationRule is non-nil', 'an aggregationRule needs at least one clusterRoleSelector'));
      }
      return;
    }
    const ref = isObject(obj.roleRef) ? obj.roleRef : undefined;
    if (ref) {
      // v1 defaulting fills an empty roleRef.apiGroup with the RBAC group before validation.
      const g = typeof ref.apiGroup === 'string' && ref.apiGroup !== '' ? ref.apiGroup : GROUP;
      if (g !== GROUP) out.push(unsupported(['roleRef', 'apiGroup'], g, [GROUP], `roleRef.apiGroup is "${GROUP}".`));
      const allowed = kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole'];
      const k = typeof ref.kind === 'string' ? ref.kind : '';
      if (!allowed.includes(k)) {
        out.push(unsupported(['roleRef', 'kind'], k, allowed, kind === 'RoleBinding' ? 'A RoleBinding refers to a Role or a ClusterRole.' : 'A ClusterRoleBinding refers to a ClusterRole (a Role lives in one namespace).'));
      }
      if (!(typeof ref.name === 'string' && ref.name)) out.push(required(['roleRef', 'name'], '', 'roleRef names the role to bind'));
    }
    if (Array.isArray(obj.subjects)) obj.subjects.forEach((s, i) => { if (isObject(s)) checkSubject(s, ['subjects', i], kind === 'RoleBinding', out); });
  },
};
