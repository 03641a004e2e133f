/**
 * docs/tour.md and docs/tour.zh-cn.md, kept true: every manifest of examples/tour/ (and the two examples/ files
 * the tour reuses) applied to the playground on the simulated clock converges to what the tour shows, and the
 * tour's steps (a rolling update and its undo, a node failure, cordon and drain) do what it says.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { wget } from '../../../../cluster/src/kubelet/netcmds';
import { nslookup } from '../../../../cluster/src/kubelet/nslookup';
import { repoRoot } from '../../validate/helpers';

const TOUR = join(repoRoot(), 'examples', 'tour');
const read = (...p: string[]) => readFileSync(join(repoRoot(), ...p), 'utf8');
const pods = (pg: KubePlayground, app: string): KObject[] => pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.app === app);
const pod = (pg: KubePlayground, name: string) => pg.api.get(R.pods, 'default', name);
const running = (p: KObject) => p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c: any) => c.ready);
const cond = (o: KObject, type: string) => (o.status?.conditions ?? []).find((c: any) => c.type === type);
const events = (pg: KubePlayground, name: string, reason: string) =>
  pg.api.list(R.events, 'default').items.filter((e) => e.involvedObject?.name === name && e.reason === reason);

/** The cluster the tour runs on (`kubeplay serve`: a control-plane node and 3 workers) with everything it applies. */
function tourCluster(): KubePlayground {
  const pg = newTestPlayground({ nodes: 3 });
  for (const f of readdirSync(TOUR).filter((n) => n.endsWith('.yaml')).sort()) pg.apply(readFileSync(join(TOUR, f), 'utf8'));
  pg.apply(read('examples', '03-web.yaml'));
  pg.apply(read('examples', '02-seed-deployment.yaml'));
  pg.advance(60_000);
  return pg;
}

describe('the tour (docs/tour.md) on the playground', function () {
  this.timeout(60_000);

  it('holds the manifests the tour links', () => {
    const files = readdirSync(TOUR).filter((n) => n.endsWith('.yaml')).sort();
    assert.deepEqual(files, ['01-mirror-pod.yaml', '02-job.yaml', '03-daemonset.yaml', '04-statefulset.yaml', '05-too-big.yaml']);
    for (const doc of ['docs/tour.md', 'docs/tour.zh-cn.md']) {
      const text = read(doc);
      for (const f of files) assert.ok(text.includes(`examples/tour/${f}`), `${doc} links ${f}`);
    }
  });

  it('the workloads converge to what the tour shows', () => {
    const pg = tourCluster();
    try {
      // (1) The mirror pod: two containers sharing the pod's network and its emptyDir.
      const mirror = pod(pg, 'mirror');
      assert.ok(running(mirror), 'mirror 2/2 Running');
      assert.equal(mirror.status.containerStatuses.length, 2);
      const sync = pg.execWorld(mirror, 'sync');
      const page = wget(sync, ['-qO-', 'localhost'], () => undefined);
      assert.equal(page.code, 0);
      assert.match(page.stdout, /^mirror synced at .+ UTC \d{4}\n$/, 'nginx on localhost serves what sync wrote');
      // (2) The four robots.
      const web = pg.api.get(R.deployments, 'default', 'web');
      assert.deepEqual([web.status.readyReplicas, web.status.updatedReplicas, web.status.availableReplicas], [3, 3, 3]);
      assert.equal(pods(pg, 'web').filter(running).length, 3);
      const job = pg.api.get(R.jobs, 'default', 'report');
      assert.equal(cond(job, 'Complete')?.status, 'True');
      assert.equal(job.status.succeeded, 3);
      const jobPods = pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.['job-name'] === 'report');
      assert.deepEqual(jobPods.map((p) => p.status.phase), ['Succeeded', 'Succeeded', 'Succeeded'], 'three pods Completed');
      assert.equal(events(pg, 'report', 'Completed')[0]?.message, 'Job completed');
      const nodes = pg.api.list(R.nodes, '').items.map((n) => n.metadata.name).sort();
      assert.equal(nodes.length, 4);
      const agents = pods(pg, 'log-agent');
      assert.deepEqual(agents.map((p) => p.spec.nodeName).sort(), nodes, 'one log-agent on every node, the control plane too');
      assert.ok(agents.every(running));
      const ds = pg.api.get(R.daemonsets, 'default', 'log-agent');
      assert.deepEqual([ds.status.desiredNumberScheduled, ds.status.numberReady], [4, 4]);
      const store = pods(pg, 'store');
      assert.deepEqual(store.map((p) => p.metadata.name).sort(), ['store-0', 'store-1', 'store-2']);
      assert.ok(store.every(running));
      const claims = pg.api.list(R.pvcs, 'default').items;
      assert.deepEqual(claims.map((c) => `${c.metadata.name} ${c.status.phase}`).sort(), ['data-store-0 Bound', 'data-store-1 Bound', 'data-store-2 Bound']);
      const created = pg.api.list(R.events, 'default').items.filter((e) => e.involvedObject?.name === 'store' && e.reason === 'SuccessfulCreate' && /^create Pod /.test(e.message));
      assert.deepEqual(created.map((e) => e.message), [0, 1, 2].map((i) => `create Pod store-${i} in StatefulSet store successful`), 'one after another');
      const dns = nslookup(sync, ['store-1.store.default.svc.cluster.local']);
      assert.match(dns.stdout, new RegExp(`Address: ${pod(pg, 'store-1').status.podIP.replace(/\./g, '\\.')}\\n`));
      // (4) The explainer's Deployment, with the status the explainer shows.
      const mean = pg.api.get(R.deployments, 'default', 'mean');
      assert.deepEqual(mean.status.conditions.map((c: any) => [c.type, c.status, c.reason]), [
        ['Available', 'True', 'MinimumReplicasAvailable'],
        ['Progressing', 'True', 'NewReplicaSetAvailable'],
      ]);
      assert.match(cond(mean, 'Progressing').message, /^ReplicaSet "mean-[a-z0-9]+" has successfully progressed\.$/);
      // (5) Too big for any node.
      const big = pod(pg, 'too-big');
      assert.equal(big.status.phase, 'Pending');
      assert.equal(events(pg, 'too-big', 'FailedScheduling')[0]?.message,
        '0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient cpu, 3 Insufficient memory. no new claims to deallocate, '
        + 'preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.');
      // (6) The Service by name, from another pod.
      const viaService = wget(sync, ['-qO-', 'http://web'], () => undefined);
      assert.match(viaService.stdout, /<title>Welcome to nginx!<\/title>/);
    } finally {
      pg.close();
    }
  });

  it('a rolling update makes a new ReplicaSet and undo scales the old one back', () => {
    const pg = tourCluster();
    try {
      const rsOf = () => pg.api.list(R.replicasets, 'default').items.filter((r) => r.metadata.labels?.app === 'web');
      const first = rsOf()[0].metadata.name;
      pg.setImage(R.deployments, 'default', 'web', 'nginx', 'nginx:1.28');
      pg.advance(60_000);
      const after = rsOf();
      assert.equal(after.length, 2);
      const second = after.find((r) => r.metadata.name !== first)!;
      assert.deepEqual([second.spec.replicas, after.find((r) => r.metadata.name === first)!.spec.replicas], [3, 0]);
      assert.equal(second.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
      pg.rolloutUndo(R.deployments, 'default', 'web');
      pg.advance(60_000);
      const back = rsOf();
      assert.deepEqual(back.map((r) => `${r.metadata.name === first ? 'first' : 'second'} ${r.spec.replicas} ${r.metadata.annotations!['deployment.kubernetes.io/revision']}`).sort(),
        ['first 3 3', 'second 0 2'], 'the first ReplicaSet is revision 3 now');
      assert.equal(pg.api.get(R.deployments, 'default', 'web').spec.template.spec.containers[0].image, 'nginx:1.27');
    } finally {
      pg.close();
    }
  });

  it('a failed node: NotReady, tainted, its pods evicted after 300 s; a StatefulSet pod waits, a Deployment pod is replaced', () => {
    const pg = tourCluster();
    try {
      const node = pod(pg, 'store-1').spec.nodeName;
      const webPod = pods(pg, 'web').find((p) => p.spec.nodeName === node)!;
      pg.failNode(node);
      pg.advance(60_000);
      const n = pg.api.get(R.nodes, '', node);
      assert.equal(cond(n, 'Ready').status, 'Unknown');
      assert.equal(cond(n, 'Ready').reason, 'NodeStatusUnknown');
      assert.deepEqual(n.spec.taints.map((t: any) => `${t.key}:${t.effect}`).sort(), ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
      assert.equal(events(pg, webPod.metadata.name!, 'NodeNotReady')[0]?.message, 'Node is not ready');
      pg.advance(330_000);
      assert.ok(pod(pg, 'store-1').metadata.deletionTimestamp, 'store-1 is Terminating: its kubelet cannot confirm');
      assert.equal(pg.api.get(R.statefulsets, 'default', 'store').status.readyReplicas, 2, 'the StatefulSet waits: 2/3');
      assert.ok(pg.api.get(R.pods, 'default', webPod.metadata.name!).metadata.deletionTimestamp);
      const live = pods(pg, 'web').filter((p) => !p.metadata.deletionTimestamp);
      assert.equal(live.filter(running).length, 3, 'the ReplicaSet made a replacement elsewhere');
      assert.ok(live.every((p) => p.spec.nodeName !== node));
      assert.equal(events(pg, webPod.metadata.name!, 'TaintManagerEviction')[0]?.message, `Marking for deletion Pod default/${webPod.metadata.name}`);
      pg.recoverNode(node);
      pg.advance(60_000);
      assert.equal(cond(pg.api.get(R.nodes, '', node), 'Ready').status, 'True');
      const back = pod(pg, 'store-1');
      assert.ok(running(back) && !back.metadata.deletionTimestamp, 'store-1 is back, under its own name');
      assert.equal(back.spec.nodeName, node, 'on the node that holds its volume');
      assert.ok(pg.api.list(R.pods, 'default').items.every((p) => p.metadata.name !== webPod.metadata.name), 'the old web pod is gone');
    } finally {
      pg.close();
    }
  });

  it('drain moves everything but the DaemonSet pod away; the StatefulSet pod waits for the node of its volume', () => {
    const pg = tourCluster();
    try {
      const node = pod(pg, 'store-0').spec.nodeName;
      pg.drain(node);
      pg.advance(60_000);
      assert.equal(pg.api.get(R.nodes, '', node).spec.unschedulable, true);
      const left = pg.api.list(R.pods, 'default').items.filter((p) => p.spec.nodeName === node && !p.metadata.deletionTimestamp);
      assert.deepEqual(left.map((p) => p.metadata.labels?.app), ['log-agent']);
      assert.equal(pods(pg, 'web').filter(running).length, 3);
      const waiting = pod(pg, 'store-0');
      assert.equal(waiting.status.phase, 'Pending');
      assert.match(events(pg, 'store-0', 'FailedScheduling').at(-1)!.message,
        /^0\/4 nodes are available: 1 node\(s\) had untolerated taint\(s\), 1 node\(s\) were unschedulable, 2 node\(s\) had volume node affinity conflict\. /);
      pg.uncordon(node);
      pg.advance(30_000);
      assert.equal(pg.api.get(R.nodes, '', node).spec.unschedulable, undefined);
      const back = pod(pg, 'store-0');
      assert.ok(running(back));
      assert.equal(back.spec.nodeName, node);
    } finally {
      pg.close();
    }
  });
});
