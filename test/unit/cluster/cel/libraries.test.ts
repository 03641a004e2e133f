/** The Kubernetes CEL libraries on the engine (k8s.io/apiserver/pkg/cel/library and the cel-go extensions it enables). */
import * as assert from 'node:assert/strict';
import { compile, environment, runtimeErrorText } from '../../../../cluster/src/cel/engine';
import { escapeFieldName, toCel } from '../../../../cluster/src/cel/values';
import { runMetered } from '../../../../cluster/src/cel/cost';

function run(src: string, self: unknown = {}): unknown {
  const c = compile(environment(['self']), src);
  assert.ok(c.program, c.error);
  return c.program!({ self });
}

describe('CEL: the Kubernetes libraries', () => {
  it('strings: replace, charAt, format, and the built-in case, trim, split, join, substring', () => {
    assert.equal(run('"a-b-c".replace("-", "+")'), 'a+b+c');
    assert.equal(run('"a-b-c".replace("-", "+", 1)'), 'a+b-c');
    assert.equal(run('"hello".charAt(1) + "hello".charAt(5)'), 'e');
    assert.equal(run('"%s has %d items, %.2f%%".format(["cart", 3, 12.5])'), 'cart has 3 items, 12.50%');
    assert.equal(run('" Ab ".trim().lowerAscii().upperAscii() + "x,y".split(",").join("/") + "abcd".substring(1, 3)'), 'ABx/ybc');
  });

  it('lists: isSorted, sum, min, max, indexOf, lastIndexOf', () => {
    assert.equal(run('[1, 2, 2, 5].isSorted() && ![3, 1].isSorted()'), true);
    assert.equal(run('[1, 2, 3].sum()'), 6n);
    assert.equal(run('[3, 1, 2].min() == 1 && ["b", "a"].max() == "b"'), true);
    assert.equal(run('[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1, 2].indexOf(9) == -1'), true);
  });

  it('refuses what 1.34 leaves out of new expressions: ext.Strings v3\'s reverse, and ext.Lists (introduced at 1.34, past the compatibility version 1.33)', () => {
    const err = (src: string) => compile(environment(['self']), src).error;
    assert.equal(err('"hello".reverse() == "olleh"'), 'ERROR: <input>:1:16: undeclared reference to \'reverse\' (in container \'\')\n | "hello".reverse() == "olleh"\n | ...............^');
    assert.equal(err('[1, 2, 3, 4].slice(1, 3) == [2, 3]')?.split('\n')[0], 'ERROR: <input>:1:19: undeclared reference to \'slice\' (in container \'\')');
    assert.equal(err('self.l.flatten().size() == 3')?.split('\n')[0], 'ERROR: <input>:1:15: undeclared reference to \'flatten\' (in container \'\')');
    assert.equal(err('self.l.sort() == self.l')?.split('\n')[0], 'ERROR: <input>:1:12: undeclared reference to \'sort\' (in container \'\')');
    // A declared function with the wrong arguments is still no matching overload.
    assert.match(err('"a".charAt("b")') ?? '', /found no matching overload/);
  });

  it('matches runs on RE2 too: unanchored as Go\'s MatchString, and a pattern that backtracks exponentially in a JavaScript RegExp answers at once', () => {
    assert.equal(run('"abc".matches("b") && !"abc".matches("^b") && matches("abc", "c$")'), true);
    // With a backtracking engine `^(a+)+$` on forty a's and a b takes hours; this test would not end.
    assert.equal(run('self.v.matches("^(a+)+$")', { v: 'a'.repeat(40) + 'b' }), false);
    const bad = compile(environment(['self']), '1.matches("a")');
    assert.match(bad.error ?? '', /found no matching overload for 'matches'|matches/);
    assert.doesNotMatch(bad.error ?? '', /__re2/);
  });

  it('regex find and findAll run on RE2; url, quantity, ip and cidr', () => {
    assert.equal(run('"abc 123 def 456".find("[0-9]+")'), '123');
    assert.deepEqual(run('"abc 123 def 456".findAll("[0-9]+")'), ['123', '456']);
    assert.deepEqual(run('"a1b2c3".findAll("[0-9]", 2)'), ['1', '2']);
    assert.equal(run('url("https://example.com:8080/p?x=1").getHostname() + ":" + url("https://example.com:8080/p").getPort()'), 'example.com:8080');
    assert.equal(run('isURL("https://a.b") && !isURL("not a url")'), true);
    assert.equal(run('quantity("1Gi").isGreaterThan(quantity("1G")) && quantity("500m").add(1).compareTo(quantity("1.5")) == 0'), true);
    assert.equal(run('quantity("2").asInteger() + 1'), 3n);
    assert.equal(run('!isQuantity("1.5 Gi") && isQuantity("100Mi")'), true);
    assert.equal(run('cidr("10.0.0.0/8").containsIP("10.1.2.3") && !cidr("10.0.0.0/8").containsIP(ip("11.0.0.1")) && ip("::1").family() == 6'), true);
    assert.equal(run('cidr("10.1.0.0/16").prefixLength() == 16 && isCIDR("10.0.0.0/8") && !isIP("10.0.0.300")'), true);
  });

  it('semver (library/semverlib.go version 1): blang/semver\'s parsing, ordering and errors, and the normalizing forms', () => {
    assert.equal(run('semver("1.2.3").major() == 1 && semver("1.2.3").minor() == 2 && semver("1.2.3").patch() == 3'), true);
    assert.equal(run('semver("1.0.0-rc.1").isLessThan(semver("1.0.0")) && semver("1.0.0-alpha").isLessThan(semver("1.0.0-alpha.1"))'), true);
    // A numeric prerelease identifier sorts below an alphanumeric one; build metadata has no precedence.
    assert.equal(run('semver("1.0.0-alpha.1").compareTo(semver("1.0.0-1"))'), 1n);
    assert.equal(run('semver("1.2.3+build.5") == semver("1.2.3") && semver("2.0.0").isGreaterThan(semver("1.99.99"))'), true);
    assert.equal(run('isSemver("1.0.0") && !isSemver("v1.0") && isSemver("v1.0", true) && !isSemver("hello", true)'), true);
    assert.equal(run('semver("v01.02", true) == semver("1.2.0") && semver("01.01.01", true).patch() == 1'), true);
    const fails = (src: string) => {
      try {
        run(src);
      } catch (e) {
        return runtimeErrorText(e);
      }
      return assert.fail(`${src} did not fail`);
    };
    assert.equal(fails('semver("1.2") == semver("1.2.0")'), 'No Major.Minor.Patch elements found');
    assert.equal(fails('semver("1.02.3").minor() == 2'), 'Minor number must not contain leading zeroes "02"');
    assert.equal(fails('semver("1.2.x").patch() == 0'), 'Invalid character(s) found in patch number "x"');
    assert.equal(fails('semver("1.2.3-01").major() == 1'), 'Numeric PreRelease version must not contain leading zeroes "01"');
    assert.equal(fails('semver("1.0-rc", true).major() == 1'), 'short version cannot contain PreRelease/Build meta data');
    assert.equal(fails('semver("").major() == 1'), 'Version string empty');
    assert.match(compile(environment(['self']), 'semver(1)').error ?? '', /found no matching overload/);
    // library/cost.go: parsing is a traversal of the string (a tenth of its length), the accessors 1.
    const cost = (src: string) => runMetered(compile(environment(['self']), src).program!, { self: { v: '1.22.333-alpha.1' } }).cost;
    // self.v 2, semver() ceil(16 / 10) = 2, major() 1, == 1.
    assert.equal(cost('semver(self.v).major() == 1'), 6);
  });

  it('errors read as cel-go\'s', () => {
    const c = compile(environment(['self']), 'self.a >');
    assert.match(c.error!, /^ERROR: <input>:1:9: .*\n \| self\.a >\n \| \.{8}\^$/);
    try {
      run('self.missing == 1', {});
      assert.fail('no error');
    } catch (e) {
      assert.equal(runtimeErrorText(e), 'no such key: missing');
    }
    try {
      run('quantity("1 Gi").sign() == 1');
      assert.fail('no error');
    } catch (e) {
      assert.match(runtimeErrorText(e), /^quantities must match the regular expression/);
    }
  });

  it('JSON becomes typed CEL values by the schema, with escaped property names', () => {
    const s = { type: 'object', properties: { 'x-y': { type: 'integer' }, ratio: { type: 'number' }, any: { 'x-kubernetes-int-or-string': true } } };
    assert.deepEqual(toCel({ 'x-y': 3, ratio: 2, any: 4 }, s), { x__dash__y: 3n, ratio: 2, any: 4n });
    assert.equal(escapeFieldName('a__b.c/d'), 'a__underscores__b__dot__c__slash__d');
    assert.equal(escapeFieldName('namespace'), '__namespace__');
    assert.equal(run('self.x__dash__y * 2 == 6 && self.ratio == 2.0', toCel({ 'x-y': 3, ratio: 2 }, s)), true);
  });
});
