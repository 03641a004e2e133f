import * as assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
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

  it('writes serials in DER\'s minimal form: leading zero bytes go, a sign byte comes when the top bit is set', () => {
    const k = ecKeyPair();
    const cert = (serial: Buffer) => new X509Certificate(issueCertificate({ subject: { commonName: 'x' }, issuer: { commonName: 'x' }, publicKey: k.publicKey, signingKey: k.privateKey,
      serial, notBefore: 0, notAfter: 86400_000, ca: false }));
    assert.equal(cert(Buffer.from([0x00, 0x01])).serialNumber, '01');
    assert.equal(cert(Buffer.from([0x00, 0x00, 0x80])).serialNumber, '80');
    for (let i = 0; i < 300; i++) assert.doesNotThrow(() => cert(randomBytes(16)));
  });

  it('kube-webhook-certgen\'s certificates: a signing-only CA, IP hosts as IP SANs, a SEC1 key, valid from five minutes ago', () => {
    const { runCertgen } = require('../../../../cluster/src/network/certgen');
    const made: any[] = [];
    const api: any = { get: () => { throw new Error('not found'); }, create: (_g: any, _ns: string, o: any) => made.push(o) };
    const pod = { metadata: { name: 'c', namespace: 'ingress-nginx' } };
    const now = Date.UTC(2026, 0, 1);
    const r = runCertgen(api, pod, { args: ['create', '--host=hook.svc,10.96.0.5', '--secret-name=s'] }, now);
    assert.deepEqual(r, { ok: true, message: 'created secret ingress-nginx/s' });
    const data = made[0].data;
    const pem = (k: string) => Buffer.from(data[k], 'base64').toString();
    const ca = new X509Certificate(pem('ca'));
    const cert = new X509Certificate(pem('cert'));
    assert.equal(cert.subjectAltName, 'DNS:hook.svc, IP Address:10.96.0.5');
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(new Date(cert.validFrom).getTime(), now - 300_000);
    assert.match(pem('key'), /^-----BEGIN EC PRIVATE KEY-----/);
    assert.deepEqual(ca.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });
});
