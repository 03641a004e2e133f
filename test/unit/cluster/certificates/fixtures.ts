/** Certificate requests and a CA for the CSR tests, made with node:crypto and the DER writer of auth/x509. */
import { sign, type KeyObject } from 'node:crypto';
import { ecKeyPair, issueCertificate, oid, privateKeyPem, seq, set, tlv } from '../../../../cluster/src/auth/x509';

export interface RequestSpec { cn: string; orgs?: string[]; dnsNames?: string[]; key?: { publicKey: KeyObject; privateKey: KeyObject } }

const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));

/** A PKCS#10 request as `openssl req -new -subj /CN=…/O=…` writes one (each attribute its own RDN), PEM. */
export function certificateRequest(r: RequestSpec): { pem: string; key: KeyObject; base64: string } {
  const key = r.key ?? ecKeyPair();
  const name = seq(set(seq(oid('2.5.4.3'), utf8(r.cn))), ...(r.orgs ?? []).map((o) => set(seq(oid('2.5.4.10'), utf8(o)))));
  const attrs = r.dnsNames?.length
    ? [seq(oid('1.2.840.113549.1.9.14'), set(seq(seq(oid('2.5.29.17'), tlv(0x04, seq(...r.dnsNames.map((d) => tlv(0x82, Buffer.from(d)))))))))]
    : [];
  const info = seq(tlv(0x02, Buffer.from([0])), name, key.publicKey.export({ type: 'spki', format: 'der' }), tlv(0xa0, ...attrs));
  const der = seq(info, seq(oid('1.2.840.10045.4.3.2')), tlv(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', info, key.privateKey)])));
  const pem = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE REQUEST-----\n`;
  return { pem, key: key.privateKey, base64: Buffer.from(pem).toString('base64') };
}

/** A self-signed cluster CA valid for ten years from `now`. */
export function clusterCa(now: number): { cert: string; key: string } {
  const k = ecKeyPair();
  const name = { commonName: 'kubernetes' };
  const cert = issueCertificate({ subject: name, issuer: name, publicKey: k.publicKey, signingKey: k.privateKey, serial: Buffer.from([1]),
    notBefore: now - 86400_000, notAfter: now + 3650 * 86400_000, ca: true });
  return { cert, key: privateKeyPem(k.privateKey) };
}

export function csrObject(name: string, base64: string, spec: Record<string, unknown> = {}): any {
  return {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name },
    spec: { request: base64, signerName: 'kubernetes.io/kube-apiserver-client', usages: ['client auth'], ...spec },
  };
}
