import * as assert from 'assert';
import { computeDiagnostics } from '../../../server/src/service/diagnostics';
import { newTestControlPlane, R } from '../../../cluster/src/testing';
import { setup } from '../server/harness';
import { textAt } from '../validate/helpers';

/**
 * The checks the apiserver used to make on its own (negative counts, missing
 * containers) now live in the shared rules: the language server reports each
 * at its key or value, and every cause the apiserver gives has a diagnostic
 * at the same path.
 */
function diagnose(text: string) {
  const { model, ctx } = setup(text + '|');
  return computeDiagnostics(model, ctx).map((d) => ({ code: String(d.code), text: textAt(text, d.range), message: d.message, path: (d.data as any).path.join('.') }));
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: -1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers: []
`;

describe('rules: the editor reports what the apiserver refuses', () => {
  it('negative replicas and an empty container list are language-server diagnostics with the upstream wording', () => {
    const ds = diagnose(DEPLOY);
    const neg = ds.find((d) => d.code === 'negative-value');
    assert.deepStrictEqual(neg && { text: neg.text, message: neg.message }, { text: '-1', message: 'Invalid value: -1: must be greater than or equal to 0' });
    const none = ds.find((d) => d.code === 'no-containers');
    assert.strictEqual(none?.text, 'containers');
  });

  it('a pod with no containers key gets the required-field diagnostic', () => {
    const ds = diagnose('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: Always\n');
    assert.deepStrictEqual(ds.map((d) => [d.code, d.path]), [['missing-required', 'spec.containers']]);
  });

  it('Job and CronJob counts below zero are flagged, including those of a CronJob job template', () => {
    const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  parallelism: -2\n  backoffLimit: -1\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n';
    assert.deepStrictEqual(diagnose(job).map((d) => [d.code, d.path]), [['negative-value', 'spec.parallelism'], ['negative-value', 'spec.backoffLimit']]);
    const cj = 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      completions: -1\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox\n';
    assert.deepStrictEqual(diagnose(cj).map((d) => [d.code, d.path]), [['negative-value', 'spec.jobTemplate.spec.completions']]);
  });

  it('every cause of the apiserver\'s Invalid status has a diagnostic at that field', () => {
    const cp = newTestControlPlane();
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: -1, selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'other' } }, spec: { containers: [] } } } };
    let causes: { field: string }[] = [];
    try {
      cp.api.create(R.deployments, 'default', obj as any);
    } catch (e: any) {
      causes = e.status.details.causes;
    }
    assert.strictEqual(causes.length, 3);
    const text = DEPLOY.replace('        app: web\n    spec:', '        app: other\n    spec:');
    const paths = new Set(diagnose(text).map((d) => d.path));
    for (const c of causes) assert.ok(paths.has(c.field), `no diagnostic at ${c.field}`);
  });
});
