import * as assert from 'assert';
import { World } from './harness/world';
import { formatIndexes, parseIndexes, wantActive } from '../../../../cluster/src/controllers/job/util';
import { nextBackoffRecord, remainingBackoff } from '../../../../cluster/src/controllers/job/backoff';

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };

function job(name: string, spec: any, image = 'busybox'): any {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } },
  };
}

describe('job controller', () => {
  it('wantActive follows upstream', () => {
    assert.strictEqual(wantActive(5, 2, 0, 0), 2);
    assert.strictEqual(wantActive(5, 2, 4, 1), 1);
    assert.strictEqual(wantActive(undefined, 3, 0, 0), 3);
    assert.strictEqual(wantActive(undefined, 3, 1, 2), 2);
  });

  it('completed indexes round-trip as ranges', () => {
    assert.strictEqual(formatIndexes(new Set([7, 1, 3, 4, 5])), '1,3-5,7');
    assert.strictEqual(formatIndexes(new Set([0, 1, 5, 6, 7])), '0,1,5-7');
    assert.deepStrictEqual([...parseIndexes('1,3-5,7', 10)], [1, 3, 4, 5, 7]);
  });

  it('pod failure back-off doubles from 10 s', () => {
    const failed = (t: number) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, status: { phase: 'Failed', conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: new Date(t).toISOString() }] } });
    assert.strictEqual(remainingBackoff(nextBackoffRecord(undefined, [], [failed(0)]), 0), 10_000);
    assert.strictEqual(remainingBackoff(nextBackoffRecord(undefined, [], [failed(0), failed(0), failed(0)]), 0), 40_000);
  });

  it('leaves a Job whose spec.managedBy names another controller alone, and runs one that names itself', () => {
    const w = new World({ jobMs: 5000 });
    w.api.create(JOBS, 'default', job('ext', { managedBy: 'example.com/custom-controller' }));
    w.api.create(JOBS, 'default', job('own', { managedBy: 'kubernetes.io/job-controller' }));
    w.advance(60_000);
    assert.deepStrictEqual(w.pods().map((p) => p.metadata.labels?.['job-name']).sort(), ['own']);
    assert.strictEqual(w.api.get(JOBS, 'default', 'ext').status, undefined);
    assert.strictEqual(w.api.get(JOBS, 'default', 'own').status.succeeded, 1);
  });

  it('runs completions with parallelism and completes with upstream conditions', () => {
    const w = new World({ jobMs: 5000 });
    w.api.create(JOBS, 'default', job('pi', { completions: 4, parallelism: 2 }));
    w.settle();
    assert.strictEqual(w.pods().length, 2);
    let j = w.api.get(JOBS, 'default', 'pi');
    assert.strictEqual(j.status.active, 2);
    assert.strictEqual(j.status.startTime, '2018-03-06T09:03:54Z');
    w.advance(60_000);
    j = w.api.get(JOBS, 'default', 'pi');
    assert.strictEqual(j.status.succeeded, 4);
    assert.strictEqual(j.status.active, undefined);
    assert.deepStrictEqual(j.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ]);
    assert.ok(j.status.completionTime);
    assert.strictEqual(w.pods().length, 4);
    assert.ok(w.pods().every((p) => !(p.metadata.finalizers ?? []).length));
    assert.strictEqual(w.eventsFor('SuccessfulCreate').filter((e) => e.component === 'job-controller').length, 4);
    assert.deepStrictEqual(w.eventsFor('Completed').map((e) => e.message), ['Job completed']);
  });

  it('fails with BackoffLimitExceeded after backoffLimit+1 failures, waiting 10 s, 20 s, ... between', () => {
    const w = new World({ jobMs: 1000, startMs: 1000 });
    w.api.create(JOBS, 'default', job('bad', { backoffLimit: 2 }, 'busybox-fail'));
    w.advance(600_000);
    const j = w.api.get(JOBS, 'default', 'bad');
    assert.strictEqual(j.status.failed, 3);
    const c = j.status.conditions.map((x: any) => [x.type, x.reason, x.message]);
    assert.deepStrictEqual(c, [
      ['FailureTarget', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
      ['Failed', 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'],
    ]);
    const creates = w.eventsFor('SuccessfulCreate').filter((e) => e.component === 'job-controller').map((e) => e.time - w.events[0].time);
    // pod runs 2 s (bind+start 1 s, run 1 s); then 10 s, then 20 s back-off.
    assert.deepStrictEqual(creates.map((t) => t - creates[0]), [0, 12_000, 34_000]);
    assert.deepStrictEqual(w.eventsFor('BackoffLimitExceeded').map((e) => e.type), ['Warning']);
  });

  it('fails with DeadlineExceeded and deletes active pods', () => {
    const w = new World({ jobMs: 100_000 });
    w.api.create(JOBS, 'default', job('slow', { activeDeadlineSeconds: 30 }));
    w.advance(40_000);
    const j = w.api.get(JOBS, 'default', 'slow');
    assert.deepStrictEqual(j.status.conditions.map((x: any) => [x.type, x.reason, x.message]).slice(-1), [['Failed', 'DeadlineExceeded', 'Job was active longer than specified deadline']]);
    assert.strictEqual(w.pods().length, 0);
  });

  it('Indexed mode gives each pod its index and tracks completedIndexes', () => {
    const w = new World({ jobMs: 3000 });
    w.api.create(JOBS, 'default', job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    w.settle();
    const pods = w.pods();
    const idx = pods.map((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index']).sort();
    assert.deepStrictEqual(idx, ['0', '1', '2']);
    for (const p of pods) {
      const i = p.metadata.labels!['batch.kubernetes.io/job-completion-index'];
      assert.ok(p.metadata.name!.startsWith(`idx-${i}-`));
      assert.strictEqual(p.spec.hostname, `idx-${i}`);
    }
    w.advance(30_000);
    const j = w.api.get(JOBS, 'default', 'idx');
    assert.strictEqual(j.status.completedIndexes, '0-2');
    assert.strictEqual(j.status.succeeded, 3);
    assert.ok(j.status.conditions.some((c: any) => c.type === 'Complete'));
  });
});

describe('job suspend', () => {
  it('a suspended Job runs nothing; resuming sets Suspended False and restarts startTime', () => {
    const w = new World({ jobMs: 60_000 });
    w.api.create(JOBS, 'default', job('later', { completions: 2, parallelism: 2, suspend: true }));
    w.advance(5_000);
    let j = w.api.get(JOBS, 'default', 'later');
    assert.strictEqual(w.pods().length, 0);
    assert.strictEqual(j.status.startTime, undefined);
    assert.deepStrictEqual(j.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [['Suspended', 'True', 'JobSuspended', 'Job suspended']]);
    const s = structuredClone(j);
    s.spec.suspend = false;
    w.api.update(JOBS, 'default', s);
    w.advance(1_000);
    j = w.api.get(JOBS, 'default', 'later');
    assert.strictEqual(w.pods().length, 2);
    assert.deepStrictEqual(j.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [['Suspended', 'False', 'JobResumed', 'Job resumed']]);
    assert.strictEqual(j.status.startTime, '2018-03-06T09:03:59Z');
    assert.deepStrictEqual(w.events.filter((e) => e.reason === 'Suspended' || e.reason === 'Resumed').map((e) => e.message), ['Job suspended', 'Job resumed']);
  });
});

describe('ttl-after-finished', () => {
  it('deletes a finished Job ttlSecondsAfterFinished later', () => {
    const w = new World({ jobMs: 5000 });
    w.api.create(JOBS, 'default', job('short', { ttlSecondsAfterFinished: 30 }));
    w.advance(20_000);
    assert.ok(w.api.get(JOBS, 'default', 'short').status.completionTime);
    w.advance(10_000);
    assert.strictEqual(w.api.all(JOBS, 'default').length, 1, 'not yet');
    w.advance(20_000);
    assert.strictEqual(w.api.all(JOBS, 'default').length, 0);
    assert.strictEqual(w.pods().length, 0);
  });
});
