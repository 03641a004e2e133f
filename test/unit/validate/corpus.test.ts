import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { getSchema } from '../../../kube/src/schema/index';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { buildModel } from '../../../server/src/service/model';
import { from } from '../../../server/src/service/settings';
import { indexModel, Workspace } from '../../../server/src/service/workspace';
import { repoRoot } from './helpers';

/** Real-world manifests must show no errors or warnings in the editor (information-level reference hints are fine). */
describe('validate/corpus: real-world manifests validate clean in the editor', () => {
  const schema = getSchema();
  const dir = path.join(repoRoot(), 'test', 'fixtures', 'corpus');
  const files = fs.readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  const kinds = (a: string, k: string) => schema.kind(a, k);
  const models = files.map((f) => buildModel(`file:///corpus/${f}`, 1, fs.readFileSync(path.join(dir, f), 'utf8'), kinds));
  const workspace = new Workspace();
  for (const m of models) workspace.setFile(m.uri, indexModel(m));
  const ctx = { schema, workspace, settings: from({}, schema.data.kubernetesVersion), locale: 'en' };

  it('has a corpus of at least 10 files and 50 objects', () => {
    assert.ok(files.length >= 10);
    assert.ok(models.reduce((n, m) => n + [...m.objects()].length, 0) >= 50);
  });

  for (const [i, f] of files.entries()) {
    it(f, () => {
      const bad = computeDiagnostics(models[i], ctx).filter((d) => d.severity <= 2);
      assert.deepStrictEqual(bad.map((d) => `${d.range.start.line + 1}: ${d.code}: ${d.message}`), []);
    });
  }
});
