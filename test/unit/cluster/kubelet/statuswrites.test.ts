import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { Harness, PODS } from '../nodes/harness';

function pod(name: string, extra: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }], ...extra } };
}
const get = (h: Harness, name: string) => h.api.get(PODS, 'default', name);

/**
 * The kubelet's status writes of many pods one after another: what each pod's status says is its own, however much
 * of it the pods written before it share (conditions made once per second, lists of them, the node's addresses).
 */
describe('kubelet status writes of pods written together', () => {
  let h: Harness;
  beforeEach(() => {
    h = new Harness();
    createNodes(h.ctx, 1).start();
    h.settle();
  });

  it('pods in the same state and second share their conditions; a pod of another generation gets its own', () => {
    h.api.create(PODS, 'default', pod('a'));
    // A spec change before the kubelet's first write: generation 2, which the status and its conditions name.
    h.api.patch(PODS, 'default', 'a', 'merge', { spec: { activeDeadlineSeconds: 600 } });
    h.api.create(PODS, 'default', pod('b'));
    h.api.create(PODS, 'default', pod('c'));
    h.advance(10);
    const [a, b, c] = ['a', 'b', 'c'].map((n) => get(h, n));
    assert.strictEqual(a.metadata.generation, 2);
    assert.deepStrictEqual([a.status.observedGeneration, b.status.observedGeneration, c.status.observedGeneration], [2, 1, 1]);
    assert.deepStrictEqual(a.status.conditions.map((x: any) => x.observedGeneration), [2, 2, 2, 2, 2]);
    assert.deepStrictEqual(b.status.conditions.map((x: any) => x.observedGeneration), [1, 1, 1, 1, 1]);
    // Written in the same second, in the same state: the same values, down to the transition times.
    const strip = (cs: any[]) => cs.map((x) => ({ ...x, observedGeneration: undefined }));
    assert.deepStrictEqual(strip(a.status.conditions), strip(b.status.conditions));
    assert.deepStrictEqual(b.status.conditions, c.status.conditions);
    assert.deepStrictEqual(b.status.conditions.map((x: any) => [x.type, x.status, x.reason]), [
      ['PodReadyToStartContainers', 'False', undefined], ['Initialized', 'True', undefined],
      ['Ready', 'False', 'ContainersNotReady'], ['ContainersReady', 'False', 'ContainersNotReady'], ['PodScheduled', 'True', undefined],
    ]);
    h.advance(5000);
    const [ra, rb] = ['a', 'b'].map((n) => get(h, n));
    assert.deepStrictEqual([ra.status.phase, rb.status.phase], ['Running', 'Running']);
    assert.deepStrictEqual(ra.status.conditions.map((x: any) => [x.type, x.status, x.observedGeneration]), [
      ['PodReadyToStartContainers', 'True', 2], ['Initialized', 'True', 2], ['Ready', 'True', 2], ['ContainersReady', 'True', 2], ['PodScheduled', 'True', 2],
    ]);
    assert.ok(rb.status.conditions.every((x: any) => x.observedGeneration === 1 && x.status === 'True'), JSON.stringify(rb.status.conditions));
    // Initialized and PodScheduled did not change: their transition stays the first write's.
    assert.strictEqual(rb.status.conditions[1].lastTransitionTime, b.status.conditions[1].lastTransitionTime);
  });

  it('a condition that differs only by its message is not taken from the pod written before', () => {
    // Two pods whose containers are not ready, under other names: ContainersNotReady names each pod's own.
    h.api.create(PODS, 'default', pod('x', { containers: [{ name: 'one', image: 'registry.k8s.io/pause:3.10' }] }));
    h.api.create(PODS, 'default', pod('y', { containers: [{ name: 'two', image: 'registry.k8s.io/pause:3.10' }] }));
    h.advance(10);
    const msg = (n: string) => get(h, n).status.conditions.find((x: any) => x.type === 'ContainersReady').message;
    assert.strictEqual(msg('x'), 'containers with unready status: [one]');
    assert.strictEqual(msg('y'), 'containers with unready status: [two]');
  });

  it('pod IPs come from the node\'s /24 (.1 is the bridge), round-robin: a freed one comes back only after the rest', () => {
    for (const n of ['p1', 'p2', 'p3']) h.api.create(PODS, 'default', pod(n));
    h.advance(5000);
    // Sandboxes come up in their own time: the addresses go in that order.
    const ips = ['p1', 'p2', 'p3'].map((n) => get(h, n).status.podIP);
    assert.deepStrictEqual([...ips].sort(), ['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    assert.deepStrictEqual(get(h, 'p2').status.podIPs, [{ ip: ips[1] }]);
    h.api.delete(PODS, 'default', 'p2', { gracePeriodSeconds: 0 });
    h.advance(5000);
    // host-local goes on from the last address it reserved, not back to the freed one.
    h.api.create(PODS, 'default', pod('p4'));
    h.advance(5000);
    assert.strictEqual(get(h, 'p4').status.podIP, '10.244.1.5');
  });

  it('past .254 the addresses wrap to .2, skipping those still held', () => {
    // Three pods keep .2-.4; 250 more pass through in waves of 50 and are deleted, which reserves up to .254.
    for (const n of ['k1', 'k2', 'k3']) h.api.create(PODS, 'default', pod(n));
    h.advance(5000);
    const held = ['k1', 'k2', 'k3'].map((n) => get(h, n).status.podIP).sort();
    assert.deepStrictEqual(held, ['10.244.1.2', '10.244.1.3', '10.244.1.4']);
    for (let wave = 0; wave < 5; wave++) {
      const names = Array.from({ length: 50 }, (_, i) => `w${wave}-${i}`);
      for (const n of names) h.api.create(PODS, 'default', pod(n));
      h.advance(5000);
      for (const n of names) assert.ok(get(h, n).status.podIP, `${n} has an address`);
      for (const n of names) h.api.delete(PODS, 'default', n, { gracePeriodSeconds: 0 });
      h.advance(5000);
    }
    h.api.create(PODS, 'default', pod('after'));
    h.advance(5000);
    assert.strictEqual(get(h, 'after').status.podIP, '10.244.1.5');
  });

});

describe('kubelet pod addresses when the node\'s range is used up', () => {
  it('the 254th pod of a node whose pod cap was raised gets FailedCreatePodSandBox and stays ContainerCreating', () => {
    const h = new Harness();
    createNodes(h.ctx, 1, { pods: '300', cpu: '64', memory: '256Gi' }).start();
    h.settle();
    const names = Array.from({ length: 254 }, (_, i) => `p${i}`);
    for (const n of names) h.api.create(PODS, 'default', pod(n));
    // The node's pod workers take a while over 254 pods at once.
    h.advance(120_000);
    const without = names.filter((n) => !get(h, n).status?.podIP);
    assert.strictEqual(without.length, 1, 'one pod finds no address');
    const starved = get(h, without[0]);
    assert.strictEqual(starved.status.phase, 'Pending');
    assert.strictEqual(starved.status.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
    const ev = h.api.list({ group: '', version: 'v1', resource: 'events' }, 'default').items.find((e: any) => e.involvedObject.name === without[0] && e.reason === 'FailedCreatePodSandBox');
    assert.ok(ev, 'a FailedCreatePodSandBox event');
    assert.match(ev.message, /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="ptp" failed \(add\): failed to allocate for range 0: no IP addresses available in range set: 10\.244\.1\.1-10\.244\.1\.254$/);
    // Once an address is free, the next try of the pod worker gets it.
    h.api.delete(PODS, 'default', names.find((n) => n !== without[0])!, { gracePeriodSeconds: 0 });
    h.advance(30_000);
    assert.ok(get(h, without[0]).status.podIP, 'the pod got the freed address');
  });
});
