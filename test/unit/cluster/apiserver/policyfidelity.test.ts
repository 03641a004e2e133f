/** PriorityClass validation, LimitRange messages and PodDisruptionBudget diagnostics as upstream (review of stop 29). */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { errorText } from './statusOf';
import { namespaceTerminating } from '../../../../cluster/src/controllers/util/write';

const pc = (name: string, value: number, extra: any = {}) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra }) as KObject;

describe('cluster/apiserver: policy objects as upstream validates and reports them', () => {
  it('PriorityClass: user classes up to one billion, `system-` names reserved, value and preemptionPolicy fixed', () => {
    const pg = newTestPlayground();
    assert.strictEqual(errorText(() => pg.api.create(R.priorityclasses, undefined, pc('too-high', 2_000_000_000))),
      '422 PriorityClass.scheduling.k8s.io "too-high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    assert.strictEqual(errorText(() => pg.api.create(R.priorityclasses, undefined, pc('system-mine', 10))),
      '422 PriorityClass.scheduling.k8s.io "system-mine" is invalid: metadata.name: Forbidden: priority class names with \'system-\' prefix are reserved for system use only. error: system-mine is not a known system priority class');
    pg.api.create(R.priorityclasses, undefined, pc('high', 1000));
    assert.strictEqual(errorText(() => pg.api.patch(R.priorityclasses, undefined, 'high', 'merge', { value: 5 })),
      '422 PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: may not be changed in an update.');
    assert.strictEqual(errorText(() => pg.api.patch(R.priorityclasses, undefined, 'high', 'merge', { preemptionPolicy: 'Never' })),
      '422 PriorityClass.scheduling.k8s.io "high" is invalid: preemptionPolicy: Invalid value: "Never": field is immutable');
    assert.doesNotThrow(() => pg.api.patch(R.priorityclasses, undefined, 'high', 'merge', { description: 'for the web tier' }));
    pg.close();
  });

  it('LimitRange: the same broken minimum in two containers is said once, without brackets', () => {
    const pg = newTestPlayground();
    pg.api.create(R.limitranges, 'default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'min' }, spec: { limits: [{ type: 'Container', min: { cpu: '100m' } }] } } as KObject);
    const c = (name: string) => ({ name, image: 'nginx', resources: { requests: { cpu: '50m' } } });
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'two' }, spec: { containers: [c('a'), c('b')] } } as KObject)),
      '403 pods "two" is forbidden: minimum cpu usage per Container is 100m, but request is 50m');
    pg.close();
  });

  it('PodDisruptionBudget: DaemonSet pods have no scale to count by; a pod two budgets select gets a warning', () => {
    const pg = newTestPlayground();
    pg.apply(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: ds-pdb}
spec: {maxUnavailable: 1, selector: {matchLabels: {app: ds}}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: a-pdb}
spec: {minAvailable: 1, selector: {matchLabels: {app: ds}}}
`);
    pg.advance(30_000);
    const pdb = pg.api.get(R.pdbs, 'default', 'ds-pdb');
    const cond = pdb.status.conditions.find((x: any) => x.type === 'DisruptionAllowed');
    assert.deepStrictEqual([cond.status, cond.reason, cond.message], ['False', 'SyncFailed', 'daemonsets.apps does not implement the scale subresource']);
    const events = pg.api.list(R.events, 'default').items;
    assert.ok(events.some((e) => e.reason === 'CalculateExpectedPodCountFailed' && e.message === 'Failed to calculate the number of expected pods: daemonsets.apps does not implement the scale subresource'));
    const pod = pg.api.list(R.pods, 'default').items.find((p) => p.metadata.labels?.app === 'ds')!;
    const multiple = events.filter((e) => e.reason === 'MultiplePodDisruptionBudgets' && e.involvedObject?.name === pod.metadata.name);
    assert.strictEqual(multiple.length, 1);
    assert.strictEqual(multiple[0].type, 'Warning');
    assert.strictEqual(multiple[0].message, `Pod "default"/"${pod.metadata.name}" matches multiple PodDisruptionBudgets.  Chose "a-pdb" arbitrarily.`);
    pg.close();
  });
});

describe('cluster/apiserver: what Go\'s encoding leaves out, and the terminating namespace\'s cause', () => {
  it('drops empty labels, annotations, finalizers, data and container lists (omitempty)', () => {
    const pg = newTestPlayground();
    pg.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'lb', labels: { a: 'b' }, annotations: {} }, data: {} } as KObject);
    const after = pg.api.patch(R.configmaps, 'default', 'lb', 'merge', { metadata: { labels: { a: null }, finalizers: [] } }).object;
    assert.deepStrictEqual(['labels', 'annotations', 'finalizers'].filter((k) => k in after.metadata), []);
    assert.ok(!('data' in after));
    const p = pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', env: [], args: [] }] } } as KObject).object;
    assert.ok(!('env' in p.spec.containers[0]) && !('args' in p.spec.containers[0]), JSON.stringify(p.spec.containers[0]));
    pg.close();
  });

  it('refuses content in a terminating namespace with the NamespaceTerminating cause', () => {
    const pg = newTestPlayground();
    pg.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'going' } } as KObject);
    pg.api.create(R.configmaps, 'going', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } } as KObject);
    pg.api.delete(R.namespaces, undefined, 'going');
    pg.advance(2_000);
    let status: any;
    try { pg.api.create(R.configmaps, 'going', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'q' } } as KObject); } catch (e: any) { status = e.status; }
    assert.strictEqual(status.message, 'configmaps "q" is forbidden: unable to create new content in namespace going because it is being terminated');
    assert.deepStrictEqual(status.details.causes, [{ reason: 'NamespaceTerminating', message: 'namespace going is being terminated', field: 'metadata.namespace' }]);
    // What the controllers test before they record FailedCreate.
    let err: unknown;
    try { pg.api.create(R.pods, 'going', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject); } catch (e) { err = e; }
    assert.ok(namespaceTerminating(err));
    assert.ok(!namespaceTerminating(new Error('other')));
    pg.close();
  });
});
