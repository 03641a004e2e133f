import * as assert from 'assert';
import { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue } from '../../../kube/src/names';
import { parseQuantity, isQuantity, formatQuantity, describeQuantity, quantityMilli } from '../../../kube/src/quantity';
import { parseSelector, matchesRequirements, labelSelectorMatches, labelSelectorToString } from '../../../kube/src/labels';
import { scaledValueFromIntOrPercent } from '../../../kube/src/intstr';
import { getSchema } from '../../../kube/src/schema';

describe('kube/names', () => {
  it('accepts and refuses DNS-1123 labels with upstream messages', () => {
    assert.deepStrictEqual(isDNS1123Label('web-1'), []);
    assert.deepStrictEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.match(isDNS1123Label('Web')[0], /^a lowercase RFC 1123 label must consist of/);
    assert.deepStrictEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });
  it('subdomains allow dots, DNS-1035 must start with a letter', () => {
    assert.deepStrictEqual(isDNS1123Subdomain('my.app-1'), []);
    assert.equal(isDNS1123Subdomain('-x').length, 1);
    assert.deepStrictEqual(isDNS1035Label('web'), []);
    assert.match(isDNS1035Label('1web')[0], /start with an alphabetic character/);
  });
  it('qualified names and label values', () => {
    assert.deepStrictEqual(isQualifiedName('app.kubernetes.io/name'), []);
    assert.deepStrictEqual(isQualifiedName('/x'), ['prefix part must be non-empty']);
    assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist/);
    assert.deepStrictEqual(isValidLabelValue(''), []);
    assert.match(isValidLabelValue('-bad')[0], /^a valid label must be an empty string/);
  });
});

describe('kube/quantity', () => {
  it('parses upstream suffixes', () => {
    assert.strictEqual(parseQuantity('500m'), 0.5);
    assert.strictEqual(parseQuantity('128Mi'), 134217728);
    assert.strictEqual(parseQuantity('1e3'), 1000);
    assert.strictEqual(parseQuantity('2'), 2);
    assert.strictEqual(quantityMilli('100m'), 100);
    assert.throws(() => parseQuantity('12 Mi'));
    assert.ok(!isQuantity('1.5.2'));
    assert.ok(isQuantity('.5'));
  });
  it('prints the way users write', () => {
    assert.strictEqual(formatQuantity(0.25, 'cpu'), '250m');
    assert.strictEqual(formatQuantity(134217728, 'memory'), '128Mi');
    assert.strictEqual(describeQuantity('128Mi', 'memory'), '128Mi = 134,217,728 bytes');
    assert.strictEqual(describeQuantity('500m', 'cpu'), '500m = 0.5 CPUs');
  });
});

describe('kube/labels', () => {
  it('parses and matches every operator', () => {
    const r = parseSelector('app=web, tier in (a,b),!legacy,env!=prod,track');
    assert.ok(matchesRequirements(r, { app: 'web', tier: 'b', env: 'dev', track: '' }));
    assert.ok(!matchesRequirements(r, { app: 'web', tier: 'c', track: '' }));
    assert.ok(!matchesRequirements(r, { app: 'web', tier: 'a', legacy: 'y', track: '' }));
    assert.throws(() => parseSelector('app in a'));
  });
  it('refuses what labels.Parse refuses, in its words; `in ()` is the value ""', () => {
    const err = (sel: string) => { try { parseSelector(sel); return 'parsed'; } catch (e) { return (e as Error).message; } };
    assert.match(err('A_'), /^unable to parse requirement: <nil>: Invalid value: "A_": name part must consist of alphanumeric characters/);
    assert.match(err('a=-b'), /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "-b": a valid label must be an empty string/);
    assert.strictEqual(err('x=y,'), "found '', expected: identifier after ','");
    assert.strictEqual(err('a in (b'), "unable to parse requirement: found '', expected: ',' or ')'");
    assert.strictEqual(err('a=b=c'), "found '=', expected: ',' or 'end of string'");
    assert.strictEqual(err('a>b'), `unable to parse requirement: values[0]: Invalid value: "b": for 'Gt', 'Lt' operators, the value must be an integer`);
    const empty = parseSelector('a in ()');
    assert.ok(matchesRequirements(empty, { a: '' }) && !matchesRequirements(empty, { a: 'x' }));
    assert.deepStrictEqual(parseSelector('k in (in, notin)')[0].values, ['in', 'notin'], 'in and notin are values there');
  });
  it('structured selectors: empty matches all, null matches none', () => {
    assert.ok(labelSelectorMatches({}, { a: 'b' }));
    assert.ok(!labelSelectorMatches(null, { a: 'b' }));
    assert.ok(labelSelectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, {}));
    assert.strictEqual(labelSelectorToString({ matchLabels: { b: '1', a: '2' } }), 'a=2,b=1');
  });
});

describe('kube/intstr', () => {
  it('rounds maxSurge up and maxUnavailable down', () => {
    assert.strictEqual(scaledValueFromIntOrPercent('25%', 10, true), 3);
    assert.strictEqual(scaledValueFromIntOrPercent('25%', 10, false), 2);
    assert.strictEqual(scaledValueFromIntOrPercent(4, 10, false), 4);
  });
});

describe('kube/schema', () => {
  const s = getSchema();
  it('chooses exactly by apiVersion and kind', () => {
    assert.strictEqual(s.kind('apps/v1', 'Deployment')?.resource, 'deployments');
    assert.strictEqual(s.kind('v1', 'Deployment'), undefined);
    assert.strictEqual(s.kind('extensions/v1beta1', 'Deployment')?.group, 'extensions');
  });
  it('walks fields through lists and maps', () => {
    const f = s.fieldAt('apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 0, 'imagePullPolicy']);
    assert.deepStrictEqual(f?.type, { kind: 'primitive', type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] });
    const c = s.fieldAt('v1', 'Pod', ['spec', 'containers']);
    assert.strictEqual(c?.type.kind === 'array' && c.type.mergeKey, 'name');
    assert.strictEqual(s.fieldAt('v1', 'Pod', ['metadata', 'labels', 'app'])?.type.kind, 'primitive');
    assert.strictEqual(s.fieldAt('apps/v1', 'Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])?.field?.default, '25%');
  });
  it('carries the newest Kubernetes version of its source', () => {
    assert.match(s.data.kubernetesVersion, /^1\.\d+$/);
    assert.ok(s.servedKinds().length > 60);
  });
});
