import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

/** A pod's activeDeadlineSeconds, as the kubelet's activeDeadlineHandler enforces it. */
describe('kubelet: activeDeadlineSeconds', () => {
  it('fails a pod that runs past its deadline: DeadlineExceeded, its containers killed and not restarted', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dl' }, spec: { activeDeadlineSeconds: 10, containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
      const get = () => pg.api.get(R.pods, 'default', 'dl');
      const start = () => Date.parse(get().status.startTime);
      pg.runUntil(() => get().status?.phase === 'Running', 60_000);
      assert.ok(pg.clock.now() < start() + 10_000);
      pg.runUntil(() => get().status?.phase === 'Failed', 60_000);
      // From the status's startTime, to the sync loop's next tick.
      assert.ok(pg.clock.now() - start() >= 10_000 && pg.clock.now() - start() <= 11_000, String(pg.clock.now() - start()));
      const st = get().status;
      assert.equal(st.reason, 'DeadlineExceeded');
      assert.equal(st.message, 'Pod was active on the node longer than the specified deadline');
      pg.advance(40_000);
      const after = get().status;
      assert.equal(after.phase, 'Failed');
      assert.ok(after.containerStatuses[0].state.terminated, JSON.stringify(after.containerStatuses[0]));
      assert.equal(after.containerStatuses[0].restartCount, 0);
      const events = [...pg.store.list('/events')].filter((e) => e.involvedObject.name === 'dl').map((e) => `${e.type} ${e.reason}: ${e.message}`);
      assert.ok(events.includes('Normal DeadlineExceeded: Pod was active on the node longer than the specified deadline'), events.join('\n'));
      assert.ok(events.includes('Normal Killing: Stopping container c'), events.join('\n'));
    } finally {
      pg.close();
    }
  });

  it('takes a deadline set on a running pod', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'late' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } as KObject);
      const get = () => pg.api.get(R.pods, 'default', 'late');
      pg.advance(30_000);
      assert.equal(get().status.phase, 'Running');
      // Already past it: the next tick fails the pod.
      pg.api.patch(R.pods, 'default', 'late', 'merge', { spec: { activeDeadlineSeconds: 5 } });
      pg.advance(2_000);
      assert.equal(get().status.phase, 'Failed');
      assert.equal(get().status.reason, 'DeadlineExceeded');
    } finally {
      pg.close();
    }
  });
});
