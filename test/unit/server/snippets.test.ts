import * as assert from 'assert';
import { parseDocument } from 'yaml';
import { getSchema } from '../../../kube/src/schema/index';
import { validateObject } from '../../../kube/src/rules/engine';
import { expandSkeleton, SKELETONS } from '../../../server/src/service/snippets';

describe('server/snippets', () => {
  const schema = getSchema();
  it('the check can fail (a Deployment without selector and image is reported)', () => {
    const dep = SKELETONS.find((s) => s.kind === 'Deployment')!;
    const text = expandSkeleton(dep.body).replace(/  selector:\n    matchLabels:\n      app: my-app\n/, '').replace(/ +image: .*\n/, '');
    const findings = validateObject(parseDocument(text).toJS(), schema, { kubernetesVersion: schema.data.kubernetesVersion });
    assert.ok(findings.length >= 2, JSON.stringify(findings));
  });
  for (const s of SKELETONS) {
    it(`${s.kind} skeleton is valid as inserted`, () => {
      const text = expandSkeleton(s.body);
      const doc = parseDocument(text);
      assert.deepStrictEqual(doc.errors.map((e) => e.message), []);
      const value = doc.toJS() as { kind: string; apiVersion: string };
      assert.strictEqual(value.kind, s.kind);
      assert.ok(schema.kind(value.apiVersion, value.kind), `${value.apiVersion} ${value.kind} in schema`);
      const findings = validateObject(value, schema, { kubernetesVersion: schema.data.kubernetesVersion }).filter((f) => f.severity === 'error' || f.severity === 'warning');
      assert.deepStrictEqual(findings.map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`), []);
    });
  }
});
