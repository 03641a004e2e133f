import * as assert from 'assert';
import { World } from './harness/world';
import { rolloutUndoDeployment } from '../../../../cluster/src/controllers/index';
import { isPodAvailable } from '../../../../cluster/src/controllers/util/pods';

const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };
const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };

function dep(replicas: number, image: string, strategy: any = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, extra: any = {}): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, strategy, ...extra,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
  };
}

function setImage(w: World, image: string): void {
  const d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
  d.spec.template.spec.containers[0].image = image;
  w.api.update(DEPLOYMENTS, 'default', d);
}

function rolloutWithInvariants(replicas: number, surge: number | string, unavail: number | string, maxPods: number, minAvail: number): World {
  let steps = 0;
  let maxSeen = 0;
  let minSeen = Infinity;
  let checking = false;
  const w: World = new World({
    onStep: () => {
      if (!checking) return;
      steps++;
      const pods = w.pods().filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
      const avail = pods.filter((p) => isPodAvailable(p, 0, w.clock.now())).length;
      maxSeen = Math.max(maxSeen, pods.length);
      minSeen = Math.min(minSeen, avail);
      assert.ok(pods.length <= maxPods, `${pods.length} pods > ${maxPods} at step ${steps}`);
      assert.ok(avail >= minAvail, `${avail} available < ${minAvail} at step ${steps}`);
    },
  });
  w.api.create(DEPLOYMENTS, 'default', dep(replicas, 'nginx:1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavail } }));
  w.advance(20_000);
  assert.strictEqual(w.pods().length, replicas);
  checking = true;
  setImage(w, 'nginx:2');
  const done = w.runUntil(() => {
    const d = w.api.get(DEPLOYMENTS, 'default', 'web');
    return d.status.observedGeneration === d.metadata.generation && d.metadata.annotations!['deployment.kubernetes.io/revision'] === '2' &&
      d.status.updatedReplicas === replicas && d.status.availableReplicas === replicas && d.status.replicas === replicas;
  }, 300_000);
  checking = false;
  assert.ok(done, 'rollout finished');
  assert.ok(steps > 10);
  assert.strictEqual(maxSeen, maxPods, 'the surge budget is used');
  assert.strictEqual(minSeen, minAvail, 'the unavailability budget is used');
  return w;
}

describe('deployment rollouts', () => {
  it('RollingUpdate 10 replicas, 25%/25%: never more than 13 pods nor fewer than 8 available', () => {
    const w = rolloutWithInvariants(10, '25%', '25%', 13, 8);
    const d = w.api.get(DEPLOYMENTS, 'default', 'web');
    assert.strictEqual(d.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
    const rss = w.api.all(RS, 'default');
    assert.strictEqual(rss.length, 2);
    const old = rss.find((r) => r.metadata.annotations!['deployment.kubernetes.io/revision'] === '1')!;
    assert.strictEqual(old.spec.replicas, 0);
    const msgs = w.eventsFor('ScalingReplicaSet').map((e) => e.message);
    assert.match(msgs[1], /^Scaled up replica set web-\w+ from 0 to 3$/);
    assert.ok(msgs.some((m) => /^Scaled down replica set web-\w+ from 10 to 8$/.test(m)), msgs.join('\n'));
  });

  it('RollingUpdate with maxSurge 0 and maxUnavailable 0 falls back to maxUnavailable 1', () => {
    rolloutWithInvariants(4, 0, 0, 4, 3);
  });

  it('RollingUpdate maxSurge 1, maxUnavailable 0 keeps every replica available', () => {
    rolloutWithInvariants(5, 1, 0, 6, 5);
  });

  it('Recreate removes every old pod before the first new one', () => {
    let overlap = false;
    const w: World = new World({
      onStep: () => {
        const hashes = new Set(w.pods().map((p) => p.metadata.labels!['pod-template-hash']));
        if (hashes.size > 1) overlap = true;
      },
    });
    w.api.create(DEPLOYMENTS, 'default', dep(3, 'nginx:1', { type: 'Recreate' }));
    w.advance(10_000);
    setImage(w, 'nginx:2');
    w.advance(30_000);
    assert.strictEqual(overlap, false);
    const d = w.api.get(DEPLOYMENTS, 'default', 'web');
    assert.strictEqual(d.status.updatedReplicas, 3);
    assert.strictEqual(d.status.availableReplicas, 3);
  });

  it('rollout undo returns to the previous ReplicaSet and bumps its revision', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(2, 'nginx:1'));
    w.advance(10_000);
    const first = w.api.all(RS, 'default')[0].metadata.name;
    setImage(w, 'nginx:2');
    w.advance(60_000);
    assert.strictEqual(rolloutUndoDeployment(w.api, 'default', 'web'), 'deployment.apps/web rolled back');
    w.advance(60_000);
    const d = w.api.get(DEPLOYMENTS, 'default', 'web');
    assert.strictEqual(d.spec.template.spec.containers[0].image, 'nginx:1');
    assert.strictEqual(d.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    const rs = w.api.get(RS, 'default', first!);
    assert.strictEqual(rs.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.strictEqual(rs.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.strictEqual(rs.spec.replicas, 2);
    assert.strictEqual(w.api.all(RS, 'default').length, 2);
  });

  it('the deprecated rollback annotation rolls back too', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(1, 'nginx:1'));
    w.advance(10_000);
    setImage(w, 'nginx:2');
    w.advance(30_000);
    const d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    d.metadata.annotations = { ...d.metadata.annotations, 'deprecated.deployment.rollback.to': '1' };
    w.api.update(DEPLOYMENTS, 'default', d);
    w.advance(30_000);
    const after = w.api.get(DEPLOYMENTS, 'default', 'web');
    assert.strictEqual(after.spec.template.spec.containers[0].image, 'nginx:1');
    assert.strictEqual(after.metadata.annotations!['deprecated.deployment.rollback.to'], undefined);
    assert.deepStrictEqual(w.eventsFor('DeploymentRollback').map((e) => e.message), ['Rolled back deployment "web" to revision 1']);
  });

  it('pause holds the rollout and marks Progressing Unknown; resume continues', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(2, 'nginx:1'));
    w.advance(10_000);
    let d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    d.spec.paused = true;
    d.spec.template.spec.containers[0].image = 'nginx:2';
    w.api.update(DEPLOYMENTS, 'default', d);
    w.advance(20_000);
    assert.strictEqual(w.api.all(RS, 'default').length, 1);
    let p = w.api.get(DEPLOYMENTS, 'default', 'web').status.conditions.find((c: any) => c.type === 'Progressing');
    assert.deepStrictEqual([p.status, p.reason, p.message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
    d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    d.spec.paused = false;
    w.api.update(DEPLOYMENTS, 'default', d);
    w.advance(60_000);
    assert.strictEqual(w.api.all(RS, 'default').length, 2);
    p = w.api.get(DEPLOYMENTS, 'default', 'web').status.conditions.find((c: any) => c.type === 'Progressing');
    assert.strictEqual(p.reason, 'NewReplicaSetAvailable');
  });

  it('reports ProgressDeadlineExceeded when new pods never become ready', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(2, 'nginx:1', undefined, { progressDeadlineSeconds: 30 }));
    w.advance(10_000);
    const d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    d.spec.template.spec.containers[0].image = 'nginx:2';
    d.spec.template.spec.containers[0].readinessProbe = { initialDelaySeconds: 100000 };
    w.api.update(DEPLOYMENTS, 'default', d);
    w.advance(40_000);
    const dd = w.api.get(DEPLOYMENTS, 'default', 'web');
    const p = dd.status.conditions.find((c: any) => c.type === 'Progressing');
    const newRS = w.api.all(RS, 'default').find((r) => r.metadata.annotations!['deployment.kubernetes.io/revision'] === '2')!;
    assert.deepStrictEqual([p.status, p.reason, p.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${newRS.metadata.name}" has timed out progressing.`]);
    assert.strictEqual(dd.status.unavailableReplicas, 1);
  });

  it('scaling mid-rollout spreads replicas proportionally', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(10, 'nginx:1', { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } }));
    w.advance(10_000);
    const d = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    d.spec.template.spec.containers[0].image = 'nginx:2';
    d.spec.template.spec.containers[0].readinessProbe = { initialDelaySeconds: 100000 };
    w.api.update(DEPLOYMENTS, 'default', d);
    w.advance(5_000);
    const sizes = () => w.api.all(RS, 'default').map((r) => [r.metadata.annotations!['deployment.kubernetes.io/revision'], r.spec.replicas]).sort();
    assert.deepStrictEqual(sizes(), [['1', 8], ['2', 5]]);
    const s = structuredClone(w.api.get(DEPLOYMENTS, 'default', 'web'));
    s.spec.replicas = 20;
    w.api.update(DEPLOYMENTS, 'default', s);
    w.advance(1_000);
    // 13 -> 23 allowed: +10 split 8:5 of 13 → old 8*23/13≈14 (+6), new gets the remaining +4.
    assert.deepStrictEqual(sizes(), [['1', 14], ['2', 9]]);
  });

  it('keeps revisionHistoryLimit old ReplicaSets', () => {
    const w = new World();
    w.api.create(DEPLOYMENTS, 'default', dep(1, 'nginx:0', undefined, { revisionHistoryLimit: 2 }));
    w.advance(10_000);
    for (let i = 1; i <= 4; i++) {
      setImage(w, `nginx:${i}`);
      w.advance(30_000);
    }
    const revs = w.api.all(RS, 'default').map((r) => Number(r.metadata.annotations!['deployment.kubernetes.io/revision'])).sort();
    assert.deepStrictEqual(revs, [3, 4, 5]);
  });
});
