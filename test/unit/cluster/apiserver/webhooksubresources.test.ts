/**
 * Admission webhooks on the subresources that create: pods/binding, pods/eviction and serviceaccounts/token reach a
 * Validating or Mutating WebhookConfiguration only through a rule that names the subresource (rules.go), the
 * webhook is posted the subresource's own object (a policy/v1 Eviction), the mutating ones before the REST storage's
 * Create reads it and the validating ones at its createValidation.
 */
import * as assert from 'assert';
import { newTestControlPlane, newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KObject } from '../../../../cluster/src/contract';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { webhookAdmission } from '../../../../cluster/src/apiserver/webhooks';
import { statusOf } from './statusOf';
import { CRD_GVR, CRONTABS, cronTab, cronTabCRD } from '../crd/fixtures';

const VWC = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' };
const MWC = { group: 'admissionregistration.k8s.io', version: 'v1', resource: 'mutatingwebhookconfigurations' };
const SA = { group: '', version: 'v1', resource: 'serviceaccounts' };
const SVC = { group: '', version: 'v1', resource: 'services' };
const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' };

type Api = KubePlayground['api'];

/** A webhook configuration over `resources` (core group, CREATE), posting to default/hook, failing closed. */
function hook(api: Api, mutating: boolean, name: string, resources: string[], extra: Record<string, unknown> = {}): void {
  const kind = mutating ? 'MutatingWebhookConfiguration' : 'ValidatingWebhookConfiguration';
  api.create(mutating ? MWC : VWC, undefined, { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks: [{
    name: `${name}.example.com`, clientConfig: { service: { namespace: 'default', name: 'hook' } },
    rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources }],
    sideEffects: 'None', admissionReviewVersions: ['v1'], failurePolicy: 'Fail', ...extra,
  }] } as KObject);
}
/** The dispatcher's error for a webhook whose Service does not exist. */
const unreachable = (name: string) =>
  `Internal error occurred: failed calling webhook "${name}.example.com": failed to call webhook: Post "https://hook.default.svc:443?timeout=10s": service "hook" not found`;

const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' },
  spec: { ...(nodeName ? { nodeName } : { schedulerName: 'by-hand' }), containers: [{ name: 'c', image: 'nginx' }] },
}) as KObject;
const evict = (api: Api, url: string, body: Record<string, unknown> = {}) =>
  api.create(R.pods, 'default', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: url, namespace: 'default' }, ...body } as KObject, {}, 'eviction', url);
const bind = (api: Api, name: string) =>
  api.create(R.pods, 'default', { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: 'kubeplay-worker' } } as KObject, {}, 'binding', name);
const token = (api: Api) => api.create(SA, 'default', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } as KObject, {}, 'token', 'default');

describe('cluster/apiserver: admission webhooks on subresource creates', () => {
  it('calls a validating webhook on pods/eviction for evictions only, after the name check, and refuses when it cannot be reached', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('web', 'kubeplay-worker'));
      pg.api.create(R.pods, 'default', pod('loose'));
      hook(pg.api, false, 'evictions', ['pods/eviction']);
      const s = statusOf(() => evict(pg.api, 'web'));
      assert.deepStrictEqual([s.code, s.reason, s.message], [500, 'InternalError', unreachable('evictions')]);
      assert.ok(!pg.api.get(R.pods, 'default', 'web').metadata.deletionTimestamp, 'the pod stays');
      // EvictionREST.Create checks the name before its createValidation.
      assert.strictEqual(statusOf(() => evict(pg.api, 'web', { metadata: { name: 'other', namespace: 'default' } })).code, 400);
      // Pods and their bindings are not pods/eviction.
      pg.api.create(R.pods, 'default', pod('more', 'kubeplay-worker'));
      bind(pg.api, 'loose');
      assert.strictEqual(pg.api.get(R.pods, 'default', 'loose').spec.nodeName, 'kubeplay-worker');
    } finally {
      pg.close();
    }
  });

  it('reaches a subresource through pods/* and serviceaccounts/token, never through pods or *', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('a'));
      pg.api.create(R.pods, 'default', pod('b'));
      pg.api.create(R.pods, 'default', pod('c', 'kubeplay-worker'));
      hook(pg.api, false, 'pods', ['pods']);
      hook(pg.api, false, 'everything', ['*'], { rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE'], resources: ['*'] }], namespaceSelector: { matchLabels: { hooked: 'yes' } } });
      pg.api.patch({ group: '', version: 'v1', resource: 'namespaces' }, undefined, 'default', 'merge', { metadata: { labels: { hooked: 'yes' } } });
      bind(pg.api, 'a');
      evict(pg.api, 'c');
      token(pg.api);
      hook(pg.api, false, 'pod-subresources', ['pods/*']);
      assert.strictEqual(statusOf(() => bind(pg.api, 'b')).message, unreachable('pod-subresources'));
      assert.strictEqual(pg.api.get(R.pods, 'default', 'b').spec.nodeName, undefined);
      hook(pg.api, false, 'tokens', ['serviceaccounts/token']);
      assert.strictEqual(statusOf(() => token(pg.api)).message, unreachable('tokens'));
    } finally {
      pg.close();
    }
  });

  it('runs a mutating webhook before the storage reads the Eviction, and selects by the Eviction\'s labels', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(R.pods, 'default', pod('web', 'kubeplay-worker'));
      hook(pg.api, true, 'mutate', ['pods/eviction'], { objectSelector: { matchLabels: { audited: 'yes' } } });
      // The pod's labels are not the Eviction's: this one carries none, so the webhook is not called.
      pg.api.patch(R.pods, 'default', 'web', 'merge', { metadata: { labels: { audited: 'yes' } } });
      const labelled = { metadata: { name: 'other', namespace: 'default', labels: { audited: 'yes' } } };
      // Mutating admission comes before EvictionREST.Create, so before its name check.
      assert.strictEqual(statusOf(() => evict(pg.api, 'web', labelled)).message, unreachable('mutate'));
      assert.strictEqual(statusOf(() => evict(pg.api, 'web', { metadata: { name: 'other', namespace: 'default' } })).code, 400);
      evict(pg.api, 'web');
      assert.ok(pg.api.get(R.pods, 'default', 'web').metadata.deletionTimestamp);
    } finally {
      pg.close();
    }
  });

  it('posts the subresource\'s AdmissionReview: resource pods, subResource eviction, kind policy/v1 Eviction, the URL\'s name and namespace', () => {
    const cp = newTestControlPlane();
    const posted: Array<[string, any]> = [];
    cp.api.use(webhookAdmission(cp.store, (name, review) => posted.push([name, review])));
    // A webhook server the apiserver reaches: a Service, its ready endpoint, and an nginx pod serving the port.
    const server = cp.api.create(R.pods, 'default', { ...pod('hook-server', 'n1'), metadata: { name: 'hook-server', namespace: 'default', labels: { app: 'hook' } } } as KObject).object;
    cp.api.update(R.pods, 'default', { ...server, status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } } as KObject, {}, 'status');
    cp.api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook' }, spec: { selector: { app: 'hook' }, ports: [{ port: 443, targetPort: 80 }] } } as KObject);
    cp.api.create(SLICES, 'default', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'hook-1', labels: { 'kubernetes.io/service-name': 'hook' } }, addressType: 'IPv4',
      ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.9'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: 'default', name: 'hook-server' } }] } as KObject);
    cp.api.create(R.pods, 'default', pod('web', 'n1'));
    hook(cp.api as unknown as Api, false, 'evictions', ['pods/eviction']);
    evict(cp.api as unknown as Api, 'web', { deleteOptions: { gracePeriodSeconds: 0 } });
    assert.strictEqual(posted.length, 1);
    const [name, review] = posted[0];
    assert.strictEqual(name, 'evictions.example.com');
    assert.deepStrictEqual([review.apiVersion, review.kind], ['admission.k8s.io/v1', 'AdmissionReview']);
    const { object, userInfo, ...request } = review.request;
    assert.deepStrictEqual(request, {
      kind: { group: 'policy', version: 'v1', kind: 'Eviction' }, resource: { group: '', version: 'v1', resource: 'pods' }, subResource: 'eviction',
      requestKind: { group: 'policy', version: 'v1', kind: 'Eviction' }, requestResource: { group: '', version: 'v1', resource: 'pods' }, requestSubResource: 'eviction',
      name: 'web', namespace: 'default', operation: 'CREATE', oldObject: null, dryRun: false, options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
    });
    assert.deepStrictEqual(object, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 0 } });
    assert.strictEqual(typeof userInfo, 'object');
    assert.throws(() => cp.api.get(R.pods, 'default', 'web'), /not found/, 'a server that allows lets the eviction through');
  });
});

const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };

/** A webhook configuration whose one rule is an UPDATE of `resources` in `group`, failing closed on default/hook. */
function updateHook(api: Api, mutating: boolean, name: string, group: string, resources: string[]): void {
  hook(api, mutating, name, resources, { rules: [{ apiGroups: [group], apiVersions: ['*'], operations: ['UPDATE'], resources }] });
}

/** A Service default/hook whose ready endpoint is an nginx pod serving its port: a webhook server the apiserver reaches. */
function hookServer(api: Api): void {
  const server = api.create(R.pods, 'default', { ...pod('hook-server', 'n1'), metadata: { name: 'hook-server', namespace: 'default', labels: { app: 'hook' } } } as KObject).object;
  api.update(R.pods, 'default', { ...server, status: { phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }] } } as KObject, {}, 'status');
  api.create(SVC, 'default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'hook' }, spec: { selector: { app: 'hook' }, ports: [{ port: 443, targetPort: 80 }] } } as KObject);
  api.create(SLICES, 'default', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'hook-1', labels: { 'kubernetes.io/service-name': 'hook' } }, addressType: 'IPv4',
    ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.9'], conditions: { ready: true }, targetRef: { kind: 'Pod', namespace: 'default', name: 'hook-server' } }] } as KObject);
}

const deployment = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
}) as KObject;

describe('cluster/apiserver: admission webhooks on subresource updates', () => {
  it('refuses a pod\'s status update through a pods/status webhook it cannot reach, so the kubelet cannot report the pod; a pods rule leaves status alone', () => {
    const pg = newTestPlayground();
    try {
      updateHook(pg.api, false, 'pods-only', '', ['pods']);
      pg.api.create(R.pods, 'default', { ...pod('web'), spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
      // A rule for pods is the pods alone: the scheduler's binding and the kubelet's status writes pass it.
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'web').status?.phase === 'Running', 60_000), 'the pod runs');
      assert.strictEqual(statusOf(() => pg.api.patch(R.pods, 'default', 'web', 'merge', { metadata: { labels: { a: 'b' } } })).message, unreachable('pods-only'));
      updateHook(pg.api, false, 'pod-status', '', ['pods/status']);
      const current = pg.api.get(R.pods, 'default', 'web');
      const s = statusOf(() => pg.api.update(R.pods, 'default', { ...current, status: { ...current.status, phase: 'Failed' } } as KObject, {}, 'status'));
      assert.deepStrictEqual([s.code, s.reason, s.message], [500, 'InternalError', unreachable('pod-status')]);
      // A patch of the status is an UPDATE to admission.
      assert.strictEqual(statusOf(() => pg.api.patch(R.pods, 'default', 'web', 'merge', { status: { phase: 'Failed' } }, {}, 'status')).message, unreachable('pod-status'));
      assert.strictEqual(pg.api.get(R.pods, 'default', 'web').status.phase, 'Running');
      // A new pod is bound (pods/binding is not pods/status) but its kubelet's status writes are refused: it shows no phase of the kubelet's.
      pg.api.create(R.pods, 'default', { ...pod('late'), spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject);
      pg.advance(30_000);
      const late = pg.api.get(R.pods, 'default', 'late');
      assert.ok(late.spec.nodeName, 'bound');
      assert.strictEqual(late.status.phase, 'Pending');
      assert.strictEqual(late.status.containerStatuses, undefined);
      pg.api.delete(VWC, undefined, 'pod-status');
      assert.ok(pg.runUntil(() => pg.api.get(R.pods, 'default', 'late').status?.phase === 'Running', 60_000), 'it runs once the webhook is gone');
    } finally {
      pg.close();
    }
  });

  it('calls a deployments/scale webhook on kubectl scale and the autoscaler\'s Scale update, never a deployments one', () => {
    const pg = newTestPlayground();
    try {
      pg.api.create(DEPLOY, 'default', deployment('web', 1));
      updateHook(pg.api, true, 'deployments-only', 'apps', ['deployments']);
      // deployments/scale is not deployments: the scale goes through.
      pg.api.patch(DEPLOY, 'default', 'web', 'merge', { spec: { replicas: 2 } }, {}, 'scale');
      assert.strictEqual(pg.api.get(DEPLOY, 'default', 'web').spec.replicas, 2);
      pg.api.delete(MWC, undefined, 'deployments-only');
      updateHook(pg.api, true, 'scales', 'apps', ['*/scale']);
      assert.strictEqual(statusOf(() => pg.api.patch(DEPLOY, 'default', 'web', 'merge', { spec: { replicas: 3 } }, {}, 'scale')).message, unreachable('scales'));
      const scale = pg.api.get(DEPLOY, 'default', 'web', 'scale');
      assert.strictEqual(statusOf(() => pg.api.update(DEPLOY, 'default', { ...scale, spec: { replicas: 4 } } as KObject, {}, 'scale')).message, unreachable('scales'));
      assert.strictEqual(pg.api.get(DEPLOY, 'default', 'web').spec.replicas, 2);
      // The deployment itself and its status are other resources.
      pg.api.patch(DEPLOY, 'default', 'web', 'merge', { metadata: { labels: { tier: 'front' } } });
    } finally {
      pg.close();
    }
  });

  it('calls the webhooks of a custom resource and of its status and scale subresources, each through its own rule', () => {
    const pg = newTestPlayground({ nodes: 1 });
    try {
      pg.api.create(CRD_GVR, undefined, cronTabCRD({ subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } } }));
      pg.settle();
      pg.api.create(CRONTABS, 'default', cronTab('x'));
      updateHook(pg.api, false, 'crontab-status', 'stable.example.com', ['crontabs/status']);
      // The scale and the object itself are not crontabs/status.
      pg.api.patch(CRONTABS, 'default', 'x', 'merge', { spec: { replicas: 2 } }, {}, 'scale');
      pg.api.patch(CRONTABS, 'default', 'x', 'merge', { metadata: { labels: { a: 'b' } } });
      assert.strictEqual(statusOf(() => pg.api.update(CRONTABS, 'default', { ...pg.api.get(CRONTABS, 'default', 'x'), status: { replicas: 1 } } as KObject, {}, 'status')).message, unreachable('crontab-status'));
      updateHook(pg.api, true, 'crontab-scale', 'stable.example.com', ['crontabs/scale']);
      assert.strictEqual(statusOf(() => pg.api.patch(CRONTABS, 'default', 'x', 'merge', { spec: { replicas: 3 } }, {}, 'scale')).message, unreachable('crontab-scale'));
      updateHook(pg.api, true, 'crontabs', 'stable.example.com', ['crontabs']);
      assert.strictEqual(statusOf(() => pg.api.patch(CRONTABS, 'default', 'x', 'merge', { metadata: { labels: { a: 'c' } } })).message, unreachable('crontabs'));
      assert.strictEqual(pg.api.get(CRONTABS, 'default', 'x').spec.replicas, 2);
    } finally {
      pg.close();
    }
  });

  it('posts the AdmissionReview of a subresource update: UPDATE, subResource, the parent\'s Pod for status and autoscaling/v1 Scales for scale', () => {
    const cp = newTestControlPlane();
    const posted: Array<[string, any]> = [];
    cp.api.use(webhookAdmission(cp.store, (name, review) => posted.push([name, review])));
    const api = cp.api as unknown as Api;
    hookServer(api);
    const web = cp.api.create(R.pods, 'default', pod('web', 'n1')).object;
    cp.api.create(DEPLOY, 'default', deployment('app', 1));
    hook(api, false, 'status', ['pods/status'], { rules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['*/status'] }] });
    hook(api, true, 'scale', ['deployments/scale'], { rules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['UPDATE'], resources: ['deployments/*'] }] });

    cp.api.update(R.pods, 'default', { ...web, status: { phase: 'Running' } } as KObject, { fieldManager: 'kubelet' }, 'status');
    assert.deepStrictEqual(posted.map(([n]) => n), ['status.example.com']);
    const { object, oldObject, userInfo, ...request } = posted[0][1].request;
    assert.deepStrictEqual(request, {
      kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, subResource: 'status',
      requestKind: { group: '', version: 'v1', kind: 'Pod' }, requestResource: { group: '', version: 'v1', resource: 'pods' }, requestSubResource: 'status',
      name: 'web', namespace: 'default', operation: 'UPDATE', dryRun: false, options: { kind: 'UpdateOptions', apiVersion: 'meta.k8s.io/v1', fieldManager: 'kubelet' },
    });
    assert.deepStrictEqual([object.kind, object.metadata.name, object.status.phase], ['Pod', 'web', 'Running']);
    assert.deepStrictEqual([oldObject.kind, oldObject.status.phase], ['Pod', 'Pending']);
    assert.strictEqual(typeof userInfo, 'object');

    posted.length = 0;
    cp.api.patch(DEPLOY, 'default', 'app', 'merge', { spec: { replicas: 3 } }, {}, 'scale');
    // The deployments/* rule takes in deployments/scale (and the status rule is the core group's).
    assert.deepStrictEqual(posted.map(([n]) => n), ['scale.example.com']);
    const r = posted[0][1].request;
    assert.deepStrictEqual([r.kind, r.requestKind, r.resource, r.subResource, r.operation, r.name, r.namespace, r.options.kind], [
      { group: 'autoscaling', version: 'v1', kind: 'Scale' }, { group: 'autoscaling', version: 'v1', kind: 'Scale' },
      { group: 'apps', version: 'v1', resource: 'deployments' }, 'scale', 'UPDATE', 'app', 'default', 'UpdateOptions',
    ]);
    assert.deepStrictEqual([r.object.apiVersion, r.object.kind, r.object.metadata.name, r.object.spec, r.object.status.selector], ['autoscaling/v1', 'Scale', 'app', { replicas: 3 }, 'app=app']);
    assert.deepStrictEqual([r.oldObject.kind, r.oldObject.spec], ['Scale', { replicas: 1 }]);
    assert.strictEqual(cp.api.get(DEPLOY, 'default', 'app').spec.replicas, 3, 'a server that allows lets the scale through');
  });
});
