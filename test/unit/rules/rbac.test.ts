import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';
import { newTestPlayground } from '../../../cluster/src/testing';

/**
 * Roles and bindings: upstream's RBAC validation (the apiserver's refusals,
 * the same in the editor), and the editor's warnings about rules that grant nothing.
 */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const lints = (obj: any) => validateObject(obj, schema, { kubernetesVersion: '1.34' }).filter((f) => f.code === 'rbac-rule-lint').map((f) => [f.path.join('.'), f.message]);
const R = 'rbac.authorization.k8s.io/v1';

describe('rules/rbac: roles and bindings', () => {
  it('refuses rules as ValidatePolicyRule does', () => {
    assert.deepStrictEqual(errors({ apiVersion: R, kind: 'Role', metadata: { name: 'r' }, rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }, { apiGroups: [''], verbs: [] }] }), [
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
      'rules[1].verbs: Required value: verbs must contain at least one value',
      'rules[1].resources: Required value: resource rules must supply at least one resource',
    ]);
    assert.deepStrictEqual(errors({ apiVersion: R, kind: 'ClusterRole', metadata: { name: 'c' }, rules: [{ apiGroups: [''], resources: ['pods'], nonResourceURLs: ['/x'], verbs: ['get'] }] }),
      ['rules[0].nonResourceURLs: Invalid value: []string{"/x"}: rules cannot apply to both regular resources and non-resource URLs']);
  });

  it('refuses bindings as ValidateRoleBinding does, after subjects\' apiGroup defaults', () => {
    const crb = { apiVersion: R, kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }, { kind: 'User', name: 'alice' }, { kind: 'Robot', name: 'r2' }] };
    assert.deepStrictEqual(errors(crb), [
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
      'subjects[0].namespace: Required value',
      'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    ]);
    // roleRef.apiGroup left out is defaulted to the RBAC group, as v1 defaulting does; another group is refused.
    assert.deepStrictEqual(errors({ apiVersion: R, kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'bot' }] }), []);
    assert.deepStrictEqual(errors({ apiVersion: R, kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'apps', kind: 'ClusterRole', name: 'view' }, subjects: [] }),
      ['roleRef.apiGroup: Unsupported value: "apps": supported values: "rbac.authorization.k8s.io"']);
  });

  it('warns in the editor about a rule that grants nothing: the wrong group, a singular name, an unknown verb', () => {
    assert.deepStrictEqual(lints({ apiVersion: R, kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['deployments', 'pods', 'pod', 'pods/log'], verbs: ['get', 'read'] }] }), [
      ['rules.0.verbs.1', '"read" is not a verb the apiserver asks RBAC about, so this grants nothing; use get, list, watch, create, update, patch, delete or deletecollection.'],
      ['rules.0.resources.0', '"deployments" is served in "apps", not in "": this rule grants nothing on it. Add "apps" to apiGroups.'],
      ['rules.0.resources.2', 'RBAC names resources by their lower-case plural: "pod" matches nothing, "pods" does.'],
    ]);
    assert.deepStrictEqual(lints({ apiVersion: R, kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }, { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get'] }] }), []);
    // A group the schema does not serve (an aggregated API, a CRD's) may hold any name: metrics-server's own role.
    assert.deepStrictEqual(lints({ apiVersion: R, kind: 'ClusterRole', metadata: { name: 'm' }, rules: [{ apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list'] }] }), []);
    assert.deepStrictEqual(lints({ apiVersion: R, kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['Pods'], verbs: ['impersonate:user-info'] }] }),
      [['rules.0.resources.0', 'RBAC names resources by their lower-case plural: "Pods" matches nothing, "pods" does.']]);
    const { model, ctx } = setup('apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n- apiGroups: [""]\n  resources: ["deployments"]\n  verbs: ["get"]\n');
    const d = computeDiagnostics(model, ctx).filter((x) => x.code === 'rbac-rule-lint');
    assert.deepStrictEqual(d.map((x) => [textAt(model.text, x.range), x.severity]), [['"deployments"', 2]]);
  });

  it('keeps a binding\'s roleRef for its life', () => {
    const pg = newTestPlayground();
    try {
      pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: alice}]\n');
      assert.throws(() => pg.apply('apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\nsubjects: [{kind: User, name: alice}]\n'),
        (e: any) => e.code === 422 && e.message === 'RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef');
    } finally {
      pg.close();
    }
  });
});
