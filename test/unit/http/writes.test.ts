import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { useHarness, type Harness } from './harness';
import { KubePlayground } from '../../../cluster/src/playground';

const CM = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' }, ...extra });

/** Reads a watch stream until `count` events arrived (or the deadline), then closes it. */
function watchEvents(h: Harness, path: string, count: number, accept?: string, during?: () => Promise<void>): Promise<any[]> {
  return new Promise((resolve, reject) => {
    const events: any[] = [];
    const req = https.request(h.server.url + path, { headers: { authorization: `Bearer ${h.token}`, ...(accept ? { accept } : {}) }, ca: h.ca }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => reject(new Error(`watch answered ${res.statusCode}: ${body}`)));
        return;
      }
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line) events.push(JSON.parse(line));
          if (events.length >= count) {
            req.destroy();
            resolve(events);
          }
        }
      });
      if (during) during().catch(reject);
    });
    req.on('error', (err: any) => (err.code === 'ECONNRESET' ? resolve(events) : reject(err)));
    setTimeout(() => {
      req.destroy();
      resolve(events);
    }, 5000);
    req.end();
  });
}

describe('http: writes, queries and watches', function () {
  this.timeout(20_000);
  const h = useHarness();

  it('warns about unknown fields with fieldValidation=Warn, refuses them with Strict, drops them with Ignore', async () => {
    const warn = await h.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', { body: CM('fv-warn', { foo: 'bar' }) });
    assert.equal(warn.status, 201, warn.text);
    assert.match(String(warn.headers['warning']), /^299 - "unknown field \\"foo\\""$/);
    assert.equal(warn.json().foo, undefined);
    const strict = await h.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', { body: CM('fv-strict', { foo: 'bar' }) });
    assert.equal(strict.status, 400);
    assert.match(strict.json().message, /strict decoding error: unknown field "foo"/);
    const ignore = await h.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Ignore', { body: CM('fv-ignore', { foo: 'bar' }) });
    assert.equal(ignore.status, 201);
    assert.equal(ignore.headers['warning'], undefined);
    const bad = await h.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Loud', { body: CM('fv-bad') });
    assert.equal(bad.status, 400);
  });

  it('does not persist with dryRun=All, and refuses other dryRun values', async () => {
    const r = await h.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=All', { body: CM('dry') });
    assert.equal(r.status, 201);
    assert.equal(r.json().metadata.name, 'dry');
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
    const bad = await h.request('POST', '/api/v1/namespaces/default/configmaps?dryRun=Yes', { body: CM('dry') });
    assert.equal(bad.status, 400);
  });

  it('updates, patches (merge, json, strategic) and refuses a name mismatch', async () => {
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: CM('edit') });
    const got = (await h.request('GET', '/api/v1/namespaces/default/configmaps/edit')).json();
    got.data.b = '2';
    const put = await h.request('PUT', '/api/v1/namespaces/default/configmaps/edit', { body: got });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json().data, { a: '1', b: '2' });
    const mismatch = await h.request('PUT', '/api/v1/namespaces/default/configmaps/other', { body: got });
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.json().message, 'the name of the object (edit) does not match the name on the URL (other)');
    const merge = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/edit', { body: { data: { c: '3' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.deepEqual(merge.json().data, { a: '1', b: '2', c: '3' });
    const json = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/edit', { body: [{ op: 'remove', path: '/data/a' }], headers: { 'content-type': 'application/json-patch+json' } });
    assert.deepEqual(json.json().data, { b: '2', c: '3' });
    const smp = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/edit', { body: { metadata: { labels: { x: 'y' } } }, headers: { 'content-type': 'application/strategic-merge-patch+json' } });
    assert.deepEqual(smp.json().metadata.labels, { x: 'y' });
    const unknownType = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/edit', { body: {}, headers: { 'content-type': 'text/plain' } });
    assert.equal(unknownType.status, 415);
    const applyNoManager = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/edit', { body: CM('edit'), headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(applyNoManager.status, 422, 'ValidatePatchOptions answers 422 Invalid');
  });

  it('names the writer by its User-Agent without ?fieldManager=, and a scale write by its subresource (managerOrUserAgent)', async () => {
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'uadep' }, spec: { replicas: 1, selector: { matchLabels: { app: 'ua' } }, template: { metadata: { labels: { app: 'ua' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    assert.equal((await h.request('POST', '/apis/apps/v1/namespaces/default/deployments?fieldManager=kubectl-create', { body: dep })).status, 201);
    const r = await h.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/uadep/scale', {
      body: { spec: { replicas: 3 } }, headers: { 'content-type': 'application/merge-patch+json', 'user-agent': 'kubectl/v1.32.4 (linux/amd64) kubernetes/abc' },
    });
    assert.equal(r.status, 200, r.text);
    const mf = (await h.request('GET', '/apis/apps/v1/namespaces/default/deployments/uadep')).json().metadata.managedFields;
    const scale = mf.find((e: any) => e.manager === 'kubectl');
    assert.ok(scale, JSON.stringify(mf));
    assert.deepEqual([scale.operation, scale.subresource, Object.keys(scale.fieldsV1['f:spec'])], ['Update', 'scale', ['f:replicas']]);
  });

  it('creates by server-side apply (201), then applies again (200)', async () => {
    const first = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=test', { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: v\n', headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(first.status, 201, first.text);
    const again = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/ssa?fieldManager=test', { body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  k: w\n', headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(again.status, 200);
    assert.equal(again.json().data.k, 'w');
  });

  it('reads a field manager\'s entry stored before list keys took defaults (k:{"containerPort":80}) as the same item', async () => {
    const pg = new KubePlayground({ seed: 1, nodes: 1 });
    const D = { group: 'apps', version: 'v1', resource: 'deployments' };
    const cfg = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'l' } }, template: { metadata: { labels: { app: 'l' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } };
    const oldFields = { 'f:spec': { 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {},
      'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } } } } } } } };
    pg.api.create(D, 'default', { ...cfg, metadata: { ...cfg.metadata, managedFields: [{ manager: 'test', operation: 'Apply', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1', fieldsV1: oldFields }] } } as any);
    const r = pg.api.patch(D, 'default', 'legacy', 'apply', cfg, { fieldManager: 'test' });
    assert.deepEqual(r.object.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(r.object.metadata.generation, 1);
    pg.close();
  });

  it('applies the same Deployment twice without change: a port that leaves out its protocol is the defaulted TCP one', async () => {
    const body = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ports\nspec:\n  selector:\n    matchLabels: {app: p}\n  template:\n    metadata:\n      labels: {app: p}\n'
      + '    spec:\n      containers:\n      - name: c\n        image: nginx\n        ports:\n        - containerPort: 80\n';
    const path = '/apis/apps/v1/namespaces/default/deployments/ports?fieldManager=test';
    const first = await h.request('PATCH', path, { body, headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(first.status, 201, first.text);
    const again = await h.request('PATCH', path, { body, headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json().spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(again.json().metadata.generation, 1);
    assert.equal(again.json().metadata.resourceVersion, first.json().metadata.resourceVersion);
    const owned = again.json().metadata.managedFields[0].fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"c"}']['f:ports'];
    assert.deepEqual(Object.keys(owned).filter((k) => k.startsWith('k:')), ['k:{"containerPort":80,"protocol":"TCP"}']);
  });

  it('refuses a body whose namespace differs from the URL', async () => {
    const r = await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...CM('ns-x'), metadata: { name: 'ns-x', namespace: 'kube-system' } } });
    assert.equal(r.status, 400);
    assert.equal(r.json().message, 'the namespace of the provided object does not match the namespace sent on the request');
  });

  it('deletes one object and a collection by label', async () => {
    for (const n of ['dc-1', 'dc-2', 'dc-3']) await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...CM(n), metadata: { name: n, labels: { group: n === 'dc-3' ? 'keep' : 'drop' } } } });
    const one = await h.request('DELETE', '/api/v1/namespaces/default/configmaps/dc-1');
    assert.equal(one.status, 200);
    // finalizeDelete: a ConfigMap's store answers with a Status naming what went (kind holds the resource).
    const st = one.json();
    assert.deepEqual({ ...st, details: { ...st.details, uid: typeof st.details.uid } },
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'dc-1', kind: 'configmaps', uid: 'string' } });
    // A pod's store returns the pod itself: on a node, still there with its deletionTimestamp, and 200 all the same.
    await h.request('POST', '/api/v1/namespaces/default/pods', { body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'del-pod' }, spec: { nodeName: 'kubeplay-worker', containers: [{ name: 'c', image: 'nginx' }] } } });
    const pod = await h.request('DELETE', '/api/v1/namespaces/default/pods/del-pod');
    assert.equal(pod.status, 200);
    assert.equal(pod.json().kind, 'Pod');
    assert.ok(pod.json().metadata.deletionTimestamp);
    const coll = await h.request('DELETE', '/api/v1/namespaces/default/configmaps?labelSelector=group%3Ddrop');
    assert.equal(coll.status, 200);
    assert.deepEqual(coll.json().items.map((i: any) => i.metadata.name), ['dc-2']);
    const left = (await h.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=group')).json();
    assert.deepEqual(left.items.map((i: any) => i.metadata.name), ['dc-3']);
    // The all-namespaces path has no deletecollection route: 405, and every ConfigMap stays.
    const all = (await h.request('GET', '/api/v1/configmaps')).json().items.length;
    const everywhere = await h.request('DELETE', '/api/v1/configmaps');
    assert.equal(everywhere.status, 405);
    assert.equal(everywhere.json().reason, 'MethodNotAllowed');
    assert.equal((await h.request('GET', '/api/v1/configmaps')).json().items.length, all);
    assert.deepEqual((await h.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=group')).json().items.length, 1);
  });

  it('watches with initial events closed by the initial-events-end bookmark (WatchList)', async () => {
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: CM('wl-1') });
    const events = await watchEvents(h, '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dwl-1', 3, undefined,
      async () => {
        await new Promise((r) => setTimeout(r, 100));
        await h.request('PATCH', '/api/v1/namespaces/default/configmaps/wl-1', { body: { data: { z: '1' } }, headers: { 'content-type': 'application/merge-patch+json' } });
      });
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'BOOKMARK', 'MODIFIED']);
    assert.equal(events[1].object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.equal(events[2].object.data.z, '1');
    const refused = await h.request('GET', '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true');
    assert.equal(refused.status, 422);
    assert.equal(refused.json().message, 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
    assert.deepEqual(refused.json().details.causes, [{ reason: 'FieldValueForbidden', message: 'Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan', field: 'resourceVersionMatch' }]);
  });

  it('ends the initial events at the snapshot revision, not at the newest item\'s, and goes on from there', async () => {
    // Two objects, the first one changed after the second was made: the snapshot is newer than either item's last write.
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...CM('snap-a'), metadata: { name: 'snap-a', labels: { snap: 'y' } } } });
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...CM('snap-b'), metadata: { name: 'snap-b', labels: { snap: 'y' } } } });
    await h.request('PATCH', '/api/v1/namespaces/default/configmaps/snap-a', { body: { data: { v: '2' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    const now = (await h.request('GET', '/api/v1/namespaces/default/configmaps?labelSelector=snap')).json().metadata.resourceVersion;
    const events = await watchEvents(h, '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&labelSelector=snap', 4, undefined,
      async () => {
        await new Promise((r) => setTimeout(r, 100));
        await h.request('PATCH', '/api/v1/namespaces/default/configmaps/snap-b', { body: { data: { v: '3' } }, headers: { 'content-type': 'application/merge-patch+json' } });
      });
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name ?? ''}`), ['ADDED snap-a', 'ADDED snap-b', 'BOOKMARK ', 'MODIFIED snap-b'], 'no replayed history');
    assert.ok(Number(events[2].object.metadata.resourceVersion) >= Number(now), 'the bookmark names the snapshot');
    // sendInitialEvents=false: no ADDED for what exists, only the change.
    const later = await watchEvents(h, '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&labelSelector=snap', 1, undefined,
      async () => {
        await new Promise((r) => setTimeout(r, 100));
        await h.request('PATCH', '/api/v1/namespaces/default/configmaps/snap-a', { body: { data: { v: '4' } }, headers: { 'content-type': 'application/merge-patch+json' } });
      });
    assert.deepEqual(later.map((e) => `${e.type} ${e.object.metadata.name}`), ['MODIFIED snap-a']);
  });

  it('answers in YAML to Accept: application/yaml, and 406 to an Accept it cannot serve', async () => {
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: { ...CM('yaml-1'), data: { a: '1', b: 'yes' } } });
    const y = await h.request('GET', '/api/v1/namespaces/default/configmaps/yaml-1', { headers: { accept: 'application/yaml' } });
    assert.equal(y.status, 200);
    assert.equal(y.headers['content-type'], 'application/yaml');
    assert.match(y.text, /^apiVersion: v1\ndata:\n  a: "1"\n  b: "yes"\nkind: ConfigMap\nmetadata:\n/);
    const missing = await h.request('GET', '/api/v1/namespaces/default/configmaps/nope', { headers: { accept: 'application/yaml' } });
    assert.equal(missing.status, 404);
    assert.match(missing.text, /^apiVersion: v1\ncode: 404\ndetails:\n/);
    const html = await h.request('GET', '/api/v1/namespaces/default/configmaps', { headers: { accept: 'text/html' } });
    assert.equal(html.status, 406);
    assert.equal(html.json().message, 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    const watchYaml = await h.request('GET', '/api/v1/namespaces/default/configmaps?watch=true', { headers: { accept: 'application/yaml' } });
    assert.equal(watchYaml.status, 406);
  });

  it('refuses patch options as ValidatePatchOptions does: 422 Invalid PatchOptions with its cause', async () => {
    await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: CM('po-1') });
    const noManager = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/po-1', { body: CM('po-1'), headers: { 'content-type': 'application/apply-patch+yaml' } });
    assert.equal(noManager.status, 422);
    assert.equal(noManager.json().message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    assert.deepEqual(noManager.json().details.causes, [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
    const force = await h.request('PATCH', '/api/v1/namespaces/default/configmaps/po-1?force=false', { body: { data: { b: '2' } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(force.status, 422);
    assert.equal(force.json().message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('validates list and watch options as ValidateListOptions does, and answers a list ahead of the store with 504', async () => {
    const msg = async (path: string) => { const r = await h.request('GET', path); return `${r.status} ${r.json().message}`; };
    assert.equal(await msg('/api/v1/namespaces/default/configmaps?watch=true&resourceVersionMatch=NotOlderThan'),
      '422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided');
    assert.equal(await msg('/api/v1/namespaces/default/configmaps?resourceVersionMatch=Exact'),
      '422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
    assert.equal(await msg('/api/v1/namespaces/default/configmaps?resourceVersion=0&resourceVersionMatch=Exact'),
      '422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    assert.equal(await msg('/api/v1/namespaces/default/configmaps?resourceVersion=1&resourceVersionMatch=Newest'),
      '422 ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""');
    assert.equal(await msg('/api/v1/namespaces/default/configmaps?sendInitialEvents=true'),
      '422 ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list');
    const ahead = await h.request('GET', '/api/v1/namespaces/default/configmaps?resourceVersion=999999999');
    assert.equal(ahead.status, 504);
    assert.match(ahead.json().message, /^Too large resource version: 999999999, current: \d+$/);
    assert.deepEqual(ahead.json().details, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
    // A watch with a bad selector is an HTTP error, not a 200 stream with an ERROR event.
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/configmaps?watch=true&labelSelector=a%3D%3D%3Db')).status, 400);
  });

  it('streams Table rows for kubectl get -w, with column definitions only in the first event', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    const rv = (await h.request('GET', '/api/v1/namespaces/default/configmaps')).json().metadata.resourceVersion;
    const events = await watchEvents(h, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, 2, accept, async () => {
      await new Promise((r) => setTimeout(r, 100));
      await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: CM('tw-1') });
      await h.request('POST', '/api/v1/namespaces/default/configmaps', { body: CM('tw-2') });
    });
    assert.equal(events.length, 2);
    assert.equal(events[0].object.kind, 'Table');
    assert.deepEqual(events[0].object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    assert.deepEqual(events[0].object.rows[0].cells.slice(0, 2), ['tw-1', 1]);
    assert.deepEqual(events[1].object.columnDefinitions, []);
    assert.equal(events[1].object.rows[0].cells[0], 'tw-2');
  });

  it('binds a pod to a node through pods/binding, as the scheduler does', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'tobind' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    const b = await h.request('POST', '/api/v1/namespaces/default/pods/tobind/binding', {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } },
    });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json().status, 'Success');
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/pods/tobind')).json().spec.nodeName, 'node-a');
    const again = await h.request('POST', '/api/v1/namespaces/default/pods/tobind/binding', {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'tobind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-b' } },
    });
    assert.equal(again.status, 409, 'a bound pod cannot be bound again');
  });

  it('refuses a Binding or an Eviction whose name is not the pod\'s in the URL, as BindingREST and EvictionREST do', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'named' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    const b = await h.request('POST', '/api/v1/namespaces/default/pods/named/binding', {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'other' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } },
    });
    assert.equal(b.status, 400, b.text);
    assert.deepEqual([b.json().reason, b.json().message], ['BadRequest', 'name in URL does not match name in Binding object']);
    assert.equal((await h.request('GET', '/api/v1/namespaces/default/pods/named')).json().spec.nodeName, undefined);
    const e = await h.request('POST', '/api/v1/namespaces/default/pods/named/eviction', { body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } } });
    assert.equal(e.status, 400, e.text);
    assert.deepEqual([e.json().reason, e.json().message], ['BadRequest', 'name in URL does not match name in Eviction object']);
    const dry = await h.request('POST', '/api/v1/namespaces/default/pods/named/eviction?dryRun=All', {
      body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'named' }, deleteOptions: { dryRun: ['All', 'All'] } },
    });
    assert.equal(dry.status, 500, dry.text);
    assert.equal(dry.json().message, 'Non-matching dry-run options in request and content: [All] and [All All]');
    assert.ok(!(await h.request('GET', '/api/v1/namespaces/default/pods/named')).json().metadata.deletionTimestamp);
  });

  it('serves pod logs with tailLines, and refuses an unknown container', async () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'logger' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod });
    // LogLocation: a pod no node has yet answers an empty log, not an error.
    const unscheduled = await h.request('GET', '/api/v1/namespaces/default/pods/logger/log');
    assert.equal(unscheduled.status, 200, unscheduled.text);
    assert.equal(unscheduled.text, '');
    await h.request('POST', '/api/v1/namespaces/default/pods/logger/binding', {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'logger' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-a' } },
    });
    const waiting = await h.request('GET', '/api/v1/namespaces/default/pods/logger/log');
    assert.equal(waiting.status, 400);
    assert.equal(waiting.json().message, 'container "c" in pod "logger" is waiting to start: ContainerCreating');
    // validateContainerLogStatus has its own words for the two image-pull reasons.
    for (const [reason, words] of [['ErrImagePull', "image can't be pulled"], ['ImagePullBackOff', 'trying and failing to pull image'], ['CreateContainerConfigError', 'CreateContainerConfigError']]) {
      const now = (await h.request('GET', '/api/v1/namespaces/default/pods/logger')).json();
      const pulling = { ...now, status: { ...now.status, containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason } } }] } };
      assert.equal((await h.request('PUT', '/api/v1/namespaces/default/pods/logger/status', { body: pulling })).status, 200);
      assert.equal((await h.request('GET', '/api/v1/namespaces/default/pods/logger/log')).json().message, `container "c" in pod "logger" is waiting to start: ${words}`);
    }
    const status = { containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'busybox', imageID: '', state: { running: { startedAt: '2026-01-01T00:00:00Z' } } }], phase: 'Running' };
    const cur = (await h.request('GET', '/api/v1/namespaces/default/pods/logger')).json();
    const st = await h.request('PUT', '/api/v1/namespaces/default/pods/logger/status', { body: { ...cur, status: { ...cur.status, ...status } } });
    assert.equal(st.status, 200, st.text);
    const all = await h.request('GET', '/api/v1/namespaces/default/pods/logger/log');
    assert.equal(all.text, 'line one\nline two\nline three\n');
    const tail = await h.request('GET', '/api/v1/namespaces/default/pods/logger/log?tailLines=1');
    assert.equal(tail.text, 'line three\n');
    const exec = await h.request('POST', '/api/v1/namespaces/default/pods/logger/exec?command=ls&container=c');
    assert.equal(exec.status, 400);
    assert.match(exec.json().message, /^pods\/exec is not available in the kubeplay playground/);
    assert.match(exec.json().message, /without a WebSocket upgrade: exec needs a WebSocket upgrade/);
    const attach = await h.request('POST', '/api/v1/namespaces/default/pods/logger/attach?container=c');
    assert.equal(attach.status, 400);
    assert.match(attach.json().message, /^pods\/attach is not available in the kubeplay playground without a WebSocket upgrade: attach needs a WebSocket upgrade/);
    const bad = await h.request('GET', '/api/v1/namespaces/default/pods/logger/log?container=nope');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().message, 'container nope is not valid for pod logger');
  });
});
