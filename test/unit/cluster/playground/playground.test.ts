import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import { CONTROL_PLANE_BOOT_MS, KUBEADM_INIT_MS, type KubePlayground } from '../../../../cluster/src/playground';
import { parseManifest } from '../../../../cluster/src/playground/manifest';

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
`;

function allPodsRunning(pg: KubePlayground, n: number): boolean {
  const pods = pg.api.list(R.pods, 'default', { labelSelector: 'app=web' }).items;
  return pods.length === n && pods.every((p) => p.status?.phase === 'Running');
}

/** What a run produced that must repeat exactly: names, nodes, event reasons and times. */
function fingerprint(pg: KubePlayground): string {
  const pods = pg.api.list(R.pods, 'default').items.map((p) => `${p.metadata.name}@${p.spec.nodeName}:${p.status.phase}:${p.metadata.uid}`);
  const events = pg.api.list(R.events, undefined).items.map((e) => `${e.metadata.name} ${e.reason} ${e.lastTimestamp} ${e.count}`);
  return JSON.stringify({ pods, events, time: pg.clock.now(), rev: pg.store.rev });
}

describe('playground', () => {
  it('starts with the system namespaces, the kubernetes Service at 10.96.0.1, and Ready nodes', () => {
    const pg = newTestPlayground({ nodes: 2 });
    try {
      const names = pg.api.list(R.namespaces, undefined).items.map((n) => n.metadata.name).sort();
      assert.deepStrictEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'], 'kind also makes local-path-storage');
      const svc = pg.api.get(R.services, 'default', 'kubernetes');
      assert.strictEqual(svc.spec.clusterIP, '10.96.0.1');
      // Two workers and kind's control-plane node, tainted so that user pods go to the workers.
      assert.strictEqual(pg.stats().nodes.total, 3);
      assert.strictEqual(pg.stats().nodes.ready, 3);
      const cp = pg.api.get(R.nodes, undefined, 'kubeplay-control-plane');
      assert.deepStrictEqual(cp.spec.taints, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
      assert.strictEqual(cp.metadata.labels?.['node-role.kubernetes.io/control-plane'], '');
      assert.strictEqual(cp.status.addresses[0].address, '172.18.0.2');
      // kubeadm's static pods, mirrored: owned by the Node, their events about the static pod (uid = config hash).
      pg.advance(30_000);
      const mirror = pg.api.get(R.pods, 'kube-system', 'kube-scheduler-kubeplay-control-plane');
      const hash = mirror.metadata.annotations!['kubernetes.io/config.mirror'];
      assert.match(hash, /^[0-9a-f]{32}$/);
      assert.deepStrictEqual(mirror.metadata.ownerReferences!.map((o: any) => [o.kind, o.name, o.controller]), [['Node', 'kubeplay-control-plane', true]]);
      assert.strictEqual(mirror.status.phase, 'Running');
      const started = pg.api.list(R.events, 'kube-system').items.find((e: any) => e.reason === 'Started' && e.involvedObject.name === mirror.metadata.name);
      assert.strictEqual(started?.involvedObject.uid, hash);
      // Deleting the mirror deletes the mirror only: a new one comes at once, and the static pod runs on.
      const before = mirror.status.containerStatuses[0].state.running.startedAt;
      pg.api.delete(R.pods, 'kube-system', mirror.metadata.name!);
      pg.advance(2_000);
      const again = pg.api.get(R.pods, 'kube-system', 'kube-scheduler-kubeplay-control-plane');
      assert.notStrictEqual(again.metadata.uid, mirror.metadata.uid);
      assert.strictEqual(again.status.containerStatuses[0].state.running.startedAt, before);
      assert.deepStrictEqual(pg.api.list(R.pods, 'kube-system').items.filter((p: any) => p.metadata.name.startsWith('kube-proxy-')).length, 3);
    } finally {
      pg.close();
    }
  });

  it("hands over a control plane that is up, as kind create cluster does: the static pods Running and Ready, older than the workers", () => {
    const start = Date.parse('2026-03-01T12:00:00Z');
    const pg = newTestPlayground({ nodes: 2, startTime: start });
    try {
      // Nothing advanced: this is what `kubectl get pods -A` shows first.
      assert.strictEqual(pg.clock.now(), start);
      const cp = pg.api.get(R.nodes, undefined, 'kubeplay-control-plane');
      const cpBorn = Date.parse(cp.metadata.creationTimestamp!);
      assert.strictEqual(cpBorn, start - CONTROL_PLANE_BOOT_MS, 'kubeadm init ran before the playground was handed over');
      // kind joins the workers after kubeadm init and its CNI and storage installs, in time for them to be Ready.
      const joined = start - CONTROL_PLANE_BOOT_MS + KUBEADM_INIT_MS;
      for (const w of ['kubeplay-worker', 'kubeplay-worker2']) {
        assert.strictEqual(Date.parse(pg.api.get(R.nodes, undefined, w).metadata.creationTimestamp!), joined, 'the workers join after init');
      }
      for (const c of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler']) {
        const pod = pg.api.get(R.pods, 'kube-system', `${c}-kubeplay-control-plane`);
        assert.strictEqual(pod.status.phase, 'Running', c);
        const ready = pod.status.conditions.find((x: any) => x.type === 'Ready');
        assert.strictEqual(ready.status, 'True', `${c} Ready`);
        assert.ok(Date.parse(ready.lastTransitionTime) < start, `${c} turned Ready before the hand-over`);
        assert.deepStrictEqual(pod.status.containerStatuses.map((s: any) => [s.ready, s.started]), [[true, true]], c);
        // The node is never younger than its pods; the pods' start-up is in the past.
        assert.ok(Date.parse(pod.metadata.creationTimestamp!) >= cpBorn, `${c} no older than its node`);
        assert.ok(Date.parse(pod.status.containerStatuses[0].state.running.startedAt) < start, `${c} started before the hand-over`);
        const started = pg.api.list(R.events, 'kube-system').items.find((e: any) => e.reason === 'Started' && e.involvedObject.name === pod.metadata.name);
        assert.ok(started && Date.parse(started.lastTimestamp) < start, `${c}: its Started event is in the past`);
      }
      // The add-ons come after init: kube-proxy and CoreDNS pods are younger than the control plane.
      const proxy = pg.api.list(R.pods, 'kube-system').items.find((p: any) => p.metadata.name.startsWith('kube-proxy-'));
      assert.strictEqual(Date.parse(proxy!.metadata.creationTimestamp!), joined);
    } finally {
      pg.close();
    }
  });

  it("boots with kind's CNI: a kindnet pod on every node, Guaranteed, its image already on the node, counted in the node's requests", () => {
    const pg = newTestPlayground({ nodes: 2 });
    try {
      const ds = pg.api.get(R.daemonsets, 'kube-system', 'kindnet');
      assert.deepStrictEqual(ds.metadata.labels, { tier: 'node', app: 'kindnet', 'k8s-app': 'kindnet' });
      assert.deepStrictEqual(ds.spec.selector, { matchLabels: { app: 'kindnet' } });
      const spec = ds.spec.template.spec;
      assert.strictEqual(spec.hostNetwork, true);
      assert.deepStrictEqual(spec.tolerations, [{ operator: 'Exists' }]);
      assert.strictEqual(spec.serviceAccountName, 'kindnet');
      const c = spec.containers[0];
      assert.strictEqual(c.name, 'kindnet-cni');
      assert.strictEqual(c.image, 'docker.io/kindest/kindnetd:v20250512-df8de77b');
      assert.deepStrictEqual(c.resources, { limits: { cpu: '100m', memory: '50Mi' }, requests: { cpu: '100m', memory: '50Mi' } });
      assert.deepStrictEqual(c.env.map((e: any) => e.name), ['HOST_IP', 'POD_IP', 'POD_SUBNET', 'CONTROL_PLANE_ENDPOINT']);
      assert.strictEqual(c.env[3].value, 'kubeplay-control-plane:6443');
      assert.ok(pg.api.get({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'kube-system', 'kindnet'));
      assert.deepStrictEqual(pg.api.get({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' }, undefined, 'kindnet').roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kindnet' });
      assert.ok(pg.runUntil(() => pg.api.list(R.pods, 'kube-system').items.filter((p: any) => p.metadata.name.startsWith('kindnet-') && p.status?.phase === 'Running').length === 3, 60_000));
      const pods = pg.api.list(R.pods, 'kube-system').items.filter((p: any) => p.metadata.name.startsWith('kindnet-'));
      assert.deepStrictEqual(pods.map((p: any) => p.spec.nodeName).sort(), ['kubeplay-control-plane', 'kubeplay-worker', 'kubeplay-worker2']);
      for (const p of pods) {
        assert.match(p.metadata.name!, /^kindnet-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.strictEqual(p.status.qosClass, 'Guaranteed');
        assert.strictEqual(p.status.podIP, p.status.hostIP, 'hostNetwork: the node address');
        const pulled = pg.api.list(R.events, 'kube-system').items.find((e: any) => e.reason === 'Pulled' && e.involvedObject.name === p.metadata.name);
        assert.strictEqual(pulled?.message, 'Container image "docker.io/kindest/kindnetd:v20250512-df8de77b" already present on machine');
      }
      // The control plane's 4 CPUs hold kubeadm's static pods (650m) and kindnet (100m): 3350m no longer fits there.
      pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'big' }, spec: {
        nodeSelector: { 'kubernetes.io/hostname': 'kubeplay-control-plane' }, tolerations: [{ operator: 'Exists' }],
        containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '3350m' } } }] } } as any);
      pg.advance(5_000);
      const big = pg.api.get(R.pods, 'default', 'big');
      assert.match(big.status.conditions[0].message, /^0\/3 nodes are available: 1 Insufficient cpu, 2 node\(s\) didn't match Pod's node affinity\/selector\./);
    } finally {
      pg.close();
    }
  });

  it('boots with CoreDNS as kubeadm installs it: the coredns Deployment and the kube-dns Service at 10.96.0.10', () => {
    const pg = newTestPlayground();
    try {
      const start = pg.clock.now();
      const svc = pg.api.get(R.services, 'kube-system', 'kube-dns');
      assert.strictEqual(svc.spec.clusterIP, '10.96.0.10');
      assert.deepStrictEqual(svc.metadata.labels, { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' });
      assert.deepStrictEqual(svc.spec.ports.map((p: any) => `${p.name} ${p.port}/${p.protocol}`), ['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
      assert.deepStrictEqual(svc.spec.selector, { 'k8s-app': 'kube-dns' });
      const d = pg.api.get(R.deployments, 'kube-system', 'coredns');
      assert.strictEqual(d.spec.replicas, 2);
      assert.strictEqual(d.spec.strategy.rollingUpdate.maxUnavailable, 1);
      assert.strictEqual(d.spec.strategy.rollingUpdate.maxSurge, '25%', 'defaulted by the apiserver');
      const spec = d.spec.template.spec;
      assert.strictEqual(spec.priorityClassName, 'system-cluster-critical');
      assert.strictEqual(spec.dnsPolicy, 'Default');
      const c = spec.containers[0];
      assert.strictEqual(c.image, 'registry.k8s.io/coredns/coredns:v1.12.1');
      assert.deepStrictEqual(c.resources, { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } });
      assert.deepStrictEqual(c.readinessProbe.httpGet, { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' });
      assert.strictEqual(c.livenessProbe.httpGet.path, '/health');
      assert.ok(spec.tolerations.some((t: any) => t.key === 'node-role.kubernetes.io/control-plane' && t.effect === 'NoSchedule'));
      assert.strictEqual(pg.api.get(R.priorityclasses, undefined, 'system-cluster-critical').value, 2000000000);
      // kubeadm init installed CoreDNS before kind joined the workers: by the hand-over its pods are ready and names resolve.
      assert.strictEqual(pg.dnsServing(), true);
      assert.deepStrictEqual(pg.resolve('kubernetes.default'), ['10.96.0.1']);
      assert.ok(pg.runUntil(() => pg.api.get(R.deployments, 'kube-system', 'coredns').status?.readyReplicas === 2, 60_000));
      const pods = pg.api.list(R.pods, 'kube-system', { labelSelector: 'k8s-app=kube-dns' }).items;
      assert.strictEqual(pods.length, 2);
      for (const p of pods) {
        assert.match(p.metadata.name!, /^coredns-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.strictEqual(p.spec.priority, 2000000000);
      }
      const reasons = pg.api.list(R.events, 'kube-system').items.map((e) => e.reason);
      for (const r of ['ScalingReplicaSet', 'SuccessfulCreate', 'Scheduled', 'Pulled', 'Started']) assert.ok(reasons.includes(r), r);
      // As on kind: CoreDNS comes before any node is Ready (kindnet has not run yet), waits out the not-ready taints,
      // and is placed once the nodes are Ready, all before the hand-over.
      const failed = pg.api.list(R.events, 'kube-system').items.filter((e) => e.reason === 'FailedScheduling');
      assert.deepStrictEqual(failed.map((e) => e.involvedObject.name).sort(), pods.map((p) => p.metadata.name).sort());
      for (const e of failed) {
        assert.ok(Date.parse(e.eventTime ?? e.firstTimestamp) < start, 'before the hand-over');
        assert.match(e.message, /^0\/4 nodes are available: 4 node\(s\) had untolerated taint\(s\)\. /);
      }
    } finally {
      pg.close();
    }
  });

  it('installs CoreDNS only on a fresh boot: a restored cluster keeps what the user did to it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-dns-'));
    try {
      const pg = newTestPlayground({ stateDir: dir, nodes: 2 });
      pg.api.delete(R.deployments, 'kube-system', 'coredns');
      pg.advance(60_000);
      assert.strictEqual(pg.dnsServing(), false);
      pg.close();
      const again = newTestPlayground({ stateDir: dir, nodes: 2 });
      try {
        assert.throws(() => again.api.get(R.deployments, 'kube-system', 'coredns'), (e: any) => e.status.code === 404);
        assert.strictEqual(again.api.get(R.services, 'kube-system', 'kube-dns').spec.clusterIP, '10.96.0.10');
        again.advance(30_000);
        assert.strictEqual(again.dnsServing(), false);
        assert.deepStrictEqual(again.resolve('kubernetes.default'), []);
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a restart keeps the Nodes as users left them: labels, taints, cordon, annotations, uid; their pods run on', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-nodes-'));
    try {
      const pg = newTestPlayground({ stateDir: dir, nodes: 3 });
      const [cp, a, b, c] = pg.api.list(R.nodes, undefined).items.map((n) => n.metadata.name!).sort();
      assert.strictEqual(cp, 'kubeplay-control-plane');
      pg.api.patch(R.nodes, undefined, a, 'merge', { metadata: { labels: { disktype: 'ssd' }, annotations: { note: 'hello' } } });
      pg.api.patch(R.nodes, undefined, b, 'merge', { spec: { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] } });
      pg.api.patch(R.nodes, undefined, c, 'merge', { spec: { unschedulable: true } });
      pg.apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: fast, namespace: default}\nspec: {nodeSelector: {disktype: ssd}, containers: [{name: c, image: nginx:1.27}]}\n`);
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'fast').status?.phase === 'Running', 60_000));
      const before = Object.fromEntries(pg.api.list(R.nodes, undefined).items.map((n) => [n.metadata.name, n]));
      pg.close();
      const again = newTestPlayground({ stateDir: dir, nodes: 3 });
      try {
        again.advance(30_000);
        const nodes = Object.fromEntries(again.api.list(R.nodes, undefined).items.map((n) => [n.metadata.name, n]));
        assert.deepStrictEqual(Object.keys(nodes).sort(), [cp, a, b, c]);
        for (const n of [a, b, c]) {
          assert.strictEqual(nodes[n].metadata.uid, before[n].metadata.uid, `${n} is the same Node`);
          assert.strictEqual(nodes[n].metadata.creationTimestamp, before[n].metadata.creationTimestamp);
          assert.strictEqual(nodes[n].status.conditions.find((x: any) => x.type === 'Ready').status, 'True');
        }
        assert.strictEqual(nodes[a].metadata.labels.disktype, 'ssd');
        assert.strictEqual(nodes[a].metadata.annotations.note, 'hello');
        assert.deepStrictEqual(nodes[b].spec.taints, [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }]);
        assert.strictEqual(nodes[c].spec.unschedulable, true);
        assert.strictEqual(again.api.get(R.pods, 'default', 'fast').status.phase, 'Running');
        again.apply(`apiVersion: v1\nkind: Pod\nmetadata: {name: fast2, namespace: default}\nspec: {nodeSelector: {disktype: ssd}, containers: [{name: c, image: nginx:1.27}]}\n`);
        assert.ok(again.runUntil(() => again.api.get(R.pods, 'default', 'fast2').status?.phase === 'Running', 60_000), 'the label still places pods');
        assert.strictEqual(again.api.get(R.pods, 'default', 'fast2').spec.nodeName, a);
        const ips = again.api.list(R.pods, 'default').items.map((p) => p.status.podIP);
        assert.strictEqual(new Set(ips).size, ips.length, `pod IPs stay distinct: ${ips}`);
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('applies a manifest: created, then unchanged, then configured; the deployment converges', () => {
    const pg = newTestPlayground();
    try {
      assert.deepStrictEqual(pg.apply(WEB).map((r) => r.action), ['created', 'created']);
      assert.ok(pg.runUntil(() => allPodsRunning(pg, 3), 120_000));
      assert.deepStrictEqual(pg.apply(WEB).map((r) => r.action), ['unchanged', 'unchanged']);
      const d = pg.api.get(R.deployments, 'default', 'web');
      assert.ok(d.metadata.annotations!['kubectl.kubernetes.io/last-applied-configuration'].endsWith('\n'));
      const r = pg.apply(WEB.replace('replicas: 3', 'replicas: 2'));
      assert.deepStrictEqual(r.map((x) => x.action), ['configured', 'unchanged']);
      assert.ok(pg.runUntil(() => allPodsRunning(pg, 2), 120_000));
      const listed = pg.api.list(R.pods, undefined).items;
      assert.deepStrictEqual(pg.stats().pods, {
        total: listed.length,
        running: listed.filter((p) => p.status.phase === 'Running').length,
        pending: listed.filter((p) => p.status.phase === 'Pending').length,
        failed: 0,
        succeeded: 0,
      });
      const svc = pg.api.get(R.services, 'default', 'web');
      assert.match(svc.spec.clusterIP, /^10\.(9[6-9]|1[01][0-9])\./);
      assert.strictEqual(svc.spec.ports[0].targetPort, 80);
    } finally {
      pg.close();
    }
  });

  it('client-side apply removes a field dropped from the manifest but keeps fields others set', () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      const cm = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}`;
      pg.apply(cm('  a: "1"\n  b: "2"\n'));
      pg.api.patch(R.configmaps, 'default', 'c', 'merge', { data: { other: 'x' } });
      assert.deepStrictEqual(pg.apply(cm('  a: "1"\n')).map((r) => r.action), ['configured']);
      assert.deepStrictEqual(pg.api.get(R.configmaps, 'default', 'c').data, { a: '1', other: 'x' });
      pg.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'made' }, data: { a: '1' } });
      const [r] = pg.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: made\ndata:\n  a: "2"\n');
      assert.strictEqual(r.action, 'configured');
      assert.match(r.warnings![0], /^resource configmaps\/made is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
    } finally {
      pg.close();
    }
  });

  it('is deterministic: the same seed and inputs give the same names, events and timings', () => {
    const run = (seed: number) => {
      const pg = newTestPlayground({ seed });
      try {
        pg.apply(WEB);
        pg.advance(30_000);
        pg.scale(R.deployments, 'default', 'web', 5);
        pg.advance(30_000);
        return fingerprint(pg);
      } finally {
        pg.close();
      }
    };
    const a = run(7);
    assert.strictEqual(run(7), a);
    assert.notStrictEqual(run(8), a);
  });

  it('a restart keeps the control plane as the user left it: a removed control-plane node stays removed; a stale mirror is replaced', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-cp-'));
    try {
      const pg = newTestPlayground({ stateDir: dir, nodes: 2 });
      pg.advance(20_000);
      // A mirror pod saved by another kubelet (another manifest): its hash differs from what this kubelet computes.
      const m = pg.api.get(R.pods, 'kube-system', 'kube-scheduler-kubeplay-control-plane');
      pg.api.patch(R.pods, 'kube-system', m.metadata.name!, 'merge', { metadata: { annotations: { 'kubernetes.io/config.mirror': 'f'.repeat(32), 'kubernetes.io/config.hash': 'f'.repeat(32) } } });
      pg.close();
      const again = newTestPlayground({ stateDir: dir, nodes: 2 });
      try {
        again.advance(5_000);
        const fresh = again.api.get(R.pods, 'kube-system', 'kube-scheduler-kubeplay-control-plane');
        assert.notStrictEqual(fresh.metadata.annotations!['kubernetes.io/config.mirror'], 'f'.repeat(32), 'the outdated mirror is replaced');
        again.removeNode('kubeplay-control-plane');
        again.advance(5_000);
      } finally {
        again.close();
      }
      const third = newTestPlayground({ stateDir: dir, nodes: 2 });
      try {
        third.advance(5_000);
        assert.deepStrictEqual(third.api.list(R.nodes, undefined).items.map((n) => n.metadata.name).sort(), ['kubeplay-worker', 'kubeplay-worker2']);
      } finally {
        third.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed control-plane kubelet leaves a deleted mirror Terminating, and mirrors again when it recovers; worker names are reused', () => {
    const pg = newTestPlayground({ nodes: 3 });
    try {
      pg.advance(20_000);
      pg.failNode('kubeplay-control-plane');
      pg.api.delete(R.pods, 'kube-system', 'etcd-kubeplay-control-plane');
      pg.advance(2_000);
      assert.ok(pg.api.get(R.pods, 'kube-system', 'etcd-kubeplay-control-plane').metadata.deletionTimestamp, 'no kubelet to finish the delete');
      pg.recoverNode('kubeplay-control-plane');
      pg.advance(5_000);
      const back = pg.api.get(R.pods, 'kube-system', 'etcd-kubeplay-control-plane');
      assert.strictEqual(back.metadata.deletionTimestamp, undefined);
      assert.strictEqual(back.spec.serviceAccountName, undefined, 'a mirror pod names no service account');
      pg.removeNode('kubeplay-worker2');
      assert.strictEqual(pg.addNode().metadata.name, 'kubeplay-worker2');
    } finally {
      pg.close();
    }
  });

  it('saves and restores its state', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-pg-'));
    try {
      const pg = newTestPlayground({ stateDir: dir, nodes: 2 });
      pg.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\ndata:\n  k: v\n');
      pg.apply(WEB);
      assert.ok(pg.runUntil(() => allPodsRunning(pg, 3), 120_000));
      const pods = pg.api.list(R.pods, 'default').items.map((p) => p.metadata.name).sort();
      const time = pg.clock.now();
      pg.close();
      const again = newTestPlayground({ stateDir: dir, nodes: 2 });
      try {
        assert.strictEqual(again.api.get(R.configmaps, 'default', 'keep').data.k, 'v');
        assert.ok(again.clock.now() >= time);
        assert.strictEqual(again.api.list(R.nodes, undefined).items.length, 3);
        again.advance(120_000);
        assert.deepStrictEqual(again.api.list(R.pods, 'default').items.map((p) => p.metadata.name).sort(), pods, 'the same pods, not replacements');
        assert.ok(allPodsRunning(again, 3));
        assert.strictEqual(again.stats().nodes.ready, 3);
      } finally {
        again.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reset brings back a fresh cluster and keeps the api usable', () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      pg.apply('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n');
      pg.reset();
      assert.throws(() => pg.api.get(R.configmaps, 'default', 'gone'), (e: any) => e.status.code === 404);
      assert.strictEqual(pg.api.list(R.nodes, undefined).items.length, 2);
    } finally {
      pg.close();
    }
  });
});

describe('playground real-time driver', () => {
  it('advances simulated time with wall time x speed, stops when paused, and runs work written between ticks', async () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      const t0 = pg.clock.now();
      pg.startRealtime(100);
      await new Promise((r) => setTimeout(r, 120));
      const t1 = pg.clock.now();
      assert.ok(t1 > t0, 'time moved');
      pg.pause();
      const t2 = pg.clock.now();
      await new Promise((r) => setTimeout(r, 80));
      assert.strictEqual(pg.clock.now(), t2, 'paused');
      assert.strictEqual(pg.stats().paused, true);
      pg.resume();
      const [d] = parseManifest(WEB);
      pg.api.create(R.deployments, 'default', d);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(pg.api.list(R.replicasets, 'default').items.length >= 1, 'the deployment controller ran without an explicit settle');
      pg.setSpeed(2);
      assert.strictEqual(pg.stats().speed, 2);
    } finally {
      pg.close();
    }
  });
});
