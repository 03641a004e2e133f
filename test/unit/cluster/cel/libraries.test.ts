/** The Kubernetes CEL libraries on the engine (k8s.io/apiserver/pkg/cel/library and the cel-go extensions it enables). */
import * as assert from 'node:assert/strict';
import { compile, environment, runtimeErrorText } from '../../../../cluster/src/cel/engine';
import { escapeFieldName, toCel } from '../../../../cluster/src/cel/values';
import { runMetered } from '../../../../cluster/src/cel/cost';
import { estimateCost, sizeModel } from '../../../../cluster/src/cel/estimate';

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
    // cel-js's own bytes methods, which neither cel-go's standard library nor 1.34's extensions declare.
    assert.equal(err('b"abc".at(0) == 97'), 'ERROR: <input>:1:10: undeclared reference to \'at\' (in container \'\')\n | b"abc".at(0) == 97\n | .........^');
    assert.equal(err('bytes(self.s).hex() != ""')?.split('\n')[0], 'ERROR: <input>:1:18: undeclared reference to \'hex\' (in container \'\')');
    assert.equal(err('b"a".base64() == "YQ=="')?.split('\n')[0], 'ERROR: <input>:1:12: undeclared reference to \'base64\' (in container \'\')');
    assert.equal(err('b"{}".json().size() == 0')?.split('\n')[0], 'ERROR: <input>:1:11: undeclared reference to \'json\' (in container \'\')');
    // string() is declared, as a global conversion only.
    assert.equal(err('b"abc".string() == "abc"')?.split('\n')[0], 'ERROR: <input>:1:14: found no matching overload for \'string\' applied to \'bytes.()\'');
    assert.equal(run('string(b"abc") == "abc"'), true);
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

  it('format (library/format.go): named formats and constants, validate() with apimachinery\'s and strfmt\'s messages, format.named of an unknown name none', () => {
    const label = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    assert.deepEqual(run('format.dns1123Label().validate("My_Name").value()'), [label]);
    assert.deepEqual(run('format.named("dns1123Label").value().validate(self.n).value()', { n: 'a'.repeat(64) }), ['must be no more than 63 characters']);
    assert.equal(run('!format.dns1123Label().validate("my-name").hasValue() && !format.named("nope").hasValue()'), true);
    // The prefix formats take a trailing '-' (a generateName); the others do not.
    assert.equal(run('!format.dns1123LabelPrefix().validate("web-").hasValue() && format.dns1123Label().validate("web-").hasValue()'), true);
    assert.equal(run('!format.dns1123SubdomainPrefix().validate("a.b-").hasValue() && !format.dns1035LabelPrefix().validate("x-").hasValue()'), true);
    assert.deepEqual(run('format.dns1035Label().validate("1abc").value()'), ["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]);
    assert.deepEqual(run('format.qualifiedName().validate("example.com/").value()'), ['name part must be non-empty', "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"]);
    assert.equal(run('!format.labelValue().validate("").hasValue() && format.labelValue().validate("-a").hasValue()'), true);
    // The CRD formats: url.ParseRequestURI's error, and strfmt's one-line answers.
    assert.deepEqual(run('format.uri().validate("example.com/x").value()'), ['parse "example.com/x": invalid URI for request']);
    assert.equal(run('!format.uri().validate("https://example.com/x?y=1").hasValue() && !format.uri().validate("/healthz").hasValue()'), true);
    assert.deepEqual(run('[format.uuid().validate("nope").value(), format.byte().validate("a").value(), format.date().validate("2021-02-29").value(), format.datetime().validate("2021-01-01T24:00:00Z").value()]'), [['does not match the UUID format'], ['invalid base64'], ['invalid date'], ['invalid datetime']]);
    assert.equal(run('[format.uuid().validate("123E4567-E89B-12D3-A456-426614174000"), format.byte().validate("aGVsbG8="), format.date().validate("2024-02-29"), format.datetime().validate("2021-01-01T10:00:00.5+02:00")].all(r, !r.hasValue())'), true);
    // Format.Equal: by name.
    assert.equal(run('format.named("uuid").value() == format.uuid() && format.uuid() != format.byte()'), true);
    assert.match(compile(environment(['self']), 'format.named(1)').error ?? '', /found no matching overload for 'format.named' applied to '\(int\)'/);
    // library/cost.go: format.named 1; the constant and validate cost cel-go's default 1 when they run (CallCost's
    // validate case asserts a cel.Format, the library hands it a *cel.Format).
    const cost = (src: string) => runMetered(compile(environment(['self']), src).program!, { self: { n: 'x'.repeat(500) } }).cost;
    assert.equal(cost('format.dns1123Label().validate(self.n).hasValue()'), 5);
    assert.equal(cost('format.named("uuid").hasValue()'), 2);
    // The estimate: the string's size times 0.1, times MaxNameFormatRegexSize 128 times 0.25.
    const model = sizeModel({ type: 'string', maxLength: 10 } as any, false);
    const est = (src: string) => estimateCost(compile(environment(['self']), src).program, model);
    // self 1, format.dns1123Label() 1, validate ceil(ceil(40 * 0.1) * 32) = 128, hasValue 1.
    assert.equal(est('format.dns1123Label().validate(self).hasValue()'), 131);
    assert.equal(est('format.named("uuid").hasValue()'), 2);
  });

  it('== on quantities, IPs and CIDRs as their Equal methods compare (quantity.go, ip.go, cidr.go)', () => {
    assert.equal(run('quantity("1") == quantity("1000m") && quantity("1Ki") == quantity("1024") && quantity("1") != quantity("1001m")'), true);
    assert.equal(run('ip("::1") == ip("0:0:0:0:0:0:0:1") && ip("10.0.0.1") != ip("10.0.0.2")'), true);
    // A prefix compares as written: 10.0.0.1/8 is not 10.0.0.0/8 until masked.
    assert.equal(run('cidr("10.0.0.1/8") != cidr("10.0.0.0/8") && cidr("10.0.0.1/8").masked() == cidr("10.0.0.0/8") && cidr("10.0.0.0/8") != cidr("10.0.0.0/16")'), true);
    assert.equal(compile(environment(['self']), 'quantity("1") == 1').error?.split('\n')[0], "ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(kubernetes.Quantity, int)'");
    // library/cost.go: each comparison 1, when it runs and in the estimate.
    const cost = (src: string) => runMetered(compile(environment(['self']), src).program!, {}).cost;
    assert.equal(cost('quantity("1") == quantity("1000m")'), 3);
    const est = (src: string) => estimateCost(compile(environment(['self']), src).program, undefined);
    assert.equal(est('quantity("1") == quantity("1000m")'), 3);
    assert.equal(est('ip("::1") == ip("::2")'), 3);
    assert.equal(est('semver("1.0.0") == semver("1.0.1")'), 3);
  });

  it('optional types as cel-go\'s latest optional library (version 2): ofNonZeroValue, first, last, unwrap, unwrapOpt', () => {
    assert.deepEqual(run('[self.l.first().value(), self.l.last().value(), [].first().hasValue() ? 1 : 0]', { l: [1n, 2n, 3n] }), [1n, 3n, 0n]);
    assert.equal(run('!optional.ofNonZeroValue(0).hasValue() && !optional.ofNonZeroValue("").hasValue() && !optional.ofNonZeroValue([]).hasValue() && optional.ofNonZeroValue("a").value() == "a"'), true);
    assert.deepEqual(run('optional.unwrap([optional.of(1), optional.none(), optional.of(3)])'), [1n, 3n]);
    assert.deepEqual(run('[optional.of("a"), optional.none()].unwrapOpt()'), ['a']);
    assert.equal(run('self.names.first().orValue("none")', { names: [] }), 'none');
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
