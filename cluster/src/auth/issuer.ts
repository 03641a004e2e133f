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
import { newSigningKey, signJwt, signingKeyFromPem, verifyJwt, type SigningKey } from './jwt';

/** `--service-account-issuer` as kubeadm and kind set it; the API audiences default to it. */
const ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const API_AUDIENCES = [ISSUER];
/** The legacy (Secret-based) tokens' issuer. */
const LEGACY_ISSUER = 'kubernetes/serviceaccount';
/** What the kubelet asks for its projected token (serviceaccount.WarnOnlyBoundTokenExpirationSeconds). */
export const WARN_ONLY_SECONDS = 3607;
/** What such a request gets instead when extended expiration is on (the default): a year. */
export const EXTENDED_SECONDS = 24 * 365 * 60 * 60;
const LEEWAY_S = 60;

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
  private readonly made = new Map<string, { token: string; expiresAt: number }>();

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

  /** The key's PEM (made now if there is none yet), for saving. */
  keyPem(): string {
    return this.signingKey().pem;
  }

  /** A bound token (pkg/serviceaccount/claims.go): the claims go-jose writes, in its (sorted) key order. */
  issue(spec: TokenSpec): { token: string; expiresAt: number } {
    if (spec.jti === undefined) return this.sign(spec);
    let t = this.made.get(spec.jti);
    if (!t) {
      if (this.made.size >= 10_000) this.made.clear();
      this.made.set(spec.jti, (t = this.sign(spec)));
    }
    return t;
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

  /**
   * The user a bearer token stands for, or undefined (upstream answers 401 with no reason).
   * A bound token is refused once its account or bound object is gone, or was deleted more than 60 s ago.
   */
  authenticate(token: string): UserInfo | undefined {
    // No key yet means no token was ever signed here.
    if (!this.key) return undefined;
    const c = verifyJwt(this.signingKey(), token);
    if (!c || typeof c.sub !== 'string') return undefined;
    const now = Math.floor(this.clock.now() / 1000);
    if (c.iss === LEGACY_ISSUER) return this.legacyUser(c, token);
    if (c.iss !== ISSUER) return undefined;
    // go-jose's default leeway of a minute, for exp, nbf and iat alike.
    if (typeof c.exp !== 'number' || now - LEEWAY_S > c.exp) return undefined;
    if (typeof c.nbf === 'number' && now + LEEWAY_S < c.nbf) return undefined;
    if (typeof c.iat === 'number' && now + LEEWAY_S < c.iat) return undefined;
    const aud: string[] = Array.isArray(c.aud) ? c.aud : [c.aud];
    if (!aud.some((a) => API_AUDIENCES.includes(a))) return undefined;
    const k = c['kubernetes.io'];
    if (!k || typeof k !== 'object') return undefined;
    const ns = String(k.namespace ?? '');
    const sa = this.live('/serviceaccounts', ns, k.serviceaccount, now);
    if (!sa) return undefined;
    const extra: Record<string, string[]> = {};
    if (k.pod) {
      if (!this.live('/pods', ns, k.pod, now)) return undefined;
      extra['authentication.kubernetes.io/pod-name'] = [k.pod.name];
      extra['authentication.kubernetes.io/pod-uid'] = [k.pod.uid];
    }
    if (k.secret && !this.live('/secrets', ns, k.secret, now)) return undefined;
    if (k.node) {
      // A pod-bound token names its node for information; a node-bound one needs the node to live.
      if (!k.pod && !this.live('/nodes', undefined, k.node, now)) return undefined;
      extra['authentication.kubernetes.io/node-name'] = [k.node.name];
      extra['authentication.kubernetes.io/node-uid'] = [k.node.uid];
    }
    if (typeof c.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${c.jti}`];
    return userOf(sa, extra);
  }

  private legacyUser(c: Record<string, any>, token: string): UserInfo | undefined {
    const ns = c['kubernetes.io/serviceaccount/namespace'];
    const sa = this.store.get('/serviceaccounts', ns, c['kubernetes.io/serviceaccount/service-account.name']);
    if (!sa || sa.metadata.uid !== c['kubernetes.io/serviceaccount/service-account.uid'] || sa.metadata.deletionTimestamp) return undefined;
    const secret = this.store.get('/secrets', ns, c['kubernetes.io/serviceaccount/secret.name']);
    if (!secret || secret.metadata.deletionTimestamp) return undefined;
    // The Secret must still hold this very token.
    if (Buffer.from(String(secret.data?.token ?? ''), 'base64').toString('utf8') !== token) return undefined;
    return userOf(sa, {});
  }

  private live(table: string, ns: string | undefined, r: any, nowSeconds: number): KObject | undefined {
    if (!r || typeof r.name !== 'string') return undefined;
    const o = this.store.get(table, ns, r.name);
    if (!o || o.metadata.uid !== r.uid) return undefined;
    const gone = o.metadata.deletionTimestamp ? Date.parse(o.metadata.deletionTimestamp) / 1000 : undefined;
    if (gone !== undefined && gone < nowSeconds - 60) return undefined;
    return o;
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
