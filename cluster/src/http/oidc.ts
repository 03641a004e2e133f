/**
 * Service account issuer discovery (pkg/serviceaccount/openidmetadata.go,
 * pkg/routes/openidmetadata.go): the OpenID provider configuration at
 * /.well-known/openid-configuration and the key set at /openid/v1/jwks, so
 * that a relying party can check the cluster's service-account tokens. Every
 * service account may read them (system:service-account-issuer-discovery).
 */
import type * as http from 'node:http';
import { ISSUER, type TokenIssuer } from '../auth/issuer';
import { APISERVER_ENDPOINT_IP, APISERVER_PORT } from '../network/apiserver';

export const OIDC_CONFIG_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

/** serviceaccount.CacheMaxAge: both documents may be cached for an hour, and say so instead of `no-cache, private`. */
const CACHE_CONTROL = 'public, max-age=3600';

/**
 * The discovery document, in openIDMetadata's field order. With no --service-account-jwks-uri, the key set's
 * address is the apiserver's external one (kind's control-plane node, 172.18.0.2:6443).
 */
export function openIdConfiguration(): Record<string, unknown> {
  return {
    issuer: ISSUER,
    jwks_uri: `https://${APISERVER_ENDPOINT_IP}:${APISERVER_PORT}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

/** Answers the two discovery paths (exactly those: the mux has no trailing-slash forms); false for any other path. */
export function serveIssuerDiscovery(pathname: string, res: http.ServerResponse, tokens: TokenIssuer | undefined): boolean {
  let body: unknown;
  let type: string;
  if (pathname === OIDC_CONFIG_PATH) {
    body = openIdConfiguration();
    type = 'application/json';
  } else if (pathname === JWKS_PATH && tokens) {
    body = tokens.publicJwks();
    type = 'application/jwk-set+json';
  } else return false;
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': type, 'Cache-Control': CACHE_CONTROL, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  return true;
}
