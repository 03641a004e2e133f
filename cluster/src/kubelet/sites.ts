/**
 * nginx serving its document root, `/usr/share/nginx/html`: the image's
 * stock welcome page (imagefiles.ts) until the user puts something there (a
 * volume mounted on it: an emptyDir another container fills, a ConfigMap
 * with an index.html; or a file written or copied in). Requests get nginx's
 * answers: the file, `index.html` for a folder, a 301 to the folder's slash,
 * 403 for a folder without an index (an empty volume mounted on the root),
 * 404, and 405 for methods other than GET and HEAD, with nginx's error pages.
 */
import { docRoot, nginxBefore, parseImage } from '../../../kube/src/imageConvention';
import { FsError, normalize, type ContainerFs } from './disk';
import { servingContainer } from './podhttp';
import { nginxVersion } from './images';
import { ingressSite, type IngressGateway } from './ingresssite';
import type { ServerConnection } from './accesslog';

export interface SiteAnswer {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  /** Empty for HEAD. */
  body: Buffer;
  /** The server closes the connection after it (nginx after a 400). */
  close?: boolean;
  /** What nginx wrote to its error log about the request (`open() "<file>" failed (2: No such file or directory)`). */
  error?: string;
}

const TYPES: Record<string, string> = {
  html: 'text/html', htm: 'text/html', shtml: 'text/html', css: 'text/css', xml: 'text/xml', txt: 'text/plain',
  js: 'application/javascript', json: 'application/json', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', svg: 'image/svg+xml', ico: 'image/x-icon', webp: 'image/webp', pdf: 'application/pdf', wasm: 'application/wasm',
};

const REASONS: Record<number, string> = { 200: 'OK', 400: 'Bad Request', 301: 'Moved Permanently', 403: 'Forbidden', 404: 'Not Found', 405: 'Not Allowed' };

/** The `Server` header: the image tag's version when it names one (nginx:1.25.4), else nginx's name alone. */
function serverName(image: string): string {
  // server_tokens is on in the image's nginx.conf: the version its log prints (images.ts), `latest`'s included.
  const v = nginxVersion(parseImage(image).tag ?? 'latest');
  return v ? `nginx/${v}` : 'nginx';
}

/** nginx's error page; before 1.15.4 its body had `bgcolor="white"` (ngx_http_special_response.c). */
function errorPage(status: number, image: string): Buffer {
  const server = serverName(image);
  const title = `${status} ${REASONS[status]}`;
  const body = nginxBefore(image, [1, 15, 4]) ? '<body bgcolor="white">' : '<body>';
  return Buffer.from(`<html>\r\n<head><title>${title}</title></head>\r\n${body}\r\n<center><h1>${title}</h1></center>\r\n<hr><center>${server}</center>\r\n</body>\r\n</html>\r\n`, 'latin1');
}

/** nginx's error page as a whole answer (for a request it could not read: 400). */
function nginxError(container: any, status: number, now: number): SiteAnswer {
  const image = String(container.image ?? '');
  const server = serverName(image);
  const body = errorPage(status, image);
  return { status, reason: REASONS[status], headers: [['Server', server], ['Date', new Date(now).toUTCString()], ['Content-Type', 'text/html'], ['Content-Length', String(body.length)]], body };
}

/** nginx's answer to one request (undefined for an image without a document root). `host` is the request's Host (for a redirect). */
export function siteAnswer(fs: ContainerFs, container: any, method: string, target: string, host: string, now: number): SiteAnswer | undefined {
  const root = docRoot(container);
  if (!root) return undefined;
  const image = String(container.image ?? '');
  const server = serverName(image);
  const date = new Date(now).toUTCString();
  const answer = (status: number, body: Buffer, type: string, extra: Array<[string, string]> = []): SiteAnswer => ({
    status,
    reason: REASONS[status],
    headers: [['Server', server], ['Date', date], ['Content-Type', type], ['Content-Length', String(body.length)], ...extra],
    body: method === 'HEAD' ? Buffer.alloc(0) : body,
  });
  const fail = (status: number) => answer(status, errorPage(status, image), 'text/html');
  // nginx refuses a broken escape (`%zz`) or a NUL (`%00`) with 400 and closes; a well-formed one is a byte.
  const raw = target.replace(/[?#].*$/, '');
  if (/%(?![0-9A-Fa-f]{2})/.test(raw) || /%00/.test(raw)) return { ...answer(400, errorPage(400, image), 'text/html'), close: true };
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    path = Buffer.from(raw.replace(/%([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
  }
  if (!path.startsWith('/')) path = '/' + path;
  const abs = normalize(path, '/');
  const file = normalize(`${root}${abs}`);
  if (file !== root && !file.startsWith(root + '/')) return fail(404);
  const st = fs.stat(file);
  const query = /\?[^#]*/.exec(target)?.[0] ?? '';
  // ngx_http_static_handler answers only GET, HEAD and POST (405 for the rest, whatever the file); a folder
  // without its slash is redirected; a file that is there refuses POST (405), a missing one is 404.
  const served = st?.dir ? `${file === '/' ? '' : file}/index.html` : file;
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST') return fail(405);
  if (st?.dir && !path.endsWith('/')) return answer(301, errorPage(301, image), 'text/html', [['Location', `http://${host}${path}/${query}`]]);
  try {
    const data = Buffer.from(fs.read(served));
    if (method === 'POST') return fail(405);
    const ext = served.slice(served.lastIndexOf('.') + 1).toLowerCase();
    const when = fs.stat(served)!.mtime;
    // ngx_http_set_etag: the file's modification time in seconds and its size, in hex.
    const etag = `"${Math.floor(when / 1000).toString(16)}-${data.length.toString(16)}"`;
    return answer(200, data, TYPES[ext] ?? 'application/octet-stream', [['Last-Modified', new Date(when).toUTCString()], ['ETag', etag], ['Accept-Ranges', 'bytes']]);
  } catch (e) {
    const code = e instanceof FsError ? e.code : 'ENOENT';
    const status = st?.dir && code === 'ENOENT' ? 403 : code === 'EISDIR' ? 403 : 404;
    // ngx_http_static_handler (a URI not ending in a slash) logs the open() that failed, at error level for
    // ENOENT and ENOTDIR (log_not_found on); ngx_log_error adds the errno and its strerror text.
    if (status !== 404 || path.endsWith('/')) return fail(status);
    const errno = code === 'ENOTDIR' ? '20: Not a directory' : '2: No such file or directory';
    return { ...fail(404), error: `open() "${served}" failed (${errno})` };
  }
}

/** One HTTP request as the server of a pod's port receives it. */
export interface SiteRequest {
  method: string;
  /** The request target: path and query. */
  target: string;
  /** The Host header ('' when there was none). */
  host: string;
  /** The request's headers, canonical keys, Host first. */
  headers: Array<[string, string]>;
  /** The client's address as the server sees it. */
  remoteAddr: string;
  /** Proxies passed on the way here (an ingress controller in front of another), so a loop ends. */
  hops?: number;
  /** It came over TLS (terminated in front of the server). */
  tls?: boolean;
}

/** What answers HTTP on a pod's port, when it is more than the whoami echo: ask it per request (its files can change). */
export type Site = ((req: SiteRequest) => SiteAnswer | undefined) & {
  /** The server's own answer to bytes that are no request it can read (nginx's 400 page); absent, Go's plain text. */
  refuse?: (status: number) => SiteAnswer | undefined;
};

/** What a pod's server reads: a container's files, the clock, and for an ingress controller the cluster's Ingresses. */
export interface SiteWorld {
  /** That container's filesystem (undefined where there is none to read). */
  fsOf(pod: any, container: string): ContainerFs | undefined;
  now(): number;
  /** The Ingress routing an ingress-nginx controller does; absent, a controller pod answers like any server. */
  ingress?: IngressGateway;
  /** Whether a connection from one pod to another's port opens under the NetworkPolicies (absent: it does). */
  connect?(from: any, to: any, port: number): boolean;
  /** Writes a line to a running container's log (a server's access log on stdout); absent, nothing is logged. */
  accessLog?(pod: any, container: string, line: string): void;
  /** A new connection to the server in that running container (nginx numbers them); absent, none is counted. */
  connection?(pod: any, container: string): ServerConnection | undefined;
}

/**
 * The site behind `port` of the pod: the first running container listening
 * there, if its image serves a document root or is an ingress controller.
 */
export function podSite(pod: any, port: number, world: SiteWorld): Site | undefined {
  const c = servingContainer(pod, port);
  if (!c) return undefined;
  if (world.ingress) {
    const ing = ingressSite(pod, c, port, world, world.ingress, podSite);
    if (ing) return ing;
  }
  if (HELLO_APP.test(parseImage(String(c.image ?? '')).repository)) return (req) => helloApp(pod, c, req, world.now());
  if (BOOTCAMP.test(parseImage(String(c.image ?? '')).repository)) return (req) => bootcamp(pod, c, req, world.now());
  if (!docRoot(c)) return undefined;
  const site: Site = (req) => {
    const fs = world.fsOf(pod, c.name);
    return fs ? siteAnswer(fs, c, req.method, req.target, req.host, world.now()) : undefined;
  };
  site.refuse = (status) => (status === 400 ? nginxError(c, 400, world.now()) : undefined);
  return site;
}

const HELLO_APP = /(^|\/)google-samples\/(containers\/gke\/)?hello-app$/;
const BOOTCAMP = /(^|\/)(google-samples|jocatalin)\/kubernetes-bootcamp$/;

/**
 * The Kubernetes Basics tutorial's app: one line naming the pod (its HOSTNAME) and the version, `v=1` for the
 * v1 tag and `v=2` for v2, which is how the tutorial shows a rolling update reached every pod.
 */
function bootcamp(pod: any, c: any, req: SiteRequest, now: number): SiteAnswer {
  const version = parseImage(String(c.image ?? '')).tag === 'v2' ? 2 : 1;
  const body = Buffer.from(`Hello Kubernetes bootcamp! | Running on: ${pod.spec?.hostname ?? pod.metadata?.name} | v=${version}\n`, 'utf8');
  return {
    status: 200,
    reason: 'OK',
    headers: [['Content-Type', 'text/plain'], ['Date', new Date(now).toUTCString()], ['Content-Length', String(body.length)]],
    body: req.method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}

/**
 * gcr.io/google-samples/hello-app, the image of the Kubernetes tutorials:
 * every path answers three lines, its version from the tag (`1.0` says 1.0.0)
 * and the pod's hostname.
 */
function helloApp(pod: any, c: any, req: SiteRequest, now: number): SiteAnswer {
  const tag = parseImage(String(c.image ?? '')).tag;
  const version = /^\d+\.\d+\.\d+/.exec(tag)?.[0] ?? (/^\d+\.\d+$/.test(tag) ? `${tag}.0` : '1.0.0');
  const body = Buffer.from(`Hello, world!\nVersion: ${version}\nHostname: ${pod.spec?.hostname ?? pod.metadata?.name}\n`, 'utf8');
  return {
    status: 200,
    reason: 'OK',
    headers: [['Date', new Date(now).toUTCString()], ['Content-Length', String(body.length)], ['Content-Type', 'text/plain; charset=utf-8']],
    body: req.method === 'HEAD' ? Buffer.alloc(0) : body,
  };
}
