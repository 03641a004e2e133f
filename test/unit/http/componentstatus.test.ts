/**
 * The deprecated ComponentStatus API and the health endpoints over HTTP:
 * the JSON upstream's registry answers (no resourceVersion; metadata with the
 * name alone, as 1.34 omits a zero creationTimestamp), its discovery entries, the
 * deprecation Warning header, and the refusals of everything but get and list.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { componentStatusPrinter } from '../../../cluster/src/http/tables/more';
import { AGGREGATED_V2 } from '../../../cluster/src/http/discovery';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const WARNING = '299 - "v1 ComponentStatus is deprecated in v1.19+"';
const healthy = (name: string) => ({
  kind: 'ComponentStatus', apiVersion: 'v1', metadata: { name },
  conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }],
});

describe('http: componentstatuses', function () {
  this.timeout(20_000);
  const h = useHarness();

  it('lists controller-manager, scheduler and etcd-0 as upstream encodes them, with the deprecation warning', async () => {
    const r = await h.request('GET', '/api/v1/componentstatuses');
    assert.equal(r.status, 200);
    assert.equal(r.headers.warning, WARNING);
    assert.equal(r.text, JSON.stringify({ kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: ['controller-manager', 'scheduler', 'etcd-0'].map(healthy) }));
    const one = await h.request('GET', '/api/v1/componentstatuses/etcd-0');
    assert.equal(one.status, 200);
    assert.equal(one.headers.warning, WARNING);
    assert.equal(one.text, JSON.stringify(healthy('etcd-0')));
  });

  it('filters by field and label selectors, ignores limit, and refuses unknown fields', async () => {
    const names = async (q: string) => (await h.request('GET', `/api/v1/componentstatuses?${q}`)).json().items.map((i: any) => i.metadata.name);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dscheduler'), ['scheduler']);
    assert.deepEqual(await names('fieldSelector=metadata.name!%3Dscheduler'), ['controller-manager', 'etcd-0']);
    assert.deepEqual(await names('fieldSelector=metadata.namespace%3Ddefault'), []);
    assert.deepEqual(await names('labelSelector=a%3Db'), []);
    assert.deepEqual(await names('labelSelector=!a'), ['controller-manager', 'scheduler', 'etcd-0']);
    const limited = (await h.request('GET', '/api/v1/componentstatuses?limit=1')).json();
    assert.equal(limited.items.length, 3);
    assert.deepEqual(limited.metadata, {});
    const bad = await h.request('GET', '/api/v1/componentstatuses?fieldSelector=status.phase%3DOK');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().reason, 'BadRequest');
    assert.equal(bad.json().message, '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"');
  });

  it('answers a Table with upstream columns and PartialObjectMetadata', async () => {
    const t = (await h.request('GET', '/api/v1/componentstatuses', { headers: { accept: TABLE } })).json();
    assert.equal(t.kind, 'Table');
    assert.deepEqual(t.metadata, {});
    assert.deepEqual(t.columnDefinitions.map((c: any) => [c.name, c.type, c.description, c.priority]), [
      ['Name', 'string', componentStatusPrinter.columns[0].description, 0],
      ['Status', 'string', 'Status of the component conditions', 0],
      ['Message', 'string', 'Message of the component conditions', 0],
      ['Error', 'string', 'Error of the component conditions', 0],
    ]);
    assert.deepEqual(t.rows.map((r: any) => r.cells), [
      ['controller-manager', 'Healthy', 'ok', ''], ['scheduler', 'Healthy', 'ok', ''], ['etcd-0', 'Healthy', 'ok', ''],
    ]);
    const p = (await h.request('GET', '/api/v1/componentstatuses/scheduler', { headers: { accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io' } })).json();
    assert.deepEqual(p, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'scheduler' } });
  });

  it('prints Unhealthy for a failing Healthy condition and Unknown without one, as printComponentStatus', () => {
    const row = (conditions: unknown[]) => componentStatusPrinter.row({ metadata: { name: 'x' }, conditions }, 0).cells;
    assert.deepEqual(row([{ type: 'Healthy', status: 'False', error: 'connection refused' }]), ['x', 'Unhealthy', '', 'connection refused']);
    assert.deepEqual(row([{ type: 'Healthy', status: 'Unknown', message: 'm' }]), ['x', 'Unhealthy', 'm', '']);
    assert.deepEqual(row([]), ['x', 'Unknown', '', '']);
  });

  it('refuses other verbs, watch, namespaced paths and unknown names as upstream does', async () => {
    for (const [method, p] of [['POST', '/api/v1/componentstatuses'], ['DELETE', '/api/v1/componentstatuses'], ['PUT', '/api/v1/componentstatuses/scheduler'],
      ['PATCH', '/api/v1/componentstatuses/scheduler'], ['DELETE', '/api/v1/componentstatuses/scheduler']]) {
      const r = await h.request(method, p, { body: method === 'DELETE' ? undefined : {}, headers: method === 'PATCH' ? { 'content-type': 'application/merge-patch+json' } : {} });
      assert.equal(r.status, 405, `${method} ${p}`);
      assert.equal(r.json().reason, 'MethodNotAllowed');
      assert.equal(r.json().message, 'the server does not allow this method on the requested resource');
    }
    const w = await h.request('GET', '/api/v1/componentstatuses?watch=true');
    assert.equal(w.status, 405);
    assert.deepEqual(w.json(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'watch is not supported on resources of kind "componentstatuses"',
      reason: 'MethodNotAllowed', details: { kind: 'componentstatuses' }, code: 405,
    });
    assert.equal((await h.request('GET', '/api/v1/watch/componentstatuses')).status, 404);
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/componentstatuses')).status, 404);
    assert.equal((await h.request('GET', '/api/v1/componentstatuses/scheduler/status')).status, 404);
    const missing = await h.request('GET', '/api/v1/componentstatuses/kube-proxy');
    assert.equal(missing.status, 500);
    assert.deepEqual(missing.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Component not found: kube-proxy', code: 500 });
    assert.equal(missing.headers.warning, WARNING);
  });

  it('is in legacy and aggregated discovery, cluster-scoped, with short name cs and only get and list', async () => {
    const v1 = (await h.request('GET', '/api/v1')).json();
    assert.deepEqual(v1.resources.find((r: any) => r.name === 'componentstatuses'), {
      name: 'componentstatuses', singularName: 'componentstatus', namespaced: false, kind: 'ComponentStatus', verbs: ['get', 'list'], shortNames: ['cs'],
    });
    const agg = (await h.request('GET', '/api', { headers: { accept: AGGREGATED_V2 } })).json();
    const entry = agg.items[0].versions[0].resources.find((r: any) => r.resource === 'componentstatuses');
    assert.deepEqual(entry, {
      resource: 'componentstatuses', responseKind: { group: '', version: 'v1', kind: 'ComponentStatus' }, scope: 'Cluster',
      singularResource: 'componentstatus', verbs: ['get', 'list'], shortNames: ['cs'],
    });
  });

  it('answers the health endpoints plainly, verbosely, per check and with exclusions', async () => {
    for (const p of ['/healthz', '/livez', '/readyz', '/readyz/ping', '/livez/etcd', '/healthz/log']) {
      const r = await h.request('GET', p);
      assert.equal(r.status, 200, p);
      assert.equal(r.text, 'ok', p);
      assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    }
    const ready = (await h.request('GET', '/readyz?verbose')).text.split('\n');
    assert.deepEqual(ready.slice(0, 5), ['[+]ping ok', '[+]log ok', '[+]etcd ok', '[+]etcd-readiness ok', '[+]informer-sync ok']);
    assert.deepEqual(ready.slice(-3), ['[+]shutdown ok', 'readyz check passed', '']);
    const health = (await h.request('GET', '/healthz?verbose')).text;
    assert.match(health, /^\[\+\]ping ok\n[\s\S]*\[\+\]poststarthook\/rbac\/bootstrap-roles ok\n[\s\S]*healthz check passed\n$/);
    const ex = (await h.request('GET', '/livez?verbose&exclude=etcd&exclude=nope')).text;
    assert.match(ex, /^\[\+\]ping ok\n\[\+\]log ok\n\[\+\]etcd excluded: ok\n/);
    assert.match(ex, /\nwarn: some health checks cannot be excluded: no matches for "nope"\nlivez check passed\n$/);
    assert.equal((await h.request('GET', '/readyz/no-such-check')).status, 404);
  });
});

describe('http: deprecated v1 Endpoints', function () {
  this.timeout(20_000);
  const h = useHarness();
  const WARN = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';

  it('warns on every request to v1 Endpoints (list, get, a missing one, a write) and on nothing else', async () => {
    const list = await h.request('GET', '/api/v1/namespaces/default/endpoints');
    assert.equal(list.status, 200);
    assert.equal(list.headers.warning, WARN);
    const created = await h.request('POST', '/api/v1/namespaces/default/endpoints', { body: { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'manual' } } });
    assert.equal(created.status, 201);
    assert.equal(created.headers.warning, WARN);
    const one = await h.request('GET', '/api/v1/namespaces/default/endpoints/manual');
    assert.equal(one.status, 200);
    assert.equal(one.headers.warning, WARN);
    const missing = await h.request('GET', '/api/v1/namespaces/default/endpoints/nope');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.warning, WARN);
    const slices = await h.request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices');
    assert.equal(slices.headers.warning, undefined);
  });
});
