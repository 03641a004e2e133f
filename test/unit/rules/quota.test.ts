import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { apiErrors, fieldErrorString } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';
import { addQty, formatQty, parseQty } from '../../../kube/src/qty';

/** ValidateResourceQuota and ValidateLimitRange, in upstream's words; and Quantity's canonical text. */
const schema = getSchema();
const errors = (obj: any) => apiErrors(validateObject(obj, schema, { kubernetesVersion: '1.34' }), obj.kind).map(fieldErrorString);
const quota = (spec: any) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec });
const limits = (...items: any[]) => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits: items } });

describe('kube/qty', () => {
  const canon = (s: string) => formatQty(parseQty(s)!);
  it('prints the canonical text resource.Quantity does', () => {
    const cases: [string, string][] = [['0.5', '500m'], ['1000m', '1'], ['1.5', '1500m'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['2000', '2k'], ['1200', '1200'],
      ['512', '512'], ['0', '0'], ['0Gi', '0'], ['1e3', '1e3'], ['500M', '500M'], ['0.1Gi', '107374182400m'], ['1n', '1n'], ['-1Gi', '-1Gi']];
    for (const [i, o] of cases) assert.strictEqual(canon(i), o, i);
  });
  it('adds keeping the first operand\'s format, or the second\'s when the first is zero', () => {
    const add = (a: string, b: string) => formatQty(addQty(parseQty(a)!, parseQty(b)!));
    assert.strictEqual(add('1Gi', '512Mi'), '1536Mi');
    assert.strictEqual(add('0', '256Mi'), '256Mi');
    assert.strictEqual(add('512Mi', '500M'), '1036870912');
    assert.strictEqual(add('1G', '500M'), '1500M');
    assert.strictEqual(add('500m', '500m'), '1');
  });
  it('refuses what is no quantity', () => {
    for (const s of ['', '1.2.3', 'abc', '5 Gi', '1Kb']) assert.strictEqual(parseQty(s), undefined, s);
  });
});

describe('rules/quota', () => {
  it('accepts the documentation\'s quotas', () => {
    assert.deepStrictEqual(errors(quota({ hard: { pods: '10', 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2Gi', 'requests.nvidia.com/gpu': 4 } })), []);
    assert.deepStrictEqual(errors(quota({ hard: { 'count/deployments.apps': '2', 'gold.storageclass.storage.k8s.io/requests.storage': '500Gi', services: 5 } })), []);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '5' }, scopes: ['BestEffort'] })), []);
  });
  it('names a quota cannot track, negative and fractional counts', () => {
    assert.deepStrictEqual(errors(quota({ hard: { 'limits.pods': '1' } })), [
      'spec.hard[limits.pods]: Invalid value: limits.pods: must be a standard resource type or fully qualified',
      'spec.hard[limits.pods]: Invalid value: limits.pods: must be a standard resource for quota',
    ]);
    assert.deepStrictEqual(errors(quota({ hard: { storage: '1Gi' } })), ['spec.hard[storage]: Invalid value: storage: must be a standard resource for quota']);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '-1' } })), ['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0']);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '1500m' } })), ['spec.hard[pods]: Invalid value: 1500m: must be an integer']);
  });
  it('scopes that do not fit the resources, or each other', () => {
    assert.deepStrictEqual(errors(quota({ hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] })), [
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
    ]);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort'] })), [
      'spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    ]);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } })), [
      "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    ]);
    assert.deepStrictEqual(errors(quota({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'Terminating', operator: 'In', values: ['x'] }] } })), [
      "spec.scopeSelector.matchExpressions.operator: Invalid value: In: must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
    ]);
  });
  it('LimitRanges: types, Pod defaults, the PVC storage bound', () => {
    assert.deepStrictEqual(errors(limits({ type: 'Container', max: { cpu: '1' }, min: { cpu: '100m' } }, { type: 'Pod', max: { memory: '1Gi' } }, { type: 'PersistentVolumeClaim', max: { storage: '2Gi' } })), []);
    assert.deepStrictEqual(errors(limits({ type: 'Node' })), ['spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified']);
    assert.deepStrictEqual(errors(limits({ type: 'Container' }, { type: 'Container' })), ['spec.limits[1].type: Duplicate value: "Container"']);
    assert.deepStrictEqual(errors(limits({ type: 'Pod', default: { cpu: '1' } })), ["spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"]);
    assert.deepStrictEqual(errors(limits({ type: 'PersistentVolumeClaim' })), ['spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided']);
    // The stored item also has it as its default limit and request (copied from max), and says so there too.
    assert.deepStrictEqual(errors(limits({ type: 'Container', max: { pods: '1' } })), [
      'spec.limits[0].max[pods]: Invalid value: pods: must be a standard resource for containers',
      'spec.limits[0].default[pods]: Invalid value: pods: must be a standard resource for containers',
      'spec.limits[0].defaultRequest[pods]: Invalid value: pods: must be a standard resource for containers',
    ]);
  });
  it('LimitRanges: min <= defaultRequest <= default <= max, as stored after defaulting', () => {
    // max 500m defaults the default limit to 500m, which the 1-CPU default request then exceeds twice over.
    assert.deepStrictEqual(errors(limits({ type: 'Container', max: { cpu: '500m' }, defaultRequest: { cpu: '1' } })), [
      'spec.limits[0].defaultRequest[cpu]: Invalid value: 1: default request value 1 is greater than max value 500m',
      'spec.limits[0].defaultRequest[cpu]: Invalid value: 1: default request value 1 is greater than default limit value 500m',
    ]);
    assert.deepStrictEqual(errors(limits({ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } })), [
      'spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1',
      // The default limit (1, from max) and request (1) are below the min too.
      'spec.limits[0].defaultRequest[cpu]: Invalid value: 1: min value 2 is greater than default request value 1',
      'spec.limits[0].default[cpu]: Invalid value: 2: min value 2 is greater than default value 1',
    ]);
    assert.deepStrictEqual(errors(limits({ type: 'Container', min: { cpu: '100m' }, max: { cpu: '400m' }, maxLimitRequestRatio: { cpu: '10' } })), [
      'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: 10: ratio 10 is greater than max/min = 4.000000',
    ]);
    assert.deepStrictEqual(errors(limits({ type: 'Container', maxLimitRequestRatio: { memory: '500m' } })), [
      'spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: 500m: ratio 500m is less than 1',
    ]);
  });
});

describe('rules/podSecurityLabels', () => {
  it('refuses a Pod Security label naming no level or version, as the PodSecurity plugin does', () => {
    const ns = (labels: any) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', labels } });
    assert.deepStrictEqual(errors(ns({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/warn-version': 'v1.32' })), []);
    assert.deepStrictEqual(errors(ns({ 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn-version': '1.25' })), [
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.25": must be "latest" or "v1.x"',
    ]);
  });
});

describe('kube/qty: magnitudes', () => {
  it('leaves quantities beyond 10^60 unmodelled instead of building them (1e300000 is no hang)', () => {
    for (const v of ['1e300000', '1e999999999', '1'.padEnd(100_000, '0')]) assert.strictEqual(parseQty(v), undefined, v.slice(0, 12));
    assert.strictEqual(formatQty(parseQty('1e60')!), '1e60');
  });
});
