import * as assert from 'assert';
import { doComplete } from '../../../server/src/service/completion';
import { doHover } from '../../../server/src/service/hover';
import { buildModel, ModelStore } from '../../../server/src/service/model';
import { definition, documentSymbols, foldingRanges } from '../../../server/src/service/navigation';
import { indexModel } from '../../../server/src/service/workspace';
import { setup } from './harness';

const BASE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
    spec:
      volumes:
      - name: data
        configMap:
          name: settings
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
          name: http
        volumeMounts:
        - name: data
          mountPath: /d
        livenessProbe:
          httpGet: {port: http, path: /}
        resources: {limits: {cpu: 500m}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
  data:
    script: |
      echo hi
      ---not a marker
`;

const PIECES = ['---', '\n---\n', '-', '\n', ' ', '  ', '- ', ':', ': ', '---\n', '#', '"', "'", '{', '}', '[', ']', '|', '>', '&a', '*a', '\t', 'name', 'x: 1\n', '- name: y\n', '…', '\r\n', '!!str ', '?', ','];

/** Deterministic pseudo-random numbers (LCG), so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
}

describe('server/fuzz', () => {
  it('survives random edits and keeps the incremental model equal to a fresh parse', function () {
    this.timeout(60000);
    const { ctx } = setup(BASE);
    const kinds = (a: string, k: string) => ctx.schema.kind(a, k);
    const store = new ModelStore(kinds);
    const rand = rng(12345);
    let text = BASE;
    for (let step = 0; step < 400; step++) {
      const at = rand(text.length + 1);
      const del = rand(4) === 0 ? rand(12) : 0;
      const ins = rand(3) === 0 ? '' : PIECES[rand(PIECES.length)];
      text = text.slice(0, at) + ins + text.slice(at + del);
      if (step % 50 === 49) text = BASE; // back to sane text now and then
      const model = store.update('file:///f.yaml', step + 1, text);
      const fresh = buildModel('file:///f.yaml', 0, text, kinds);
      assert.deepStrictEqual(
        model.documents.map((d, i) => [d.startLine, model.startOf(i), d.chunk.text, d.value]),
        fresh.documents.map((d, i) => [d.startLine, fresh.startOf(i), d.chunk.text, d.value]),
        `step ${step}`,
      );
      (ctx.workspace as unknown as { setOpen(u: string, o: unknown): void }).setOpen(model.uri, indexModel(model));
      const lines = text.split('\n');
      for (let k = 0; k < 4; k++) {
        const line = rand(lines.length + 1);
        const pos = { line, character: rand((lines[line]?.length ?? 0) + 2) };
        try {
          doComplete(model, pos, ctx);
          doHover(model, pos, ctx);
          definition(model, pos, ctx);
        } catch (e) {
          assert.fail(`step ${step} at ${JSON.stringify(pos)}: ${(e as Error).stack}\n---\n${text}`);
        }
      }
      documentSymbols(model);
      foldingRanges(model);
      for (const d of model.documents) d.problems;
    }
  });
});
