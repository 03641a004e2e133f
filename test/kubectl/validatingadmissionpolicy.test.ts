/**
 * ValidatingAdmissionPolicy with every real kubectl we have: the docs' example (replicas <= 5 on Deployments, bound
 * with validationActions [Deny] to namespaces labelled environment=test) refuses a Deployment there in kubectl's
 * words for a 422 Invalid, admits it elsewhere, and a Warn binding prints the warning instead.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

const POLICY = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
`;
const binding = (actions: string) => `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-test.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [${actions}]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`;
const MESSAGE = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5";

for (const k of kubectls()) {
  describe(`ValidatingAdmissionPolicy with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-vap-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 1, speed: 40, seed: 9 });
      fs.writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
      fs.writeFileSync(path.join(dir, 'deny.yaml'), binding('Deny'));
      fs.writeFileSync(path.join(dir, 'warn.yaml'), binding('Warn'));
      await okc(['create', 'namespace', 'test']);
      await okc(['label', 'namespace', 'test', 'environment=test']);
      await okc(['create', 'namespace', 'prod']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses a Deployment over the limit in a selected namespace and admits it elsewhere', async () => {
      assert.equal(await okc(['apply', '-f', 'policy.yaml']), 'validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com created\n');
      assert.equal(await okc(['apply', '-f', 'deny.yaml']), 'validatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-test.example.com created\n');
      const no = await kc(['create', 'deployment', 'nginx', '-n', 'test', '--image=nginx', '--replicas=6']);
      assert.equal(no.code, 1);
      assert.equal(no.stderr, `error: failed to create deployment: deployments.apps "nginx" is forbidden: ${MESSAGE}\n`);
      const ok = await kc(['create', 'deployment', 'nginx', '-n', 'prod', '--image=nginx', '--replicas=6']);
      assert.equal(ok.code, 0, ok.stderr);
      fs.writeFileSync(path.join(dir, 'dep.yaml'), (await okc(['create', 'deployment', 'nginx', '-n', 'test', '--image=nginx', '--replicas=6', '--dry-run=client', '-o', 'yaml'])));
      const applied = await kc(['apply', '-f', 'dep.yaml']);
      assert.equal(applied.code, 1);
      assert.equal(applied.stderr, `The deployments "nginx" is invalid: : ${MESSAGE}\n`);
    });

    it('warns instead with a Warn binding', async () => {
      await okc(['apply', '-f', 'warn.yaml']);
      const r = await kc(['create', 'deployment', 'nginx', '-n', 'test', '--image=nginx', '--replicas=6']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, `Warning: Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': failed expression: object.spec.replicas <= 5\n`);
      assert.equal(r.stdout, 'deployment.apps/nginx created\n');
    });
  });
}
