import * as assert from 'assert';
import { World } from './harness/world';
import { isPodAvailable } from '../../../../cluster/src/controllers/util/pods';
import { nodeShouldRunDaemonPod } from '../../../../cluster/src/controllers/daemonset/predicates';

const DS = { group: 'apps', version: 'v1', resource: 'daemonsets' };
const CRS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };

function ds(extra: any = {}, image = 'fluentd:1'): any {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'logs', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'logs' } }, ...extra,
      template: { metadata: { labels: { app: 'logs' } }, spec: { containers: [{ name: 'f', image }], ...(extra.podSpec ?? {}) } } },
  };
}

const node = (name: string, labels: Record<string, string> = {}, taints: any[] = [], unschedulable = false): any =>
  ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints, unschedulable } });

describe('daemonset predicates', () => {
  it('selects nodes by nodeSelector, affinity and taints, with the automatic tolerations', () => {
    const d = ds({ podSpec: { nodeSelector: { disk: 'ssd' } } });
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('a', { disk: 'ssd' }), d), [true, true]);
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('b', { disk: 'hdd' }), d), [false, false]);
    const plain = ds();
    // Cordoned and not-ready nodes still get daemon pods.
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('c', {}, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], true), plain), [true, true]);
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('c', {}, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]), plain), [true, true]);
    // network-unavailable is tolerated only by hostNetwork pods.
    const net = [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }];
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('d', {}, net), plain), [false, true]);
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('d', {}, net), ds({ podSpec: { hostNetwork: true } })), [true, true]);
    // An untolerated NoExecute taint evicts; NoSchedule only stops new pods.
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('e', {}, [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }]), plain), [false, false]);
    const aff = ds({ podSpec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } } } });
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('f', { zone: 'z1' }), aff), [true, true]);
    assert.deepStrictEqual(nodeShouldRunDaemonPod(node('g', { zone: 'z2' }), aff), [false, false]);
  });
});

describe('daemonset controller', () => {
  it('runs one pod per eligible node, pinned by node affinity, with the daemon tolerations', () => {
    const w = new World({ nodes: 0 });
    w.addNode('n1');
    w.addNode('n2');
    w.api.create({ group: '', version: 'v1', resource: 'nodes' }, undefined, node('n3', {}, [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]));
    w.api.create(DS, 'default', ds());
    w.advance(10_000);
    const pods = w.pods();
    assert.strictEqual(pods.length, 2);
    assert.deepStrictEqual(pods.map((p) => p.spec.nodeName).sort(), ['n1', 'n2']);
    for (const p of pods) {
      const terms = p.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
      assert.deepStrictEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [p.spec.nodeName] }] }]);
      assert.deepStrictEqual(p.spec.tolerations.map((t: any) => `${t.key}:${t.effect}`), [
        'node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule',
        'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule',
      ]);
      assert.strictEqual(p.metadata.labels!['pod-template-generation'], '1');
      assert.match(p.metadata.name!, /^logs-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    }
    const d = w.api.get(DS, 'default', 'logs');
    const hash = pods[0].metadata.labels!['controller-revision-hash'];
    assert.deepStrictEqual(d.status, {
      currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 2, observedGeneration: 1, updatedNumberScheduled: 2, numberAvailable: 2,
    });
    assert.deepStrictEqual(w.api.all(CRS, 'default').map((c) => c.metadata.name), [`logs-${hash}`]);
    w.addNode('n4');
    w.advance(10_000);
    assert.strictEqual(w.pods().length, 3);
  });

  it('replaces a pod that leaves it, its reference removed and its labels changed in one write', () => {
    const w = new World({ nodes: 0 });
    w.addNode('n1');
    w.addNode('n2');
    w.api.create(DS, 'default', ds());
    w.advance(10_000);
    const owned = () => w.pods().filter((p) => p.metadata.ownerReferences?.some((r) => r.kind === 'DaemonSet'));
    const gone = owned().find((p) => p.spec.nodeName === 'n1')!;
    w.api.patch({ group: '', version: 'v1', resource: 'pods' }, 'default', gone.metadata.name!, 'merge', { metadata: { ownerReferences: null, labels: { app: 'debug' } } });
    w.advance(10_000);
    const now = owned();
    assert.deepStrictEqual(now.map((p) => p.spec.nodeName).sort(), ['n1', 'n2'], 'n1 got a new daemon pod');
    assert.ok(!now.some((p) => p.metadata.name === gone.metadata.name));
  });

  it('rolling update with maxUnavailable 1 replaces one node at a time', () => {
    let worst = 0;
    let checking = false;
    const w: World = new World({
      nodes: 4,
      onStep: () => {
        if (!checking) return;
        const avail = new Set(w.pods().filter((p) => !p.metadata.deletionTimestamp && isPodAvailable(p, 0, w.clock.now())).map((p) => p.spec.nodeName));
        worst = Math.max(worst, 4 - avail.size);
      },
    });
    w.api.create(DS, 'default', ds());
    w.advance(10_000);
    checking = true;
    const d = structuredClone(w.api.get(DS, 'default', 'logs'));
    d.spec.template.spec.containers[0].image = 'fluentd:2';
    w.api.update(DS, 'default', d);
    w.advance(60_000);
    checking = false;
    assert.strictEqual(worst, 1);
    assert.deepStrictEqual(w.pods().map((p) => p.spec.containers[0].image), ['fluentd:2', 'fluentd:2', 'fluentd:2', 'fluentd:2']);
    const s = w.api.get(DS, 'default', 'logs').status;
    assert.strictEqual(s.updatedNumberScheduled, 4);
    assert.strictEqual(s.numberAvailable, 4);
    assert.strictEqual(w.api.all(CRS, 'default').length, 2);
  });

  it('rolling update with maxSurge starts the new pod before removing the old', () => {
    let worst = 0;
    let checking = false;
    const w: World = new World({
      nodes: 3,
      onStep: () => {
        if (!checking) return;
        const avail = new Set(w.pods().filter((p) => !p.metadata.deletionTimestamp && isPodAvailable(p, 0, w.clock.now())).map((p) => p.spec.nodeName));
        worst = Math.max(worst, 3 - avail.size);
      },
    });
    w.api.create(DS, 'default', ds({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    w.advance(10_000);
    checking = true;
    const d = structuredClone(w.api.get(DS, 'default', 'logs'));
    d.spec.template.spec.containers[0].image = 'fluentd:2';
    w.api.update(DS, 'default', d);
    w.advance(60_000);
    checking = false;
    assert.strictEqual(worst, 0);
    assert.deepStrictEqual(w.pods().map((p) => p.spec.containers[0].image), ['fluentd:2', 'fluentd:2', 'fluentd:2']);
  });
});

describe('daemonset extras', () => {
  it('an untolerated NoSchedule taint keeps the running pod (misscheduled); NoExecute removes it', () => {
    const w = new World({ nodes: 0 });
    w.addNode('n1');
    w.addNode('n2');
    w.api.create(DS, 'default', ds());
    w.advance(10_000);
    const NODES = { group: '', version: 'v1', resource: 'nodes' };
    const taint = (name: string, effect: string) => {
      const n = structuredClone(w.api.get(NODES, undefined, name));
      n.spec.taints = [{ key: 'maintenance', value: 'true', effect }];
      w.api.update(NODES, undefined, n);
    };
    taint('n1', 'NoSchedule');
    w.advance(5_000);
    assert.strictEqual(w.pods().length, 2, 'NoSchedule does not evict a running daemon pod');
    let s = w.api.get(DS, 'default', 'logs').status;
    assert.deepStrictEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberMisscheduled], [1, 1, 1]);
    taint('n2', 'NoExecute');
    w.advance(5_000);
    assert.deepStrictEqual(w.pods().map((p) => p.spec.nodeName), ['n1']);
    s = w.api.get(DS, 'default', 'logs').status;
    assert.deepStrictEqual([s.desiredNumberScheduled, s.currentNumberScheduled, s.numberMisscheduled], [0, 0, 1]);
  });
});
