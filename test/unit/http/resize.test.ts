import * as assert from 'node:assert/strict';
import { useHarness } from './harness';

/** pods/resize over HTTP, as `kubectl patch pod X --subresource resize` and `kubectl get --raw /api/v1` use it. */
describe('http: the pods/resize subresource', function () {
  this.timeout(20_000);
  const h = useHarness();
  const smp = { 'content-type': 'application/strategic-merge-patch+json' };
  const pod = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'rz' },
    spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.8', resources: { requests: { cpu: '100m' }, limits: { cpu: '200m' } } }] },
  };

  it('is listed in discovery with get, patch and update, between pods/proxy and pods/status', async () => {
    const core = (await h.request('GET', '/api/v1')).json();
    const names: string[] = core.resources.map((r: any) => r.name).filter((n: string) => n.startsWith('pods/'));
    const rz = core.resources.find((r: any) => r.name === 'pods/resize');
    assert.deepEqual([rz.kind, rz.namespaced, rz.verbs], ['Pod', true, ['get', 'patch', 'update']]);
    assert.ok(names.indexOf('pods/resize') < names.indexOf('pods/status'));
    assert.ok(names.indexOf('pods/log') < names.indexOf('pods/resize'));
  });

  it('answers GET, PATCH and PUT with the pod, taking only the containers\' resources', async () => {
    assert.equal((await h.request('POST', '/api/v1/namespaces/default/pods', { body: pod })).status, 201);
    const got = await h.request('GET', '/api/v1/namespaces/default/pods/rz/resize');
    assert.equal(got.status, 200);
    assert.equal(got.json().kind, 'Pod');
    const patched = await h.request('PATCH', '/api/v1/namespaces/default/pods/rz/resize', {
      body: { metadata: { labels: { ignored: 'yes' } }, spec: { containers: [{ name: 'c', resources: { limits: { cpu: '300m' } } }] } }, headers: smp,
    });
    assert.equal(patched.status, 200);
    const o = patched.json();
    assert.equal(o.spec.containers[0].resources.limits.cpu, '300m');
    assert.equal(o.metadata.labels, undefined, 'metadata is not changed through pods/resize');
    assert.equal(o.metadata.generation, 2);
    // The main resource still refuses the same change.
    const direct = await h.request('PATCH', '/api/v1/namespaces/default/pods/rz', { body: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: '400m' } } }] } }, headers: smp });
    assert.equal(direct.status, 422);
    assert.match(direct.json().message, /pod updates may not change fields other than/);
    const put = { ...o, spec: { ...o.spec, containers: [{ ...o.spec.containers[0], image: 'nginx', resources: { requests: { cpu: '100m' }, limits: { cpu: '250m' } } }] } };
    const updated = await h.request('PUT', '/api/v1/namespaces/default/pods/rz/resize', { body: put });
    assert.equal(updated.status, 200);
    assert.equal(updated.json().spec.containers[0].resources.limits.cpu, '250m');
    assert.equal(updated.json().spec.containers[0].image, 'registry.k8s.io/pause:3.8', 'only resources come from the request');
  });
});
