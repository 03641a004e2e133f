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
      // Names resolve once a CoreDNS pod behind kube-system/kube-dns is ready, as on a fresh kubeadm cluster.
      assert.ok(pg.runUntil(() => pg.dnsServing(), 60_000), 'cluster DNS ready');
      pg.advance(2000);
      assert.deepStrictEqual(pg.resolve('web.default.svc.cluster.local'), [svc.spec.clusterIP]);
      const r = pg.route(svc.spec.clusterIP, 80);
      assert.ok(r && r.port === 80 && pods.some((p) => p.metadata.name === r.podName));
      assert.ok(pg.logs('default', pods[0].metadata.name!).length > 0);
      const k8s = pg.api.get(R.services, 'default', 'kubernetes');
      assert.strictEqual(k8s.spec.clusterIP, '10.96.0.1');
      assert.deepStrictEqual(pg.resolve('kubernetes.default'), ['10.96.0.1']);
      assert.strictEqual(pg.api.get(R.storageclasses, undefined, 'standard').volumeBindingMode, 'WaitForFirstConsumer');
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

  it('gives a claim without a class the default StorageClass and provisions it for its pod', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: default}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: default}
spec:
  containers: [{name: db, image: redis:7}]
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
`);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'db').status?.phase === 'Running', 60_000));
      const pvc = pg.api.get(R.pvcs, 'default', 'data');
      assert.strictEqual(pvc.spec.storageClassName, 'standard');
      assert.strictEqual(pvc.status.phase, 'Bound');
      assert.deepStrictEqual(pvc.metadata.finalizers, ['kubernetes.io/pvc-protection']);
      const pv = pg.api.get(R.pvs, undefined, pvc.spec.volumeName);
      assert.strictEqual(pv.metadata.name, `pvc-${pvc.metadata.uid}`);
      assert.strictEqual(pv.status.phase, 'Bound');
      pg.api.delete(R.pods, 'default', 'db');
      pg.api.delete(R.pvcs, 'default', 'data');
      assert.ok(pg.runUntil(() => pg.api.list(R.pvs, undefined).items.length === 0 && pg.api.list(R.pvcs, 'default').items.length === 0, 120_000), 'claim and volume gone');
    } finally {
      pg.close();
    }
  });
});
