/**
 * The CRD's validation errors as the apiserver reports them: on the internal CRD that v1 converts to (a schema,
 * subresources or printer columns shared by every version are reported at spec.validation, spec.subresources and
 * spec.additionalPrinterColumns, after the names), simple JSON paths for columns and scale, and the stored versions'
 * 1.33 wording.
 */
import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { validateCRD } from '../../../../cluster/src/apiserver/crd/validation';
import { statusOf } from '../apiserver/statusOf';
import { CRD_GVR, cronTabCRD } from './fixtures';

const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** The `field: message` of each cause, in the order the apiserver gives them. */
function causes(pg: KubePlayground, crd: KObject, update = false): string[] {
  const s = statusOf(() => (update ? pg.api.update(CRD_GVR, undefined, crd) : pg.api.create(CRD_GVR, undefined, crd)));
  assert.equal(s.code, 422, s.message);
  return s.details.causes.map((c: any) => `${c.field}: ${c.message}`);
}

/** A second version of the CronTab CRD, served and not stored, with the same schema. */
function twoVersions(crd: KObject): KObject {
  const v1 = crd.spec.versions[0];
  crd.spec.versions = [{ ...structuredClone(v1), name: 'v1beta1', storage: false }, v1];
  return crd;
}

describe('CustomResourceDefinitions: validation of the internal CRD', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  it('reports a one-version CRD\'s schema at spec.validation, after the names, and its first version name again as spec.version', () => {
    const crd: KObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'foo.example.com' },
      spec: {
        group: 'example.com',
        scope: 'namespaced',
        names: { plural: 'Foos', singular: 'foo', kind: 'Foo' },
        versions: [{
          name: 'V1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { list: { type: 'array' }, spec: { properties: { a: { type: 'string' } } } } } },
        }],
      },
    };
    assert.deepEqual(causes(pg, crd), [
      'metadata.name: Invalid value: "foo.example.com": must be spec.names.plural+"."+spec.group',
      'spec.scope: Unsupported value: "namespaced": supported values: "Cluster", "Namespaced"',
      `spec.versions[0].name: Invalid value: "V1": ${DNS1035}`,
      `spec.version: Invalid value: "V1": ${DNS1035}`,
      `spec.names.plural: Invalid value: "Foos": ${DNS1035}`,
      'spec.validation.openAPIV3Schema.properties[list].items: Required value: must be specified',
      'spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields',
    ]);
  });

  it('keeps per version what the versions do not share: each schema, or the columns of one', () => {
    const differ = twoVersions(cronTabCRD({ specProps: { foo: { description: 'no type' } } }));
    differ.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.bar = { description: 'neither' };
    assert.deepEqual(causes(pg, differ), [
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[foo].type: Required value: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[bar].type: Required value: must not be empty for specified object fields',
      'spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[foo].type: Required value: must not be empty for specified object fields',
    ]);
    // Same schema and subresources, columns on one version only: those stay under it, the rest move up.
    const shared = twoVersions(cronTabCRD({ specProps: { foo: { description: 'no type' } }, subresources: { scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: '.status.replicas' } } }));
    shared.spec.versions[1].additionalPrinterColumns = [{ name: 'Replicas', type: 'integer', jsonPath: 'spec.replicas' }];
    assert.deepEqual(causes(pg, shared), [
      'spec.versions[1].additionalPrinterColumns[0].JSONPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
      'spec.validation.openAPIV3Schema.properties[spec].properties[foo].type: Required value: must not be empty for specified object fields',
      'spec.subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
    ]);
  });

  it('asks every version for a schema before anything else about the versions', () => {
    const crd = twoVersions(cronTabCRD());
    delete crd.spec.versions[0].schema;
    crd.spec.versions[0].name = 'V1beta1';
    assert.deepEqual(causes(pg, crd), [
      'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
      `spec.versions[0].name: Invalid value: "V1beta1": ${DNS1035}`,
      `spec.version: Invalid value: "V1beta1": ${DNS1035}`,
    ]);
  });

  it('prints a moved schema as nil in the versions\' Go value', () => {
    const crd = cronTabCRD({ subresources: { status: {} } });
    crd.spec.versions[0].storage = false;
    assert.deepEqual(causes(pg, crd), [
      'spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{apiextensions.CustomResourceDefinitionVersion{Name:"v1", Served:true, Storage:false, Deprecated:false, '
        + 'DeprecationWarning:(*string)(nil), Schema:(*apiextensions.CustomResourceValidation)(nil), Subresources:(*apiextensions.CustomResourceSubresources)(nil), '
        + 'AdditionalPrinterColumns:[]apiextensions.CustomResourceColumnDefinition(nil), SelectableFields:[]apiextensions.SelectableField(nil)}}: must have exactly one version marked as storage version',
      // No storage version: PrepareForCreate had none to record.
      'status.storedVersions: Invalid value: []string(nil): must have at least one stored version',
    ]);
  });

  it('wants printer column and scale paths to be simple json paths starting with a dot', () => {
    const crd = cronTabCRD({
      columns: [{ name: 'Replicas', type: 'integer', jsonPath: 'spec.replicas' }, { name: 'Image', type: 'string', jsonPath: '.spec.image' }],
      subresources: { scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'status.labelSelector' } },
    });
    assert.deepEqual(causes(pg, crd), [
      'spec.subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
      'spec.subresources.scale.statusReplicasPath: Invalid value: "status.replicas": must be a simple json path starting with .',
      'spec.subresources.scale.labelSelectorPath: Invalid value: "status.labelSelector": must be a simple json path starting with .',
      'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
    ]);
    // A simple path outside .spec is then refused for where it points.
    const elsewhere = cronTabCRD({ subresources: { scale: { specReplicasPath: '.status.replicas', statusReplicasPath: '.status.replicas' } } });
    assert.deepEqual(causes(pg, elsewhere), ['spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec']);
  });

  it('keeps a version that was stored, with the 1.33 message, and prints the stored versions as Go does', () => {
    const crd = cronTabCRD();
    crd.spec.versions[0].name = 'v1alpha1';
    pg.api.create(CRD_GVR, undefined, crd);
    pg.settle();
    const both = structuredClone(pg.api.get(CRD_GVR, undefined, 'crontabs.stable.example.com'));
    both.spec.versions = [{ ...structuredClone(both.spec.versions[0]), storage: false }, { ...structuredClone(both.spec.versions[0]), name: 'v1' }];
    const updated = structuredClone(pg.api.update(CRD_GVR, undefined, both).object);
    assert.deepEqual(updated.status.storedVersions, ['v1alpha1', 'v1']);
    updated.spec.versions = [updated.spec.versions[1]];
    assert.deepEqual(causes(pg, updated, true), [
      'status.storedVersions[0]: Invalid value: "v1alpha1": missing from spec.versions; v1alpha1 was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in v1alpha1 and removes v1alpha1 from status.storedVersions',
    ]);
    // ValidateCustomResourceDefinitionStoredVersions gives the storedVersions list as the value.
    const lacking = { ...updated, status: { ...updated.status, storedVersions: ['v1alpha1'] } };
    const errs = validateCRD(lacking, updated).filter((e) => e.field === 'status.storedVersions');
    assert.deepEqual(errs.map((e) => [e.valueText, e.detail]), [['[]string{"v1alpha1"}', 'must have the storage version v1']]);
  });

  it('refuses preserveUnknownFields: true after the status, and a webhook conversion without a client config at webhookClientConfig', () => {
    const crd = cronTabCRD();
    crd.spec.names.listKind = 'CronTabList';
    crd.spec.preserveUnknownFields = true;
    crd.spec.conversion = { strategy: 'Webhook', webhook: { conversionReviewVersions: ['v1'] } };
    crd.status = { acceptedNames: { plural: 'crontabs', kind: 'CronTab', listKind: 'CronTab' } };
    const errs = validateCRD(crd).map((e) => e.field);
    assert.deepEqual(errs, ['spec.conversion.webhookClientConfig', 'status.acceptedNames.listKind', 'status.storedVersions', 'spec.preserveUnknownFields']);
    assert.equal(validateCRD(crd).at(-1)!.detail, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead');
  });
});

describe('CustomResourceDefinitions: patterns as Go regexp has them', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  it('refuses a pattern Go cannot compile, with its words', () => {
    const crd = cronTabCRD();
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image = { type: 'string', pattern: '+' };
    assert.ok(causes(pg, crd).includes("spec.validation.openAPIV3Schema.properties[spec].properties[image].pattern: Invalid value: \"+\": must be a valid regular expression, but isn't: error parsing regexp: missing argument to repetition operator: `+`"));
  });

  it('matches in time linear in the value: a nested repetition does not stall the apiserver', () => {
    const crd = cronTabCRD();
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image = { type: 'string', pattern: '^(a+)+$' };
    pg.api.create(CRD_GVR, undefined, crd);
    pg.settle();
    const gvr = { group: 'stable.example.com', version: 'v1', resource: 'crontabs' };
    // 60 characters: JavaScript's backtracking RegExp would take longer than the universe's age on this one.
    const s = statusOf(() => pg.api.create(gvr, 'default', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'x' }, spec: { image: 'a'.repeat(60) + 'b' } } as KObject));
    assert.match(s.message, /spec\.image in body should match '\^\(a\+\)\+\$'$/);
    assert.ok(pg.api.create(gvr, 'default', { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'y' }, spec: { image: 'aaaa' } } as KObject).object);
  });
});
