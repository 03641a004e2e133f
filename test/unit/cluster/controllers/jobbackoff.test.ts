/**
 * The Job-wide pod failure back-off and the removal of an Indexed Job's extra
 * pods, on the real playground (simulated clock): a pod deleted before it
 * finishes is a failure that delays its replacement (isPodFailed), the
 * failure count outlives the failed pods (upstream's in-memory backoffRecord),
 * and a second pod for a completion index, or a pod without the index
 * annotation, is deleted with its tracking finalizer released first.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

type PG = ReturnType<typeof newTestPlayground>;
const INDEX = 'batch.kubernetes.io/job-completion-index';
const TRACKING = 'batch.kubernetes.io/job-tracking';

function job(name: string, spec: any, container: any, podSpec: any = {}): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', ...podSpec, containers: [{ name: 'main', ...container }] } } },
  } as KObject;
}
const getJob = (pg: PG, name: string) => pg.api.get(R.jobs, 'default', name);
const jobPods = (pg: PG, name: string) => pg.api.list(R.pods, 'default', { labelSelector: `job-name=${name}` }).items;
const live = (pg: PG, name: string) => jobPods(pg, name).filter((p) => !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded');
const events = (pg: PG, name: string, reason: string) => pg.api.list(R.events, 'default').items.filter((e) => e.reason === reason && e.involvedObject?.name === name);
const ready = (p: KObject) => (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');

/** ms from now until `done` holds, stepping 100 ms; -1 if it never does within maxMs. */
function waitFor(pg: PG, done: () => boolean, maxMs: number): number {
  const t0 = pg.clock.now();
  while (!done()) {
    if (pg.clock.now() - t0 >= maxMs) return -1;
    pg.advance(100);
  }
  return pg.clock.now() - t0;
}

describe('job failure back-off (Job-wide)', () => {
  for (const restartPolicy of ['Never', 'OnFailure']) {
    it(`a running pod deleted before it finishes is a failure: its replacement waits 10 s (restartPolicy ${restartPolicy})`, () => {
      const pg = newTestPlayground();
      try {
        pg.api.create(R.jobs, 'default', job('del', { completions: 1, backoffLimit: 6 }, { image: 'kubeplay/sleep:10m' }, { restartPolicy }));
        assert.ok(pg.runUntil(() => live(pg, 'del').some(ready), 30_000));
        const first = live(pg, 'del')[0];
        pg.api.delete(R.pods, 'default', first.metadata.name!, { gracePeriodSeconds: 30 });
        const after = waitFor(pg, () => live(pg, 'del').length === 1, 60_000);
        // The failure's time is deletionTimestamp less the grace period, in whole seconds: 10 s from the second the pod was deleted in.
        assert.ok(after >= 9_000 && after < 11_000, `replacement after ${after} ms`);
        assert.strictEqual(getJob(pg, 'del').status.failed, 1);
      } finally {
        pg.close();
      }
    });
  }

  it('keeps the failure count after the failed pods are deleted: the third pod still waits 20 s', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('mem', { completions: 1, backoffLimit: 6 }, { image: 'kubeplay/exit:code-1-after-1s' }));
      const failedCount = () => jobPods(pg, 'mem').filter((p) => p.status?.phase === 'Failed').length;
      assert.ok(pg.runUntil(() => failedCount() === 2 && getJob(pg, 'mem').status?.failed === 2, 60_000));
      assert.strictEqual(live(pg, 'mem').length, 0, 'the second failure is backing off');
      // Both failed pods go (a user, or the pod GC); the controller still remembers two failures.
      for (const p of jobPods(pg, 'mem')) pg.api.delete(R.pods, 'default', p.metadata.name!);
      const lastFailure = pg.clock.now();
      const after = waitFor(pg, () => live(pg, 'mem').length === 1, 60_000);
      assert.ok(after >= 15_000 && after <= 21_000, `third pod ${after} ms after the pods were deleted (20 s from the second failure)`);
      assert.ok(pg.clock.now() - lastFailure > 10_000, 'not the 10 s of a first failure');
    } finally {
      pg.close();
    }
  });
});

describe('job: extra pods of an Indexed Job', () => {
  it('deletes a second pod for an index, keeping the more advanced one, without counting it as failed', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('dup', { completionMode: 'Indexed', completions: 3, parallelism: 2 }, { image: 'kubeplay/sleep:10m' }));
      assert.ok(pg.runUntil(() => live(pg, 'dup').filter(ready).length === 2, 30_000));
      const original = live(pg, 'dup').find((p) => p.metadata.annotations?.[INDEX] === '0')!;
      const m = original.metadata;
      // Room for a third pod, and a second pod for index 0 in the same moment: no pod is too many, one is a duplicate.
      pg.api.patch(R.jobs, 'default', 'dup', 'merge', { spec: { parallelism: 3 } });
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: 'dup-0-extra', labels: m.labels, annotations: m.annotations, ownerReferences: m.ownerReferences, finalizers: [TRACKING] },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'kubeplay/sleep:10m' }] },
      } as KObject);
      pg.advance(3_000);
      assert.deepStrictEqual(events(pg, 'dup', 'SuccessfulDelete').map((e) => e.message), ['Deleted pod: dup-0-extra']);
      const extra = jobPods(pg, 'dup').find((p) => p.metadata.name === 'dup-0-extra');
      assert.ok(!extra || (extra.metadata.deletionTimestamp && !extra.metadata.finalizers?.includes(TRACKING)), 'the extra pod is deleted, its finalizer released first');
      assert.ok(live(pg, 'dup').some((p) => p.metadata.uid === original.metadata.uid), 'the running, ready pod of index 0 stays');
      pg.advance(60_000);
      const j = getJob(pg, 'dup');
      assert.deepStrictEqual(live(pg, 'dup').map((p) => p.metadata.annotations?.[INDEX]).sort(), ['0', '1', '2'], 'index 2 got its pod once the duplicate was gone');
      assert.strictEqual(j.status.failed, undefined, 'a pod the Job removed itself is not a failure');
      assert.strictEqual(j.status.active, 3);
      assert.strictEqual(events(pg, 'dup', 'SuccessfulCreate').length, 3, 'index 0 is not started again');
    } finally {
      pg.close();
    }
  });

  it('deletes a pod whose index is only in the label: the index is read from the annotation alone', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('lbl', { completionMode: 'Indexed', completions: 3, parallelism: 1 }, { image: 'kubeplay/sleep:10m' }));
      assert.ok(pg.runUntil(() => live(pg, 'lbl').filter(ready).length === 1, 30_000));
      const m = live(pg, 'lbl')[0].metadata;
      // Owned by the Job, labelled index 2, no annotation: no valid completion index (getCompletionIndex).
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: 'lbl-stray', labels: { ...m.labels, [INDEX]: '2' }, ownerReferences: m.ownerReferences, finalizers: [TRACKING] },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'kubeplay/exit:code-0-after-1s' }] },
      } as KObject);
      pg.advance(10_000);
      assert.deepStrictEqual(events(pg, 'lbl', 'SuccessfulDelete').map((e) => e.message), ['Deleted pod: lbl-stray']);
      const j = getJob(pg, 'lbl');
      assert.ok(!j.status.completedIndexes, `index 2 is not completed by a pod without the annotation (${j.status.completedIndexes})`);
      assert.strictEqual(j.status.failed, undefined);
    } finally {
      pg.close();
    }
  });
});

describe('job: pods the Job deletes itself (deleteJobPods)', () => {
  it('suspending lets the running pods go uncounted, and resuming starts new ones at once (no failure back-off)', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('sus', { completions: 4, parallelism: 2 }, { image: 'kubeplay/sleep:10m' }));
      assert.ok(pg.runUntil(() => live(pg, 'sus').filter(ready).length === 2, 30_000));
      pg.api.patch(R.jobs, 'default', 'sus', 'merge', { spec: { suspend: true } });
      assert.ok(pg.runUntil(() => live(pg, 'sus').length === 0, 10_000));
      for (const p of jobPods(pg, 'sus')) assert.ok(!p.metadata.finalizers?.includes(TRACKING), `${p.metadata.name} was deleted with its finalizer released`);
      pg.advance(60_000);
      assert.strictEqual(getJob(pg, 'sus').status.failed, undefined, 'suspension is not failure');
      pg.api.patch(R.jobs, 'default', 'sus', 'merge', { spec: { suspend: false } });
      const after = waitFor(pg, () => live(pg, 'sus').length === 2, 30_000);
      assert.ok(after >= 0 && after < 2_000, `new pods ${after} ms after resuming`);
    } finally {
      pg.close();
    }
  });
});
