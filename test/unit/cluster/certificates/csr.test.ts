/**
 * CertificateSigningRequests end to end in the control plane: the registry's strategies and validation, the
 * approval and signing admission checks, the csrapproving controller's kubelet auto-approval, and the csrsigning
 * controller's certificate from the cluster CA (pkg/registry/certificates, pkg/apis/certificates/validation,
 * plugin/pkg/admission/certificates, pkg/controller/certificates).
 */
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { newTestControlPlane, refusal as message, type TestControlPlane } from '../../../../cluster/src/testing';
import { certificateAdmission } from '../../../../cluster/src/apiserver/certificates';
import { CSRApprovingController, CSRSigningController } from '../../../../cluster/src/controllers/certificates/controllers';
import { CertificateAuthority } from '../../../../cluster/src/auth/authority';
import { ensureRbacDefaults, installKubeadmCertificateBindings } from '../../../../cluster/src/auth/policy';
import { certificateRequest, clusterCa, csrObject } from './fixtures';

const CSR = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const MASTER = { username: 'root', groups: ['system:masters', 'system:authenticated'] };

describe('CertificateSigningRequests', () => {
  let cp: TestControlPlane;
  let caPem: { cert: string; key: string };
  beforeEach(() => {
    cp = newTestControlPlane();
    ensureRbacDefaults(cp.api);
    installKubeadmCertificateBindings(cp.api);
    cp.api.use(certificateAdmission(cp.store));
    caPem = clusterCa(cp.clock.now());
    cp.start(new CSRApprovingController(cp.ctx, cp.store), new CSRSigningController(cp.ctx, cp.store, new CertificateAuthority(caPem.cert, caPem.key)));
  });
  const get = (name: string) => cp.api.get(CSR, undefined, name);
  const approve = (name: string, user = MASTER) => {
    const csr = get(name);
    const approved = { type: 'Approved', status: 'True', reason: 'KubectlApprove', message: 'This CSR was approved by kubectl certificate approve.' };
    return cp.api.update(CSR, undefined, { ...csr, status: { ...(csr.status ?? {}), conditions: [...(csr.status?.conditions ?? []), approved] } } as any, { user }, 'approval');
  };

  it('records who asked and starts Pending, whatever the body said', () => {
    const { base64 } = certificateRequest({ cn: 'myuser', orgs: ['dev'] });
    const body = csrObject('myuser', base64, { expirationSeconds: 86400, username: 'someone-else', groups: ['system:masters'] });
    body.status = { conditions: [{ type: 'Approved', status: 'True' }] };
    const out = cp.api.create(CSR, undefined, body, { user: { ...ADMIN, uid: 'u-1', extra: { scopes: ['a'] } } }).object;
    assert.equal(out.spec.username, 'kubernetes-admin');
    assert.deepEqual(out.spec.groups, ADMIN.groups);
    assert.equal(out.spec.uid, 'u-1');
    assert.deepEqual(out.spec.extra, { scopes: ['a'] });
    assert.deepEqual(out.status, {});
    cp.advance(5000);
    assert.deepEqual(get('myuser').status, {}, 'nobody approves a kube-apiserver-client request by itself');
  });

  it('refuses what validation refuses, in upstream\'s words', () => {
    const { base64 } = certificateRequest({ cn: 'x' });
    const notPem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
    const m1 = message(() => cp.api.create(CSR, undefined, csrObject('a', notPem)));
    assert.match(m1, /^CertificateSigningRequest\.certificates\.k8s\.io "a" is invalid: spec\.request: Invalid value: \[\]byte\{0x2d, 0x2d, .*\}: PEM block type must be CERTIFICATE REQUEST$/);
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('b', base64, { expirationSeconds: 300, usages: ['client auth', 'client auth'] }))),
      'CertificateSigningRequest.certificates.k8s.io "b" is invalid: [spec.usages[1]: Duplicate value: "client auth", spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 600 seconds (10 minutes)]');
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('c', base64, { signerName: 'kubernetes.io/legacy-unknown' }))),
      'CertificateSigningRequest.certificates.k8s.io "c" is invalid: spec.signerName: Invalid value: "kubernetes.io/legacy-unknown": the legacy signerName is not allowed via this API version');
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('d', base64, { signerName: 'nodomain', usages: [] }))),
      'CertificateSigningRequest.certificates.k8s.io "d" is invalid: [spec.usages: Required value, spec.signerName: Invalid value: "nodomain": must be a fully qualified domain and path of the form \'example.com/signer-name\']');
    // CertificateSubjectRestriction: never a system:masters certificate from the kube-apiserver-client signer.
    const masters = certificateRequest({ cn: 'evil', orgs: ['system:masters'] });
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('e', masters.base64))),
      'certificatesigningrequests.certificates.k8s.io "e" is forbidden: use of kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed');
  });

  it('checks the signerName path label by label, and only the whole name\'s length (ValidateSignerName)', () => {
    const { base64 } = certificateRequest({ cn: 'x' });
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('s1', base64, { signerName: 'example.com/My_Signer' }))),
      'CertificateSigningRequest.certificates.k8s.io "s1" is invalid: spec.signerName: Invalid value: "My_Signer": validating label "My_Signer": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')');
    // Two path labels of 200: each a subdomain, the name 413 long, under 571.
    const long = `example.com/${'c'.repeat(200)}.${'c'.repeat(200)}`;
    assert.equal(cp.api.create(CSR, undefined, csrObject('s2', base64, { signerName: long })).object.spec.signerName, long);
    // The first bad label is reported, the later ones are not.
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('s3', base64, { signerName: `example.com/ok.${'d'.repeat(254)}.Bad` }))),
      `CertificateSigningRequest.certificates.k8s.io "s3" is invalid: spec.signerName: Invalid value: "ok.${'d'.repeat(254)}.Bad": validating label "${'d'.repeat(254)}": must be no more than 253 characters`);
    const tooLong = `example.com/${Array(3).fill('e'.repeat(200)).join('.')}`;
    assert.equal(message(() => cp.api.create(CSR, undefined, csrObject('s4', base64, { signerName: tooLong }))),
      'CertificateSigningRequest.certificates.k8s.io "s4" is invalid: spec.signerName: Too long: may not be more than 571 bytes');
  });

  it('approves through /approval only, stamps the condition, and signs from the cluster CA within the requested duration', () => {
    const { base64 } = certificateRequest({ cn: 'myuser', orgs: ['dev', 'app'] });
    cp.api.create(CSR, undefined, csrObject('myuser', base64, { expirationSeconds: 86400 }), { user: ADMIN });
    // The main resource and /status cannot approve.
    const pending = get('myuser');
    const withApproval = { ...pending, status: { conditions: [{ type: 'Approved', status: 'True', reason: 'X' }] } } as any;
    assert.deepEqual(cp.api.update(CSR, undefined, withApproval).object.status, {});
    assert.equal(message(() => cp.api.update(CSR, undefined, withApproval, {}, 'status')),
      'CertificateSigningRequest.certificates.k8s.io "myuser" is invalid: status.conditions: Forbidden: updates may not add a condition of type "Approved"');
    const now = cp.clock.now();
    const approved = approve('myuser').object;
    const c = approved.status.conditions[0];
    assert.equal(c.reason, 'KubectlApprove');
    assert.equal(c.lastUpdateTime, new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'));
    assert.equal(c.lastTransitionTime, c.lastUpdateTime);
    cp.settle();
    const issued = get('myuser');
    const cert = new X509Certificate(Buffer.from(issued.status.certificate, 'base64'));
    assert.ok(cert.verify(new X509Certificate(caPem.cert).publicKey), 'signed by the cluster CA');
    // Go re-encodes the subject: both Organizations in one RDN (a SET, sorted), then the CommonName.
    assert.equal(cert.subject, 'O=app + O=dev\nCN=myuser');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.2']);
    // Backdated five minutes; a day long (not short), so it ends a backdate before now + 24h.
    assert.equal(Date.parse(cert.validFrom), Math.floor(now / 1000) * 1000 - 300_000);
    assert.equal(Date.parse(cert.validTo), Math.floor(now / 1000) * 1000 + 86400_000 - 300_000);
    // The certificate, once set, is the signer's: no one replaces it.
    assert.match(message(() => cp.api.update(CSR, undefined, { ...issued, status: { ...issued.status, certificate: Buffer.from(caPem.cert).toString('base64') } } as any, {}, 'status')),
      /status\.certificate: Forbidden: updates may not modify existing certificate content/);
  });

  it('fails a request its signer cannot issue, with SignerValidationFailure', () => {
    const { base64 } = certificateRequest({ cn: 'web' });
    cp.api.create(CSR, undefined, csrObject('web', base64, { usages: ['server auth'] }), { user: ADMIN });
    approve('web');
    cp.settle();
    const failed = get('web').status.conditions.find((x: any) => x.type === 'Failed');
    assert.deepEqual([failed.status, failed.reason, failed.message], ['True', 'SignerValidationFailure', 'invalid usage for client certificate: server auth']);
    assert.equal(get('web').status.certificate, undefined);
  });

  it('lets only a user allowed to approve for the signer approve (CertificateApproval admission)', () => {
    const { base64 } = certificateRequest({ cn: 'x' });
    cp.api.create(CSR, undefined, csrObject('x', base64), { user: ADMIN });
    const dev = { username: 'jane', groups: ['system:authenticated'] };
    assert.equal(message(() => approve('x', dev)),
      'certificatesigningrequests.certificates.k8s.io "x" is forbidden: user not permitted to approve requests with signerName "kubernetes.io/kube-apiserver-client"');
    cp.api.create({ group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' }, undefined, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'jane-approves' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:certificates.k8s.io:kube-apiserver-client-approver' },
      subjects: [{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }],
    } as any);
    assert.equal(approve('x', dev).object.status.conditions[0].type, 'Approved');
  });

  it('auto-approves a kubelet client request from a bootstrap token, and one a node renews itself; not others', () => {
    const node = certificateRequest({ cn: 'system:node:worker9', orgs: ['system:nodes'] });
    const spec = { signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] };
    cp.api.create(CSR, undefined, csrObject('boot', node.base64, spec), { user: { username: 'system:bootstrap:abcdef', groups: ['system:bootstrappers', 'system:bootstrappers:kubeadm:default-node-token', 'system:authenticated'] } });
    cp.api.create(CSR, undefined, csrObject('renew', node.base64, spec), { user: { username: 'system:node:worker9', groups: ['system:nodes', 'system:authenticated'] } });
    cp.api.create(CSR, undefined, csrObject('other', node.base64, spec), { user: { username: 'jane', groups: ['system:authenticated'] } });
    cp.settle();
    const cond = (n: string) => get(n).status.conditions?.[0];
    assert.deepEqual([cond('boot').reason, cond('boot').message], ['AutoApproved', 'Auto approving kubelet client certificate after SubjectAccessReview.']);
    assert.equal(cond('renew').message, 'Auto approving self kubelet client certificate after SubjectAccessReview.');
    assert.equal(cond('other'), undefined);
    assert.ok(get('boot').status.certificate, 'issued by the kube-apiserver-client-kubelet signer');
    assert.ok(cp.logs.some((l) => l.message === 'recognized csr "other" as [nodeclient] but subject access review was not approved'));
  });
});
