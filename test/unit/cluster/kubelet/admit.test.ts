import * as assert from 'node:assert/strict';
import { newTestPlayground, R } from '../../../../cluster/src/testing';

/**
 * The kubelet admits a pod that named its node itself (spec.nodeName skips the scheduler) against what the node
 * already runs, as predicate.go's Admit does: one that does not fit fails with OutOfcpu or OutOfmemory.
 */
describe('kubelet admission of pods that name their node', () => {
  const pod = (name: string, requests: Record<string, string>, limits: Record<string, string> = {}) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  nodeName: kubeplay-worker
  containers: [{name: c, image: busybox:1.36, command: [sleep, infinity], resources: {requests: ${JSON.stringify(requests)}, limits: ${JSON.stringify(limits)}}}]
`;

  it('rejects a pod the node cannot hold (Failed, OutOfcpu, a Warning event) and runs one that fits', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      pg.apply(pod('big', { cpu: '10' }));
      pg.apply(pod('small', { cpu: '100m', memory: '64Mi' }));
      pg.apply(pod('huge', { memory: '64Gi' }));
      pg.advance(10_000);
      const big = pg.api.get(R.pods, 'default', 'big');
      assert.equal(big.status.phase, 'Failed');
      assert.equal(big.status.reason, 'OutOfcpu');
      assert.match(big.status.message, /^Pod was rejected: Node didn't have enough resource: cpu, requested: 10000, used: \d+, capacity: 4000$/);
      assert.equal(big.status.containerStatuses, undefined, 'no container was started');
      const ev = [...pg.store.list('/events')].find((e) => e.involvedObject?.name === 'big' && e.reason === 'OutOfcpu');
      assert.equal(ev?.type, 'Warning');
      assert.equal(ev?.source?.component, 'kubelet');
      assert.equal(ev?.message, big.status.message.replace('Pod was rejected: ', ''));
      assert.equal(pg.api.get(R.pods, 'default', 'huge').status.reason, 'OutOfmemory');
      assert.equal(pg.api.get(R.pods, 'default', 'small').status.phase, 'Running');
    } finally {
      pg.close();
    }
  });

  it('checks ephemeral-storage, huge pages and the extended resources the node lists (OutOfephemeral-storage, OutOf<name>)', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      pg.api.patch(R.nodes, undefined, 'kubeplay-worker', 'merge', { status: { capacity: { 'example.com/foo': '1' } } }, undefined, 'status');
      pg.advance(11_000);
      pg.apply(pod('eph', { 'ephemeral-storage': '200Gi' }));
      pg.apply(pod('hp', { memory: '100Mi' }, { 'hugepages-2Mi': '100Mi', memory: '100Mi' }));
      pg.apply(pod('foo', {}, { 'example.com/foo': '2' }));
      // An extended resource the node does not list at all is a cluster-level one: the kubelet leaves it alone.
      pg.apply(pod('bar', {}, { 'example.com/bar': '2' }));
      pg.advance(10_000);
      const get = (n: string) => pg.api.get(R.pods, 'default', n).status;
      assert.equal(get('eph').reason, 'OutOfephemeral-storage');
      assert.match(get('eph').message, /^Pod was rejected: Node didn't have enough resource: ephemeral-storage, requested: 214748364800, used: 0, capacity: \d+$/);
      assert.equal(get('hp').reason, 'OutOfhugepages-2Mi');
      assert.equal(get('hp').message, "Pod was rejected: Node didn't have enough resource: hugepages-2Mi, requested: 104857600, used: 0, capacity: 0");
      assert.equal(get('foo').reason, 'OutOfexample.com/foo');
      assert.equal(get('foo').message, "Pod was rejected: Node didn't have enough resource: example.com/foo, requested: 2, used: 0, capacity: 1");
      assert.equal(get('bar').phase, 'Running');
    } finally {
      pg.close();
    }
  });
});
