/**
 * The official JavaScript client against the playground: list, watch,
 * create, patch (merge and strategic) and delete. The 1.x line of
 * @kubernetes/client-node is used (aliased as kubernetes-client-node-v1)
 * because 2.x needs Node 22's zlib and worker APIs, and this runs on Node 20.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';

type K8s = typeof import('kubernetes-client-node-v1', { with: { 'resolution-mode': 'import' } });

async function until<T>(fn: () => T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('@kubernetes/client-node against the playground', function () {
  this.timeout(60_000);
  let srv: RunningServer;
  let dir: string;
  let k: K8s;
  let kc: InstanceType<K8s['KubeConfig']>;

  before(async () => {
    k = await import('kubernetes-client-node-v1');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-client-node-'));
    srv = await startServer({ stateDir: dir, nodes: 2, speed: 40, seed: 3 });
    kc = new k.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists nodes and namespaces', async () => {
    const core = kc.makeApiClient(k.CoreV1Api);
    const nodes = await core.listNode();
    assert.equal(nodes.items.length, 3, 'two workers and the control-plane node');
    const namespaces = await core.listNamespace();
    assert.ok(namespaces.items.some((n) => n.metadata?.name === 'default'));
  });

  it('watches a namespace while creating, patching and deleting a ConfigMap', async () => {
    const core = kc.makeApiClient(k.CoreV1Api);
    const seen: { type: string; name: string; data?: Record<string, string> }[] = [];
    let ended: unknown = 'open';
    const watch = new k.Watch(kc);
    const ctl = await watch.watch('/api/v1/namespaces/default/configmaps', { fieldSelector: 'metadata.name=settings' },
      (type, obj) => seen.push({ type, name: obj.metadata.name, data: obj.data }), (err) => (ended = err));
    try {
      const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'settings' }, data: { mode: 'a' } } });
      assert.equal(created.metadata?.namespace, 'default');
      await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: { data: { mode: 'b' } } },
        k.setHeaderOptions('Content-Type', k.PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'settings', namespace: 'default' });
      await until(() => (seen.length >= 3 ? true : undefined), 10_000);
      assert.deepEqual(seen.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      assert.deepEqual(seen[1].data, { mode: 'b' });
      assert.equal(ended, 'open', 'the watch stays open');
    } finally {
      ctl.abort();
    }
  });

  it('creates a Deployment, patches it strategically and sees the controllers act', async () => {
    const apps = kc.makeApiClient(k.AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'hello' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'hello' } },
          template: { metadata: { labels: { app: 'hello' } }, spec: { containers: [{ name: 'hello', image: 'nginx:1.25' }] } },
        },
      },
    });
    await apps.patchNamespacedDeployment({ name: 'hello', namespace: 'default', body: { spec: { replicas: 2 } } },
      k.setHeaderOptions('Content-Type', k.PatchStrategy.StrategicMergePatch));
    const ready = await (async () => {
      const end = Date.now() + 20_000;
      for (;;) {
        const d = await apps.readNamespacedDeployment({ name: 'hello', namespace: 'default' });
        if (d.status?.readyReplicas === 2) return d;
        if (Date.now() > end) throw new Error(`not ready: ${JSON.stringify(d.status)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    assert.equal(ready.spec?.replicas, 2);
    const core = kc.makeApiClient(k.CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=hello' });
    assert.equal(pods.items.length, 2);
    await apps.deleteNamespacedDeployment({ name: 'hello', namespace: 'default' });
    await assert.rejects(apps.readNamespacedDeployment({ name: 'hello', namespace: 'default' }), (err: any) => err.code === 404);
  });
});
