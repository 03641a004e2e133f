/**
 * `/healthz`, `/livez` and `/readyz`, shaped as the apiserver's healthz
 * handlers answer them (k8s.io/apiserver/pkg/server/healthz): plain `ok`,
 * or with `?verbose` one `[+]<check> ok` line per check and
 * `<endpoint> check passed`; `?exclude=<check>` marks a check excluded;
 * `/<endpoint>/<check>` answers one check. This is the replacement upstream
 * points to for the deprecated ComponentStatus API.
 *
 * Every check passes while the playground serves: its store and components
 * live in this process, so an answer at all means they are up. The names are
 * those a kube-apiserver of the 1.33/1.34 line reports with default flags.
 */
import type * as http from 'node:http';
import { HttpStatusError, notFoundPath } from './status';

const POST_START_HOOKS = [
  'start-apiserver-admission-initializer',
  'generic-apiserver-start-informers',
  'priority-and-fairness-config-consumer',
  'priority-and-fairness-filter',
  'storage-object-count-tracker-hook',
  'start-apiextensions-informers',
  'start-apiextensions-controllers',
  'crd-informer-synced',
  'start-system-namespaces-controller',
  'start-cluster-authentication-info-controller',
  'start-kube-apiserver-identity-lease-controller',
  'start-kube-apiserver-identity-lease-garbage-collector',
  'storage-readiness',
  'start-legacy-token-tracking-controller',
  'start-service-ip-repair-controllers',
  'rbac/bootstrap-roles',
  'scheduling/bootstrap-system-priority-classes',
  'priority-and-fairness-config-producer',
  'bootstrap-controller',
  'start-kubernetes-service-cidr-controller',
  'aggregator-reload-proxy-client-cert',
  'start-kube-aggregator-informers',
  'apiservice-status-local-available-controller',
  'apiservice-status-remote-available-controller',
  'apiservice-registration-controller',
  'apiservice-discovery-controller',
  'kube-apiserver-autoregistration',
].map((h) => `poststarthook/${h}`);

/** After the hooks: the aggregator's completion check, then its two OpenAPI controllers' hooks. */
const TAIL = ['autoregister-completion', 'poststarthook/apiservice-openapi-controller', 'poststarthook/apiservice-openapiv3-controller'];

/** The liveness checks, which healthz and livez share. */
const LIVENESS_CHECKS = ['ping', 'log', 'etcd', ...POST_START_HOOKS, ...TAIL];

/** readyz adds etcd-readiness, informer-sync and shutdown to the liveness checks. */
const HEALTH_CHECKS: Record<string, string[]> = {
  healthz: LIVENESS_CHECKS,
  livez: LIVENESS_CHECKS,
  readyz: ['ping', 'log', 'etcd', 'etcd-readiness', 'informer-sync', ...POST_START_HOOKS, ...TAIL, 'shutdown'],
};

/** The text of a passing health endpoint for `pathname` (e.g. `/readyz`, `/readyz/ping`), or undefined when not a health path. */
export function healthText(pathname: string, q: URLSearchParams): string | undefined {
  const m = /^\/(healthz|livez|readyz)(?:\/(.+))?$/.exec(pathname);
  if (!m) return undefined;
  const endpoint = m[1];
  const checks = HEALTH_CHECKS[endpoint];
  if (m[2] !== undefined) {
    if (!checks.includes(m[2])) throw new HttpStatusError(notFoundPath());
    return 'ok';
  }
  if (!q.has('verbose')) return 'ok';
  const excluded = new Set(q.getAll('exclude').map((s) => s.trim()).filter(Boolean));
  let out = '';
  for (const c of checks) {
    if (excluded.delete(c)) out += `[+]${c} excluded: ok\n`;
    else out += `[+]${c} ok\n`;
  }
  if (excluded.size > 0) {
    out += `warn: some health checks cannot be excluded: no matches for ${[...excluded].sort().map((s) => `"${s}"`).join(',')}\n`;
  }
  return `${out}${endpoint} check passed\n`;
}

export function sendHealth(res: http.ServerResponse, text: string): void {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}
