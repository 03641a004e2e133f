import * as assert from 'assert';
import { createNodes, type NodeFleet } from '../../../../cluster/src/kubelet';
import { createScheduler, fitErrorMessage, numFeasibleNodesToFind } from '../../../../cluster/src/scheduler';
import { Harness, NODES, PODS } from '../nodes/harness';

function pod(name: string, spec: any = {}, meta: any = {}): any {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...meta }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec } };
}
const cpu = (c: string) => ({ containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: c } } }] });
const scheduled = (h: Harness, name: string) => h.api.get(PODS, 'default', name).spec.nodeName as string | undefined;
const cond = (h: Harness, name: string) => h.api.get(PODS, 'default', name).status?.conditions?.find((c: any) => c.type === 'PodScheduled');

describe('scheduler', () => {
  let h: Harness;
  let fleet: NodeFleet;
  beforeEach(() => {
    h = new Harness();
    fleet = createNodes(h.ctx, 3);
    fleet.start();
    createScheduler(h.ctx).start();
    h.settle();
  });

  it('binds a pod and records Scheduled from default-scheduler', () => {
    h.api.create(PODS, 'default', pod('x'));
    h.settle();
    const node = scheduled(h, 'x');
    assert.ok(node && node.startsWith('kubeplay-worker'));
    const ev = h.eventsFor('x', 'Scheduled')[0];
    assert.strictEqual(ev.message, `Successfully assigned default/x to ${node}`);
    assert.strictEqual(ev.component, 'default-scheduler');
    assert.strictEqual(cond(h, 'x').status, 'True');
  });

  /** A pod of `cpu` and `memory` bound to `node` by hand, of an image the scored pod does not use. */
  const load = (name: string, node: string, cpu: string, memory?: string) =>
    h.api.create(PODS, 'default', pod(name, { nodeName: node, containers: [{ name: 'app', image: 'busybox:1.36', resources: { requests: { cpu, ...(memory ? { memory } : {}) } } }] }));
  const small = { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '100m', memory: '100Mi' } } }] };

  it('scores LeastAllocated: of nodes used as evenly in cpu as in memory, the pod goes to the least used', () => {
    // 4 cpu and 16Gi each: half, a quarter and three quarters used, in both.
    load('l1', 'kubeplay-worker', '2', '8Gi');
    load('l2', 'kubeplay-worker2', '1', '4Gi');
    load('l3', 'kubeplay-worker3', '3', '12Gi');
    h.settle();
    h.api.create(PODS, 'default', pod('x', small));
    h.settle();
    assert.strictEqual(scheduled(h, 'x'), 'kubeplay-worker2');
  });

  it('scores BalancedAllocation: a node with a little less free but cpu and memory used alike beats a lopsided one', () => {
    // worker: half its cpu, none of its memory (LeastAllocated about 73, BalancedAllocation about 74);
    // worker2: 30% of both (about 68 and 100); worker3: 75% of both (about 25 and 100).
    load('l1', 'kubeplay-worker', '2');
    load('l2', 'kubeplay-worker2', '1200m', '4915Mi');
    load('l3', 'kubeplay-worker3', '3', '12Gi');
    h.settle();
    h.api.create(PODS, 'default', pod('x', small));
    h.settle();
    assert.strictEqual(scheduled(h, 'x'), 'kubeplay-worker2');
  });

  it('reports the upstream FitError for a pod that fits nowhere and retries when a node is added', () => {
    for (const n of ['a', 'b', 'c']) h.api.create(PODS, 'default', pod(n, cpu('3')));
    h.settle();
    assert.deepStrictEqual(new Set(['a', 'b', 'c'].map((n) => scheduled(h, n))).size, 3, 'one 3-CPU pod per 4-CPU node');
    h.api.create(PODS, 'default', pod('d', cpu('3')));
    h.settle();
    const msg = '0/3 nodes are available: 3 Insufficient cpu. no new claims to deallocate, preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
    assert.strictEqual(scheduled(h, 'd'), undefined);
    assert.deepStrictEqual({ ...cond(h, 'd'), lastTransitionTime: undefined }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: msg, lastProbeTime: null, lastTransitionTime: undefined });
    const failed = h.eventsFor('d', 'FailedScheduling');
    assert.strictEqual(failed[0].message, msg);
    assert.strictEqual(failed[0].type, 'Warning');
    fleet.addNode();
    h.advance(2000);
    assert.strictEqual(scheduled(h, 'd'), 'kubeplay-worker4');
  });

  it('records as the events.k8s.io/v1 broadcaster does: eventTime, action, reporting instance, and a series for repeats', () => {
    h.api.create(PODS, 'default', pod('x'));
    h.settle();
    const raw = (name: string, reason: string) => [...h.store.list('/events')].filter((e: any) => e.involvedObject?.name === name && e.reason === reason);
    const [sched] = raw('x', 'Scheduled');
    assert.strictEqual(sched.action, 'Binding');
    assert.strictEqual(sched.reportingComponent, 'default-scheduler');
    assert.strictEqual(sched.reportingInstance, 'default-scheduler-kubeplay-control-plane');
    assert.match(sched.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.deepStrictEqual([sched.source, sched.firstTimestamp, sched.lastTimestamp, sched.count], [{}, null, null, undefined]);
    assert.strictEqual(sched.involvedObject.kind, 'Pod');
    assert.ok(sched.involvedObject.resourceVersion, 'the reference names the pod as the scheduler saw it');

    // Fill the nodes, then a pod that fits nowhere is retried; its events fold as the broadcaster folds them.
    for (const n of ['a', 'b', 'c']) h.api.create(PODS, 'default', pod(n, cpu('3')));
    h.settle();
    h.api.create(PODS, 'default', pod('d', cpu('3')));
    h.settle();
    assert.strictEqual(raw('d', 'FailedScheduling').length, 1);
    assert.strictEqual(raw('d', 'FailedScheduling')[0].action, 'Scheduling');
    // The scheduler retries an unschedulable pod every five minutes (podMaxInUnschedulablePodsDuration). Each retry is isomorphic,
    // except that the first attempt saw the pod before its PodScheduled condition was written (another resourceVersion).
    h.advance(17 * 60_000);
    const failed = raw('d', 'FailedScheduling');
    assert.strictEqual(failed.length, 2, JSON.stringify(failed.map((e: any) => [e.involvedObject.resourceVersion, e.series])));
    const tried = failed.find((e: any) => e.series);
    assert.ok(tried, 'the second attempt became a series');
    assert.strictEqual(tried.series.count, 2, 'later attempts count in memory only');
    // Six idle minutes later the broadcaster writes the series a last time (finishSeries).
    h.api.delete(PODS, 'default', 'd', { gracePeriodSeconds: 0 });
    h.advance(13 * 60_000);
    const final = raw('d', 'FailedScheduling').find((e: any) => e.series)!;
    assert.ok(final.series.count > 2, `the final count is written: ${final.series.count}`);
    assert.match(final.series.lastObservedTime, /\.\d{6}Z$/);
  });

  it('keeps a live series: each write of an Event starts its hour-long TTL again', () => {
    for (const n of ['a', 'b', 'c']) h.api.create(PODS, 'default', pod(n, cpu('3')));
    h.settle();
    h.api.create(PODS, 'default', pod('d', cpu('3')));
    h.settle();
    const series = () => [...h.store.list('/events')].find((e: any) => e.involvedObject?.name === 'd' && e.series);
    h.advance(20 * 60_000);
    const first = series();
    assert.ok(first, 'the series exists');
    for (let m = 0; m < 150; m += 5) {
      h.advance(5 * 60_000);
      // Other events come and go meanwhile (the recorder expires Events as it writes new ones).
      h.ctx.events.event({ component: 'test' }, { apiVersion: 'v1', kind: 'Node', metadata: { name: `n${m}`, uid: `u${m}` } } as any, 'Normal', 'Tick', 'tick');
      const now = series();
      assert.ok(now, `the series is there at +${m + 25} min`);
      assert.strictEqual(now.metadata.uid, first.metadata.uid, 'the same Event, not one created again');
    }
    assert.ok(series()!.series.count > 20, String(series()!.series.count));
  });

  it('retries when a pod is deleted and frees room', () => {
    for (const n of ['a', 'b', 'c']) h.api.create(PODS, 'default', pod(n, cpu('3')));
    h.settle();
    h.api.create(PODS, 'default', pod('d', cpu('3')));
    h.settle();
    assert.strictEqual(scheduled(h, 'd'), undefined);
    const freed = scheduled(h, 'a');
    h.api.delete(PODS, 'default', 'a', { gracePeriodSeconds: 0 });
    h.advance(2000);
    assert.strictEqual(scheduled(h, 'd'), freed);
  });

  it('names each rejecting filter in the histogram, sorted, with preemption hints', () => {
    h.api.patch(NODES, undefined, 'kubeplay-worker', 'merge', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
    fleet.cordon('kubeplay-worker2');
    h.settle();
    h.api.create(PODS, 'default', pod('sel', { nodeSelector: { disk: 'ssd' } }));
    h.settle();
    assert.strictEqual(cond(h, 'sel').message,
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s), 1 node(s) were unschedulable. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    h.api.create(PODS, 'default', pod('tol', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'kubeplay-worker' } }));
    h.settle();
    assert.strictEqual(scheduled(h, 'tol'), 'kubeplay-worker');
  });

  it('honours required node affinity, host ports and anti-affinity by hostname', () => {
    h.api.create(PODS, 'default', pod('aff', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['kubeplay-worker3'] }] }] } } } }));
    h.settle();
    assert.strictEqual(scheduled(h, 'aff'), 'kubeplay-worker3');
    const hp = { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }] };
    for (const n of ['p1', 'p2', 'p3', 'p4']) h.api.create(PODS, 'default', pod(n, hp));
    h.settle();
    assert.strictEqual(new Set(['p1', 'p2', 'p3'].map((n) => scheduled(h, n))).size, 3);
    assert.match(cond(h, 'p4').message, /^0\/3 nodes are available: 3 node\(s\) didn't have free ports for the requested pod ports\. /);
    const anti = (n: string) => pod(n, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } } }, { labels: { app: 'db' } });
    for (const n of ['db1', 'db2', 'db3', 'db4']) h.api.create(PODS, 'default', anti(n));
    h.settle();
    assert.strictEqual(new Set(['db1', 'db2', 'db3'].map((n) => scheduled(h, n))).size, 3);
    assert.match(cond(h, 'db4').message, /3 node\(s\) didn't match pod anti-affinity rules\. no new claims to deallocate, preemption: 0\/3 nodes are available: 3 No preemption victims found for incoming pod\.$/);
  });

  it('filters only the nodes a pod pins by metadata.name (NodeAffinity PreFilter), the others counted as not satisfying it', () => {
    const pinned = (name: string, nodes: string[][], spec: any = {}) => pod(name, {
      ...spec,
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: nodes.map((values) => ({ matchFields: [{ key: 'metadata.name', operator: 'In', values }] })) } } },
    });
    h.api.create(PODS, 'default', pinned('one', [['kubeplay-worker2']]));
    h.api.create(PODS, 'default', pinned('either', [['kubeplay-worker3'], ['nowhere']]));
    h.settle();
    assert.strictEqual(scheduled(h, 'one'), 'kubeplay-worker2');
    assert.strictEqual(scheduled(h, 'either'), 'kubeplay-worker3');
    h.api.create(PODS, 'default', pinned('big', [['kubeplay-worker']], cpu('5')));
    h.settle();
    // 5 CPUs exceed the 4-CPU node's whole allocatable: NodeResourcesFit's rejection is unresolvable there too.
    assert.strictEqual(cond(h, 'big').message,
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
    // Two terms each pinning a node are ORed; one term pinning two disjoint sets matches nothing.
    h.api.create(PODS, 'default', { ...pinned('none', [['kubeplay-worker']]), spec: { ...pinned('none', [['kubeplay-worker']]).spec, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['kubeplay-worker'] }, { key: 'metadata.name', operator: 'In', values: ['kubeplay-worker2'] }] }] } } } } });
    h.settle();
    assert.strictEqual(cond(h, 'none').message,
      '0/3 nodes are available: pod affinity terms conflict. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  });

  it('spreads a controller\'s pods across nodes', () => {
    const owner = { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'rs-1', controller: true }] };
    for (let i = 0; i < 6; i++) h.api.create(PODS, 'default', pod(`w${i}`, {}, owner));
    h.settle();
    const counts = new Map<string, number>();
    for (let i = 0; i < 6; i++) counts.set(scheduled(h, `w${i}`)!, (counts.get(scheduled(h, `w${i}`)!) ?? 0) + 1);
    assert.deepStrictEqual([...counts.values()], [2, 2, 2]);
  });

  it('retries an unschedulable pod when its spec changes', () => {
    fleet.cordon('kubeplay-worker');
    fleet.cordon('kubeplay-worker2');
    fleet.cordon('kubeplay-worker3');
    h.settle();
    h.api.create(PODS, 'default', pod('t'));
    h.settle();
    assert.match(cond(h, 't').message, /3 node\(s\) were unschedulable/);
    const cur = h.api.get(PODS, 'default', 't');
    h.api.update(PODS, 'default', { ...cur, spec: { ...cur.spec, tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] } });
    h.advance(2000);
    assert.ok(scheduled(h, 't'));
  });

  it('leaves pods of other schedulers and with no nodes says so', () => {
    h.api.create(PODS, 'default', pod('other', { schedulerName: 'my-scheduler' }));
    h.settle();
    assert.strictEqual(scheduled(h, 'other'), undefined);
    assert.strictEqual(h.eventsFor('other').length, 0);
  });
});

describe('scheduler arithmetic', () => {
  it('samples nodes like percentageOfNodesToScore', () => {
    assert.strictEqual(numFeasibleNodesToFind(3), 3);
    assert.strictEqual(numFeasibleNodesToFind(100), 100);
    assert.strictEqual(numFeasibleNodesToFind(1000), 420); // 50 - 8 = 42 %
    assert.strictEqual(numFeasibleNodesToFind(5000), 500); // 50 - 40 = 10 %
    assert.strictEqual(numFeasibleNodesToFind(6000), 300); // floor at 5 %
    assert.strictEqual(numFeasibleNodesToFind(150), 100); // never fewer than 100
  });
  it('formats a prefilter failure', () => {
    assert.strictEqual(fitErrorMessage(3, [], 'pod has unbound immediate PersistentVolumeClaims'),
      '0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.');
  });
});
