import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { deepFreeze } from '../../../../cluster/src/runtime/objects';

/**
 * A pod's warnings are kept with the values they were read from (strategy.ts): a controller's next pod, which holds
 * the same frozen container values, gets them again; a pod that differs in anything they read gets its own.
 */
describe('apiserver: the warnings of a template\'s pods worked out once', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8c9f7b4', uid: '11111111-2222-4333-8444-555555555555', controller: true, blockOwnerDeletion: true };
  const pod = (spec: any) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-5d8c9f7b4-', labels: { app: 'web' }, ownerReferences: [owner] }, spec }) as any;
  const env = [{ name: 'A', value: '1' }, { name: 'A', value: '2' }];
  const hides = 'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply';

  it('answers each pod the warnings of its own containers', () => {
    const cp = newTestControlPlane();
    // A cached template's spec, frozen and handed over as it is, as the ReplicaSet controller does.
    const dup = deepFreeze({ containers: [{ name: 'main', image: 'nginx:1.27', env }] });
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(dup)).warnings, [hides]);
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(dup)).warnings, [hides]);
    const once = deepFreeze({ containers: [{ name: 'main', image: 'nginx:1.27', env: [env[0]] }] });
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(once)).warnings ?? [], []);
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(once)).warnings ?? [], []);
    // The same env in the second container: the warning names that one.
    const second = deepFreeze({ containers: [{ name: 'side', image: 'nginx:1.27' }, { name: 'main', image: 'nginx:1.27', env }] });
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(second)).warnings, [hides.replace('containers[0]', 'containers[1]')]);
    // An init container's: the same again under initContainers.
    const init = deepFreeze({ initContainers: [{ name: 'init', image: 'busybox', env }], containers: [{ name: 'main', image: 'nginx:1.27' }] });
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(init)).warnings, [hides.replace('containers[0]', 'initContainers[0]')]);
    // A negative grace period, with containers as before.
    const grace = deepFreeze({ terminationGracePeriodSeconds: -1, containers: [{ name: 'main', image: 'nginx:1.27', env: [env[0]] }] });
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(grace)).warnings, ['spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1']);
    // A pod of its own (nothing frozen) with the duplicate, then the first template's pods again.
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod({ containers: [{ name: 'main', image: 'nginx:1.27', env: [...env] }] })).warnings, [hides]);
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(once)).warnings ?? [], []);
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(dup)).warnings, [hides]);
  });

  it('gives a caller a list of its own', () => {
    const cp = newTestControlPlane();
    const dup = deepFreeze({ containers: [{ name: 'main', image: 'nginx:1.27', env }] });
    const first = cp.api.create(R.pods, 'default', pod(dup)).warnings!;
    first.push('changed by its caller');
    assert.deepStrictEqual(cp.api.create(R.pods, 'default', pod(dup)).warnings, [hides]);
  });
});
