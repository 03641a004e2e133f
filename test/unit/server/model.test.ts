import * as assert from 'assert';
import { buildModel, ModelStore, splitDocuments } from '../../../server/src/service/model';
import type { KindInfo } from '../../../kube/src/schema/types';
import { cursor } from './cursor';

const kinds = (apiVersion: string, kind: string): KindInfo | undefined =>
  apiVersion === 'apps/v1' && kind === 'Deployment'
    ? { group: 'apps', version: 'v1', apiVersion, kind, definition: 'io.k8s.api.apps.v1.Deployment', resource: 'deployments', namespaced: true }
    : apiVersion === 'v1' && kind === 'Pod'
      ? { group: '', version: 'v1', apiVersion, kind, definition: 'io.k8s.api.core.v1.Pod', resource: 'pods', namespaced: true }
      : undefined;

function at(marked: string) {
  const { text, pos } = cursor(marked);
  const m = buildModel('file:///t.yaml', 1, text, kinds);
  return m.pathAt(pos)!;
}

describe('server/model', () => {
  it('splits at --- lines only', () => {
    const parts = splitDocuments('a: 1\n---\nb: |\n  ---x\n--- \nc: 3\n');
    assert.deepStrictEqual(parts.map((p) => p.text), ['a: 1\n', '---\nb: |\n  ---x\n', '--- \nc: 3\n']);
  });

  it('gives documents with lines, kinds, values and problems', () => {
    const m = buildModel('u', 1, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n---\napiVersion: x/v1\nkind: Foo\na: 1\na: 2\n', kinds);
    assert.strictEqual(m.documents.length, 2);
    assert.strictEqual(m.documents[0].kindInfo?.resource, 'pods');
    assert.strictEqual(m.documents[0].objects[0].name, 'p');
    assert.strictEqual(m.documents[1].startLine, 3);
    assert.strictEqual(m.documents[1].kind, 'Foo');
    assert.strictEqual(m.documents[1].kindInfo, undefined);
    const dup = m.documents[1].problems.find((p) => p.code === 'DUPLICATE_KEY');
    assert.ok(dup);
    assert.deepStrictEqual(dup!.range.start, { line: 7, character: 0 });
  });

  it('maps paths to ranges, falling back to the deepest existing key', () => {
    const m = buildModel('u', 1, 'kind: Pod\n---\nkind: Deployment\nspec:\n  replicas: 3\n  template:\n    spec:\n      containers:\n      - name: a\n        image: nginx\n', kinds);
    const d = m.documents[1];
    assert.deepStrictEqual(d.rangeOfPath(['spec', 'template', 'spec', 'containers', 0, 'image']), { start: { line: 9, character: 15 }, end: { line: 9, character: 20 } });
    assert.deepStrictEqual(d.rangeOfPath(['spec', 'replicas'], 'key'), { start: { line: 4, character: 2 }, end: { line: 4, character: 10 } });
    assert.deepStrictEqual(d.rangeOfPath(['spec', 'selector']), { start: { line: 3, character: 0 }, end: { line: 3, character: 4 } });
    assert.deepStrictEqual(d.rangeOfPath([])!.start, { line: 2, character: 0 });
  });

  it('resolves YAML merge keys as kubectl does', () => {
    const m = buildModel('u', 1, 'x: &base {a: 1, b: 2}\nz:\n  <<: *base\n  b: 3\n', kinds);
    assert.deepStrictEqual((m.documents[0].value as { z: unknown }).z, { a: 1, b: 3 });
  });

  it('reads plain scalars as kubectl does (YAML 1.1 booleans, octal, a key `y` is true)', () => {
    const m = buildModel('u', 1, 'a: yes\nb: Off\nc: 0644\nd: "0644"\ne: 1_000\ny: 1\n', kinds);
    assert.deepStrictEqual(m.documents[0].value, { a: true, b: false, c: 420, d: '0644', e: 1000, true: 1 });
  });

  it('treats kind: List items as objects', () => {
    const m = buildModel('u', 1, 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: a}\n- kind: Service\n', kinds);
    const objs = m.documents[0].objects;
    assert.deepStrictEqual(objs.map((o) => [o.path, o.kind, !!o.kindInfo]), [[['items', 0], 'Pod', true], [['items', 1], 'Service', false]]);
    assert.deepStrictEqual(m.documents[0].objectAt(['items', 1, 'spec'])!.rest, ['spec']);
  });

  it('finds the path on keys and values', () => {
    assert.deepStrictEqual(at('spec:\n  containers:\n  - name: a\n    imagePull|Policy: Always\n'), {
      ...at('spec:\n  containers:\n  - name: a\n    imagePull|Policy: Always\n'),
      path: ['spec', 'containers', 0, 'imagePullPolicy'],
      on: 'key',
    });
    const v = at('spec:\n  containers:\n  - name: a\n  - name: b\n    image: ngi|nx\n');
    assert.deepStrictEqual([v.path, v.on, v.text, v.fresh], [['spec', 'containers', 1, 'image'], 'value', 'nginx', false]);
  });

  it('finds the path on fresh and half-typed lines', () => {
    const cases: [string, unknown[], string][] = [
      ['spec:\n  containers:\n  - name: a\n    |\n', ['spec', 'containers', 0, ''], 'key'],
      ['spec:\n  containers:\n  - name: a\n  - |\n', ['spec', 'containers', 1, ''], 'key'],
      ['spec:\n  containers:\n  - name: a\n    ima|\n', ['spec', 'containers', 0, 'ima'], 'key'],
      ['spec:\n  containers:\n  - name: a\n    image: |\n', ['spec', 'containers', 0, 'image'], 'value'],
      ['spec:\n  containers:\n  - name: a\n    ports:\n    - containerPort: 80\n  - name: b\n    |\n', ['spec', 'containers', 1, ''], 'key'],
      ['spec:\n  template:\n    spec:\n      containers:\n        - name: a\n          |\n  x: 1\n', ['spec', 'template', 'spec', 'containers', 0, ''], 'key'],
      ['spec:\n  replicas: 1\n  |\n', ['spec', ''], 'key'],
      ['spec:\n  replicas: 1\n|\n', [''], 'key'],
      ['a: 1\n---\nkind: Pod\nspec:\n  volumes:\n  - name: v\n    configMap:\n      |\n', ['spec', 'volumes', 0, 'configMap', ''], 'key'],
      ['data:\n  script: |\n    echo\n    - x: 1\n  §\n', ['data', ''], 'key'],
    ];
    for (const [marked, path, on] of cases) {
      const r = at(marked);
      assert.deepStrictEqual([r.path, r.on], [path, on], marked);
    }
  });

  it('reuses unchanged documents after an edit', () => {
    const store = new ModelStore(kinds);
    const docs = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\n`).join('---\n');
    const m1 = store.update('u', 1, docs);
    const m2 = store.update('u', 2, docs.replace('name: p10\n', 'name: q10\n'));
    assert.strictEqual(m2.documents.length, 50);
    const changed = m2.documents.filter((d, i) => d !== m1.documents[i]);
    assert.strictEqual(changed.length, 1);
    assert.strictEqual(changed[0].objects[0].name, 'q10');
    const m3 = store.update('u', 3, m2.text.replace('name: p20\n', 'name: p20\n\n'));
    assert.strictEqual(m3.documents[30].chunk, m2.documents[30].chunk);
    assert.strictEqual(m3.documents[30].startLine, m2.documents[30].startLine + 1);
    assert.deepStrictEqual(m3.positionAt(m3.offsetAt({ line: 200, character: 3 })), { line: 200, character: 3 });
  });
});
