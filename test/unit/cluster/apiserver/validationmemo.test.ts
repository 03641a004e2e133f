import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';
import { deepFreeze } from '../../../../cluster/src/runtime/objects';

/**
 * The apiserver validates a pod like the last clean one of its owner only when they are equal in all but the
 * generated name (validationmemo.ts): any other difference is validated in full.
 */
describe('apiserver: pods of one template validated once', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8c9f7b4', uid: '11111111-2222-4333-8444-555555555555', controller: true, blockOwnerDeletion: true };
  const pod = (spec: any, labels: Record<string, string> = { app: 'web' }) => ({ apiVersion: 'v1', kind: 'Pod',
    metadata: { generateName: 'web-5d8c9f7b4-', labels, ownerReferences: [owner] }, spec }) as any;
  const good = () => ({ containers: [{ name: 'main', image: 'nginx:1.27' }] });

  it('refuses a later pod of the same owner that differs in its spec, its labels or its owner, as the first would be', () => {
    const cp = newTestControlPlane();
    const a = cp.api.create(R.pods, 'default', pod(good())).object;
    const b = cp.api.create(R.pods, 'default', pod(good())).object;
    assert.notStrictEqual(a.metadata.name, b.metadata.name);
    assert.match(b.metadata.name!, /^web-5d8c9f7b4-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const badName = { containers: [{ name: 'Main_1', image: 'nginx:1.27' }] };
    const e = statusOf(() => cp.api.create(R.pods, 'default', pod(badName)));
    assert.strictEqual(e.code, 422);
    assert.match(e.message, /spec\.containers\[0\]\.name: Invalid value: "Main_1": a lowercase RFC 1123 label must consist of/);
    const e2 = statusOf(() => cp.api.create(R.pods, 'default', pod(good(), { app: 'web!' })));
    assert.match(e2.message, /metadata\.labels: Invalid value: "web!"/);
    const e3 = statusOf(() => cp.api.create(R.pods, 'default', { ...pod(good()), metadata: { ...pod(good()).metadata, ownerReferences: [{ ...owner, name: '' }] } }));
    // validateOwnerReference: only the apiVersion detail names its field; kind, name and uid say "must not be empty".
    assert.match(e3.message, /metadata\.ownerReferences\.name: Invalid value: "": must not be empty$/);
    // FromAPIVersionAndKind: ParseGroupVersion refuses "a/b/c", which leaves the version empty.
    const e3b = statusOf(() => cp.api.create(R.pods, 'default', { ...pod(good()), metadata: { ...pod(good()).metadata, ownerReferences: [{ apiVersion: 'a/b/c', kind: '', name: '', uid: '' }] } }));
    assert.strictEqual(e3b.code, 422);
    assert.match(e3b.message, /\[metadata\.ownerReferences\.apiVersion: Invalid value: "a\/b\/c": version must not be empty, metadata\.ownerReferences\.kind: Invalid value: "": must not be empty, metadata\.ownerReferences\.name: Invalid value: "": must not be empty, metadata\.ownerReferences\.uid: Invalid value: "": must not be empty\]/);
    const two = [owner, { ...owner, kind: 'StatefulSet', name: 'db', uid: '66666666-2222-4333-8444-555555555555' }];
    const e4 = statusOf(() => cp.api.create(R.pods, 'default', { ...pod(good()), metadata: { ...pod(good()).metadata, ownerReferences: two } }));
    assert.match(e4.message, /metadata\.ownerReferences: Invalid value: \[\{"apiVersion":"apps\/v1","kind":"ReplicaSet","name":"web-5d8c9f7b4","uid":"11111111-2222-4333-8444-555555555555","controller":true,"blockOwnerDeletion":true\},.*\]: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/web-5d8c9f7b4 and StatefulSet\/db$/);
    // And the clean pod is still clean after a refusal.
    assert.ok(cp.api.create(R.pods, 'default', pod(good())).object.metadata.uid);
  });

  it("lets a DaemonSet's pods differ in the node each is pinned to, and still refuses a pod pinned to an invalid node name", () => {
    const cp = newTestControlPlane();
    const ds = { ...owner, kind: 'DaemonSet', name: 'kindnet', uid: '77777777-2222-4333-8444-555555555555' };
    const pinned = (node: unknown, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod',
      metadata: { generateName: 'kindnet-', labels: { app: 'kindnet' }, ownerReferences: [ds] },
      spec: { ...good(), ...extra, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] } } } } }) as any;
    const a = cp.api.create(R.pods, 'default', pinned('kubeplay-worker')).object;
    const b = cp.api.create(R.pods, 'default', pinned('kubeplay-worker2')).object;
    assert.deepStrictEqual(b.spec!.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values, ['kubeplay-worker2']);
    assert.notStrictEqual(a.metadata.name, b.metadata.name);
    // ValidateNodeFieldSelectorRequirement: the value is a node name (a DNS-1123 subdomain).
    const e = statusOf(() => cp.api.create(R.pods, 'default', pinned('Bad_Node')));
    assert.strictEqual(e.code, 422);
    assert.match(e.message, /spec\.affinity\.nodeAffinity\.requiredDuringSchedulingIgnoredDuringExecution\.nodeSelectorTerms\[0\]\.matchFields\[0\]\.values\[0\]: Invalid value: "Bad_Node": a lowercase RFC 1123 subdomain must consist of/);
    const e2 = statusOf(() => cp.api.create(R.pods, 'default', pinned(7)));
    assert.strictEqual(e2.code, 400);
    // Any other difference beside the node is validated in full.
    const e3 = statusOf(() => cp.api.create(R.pods, 'default', pinned('kubeplay-worker3', { containers: [{ name: 'Main_1', image: 'nginx:1.27' }] })));
    assert.match(e3.message, /spec\.containers\[0\]\.name: Invalid value: "Main_1"/);
    assert.ok(cp.api.create(R.pods, 'default', pinned('kubeplay-worker4')).object.metadata.uid);
  });

  it('keeps warnings, which a clean pod has none of: each pod that draws one draws it', () => {
    const cp = newTestControlPlane();
    const warned = { containers: [{ name: 'main', image: 'nginx:1.27', ports: [{ containerPort: 80 }, { containerPort: 80 }] }] };
    for (let i = 0; i < 2; i++) {
      const r = cp.api.create(R.pods, 'default', pod(warned));
      assert.ok((r.warnings ?? []).some((w) => /duplicate port definition/.test(w)), JSON.stringify(r.warnings));
    }
  });

  it("makes a later pod of an equal request as the first, and takes any change in the request, its caller's own object changed in place too", () => {
    const cp = newTestControlPlane();
    const spec = deepFreeze({ containers: [{ name: 'main', image: 'nginx:1.27' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { role: 'x' } }, matchLabelKeys: ['app'] }] });
    const a = cp.api.create(R.pods, 'default', pod(spec)).object;
    const b = cp.api.create(R.pods, 'default', pod(spec)).object;
    // matchLabelKeys joined the selector once for each pod, and the pods differ only in what is their own.
    assert.deepStrictEqual(b.spec!.topologySpreadConstraints[0].labelSelector.matchExpressions, [{ key: 'app', operator: 'In', values: ['web'] }]);
    const own = (p: any) => JSON.stringify({ ...p, metadata: { ...p.metadata, name: '', uid: '', resourceVersion: '' }, spec: { ...p.spec, volumes: [], containers: p.spec.containers.map((c: any) => ({ ...c, volumeMounts: [] })) } });
    assert.strictEqual(own(b), own(a));
    // The labels in another order are another request: the pod keeps the order it was given.
    const c = cp.api.create(R.pods, 'default', pod(spec, { tier: 'front', app: 'web' })).object;
    assert.deepStrictEqual(Object.keys(c.metadata.labels!), ['tier', 'app']);
    // A caller that changes its own request between creates has the change validated.
    const body = pod({ containers: [{ name: 'main', image: 'nginx:1.27' }] });
    cp.api.create(R.pods, 'default', body);
    cp.api.create(R.pods, 'default', body);
    body.spec.containers[0].name = 'Main_1';
    const e = statusOf(() => cp.api.create(R.pods, 'default', body));
    assert.match(e.message, /spec\.containers\[0\]\.name: Invalid value: "Main_1"/);
  });
});
