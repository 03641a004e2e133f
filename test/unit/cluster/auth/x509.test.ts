import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { ecKeyPair, issueCertificate } from '../../../../cluster/src/auth/x509';

/** The hand-written DER is what Node's (OpenSSL's) X.509 parser reads back, and the signatures verify. */
describe('auth/x509', () => {
  it('issues a CA and a server certificate it signed, with names, validity and DNS names that parse back', () => {
    const now = Date.UTC(2026, 0, 1);
    const ca = ecKeyPair();
    const caPem = issueCertificate({ subject: { organization: 'nil1' }, issuer: { organization: 'nil1' }, publicKey: ca.publicKey, signingKey: ca.privateKey,
      serial: Buffer.from([0x07, 0xe3]), notBefore: now, notAfter: now + 100 * 365 * 86400_000, ca: true });
    const leaf = ecKeyPair();
    const hosts = ['ingress-nginx-controller-admission', 'ingress-nginx-controller-admission.ingress-nginx.svc'];
    const leafPem = issueCertificate({ subject: { organization: 'nil2' }, issuer: { organization: 'nil1' }, publicKey: leaf.publicKey, signingKey: ca.privateKey,
      serial: Buffer.from([0x80, 0x01]), notBefore: now, notAfter: now + 100 * 365 * 86400_000, ca: false, dnsNames: hosts });
    const c = new X509Certificate(caPem);
    const l = new X509Certificate(leafPem);
    assert.equal(c.subject, 'O=nil1');
    assert.equal(c.ca, true);
    assert.ok(c.verify(c.publicKey), 'self-signed');
    assert.equal(l.ca, false);
    assert.equal(l.issuer, 'O=nil1');
    assert.equal(l.subjectAltName, hosts.map((h) => `DNS:${h}`).join(', '));
    assert.ok(l.verify(c.publicKey), 'signed by the CA');
    assert.ok(l.checkIssued(c));
    assert.ok(!l.verify(l.publicKey), 'not by itself');
    assert.equal(l.serialNumber, '8001');
    assert.equal(new Date(l.validTo).getUTCFullYear(), 2125, 'GeneralizedTime after 2049');
    assert.deepEqual(l.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });
});
