/**
 * Job podFailurePolicy and successPolicy on the real playground: real
 * kubelets (exit codes from the image convention), the Job controller, and
 * upstream's conditions, reasons and messages.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

function job(name: string, spec: any, image: string): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { ...spec, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } } },
  } as KObject;
}
const conditions = (j: KObject) => (j.status?.conditions ?? []).map((c: any) => [c.type, c.reason, c.message]);
const finishedJob = (pg: ReturnType<typeof newTestPlayground>, name: string) => () =>
  (pg.api.get(R.jobs, 'default', name).status?.conditions ?? []).some((c: any) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
const jobPods = (pg: ReturnType<typeof newTestPlayground>, name: string) => pg.api.list(R.pods, 'default', { labelSelector: `job-name=${name}` }).items;

describe('job podFailurePolicy', () => {
  it('FailJob on a matching exit code fails the Job at once, naming the container, the pod and the rule', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('exit42', {
        backoffLimit: 6,
        podFailurePolicy: { rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
          { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        ] },
      }, 'kubeplay/exit:code-42-after-2s'));
      assert.ok(pg.runUntil(finishedJob(pg, 'exit42'), 120_000));
      const j = pg.api.get(R.jobs, 'default', 'exit42');
      const pods = jobPods(pg, 'exit42');
      assert.strictEqual(pods.length, 1, 'no retry after FailJob');
      const msg = `Container main for pod default/${pods[0].metadata.name} failed with exit code 42 matching FailJob rule at index 1`;
      assert.deepStrictEqual(conditions(j), [['FailureTarget', 'PodFailurePolicy', msg], ['Failed', 'PodFailurePolicy', msg]]);
      assert.strictEqual(j.status.failed, 1);
      const ev = pg.api.list(R.events, 'default').items.filter((e) => e.reason === 'PodFailurePolicy');
      assert.deepStrictEqual(ev.map((e) => [e.type, e.message]), [['Warning', msg]]);
    } finally {
      pg.close();
    }
  });

  it('Ignore does not count the failure toward backoffLimit; other codes still do', () => {
    const pg = newTestPlayground();
    try {
      // Exit 1 is ignored: with backoffLimit 0 the Job keeps replacing its pod instead of failing.
      pg.api.create(R.jobs, 'default', job('flaky', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }, 'kubeplay/exit:code-1-after-1s'));
      pg.runUntil(() => jobPods(pg, 'flaky').length >= 3, 120_000);
      const j = pg.api.get(R.jobs, 'default', 'flaky');
      assert.ok(jobPods(pg, 'flaky').length >= 3, 'the ignored failures are replaced');
      assert.strictEqual(j.status.failed ?? 0, 0);
      assert.ok(!conditions(j).some((c: any[]) => c[0] === 'Failed'));
      // NotIn [1]: exit 3 is not ignored, so backoffLimit 0 fails the Job on its first failure.
      pg.api.create(R.jobs, 'default', job('other', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }, 'kubeplay/exit:code-3-after-1s'));
      assert.ok(pg.runUntil(finishedJob(pg, 'other'), 120_000));
      const o = pg.api.get(R.jobs, 'default', 'other');
      assert.deepStrictEqual(conditions(o).map((c: any[]) => c.slice(0, 2)), [['FailureTarget', 'BackoffLimitExceeded'], ['Failed', 'BackoffLimitExceeded']]);
      assert.strictEqual(o.status.failed, 1);
    } finally {
      pg.close();
    }
  });
});

describe('job successPolicy', () => {
  it('an Indexed Job that meets a rule succeeds with reason SuccessPolicy, leaving the other indexes unrun', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('leader', {
        completionMode: 'Indexed', completions: 5, parallelism: 2,
        successPolicy: { rules: [{ succeededIndexes: '0-2', succeededCount: 2 }] },
      }, 'kubeplay/sleep:3s'));
      assert.ok(pg.runUntil(finishedJob(pg, 'leader'), 120_000));
      const j = pg.api.get(R.jobs, 'default', 'leader');
      assert.deepStrictEqual(conditions(j), [['SuccessCriteriaMet', 'SuccessPolicy', 'Matched rules at index 0'], ['Complete', 'SuccessPolicy', 'Matched rules at index 0']]);
      assert.strictEqual(j.status.completedIndexes, '0,1');
      assert.strictEqual(j.status.succeeded, 2);
      assert.strictEqual(j.status.failed ?? 0, 0);
      const pods = jobPods(pg, 'leader');
      assert.ok(pods.length < 5, 'the indexes still to run when the rule was met never ran');
      const succeeded = pods.filter((p) => p.status?.phase === 'Succeeded').map((p) => p.metadata.labels!['batch.kubernetes.io/job-completion-index']).sort();
      assert.deepStrictEqual(succeeded, ['0', '1']);
    } finally {
      pg.close();
    }
  });
});

describe('job podFailurePolicy with pods that never run', () => {
  it('counts a pod deleted before it was scheduled once the pod GC marks it Failed, so the Job can finish', () => {
    const pg = newTestPlayground();
    try {
      const j = job('huge', { backoffLimit: 0, podFailurePolicy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1] } }] } }, 'busybox');
      (j.spec as any).template.spec.containers[0].resources = { requests: { cpu: '100' } };
      pg.api.create(R.jobs, 'default', j);
      pg.settle();
      const [p] = jobPods(pg, 'huge');
      assert.strictEqual(p.spec.nodeName, undefined, 'nothing fits 100 CPUs');
      pg.api.delete(R.pods, 'default', p.metadata.name!);
      assert.ok(pg.runUntil(finishedJob(pg, 'huge'), 60_000), 'the Job is not stuck on its terminating pod');
      const done = pg.api.get(R.jobs, 'default', 'huge');
      assert.deepStrictEqual(conditions(done).map((c: any[]) => c.slice(0, 2)), [['FailureTarget', 'BackoffLimitExceeded'], ['Failed', 'BackoffLimitExceeded']]);
      assert.strictEqual(done.status.failed, 1);
    } finally {
      pg.close();
    }
  });
});

describe('job backoffLimitPerIndex', () => {
  it('retries each index within its own limit, counts failures in the pods\' annotation, and fails the Job with FailedIndexes', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('per-index', { completionMode: 'Indexed', completions: 3, parallelism: 3, backoffLimitPerIndex: 1 }, 'kubeplay/exit:code-1-after-1s'));
      assert.ok(pg.runUntil(finishedJob(pg, 'per-index'), 300_000));
      const j = pg.api.get(R.jobs, 'default', 'per-index');
      assert.deepStrictEqual(conditions(j), [['FailureTarget', 'FailedIndexes', 'Job has failed indexes'], ['Failed', 'FailedIndexes', 'Job has failed indexes']]);
      assert.deepStrictEqual([j.status.failedIndexes, j.status.failed, j.status.succeeded ?? 0], ['0-2', 6, 0]);
      assert.strictEqual(j.spec.backoffLimit, 2147483647, 'the Job-wide limit defaults to unlimited');
      // Each index ran twice: its first pod with no failure behind it, its second with one.
      const pods = jobPods(pg, 'per-index');
      const byIndex = (i: number) => pods.filter((p) => p.metadata.annotations!['batch.kubernetes.io/job-completion-index'] === String(i))
        .map((p) => p.metadata.annotations!['batch.kubernetes.io/job-index-failure-count']).sort();
      for (const i of [0, 1, 2]) assert.deepStrictEqual(byIndex(i), ['0', '1'], `index ${i}`);
    } finally {
      pg.close();
    }
  });

  it('stops at maxFailedIndexes, and FailIndex fails an index at once', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', job('max', { completionMode: 'Indexed', completions: 4, parallelism: 1, backoffLimitPerIndex: 0, maxFailedIndexes: 0 }, 'kubeplay/exit:code-1-after-1s'));
      pg.api.create(R.jobs, 'default', job('fail-index', {
        completionMode: 'Indexed', completions: 2, parallelism: 2, backoffLimitPerIndex: 5,
        podFailurePolicy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] },
      }, 'kubeplay/exit:code-3-after-1s'));
      assert.ok(pg.runUntil(() => finishedJob(pg, 'max')() && finishedJob(pg, 'fail-index')(), 300_000));
      const max = pg.api.get(R.jobs, 'default', 'max');
      assert.deepStrictEqual(conditions(max).map((c: any[]) => c.slice(0, 2)), [['FailureTarget', 'MaxFailedIndexesExceeded'], ['Failed', 'MaxFailedIndexesExceeded']]);
      assert.strictEqual(max.status.failedIndexes, '0');
      assert.strictEqual(jobPods(pg, 'max').length, 1, 'no other index ran');
      const fi = pg.api.get(R.jobs, 'default', 'fail-index');
      assert.deepStrictEqual([fi.status.failedIndexes, fi.status.failed], ['0,1', 2], 'exit 3 fails each index on its first try, whatever the limit');
      assert.deepStrictEqual(conditions(fi).map((c: any[]) => c.slice(0, 2)).at(-1), ['Failed', 'FailedIndexes']);
    } finally {
      pg.close();
    }
  });
});
