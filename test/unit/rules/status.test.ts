import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import {
  aggregate, errorBody, fieldErrorString, fieldErrorText, findingFieldError, formatFieldPath, goLabelSelector, goValue, invalidMessage, invalidText,
  type FieldError,
} from '../../../kube/src/rules/status';
import type { Finding } from '../../../kube/src/rules/types';
import { getSchema } from '../../../kube/src/schema/index';

describe('rules/status: upstream error wording for the apiserver', () => {
  const schema = getSchema();
  it('prints field paths like field.Path', () => {
    assert.strictEqual(formatFieldPath(['spec', 'template', 'spec', 'containers', 0, 'image']), 'spec.template.spec.containers[0].image');
    assert.strictEqual(formatFieldPath(['metadata', 'labels', 'app.kubernetes.io/name']), 'metadata.labels[app.kubernetes.io/name]');
  });

  it('formats the selector mismatch and the surge/unavailable error as kubectl shows them', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {
      selector: { matchLabels: { app: 'web' } }, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'wbe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const fs = validateObject(d, schema, { kubernetesVersion: '1.34' });
    assert.deepStrictEqual(fs.map(fieldErrorString), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"wbe"}: `selector` does not match template `labels`',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    assert.match(invalidMessage('Deployment.apps', 'web', fs), /^Deployment\.apps "web" is invalid: \[spec\.template\.metadata\.labels: Invalid value: .*, spec\.strategy/);
  });

  it('a single error is not bracketed; Required and NotSupported read like upstream', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Sometimes' }] } } } };
    const fs = validateObject(job, schema, { kubernetesVersion: '1.34' });
    assert.deepStrictEqual(fs.map(fieldErrorString).sort(), [
      'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    const one = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad' } }, schema, { kubernetesVersion: '1.34' });
    assert.match(invalidMessage('ConfigMap', 'Bad', one), /^ConfigMap "Bad" is invalid: metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
  });
});

/**
 * The one formatter of field errors (kube/src/rules/status.ts), pinned type by
 * type against field.Error.ErrorBody in
 * k8s.io/apimachinery/pkg/util/validation/field/errors.go: Required,
 * Forbidden, TooLong and Internal print no value; an omitted value
 * (field.OmitValueType) prints none either; every other type prints the value
 * (strings %q, numbers and booleans %v, the rest %#v); a detail is appended
 * after `: ` only when it is not empty.
 */
describe('rules/status: field.Error.ErrorBody, type by type', () => {
  const body = (e: Omit<FieldError, 'field'>) => errorBody({ field: 'f', ...e });

  it('Required prints no value, with or without a detail', () => {
    assert.strictEqual(body({ type: 'FieldValueRequired', value: '' }), 'Required value');
    assert.strictEqual(body({ type: 'FieldValueRequired', value: 'ignored', detail: 'name or generateName is required' }), 'Required value: name or generateName is required');
  });

  it('Forbidden, TooLong and Internal error print no value', () => {
    assert.strictEqual(body({ type: 'FieldValueForbidden', value: '', detail: 'may not be set for init containers' }), 'Forbidden: may not be set for init containers');
    assert.strictEqual(body({ type: 'FieldValueForbidden' }), 'Forbidden');
    assert.strictEqual(body({ type: 'FieldValueTooLong', value: 'x'.repeat(300), detail: 'may not be more than 253 bytes' }), 'Too long: may not be more than 253 bytes');
    assert.strictEqual(body({ type: 'InternalError', detail: 'failed to allocate a serviceIP: range is full' }), 'Internal error: failed to allocate a serviceIP: range is full');
  });

  it('Invalid and TypeInvalid print the value, then the detail when there is one', () => {
    assert.strictEqual(body({ type: 'FieldValueInvalid', value: -1, detail: 'must be greater than or equal to 0' }), 'Invalid value: -1: must be greater than or equal to 0');
    assert.strictEqual(body({ type: 'FieldValueInvalid', value: 'Bad', detail: 'd' }), 'Invalid value: "Bad": d');
    assert.strictEqual(body({ type: 'FieldValueInvalid', value: true }), 'Invalid value: true');
    assert.strictEqual(body({ type: 'FieldValueInvalid', value: 0.5, detail: '' }), 'Invalid value: 0.5');
    assert.strictEqual(body({ type: 'FieldValueTypeInvalid', value: 'x', detail: 'must be an integer' }), 'Invalid value: "x": must be an integer');
  });

  it('an omitted value leaves only the type and the detail', () => {
    assert.strictEqual(body({ type: 'FieldValueInvalid', value: 3, omitValue: true, detail: 'must be one of the pod\'s containers' }), 'Invalid value: must be one of the pod\'s containers');
    assert.strictEqual(body({ type: 'FieldValueTooMany', omitValue: true, detail: 'has too many items' }), 'Too many: has too many items');
    assert.strictEqual(body({ type: 'FieldValueDuplicate', omitValue: true }), 'Duplicate value');
  });

  it('TooMany prints the count and the limit (field.TooMany)', () => {
    assert.strictEqual(body({ type: 'FieldValueTooMany', value: 21, detail: 'must have at most 20 items' }), 'Too many: 21: must have at most 20 items');
  });

  it('Duplicate and NotFound print the value, and a detail when one is set', () => {
    assert.strictEqual(body({ type: 'FieldValueDuplicate', value: 'a' }), 'Duplicate value: "a"');
    assert.strictEqual(body({ type: 'FieldValueDuplicate', value: 3, detail: 'd' }), 'Duplicate value: 3: d');
    assert.strictEqual(body({ type: 'FieldValueNotFound', value: 'pvc-1' }), 'Not found: "pvc-1"');
  });

  it('NotSupported prints the value and the quoted supported values (its detail)', () => {
    assert.strictEqual(body({ type: 'FieldValueNotSupported', value: 'Sometimes', detail: 'supported values: "Always", "IfNotPresent", "Never"' }),
      'Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"');
  });

  it('valueText stands for the value of every type that prints one, and only those', () => {
    const vt = 'core.ServicePort{Name:"", Protocol:"TCP", Port:80}';
    assert.strictEqual(body({ type: 'FieldValueDuplicate', value: { port: 80 }, valueText: vt }), `Duplicate value: ${vt}`);
    assert.strictEqual(body({ type: 'FieldValueTooMany', value: 3, valueText: 'three', detail: 'd' }), 'Too many: three: d');
    assert.strictEqual(body({ type: 'FieldValueRequired', valueText: vt }), 'Required value');
    assert.strictEqual(body({ type: 'FieldValueInvalid', valueText: vt, omitValue: true, detail: 'd' }), 'Invalid value: d');
  });

  it('Error() is the field, a colon and the body', () => {
    assert.strictEqual(fieldErrorText({ type: 'FieldValueInvalid', field: 'spec.replicas', value: -1, detail: 'must be greater than or equal to 0' }),
      'spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });
});

describe('rules/status: values as Go prints them', () => {
  // A nil interface or pointer upstream prints as the quoted string "null", and typed nils as `[]int32(nil)`
  // and the like; JSON null carries no Go type, so the rules give a valueText where that matters.
  it('strings quoted, numbers and booleans bare, JSON null as null', () => {
    assert.deepStrictEqual([goValue('a"b'), goValue(-3), goValue(false), goValue(null), goValue(undefined)], ['"a\\"b"', '-3', 'false', 'null', 'null']);
  });

  it('maps with sorted keys: string maps typed map[string]string, others map[string]interface {}', () => {
    assert.strictEqual(goValue({ b: '2', a: '1' }), 'map[string]string{"a":"1", "b":"2"}');
    assert.strictEqual(goValue({}), 'map[string]string{}');
    assert.strictEqual(goValue({ n: 1, s: 'x', o: { k: 'v' }, z: null }), 'map[string]interface {}{"n":1, "o":map[string]string{"k":"v"}, "s":"x", "z":null}');
  });

  it('lists: []string, []int32 for whole numbers, []interface {} otherwise', () => {
    assert.strictEqual(goValue(['a', 'b']), '[]string{"a", "b"}');
    assert.strictEqual(goValue([0, 3, 3, 1]), '[]int32{0, 3, 3, 1}');
    assert.strictEqual(goValue([1, 'a', 0.5]), '[]interface {}{1, "a", 0.5}');
    assert.strictEqual(goValue([]), '[]string{}');
  });

  it('a *metav1.LabelSelector as its dereferenced struct', () => {
    assert.strictEqual(goLabelSelector(undefined), 'null');
    assert.strictEqual(goLabelSelector({}), 'v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}');
    assert.strictEqual(goLabelSelector({ matchLabels: { app: 'z' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }, { key: 'x', operator: 'Exists' }] }),
      'v1.LabelSelector{MatchLabels:map[string]string{"app":"z"}, MatchExpressions:[]v1.LabelSelectorRequirement{'
      + 'v1.LabelSelectorRequirement{Key:"tier", Operator:"In", Values:[]string{"a"}}, v1.LabelSelectorRequirement{Key:"x", Operator:"Exists", Values:[]string(nil)}}}');
  });
});

describe('rules/status: aggregate and NewInvalid', () => {
  it('one message bare, several in brackets in order, repeats dropped', () => {
    assert.strictEqual(aggregate(['a: x']), 'a: x');
    assert.strictEqual(aggregate(['a: x', 'b: y', 'a: x', 'c: z']), '[a: x, b: y, c: z]');
  });

  it('the Invalid message, and no colon when there is no error', () => {
    const errs: FieldError[] = [
      { type: 'FieldValueRequired', field: 'spec.containers' },
      { type: 'FieldValueRequired', field: 'spec.containers' },
    ];
    assert.strictEqual(invalidText('Pod', 'p', errs), 'Pod "p" is invalid: spec.containers: Required value');
    assert.strictEqual(invalidText('Deployment.apps', 'web', []), 'Deployment.apps "web" is invalid');
    assert.strictEqual(invalidMessage('Deployment.apps', 'web', []), 'Deployment.apps "web" is invalid');
  });
});

describe('rules/status: a finding as the apiserver reports it', () => {
  const finding = (apiError: Finding['apiError'], path: Finding['path'] = ['spec', 'x'], code = 'c'): Finding => ({ code, severity: 'error', path, message: '', apiError });

  it('a rule that gave no value gets none printed; NotSupported always prints one', () => {
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueInvalid', detail: 'd' })), 'spec.x: Invalid value: d');
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueDuplicate' })), 'spec.x: Duplicate value');
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueNotSupported', supported: ['A'] })), 'spec.x: Unsupported value: null: supported values: "A"');
  });

  it('NotSupported lists the supported values unless the rule gave its own detail', () => {
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueNotSupported', value: 'OnFailure', supported: ['Always'] })),
      'spec.x: Unsupported value: "OnFailure": supported values: "Always"');
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueNotSupported', value: 'b', supported: ['a'], detail: 'only a' })), 'spec.x: Unsupported value: "b": only a');
  });

  it('reports at apiPath, dotted as the apiserver prints names, with the rule\'s valueText or the selector struct', () => {
    const e = findingFieldError(finding({ type: 'FieldValueInvalid', value: 'k', detail: 'd', apiPath: ['metadata', 'labels'] }, ['metadata', 'labels', 'a.b/c']));
    assert.deepStrictEqual(e, { type: 'FieldValueInvalid', field: 'metadata.labels', value: 'k', omitValue: false, detail: 'd' });
    assert.strictEqual(findingFieldError(finding({ type: 'FieldValueRequired' }, ['spec', 'x-kubernetes-validations', 0, 'rule'])).field, 'spec.x-kubernetes-validations[0].rule');
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueInvalid', value: {}, detail: 'empty selector is invalid for deployment' }, ['spec', 'selector'], 'empty-selector')),
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment');
    assert.strictEqual(fieldErrorString(finding({ type: 'FieldValueNotSupported', value: null, valueText: 'core.ResourceList(nil)', supported: ['storage'] })),
      'spec.x: Unsupported value: core.ResourceList(nil): supported values: "storage"');
  });

  it('the editor\'s and CLI\'s path style brackets keys that are no identifiers; the apiserver\'s dots them', () => {
    const p = ['spec', 'capacity', 'example.com/gpu', 'resources[storage]', 2];
    assert.strictEqual(formatFieldPath(p), 'spec.capacity[example.com/gpu].resources[storage][2]');
    assert.strictEqual(formatFieldPath(p, 'dot'), 'spec.capacity.example.com/gpu.resources[storage][2]');
    assert.strictEqual(formatFieldPath(['x y', 'z']), 'x y.z');
  });
});
