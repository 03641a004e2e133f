/**
 * The RBAC authorizer (plugin/pkg/auth/authorizer/rbac): a request is
 * allowed when a ClusterRoleBinding, or a RoleBinding of its namespace, binds
 * the user (by name, group or service account) to a role with a rule that
 * covers the verb, group, resource, subresource and name. Users in
 * system:masters pass before RBAC is asked, as kube-apiserver's privileged
 * group does.
 */
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import type { UserInfo } from './issuer';
import { aggregate as aggregateText } from '../../../kube/src/rules/status';
import { authorizeNode, nodeIdentity, NODE_RULES_ERROR } from './node';

export interface RequestAttributes {
  verb: string;
  /** Set for resource requests. */
  resource?: string;
  subresource?: string;
  apiGroup?: string;
  namespace?: string;
  name?: string;
  /** Set for non-resource requests (`/version`, `/healthz`, …). */
  path?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
}

export const MASTERS = 'system:masters';
const CLUSTER_ROLES = 'rbac.authorization.k8s.io/clusterroles';
const ROLES = 'rbac.authorization.k8s.io/roles';
const CLUSTER_ROLE_BINDINGS = 'rbac.authorization.k8s.io/clusterrolebindings';
const ROLE_BINDINGS = 'rbac.authorization.k8s.io/rolebindings';

const has = (list: unknown, v: string) => Array.isArray(list) && (list.includes('*') || list.includes(v));

export function ruleAllows(rule: any, a: RequestAttributes): boolean {
  if (!rule || !has(rule.verbs, a.verb)) return false;
  if (a.path !== undefined) {
    return Array.isArray(rule.nonResourceURLs) && rule.nonResourceURLs.some((u: string) =>
      u === '*' || u === a.path || (u.endsWith('*') && a.path!.startsWith(u.replace(/\*+$/, ''))));
  }
  if (!has(rule.apiGroups, a.apiGroup ?? '')) return false;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const resOk = Array.isArray(rule.resources) && rule.resources.some((r: string) =>
    r === '*' || r === combined || (!!a.subresource && r === `*/${a.subresource}`));
  if (!resOk) return false;
  const names = rule.resourceNames;
  return !Array.isArray(names) || names.length === 0 || (a.name !== undefined && names.includes(a.name));
}

function subjectBinds(s: any, user: UserInfo, bindingNs: string | undefined): boolean {
  switch (s?.kind) {
    case 'User':
      return s.name === user.username;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      // A ClusterRoleBinding's account names its namespace; without one it binds nobody (appliesToUser).
      const ns = s.namespace || bindingNs;
      return !!ns && user.username === `system:serviceaccount:${ns}:${s.name}`;
    }
  }
  return false;
}

function describeSubject(s: any, bindingNs: string | undefined): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount "${s.name}/${s.namespace || bindingNs}"` : `${s.kind} "${s.name}"`;
}

/** A role's rules as stored (an aggregated ClusterRole's are what the aggregation controller last wrote). */
function rulesOf(role: KObject): any[] {
  return Array.isArray((role as any).rules) ? (role as any).rules : [];
}

/** The role a roleRef names: a Role of the binding's namespace, or a ClusterRole. */
function roleOf(store: Store, ref: any, ns: string | undefined): KObject | undefined {
  if (ref?.kind === 'Role') return ns ? store.get(ROLES, ns, ref.name) : undefined;
  return ref?.kind === 'ClusterRole' ? store.get(CLUSTER_ROLES, undefined, ref.name) : undefined;
}

/** The rules a roleRef stands for, or undefined when its role does not exist. */
export function roleRules(store: Store, ref: any, ns: string | undefined): any[] | undefined {
  const role = roleOf(store, ref, ns);
  return role ? rulesOf(role) : undefined;
}

interface Grant {
  rules: any[];
  source: string;
}

/** Each binding that names the user, with its role's rules (or the error of a role that is missing). */
function* grants(store: Store, user: UserInfo, ns: string | undefined, errors: string[]): Generator<Grant> {
  const bindings = [...store.list(CLUSTER_ROLE_BINDINGS)].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
  if (ns) bindings.push(...[...store.list(ROLE_BINDINGS, ns)].sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!)));
  for (const b of bindings) {
    const namespaced = b.kind === 'RoleBinding';
    const bns = namespaced ? b.metadata.namespace : undefined;
    const subject = ((b as any).subjects ?? []).find((s: any) => subjectBinds(s, user, bns));
    if (!subject) continue;
    const ref = (b as any).roleRef ?? {};
    const role = roleOf(store, ref, bns);
    if (!role) {
      errors.push(`${String(ref.kind).toLowerCase()}.rbac.authorization.k8s.io "${ref.name}" not found`);
      continue;
    }
    const bname = namespaced ? `${b.metadata.name}/${bns}` : b.metadata.name;
    yield { rules: rulesOf(role), source: `${b.kind} "${bname}" of ${ref.kind} "${ref.name}" to ${describeSubject(subject, bns)}` };
  }
}

/** utilerrors.NewAggregate(errs).Error(), or undefined for no errors: two bindings to the same missing role say so once. */
const aggregate = (errors: string[]) => (errors.length ? aggregateText(errors) : undefined);

/** The authorizer's reason for its errors: `fmt.Sprintf("RBAC: %v", utilerrors.NewAggregate(errors))`. */
const rbacErrors = (errors: string[]) => {
  const agg = aggregate(errors);
  return agg === undefined ? undefined : `RBAC: ${agg}`;
};

/**
 * The apiserver's authorizer chain as kind runs it: the privileged group, then the Node authorizer (node.ts), then
 * RBAC. The union (authorizer/union) stops at the first that allows; otherwise the reasons given are joined by lines.
 */
export function authorize(store: Store, user: UserInfo, a: RequestAttributes): Decision {
  if (user.groups.includes(MASTERS)) return { allowed: true };
  const byNode = authorizeNode(user, a);
  if (byNode?.allowed) return { allowed: true };
  const d = authorizeRbac(store, user, a);
  if (d.allowed || !byNode?.reason) return d;
  return { allowed: false, reason: d.reason ? `${byNode.reason}\n${d.reason}` : byNode.reason };
}

/** The RBAC authorizer alone (ConfirmNoEscalation compares with RBAC's rules only). */
export function authorizeRbac(store: Store, user: UserInfo, a: RequestAttributes): Decision {
  if (user.groups.includes(MASTERS)) return { allowed: true };
  const errors: string[] = [];
  for (const g of grants(store, user, a.path === undefined ? a.namespace : undefined, errors)) {
    if (g.rules.some((r) => ruleAllows(r, a))) return { allowed: true, reason: `RBAC: allowed by ${g.source}` };
  }
  const reason = rbacErrors(errors);
  return reason ? { allowed: false, reason } : { allowed: false };
}

/** What SelfSubjectRulesReview lists: every rule that applies to the user in the namespace (RBACAuthorizer.RulesFor). */
export function rulesFor(store: Store | undefined, user: UserInfo, ns: string): { resourceRules: any[]; nonResourceRules: any[]; incomplete: boolean; evaluationError?: string } {
  if (user.groups.includes(MASTERS)) {
    return { resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }], incomplete: false };
  }
  // A server with no store of roles grants nothing to anyone else.
  if (!store) return { resourceRules: [], nonResourceRules: [], incomplete: false };
  const errors: string[] = [];
  const resourceRules: any[] = [];
  const nonResourceRules: any[] = [];
  for (const g of grants(store, user, ns, errors)) {
    for (const r of g.rules) {
      if (Array.isArray(r.nonResourceURLs) && r.nonResourceURLs.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
      else resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups, resources: r.resources, ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) });
    }
  }
  // (*RBACAuthorizer).RulesFor returns `resourceRules, nonResourceRules, false, err`: a missing role is reported in
  // evaluationError (the bare aggregate, no `RBAC: `) but the list is not marked incomplete, so `kubectl auth can-i
  // --list` prints no warning.
  // The Node authorizer answers first for a node (NodeAuthorizer.RulesFor): its rules are not enumerated, so the list is
  // incomplete, and the union aggregates its error with RBAC's.
  const node = nodeIdentity(user) !== undefined;
  const evaluationError = aggregate(node ? [NODE_RULES_ERROR, ...errors] : errors);
  return { resourceRules, nonResourceRules, incomplete: node, ...(evaluationError ? { evaluationError } : {}) };
}

/** forbiddenMessage (apiserver's responsewriters): what a refused request is told. */
export function forbiddenMessage(user: UserInfo, a: RequestAttributes, reason?: string): string {
  let msg: string;
  if (a.path !== undefined) msg = `User "${user.username}" cannot ${a.verb} path "${a.path}"`;
  else {
    const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const where = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
    msg = `User "${user.username}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup ?? ''}" ${where}`;
  }
  msg = msg.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return reason ? `${msg}: ${reason}` : msg;
}
