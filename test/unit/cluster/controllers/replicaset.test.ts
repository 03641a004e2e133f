import * as assert from 'assert';
import { World } from './harness/world';

const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const RC = { group: '', version: 'v1', resource: 'replicationcontrollers' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

describe('replicaset and replication controllers', () => {
  it('ReplicaSet creates pods, reports status, and scales down by deletion cost then age', () => {
    const w = new World();
    w.api.create(RS, 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fe', namespace: 'default' },
      spec: { replicas: 4, minReadySeconds: 5, selector: { matchLabels: { tier: 'fe' } }, template: { metadata: { labels: { tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    w.advance(3000);
    let rs = w.api.get(RS, 'default', 'fe');
    assert.deepStrictEqual(rs.status, { replicas: 4, fullyLabeledReplicas: 4, readyReplicas: 4, observedGeneration: 1 });
    // Ready at +2 s; available once more than 5 s have passed, i.e. just after +7 s.
    w.advance(4_000);
    assert.strictEqual(w.api.get(RS, 'default', 'fe').status.availableReplicas, undefined);
    w.advance(10);
    assert.strictEqual(w.api.get(RS, 'default', 'fe').status.availableReplicas, 4);
    w.advance(10_000);
    rs = w.api.get(RS, 'default', 'fe');
    assert.deepStrictEqual(rs.status, { replicas: 4, fullyLabeledReplicas: 4, readyReplicas: 4, availableReplicas: 4, observedGeneration: 1 });
    const pods = w.pods();
    const cost = (name: string, c: number) => w.api.patch(PODS, 'default', name, 'merge', { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': String(c) } } });
    cost(pods[0].metadata.name!, 100);
    cost(pods[1].metadata.name!, -100);
    const s = structuredClone(w.api.get(RS, 'default', 'fe'));
    s.spec.replicas = 2;
    w.api.update(RS, 'default', s);
    w.advance(1000);
    const left = w.pods().map((p) => p.metadata.name);
    assert.strictEqual(left.length, 2);
    assert.ok(left.includes(pods[0].metadata.name), 'the costly pod stays');
    assert.ok(!left.includes(pods[1].metadata.name), 'the cheap pod goes first');
    const deleted = w.eventsFor('SuccessfulDelete').map((e) => [e.component, e.message]);
    assert.strictEqual(deleted.length, 2);
    assert.deepStrictEqual(deleted[0], ['replicaset-controller', `Deleted pod: ${pods[1].metadata.name}`]);
    assert.strictEqual(w.api.get(RS, 'default', 'fe').status.observedGeneration, 2);
  });

  it('replaces a deleted pod and adopts a matching orphan', () => {
    const w = new World();
    w.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    w.settle();
    w.api.create(RS, 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fe', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { tier: 'fe' } }, template: { metadata: { labels: { tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    w.advance(3000);
    assert.strictEqual(w.pods().length, 2);
    const stray = w.api.get(PODS, 'default', 'stray');
    assert.strictEqual(stray.metadata.ownerReferences?.[0].name, 'fe');
    w.api.delete(PODS, 'default', 'stray');
    w.advance(3000);
    assert.strictEqual(w.pods().length, 2);
    assert.strictEqual(w.eventsFor('SuccessfulCreate').length, 2);
  });

  it('replaces a pod that leaves it, its reference removed and its labels changed in one write', () => {
    const w = new World();
    w.api.create(RS, 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'fe', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { tier: 'fe' } }, template: { metadata: { labels: { tier: 'fe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    w.advance(3000);
    const owned = () => w.pods().filter((p) => p.metadata.ownerReferences?.some((r) => r.name === 'fe')).map((p) => p.metadata.name);
    const [gone, kept] = owned();
    // Taken out of the set for debugging: no owner, and labels its selector no longer matches.
    w.api.patch(PODS, 'default', gone!, 'merge', { metadata: { ownerReferences: null, labels: { tier: 'debug' } } });
    w.advance(3000);
    const now = owned();
    assert.strictEqual(now.length, 2, 'a replacement was made');
    assert.ok(now.includes(kept) && !now.includes(gone));
    assert.strictEqual(w.api.get(PODS, 'default', gone!).metadata.ownerReferences, undefined, 'the pod that left stays an orphan');
    assert.strictEqual(w.eventsFor('SuccessfulCreate').length, 3);
    assert.strictEqual(w.api.get(RS, 'default', 'fe').status.replicas, 2);
  });

  it('ReplicationController runs through the same manager with its own event source', () => {
    const w = new World();
    w.api.create(RC, 'default', {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'nginx', namespace: 'default' },
      spec: { replicas: 3, template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    });
    w.advance(5000);
    const pods = w.pods();
    assert.strictEqual(pods.length, 3);
    assert.ok(pods.every((p) => /^nginx-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(p.metadata.name!)));
    assert.ok(pods.every((p) => p.metadata.ownerReferences![0].kind === 'ReplicationController'));
    assert.deepStrictEqual(new Set(w.eventsFor('SuccessfulCreate').map((e) => e.component)), new Set(['replication-controller']));
    assert.deepStrictEqual(w.api.get(RC, 'default', 'nginx').status, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });
  });
});
