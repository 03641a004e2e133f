import * as assert from 'assert';
import { podRequests } from '../../../../cluster/src/scheduler/resources';
import { newTestPlayground, R } from '../../../../cluster/src/testing';

/**
 * The scheduler and the kubelet's admission count a pod's pod-level requests instead of its containers' for the
 * resources they name (component-helpers PodRequests with pod-level resources; the scheduler's non-zero defaults
 * only where neither names cpu or memory).
 */
const pod = (name: string, resources: any, containers: any[] = [{ name: 'c', image: 'nginx:1.27' }], spec: any = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { resources, containers, ...spec },
}) as any;

describe('scheduler: pod-level resources', () => {
  it('PodRequests takes the pod-level cpu, memory and huge pages, plus the overhead', () => {
    const r = podRequests(pod('p', { requests: { cpu: '2', 'hugepages-2Mi': '4Mi' }, limits: { 'hugepages-2Mi': '4Mi' } },
      [{ name: 'a', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { name: 'b' }], { overhead: { cpu: '250m' } }));
    assert.strictEqual(r.milliCpu, 2250);
    assert.strictEqual(r.memory, 64 * 1024 * 1024);
    // Memory is named by a container, so the other container's missing request is no 200Mi default.
    assert.strictEqual(r.nonZeroMilliCpu, 2250);
    assert.strictEqual(r.nonZeroMemory, 64 * 1024 * 1024);
    assert.deepStrictEqual(r.scalar, { 'hugepages-2Mi': 4 * 1024 * 1024 });
    // Nothing names memory: each container counts the scheduler's 200Mi.
    const none = podRequests(pod('q', { requests: { cpu: '1' } }, [{ name: 'a' }, { name: 'b' }]));
    assert.strictEqual(none.memory, 0);
    assert.strictEqual(none.nonZeroMemory, 2 * 200 * 1024 * 1024);
  });

  it('leaves a pod whose pod-level request no node can hold Pending (Insufficient cpu), and the kubelet refuses one that names its node', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      pg.api.create(R.pods, 'default', pod('big', { requests: { cpu: '6' }, limits: { cpu: '6' } }));
      pg.api.create(R.pods, 'default', pod('pinned', { limits: { memory: '64Gi' } }, undefined, { nodeName: 'kubeplay-worker' }));
      pg.advance(20_000);
      const big = pg.api.get(R.pods, 'default', 'big');
      assert.strictEqual(big.spec.nodeName, undefined);
      const ev = [...pg.store.list('/events')].find((e: any) => e.involvedObject?.name === 'big' && e.reason === 'FailedScheduling');
      assert.match(ev?.message ?? '', /^0\/4 nodes are available: 1 node\(s\) had untolerated taint\(s\), 3 Insufficient cpu\./);
      const pinned = pg.api.get(R.pods, 'default', 'pinned');
      assert.strictEqual(pinned.status.phase, 'Failed');
      assert.strictEqual(pinned.status.reason, 'OutOfmemory');
      assert.match(pinned.status.message, /^Pod was rejected: Node didn't have enough resource: memory, requested: 68719476736, /);
    } finally {
      pg.close();
    }
  });
});
