import * as assert from 'assert';
import { validateObject } from '../../../kube/src/rules/engine';
import { fieldErrorString, formatFieldPath, invalidMessage } from '../../../kube/src/rules/status';
import { getSchema } from '../../../kube/src/schema/index';

describe('rules/status: upstream error wording for the apiserver', () => {
  const schema = getSchema();
  it('prints field paths like field.Path', () => {
    assert.strictEqual(formatFieldPath(['spec', 'template', 'spec', 'containers', 0, 'image']), 'spec.template.spec.containers[0].image');
    assert.strictEqual(formatFieldPath(['metadata', 'labels', 'app.kubernetes.io/name']), 'metadata.labels[app.kubernetes.io/name]');
  });

  it('formats the selector mismatch and the surge/unavailable error as kubectl shows them', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: {
      selector: { matchLabels: { app: 'web' } }, strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
      template: { metadata: { labels: { app: 'wbe' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    const fs = validateObject(d, schema, { kubernetesVersion: '1.34' });
    assert.deepStrictEqual(fs.map(fieldErrorString), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"wbe"}: `selector` does not match template `labels`',
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]);
    assert.match(invalidMessage('Deployment.apps', 'web', fs), /^Deployment\.apps "web" is invalid: \[spec\.template\.metadata\.labels: Invalid value: .*, spec\.strategy/);
  });

  it('a single error is not bracketed; Required and NotSupported read like upstream', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'i', imagePullPolicy: 'Sometimes' }] } } } };
    const fs = validateObject(job, schema, { kubernetesVersion: '1.34' });
    assert.deepStrictEqual(fs.map(fieldErrorString).sort(), [
      'spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
    const one = validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad' } }, schema, { kubernetesVersion: '1.34' });
    assert.match(invalidMessage('ConfigMap', 'Bad', one), /^ConfigMap "Bad" is invalid: metadata\.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain/);
  });
});
