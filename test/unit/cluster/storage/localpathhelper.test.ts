/** kind's local-path provisioner runs a helper pod per volume it makes or removes, and deletes only while it runs (review 32, findings 2 and 3). */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

const NS = 'local-path-storage';
const claim = (name: string, spec: any = {}) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } }) as KObject;
const podWith = (name: string, claimName: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] } }) as KObject;
const provisioner = (pg: KubePlayground) => pg.api.list(R.pods, NS).items.find((p) => p.metadata.labels?.app === 'local-path-provisioner' && p.status?.phase === 'Running');
const helpers = (pg: KubePlayground) => pg.api.list(R.pods, NS).items.filter((p) => p.metadata.name!.startsWith('helper-pod-'));

/** Advances in small steps, keeping the first sight of every helper pod and the phases it went through. */
function watchHelpers(pg: KubePlayground, ms: number, seen: Map<string, { first: KObject; phases: string[]; pvsThen: string[] }>, until?: () => boolean): void {
  for (let t = 0; t < ms; t += 200) {
    for (const p of helpers(pg)) {
      let s = seen.get(p.metadata.name!);
      if (!s) seen.set(p.metadata.name!, (s = { first: p, phases: [], pvsThen: pg.api.list(R.pvs, undefined).items.map((v) => v.metadata.name!) }));
      const ph = p.status?.phase ?? 'Pending';
      if (s.phases[s.phases.length - 1] !== ph) s.phases.push(ph);
    }
    if (until?.()) return;
    pg.advance(200);
  }
}

describe("kind's local-path helper pods", () => {
  it('a volume is made by helper-pod-create-<pv> on the selected node, running the setup script; the PV comes after it succeeded', () => {
    const pg = newTestPlayground();
    assert.ok(pg.runUntil(() => !!provisioner(pg), 60_000));
    pg.api.create(R.pvcs, 'default', claim('data', { resources: { requests: { storage: '1536Mi' } } }));
    pg.api.create(R.pods, 'default', podWith('app', 'data'));
    const seen = new Map();
    watchHelpers(pg, 30_000, seen, () => pg.api.get(R.pvcs, 'default', 'data').status?.phase === 'Bound' && helpers(pg).length === 0);
    const pvc = pg.api.get(R.pvcs, 'default', 'data');
    assert.strictEqual(pvc.status.phase, 'Bound');
    const pv = `pvc-${pvc.metadata.uid}`;
    const node = pvc.metadata.annotations!['volume.kubernetes.io/selected-node'];
    const name = `helper-pod-create-${pv}`;
    assert.deepStrictEqual([...seen.keys()], [name]);
    const h = seen.get(name)!;
    assert.deepStrictEqual(h.pvsThen, [], 'no PersistentVolume before the helper pod has run');
    assert.ok(h.phases.includes('Succeeded'), `phases ${h.phases}`);
    const dir = `/var/local-path-provisioner/${pv}_default_data`;
    const spec = h.first.spec;
    assert.strictEqual(h.first.metadata.namespace, NS);
    assert.strictEqual(spec.nodeName, node);
    assert.strictEqual(spec.restartPolicy, 'Never');
    assert.strictEqual(spec.serviceAccountName, 'local-path-provisioner-service-account');
    assert.deepStrictEqual(spec.tolerations, [{ operator: 'Exists' }]);
    const c = spec.containers[0];
    assert.strictEqual(c.name, 'helper-pod');
    assert.strictEqual(c.image, 'docker.io/kindest/local-path-helper:v20241212-8ac705d0');
    assert.deepStrictEqual(c.command, ['/bin/sh', '/script/setup']);
    assert.deepStrictEqual(c.args, ['-p', dir, '-s', '1610612736', '-m', 'Filesystem']);
    assert.deepStrictEqual(c.env, [{ name: 'VOL_DIR', value: dir }, { name: 'VOL_MODE', value: 'Filesystem' }, { name: 'VOL_SIZE_BYTES', value: '1610612736' }]);
    assert.deepStrictEqual(c.volumeMounts.slice(0, 2).map((m: any) => [m.name, m.mountPath]), [['script', '/script'], ['data', '/var/local-path-provisioner/']]);
    // (then the service account's token volume, as the admission plugin adds it to any pod)
    const vols = Object.fromEntries(spec.volumes.map((v: any) => [v.name, v]));
    assert.deepStrictEqual(vols.data.hostPath, { path: '/var/local-path-provisioner/', type: 'DirectoryOrCreate' });
    assert.strictEqual(vols.script.configMap.name, 'local-path-config');
    // Its own events, as kubectl get events -n local-path-storage shows them; and it is deleted once done.
    const reasons = pg.api.list(R.events, NS).items.filter((e) => e.involvedObject.name === name).map((e) => e.reason);
    assert.deepStrictEqual(reasons, ['Pulled', 'Created', 'Started']);
    assert.strictEqual(helpers(pg).length, 0);
    assert.strictEqual(pg.api.get(R.pvs, undefined, pv).spec.hostPath.path, dir);
    pg.close();
  });

  it('a released Delete volume stays Released while no provisioner runs, then helper-pod-delete-<pv> tears it down', () => {
    const pg = newTestPlayground();
    assert.ok(pg.runUntil(() => !!provisioner(pg), 60_000));
    pg.api.create(R.pvcs, 'default', claim('data'));
    pg.api.create(R.pods, 'default', podWith('app', 'data'));
    assert.ok(pg.runUntil(() => pg.api.get(R.pvcs, 'default', 'data').status?.phase === 'Bound' && helpers(pg).length === 0, 60_000));
    const pvc = pg.api.get(R.pvcs, 'default', 'data');
    const pv = pvc.spec.volumeName;
    pg.scale(R.deployments, NS, 'local-path-provisioner', 0);
    assert.ok(pg.runUntil(() => !provisioner(pg) && pg.api.list(R.pods, NS).items.length === 0, 60_000));
    pg.api.delete(R.pods, 'default', 'app');
    pg.api.delete(R.pvcs, 'default', 'data');
    pg.advance(60_000);
    // pv_controller's doDeleteVolume: no in-tree deleter, so only Released; the external provisioner is not there.
    assert.strictEqual(pg.api.get(R.pvs, undefined, pv).status.phase, 'Released');
    assert.strictEqual(helpers(pg).length, 0);
    pg.scale(R.deployments, NS, 'local-path-provisioner', 1);
    const seen = new Map();
    watchHelpers(pg, 60_000, seen, () => !pg.api.list(R.pvs, undefined).items.length && helpers(pg).length === 0);
    assert.deepStrictEqual(pg.api.list(R.pvs, undefined).items.map((v) => v.metadata.name), []);
    const name = `helper-pod-delete-${pv}`;
    assert.deepStrictEqual([...seen.keys()], [name]);
    const h = seen.get(name)!;
    assert.deepStrictEqual(h.pvsThen, [pv], 'the PV is deleted after its teardown');
    assert.deepStrictEqual(h.first.spec.containers[0].command, ['/bin/sh', '/script/teardown']);
    assert.strictEqual(h.first.spec.nodeName, pvc.metadata.annotations!['volume.kubernetes.io/selected-node']);
    pg.close();
  });

  it('an Immediate local-path class has no node for the helper pod: ProvisioningFailed', () => {
    const pg = newTestPlayground();
    assert.ok(pg.runUntil(() => !!provisioner(pg), 60_000));
    pg.api.create(R.storageclasses, undefined, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'now' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'Immediate', reclaimPolicy: 'Delete' } as KObject);
    pg.api.create(R.pvcs, 'default', claim('now', { storageClassName: 'now' }));
    pg.advance(5_000);
    const failed = pg.api.list(R.events, 'default').items.find((e) => e.involvedObject.name === 'now' && e.reason === 'ProvisioningFailed');
    assert.strictEqual(failed?.message, 'failed to provision volume with StorageClass "now": configuration error, no node was specified');
    assert.strictEqual(pg.api.get(R.pvcs, 'default', 'now').status?.phase, 'Pending');
    assert.strictEqual(helpers(pg).length, 0);
    pg.close();
  });
});
