/**
 * The `proxy` subresources of pods and Services, as `kubectl proxy` users
 * browse them (`/api/v1/namespaces/default/services/web/proxy/`): the
 * apiserver picks the backend as upstream's ResourceLocation does and relays
 * the request to the simulated container's HTTP server (podhttp.ts).
 *
 * - `pods/{name[:port]}/proxy/{path}`: the port defaults to the pod's first
 *   declared containerPort, else 80; a pod without an IP is `address not allowed`.
 * - `services/{name[:port]}/proxy/{path}`: the port is the Service port's
 *   name or number (a number is mapped to its port's name); the backend is an
 *   address of the Service's Endpoints whose port has that name. No Endpoints
 *   subset: 503 `no endpoints available for service "web"`.
 * - `scheme:name:port` is accepted with `http`; the simulated servers speak no TLS.
 * - A GET or HEAD of `.../proxy` without a trailing slash is redirected (301) to `.../proxy/`, once the
 *   backend is found (so a missing pod is still a 404).
 * - The container sees the request come from the apiserver's address (the `kubernetes` Endpoints').
 * - A backend port no running container listens on gives upstream's 503
 *   `error trying to reach service: dial tcp …: connect: connection refused`.
 */
import type * as http from 'node:http';
import type { KObject } from '../contract';
import type { HttpContext } from './context';
import type { ResourcePath } from './paths';
import { bodyOf } from './negotiate';
import { HttpStatusError, badRequest, failure, toStatus, type Status } from './status';
import { canonicalKey, podAnswers, whoamiBody, type WhoAmI } from '../kubelet/podhttp';
import { servedBy, siteOf } from './podsite';
import { APISERVER_ENDPOINT_IP } from '../network/apiserver';

const PODS = { group: '', version: 'v1', resource: 'pods' };
const SERVICES = { group: '', version: 'v1', resource: 'services' };
const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints' };

/** Where the apiserver's requests come from as the pods see them: its own address, the `kubernetes` Endpoints'. */
export const APISERVER_SOURCE_IP = APISERVER_ENDPOINT_IP;

/** Hop-by-hop headers, which a reverse proxy does not pass on (Go's httputil.ReverseProxy). */
const HOP_BY_HOP = new Set(['connection', 'proxy-connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

const serviceUnavailable = (message: string): Status => failure(503, 'ServiceUnavailable', message);

/** The /etc/services names a pod proxy port may use instead of a number (the common ones). */
const SERVICE_NAMES: Record<string, number> = { http: 80, https: 443, 'http-alt': 8080, webcache: 8080, postgresql: 5432, mysql: 3306 };

/** utilnet.SplitSchemeNamePort: `name`, `name:port` or `scheme:name:port`, with scheme http, https or empty. */
export function splitSchemeNamePort(id: string): { scheme: string; name: string; port: string } | undefined {
  const parts = id.split(':');
  let scheme = '', name: string, port = '';
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) [name, port] = parts;
  else if (parts.length === 3) [scheme, name, port] = parts;
  else return undefined;
  if (!name || !['', 'http', 'https'].includes(scheme)) return undefined;
  return { scheme, name, port };
}

interface Backend { pod: KObject; ip: string; port: number; scheme: string }

/** Rotates over a Service's ready addresses per Service, where upstream picks at random (deterministic here). */
const turns = new WeakMap<HttpContext, Map<string, number>>();

function podBackend(ctx: HttpContext, ns: string, id: string): Backend {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw new HttpStatusError(badRequest(`invalid pod request "${id}"`));
  let pod: KObject;
  try { pod = ctx.api.get(PODS, ns, parsed.name); } catch (e) { throw new HttpStatusError(toStatus(e)); }
  let port = parsed.port;
  if (!port) {
    const declared = (pod.spec?.containers ?? []).find((c: any) => (c.ports ?? []).length > 0);
    if (declared) port = String(declared.ports[0].containerPort);
  }
  const ip: string = pod.status?.podIP ?? '';
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) throw new HttpStatusError(badRequest('address not allowed'));
  if (!port) return { pod, ip, port: parsed.scheme === 'https' ? 443 : 80, scheme: parsed.scheme };
  // The port goes into the dial address as written: Go resolves a name there as a service name (/etc/services),
  // not as a container port name.
  const n = /^\d+$/.test(port) ? Number(port) : SERVICE_NAMES[port];
  if (n === undefined) throw new HttpStatusError(serviceUnavailable(`error trying to reach service: dial tcp: address tcp/${port}: unknown port`));
  return { pod, ip, port: n, scheme: parsed.scheme };
}

function serviceBackend(ctx: HttpContext, ns: string, id: string): Backend {
  const parsed = splitSchemeNamePort(id);
  if (!parsed) throw new HttpStatusError(badRequest(`invalid service request "${id}"`));
  const { name } = parsed;
  let portName = parsed.port;
  if (/^-?\d+$/.test(portName)) {
    let svc: KObject;
    try { svc = ctx.api.get(SERVICES, ns, name); } catch (e) { throw new HttpStatusError(toStatus(e)); }
    const found = (svc.spec?.ports ?? []).find((p: any) => p.port === Number(portName));
    if (!found) throw new HttpStatusError(serviceUnavailable(`no service port ${Number(portName)} found for service "${name}"`));
    portName = found.name ?? '';
  }
  let eps: KObject;
  try { eps = ctx.api.get(ENDPOINTS, ns, name); } catch (e) { throw new HttpStatusError(toStatus(e)); }
  const subsets: any[] = eps.subsets ?? [];
  if (!subsets.length) throw new HttpStatusError(serviceUnavailable(`no endpoints available for service "${name}"`));
  const candidates: Array<{ ip: string; port: number; podName?: string }> = [];
  for (const ss of subsets) {
    const p = (ss.ports ?? []).find((x: any) => (x.name ?? '') === portName);
    if (!p) continue;
    for (const a of ss.addresses ?? []) candidates.push({ ip: a.ip, port: p.port, podName: a.targetRef?.kind === 'Pod' ? a.targetRef.name : undefined });
  }
  // isValidAddress: the address must belong to a pod that still has that IP.
  const valid = candidates.filter((c) => {
    if (!c.podName) return false;
    try { return ctx.api.get(PODS, ns, c.podName).status?.podIP === c.ip; } catch { return false; }
  });
  if (!valid.length) throw new HttpStatusError(serviceUnavailable(`no endpoints available for service "${id}"`));
  let byService = turns.get(ctx);
  if (!byService) turns.set(ctx, (byService = new Map()));
  const key = `${ns}/${name}/${portName}`;
  const turn = byService.get(key) ?? 0;
  byService.set(key, turn + 1);
  const pick = valid[turn % valid.length];
  return { pod: ctx.api.get(PODS, ns, pick.podName!), ip: pick.ip, port: pick.port, scheme: parsed.scheme };
}

/** Whether a running container of the pod listens on the port (the same rule as port-forward's). */
function answering(pod: KObject, port: number): boolean {
  return pod.status?.phase === 'Running' && podAnswers(pod, port);
}

/**
 * Serves `GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS .../{pods|services}/{id}/proxy[/{path}]`.
 * `proxyPath` is what follows `/proxy` in the request path (undefined when nothing does).
 */
export function serveProxy(ctx: HttpContext, req: http.IncomingMessage, res: http.ServerResponse, p: ResourcePath, rawQuery: string): void {
  if (!p.namespace || !p.name) throw new HttpStatusError(failure(404, 'NotFound', 'the server could not find the requested resource', {}));
  const query = rawQuery ? `?${rawQuery}` : '';
  const backend = p.resource === 'pods' ? podBackend(ctx, p.namespace, p.name) : serviceBackend(ctx, p.namespace, p.name);
  const method = req.method ?? 'GET';
  if (p.proxyPath === undefined && (method === 'GET' || method === 'HEAD')) {
    // upgradeaware.go, once the backend is found: a GET or HEAD with an empty backend path is redirected to one
    // that ends with '/' (issue 4958); other methods go to '/'.
    const here = (req.url ?? '').split('?')[0];
    res.writeHead(301, { Location: `${here}/${query}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const body = bodyOf(req);
  const target = `${backend.ip}:${backend.port}`;
  if (backend.scheme === 'https') {
    // The simulated servers speak plain HTTP, so a TLS handshake to them fails as Go's client reports it.
    throw new HttpStatusError(serviceUnavailable(`error trying to reach service: tls: first record does not look like a TLS handshake`));
  }
  if (!answering(backend.pod, backend.port)) {
    throw new HttpStatusError(serviceUnavailable(`error trying to reach service: dial tcp ${target}: connect: connection refused`));
  }
  // The request as the container sees it: the incoming Host (the handler does not use the backend's), no
  // hop-by-hop headers and no token, the proxy transport's X-Forwarded-Uri, the reverse proxy's
  // X-Forwarded-For, and Go's transport asking for gzip when the client did not say.
  const headers: Array<[string, string]> = [['Host', String(req.headers.host ?? target)]];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i].toLowerCase();
    if (k === 'host' || k === 'authorization' || HOP_BY_HOP.has(k) || k === 'content-length') continue;
    headers.push([canonicalKey(raw[i]), raw[i + 1]]);
  }
  if (body.length) headers.push(['Content-Length', String(body.length)]);
  if (!headers.some(([k]) => k === 'Accept-Encoding')) headers.push(['Accept-Encoding', 'gzip']);
  headers.push(['X-Forwarded-Uri', (req.url ?? '').split('?')[0]]);
  // Go's ReverseProxy appends the client to an X-Forwarded-For already there (kubectl proxy sets one).
  const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const xff = headers.findIndex(([k]) => k === 'X-Forwarded-For');
  if (xff >= 0) headers[xff] = ['X-Forwarded-For', `${headers[xff][1]}, ${client}`];
  else headers.push(['X-Forwarded-For', client]);
  // A web server with content of the user's answers with its files (the proxy passes its status and headers on).
  const site = siteOf(ctx, backend.pod, backend.port)?.({ method, target: `${p.proxyPath ?? '/'}${query}`, host: String(req.headers.host ?? target), headers, remoteAddr: APISERVER_SOURCE_IP });
  const served = servedBy(ctx, backend.pod, backend.port);
  const access = { method, target: `${p.proxyPath ?? '/'}${query}`, headers, remoteAddr: APISERVER_SOURCE_IP };
  if (site) {
    served(access, site.status, site.body.length, site.error);
    res.writeHead(site.status, Object.fromEntries(site.headers.map(([k, v]) => [k, v])));
    res.end(method === 'HEAD' ? undefined : site.body);
    return;
  }
  const who: WhoAmI = { podName: backend.pod.metadata.name!, podIP: backend.ip, port: backend.port, remoteAddr: APISERVER_SOURCE_IP };
  const text = Buffer.from(whoamiBody(who, method, `${p.proxyPath ?? '/'}${query}`, headers), 'utf8');
  res.writeHead(200, {
    Date: new Date(ctx.now()).toUTCString(),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': text.length,
  });
  res.end(method === 'HEAD' ? undefined : text);
  served(access, 200, text.length);
}
