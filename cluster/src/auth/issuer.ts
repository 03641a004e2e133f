/**
 * The apiserver's service-account token issuer and authenticator
 * (pkg/serviceaccount): bound tokens for the TokenRequest API and the
 * kubelet's projected volumes, legacy tokens for Secrets of type
 * kubernetes.io/service-account-token, and the check that turns a bearer
 * token back into a user, valid only while the objects it names live.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock, KObject } from '../contract';
import type { Store } from '../store/store';
import { Interner } from '../runtime/intern';
import { newSigningKey, signJwt, signingKeyFromPem, verifyJwt, type SigningKey } from './jwt';

/** `--service-account-issuer` as kubeadm and kind set it; the API audiences default to it. */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [ISSUER];
/** The legacy (Secret-based) tokens' issuer. */
const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** What the kubelet asks for its projected token (serviceaccount.WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_SECONDS = 3607;
/** What such a request gets instead when extended expiration is on (the default): a year. */
export const EXTENDED_SECONDS = 24 * 365 * 60 * 60;
const LEEWAY_S = 60;
/** The labels the legacy validator reads and writes on token Secrets (pkg/serviceaccount/legacy.go). */
export const LAST_USED_LABEL = 'kubernetes.io/legacy-token-last-used';
export const INVALID_SINCE_LABEL = 'kubernetes.io/legacy-token-invalid-since';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export interface BoundObject {
  kind: 'Pod' | 'Secret' | 'Node';
  name: string;
  uid: string;
}

export interface TokenSpec {
  serviceAccount: KObject;
  audiences: string[];
  /** The life asked for; tokenLife says what is given. */
  requestedSeconds: number;
  /** Seconds since the epoch. */
  issuedAt: number;
  bound?: BoundObject;
  /** A fixed token id (the kubelet's tokens are derived, so a file reads the same until it is rotated). */
  jti?: string;
}

/**
 * What a request for `requested` seconds gets: the kubelet's 3607 s request for a pod, for the API's own
 * audiences, gets a year and a warning after the hour (--service-account-extend-token-expiration); others what they asked.
 */
export function tokenLife(requested: number, audiences: string[], podBound: boolean): { seconds: number; warnAfter?: number } {
  const extended = podBound && requested === WARN_ONLY_SECONDS && audiences.every((a) => API_AUDIENCES.includes(a));
  return extended ? { seconds: EXTENDED_SECONDS, warnAfter: WARN_ONLY_SECONDS } : { seconds: requested };
}

const ref = (o: { name: string; uid: string }) => ({ name: o.name, uid: o.uid });

/** A uuid-shaped id derived from `seed` (version 4 bits set), for tokens that must be the same every time they are made. */
export function derivedUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6] & 0x0f) | 0x40;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

export class TokenIssuer {
  private key?: SigningKey;

  /** `keyPem` is the state folder's key; without one a key is made on first use and `onNewKey` may keep it. */
  constructor(private readonly store: Store, private readonly clock: Clock, keyPem?: string, private readonly onNewKey?: (pem: string) => void) {
    if (keyPem) this.key = signingKeyFromPem(keyPem);
  }

  /** Tokens made with a fixed id, by id: the kubelet's files are read far more often than they change. */
  private readonly made = new Interner<{ token: string; expiresAt: number }>(10_000);

  /** Forgets the key (a new one is made on next use), so every token issued so far stops working. */
  rotate(): void {
    this.key = undefined;
    this.made.clear();
  }

  private signingKey(): SigningKey {
    if (!this.key) {
      this.key = newSigningKey();
      this.onNewKey?.(this.key.pem);
    }
    return this.key;
  }

  /**
   * The public signing key as the JWKS endpoint serves it (go-jose's JSONWebKey: use, kty, kid, alg, n, e);
   * made now if there is none yet, as the apiserver always has its key.
   */
  publicJwks(): { keys: Record<string, string>[] } {
    const k = this.signingKey();
    const jwk = k.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
    return { keys: [{ use: 'sig', kty: 'RSA', kid: k.kid, alg: 'RS256', n: jwk.n, e: jwk.e }] };
  }

  /** The key's PEM (made now if there is none yet), for saving. */
  keyPem(): string {
    return this.signingKey().pem;
  }

  /** A bound token (pkg/serviceaccount/claims.go): the claims go-jose writes, in its (sorted) key order. */
  issue(spec: TokenSpec): { token: string; expiresAt: number } {
    if (spec.jti === undefined) return this.sign(spec);
    return this.made.get(spec.jti, () => this.sign(spec));
  }

  private sign(spec: TokenSpec): { token: string; expiresAt: number } {
    const sa = spec.serviceAccount;
    const ns = sa.metadata.namespace ?? 'default';
    const life = tokenLife(spec.requestedSeconds, spec.audiences, spec.bound?.kind === 'Pod');
    const exp = spec.issuedAt + life.seconds;
    const k8s: Record<string, unknown> = { namespace: ns };
    // A pod-bound token names the pod's node too (ServiceAccountTokenPodNodeInfo).
    const nodeName = spec.bound?.kind === 'Pod' ? this.store.get('/pods', ns, spec.bound.name)?.spec?.nodeName : undefined;
    const node = nodeName ? this.store.get('/nodes', undefined, nodeName) : undefined;
    if (node) k8s.node = ref({ name: nodeName, uid: node.metadata.uid! });
    if (spec.bound?.kind === 'Pod') k8s.pod = ref(spec.bound);
    if (spec.bound?.kind === 'Secret') k8s.secret = ref(spec.bound);
    if (spec.bound?.kind === 'Node') k8s.node = ref(spec.bound);
    k8s.serviceaccount = { name: sa.metadata.name, uid: sa.metadata.uid };
    if (life.warnAfter !== undefined) k8s.warnafter = spec.issuedAt + life.warnAfter;
    const claims = {
      aud: spec.audiences,
      exp,
      iat: spec.issuedAt,
      iss: ISSUER,
      jti: spec.jti ?? randomUUID(),
      'kubernetes.io': k8s,
      nbf: spec.issuedAt,
      sub: `system:serviceaccount:${ns}:${sa.metadata.name}`,
    };
    return { token: signJwt(this.signingKey(), claims), expiresAt: exp };
  }

  /** A legacy token for a kubernetes.io/service-account-token Secret: no expiry, valid while the Secret and account are. */
  issueLegacy(sa: KObject, secret: KObject): string {
    const ns = sa.metadata.namespace ?? 'default';
    return signJwt(this.signingKey(), {
      iss: LEGACY_ISSUER,
      'kubernetes.io/serviceaccount/namespace': ns,
      'kubernetes.io/serviceaccount/secret.name': secret.metadata.name,
      'kubernetes.io/serviceaccount/service-account.name': sa.metadata.name,
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: `system:serviceaccount:${ns}:${sa.metadata.name}`,
    });
  }

  /** The user a bearer token stands for, or undefined (upstream answers 401 with no reason). */
  authenticate(token: string): UserInfo | undefined {
    return this.review(token).user;
  }

  /**
   * What the service-account authenticators (pkg/serviceaccount/jwt.go, claims.go, legacy.go) make of a token for
   * `audiences`: the user and the audiences it was accepted for, or the error a TokenReview reports (none when the
   * token is not one of theirs at all: another issuer, or not a JWT). A bound token is refused once its account or
   * bound object is gone or was recreated (uid), or was deleted more than 60 s ago.
   */
  review(token: string, audiences: string[] = API_AUDIENCES): Verdict {
    // No key yet means no token was ever signed here.
    const u = unverified(token);
    if (!u || (u.claims.iss !== ISSUER && u.claims.iss !== LEGACY_ISSUER)) return {};
    if (!this.key || u.kid !== this.key.kid) return { error: 'invalid signature, no keys found' };
    const c = verifyJwt(this.signingKey(), token);
    if (!c) return { error: 'go-jose/go-jose: error in cryptographic primitive' };
    if (typeof c.sub !== 'string') return { error: 'sub claim is missing' };
    const now = Math.floor(this.clock.now() / 1000);
    const tokenAuds: string[] = c.aud === undefined ? API_AUDIENCES : Array.isArray(c.aud) ? c.aud : [c.aud];
    const accepted = tokenAuds.filter((a) => audiences.includes(a));
    if (!accepted.length) return { error: `token audiences ${goQuoted(tokenAuds)} is invalid for the target audiences ${goQuoted(audiences)}` };
    if (c.iss === LEGACY_ISSUER) return this.legacyUser(c, token, accepted);
    // go-jose's default leeway of a minute, for exp, nbf and iat alike.
    if (typeof c.exp !== 'number' || now - LEEWAY_S > c.exp) return { error: 'service account token has expired' };
    if (typeof c.nbf === 'number' && now + LEEWAY_S < c.nbf) return { error: 'service account token is not valid yet' };
    if (typeof c.iat === 'number' && now + LEEWAY_S < c.iat) return { error: 'service account token is issued in the future' };
    const k = c['kubernetes.io'];
    if (!k || typeof k !== 'object') return { error: 'service account token claims could not be validated due to unexpected validation error' };
    const ns = String(k.namespace ?? '');
    const saRef = k.serviceaccount ?? {};
    const sa = this.store.get('/serviceaccounts', ns, String(saRef.name ?? ''));
    // The lister's NotFound (v1.Resource("serviceaccount")).
    if (!sa) return { error: `serviceaccount "${saRef.name}" not found` };
    if (sa.metadata.uid !== saRef.uid) return { error: `service account UID (${sa.metadata.uid}) does not match claim (${saRef.uid})` };
    if (deletedBefore(sa, now - 60)) return { error: `service account ${ns}/${saRef.name} has been deleted` };
    const extra: Record<string, string[]> = {};
    if (k.secret) {
      const why = this.bound('/secrets', ns, k.secret, now, 'secret UID (%s) does not match service account secret ref claim (%s)');
      if (why) return { error: why };
    }
    if (k.pod) {
      const why = this.bound('/pods', ns, k.pod, now, 'pod UID (%s) does not match service account pod ref claim (%s)');
      if (why) return { error: why };
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    if (k.node) {
      // A pod-bound token names its node for information; a node-bound one needs the node to live.
      if (!k.pod) {
        const why = this.bound('/nodes', undefined, k.node, now, 'node UID (%s) does not match service account node ref claim (%s)');
        if (why) return { error: why };
      }
      extra['authentication.kubernetes.io/node-name'] = [k.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
    }
    if (typeof c.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${c.jti}`];
    return { user: userOf(sa, extra), audiences: accepted };
  }

  /** Stamps a legacy token Secret with the day it was used (the legacy validator's patchSecretWithLastUsedDate). */
  markSecretUsed?: (ns: string, name: string, uid: string, day: string) => void;

  private legacyUser(c: Record<string, any>, token: string, audiences: string[]): Verdict {
    const ns = c['kubernetes.io/serviceaccount/namespace'];
    const saName = c['kubernetes.io/serviceaccount/service-account.name'];
    const secretName = c['kubernetes.io/serviceaccount/secret.name'];
    const secret = this.store.get('/secrets', ns, secretName);
    if (!secret || secret.metadata.deletionTimestamp) return { error: 'Token has been invalidated' };
    // The Secret must still hold this very token.
    if (Buffer.from(String(secret.data?.token ?? ''), 'base64').toString('utf8') !== token) return { error: 'Token does not match server\'s copy' };
    const sa = this.store.get('/serviceaccounts', ns, saName);
    if (!sa) return { error: `serviceaccount "${saName}" not found` };
    if (sa.metadata.deletionTimestamp) return { error: `ServiceAccount ${ns}/${saName} has been deleted` };
    const claimed = c['kubernetes.io/serviceaccount/service-account.uid'];
    if (sa.metadata.uid !== claimed) return { error: `ServiceAccount UID (${sa.metadata.uid}) does not match claim (${claimed})` };
    // Every use is recorded on the Secret, even a refused one; the label is rewritten when it is neither today nor tomorrow (UTC).
    const nowMs = this.clock.now();
    const today = new Date(nowMs).toISOString().slice(0, 10);
    const tomorrow = new Date(nowMs + 86_400_000).toISOString().slice(0, 10);
    const lastUsed = secret.metadata.labels?.[LAST_USED_LABEL];
    if (lastUsed !== today && lastUsed !== tomorrow) this.markSecretUsed?.(ns, secret.metadata.name!, secret.metadata.uid!, today);
    if (secret.metadata.labels?.[INVALID_SINCE_LABEL]) {
      return { error: `the token in secret ${ns}/${secretName} for service account ${ns}/${saName} has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the '${INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token` };
    }
    return { user: userOf(sa, {}), audiences };
  }

  /** Why a bound object no longer backs the token (claims.go), or undefined while it lives. */
  private bound(table: string, ns: string | undefined, r: any, nowSeconds: number, uidMismatch: string): string | undefined {
    const o = r && typeof r.name === 'string' ? this.store.get(table, ns, r.name) : undefined;
    if (!o) return 'service account token has been invalidated';
    if (o.metadata.uid !== r.uid) return uidMismatch.replace('%s', String(o.metadata.uid)).replace('%s', String(r.uid));
    return deletedBefore(o, nowSeconds - 60) ? 'service account token has been invalidated' : undefined;
  }
}

export type Verdict = { user: UserInfo; audiences: string[]; error?: undefined } | { user?: undefined; error?: string };

/** Deleted before `seconds` (claims.go's invalidIfDeletedBefore: now minus jwt.DefaultLeeway). */
function deletedBefore(o: KObject, seconds: number): boolean {
  const at = o.metadata.deletionTimestamp ? Date.parse(o.metadata.deletionTimestamp) / 1000 : undefined;
  return at !== undefined && at < seconds;
}

/** Go's %q of a []string: `["a" "b"]`. */
const goQuoted = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/** A compact JWS's key id and claims, read before its signature is checked (hasCorrectIssuer looks at `iss` first). */
function unverified(token: string): { kid?: string; claims: Record<string, any> } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((x) => /^[A-Za-z0-9_-]+$/.test(x))) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return { kid: typeof header?.kid === 'string' ? header.kid : undefined, claims };
  } catch {
    return undefined;
  }
}

export function serviceAccountUser(ns: string, name: string, uid?: string, extra?: Record<string, string[]>): UserInfo {
  return {
    username: `system:serviceaccount:${ns}:${name}`,
    ...(uid ? { uid } : {}),
    groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    ...(extra && Object.keys(extra).length ? { extra } : {}),
  };
}

function userOf(sa: KObject, extra: Record<string, string[]>): UserInfo {
  return serviceAccountUser(sa.metadata.namespace ?? 'default', sa.metadata.name!, sa.metadata.uid, extra);
}
