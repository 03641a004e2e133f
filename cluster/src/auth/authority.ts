/**
 * The CSR signer's certificate authority (pkg/controller/certificates/authority): the cluster CA's certificate
 * and key (kube-controller-manager's --cluster-signing-cert-file and key-file) sign what a request asks for,
 * under PermissiveSigningPolicy: the request's subject and subjectAltNames, the CSR's usages as keyUsage and
 * extKeyUsage, basicConstraints CA:FALSE, valid from `now - backdate` for the TTL, never past the CA's own end.
 */
import { createPrivateKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import { children, oidString, readDer, value, type NameAttribute } from './der';
import type { CertificateRequest } from './pkcs10';
import { ECDSA_SHA256, extension, integer, oid, RSA_SHA256, seq, set, time, tlv } from './x509';

/** x509.KeyUsage bits by the API's usage name (keyUsageDict). */
const KEY_USAGE_BITS: Record<string, number> = {
  'signing': 0, 'digital signature': 0, 'content commitment': 1, 'key encipherment': 2, 'key agreement': 4,
  'data encipherment': 3, 'cert sign': 5, 'crl sign': 6, 'encipher only': 7, 'decipher only': 8,
};
/** extKeyUsage OIDs by usage name, in the order of Go's ExtKeyUsage constants (extKeyUsageDict, sorted by that order). */
const EXT_KEY_USAGES: [string, string][] = [
  ['any', '2.5.29.37.0'], ['server auth', '1.3.6.1.5.5.7.3.1'], ['client auth', '1.3.6.1.5.5.7.3.2'],
  ['code signing', '1.3.6.1.5.5.7.3.3'], ['email protection', '1.3.6.1.5.5.7.3.4'], ['s/mime', '1.3.6.1.5.5.7.3.4'],
  ['ipsec end system', '1.3.6.1.5.5.7.3.5'], ['ipsec tunnel', '1.3.6.1.5.5.7.3.6'], ['ipsec user', '1.3.6.1.5.5.7.3.7'],
  ['timestamping', '1.3.6.1.5.5.7.3.8'], ['ocsp signing', '1.3.6.1.5.5.7.3.9'],
  ['microsoft sgc', '1.3.6.1.4.1.311.10.3.3'], ['netscape sgc', '2.16.840.1.113730.4.1'],
];

/** keyUsagesFromStrings: the keyUsage bits and extKeyUsage OIDs, or the error for names it does not know. */
export function keyUsages(usages: string[]): { bits: number[]; ext: string[] } {
  const bits = new Set<number>();
  const ext = new Set<string>();
  const unknown: string[] = [];
  for (const u of usages) {
    if (u in KEY_USAGE_BITS) bits.add(KEY_USAGE_BITS[u]);
    else {
      const e = EXT_KEY_USAGES.find(([n]) => n === u);
      if (e) ext.add(e[1]);
      else unknown.push(u);
    }
  }
  if (unknown.length) throw new Error(`unrecognized usage values: [${unknown.map((u) => JSON.stringify(u)).join(' ')}]`);
  const order = EXT_KEY_USAGES.map(([, o]) => o);
  return { bits: [...bits].sort((a, b) => a - b), ext: [...ext].sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
}

/** A keyUsage BIT STRING with the named bits set (bit 0 is the first byte's high bit), trailing zero bits unused. */
function keyUsageBitString(bits: number[]): Buffer {
  const top = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(top / 8) + 1);
  for (const b of bits) bytes[Math.floor(b / 8)] |= 0x80 >> (b % 8);
  const last = bytes[bytes.length - 1];
  let unused = 0;
  while (unused < 7 && !(last & (1 << unused))) unused++;
  return tlv(0x03, Buffer.concat([Buffer.from([unused]), bytes]));
}

/** Go's pkix.Name.ToRDNSequence order; other attributes of the request's subject are not carried over. */
const NAME_ORDER = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', '2.5.4.10', '2.5.4.11', '2.5.4.3', '2.5.4.5'];
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?*&]*$/;

/** The subject as Go re-encodes a parsed Name: one RDN per attribute type (several values in one SET, sorted). */
export function encodeName(attrs: NameAttribute[]): Buffer {
  const rdns: Buffer[] = [];
  for (const type of NAME_ORDER) {
    // The common name and serial number are single-valued in pkix.Name (the last one wins).
    let values = attrs.filter((a) => a.oid === type).map((a) => a.value);
    if (type === '2.5.4.3' || type === '2.5.4.5') values = values.slice(-1).filter(Boolean);
    if (!values.length) continue;
    const atvs = values.map((v) => seq(oid(type), tlv(PRINTABLE.test(v) ? 0x13 : 0x0c, Buffer.from(v, 'utf8'))));
    rdns.push(set(...atvs.sort(Buffer.compare)));
  }
  return seq(...rdns);
}

export interface SigningPolicy {
  ttlMs: number;
  usages: string[];
  backdateMs: number;
  shortMs: number;
}

export class CertificateAuthority {
  readonly certificate: X509Certificate;
  private readonly key: KeyObject;
  /** The CA's subject, byte for byte: a chain verifier matches the issued certificate's issuer against it. */
  private readonly subject: Buffer;
  private readonly subjectKeyId: Buffer | undefined;
  readonly notAfter: number;

  constructor(certPem: string, keyPem: string) {
    this.certificate = new X509Certificate(certPem);
    this.key = createPrivateKey(keyPem);
    const der = this.certificate.raw;
    const tbs = children(der, readDer(der))[0];
    const fields = children(der, tbs);
    const at = fields[0].tag === 0xa0 ? 1 : 0;
    const subject = fields[at + 4];
    this.subject = der.subarray(subject.start, subject.end);
    const exts = fields.find((f) => f.tag === 0xa3);
    if (exts) {
      for (const ext of children(der, children(der, exts)[0])) {
        const parts = children(der, ext);
        if (oidString(der, parts[0]) !== '2.5.29.14') continue;
        const inner = value(der, parts[parts.length - 1]);
        this.subjectKeyId = value(inner, readDer(inner));
      }
    }
    this.notAfter = Date.parse(this.certificate.validTo);
  }

  /** CertificateAuthority.Sign with the policy applied; the PEM of the certificate. */
  sign(req: CertificateRequest, policy: SigningPolicy, now: number, serial: Buffer): string {
    const { bits, ext } = keyUsages(policy.usages);
    const notBefore = now - policy.backdateMs;
    // Short-lived certificates keep their whole TTL from now; longer ones end a backdate earlier.
    let notAfter = policy.ttlMs < policy.shortMs ? now + policy.ttlMs : now + policy.ttlMs - policy.backdateMs;
    if (notAfter >= this.notAfter) notAfter = this.notAfter;
    if (notBefore >= this.notAfter) throw new Error(`the signer has expired: NotAfter=${new Date(this.notAfter).toISOString()}`);
    if (now >= this.notAfter) throw new Error(`refusing to sign a certificate that expired in the past: NotAfter=${new Date(this.notAfter).toISOString()}`);
    const sans = [
      ...req.dnsNames.map((d) => tlv(0x82, Buffer.from(d, 'latin1'))),
      ...req.emailAddresses.map((e) => tlv(0x81, Buffer.from(e, 'latin1'))),
      ...req.ipAddresses.map((ip) => tlv(0x87, ip)),
      ...req.uris.map((u) => tlv(0x86, Buffer.from(u, 'latin1'))),
    ];
    // In the order Go's buildCertExtensions writes them.
    const extensions = [
      ...(bits.length ? [extension('2.5.29.15', true, keyUsageBitString(bits))] : []),
      ...(ext.length ? [extension('2.5.29.37', false, seq(...ext.map(oid)))] : []),
      extension('2.5.29.19', true, seq()),
      ...(this.subjectKeyId ? [extension('2.5.29.35', false, seq(tlv(0x80, this.subjectKeyId)))] : []),
      ...(sans.length ? [extension('2.5.29.17', false, seq(...sans))] : []),
    ];
    const algorithm = this.key.asymmetricKeyType === 'rsa' ? RSA_SHA256 : ECDSA_SHA256;
    const tbs = seq(
      tlv(0xa0, integer(Buffer.from([2]))),
      integer(serial),
      algorithm,
      this.subject,
      seq(time(notBefore), time(notAfter)),
      encodeName(req.subject),
      req.publicKey.export({ type: 'spki', format: 'der' }),
      tlv(0xa3, seq(...extensions)),
    );
    const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), sign('sha256', tbs, this.key)])));
    return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  }
}

/** A positive 128-bit serial from the playground's seeded source (authority.go draws one below 2^128). */
export function serialFrom(next: () => number): Buffer {
  const b = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) b[i] = Math.floor(next() * 256);
  b[0] &= 0x7f;
  return b;
}

