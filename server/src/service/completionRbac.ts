/**
 * Value completion in Roles, ClusterRoles and their bindings: the verbs RBAC
 * checks, the API groups the cluster serves, the resources of the rule's
 * groups, the default ClusterRoles, and the kinds a roleRef or subject takes.
 */
import type { Schema } from '../../../kube/src/schema';
import { servedResources } from '../../../kube/src/rules/rbac';
import type { FieldPath } from './model';

export interface RbacValue {
  label: string;
  doc: string;
}

const VERBS: [string, string, string][] = [
  ['get', 'Read one object by name.', '按名称读取单个对象。'],
  ['list', 'List objects (kubectl get without a name).', '列出对象（不带名称的 kubectl get）。'],
  ['watch', 'Follow changes (kubectl get -w, informers).', '监视变化（kubectl get -w、informer）。'],
  ['create', 'Create objects; for pods/exec, attach and portforward, open the session.', '创建对象；对 pods/exec、attach、portforward 而言是建立会话。'],
  ['update', 'Replace an object (PUT).', '整体替换对象（PUT）。'],
  ['patch', 'Patch an object (kubectl apply, edit, scale, label).', '修补对象（kubectl apply、edit、scale、label）。'],
  ['delete', 'Delete one object.', '删除单个对象。'],
  ['deletecollection', 'Delete many objects at once (kubectl delete --all).', '一次删除多个对象（kubectl delete --all）。'],
  ['bind', 'On roles/clusterroles: bind them without holding their permissions.', '用于 roles/clusterroles：无需持有其权限即可绑定。'],
  ['escalate', 'On roles/clusterroles: write rules beyond one\'s own permissions.', '用于 roles/clusterroles：可写入超出自身权限的规则。'],
  ['impersonate', 'On users, groups, serviceaccounts: act as them (kubectl --as).', '用于 users、groups、serviceaccounts：以其身份操作（kubectl --as）。'],
  ['*', 'Every verb.', '所有动作。'],
];

const DEFAULT_CLUSTER_ROLES: [string, string][] = [
  ['view', 'Read most objects of a namespace (not Secrets, not Roles).'],
  ['edit', 'Read and write most objects of a namespace (not Roles or RoleBindings).'],
  ['admin', 'Everything in a namespace, Roles and RoleBindings included (not the namespace or its quota).'],
  ['cluster-admin', 'Everything, everywhere.'],
];

const groups = (schema: Schema, version: string) => servedResources(schema.servedKinds(), version).resources;

const at = (v: unknown, path: FieldPath): unknown => path.reduce<unknown>((cur, s) => (cur && typeof cur === 'object' ? (cur as any)[s] : undefined), v);

/** Values for the field at `rest` of an RBAC object, or undefined when the field is not one of these. */
export function rbacValues(kind: string | undefined, shape: string, rest: FieldPath, objValue: unknown, schema: Schema, version: string, zh: boolean): RbacValue[] | undefined {
  if (kind === 'Role' || kind === 'ClusterRole') {
    if (/^rules\[\]\.verbs\[\]$/.test(shape)) return VERBS.map(([label, en, cn]) => ({ label, doc: zh ? cn : en }));
    if (/^rules\[\]\.apiGroups\[\]$/.test(shape)) {
      return [...groups(schema, version).keys()].sort().map((g) => ({ label: g === '' ? '""' : g, doc: g === '' ? (zh ? '核心组（pods、services、configmaps……）' : 'The core group (pods, services, configmaps, …).') : `\`${g}\`` }));
    }
    if (/^rules\[\]\.resources\[\]$/.test(shape)) {
      const rule = at(objValue, rest.slice(0, 2));
      const wanted: string[] = Array.isArray((rule as any)?.apiGroups) ? (rule as any).apiGroups.filter((g: unknown) => typeof g === 'string') : [];
      const all = groups(schema, version);
      const out = new Map<string, string>();
      for (const [g, rs] of all) {
        if (wanted.length && !wanted.includes('*') && !wanted.includes(g)) continue;
        for (const r of rs) if (!out.has(r)) out.set(r, g === '' ? 'core group' : `group \`${g}\``);
      }
      return [...out].sort((a, b) => a[0].localeCompare(b[0])).map(([label, g]) => ({ label, doc: `Resource \`${label}\` (${g}).` }));
    }
    return undefined;
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    if (shape === 'roleRef.kind') return (kind === 'RoleBinding' ? ['Role', 'ClusterRole'] : ['ClusterRole']).map((label) => ({ label, doc: `Bind a ${label}.` }));
    if (shape === 'roleRef.apiGroup') return [{ label: 'rbac.authorization.k8s.io', doc: 'The RBAC API group.' }];
    // A ServiceAccount subject has no apiGroup; a User or Group has the RBAC group.
    if (/^subjects\[\]\.apiGroup$/.test(shape)) {
      return at(objValue, [...rest.slice(0, -1), 'kind']) === 'ServiceAccount' ? [] : [{ label: 'rbac.authorization.k8s.io', doc: 'The RBAC API group of a User or Group subject.' }];
    }
    if (/^subjects\[\]\.kind$/.test(shape)) return ['ServiceAccount', 'User', 'Group'].map((label) => ({ label, doc: `Bind a ${label}.` }));
    if (shape === 'roleRef.name' && at(objValue, ['roleRef', 'kind']) !== 'Role') return DEFAULT_CLUSTER_ROLES.map(([label, doc]) => ({ label, doc: `Default ClusterRole: ${doc}` }));
  }
  return undefined;
}


/** Hover on a value of an RBAC rule: what a verb allows, or which groups serve a resource. */
export function rbacValueHover(kind: string | undefined, shape: string, value: string, schema: Schema, version: string, zh: boolean): string | undefined {
  if (kind !== 'Role' && kind !== 'ClusterRole') return undefined;
  if (/^rules\[\]\.verbs\[\]$/.test(shape)) {
    const v = VERBS.find(([label]) => label === value);
    return v ? `\`${value}\`: ${zh ? v[2] : v[1]}` : undefined;
  }
  if (/^rules\[\]\.resources\[\]$/.test(shape)) {
    const base = value.split('/')[0];
    const where = [...groups(schema, version)].filter(([, rs]) => rs.has(base)).map(([g]) => (g === '' ? '`""`' : `\`${g}\``));
    if (!where.length) return undefined;
    return zh ? `\`${base}\` 由 API 组 ${where.join('、')} 提供。` : `\`${base}\` is served by the API group${where.length > 1 ? 's' : ''} ${where.join(', ')}.`;
  }
  return undefined;
}
