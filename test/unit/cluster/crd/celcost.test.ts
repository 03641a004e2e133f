/**
 * The cost limits of x-kubernetes-validations: the estimated cost of each rule (and the schema's total) when the CRD is
 * written (apiextensions validation.go StaticEstimatedCostLimit, StaticEstimatedCRDCostLimit, getCostErrorMessage),
 * and the actual cost when a custom object is validated (PerCallLimit per rule, RuntimeCELCostBudget per request).
 */
import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { validateRules } from '../../../../cluster/src/apiserver/crd/celrules';
import { statusOf } from '../apiserver/statusOf';
import { CRD_GVR, CRONTABS, cronTab, cronTabCRD } from './fixtures';

const HINT = '(try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)';
const AT = 'spec.validation.openAPIV3Schema.properties[spec]';

/** The CronTab CRD with `spec.tags` (an array of strings) and rules on spec. */
function withTags(tags: Record<string, unknown>, rules: unknown[]): KObject {
  const crd = cronTabCRD({ specProps: { tags: { type: 'array', items: { type: 'string' }, ...tags } } });
  crd.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = rules;
  return crd;
}

describe('CustomResourceDefinitions: CEL cost limits', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  const NESTED = 'self.tags.all(x, self.tags.all(y, self.tags.all(z, x == y)))';

  it('refuses a rule whose estimated cost is past the limit, with the hint, its share of the total, and the total', () => {
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withTags({}, [{ rule: NESTED }])));
    assert.equal(s.code, 422);
    assert.deepEqual(s.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      `${AT}.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x ${HINT}`,
      `${AT}.x-kubernetes-validations[0].rule: Forbidden: contributed to estimated rule cost total exceeding cost limit for entire OpenAPIv3 schema`,
      `spec.validation.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x ${HINT}`,
    ]);
    // maxItems bounds the list; the strings compared are still as long as a request (each == 314,573).
    const t = statusOf(() => pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 10 }, [{ rule: NESTED }])));
    assert.match(t.details.causes[0].message, /^Forbidden: estimated rule cost exceeds budget by factor of 31\.5x /);
    assert.match(t.details.causes[2].message, /^Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of 3\.1x /);
    // With maxLength too, the same rule is accepted.
    pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 10, items: { type: 'string', maxLength: 64 } }, [{ rule: NESTED }]));
  });

  it('estimates as cel-go does: contains on each item costs maxLength*4 tenths, 3 a turn for all()', () => {
    // 1 + 1 + maxItems * (3 + 1 + ceil(63*4*0.1) * ceil(3*0.1)): 333,333 items fit under 10,000,000, 400,000 do not.
    const rule = { rule: "self.tags.all(x, x.contains('gpu'))" };
    pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 333_333, items: { type: 'string', maxLength: 63 } }, [rule]));
    pg.api.delete(CRD_GVR, undefined, 'crontabs.stable.example.com');
    pg.settle();
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 400_000, items: { type: 'string', maxLength: 63 } }, [rule])));
    assert.deepEqual(s.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      `${AT}.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of 1.200000x ${HINT}`,
    ]);
    const t = statusOf(() => pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 1_000_000, items: { type: 'string', maxLength: 63 } }, [rule])));
    assert.match(t.message, /estimated rule cost exceeds budget by factor of 3\.0x /);
  });

  it('multiplies a rule on list items by how many items the request could hold', () => {
    // Each item's rule is cheap, but an unbounded list of strings could hold 1,048,576 of them.
    const crd = withTags({ items: { type: 'string', 'x-kubernetes-validations': [{ rule: "self.matches('^[a-z]+$')" }] } }, []);
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, crd));
    assert.match(s.details.causes[0].field, /properties\[tags\]\.items\.x-kubernetes-validations\[0\]\.rule$/);
    assert.match(s.details.causes[0].message, /^Forbidden: estimated rule cost exceeds budget by factor of more than 100x/);
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 64, 'x-kubernetes-validations': [{ rule: "self.matches('^[a-z]+$')" }] } };
    pg.api.create(CRD_GVR, undefined, crd);
  });

  it('stops a rule past PerCallLimit when it runs, and runs no further rule', () => {
    // Estimated at 2,252,502 (accepted); 500 equal items make it run past 1,000,000.
    const rule = 'self.tags.all(x, self.tags.all(y, x == y))';
    pg.api.create(CRD_GVR, undefined, withTags({ maxItems: 500, items: { type: 'string', maxLength: 10 } }, [{ rule }, { rule: 'self.replicas < 0' }]));
    pg.settle();
    const started = Date.now();
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', { cronSpec: '* * * * */5', image: 'i', tags: Array(500).fill('a') })));
    assert.ok(Date.now() - started < 1000);
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: spec: Invalid value: "object": '
      + `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${rule}`);
    // Within the limit, the next rule runs.
    const d = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('d', { cronSpec: '* * * * */5', image: 'i', tags: ['a'] })));
    assert.equal(d.message, 'CronTab.stable.example.com "d" is invalid: spec: Invalid value: "object": failed rule: self.replicas < 0');
  });

  it('stops an unbounded nested comprehension of a stored schema in well under a second', () => {
    // A schema the estimate would refuse today (as a CRD saved before), with 150 items: 3,375,000 turns uncapped.
    const schema: any = { type: 'object', properties: { spec: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } }, 'x-kubernetes-validations': [{ rule: NESTED }] } } };
    const started = Date.now();
    const r = validateRules({ spec: { tags: Array(150).fill('a') } }, undefined, schema);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
    assert.deepEqual(r.errors, [{ type: 'FieldValueInvalid', field: 'spec', value: 'object',
      detail: `'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: ${NESTED}` }]);
  });

  it('stops validating once the request has spent RuntimeCELCostBudget', () => {
    // Each item's rule costs about 545,000; the 19th item finds the budget of 10,000,000 spent.
    const schema: any = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { a: { type: 'array', items: { type: 'string' } } },
      'x-kubernetes-validations': [{ rule: 'self.a.all(x, self.a.all(y, x == y))' }] } } } };
    const items = Array.from({ length: 30 }, () => ({ a: Array(300).fill('a') }));
    const r = validateRules({ items }, undefined, schema);
    assert.deepEqual(r.errors, [{ type: 'FieldValueInvalid', field: 'items[18]', value: 'object', detail: 'validation failed due to running out of cost budget, no further validation rules will be run' }]);
  });
});
