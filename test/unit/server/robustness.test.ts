/**
 * Shapes a user types on the way to a valid manifest: the editor keeps
 * diagnosing the document, says what is wrong where, and reads the rest.
 */
import * as assert from 'assert';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { indexModel } from '../../../server/src/service/workspace';
import { listeningPorts, behaviourOf } from '../../../kube/src/imageConvention';
import { setup } from './harness';

function diagnose(text: string) {
  const { model, ctx } = setup(text);
  return computeDiagnostics(model, ctx).map((d) => ({ line: d.range.start.line, code: String(d.code), message: d.message }));
}

const POD = (container: string) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: busybox
${container}`;

describe('server/robustness', () => {
  for (const bad of ['    command: sleep 10', '    command: {}', '    args: 5', '    command: [sleep]\n    args: {a: 1}']) {
    it(`reads a container whose command or args is not a list (${bad.trim().replace(/\n\s*/g, '; ')}) and reports its type`, () => {
      const text = POD(bad + '\n    imagePullPolicy: Sometimes');
      const { model } = setup(text);
      assert.doesNotThrow(() => indexModel(model));
      const diags = diagnose(text);
      assert.ok(diags.some((d) => d.code === 'wrong-type'), JSON.stringify(diags));
      assert.ok(diags.some((d) => /Sometimes/.test(d.message)), 'the rest of the document is still checked');
    });
  }

  it('the image convention takes any shape of command and args', () => {
    for (const c of [{ command: 'sleep 10' }, { command: {} }, { args: 5 }, { command: null, args: 'x' }]) {
      assert.doesNotThrow(() => listeningPorts({ image: 'nginx', ...c }));
      assert.doesNotThrow(() => behaviourOf({ image: 'busybox', ...c }, 'Always'));
    }
  });

  it('reports an alias to an anchor that does not exist, at the alias, and still checks the rest', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: BAD_NAME}
spec:
  containers:
  - name: a
    image: *nope
    imagePullPolicy: Sometimes
`;
    const diags = diagnose(text);
    const alias = diags.find((d) => /Unresolved alias/.test(d.message));
    assert.ok(alias, JSON.stringify(diags));
    assert.strictEqual(alias!.line, 6);
    assert.match(alias!.message, /Unresolved alias \(the anchor must be set before the alias\): nope/);
    assert.ok(diags.some((d) => /Sometimes/.test(d.message)));
    assert.ok(diags.some((d) => d.line === 2 && /BAD_NAME/.test(d.message)));
    // The alias stands for a value that is not there: no second complaint that the image is missing.
    assert.ok(!diags.some((d) => d.code === 'missing-image'), JSON.stringify(diags));
  });

  for (const merge of ['<<: *nope', '<<:', '<<: 5']) {
    it(`reports a merge key whose value is not a map (${merge}) and keeps the other keys`, () => {
      const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
  labels:
    ${merge}
    app: web
data:
  a: 1
`;
      const diags = diagnose(text);
      assert.ok(diags.some((d) => /^Merge sources must be maps or map aliases/.test(d.message) && d.line === 5), JSON.stringify(diags));
      // data.a is a number where a string must be: the document was read past the bad merge.
      assert.ok(diags.some((d) => d.code === 'wrong-type' && d.line === 8), JSON.stringify(diags));
    });
  }
});

describe('server/unknown kind', () => {
  it('says no kind matches in a built-in group and fixes the spelling', () => {
    const { quickFixes, applyEdits, diagnose: diag } = require('../validate/helpers');
    const text = 'apiVersion: apps/v1\nkind: deployment\nmetadata: {name: web}\n';
    const { list } = diag(text);
    const d = list.find((x: any) => x.code === 'unknown-kind');
    assert.strictEqual(d.range.start.line, 1);
    const { actions } = quickFixes(text, 'unknown-kind');
    assert.strictEqual(actions[0].title, 'Change kind to "Deployment"');
    const fixed = applyEdits(text + '|', Object.values(actions[0].edit.changes)[0] as any).replace(/\|$/, '');
    assert.strictEqual(fixed, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
  });
});

describe('server/diagnostics in Chinese', () => {
  it('every code the rules and the workspace checks can report has a Chinese explanation, shown above the original words', () => {
    const { ALL_CODES } = require('../../../kube/src/rules/engine');
    const { ZH_DIAGNOSTICS } = require('../../../server/src/i18n/diagnostics');
    const cross = ['autoscaler-missing-request', 'ingress-backend-port', 'ingress-no-class', 'missing-reference', 'netpol-blocks-dns', 'pod-security', 'probe-port-unserved',
      'quota-must-specify', 'run-as-root-image', 'service-selects-nothing', 'target-port-unserved', 'unknown-target-port', 'yaml-syntax', 'duplicate-key', 'tab', 'unresolved-alias', 'bad-merge'];
    const missing = [...ALL_CODES, ...cross].filter((c: string) => !ZH_DIAGNOSTICS[c]);
    assert.deepStrictEqual(missing, []);
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolicy: Sometimes\n';
    const { model, ctx } = setup(text, { locale: 'zh-cn' });
    const d = computeDiagnostics(model, ctx).find((x) => x.code === 'enum-value')!;
    assert.strictEqual(d.message, '该值不在允许的取值范围内（区分大小写），可选值：Always、IfNotPresent、Never。\nUnsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"');
    const en = setup(text);
    assert.ok(!computeDiagnostics(en.model, en.ctx).find((x) => x.code === 'enum-value')!.message.includes('\n'));
  });
});

describe('image convention: tags no registry has', () => {
  it('nginx:1.161 (the documentation\'s stuck rollout) fails to pull; real nginx versions pull', () => {
    const kind = (image: string) => behaviourOf({ image }, 'Always').kind;
    assert.strictEqual(kind('nginx:1.161'), 'pull-error');
    assert.match(behaviourOf({ image: 'nginx:1.161' }, 'Always').pullError!, /failed to resolve reference "docker\.io\/library\/nginx:1\.161": docker\.io\/library\/nginx:1\.161: not found$/);
    for (const ok of ['nginx', 'nginx:1.16.1', 'nginx:1.27-alpine', 'nginx:1.14.2', 'nginx:stable', 'nginx:latest', 'library/nginx:1.29.1']) assert.notStrictEqual(kind(ok), 'pull-error', ok);
  });
});
