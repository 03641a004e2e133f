/**
 * Compact JWS with RS256, as the apiserver's service-account signer writes
 * them (go-jose): a header of `alg` and `kid`, where the key id is the
 * unpadded base64url SHA-256 of the public key's PKIX DER. Node's crypto does
 * the signing; RSASSA-PKCS1-v1_5 is deterministic, so one key and one set of
 * claims always give the same token.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
  /** The private key as PKCS#8 PEM, as it is kept in the state folder. */
  pem: string;
}

export function signingKeyFromPem(pem: string): SigningKey {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('the service-account signing key must be an RSA key');
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return { privateKey, publicKey, kid: createHash('sha256').update(der).digest('base64url'), pem };
}

/** A new 2048-bit key, the size kubeadm's sa.key has. */
export function newSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return signingKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'RS256', kid: key.kid })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), key.privateKey).toString('base64url')}`;
}

/** Whether `token` looks like a compact JWS at all (three base64url parts): bearer tokens that do not are not ours to read. */
function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/** The claims of a token this key signed, or undefined when the signature, header or JSON is not right. */
export function verifyJwt(key: SigningKey, token: string): Record<string, any> | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [h, p, s] = token.split('.');
  try {
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    if (header?.alg !== 'RS256') return undefined;
    if (!verify('sha256', Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(s, 'base64url'))) return undefined;
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? claims : undefined;
  } catch {
    return undefined;
  }
}
