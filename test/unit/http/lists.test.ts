import * as assert from 'node:assert/strict';
import { useHarness } from './harness';

/**
 * Lists as etcd3's GetList and the registries answer them (review 30): reads at an exact revision, 410 past the
 * history, a continue token that carries its own revision, counts only without selectors, the verbs each resource
 * really has, and the field labels each resource converts.
 */
describe('http: list semantics, verbs and field labels', function () {
  this.timeout(20_000);
  const h = useHarness();
  const cm = (name: string, data: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { exact: 'yes' } }, data });

  it('reads a list at an exact revision: objects made, changed or deleted since are as they were', async () => {
    for (const n of ['e1', 'e2']) assert.equal((await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm(n, { v: '1' }) })).status, 201);
    const rv = (await h.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=exact')).json().metadata.resourceVersion;
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: cm('e3') });
    await h.request('PATCH', '/api/v1/namespaces/default/configmaps/e1', { body: { data: { v: '2' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    await h.request('DELETE', '/api/v1/namespaces/default/configmaps/e2');
    const now = (await h.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=exact')).json();
    assert.deepEqual(now.items.map((x: any) => [x.metadata.name, x.data?.v]), [['e1', '2'], ['e3', undefined]]);
    const then = (await h.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=exact&resourceVersion=${rv}&resourceVersionMatch=Exact`)).json();
    assert.equal(then.metadata.resourceVersion, rv);
    assert.deepEqual(then.items.map((x: any) => [x.metadata.name, x.data?.v]), [['e1', '1'], ['e2', '1']]);
    // The legacy form: a limit with a resourceVersion reads at it too, page after page.
    const page = (await h.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=exact&limit=1&resourceVersion=${rv}`)).json();
    assert.deepEqual([page.metadata.resourceVersion, page.items[0].metadata.name, page.metadata.remainingItemCount], [rv, 'e1', undefined]);
    const next = (await h.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=exact&limit=1&continue=${encodeURIComponent(page.metadata.continue)}`)).json();
    assert.deepEqual(next.items.map((x: any) => x.metadata.name), ['e2']);
  });

  it('reads the later pages of a list at its first page\'s revision, as etcd does', () => {
    const first = h.api.list({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { limit: 1, labelSelector: 'exact' });
    h.api.create({ group: '', version: 'v1', resource: 'configmaps' }, 'default', cm('e0-late') as any);
    const rest = h.api.list({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { limit: 10, labelSelector: 'exact', continue: first.continue });
    assert.ok(!rest.items.some((x) => x.metadata.name === 'e0-late'), 'made after the first page');
    assert.equal(rest.resourceVersion, first.resourceVersion);
  });

  it('answers 410 for a revision older than the history, and 400 for a resourceVersion beside a continue token', async () => {
    const old = h.store.table('/configmaps');
    const saved = old.compactedRev;
    old.compactedRev = h.store.rev - 1;
    try {
      const r = await h.request('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=2&resourceVersionMatch=Exact');
      assert.equal(r.status, 410);
      assert.deepEqual([r.json().reason, r.json().message], ['Expired', 'The resourceVersion for the provided list is too old.']);
    } finally {
      old.compactedRev = saved;
    }
    const first = (await h.request('GET', '/api/v1/namespaces/default/configmaps?limit=1')).json();
    const r = await h.request('GET', `/api/v1/namespaces/default/configmaps?limit=1&resourceVersion=5&continue=${encodeURIComponent(first.metadata.continue)}`);
    assert.equal(r.status, 400);
    assert.equal(r.json().message, 'specifying resource version is not allowed when using continue');
  });

  it('offers only the verbs a resource has: bindings are created, namespaces are not deleted as a collection', async () => {
    const core = (await h.request('GET', '/api/v1')).json().resources;
    assert.deepEqual(core.find((x: any) => x.name === 'bindings').verbs, ['create']);
    assert.ok(!core.find((x: any) => x.name === 'namespaces').verbs.includes('deletecollection'));
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/bindings')).status, 405);
    await h.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep-me' } } });
    assert.equal((await h.request('DELETE', '/api/v1/namespaces')).status, 405);
    assert.equal((await h.request('GET', '/api/v1/namespaces/keep-me')).status, 200);
    const crd = (await h.request('GET', '/apis/apiextensions.k8s.io/v1')).json().resources.find((x: any) => x.name === 'customresourcedefinitions');
    assert.deepEqual(crd.categories, ['api-extensions']);
  });

  it('converts the field labels each resource knows: spec.host and status.podIPs for pods, no metadata.namespace for nodes', async () => {
    const podList = (sel: string) => h.request('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent(sel)}`);
    assert.equal((await podList('spec.host=node-1')).status, 200);
    assert.equal((await podList('status.podIPs=10.244.1.3')).status, 200);
    assert.equal((await podList('status.phase=Running,')).status, 200);
    const nodes = await h.request('GET', `/api/v1/nodes?fieldSelector=${encodeURIComponent('metadata.namespace=x')}`);
    assert.equal(nodes.status, 400);
    assert.equal(nodes.json().message, 'field label not supported: metadata.namespace');
  });
});
