/**
 * resource.k8s.io/v1 as a v1.34 apiserver serves it with default feature gates (review 37, finding 4): discovery lists
 * deviceclasses, resourceclaims (with status), resourceclaimtemplates and resourceslices without short names or
 * categories, no beta version is served, and `kubectl get` gets printers.go's columns.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { AGGREGATED_V2 } from '../../../cluster/src/http/discovery';
import { localGroupVersions } from '../../../cluster/src/playground/aggregator';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const CLAIMS = '/apis/resource.k8s.io/v1/namespaces/default/resourceclaims';

describe('http: resource.k8s.io/v1 (Dynamic Resource Allocation)', function () {
  this.timeout(20_000);
  const h = useHarness();

  it('serves resource.k8s.io/v1 only, between discovery.k8s.io and flowcontrol as upstream orders the groups', async () => {
    const groups = (await h.request('GET', '/apis')).json().groups;
    const names = groups.map((g: any) => g.name);
    const i = names.indexOf('resource.k8s.io');
    assert.ok(i > 0, 'resource.k8s.io is served');
    assert.equal(names[i - 1], 'discovery.k8s.io');
    assert.equal(names[i + 1], 'flowcontrol.apiserver.k8s.io');
    assert.deepEqual(groups[i].versions.map((v: any) => v.groupVersion), ['resource.k8s.io/v1']);
    assert.equal((await h.request('GET', '/apis/resource.k8s.io/v1beta1')).status, 404);
    assert.ok(localGroupVersions().includes('resource.k8s.io/v1'), 'an APIService v1.resource.k8s.io');
  });

  it('lists the four resources with their scope, verbs and the claims\' status subresource, and no short names', async () => {
    const all = (await h.request('GET', '/apis', { headers: { accept: AGGREGATED_V2 } })).json().items;
    const rs = all.find((i: any) => i.metadata.name === 'resource.k8s.io').versions[0].resources;
    assert.deepEqual(rs.map((r: any) => [r.resource, r.scope]), [
      ['deviceclasses', 'Cluster'], ['resourceclaims', 'Namespaced'], ['resourceclaimtemplates', 'Namespaced'], ['resourceslices', 'Cluster'],
    ]);
    for (const r of rs) {
      assert.equal(r.shortNames, undefined, r.resource);
      assert.equal(r.categories, undefined, r.resource);
      assert.deepEqual([...r.verbs].sort(), ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']);
    }
    assert.deepEqual(rs.find((r: any) => r.resource === 'resourceclaims').subresources.map((s: any) => s.subresource), ['status']);
  });

  it('lists no device classes on a fresh cluster (kubectl: "No resources found")', async () => {
    const r = await h.request('GET', '/apis/resource.k8s.io/v1/deviceclasses', { headers: { accept: TABLE } });
    assert.equal(r.status, 200, r.text);
    const t = r.json();
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Age']);
    assert.deepEqual(t.rows, []);
  });

  it('creates a claim with defaulted requests and an empty status, printed as pending', async () => {
    const r = await h.request('POST', CLAIMS, { body: {
      apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'gpu' },
      spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
      status: { reservedFor: [{ resource: 'pods', name: 'x', uid: 'u' }] },
    } });
    assert.equal(r.status, 201, r.text);
    const c = r.json();
    // SetDefaults_ExactDeviceRequest; the strategy's PrepareForCreate drops the status sent.
    assert.deepEqual(c.spec.devices.requests[0].exactly, { deviceClassName: 'gpu.example.com', allocationMode: 'ExactCount', count: 1 });
    assert.deepEqual(c.status, {});
    const t = (await h.request('GET', CLAIMS, { headers: { accept: TABLE } })).json();
    assert.deepEqual(t.columnDefinitions.map((x: any) => x.name), ['Name', 'State', 'Age']);
    assert.deepEqual(t.rows.map((x: any) => x.cells.slice(0, 2)), [['gpu', 'pending']]);
  });

  it('refuses a claim spec change: the spec is immutable', async () => {
    const body = { apiVersion: 'resource.k8s.io/v1', kind: 'ResourceClaim', metadata: { name: 'fixed' },
      spec: { devices: { requests: [{ name: 'a', exactly: { deviceClassName: 'c' } }] } } };
    assert.equal((await h.request('POST', CLAIMS, { body })).status, 201);
    const r = await h.request('PATCH', `${CLAIMS}/fixed`, { headers: { 'content-type': 'application/merge-patch+json' },
      body: { spec: { devices: { requests: [{ name: 'b', exactly: { deviceClassName: 'c' } }] } } } });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json().message, 'ResourceClaim.resource.k8s.io "fixed" is invalid: spec: Invalid value: field is immutable');
  });

  it('prints resource slices with their node, driver and pool', async () => {
    const r = await h.request('POST', '/apis/resource.k8s.io/v1/resourceslices', { body: {
      apiVersion: 'resource.k8s.io/v1', kind: 'ResourceSlice', metadata: { name: 'worker-gpu' },
      spec: { driver: 'gpu.example.com', nodeName: 'kind-worker', pool: { name: 'kind-worker', resourceSliceCount: 1 } },
    } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json().metadata.generation, 1);
    const t = (await h.request('GET', '/apis/resource.k8s.io/v1/resourceslices', { headers: { accept: TABLE } })).json();
    assert.deepEqual(t.columnDefinitions.map((x: any) => x.name), ['Name', 'Node', 'Driver', 'Pool', 'Age']);
    assert.deepEqual(t.rows[0].cells.slice(0, 4), ['worker-gpu', 'kind-worker', 'gpu.example.com', 'kind-worker']);
  });
});
