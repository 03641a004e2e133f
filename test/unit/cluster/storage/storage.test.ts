import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { createScheduler } from '../../../../cluster/src/scheduler';
import { createPersistentVolumeController, ensureDefaultStorageClass } from '../../../../cluster/src/storage';
import { Harness, PODS } from '../nodes/harness';

const PVC = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PV = { group: '', version: 'v1', resource: 'persistentvolumes' };
const SC = { group: 'storage.k8s.io', version: 'v1', resource: 'storageclasses' };

function setup(): Harness {
  const h = new Harness();
  ensureDefaultStorageClass(h.ctx);
  for (const c of [createNodes(h.ctx, 2), createScheduler(h.ctx), createPersistentVolumeController(h.ctx)]) c.start();
  h.settle();
  return h;
}
const claim = (name: string, size: string, cls?: string, modes = ['ReadWriteOnce']) => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: modes, resources: { requests: { storage: size } }, ...(cls !== undefined ? { storageClassName: cls } : {}) },
});
const volume = (name: string, size: string, cls = '', modes = ['ReadWriteOnce'], reclaim = 'Retain') => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: { capacity: { storage: size }, accessModes: modes, storageClassName: cls, persistentVolumeReclaimPolicy: reclaim, hostPath: { path: `/data/${name}` } },
});
const podWith = (name: string, claimName: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
});

describe('storage', () => {
  it('ships the default StorageClass standard (WaitForFirstConsumer)', () => {
    const h = setup();
    const sc = h.api.get(SC, undefined, 'standard');
    assert.strictEqual(sc.metadata.annotations!['storageclass.kubernetes.io/is-default-class'], 'true');
    assert.strictEqual(sc.volumeBindingMode, 'WaitForFirstConsumer');
  });

  it('binds a claim to the smallest matching static PV', () => {
    const h = setup();
    h.api.create(PV, undefined, volume('big', '10Gi'));
    h.api.create(PV, undefined, volume('small', '2Gi'));
    h.api.create(PV, undefined, volume('rwx', '1Gi', '', ['ReadWriteMany']));
    h.api.create(PV, undefined, volume('tiny', '500Mi'));
    h.api.create(PVC, 'default', claim('data', '1Gi', ''));
    h.advance(1000);
    const pvc = h.api.get(PVC, 'default', 'data');
    assert.strictEqual(pvc.spec.volumeName, 'small');
    assert.strictEqual(pvc.status.phase, 'Bound');
    assert.deepStrictEqual(pvc.status.capacity, { storage: '2Gi' });
    assert.strictEqual(pvc.metadata.annotations!['pv.kubernetes.io/bind-completed'], 'yes');
    const pv = h.api.get(PV, undefined, 'small');
    assert.strictEqual(pv.status.phase, 'Bound');
    assert.strictEqual(pv.spec.claimRef.name, 'data');
    assert.strictEqual(h.api.get(PV, undefined, 'big').status.phase, 'Available');
    // Retain: the volume is Released when its claim goes.
    h.api.delete(PVC, 'default', 'data');
    h.advance(1000);
    assert.strictEqual(h.api.get(PV, undefined, 'small').status.phase, 'Released');
  });

  it('provisions pvc-<uid> for the consumer\'s node, then the pod runs', () => {
    const h = setup();
    h.api.create(PVC, 'default', claim('data', '1Gi', 'standard'));
    h.advance(1000);
    assert.strictEqual(h.api.get(PVC, 'default', 'data').status?.phase ?? 'Pending', 'Pending');
    assert.strictEqual(h.eventsFor('data', 'WaitForFirstConsumer')[0].message, 'waiting for first consumer to be created before binding');
    h.api.create(PODS, 'default', podWith('app', 'data'));
    h.advance(1500);
    const pvc = h.api.get(PVC, 'default', 'data');
    const node = h.api.get(PODS, 'default', 'app').spec.nodeName;
    assert.strictEqual(pvc.metadata.annotations!['volume.kubernetes.io/selected-node'], node);
    assert.strictEqual(pvc.status.phase, 'Bound');
    assert.strictEqual(pvc.spec.volumeName, `pvc-${pvc.metadata.uid}`);
    const pv = h.api.get(PV, undefined, pvc.spec.volumeName);
    assert.strictEqual(pv.spec.storageClassName, 'standard');
    assert.deepStrictEqual(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values, [node]);
    assert.ok(h.eventsFor('data', 'ExternalProvisioning').length === 1);
    assert.strictEqual(h.eventsFor('data', 'ProvisioningSucceeded')[0].message, `Successfully provisioned volume ${pv.metadata.name}`);
    h.advance(5000);
    assert.strictEqual(h.api.get(PODS, 'default', 'app').status.phase, 'Running');
    // Delete policy: the provisioned volume goes with the claim.
    h.api.delete(PODS, 'default', 'app', { gracePeriodSeconds: 0 });
    h.api.delete(PVC, 'default', 'data');
    h.advance(1000);
    assert.throws(() => h.api.get(PV, undefined, pv.metadata.name!), /not found/);
  });

  it('keeps a pod with an unbound Immediate claim Pending with the VolumeBinding message', () => {
    const h = setup();
    h.api.create(SC, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'manual' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'Immediate' });
    h.api.create(PVC, 'default', claim('data', '5Gi', 'manual'));
    h.api.create(PODS, 'default', podWith('app', 'data'));
    h.advance(1000);
    const p = h.api.get(PODS, 'default', 'app');
    assert.strictEqual(p.spec.nodeName, undefined);
    assert.strictEqual(p.status.conditions.find((c: any) => c.type === 'PodScheduled').message,
      '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.');
    h.api.create(PODS, 'default', podWith('missing', 'nope'));
    h.advance(1000);
    assert.match(h.api.get(PODS, 'default', 'missing').status.conditions[0].message, /^0\/2 nodes are available: persistentvolumeclaim "nope" not found\. /);
    // A matching PV appears: the claim binds and the pod is scheduled and runs.
    h.api.create(PV, undefined, volume('pv1', '5Gi', 'manual'));
    h.advance(12_000);
    assert.strictEqual(h.api.get(PVC, 'default', 'data').status.phase, 'Bound');
    assert.strictEqual(h.api.get(PODS, 'default', 'app').status.phase, 'Running');
  });
});
