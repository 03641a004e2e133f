/**
 * The playground's drain node action, as `kubectl drain --ignore-daemonsets --delete-emptydir-data --force`:
 * it evicts and never deletes, prints and retries every 5 s what a PodDisruptionBudget refuses (429), stops at
 * any other refusal (a pod under two budgets: 500), and says what kubectl says (drain.go evictPods, cmd/drain).
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import type { KubePlayground } from '../../../../cluster/src/playground';

const PDBS = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";

const pod = (name: string, nodeName: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'db' } },
  spec: { nodeName, containers: [{ name: 'c', image: 'nginx' }] },
}) as KObject;
const budget = (name: string, minAvailable: number) => ({
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace: 'default' }, spec: { minAvailable, selector: { matchLabels: { app: 'db' } } },
}) as KObject;

/**
 * A playground with a node of its own for the test's pods (the first workers run coredns and the like), and the
 * kubectl lines it logs.
 */
function setup(): { pg: KubePlayground; node: string; lines: string[] } {
  const pg = newTestPlayground();
  const node = pg.addNode().metadata.name!;
  // Its kube-proxy and kindnet pods come from their DaemonSets; it turns Ready once kindnet has written its CNI
  // config (a pod still Pending there would be evicted whatever its budgets say).
  pg.advance(5_000);
  assert.ok(pg.runUntil(() => pg.api.get(NODES, undefined, node).status.conditions.find((c: any) => c.type === 'Ready').status === 'True', 30_000));
  const lines: string[] = [];
  pg.onLog((l) => {
    if (l.component === 'kubectl') lines.push(l.message);
  });
  return { pg, node, lines };
}
const exists = (pg: KubePlayground, name: string) => {
  try {
    return !pg.api.get(R.pods, 'default', name).metadata.deletionTimestamp;
  } catch {
    return false;
  }
};

describe('playground: drain node, as kubectl drain', () => {
  it('retries an eviction a budget refuses every 5 s, printing kubectl\'s line, and drains once the budget allows', () => {
    const { pg, node, lines } = setup();
    try {
      pg.api.create(R.pods, 'default', pod('db-0', node));
      pg.api.create(PDBS, 'default', budget('db', 1));
      pg.runUntil(() => pg.api.get(PDBS, 'default', 'db').status?.currentHealthy === 1, 60_000);
      lines.length = 0;
      pg.drain(node);
      assert.strictEqual(pg.api.get(NODES, undefined, node).spec.unschedulable, true);
      assert.strictEqual(lines[0], `node/${node} cordoned`);
      // PodDeleteList.Warnings: one line, a message per filter with its pods (kube-proxy's and kindnet's; the bare pod).
      assert.match(lines[1], /^Warning: /);
      assert.deepStrictEqual(lines[1].slice('Warning: '.length).split('; ').map((w) => w.replace(/kube-system\/[a-z-]+-[a-z0-9]{5}/g, 'kube-system/*')).sort(),
        ['deleting Pods that declare no controller: default/db-0', 'ignoring DaemonSet-managed Pods: kube-system/*, kube-system/*']);
      const refusal = ['evicting pod default/db-0', `error when evicting pods/"db-0" -n "default" (will retry after 5s): ${REFUSED}`];
      assert.deepStrictEqual(lines.slice(2), refusal);
      lines.length = 0;
      pg.advance(4_900);
      assert.strictEqual(lines.length, 0, 'nothing before the 5 s are up');
      pg.advance(100);
      assert.deepStrictEqual(lines, refusal);
      assert.ok(exists(pg, 'db-0'), 'a refused eviction deletes nothing');
      // The budget lets go: the next try evicts, kubectl waits for the pod to be gone, then the node is drained.
      pg.api.patch(PDBS, 'default', 'db', 'merge', { spec: { minAvailable: 0 } });
      lines.length = 0;
      pg.runUntil(() => lines.includes(`node/${node} drained`), 120_000);
      assert.deepStrictEqual(lines.filter((l) => !l.startsWith('error when')), ['evicting pod default/db-0', 'pod/db-0 evicted', `node/${node} drained`]);
      assert.throws(() => pg.api.get(R.pods, 'default', 'db-0'), /not found/);
      lines.length = 0;
      pg.advance(30_000);
      assert.strictEqual(lines.length, 0, 'no retries once drained');
    } finally {
      pg.close();
    }
  });

  it('does not delete a pod two budgets cover (500): that pod fails the drain, with kubectl\'s closing lines', () => {
    const { pg, node, lines } = setup();
    try {
      pg.api.create(R.pods, 'default', pod('db-0', node));
      pg.api.create(PDBS, 'default', budget('db', 0));
      pg.api.create(PDBS, 'default', budget('db-again', 0));
      pg.advance(5_000);
      lines.length = 0;
      pg.drain(node);
      pg.advance(30_000);
      assert.ok(exists(pg, 'db-0'), 'the pod stays');
      const err = 'error when evicting pods/"db-0" -n "default": This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
      assert.deepStrictEqual(lines.slice(2), [
        'evicting pod default/db-0',
        `There are pending pods in node "${node}" when an error occurred: ${err}`,
        'pod/db-0',
        `error: unable to drain node "${node}" due to error: ${err}, continuing command...`,
        'There are pending nodes to be drained:',
        ` ${node}`,
        err,
      ]);
    } finally {
      pg.close();
    }
  });

  it('an uncordon stops the retries, and a cordoned node is said to be already cordoned', () => {
    const { pg, node, lines } = setup();
    try {
      pg.api.create(R.pods, 'default', pod('db-0', node));
      pg.api.create(PDBS, 'default', budget('db', 1));
      pg.runUntil(() => pg.api.get(PDBS, 'default', 'db').status?.currentHealthy === 1, 60_000);
      pg.cordon(node);
      lines.length = 0;
      pg.drain(node);
      assert.strictEqual(lines[0], `node/${node} already cordoned`);
      lines.length = 0;
      pg.uncordon(node);
      pg.advance(20_000);
      assert.deepStrictEqual(lines, [`node/${node} uncordoned`]);
      assert.ok(exists(pg, 'db-0'));
    } finally {
      pg.close();
    }
  });
});
