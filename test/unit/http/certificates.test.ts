/**
 * The docs task "Issue a certificate for a Kubernetes API client using a CertificateSigningRequest" over HTTPS:
 * create, approve through /approval, read the issued certificate, and use it: the apiserver's x509 authenticator
 * takes the CommonName as the user and the Organizations as groups, and RBAC decides from there.
 */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { startServer, type RunningServer } from '../../../cli/src/serve';
import { call } from './call';
import { certificateRequest, clusterCa, csrObject } from '../cluster/certificates/fixtures';
import { privateKeyPem } from '../../../cluster/src/auth/x509';

/** A request as a client holding a certificate and no token. */
function withCertificate(srv: RunningServer, p: string, cert: string, key: string): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(srv.url + p, { ca: srv.caCert, cert, key, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTP: CertificateSigningRequests and client certificates', function () {
  this.timeout(30_000);
  let srv: RunningServer;
  before(async () => {
    srv = await startServer({ nodes: 1, speed: 1, seed: 3, exposeNodePorts: false });
  });
  after(async () => {
    await srv?.close();
  });

  it('issues a certificate that authenticates as CN=user, O=groups, forbidden until RBAC allows', async () => {
    const { base64, key } = certificateRequest({ cn: 'myuser', orgs: ['dev'] });
    const created = await call(srv, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', csrObject('myuser', base64, { expirationSeconds: 86400 }));
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.spec.username, 'kubeplay-admin');
    const csr = created.json;
    csr.status = { conditions: [{ type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' }] };
    const approved = await call(srv, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/myuser/approval', csr);
    assert.equal(approved.status, 200, approved.text);
    let cert = '';
    for (let i = 0; i < 50 && !cert; i++) {
      const got = await call(srv, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/myuser');
      cert = got.json.status.certificate ? Buffer.from(got.json.status.certificate, 'base64').toString() : '';
      if (!cert) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(cert, /^-----BEGIN CERTIFICATE-----/);
    const keyPem = privateKeyPem(key);
    const whoami = await new Promise<any>((resolve, reject) => {
      const req = https.request(srv.url + '/apis/authentication.k8s.io/v1/selfsubjectreviews', { method: 'POST', ca: srv.caCert, cert, key: keyPem, agent: false, headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }));
    });
    assert.deepEqual(whoami.status.userInfo, { username: 'myuser', groups: ['dev', 'system:authenticated'] });
    const refused = await withCertificate(srv, '/api/v1/namespaces/default/pods', cert, keyPem);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, 'pods is forbidden: User "myuser" cannot list resource "pods" in API group "" in the namespace "default"');
    await call(srv, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'developer' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }] });
    await call(srv, 'POST', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'developer-binding-myuser' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'developer' }, subjects: [{ kind: 'User', name: 'myuser', apiGroup: 'rbac.authorization.k8s.io' }] });
    assert.equal((await withCertificate(srv, '/api/v1/namespaces/default/pods', cert, keyPem)).status, 200);
  });

  it('authenticates nobody with a certificate another CA signed (401 without a token)', async () => {
    const other = clusterCa(Date.now());
    const res = await withCertificate(srv, '/api/v1/namespaces/default/pods', other.cert, other.key);
    assert.equal(res.status, 401);
  });

  it('serves the approval subresource in discovery, before status', async () => {
    const list = await call(srv, 'GET', '/apis/certificates.k8s.io/v1');
    assert.deepEqual(list.json.resources.map((r: any) => r.name).filter((n: string) => n.startsWith('certificatesigningrequests')),
      ['certificatesigningrequests', 'certificatesigningrequests/approval', 'certificatesigningrequests/status']);
  });
});
