/**
 * A kind node waits for its CNI: NotReady with the runtime's network error and the not-ready taints until kindnet's
 * pod has run there, then Ready at the kubelet's next look (kubelet/cni.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import { CONTROL_PLANE_BOOT_MS } from '../../../../cluster/src/playground';
import { KINDNETD_FIRST_WRITE_MS, NETWORK_NOT_READY_MESSAGE, readyPostAt } from '../../../../cluster/src/kubelet/cni';
import type { KubePlayground } from '../../../../cluster/src/playground';

const MESSAGE = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';
const readyOf = (pg: KubePlayground, name: string) => pg.api.get(R.nodes, undefined, name).status.conditions.find((c: any) => c.type === 'Ready');
const taintsOf = (pg: KubePlayground, name: string) => (pg.api.get(R.nodes, undefined, name).spec.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);
const nodeEvents = (pg: KubePlayground, name: string) => pg.api.list(R.events, 'default').items
  .filter((e: any) => e.involvedObject.kind === 'Node' && e.involvedObject.name === name)
  .map((e: any) => ({ reason: e.reason, from: e.source?.component, at: Date.parse(e.firstTimestamp) }));
const kindnetOn = (pg: KubePlayground, node: string) => pg.api.list(R.pods, 'kube-system').items.find((p: any) => p.metadata.name.startsWith('kindnet-') && p.spec.nodeName === node);
const PINNED = `
apiVersion: v1
kind: Pod
metadata: {name: pinned, namespace: default}
spec:
  nodeSelector: {kubernetes.io/hostname: kubeplay-worker3}
  containers: [{name: c, image: nginx:1.27}]
`;

describe('a node waits for its CNI (kindnet)', () => {
  it('says when the kubelet posts Ready: the 100 ms fast update for 120 s after its start, then runtime check (5 s) and status sync (10 s)', () => {
    assert.strictEqual(NETWORK_NOT_READY_MESSAGE, MESSAGE);
    assert.strictEqual(readyPostAt(1_000_000, 1_000_000), 1_000_100);
    assert.strictEqual(readyPostAt(1_000_000, 1_000_250), 1_000_300);
    assert.strictEqual(readyPostAt(1_000_000, 1_119_850), 1_119_900);
    // Past nodeReadyGracePeriod: updateRuntimeUp sees it at 1,205 s, the node status sync posts it at 1,210 s.
    assert.strictEqual(readyPostAt(1_000_000, 1_201_000), 1_210_000);
    assert.strictEqual(readyPostAt(1_000_000, 1_206_000), 1_210_000);
    assert.strictEqual(readyPostAt(1_000_000, 1_211_000), 1_220_000);
  });

  it('boots with every node Ready before the hand-over, each NotReady until its kindnet pod ran', () => {
    const pg = newTestPlayground({ nodes: 2 });
    try {
      const start = pg.clock.now();
      const nodes = pg.api.list(R.nodes, undefined).items;
      assert.deepStrictEqual(nodes.map((n: any) => n.metadata.name), ['kubeplay-control-plane', 'kubeplay-worker', 'kubeplay-worker2']);
      for (const n of nodes) {
        const name = n.metadata.name!;
        const ready = readyOf(pg, name);
        assert.deepStrictEqual([ready.status, ready.reason], ['True', 'KubeletReady'], name);
        const born = Date.parse(n.metadata.creationTimestamp!);
        const since = Date.parse(ready.lastTransitionTime);
        assert.ok(since >= born && since < start, `${name}: Ready after it registered, before the start time`);
        assert.ok(born >= start - CONTROL_PLANE_BOOT_MS);
        assert.ok(!taintsOf(pg, name).some((t: string) => t.startsWith('node.kubernetes.io/not-ready')), `${name}: the not-ready taints are gone`);
        // The kubelet's NodeReady comes with the transition, not at registration; kindnet's container started first.
        const events = nodeEvents(pg, name);
        assert.deepStrictEqual(events.filter((e) => e.reason === 'NodeReady').map((e) => [e.from, e.at]), [['kubelet', since]], name);
        const kindnet = kindnetOn(pg, name);
        assert.ok(Date.parse(kindnet!.status.containerStatuses[0].state.running.startedAt) <= since, `${name}: kindnet ran before Ready`);
      }
      // CoreDNS found Ready nodes before the hand-over.
      assert.ok(pg.api.list(R.pods, 'kube-system').items.filter((p: any) => p.metadata.name.startsWith('coredns-')).every((p: any) => p.spec.nodeName));
    } finally {
      pg.close();
    }
  });

  it('an added node is NotReady with the runtime network error and tainted not-ready until kindnet runs there, then Ready with NodeReady', () => {
    const pg = newTestPlayground({ nodes: 2 });
    try {
      const added = pg.addNode();
      const t0 = pg.clock.now();
      assert.strictEqual(added.metadata.name, 'kubeplay-worker3');
      // TaintNodesByCondition: the node is created with the NoSchedule taint; the node controller adds NoExecute.
      assert.deepStrictEqual(added.spec.taints, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
      const ready = readyOf(pg, 'kubeplay-worker3');
      assert.deepStrictEqual([ready.status, ready.reason, ready.message], ['False', 'KubeletNotReady', MESSAGE]);
      assert.deepStrictEqual(taintsOf(pg, 'kubeplay-worker3'), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
      // What the kubelet said at registration: no NodeReady (ReadyCondition records only a change).
      assert.deepStrictEqual(nodeEvents(pg, 'kubeplay-worker3').filter((e) => e.from === 'kubelet').map((e) => e.reason),
        ['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeAllocatableEnforced']);
      // An ordinary pod that can only go there waits, Pending, with the scheduler's taint reason.
      pg.apply(PINNED);
      const pinned = pg.api.get(R.pods, 'default', 'pinned');
      assert.strictEqual(pinned.spec.nodeName, undefined);
      const failed = pg.api.list(R.events, 'default').items.find((e: any) => e.involvedObject.name === 'pinned' && e.reason === 'FailedScheduling');
      assert.strictEqual(failed!.message, "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint(s). "
        + 'no new claims to deallocate, preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
      // kindnet and kube-proxy tolerate every taint: their pods are there already.
      assert.ok(kindnetOn(pg, 'kubeplay-worker3'));
      assert.ok(pg.api.list(R.pods, 'kube-system').items.some((p: any) => p.metadata.name.startsWith('kube-proxy-') && p.spec.nodeName === 'kubeplay-worker3'));
      // kindnet's container starts (its image is on the node, `already present on machine`) and runs while the node
      // stays NotReady: kindnetd's first pass saw no node, its next, 10 s on, writes the CNI config; the kubelet's next
      // fast status update, on its 100 ms grid, posts Ready.
      let readyAt = 0;
      for (let i = 0; i < 2_000 && !readyAt; i++) {
        pg.advance(10);
        if (readyOf(pg, 'kubeplay-worker3').status === 'True') readyAt = pg.clock.now();
        else assert.deepStrictEqual(taintsOf(pg, 'kubeplay-worker3'), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
        if (pg.clock.now() === t0 + 5_000) {
          assert.strictEqual(kindnetOn(pg, 'kubeplay-worker3')!.status.phase, 'Running', 'kindnet runs before the node is Ready');
          assert.strictEqual(pg.api.get(R.pods, 'default', 'pinned').spec.nodeName, undefined, 'the pinned pod still waits');
        }
      }
      // When the kubelet started kindnet's container (its status, to the second, reaches the apiserver at the next relist).
      const kindnetStarted = pg.logHistory().find((l) => l.component === 'kubelet' && /^kubeplay-worker3: kube-system\/kindnet-\w+: Started: /.test(l.message))!.time;
      assert.ok(readyAt > kindnetStarted + KINDNETD_FIRST_WRITE_MS && readyAt <= kindnetStarted + KINDNETD_FIRST_WRITE_MS + 100 && (readyAt - t0) % 100 === 0,
        `Ready at +${readyAt - t0} ms, kindnet at +${kindnetStarted - t0} ms`);
      assert.ok(readyAt - t0 >= 10_000 && readyAt - t0 <= 20_000, `NotReady for ${readyAt - t0} ms`);
      const pulled = pg.api.list(R.events, 'kube-system').items.find((e: any) => e.involvedObject.name === kindnetOn(pg, 'kubeplay-worker3')!.metadata.name && e.reason === 'Pulled');
      assert.match(pulled!.message, /^Container image "docker\.io\/kindest\/kindnetd:[^"]+" already present on machine/);
      const now = readyOf(pg, 'kubeplay-worker3');
      assert.deepStrictEqual([now.status, now.reason, now.message], ['True', 'KubeletReady', 'kubelet is posting ready status']);
      assert.deepStrictEqual(taintsOf(pg, 'kubeplay-worker3'), []);
      assert.deepStrictEqual(nodeEvents(pg, 'kubeplay-worker3').filter((e) => e.reason === 'NodeReady').map((e) => e.from), ['kubelet']);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'pinned').status?.phase === 'Running', 30_000));
      assert.strictEqual(pg.api.get(R.pods, 'default', 'pinned').spec.nodeName, 'kubeplay-worker3');
    } finally {
      pg.close();
    }
  });

  it('a kindnet pod deleted before its write leaves the node NotReady; its replacement writes 10 s after it starts', () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      const added = pg.addNode();
      const name = added.metadata.name!;
      const t0 = pg.clock.now();
      assert.ok(pg.runUntil(() => kindnetOn(pg, name)?.status?.phase === 'Running', 5_000));
      pg.advance(t0 + 5_000 - pg.clock.now());
      const first = kindnetOn(pg, name)!.metadata.name!;
      pg.api.delete(R.pods, 'kube-system', first);
      assert.ok(pg.runUntil(() => { const k = kindnetOn(pg, name); return k?.metadata.name !== first && k?.status?.phase === 'Running'; }, 60_000));
      // Where the first kindnetd would have written its config, the node is still NotReady.
      pg.advance(Math.max(0, t0 + 11_000 - pg.clock.now()));
      assert.strictEqual(readyOf(pg, name).status, 'False');
      assert.ok(pg.runUntil(() => readyOf(pg, name).status === 'True', 30_000));
      const second = kindnetOn(pg, name)!.metadata.name;
      const started = pg.logHistory().filter((l) => l.component === 'kubelet' && l.message.startsWith(`${name}: kube-system/${second}: Started: `)).pop()!.time;
      const posted = pg.logHistory().find((l) => l.component === 'kubelet' && l.message === `${name}: container runtime network ready, posting ready status`)!.time;
      assert.ok(posted > started + KINDNETD_FIRST_WRITE_MS && posted <= started + KINDNETD_FIRST_WRITE_MS + 100, `Ready ${posted - started} ms after the second kindnet started`);
    } finally {
      pg.close();
    }
  });

  it('a node with no kindnet stays NotReady; once kindnet comes back, past the fast updates, Ready waits for the runtime check and the status sync', () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      const ds = pg.api.get(R.daemonsets, 'kube-system', 'kindnet');
      pg.api.delete(R.daemonsets, 'kube-system', 'kindnet');
      pg.advance(5_000);
      const added = pg.addNode();
      const born = Date.parse(added.metadata.creationTimestamp!);
      // A pod bound there by name skips the scheduler: the kubelet will not start it without the pod network.
      pg.apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: bound, namespace: default}\nspec:\n  nodeName: ${added.metadata.name}\n  containers: [{name: c, image: nginx:1.27}]\n`);
      pg.advance(200_000);
      const bound = pg.api.get(R.pods, 'default', 'bound');
      assert.deepStrictEqual([bound.status.phase, bound.status.containerStatuses[0].state.waiting.reason], ['Pending', 'ContainerCreating']);
      const refused = pg.api.list(R.events, 'default').items.filter((e: any) => e.involvedObject.name === 'bound' && e.reason === 'NetworkNotReady');
      assert.deepStrictEqual(refused.map((e: any) => [e.type, e.message]), [['Warning', `network is not ready: ${MESSAGE}`]]);
      assert.ok(refused[0].count > 10, 'tried again at every back-off');
      const still = readyOf(pg, added.metadata.name!);
      assert.deepStrictEqual([still.status, still.message, Date.parse(still.lastTransitionTime)], ['False', MESSAGE, born]);
      assert.deepStrictEqual(taintsOf(pg, added.metadata.name!), ['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
      pg.api.create(R.daemonsets, 'kube-system', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'kindnet', namespace: 'kube-system', labels: ds.metadata.labels }, spec: { selector: ds.spec.selector, template: ds.spec.template } });
      assert.ok(pg.runUntil(() => readyOf(pg, added.metadata.name!).status === 'True', 30_000));
      const started = Date.parse(kindnetOn(pg, added.metadata.name!)!.status.containerStatuses[0].state.running.startedAt);
      const since = Date.parse(readyOf(pg, added.metadata.name!).lastTransitionTime);
      assert.strictEqual((since - born) % 10_000, 0, 'posted by a node status sync');
      // kindnetd writes the config 10 s after it starts (startedAt is to the second); the runtime check and the status
      // sync then take up to 15 s.
      assert.ok(since > started + KINDNETD_FIRST_WRITE_MS && since <= started + 1_000 + KINDNETD_FIRST_WRITE_MS + 15_000, `Ready ${since - started} ms after kindnet started`);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'bound').status?.phase === 'Running', 30_000), 'the pod starts once the kubelet has seen the network');
    } finally {
      pg.close();
    }
  });

  it('after a restart, a node added waits for kindnet as before; in a cluster saved without kindnet it is Ready at once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-cni-'));
    try {
      let pg = newTestPlayground({ stateDir: dir, nodes: 1 });
      pg.close();
      pg = newTestPlayground({ stateDir: dir, nodes: 1 });
      try {
        // The kubelets that restarted adopt their nodes, Ready; a new one waits for its kindnet pod.
        assert.ok(pg.api.list(R.nodes, undefined).items.every((n: any) => n.status.conditions.find((c: any) => c.type === 'Ready').status === 'True'));
        const added = pg.addNode();
        assert.strictEqual(readyOf(pg, added.metadata.name!).message, MESSAGE);
        assert.ok(pg.runUntil(() => readyOf(pg, added.metadata.name!).status === 'True', 30_000));
        pg.api.delete(R.daemonsets, 'kube-system', 'kindnet');
        pg.advance(5_000);
      } finally {
        pg.close();
      }
      pg = newTestPlayground({ stateDir: dir, nodes: 1 });
      try {
        const added = pg.addNode();
        assert.deepStrictEqual([readyOf(pg, added.metadata.name!).status, readyOf(pg, added.metadata.name!).reason], ['True', 'KubeletReady']);
      } finally {
        pg.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a node that fails and recovers is Ready again at once, as before', () => {
    const pg = newTestPlayground({ nodes: 2 });
    try {
      pg.failNode('kubeplay-worker2');
      assert.ok(pg.runUntil(() => readyOf(pg, 'kubeplay-worker2').status === 'Unknown', 120_000));
      pg.recoverNode('kubeplay-worker2');
      const ready = readyOf(pg, 'kubeplay-worker2');
      assert.deepStrictEqual([ready.status, Date.parse(ready.lastTransitionTime)], ['True', pg.clock.now()]);
    } finally {
      pg.close();
    }
  });
});
