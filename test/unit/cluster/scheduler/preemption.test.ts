/** DefaultPreemption: victims, their DisruptionTarget and Preempted event, the nomination, and the refusals. */
import * as assert from 'assert';
import { createNodes } from '../../../../cluster/src/kubelet';
import { createScheduler } from '../../../../cluster/src/scheduler';
import { Harness, PODS } from '../nodes/harness';

const PCS = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };
function pod(name: string, cpu: string, spec: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu } } }], ...spec } };
}
const get = (h: Harness, name: string) => h.api.get(PODS, 'default', name);
const exists = (h: Harness, name: string) => { try { get(h, name); return true; } catch { return false; } };
const podScheduled = (h: Harness, name: string) => get(h, name).status?.conditions?.find((c: any) => c.type === 'PodScheduled');

function cluster(nodes: number): Harness {
  const h = new Harness();
  createNodes(h.ctx, nodes).start();
  createScheduler(h.ctx).start();
  h.api.create(PCS, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as any);
  h.api.create(PCS, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'mid' }, value: 500 } as any);
  h.api.create(PCS, undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high-never' }, value: 1000, preemptionPolicy: 'Never' } as any);
  h.settle();
  return h;
}

describe('scheduler preemption', () => {
  it('evicts the fewest lower-priority pods that make room, nominates the node, and binds there once they are gone', () => {
    const h = cluster(1); // one node with 4 CPUs
    // The low pods run `sleep`, which ignores SIGTERM: they take their whole 30 s grace period to go.
    const sleeper = (name: string) => ({ ...pod(name, '1500m'), spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '1500m' } } }] } });
    h.api.create(PODS, 'default', sleeper('low-a'));
    h.api.create(PODS, 'default', sleeper('low-b'));
    h.api.create(PODS, 'default', pod('mid', '500m', { priorityClassName: 'mid' }));
    h.api.create(PODS, 'default', pod('filler', '0', { priorityClassName: 'high' }));
    h.advance(5000);
    h.api.create(PODS, 'default', pod('vip', '2', { priorityClassName: 'high' }));
    h.settle();
    const vip = get(h, 'vip');
    assert.strictEqual(vip.spec.nodeName, undefined, 'it waits for its victims to terminate');
    assert.strictEqual(vip.status.nominatedNodeName, 'kubeplay-worker');
    assert.strictEqual(podScheduled(h, 'vip').message, '0/1 nodes are available: 1 Insufficient cpu.');
    // Removing one 1.5-CPU pod frees 2 CPUs: the most important one (mid, then the earlier low pod) is reprieved.
    const terminating = ['low-a', 'low-b', 'mid'].filter((n) => get(h, n).metadata.deletionTimestamp);
    assert.strictEqual(terminating.length, 1);
    const victim = get(h, terminating[0]) as any;
    assert.ok(victim.metadata.name.startsWith('low-'));
    const dt = victim.status.conditions.find((c: any) => c.type === 'DisruptionTarget');
    assert.deepStrictEqual([dt.status, dt.reason, dt.message], ['True', 'PreemptionByScheduler', 'default-scheduler: preempting to accommodate a higher priority pod']);
    assert.deepStrictEqual(h.eventsFor(victim.metadata.name, 'Preempted').map((e) => [e.type, e.component, e.message]), [['Normal', 'default-scheduler', `Preempted by pod ${vip.metadata.uid} on node kubeplay-worker`]]);
    // The room being freed is the nominated pod's: a lower-priority pod cannot take it.
    h.api.create(PODS, 'default', pod('small', '100m'));
    h.settle();
    assert.strictEqual(get(h, 'small').spec.nodeName, undefined);
    // A retry while the victim terminates (a running pod's deletion retries the pending ones) does not preempt again.
    h.api.delete(PODS, 'default', 'small', { gracePeriodSeconds: 0 });
    h.api.delete(PODS, 'default', 'filler', { gracePeriodSeconds: 0 });
    h.advance(2000);
    assert.strictEqual(podScheduled(h, 'vip').message, '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to a terminating pod on the nominated node.');
    assert.strictEqual(['low-a', 'low-b', 'mid'].filter((n) => get(h, n).metadata.deletionTimestamp).length, 1);
    for (let i = 0; i < 60 && !get(h, 'vip').spec.nodeName; i++) h.advance(1000);
    assert.strictEqual(get(h, 'vip').spec.nodeName, 'kubeplay-worker');
    assert.ok(!exists(h, victim.metadata.name), 'the victim is gone');
    assert.ok(exists(h, 'mid') && get(h, 'mid').spec.nodeName, 'the more important pod stays');
  });

  it('does not preempt for a pod with preemptionPolicy Never, nor pods of equal or higher priority', () => {
    const h = cluster(1);
    h.api.create(PODS, 'default', pod('low', '3'));
    h.advance(3000);
    h.api.create(PODS, 'default', pod('polite', '3', { priorityClassName: 'high-never' }));
    h.settle();
    assert.strictEqual(podScheduled(h, 'polite').message, '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: not eligible due to preemptionPolicy=Never.');
    assert.ok(!get(h, 'low').metadata.deletionTimestamp);
    h.api.create(PODS, 'default', pod('peer', '3'));
    h.settle();
    assert.strictEqual(podScheduled(h, 'peer').message, '0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.');
  });

  it('picks the node whose victims matter least', () => {
    const h = cluster(2);
    // worker 1 holds a mid-priority pod, worker 2 a low one; each fills its node.
    h.api.create(PODS, 'default', pod('on-1', '3', { priorityClassName: 'mid', nodeName: 'kubeplay-worker' }));
    h.api.create(PODS, 'default', pod('on-2', '3', { nodeName: 'kubeplay-worker2' }));
    h.advance(3000);
    h.api.create(PODS, 'default', pod('vip', '2', { priorityClassName: 'high' }));
    h.settle();
    assert.strictEqual(get(h, 'vip').status.nominatedNodeName, 'kubeplay-worker2');
    assert.ok(get(h, 'on-2').metadata.deletionTimestamp);
    assert.ok(!get(h, 'on-1').metadata.deletionTimestamp);
  });
});

describe('scheduling queue', () => {
  it('takes higher-priority pods first, then in the order they came (PrioritySort)', () => {
    const h = cluster(1);
    // Everything is created before the scheduler's next turn, so the queue decides who gets the 4 CPUs.
    h.api.create(PODS, 'default', pod('first-low', '2'));
    h.api.create(PODS, 'default', pod('second-low', '2'));
    h.api.create(PODS, 'default', pod('late-high', '2', { priorityClassName: 'high', preemptionPolicy: undefined }));
    h.settle();
    const bound = ['first-low', 'second-low', 'late-high'].filter((n) => get(h, n).spec.nodeName);
    assert.deepStrictEqual(bound, ['first-low', 'late-high']);
  });
});

describe('scheduler preemption and PodDisruptionBudgets', () => {
  it('prefers the node where evicting breaks no budget', () => {
    const h = cluster(2);
    const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
    // Both nodes are full with one equal low-priority pod; the one on worker 1 is protected by a budget allowing no disruption.
    // Without the budget, worker 1 would win: its pod started later, so evicting it loses less work.
    h.api.create(PODS, 'default', pod('free', '3', { nodeName: 'kubeplay-worker2' }));
    h.advance(3000);
    h.api.create(PODS, 'default', { ...pod('guarded', '3', { nodeName: 'kubeplay-worker' }), metadata: { name: 'guarded', namespace: 'default', labels: { app: 'db' } } });
    const budget: any = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } };
    h.api.create(PDBS, 'default', budget);
    // No disruption controller runs in this harness: the budget's status is written as it would compute it.
    const cur = h.api.get(PDBS, 'default', 'db');
    h.api.update(PDBS, 'default', { ...cur, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1 } } as any, {}, 'status');
    h.advance(3000);
    h.api.create(PODS, 'default', pod('vip', '2', { priorityClassName: 'high' }));
    h.settle();
    assert.strictEqual(get(h, 'vip').status.nominatedNodeName, 'kubeplay-worker2');
    assert.ok(get(h, 'free').metadata.deletionTimestamp);
    assert.ok(!get(h, 'guarded').metadata.deletionTimestamp);
  });
});

describe('scheduler nominations', () => {
  it('clears a nomination whose node stops helping, so the room is not held for nothing', () => {
    const h = cluster(1);
    const sleeper = { ...pod('low', '3'), spec: { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { cpu: '3' } } }] } };
    h.api.create(PODS, 'default', sleeper);
    h.advance(5000);
    h.api.create(PODS, 'default', pod('vip', '2', { priorityClassName: 'high' }));
    h.settle();
    assert.strictEqual(get(h, 'vip').status.nominatedNodeName, 'kubeplay-worker');
    // The node gets a taint the pod does not tolerate: it can never run there, and preemption cannot fix that.
    const NODES = { group: '', version: 'v1', resource: 'nodes' };
    h.api.patch(NODES, undefined, 'kubeplay-worker', 'merge', { spec: { taints: [{ key: 'maintenance', effect: 'NoSchedule' }] } });
    for (let i = 0; i < 40 && get(h, 'vip').status.nominatedNodeName; i++) h.advance(1000);
    const vip = get(h, 'vip');
    assert.strictEqual(vip.status.nominatedNodeName, undefined);
    assert.ok(podScheduled(h, 'vip').message.startsWith("0/1 nodes are available: 1 node(s) had untolerated taint(s)."), podScheduled(h, 'vip').message);
  });
});
