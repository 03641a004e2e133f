/**
 * RBAC's escalation check (the policybased storage of pkg/registry/rbac): nobody grants
 * what they do not hold. Writing a Role or ClusterRole needs every rule in
 * it to be one the writer already has, or the `escalate` verb on it; writing
 * a binding needs the bound role's rules, or the `bind` verb on the role; and
 * a ClusterRole with an aggregationRule needs `escalate`. Users in
 * system:masters, and the playground's own components, pass.
 */
import type { AdmissionPlugin } from '../apiserver/api';
import type { KObject, WriteOptions } from '../contract';
import type { Store } from '../store/store';
import { forbidden, notFound } from '../apiserver/status';
import { authorize, authorizeRbac, MASTERS, roleRules, type RequestAttributes } from './rbac';
import type { UserInfo } from './issuer';

const GROUP = 'rbac.authorization.k8s.io';

/** The requests one rule stands for: each verb × group × resource (× name), or verb × URL. */
function expand(rule: any): RequestAttributes[] {
  const out: RequestAttributes[] = [];
  const verbs: string[] = Array.isArray(rule?.verbs) ? rule.verbs : [];
  if (Array.isArray(rule?.nonResourceURLs) && rule.nonResourceURLs.length) {
    for (const verb of verbs) for (const path of rule.nonResourceURLs) out.push({ verb, path: String(path) });
    return out;
  }
  const names: (string | undefined)[] = Array.isArray(rule?.resourceNames) && rule.resourceNames.length ? rule.resourceNames : [undefined];
  for (const verb of verbs) {
    for (const apiGroup of Array.isArray(rule?.apiGroups) ? rule.apiGroups : []) {
      for (const res of Array.isArray(rule?.resources) ? rule.resources : []) {
        const i = String(res).indexOf('/');
        const resource = i < 0 ? String(res) : String(res).slice(0, i);
        const subresource = i < 0 ? undefined : String(res).slice(i + 1);
        for (const name of names) out.push({ verb, apiGroup, resource, subresource, name });
      }
    }
  }
  return out;
}

/**
 * The rules `user` lacks, as ConfirmNoEscalation prints them: the missing single rules, those of one group, resource
 * and (optional) resource name merged into one with their verbs (CompactRules: isSimpleResourceRule keys a rule with
 * at most one resource name by it), each as CompactString writes it, unique and sorted.
 */
function missing(store: Store, user: UserInfo, rules: any[], ns: string | undefined): string[] {
  const q = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const merged = new Map<string, { group: string; resource: string; name?: string; verbs: string[] }>();
  const lines = new Set<string>();
  for (const rule of rules) {
    for (const a of expand(rule)) {
      if (authorizeRbac(store, user, { ...a, namespace: a.path === undefined ? ns : undefined }).allowed) continue;
      if (a.path !== undefined) {
        lines.add(`{NonResourceURLs:${q([a.path])}, Verbs:${q([a.verb])}}`);
        continue;
      }
      const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
      const group = a.apiGroup ?? '';
      const key = JSON.stringify([group, resource, a.name ?? null]);
      const m = merged.get(key);
      if (!m) merged.set(key, { group, resource, name: a.name, verbs: [a.verb] });
      else if (!m.verbs.includes(a.verb)) m.verbs.push(a.verb);
    }
  }
  for (const { group, resource, name, verbs } of merged.values()) {
    lines.add(`{APIGroups:${q([group])}, Resources:${q([resource])}, ${name !== undefined ? `ResourceNames:${q([name])}, ` : ''}Verbs:${q(verbs)}}`);
  }
  // Go's sets.String List(): sorted by bytes.
  return [...lines].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

/** Whether an update changes nothing but what the garbage collector writes (IsOnlyMutatingGCFields). */
function onlyGcFields(obj: KObject, old: KObject | undefined): boolean {
  if (!old) return false;
  const strip = (o: KObject) => ({ ...o, metadata: { ...o.metadata, ownerReferences: undefined, finalizers: undefined, resourceVersion: undefined, managedFields: undefined, generation: undefined } });
  return JSON.stringify(strip(obj)) === JSON.stringify(strip(old));
}

const hasAggregation = (o: KObject | undefined) => {
  const sel = (o as any)?.aggregationRule?.clusterRoleSelectors;
  return Array.isArray(sel) && sel.length > 0;
};

function refuse(resource: string, name: string, user: UserInfo, lacking: string[]) {
  const groups = `[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]`;
  return forbidden({ group: GROUP, resource }, name,
    `user ${JSON.stringify(user.username)} (groups=${groups}) is attempting to grant RBAC permissions not currently held:\n${lacking.join('\n')}`);
}

export function escalationAdmission(store: Store): AdmissionPlugin {
  return {
    name: 'RBACEscalation',
    resources: [`${GROUP}/roles`, `${GROUP}/clusterroles`, `${GROUP}/rolebindings`, `${GROUP}/clusterrolebindings`],
    admit(op, obj: KObject, old, opts: WriteOptions) {
      const user = opts.user as UserInfo | undefined;
      if (!user || user.groups.includes(MASTERS) || onlyGcFields(obj, old)) return;
      const name = obj.metadata.name ?? '';
      const ns = obj.kind === 'Role' || obj.kind === 'RoleBinding' ? obj.metadata.namespace : undefined;
      const may = (verb: string, resource: string, n: string | undefined) => authorize(store, user, { verb, apiGroup: GROUP, resource, namespace: ns, name: n }).allowed;
      if (obj.kind === 'Role' || obj.kind === 'ClusterRole') {
        const resource = obj.kind === 'Role' ? 'roles' : 'clusterroles';
        // A create has no name yet for RBAC (the request goes to the collection): a names-bound `escalate` helps only updates.
        if (may('escalate', resource, op === 'CREATE' ? undefined : name)) return;
        const lacking = missing(store, user, Array.isArray((obj as any).rules) ? (obj as any).rules : [], ns);
        if (lacking.length) throw refuse(resource, name, user, lacking);
        // Adding or removing an aggregationRule takes all of cluster-admin's authority.
        if (obj.kind === 'ClusterRole' && (hasAggregation(obj) || hasAggregation(old))) {
          const all = missing(store, user, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }], undefined);
          if (all.length) throw forbidden({ group: GROUP, resource }, name, 'must have cluster-admin privileges to use the aggregationRule');
        }
        return;
      }
      const ref = (obj as any).roleRef ?? {};
      const resource = obj.kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings';
      const roleResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
      if (may('bind', roleResource, String(ref.name ?? ''))) return;
      const rules = roleRules(store, ref, ns);
      // The role's rules are looked up first; a role that does not exist fails that lookup (the registry's NotFound).
      if (!rules) throw notFound({ group: GROUP, resource: roleResource }, String(ref.name ?? ''));
      const lacking = missing(store, user, rules, ns);
      if (lacking.length) throw refuse(resource, name, user, lacking);
    },
  };
}
