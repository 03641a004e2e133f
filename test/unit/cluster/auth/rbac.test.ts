/**
 * The RBAC authorizer's rule matching, the request attributes it is asked
 * about, the escalation check on roles and bindings, and the service-account
 * odds and ends around them (the deprecated field, the `default` account put
 * back, tokens after a reset, the clock's leeway, the ReplicaSet's back-off).
 */
import * as assert from 'node:assert/strict';
import { ruleAllows, authorize, rulesFor, type RequestAttributes } from '../../../../cluster/src/auth/rbac';
import { requestAttributes } from '../../../../cluster/src/http/auth';
import { parseApiPath } from '../../../../cluster/src/http/paths';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { serviceAccountUser } from '../../../../cluster/src/auth/issuer';
import { WorkQueue } from '../../../../cluster/src/runtime/queue';
import { SimClock } from '../../../../cluster/src/runtime/clock';
import { Loop } from '../../../../cluster/src/runtime/loop';
import { Store } from '../../../../cluster/src/store/store';

const SA = { group: '', version: 'v1', resource: 'serviceaccounts' };
const rbac = (resource: string) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource });
const a = (x: Partial<RequestAttributes>): RequestAttributes => ({ verb: 'get', apiGroup: '', resource: 'pods', ...x });

describe('RBAC', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());

  it('matches rules as upstream\'s RuleAllows: wildcards, subresources, resource names, URLs', () => {
    const pods = { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] };
    assert.equal(ruleAllows(pods, a({ verb: 'list' })), true);
    assert.equal(ruleAllows(pods, a({ verb: 'delete' })), false);
    assert.equal(ruleAllows(pods, a({ apiGroup: 'apps' })), false);
    // A subresource is its own resource, unless the rule says `*` or `*/sub`.
    assert.equal(ruleAllows(pods, a({ subresource: 'log' })), false);
    assert.equal(ruleAllows({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, a({ subresource: 'exec', verb: 'create' })), true);
    assert.equal(ruleAllows({ apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] }, a({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale', verb: 'update' })), true);
    // resourceNames: only requests naming one of them (a list or create names nothing).
    const one = { apiGroups: [''], resources: ['configmaps'], resourceNames: ['app'], verbs: ['get', 'list', 'create'] };
    assert.equal(ruleAllows(one, a({ resource: 'configmaps', name: 'app' })), true);
    assert.equal(ruleAllows(one, a({ resource: 'configmaps', name: 'other' })), false);
    assert.equal(ruleAllows(one, a({ resource: 'configmaps', verb: 'list' })), false);
    assert.equal(ruleAllows(one, a({ resource: 'configmaps', verb: 'create' })), false);
    const urls = { nonResourceURLs: ['/healthz', '/apis/*'], verbs: ['get'] };
    assert.equal(ruleAllows(urls, { verb: 'get', path: '/apis/apps/v1' }), true);
    assert.equal(ruleAllows(urls, { verb: 'get', path: '/healthz/etcd' }), false);
    assert.equal(ruleAllows(urls, a({ resource: 'healthz' })), false, 'a URL rule grants no resource');
  });

  it('derives the verb, group, resource, namespace and name of a request as RequestInfoFactory does', () => {
    const attrs = (method: string, url: string) => {
      const [p, query = ''] = url.split('?');
      return requestAttributes(method, p, parseApiPath(p), new URLSearchParams(query));
    };
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods'), { verb: 'list', apiGroup: '', resource: 'pods', subresource: undefined, namespace: 'default', name: undefined });
    assert.equal(attrs('GET', '/api/v1/namespaces/default/pods?watch=1').verb, 'watch');
    assert.equal(attrs('GET', '/api/v1/watch/namespaces/default/pods').verb, 'watch');
    assert.equal(attrs('GET', '/api/v1/namespaces/default/pods/web?watch=true').verb, 'get');
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/default/pods?watch=1&fieldSelector=metadata.name%3Dweb').name, 'web');
    assert.equal(attrs('DELETE', '/api/v1/namespaces/default/pods').verb, 'deletecollection');
    assert.equal(attrs('DELETE', '/api/v1/namespaces/default/pods/web').verb, 'delete');
    assert.equal(attrs('PATCH', '/apis/apps/v1/namespaces/x/deployments/web/scale').subresource, 'scale');
    assert.deepEqual(attrs('GET', '/api/v1/namespaces/team'), { verb: 'get', apiGroup: '', resource: 'namespaces', subresource: undefined, namespace: 'team', name: 'team' });
    assert.deepEqual(attrs('GET', '/version'), { verb: 'get', path: '/version' });
    assert.deepEqual(attrs('HEAD', '/healthz'), { verb: 'head', path: '/healthz' });
  });

  it('binds service accounts by namespace, and says which binding allowed a request', () => {
    pg = newTestPlayground();
    const bob = serviceAccountUser('default', 'bob');
    // A ClusterRoleBinding's ServiceAccount subject must name its namespace (validation refuses it without one).
    assert.throws(() => pg.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: no-namespace}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: bob}]
`), /subjects\[0\]\.namespace: Required value/);
    pg.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: bob-edits}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: bob}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gone}
subjects: [{kind: Group, name: system:serviceaccounts}]
`);
    // The RoleBinding binds in its own namespace only.
    assert.equal(authorize(pg.store, bob, a({ verb: 'list', namespace: 'kube-system' })).allowed, false);
    assert.deepEqual(authorize(pg.store, bob, a({ verb: 'delete', namespace: 'default', name: 'web' })),
      { allowed: true, reason: 'RBAC: allowed by RoleBinding "bob-edits/default" of ClusterRole "edit" to ServiceAccount "bob/default"' });
    // `edit` aggregates `view`, which reads Deployments, and never Roles.
    assert.equal(authorize(pg.store, bob, a({ verb: 'watch', apiGroup: 'apps', resource: 'deployments', namespace: 'default' })).allowed, true);
    assert.deepEqual(authorize(pg.store, bob, a({ verb: 'create', apiGroup: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'default' })),
      { allowed: false, reason: 'RBAC: role.rbac.authorization.k8s.io "gone" not found' });
  });

  it('names each missing role once, and lists the rules it found without calling the list incomplete', () => {
    pg = newTestPlayground();
    const bob = serviceAccountUser('default', 'bob');
    const bind = (name: string, kind: string, role: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${name}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: ${role}}
subjects: [{kind: ServiceAccount, name: bob}]
`;
    pg.apply([bind('b1', 'Role', 'nosuch'), bind('b2', 'Role', 'nosuch'), bind('b3', 'ClusterRole', 'nosuch2')].join('---\n'));
    // utilerrors.NewAggregate's Error(): each distinct message once.
    assert.equal(authorize(pg.store, bob, a({ verb: 'list', namespace: 'default' })).reason,
      'RBAC: [role.rbac.authorization.k8s.io "nosuch" not found, clusterrole.rbac.authorization.k8s.io "nosuch2" not found]');
    // RBACAuthorizer.RulesFor: the bare aggregate, and incomplete stays false (kubectl auth can-i --list warns only when it is true).
    const rules = rulesFor(pg.store, bob, 'default');
    assert.equal(rules.incomplete, false);
    assert.equal(rules.evaluationError, '[role.rbac.authorization.k8s.io "nosuch" not found, clusterrole.rbac.authorization.k8s.io "nosuch2" not found]');
    assert.ok(rules.resourceRules.some((r) => r.resources.includes('selfsubjectaccessreviews')), 'the rules it did find are listed');
    pg.api.delete(rbac('rolebindings'), 'default', 'b3');
    // One distinct message left: no brackets.
    assert.equal(authorize(pg.store, bob, a({ verb: 'list', namespace: 'default' })).reason, 'RBAC: role.rbac.authorization.k8s.io "nosuch" not found');
    assert.equal(rulesFor(pg.store, bob, 'default').evaluationError, 'role.rbac.authorization.k8s.io "nosuch" not found');
  });

  it('aggregates a new aggregate-to-view role into view, edit and admin, as the aggregation controller does', () => {
    pg = newTestPlayground();
    const before = pg.store.get('rbac.authorization.k8s.io/clusterroles', undefined, 'admin')!.metadata.resourceVersion;
    pg.settle();
    assert.equal(pg.store.get('rbac.authorization.k8s.io/clusterroles', undefined, 'admin')!.metadata.resourceVersion, before, 'the default roles are already as the controller would write them');
    pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: widgets-view\n  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}\nrules: [{apiGroups: [example.com], resources: [widgets], verbs: [get, list]}]\n');
    pg.settle();
    for (const name of ['view', 'edit', 'admin']) {
      const rules = (pg.store.get('rbac.authorization.k8s.io/clusterroles', undefined, name) as any).rules;
      assert.ok(rules.some((r: any) => r.resources?.includes('widgets')), `${name} holds the widgets rule`);
    }
    const bob = serviceAccountUser('default', 'bob');
    pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: bob-admin}\nroleRef: {kind: ClusterRole, name: admin}\nsubjects: [{kind: ServiceAccount, name: bob, namespace: default}]\n');
    assert.equal(authorize(pg.store, bob, a({ verb: 'list', apiGroup: 'example.com', resource: 'widgets', namespace: 'default' })).allowed, true);
    pg.api.delete(rbac('clusterroles'), undefined, 'widgets-view');
    pg.settle();
    assert.equal(authorize(pg.store, bob, a({ verb: 'list', apiGroup: 'example.com', resource: 'widgets', namespace: 'default' })).allowed, false);
  });

  it('refuses to grant what the writer does not hold, unless it may bind or escalate', () => {
    pg = newTestPlayground();
    pg.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bob}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: bob-admin}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}\nsubjects: [{kind: ServiceAccount, name: bob, namespace: default}]\n');
    const user = serviceAccountUser('default', 'bob');
    const asBob = { user };
    const binding = (name: string, role: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: [{ kind: 'ServiceAccount', name: 'bob', namespace: 'default' }] }) as any;
    // admin may bind what it holds (edit), in its namespace…
    pg.api.create(rbac('rolebindings'), 'default', binding('bob-edit', 'edit'), asBob);
    // …but not cluster-admin, nor write a Role with rules it lacks.
    assert.throws(() => pg.api.create(rbac('rolebindings'), 'default', binding('esc', 'cluster-admin'), asBob), (e: any) => {
      assert.equal(e.code, 403);
      assert.match(e.message, /^rolebindings\.rbac\.authorization\.k8s\.io "esc" is forbidden: user "system:serviceaccount:default:bob" \(groups=\["system:serviceaccounts" "system:serviceaccounts:default" "system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}/);
      return true;
    });
    const role = (rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules }) as any;
    assert.throws(() => pg.api.create(rbac('roles'), 'default', role([{ apiGroups: [''], resources: ['resourcequotas'], verbs: ['create'] }]), asBob),
      /attempting to grant RBAC permissions not currently held:\n\{APIGroups:\[""\], Resources:\["resourcequotas"\], Verbs:\["create"\]\}$/);
    pg.api.create(rbac('roles'), 'default', role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] }]), asBob);
    assert.throws(() => pg.api.create(rbac('rolebindings'), 'default', binding('nowhere', 'no-such-role'), asBob), /^Error: clusterroles\.rbac\.authorization\.k8s\.io "no-such-role" not found$|clusterroles\.rbac\.authorization\.k8s\.io "no-such-role" not found/);
    // Missing rules are merged per group and resource and sorted, as ConfirmNoEscalation prints them.
    assert.throws(() => pg.api.create(rbac('roles'), 'default', role([{ apiGroups: ['apps', ''], resources: ['statefulsets', 'resourcequotas'], verbs: ['create', 'escalate'] }]), asBob),
      (e: any) => e.message.endsWith('not currently held:\n{APIGroups:[""], Resources:["resourcequotas"], Verbs:["create" "escalate"]}\n{APIGroups:[""], Resources:["statefulsets"], Verbs:["create" "escalate"]}\n{APIGroups:["apps"], Resources:["resourcequotas"], Verbs:["create" "escalate"]}\n{APIGroups:["apps"], Resources:["statefulsets"], Verbs:["escalate"]}'));
    // `escalate` bound to one name helps updates only: a create goes to the collection, with no name.
    pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: esc-special}\nrules: [{apiGroups: [rbac.authorization.k8s.io], resources: [roles], resourceNames: [special], verbs: [escalate]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: bob-esc}\nroleRef: {kind: Role, name: esc-special}\nsubjects: [{kind: ServiceAccount, name: bob, namespace: default}]\n');
    const special = { ...role([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]), metadata: { name: 'special' } };
    assert.throws(() => pg.api.create(rbac('roles'), 'default', special, asBob), /not currently held/);
    // With `bind` on cluster-admin, the binding may be made; the playground's own writes are never checked.
    pg.api.create(rbac('clusterroles'), undefined, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'binder' }, rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], resourceNames: ['cluster-admin'], verbs: ['bind'] }] } as any);
    pg.api.create(rbac('rolebindings'), 'default', binding('bob-binder', 'binder'), {});
    pg.api.create(rbac('rolebindings'), 'default', binding('esc', 'cluster-admin'), asBob);
  });

  it('merges the missing verbs of one named resource into one line, as CompactRules does', () => {
    pg = newTestPlayground();
    pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: role-writer}\nrules: [{apiGroups: [rbac.authorization.k8s.io], resources: [roles], verbs: [create]}]\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: carol}\nroleRef: {kind: Role, name: role-writer}\nsubjects: [{kind: ServiceAccount, name: carol, namespace: default}]\n');
    const asCarol = { user: serviceAccountUser('default', 'carol') };
    const role = (name: string, rules: any[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name }, rules }) as any;
    // kubectl create role c1 --verb=get,list --resource=pods,configmaps --resource-name=x
    assert.throws(() => pg.api.create(rbac('roles'), 'default', role('c1', [{ apiGroups: [''], resources: ['pods', 'configmaps'], resourceNames: ['x'], verbs: ['get', 'list'] }]), asCarol),
      (e: any) => e.message.endsWith('not currently held:\n{APIGroups:[""], Resources:["configmaps"], ResourceNames:["x"], Verbs:["get" "list"]}\n{APIGroups:[""], Resources:["pods"], ResourceNames:["x"], Verbs:["get" "list"]}'));
    // Each name is its own rule; a rule without names merges apart from the named ones.
    assert.throws(() => pg.api.create(rbac('roles'), 'default', role('c2', [
      { apiGroups: [''], resources: ['pods'], resourceNames: ['x', 'y'], verbs: ['get', 'delete'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    ]), asCarol), (e: any) => e.message.endsWith('not currently held:\n{APIGroups:[""], Resources:["pods"], ResourceNames:["x"], Verbs:["get" "delete"]}\n{APIGroups:[""], Resources:["pods"], ResourceNames:["y"], Verbs:["get" "delete"]}\n{APIGroups:[""], Resources:["pods"], Verbs:["list" "watch"]}'));
  });

  it('takes the deprecated serviceAccount field, and puts back a deleted default account', () => {
    pg = newTestPlayground();
    pg.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bob}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: old}\nspec:\n  serviceAccount: bob\n  containers: [{name: main, image: busybox}]\n');
    const p = pg.api.get(R.pods, 'default', 'old');
    assert.deepEqual([p.spec.serviceAccountName, p.spec.serviceAccount], ['bob', 'bob']);
    const uid = pg.api.get(SA, 'default', 'default').metadata.uid;
    pg.api.delete(SA, 'default', 'default');
    pg.settle();
    assert.notEqual(pg.api.get(SA, 'default', 'default').metadata.uid, uid);
  });

  it('refuses tokens from before a reset, and honours the minute of leeway around expiry', () => {
    pg = newTestPlayground();
    const mk = (exp: number) => (pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: { expirationSeconds: exp } } as any, {}, 'token', 'default').object as any).status.token;
    const token = mk(600);
    pg.advance(630_000);
    assert.ok(pg.tokens.authenticate(token), 'within the leeway');
    pg.advance(40_000);
    assert.equal(pg.tokens.authenticate(token), undefined);
    const fresh = mk(3600);
    pg.reset();
    assert.equal(pg.tokens.authenticate(fresh), undefined);
    assert.ok(pg.tokens.authenticate(mk(3600)));
    // A bound object of a kind that is not a plain key of anything is a 400, not a crash.
    assert.throws(() => pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: { boundObjectRef: { kind: 'toString', apiVersion: 'v1', name: 'x' } } } as any, {}, 'token', 'default'),
      (e: any) => e.code === 400 && e.message === 'cannot bind token to object of type /v1, Kind=toString');
  });

  it('resets a key\'s back-off once a sync succeeds', () => {
    const clock = new SimClock(0);
    const loop = new Loop(clock, new Store());
    const runs: number[] = [];
    let fail = 2;
    const q = new WorkQueue(clock, () => {
      runs.push(clock.now());
      if (fail-- > 0) throw new Error('no');
    });
    q.add('k');
    loop.advance(100);
    assert.deepEqual(runs, [0, 5, 15]);
    assert.equal(q.numRequeues('k'), 0, 'forgotten after the third run succeeded');
    fail = 1;
    q.add('k');
    loop.advance(100);
    assert.deepEqual(runs.slice(3), [100, 105], 'the next failure retries after the base delay again');
  });
});
