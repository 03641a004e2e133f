/** The PV controller, kind's local-path provisioner and claim updates as upstream (review of stop 29). */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

const claim = (name: string, size: string, spec: any = {}) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...spec } }) as KObject;
const volume = (name: string, size: string, spec: any = {}) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/mnt/${name}` }, ...spec } }) as KObject;
const podWith = (name: string, claimName: string, extra: any = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }], ...extra } }) as KObject;
const events = (pg: KubePlayground, name: string) => pg.api.list(R.events, undefined).items.filter((e) => e.involvedObject?.name === name);
const phase = (pg: KubePlayground, name: string) => pg.api.get(R.pvcs, 'default', name).status?.phase;

describe('storage as upstream', () => {
  it('a claim naming its volume binds only where checkVolumeSatisfyClaim agrees, and says why not', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvs, undefined, volume('pv-big', '10Gi'));
    pg.api.create(R.pvs, undefined, volume('pv-small', '1Gi'));
    pg.api.create(R.pvcs, 'default', claim('want5', '5Gi', { storageClassName: 'manual' }));
    pg.advance(5_000);
    assert.strictEqual(pg.api.get(R.pvcs, 'default', 'want5').spec.volumeName, 'pv-big');
    pg.api.create(R.pvcs, 'default', claim('thief', '1Gi', { storageClassName: 'manual', volumeName: 'pv-big' }));
    pg.api.create(R.pvcs, 'default', claim('toobig', '3Gi', { storageClassName: 'manual', volumeName: 'pv-small' }));
    pg.advance(5_000);
    assert.strictEqual(phase(pg, 'thief'), 'Pending');
    assert.strictEqual(pg.api.get(R.pvs, undefined, 'pv-big').spec.claimRef.name, 'want5');
    assert.ok(events(pg, 'thief').some((e) => e.type === 'Warning' && e.reason === 'FailedBinding' && e.message === 'volume "pv-big" already bound to a different claim.'));
    assert.strictEqual(phase(pg, 'toobig'), 'Pending');
    assert.ok(events(pg, 'toobig').some((e) => e.reason === 'VolumeMismatch' && e.message === 'Cannot bind to requested volume "pv-small": requested PV is too small'));
  });

  it('a Retain volume made Available by hand binds a waiting claim at the next 15 s resync', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvs, undefined, volume('pv-1', '1Gi'));
    pg.api.create(R.pvcs, 'default', claim('first', '1Gi', { storageClassName: 'manual' }));
    pg.advance(5_000);
    pg.api.delete(R.pvcs, 'default', 'first');
    pg.advance(5_000);
    assert.strictEqual(pg.api.get(R.pvs, undefined, 'pv-1').status.phase, 'Released');
    pg.api.create(R.pvcs, 'default', claim('second', '1Gi', { storageClassName: 'manual' }));
    pg.advance(5_000);
    assert.strictEqual(phase(pg, 'second'), 'Pending');
    pg.api.patch(R.pvs, undefined, 'pv-1', 'merge', { spec: { claimRef: null } });
    pg.advance(16_000);
    assert.strictEqual(phase(pg, 'second'), 'Bound');
  });

  it('a hand-written hostPath volume with the Delete policy fails to delete outside /tmp', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvs, undefined, volume('pv-host', '1Gi', { persistentVolumeReclaimPolicy: 'Delete', hostPath: { path: '/mnt/data' } }));
    pg.api.create(R.pvcs, 'default', claim('c', '1Gi', { storageClassName: 'manual' }));
    pg.advance(5_000);
    pg.api.delete(R.pvcs, 'default', 'c');
    pg.advance(5_000);
    const pv = pg.api.get(R.pvs, undefined, 'pv-host');
    assert.deepStrictEqual([pv.status.phase, pv.status.message], ['Failed', 'host_path deleter only supports /tmp/.+ but received provided /mnt/data']);
    assert.ok(events(pg, 'pv-host').some((e) => e.type === 'Warning' && e.reason === 'VolumeFailedDelete'));
  });

  it('kind\'s local-path provisioner refuses ReadWriteMany, Block and selectors', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvcs, 'default', claim('rwx', '1Gi', { accessModes: ['ReadWriteMany'] }));
    pg.api.create(R.pvcs, 'default', claim('blk', '1Gi', { volumeMode: 'Block' }));
    pg.api.create(R.pvcs, 'default', claim('sel', '1Gi', { selector: { matchLabels: { tier: 'gold' } } }));
    for (const n of ['rwx', 'blk', 'sel']) pg.api.create(R.pods, 'default', podWith(`p-${n}`, n));
    pg.advance(20_000);
    const failed = (n: string) => events(pg, n).find((e) => e.reason === 'ProvisioningFailed')?.message;
    assert.strictEqual(failed('rwx'), 'failed to provision volume with StorageClass "standard": NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes');
    assert.strictEqual(failed('blk'), 'failed to provision volume with StorageClass "standard": rancher.io/local-path does not support block volume provisioning');
    assert.strictEqual(failed('sel'), 'failed to provision volume with StorageClass "standard": claim.Spec.Selector is not supported');
    for (const n of ['rwx', 'blk', 'sel']) assert.strictEqual(phase(pg, n), 'Pending');
    const ext = events(pg, 'rwx').find((e) => e.reason === 'ExternalProvisioning')!.message;
    assert.match(ext, /please verify that the provisioner is running and correctly registered\.$/);
  });

  it("kind's local-path provisioner is a pod: its events name it, and with it scaled to zero claims wait for it", () => {
    const pg = newTestPlayground();
    const ns = pg.api.get(R.namespaces, undefined, 'local-path-storage');
    assert.ok(ns);
    const d = pg.api.get(R.deployments, 'local-path-storage', 'local-path-provisioner');
    assert.deepStrictEqual(d.spec.template.spec.containers[0].command, ['local-path-provisioner', '--debug', 'start', '--helper-image', 'docker.io/kindest/local-path-helper:v20241212-8ac705d0', '--config', '/etc/config/config.json']);
    assert.match(pg.api.get(R.configmaps, 'local-path-storage', 'local-path-config').data['config.json'], /"paths":\["\/var\/local-path-provisioner"\]/);
    const provisioner = () => pg.api.list(R.pods, 'local-path-storage').items.find((p) => p.metadata.labels?.app === 'local-path-provisioner' && p.status?.phase === 'Running');
    assert.ok(pg.runUntil(() => !!provisioner(), 60_000));
    pg.api.create(R.pvcs, 'default', claim('data', '1Gi'));
    pg.api.create(R.pods, 'default', podWith('app', 'data'));
    assert.ok(pg.runUntil(() => phase(pg, 'data') === 'Bound', 60_000));
    const name = provisioner()!.metadata.name!;
    assert.match(name, /^local-path-provisioner-[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const by = (reason: string) => events(pg, 'data').find((e) => e.reason === reason)?.source?.component;
    const id = by('Provisioning')!;
    assert.match(id, new RegExp(`^rancher\\.io/local-path_${name}_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`));
    assert.strictEqual(by('ProvisioningSucceeded'), id, 'one process, one identity');
    // No provisioner: the claim is annotated and waits, and the controller says so at each resync.
    pg.scale(R.deployments, 'local-path-storage', 'local-path-provisioner', 0);
    assert.ok(pg.runUntil(() => !provisioner(), 60_000));
    pg.api.create(R.pvcs, 'default', claim('later', '1Gi'));
    pg.api.create(R.pods, 'default', podWith('app2', 'later'));
    pg.advance(40_000);
    assert.strictEqual(phase(pg, 'later'), 'Pending');
    const pvc = pg.api.get(R.pvcs, 'default', 'later');
    assert.strictEqual(pvc.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'], 'rancher.io/local-path');
    const waiting = events(pg, 'later').find((e) => e.reason === 'ExternalProvisioning')!;
    assert.ok(waiting.count >= 2, `repeated at the resync: x${waiting.count}`);
    assert.ok(!events(pg, 'later').some((e) => e.reason === 'Provisioning'));
    // Back again: a new process (a new pod) takes the claim up.
    pg.scale(R.deployments, 'local-path-storage', 'local-path-provisioner', 1);
    assert.ok(pg.runUntil(() => phase(pg, 'later') === 'Bound', 60_000));
    const again = events(pg, 'later').find((e) => e.reason === 'Provisioning')!.source.component;
    assert.match(again, new RegExp(`^rancher\\.io/local-path_${provisioner()!.metadata.name}_`));
    assert.notStrictEqual(again, id);
    pg.close();
  });

  it('a waiting claim names the pod it waits for and says so at every resync; a claim without class is Normal FailedBinding', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvcs, 'default', claim('data', '1Gi'));
    pg.advance(20_000);
    const wait = events(pg, 'data').find((e) => e.reason === 'WaitForFirstConsumer')!;
    assert.ok(wait.count >= 2, `repeated at the resync: x${wait.count}`);
    pg.api.create(R.pods, 'default', podWith('big', 'data', { nodeSelector: { nowhere: 'true' } }));
    pg.advance(20_000);
    assert.ok(events(pg, 'data').some((e) => e.reason === 'WaitForPodScheduled' && e.message === 'waiting for pod big to be scheduled'));
    pg.api.create(R.pvcs, 'default', claim('noclass', '1Gi', { storageClassName: '' }));
    pg.api.create(R.pvcs, 'default', claim('missing', '1Gi', { storageClassName: 'fast' }));
    pg.advance(5_000);
    assert.ok(events(pg, 'noclass').some((e) => e.type === 'Normal' && e.reason === 'FailedBinding' && e.message === 'no persistent volumes available for this claim and no storage class is set'));
    assert.ok(events(pg, 'missing').some((e) => e.type === 'Warning' && e.reason === 'ProvisioningFailed' && e.message === 'storageclass.storage.k8s.io "fast" not found'));
  });

  it('a claim\'s spec is fixed but for a Bound claim\'s size, and grows only where its class allows expansion', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pvcs, 'default', claim('data', '1Gi'));
    pg.api.create(R.pods, 'default', podWith('user', 'data'));
    pg.advance(20_000);
    assert.strictEqual(phase(pg, 'data'), 'Bound');
    const grow = () => pg.api.patch(R.pvcs, 'default', 'data', 'merge', { spec: { resources: { requests: { storage: '2Gi' } } } });
    assert.throws(grow, (e: any) => e.status.code === 403 && e.message === 'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize');
    assert.throws(() => pg.api.patch(R.pvcs, 'default', 'data', 'merge', { spec: { resources: { requests: { storage: '500Mi' } } } }),
      (e: any) => e.status.code === 422 && e.message.includes('spec.resources.requests.storage: Forbidden: field can not be less than status.capacity'));
    assert.throws(() => pg.api.patch(R.pvcs, 'default', 'data', 'merge', { spec: { accessModes: ['ReadWriteMany'] } }),
      (e: any) => e.status.code === 422 && e.message.includes('spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
    pg.api.patch(R.storageclasses, undefined, 'standard', 'merge', { allowVolumeExpansion: true });
    assert.doesNotThrow(grow);
  });
});
