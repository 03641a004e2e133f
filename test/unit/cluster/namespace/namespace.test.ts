import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { NamespaceController } from '../../../../cluster/src/controllers/namespace';
import { GarbageCollector } from '../../../../cluster/src/controllers/garbagecollector';

describe('namespace controller', () => {
  it('gives each namespace its default ServiceAccount and kube-root-ca.crt', () => {
    const cp = newTestControlPlane();
    cp.start(new NamespaceController(cp.ctx, cp.store));
    cp.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    cp.settle();
    assert.ok(cp.store.get('/serviceaccounts', 'team', 'default'));
    assert.ok(cp.store.get('/configmaps', 'team', 'kube-root-ca.crt')!.data['ca.crt']);
    const ns = cp.api.get(R.namespaces, undefined, 'team');
    assert.strictEqual(ns.metadata.labels!['kubernetes.io/metadata.name'], 'team');
    assert.deepStrictEqual(ns.spec.finalizers, ['kubernetes']);
    assert.strictEqual(ns.status.phase, 'Active');
  });

  it('deleting a namespace deletes its contents, reports Terminating with upstream conditions, then the namespace', () => {
    const cp = newTestControlPlane();
    cp.start(new NamespaceController(cp.ctx, cp.store), new GarbageCollector(cp.ctx, cp.store));
    cp.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    cp.api.create(R.configmaps, 'team', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    cp.api.create(R.secrets, 'team', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
    cp.settle();
    cp.api.delete(R.namespaces, undefined, 'team');
    cp.settle();
    const ns = cp.api.get(R.namespaces, undefined, 'team');
    assert.strictEqual(ns.status.phase, 'Terminating');
    const byType = Object.fromEntries(ns.status.conditions.map((c: any) => [c.type, c]));
    assert.strictEqual(byType.NamespaceContentRemaining.status, 'True');
    assert.strictEqual(byType.NamespaceContentRemaining.reason, 'SomeResourcesRemain');
    assert.strictEqual(byType.NamespaceContentRemaining.message, 'Some resources are remaining: configmaps. has 1 resource instances');
    assert.strictEqual(byType.NamespaceFinalizersRemaining.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
    assert.strictEqual(byType.NamespaceDeletionDiscoveryFailure.reason, 'ResourcesDiscovered');
    assert.ok(!cp.store.get('/secrets', 'team', 's'));
    cp.api.patch(R.configmaps, 'team', 'held', 'merge', { metadata: { finalizers: null } });
    cp.settle();
    assert.strictEqual(cp.store.get('/namespaces', undefined, 'team'), undefined);
  });
});
