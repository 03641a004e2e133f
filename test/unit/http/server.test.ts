import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { KUBELET_VERSION } from '../../../cluster/src/kubelet/nodes';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('http: the API server facade', function () {
  this.timeout(20_000);
  const h = useHarness();

  it('answers 401 with an upstream Status without the token, or with a wrong one', async () => {
    for (const token of [null, 'nope']) {
      const r = await h.request('GET', '/api/v1/pods', { token });
      assert.equal(r.status, 401);
      assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('serves /version with the schema version and health endpoints', async () => {
    const v = (await h.request('GET', '/version')).json();
    assert.match(v.gitVersion, /^v1\.\d+\.\d+\+kubeplay$/);
    assert.equal(v.gitVersion.split('+')[0], KUBELET_VERSION, 'the server and its nodes report the same release');
    assert.equal(`${v.major}.${v.minor}`, v.gitVersion.slice(1).split('.').slice(0, 2).join('.'));
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await h.request('GET', p);
      assert.equal(r.status, 200);
      assert.equal(r.text, 'ok');
    }
  });

  it('serves legacy discovery with short names, categories and the scale, eviction and log subresources', async () => {
    const apis = (await h.request('GET', '/apis')).json();
    assert.equal(apis.kind, 'APIGroupList');
    const apps = apis.groups.find((g: any) => g.name === 'apps');
    assert.equal(apps.preferredVersion.groupVersion, 'apps/v1');
    const core = (await h.request('GET', '/api/v1')).json();
    const pods = core.resources.find((r: any) => r.name === 'pods');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    assert.equal(pods.namespaced, true);
    assert.ok(pods.verbs.includes('watch'));
    const eviction = core.resources.find((r: any) => r.name === 'pods/eviction');
    assert.deepEqual([eviction.group, eviction.version, eviction.kind], ['policy', 'v1', 'Eviction']);
    assert.ok(core.resources.find((r: any) => r.name === 'pods/log'));
    const appsV1 = (await h.request('GET', '/apis/apps/v1')).json();
    const scale = appsV1.resources.find((r: any) => r.name === 'deployments/scale');
    assert.deepEqual([scale.group, scale.version, scale.kind], ['autoscaling', 'v1', 'Scale']);
    assert.ok(appsV1.resources.find((r: any) => r.name === 'deployments/status'));
  });

  it('serves aggregated discovery when asked for it', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const r = await h.request('GET', '/apis', { headers: { accept } });
    assert.match(String(r.headers['content-type']), /as=APIGroupDiscoveryList/);
    const doc = r.json();
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    const apps = doc.items.find((i: any) => i.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((x: any) => x.resource === 'deployments');
    assert.equal(deploy.scope, 'Namespaced');
    assert.deepEqual(deploy.shortNames, ['deploy']);
    assert.ok(deploy.subresources.some((s: any) => s.subresource === 'scale' && s.responseKind.kind === 'Scale'));
    const core = (await h.request('GET', '/api', { headers: { accept } })).json();
    assert.equal(core.items.length, 1);
    assert.ok(core.items[0].versions[0].resources.some((x: any) => x.resource === 'pods'));
  });

  it('creates, gets and lists objects, and prints pods as an upstream Table', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const c = await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json().metadata.namespace, 'default');
    const g = await h.request('GET', '/api/v1/namespaces/default/pods/web');
    assert.equal(g.json().metadata.uid, c.json().metadata.uid);
    const t = (await h.request('GET', '/api/v1/namespaces/default/pods', { headers: { accept: TABLE } })).json();
    assert.equal(t.kind, 'Table');
    assert.deepEqual(t.columnDefinitions.map((d: any) => d.name), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    assert.deepEqual(t.columnDefinitions.map((d: any) => d.priority), [0, 0, 0, 0, 0, 1, 1, 1, 1]);
    const row = t.rows.find((r: any) => r.cells[0] === 'web');
    assert.equal(row.cells[1], '0/1');
    assert.equal(row.cells[2], 'Pending');
    assert.equal(row.cells[6], '<none>');
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.metadata.name, 'web');
    const list = (await h.request('GET', '/api/v1/pods?labelSelector=app%3Dweb')).json();
    assert.equal(list.kind, 'PodList');
    assert.deepEqual(list.items.map((p: any) => p.metadata.name), ['web']);
    const none = (await h.request('GET', '/api/v1/pods?labelSelector=app%3Dother')).json();
    assert.equal(none.items.length, 0);
  });

  it('answers NotFound and AlreadyExists with the upstream Status', async () => {
    const r = await h.request('GET', '/apis/apps/v1/namespaces/default/deployments/nope');
    assert.equal(r.status, 404);
    assert.equal(r.json().message, 'deployments.apps "nope" not found');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'dup' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    const again = await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    assert.equal(again.status, 409);
    assert.equal(again.json().reason, 'AlreadyExists');
    const unknown = await h.request('GET', '/apis/nope/v1/things');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json().message, 'the server could not find the requested resource');
  });

  it('answers the self-reviews of kubectl auth can-i and whoami', async () => {
    const ssar = await h.request('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { verb: 'create', resource: 'pods', namespace: 'default' } } },
    });
    assert.equal(ssar.status, 201);
    assert.equal(ssar.json().status.allowed, true);
    assert.equal(ssar.json().spec.resourceAttributes.verb, 'create');
    const who = await h.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    assert.equal(who.json().status.userInfo.username, 'kubeplay-admin');
    const authz = (await h.request('GET', '/apis/authorization.k8s.io/v1')).json();
    assert.deepEqual(authz.resources.find((r: any) => r.name === 'selfsubjectaccessreviews').verbs, ['create']);
    assert.equal((await h.request('GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status, 405);
  });

  it('pages with limit and continue', async () => {
    for (let i = 0; i < 5; i++) {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `page-${i}`, labels: { page: 'yes' } }, data: { i: String(i) } };
      assert.equal((await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm })).status, 201);
    }
    const seen: string[] = [];
    let cont = '';
    for (let guard = 0; guard < 10; guard++) {
      const l = (await h.request('GET', `/api/v1/namespaces/default/configmaps?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).json();
      assert.ok(l.items.length <= 2);
      seen.push(...l.items.map((x: any) => x.metadata.name));
      cont = l.metadata.continue;
      if (!cont) break;
    }
    assert.deepEqual(seen.filter((n) => n.startsWith('page-')).sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('serves the later pages of a list from the first page\'s snapshot, as etcd serves them at its revision', async () => {
    const first = (await h.request('GET', '/api/v1/namespaces/default/configmaps?limit=2&labelSelector=page')).json();
    assert.equal(first.items.length, 2);
    assert.ok(first.metadata.continue);
    // With a selector the store cannot count what is left: no remainingItemCount (etcd3 GetList).
    assert.equal(first.metadata.remainingItemCount, undefined);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'page-9', labels: { page: 'yes' } } };
    assert.equal((await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm })).status, 201);
    const names = first.items.map((x: any) => x.metadata.name);
    let cont = first.metadata.continue;
    while (cont) {
      const l = (await h.request('GET', `/api/v1/namespaces/default/configmaps?limit=2&labelSelector=page&continue=${encodeURIComponent(cont)}`)).json();
      assert.equal(l.metadata.resourceVersion, first.metadata.resourceVersion, 'every page carries the first page\'s resourceVersion');
      names.push(...l.items.map((x: any) => x.metadata.name));
      cont = l.metadata.continue;
    }
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4'], 'an object created after the first page is not in this list');
    const bad = await h.request('GET', '/api/v1/namespaces/default/configmaps?limit=2&continue=%%%');
    assert.equal(bad.status, 400);
  });
});
