import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extract, extractNulls } from './protoDescriptors';
import { kubectls, repoRoot } from './binaries';

describe('protobuf field table', () => {
  const kept = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'cluster', 'src', 'http', 'proto', 'fields.json'), 'utf8'));

  it('matches the descriptors a kubectl binary carries, where one carries them (1.32 and older)', function () {
    const withDescriptors = kubectls().map((k) => extract(k.path)).filter((t) => Object.keys(t).length > 0);
    if (withDescriptors.length === 0) this.skip();
    const fresh = withDescriptors[0];
    for (const m of ['k8s.io.api.apps.v1.DeploymentSpec', 'k8s.io.api.core.v1.Container', 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta']) {
      assert.deepEqual(kept[m], fresh[m], m);
    }
  });

  it('keeps in nulls.json what the descriptors and struct tags say of each field\'s null (1.32 and older)', function () {
    const withDescriptors = kubectls().map((k) => extractNulls(k.path)).filter((t) => Object.keys(t).length > 0);
    if (withDescriptors.length === 0) this.skip();
    const nulls = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'cluster', 'src', 'apiserver', 'nulls.json'), 'utf8'));
    assert.deepEqual(nulls, withDescriptors[0]);
  });

  it('knows the messages kubectl create sends', () => {
    for (const m of ['k8s.io.api.apps.v1.Deployment', 'k8s.io.api.core.v1.Service', 'k8s.io.api.core.v1.Namespace', 'k8s.io.api.networking.v1.Ingress',
      'k8s.io.api.authorization.v1.SelfSubjectAccessReview', 'k8s.io.apimachinery.pkg.runtime.Unknown']) {
      assert.ok(kept[m], m);
    }
    assert.deepEqual(kept['k8s.io.api.apps.v1.DeploymentSpec']['1'], ['replicas', 5, 1]);
  });
});
