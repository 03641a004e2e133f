import * as assert from 'assert';
import { scheduleSimple } from '../../../../cluster/src/scheduler/fastpath';
import { preFilter, runFilters } from '../../../../cluster/src/scheduler/filters';
import { NodeInfo, podEntry, type PodEntry } from '../../../../cluster/src/scheduler/nodeinfo';
import { NodeTable } from '../../../../cluster/src/scheduler/nodetable';
import { pickNode } from '../../../../cluster/src/scheduler/score';
import { SeededRand } from '../../../../cluster/src/runtime/rand';

function nodes(n: number, rand: SeededRand, taintEvery = 0): NodeInfo[] {
  const out: NodeInfo[] = [];
  for (let i = 0; i < n; i++) {
    // Some nodes tainted as kind's control plane is: pods without a toleration are filtered off them.
    const spec = taintEvery && i % taintEvery === 0 ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } : {};
    const ni = new NodeInfo({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: {} }, spec, status: { allocatable: { cpu: String(2 + Math.floor(rand.next() * 6)), memory: `${4 + Math.floor(rand.next() * 12)}Gi`, pods: '110' } } });
    out.push(ni);
  }
  return out;
}
function pod(i: number, rand: SeededRand, owned = true, group?: number): any {
  const owner = `rs${group ?? Math.floor(rand.next() * 3)}`;
  return {
    metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, ...(owned ? { ownerReferences: [{ uid: owner, controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: `${100 + Math.floor(rand.next() * 400)}m`, memory: `${64 + Math.floor(rand.next() * 512)}Mi` } } }] },
  };
}

describe('scheduler fast path', () => {
  // 12 nodes and a window of all of them: soon every node of the window holds pods of each group. 2,000 nodes: a
  // window spans whole blocks of the NodeTable, read from their summaries.
  for (const [owned, taintEvery, count, want] of [[true, 0, 300, 100], [false, 0, 300, 100], [true, 7, 300, 100], [false, 7, 300, 100], [true, 0, 12, 12], [true, 5, 12, 12],
    [true, 0, 2000, 500], [false, 0, 2000, 500], [true, 300, 2000, 500], [true, 0, 200, 200]] as const) it(`picks exactly the node the general filter + score path picks (${owned ? 'with' : 'without'} a spread group${taintEvery ? ', some nodes tainted' : ''}, ${want} of ${count} nodes)`, () => {
    const setup = new SeededRand(3);
    const a = nodes(count, setup, taintEvery), b = nodes(count, new SeededRand(3), taintEvery);
    const table = new NodeTable();
    table.reset(a);
    const ra = new SeededRand(9), rb = new SeededRand(9), podsA = new SeededRand(5), podsB = new SeededRand(5);
    let startA = 0, startB = 0, compared = 0;
    for (let i = 0; i < 400; i++) {
      const pa = pod(i, podsA, owned), pb = pod(i, podsB, owned);
      const ea = podEntry(`default/p${i}`, pa, ''), eb = podEntry(`default/p${i}`, pb, '');
      const fast = scheduleSimple(preFilter(pa, ea, a, []), table, startA, want, () => ra.next());
      // General path over the same window.
      const cb = preFilter(pb, eb, b, []);
      const feasible: NodeInfo[] = [];
      let idx = startB, k = 0;
      for (; k < b.length && feasible.length < want; k++) { const ni = b[idx]; idx = (idx + 1) % b.length; if (!runFilters(cb, ni)) feasible.push(ni); }
      if (!fast) break; // a full node sends the fast path back; stop comparing there
      const chosen = feasible[pickNode(cb, feasible, () => rb.next())];
      assert.strictEqual(fast.node.name, chosen.name, `pod ${i}`);
      assert.strictEqual(fast.next, idx);
      startA = fast.next; startB = idx;
      ea.node = fast.node.name; fast.node.add(ea);
      eb.node = chosen.name; chosen.add(eb);
      compared++;
    }
    assert.ok(compared > Math.min(100, count * 5), `compared ${compared} decisions`);
  });

  it('picks exactly the node the general path picks while pods of the spread groups also leave their nodes', () => {
    const a = nodes(300, new SeededRand(4)), b = nodes(300, new SeededRand(4));
    const table = new NodeTable();
    table.reset(a);
    const ra = new SeededRand(9), rb = new SeededRand(9), podsA = new SeededRand(6), podsB = new SeededRand(6), leave = new SeededRand(7);
    const placed: Array<{ key: string; a: NodeInfo; b: NodeInfo }> = [];
    let startA = 0, startB = 0, compared = 0;
    for (let i = 0; i < 600; i++) {
      // Every third pod, one placed before leaves its node on both sides (the group's count there drops, maybe to 0).
      if (i % 3 === 2 && placed.length) {
        const [gone] = placed.splice(Math.floor(leave.next() * placed.length), 1);
        gone.a.remove(gone.key);
        gone.b.remove(gone.key);
      }
      // The groups' pods come in runs, as a ReplicaSet's do: the group counted stays the same from pod to pod.
      const pa = pod(i, podsA, true, Math.floor(i / 10) % 3), pb = pod(i, podsB, true, Math.floor(i / 10) % 3);
      const ea = podEntry(`default/p${i}`, pa, ''), eb = podEntry(`default/p${i}`, pb, '');
      const fast = scheduleSimple(preFilter(pa, ea, a, []), table, startA, 100, () => ra.next());
      const cb = preFilter(pb, eb, b, []);
      const feasible: NodeInfo[] = [];
      let idx = startB, k = 0;
      for (; k < b.length && feasible.length < 100; k++) { const ni = b[idx]; idx = (idx + 1) % b.length; if (!runFilters(cb, ni)) feasible.push(ni); }
      if (!fast) break;
      const chosen = feasible[pickNode(cb, feasible, () => rb.next())];
      assert.strictEqual(fast.node.name, chosen.name, `pod ${i}`);
      startA = fast.next; startB = idx;
      // Assumed as the scheduler does (absent: the pod is on no node yet).
      ea.node = fast.node.name; fast.node.add(ea, true);
      eb.node = chosen.name; chosen.add(eb, true);
      placed.push({ key: ea.key, a: fast.node, b: chosen });
      compared++;
    }
    assert.ok(compared > 300, `compared ${compared} decisions`);
  });

  it("keeps the table's list of the counted group's slots equal to the slots whose count is not 0", () => {
    const a = nodes(40, new SeededRand(2));
    const table = new NodeTable();
    table.reset(a);
    const rand = new SeededRand(8);
    const placed: PodEntry[] = [];
    for (let i = 0; i < 2000; i++) {
      const group = Math.floor(i / 25) % 4;
      table.countFor(`rs${group}`);
      if (placed.length && rand.next() < 0.45) {
        const [gone] = placed.splice(Math.floor(rand.next() * placed.length), 1);
        a.find((n) => n.name === gone.node)!.remove(gone.key);
      } else {
        const e = podEntry(`default/p${i}`, pod(i, rand, true, group), '');
        const ni = a[Math.floor(rand.next() * a.length)];
        e.node = ni.name;
        ni.add(e, true);
        placed.push(e);
      }
      const want = [...table.counts.subarray(0, a.length).keys()].filter((s) => table.counts[s] !== 0);
      assert.deepStrictEqual([...table.countedSlots].sort((x, y) => x - y), want, `step ${i}`);
    }
  });
});
