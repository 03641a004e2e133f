/**
 * The docs task "Issue a certificate for a Kubernetes API client using a CertificateSigningRequest" over HTTPS:
 * create, approve through /approval, read the issued certificate, and use it: the apiserver's x509 authenticator
 * takes the CommonName as the user and the Organizations as groups, and RBAC decides from there.
 */
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { createHash, X509Certificate } from 'node:crypto';
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
    // CommonNameUserConversion: the credential id is the SHA-256 of the certificate's DER.
    const fingerprint = createHash('sha256').update(new X509Certificate(cert).raw).digest('hex');
    assert.deepEqual(whoami.status.userInfo, { username: 'myuser', groups: ['dev', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [`X509SHA256=${fingerprint}`] } });
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

  it('answers a request that is not base64 with the decode error (400), before validation', async () => {
    const { pem } = certificateRequest({ cn: 'rawpem' });
    const raw = await call(srv, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', csrObject('rawpem', pem));
    assert.equal(raw.status, 400, raw.text);
    assert.equal(raw.json.message, 'CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: illegal base64 data at input byte 0');
    const text = await call(srv, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', csrObject('b64', 'not base64!!'));
    assert.equal(text.json.message, 'CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: illegal base64 data at input byte 3');
    // A PEM's base64 with its line breaks decodes (StdEncoding skips \r and \n).
    const { base64 } = certificateRequest({ cn: 'wrapped' });
    const wrapped = await call(srv, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', csrObject('wrapped', base64.replace(/(.{76})/g, '$1\n')));
    assert.equal(wrapped.status, 201, wrapped.text);
    // status.certificate is []byte too, through /status.
    const put = { ...wrapped.json, status: { certificate: '-----BEGIN CERTIFICATE-----' } };
    const status = await call(srv, 'PUT', '/apis/certificates.k8s.io/v1/certificatesigningrequests/wrapped/status', put);
    assert.equal(status.status, 400, status.text);
    assert.equal(status.json.message, 'CertificateSigningRequest in version "v1" cannot be handled as a CertificateSigningRequest: illegal base64 data at input byte 0');
  });

  it('lets a node create, get and list its own CSRs (Node authorizer), and auto-approves its renewal', async () => {
    const { base64 } = certificateRequest({ cn: 'system:node:kubeplay-worker', orgs: ['system:nodes'] });
    const asNode = { headers: { 'Impersonate-User': 'system:node:kubeplay-worker', 'Impersonate-Group': 'system:nodes' } };
    const spec = { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] };
    const created = await call(srv, 'POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', csrObject('node-renew', base64, spec), asNode);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.spec.username, 'system:node:kubeplay-worker');
    assert.equal((await call(srv, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests', undefined, asNode)).status, 200);
    let cond: any;
    for (let i = 0; i < 50 && !cond; i++) {
      const got = await call(srv, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests/node-renew', undefined, asNode);
      assert.equal(got.status, 200, got.text);
      cond = got.json.status?.conditions?.[0];
      if (!cond) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(cond?.message, 'Auto approving self kubelet client certificate after SubjectAccessReview.');
    // NodeRules stop at create/get/list/watch: no approval, no delete; and only a node identity gets them.
    const del = await call(srv, 'DELETE', '/apis/certificates.k8s.io/v1/certificatesigningrequests/node-renew', undefined, asNode);
    assert.equal(del.status, 403);
    const notNode = await call(srv, 'GET', '/apis/certificates.k8s.io/v1/certificatesigningrequests', undefined, { headers: { 'Impersonate-User': 'system:node:kubeplay-worker' } });
    assert.equal(notNode.json.message, 'certificatesigningrequests.certificates.k8s.io is forbidden: User "system:node:kubeplay-worker" cannot list resource "certificatesigningrequests" in API group "certificates.k8s.io" at the cluster scope');
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
