import * as assert from 'assert';
import { newTestControlPlane, R } from '../../../../cluster/src/testing';
import { NAME_ALPHABET } from '../../../../cluster/src/apiserver/meta';
import { statusOf } from './statusOf';

const deploy = (name: string, extra: any = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    ...extra,
  },
});

const status = statusOf;

describe('apiserver verbs', () => {
  it('creates with uid, creationTimestamp, generation 1 and upstream defaults', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', deploy('web') as any).object;
    assert.match(d.metadata.uid!, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.strictEqual(d.metadata.creationTimestamp, '2026-01-01T00:00:00Z');
    assert.strictEqual(d.metadata.generation, 1);
    assert.strictEqual(d.spec.replicas, 1);
    assert.deepStrictEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.strictEqual(d.spec.revisionHistoryLimit, 10);
    assert.strictEqual(d.spec.progressDeadlineSeconds, 600);
    const pod = d.spec.template.spec;
    assert.strictEqual(pod.restartPolicy, 'Always');
    assert.strictEqual(pod.dnsPolicy, 'ClusterFirst');
    assert.strictEqual(pod.schedulerName, 'default-scheduler');
    assert.strictEqual(pod.terminationGracePeriodSeconds, 30);
    assert.deepStrictEqual(pod.securityContext, {});
    assert.strictEqual(pod.containers[0].imagePullPolicy, 'Always');
    assert.strictEqual(pod.containers[0].terminationMessagePath, '/dev/termination-log');
    assert.strictEqual(pod.containers[0].terminationMessagePolicy, 'File');
    assert.deepStrictEqual(d.status, {});
  });

  it('generateName appends 5 chars of the upstream alphabet to a base cut at 58', () => {
    const cp = newTestControlPlane();
    const base = 'x'.repeat(70);
    const o = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: base } }).object;
    assert.strictEqual(o.metadata.name!.length, 63);
    assert.ok(o.metadata.name!.startsWith('x'.repeat(58)));
    for (const ch of o.metadata.name!.slice(58)) assert.ok(NAME_ALPHABET.includes(ch));
  });

  it('answers NotFound, AlreadyExists and missing namespace exactly as upstream', () => {
    const cp = newTestControlPlane();
    const nf = status(() => cp.api.get(R.deployments, 'default', 'x'));
    assert.deepStrictEqual(nf, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'deployments.apps "x" not found', reason: 'NotFound',
      details: { name: 'x', group: 'apps', kind: 'deployments' }, code: 404,
    });
    cp.api.create(R.deployments, 'default', deploy('x') as any);
    const ae = status(() => cp.api.create(R.deployments, 'default', deploy('x') as any));
    assert.strictEqual(ae.message, 'deployments.apps "x" already exists');
    assert.strictEqual(ae.code, 409);
    assert.strictEqual(ae.reason, 'AlreadyExists');
    const ns = status(() => cp.api.create(R.configmaps, 'nope', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
    assert.strictEqual(ns.message, 'namespaces "nope" not found');
    assert.strictEqual(ns.code, 404);
    const core = status(() => cp.api.get(R.pods, 'default', 'p'));
    assert.strictEqual(core.message, 'pods "p" not found');
  });

  it('refuses a stale resourceVersion with the upstream Conflict message', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', deploy('x') as any).object;
    cp.api.update(R.deployments, 'default', { ...d, spec: { ...d.spec, replicas: 2 } });
    const c = status(() => cp.api.update(R.deployments, 'default', { ...d, spec: { ...d.spec, replicas: 3 } }));
    assert.strictEqual(c.code, 409);
    assert.strictEqual(c.reason, 'Conflict');
    assert.strictEqual(
      c.message,
      'Operation cannot be fulfilled on deployments.apps "x": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('bumps generation on spec changes only, and status updates touch only status', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', deploy('x') as any).object;
    const d2 = cp.api.update(R.deployments, 'default', { ...d, spec: { ...d.spec, replicas: 5 } }).object;
    assert.strictEqual(d2.metadata.generation, 2);
    const d3 = cp.api.update(R.deployments, 'default', { ...d2, metadata: { ...d2.metadata, labels: { app: 'x', tier: 'web' } } }).object;
    assert.strictEqual(d3.metadata.generation, 2);
    const d4 = cp.api.update(R.deployments, 'default', { ...d3, spec: { ...d3.spec, replicas: 1 }, status: { replicas: 7 } }, {}, 'status').object;
    assert.strictEqual(d4.spec.replicas, 5, 'the status subresource ignores spec');
    assert.strictEqual(d4.status.replicas, 7);
    assert.strictEqual(d4.metadata.generation, 2);
    const d5 = cp.api.update(R.deployments, 'default', { ...d4, status: { replicas: 0 } }).object;
    assert.strictEqual(d5.status.replicas, 7, 'the main resource ignores status');
    const same = cp.api.update(R.deployments, 'default', d5).object;
    assert.strictEqual(same.metadata.resourceVersion, d5.metadata.resourceVersion, 'a no-op update writes nothing');
  });

  it('enforces selector immutability for apps/v1', () => {
    const cp = newTestControlPlane();
    const d = cp.api.create(R.deployments, 'default', deploy('x') as any).object;
    const spec = { ...d.spec, selector: { matchLabels: { app: 'y' } }, template: { ...d.spec.template, metadata: { labels: { app: 'y' } } } };
    const e = status(() => cp.api.update(R.deployments, 'default', { ...d, spec }));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(
      e.message,
      'Deployment.apps "x" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"y"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
  });

  it('lists with label and field selectors, limit and continue', () => {
    const cp = newTestControlPlane();
    for (let i = 0; i < 5; i++) {
      cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' + i, labels: { n: String(i % 2) } } });
    }
    assert.deepStrictEqual(cp.api.list(R.configmaps, 'default', { labelSelector: 'n=1' }).items.map((o) => o.metadata.name), ['cm1', 'cm3']);
    assert.deepStrictEqual(cp.api.list(R.configmaps, 'default', { fieldSelector: 'metadata.name=cm2' }).items.map((o) => o.metadata.name), ['cm2']);
    assert.deepStrictEqual(cp.api.list(R.configmaps, 'default', { labelSelector: 'n in (0)', fieldSelector: 'metadata.name!=cm0' }).items.map((o) => o.metadata.name), ['cm2', 'cm4']);
    const p1 = cp.api.list(R.configmaps, 'default', { limit: 2, labelSelector: 'n' });
    assert.deepStrictEqual(p1.items.map((o) => o.metadata.name), ['cm0', 'cm1']);
    // With a selector the store gives no count (it would count the keys that do not match too).
    assert.strictEqual(p1.remainingItemCount, undefined);
    assert.strictEqual(cp.api.list(R.configmaps, 'default', { limit: 2 }).remainingItemCount !== undefined, true);
    const p2 = cp.api.list(R.configmaps, 'default', { limit: 2, continue: p1.continue, labelSelector: 'n' });
    assert.deepStrictEqual(p2.items.map((o) => o.metadata.name), ['cm2', 'cm3']);
    const p3 = cp.api.list(R.configmaps, 'default', { limit: 2, continue: p2.continue, labelSelector: 'n' });
    assert.deepStrictEqual(p3.items.map((o) => o.metadata.name), ['cm4']);
    assert.strictEqual(p3.continue, undefined);
    const bad = status(() => cp.api.list(R.pods, 'default', { fieldSelector: 'foo=bar' }));
    assert.strictEqual(bad.code, 400);
    assert.strictEqual(bad.message, 'field label not supported: foo');
    // A resource without its own field label conversion goes through the scheme's default one.
    const cm = status(() => cp.api.list(R.configmaps, 'default', { fieldSelector: 'data.x=1' }));
    assert.strictEqual(cm.code, 400);
    assert.strictEqual(cm.message, '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('selects pods by spec.nodeName and status.phase, events by involvedObject', () => {
    const cp = newTestControlPlane();
    const pod = cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox:1.36' }] } }).object;
    assert.strictEqual(pod.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.strictEqual(pod.status.phase, 'Pending');
    assert.strictEqual(cp.api.list(R.pods, undefined, { fieldSelector: 'spec.nodeName=n1,status.phase=Pending' }).items.length, 1);
    assert.strictEqual(cp.api.list(R.pods, undefined, { fieldSelector: 'spec.nodeName=n2' }).items.length, 0);
    cp.ctx.events.event({ component: 'kubelet', host: 'n1' }, pod, 'Normal', 'Pulling', 'Pulling image "busybox:1.36"');
    const evs = cp.api.list(R.events, 'default', { fieldSelector: 'involvedObject.name=p,involvedObject.namespace=default,involvedObject.uid=' + pod.metadata.uid }).items;
    assert.strictEqual(evs.length, 1);
    assert.match(evs[0].metadata.name!, /^p\.[0-9a-f]+$/);
    const v1 = cp.api.list({ group: 'events.k8s.io', version: 'v1', resource: 'events' }, 'default', { fieldSelector: 'regarding.name=p' }).items;
    assert.strictEqual(v1[0].apiVersion, 'events.k8s.io/v1');
    assert.strictEqual(v1[0].note, 'Pulling image "busybox:1.36"');
    assert.strictEqual(v1[0].regarding.name, 'p');
  });

  it('dedupes repeated events into count and lastTimestamp', () => {
    const cp = newTestControlPlane();
    const cm = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).object;
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'BackOff', 'Back-off restarting failed container');
    cp.advance(10_000);
    cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'BackOff', 'Back-off restarting failed container');
    const evs = cp.eventsFor(cm);
    assert.strictEqual(evs.length, 1);
    assert.strictEqual(evs[0].count, 2);
    assert.strictEqual(evs[0].firstTimestamp, '2026-01-01T00:00:00Z');
    assert.strictEqual(evs[0].lastTimestamp, '2026-01-01T00:00:10Z');
  });

  it('scale subresource reads and writes autoscaling/v1 Scale', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.deployments, 'default', deploy('web', { replicas: 2 }) as any);
    const s = cp.api.get(R.deployments, 'default', 'web', 'scale');
    assert.strictEqual(s.apiVersion, 'autoscaling/v1');
    assert.strictEqual(s.kind, 'Scale');
    assert.deepStrictEqual(s.spec, { replicas: 2 });
    assert.deepStrictEqual(s.status, { replicas: 0, selector: 'app=web' });
    const r = cp.api.update(R.deployments, 'default', { ...s, spec: { replicas: 4 } }, {}, 'scale').object;
    assert.strictEqual(r.kind, 'Scale');
    assert.strictEqual(r.spec.replicas, 4);
    assert.strictEqual(cp.api.get(R.deployments, 'default', 'web').spec.replicas, 4);
    cp.api.patch(R.deployments, 'default', 'web', 'merge', { spec: { replicas: 1 } }, {}, 'scale');
    assert.strictEqual(cp.api.get(R.deployments, 'default', 'web').spec.replicas, 1);
    const neg = status(() => cp.api.update(R.deployments, 'default', { ...s, metadata: { name: 'web' }, spec: { replicas: -1 } }, {}, 'scale'));
    assert.strictEqual(neg.message, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
  });

  it('dry run validates and answers without storing', () => {
    const cp = newTestControlPlane();
    const rev = cp.store.rev;
    const d = cp.api.create(R.deployments, 'default', deploy('x') as any, { dryRun: true }).object;
    assert.strictEqual(d.spec.replicas, 1);
    assert.strictEqual(cp.store.rev, rev);
    assert.ok(status(() => cp.api.get(R.deployments, 'default', 'x')));
    cp.api.create(R.deployments, 'default', deploy('x') as any);
    const rev2 = cp.store.rev;
    cp.api.patch(R.deployments, 'default', 'x', 'merge', { spec: { replicas: 9 } }, { dryRun: true });
    cp.api.delete(R.deployments, 'default', 'x', { dryRun: true });
    assert.strictEqual(cp.store.rev, rev2);
    assert.strictEqual(cp.api.get(R.deployments, 'default', 'x').spec.replicas, 1);
  });

  it('delete honours finalizers and the propagation finalizers', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'f', finalizers: ['example.com/keep'] } });
    const d = cp.api.delete(R.configmaps, 'default', 'f');
    assert.ok(d.metadata.deletionTimestamp);
    assert.strictEqual(cp.api.get(R.configmaps, 'default', 'f').metadata.deletionTimestamp, d.metadata.deletionTimestamp);
    const added = status(() => cp.api.patch(R.configmaps, 'default', 'f', 'merge', { metadata: { finalizers: ['example.com/keep', 'other'] } }));
    assert.strictEqual(added.code, 422);
    cp.api.patch(R.configmaps, 'default', 'f', 'merge', { metadata: { finalizers: null } });
    assert.strictEqual(status(() => cp.api.get(R.configmaps, 'default', 'f')).code, 404);
    cp.api.create(R.deployments, 'default', deploy('o') as any);
    const orphaning = cp.api.delete(R.deployments, 'default', 'o', { propagationPolicy: 'Orphan' });
    assert.deepStrictEqual(orphaning.metadata.finalizers, ['orphan']);
    cp.api.create(R.deployments, 'default', deploy('fg') as any);
    assert.deepStrictEqual(cp.api.delete(R.deployments, 'default', 'fg', { propagationPolicy: 'Foreground' }).metadata.finalizers, ['foregroundDeletion']);
  });

  it('forbids creating in a terminating namespace', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'gone' } });
    const ns = cp.api.delete(R.namespaces, undefined, 'gone');
    assert.strictEqual(ns.status.phase, 'Terminating');
    const e = status(() => cp.api.create(R.configmaps, 'gone', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
    assert.strictEqual(e.code, 403);
    assert.strictEqual(e.reason, 'Forbidden');
    assert.strictEqual(e.message, 'configmaps "c" is forbidden: unable to create new content in namespace gone because it is being terminated');
  });
});

describe('apiserver fieldValidation', () => {
  it('finds duplicate keys in a JSON body and treats them per mode', () => {
    const { findDuplicateFields } = require('../../../../cluster/src/apiserver/duplicates');
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","name":"b"},"data":{"k":"1"},"list":[{"x":1,"x":2}]}';
    assert.deepStrictEqual(findDuplicateFields(body), ['metadata.name', 'list[0].x']);
    const cp = newTestControlPlane();
    const obj = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { k: '1' }, dta: { x: 'y' } } as any;
    const strict = status(() => cp.api.create(R.configmaps, 'default', obj, { fieldValidation: 'Strict', duplicateFields: ['metadata.name'] }));
    assert.strictEqual(strict.code, 400);
    assert.strictEqual(strict.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "metadata.name", unknown field "dta"');
    const warn = cp.api.create(R.configmaps, 'default', obj, { fieldValidation: 'Warn', duplicateFields: ['metadata.name'] });
    assert.deepStrictEqual(warn.warnings, ['duplicate field "metadata.name"', 'unknown field "dta"']);
    assert.strictEqual(warn.object.dta, undefined, 'unknown fields are dropped');
    const ignore = cp.api.create(R.configmaps, 'default', { ...obj, metadata: { name: 'c' } }, { fieldValidation: 'Ignore' });
    assert.strictEqual(ignore.warnings, undefined);
  });
});

describe('apiserver namespace lifecycle', () => {
  it('refuses to delete default, kube-system and kube-public', () => {
    const cp = newTestControlPlane();
    const e = status(() => cp.api.delete(R.namespaces, undefined, 'kube-system'));
    assert.strictEqual(e.code, 403);
    assert.strictEqual(e.message, 'namespaces "kube-system" is forbidden: this namespace may not be deleted');
  });
});

describe('apiserver list order', () => {
  it('lists across namespaces in key order and pages through them with continue', () => {
    const cp = newTestControlPlane();
    for (const ns of ['kube-public', 'default', 'kube-system']) {
      for (const n of ['b', 'a']) cp.api.create(R.secrets, ns, { apiVersion: 'v1', kind: 'Secret', metadata: { name: n } });
    }
    const all = cp.api.list(R.secrets, undefined).items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    assert.deepStrictEqual(all, ['default/a', 'default/b', 'kube-public/a', 'kube-public/b', 'kube-system/a', 'kube-system/b']);
    const seen: string[] = [];
    let cont: string | undefined;
    do {
      const page = cp.api.list(R.secrets, undefined, { limit: 4, continue: cont });
      seen.push(...page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
      cont = page.continue;
    } while (cont);
    assert.deepStrictEqual(seen, all);
    cp.api.delete(R.secrets, 'default', 'a');
    assert.strictEqual(cp.api.list(R.secrets, undefined).items.length, 5);
  });
});

describe('event recorder after a restore', () => {
  it('adopts stored events so a repeat still bumps count', () => {
    const { Recorder } = require('../../../../cluster/src/events');
    const cp = newTestControlPlane();
    const cm = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).object;
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Seen', 'once');
    const fresh = new Recorder(cp.store, cp.clock, cp.rand);
    fresh.adopt();
    fresh.event({ component: 'x' }, cm, 'Normal', 'Seen', 'once');
    const evs = cp.eventsFor(cm);
    assert.strictEqual(evs.length, 1);
    assert.strictEqual(evs[0].count, 2);
  });
});

describe('graceful pod deletion', () => {
  it('keeps a terminating pod through status writes until it is deleted with grace 0', () => {
    const cp = newTestControlPlane();
    cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'nginx' }] } });
    const d = cp.api.delete(R.pods, 'default', 'p');
    assert.strictEqual(d.metadata.deletionGracePeriodSeconds, 30);
    assert.strictEqual(d.metadata.deletionTimestamp, '2026-01-01T00:00:30Z');
    cp.api.patch(R.pods, 'default', 'p', 'merge', { status: { phase: 'Running' } }, {}, 'status');
    assert.ok(cp.store.get('/pods', 'default', 'p'), 'a status write does not finish the deletion');
    cp.api.delete(R.pods, 'default', 'p', { gracePeriodSeconds: 0 });
    assert.strictEqual(cp.store.get('/pods', 'default', 'p'), undefined);
    cp.api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    cp.api.delete(R.pods, 'default', 'q');
    assert.strictEqual(cp.store.get('/pods', 'default', 'q'), undefined, 'an unscheduled pod goes at once');
  });
});

describe('apiserver validation through the shared rules', () => {
  it('refuses a selector that does not match the template with the upstream Invalid status', () => {
    const cp = newTestControlPlane();
    const bad = deploy('x');
    bad.spec.template.metadata.labels = { app: 'y' };
    const e = status(() => cp.api.create(R.deployments, 'default', bad as any));
    assert.strictEqual(e.code, 422);
    assert.strictEqual(e.reason, 'Invalid');
    assert.strictEqual(e.message, 'Deployment.apps "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`');
    assert.deepStrictEqual(e.details, {
      name: 'x', group: 'apps', kind: 'Deployment',
      causes: [{ reason: 'FieldValueInvalid', message: 'Invalid value: map[string]string{"app":"y"}: `selector` does not match template `labels`', field: 'spec.template.metadata.labels' }],
    });
    const neg = status(() => cp.api.create(R.deployments, 'default', deploy('y', { replicas: -1 }) as any));
    assert.strictEqual(neg.message, 'Deployment.apps "y" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const typ = status(() => cp.api.create(R.deployments, 'default', deploy('z', { replicas: 'two' }) as any));
    assert.strictEqual(typ.code, 400);
    assert.strictEqual(typ.message, 'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });
});

describe('event aggregation', () => {
  it('folds more than 10 different messages of one reason into a combined event', () => {
    const cp = newTestControlPlane();
    const cm = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).object;
    for (let i = 0; i < 14; i++) cp.ctx.events.event({ component: 'x' }, cm, 'Warning', 'Failed', `attempt ${i} failed`);
    const evs = cp.eventsFor(cm);
    assert.strictEqual(evs.length, 10);
    const combined = evs.filter((e) => e.message.startsWith('(combined from similar events): '));
    assert.strictEqual(combined.length, 1);
    assert.strictEqual(combined[0].message, '(combined from similar events): attempt 13 failed');
    assert.strictEqual(combined[0].count, 5);
  });

  it('bumps the count of an exact repeat while it is among the last 4096 event keys, and starts a new Event after', () => {
    const cp = newTestControlPlane();
    const cm = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }).object;
    const other = cp.api.create(R.configmaps, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }).object;
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    assert.deepStrictEqual(cp.eventsFor(cm).map((e) => e.count), [2]);
    // 4096 other keys push the first out of client-go's LRU (distinct reasons, so they do not aggregate).
    for (let i = 0; i < 4096; i++) cp.ctx.events.event({ component: 'x' }, other, 'Normal', `Reason${i}`, 'm');
    cp.ctx.events.event({ component: 'x' }, cm, 'Normal', 'Synced', 'synced');
    assert.deepStrictEqual(cp.eventsFor(cm).map((e) => e.count).sort(), [1, 2]);
  });
});
