import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from './statusOf';

/**
 * Events as a kind cluster keeps them (review 30): the hour-long TTL runs out with time alone, kube-proxy says
 * Starting about its node, `source=` selects an events.k8s.io reporter, the apiserver validates Events, the spam
 * filter and the aggregator count per object (not per container), and node events carry their reporter's reference.
 */
describe('events: fidelity (review 30)', () => {
  const EVENTS_V1 = { group: 'events.k8s.io', version: 'v1', resource: 'events' };

  it('expires Events an hour after their last write, with nothing else happening', () => {
    const pg = newTestPlayground();
    try {
      pg.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx:1.27}]}\n');
      pg.advance(30_000);
      const about = () => [...pg.store.list('/events')].filter((e) => e.involvedObject?.name === 'p').length;
      assert.ok(about() >= 4);
      pg.advance(59 * 60_000);
      assert.ok(about() >= 4, 'still within the hour');
      pg.advance(2 * 60_000);
      assert.strictEqual(about(), 0);
    } finally {
      pg.close();
    }
  });

  it('records kube-proxy\'s Starting about each node, with the node reference kube-proxy builds', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(30_000);
      const starts = [...pg.store.list('/events')].filter((e) => e.reason === 'Starting' && e.reportingComponent === 'kube-proxy');
      const nodes = pg.api.list(R.nodes, undefined).items.map((n) => n.metadata.name).sort();
      assert.deepStrictEqual(starts.map((e) => e.involvedObject.name).sort(), nodes);
      const e = starts[0];
      assert.deepStrictEqual(e.involvedObject, { kind: 'Node', name: e.involvedObject.name, uid: e.involvedObject.name });
      assert.deepStrictEqual([e.metadata.namespace, e.action, e.reportingInstance, e.message, e.source], ['default', 'StartKubeProxy', `kube-proxy-${e.involvedObject.name}`, undefined, {}]);
      // `source=` falls back to the reporting controller, so the scheduler's events.k8s.io Events are selected by it.
      const byScheduler = pg.api.list(R.events, undefined, { fieldSelector: 'source=default-scheduler' }).items;
      assert.ok(byScheduler.length > 0 && byScheduler.every((x) => x.reportingComponent === 'default-scheduler'));
    } finally {
      pg.close();
    }
  });

  it('gives node events the reference of their reporter: the kubelet\'s uid is the node\'s name, node-controller\'s the real one', () => {
    const pg = newTestPlayground();
    try {
      pg.advance(10_000);
      const node = pg.api.list(R.nodes, undefined).items.find((n) => !n.metadata.name!.endsWith('control-plane'))!;
      const name = node.metadata.name!;
      const evs = [...pg.store.list('/events')].filter((e) => e.involvedObject?.kind === 'Node' && e.involvedObject.name === name);
      const ready = evs.find((e) => e.reason === 'NodeReady')!;
      assert.deepStrictEqual(ready.involvedObject, { kind: 'Node', name, uid: name });
      const registered = evs.find((e) => e.reason === 'RegisteredNode')!;
      assert.deepStrictEqual(registered.involvedObject, { kind: 'Node', name, uid: node.metadata.uid, apiVersion: 'v1' });
    } finally {
      pg.close();
    }
  });

  it('validates Events: the object\'s namespace for core/v1, the strict rules for events.k8s.io/v1', () => {
    const pg = newTestPlayground();
    try {
      const core = statusOf(() => pg.api.create(R.events, 'default', {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'manual1' }, involvedObject: { kind: 'Pod', name: 'x', namespace: 'kube-system' }, reason: 'R', message: 'm', type: 'Normal',
      } as KObject));
      assert.strictEqual(core.message, 'Event "manual1" is invalid: involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace');
      const strict = statusOf(() => pg.api.create(EVENTS_V1, 'default', {
        apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'manual2' }, regarding: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'R', note: 'm', type: 'Info',
      } as KObject));
      assert.strictEqual(strict.code, 422);
      assert.strictEqual(strict.message, 'Event.events.k8s.io "manual2" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: Info]');
      const noReporter = statusOf(() => pg.api.create(EVENTS_V1, 'default', {
        apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'manual3' }, regarding: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'R', type: 'Normal', eventTime: '2026-01-01T00:00:00.000000Z',
      } as KObject));
      // An empty controller also fails IsQualifiedName, as upstream runs both checks.
      assert.deepStrictEqual(noReporter.details.causes.map((c: any) => [c.field, c.reason]), [
        ['reportingController', 'FieldValueRequired'], ['reportingController', 'FieldValueInvalid'], ['reportingController', 'FieldValueInvalid'],
        ['reportingInstance', 'FieldValueRequired'], ['action', 'FieldValueRequired'],
      ]);
      assert.match(noReporter.message, /^Event\.events\.k8s\.io "manual3" is invalid: \[reportingController: Required value, reportingController: Invalid value: "": name part must be non-empty, /);
      // A valid core/v1 Event made by hand has the fields Go always writes.
      const ok = pg.api.create(R.events, 'default', {
        apiVersion: 'v1', kind: 'Event', metadata: { name: 'manual4' }, involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'R', message: 'm', type: 'Normal',
      } as KObject).object;
      assert.deepStrictEqual([ok.eventTime, ok.firstTimestamp, ok.lastTimestamp, ok.reportingComponent, ok.reportingInstance, ok.source], [null, null, null, '', '', {}]);
    } finally {
      pg.close();
    }
  });

  it('keeps one spam budget of 25 per pod for the kubelet, whatever the container', () => {
    const pg = newTestPlayground();
    try {
      pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: twice}
spec:
  containers:
  - {name: a, image: kubeplay/crash}
  - {name: b, image: kubeplay/crash}
`);
      let writes = 0;
      const uid = () => pg.store.get('/pods', 'default', 'twice')?.metadata.uid;
      pg.store.tap((table, rec) => {
        if (table === '/events' && rec.type !== 'DELETED' && rec.object.involvedObject?.uid === uid() && rec.object.source?.component === 'kubelet') writes++;
      });
      pg.advance(2 * 60_000);
      assert.strictEqual(writes, 25);
    } finally {
      pg.close();
    }
  });

  it('leaves a combined Event without reporting fields, as EventAggregate makes it', () => {
    const pg = newTestPlayground();
    try {
      const cm = pg.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } as KObject).object;
      for (let i = 0; i < 10; i++) (pg as any).recorder.event({ component: 'x' }, cm, 'Normal', 'Same', `message ${i}`);
      const combined = [...pg.store.list('/events')].find((e) => String(e.message).startsWith('(combined from similar events)'))!;
      assert.deepStrictEqual([combined.reportingComponent, combined.reportingInstance, combined.source], ['', '', { component: 'x' }]);
    } finally {
      pg.close();
    }
  });
});
