/**
 * Deleting a Job while its pods run: the pods lose the job-tracking
 * finalizer once their Job is gone (syncOrphanPod), a Job being deleted
 * makes no new pods, and a pod's grace period is shortened by the kubelet's
 * final delete even while a finalizer holds it.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

const TRACKING = 'batch.kubernetes.io/job-tracking';

function sleeper(name: string): KObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' },
    spec: { backoffLimit: 6, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '600'] }] } } },
  } as KObject;
}
const podsOf = (pg: ReturnType<typeof newTestPlayground>, job: string) => pg.api.list(R.pods, 'default', { labelSelector: `job-name=${job}` }).items;

describe('deleting a Job whose pods run', () => {
  it('background: the pod is released from the tracking finalizer and goes once stopped', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', sleeper('bg'));
      assert.ok(pg.runUntil(() => podsOf(pg, 'bg')[0]?.status?.phase === 'Running', 30_000));
      assert.ok(podsOf(pg, 'bg')[0].metadata.finalizers?.includes(TRACKING));
      pg.api.delete(R.jobs, 'default', 'bg', { propagationPolicy: 'Background' });
      // `sleep` ignores SIGTERM: the pod takes its 30 s grace period, then the kubelet's final delete.
      assert.ok(pg.runUntil(() => podsOf(pg, 'bg').length === 0, 60_000), JSON.stringify(podsOf(pg, 'bg').map((p) => p.metadata)));
    } finally {
      pg.close();
    }
  });

  it('foreground: no replacement pods while the Job is deleted, and the Job goes after its pod', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.jobs, 'default', sleeper('fg'));
      assert.ok(pg.runUntil(() => podsOf(pg, 'fg')[0]?.status?.phase === 'Running', 30_000));
      const first = podsOf(pg, 'fg')[0].metadata.name;
      pg.api.delete(R.jobs, 'default', 'fg', { propagationPolicy: 'Foreground' });
      const seen = new Set<string>();
      assert.ok(pg.runUntil(() => {
        for (const p of podsOf(pg, 'fg')) seen.add(p.metadata.name!);
        return pg.api.list(R.jobs, 'default').items.length === 0;
      }, 120_000), 'the Job is gone');
      assert.deepStrictEqual([...seen], [first]);
      assert.strictEqual(podsOf(pg, 'fg').length, 0);
    } finally {
      pg.close();
    }
  });

  it('a suspended Job being deleted is not suspended again (it is not managed at all)', () => {
    const pg = newTestPlayground();
    try {
      const j = sleeper('held');
      (j.metadata as any).finalizers = ['example.com/hold'];
      pg.api.create(R.jobs, 'default', j);
      assert.ok(pg.runUntil(() => podsOf(pg, 'held')[0]?.status?.phase === 'Running', 30_000));
      pg.api.delete(R.jobs, 'default', 'held', { propagationPolicy: 'Orphan' });
      const cur = structuredClone(pg.api.get(R.jobs, 'default', 'held'));
      cur.spec.suspend = true;
      pg.api.update(R.jobs, 'default', cur);
      pg.advance(5_000);
      assert.ok(!(pg.api.get(R.jobs, 'default', 'held').status?.conditions ?? []).some((c: any) => c.type === 'Suspended'));
      assert.strictEqual(podsOf(pg, 'held')[0].metadata.deletionTimestamp, undefined, 'its pod is not stopped by a suspension');
    } finally {
      pg.close();
    }
  });

  it('a shorter grace period counts from when the deletion began', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 's', namespace: 'default' },
        spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } } as KObject);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 's').status?.phase === 'Running', 30_000));
      const t0 = pg.clock.now();
      pg.api.delete(R.pods, 'default', 's', { gracePeriodSeconds: 60 });
      pg.advance(10_000);
      pg.api.delete(R.pods, 'default', 's', { gracePeriodSeconds: 30 });
      const m = pg.api.get(R.pods, 'default', 's').metadata;
      assert.strictEqual(m.deletionGracePeriodSeconds, 30);
      assert.strictEqual(Date.parse(m.deletionTimestamp!), Math.floor(t0 / 1000) * 1000 + 30_000);
    } finally {
      pg.close();
    }
  });

  it('the kubelet\'s grace-0 delete shortens a pending graceful deletion that a finalizer holds', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/hold'] },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      } as KObject);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'held').status?.phase === 'Running', 30_000));
      pg.api.delete(R.pods, 'default', 'held');
      assert.strictEqual(pg.api.get(R.pods, 'default', 'held').metadata.deletionGracePeriodSeconds, 30);
      pg.advance(5_000);
      const held = pg.api.get(R.pods, 'default', 'held');
      assert.strictEqual(held.metadata.deletionGracePeriodSeconds, 0, 'nginx stopped: the kubelet deleted it with grace 0');
      const p = structuredClone(held);
      p.metadata.finalizers = [];
      pg.api.update(R.pods, 'default', p);
      assert.throws(() => pg.api.get(R.pods, 'default', 'held'), /not found/);
    } finally {
      pg.close();
    }
  });
});

describe('a Job\'s own labels', () => {
  it('a Job without labels shows its pod template\'s, selector labels included (SetDefaults_Job); its own labels stay', () => {
    const pg = newTestPlayground();
    try {
      const j = pg.api.create(R.jobs, 'default', sleeper('pi')).object;
      const uid = j.metadata.uid;
      assert.deepStrictEqual(j.metadata.labels, { 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
      assert.deepStrictEqual(pg.api.list(R.jobs, 'default', { labelSelector: 'job-name=pi' }).items.map((x) => x.metadata.name), ['pi']);
      const own = sleeper('mine');
      own.metadata.labels = { team: 'a' };
      assert.deepStrictEqual(pg.api.create(R.jobs, 'default', own).object.metadata.labels, { team: 'a' });
      // The strategy writes the name into the template's labels before validation: 64 characters are refused there.
      const long = 'j'.repeat(64);
      assert.throws(() => pg.api.create(R.jobs, 'default', sleeper(long)), (e: any) => e.status.message
        === `Job.batch "${long}" is invalid: spec.template.labels: Invalid value: "${long}": must be no more than 63 characters`);
    } finally {
      pg.close();
    }
  });
});
