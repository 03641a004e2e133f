import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { statusOf } from './statusOf';

const deploy = (name: string, replicas = 1, image = 'nginx:1.25') => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image }, { name: 'side', image: 'busybox:1.36' }] } },
  },
});

const status = statusOf;
const statusCode = (f: () => unknown) => statusOf(f).code;

describe('apiserver patches', () => {
  it('JSON patch (RFC 6902): add, replace, remove, test, and a failing path is 422', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.deployments, 'default', deploy('d') as any);
    const r = cp.api.patch(R.deployments, 'default', 'd', 'json', [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels', value: { tier: 'web' } },
      { op: 'remove', path: '/spec/template/spec/containers/1' },
    ]).object;
    assert.strictEqual(r.spec.replicas, 3);
    assert.deepStrictEqual(r.metadata.labels, { tier: 'web' });
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => c.name), ['web']);
    const e = status(() => cp.api.patch(R.deployments, 'default', 'd', 'json', [{ op: 'replace', path: '/spec/nothere/x', value: 1 }]));
    assert.strictEqual(e.code, 422);
    const t = status(() => cp.api.patch(R.deployments, 'default', 'd', 'json', [{ op: 'test', path: '/spec/replicas', value: 9 }]));
    assert.strictEqual(t.code, 422);
  });

  it('JSON patch as the apiserver\'s json-patch v4 applies it: replace sets a missing member; failures are a generic 422', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } as any);
    const r = cp.api.patch(R.configmaps, 'default', 'c', 'json', [{ op: 'replace', path: '/data/nope', value: 'x' }]).object;
    assert.deepStrictEqual(r.data, { a: '1', nope: 'x' });
    const e = status(() => cp.api.patch(R.configmaps, 'default', 'c', 'json', [{ op: 'add', path: '/data/x/y', value: 'zz' }]));
    assert.deepStrictEqual([e.code, e.reason, e.message, e.details], [422, 'Invalid', 'the server rejected our request due to an error in our request', {}]);
    const d = status(() => cp.api.patch(R.configmaps, 'default', 'c', 'json', { op: 'add' }));
    assert.deepStrictEqual([d.code, d.message], [400, 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp']);
    cp.api.create(R.deployments, 'default', deploy('d') as any);
    const b = status(() => cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { $patch: 'bogus' } }));
    assert.deepStrictEqual([b.code, b.message], [500, 'Unknown patch type: bogus in map: map[$patch:bogus]']);
  });

  it('merge patch (RFC 7386): objects merge, null deletes, lists replace', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.deployments, 'default', deploy('d') as any);
    const r = cp.api.patch(R.deployments, 'default', 'd', 'merge', {
      metadata: { labels: { a: '1' } },
      spec: { template: { spec: { containers: [{ name: 'only', image: 'redis:7' }] } } },
    }).object;
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => c.name), ['only']);
    const r2 = cp.api.patch(R.deployments, 'default', 'd', 'merge', { metadata: { labels: { a: null, b: '2' } } }).object;
    assert.deepStrictEqual(r2.metadata.labels, { b: '2' });
  });

  it('strategic merge: containers merge by name; $patch delete/replace; $setElementOrder; $deleteFromPrimitiveList; $retainKeys', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.deployments, 'default', deploy('d') as any);
    let r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }).object;
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => `${c.name}=${c.image}`), ['web=nginx:1.27', 'side=busybox:1.36']);
    r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', {
      spec: { template: { spec: { containers: [{ name: 'extra', image: 'redis:7' }], $setElementOrder: undefined, '$setElementOrder/containers': [{ name: 'extra' }, { name: 'side' }, { name: 'web' }] } } },
    }).object;
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => c.name), ['extra', 'side', 'web']);
    r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }).object;
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => c.name), ['extra', 'web']);
    r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { template: { spec: { containers: [{ name: 'solo', image: 'redis:7' }, { $patch: 'replace' }] } } } }).object;
    assert.deepStrictEqual(r.spec.template.spec.containers.map((c: any) => c.name), ['solo']);
    cp.api.patch(R.deployments, 'default', 'd', 'merge', { metadata: { finalizers: ['a.io/x', 'b.io/y'] } });
    r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', { metadata: { finalizers: ['c.io/z'], '$deleteFromPrimitiveList/finalizers': ['a.io/x'] } }).object;
    assert.deepStrictEqual(r.metadata.finalizers, ['b.io/y', 'c.io/z']);
    r = cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }).object;
    assert.deepStrictEqual(r.spec.strategy, { type: 'Recreate' });
    const bad = status(() => cp.api.patch(R.deployments, 'default', 'd', 'strategic', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }));
    assert.strictEqual(bad.code, 400);
  });

  it('server-side apply refuses an undeclared field or a duplicated list key, whatever fieldValidation says (ObjectToTyped)', () => {
    const cp = newTestControlPlane();
    const unknown = status(() => cp.api.patch(R.deployments, 'default', 'u', 'apply', { ...deploy('u'), spec: { ...deploy('u').spec, foo: 1 } }, { fieldManager: 'a', fieldValidation: 'Ignore' }));
    assert.deepStrictEqual([unknown.code, unknown.message], [500, 'failed to create typed patch object (default/u; apps/v1, Kind=Deployment): .spec.foo: field not declared in schema']);
    const d = deploy('u');
    d.spec.template.spec.containers[0] = { ...d.spec.template.spec.containers[0], env: [{ name: 'A', value: '1' }, { name: 'A', value: '2' }] } as any;
    const dup = status(() => cp.api.patch(R.deployments, 'default', 'u', 'apply', d, { fieldManager: 'a' }));
    assert.strictEqual(dup.message, 'failed to create typed patch object (default/u; apps/v1, Kind=Deployment): .spec.template.spec.containers[name="web"].env: duplicate entries for key [name="A"]');
    assert.ok(!cp.store.get('apps/deployments', 'default', 'u'), 'nothing was created');
  });

  it('an update owns the fields it changed, not the list item or map around them (TypedValue.Compare)', () => {
    const cp = newTestControlPlane();
    cp.api.patch(R.deployments, 'default', 'o', 'apply', deploy('o'), { fieldManager: 'kubectl' });
    cp.api.patch(R.deployments, 'default', 'o', 'strategic', { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } }, { fieldManager: 'kubectl-set' });
    const mf = cp.store.get('apps/deployments', 'default', 'o')!.metadata.managedFields!;
    const containers = (m: string) => (mf.find((e: any) => e.manager === m) as any).fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}'];
    assert.deepStrictEqual(Object.keys(containers('kubectl')).sort(), ['.', 'f:name']);
    assert.deepStrictEqual(Object.keys(containers('kubectl-set')), ['f:image']);
  });

  it('server-side apply: creates, owns fields, conflicts with another manager, and force takes them over', () => {
    const cp = newTestControlPlane();
    const created = cp.api.patch(R.deployments, 'default', 'd', 'apply', deploy('d', 2), { fieldManager: 'alice' }).object;
    assert.strictEqual(created.spec.replicas, 2);
    const mf = created.metadata.managedFields as any[];
    assert.strictEqual(mf.length, 1);
    assert.strictEqual(mf[0].manager, 'alice');
    assert.strictEqual(mf[0].operation, 'Apply');
    assert.ok(mf[0].fieldsV1['f:spec']['f:replicas']);
    assert.ok(mf[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"web"}']['.']);
    // Same values from someone else: no conflict, shared ownership.
    cp.api.patch(R.deployments, 'default', 'd', 'apply', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2 } }, { fieldManager: 'bob' });
    // A different value: conflict.
    const c = status(() => cp.api.patch(R.deployments, 'default', 'd', 'apply', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 5 } }, { fieldManager: 'carol' }));
    assert.strictEqual(c.code, 409);
    assert.strictEqual(c.reason, 'Conflict');
    assert.strictEqual(c.message, 'Apply failed with 2 conflicts: conflicts with "alice":\n- .spec.replicas\nconflicts with "bob":\n- .spec.replicas');
    const forced = cp.api.patch(R.deployments, 'default', 'd', 'apply', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 5 } }, { fieldManager: 'carol', force: true }).object;
    assert.strictEqual(forced.spec.replicas, 5);
    const owners = (forced.metadata.managedFields as any[]).filter((e) => e.fieldsV1?.['f:spec']?.['f:replicas']).map((e) => e.manager);
    assert.deepStrictEqual(owners, ['carol']);
  });

  it('server-side apply conflicts with an Update manager by apiVersion, and removes fields the applier dropped', () => {
    const cp = newTestControlPlane();
    cp.api.patch(R.deployments, 'default', 'd', 'apply', { ...deploy('d', 1), metadata: { name: 'd', labels: { keep: 'x', drop: 'y' } } }, { fieldManager: 'kubectl' });
    cp.api.patch(R.deployments, 'default', 'd', 'merge', { spec: { replicas: 4 } }, { fieldManager: 'kubectl-edit' });
    const c = status(() => cp.api.patch(R.deployments, 'default', 'd', 'apply', deploy('d', 1), { fieldManager: 'kubectl' }));
    assert.strictEqual(c.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using apps/v1: .spec.replicas');
    assert.deepStrictEqual(c.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using apps/v1', field: '.spec.replicas' }]);
    const r = cp.api.patch(R.deployments, 'default', 'd', 'apply', { ...deploy('d', 4), metadata: { name: 'd', labels: { keep: 'x' } } }, { fieldManager: 'kubectl' }).object;
    assert.deepStrictEqual(r.metadata.labels, { keep: 'x' });
  });

  it('server-side apply needs a fieldManager', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.patch(R.deployments, 'default', 'd', 'apply', deploy('d'), {}));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('a pod status handed over whole (the kubelet\'s write) is stored as the generic merge patch stores it', () => {
    // Two pods alike, one written the generic way and one with its status handed over: the same object, in the same
    // key order, with the stored status's fields kept, a null one dropped and the new ones after them.
    const results: any[] = [];
    for (const handOver of [false, true]) {
      const cp = newTestControlPlane();
      cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } as any);
      cp.api.patch(R.pods, 'default', 'p', 'merge', { status: { nominatedNodeName: 'n', message: 'm' } }, {}, 'status');
      const status = { message: null, phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], podIP: '10.244.1.2' };
      const r = cp.api.patch(R.pods, 'default', 'p', 'merge', { status }, handOver ? { handOver: true } : {}, 'status').object;
      results.push({ json: JSON.stringify(r), keys: Object.keys(r.status), rv: r.metadata.resourceVersion, frozen: Object.isFrozen(r.status) });
      results[results.length - 1].gone = statusCode(() => cp.api.patch(R.pods, 'default', 'nope', 'merge', { status }, handOver ? { handOver: true } : {}, 'status'));
    }
    assert.deepStrictEqual(results[1], results[0]);
    assert.deepStrictEqual(results[1].keys, ['phase', 'qosClass', 'nominatedNodeName', 'conditions', 'podIP']);
    assert.strictEqual(results[1].frozen, true);
  });
});
