/**
 * The docs task "Issue a certificate for a Kubernetes API client using a CertificateSigningRequest" (and the RBAC
 * walkthrough's normal user) with every real kubectl we have: openssl makes the key and request, `kubectl apply`
 * the CSR, `kubectl get csr` shows it Pending, `kubectl certificate approve` approves it (the approval
 * subresource), the csrsigning controller issues it, and a kubeconfig user made from the certificate is
 * "myuser": Forbidden until a Role and RoleBinding let it list pods. `kubectl certificate deny` denies another.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

for (const k of kubectls()) {
  describe(`CertificateSigningRequests with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));
    const csrYaml = (name: string, csrFile: string) => [
      'apiVersion: certificates.k8s.io/v1', 'kind: CertificateSigningRequest', 'metadata:', `  name: ${name}`, 'spec:',
      `  request: ${fs.readFileSync(path.join(dir, csrFile)).toString('base64')}`,
      '  signerName: kubernetes.io/kube-apiserver-client', '  expirationSeconds: 86400  # one day', '  usages:', '  - client auth', '',
    ].join('\n');

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-csr-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 1, speed: 1, seed: 5, exposeNodePorts: false });
      const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
      openssl(['genrsa', '-out', 'myuser.key', '2048']);
      openssl(['req', '-new', '-key', 'myuser.key', '-out', 'myuser.csr', '-subj', '/CN=myuser']);
      openssl(['req', '-new', '-key', 'myuser.key', '-out', 'other.csr', '-subj', '/CN=other/O=dev']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('creates, lists Pending, approves and issues; the certificate authenticates myuser, forbidden until RBAC allows', async () => {
      fs.writeFileSync(path.join(dir, 'csr.yaml'), csrYaml('myuser', 'myuser.csr'));
      assert.equal(await okc(['apply', '-f', 'csr.yaml']), 'certificatesigningrequest.certificates.k8s.io/myuser created\n');
      const pending = (await okc(['get', 'csr'])).split('\n');
      assert.match(pending[0], /^NAME\s+AGE\s+SIGNERNAME\s+REQUESTOR\s+REQUESTEDDURATION\s+CONDITION$/);
      assert.match(pending[1], /^myuser\s+\d+s\s+kubernetes\.io\/kube-apiserver-client\s+kubeplay-admin\s+24h\s+Pending$/);
      assert.equal(await okc(['certificate', 'approve', 'myuser']), 'certificatesigningrequest.certificates.k8s.io/myuser approved\n');
      await okc(['wait', '--for=jsonpath={.status.certificate}', 'csr/myuser', '--timeout=30s']);
      assert.match((await okc(['get', 'csr', 'myuser'])).split('\n')[1], /\s+Approved,Issued$/);
      const cond = JSON.parse(await okc(['get', 'csr', 'myuser', '-o', 'jsonpath={.status.conditions[0]}']));
      assert.deepEqual([cond.type, cond.status, cond.reason, cond.message], ['Approved', 'True', 'KubectlApprove', 'This CSR was approved by kubectl certificate approve.']);
      const cert = Buffer.from(await okc(['get', 'csr', 'myuser', '-o', 'jsonpath={.status.certificate}']), 'base64');
      fs.writeFileSync(path.join(dir, 'myuser.crt'), cert);
      await okc(['config', 'set-credentials', 'myuser', '--client-key=myuser.key', '--client-certificate=myuser.crt', '--embed-certs=true']);
      const cluster = (await okc(['config', 'view', '-o', 'jsonpath={.clusters[0].name}'])).trim();
      await okc(['config', 'set-context', 'myuser', `--cluster=${cluster}`, '--user=myuser']);
      const who = JSON.parse(await okc(['--context', 'myuser', 'auth', 'whoami', '-o', 'json'])).status.userInfo;
      // The x509 authenticator names the certificate as the credential (X509SHA256=<its SHA-256>, since 1.32).
      const sha = new X509Certificate(fs.readFileSync(path.join(dir, 'myuser.crt'))).fingerprint256.replace(/:/g, '').toLowerCase();
      assert.deepEqual(who, { username: 'myuser', groups: ['system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${sha}`] } });
      const denied = await kc(['--context', 'myuser', 'get', 'pods']);
      assert.equal(denied.stderr, 'Error from server (Forbidden): pods is forbidden: User "myuser" cannot list resource "pods" in API group "" in the namespace "default"\n');
      await okc(['create', 'role', 'developer', '--verb=create', '--verb=get', '--verb=list', '--verb=update', '--verb=delete', '--resource=pods']);
      await okc(['create', 'rolebinding', 'developer-binding-myuser', '--role=developer', '--user=myuser']);
      const allowed = await kc(['--context', 'myuser', 'get', 'pods']);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.equal(allowed.stderr, 'No resources found in default namespace.\n');
    });

    it('denies with `kubectl certificate deny`: Denied, KubectlDeny, never issued', async () => {
      fs.writeFileSync(path.join(dir, 'other.yaml'), csrYaml('other', 'other.csr'));
      await okc(['apply', '-f', 'other.yaml']);
      assert.equal(await okc(['certificate', 'deny', 'other']), 'certificatesigningrequest.certificates.k8s.io/other denied\n');
      const cond = JSON.parse(await okc(['get', 'csr', 'other', '-o', 'jsonpath={.status.conditions[0]}']));
      assert.deepEqual([cond.type, cond.reason, cond.message], ['Denied', 'KubectlDeny', 'This CSR was denied by kubectl certificate deny.']);
      assert.match((await okc(['get', 'csr', 'other'])).split('\n')[1], /\s+Denied$/);
      // Approving a denied request is refused by kubectl itself.
      const again = await kc(['certificate', 'approve', 'other']);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /certificate signing request "other" is already Denied/);
    });

    it('lists by --field-selector spec.signerName; metadata.namespace is no CSR field label', async () => {
      const rows = (await okc(['get', 'csr', '--field-selector', 'spec.signerName=kubernetes.io/kube-apiserver-client', '-o', 'name'])).split('\n').filter(Boolean).sort();
      assert.deepEqual(rows, ['certificatesigningrequest.certificates.k8s.io/myuser', 'certificatesigningrequest.certificates.k8s.io/other']);
      const none = await kc(['get', 'csr', '--field-selector', 'spec.signerName=example.com/none']);
      assert.equal(none.code, 0, none.stderr);
      assert.equal(none.stderr, 'No resources found\n');
      const bad = await kc(['get', 'csr', '--field-selector', 'metadata.namespace=default']);
      assert.equal(bad.code, 1);
      assert.equal(bad.stderr, 'Error from server (BadRequest): Unable to find "certificates.k8s.io/v1, Resource=certificatesigningrequests" that match label selector "", field selector "metadata.namespace=default": field label not supported: metadata.namespace\n');
    });
  });
}
