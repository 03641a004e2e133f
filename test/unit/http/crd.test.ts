/**
 * Custom resources over HTTP, as kubectl meets them: discovery lists the group and the plural with its verbs,
 * short names and subresources once the CRD is established; `kubectl get` gets the Table with the CRD's
 * printer columns (Age by default); a strategic merge patch is a 415; the group-version's OpenAPI v3 document
 * carries the schema `kubectl explain` reads.
 */
import * as assert from 'node:assert/strict';
import { useHarness } from './harness';
import { AGGREGATED_V2 } from '../../../cluster/src/http/discovery';
import { CRD_GVR, cronTab, cronTabCRD } from '../cluster/crd/fixtures';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const CT = '/apis/stable.example.com/v1/namespaces/default/crontabs';

describe('http: custom resources', function () {
  this.timeout(20_000);
  const h = useHarness();

  /** What the naming and establishing controllers write (the harness runs no controllers). */
  const establish = (name: string) => {
    const crd = h.api.get(CRD_GVR, undefined, name);
    const conditions = [
      { type: 'NamesAccepted', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ];
    h.api.update(CRD_GVR, undefined, { ...crd, status: { ...crd.status, acceptedNames: crd.spec.names, conditions } }, {}, 'status');
  };

  before(async () => {
    const crd = cronTabCRD({
      subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
      columns: [
        { name: 'Spec', type: 'string', description: 'The cron spec defining the interval a CronJob is run', jsonPath: '.spec.cronSpec' },
        { name: 'Replicas', type: 'integer', description: 'The number of jobs launched by the CronJob', jsonPath: '.spec.replicas' },
        { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
      ],
    });
    const r = await h.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
    assert.equal(r.status, 201, r.text);
  });

  it('serves nothing before the CRD is established, then lists the group and resource in discovery', async () => {
    assert.equal((await h.request('GET', CT)).status, 404);
    assert.equal((await h.request('GET', '/apis/stable.example.com/v1')).status, 404);
    establish('crontabs.stable.example.com');
    const groups = (await h.request('GET', '/apis')).json().groups;
    assert.deepEqual(groups.find((g: any) => g.name === 'stable.example.com'), { name: 'stable.example.com', versions: [{ groupVersion: 'stable.example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'stable.example.com/v1', version: 'v1' } });
    const list = (await h.request('GET', '/apis/stable.example.com/v1')).json();
    assert.deepEqual(list.resources[0], { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', verbs: ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'], shortNames: ['ct'] });
    assert.deepEqual(list.resources.slice(1).map((r: any) => r.name), ['crontabs/status', 'crontabs/scale']);
    const agg = (await h.request('GET', '/apis', { headers: { accept: AGGREGATED_V2 } })).json().items.find((i: any) => i.metadata.name === 'stable.example.com');
    assert.deepEqual(agg.versions[0].resources[0].subresources.map((s: any) => s.subresource), ['status', 'scale']);
  });

  it('creates and prints CronTabs with the CRD\'s columns', async () => {
    const r = await h.request('POST', CT, { body: cronTab('my-new-cron-object') });
    assert.equal(r.status, 201, r.text);
    const t = (await h.request('GET', CT, { headers: { accept: TABLE } })).json();
    assert.deepEqual(t.columnDefinitions.map((c: any) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Spec', 'string', ''], ['Replicas', 'integer', ''], ['Age', 'date', '']]);
    assert.equal(t.columnDefinitions[3].description, 'Custom resource definition column (in JSONPath format): .metadata.creationTimestamp');
    assert.deepEqual(t.rows[0].cells, ['my-new-cron-object', '* * * * */5', 1, '0s']);
  });

  it('answers a strategic merge patch with 415, and a merge patch', async () => {
    const smp = await h.request('PATCH', `${CT}/my-new-cron-object`, { body: { spec: { replicas: 2 } }, headers: { 'content-type': 'application/strategic-merge-patch+json' } });
    assert.equal(smp.status, 415);
    assert.equal(smp.json().reason, 'UnsupportedMediaType');
    const mp = await h.request('PATCH', `${CT}/my-new-cron-object`, { body: { spec: { replicas: 2 } }, headers: { 'content-type': 'application/merge-patch+json' } });
    assert.equal(mp.status, 200, mp.text);
    assert.deepEqual((await h.request('GET', `${CT}/my-new-cron-object/scale`)).json().spec, { replicas: 2 });
  });

  it('publishes the schema in the group-version\'s OpenAPI v3 document, with ObjectMeta', async () => {
    const index = (await h.request('GET', '/openapi/v3')).json();
    assert.ok(index.paths['apis/stable.example.com/v1'], Object.keys(index.paths).join(','));
    const doc = (await h.request('GET', '/openapi/v3/apis/stable.example.com/v1')).json();
    const s = doc.components.schemas['com.example.stable.v1.CronTab'];
    assert.deepEqual(s['x-kubernetes-group-version-kind'], [{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    assert.equal(s.properties.spec.properties.replicas.type, 'integer');
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  });

  it('uses the Age column by default', async () => {
    const crd = cronTabCRD();
    crd.metadata.name = 'crontabs2.stable.example.com';
    crd.spec.names = { plural: 'crontabs2', singular: 'crontab2', kind: 'CronTab2' };
    assert.equal((await h.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd })).status, 201);
    establish('crontabs2.stable.example.com');
    assert.equal((await h.request('POST', '/apis/stable.example.com/v1/namespaces/default/crontabs2', { body: { ...cronTab('a'), kind: 'CronTab2' } })).status, 201);
    const t = (await h.request('GET', '/apis/stable.example.com/v1/namespaces/default/crontabs2', { headers: { accept: TABLE } })).json();
    assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Age']);
    assert.match(t.columnDefinitions[1].description, /^CreationTimestamp is a timestamp/);
  });
});
