/**
 * x-kubernetes-validations: CEL rules of a CRD's schema, checked when the CRD is written (compile errors, the rule's
 * own fields) and evaluated on custom objects (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go):
 * message, messageExpression, reason, fieldPath, transition rules with oldSelf, optionalOldSelf, ratcheting.
 */
import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import type { KObject } from '../../../../cluster/src/contract';
import { statusOf } from '../apiserver/statusOf';
import { CRD_GVR, CRONTABS, cronTab, cronTabCRD } from './fixtures';

function withRules(rules: any[], specProps: Record<string, any> = {}, at: 'spec' | 'root' = 'spec'): KObject {
  const crd = cronTabCRD({ specProps: { minReplicas: { type: 'integer' }, maxReplicas: { type: 'integer' }, ...specProps } });
  const root = crd.spec.versions[0].schema.openAPIV3Schema;
  (at === 'spec' ? root.properties.spec : root)['x-kubernetes-validations'] = rules;
  return crd;
}

describe('CustomResourceDefinitions: x-kubernetes-validations (CEL)', function () {
  this.timeout(30_000);
  let pg: KubePlayground;
  beforeEach(() => (pg = new KubePlayground({ seed: 1, nodes: 1 })));
  afterEach(() => pg.close());

  const install = (crd: KObject) => {
    pg.api.create(CRD_GVR, undefined, crd);
    pg.settle();
  };
  const spec = (extra: Record<string, unknown>) => ({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', ...extra });

  it('refuses the docs\' CronTab with the rule\'s message at spec, as upstream words it', () => {
    install(withRules([
      { rule: 'self.minReplicas <= self.replicas', message: 'replicas should be greater than or equal to minReplicas.' },
      { rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas.' },
    ]));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('my-new-cron-object', spec({ minReplicas: 0, replicas: 9, maxReplicas: 5 }))));
    assert.equal(s.code, 422);
    assert.equal(s.message, 'CronTab.stable.example.com "my-new-cron-object" is invalid: spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas.');
    assert.deepEqual(s.details.causes, [{ reason: 'FieldValueInvalid', field: 'spec', message: 'Invalid value: "object": replicas should be smaller than or equal to maxReplicas.' }]);
    pg.api.create(CRONTABS, 'default', cronTab('fine', spec({ minReplicas: 0, replicas: 3, maxReplicas: 5 })));
  });

  it('without a message says `failed rule:`; messageExpression, reason and fieldPath shape the error', () => {
    install(withRules([
      { rule: 'self.replicas < 5' },
      { rule: 'self.image.startsWith("registry.example.com/")', messageExpression: '"image " + self.image + " is not from the registry"', reason: 'FieldValueForbidden', fieldPath: '.image' },
      { rule: 'self.cronSpec != "* * * * *"', reason: 'FieldValueRequired', message: 'a schedule is needed' },
    ]));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', { cronSpec: '* * * * *', image: 'nginx', replicas: 7 })));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: [spec: Invalid value: "object": failed rule: self.replicas < 5, '
      + 'spec.image: Forbidden: image nginx is not from the registry, spec: Required value: a schedule is needed]');
  });

  it('a rule at the root reports at <nil>, and sees only name and generateName of metadata', () => {
    install(withRules([{ rule: 'self.metadata.name.startsWith("ct-")', message: 'name must start with ct-' }, { rule: 'self.kind == "CronTab"' }], {}, 'root'));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', { ...cronTab('x', spec({})), metadata: { name: 'x', labels: { a: 'b' } } }));
    assert.equal(s.message, 'CronTab.stable.example.com "x" is invalid: <nil>: Invalid value: "object": name must start with ct-');
  });

  it('an error the rule raises is reported with `evaluating rule:`', () => {
    install(withRules([{ rule: 'self.maxReplicas > 1' }]));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', spec({}))));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: spec: Invalid value: "object": no such key: maxReplicas evaluating rule: self.maxReplicas > 1');
  });

  it('skips the rules when the schema already failed on a type, saying so', () => {
    install(withRules([{ rule: 'self.replicas < 5' }]));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', spec({ replicas: 'many' }))));
    assert.match(s.message, /<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation\]$/);
  });

  it('a transition rule runs only on update, against the old value; ratcheting warns for an unchanged failing value', () => {
    install(withRules([
      { rule: 'self.replicas >= oldSelf.replicas', message: 'replicas may not decrease' },
      { rule: 'self.image != "legacy"', message: 'legacy is retired' },
    ]));
    const created = pg.api.create(CRONTABS, 'default', cronTab('c', spec({ replicas: 4 }))).object;
    const down = { ...created, spec: { ...created.spec, replicas: 2 } };
    assert.equal(statusOf(() => pg.api.update(CRONTABS, 'default', down)).message,
      'CronTab.stable.example.com "c" is invalid: spec: Invalid value: "object": replicas may not decrease');
    const up = pg.api.update(CRONTABS, 'default', { ...created, spec: { ...created.spec, replicas: 6 } });
    assert.equal(up.object.spec.replicas, 6);
  });

  it('ratchets an error of a rule without oldSelf whose value the update left as it was', () => {
    // A stored object the rule now refuses: written before the rule existed.
    install(withRules([]));
    const created = pg.api.create(CRONTABS, 'default', cronTab('c', { cronSpec: '* * * * */5', image: 'legacy', replicas: 1 })).object;
    const crd = structuredClone(pg.api.get(CRD_GVR, undefined, 'crontabs.stable.example.com'));
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image['x-kubernetes-validations'] = [{ rule: 'self != "legacy"', message: 'legacy is retired' }];
    pg.api.update(CRD_GVR, undefined, crd);
    pg.settle();
    const fresh = pg.api.get(CRONTABS, 'default', 'c');
    const r = pg.api.update(CRONTABS, 'default', { ...fresh, spec: { ...fresh.spec, replicas: 2 } });
    assert.deepEqual(r.warnings, ['spec.image: Invalid value: "string": legacy is retired']);
    assert.equal(statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('d', { cronSpec: '* * * * */5', image: 'legacy' }))).message,
      'CronTab.stable.example.com "d" is invalid: spec.image: Invalid value: "string": legacy is retired');
    assert.ok(created);
  });

  it('optionalOldSelf makes oldSelf an optional, evaluated on create too', () => {
    install(withRules([{ rule: 'oldSelf.hasValue() || self.replicas == 1', message: 'start with one replica', optionalOldSelf: true }]));
    assert.equal(statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', spec({ replicas: 3 })))).message,
      'CronTab.stable.example.com "c" is invalid: spec: Invalid value: "object": start with one replica');
    const c = pg.api.create(CRONTABS, 'default', cronTab('c', spec({ replicas: 1 }))).object;
    pg.api.update(CRONTABS, 'default', { ...c, spec: { ...c.spec, replicas: 3 } });
  });

  it('list items and map values are validated at their paths, with the Kubernetes libraries', () => {
    install(withRules([], {
      ports: { type: 'array', items: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self < 65536', message: 'not a port' }] }, 'x-kubernetes-validations': [{ rule: 'self.isSorted()', message: 'ports must be sorted' }] },
      limits: { type: 'object', additionalProperties: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isQuantity(self) && quantity(self).isLessThan(quantity("1Gi"))', message: 'under 1Gi' }] } },
      endpoint: { type: 'string', 'x-kubernetes-validations': [{ rule: 'isURL(self) && url(self).getScheme() == "https"', message: 'an https URL' }, { rule: 'self.lowerAscii().replace("https://", "").split(".").size() >= 2' }] },
      tag: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self.find("[0-9]+") != ""', messageExpression: '"%s has no digits".format([self])' }] },
    }));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', spec({ ports: [80, 70000, 443], limits: { a: '512Mi', b: '2Gi' }, endpoint: 'http://x', tag: 'latest' }))));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: [spec.ports: Invalid value: "array": ports must be sorted, '
      + 'spec.ports[1]: Invalid value: "integer": not a port, spec.limits[b]: Invalid value: "string": under 1Gi, '
      + 'spec.endpoint: Invalid value: "string": an https URL, spec.endpoint: Invalid value: "string": failed rule: self.lowerAscii().replace("https://", "").split(".").size() >= 2, '
      + 'spec.tag: Invalid value: "string": latest has no digits]');
    pg.api.create(CRONTABS, 'default', cronTab('ok', spec({ ports: [80, 443], limits: { a: '512Mi' }, endpoint: 'https://example.com', tag: 'v1' })));
  });

  it('type-checks rules against the schema when the CRD is written: a field it lacks, a rule that is not a bool', () => {
    const crd = withRules([
      { rule: 'self.foo == 1' },
      { rule: 'self.replicas' },
      { rule: 'has(self.replica)' },
      { rule: 'self.replicas > 1', messageExpression: 'self.replicas' },
      { rule: 'self.image.size() > 1 && self.replicas == 1.5' },
    ]);
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, crd));
    assert.equal(s.code, 422);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    const msgs: string[] = s.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    const detail = (m: string) => m.slice(m.indexOf('}: ') + 3);
    assert.deepEqual(msgs.map((m) => m.slice(0, m.indexOf(':'))), [`${at}[0].rule`, `${at}[1].rule`, `${at}[2].rule`, `${at}[3].messageExpression`, `${at}[4].rule`]);
    assert.equal(detail(msgs[0]), "compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^");
    assert.equal(detail(msgs[1]), 'cel expression must evaluate to a bool');
    // has()'s presence test is a macro node at the call's `(` (cel-go parser_test.go: `has(m.f)` at [1,3]).
    assert.equal(detail(msgs[2]), "compilation failed: ERROR: <input>:1:4: undefined field 'replica'\n | has(self.replica)\n | ...^");
    assert.equal(detail(msgs[3]), 'messageExpression must evaluate to a string');
    assert.match(detail(msgs[4]), /^compilation failed: ERROR: <input>:1:/);
  });

  it('refuses literals cel-go\'s base environment refuses, at the literal (ASTValidators) or when the program is built (OptimizeRegex)', () => {
    // apiextensions-apiserver schema/cel validation_test.go: `self.val1.matches(')')` compile error at 1:19,
    // `self.str.find(')') == ''` "program instantiation failed: error parsing regexp: unexpected ): `)`",
    // `duration('1d')` at 1:10, `timestamp('1000-00-00T00:00:00Z')` at 1:11.
    const rules = [
      "self.image.matches(')')",
      "self.image.find(')') == ''",
      "duration('1d') > duration('1h')",
      "timestamp('1000-00-00T00:00:00Z') < timestamp('2000-01-01T00:00:00Z')",
      "[1, 'a', false].size() > 0",
      "{'a': 1, 2: 'b'}.size() > 0",
      "self.image.findAll('x++').size() == 0",
    ];
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withRules(rules.map((rule) => ({ rule })))));
    assert.equal(s.code, 422);
    const details = s.details.causes.map((c: any) => c.message.slice(c.message.indexOf('}: ') + 3));
    assert.deepEqual(s.details.causes.map((c: any) => c.field), rules.map((_, i) => `spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[${i}].rule`));
    assert.deepEqual(details, [
      "compilation failed: ERROR: <input>:1:20: invalid matches argument\n | self.image.matches(')')\n | ...................^",
      'program instantiation failed: error parsing regexp: unexpected ): `)`',
      "compilation failed: ERROR: <input>:1:10: invalid duration argument\n | duration('1d') > duration('1h')\n | .........^",
      "compilation failed: ERROR: <input>:1:11: invalid timestamp argument\n | timestamp('1000-00-00T00:00:00Z') < timestamp('2000-01-01T00:00:00Z')\n | ..........^",
      "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a', false].size() > 0\n | ....^",
      "compilation failed: ERROR: <input>:1:10: expected type 'string' but found 'int'\n | {'a': 1, 2: 'b'}.size() > 0\n | .........^\n"
        + "ERROR: <input>:1:13: expected type 'int' but found 'string'\n | {'a': 1, 2: 'b'}.size() > 0\n | ............^",
      'program instantiation failed: error parsing regexp: invalid nested repetition operator: `++`',
    ]);
    // Valid literals, format()'s mixed argument list, a list joined with an empty one and typed fields that agree pass.
    install(withRules([
      { rule: "self.image.matches('^[a-z-]+$') && self.image.find('[a-z]+') != ''" },
      { rule: "duration('1h30m') > duration('90s') && timestamp('2024-02-29T10:00:00.5+01:00') > timestamp(0)" },
      { rule: "'%s x%d'.format([self.image, 1]) != '' && [[1], []].size() == 2 && [self.minReplicas, self.maxReplicas, 3].size() == 3" },
    ]));
    pg.api.create(CRONTABS, 'default', cronTab('ok', spec({ minReplicas: 1, maxReplicas: 2 })));
  });

  it('refuses has() on a field of a string and an undefined field at has\'s `(`, and an expression cut short as cel-go\'s parser words it', () => {
    const rules = ['has(self.image.x)', 'has(self.nope)', 'self.replicas <', 'self.replicas > 1 &&  '];
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withRules(rules.map((rule) => ({ rule })))));
    const details = s.details.causes.map((c: any) => c.message.slice(c.message.indexOf('}: ') + 3));
    const eof = "Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}";
    assert.deepEqual(details, [
      "compilation failed: ERROR: <input>:1:4: type 'string' does not support field selection\n | has(self.image.x)\n | ...^",
      "compilation failed: ERROR: <input>:1:4: undefined field 'nope'\n | has(self.nope)\n | ...^",
      `compilation failed: ERROR: <input>:1:16: ${eof}\n | self.replicas <\n | ...............^`,
      `compilation failed: ERROR: <input>:1:23: ${eof}\n | self.replicas > 1 &&  \n | ......................^`,
    ]);
  });

  it('types self from the schema: maps, lists of objects, formats, int-or-string as dyn, only name and generateName of the root metadata', () => {
    const specProps = {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      ports: { type: 'array', items: { type: 'object', properties: { port: { type: 'integer' } } } },
      since: { type: 'string', format: 'date-time' },
      timeout: { type: 'string', format: 'duration' },
      size: { 'x-kubernetes-int-or-string': true },
      extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    };
    install(withRules([
      { rule: 'self.labels.all(k, self.labels[k] != "")' },
      { rule: 'self.ports.all(p, p.port > 0)' },
      { rule: '!has(self.since) || self.since > timestamp("2000-01-01T00:00:00Z")' },
      { rule: '!has(self.timeout) || self.timeout < duration("1h")' },
      { rule: '!has(self.size) || self.size == 1 || self.size == "1"' },
      { rule: 'self == oldSelf || self.replicas >= oldSelf.replicas' },
    ], specProps));
    pg.api.create(CRONTABS, 'default', cronTab('ok', spec({ labels: { a: 'b' }, ports: [{ port: 80 }], size: 1 })));
    const at = 'spec.validation.openAPIV3Schema';
    for (const [rule, where, col, field] of [
      ['self.ports.all(p, p.name != "")', 'properties[spec]', 20, "undefined field 'name'"],
      ['self.since.year == 2024', 'properties[spec]', 11, "type 'google.protobuf.Timestamp' does not support field selection"],
      ['self.extra.anything == 1', 'properties[spec]', 11, "undefined field 'anything'"],
      ['!has(self.metadata.labels)', '', 5, "undefined field 'labels'"],
    ] as const) {
      pg.close();
      pg = new KubePlayground({ seed: 1, nodes: 1 });
      const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withRules([{ rule }], specProps, where ? 'spec' : 'root')));
      assert.equal(s.details.causes.length, 1, rule);
      assert.equal(s.details.causes[0].field, `${at}${where ? `.${where}` : ''}.x-kubernetes-validations[0].rule`);
      const m: string = s.details.causes[0].message;
      assert.equal(m.slice(m.indexOf('}: ') + 3), `compilation failed: ERROR: <input>:1:${col}: ${field}\n | ${rule}\n | ${'.'.repeat(col - 1)}^`);
    }
  });

  it('runs rules on date-time, date and duration fields as timestamps and durations (UnstructuredToVal)', () => {
    install(withRules([
      { rule: "!has(self.since) || self.since < timestamp('2030-01-01T00:00:00Z')", message: 'since must be before 2030' },
      { rule: "!has(self.day) || self.day == timestamp('2024-02-29T00:00:00Z')", message: 'the leap day only' },
      { rule: "!has(self.timeout) || self.timeout <= duration('1h')", message: 'at most an hour' },
      { rule: '!has(self.since) || !has(self.timeout) || self.since + self.timeout > self.since' },
    ], { since: { type: 'string', format: 'date-time' }, day: { type: 'string', format: 'date' }, timeout: { type: 'string', format: 'duration' } }));
    pg.api.create(CRONTABS, 'default', cronTab('ok', spec({ since: '2024-05-01T10:00:00Z', day: '2024-02-29', timeout: '30m' })));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('late', spec({ since: '2031-01-01T00:00:00+02:00', day: '2024-03-01', timeout: '2h30m' }))));
    assert.equal(s.message, 'CronTab.stable.example.com "late" is invalid: [spec: Invalid value: "object": since must be before 2030, spec: Invalid value: "object": the leap day only, spec: Invalid value: "object": at most an hour]');
  });

  it('takes timestamp() and duration() of a field that already is one, and string() and int() of them, as cel-go\'s standard library', () => {
    install(withRules([
      { rule: "!has(self.since) || timestamp(self.since) > timestamp('2023-01-01T00:00:00Z')", message: 'since 2023' },
      { rule: "!has(self.timeout) || duration(self.timeout) > duration('1s')", message: 'over a second' },
      { rule: "!has(self.since) || string(self.since) == '2024-01-01T00:00:00.5Z'", message: 'RFC3339Nano' },
      { rule: "!has(self.timeout) || string(self.timeout) == '90.25s'", message: 'seconds' },
      { rule: '!has(self.since) || int(self.since) == 1704067200', message: 'unix seconds' },
    ], { since: { type: 'string', format: 'date-time' }, timeout: { type: 'string', format: 'duration' } }));
    pg.api.create(CRONTABS, 'default', cronTab('ok', spec({ since: '2024-01-01T00:00:00.5Z', timeout: '1m30.25s' })));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('bad', spec({ since: '2020-01-01T00:00:00Z', timeout: '1s' }))));
    assert.equal(s.message, 'CronTab.stable.example.com "bad" is invalid: [spec: Invalid value: "object": since 2023, spec: Invalid value: "object": over a second, spec: Invalid value: "object": RFC3339Nano, spec: Invalid value: "object": seconds, spec: Invalid value: "object": unix seconds]');
  });

  it('words a type mismatch as cel-go does, at the operator', () => {
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withRules([{ rule: 'self.replicas == 1.5' }])));
    const m: string = s.details.causes[0].message;
    assert.equal(m.slice(m.indexOf('}: ') + 3), "compilation failed: ERROR: <input>:1:15: found no matching overload for '_==_' applied to '(int, double)'\n | self.replicas == 1.5\n | ..............^");
  });

  it('refuses sets of a typed list and a list of another element type, and functions 1.34 does not declare', () => {
    const tags = { tags: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } } };
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, withRules([{ rule: 'sets.contains(self.tags, [1])' }, { rule: 'self.tags.slice(0, 1) == ["a"]' }, { rule: 'sets.contains(self.tags, ["a"])' }], tags)));
    const msgs: string[] = s.details.causes.map((c: any) => c.message.slice(c.message.indexOf('}: ') + 3));
    assert.deepEqual(msgs, [
      "compilation failed: ERROR: <input>:1:14: found no matching overload for 'sets.contains' applied to '(list(string), list(int))'\n | sets.contains(self.tags, [1])\n | .............^",
      "compilation failed: ERROR: <input>:1:16: undeclared reference to 'slice' (in container '')\n | self.tags.slice(0, 1) == [\"a\"]\n | ...............^",
    ]);
  });

  it('refuses a CRD whose rule does not compile, with the ValidationRule and the compiler\'s error', () => {
    const crd = withRules([{ rule: 'self.replicas >' }, { rule: 'self.replicas > 1', messageExpression: '42' }, { rule: '1 + 1' }]);
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, crd));
    assert.equal(s.code, 422);
    const msgs = s.details.causes.map((c: any) => `${c.field}: ${c.message}`);
    const at = 'spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations';
    assert.match(msgs[0], new RegExp(`^${at.replace(/[.[\]]/g, '\\$&')}\\[0\\]\\.rule: Invalid value: apiextensions\\.ValidationRule\\{Rule:"self\\.replicas >", Message:"", MessageExpression:"", Reason:\\(\\*apiextensions\\.FieldValueErrorReason\\)\\(nil\\), FieldPath:"", OptionalOldSelf:\\(\\*bool\\)\\(nil\\)\\}: compilation failed: ERROR: <input>:1:16: `));
    assert.ok(msgs[0].endsWith('\n | self.replicas >\n | ...............^'), msgs[0]);
    assert.ok(msgs[1].startsWith(`${at}[1].messageExpression: Invalid value: apiextensions.ValidationRule{`) && msgs[1].endsWith(': messageExpression must evaluate to a string'), msgs[1]);
    assert.ok(msgs[2].startsWith(`${at}[2].rule: Invalid value: apiextensions.ValidationRule{`) && msgs[2].endsWith(': cel expression must evaluate to a bool'), msgs[2]);
  });

  it('correlates the fields of an x-kubernetes-map-type: atomic object, so oldSelf may be used under it (MapIsCorrelatable)', () => {
    install(withRules([], { cfg: { type: 'object', 'x-kubernetes-map-type': 'atomic', properties: {
      mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'mode is immutable' }] },
    } } }));
    pg.api.create(CRONTABS, 'default', cronTab('c', spec({ cfg: { mode: 'a' } })));
    const cur = pg.api.get(CRONTABS, 'default', 'c');
    const s = statusOf(() => pg.api.update(CRONTABS, 'default', { ...cur, spec: { ...cur.spec, cfg: { mode: 'b' } } }));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: spec.cfg.mode: Invalid value: "string": mode is immutable');
  });

  it('compares lists of x-kubernetes-list-type set or map regardless of order (values.go unstructuredSetList, unstructuredMapList Equal)', () => {
    install(withRules([
      { rule: 'self.tags == oldSelf.tags', message: 'tags are immutable' },
      { rule: 'self.ports == oldSelf.ports', message: 'ports are immutable' },
      { rule: 'self.order == oldSelf.order', message: 'order is immutable' },
      { rule: 'self.tags == ["a", "b"] && self.tags != ["a", "c"]', message: 'tags are a and b' },
    ], {
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      order: { type: 'array', items: { type: 'string' } },
      ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
    }));
    const created = pg.api.create(CRONTABS, 'default', cronTab('c', spec({ tags: ['a', 'b'], order: ['x', 'y'], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }))).object;
    // The set and the map list reordered: equal. Self is still a list (indexing, size, macros).
    const reordered = pg.api.update(CRONTABS, 'default', { ...created, spec: { ...created.spec, tags: ['b', 'a'], ports: [created.spec.ports[1], created.spec.ports[0]] } }).object;
    assert.deepEqual(reordered.spec.tags, ['b', 'a']);
    // A value changed under a key, or an atomic list reordered: not equal.
    const s = statusOf(() => pg.api.update(CRONTABS, 'default', { ...reordered, spec: { ...reordered.spec, order: ['y', 'x'], ports: [{ name: 'http', port: 8080 }, { name: 'https', port: 443 }] } }));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: [spec: Invalid value: "object": ports are immutable, spec: Invalid value: "object": order is immutable]');
  });

  it('validates with the format library, its reasons in a messageExpression (library/format.go)', () => {
    install(withRules([
      { rule: '!format.dns1123Label().validate(self.image).hasValue()', messageExpression: 'format.dns1123Label().validate(self.image).value()[0]' },
      { rule: '!format.named("qualifiedName").value().validate(self.cronSpec).hasValue()', message: 'not a qualified name' },
    ], { image: { type: 'string', maxLength: 64 }, cronSpec: { type: 'string', maxLength: 64 } }));
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('c', { cronSpec: '* * * * *', image: 'my.image' })));
    assert.equal(s.message, 'CronTab.stable.example.com "c" is invalid: [spec: Invalid value: "object": must not contain dots, '
      + 'spec: Invalid value: "object": not a qualified name]');
    pg.api.create(CRONTABS, 'default', cronTab('d', { cronSpec: 'every-minute', image: 'cron' }));
  });

  it('adds to a set list as a union and to a map list as a merge by key (values.go unstructuredSetList.Add, unstructuredMapList.Add)', () => {
    install(withRules([
      // The set keeps its own order and appends what it lacks, once.
      { rule: 'self.tags + ["c", "a", "c"] == ["a", "b", "c"] && (self.tags + ["c", "a", "c"]).size() == 3 && (self.tags + ["c"])[2] == "c"', message: 'union' },
      // The map list keeps its positions, the other list's element replacing the one with its key.
      { rule: '(oldSelf.ports + self.ports).size() == 3 && (oldSelf.ports + self.ports)[0].port == 80 && (oldSelf.ports + self.ports)[1].port == 8443 && (oldSelf.ports + self.ports)[2].name == "dns"', message: 'merge' },
      // An atomic list on the left concatenates, as before.
      { rule: '(self.order + self.order).size() == 4', message: 'concatenation' },
    ], {
      tags: { type: 'array', 'x-kubernetes-list-type': 'set', maxItems: 10, items: { type: 'string', maxLength: 10 } },
      order: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } },
      ports: {
        type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], maxItems: 10,
        items: { type: 'object', required: ['name'], properties: { name: { type: 'string', maxLength: 10 }, port: { type: 'integer' } } },
      },
    }));
    const old = pg.api.create(CRONTABS, 'default', cronTab('c', spec({ tags: ['a', 'b'], order: ['x', 'y'], ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] }))).object;
    pg.api.update(CRONTABS, 'default', { ...old, spec: { ...old.spec, ports: [{ name: 'https', port: 8443 }, { name: 'dns', port: 53 }] } });
    const s = statusOf(() => pg.api.create(CRONTABS, 'default', cronTab('d', spec({ tags: ['c'], order: ['x', 'y'] }))));
    assert.equal(s.message, 'CronTab.stable.example.com "d" is invalid: spec: Invalid value: "object": union');
  });

  it('checks the rule\'s own fields: message, fieldPath, optionalOldSelf, oldSelf in a list', () => {
    const crd = withRules([
      { rule: 'self.replicas > 1', message: '  ' },
      { rule: 'self.replicas > 1', fieldPath: '.nothere' },
      { rule: 'self.replicas > 1', optionalOldSelf: true },
    ], { tags: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } } });
    const s = statusOf(() => pg.api.create(CRD_GVR, undefined, crd));
    const at = 'spec.validation.openAPIV3Schema.properties[spec]';
    assert.deepEqual(s.details.causes.map((c: any) => `${c.field}: ${c.message}`), [
      `${at}.x-kubernetes-validations[0].message: Invalid value: "  ": message must be non-empty if specified`,
      `${at}.x-kubernetes-validations[1].fieldPath: Invalid value: ".nothere": fieldPath must be a valid path: does not refer to a valid field`,
      `${at}.properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within ${at}.properties[tags]`,
      `${at}.x-kubernetes-validations[2].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule`,
    ]);
  });
});
