/**
 * The workload controllers inside the real playground: real apiserver
 * (defaulting, validation, generateName), scheduler, kubelets, GC.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

const SEED_DEPLOYMENT = `
kind: Deployment
apiVersion: apps/v1
metadata:
  name: mean
  namespace: default
spec:
  replicas: 1
  selector:
    matchLabels:
      app: mean
  template:
    metadata:
      labels:
        app: mean
    spec:
      containers:
      - name: mean
        image: nginx
        imagePullPolicy: Always
      restartPolicy: Always
      terminationGracePeriodSeconds: 30
      dnsPolicy: ClusterFirst
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 25%
      maxSurge: 25%
  revisionHistoryLimit: 10
  progressDeadlineSeconds: 600
`;

describe('workload controllers in the full playground', function () {
  this.timeout(60_000);

  it('the seed Deployment settles to the seed status shape', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(SEED_DEPLOYMENT);
      const done = pg.runUntil(() => {
        const d = pg.api.get(R.deployments, 'default', 'mean');
        return d.status?.availableReplicas === 1 && d.status.conditions?.some((c: any) => c.reason === 'NewReplicaSetAvailable');
      }, 120_000);
      assert.ok(done, 'deployment became available');
      const d = pg.api.get(R.deployments, 'default', 'mean');
      const rs = pg.api.list(R.replicasets, 'default').items;
      assert.strictEqual(rs.length, 1);
      const rsName = rs[0].metadata.name!;
      assert.match(rsName, /^mean-[bcdfghjklmnpqrstvwxz2456789]+$/);
      assert.strictEqual(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
      assert.deepStrictEqual(Object.keys(d.status), ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'conditions']);
      const { conditions, ...counts } = d.status;
      assert.deepStrictEqual(counts, { observedGeneration: 1, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 });
      assert.deepStrictEqual(conditions.map((c: any) => Object.keys(c)), [
        ['type', 'status', 'lastUpdateTime', 'lastTransitionTime', 'reason', 'message'],
        ['type', 'status', 'lastUpdateTime', 'lastTransitionTime', 'reason', 'message'],
      ]);
      assert.deepStrictEqual(conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
        ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
        ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`],
      ]);
      const pods = pg.api.list(R.pods, 'default').items;
      assert.strictEqual(pods.length, 1);
      assert.match(pods[0].metadata.name!, new RegExp(`^${rsName}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.strictEqual(pods[0].status.phase, 'Running');
    } finally {
      pg.close();
    }
  });

  it('a rolling update through the real scheduler and kubelets keeps the surge and availability bounds', () => {
    const pg = newTestPlayground({ nodes: 3 });
    try {
      pg.apply(SEED_DEPLOYMENT.replace('replicas: 1', 'replicas: 8').replace(/name: mean\n  namespace/, 'name: web\n  namespace'));
      const avail = (d: KObject) => d.status?.availableReplicas === 8 && d.status?.updatedReplicas === 8 && d.status?.replicas === 8;
      assert.ok(pg.runUntil(() => avail(pg.api.get(R.deployments, 'default', 'web')), 300_000));
      // Check the bounds at every pod event, not only between time steps.
      const live = new Map<string, KObject>();
      for (const p of pg.api.list(R.pods, 'default').items) live.set(p.metadata.name!, p);
      let maxPods = 0;
      let minAvailable = Infinity;
      let events = 0;
      const check = () => {
        const pods = [...live.values()].filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
        maxPods = Math.max(maxPods, pods.length);
        minAvailable = Math.min(minAvailable, pods.filter((p) => p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length);
      };
      const { resourceVersion } = pg.api.list(R.pods, 'default');
      const w = pg.api.watch(R.pods, 'default', { resourceVersion }, (e) => {
        events++;
        if (e.type === 'DELETED') live.delete(e.object.metadata.name!);
        else live.set(e.object.metadata.name!, e.object);
        check();
      });
      pg.setImage(R.deployments, 'default', 'web', 'mean', 'nginx:1.27');
      const ok = pg.runUntil(() => {
        const d = pg.api.get(R.deployments, 'default', 'web');
        return d.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && d.status?.observedGeneration === d.metadata.generation && avail(d);
      }, 600_000);
      w.stop();
      assert.ok(events > 30, `saw ${events} pod events`);
      assert.ok(ok, 'rollout completed');
      assert.ok(maxPods <= 10, `at most replicas + maxSurge (10) pods, saw ${maxPods}`);
      assert.ok(maxPods > 8, 'the rollout surged');
      assert.ok(minAvailable >= 6, `at least replicas - maxUnavailable (6) ready, saw ${minAvailable}`);
      const images = pg.api.list(R.pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image);
      assert.deepStrictEqual([...new Set(images)], ['nginx:1.27']);
    } finally {
      pg.close();
    }
  });
});

const WORKLOADS = `
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: perl}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: idx}
spec:
  completions: 2
  parallelism: 2
  completionMode: Indexed
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: busybox}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: logs}
spec:
  selector: {matchLabels: {app: logs}}
  template:
    metadata: {labels: {app: logs}}
    spec:
      containers: [{name: f, image: fluentd}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  clusterIP: None
  selector: {app: nginx}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 3
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  replicas: 2
  selector: {app: rc}
  template:
    metadata: {labels: {app: rc}}
    spec:
      containers: [{name: c, image: nginx}]
`;

describe('every workload kind in the full playground', function () {
  this.timeout(60_000);

  it('Jobs complete, the CronJob schedules, the DaemonSet covers every node, the StatefulSet gets its claims', () => {
    const pg = newTestPlayground({ nodes: 3 });
    try {
      pg.apply(WORKLOADS);
      pg.advance(200_000);
      const pi = pg.api.get(R.jobs, 'default', 'pi');
      assert.strictEqual(pi.status.succeeded, 3);
      assert.deepStrictEqual(pi.status.conditions.map((c: any) => c.type), ['SuccessCriteriaMet', 'Complete']);
      const idx = pg.api.get(R.jobs, 'default', 'idx');
      assert.strictEqual(idx.status.completedIndexes, '0,1', 'two neighbouring indexes are written "0,1", as upstream prints intervals');
      const tick = pg.api.get(R.cronjobs, 'default', 'tick');
      assert.strictEqual(tick.status.lastScheduleTime, '2026-01-01T00:03:00Z');
      const cronJobs = pg.api.list(R.jobs, 'default').items.filter((j) => j.metadata.name!.startsWith('tick-'));
      assert.strictEqual(cronJobs.length, 3);
      const logs = pg.api.get(R.daemonsets, 'default', 'logs');
      assert.deepStrictEqual([logs.status.desiredNumberScheduled, logs.status.numberReady, logs.status.numberAvailable], [3, 3, 3]);
      const dsNodes = pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.name!.startsWith('logs-')).map((p) => p.spec.nodeName).sort();
      assert.strictEqual(new Set(dsNodes).size, 3);
      const web = pg.api.get(R.statefulsets, 'default', 'web');
      assert.deepStrictEqual([web.status.replicas, web.status.readyReplicas, web.status.availableReplicas], [3, 3, 3]);
      assert.strictEqual(web.status.currentRevision, web.status.updateRevision);
      const claims = pg.api.list(R.pvcs, 'default').items.map((c) => c.metadata.name).sort();
      assert.deepStrictEqual(claims, ['www-web-0', 'www-web-1', 'www-web-2']);
      const rc = pg.api.get(R.replicationcontrollers, 'default', 'rc');
      assert.strictEqual(rc.status.availableReplicas, 2);
    } finally {
      pg.close();
    }
  });
});

describe('node failure in the full playground', function () {
  this.timeout(60_000);

  it('pods evicted from a failed node are recreated elsewhere by their ReplicaSet', () => {
    const pg = newTestPlayground({ nodes: 3 });
    try {
      pg.apply(SEED_DEPLOYMENT.replace('replicas: 1', 'replicas: 6'));
      pg.advance(30_000);
      const victim = pg.api.list(R.pods, 'default').items[0].spec.nodeName as string;
      pg.failNode(victim);
      const healthy = () =>
        pg.api.list(R.pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp && p.spec.nodeName !== victim && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length;
      assert.ok(pg.runUntil(() => healthy() === 6, 900_000), 'six ready pods on the surviving nodes');
      // The ReplicaSet's and then the Deployment's status follow the pods, each within a controller batch (50 ms).
      pg.advance(200);
      const d = pg.api.get(R.deployments, 'default', 'mean');
      assert.strictEqual(d.status.availableReplicas, 6);
      const rs = pg.api.list(R.replicasets, 'default').items[0];
      const creates = pg.api.list(R.events, 'default').items.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === rs.metadata.name);
      assert.ok(creates.reduce((n, e) => n + (e.count ?? 1), 0) >= 7, 'replacements were created');
    } finally {
      pg.close();
    }
  });
});
