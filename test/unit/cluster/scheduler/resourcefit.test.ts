import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { createScheduler, type SchedulerOptions } from '../../../../cluster/src/scheduler';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import { Harness, NODES, PODS } from '../nodes/harness';

/**
 * NodeResourcesFit beyond cpu and memory (fit.go's fitsRequest): ephemeral-storage, huge pages and extended
 * resources such as nvidia.com/gpu, a request larger than a node's whole allocatable making preemption useless
 * there, and the plugin's ignoredResources / ignoredResourceGroups.
 */
function pod(name: string, resources: any, spec: any = {}): any {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources }], ...spec },
  };
}
const failedMessage = (h: { eventsFor(n: string, r: string): Array<{ message: string }> }, name: string) => h.eventsFor(name, 'FailedScheduling')[0]?.message;
const TAIL = (n: number, preemption: string) => `no new claims to deallocate, preemption: 0/${n} nodes are available: ${preemption}.`;

describe('scheduler: NodeResourcesFit for ephemeral-storage, huge pages and extended resources', () => {
  function harness(opts: SchedulerOptions = {}): Harness {
    const h = new Harness();
    createNodes(h.ctx, 3).start();
    createScheduler(h.ctx, opts).start();
    h.settle();
    return h;
  }
  const nodeOf = (h: Harness, name: string) => h.api.get(PODS, 'default', name).spec.nodeName as string | undefined;

  it('keeps a GPU pod Pending when no node has the GPU, and says preemption cannot help', () => {
    const h = harness();
    h.api.create(PODS, 'default', pod('gpu', { limits: { 'nvidia.com/gpu': '1' } }));
    h.settle();
    assert.strictEqual(nodeOf(h, 'gpu'), undefined);
    assert.strictEqual(failedMessage(h, 'gpu'), `0/3 nodes are available: 3 Insufficient nvidia.com/gpu. ${TAIL(3, '3 Preemption is not helpful for scheduling')}`);
  });

  it('checks huge pages and ephemeral-storage against the node allocatable', () => {
    const h = harness();
    h.api.create(PODS, 'default', pod('hp', { limits: { 'hugepages-2Mi': '100Mi', memory: '100Mi' } }));
    h.api.create(PODS, 'default', pod('es', { requests: { 'ephemeral-storage': '200Gi' } }));
    h.settle();
    assert.strictEqual(nodeOf(h, 'hp'), undefined);
    assert.strictEqual(failedMessage(h, 'hp'), `0/3 nodes are available: 3 Insufficient hugepages-2Mi. ${TAIL(3, '3 Preemption is not helpful for scheduling')}`);
    assert.strictEqual(nodeOf(h, 'es'), undefined);
    assert.strictEqual(failedMessage(h, 'es'), `0/3 nodes are available: 3 Insufficient ephemeral-storage. ${TAIL(3, '3 Preemption is not helpful for scheduling')}`);
  });

  it('counts the ephemeral-storage the pods on a node already request', () => {
    const h = harness();
    const on = { nodeSelector: { 'kubernetes.io/hostname': 'kubeplay-worker' } };
    h.api.create(PODS, 'default', pod('a', { requests: { 'ephemeral-storage': '60Gi' } }, on));
    h.settle();
    assert.strictEqual(nodeOf(h, 'a'), 'kubeplay-worker');
    h.api.create(PODS, 'default', pod('b', { requests: { 'ephemeral-storage': '60Gi' } }, on));
    h.settle();
    assert.strictEqual(nodeOf(h, 'b'), undefined);
    // 60Gi fits an empty 100Gi node: preemption could help there, were there a lower-priority pod.
    assert.strictEqual(failedMessage(h, 'b'),
      `0/3 nodes are available: 1 Insufficient ephemeral-storage, 2 node(s) didn't match Pod's node affinity/selector. ${TAIL(3, '1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling')}`);
    h.api.delete(PODS, 'default', 'a');
    h.advance(15_000);
    assert.strictEqual(nodeOf(h, 'b'), 'kubeplay-worker');
  });

  it('marks a cpu request larger than a whole node as one preemption cannot help', () => {
    const h = harness();
    h.api.create(PODS, 'default', pod('big', { requests: { cpu: '5' } }));
    h.settle();
    assert.strictEqual(failedMessage(h, 'big'), `0/3 nodes are available: 3 Insufficient cpu. ${TAIL(3, '3 Preemption is not helpful for scheduling')}`);
  });

  it('skips the extended resources named in ignoredResources and ignoredResourceGroups (none by default)', () => {
    const h = harness({ nodeResourcesFit: { ignoredResources: ['example.com/foo'], ignoredResourceGroups: ['vendor.io'] } });
    h.api.create(PODS, 'default', pod('foo', { limits: { 'example.com/foo': '2' } }));
    h.api.create(PODS, 'default', pod('bar', { limits: { 'vendor.io/bar': '1' } }));
    h.api.create(PODS, 'default', pod('baz', { limits: { 'example.com/baz': '1' } }));
    // Huge pages are not extended resources: a group cannot hide them.
    h.api.create(PODS, 'default', pod('hp', { limits: { 'hugepages-1Gi': '1Gi', cpu: '100m' } }));
    h.settle();
    assert.ok(nodeOf(h, 'foo'));
    assert.ok(nodeOf(h, 'bar'));
    assert.strictEqual(nodeOf(h, 'baz'), undefined);
    assert.strictEqual(nodeOf(h, 'hp'), undefined);
  });

  it('honours an extended resource advertised through the node status (the Advertise Extended Resources task)', () => {
    const h = harness();
    h.api.patch(NODES, undefined, 'kubeplay-worker2', 'json', [{ op: 'add', path: '/status/capacity/example.com~1dongle', value: '4' }], undefined, 'status');
    // The kubelet's next status sync (every 10 s) makes it allocatable.
    h.advance(11_000);
    assert.strictEqual(h.api.get(NODES, undefined, 'kubeplay-worker2').status.allocatable['example.com/dongle'], '4');
    h.api.create(PODS, 'default', pod('d3', { limits: { 'example.com/dongle': '3' } }));
    h.settle();
    assert.strictEqual(nodeOf(h, 'd3'), 'kubeplay-worker2');
    h.api.create(PODS, 'default', pod('d2', { limits: { 'example.com/dongle': '2' } }));
    h.settle();
    assert.strictEqual(nodeOf(h, 'd2'), undefined);
    assert.strictEqual(failedMessage(h, 'd2'),
      `0/3 nodes are available: 3 Insufficient example.com/dongle. ${TAIL(3, '1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling')}`);
    // The capacity removed again: the kubelet drops it from allocatable too.
    h.api.patch(NODES, undefined, 'kubeplay-worker2', 'json', [{ op: 'remove', path: '/status/capacity/example.com~1dongle' }], undefined, 'status');
    h.advance(11_000);
    assert.strictEqual(h.api.get(NODES, undefined, 'kubeplay-worker2').status.allocatable['example.com/dongle'], undefined);
  });

  it('gives a kind-shaped playground the message kubectl describe shows for a GPU pod', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: gpu}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, infinity], resources: {limits: {nvidia.com/gpu: 1}}}]
`);
      pg.advance(5_000);
      const p = pg.api.get(R.pods, 'default', 'gpu');
      const n = pg.api.list(R.nodes, undefined).items.length;
      assert.strictEqual(p.status.phase, 'Pending');
      const cond = p.status.conditions.find((c: any) => c.type === 'PodScheduled');
      assert.strictEqual(cond.message,
        `0/${n} nodes are available: 1 node(s) had untolerated taint(s), ${n - 1} Insufficient nvidia.com/gpu. ${TAIL(n, `${n} Preemption is not helpful for scheduling`)}`);
    } finally {
      pg.close();
    }
  });
});
