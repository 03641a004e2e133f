/**
 * Pod Security Admission with every real kubectl we have: labelling a
 * namespace (and the warning about the pods already there), `kubectl run`
 * refused under enforce=restricted, a Deployment applied with a warning,
 * and a bad label refused — each in kubectl's own words.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

const RESTRICTED = (c: string) => `allowPrivilegeEscalation != false (container "${c}" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "${c}" must set securityContext.capabilities.drop=["ALL"]), `
  + `runAsNonRoot != true (pod or container "${c}" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "${c}" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")`;

for (const k of kubectls()) {
  describe(`Pod Security Admission with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-psa-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 8 });
      await okc(['create', 'namespace', 'demo']);
      await okc(['run', 'web', '-n', 'demo', '--image=nginx']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('warns about the pods already there when enforce becomes restricted, then refuses new ones', async () => {
      const label = await kc(['label', '--overwrite', 'ns', 'demo', 'pod-security.kubernetes.io/enforce=restricted']);
      assert.equal(label.code, 0, label.stderr);
      assert.equal(label.stderr, 'Warning: existing pods in namespace "demo" violate the new PodSecurity enforce level "restricted:latest"\n'
        + 'Warning: web: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n');
      assert.equal(label.stdout, 'namespace/demo labeled\n');
      const run = await kc(['run', 'web2', '-n', 'demo', '--image=nginx']);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `Error from server (Forbidden): pods "web2" is forbidden: violates PodSecurity "restricted:latest": ${RESTRICTED('web2')}\n`);
    });

    it('prints the warn level\'s warning when a Deployment is created, and refuses a bad label', async () => {
      await okc(['label', '--overwrite', 'ns', 'demo', 'pod-security.kubernetes.io/warn=restricted']);
      const dep = await kc(['create', 'deployment', 'api', '-n', 'demo', '--image=nginx']);
      assert.equal(dep.code, 0, dep.stderr);
      assert.equal(dep.stderr, `Warning: would violate PodSecurity "restricted:latest": ${RESTRICTED('nginx')}\n`);
      const bad = await kc(['label', '--overwrite', 'ns', 'demo', 'pod-security.kubernetes.io/enforce=strict']);
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr, 'The Namespace "demo" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n');
    });
  });
}
