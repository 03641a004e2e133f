/**
 * ResourceQuota in the playground: the controller fills in status, admission
 * charges and refuses in upstream's words, the ReplicaSet controller reports
 * what it could not create, and deletions and finished pods give quota back.
 */
import * as assert from 'assert';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { errorText } from '../apiserver/statusOf';

const QUOTA = (hard: Record<string, string>, extra = '') => `apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: default}
spec:
  hard: ${JSON.stringify(hard)}
${extra}`;

const pod = (name: string, resources: any = { requests: { cpu: '200m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, extra: any = {}) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx', resources }], ...extra },
}) as KObject;

const statusOf = (pg: KubePlayground, name = 'compute') => pg.api.get(R.resourcequotas, 'default', name).status;

describe('cluster/quota: ResourceQuota', () => {
  it('the controller copies hard into status and counts what is there, in canonical quantities', () => {
    const pg = newTestPlayground();
    pg.api.create(R.pods, 'default', pod('before'));
    pg.apply(QUOTA({ pods: '10', 'requests.cpu': '1.5', 'requests.memory': '1Gi', 'limits.cpu': '2', 'limits.memory': '2048Mi', 'count/deployments.apps': '2' }));
    pg.advance(1000);
    assert.deepStrictEqual(statusOf(pg), {
      hard: { 'count/deployments.apps': '2', 'limits.cpu': '2', 'limits.memory': '2Gi', pods: '10', 'requests.cpu': '1500m', 'requests.memory': '1Gi' },
      used: { 'count/deployments.apps': '0', 'limits.cpu': '500m', 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '200m', 'requests.memory': '128Mi' },
    });
    pg.close();
  });

  it('refuses a pod that names no request for a tracked resource, or would go over, and charges only what it admits', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ pods: '2', 'requests.cpu': '300m', 'limits.memory': '1Gi' }));
    pg.advance(1000);
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('bare', {}))),
      '403 pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: app; requests.cpu for: app');
    pg.api.create(R.pods, 'default', pod('a'));
    // Admission writes the charge itself, before the controller looks.
    assert.deepStrictEqual(statusOf(pg).used, { 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '200m' });
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('b'))),
      '403 pods "b" is forbidden: exceeded quota: compute, requested: requests.cpu=200m, used: requests.cpu=200m, limited: requests.cpu=300m');
    // A dry run is checked but charges nothing.
    pg.api.create(R.pods, 'default', pod('c', { requests: { cpu: '100m' }, limits: { memory: '512Mi' } }), { dryRun: true });
    assert.deepStrictEqual(statusOf(pg).used, { 'limits.memory': '256Mi', pods: '1', 'requests.cpu': '200m' });
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('d', { requests: { cpu: '100m' }, limits: { memory: '1Gi' } }))),
      '403 pods "d" is forbidden: exceeded quota: compute, requested: limits.memory=1Gi, used: limits.memory=256Mi, limited: limits.memory=1Gi');
    pg.close();
  });

  it('counts objects: count/<resource>.<group> and the old bare names', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ 'count/deployments.apps': '1', configmaps: '2' }));
    pg.advance(1000);
    // kube-root-ca.crt is a ConfigMap of the namespace already.
    assert.deepStrictEqual(statusOf(pg).used, { configmaps: '1', 'count/deployments.apps': '0' });
    const dep = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: default}
spec: {selector: {matchLabels: {app: ${name}}}, template: {metadata: {labels: {app: ${name}}}, spec: {containers: [{name: c, image: nginx}]}}}
`;
    pg.apply(dep('one'));
    assert.strictEqual(errorText(() => pg.apply(dep('two'))),
      '403 deployments.apps "two" is forbidden: exceeded quota: compute, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
    pg.close();
  });

  it('a Deployment past the quota: FailedCreate events, ReplicaFailure kept with its first words, and pods once the quota grows', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ pods: '2' }));
    pg.advance(1000);
    pg.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: nginx}]}}
`);
    pg.advance(20_000);
    const rs = pg.api.list(R.replicasets, 'default').items[0];
    const name = rs.metadata.name!;
    assert.strictEqual(rs.status.replicas, 2);
    const cond = rs.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
    assert.strictEqual(cond.reason, 'FailedCreate');
    assert.match(cond.message, new RegExp(`^pods "${name}-[bcdfghjklmnpqrstvwxz2456789]{5}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2$`));
    const failed = pg.api.list(R.events, 'default').items.filter((e: any) => e.reason === 'FailedCreate');
    assert.ok(failed.length >= 2);
    for (const e of failed) {
      assert.strictEqual(e.type, 'Warning');
      assert.strictEqual(e.source.component, 'replicaset-controller');
      assert.match(e.message, /^(\(combined from similar events\): )?Error creating: pods ".*" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2$/);
    }
    // The condition is not rewritten by later failures.
    assert.strictEqual(failed[0].message, `Error creating: ${cond.message}`);
    const d = pg.api.get(R.deployments, 'default', 'web');
    const dc = d.status.conditions.find((c: any) => c.type === 'ReplicaFailure');
    assert.deepStrictEqual([dc.status, dc.reason, dc.message], ['True', 'FailedCreate', cond.message]);
    // Raising the limit lets the ReplicaSet finish (on its next retry) and clears the condition.
    pg.apply(QUOTA({ pods: '5' }));
    pg.advance(120_000);
    const after = pg.api.get(R.replicasets, 'default', name);
    assert.strictEqual(after.status.replicas, 3);
    assert.ok(!(after.status.conditions ?? []).some((c: any) => c.type === 'ReplicaFailure'));
    assert.deepStrictEqual(statusOf(pg).used, { pods: '3' });
    pg.close();
  });

  it('gives quota back when a pod is gone or finished (count/pods keeps counting finished pods)', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ pods: '3', 'count/pods': '3' }));
    pg.advance(1000);
    pg.api.create(R.pods, 'default', pod('a', {}));
    pg.api.create(R.pods, 'default', pod('done', {}, { restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox', command: ['sleep', '5'] }] }));
    // Both charged while `done` still runs (its sleep outlasts any image pull).
    pg.advance(1000);
    assert.deepStrictEqual(statusOf(pg).used, { 'count/pods': '2', pods: '2' });
    pg.advance(60_000);
    assert.strictEqual(pg.api.get(R.pods, 'default', 'done').status.phase, 'Succeeded');
    assert.deepStrictEqual(statusOf(pg).used, { 'count/pods': '2', pods: '1' });
    pg.api.delete(R.pods, 'default', 'a');
    // Still there while it terminates: the charge stays until the object is removed.
    assert.deepStrictEqual(statusOf(pg).used, { 'count/pods': '2', pods: '1' });
    pg.advance(60_000);
    assert.ok(!pg.store.get('/pods', 'default', 'a'));
    assert.deepStrictEqual(statusOf(pg).used, { 'count/pods': '1', pods: '0' });
    pg.close();
  });

  it('Services: node ports and load balancers, charged again when an update adds them', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ services: '5', 'services.nodeports': '1' }));
    pg.advance(1000);
    const svc = (type: string, ports: any[] = [{ port: 80 }]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { type, selector: { app: 'web' }, ports } }) as KObject;
    pg.api.create(R.services, 'default', svc('ClusterIP', [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]));
    // The default namespace's `kubernetes` Service counts too.
    assert.deepStrictEqual(statusOf(pg).used, { services: '2', 'services.nodeports': '0' });
    const cur = pg.api.get(R.services, 'default', 'web');
    assert.strictEqual(errorText(() => pg.api.update(R.services, 'default', { ...cur, spec: { ...cur.spec, type: 'NodePort' } })),
      '403 services "web" is forbidden: exceeded quota: compute, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1');
    pg.close();
  });

  it('a Service refused by quota gives back the ClusterIP and node port admission had taken for it', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ 'services.nodeports': '0' }));
    pg.advance(1000);
    const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 30080 }] } }) as KObject;
    assert.strictEqual(errorText(() => pg.api.create(R.services, 'default', svc('first'))),
      '403 services "first" is forbidden: exceeded quota: compute, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0');
    pg.api.delete(R.resourcequotas, 'default', 'compute');
    assert.strictEqual(pg.api.create(R.services, 'default', svc('second')).object.spec.ports[0].nodePort, 30080);
    pg.close();
  });

  it('scopes: a BestEffort quota counts and limits only pods without requests or limits', () => {
    const pg = newTestPlayground();
    pg.apply(QUOTA({ pods: '1' }, '  scopes: [BestEffort]'));
    pg.advance(1000);
    pg.api.create(R.pods, 'default', pod('burstable'));
    // A zero request is no request: the pod is BestEffort (GetPodQOS counts only amounts above zero).
    pg.api.create(R.pods, 'default', pod('free', { requests: { cpu: '0' } }));
    assert.strictEqual(errorText(() => pg.api.create(R.pods, 'default', pod('free2', {}))),
      '403 pods "free2" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=1, limited: pods=1');
    pg.advance(5 * 60_000 + 1000);
    assert.deepStrictEqual(statusOf(pg).used, { pods: '1' });
    pg.close();
  });

  it('reads a null limit as zero, as a Quantity decodes it', () => {
    const pg = newTestPlayground();
    pg.api.create(R.resourcequotas, 'default', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'z' }, spec: { hard: { pods: null } } } as any);
    pg.advance(1000);
    assert.deepStrictEqual(pg.api.get(R.resourcequotas, 'default', 'z').status, { hard: { pods: '0' }, used: { pods: '0' } });
    pg.close();
  });

  it('validates on create and keeps the scopes fixed', () => {
    const pg = newTestPlayground();
    assert.strictEqual(errorText(() => pg.apply(QUOTA({ 'limits.pods': '1' }))),
      '422 ResourceQuota "compute" is invalid: [spec.hard[limits.pods]: Invalid value: limits.pods: must be a standard resource type or fully qualified, spec.hard[limits.pods]: Invalid value: limits.pods: must be a standard resource for quota]');
    pg.apply(QUOTA({ pods: '1' }, '  scopes: [BestEffort]'));
    assert.strictEqual(errorText(() => pg.apply(QUOTA({ pods: '1' }, '  scopes: [NotBestEffort]'))),
      '422 ResourceQuota "compute" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"NotBestEffort"}: field is immutable');
    pg.close();
  });
});
