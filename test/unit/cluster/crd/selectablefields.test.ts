/**
 * CRD selectableFields (GA in 1.32): the versions' field selectors validated as ValidateCustomResourceSelectableFields
 * does, and `--field-selector` on a custom resource's list and watch by those fields.
 */
import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject, WatchEvent } from '../../../../cluster/src/contract';
import { statusOf } from '../apiserver/statusOf';
import { CRD_GVR, CRONTABS, cronTab, cronTabCRD } from './fixtures';

const SPEC_PROPS = {
  color: { type: 'string' },
  size: { type: 'string', enum: ['S', 'M', 'L'] },
  count: { type: 'integer' },
  paused: { type: 'boolean' },
  ratio: { type: 'number' },
  tags: { type: 'array', items: { type: 'string' } },
  extra: { type: 'object', additionalProperties: { type: 'string' } },
};

function crdWith(selectableFields: unknown[]): KObject {
  const crd = cronTabCRD({ specProps: SPEC_PROPS });
  crd.spec.versions[0].selectableFields = selectableFields;
  return crd;
}

function causes(pg: KubePlayground, crd: KObject): string[] {
  const s = statusOf(() => pg.api.create(CRD_GVR, undefined, crd));
  assert.equal(s.code, 422, s.message);
  return s.details.causes.map((c: any) => `${c.field}: ${c.message}`);
}

const TYPE_DETAIL = 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.';

describe('CustomResourceDefinitions: selectableFields', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  it('refuses paths that are not simple paths to a string, boolean or integer field outside metadata, at spec.selectableFields', () => {
    assert.deepEqual(
      causes(pg, crdWith([
        { jsonPath: '.spec.colour' },
        { jsonPath: '.spec.tags' },
        { jsonPath: ".spec.extra['a']" },
        { jsonPath: 'spec.color' },
        { jsonPath: '' },
        { jsonPath: '.spec.ratio' },
      ])),
      [
        'spec.selectableFields[0].jsonPath: Invalid value: ".spec.colour": is an invalid path: does not refer to a valid field',
        `spec.selectableFields[1].jsonPath: Invalid value: ".spec.tags": ${TYPE_DETAIL}`,
        `spec.selectableFields[2].jsonPath: Invalid value: ".spec.extra['a']": is an invalid path: array notation is not allowed`,
        'spec.selectableFields[3].jsonPath: Invalid value: "spec.color": is an invalid path: expected [ or . but got: spec',
        'spec.selectableFields[4].jsonPath: Required value',
        `spec.selectableFields[5].jsonPath: Invalid value: ".spec.ratio": ${TYPE_DETAIL}`,
      ],
    );
  });

  it('refuses a path twice, metadata, and more than eight fields', () => {
    const crd = crdWith([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.color' }]);
    crd.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object' };
    assert.deepEqual(causes(pg, crd), ['spec.selectableFields[1].jsonPath: Duplicate value: ".spec.color"']);
    const meta = crdWith([{ jsonPath: '.metadata' }]);
    meta.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object' };
    assert.deepEqual(causes(pg, meta), [
      'spec.selectableFields[0].jsonPath: Invalid value: ".metadata": must not point to fields in metadata',
      `spec.selectableFields[0].jsonPath: Invalid value: ".metadata": ${TYPE_DETAIL}`,
    ]);
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 9; i++) props[`f${i}`] = { type: 'string' };
    const many = cronTabCRD({ specProps: props });
    many.spec.versions[0].selectableFields = Object.keys(props).map((k) => ({ jsonPath: `.spec.${k}` }));
    assert.deepEqual(causes(pg, many), ['spec.selectableFields: Too many: 9: must have at most 8 items']);
  });

  it('reports them per version when the versions differ', () => {
    const crd = crdWith([{ jsonPath: '.spec.nope' }]);
    const v1 = crd.spec.versions[0];
    crd.spec.versions = [{ ...structuredClone(v1), name: 'v1beta1', storage: false, selectableFields: [{ jsonPath: '.spec.color' }] }, v1];
    // The schemas are the same (they move to spec.validation); the selectable fields differ, so they stay.
    assert.deepEqual(causes(pg, crd), ['spec.versions[1].selectableFields[0].jsonPath: Invalid value: ".spec.nope": is an invalid path: does not refer to a valid field']);
  });

  it('selects custom resources by them in lists and watches, an absent field as the empty string', () => {
    pg.api.create(CRD_GVR, undefined, crdWith([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.count' }, { jsonPath: '.spec.paused' }]));
    pg.settle();
    const names = (fieldSelector: string) => pg.api.list(CRONTABS, 'default', { fieldSelector }).items.map((o) => o.metadata.name).sort();
    pg.api.create(CRONTABS, 'default', cronTab('a', { color: 'blue', size: 'S', count: 3, paused: true }));
    pg.api.create(CRONTABS, 'default', cronTab('b', { color: 'red', size: 'M' }));
    pg.api.create(CRONTABS, 'default', cronTab('c', { color: 'blue', size: 'L', count: 30, paused: false }));
    assert.deepEqual(names('spec.color=blue'), ['a', 'c']);
    assert.deepEqual(names('spec.color=blue,spec.size!=S'), ['c']);
    assert.deepEqual(names('spec.count=3'), ['a']);
    assert.deepEqual(names('spec.paused=false'), ['c']);
    assert.deepEqual(names('spec.count='), ['b']);
    const s = statusOf(() => pg.api.list(CRONTABS, 'default', { fieldSelector: 'spec.image=x' }));
    assert.equal(s.code, 400);
    assert.equal(s.message, 'field label not supported: spec.image');

    const seen: string[] = [];
    const w = pg.api.watch(CRONTABS, 'default', { fieldSelector: 'spec.color=green' }, (e: WatchEvent) => seen.push(`${e.type} ${e.object.metadata.name}`));
    pg.api.create(CRONTABS, 'default', cronTab('d', { color: 'green' }));
    pg.api.create(CRONTABS, 'default', cronTab('e', { color: 'blue' }));
    pg.settle();
    w.stop();
    assert.deepEqual(seen.filter((x) => !x.startsWith('BOOKMARK')), ['ADDED d']);
  });

  it('refuses a field selector on a field the CRD does not make selectable', () => {
    pg.api.create(CRD_GVR, undefined, cronTabCRD({ specProps: SPEC_PROPS }));
    pg.settle();
    assert.equal(statusOf(() => pg.api.list(CRONTABS, 'default', { fieldSelector: 'spec.color=blue' })).message, 'field label not supported: spec.color');
  });
});
