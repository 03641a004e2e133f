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

  const cms = '/api/v1/namespaces/default/configmaps';
  const token = (t: object) => Buffer.from(JSON.stringify(t)).toString('base64url');
  const decoded = (t: string) => JSON.parse(Buffer.from(t, 'base64url').toString('utf8'));

  it('writes continue tokens as the storage does: base64url of {v, rv, start}, the start key below the list\'s prefix', async () => {
    for (const n of ['k1', 'k2', 'k3']) await h.request('POST', cms, { body: cm(n) });
    const page = (await h.request('GET', `${cms}?limit=1&labelSelector=exact`)).json();
    assert.match(page.metadata.continue, /^[A-Za-z0-9_-]+$/, 'RawURLEncoding: no padding, no + or /');
    assert.deepEqual(decoded(page.metadata.continue), { v: 'meta.k8s.io/v1', rv: Number(page.metadata.resourceVersion), start: `${page.items[0].metadata.name}\u0000` });
    const all = (await h.request('GET', '/api/v1/configmaps?limit=1&labelSelector=exact')).json();
    assert.equal(decoded(all.metadata.continue).start, `default/${all.items[0].metadata.name}\u0000`);
    // A token the client built itself resumes after its key, as any other.
    const rest = (await h.request('GET', `${cms}?limit=10&labelSelector=exact&continue=${token({ v: 'meta.k8s.io/v1', rv: -1, start: 'k1\u0000' })}`)).json();
    assert.ok(rest.items.every((x: any) => x.metadata.name > 'k1'));
    assert.ok(rest.items.some((x: any) => x.metadata.name === 'k2'));
  });

  it('answers a continue token past compaction with 410 Expired and a token that carries on at the current revision', async () => {
    for (const n of ['c1', 'c2', 'c3']) await h.request('POST', cms, { body: { ...cm(n), metadata: { name: n, labels: { compact: 'yes' } } } });
    const first = (await h.request('GET', `${cms}?limit=1&labelSelector=compact`)).json();
    const direct = h.api.list({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { limit: 1, labelSelector: 'compact' });
    await h.request('POST', cms, { body: { ...cm('c0'), metadata: { name: 'c0', labels: { compact: 'yes' } } } });
    await h.request('POST', cms, { body: { ...cm('c9'), metadata: { name: 'c9', labels: { compact: 'yes' } } } });
    const table = h.store.table('/configmaps');
    const saved = table.compactedRev;
    table.compactedRev = h.store.rev;
    try {
      // The first page's snapshot is still here, but the revision it stands for is gone.
      const r = await h.request('GET', `${cms}?limit=1&labelSelector=compact&continue=${first.metadata.continue}`);
      assert.equal(r.status, 410);
      const st = r.json();
      assert.deepEqual([st.reason, st.code, st.message], ['Expired', 410, 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.']);
      assert.deepEqual(decoded(st.metadata.continue), { v: 'meta.k8s.io/v1', rv: -1, start: 'c1\u0000' });
      assert.throws(() => h.api.list({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { limit: 1, labelSelector: 'compact', continue: direct.continue }), (e: any) => e.code === 410 && e.status.metadata.continue === st.metadata.continue);
      // The handed-out token reads the rest as the table is now: c9, made after the first page, shows up; c0 sorts before c1.
      const rest = (await h.request('GET', `${cms}?limit=10&labelSelector=compact&continue=${st.metadata.continue}`)).json();
      assert.deepEqual(rest.items.map((x: any) => x.metadata.name), ['c2', 'c3', 'c9']);
      assert.equal(rest.metadata.resourceVersion, String(h.store.rev));
    } finally {
      table.compactedRev = saved;
    }
  });

  it('refuses a continue token that does not decode, with the storage\'s words, before looking at resourceVersion', async () => {
    const refused = async (cont: string, extra = '') => {
      const r = await h.request('GET', `${cms}?limit=1&continue=${encodeURIComponent(cont)}${extra}`);
      assert.equal(r.status, 400, cont);
      assert.equal(r.json().reason, 'BadRequest');
      return r.json().message;
    };
    const prefix = 'invalid continue token: continue key is not valid';
    assert.equal(await refused('%%%'), `${prefix}: illegal base64 data at input byte 0`);
    assert.equal(await refused('e30='), `${prefix}: illegal base64 data at input byte 3`, 'padding is not RawURLEncoding');
    assert.equal(await refused('e30', '&resourceVersion=5'), `${prefix}: server does not recognize this encoded version `);
    assert.equal(await refused(token({ v: 'meta.k8s.io/v2', rv: 1, start: 'a' })), `${prefix}: server does not recognize this encoded version meta.k8s.io/v2`);
    assert.equal(await refused(token({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' })), `${prefix}: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`);
    assert.equal(await refused(token({ v: 'meta.k8s.io/v1', rv: 1, start: '' })), `${prefix}: encoded start key empty (version meta.k8s.io/v1)`);
    assert.equal(await refused(token({ v: 'meta.k8s.io/v1', rv: 1, start: '../kube-system/x' })), `${prefix}: ../kube-system/x`);
    assert.equal(await refused(token({ v: 'meta.k8s.io/v1', rv: '1', start: 'a' })), `${prefix}: json: cannot unmarshal string into Go struct field continueToken.rv of type int64`);
    assert.equal(await refused(Buffer.from('xyz').toString('base64url')), `${prefix}: invalid character 'x' looking for beginning of value`);
    // A good token beside a resourceVersion other than 0.
    const first = (await h.request('GET', `${cms}?limit=1`)).json();
    assert.equal(await refused(first.metadata.continue, '&resourceVersion=5'), 'specifying resource version is not allowed when using continue');
    assert.equal((await h.request('GET', `${cms}?limit=1&resourceVersion=0&continue=${first.metadata.continue}`)).status, 200);
  });

  it('ignores the limit of a list at resourceVersion=0 (the watch cache serves it whole), and counts what is left only without selectors', async () => {
    const all = (await h.request('GET', cms)).json().items.length;
    assert.ok(all > 2);
    const cached = (await h.request('GET', `${cms}?limit=1&resourceVersion=0`)).json();
    assert.deepEqual([cached.items.length, cached.metadata.continue, cached.metadata.remainingItemCount], [all, undefined, undefined]);
    const page = (await h.request('GET', `${cms}?limit=2`)).json();
    assert.equal(page.metadata.remainingItemCount, all - 2);
    const next = (await h.request('GET', `${cms}?limit=2&continue=${page.metadata.continue}`)).json();
    assert.equal(next.metadata.remainingItemCount, all - 4 > 0 ? all - 4 : undefined);
    assert.equal((await h.request('GET', `${cms}?limit=1&labelSelector=exact`)).json().metadata.remainingItemCount, undefined);
    assert.equal((await h.request('GET', `${cms}?limit=1&fieldSelector=metadata.name!=x`)).json().metadata.remainingItemCount, undefined);
    const last = (await h.request('GET', `${cms}?limit=${all}`)).json();
    assert.deepEqual([last.metadata.continue, last.metadata.remainingItemCount], [undefined, undefined]);
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
