/**
 * Just enough X.509 to issue the certificates a program inside the cluster
 * makes for itself (the ingress-nginx admission webhook's kube-webhook-certgen):
 * ECDSA P-256 or RSA keys from node:crypto, a TBSCertificate written in DER by hand
 * (version 3, serial, validity, names of Organization and CommonName,
 * basicConstraints, keyUsage, extKeyUsage serverAuth, DNS subjectAltNames)
 * and crypto.sign's ECDSA signature over it. Node's X509Certificate reads
 * and verifies what comes out (see the tests).
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x = Math.floor(x / 256)) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
export const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
export const seq = (...parts: Buffer[]) => tlv(0x30, ...parts);
export const set = (...parts: Buffer[]) => tlv(0x31, ...parts);

export function oid(dotted: string): Buffer {
  const a = dotted.split('.').map(Number);
  const out = [40 * a[0] + a[1]];
  for (const v of a.slice(2)) {
    const bytes = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) bytes.unshift((x & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}
/** A non-negative INTEGER from big-endian bytes, in DER's minimal form (no leading zero byte unless the sign needs one). */
export function integer(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const b = bytes.subarray(i);
  return tlv(0x02, b.length && b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b.length ? b : Buffer.from([0]));
}
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const TRUE = tlv(0x01, Buffer.from([0xff]));

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 4.1.2.5). */
export function time(ms: number): Buffer {
  const s = new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  return new Date(ms).getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(s.slice(2))) : tlv(0x18, Buffer.from(s));
}

export interface DistinguishedName { organization?: string; commonName?: string }
const name = (n: DistinguishedName) => seq(
  ...(n.organization ? [set(seq(oid('2.5.4.10'), utf8(n.organization)))] : []),
  ...(n.commonName ? [set(seq(oid('2.5.4.3'), utf8(n.commonName)))] : []),
);
export const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));
export const RSA_SHA256 = seq(oid('1.2.840.113549.1.1.11'), tlv(0x05));
export const extension = (id: string, critical: boolean, value: Buffer) => seq(oid(id), ...(critical ? [TRUE] : []), tlv(0x04, value));
/** A keyUsage BIT STRING from its first byte (digitalSignature 0x80, keyEncipherment 0x20, keyCertSign 0x04). */
function keyUsage(byte: number): Buffer {
  let unused = 0;
  while (unused < 7 && !(byte & (1 << unused))) unused++;
  return tlv(0x03, Buffer.from([unused, byte]));
}

export interface IssueOptions {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own, for a self-signed certificate). */
  signingKey: KeyObject;
  serial: Buffer;
  notBefore: number;
  notAfter: number;
  ca: boolean;
  /** Subject alternative names: DNS names, and IP addresses (dotted IPv4). */
  dnsNames?: string[];
  ipAddresses?: string[];
  /** keyUsage's first byte, when not the default (CA: digitalSignature+keyCertSign; leaf: digitalSignature+keyEncipherment). */
  keyUsage?: number;
  /** extKeyUsage serverAuth (default: leaves only). */
  serverAuth?: boolean;
}

/** A signed certificate, PEM. */
export function issueCertificate(o: IssueOptions): string {
  const sans = [
    ...(o.dnsNames ?? []).map((d) => tlv(0x82, Buffer.from(d, 'ascii'))),
    ...(o.ipAddresses ?? []).map((ip) => tlv(0x87, Buffer.from(ip.split('.').map(Number)))),
  ];
  const extensions = [
    extension('2.5.29.15', true, keyUsage(o.keyUsage ?? (o.ca ? 0x84 : 0xa0))),
    ...(o.serverAuth ?? !o.ca ? [extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1')))] : []),
    extension('2.5.29.19', true, o.ca ? seq(TRUE) : seq()),
    ...(sans.length ? [extension('2.5.29.17', false, seq(...sans))] : []),
  ];
  // The signature algorithm is the issuer key's: ECDSA or RSA (PKCS#1 v1.5), with SHA-256.
  const algorithm = o.signingKey.asymmetricKeyType === 'rsa' ? RSA_SHA256 : ECDSA_SHA256;
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(o.serial),
    algorithm,
    name(o.issuer),
    seq(time(o.notBefore), time(o.notAfter)),
    name(o.subject),
    o.publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, seq(...extensions)),
  );
  const signature = sign('sha256', tbs, o.signingKey);
  const der = seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}

/** A random 128-bit positive serial number. */
export function randomSerial(): Buffer {
  const b = randomBytes(16);
  b[0] &= 0x7f;
  return b;
}

export function ecKeyPair(): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

export function rsaKeyPair(bits = 2048): { publicKey: KeyObject; privateKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

/** PKCS#8 PEM of a private key. */
export const privateKeyPem = (k: KeyObject) => String(k.export({ type: 'pkcs8', format: 'pem' }));
