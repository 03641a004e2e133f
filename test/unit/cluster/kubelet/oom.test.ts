import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { summarizePod } from '../../../../kube/src/printPod';
import { oomScoreAdj } from '../../../../cluster/src/kubelet/nodeoom';

/** The documentation's "Exceed a Container's memory limit" example: the container is OOM-killed and restarted. */
describe('kubelet: the OOM killer', () => {
  it('OOM-kills a container that asks for more than its memory limit, then restarts it with back-off; one within it runs', () => {
    const pg = newTestPlayground();
    try {
      const pod = (name: string, bytes: string, limit: string) => pg.api.create(R.pods, 'default', {
        apiVersion: 'v1', kind: 'Pod', metadata: { name },
        spec: { containers: [{ name: 'memory-demo-ctr', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'],
          resources: { requests: { memory: '50Mi' }, limits: { memory: limit } } }] },
      } as KObject);
      pod('memory-demo', '150M', '200Mi');
      pod('memory-demo-2', '250M', '100Mi');
      pg.advance(20_000);
      const demo2 = pg.api.get(R.pods, 'default', 'memory-demo-2');
      const st = demo2.status.containerStatuses[0];
      const last = st.lastState.terminated ?? st.state.terminated;
      assert.deepStrictEqual([last.reason, last.exitCode], ['OOMKilled', 137]);
      assert.ok(st.restartCount >= 1);
      pg.advance(20_000);
      assert.match(summarizePod(pg.api.get(R.pods, 'default', 'memory-demo-2')).reason, /^(OOMKilled|CrashLoopBackOff)$/);
      const ok = pg.api.get(R.pods, 'default', 'memory-demo').status.containerStatuses[0];
      assert.deepStrictEqual([ok.restartCount, !!ok.state.running], [0, true]);
      // The container's own limit is no system OOM: no SystemOOM event on the Node.
      assert.deepStrictEqual(pg.api.list(R.events, undefined).items.filter((e: any) => e.reason === 'SystemOOM'), []);
    } finally {
      pg.close();
    }
  });

  const stress = (name: string, bytes: string, extra: any = {}): KObject => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name },
    spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '1'], ...extra }] },
  } as KObject);
  const state = (pg: ReturnType<typeof newTestPlayground>, name: string) => pg.api.get(R.pods, 'default', name).status.containerStatuses[0];

  it("OOM-kills a container without a limit that asks for more than the node's allocatable memory (kubepods' limit)", () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', stress('hog', '20G'));
      pg.api.create(R.pods, 'default', stress('fits', '2G'));
      pg.advance(30_000);
      const st = state(pg, 'hog');
      const last = st.lastState.terminated ?? st.state.terminated;
      assert.deepStrictEqual([last.reason, last.exitCode], ['OOMKilled', 137]);
      assert.ok(st.restartCount >= 1);
      assert.deepStrictEqual([state(pg, 'fits').restartCount, !!state(pg, 'fits').state.running], [0, true]);
      // The pod is Running (restartPolicy Always) and crash-loops; it is not evicted.
      assert.equal(pg.api.get(R.pods, 'default', 'hog').status.phase, 'Running');
      // kubepods' limit was hit, not the machine's root cgroup: the kubelet's OOM watcher records no SystemOOM.
      assert.deepStrictEqual(pg.api.list(R.events, undefined).items.filter((e: any) => e.reason === 'SystemOOM'), []);
    } finally {
      pg.close();
    }
  });

  it('picks the victim by oom_score_adj: a BestEffort container goes before a Burstable one that fits its request', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', stress('besteffort', '10G'));
      pg.advance(10_000);
      assert.ok(state(pg, 'besteffort').state.running);
      // 10G + 8G is past the node's 16Gi: the newcomer's start makes the kernel choose, and it chooses the BestEffort one.
      pg.api.create(R.pods, 'default', stress('burstable', '8G', { resources: { requests: { memory: '8Gi' } } }));
      pg.advance(10_000);
      const be = state(pg, 'besteffort');
      assert.equal((be.lastState.terminated ?? be.state.terminated)?.reason, 'OOMKilled');
      assert.deepStrictEqual([state(pg, 'burstable').restartCount, !!state(pg, 'burstable').state.running], [0, true]);
    } finally {
      pg.close();
    }
  });

  it('computes oom_score_adj as GetContainerOOMScoreAdjust does', () => {
    const gi = 1024 ** 3;
    const p = (resources: any, extra: any = {}) => ({ metadata: { name: 'p', ...extra.metadata }, spec: { containers: [{ name: 'c', resources }], ...extra.spec } } as KObject);
    assert.equal(oomScoreAdj(p({}), { resources: {} }, 16 * gi), 1000);
    assert.equal(oomScoreAdj(p({ requests: { memory: '1Gi', cpu: '1' }, limits: { memory: '1Gi', cpu: '1' } }), {}, 16 * gi), -997);
    const half = { requests: { memory: '8Gi' } };
    assert.equal(oomScoreAdj(p(half), { resources: half }, 16 * gi), 500);
    const all = { requests: { memory: '16Gi' } };
    assert.equal(oomScoreAdj(p(all), { resources: all }, 16 * gi), 3);
    const tiny = { requests: { memory: '1' } };
    assert.equal(oomScoreAdj(p(tiny), { resources: tiny }, 16 * gi), 999);
    assert.equal(oomScoreAdj(p({}, { spec: { priorityClassName: 'system-node-critical' } }), {}, 16 * gi), -997);
  });
});
