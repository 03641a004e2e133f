/**
 * ValidatingAdmissionPolicy in the playground's apiserver: the docs' replicas limit bound with a namespaceSelector,
 * the denial in the dispatcher's words and codes, Warn bindings, params, matchConditions, variables, failurePolicy,
 * DELETE and the scale subresource, and the policy objects' own validation.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { errorText, statusOf } from './statusOf';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };

const policy = (name: string, spec: any) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name }, spec }) as KObject;
const binding = (name: string, spec: any) => ({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name }, spec }) as KObject;
const deployRules = { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] };
const deployment = (name: string, ns: string, replicas: number, labels?: Record<string, string>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, ...(labels ? { labels } : {}) },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
}) as KObject;

/** The docs' example: demo-policy.example.com bound to namespaces labelled environment=test. */
function docsExample(actions: string[] = ['Deny']) {
  const pg = newTestPlayground();
  pg.api.create(VAP, undefined, policy('demo-policy.example.com', { matchConstraints: deployRules, validations: [{ expression: 'object.spec.replicas <= 5' }] }));
  pg.api.create(VAPB, undefined, binding('demo-binding-test.example.com', {
    policyName: 'demo-policy.example.com', validationActions: actions, matchResources: { namespaceSelector: { matchLabels: { environment: 'test' } } },
  }));
  pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'test', labels: { environment: 'test' } } } as KObject);
  pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod' } } as KObject);
  return pg;
}

describe('cluster/apiserver: ValidatingAdmissionPolicy', () => {
  it('denies a Deployment over the limit in a selected namespace, in the dispatcher\'s words, reason Invalid and 422', () => {
    const pg = docsExample();
    const s = statusOf(() => pg.api.create(R.deployments, 'test', deployment('nginx', 'test', 6)));
    assert.strictEqual(s.code, 422);
    assert.strictEqual(s.reason, 'Invalid');
    const message = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5";
    assert.strictEqual(s.message, `deployments.apps "nginx" is forbidden: ${message}`);
    assert.deepStrictEqual(s.details, { name: 'nginx', group: 'apps', kind: 'deployments', causes: [{ message }] });
    // Within the limit, or in a namespace the binding does not select: admitted.
    pg.api.create(R.deployments, 'test', deployment('small', 'test', 5));
    pg.api.create(R.deployments, 'prod', deployment('big', 'prod', 6));
    // An update is checked too.
    const dep = pg.api.get(R.deployments, 'test', 'small');
    assert.match(errorText(() => pg.api.update(R.deployments, 'test', { ...dep, spec: { ...dep.spec, replicas: 9 } })), /^422 deployments\.apps "small" is forbidden: ValidatingAdmissionPolicy/);
    pg.close();
  });

  it('does not apply the policy to the scale subresource (deployments/scale is another resource), unless a rule names it', () => {
    const pg = docsExample();
    pg.api.create(R.deployments, 'test', deployment('web', 'test', 1));
    const scale = pg.api.get(R.deployments, 'test', 'web', 'scale');
    pg.api.update(R.deployments, 'test', { ...scale, spec: { replicas: 8 } }, {}, 'scale');
    assert.strictEqual(pg.api.get(R.deployments, 'test', 'web').spec.replicas, 8);
    pg.api.create(VAP, undefined, policy('scale-limit', {
      matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/scale'] }] },
      validations: [{ expression: "object.kind == 'Scale' && object.spec.replicas <= 10", messageExpression: "'scale to ' + string(object.spec.replicas) + ' is too many'", reason: 'Forbidden' }],
    }));
    pg.api.create(VAPB, undefined, binding('scale-limit', { policyName: 'scale-limit', validationActions: ['Deny'] }));
    const s = statusOf(() => pg.api.update(R.deployments, 'test', { ...pg.api.get(R.deployments, 'test', 'web', 'scale'), spec: { replicas: 11 } }, {}, 'scale'));
    assert.strictEqual(`${s.code} ${s.reason} ${s.message}`, "403 Forbidden deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'scale-limit' with binding 'scale-limit' denied request: scale to 11 is too many");
    pg.close();
  });

  it('warns with a Warn binding and admits; Audit alone has no effect', () => {
    const pg = docsExample(['Warn']);
    const r = pg.api.create(R.deployments, 'test', deployment('nginx', 'test', 6));
    assert.deepStrictEqual(r.warnings, ["Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': failed expression: object.spec.replicas <= 5"]);
    const b = pg.api.get(VAPB, undefined, 'demo-binding-test.example.com');
    pg.api.update(VAPB, undefined, { ...b, spec: { ...b.spec, validationActions: ['Audit'] } });
    assert.strictEqual(pg.api.create(R.deployments, 'test', deployment('other', 'test', 7)).warnings, undefined);
    pg.close();
  });

  it('reads params through paramRef, with parameterNotFoundAction Deny or Allow', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('max-replicas', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, matchConstraints: deployRules,
      validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', messageExpression: "'at most ' + params.data.max + ' replicas'" }],
    }));
    pg.api.create(VAPB, undefined, binding('max-replicas', { policyName: 'max-replicas', validationActions: ['Deny'], paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' } }));
    assert.strictEqual(errorText(() => pg.api.create(R.deployments, 'default', deployment('a', 'default', 1))),
      "422 deployments.apps \"a\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
    pg.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'limits', namespace: 'default' }, data: { max: '3' } } as KObject);
    pg.api.create(R.deployments, 'default', deployment('a', 'default', 3));
    assert.strictEqual(errorText(() => pg.api.create(R.deployments, 'default', deployment('b', 'default', 4))),
      "422 deployments.apps \"b\" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas' denied request: at most 3 replicas");
    // Allow: no param in the namespace, nothing to check.
    const b = pg.api.get(VAPB, undefined, 'max-replicas');
    pg.api.update(VAPB, undefined, { ...b, spec: { ...b.spec, paramRef: { name: 'limits', parameterNotFoundAction: 'Allow' } } });
    pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'free' } } as KObject);
    pg.api.create(R.deployments, 'free', deployment('c', 'free', 40));
    pg.close();
  });

  it('skips what matchConditions exclude, evaluates variables lazily, and follows failurePolicy on errors', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('labelled', {
      matchConstraints: deployRules,
      matchConditions: [{ name: 'not-system', expression: "!object.metadata.name.startsWith('sys-')" }],
      variables: [{ name: 'team', expression: "object.metadata.labels['team']" }, { name: 'ok', expression: "variables.team in ['a', 'b']" }],
      validations: [{ expression: 'variables.ok', message: 'team must be a or b', reason: 'Forbidden' }],
    }));
    pg.api.create(VAPB, undefined, binding('labelled', { policyName: 'labelled', validationActions: ['Deny'] }));
    pg.api.create(R.deployments, 'default', deployment('sys-x', 'default', 1));
    pg.api.create(R.deployments, 'default', deployment('ok', 'default', 1, { team: 'a' }));
    assert.strictEqual(errorText(() => pg.api.create(R.deployments, 'default', deployment('c', 'default', 1, { team: 'c' }))),
      "403 deployments.apps \"c\" is forbidden: ValidatingAdmissionPolicy 'labelled' with binding 'labelled' denied request: team must be a or b");
    // No labels at all: the variable fails, and failurePolicy Fail denies with the evaluation error.
    assert.strictEqual(errorText(() => pg.api.create(R.deployments, 'default', deployment('none', 'default', 1))),
      "422 deployments.apps \"none\" is forbidden: ValidatingAdmissionPolicy 'labelled' with binding 'labelled' denied request: expression 'variables.ok' resulted in error: composited variable \"ok\" fails to evaluate: composited variable \"team\" fails to evaluate: no such key: labels");
    const p = pg.api.get(VAP, undefined, 'labelled');
    pg.api.update(VAP, undefined, { ...p, spec: { ...p.spec, failurePolicy: 'Ignore' } });
    pg.api.create(R.deployments, 'default', deployment('none', 'default', 1));
    pg.close();
  });

  it('checks DELETE with oldObject, and objectSelector on the old labels', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('keep-protected', {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['DELETE'], resources: ['configmaps'] }], objectSelector: { matchLabels: { protected: 'true' } } },
      validations: [{ expression: "request.operation != 'DELETE' || object == null && oldObject.data.keep != 'yes'", message: 'protected' }],
    }));
    pg.api.create(VAPB, undefined, binding('keep-protected', { policyName: 'keep-protected', validationActions: ['Deny'] }));
    const cm = (name: string, labels: any, data: any) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels }, data }) as KObject;
    pg.api.create(R.configmaps, 'default', cm('a', { protected: 'true' }, { keep: 'yes' }));
    pg.api.create(R.configmaps, 'default', cm('b', { protected: 'false' }, { keep: 'yes' }));
    assert.strictEqual(errorText(() => pg.api.delete(R.configmaps, 'default', 'a')),
      "422 configmaps \"a\" is forbidden: ValidatingAdmissionPolicy 'keep-protected' with binding 'keep-protected' denied request: protected");
    pg.api.delete(R.configmaps, 'default', 'b');
    pg.close();
  });

  it('sees request and namespaceObject', () => {
    const pg = docsExample();
    pg.api.create(VAP, undefined, policy('ns-owner', {
      matchConstraints: deployRules,
      validations: [{ expression: "request.namespace == namespaceObject.metadata.name && request.resource.resource == 'deployments' && request.kind.kind == 'Deployment' && namespaceObject.metadata.labels[?'environment'].orValue('') == 'test'", message: 'wrong namespace' }],
    }));
    pg.api.create(VAPB, undefined, binding('ns-owner', { policyName: 'ns-owner', validationActions: ['Deny'] }));
    pg.api.create(R.deployments, 'test', deployment('x', 'test', 1));
    assert.match(errorText(() => pg.api.create(R.deployments, 'prod', deployment('x', 'prod', 1))), /denied request: wrong namespace$/);
    pg.close();
  });

  it('validates the policy and the binding on create', () => {
    const pg = newTestPlayground();
    // The compiler's own words follow (cel-js's, in cel-go's layout).
    assert.match(errorText(() => pg.api.create(VAP, undefined, policy('bad', { matchConstraints: deployRules, validations: [{ expression: 'object.spec.replicas <=' }] }))),
      /^422 ValidatingAdmissionPolicy\.admissionregistration\.k8s\.io "bad" is invalid: spec\.validations\[0\]\.expression: Invalid value: "object\.spec\.replicas <=": compilation failed: ERROR: <input>:1:24: .*\n \| object\.spec\.replicas <=\n \| \.{23}\^$/);
    assert.strictEqual(errorText(() => pg.api.create(VAP, undefined, policy('empty', { matchConstraints: {} }))),
      '422 ValidatingAdmissionPolicy.admissionregistration.k8s.io "empty" is invalid: [spec.matchConstraints.resourceRules: Required value, spec.validations: Required value: validations or auditAnnotations must contain at least one item, spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item]');
    assert.strictEqual(errorText(() => pg.api.create(VAPB, undefined, binding('b', { policyName: 'p', validationActions: ['Deny', 'Warn'] }))),
      '422 ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "b" is invalid: spec.validationActions: Invalid value: []admissionregistration.ValidationAction{"Deny", "Warn"}: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)');
    assert.strictEqual(errorText(() => pg.api.create(VAPB, undefined, binding('b', { policyName: 'p' }))),
      '422 ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "b" is invalid: spec.validationActions: Required value: at least one validation action is required');
    const p = pg.api.create(VAP, undefined, policy('ok', { matchConstraints: deployRules, validations: [{ expression: 'true' }] })).object;
    assert.deepStrictEqual([p.spec.failurePolicy, p.spec.matchConstraints.matchPolicy, p.spec.matchConstraints.resourceRules[0].scope, p.spec.matchConstraints.namespaceSelector], ['Fail', 'Equivalent', '*', {}]);
    pg.close();
  });
  it('type-checks the validations against the matched kinds\' schemas and writes status.typeChecking (the status controller)', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('typos', {
      matchConstraints: { resourceRules: [
        { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['replicasets', 'deployments', 'deployments/scale'] },
        // A wildcard group gives up on the rule; a wildcard resource is skipped.
        { apiGroups: ['*'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] },
        { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['*'] },
      ] },
      variables: [{ name: 'replicas', expression: 'object.spec.replicas' }],
      validations: [
        { expression: 'object.spec.replicaz > 1' },
        { expression: 'variables.replicas <= 5', messageExpression: "'too many: ' + variables.replicas" },
        { expression: "object.metadata.labels['app'] == 'web' && request.userInfo.username != '' && namespaceObject.metadata.UID != ''" },
      ],
    }));
    pg.settle();
    const p = pg.api.get(VAP, undefined, 'typos');
    const issue = (col: number, message: string, source: string) => `ERROR: <input>:1:${col}: ${message}\n | ${source}\n | ${'.'.repeat(col - 1)}^`;
    // TypeCheckingResult.String per kind (`<gvk>: <issues>\n`), the kinds sorted and joined by a newline.
    const both = (i: string) => `apps/v1, Kind=Deployment: ${i}\n\napps/v1, Kind=ReplicaSet: ${i}\n`;
    assert.deepStrictEqual(p.status, {
      observedGeneration: 1,
      typeChecking: { expressionWarnings: [
        { fieldRef: 'spec.validations[0].expression', warning: both(issue(12, "undefined field 'replicaz'", 'object.spec.replicaz > 1')) },
        { fieldRef: 'spec.validations[1].messageExpression', warning: both(issue(14, "found no matching overload for '_+_' applied to '(string, int)'", "'too many: ' + variables.replicas")) },
      ] },
    });
    // A new generation is checked again: a fixed policy has no warnings left.
    pg.api.update(VAP, undefined, { ...p, spec: { ...p.spec, variables: [], validations: [{ expression: 'object.spec.replicas <= 5' }] } });
    pg.settle();
    assert.deepStrictEqual(pg.api.get(VAP, undefined, 'typos').status, { observedGeneration: 2, typeChecking: {} });
    pg.close();
  });

  it('types variables when the policy is written: each is a field of kubernetes.variables of its checked type, seen by the ones after it', () => {
    const pg = newTestPlayground();
    const s = statusOf(() => pg.api.create(VAP, undefined, policy('vars', {
      matchConstraints: deployRules,
      variables: [
        { name: 'name', expression: 'object.metadata.name' },
        { name: 'len', expression: 'variables.name.size()' },
        { name: 'early', expression: 'variables.later' },
        { name: 'later', expression: '1' },
      ],
      validations: [{ expression: "variables.nope == 'x'" }, { expression: "variables.len + 'x' == ''" }, { expression: 'variables.later > 0 && variables.early != null' }],
    })));
    assert.strictEqual(s.code, 422);
    // composition.go: CompileAndStoreVariable adds a field per variable compiled so far; a misspelt one is undefined.
    assert.deepStrictEqual(s.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      'spec.variables[2].expression: Invalid value: "variables.later": compilation failed: ERROR: <input>:1:10: undefined field \'later\'\n | variables.later\n | .........^',
      'spec.validations[0].expression: Invalid value: "variables.nope == \'x\'": compilation failed: ERROR: <input>:1:10: undefined field \'nope\'\n | variables.nope == \'x\'\n | .........^',
      'spec.validations[1].expression: Invalid value: "variables.len + \'x\' == \'\'": compilation failed: ERROR: <input>:1:15: found no matching overload for \'_+_\' applied to \'(int, string)\'\n | variables.len + \'x\' == \'\'\n | ..............^',
    ]);
    // Without variables the policy compiles in the stateless environment, which has no `variables` at all.
    const e = statusOf(() => pg.api.create(VAP, undefined, policy('no-vars', { matchConstraints: deployRules, validations: [{ expression: 'variables.x' }] })));
    assert.strictEqual(e.details.causes[0].message, "Invalid value: \"variables.x\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'variables' (in container '')\n | variables.x\n | ^");
    pg.close();
  });

  it('refuses literals cel-go refuses and a find() pattern that does not compile; request is typed, so its strings join', () => {
    const pg = newTestPlayground();
    const s = statusOf(() => pg.api.create(VAP, undefined, policy('literals', {
      matchConstraints: deployRules,
      validations: [
        { expression: "object.metadata.name.matches('[')" },
        { expression: "object.metadata.name.find(')') == ''" },
        { expression: "[object.metadata.name, 'x'].size() > 0" },
        { expression: "object.metadata.creationTimestamp == '' || duration('1d') > duration('1h')" },
      ],
    })));
    assert.deepStrictEqual(s.details.causes.map((c: any) => c.message.slice(c.message.indexOf('": ') + 3)), [
      "compilation failed: ERROR: <input>:1:30: invalid matches argument\n | object.metadata.name.matches('[')\n | .............................^",
      'program instantiation failed: error parsing regexp: unexpected ): `)`',
      // object is a dyn when the policy is written: a dyn and a string do not make a homogeneous list.
      "compilation failed: ERROR: <input>:1:24: expected type 'dyn' but found 'string'\n | [object.metadata.name, 'x'].size() > 0\n | .......................^",
      "compilation failed: ERROR: <input>:1:53: invalid duration argument\n | object.metadata.creationTimestamp == '' || duration('1d') > duration('1h')\n | ....................................................^",
    ]);
    pg.api.create(VAP, undefined, policy('typed-request', {
      matchConstraints: deployRules,
      validations: [{ expression: "request.userInfo.username in ['admin', request.name] || object.metadata.name.matches('^[a-z]+$')" }],
    }));
    assert.match(errorText(() => pg.api.create(VAP, undefined, policy('typo', { matchConstraints: deployRules, validations: [{ expression: 'request.usrInfo.username == ""' }] }))),
      /compilation failed: ERROR: <input>:1:8: undefined field 'usrInfo'/);
    pg.close();
  });

  it('type-checks a variable against the ones before it (CompileAndStoreVariables)', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('chain', {
      matchConstraints: deployRules,
      variables: [{ name: 'replicas', expression: 'object.spec.replicas' }, { name: 'twice', expression: 'variables.replicas' }],
      validations: [{ expression: "variables.twice > 'x'" }],
    }));
    pg.settle();
    assert.deepStrictEqual(pg.api.get(VAP, undefined, 'chain').status.typeChecking, { expressionWarnings: [{
      fieldRef: 'spec.validations[0].expression',
      warning: "apps/v1, Kind=Deployment: ERROR: <input>:1:17: found no matching overload for '_>_' applied to '(int, string)'\n | variables.twice > 'x'\n | ................^\n",
    }] });
    pg.close();
  });

  it('types params from the paramKind\'s schema and leaves kinds without a schema unchecked', () => {
    const pg = newTestPlayground();
    pg.api.create(VAP, undefined, policy('params', {
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods', 'nosuchthings'] }] },
      validations: [{ expression: "params.data['x'] == '1' && params.datum.x == '1'" }, { expression: 'object.spec.containers.all(c, c.image != "")' }],
    }));
    pg.settle();
    assert.deepStrictEqual(pg.api.get(VAP, undefined, 'params').status.typeChecking, { expressionWarnings: [{
      fieldRef: 'spec.validations[0].expression',
      warning: "/v1, Kind=Pod: ERROR: <input>:1:34: undefined field 'datum'\n | params.data['x'] == '1' && params.datum.x == '1'\n | .................................^\n",
    }] });
    pg.close();
  });

  it('declares params only with a paramKind: validations, variables, matchConditions and messageExpression without one are refused', () => {
    const pg = newTestPlayground();
    const s = statusOf(() => pg.api.create(VAP, undefined, policy('no-params', {
      matchConstraints: deployRules,
      variables: [{ name: 'max', expression: 'params.data.max' }],
      validations: [{ expression: 'params.x == 1' }],
    })));
    assert.strictEqual(s.code, 422);
    assert.deepStrictEqual(s.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      "spec.variables[0].expression: Invalid value: \"params.data.max\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.data.max\n | ^",
      "spec.validations[0].expression: Invalid value: \"params.x == 1\": compilation failed: ERROR: <input>:1:1: undeclared reference to 'params' (in container '')\n | params.x == 1\n | ^",
    ]);
    // validateMatchConditions and validateMessageExpression compile with allowParamsInMatchConditions, which
    // validateValidatingAdmissionPolicySpec sets only when the policy has a paramKind.
    const e = statusOf(() => pg.api.create(VAP, undefined, policy('params-elsewhere', {
      matchConstraints: deployRules,
      matchConditions: [{ name: 'p', expression: 'params == null' }],
      validations: [{ expression: 'object.spec.replicas <= 5', messageExpression: "'params: ' + string(params == null)" }],
    })));
    assert.deepStrictEqual(e.details.causes.map((c: any) => c.field), ['spec.matchConditions[0].expression', 'spec.validations[0].messageExpression']);
    assert.match(e.details.causes[0].message, /undeclared reference to 'params' \(in container ''\)/);
    pg.api.create(VAP, undefined, policy('params-kind', {
      matchConstraints: deployRules,
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConditions: [{ name: 'p', expression: 'params == null' }],
      validations: [{ expression: 'object.spec.replicas <= 5', messageExpression: "'params: ' + string(params == null)" }],
    }));
    pg.close();
  });
});
