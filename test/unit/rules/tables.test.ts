import * as assert from 'assert';
import { apiStatusAt, compareMinor, deprecationWarning, REMOVED_APIS, removedApi } from '../../../kube/src/removed';
import { base64ErrorOffset } from '../../../kube/src/rules/base64';
import { ALL_CODES } from '../../../kube/src/rules/engine';
import { closest, editDistance } from '../../../kube/src/rules/suggest';
import { getSchema } from '../../../kube/src/schema/index';

describe('kube/removed: deprecated API table', () => {
  it('knows the seed example: Deployment extensions/v1beta1, removed in 1.16, use apps/v1', () => {
    const e = removedApi('extensions/v1beta1', 'Deployment');
    assert.ok(e);
    assert.strictEqual(e.removedIn, '1.16');
    assert.strictEqual(e.replacement, 'apps/v1');
    assert.strictEqual(apiStatusAt(e, '1.15'), 'deprecated');
    assert.strictEqual(apiStatusAt(e, '1.16'), 'removed');
    assert.strictEqual(apiStatusAt(e, '1.8'), undefined);
  });
  it('words the deprecation warning as the apiserver does', () => {
    assert.strictEqual(deprecationWarning(removedApi('batch/v1beta1', 'CronJob')!), 'batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob');
    assert.strictEqual(deprecationWarning(removedApi('policy/v1beta1', 'PodSecurityPolicy')!), 'policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+');
  });
  it('compares minors numerically', () => {
    assert.ok(compareMinor('1.9', '1.16') < 0);
    assert.strictEqual(compareMinor('v1.25', '1.25'), 0);
  });
  it('every entry is consistent: deprecated no later than removed; replacements that the schema serves', () => {
    const schema = getSchema();
    assert.ok(REMOVED_APIS.length >= 40);
    for (const e of REMOVED_APIS) {
      if (e.removedIn) assert.ok(compareMinor(e.deprecatedIn, e.removedIn) <= 0, `${e.apiVersion} ${e.kind}`);
      if (e.replacement && e.kind !== 'Endpoints' && e.replacement !== 'policy/v1beta1') {
        assert.ok(schema.kind(e.replacement, e.kind), `${e.kind} is served in ${e.replacement}`);
      }
    }
    for (const [av, k, v] of [['networking.k8s.io/v1beta1', 'Ingress', '1.22'], ['policy/v1beta1', 'PodDisruptionBudget', '1.25'], ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26'], ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32']]) {
      assert.strictEqual(removedApi(av, k)?.removedIn, v, `${av} ${k}`);
    }
  });
});

describe('rules/base64 and suggestions', () => {
  it('reports the offset Go would', () => {
    assert.strictEqual(base64ErrorOffset('aGVsbG8='), -1);
    assert.strictEqual(base64ErrorOffset('aGVs\nbG8='), -1, 'newlines are skipped');
    assert.strictEqual(base64ErrorOffset(''), -1);
    assert.strictEqual(base64ErrorOffset('hello world'), 5);
    assert.strictEqual(base64ErrorOffset('aGVsbG8'), 4, 'missing padding');
    assert.strictEqual(base64ErrorOffset('a=bc'), 1);
    assert.strictEqual(base64ErrorOffset('aGVsbG8=x'), 8, 'data after padding');
  });
  it('suggests the closest field name', () => {
    assert.strictEqual(editDistance('kitten', 'sitting'), 3);
    assert.strictEqual(closest('contaienrs', ['containers', 'volumes']), 'containers');
    assert.strictEqual(closest('imagepullpolicy', ['imagePullPolicy']), 'imagePullPolicy');
    assert.strictEqual(closest('zzz', ['containers']), undefined);
  });
  it('lists stable codes', () => {
    for (const c of ['unknown-field', 'selector-mismatch', 'removed-api', 'invalid-base64', 'undeclared-volume']) assert.ok(ALL_CODES.includes(c), c);
  });
});
