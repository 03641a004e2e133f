/**
 * ValidatingAdmissionPolicy's runtime cost limits (plugin/cel filter.go, validating/validator.go): each expression
 * stops past PerCallLimit with cel-go's `operation cancelled: actual cost limit exceeded`, and one binding's
 * validations share RuntimeCELCostBudget; the failurePolicy decides what either means for the request.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

const VAP = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicies' };
const VAPB = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingadmissionpolicybindings' };
const configMapRules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] };

function setup(validations: unknown[], failurePolicy = 'Fail') {
  const pg = newTestPlayground();
  pg.api.create(VAP, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'p' },
    spec: { failurePolicy, matchConstraints: configMapRules, validations } } as KObject);
  pg.api.create(VAPB, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicyBinding', metadata: { name: 'b' },
    spec: { policyName: 'p', validationActions: ['Deny'] } } as KObject);
  return pg;
}

const configMap = (name: string, keys: number) => {
  const data: Record<string, string> = {};
  for (let i = 0; i < keys; i++) data[`k${i}`] = 'v';
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data } as KObject;
};

describe('cluster/apiserver: ValidatingAdmissionPolicy cost limits', function () {
  this.timeout(30_000);

  const NESTED = "object.data.all(x, object.data.all(y, object.data.all(z, x != '')))";

  it('stops an expression past PerCallLimit quickly and denies with cel-go\'s error, as failurePolicy Fail says', () => {
    const pg = setup([{ expression: NESTED }]);
    const started = Date.now();
    const s = statusOf(() => pg.api.create(R.configmaps, 'default', configMap('big', 1000)));
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    assert.strictEqual(s.code, 422);
    assert.strictEqual(s.message, `configmaps "big" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: expression '${NESTED}' resulted in error: operation cancelled: actual cost limit exceeded`);
    // A small ConfigMap stays within the limit.
    pg.api.create(R.configmaps, 'default', configMap('small', 10));
    pg.close();
  });

  it('admits past the limit when failurePolicy is Ignore', () => {
    const pg = setup([{ expression: NESTED }], 'Ignore');
    pg.api.create(R.configmaps, 'default', configMap('big', 1000));
    pg.close();
  });

  it('denies once the binding\'s validations have spent RuntimeCELCostBudget', () => {
    // Each validation costs about 812,000 over 450 keys, under PerCallLimit; the thirteenth runs out of the budget.
    const one = "object.data.all(x, object.data.all(y, y != ''))";
    const pg = setup(Array.from({ length: 13 }, () => ({ expression: one })));
    const s = statusOf(() => pg.api.create(R.configmaps, 'default', configMap('many', 450)));
    assert.strictEqual(s.message, "configmaps \"many\" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: validation failed due to running out of cost budget, no further validation rules will be run");
    pg.close();
  });
});
