/**
 * A PKCS#10 certificate request (RFC 2986), read as Go's x509.ParseCertificateRequest reads it: the subject,
 * the public key, the subjectAltNames of its extensionRequest attribute; and its self-signature checked as
 * CheckSignature checks it. The apiserver refuses a request that does not parse or verify
 * (pkg/apis/certificates/validation validateCSR), and the signer copies what it read into the certificate.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { children, DerError, nameAttributes, oidString, OID_CN, OID_O, pemBlock, readDer, value, whole, type NameAttribute } from './der';

export interface CertificateRequest {
  subject: NameAttribute[];
  commonName: string;
  /** Subject.Organization: every O value, in order. */
  organizations: string[];
  publicKey: KeyObject;
  /** x509.PublicKeyAlgorithm's name: RSA, ECDSA, Ed25519. */
  publicKeyAlgorithm: string;
  dnsNames: string[];
  emailAddresses: string[];
  ipAddresses: Buffer[];
  uris: string[];
}

const EXTENSION_REQUEST = '1.2.840.113549.1.9.14';
const SUBJECT_ALT_NAME = '2.5.29.17';

/** Signature algorithm OID -> the hash node:crypto verifies with (null: Ed25519 signs the message itself). */
const SIGNATURE_HASHES: Record<string, string | null> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
  '1.3.101.112': null,
};

export class CsrError extends Error {}

interface Parsed extends CertificateRequest {
  tbs: Buffer;
  signatureAlgorithm: string;
  signature: Buffer;
}

const KEY_ALGORITHMS: Record<string, string> = { rsa: 'RSA', ec: 'ECDSA', ed25519: 'Ed25519' };

function parseDer(der: Buffer): Parsed {
  try {
    const top = readDer(der);
    if (top.tag !== 0x30) throw new DerError('not a sequence');
    if (top.end !== der.length) throw new CsrError('x509: trailing data after X.509 certificate request');
    const [info, alg, sig] = children(der, top);
    if (!info || !alg || !sig || info.tag !== 0x30 || sig.tag !== 0x03) throw new DerError('shape');
    const [version, subject, spki, attrs] = children(der, info);
    if (!version || version.tag !== 0x02 || !subject || subject.tag !== 0x30 || !spki || spki.tag !== 0x30) throw new DerError('shape');
    const names = nameAttributes(der, subject);
    let publicKey: KeyObject;
    try {
      publicKey = createPublicKey({ key: whole(der, spki), format: 'der', type: 'spki' });
    } catch {
      throw new CsrError('x509: unsupported public key algorithm');
    }
    const out: Parsed = {
      subject: names,
      commonName: [...names].reverse().find((a) => a.oid === OID_CN)?.value ?? '',
      organizations: names.filter((a) => a.oid === OID_O).map((a) => a.value),
      publicKey,
      publicKeyAlgorithm: KEY_ALGORITHMS[publicKey.asymmetricKeyType ?? ''] ?? String(publicKey.asymmetricKeyType),
      dnsNames: [], emailAddresses: [], ipAddresses: [], uris: [],
      tbs: whole(der, info),
      signatureAlgorithm: oidString(der, children(der, alg)[0]),
      signature: value(der, sig).subarray(1),
    };
    if (attrs && attrs.tag === 0xa0) {
      for (const attr of children(der, attrs)) {
        const [type, set] = children(der, attr);
        if (!type || oidString(der, type) !== EXTENSION_REQUEST || !set) continue;
        for (const exts of children(der, set)) {
          for (const ext of children(der, exts)) {
            const parts = children(der, ext);
            if (oidString(der, parts[0]) !== SUBJECT_ALT_NAME) continue;
            const octets = parts[parts.length - 1];
            const inner = value(der, octets);
            for (const gn of children(inner, readDer(inner))) {
              const v = value(inner, gn);
              if (gn.tag === 0x81) out.emailAddresses.push(v.toString('latin1'));
              else if (gn.tag === 0x82) out.dnsNames.push(v.toString('latin1'));
              else if (gn.tag === 0x86) out.uris.push(v.toString('latin1'));
              else if (gn.tag === 0x87) out.ipAddresses.push(Buffer.from(v));
            }
          }
        }
      }
    }
    return out;
  } catch (e) {
    if (e instanceof CsrError) throw e;
    throw new CsrError('x509: malformed certificate request');
  }
}

/**
 * certificates.ParseCSR then CheckSignature, with their errors' words: the first PEM block must be a
 * CERTIFICATE REQUEST, its DER a request, its signature the subject key's.
 */
export function parseCertificateRequest(pem: Buffer | string): CertificateRequest {
  const block = pemBlock(typeof pem === 'string' ? pem : pem.toString('latin1'));
  if (!block || block.type !== 'CERTIFICATE REQUEST') throw new CsrError('PEM block type must be CERTIFICATE REQUEST');
  const p = parseDer(block.der);
  const hash = SIGNATURE_HASHES[p.signatureAlgorithm];
  if (hash === undefined) throw new CsrError('x509: cannot verify signature: algorithm unimplemented');
  let ok = false;
  try {
    ok = verify(hash, p.tbs, p.publicKey, p.signature);
  } catch {
    ok = false;
  }
  if (!ok) {
    const kind = p.publicKey.asymmetricKeyType;
    throw new CsrError(kind === 'rsa' ? 'crypto/rsa: verification error' : kind === 'ed25519' ? 'x509: Ed25519 verification failure' : 'x509: ECDSA verification failure');
  }
  const { tbs: _t, signatureAlgorithm: _a, signature: _s, ...req } = p;
  return req;
}

/** The request, or the error text validation reports. */
export function tryParseCertificateRequest(pem: Buffer | string): CertificateRequest | string {
  try {
    return parseCertificateRequest(pem);
  } catch (e) {
    return e instanceof CsrError ? e.message : String((e as Error)?.message ?? e);
  }
}
