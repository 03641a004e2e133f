import * as assert from 'assert';
import { createNodeControllers, NODE_MONITOR_GRACE_PERIOD_MS } from '../../../../cluster/src/controllers/nodelifecycle';
import { replicaSetController } from '../../../../cluster/src/controllers/replicaset';
import { Informers } from '../../../../cluster/src/controllers/util/cache';
import { createNodes, type NodeFleet } from '../../../../cluster/src/kubelet';
import { createScheduler } from '../../../../cluster/src/scheduler';
import { Harness, NODES, PODS } from '../nodes/harness';

const RS = { group: 'apps', version: 'v1', resource: 'replicasets' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
/** What the DefaultTolerationSeconds admission plugin adds to every pod. */
const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function cluster(): { h: Harness; fleet: NodeFleet } {
  const h = new Harness();
  try { h.api.create({ group: '', version: 'v1', resource: 'namespaces' }, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } }); } catch { /* bootstrapped */ }
  const fleet = createNodes(h.ctx, 3);
  for (const c of [fleet, createScheduler(h.ctx), ...createNodeControllers(h.ctx)]) c.start();
  h.settle();
  return { h, fleet };
}
const node = (h: Harness, n: string) => h.api.get(NODES, undefined, n);
const ready = (h: Harness, n: string) => node(h, n).status.conditions.find((c: any) => c.type === 'Ready');

describe('nodes', () => {
  it('register with upstream labels, capacity, conditions, a pod CIDR, a Lease and RegisteredNode', () => {
    const { h } = cluster();
    const n = node(h, 'kubeplay-worker2');
    assert.deepStrictEqual(n.metadata.labels, {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'kubeplay-worker2', 'kubernetes.io/os': 'linux',
    });
    assert.strictEqual(n.spec.podCIDR, '10.244.2.0/24');
    assert.strictEqual(n.status.capacity.pods, '110');
    assert.deepStrictEqual(n.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'], ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID'], ['Ready', 'True', 'KubeletReady'],
    ]);
    assert.strictEqual(ready(h, 'kubeplay-worker2').message, 'kubelet is posting ready status');
    const lease = h.api.get(LEASES, 'kube-node-lease', 'kubeplay-worker2');
    assert.strictEqual(lease.spec.leaseDurationSeconds, 40);
    const before = lease.spec.renewTime;
    h.advance(10_000);
    assert.notStrictEqual(h.api.get(LEASES, 'kube-node-lease', 'kubeplay-worker2').spec.renewTime, before);
    assert.strictEqual(h.eventsFor('kubeplay-worker2', 'RegisteredNode')[0].message, 'Node kubeplay-worker2 event: Registered Node kubeplay-worker2 in Controller');
    assert.strictEqual(h.eventsFor('kubeplay-worker2', 'NodeReady')[0].component, 'kubelet');
  });

  it('a failed node goes Unknown after the grace period, is tainted, its pods are evicted and recreated elsewhere', () => {
    const { h, fleet } = cluster();
    replicaSetController(h.ctx, new Informers(h.api)).start();
    h.api.create(RS, 'default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { tolerations: DEFAULT_TOLERATIONS, containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    });
    h.advance(10_000);
    const pods = () => h.api.list(PODS, 'default').items;
    assert.strictEqual(pods().filter((p) => p.status?.phase === 'Running').length, 3);
    const found = pods().find((p) => p.spec.nodeName === 'kubeplay-worker')!;
    const victim = { ...found, metadata: { ...found.metadata, name: found.metadata.name! } };
    assert.ok(victim, 'spread puts one replica on each node');
    fleet.failNode('kubeplay-worker');
    h.advance(NODE_MONITOR_GRACE_PERIOD_MS - 5_000);
    assert.strictEqual(ready(h, 'kubeplay-worker').status, 'True');
    h.advance(15_000);
    const r = ready(h, 'kubeplay-worker');
    assert.deepStrictEqual([r.status, r.reason, r.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    const taints = node(h, 'kubeplay-worker').spec.taints.map((t: any) => `${t.key}:${t.effect}`);
    assert.deepStrictEqual(taints.sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    assert.ok(h.eventsFor('kubeplay-worker', 'NodeNotReady').some((e) => e.component === 'node-controller'));
    assert.strictEqual(h.api.get(PODS, 'default', victim.metadata.name).status.conditions.find((c: any) => c.type === 'Ready').status, 'False');
    // tolerationSeconds 300 from the taint's timeAdded
    h.advance(290_000);
    assert.ok(!h.api.get(PODS, 'default', victim.metadata.name).metadata.deletionTimestamp);
    h.advance(20_000);
    const evicted = h.api.get(PODS, 'default', victim.metadata.name);
    assert.ok(evicted.metadata.deletionTimestamp, 'evicted (Terminating: the dead kubelet cannot finish it)');
    assert.strictEqual(evicted.status.conditions.find((c: any) => c.type === 'DisruptionTarget').reason, 'DeletionByTaintManager');
    assert.strictEqual(h.eventsFor(victim.metadata.name, 'TaintManagerEviction')[0].message, `Marking for deletion Pod default/${victim.metadata.name}`);
    h.advance(10_000);
    const live = pods().filter((p) => !p.metadata.deletionTimestamp);
    assert.strictEqual(live.length, 3);
    assert.ok(live.every((p) => p.spec.nodeName !== 'kubeplay-worker' && p.status.phase === 'Running'));
    // Recovery: Ready again, taints gone, the stale pod finally removed by its kubelet.
    fleet.recoverNode('kubeplay-worker');
    h.advance(5_000);
    assert.strictEqual(ready(h, 'kubeplay-worker').status, 'True');
    assert.strictEqual(node(h, 'kubeplay-worker').spec.taints, undefined);
    assert.throws(() => h.api.get(PODS, 'default', victim.metadata.name), /not found/);
    // The kubelet's setters moved all four conditions back from Unknown, and each says so again.
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) {
      assert.strictEqual(h.eventsFor('kubeplay-worker', reason).length, 2, reason);
    }
  });

  it('the controller stamps every taint it adds, and says when it forgets a deleted node', () => {
    const { h, fleet } = cluster();
    fleet.failNode('kubeplay-worker');
    h.advance(NODE_MONITOR_GRACE_PERIOD_MS + 10_000);
    const taints = node(h, 'kubeplay-worker').spec.taints;
    assert.deepStrictEqual(taints.map((t: any) => [t.effect, typeof t.timeAdded]), [['NoSchedule', 'string'], ['NoExecute', 'string']]);
    fleet.removeNode('kubeplay-worker');
    h.settle();
    assert.deepStrictEqual(h.eventsFor('kubeplay-worker', 'RemovingNode').map((e) => [e.component, e.message]), [
      ['node-controller', 'Node kubeplay-worker event: Removing Node kubeplay-worker from Controller'],
    ]);
  });

  it('a pod stuck Terminating on a dead node goes once the node is tainted out-of-service (non-graceful shutdown)', () => {
    const { h, fleet } = cluster();
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', namespace: 'default' }, spec: { nodeName: 'kubeplay-worker2', containers: [{ name: 'c', image: 'postgres' }] } });
    h.advance(5000);
    fleet.failNode('kubeplay-worker2');
    h.advance(NODE_MONITOR_GRACE_PERIOD_MS + 10_000);
    h.api.delete(PODS, 'default', 'db-0');
    h.advance(120_000);
    assert.ok(h.api.get(PODS, 'default', 'db-0').metadata.deletionTimestamp, 'the dead kubelet cannot finish it');
    const n = node(h, 'kubeplay-worker2');
    h.api.patch(NODES, undefined, 'kubeplay-worker2', 'merge', { spec: { taints: [...n.spec.taints, { key: 'node.kubernetes.io/out-of-service', value: 'nodeshutdown', effect: 'NoExecute' }] } });
    h.settle();
    assert.throws(() => h.api.get(PODS, 'default', 'db-0'), /not found/);
  });

  it('cordon taints the node unschedulable and drain evicts all but DaemonSet pods', () => {
    const { h, fleet } = cluster();
    const mk = (name: string, owner?: any) => h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ownerReferences: owner ? [owner] : undefined }, spec: { nodeName: 'kubeplay-worker3', containers: [{ name: 'c', image: 'nginx:1.27' }] } });
    // kubectl drain keeps a DaemonSet's pods while the DaemonSet exists (an orphan goes, with --force).
    const ds = h.api.create({ group: 'apps', version: 'v1', resource: 'daemonsets' }, 'default', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } }).object;
    mk('plain');
    mk('ds', { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: ds.metadata.uid, controller: true });
    h.advance(5000);
    const evicted = fleet.drain('kubeplay-worker3');
    h.advance(5000);
    const n = node(h, 'kubeplay-worker3');
    assert.strictEqual(n.spec.unschedulable, true);
    // The node controller stamps every taint it adds (SwapNodeControllerTaint).
    assert.deepStrictEqual(n.spec.taints, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: '2026-01-01T00:00:05Z' }]);
    assert.deepStrictEqual(evicted, ['default/plain']);
    assert.throws(() => h.api.get(PODS, 'default', 'plain'), /not found/);
    assert.strictEqual(h.api.get(PODS, 'default', 'ds').status.phase, 'Running');
    assert.ok(h.eventsFor('kubeplay-worker3', 'NodeNotSchedulable').length);
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'new', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    h.settle();
    assert.notStrictEqual(h.api.get(PODS, 'default', 'new').spec.nodeName, 'kubeplay-worker3');
    fleet.cordon('kubeplay-worker3', false);
    h.settle();
    assert.strictEqual(node(h, 'kubeplay-worker3').spec.taints, undefined);
  });

  it('the kubelet notices spec.unschedulable however it changes (kubectl cordon is a patch) at its next status sync', () => {
    const { h } = cluster();
    h.advance(1000);
    h.api.patch(NODES, undefined, 'kubeplay-worker2', 'merge', { spec: { unschedulable: true } });
    assert.strictEqual(h.eventsFor('kubeplay-worker2', 'NodeNotSchedulable').length, 0, 'not before the kubelet looks');
    h.advance(10_000);
    const [ev] = h.eventsFor('kubeplay-worker2', 'NodeNotSchedulable');
    assert.deepStrictEqual([ev.component, ev.host, ev.message], ['kubelet', 'kubeplay-worker2', 'Node kubeplay-worker2 status is now: NodeNotSchedulable']);
    h.advance(30_000);
    assert.strictEqual(h.eventsFor('kubeplay-worker2', 'NodeNotSchedulable').length, 1, 'once per change');
    h.api.patch(NODES, undefined, 'kubeplay-worker2', 'merge', { spec: { unschedulable: null } });
    h.advance(10_000);
    assert.strictEqual(h.eventsFor('kubeplay-worker2', 'NodeSchedulable').length, 1);
  });

  it('removing a node garbage-collects its pods after the quarantine', () => {
    const { h, fleet } = cluster();
    h.api.create(PODS, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orphan', namespace: 'default' }, spec: { nodeName: 'kubeplay-worker2', containers: [{ name: 'c', image: 'nginx' }] } });
    h.advance(5000);
    fleet.removeNode('kubeplay-worker2');
    h.advance(39_000);
    assert.doesNotThrow(() => h.api.get(PODS, 'default', 'orphan'));
    h.advance(2_000);
    assert.throws(() => h.api.get(PODS, 'default', 'orphan'), /not found/);
    const again = fleet.addNode();
    assert.strictEqual(again.metadata.name, 'kubeplay-worker2');
  });
});
