/**
 * The playground's operations as the tree view and the CLI call them (issue 3, "Operations for the UI and the CLI"),
 * each through the whole cluster: apiserver, controllers, scheduler and kubelets.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.27"}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

const pods = (pg: KubePlayground) => pg.api.list(R.pods, 'default', { labelSelector: 'app=web' }).items;
const running = (pg: KubePlayground, n: number) => () => {
  const ps = pods(pg);
  return ps.length === n && ps.every((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
};
const reasons = (pg: KubePlayground, reason: string) =>
  pg.api.list(R.events, 'default').items.filter((e) => e.reason === reason).map((e) => e.message as string);

describe('playground operations', () => {
  let pg: KubePlayground;
  beforeEach(() => {
    pg = newTestPlayground();
    pg.apply(WEB);
    assert.ok(pg.runUntil(running(pg, 3), 60_000), 'web is up');
  });
  afterEach(() => pg.close());

  it('rollout restart stamps the template, and a new ReplicaSet replaces every pod', () => {
    const before = new Set(pods(pg).map((p) => p.metadata.name));
    pg.rolloutRestart(R.deployments, 'default', 'web');
    const d = pg.api.get(R.deployments, 'default', 'web');
    assert.match(d.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.strictEqual(d.metadata.generation, 2);
    assert.ok(pg.runUntil(() => running(pg, 3)() && pods(pg).every((p) => !before.has(p.metadata.name)), 120_000), 'three new pods run');
    const rss = pg.api.list(R.replicasets, 'default').items;
    assert.strictEqual(rss.length, 2);
    const fresh = rss.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2')!;
    const old = rss.find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    assert.strictEqual(fresh.spec.replicas, 3);
    assert.strictEqual(old.spec.replicas, 0);
    assert.ok(pods(pg).every((p) => p.metadata.name!.startsWith(`${fresh.metadata.name}-`)));
    const scaled = reasons(pg, 'ScalingReplicaSet');
    assert.ok(scaled.includes(`Scaled up replica set ${fresh.metadata.name} from 0 to 1`), scaled.join('\n'));
    assert.ok(scaled.includes(`Scaled down replica set ${old.metadata.name} from 3 to 2`), scaled.join('\n'));
  });

  it('kill pod ends its containers with 137, and the kubelet restarts them in the same pod', () => {
    const [p] = pods(pg);
    pg.killPod('default', p.metadata.name!);
    pg.advance(15_000);
    const now = pg.api.get(R.pods, 'default', p.metadata.name!);
    assert.strictEqual(now.metadata.uid, p.metadata.uid, 'the same pod');
    const cs = now.status.containerStatuses[0];
    assert.strictEqual(cs.restartCount, 1);
    assert.strictEqual(cs.lastState.terminated.exitCode, 137);
    assert.strictEqual(cs.lastState.terminated.reason, 'Error');
    assert.ok(cs.state.running, JSON.stringify(cs.state));
    assert.throws(() => pg.killPod('default', 'nope'), (e: any) => e.code === 404);
  });

  it('deletes what a manifest names, and the pods go with their Deployment', () => {
    const gone = pg.deleteManifest(WEB);
    assert.deepStrictEqual(gone.map((o) => `${o.kind}/${o.metadata.name}`), ['Deployment/web', 'Service/web']);
    assert.throws(() => pg.api.get(R.services, 'default', 'web'), (e: any) => e.code === 404);
    assert.ok(pg.runUntil(() => pods(pg).length === 0 && pg.api.list(R.replicasets, 'default').items.length === 0, 120_000), 'pods and ReplicaSet gone');
    assert.throws(() => pg.api.get(R.deployments, 'default', 'web'), (e: any) => e.code === 404);
    assert.strictEqual(reasons(pg, 'Killing').length, 3);
    assert.throws(() => pg.deleteManifest(WEB), (e: any) => e.code === 404);
  });

  it('keeps failed and successful Jobs of a CronJob to its history limits', () => {
    const cron = (name: string, command: string, limits: Record<string, number>) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "* * * * *"
  ${Object.entries(limits).map(([k, v]) => `${k}: ${v}`).join('\n  ')}
  jobTemplate:
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - {name: c, image: "busybox:1.36", command: ["sh", "-c", "${command}"]}
`;
    pg.apply(cron('fails', 'exit 3', { failedJobsHistoryLimit: 2 }));
    pg.apply(cron('works', 'true', { successfulJobsHistoryLimit: 1 }));
    pg.advance(6 * 60_000 + 30_000);
    const jobs = pg.api.list(R.jobs, 'default').items;
    const finished = (owner: string, type: string) =>
      jobs.filter((j) => j.metadata.ownerReferences?.[0]?.name === owner && j.status?.conditions?.some((c: any) => c.type === type && c.status === 'True'));
    assert.strictEqual(finished('fails', 'Failed').length, 2, jobs.map((j) => j.metadata.name).join());
    assert.strictEqual(finished('works', 'Complete').length, 1, jobs.map((j) => j.metadata.name).join());
    assert.ok(finished('fails', 'Failed').every((j) => j.status.conditions.some((c: any) => c.reason === 'BackoffLimitExceeded')));
    // Six runs each: the oldest ones were deleted by the cronjob-controller, as upstream says it.
    assert.ok(reasons(pg, 'SuccessfulDelete').filter((m) => /^Deleted job fails-\d+$/.test(m)).length >= 3);
    assert.ok(reasons(pg, 'SuccessfulDelete').filter((m) => /^Deleted job works-\d+$/.test(m)).length >= 4);
  });
});

describe('playground real-time speed', () => {
  it('moves simulated time at speed times wall time, and at the new speed once it is changed', async () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      // Wall time is read on both sides of each call that moves time, so the bounds hold on a slow machine too.
      const sim0 = pg.clock.now();
      const before0 = Date.now();
      pg.startRealtime(7);
      const after0 = Date.now();
      await new Promise((r) => setTimeout(r, 150));
      const before1 = Date.now();
      pg.setSpeed(3);
      const after1 = Date.now();
      const sim1 = pg.clock.now();
      await new Promise((r) => setTimeout(r, 150));
      const before2 = Date.now();
      pg.pause();
      const after2 = Date.now();
      const sim2 = pg.clock.now();
      assert.ok(sim1 - sim0 >= 7 * (before1 - after0) - 1 && sim1 - sim0 <= 7 * (after1 - before0) + 1, `7x: ${sim1 - sim0} ms in ${before1 - after0}–${after1 - before0} ms`);
      assert.ok(sim2 - sim1 >= 3 * (before2 - after1) - 1 && sim2 - sim1 <= 3 * (after2 - before1) + 1, `3x: ${sim2 - sim1} ms in ${before2 - after1}–${after2 - before1} ms`);
    } finally {
      pg.close();
    }
  });
});
