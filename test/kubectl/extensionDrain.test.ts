/**
 * The extension's "Drain node" (client/src/model/drain.ts) against a served playground, through the extension's
 * own Connection: kubectl drain's lines, a PodDisruptionBudget's refusal retried until the user cancels, and a
 * drain that evicts every pod but the DaemonSets'.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { Connection } from '../../client/src/kube/api';
import { ClusterStore } from '../../client/src/model/store';
import { drainNode } from '../../client/src/model/drain';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the extension\'s Drain node against the playground', function () {
  this.timeout(90_000);
  let srv: RunningServer;
  let dir: string;
  let conn: Connection;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-drain-'));
    srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 1, speed: 40, seed: 5 });
    conn = await Connection.open({ file: srv.kubeconfigPath }, new ClusterStore(), () => undefined, () => undefined);
    await conn.request('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
    });
    await conn.request('POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { maxUnavailable: 0, selector: { matchLabels: { app: 'web' } } },
    });
    for (let i = 0; i < 200; i++) {
      const pods = await conn.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
      const pdb = await conn.request('GET', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web');
      if (pods.items.filter((p: any) => p.status?.phase === 'Running').length === 2 && pdb.status?.observedGeneration) break;
      await sleep(100);
    }
  });
  after(async () => {
    conn?.stop();
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cordons, retries evictions a budget refuses with kubectl\'s line, and stops when the user cancels', async () => {
    const lines: string[] = [];
    let retries = 0;
    const r = await drainNode(conn, 'kubeplay-worker', {
      retryMs: 50,
      report: (l) => { lines.push(l); if (/will retry after 5s/.test(l)) retries++; },
      cancelled: () => retries >= 4,
    });
    assert.equal(r.cancelled, true);
    // The add-ons on the node (metrics-server, the local-path provisioner) have no budget: they go.
    assert.deepEqual(r.evicted.filter((p) => p.startsWith('default/')), []);
    assert.equal(lines[0], 'node/kubeplay-worker cordoned');
    assert.match(lines[1], /^Warning: ignoring DaemonSet-managed Pods: kube-system\/kindnet-\w+, kube-system\/kube-proxy-\w+$/);
    assert.ok(lines.some((l) => /^error when evicting pods\/"web-[\w-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/.test(l)), lines.join('\n'));
    assert.ok(!lines.includes('node/kubeplay-worker drained'));
    const node = await conn.request('GET', '/api/v1/nodes/kubeplay-worker');
    assert.equal(node.spec.unschedulable, true);
    const pods = await conn.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
    assert.equal(pods.items.length, 2, 'nothing was deleted');
  });

  it('with the budget gone, evicts every pod but the DaemonSets\' and waits until they are gone', async () => {
    await conn.request('DELETE', '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web');
    const before = await conn.request('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb');
    const lines: string[] = [];
    const r = await drainNode(conn, 'kubeplay-worker', { pollMs: 100, report: (l) => lines.push(l) });
    assert.equal(r.cancelled, false);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.evicted.sort(), before.items.map((p: any) => `default/${p.metadata.name}`).sort());
    assert.equal(lines[0], 'node/kubeplay-worker already cordoned');
    for (const p of before.items) {
      assert.ok(lines.includes(`evicting pod default/${p.metadata.name}`));
      assert.ok(lines.includes(`pod/${p.metadata.name} evicted`));
    }
    assert.equal(lines[lines.length - 1], 'node/kubeplay-worker drained');
    for (const p of before.items) await assert.rejects(conn.request('GET', `/api/v1/namespaces/default/pods/${p.metadata.name}`), /not found/);
  });
});
