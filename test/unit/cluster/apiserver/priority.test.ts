import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

/** The Priority admission plugin (plugin/pkg/admission/priority) and the system classes the apiserver bootstraps. */
const pod = (name: string, spec: any = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } }) as KObject;
const pc = (name: string, value: number, extra: any = {}): KObject => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra }) as KObject;
const refusal = statusOf;

describe('pod priority admission', () => {
  it('has the two system classes from the start, and gives pods without a class priority 0', () => {
    const cp = newTestControlPlane();
    const names = cp.api.list(R.priorityclasses, undefined).items.map((o) => [o.metadata.name, o.value, o.preemptionPolicy]);
    assert.deepStrictEqual(names, [['system-cluster-critical', 2_000_000_000, 'PreemptLowerPriority'], ['system-node-critical', 2_000_001_000, 'PreemptLowerPriority']]);
    const p = cp.api.create(R.pods, 'default', pod('plain')).object;
    assert.deepStrictEqual([p.spec.priority, p.spec.preemptionPolicy, p.spec.priorityClassName], [0, 'PreemptLowerPriority', undefined]);
    const crit = cp.api.create(R.pods, 'default', pod('crit', { priorityClassName: 'system-node-critical' })).object;
    assert.strictEqual(crit.spec.priority, 2_000_001_000);
  });

  it('resolves a user class: its value and preemption policy', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.priorityclasses, undefined, pc('batch-low', -10, { preemptionPolicy: 'Never' }));
    const p = cp.api.create(R.pods, 'default', pod('job', { priorityClassName: 'batch-low' })).object;
    assert.deepStrictEqual([p.spec.priority, p.spec.preemptionPolicy], [-10, 'Never']);
  });

  it('refuses an unknown class and a priority or policy that disagrees with the class, with upstream\'s words', () => {
    const cp = newTestControlPlane();
    const unknown = refusal(() => cp.api.create(R.pods, 'default', pod('x', { priorityClassName: 'nope' })));
    assert.deepStrictEqual([unknown.code, unknown.reason, unknown.message], [403, 'Forbidden', 'pods "x" is forbidden: no PriorityClass with name nope was found']);
    const value = refusal(() => cp.api.create(R.pods, 'default', pod('y', { priority: 5 })));
    assert.strictEqual(value.message, 'pods "y" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name');
    cp.api.create(R.priorityclasses, undefined, pc('never', 100, { preemptionPolicy: 'Never' }));
    const policy = refusal(() => cp.api.create(R.pods, 'default', pod('z', { priorityClassName: 'never', preemptionPolicy: 'PreemptLowerPriority' })));
    assert.strictEqual(policy.message, 'pods "z" is forbidden: the string value of PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller computed Never from the given PriorityClass name');
    assert.strictEqual(cp.api.create(R.pods, 'default', pod('ok', { priority: 0 })).object.spec.priority, 0, 'the computed value itself is accepted');
  });

  it('applies the one global default to pods without a class, and refuses a second default', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.priorityclasses, undefined, pc('everyone', 1000, { globalDefault: true }));
    const p = cp.api.create(R.pods, 'default', pod('d')).object;
    assert.deepStrictEqual([p.spec.priorityClassName, p.spec.priority, p.spec.preemptionPolicy], ['everyone', 1000, 'PreemptLowerPriority']);
    const second = refusal(() => cp.api.create(R.priorityclasses, undefined, pc('also', 5, { globalDefault: true })));
    assert.deepStrictEqual([second.code, second.message], [403, 'priorityclasses.scheduling.k8s.io "also" is forbidden: PriorityClass everyone is already marked as default. Only one default can exist']);
    const other = cp.api.create(R.priorityclasses, undefined, pc('other', 7)).object;
    const flip = refusal(() => cp.api.update(R.priorityclasses, undefined, { ...other, globalDefault: true } as KObject));
    assert.strictEqual(flip.code, 403);
  });
});

describe('pod priority on update', () => {
  it('keeps the priority admission set when a full update leaves it out, as kubectl replace does', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.priorityclasses, undefined, pc('batch-low', -10, { preemptionPolicy: 'Never' }));
    const created = cp.api.create(R.pods, 'default', pod('p', { priorityClassName: 'batch-low' })).object;
    const { priority: _p, preemptionPolicy: _pp, ...specWithout } = created.spec;
    const updated = cp.api.update(R.pods, 'default', { ...created, metadata: { ...created.metadata, labels: { tier: 'batch' } }, spec: specWithout } as KObject).object;
    assert.deepStrictEqual([updated.metadata.labels, updated.spec.priority, updated.spec.preemptionPolicy], [{ tier: 'batch' }, -10, 'Never']);
  });
});
