/** MaxPodCreateDeletePerSync: one sync of the Job controller creates at most 500 pods. */
import * as assert from 'assert';
import { World } from './harness/world';

const JOBS = { group: 'batch', version: 'v1', resource: 'jobs' };

describe('job: pods created per sync', () => {
  it('a Job wanting 600 pods gets 500 in its first sync and the rest in the next', () => {
    const counts: number[] = [];
    const w: World = new World({ kubelet: false, onStep: () => counts.push(w.pods().length) });
    w.api.create(JOBS, 'default', {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'wide', namespace: 'default' },
      spec: { completions: 600, parallelism: 600, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }] } } },
    });
    w.settle();
    const steps = [...new Set(counts)].filter((n) => n > 0);
    assert.deepStrictEqual(steps, [500, 600]);
  });
});
