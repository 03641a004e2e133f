/** The node-side parts inside the real playground (core store + apiserver + every controller). */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';

const DEPLOY = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`;

describe('node-side components in the playground', () => {
  it('runs a Deployment behind a Service: scheduled, started, resolvable and routable', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(DEPLOY);
      assert.ok(pg.runUntil(() => pg.api.list(R.pods, 'default').items.filter((p) => p.status?.phase === 'Running').length === 3, 60_000));
      const pods = pg.api.list(R.pods, 'default').items;
      assert.strictEqual(new Set(pods.map((p) => p.spec.nodeName)).size, 3);
      for (const p of pods) {
        assert.match(p.status.podIP, /^10\.244\.\d+\.\d+$/);
        assert.strictEqual(p.status.conditions.find((c: any) => c.type === 'Ready').status, 'True');
      }
      const svc = pg.api.get(R.services, 'default', 'web');
      assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|10\d|11[01])\./);
      pg.advance(2000);
      assert.deepStrictEqual(pg.resolve('web.default.svc.cluster.local'), [svc.spec.clusterIP]);
      const r = pg.route(svc.spec.clusterIP, 80);
      assert.ok(r && r.port === 80 && pods.some((p) => p.metadata.name === r.podName));
      assert.ok(pg.logs('default', pods[0].metadata.name!).length > 0);
      const k8s = pg.api.get(R.services, 'default', 'kubernetes');
      assert.strictEqual(k8s.spec.clusterIP, '10.96.0.1');
    } finally {
      pg.close();
    }
  });

  it('fails a node, evicts after the toleration, and recreates the pods elsewhere', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(DEPLOY);
      pg.runUntil(() => pg.api.list(R.pods, 'default').items.filter((p) => p.status?.phase === 'Running').length === 3, 60_000);
      const victim = pg.api.list(R.pods, 'default').items[0];
      const node = victim.spec.nodeName;
      pg.failNode(node);
      pg.advance(60_000);
      const n = pg.api.get(R.nodes, undefined, node);
      assert.strictEqual(n.status.conditions.find((c: any) => c.type === 'Ready').status, 'Unknown');
      assert.ok(pg.runUntil(() => {
        const live = pg.api.list(R.pods, 'default').items.filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === 'Running');
        return live.length === 3 && live.every((p) => p.spec.nodeName !== node);
      }, 400_000), 'replacements Running on other nodes');
    } finally {
      pg.close();
    }
  });
});
