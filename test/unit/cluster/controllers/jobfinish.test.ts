import * as assert from 'assert';
import { World } from './harness/world';
import { deepCopy } from '../../../../cluster/src/runtime/objects';
import { newTestPlayground, R } from '../../../../cluster/src/testing';

/**
 * What a Job counts as it finishes (trackJobStatusAndRemoveFinalizers,
 * manageJob's jobCtx.succeeded): the pods it kills when it fails, the pods it
 * stops when it completes, and a success seen in the same sync as a create.
 */
const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

function setPhase(w: World, p: any, phase: string): void {
  const u = deepCopy(p);
  u.spec.nodeName = u.spec.nodeName ?? 'node-1';
  u.status = { phase, conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date(w.clock.now()).toISOString() }] };
  w.api.update(PODS, 'default', u, undefined, 'status');
}

describe('job controller: counting as the Job finishes', () => {
  for (const completions of [2, undefined]) {
    it(`creates no extra pod when one of two succeeds (completions ${completions ?? 'unset'}): the sync's own success lowers what is wanted`, () => {
      const w = new World({ kubelet: false });
      w.api.create(JOBS, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'default' },
        spec: { completions, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } } });
      w.advance(2000);
      assert.strictEqual(w.pods().length, 2);
      setPhase(w, w.pods()[0], 'Succeeded');
      w.advance(3000);
      assert.strictEqual(w.eventsFor('SuccessfulCreate').length, 2, 'no third pod');
      assert.strictEqual(w.eventsFor('SuccessfulDelete').length, 0);
    });
  }

  it('counts a pod still terminating (podReplacementPolicy Failed) as failed when the Job fails, whatever it ends as', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'tf', namespace: 'default' },
        spec: { completions: 2, parallelism: 2, activeDeadlineSeconds: 20, podReplacementPolicy: 'Failed',
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'kubeplay/sleep:10m' }] } } } } as any);
      const pods = () => [...pg.store.list('/pods', 'default')];
      assert.ok(pg.runUntil(() => pods().length === 2 && pods().every((p) => p.status?.phase === 'Running'), 19_000));
      // Deleted just before the deadline: the container stops on SIGTERM half a second later, with exit 0, after the Job failed.
      pg.advance(Date.parse(pg.api.get(R.jobs, 'default', 'tf').status.startTime) + 19_800 - pg.clock.now());
      pg.api.delete(R.pods, 'default', pods()[0].metadata.name!);
      const failed = () => (pg.api.get(R.jobs, 'default', 'tf').status?.conditions ?? []).some((c: any) => c.type === 'Failed');
      assert.ok(pg.runUntil(failed, 120_000));
      const st = pg.api.get(R.jobs, 'default', 'tf').status;
      assert.strictEqual(st.failed, 2);
      assert.strictEqual(st.succeeded, undefined, 'the pod was judged when the Job failed, not by how it ended');
    } finally {
      pg.close();
    }
  });

  it('counts the pods it kills when it fails as failed, and fails none of their indexes', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'dl', namespace: 'default' },
        spec: { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 0, activeDeadlineSeconds: 8,
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'kubeplay/sleep:10m' }] } } } } as any);
      const failed = () => (pg.api.get(R.jobs, 'default', 'dl').status?.conditions ?? []).some((c: any) => c.type === 'Failed');
      assert.ok(pg.runUntil(failed, 120_000));
      const j = pg.api.get(R.jobs, 'default', 'dl');
      assert.deepStrictEqual(j.status.conditions.map((c: any) => [c.type, c.reason]), [['FailureTarget', 'DeadlineExceeded'], ['Failed', 'DeadlineExceeded']]);
      assert.strictEqual(j.status.failedIndexes, '', 'the Job killed them; no index failed');
      assert.strictEqual(j.status.failed, 3);
      for (const p of pg.store.list('/pods', 'default')) assert.ok(!(p.metadata.finalizers ?? []).includes('batch.kubernetes.io/job-tracking'), p.metadata.name);
    } finally {
      pg.close();
    }
  });
});
