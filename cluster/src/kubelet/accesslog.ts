/**
 * The access log a web server writes to its stdout, which `kubectl logs` shows: one line per request
 * it answered, however the request came (curl or wget in another pod, a Service, an Ingress, the
 * apiserver's proxy, kubectl port-forward, a NodePort).
 */
import { parseImage } from '../../../kube/src/imageConvention';
import { canonicalKey, servingContainer } from './podhttp';
import type { SiteWorld } from './sites';

/** What nginx's access log records of one request. */
export interface AccessRecord {
  method: string;
  target: string;
  headers: Array<[string, string]>;
  /** The peer of the connection (a pod IP, the node's for a NodePort, 127.0.0.1 for a port-forward). */
  remoteAddr: string;
  /** HTTP/1.1 unless the request line said otherwise. */
  version?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's `$time_local` in a container on UTC: `29/Nov/2026:14:20:50 +0000`. */
function timeLocal(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/**
 * The line the official nginx image writes to stdout for a request it answered: its nginx.conf's
 * `log_format main` ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
 * "$http_referer" "$http_user_agent" "$http_x_forwarded_for"'), where a missing value prints `-`.
 */
export function nginxAccessLine(req: AccessRecord, status: number, bytes: number, now: number): string {
  const header = (k: string) => {
    const v = req.headers.find(([n]) => n === k)?.[1];
    return v === undefined || v === '' ? '-' : escapeLogValue(v);
  };
  const request = escapeLogValue(`${req.method} ${req.target} ${req.version ?? 'HTTP/1.1'}`);
  return `${req.remoteAddr} - - [${timeLocal(now)}] "${request}" ${status} ${req.method === 'HEAD' ? 0 : bytes} "${header('Referer')}" "${header('User-Agent')}" "${header('X-Forwarded-For')}"`;
}

/** log_format's default escaping: a quote, a backslash, control bytes and bytes past 0x7E as `\\xHH`, byte by byte of the UTF-8. */
function escapeLogValue(v: string): string {
  if (!/["\\\u0000-\u001f\u007f-\uffff]/.test(v)) return v;
  let out = '';
  for (const b of Buffer.from(v, 'utf8')) out += b === 0x22 || b === 0x5c || b < 0x20 || b > 0x7e ? `\\x${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  return out;
}

/** Whether the server in this container keeps nginx's access log on its stdout (the official image does). */
export function logsAccess(container: any): boolean {
  return parseImage(String(container?.image ?? '')).repository === 'library/nginx';
}

/** nginx's connection of a request: its number (`*N` in the error log) and the worker's PID. Kept by a keep-alive connection. */
export interface ServerConnection { n: number; pid(): number }

/**
 * A line of nginx's error log about a request (ngx_http_log_error's context after the message): `<time> [error]
 * <pid>#<tid>: *<connection> <message>, client: <addr>, server: <server_name>, request: "<request line>"`, then
 * `host` and `referrer` when the request had them. The image's default.conf names its server `localhost`.
 */
export function nginxErrorLine(req: AccessRecord, message: string, conn: ServerConnection, now: number): string {
  const t = new Date(now).toISOString().replace('T', ' ').replace(/-/g, '/').replace(/\.\d{3}Z$/, '');
  const header = (k: string) => req.headers.find(([n]) => n === k)?.[1];
  const pid = conn.pid();
  let line = `${t} [error] ${pid}#${pid}: *${conn.n} ${message}, client: ${req.remoteAddr}, server: localhost, request: "${req.method} ${req.target} ${req.version ?? 'HTTP/1.1'}"`;
  if (header('Host') !== undefined) line += `, host: "${header('Host')}"`;
  if (header('Referer') !== undefined) line += `, referrer: "${header('Referer')}"`;
  return line;
}

/**
 * After the server behind the pod's port answered a request (with a page of its own or the whoami
 * echo): the access log line its image writes, into that container's log, as `kubectl logs` shows it.
 * `error` is what nginx wrote to its error log (stderr) on the way (a missing file's open() failure): that
 * line comes first, as nginx writes the access log when the request ends. `conn` is the connection the
 * request came on, when it carried more than one (a keep-alive one); each other request is a connection of its own.
 */
export function logAccess(pod: any, port: number, world: Pick<SiteWorld, 'accessLog' | 'connection'>, req: AccessRecord, status: number, bytes: number, now: number, error?: string, conn?: { current?: ServerConnection }): void {
  if (!world.accessLog) return;
  const c = servingContainer(pod, port);
  if (!c || !logsAccess(c)) return;
  // nginx counts every connection it accepts, whatever it answers.
  const connection = conn?.current ?? world.connection?.(pod, c.name);
  if (conn && connection) conn.current = connection;
  if (error && connection) world.accessLog(pod, c.name, nginxErrorLine(req, error, connection, now));
  world.accessLog(pod, c.name, nginxAccessLine(req, status, bytes, now));
}

/**
 * The request the kubelet's HTTP prober sends for an httpGet probe (pkg/probe/http/request.go,
 * NewRequestForHTTPGetAction and newProbeRequest): GET of the probe's path at host:port, the probe's
 * httpHeaders, then `User-Agent: kube-<purpose>/<major>.<minor>` (userAgent("probe")) and `Accept: *\/*`
 * unless those headers set them. A path without `/` gets one, as Go's URL writes it after a host.
 */
export function probeRequest(get: any, podIP: string, port: number, kubeletVersion: string, remoteAddr: string): AccessRecord {
  const path = String(get.path ?? '');
  const target = path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
  const given: Array<[string, string]> = (Array.isArray(get.httpHeaders) ? get.httpHeaders : []).map((h: any) => [canonicalKey(String(h?.name ?? '')), String(h?.value ?? '')]);
  const has = (k: string) => given.some(([n]) => n === k);
  const host = given.find(([n]) => n === 'Host')?.[1] ?? `${get.host || podIP}:${port}`;
  const [major, minor] = kubeletVersion.replace(/^v/, '').split('.');
  const headers: Array<[string, string]> = [['Host', host], ...given.filter(([n]) => n !== 'Host')];
  if (!has('User-Agent')) headers.push(['User-Agent', `kube-probe/${major}.${minor}`]);
  if (!has('Accept')) headers.push(['Accept', '*/*']);
  return { method: 'GET', target, headers: headers.filter(([n, v]) => n !== 'Accept' || v !== ''), remoteAddr };
}
