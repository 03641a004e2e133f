import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';

/**
 * What a v1.34 apiserver writes for Go's zero structs: Container.Resources is a struct, so every container reads
 * back with `resources: {}` whatever the client sent; ObjectMeta is embedded as a struct, so a template's `metadata`
 * is always there; and its CreationTimestamp is omitzero (kubernetes#130989), so a `creationTimestamp: null` from an
 * older client is left out.
 */
const tpl = (labels: Record<string, string>, spec: any = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });
const PODTEMPLATES = { group: '', version: 'v1', resource: 'podtemplates' };

/** The containers of every list of a pod spec. */
const containersOf = (spec: any): any[] => [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];

describe('apiserver: zero structs read back as upstream writes them', () => {
  it('gives every container of a pod resources: {} (one shared frozen object), placed before the fields defaulting adds', () => {
    const cp = newTestControlPlane();
    const pod = (name: string) => cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: {
      initContainers: [{ name: 'i', image: 'busybox' }], containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } as any).object;
    const a = pod('a');
    const b = pod('b');
    for (const c of containersOf(a.spec)) assert.deepEqual(c.resources, {}, c.name);
    assert.deepEqual(Object.keys(a.spec.containers[0]), ['name', 'image', 'ports', 'resources', 'imagePullPolicy', 'terminationMessagePath', 'terminationMessagePolicy']);
    assert.equal(a.spec.containers[0].resources, b.spec.containers[0].resources, 'no object of its own per container');
    assert.ok(Object.isFrozen(a.spec.containers[0].resources));
    // A JSON null is Go's zero struct too; what the client did send stays where it sent it.
    const n = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'n' }, spec: {
      containers: [{ name: 'c', resources: null, image: 'nginx' }, { name: 'd', image: 'nginx', resources: { requests: { cpu: '100m' } } }] } } as any).object;
    assert.deepEqual(Object.keys(n.spec.containers[0]).slice(0, 3), ['name', 'resources', 'image']);
    assert.deepEqual(n.spec.containers[0].resources, {});
    assert.deepEqual(n.spec.containers[1].resources, { requests: { cpu: '100m' } });
  });

  it('gives the containers of every pod template resources: {}: Deployment, ReplicaSet, RC, DaemonSet, StatefulSet, Job, CronJob, PodTemplate', () => {
    const cp = newTestControlPlane();
    const made: [string, KObject][] = [
      ['deployment', cp.api.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'd' } }, template: tpl({ a: 'd' }) } } as any).object],
      ['replicaset', cp.api.create(R.replicasets, 'default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { selector: { matchLabels: { a: 'r' } }, template: tpl({ a: 'r' }) } } as any).object],
      ['rc', cp.api.create(R.replicationcontrollers, 'default', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: tpl({ a: 'rc' }) } } as any).object],
      ['daemonset', cp.api.create(R.daemonsets, 'default', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { selector: { matchLabels: { a: 'ds' } }, template: tpl({ a: 'ds' }) } } as any).object],
      ['statefulset', cp.api.create(R.statefulsets, 'default', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { a: 's' } }, template: tpl({ a: 's' }) } } as any).object],
      ['job', cp.api.create(R.jobs, 'default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: tpl({}, { restartPolicy: 'Never' }) } } as any).object],
    ];
    const specs: [string, any][] = made.map(([k, o]) => [k, o.spec.template.spec]);
    const cj = cp.api.create(R.cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tpl({}, { restartPolicy: 'Never' }) } } } } as any).object;
    specs.push(['cronjob', cj.spec.jobTemplate.spec.template.spec]);
    const pt = cp.api.create(PODTEMPLATES, 'default', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template: tpl({ a: 'pt' }) } as any).object;
    specs.push(['podtemplate', pt.template.spec]);
    for (const [kind, spec] of specs) assert.deepEqual(spec.containers[0].resources, {}, kind);
  });

  it('the pods a ReplicaSet makes, and an ephemeral container added later, have resources: {} too', () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    try {
      pg.api.create(R.replicasets, 'default', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { replicas: 2, selector: { matchLabels: { a: 'r' } }, template: tpl({ a: 'r' }) } } as any);
      pg.advance(5_000);
      const pods = pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.a === 'r');
      assert.equal(pods.length, 2);
      for (const p of pods) assert.deepEqual(p.spec.containers[0].resources, {});
      // kubectl debug: the pods/ephemeralcontainers subresource, with the pod as read back (its containers' resources included).
      const p = pods[0];
      const body = { ...p, spec: { ...p.spec, ephemeralContainers: [{ name: 'debugger', image: 'busybox', stdin: true, tty: true }] } };
      const out = pg.api.update(R.pods, 'default', body as KObject, {}, 'ephemeralcontainers').object;
      assert.deepEqual(out.spec.ephemeralContainers[0].resources, {});
      // And a later update of the pod (a label) is no spec change.
      assert.doesNotThrow(() => pg.api.patch(R.pods, 'default', p.metadata.name!, 'merge', { metadata: { labels: { x: 'y' } } }));
    } finally {
      pg.close();
    }
  });

  it('the LimitRanger still sets default requests and limits on a container that came without resources', () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    try {
      pg.api.create(R.limitranges, 'default', { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr' }, spec: { limits: [{ type: 'Container', default: { cpu: '500m' }, defaultRequest: { cpu: '100m' } }] } } as any);
      const p = pg.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as any).object;
      assert.deepEqual(p.spec.containers[0].resources, { limits: { cpu: '500m' }, requests: { cpu: '100m' } });
    } finally {
      pg.close();
    }
  });

  it('leaves a null creationTimestamp out of template metadata, and writes a template\'s absent metadata as {} ahead of spec', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', creationTimestamp: null }, spec: {
      selector: { matchLabels: { a: 'd' } }, template: { metadata: { creationTimestamp: null, labels: { a: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as any).object;
    assert.deepEqual(d.spec.template.metadata, { labels: { a: 'd' } });
    assert.equal(typeof d.metadata.creationTimestamp, 'string');
    // kubectl create cronjob (v1.32) sends the job template's metadata with a null creationTimestamp; the pod template has none.
    const cj = cp.api.create(R.cronjobs, 'default', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { schedule: '* * * * *',
      jobTemplate: { metadata: { name: 'cj', creationTimestamp: null }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } } as any).object;
    assert.deepEqual(cj.spec.jobTemplate.metadata, { name: 'cj' });
    assert.deepEqual(Object.keys(cj.spec.jobTemplate.spec.template), ['metadata', 'spec']);
    assert.deepEqual(cj.spec.jobTemplate.spec.template.metadata, {});
    const sts = cp.api.create(R.statefulsets, 'default', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { serviceName: 's', selector: { matchLabels: { a: 's' } }, template: tpl({ a: 's' }, {
      volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { metadata: { creationTimestamp: null }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } }] }),
      volumeClaimTemplates: [{ metadata: { name: 'data', creationTimestamp: null }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] } } as any).object;
    assert.deepEqual(sts.spec.volumeClaimTemplates[0].metadata, { name: 'data' });
    assert.deepEqual(sts.spec.template.spec.volumes[0].ephemeral.volumeClaimTemplate.metadata, {});
  });

  it('kubectl rollout undo (a JSON patch with the old ReplicaSet\'s template, creationTimestamp: null) stores no null and reuses that ReplicaSet', () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    try {
      pg.api.create(R.deployments, 'default', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mean' }, spec: { replicas: 1, selector: { matchLabels: { app: 'mean' } }, template: tpl({ app: 'mean' }) } } as any);
      pg.advance(10_000);
      pg.api.patch(R.deployments, 'default', 'mean', 'strategic', { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } } });
      pg.advance(20_000);
      const rss = pg.api.list(R.replicasets, 'default').items;
      assert.equal(rss.length, 2);
      const old = rss.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === '1')!;
      // DeploymentRollbacker: the ReplicaSet's template less its pod-template-hash label, as a v1.32 client marshals it.
      const { 'pod-template-hash': _h, ...labels } = old.spec.template.metadata.labels;
      const value = { ...old.spec.template, metadata: { creationTimestamp: null, labels } };
      pg.api.patch(R.deployments, 'default', 'mean', 'json', [{ op: 'replace', path: '/spec/template', value }]);
      pg.advance(20_000);
      const d = pg.api.get(R.deployments, 'default', 'mean');
      assert.deepEqual(d.spec.template.metadata, { labels: { app: 'mean' } });
      assert.equal(pg.api.list(R.replicasets, 'default').items.length, 2, 'the old ReplicaSet is scaled up again, no third one');
      assert.equal(d.metadata.annotations?.['deployment.kubernetes.io/revision'], '3');
    } finally {
      pg.close();
    }
  });
});
