import * as assert from 'assert';
import { World } from './harness/world';
import { hashRevisionData, revisionPatch } from '../../../../cluster/src/controllers/util/history';
import { rolloutUndoFromHistory } from '../../../../cluster/src/controllers/index';

const STS = { group: 'apps', version: 'v1', resource: 'statefulsets' };
const PVCS = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const CRS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };

function sts(replicas: number, extra: any = {}, image = 'nginx:1'): any {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas, serviceName: 'nginx', selector: { matchLabels: { app: 'nginx' } }, ...extra,
      template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  };
}

function setImage(w: World, image: string, partition?: number): void {
  const s = structuredClone(w.api.get(STS, 'default', 'web'));
  s.spec.template.spec.containers[0].image = image;
  if (partition !== undefined) s.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition } };
  w.api.update(STS, 'default', s);
}

describe('statefulset controller', () => {
  it('revision hash is FNV-1 over the Go-encoded patch', () => {
    const set = sts(1);
    const data = revisionPatch(set);
    assert.deepStrictEqual(Object.keys(data.spec.template).sort(), ['$patch', 'metadata', 'spec']);
    assert.strictEqual(data.spec.template.metadata.creationTimestamp, null);
    assert.deepStrictEqual(data.spec.template.spec.containers[0].resources, {});
    assert.match(hashRevisionData(data), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.notStrictEqual(hashRevisionData(data), hashRevisionData(data, 1));
  });

  it('OrderedReady creates web-0, web-1, web-2 one after another, each after its predecessor is Ready', () => {
    const order: string[] = [];
    const w: World = new World({
      startMs: 3000,
      onStep: () => {
        for (const p of w.pods()) if (!order.includes(p.metadata.name!)) {
          // When a pod appears, every lower ordinal must already be Running and Ready.
          const ord = Number(p.metadata.name!.split('-')[1]);
          for (const q of w.pods()) {
            const o = Number(q.metadata.name!.split('-')[1]);
            if (o < ord) assert.ok(q.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'), `${q.metadata.name} ready before ${p.metadata.name}`);
          }
          order.push(p.metadata.name!);
        }
      },
    });
    w.api.create(STS, 'default', sts(3));
    w.advance(30_000);
    assert.deepStrictEqual(order, ['web-0', 'web-1', 'web-2']);
    const p1 = w.api.get({ group: '', version: 'v1', resource: 'pods' }, 'default', 'web-1');
    assert.strictEqual(p1.spec.hostname, 'web-1');
    assert.strictEqual(p1.spec.subdomain, 'nginx');
    assert.strictEqual(p1.metadata.labels!['statefulset.kubernetes.io/pod-name'], 'web-1');
    assert.strictEqual(p1.metadata.labels!['apps.kubernetes.io/pod-index'], '1');
    assert.deepStrictEqual(p1.spec.volumes, [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-1' } }]);
    const s = w.api.get(STS, 'default', 'web');
    assert.match(p1.metadata.labels!['controller-revision-hash'], /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.strictEqual(s.status.currentRevision, p1.metadata.labels!['controller-revision-hash']);
    assert.deepStrictEqual({ ...s.status, currentRevision: undefined, updateRevision: undefined }, {
      observedGeneration: 1, replicas: 3, readyReplicas: 3, currentReplicas: 3, updatedReplicas: 3, availableReplicas: 3, collisionCount: 0,
      currentRevision: undefined, updateRevision: undefined,
    });
    assert.deepStrictEqual(w.api.all(PVCS, 'default').map((c) => c.metadata.name), ['www-web-0', 'www-web-1', 'www-web-2']);
    assert.deepStrictEqual(w.eventsFor('SuccessfulCreate').map((e) => e.message).slice(0, 2), [
      'create Claim www-web-0 Pod web-0 in StatefulSet web success',
      'create Pod web-0 in StatefulSet web successful',
    ]);
    assert.strictEqual(w.api.all(CRS, 'default').length, 1);
  });

  it('Parallel creates all pods at once', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(3, { podManagementPolicy: 'Parallel' }));
    w.settle();
    assert.deepStrictEqual(w.pods().map((p) => p.metadata.name), ['web-0', 'web-1', 'web-2']);
  });

  it('scales down from the highest ordinal and keeps the claims', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(3));
    w.advance(30_000);
    const s = structuredClone(w.api.get(STS, 'default', 'web'));
    s.spec.replicas = 1;
    w.api.update(STS, 'default', s);
    w.advance(30_000);
    assert.deepStrictEqual(w.pods().map((p) => p.metadata.name), ['web-0']);
    const deletes = w.eventsFor('SuccessfulDelete').map((e) => e.message);
    assert.deepStrictEqual(deletes, ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful']);
    assert.strictEqual(w.api.all(PVCS, 'default').length, 3);
  });

  it('rolling update goes from the highest ordinal down to the partition', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(4));
    w.advance(40_000);
    const before = w.api.get(STS, 'default', 'web').status.currentRevision;
    setImage(w, 'nginx:2', 2);
    w.advance(60_000);
    const img = () => w.pods().map((p) => p.spec.containers[0].image);
    assert.deepStrictEqual(img(), ['nginx:1', 'nginx:1', 'nginx:2', 'nginx:2']);
    let s = w.api.get(STS, 'default', 'web');
    assert.strictEqual(s.status.currentRevision, before);
    assert.strictEqual(s.status.updatedReplicas, 2);
    assert.strictEqual(s.status.currentReplicas, 2);
    const deletes = w.eventsFor('SuccessfulDelete').map((e) => e.message.split(' ')[2]);
    assert.deepStrictEqual(deletes, ['web-3', 'web-2']);
    setImage(w, 'nginx:2', 0);
    w.advance(60_000);
    assert.deepStrictEqual(img(), ['nginx:2', 'nginx:2', 'nginx:2', 'nginx:2']);
    s = w.api.get(STS, 'default', 'web');
    assert.strictEqual(s.status.currentRevision, s.status.updateRevision);
    assert.strictEqual(s.status.currentReplicas, 4);
    assert.strictEqual(w.api.all(CRS, 'default').length, 2);
  });
});

describe('statefulset extras', () => {
  it('rollout undo from ControllerRevisions restores the previous template', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(2));
    w.advance(20_000);
    setImage(w, 'nginx:2');
    w.advance(40_000);
    assert.strictEqual(rolloutUndoFromHistory(w.api, STS, 'default', 'web'), 'statefulset.apps/web rolled back');
    w.advance(40_000);
    assert.deepStrictEqual(w.pods().map((p) => p.spec.containers[0].image), ['nginx:1', 'nginx:1']);
    const revs = w.api.all(CRS, 'default').map((r) => r.revision).sort();
    assert.deepStrictEqual(revs, [2, 3], 'the old revision is renumbered, not duplicated');
  });

  it('whenScaled: Delete removes the claims of scaled-down pods; Parallel scales down all at once', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(3, { podManagementPolicy: 'Parallel', persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } }));
    w.advance(20_000);
    const s = structuredClone(w.api.get(STS, 'default', 'web'));
    s.spec.replicas = 1;
    w.api.update(STS, 'default', s);
    w.settle();
    assert.deepStrictEqual(w.pods().map((p) => p.metadata.name), ['web-0']);
    assert.deepStrictEqual(w.api.all(PVCS, 'default').map((c) => c.metadata.name), ['www-web-0']);
  });
});

describe('statefulset claims follow the retention policy as it is now', () => {
  const owners = (w: World) => w.api.all(PVCS, 'default').map((c) => `${c.metadata.name}:${(c.metadata.ownerReferences ?? []).map((r: any) => `${r.kind}/${r.name}${r.controller ? '*' : ''}`).join(',')}`);
  const setPolicy = (w: World, policy: any) => {
    const s = structuredClone(w.api.get(STS, 'default', 'web'));
    s.spec.persistentVolumeClaimRetentionPolicy = policy;
    w.api.update(STS, 'default', s);
  };

  it('whenDeleted: Delete set after the claims exist makes the set their controller; back to Retain drops it, other owners kept', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(2));
    w.advance(30_000);
    assert.deepStrictEqual(owners(w), ['www-web-0:', 'www-web-1:']);
    // Someone else owns www-web-1 as well (a backup operator, say): that owner stays through every change.
    const c1 = structuredClone(w.api.get(PVCS, 'default', 'www-web-1'));
    c1.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'backup', uid: 'u-backup' }];
    w.api.update(PVCS, 'default', c1);
    setPolicy(w, { whenDeleted: 'Delete', whenScaled: 'Retain' });
    w.advance(1_000);
    assert.deepStrictEqual(owners(w), ['www-web-0:StatefulSet/web*', 'www-web-1:ConfigMap/backup,StatefulSet/web*']);
    setPolicy(w, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    w.advance(1_000);
    assert.deepStrictEqual(owners(w), ['www-web-0:', 'www-web-1:ConfigMap/backup']);
  });

  it('whenScaled: Delete with whenDeleted: Delete hands a scaled-down pod\'s claim from the set to the pod', () => {
    const w = new World();
    w.api.create(STS, 'default', sts(2, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }));
    w.advance(30_000);
    assert.deepStrictEqual(owners(w), ['www-web-0:StatefulSet/web*', 'www-web-1:StatefulSet/web*']);
    const s = structuredClone(w.api.get(STS, 'default', 'web'));
    s.spec.replicas = 1;
    s.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Delete' };
    w.api.update(STS, 'default', s);
    w.settle();
    // The claim went with its pod (the set lives on, so only a pod owner can have taken it).
    assert.deepStrictEqual(w.api.all(PVCS, 'default').map((c) => c.metadata.name), ['www-web-0']);
    assert.deepStrictEqual(owners(w)[0], 'www-web-0:StatefulSet/web*');
  });
});

describe('statefulset status during a rolling update', () => {
  it('counts a terminating pod as a replica but at no revision (computeReplicaStatus)', () => {
    const { KubePlayground } = require('../../../../cluster/src/playground');
    const pg = new KubePlayground({ seed: 3, nodes: 2 });
    try {
      const doc = (image: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: c, image: ${image}, command: [sh, -c, sleep 3600]}]
`;
      pg.apply(doc('busybox:1.36'));
      pg.runUntil(() => pg.api.get(STS, 'default', 'db').status?.readyReplicas === 3, 120_000);
      pg.apply(doc('busybox:1.37'));
      // db-2 goes first and, running `sleep`, takes its grace period to stop.
      pg.runUntil(() => !!pg.api.list(PODS, 'default').items.find((p: any) => p.metadata.name === 'db-2')?.metadata.deletionTimestamp, 10_000);
      pg.advance(2_000);
      const st = pg.api.get(STS, 'default', 'db').status;
      assert.strictEqual(st.replicas, 3);
      assert.strictEqual(st.currentReplicas, 2, JSON.stringify(st));
      assert.strictEqual(st.updatedReplicas, undefined, JSON.stringify(st));
    } finally {
      pg.close();
    }
  });
});

describe('statefulset fields behind feature gates', () => {
  it('drops rollingUpdate.maxUnavailable on create and update, as a 1.34 apiserver does (MaxUnavailableStatefulSet is alpha)', () => {
    const { newTestControlPlane } = require('../../../../cluster/src/testing');
    const cp = newTestControlPlane();
    const created = cp.api.create(STS, 'default', sts(4, { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1, maxUnavailable: 2 } } })).object;
    assert.deepStrictEqual(created.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 1 } });
    const next = structuredClone(created);
    next.spec.updateStrategy.rollingUpdate.maxUnavailable = '50%';
    assert.deepStrictEqual(cp.api.update(STS, 'default', next).object.spec.updateStrategy.rollingUpdate, { partition: 1 });
  });
});
