import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { internPodParts } from '../../../../cluster/src/apiserver/podintern';

/** Sibling pods share their frozen alike parts (podintern.ts); what a reader sees is unchanged. */
describe('apiserver: pods of one owner share their alike parts', () => {
  const owner = (uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8c9f7b4', uid, controller: true, blockOwnerDeletion: true });
  const pod = (labels: Record<string, string>, uid = '11111111-2222-4333-8444-555555555555') => ({ apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName: 'web-5d8c9f7b4-', labels, ownerReferences: [owner(uid)] },
    spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } }) as any;

  it('gives two pods of one owner one owner list, one labels map, one tolerations list, as they were written', () => {
    const cp = newTestControlPlane();
    const a = cp.api.create(R.pods, 'default', pod({ app: 'web', tier: 'fe' })).object;
    const b = cp.api.create(R.pods, 'default', pod({ app: 'web', tier: 'fe' })).object;
    assert.strictEqual(a.metadata.ownerReferences, b.metadata.ownerReferences);
    assert.strictEqual(a.metadata.labels, b.metadata.labels);
    assert.strictEqual(a.spec.tolerations, b.spec.tolerations);
    assert.ok(Object.isFrozen(a.metadata.labels) && Object.isFrozen(a.spec.tolerations[0]));
    assert.deepStrictEqual(b.metadata.labels, { app: 'web', tier: 'fe' });
    assert.deepStrictEqual(b.spec.tolerations.map((t: any) => t.key), ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']);
    assert.deepStrictEqual(b.spec.securityContext, {});
  });

  it('keeps apart what differs: another owner, labels in another order, another value', () => {
    const cp = newTestControlPlane();
    const a = cp.api.create(R.pods, 'default', pod({ app: 'web', tier: 'fe' })).object;
    const other = cp.api.create(R.pods, 'default', pod({ app: 'web', tier: 'fe' }, '99999999-2222-4333-8444-555555555555')).object;
    const reordered = cp.api.create(R.pods, 'default', pod({ tier: 'fe', app: 'web' })).object;
    const changed = cp.api.create(R.pods, 'default', pod({ app: 'web', tier: 'be' })).object;
    assert.notStrictEqual(a.metadata.ownerReferences, other.metadata.ownerReferences);
    assert.strictEqual(other.metadata.ownerReferences![0].uid, '99999999-2222-4333-8444-555555555555');
    assert.deepStrictEqual(Object.keys(reordered.metadata.labels!), ['tier', 'app']);
    assert.strictEqual(changed.metadata.labels!.tier, 'be');
  });

  it('never hands one pod a list another pod\'s different owners happen to key the same (separators in a uid)', () => {
    const crafted: any = { metadata: { ownerReferences: [{ kind: 'ReplicaSet', uid: 'U1\u0002controller\u0001boolean\u0001true' }] }, spec: {} };
    const victim: any = { metadata: { ownerReferences: [{ kind: 'ReplicaSet', uid: 'U1', controller: true }] }, spec: {} };
    internPodParts(crafted);
    internPodParts(victim);
    assert.deepStrictEqual(victim.metadata.ownerReferences, [{ kind: 'ReplicaSet', uid: 'U1', controller: true }]);
  });

  it('leaves shapes it does not know as they are', () => {
    const p: any = { metadata: { labels: { a: 1 }, ownerReferences: [{ uid: 'u', extra: { x: 1 } }] }, spec: { securityContext: { runAsUser: 1 }, tolerations: [] } };
    const { labels, ownerReferences } = p.metadata;
    internPodParts(p);
    assert.strictEqual(p.metadata.labels, labels);
    assert.strictEqual(p.metadata.ownerReferences, ownerReferences);
    assert.deepStrictEqual(p.spec.securityContext, { runAsUser: 1 });
    assert.ok(!Object.isFrozen(p.spec.securityContext));
  });
});
