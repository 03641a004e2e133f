/** Job and CronJob details checked against upstream in the real playground (review of stop 29). */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import { diagnose } from '../../validate/helpers';

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };
const CRONJOBS = { group: 'batch', version: 'v1', resource: 'cronjobs' };
const job = (name: string, spec: any = {}, image = 'kubeplay/sleep:10m') => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image }] } }, ...spec },
});
const failedAt = (j: any) => j.status?.conditions?.find((c: any) => c.type === 'Failed' && c.status === 'True');

describe('Jobs and CronJobs, as upstream', () => {
  it('a deadline set on a running Job holds from the Job\'s start, as syncJob re-arms it on every sync', () => {
    const pg = newTestPlayground();
    pg.api.create(JOBS, 'default', job('late'));
    pg.advance(20_000);
    pg.api.patch(JOBS, 'default', 'late', 'merge', { spec: { activeDeadlineSeconds: 60 } });
    pg.advance(45_000);
    const j = pg.api.get(JOBS, 'default', 'late');
    assert.ok(j.status.conditions?.some((c: any) => c.type === 'FailureTarget' && c.reason === 'DeadlineExceeded'), JSON.stringify(j.status));
    pg.advance(40_000);
    assert.strictEqual(failedAt(pg.api.get(JOBS, 'default', 'late'))?.reason, 'DeadlineExceeded');
  });

  it('a new schedule waits for its next slot instead of running a slot it has passed', () => {
    const pg = newTestPlayground();
    const created = pg.clock.now();
    pg.api.create(CRONJOBS, 'default', {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'default' },
      spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    });
    pg.advance(25 * 60_000 + 30_000 - (pg.clock.now() - created));
    const jobs = () => pg.api.list(JOBS, 'default').items.filter((x) => x.metadata.name!.startsWith('cj-'));
    assert.strictEqual(jobs().length, 0);
    pg.api.patch(CRONJOBS, 'default', 'cj', 'merge', { spec: { schedule: '*/10 * * * *' } });
    pg.advance(1_000);
    assert.strictEqual(jobs().length, 0, 'not at once');
    pg.advance(5 * 60_000);
    assert.strictEqual(jobs().length, 1, 'at the next */10 slot');
  });

  it('refuses Job updates upstream refuses, and lets a suspended Job that never ran change its scheduling only', () => {
    const pg = newTestPlayground();
    pg.api.create(JOBS, 'default', job('idx', { completionMode: 'Indexed', completions: 4, parallelism: 4, suspend: true }));
    pg.settle();
    assert.throws(() => pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { completions: 2 } }),
      (e: any) => e.status.code === 422 && /spec\.completions: Invalid value: 2: can only be modified in tandem with spec\.parallelism/.test(e.message));
    assert.doesNotThrow(() => pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { completions: 2, parallelism: 2 } }));
    // Suspended and never started: nodeSelector may change, the image may not.
    assert.doesNotThrow(() => pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { template: { spec: { nodeSelector: { disk: 'ssd' } } } } }));
    assert.throws(() => pg.api.patch(JOBS, 'default', 'idx', 'json', [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'busybox' }]),
      (e: any) => /spec\.template: Invalid value: .*: field is immutable/.test(e.message));
    for (const patch of [{ backoffLimitPerIndex: 3 }, { successPolicy: { rules: [{ succeededCount: 1 }] } }]) {
      const field = Object.keys(patch)[0];
      assert.throws(() => pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: patch }), (e: any) => new RegExp(`spec\\.${field}: Invalid value: .*: field is immutable`).test(e.message), field);
    }
    // Once it has run, suspended again, scheduling is fixed too.
    pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { suspend: false } });
    pg.advance(5_000);
    pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { suspend: true } });
    pg.advance(1_000);
    assert.throws(() => pg.api.patch(JOBS, 'default', 'idx', 'merge', { spec: { template: { spec: { nodeSelector: { disk: 'hdd' } } } } }), /field is immutable/);
  });

  it('adds the controller-uid label to a selector the Job came with', () => {
    const pg = newTestPlayground();
    const j = pg.api.create(JOBS, 'default', { ...job('sel'), spec: { ...job('sel').spec, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: job('sel').spec.template.spec } } }).object;
    assert.deepStrictEqual(j.spec.selector.matchLabels, { a: 'b', 'batch.kubernetes.io/controller-uid': j.metadata.uid });
  });

  it('refuses a CronJob whose job template brings a selector or a manual selector, in the editor and the apiserver', () => {
    const text = `apiVersion: batch/v1
kind: CronJob
metadata: {name: sel}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      manualSelector: true
      selector: {matchLabels: {a: b}}
      template:
        metadata: {labels: {a: b}}
        spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
`;
    const found = diagnose(text).list.filter((d) => d.code === 'cronjob-job-selector');
    assert.strictEqual(found.length, 2, JSON.stringify(found.map((d) => d.message)));
    const pg = newTestPlayground();
    assert.throws(() => pg.apply(text), (e: any) => {
      const msg = String(e.message);
      return msg.includes('spec.jobTemplate.spec.selector: Invalid value: ') && msg.includes('`selector` will be auto-generated')
        && msg.includes('spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"')
        && msg.indexOf('jobTemplate.spec.selector') < msg.indexOf('jobTemplate.spec.manualSelector');
    });
  });
});
