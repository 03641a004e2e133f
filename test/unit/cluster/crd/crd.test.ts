/**
 * CustomResourceDefinitions as the apiextensions-apiserver serves them: the CRD's own validation and status,
 * custom objects created, validated, pruned, defaulted and listed, the status and scale subresources, and the
 * cleanup finalizer that takes a deleted CRD's objects with it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from '../apiserver/statusOf';
import { CRD_GVR, CRONTABS, cronTab, cronTabCRD } from './fixtures';

describe('CustomResourceDefinitions: the CRD itself', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  it('defaults the names, records the stored version, and the naming and establishing controllers accept it', () => {
    const created = pg.api.create(CRD_GVR, undefined, cronTabCRD()).object;
    // PrepareForCreate: no status but the stored version; the names come from the naming controller.
    assert.deepEqual(created.status, { acceptedNames: { plural: '', kind: '' }, storedVersions: ['v1'] });
    assert.equal(created.spec.names.listKind, 'CronTabList');
    assert.deepEqual(created.spec.conversion, { strategy: 'None' });
    pg.settle();
    const crd = pg.api.get(CRD_GVR, undefined, 'crontabs.stable.example.com');
    assert.deepEqual(crd.status.acceptedNames, { plural: 'crontabs', singular: 'crontab', shortNames: ['ct'], kind: 'CronTab', listKind: 'CronTabList' });
    assert.deepEqual(crd.status.conditions.map((c: any) => [c.type, c.status, c.reason, c.message]), [
      ['NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'],
      ['Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'],
    ]);
  });

  it('refuses a CRD whose name, group, scope or versions are wrong, with upstream messages', () => {
    const bad = cronTabCRD();
    bad.metadata.name = 'crontab.stable.example.com';
    bad.spec.versions[0].storage = false;
    delete bad.spec.scope;
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, bad));
    assert.equal(s.code, 422);
    const fields = s.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    assert.ok(fields.includes('metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural+"."+spec.group'), fields.join('\n'));
    assert.ok(fields.includes('spec.scope: Required value'), fields.join('\n'));
    assert.ok(fields.some((f: string) => f.startsWith('spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{') && f.endsWith(': must have exactly one version marked as storage version')), fields.join('\n'));
    const nodot = cronTabCRD();
    nodot.spec.group = 'example';
    nodot.metadata.name = 'crontabs.example';
    assert.match(statusOf(() => pg.api.create(CRD_GVR, undefined, nodot)).message, /spec\.group: Invalid value: "example": should be a domain with at least one dot/);
  });

  it('requires a structural schema', () => {
    // One version: the conversion to the internal CRD moved its schema to spec.validation.
    const noType = cronTabCRD({ specProps: { foo: { description: 'no type' } } });
    assert.match(statusOf(() => pg.api.create(CRD_GVR, undefined, noType)).message,
      /spec\.validation\.openAPIV3Schema\.properties\[spec\]\.properties\[foo\]\.type: Required value: must not be empty for specified object fields/);
    const none = cronTabCRD();
    delete none.spec.versions[0].schema;
    assert.match(statusOf(() => pg.api.create(CRD_GVR, undefined, none)).message, /spec\.versions\[0\]\.schema\.openAPIV3Schema: Required value: schemas are required/);
  });

  it('reports a names conflict with another CRD of the group', () => {
    pg.api.create(CRD_GVR, undefined, cronTabCRD());
    pg.settle();
    const other = cronTabCRD();
    other.metadata.name = 'crontabz.stable.example.com';
    other.spec.names = { plural: 'crontabz', singular: 'crontabz', kind: 'CronTab' };
    pg.api.create(CRD_GVR, undefined, other);
    pg.settle();
    const crd = pg.api.get(CRD_GVR, undefined, 'crontabz.stable.example.com');
    const cond = (t: string) => crd.status.conditions.find((c: any) => c.type === t);
    // Each name is checked in turn (plural, singular, shortNames, kind, listKind): the last conflict is the reason.
    assert.deepEqual([cond('NamesAccepted').status, cond('NamesAccepted').reason, cond('NamesAccepted').message], ['False', 'ListKindConflict', '"CronTabList" is already in use']);
    assert.deepEqual(crd.status.acceptedNames, { plural: 'crontabz', singular: 'crontabz', kind: '' });
    assert.deepEqual([cond('Established').status, cond('Established').reason], ['False', 'NotAccepted']);
  });
});

describe('CustomResourceDefinitions: custom objects', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => {
    pg = new KubePlayground({ seed: 1, nodes: 1 });
  });
  afterEach(() => pg.close());
  const install = (crd: KObject = cronTabCRD()) => {
    pg.api.create(CRD_GVR, undefined, crd);
    pg.settle();
  };

  it('is not served before its CRD exists, then creates, gets, lists and selects CronTabs', () => {
    assert.equal(statusOf(() => pg.api.list(CRONTABS, 'default')).code, 404);
    install();
    const made = pg.api.create(CRONTABS, 'default', { ...cronTab('my-new-cron-object'), metadata: { name: 'my-new-cron-object', labels: { app: 'a' } } }).object;
    assert.equal(made.metadata.generation, 1);
    assert.equal(made.metadata.namespace, 'default');
    // The schema's default fills spec.replicas.
    assert.equal(made.spec.replicas, 1);
    pg.api.create(CRONTABS, 'default', { ...cronTab(''), metadata: { generateName: 'ct-' } });
    assert.equal(pg.api.list(CRONTABS, 'default').items.length, 2);
    assert.deepEqual(pg.api.list(CRONTABS, 'default', { labelSelector: 'app=a' }).items.map((o) => o.metadata.name), ['my-new-cron-object']);
    assert.deepEqual(pg.api.list(CRONTABS, undefined, { fieldSelector: 'metadata.name=my-new-cron-object' }).items.length, 1);
    assert.deepEqual(pg.api.list(CRONTABS, undefined, { fieldSelector: 'metadata.namespace=default' }).items.length, 2);
  });

  it('selects custom objects by metadata.name and (namespaced only) metadata.namespace, with the CR converter\'s refusal', () => {
    install();
    pg.api.create(CRONTABS, 'default', cronTab('a'));
    // crConverter.ConvertFieldLabel: any other label is "field label not supported", a 400 from list and watch.
    const bad = statusOf(() => pg.api.list(CRONTABS, 'default', { fieldSelector: 'spec.image=x' }));
    assert.deepEqual([bad.code, bad.reason, bad.message], [400, 'BadRequest', 'field label not supported: spec.image']);
    assert.equal(statusOf(() => pg.api.watch(CRONTABS, 'default', { fieldSelector: 'status.phase=x' }, () => undefined)).message, 'field label not supported: status.phase');
    pg.close();
    pg = new KubePlayground({ seed: 1, nodes: 1 });
    install(cronTabCRD({ scope: 'Cluster' }));
    pg.api.create(CRONTABS, undefined, cronTab('g1'));
    assert.deepEqual(pg.api.list(CRONTABS, undefined, { fieldSelector: 'metadata.name=g1' }).items.map((o) => o.metadata.name), ['g1']);
    // A cluster-scoped CRD's converter knows no metadata.namespace (built-in nodes and namespaces refuse it too).
    const ns = statusOf(() => pg.api.list(CRONTABS, undefined, { fieldSelector: 'metadata.namespace=default' }));
    assert.deepEqual([ns.code, ns.message], [400, 'field label not supported: metadata.namespace']);
  });

  it('validates against the schema with kube-openapi messages', () => {
    install();
    const msg = (spec: any) => statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('x', spec))).message;
    assert.equal(msg({ replicas: 'string' }), 'CronTab.stable.example.com "x" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"');
    assert.equal(msg({ replicas: 11 }), 'CronTab.stable.example.com "x" is invalid: spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10');
    assert.equal(msg({ cronSpec: 'bad' }), `CronTab.stable.example.com "x" is invalid: spec.cronSpec: Invalid value: "bad": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'`);
    pg.close();
    pg = new KubePlayground({ seed: 1, nodes: 1 });
    install(cronTabCRD({ required: ['image'], specProps: { mode: { type: 'string', enum: ['A', 'B'] }, tags: { type: 'array', maxItems: 1, items: { type: 'string', maxLength: 3 } }, port: { 'x-kubernetes-int-or-string': true } } }));
    assert.equal(msg({ mode: 'C' }), 'CronTab.stable.example.com "x" is invalid: [spec.image: Required value, spec.mode: Unsupported value: "C": supported values: "A", "B"]');
    assert.equal(msg({ image: 'i', tags: ['long', 'b'] }), 'CronTab.stable.example.com "x" is invalid: [spec.tags: Too many: 2: must have at most 1 item, spec.tags[0]: Too long: may not be more than 3 bytes]');
    assert.equal(msg({ image: 'i', port: true }), 'CronTab.stable.example.com "x" is invalid: spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"');
    assert.equal(pg.api.create(CRONTABS, 'default', cronTab('ok', { image: 'i', port: 'http' })).object.spec.port, 'http');
    assert.match(statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('Bad_Name'))).message, /metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });

  it('prunes unknown fields: warned under Warn, refused under Strict', () => {
    install();
    const body = cronTab('x', { cronSpec: '* * * * */5', foo: 'bar' });
    const strict = statusOf(() => pg.api.create(CRONTABS, 'default', body, { fieldValidation: 'Strict' }));
    assert.equal(strict.code, 400);
    assert.equal(strict.message, 'CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.foo"');
    const r = pg.api.create(CRONTABS, 'default', { ...body, extra: 1 }, { fieldValidation: 'Warn' });
    assert.deepEqual(r.warnings, ['unknown field "extra"', 'unknown field "spec.foo"']);
    assert.equal(r.object.spec.foo, undefined);
    assert.equal(r.object.extra, undefined);
  });

  it('refuses a strategic merge patch with 415, applies merge and JSON patches, and bumps the generation on spec changes', () => {
    install();
    pg.api.create(CRONTABS, 'default', cronTab('x'));
    const s = statusOf(() => pg.api.patch(CRONTABS, 'default', 'x', 'strategic', { spec: { replicas: 2 } }));
    assert.equal(s.code, 415);
    assert.equal(s.message, 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');
    assert.equal(pg.api.patch(CRONTABS, 'default', 'x', 'merge', { spec: { replicas: 2 } }).object.metadata.generation, 2);
    assert.equal(pg.api.patch(CRONTABS, 'default', 'x', 'json', [{ op: 'replace', path: '/spec/image', value: 'y' }]).object.metadata.generation, 3);
    // A metadata change leaves it; without a status subresource a status change moves it too.
    assert.equal(pg.api.patch(CRONTABS, 'default', 'x', 'merge', { metadata: { labels: { a: 'b' } } }).object.metadata.generation, 3);
    assert.equal(pg.api.patch(CRONTABS, 'default', 'x', 'merge', { status: { replicas: 1 } }).object.metadata.generation, 4);
  });

  it('splits spec and status when status is a subresource, and scales through the scale subresource', () => {
    install(cronTabCRD({ subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.labelSelector' } } }));
    const made = pg.api.create(CRONTABS, 'default', { ...cronTab('x'), status: { replicas: 9 } }).object;
    assert.equal(made.status, undefined);
    const st = pg.api.update(CRONTABS, 'default', { ...made, spec: { ...made.spec, image: 'ignored' }, status: { replicas: 1, labelSelector: 'app=x' } }, {}, 'status').object;
    assert.deepEqual([st.spec.image, st.status.replicas, st.metadata.generation], ['my-awesome-cron-image', 1, 1]);
    const main = pg.api.update(CRONTABS, 'default', { ...st, spec: { ...st.spec, replicas: 2 }, status: { replicas: 5 } }).object;
    assert.deepEqual([main.spec.replicas, main.status.replicas, main.metadata.generation], [2, 1, 2]);
    const scale = pg.api.get(CRONTABS, 'default', 'x', 'scale');
    assert.deepEqual([scale.kind, scale.apiVersion, scale.spec, scale.status], ['Scale', 'autoscaling/v1', { replicas: 2 }, { replicas: 1, selector: 'app=x' }]);
    pg.api.patch(CRONTABS, 'default', 'x', 'merge', { spec: { replicas: 4 } }, {}, 'scale');
    assert.equal(pg.api.get(CRONTABS, 'default', 'x').spec.replicas, 4);
    assert.equal(statusOf(() => pg.api.patch(CRONTABS, 'default', 'x', 'merge', { status: { replicas: -1 } }, {}, 'status')).message,
      'CronTab.stable.example.com "x" is invalid: .status.replicas: Invalid value: -1: should be a non-negative integer');
  });

  it('serves cluster-scoped kinds, and garbage-collects custom objects whose owner is gone', () => {
    install(cronTabCRD({ scope: 'Cluster' }));
    const owner = pg.api.create({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } }).object;
    const ct = pg.api.create(CRONTABS, undefined, { ...cronTab('owned'), metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] } }).object;
    assert.equal(ct.metadata.namespace, undefined);
    // A cluster-scoped dependent of a namespaced owner is unresolvable to the GC: it stays, as upstream.
    pg.close();
    pg = new KubePlayground({ seed: 1, nodes: 1 });
    install();
    const cm = pg.api.create({ group: '', version: 'v1', resource: 'configmaps' }, 'default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner' } }).object;
    pg.api.create(CRONTABS, 'default', { ...cronTab('owned'), metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: cm.metadata.uid! }] } });
    pg.api.delete({ group: '', version: 'v1', resource: 'configmaps' }, 'default', 'owner');
    pg.settle();
    assert.equal(statusOf(() => pg.api.get(CRONTABS, 'default', 'owned')).code, 404);
  });

  it('deletes a CRD only after its objects: Terminating, the cleanup finalizer, then gone', () => {
    install();
    pg.api.create(CRONTABS, 'default', { ...cronTab('keep'), metadata: { name: 'keep', finalizers: ['example.com/hold'] } });
    pg.api.create(CRONTABS, 'default', cronTab('plain'));
    const marked = pg.api.delete(CRD_GVR, undefined, 'crontabs.stable.example.com');
    assert.deepEqual(marked.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.equal(marked.status.conditions.find((c: any) => c.type === 'Terminating').reason, 'InstanceDeletionPending');
    pg.settle();
    // The object with a finalizer of its own holds the CRD back; new objects are refused meanwhile.
    const crd = pg.api.get(CRD_GVR, undefined, 'crontabs.stable.example.com');
    assert.equal(crd.status.conditions.find((c: any) => c.type === 'Terminating').reason, 'InstanceDeletionInProgress');
    assert.equal(statusOf(() => pg.api.get(CRONTABS, 'default', 'plain')).code, 404);
    const refused = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('late')));
    assert.deepEqual([refused.code, refused.message], [405, 'create not allowed while custom resource definition is terminating']);
    pg.api.patch(CRONTABS, 'default', 'keep', 'merge', { metadata: { finalizers: null } });
    pg.advance(6000);
    assert.equal(statusOf(() => pg.api.get(CRD_GVR, undefined, 'crontabs.stable.example.com')).code, 404);
    assert.equal(pg.store.count('stable.example.com/crontabs'), 0);
  });

  it('deletes a namespace\'s custom objects with the namespace', () => {
    install();
    pg.api.create({ group: '', version: 'v1', resource: 'namespaces' }, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    pg.api.create(CRONTABS, 'team', cronTab('x'));
    pg.api.delete({ group: '', version: 'v1', resource: 'namespaces' }, undefined, 'team');
    pg.advance(10_000);
    assert.equal(pg.store.count('stable.example.com/crontabs', 'team'), 0);
    assert.equal(statusOf(() => pg.api.get({ group: '', version: 'v1', resource: 'namespaces' }, undefined, 'team')).code, 404);
  });

  it('keeps CRDs and custom objects in a saved playground', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-crd-'));
    try {
      const a = new KubePlayground({ seed: 1, nodes: 1, stateDir: dir });
      a.api.create(CRD_GVR, undefined, cronTabCRD());
      a.settle();
      a.api.create(CRONTABS, 'default', cronTab('x'));
      a.close();
      const b = new KubePlayground({ seed: 1, nodes: 1, stateDir: dir });
      try {
        assert.equal(b.api.get(CRONTABS, 'default', 'x').spec.replicas, 1);
        assert.equal(b.api.create(CRONTABS, 'default', cronTab('y')).object.metadata.name, 'y');
      } finally {
        b.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
