/**
 * What a pod running the ingress-nginx controller answers. The process is
 * nginx in front of the cluster: a request to its HTTP port is matched
 * against the Ingresses of the controller's class (the routing itself is the
 * network's, network/ingress.ts) and passed to one ready endpoint of the
 * backend Service, with the headers nginx.tmpl sets; whatever that pod
 * answers comes back. No match is nginx's 404, a Service without ready
 * endpoints its 503, endpoints that all refuse its 502. The health port
 * answers the kubelet's probes.
 */
import { parseImage } from '../../../kube/src/imageConvention';
import type { Site, SiteAnswer, SiteRequest, SiteWorld } from './sites';
import { servingContainer, whoamiAnswer } from './podhttp';
import { logAccess } from './accesslog';

/** How a controller is told apart and what it serves, from its container's args (the controller's own flags). */
export interface IngressControllerConfig {
  /** `--ingress-class` (default `nginx`): the legacy annotation's value it serves. */
  ingressClass: string;
  /** `--controller-class` (default `k8s.io/ingress-nginx`): the IngressClass `spec.controller` it serves. */
  controllerClass: string;
  /** `--watch-ingress-without-class`: also serve Ingresses that name no class. */
  watchWithoutClass: boolean;
  /** `--ingress-class-by-name`: also serve an IngressClass by its name alone. */
  classByName: boolean;
  httpPort: number;
  httpsPort: number;
  healthzPort: number;
  /** `--publish-service` (namespace/name) and `--publish-status-address`, for the Ingresses' status. */
  publishService?: string;
  publishStatusAddress?: string;
  /** `--election-id`: one status writer per id and namespace. */
  electionId: string;
}

/** Where an Ingress sends a request, as the network's routing decides it. */
export type IngressPick =
  /** `tries`: the endpoints nginx would try in turn (the next one when a connection is refused). */
  | { kind: 'backend'; tries: Array<{ pod: any; ip: string; port: number }>; target: string; ingress: { namespace: string; name: string } }
  /** nginx answers itself: 404 (no rule), 502 (no endpoint pod runs), 503 (no ready endpoint or no such Service), 302/308 (redirects). */
  | { kind: 'status'; status: number; location?: string };

export interface IngressGateway {
  /** Routes one request arriving at a controller (its pod's namespace and config); `secure`: it came over HTTPS. */
  route(controller: { namespace: string; config: IngressControllerConfig }, host: string, target: string, secure?: boolean): IngressPick;
  /** The certificate the controller serves for this SNI name: an Ingress's TLS Secret, or undefined (the default one). */
  certificate(controller: { namespace: string; config: IngressControllerConfig }, serverName: string): { cert: string; key: string } | undefined;
  /** nginx's `$request_id`: 32 hex digits, from a seeded stream of the router's own, so runs repeat. */
  requestId(): string;
}

const CONTROLLER_REPOS = new Set(['ingress-nginx/controller', 'ingress-nginx/controller-chroot']);

/** Whether a container runs the ingress-nginx controller (registry.k8s.io/ingress-nginx/controller, any tag or digest). */
export function isIngressNginx(container: any): boolean {
  const image = container?.image;
  // Called for every pod update: most images are told apart by one substring test.
  if (typeof image !== 'string' || !image.includes('ingress-nginx/controller')) return false;
  return CONTROLLER_REPOS.has(parseImage(image).repository);
}

/** The controller's flags, read from its command and args as Go's pflag reads them (`--x=v` or `--x v`). */
export function controllerConfig(container: any): IngressControllerConfig {
  const argv: string[] = [...(container?.command ?? []), ...(container?.args ?? [])].map(String);
  const value = (name: string): string | undefined => {
    let out: string | undefined;
    for (let i = 0; i < argv.length; i++) {
      if (argv[i] === `--${name}` && i + 1 < argv.length && !argv[i + 1].startsWith('--')) out = argv[i + 1];
      else if (argv[i].startsWith(`--${name}=`)) out = argv[i].slice(name.length + 3);
    }
    return out;
  };
  // pflag: a bare boolean flag is true (it never takes the next argument); `--x=v` as strconv.ParseBool reads v.
  const bool = (name: string): boolean => {
    let out = false;
    for (const a of argv) {
      if (a === `--${name}`) out = true;
      else if (a.startsWith(`--${name}=`)) out = ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(a.slice(name.length + 3));
    }
    return out;
  };
  const port = (name: string, dflt: number): number => {
    const n = Number(value(name));
    return Number.isInteger(n) && n > 0 && n < 65536 ? n : dflt;
  };
  return {
    ingressClass: value('ingress-class') ?? 'nginx',
    controllerClass: value('controller-class') ?? 'k8s.io/ingress-nginx',
    watchWithoutClass: bool('watch-ingress-without-class'),
    classByName: bool('ingress-class-by-name'),
    httpPort: port('http-port', 80),
    httpsPort: port('https-port', 443),
    healthzPort: port('healthz-port', 10254),
    publishService: value('publish-service'),
    publishStatusAddress: value('publish-status-address'),
    electionId: value('election-id') ?? 'ingress-controller-leader',
  };
}

const REASONS: Record<number, string> = {
  302: 'Moved Temporarily', 308: 'Permanent Redirect', 400: 'Bad Request', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable', 504: 'Gateway Time-out', 508: 'Loop Detected',
};

/**
 * nginx's own error page, as ingress-nginx serves it (no Server header: the
 * template clears it). `detail` is the second line of the one page that has
 * one, 497's "The plain HTTP request was sent to HTTPS port".
 */
export function nginxPage(status: number, now: number, method: string, extra: Array<[string, string]> = [], detail?: string): SiteAnswer {
  const heading = status === 302 ? '302 Found' : `${status} ${REASONS[status] ?? ''}`;
  const title = detail ? `${status} ${detail}` : heading;
  const body = Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${heading}</h1></center>\r\n${detail ? `<center>${detail}</center>\r\n` : ''}<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`, 'latin1');
  return {
    status,
    reason: REASONS[status] ?? '',
    headers: [['Date', new Date(now).toUTCString()], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)], ...extra],
    body: method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/** Proxies at most this deep (a controller in front of another, and so on) before the loop is cut. */
const MAX_HOPS = 5;

/**
 * The site of a controller pod's port, or undefined when the container is
 * not a controller. `answer` is podSite itself, passed in (the backend can
 * be any server, nginx with files included).
 */
export function ingressSite(
  pod: any,
  container: any,
  port: number,
  world: SiteWorld,
  gw: NonNullable<SiteWorld['ingress']>,
  answer: (pod: any, port: number, world: SiteWorld) => Site | undefined,
): Site | undefined {
  if (!isIngressNginx(container)) return undefined;
  const config = controllerConfig(container);
  if (port === config.healthzPort) return (req) => healthz(req, world.now());
  if (port !== config.httpPort && port !== config.httpsPort) return undefined;
  const namespace = pod.metadata?.namespace ?? 'default';
  return (req) => {
    const now = world.now();
    // Plain HTTP on the TLS port: what nginx says to it (only a host's NodePort terminates TLS here).
    if (port === config.httpsPort && !req.tls) return nginxPage(400, now, req.method, [], 'The plain HTTP request was sent to HTTPS port');
    if ((req.hops ?? 0) >= MAX_HOPS) return nginxPage(508, now, req.method);
    const pick = gw.route({ namespace, config }, req.host, req.target, port === config.httpsPort);
    if (pick.kind === 'status') return nginxPage(pick.status, now, req.method, pick.location ? [['Location', pick.location]] : []);
    const serving = pick.tries.filter((t) => servingContainer(t.pod, t.port));
    if (!serving.length) return nginxPage(502, now, req.method);
    // An upstream a NetworkPolicy cuts off never answers the connect: nginx gives up on it after
    // proxy-connect-timeout and tries the next; when none answers, 504. Upstream that takes time: ingress-nginx's
    // defaults are proxy-connect-timeout 5 s, proxy-next-upstream "error timeout" and proxy-next-upstream-tries 3
    // (internal/ingress/controller/config/config.go), and its Lua balancer allows a retry on every pick
    // (balancer.lua: set_more_tries(1)), so the 504 comes after 3 x 5 s. Here the answer comes at once: a Site
    // answers synchronously, and its callers (the simulated shell's curl and wget, which also report their own
    // dropped connects at once, and the NodePort server) have no simulated time to wait in.
    const to = serving.find((t) => world.connect?.(pod, t.pod, t.port) ?? true);
    if (!to) return nginxPage(504, now, req.method);
    const forwarded = forwardedHeaders(req, config, port, gw.requestId());
    const who = { podName: to.pod.metadata.name, podIP: to.ip, port: to.port, remoteAddr: pod.status?.podIP ?? '' };
    const inner: SiteRequest = { method: req.method, target: pick.target, host: req.host, headers: forwarded, remoteAddr: who.remoteAddr, hops: (req.hops ?? 0) + 1 };
    const got = answer(to.pod, to.port, world)?.(inner) ?? whoamiAnswer(who, req.method, pick.target, forwarded, now);
    logAccess(to.pod, to.port, world, inner, got.status, got.body.length, now, got.error);
    return got;
  };
}

/** The controller's health endpoint (`/healthz` on 10254), which its readiness and liveness probes ask. */
function healthz(req: SiteRequest, now: number): SiteAnswer {
  const path = req.target.replace(/\?.*$/, '');
  const ok = path === '/healthz';
  const body = Buffer.from(ok ? 'ok' : '404 page not found\n', 'latin1');
  return {
    status: ok ? 200 : 404,
    reason: ok ? 'OK' : 'Not Found',
    headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Date', new Date(now).toUTCString()], ['Content-Length', String(body.length)]],
    body: req.method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/** Hop-by-hop headers nginx does not pass on. */
const HOP = new Set(['Connection', 'Keep-Alive', 'Proxy-Connection', 'Te', 'Trailer', 'Transfer-Encoding', 'Upgrade']);

/**
 * The request headers as the upstream receives them from ingress-nginx: first
 * those the template's `proxy_set_header` lines set (in their order; nginx
 * leaves out the ones whose value is empty), then the client's own, except
 * those overridden and the hop-by-hop ones. A client's X-Request-ID is kept.
 */
export function forwardedHeaders(req: SiteRequest, config: IngressControllerConfig, port: number, requestId: string): Array<[string, string]> {
  const get = (k: string) => req.headers.find(([n]) => n === k)?.[1];
  const client = req.remoteAddr;
  const scheme = port === config.httpsPort ? 'https' : 'http';
  const set: Array<[string, string]> = [
    ['Host', req.host],
    ['X-Request-Id', get('X-Request-Id') || requestId],
    ['X-Real-Ip', client],
    ['X-Forwarded-For', client],
    ['X-Forwarded-Host', req.host],
    ['X-Forwarded-Port', String(port === config.httpsPort ? 443 : port)],
    ['X-Forwarded-Proto', scheme],
    ['X-Forwarded-Scheme', scheme],
    ['X-Scheme', scheme],
  ];
  const prior = get('X-Forwarded-For');
  if (prior) set.push(['X-Original-Forwarded-For', prior]);
  const names = new Set(set.map(([k]) => k));
  return [...set, ...req.headers.filter(([k]) => !names.has(k) && !HOP.has(k) && k !== 'Proxy')];
}
