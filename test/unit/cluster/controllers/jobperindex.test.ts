/**
 * Job backoffLimitPerIndex and terminal conditions on the real playground (simulated clock): which
 * index runs next and when, the failed pod kept (finalizer held, not yet in
 * status.failed) until its index's next pod exists, pods deleted before they
 * finish, and terminating pods under podReplacementPolicy Failed.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

type PG = ReturnType<typeof newTestPlayground>;
const INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILURES = 'batch.kubernetes.io/job-index-failure-count';
const IGNORED = 'batch.kubernetes.io/job-index-ignored-failure-count';
const TRACKING = 'batch.kubernetes.io/job-tracking';

function job(name: string, spec: any, container: any, podSpec: any = {}): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', ...podSpec, containers: [{ name: 'main', ...container }] } } },
  } as KObject;
}
const conditions = (j: KObject) => (j.status?.conditions ?? []).map((c: any) => [c.type, c.reason]);
const getJob = (pg: PG, name: string) => pg.api.get(R.jobs, 'default', name);
const finished = (pg: PG, name: string) => () => (getJob(pg, name).status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const jobPods = (pg: PG, name: string) => pg.api.list(R.pods, 'default', { labelSelector: `job-name=${name}` }).items;
const indexOf = (p: KObject) => p.metadata.annotations?.[INDEX];

/** Steps the clock in 100 ms ticks, noting when each of the Job's pods first appeared (ms since `t0`). */
function timeline(pg: PG, name: string, t0: number, until: () => boolean, maxMs: number): { index: string; failures: string; ignored?: string; at: number }[] {
  const seen = new Map<string, { index: string; failures: string; ignored?: string; at: number }>();
  const note = () => {
    for (const p of jobPods(pg, name)) {
      if (!seen.has(p.metadata.uid!)) seen.set(p.metadata.uid!, { index: indexOf(p)!, failures: p.metadata.annotations![FAILURES], ignored: p.metadata.annotations![IGNORED], at: pg.clock.now() - t0 });
    }
  };
  const end = pg.clock.now() + maxMs;
  note();
  while (!until() && pg.clock.now() < end) {
    pg.advance(100);
    note();
  }
  return [...seen.values()];
}

describe('job backoffLimitPerIndex: which index runs next', () => {
  it('retries the lowest index after its own back-off before starting the next index (parallelism 1)', () => {
    const pg = newTestPlayground();
    try {
      const t0 = pg.clock.now();
      pg.api.create(R.jobs, 'default', job('seq', { completionMode: 'Indexed', completions: 3, parallelism: 1, backoffLimitPerIndex: 1 }, { image: 'kubeplay/exit:code-1-after-1s' }));
      // Index 0's first pod fails at about 2 s; its back-off (10 s from its finish) runs to 12 s.
      pg.advance(5_000);
      const mid = getJob(pg, 'seq');
      const [first, ...others] = jobPods(pg, 'seq');
      assert.strictEqual(others.length, 0, 'no other index starts while index 0 backs off');
      assert.strictEqual(first.status.phase, 'Failed');
      assert.ok(first.metadata.finalizers?.includes(TRACKING), 'the failed pod keeps its finalizer until its index has a new pod');
      assert.strictEqual(mid.status.failed, undefined, 'a pod whose index waits for a replacement is not counted yet');
      assert.strictEqual(mid.status.failedIndexes, '', 'failedIndexes is written, empty, while the Job runs');
      assert.strictEqual(mid.status.active, undefined);

      const runs = timeline(pg, 'seq', t0, finished(pg, 'seq'), 300_000);
      assert.deepStrictEqual(runs.map((r) => [r.index, r.failures]), [['0', '0'], ['0', '1'], ['1', '0'], ['1', '1'], ['2', '0'], ['2', '1']]);
      // Each retry waits 10 s from its predecessor's finish (finishedAt has whole seconds); each new index starts at once.
      const at = runs.map((r) => r.at);
      const firstRun = jobPods(pg, 'seq').find((p) => indexOf(p) === '0' && p.metadata.annotations![FAILURES] === '0')!;
      const finished0 = Date.parse(firstRun.status.containerStatuses[0].state.terminated.finishedAt) - t0;
      assert.ok(at[1] >= finished0 + 10_000 && at[1] < finished0 + 11_000, `index 0 finished at ${finished0}, retried at ${at[1]}`);
      // The retry's own run (a pull on a node without the image, 1 s, exit) is not the controller's business: index 1 is
      // created as soon as that pod has failed.
      const retry = jobPods(pg, 'seq').find((p) => indexOf(p) === '0' && p.metadata.annotations![FAILURES] === '1')!;
      const retryFinished = Date.parse(retry.status.containerStatuses[0].state.terminated.finishedAt) - t0;
      assert.ok(at[2] - retryFinished < 2_000, `index 1 starts as soon as index 0 has failed for good (${retryFinished} → ${at[2]})`);
      assert.ok(at[3] - at[2] >= 10_000, 'index 1 waits out its own back-off');

      const done = getJob(pg, 'seq');
      assert.deepStrictEqual(conditions(done), [['FailureTarget', 'FailedIndexes'], ['Failed', 'FailedIndexes']]);
      assert.deepStrictEqual([done.status.failedIndexes, done.status.failed], ['0-2', 6]);
      assert.ok(jobPods(pg, 'seq').every((p) => !p.metadata.finalizers?.includes(TRACKING)), 'every finalizer is released once the Job finishes');
    } finally {
      pg.close();
    }
  });

  it('counts the kept pod in status.failed once its replacement exists, and lets it go', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('handover', { completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 2 }, { image: 'kubeplay/exit:code-1-after-1s' }));
      assert.ok(pg.runUntil(() => jobPods(pg, 'handover').length === 2, 60_000));
      pg.advance(500);
      const pods = jobPods(pg, 'handover');
      const old = pods.find((p) => p.metadata.annotations![FAILURES] === '0')!;
      assert.ok(!old.metadata.finalizers?.includes(TRACKING), 'released after the replacement was created');
      assert.strictEqual(getJob(pg, 'handover').status.failed, 1);
    } finally {
      pg.close();
    }
  });

  it('carries an Ignore rule\'s failures in the ignored-count annotation, backing off on them too', () => {
    const pg = newTestPlayground();
    try {
      const t0 = pg.clock.now();
      pg.api.create(R.jobs, 'default', job('ignored', {
        completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 0,
        podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] },
      }, { image: 'kubeplay/exit:code-1-after-1s' }));
      const runs = timeline(pg, 'ignored', t0, () => jobPods(pg, 'ignored').length >= 3, 120_000);
      assert.deepStrictEqual(runs.map((r) => [r.failures, r.ignored]), [['0', undefined], ['0', '1'], ['0', '2']]);
      // An ignored failure still doubles the index's back-off: 10 s, then 20 s.
      assert.ok(runs[2].at - runs[1].at >= 20_000, `third pod ${runs[2].at - runs[1].at} ms after the second`);
      const j = getJob(pg, 'ignored');
      assert.strictEqual(j.status.failed ?? 0, 0);
      assert.strictEqual(j.status.failedIndexes, '', 'ignored failures never fail the index, even with a limit of 0');
    } finally {
      pg.close();
    }
  });
});

describe('job backoffLimitPerIndex: pods deleted before they finish', () => {
  it('a deleted running pod is a failure of its index: limit 0 fails the index and the Job, with a Warning event', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('gone', { completionMode: 'Indexed', completions: 1, backoffLimitPerIndex: 0 }, { image: 'kubeplay/sleep:60s' }));
      assert.ok(pg.runUntil(() => jobPods(pg, 'gone')[0]?.status?.phase === 'Running', 30_000));
      pg.api.delete(R.pods, 'default', jobPods(pg, 'gone')[0].metadata.name!);
      assert.ok(pg.runUntil(finished(pg, 'gone'), 120_000));
      const j = getJob(pg, 'gone');
      assert.deepStrictEqual(conditions(j), [['FailureTarget', 'FailedIndexes'], ['Failed', 'FailedIndexes']]);
      assert.deepStrictEqual([j.status.failedIndexes, j.status.failed], ['0', 1]);
      assert.strictEqual(pg.api.list(R.events, 'default').items.filter((e) => e.reason === 'SuccessfulCreate' && e.involvedObject?.name === 'gone').length, 1, 'the failed index got no new pod');
      const warn = pg.api.list(R.events, 'default').items.filter((e) => e.involvedObject?.name === 'gone' && e.type === 'Warning');
      assert.deepStrictEqual(warn.map((e) => [e.reason, e.message]), [['FailedIndexes', 'Job has failed indexes']]);
    } finally {
      pg.close();
    }
  });

  it('maxFailedIndexes 1 lets one index fail and stops at the second', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('two', { completionMode: 'Indexed', completions: 4, parallelism: 1, backoffLimitPerIndex: 0, maxFailedIndexes: 1 }, { image: 'kubeplay/exit:code-1-after-1s' }));
      assert.ok(pg.runUntil(finished(pg, 'two'), 120_000));
      const j = getJob(pg, 'two');
      assert.deepStrictEqual(conditions(j), [['FailureTarget', 'MaxFailedIndexesExceeded'], ['Failed', 'MaxFailedIndexesExceeded']]);
      assert.deepStrictEqual([j.status.failedIndexes, j.status.failed], ['0,1', 2]);
      assert.deepStrictEqual(jobPods(pg, 'two').map(indexOf).sort(), ['0', '1']);
      const warn = pg.api.list(R.events, 'default').items.filter((e) => e.involvedObject?.name === 'two' && e.type === 'Warning');
      assert.deepStrictEqual(warn.map((e) => [e.reason, e.message]), [['MaxFailedIndexesExceeded', 'Job has exceeded the specified maximal number of failed indexes']]);
    } finally {
      pg.close();
    }
  });
});

describe('job podReplacementPolicy Failed: terminating pods', () => {
  // A PID-1 shell ignores SIGTERM: a deleted pod stays terminating until its sleep ends or its grace period does.
  // Index 0 sleeps for an hour, the others for 5 s.
  const slow = { image: 'busybox', command: ['sh', '-c', 'sleep $((5 + 3600 * (1 / ($JOB_COMPLETION_INDEX + 1))))'] };

  it('a terminating pod is neither counted nor released until it has failed', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('wait', { completions: 1, podReplacementPolicy: 'Failed' }, slow, { terminationGracePeriodSeconds: 60 }));
      assert.ok(pg.runUntil(() => jobPods(pg, 'wait')[0]?.status?.phase === 'Running', 30_000));
      pg.api.delete(R.pods, 'default', jobPods(pg, 'wait')[0].metadata.name!);
      pg.advance(10_000);
      let j = getJob(pg, 'wait');
      const [p, ...rest] = jobPods(pg, 'wait');
      assert.strictEqual(rest.length, 0, 'not replaced while terminating');
      assert.ok(p.metadata.finalizers?.includes(TRACKING));
      assert.deepStrictEqual([j.status.failed, j.status.terminating], [undefined, 1]);
      // Once it has failed the Job counts it, releases it (the kubelet's grace-0 delete is pending, so it goes) and replaces it.
      assert.ok(pg.runUntil(() => jobPods(pg, 'wait').some((q) => q.metadata.name !== p.metadata.name), 120_000), 'replaced once it has failed');
      assert.ok(!jobPods(pg, 'wait').some((q) => q.metadata.name === p.metadata.name), 'the failed pod is gone once released');
      pg.advance(1_000);
      j = getJob(pg, 'wait');
      assert.strictEqual(j.status.failed, 1);
    } finally {
      pg.close();
    }
  });

  it('an Indexed Job does not start a second pod for an index still terminating', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('dup', { completionMode: 'Indexed', completions: 3, parallelism: 2, podReplacementPolicy: 'Failed' }, slow, { terminationGracePeriodSeconds: 60 }));
      assert.ok(pg.runUntil(() => jobPods(pg, 'dup').filter((p) => p.status?.phase === 'Running').length === 2, 30_000));
      pg.api.delete(R.pods, 'default', jobPods(pg, 'dup').find((p) => indexOf(p) === '0')!.metadata.name!);
      // Index 1 succeeds at about 6 s; one pod is wanted and index 0 is taken by its terminating pod.
      assert.ok(pg.runUntil(() => getJob(pg, 'dup').status?.completedIndexes === '1', 30_000));
      pg.advance(2_000);
      const pods = jobPods(pg, 'dup');
      assert.deepStrictEqual(pods.map(indexOf).sort(), ['0', '1', '2']);
      assert.strictEqual(getJob(pg, 'dup').status.terminating, 1);
    } finally {
      pg.close();
    }
  });
});

describe('job terminal conditions', () => {
  it('Failed waits for the pods deleted when the Job failed to finish terminating', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('late', { activeDeadlineSeconds: 5 }, { image: 'busybox', command: ['sh', '-c', 'sleep 100'] }, { terminationGracePeriodSeconds: 30 }));
      assert.ok(pg.runUntil(() => conditions(getJob(pg, 'late')).length > 0, 30_000));
      let j = getJob(pg, 'late');
      assert.deepStrictEqual([conditions(j), j.status.terminating], [[['FailureTarget', 'DeadlineExceeded']], 1]);
      pg.advance(20_000);
      assert.deepStrictEqual(conditions(getJob(pg, 'late')), [['FailureTarget', 'DeadlineExceeded']], 'still terminating');
      assert.ok(pg.runUntil(finished(pg, 'late'), 60_000));
      j = getJob(pg, 'late');
      assert.deepStrictEqual([conditions(j), j.status.terminating, j.status.failed], [[['FailureTarget', 'DeadlineExceeded'], ['Failed', 'DeadlineExceeded']], 0, 1]);
    } finally {
      pg.close();
    }
  });

  it('once SuccessCriteriaMet is set no failure takes over, not even the deadline passing while pods terminate', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('met', {
        completionMode: 'Indexed', completions: 2, parallelism: 2, activeDeadlineSeconds: 40,
        successPolicy: { rules: [{ succeededIndexes: '0' }] },
      }, { image: 'busybox', command: ['sh', '-c', 'sleep $((30 + 3570 * $JOB_COMPLETION_INDEX))'] }, { terminationGracePeriodSeconds: 60 }));
      assert.ok(pg.runUntil(() => jobPods(pg, 'met').filter((p) => p.status?.phase === 'Running').length === 2, 30_000));
      // Index 1 fails at once and is replaced; its new pod (which would sleep an hour) still runs when index 0
      // meets the policy (about 31 s); stopped then, its PID-1 shell ignores SIGTERM, so it terminates for 60 s,
      // past the 40 s deadline.
      pg.api.delete(R.pods, 'default', jobPods(pg, 'met').find((p) => indexOf(p) === '1')!.metadata.name!, { gracePeriodSeconds: 1 });
      assert.ok(pg.runUntil(() => conditions(getJob(pg, 'met')).some((c: any[]) => c[0] === 'SuccessCriteriaMet'), 60_000));
      const pods = jobPods(pg, 'met');
      assert.ok(pods.some((p) => indexOf(p) === '1' && p.metadata.deletionTimestamp && p.status.phase === 'Running'), 'index 1 is terminating');
      pg.advance(20_000);
      assert.deepStrictEqual(conditions(getJob(pg, 'met')), [['SuccessCriteriaMet', 'SuccessPolicy']], 'the deadline passed, nothing else was added');
      assert.ok(pg.runUntil(finished(pg, 'met'), 200_000));
      const j = getJob(pg, 'met');
      assert.deepStrictEqual(conditions(j), [['SuccessCriteriaMet', 'SuccessPolicy'], ['Complete', 'SuccessPolicy']]);
    } finally {
      pg.close();
    }
  });
});
