import * as assert from 'assert';
import { definition, documentSymbols, foldingRanges } from '../../../server/src/service/navigation';
import { setup } from './harness';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: web}
spec:
  volumes:
  - name: data
    emptyDir: {}
  - name: logs
    emptyDir: {}
  containers:
  - name: c
    image: busybox
    volumeMounts:
    - name: lo|gs
      mountPath: /logs
`;

describe('server/navigation', () => {
  it('outlines each document as Kind/name with its sections', () => {
    const { model } = setup('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: {a: b}\n---\n' + POD.replace('|', ''));
    const s = documentSymbols(model);
    assert.deepStrictEqual(s.map((x) => x.name), ['ConfigMap/c', 'Pod/p']);
    const spec = s[1].children!.find((c) => c.name === 'spec')!;
    assert.deepStrictEqual(spec.children!.map((c) => c.name), ['volumes', 'containers']);
    assert.deepStrictEqual(spec.children![0].children!.map((c) => c.name), ['data', 'logs']);
    assert.strictEqual(s[1].range.start.line, 5);
  });

  it('folds documents and multi-line collections', () => {
    const { model } = setup(POD.replace('|', '') + '---\na: 1\n');
    const f = foldingRanges(model);
    assert.ok(f.some((r) => r.startLine === 0 && r.endLine === 16), JSON.stringify(f));
    assert.ok(f.some((r) => r.startLine === 6 && r.endLine === 10), 'volumes');
    assert.ok(f.some((r) => r.startLine === 11 && r.endLine === 16), 'containers');
  });

  it('goes from a volumeMount name to its volume', () => {
    const { model, pos, ctx } = setup(POD);
    const locs = definition(model, pos, ctx);
    assert.deepStrictEqual(locs.map((l) => [l.range.start.line, l.range.start.character]), [[9, 10]]);
  });

  it('goes from a Service selector to the workloads it matches', () => {
    const { model, pos, ctx } = setup('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {app: w|eb}\n---\n' + POD.replace('|', ''));
    const locs = definition(model, pos, ctx);
    assert.strictEqual(locs.length, 1);
    assert.strictEqual(locs[0].uri, model.uri);
    assert.strictEqual(locs[0].range.start.line, 10);
  });

  it('goes from a binding\'s roleRef and ServiceAccount subject to the Role and the account', () => {
    const others = { 'rbac.yaml': 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pod-reader}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bot}\n' };
    const binding = (ref: string, subject: string) => `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b}\nroleRef:\n  kind: Role\n  name: ${ref}\nsubjects:\n- kind: ServiceAccount\n  name: ${subject}\n`;
    for (const [ref, subject, line] of [['pod-re|ader', 'bot', 0], ['pod-reader', 'b|ot', 3]] as const) {
      const { model, pos, ctx } = setup(binding(ref, subject), { others });
      const locs = definition(model, pos, ctx);
      assert.deepStrictEqual(locs.map((l) => [l.uri.replace(/^.*\//, ''), l.range.start.line]), [['rbac.yaml', line]]);
    }
  });
});
