/**
 * StatefulSet and DaemonSet details checked against upstream in the real playground: claiming orphans and
 * revisions, releasing relabelled pods, identity labels put back, a DaemonSet waiting for its terminating pod,
 * its template generation, and revisions carrying the owner's annotations (rollout history's CHANGE-CAUSE).
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';

const STS = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, annotations: {kubernetes.io/change-cause: first}}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
`;
const DS = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, annotations: {kubernetes.io/change-cause: first}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: busybox, command: [sleep, "3600"]}]}
`;
const podsOf = (pg: KubePlayground, app: string): KObject[] => pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.app === app);
const ownerOf = (o: KObject) => o.metadata.ownerReferences?.find((r) => r.controller)?.name;
const revisionsOf = (pg: KubePlayground, prefix: string) => pg.api.list(R.controllerrevisions, 'default').items.filter((r) => r.metadata.name!.startsWith(prefix));
const events = (pg: KubePlayground, name: string, reason: string) => pg.api.list(R.events, 'default').items.filter((e) => e.involvedObject?.name === name && e.reason === reason);

describe('StatefulSet and DaemonSet ownership and identity, as upstream', () => {
  it('a StatefulSet recreated after --cascade=orphan adopts its pods and its revision, with no collision', () => {
    const pg = newTestPlayground();
    pg.apply(STS);
    pg.advance(60_000);
    const before = podsOf(pg, 'web').map((p) => p.metadata.uid).sort();
    assert.strictEqual(before.length, 3);
    pg.api.delete(R.statefulsets, 'default', 'web', { propagationPolicy: 'Orphan' });
    pg.advance(5_000);
    assert.ok(podsOf(pg, 'web').every((p) => !ownerOf(p)), 'orphaned');
    pg.apply(STS);
    pg.advance(30_000);
    const set = pg.api.get(R.statefulsets, 'default', 'web');
    const pods = podsOf(pg, 'web');
    assert.deepStrictEqual(pods.map((p) => p.metadata.uid).sort(), before, 'the same pods, adopted');
    assert.ok(pods.every((p) => ownerOf(p) === 'web'));
    assert.strictEqual(set.status.readyReplicas, 3);
    assert.strictEqual(set.status.collisionCount, 0);
    const revs = revisionsOf(pg, 'web-');
    assert.strictEqual(revs.length, 1, revs.map((r) => r.metadata.name).join());
    assert.strictEqual(ownerOf(revs[0]), 'web');
    assert.strictEqual(set.status.currentRevision, revs[0].metadata.name);
  });

  it('puts back a StatefulSet pod\'s identity labels, and says so', () => {
    const pg = newTestPlayground();
    pg.apply(STS);
    pg.advance(60_000);
    pg.api.patch(R.pods, 'default', 'web-0', 'merge', { metadata: { labels: { 'statefulset.kubernetes.io/pod-name': null, 'apps.kubernetes.io/pod-index': null } } });
    pg.advance(5_000);
    const labels = pg.api.get(R.pods, 'default', 'web-0').metadata.labels!;
    assert.strictEqual(labels['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.strictEqual(labels['apps.kubernetes.io/pod-index'], '0');
    assert.deepStrictEqual(events(pg, 'web', 'SuccessfulUpdate').map((e) => e.message), ['update Pod web-0 in StatefulSet web successful']);
  });

  it('a DaemonSet recreated after --cascade=orphan adopts its pods; a pod relabelled out of it is released', () => {
    const pg = newTestPlayground();
    pg.apply(DS);
    pg.advance(30_000);
    const before = podsOf(pg, 'agent').map((p) => p.metadata.uid).sort();
    assert.strictEqual(before.length, 3);
    pg.api.delete(R.daemonsets, 'default', 'agent', { propagationPolicy: 'Orphan' });
    pg.advance(5_000);
    pg.apply(DS);
    pg.advance(30_000);
    assert.deepStrictEqual(podsOf(pg, 'agent').map((p) => p.metadata.uid).sort(), before, 'no second pod on any node');
    assert.strictEqual(pg.api.get(R.daemonsets, 'default', 'agent').status.collisionCount, undefined);
    assert.strictEqual(revisionsOf(pg, 'agent-').filter((r) => ownerOf(r) === 'agent').length, 1);
    // Quarantine: relabel one pod; it loses its owner and a replacement takes its node.
    const victim = podsOf(pg, 'agent')[0];
    pg.api.patch(R.pods, 'default', victim.metadata.name!, 'merge', { metadata: { labels: { app: 'debug' } } });
    pg.advance(30_000);
    const quarantined = pg.api.get(R.pods, 'default', victim.metadata.name!);
    assert.strictEqual(ownerOf(quarantined), undefined);
    assert.strictEqual(podsOf(pg, 'agent').filter((p) => p.spec.nodeName === victim.spec.nodeName).length, 1);
  });

  it('a DaemonSet starts no replacement beside a pod that is still terminating (maxSurge 0)', () => {
    const pg = newTestPlayground();
    pg.apply(DS);
    pg.advance(30_000);
    const victim = podsOf(pg, 'agent')[0];
    const node = victim.spec.nodeName;
    pg.api.delete(R.pods, 'default', victim.metadata.name!);
    pg.advance(10_000);
    // busybox's sleep ignores SIGTERM: the pod holds its node until the 30 s grace period ends.
    const onNode = () => podsOf(pg, 'agent').filter((p) => p.spec.nodeName === node || p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] === node);
    assert.deepStrictEqual(onNode().map((p) => [p.metadata.name, !!p.metadata.deletionTimestamp]), [[victim.metadata.name, true]]);
    assert.strictEqual(pg.api.get(R.daemonsets, 'default', 'agent').status.currentNumberScheduled, 3, 'the terminating pod still counts');
    pg.advance(30_000);
    const now = onNode();
    assert.strictEqual(now.length, 1);
    assert.notStrictEqual(now[0].metadata.name, victim.metadata.name);
  });

  it('keeps a DaemonSet\'s template generation in its annotation and its pods\' label; revisions carry the owner\'s annotations', () => {
    const pg = newTestPlayground();
    pg.apply(DS);
    pg.apply(STS);
    pg.advance(30_000);
    const gen = () => pg.api.get(R.daemonsets, 'default', 'agent').metadata.annotations!['deprecated.daemonset.template.generation'];
    assert.strictEqual(gen(), '1');
    pg.api.patch(R.daemonsets, 'default', 'agent', 'merge', { spec: { minReadySeconds: 3 } });
    assert.strictEqual(gen(), '1', 'the template did not change');
    pg.api.patch(R.daemonsets, 'default', 'agent', 'merge', { metadata: { annotations: { 'kubernetes.io/change-cause': 'busybox 1.37' } }, spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox:1.37', command: ['sleep', '3600'] }] } } } });
    assert.strictEqual(pg.api.get(R.daemonsets, 'default', 'agent').metadata.generation, 3);
    assert.strictEqual(gen(), '2');
    pg.advance(120_000);
    assert.ok(podsOf(pg, 'agent').every((p) => p.metadata.labels!['pod-template-generation'] === '2'));
    const causes = (prefix: string) => revisionsOf(pg, prefix).sort((a, b) => a.revision - b.revision).map((r) => r.metadata.annotations?.['kubernetes.io/change-cause']);
    assert.deepStrictEqual(causes('agent-'), ['first', 'busybox 1.37']);
    pg.api.patch(R.statefulsets, 'default', 'web', 'merge', { metadata: { annotations: { 'kubernetes.io/change-cause': 'nginx 1.28' } }, spec: { template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.28' }] } } } });
    pg.advance(5_000);
    assert.deepStrictEqual(causes('web-'), ['first', 'nginx 1.28']);
  });
});

describe('Deployment rollback as kubectl sends it', () => {
  const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: undo-demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: undo-demo}}
  template:
    metadata: {labels: {app: undo-demo}}
    spec: {containers: [{name: nginx, image: "nginx:1.27"}]}
`;
  const rsOf = (pg: KubePlayground) => pg.api.list(R.replicasets, 'default').items.filter((r) => r.metadata.labels?.app === 'undo-demo');

  it('scales the old ReplicaSet back up: a typed template (resources {}, creationTimestamp null) equals the stored one', () => {
    const pg = newTestPlayground();
    pg.apply(DEPLOY);
    pg.advance(30_000);
    pg.setImage(R.deployments, 'default', 'undo-demo', 'nginx', 'nginx:1.28');
    pg.advance(60_000);
    assert.strictEqual(rsOf(pg).length, 2);
    const first = rsOf(pg).find((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
    // kubectl rollout undo: a JSON patch with the ReplicaSet's template as Go writes it, hash label removed.
    const template = JSON.parse(JSON.stringify(first.spec.template));
    delete template.metadata.labels['pod-template-hash'];
    template.metadata.creationTimestamp = null;
    for (const c of template.spec.containers) c.resources = {};
    pg.api.patch(R.deployments, 'default', 'undo-demo', 'json', [{ op: 'replace', path: '/spec/template', value: template }]);
    pg.advance(60_000);
    const rss = rsOf(pg);
    assert.strictEqual(rss.length, 2, rss.map((r) => r.metadata.name).join());
    const back = rss.find((r) => r.metadata.name === first.metadata.name)!;
    assert.strictEqual(back.spec.replicas, 2);
    assert.deepStrictEqual(rss.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort(), ['2', '3']);
  });

  it('refuses to roll back a paused Deployment, as kubectl does', () => {
    const pg = newTestPlayground();
    pg.apply(DEPLOY);
    pg.advance(30_000);
    pg.setImage(R.deployments, 'default', 'undo-demo', 'nginx', 'nginx:1.28');
    pg.advance(60_000);
    pg.api.patch(R.deployments, 'default', 'undo-demo', 'merge', { spec: { paused: true } });
    assert.throws(() => pg.rolloutUndo(R.deployments, 'default', 'undo-demo'), /you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again/);
  });
});

describe('ControllerRevision data as the controllers marshal it', () => {
  it('stores the template patch with its keys sorted, the bytes kubectl rollout undo compares to say "skipped rollback"', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: r}
spec:
  serviceName: r
  replicas: 1
  selector: {matchLabels: {app: r}}
  template:
    metadata: {labels: {app: r}}
    spec: {containers: [{name: c, image: busybox:1.36, command: [sleep, infinity]}]}
`);
      pg.advance(5_000);
      const [rev] = pg.api.list(R.controllerrevisions, 'default').items;
      const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])])) : v);
      assert.strictEqual(JSON.stringify(rev.data), JSON.stringify(sorted(rev.data)));
      assert.ok(JSON.stringify(rev.data).startsWith('{"spec":{"template":{"$patch":"replace","metadata":{"creationTimestamp":null,'));
    } finally {
      pg.close();
    }
  });
});
