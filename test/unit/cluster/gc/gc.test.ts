import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { GarbageCollector } from '../../../../cluster/src/controllers/garbagecollector';
import type { KObject } from '../../../../cluster/src/contract';

function setup() {
  const cp = newTestControlPlane();
  cp.start(new GarbageCollector(cp.ctx, cp.store));
  const owner = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } }).object;
  const ref = (o: KObject, block = false) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: block });
  const dep = (name: string, owners: any[], finalizers?: string[]) =>
    cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ownerReferences: owners, finalizers } }).object;
  const exists = (name: string) => cp.store.get('/configmaps', 'default', name);
  return { cp, owner, ref, dep, exists };
}

describe('garbage collector', () => {
  it('background: deleting the owner deletes its dependents, but not those with another live owner', () => {
    const { cp, owner, ref, dep, exists } = setup();
    const other = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }).object;
    dep('a', [ref(owner)]);
    // Only one reference may be the controller (ValidateOwnerReferences).
    dep('b', [ref(owner), { ...ref(other), controller: false }]);
    cp.settle();
    cp.api.delete(R.configmaps, 'default', 'owner');
    cp.settle();
    assert.ok(!exists('owner'));
    assert.ok(!exists('a'));
    assert.ok(exists('b'));
    assert.deepStrictEqual(exists('b')!.metadata.ownerReferences!.map((r) => r.name), ['other'], 'the dangling reference is dropped');
  });

  it('deletes a dependent created for an owner that no longer exists', () => {
    const { cp, dep, exists } = setup();
    dep('late', [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: '00000000-0000-4000-8000-000000000000' }]);
    cp.settle();
    assert.ok(!exists('late'));
  });

  it('foreground: the owner waits with foregroundDeletion until blocking dependents are gone', () => {
    const { cp, owner, ref, dep, exists } = setup();
    dep('blocker', [ref(owner, true)], ['example.com/hold']);
    cp.settle();
    cp.api.delete(R.configmaps, 'default', 'owner', { propagationPolicy: 'Foreground' });
    cp.settle();
    assert.ok(exists('owner'), 'owner waits');
    assert.deepStrictEqual(exists('owner')!.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(exists('blocker')!.metadata.deletionTimestamp, 'dependent is being deleted');
    cp.api.patch(R.configmaps, 'default', 'blocker', 'merge', { metadata: { finalizers: null } });
    cp.settle();
    assert.ok(!exists('blocker'));
    assert.ok(!exists('owner'), 'owner goes once its blocking dependents are gone');
  });

  it('orphan: dependents lose the reference and stay; the owner goes', () => {
    const { cp, owner, ref, dep, exists } = setup();
    dep('kept', [ref(owner)]);
    cp.settle();
    cp.api.delete(R.configmaps, 'default', 'owner', { propagationPolicy: 'Orphan' });
    cp.settle();
    assert.ok(!exists('owner'));
    assert.ok(exists('kept'));
    assert.strictEqual(exists('kept')!.metadata.ownerReferences, undefined);
  });

  it('leaves Events out of its graph, as upstream ignores them: an Event whose owner is gone stays; an Event may own nothing', () => {
    const { cp, owner, ref, dep, exists } = setup();
    const event = (name: string, owners?: any[]) =>
      cp.api.create(R.events, 'default', {
        apiVersion: 'v1', kind: 'Event', metadata: { name, ownerReferences: owners },
        involvedObject: { kind: 'ConfigMap', namespace: 'default', name: 'owner' }, reason: 'Test', message: 'm', type: 'Normal',
      } as KObject).object;
    event('owned-event', [ref(owner)]);
    const ev = event('owner-event');
    // ValidateOwnerReferences' BannedOwners: the apiserver refuses an Event as an owner.
    assert.throws(() => dep('owned-by-event', [{ apiVersion: 'v1', kind: 'Event', name: 'owner-event', uid: ev.metadata.uid! }]),
      /metadata\.ownerReferences: Invalid value: \{"apiVersion":"v1","kind":"Event","name":"owner-event","uid":"[0-9a-f-]+"\}: \/v1, Kind=Event is disallowed from being an owner/);
    // The ban compares the parsed GroupVersionKind: "/v1" is the core group's v1 too.
    assert.throws(() => dep('owned-by-event2', [{ apiVersion: '/v1', kind: 'Event', name: 'owner-event', uid: ev.metadata.uid! }]),
      /metadata\.ownerReferences: Invalid value: \{"apiVersion":"\/v1","kind":"Event","name":"owner-event","uid":"[0-9a-f-]+"\}: \/v1, Kind=Event is disallowed from being an owner/);
    cp.settle();
    cp.api.delete(R.configmaps, 'default', 'owner');
    cp.settle();
    assert.ok(!exists('owner'));
    assert.ok(cp.store.get('/events', 'default', 'owned-event'), 'the garbage collector does not watch Events');
    assert.strictEqual(cp.store.byUid(ev.metadata.uid!), undefined, 'Events are not in the uid index');
  });
});

describe('garbage collector: owner references it cannot honour (isDangling, reportInvalidNamespaceOwnerRef)', () => {
  it('an owner in another namespace, or under another name, counts as gone; the first is reported', () => {
    const { cp, owner, ref } = setup();
    cp.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'b' } } as KObject);
    const cross = cp.api.create(R.configmaps, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'crossdep', ownerReferences: [ref(owner)] } } as KObject).object;
    cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'wrongname', ownerReferences: [{ ...ref(owner), name: 'not-the-owner' }] } } as KObject);
    cp.settle();
    assert.ok(!cp.store.get('/configmaps', 'b', 'crossdep'), 'deleted: its owner is not in its namespace');
    assert.ok(!cp.store.get('/configmaps', 'default', 'wrongname'), 'deleted: no owner of that name has that uid');
    assert.ok(cp.store.get('/configmaps', 'default', 'owner'));
    const ev = cp.eventsFor(cross).find((e) => e.reason === 'OwnerRefInvalidNamespace');
    assert.strictEqual(ev?.message, `ownerRef [v1/ConfigMap, namespace: b, name: owner, uid: ${owner.metadata.uid}] does not exist in namespace "b"`);
  });

  it('a cluster-scoped object naming a namespaced owner is never collected', () => {
    const { cp } = setup();
    cp.api.create({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles' }, undefined, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'dep-of-ghost', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' }] }, rules: [] } as KObject);
    cp.settle();
    cp.advance(10_000);
    assert.ok(cp.store.get('rbac.authorization.k8s.io/clusterroles', undefined, 'dep-of-ghost'));
  });
});
