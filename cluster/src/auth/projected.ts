/**
 * The token file of a projected `serviceAccountToken` source, as the
 * kubelet's token manager keeps it: requested for the pod when it starts,
 * bound to the pod (and naming its node), and rotated once 80% of its life or
 * 24 hours have passed. Made when read: the same pod at the same moment
 * always reads the same token.
 */
import type { KObject } from '../contract';
import type { Store } from '../store/store';
import { API_AUDIENCES, derivedUuid, tokenLife, type TokenIssuer } from './issuer';

const DAY_S = 24 * 3600;

/** The token text, or undefined when the pod has no account object (the kubelet then fails the mount). */
export function projectedToken(issuer: TokenIssuer, store: Store, pod: KObject, src: { audience?: string; expirationSeconds?: number; path?: string }, nowMs: number): string | undefined {
  const ns = pod.metadata.namespace ?? 'default';
  const sa = store.get('/serviceaccounts', ns, pod.spec?.serviceAccountName || 'default');
  if (!sa) return undefined;
  const requested = typeof src.expirationSeconds === 'number' ? src.expirationSeconds : 3600;
  const audiences = src.audience ? [src.audience] : API_AUDIENCES;
  const life = tokenLife(requested, audiences, true).seconds;
  const start = Math.floor(Date.parse(pod.status?.startTime ?? pod.metadata.creationTimestamp ?? '') / 1000) || Math.floor(nowMs / 1000);
  const period = Math.max(1, Math.min(Math.floor(life * 0.8), DAY_S));
  const iat = start + Math.max(0, Math.floor((Math.floor(nowMs / 1000) - start) / period)) * period;
  return issuer.issue({
    serviceAccount: sa,
    audiences,
    requestedSeconds: requested,
    issuedAt: iat,
    bound: { kind: 'Pod', name: pod.metadata.name!, uid: pod.metadata.uid! },
    jti: derivedUuid(`${pod.metadata.uid}/${src.path}/${iat}/${sa.metadata.uid}/${audiences.join(',')}/${requested}`),
  }).token;
}
