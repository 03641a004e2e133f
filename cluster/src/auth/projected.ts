/**
 * The token file of a projected `serviceAccountToken` source, as the
 * kubelet's token manager keeps it: requested for the pod when it starts,
 * bound to the pod (and naming its node), and refreshed once 80% of the
 * requested life or 24 hours have passed. Made when read: the same pod at the
 * same moment always reads the same token.
 */
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import { API_AUDIENCES, derivedUuid, type TokenIssuer } from './issuer';

const DAY_S = 24 * 3600;

/**
 * Seconds between refreshes (token_manager.go requiresRefresh): once the token is within 20% of its requested life
 * of the expiry the TokenRequest reported — `(expirationSeconds*20)/100` in integer arithmetic — or 24 h old. The
 * expiry reported is the requested one even when the JWT's own `exp` was extended to a year, so the kubelet's
 * 3607 s request is refreshed every 3607 − 721 = 2886 s (the kubelet's random jitter of up to 10 s is left out).
 */
export function refreshPeriod(requestedSeconds: number): number {
  return Math.max(1, Math.min(requestedSeconds - Math.floor((requestedSeconds * 20) / 100), DAY_S));
}

/** The token text, or undefined when the pod has no account object (the kubelet then fails the mount). */
export function projectedToken(issuer: TokenIssuer, store: Store, pod: KObject, src: { audience?: string; expirationSeconds?: number; path?: string }, nowMs: number): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const name = pod.spec?.serviceAccountName || 'default';
  const sa = store.get('/serviceaccounts', ns, name);
  if (!sa) return undefined;
  const requested = typeof src.expirationSeconds === 'number' ? src.expirationSeconds : 3600;
  const audiences = src.audience ? [src.audience] : API_AUDIENCES;
  const start = Math.floor(Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '') / 1000) || Math.floor(nowMs / 1000);
  const period = refreshPeriod(requested);
  const iat = start + Math.max(0, Math.floor((Math.floor(nowMs / 1000) - start) / period)) * period;
  // The token manager's cache key is the request (account name, namespace, audiences, expiry, bound pod), not the
  // account's uid: a token minted before the account was deleted and made again names the old account until the
  // next refresh, and the authenticator refuses it (`service account UID (…) does not match claim (…)`). The token
  // minted first in a period is kept by its id (TokenIssuer.issue); one first read after the account was remade
  // stands for the account that was there at `iat`, whose uid is no longer known: a stand-in that matches nothing.
  const created = Math.floor(Date.parse(sa.metadata.creationTimestamp ?? '') / 1000);
  const account = created > iat
    ? { ...sa, metadata: { ...sa.metadata, uid: derivedUuid(`${ns}/${name}/before/${sa.metadata.uid}`) } }
    : sa;
  return issuer.issue({
    serviceAccount: account,
    audiences,
    requestedSeconds: requested,
    issuedAt: iat,
    bound: { kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! },
    jti: derivedUuid(`${pod.metadata.uid}/${src.path}/${iat}/${ns}/${name}/${audiences.join(',')}/${requested}`),
  }).token;
}
