import * as assert from 'assert';
import { invalid, type FieldError } from '../../../../cluster/src/apiserver/status';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { errorBody, fieldErrorString, invalidText } from '../../../../kube/src/rules/status';
import { validateObject } from '../../../../kube/src/rules/engine';
import { getSchema } from '../../../../kube/src/schema/index';
import { statusOf } from './statusOf';

/**
 * The apiserver words its Invalid Status with the rules' formatter
 * (kube/src/rules/status.ts): each cause's message is field.Error.ErrorBody,
 * the message is errors.NewInvalid's, and the editor's formatting of the same
 * findings is the apiserver's, paths included.
 */
describe('apiserver: field errors through the shared formatter', () => {
  it('one cause per error, whatever its type, and the aggregate with repeats dropped', () => {
    const errs: FieldError[] = [
      { type: 'FieldValueRequired', field: 'spec.containers' },
      { type: 'FieldValueInvalid', field: 'spec.replicas', value: -1, detail: 'must be greater than or equal to 0' },
      { type: 'FieldValueNotSupported', field: 'spec.restartPolicy', value: 'Sometimes', detail: 'supported values: "Always"' },
      { type: 'FieldValueDuplicate', field: 'spec.containers[1].name', value: 'a' },
      { type: 'FieldValueForbidden', field: 'spec', detail: 'pod updates may not change fields' },
      { type: 'FieldValueTooLong', field: 'metadata.annotations', value: '', detail: 'must have at most 262144 bytes' },
      { type: 'FieldValueTooMany', field: 'spec.podFailurePolicy.rules', value: 21, detail: 'must have at most 20 items' },
      { type: 'FieldValueNotFound', field: 'spec.volumeName', value: 'pv' },
      { type: 'InternalError', field: 'spec.clusterIPs', detail: 'failed to allocate a serviceIP: range is full' },
      { type: 'FieldValueRequired', field: 'spec.containers' },
    ];
    const s = invalid('apps', 'Deployment', 'web', errs).status;
    assert.deepStrictEqual([s.code, s.reason, s.status], [422, 'Invalid', 'Failure']);
    assert.deepStrictEqual(s.details!.causes, errs.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })));
    assert.deepStrictEqual(s.details!.causes!.map((c) => c.message), [
      'Required value',
      'Invalid value: -1: must be greater than or equal to 0',
      'Unsupported value: "Sometimes": supported values: "Always"',
      'Duplicate value: "a"',
      'Forbidden: pod updates may not change fields',
      'Too long: must have at most 262144 bytes',
      'Too many: 21: must have at most 20 items',
      'Not found: "pv"',
      'Internal error: failed to allocate a serviceIP: range is full',
      'Required value',
    ]);
    assert.strictEqual(s.message, invalidText('Deployment.apps', 'web', errs));
    assert.ok(s.message.startsWith('Deployment.apps "web" is invalid: [spec.containers: Required value, spec.replicas: Invalid value: -1: '));
    assert.ok(s.message.endsWith(', spec.clusterIPs: Internal error: failed to allocate a serviceIP: range is full]'));
  });

  it('core kinds are named bare and carry no group; no errors, no colon', () => {
    const s = invalid('', 'Pod', 'p', []).status;
    assert.strictEqual(s.message, 'Pod "p" is invalid');
    assert.deepStrictEqual(s.details, { name: 'p', group: undefined, kind: 'Pod', causes: [] });
  });

  it('the editor\'s wording of a CRD\'s findings is the apiserver\'s, its x-kubernetes-* fields dotted as upstream\'s Child prints them', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'foos.example.com' },
      spec: { group: 'example.com', names: { plural: 'foos', kind: 'Foo' }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { myField: { type: 'string', 'x-kubernetes-validations': [{ message: 'm' }] } } } } }] },
    };
    const cp = newTestControlPlane();
    const s = statusOf(() => cp.api.create({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }, undefined, structuredClone(crd) as any));
    const field = 'spec.versions[0].schema.openAPIV3Schema.properties.myField.x-kubernetes-validations[0].rule';
    assert.deepStrictEqual(s.details.causes, [{ reason: 'FieldValueRequired', message: 'Required value', field }]);
    const editor = validateObject(crd, getSchema(), { kubernetesVersion: '1.34' }).filter((f) => f.apiError).map(fieldErrorString);
    assert.deepStrictEqual(editor, [`${field}: Required value`]);
  });

  it('unknown fields under Strict name the decoder\'s dotted path', () => {
    const cp = newTestControlPlane();
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' }, 'foo-bar': 1 }, spec: { containers: [{ name: 'c', image: 'i', 'x-y': 1 }] } } } };
    const s = statusOf(() => cp.api.create(R.deployments, 'default', d as any, { fieldValidation: 'Strict' }));
    assert.strictEqual(s.message, 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
      + 'unknown field "spec.template.metadata.foo-bar", unknown field "spec.template.spec.containers[0].x-y"');
  });
});
