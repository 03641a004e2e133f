/**
 * The routing an ingress-nginx controller does, as its controller turns
 * Ingresses into nginx servers and locations (internal/ingress/controller,
 * template/template.go, nginx.tmpl):
 *
 * - the Ingresses it serves are those of its class (servesIngress), oldest
 *   first; for the same host, path and path type the oldest one wins;
 * - one server per host; rules without a host, and any Host that no server
 *   names, land on the catch-all server `_`; `*.example.com` matches exactly
 *   one more DNS label, after the exact names;
 * - a server's root location goes to the controller's default backend (nginx's
 *   404), or to the `spec.defaultBackend` of the Ingress that made the
 *   server; an Ingress with a defaultBackend and no rules takes the catch-all;
 * - paths: an empty one is `/`, and ImplementationSpecific is read as Prefix
 *   (SetDefaultNGINXPathType); `Exact` is `location = /p`, `Prefix` `/p` is
 *   `location = /p` plus `location /p/`, so it matches by path elements;
 *   the longest prefix wins. When an Ingress of the host asks for regular
 *   expressions (`use-regex`, or a `rewrite-target` other than its path),
 *   every non-exact location of that host becomes a case-insensitive regex
 *   `^path`, tried longest path first;
 * - `rewrite-target` replaces the whole URI with its template (`$1`… are the
 *   location's groups; the query string stays); `app-root` sends `/` there;
 * - a host whose TLS certificate is configured (a `tls` entry naming it, with
 *   its Secret there) redirects plain HTTP to HTTPS (308) unless `ssl-redirect`
 *   is "false";
 * - the backend is a Service port of the Ingress's namespace; nginx sends to
 *   its ready endpoints directly (not through the ClusterIP), round robin.
 *   No Service, no such port or no ready endpoint: 503.
 */
import type { Api, KObject } from '../contract';
import type { ObjectCache } from '../scheduler/watch';
import type { IngressControllerConfig, IngressGateway, IngressPick } from '../kubelet/ingresssite';
import { SeededRand } from '../runtime/rand';
import { portEndpoints } from './proxy';

const ANNOTATION_CLASS = 'kubernetes.io/ingress.class';
const A = 'nginx.ingress.kubernetes.io/';
const PODS = { group: '', version: 'v1', resource: 'pods' };

interface Backend { namespace: string; service: string; port: { number?: number; name?: string } }

interface Location {
  path: string;
  pathType: string;
  /** The root location a server starts with (the default backend's), which a path `/` of the same type replaces. */
  isDef?: boolean;
  /** How nginx matches it: `=` exact, a plain prefix, or a regex (`~*`). */
  match: 'exact' | 'prefix' | 'regex';
  regex?: RegExp;
  backend?: Backend;
  ingress?: KObject;
  rewrite?: string;
  /** The `ssl-redirect` annotation of the Ingress the location comes from (true unless "false"). */
  sslRedirect: boolean;
}

interface Server {
  host: string;
  locations: Location[];
  regex: boolean;
  /** A TLS certificate is configured for the host (an Ingress's `tls` names it and its Secret holds one). */
  certified: boolean;
  /** `app-root`: where a request for `/` is sent (302). */
  appRoot?: string;
}

const DEFAULT_SERVER = '_';
/** Lists and maps as they may come from a user's object: anything else counts as empty. */
const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): any => (v && typeof v === 'object' && !Array.isArray(v) ? v : undefined);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Whether the controller serves this Ingress (ingress-nginx's GetIngressClass):
 * `spec.ingressClassName` first (an IngressClass of this controller, or of its
 * name with `--ingress-class-by-name`), then the legacy annotation, then a
 * class-less Ingress only with `--watch-ingress-without-class`.
 */
export function servesIngress(cfg: IngressControllerConfig, ing: KObject, classes: Map<string, KObject>): boolean {
  const className = ing.spec?.ingressClassName;
  if (className !== undefined && className !== null) {
    const ic = classes.get(String(className));
    return !!ic && (ic.spec?.controller === cfg.controllerClass || (cfg.classByName && className === cfg.ingressClass));
  }
  const annotation = ing.metadata.annotations?.[ANNOTATION_CLASS];
  if (annotation !== undefined) return annotation === cfg.ingressClass;
  return cfg.watchWithoutClass;
}

/** The Ingresses a controller serves, oldest first (ties by namespace/name), as its store lists them. */
export function servedIngresses(cfg: IngressControllerConfig, ingresses: KObject[], classes: Map<string, KObject>): KObject[] {
  return ingresses
    .filter((i) => !i.metadata.deletionTimestamp && servesIngress(cfg, i, classes))
    .sort((a, b) => {
      const ta = a.metadata.creationTimestamp ?? '', tb = b.metadata.creationTimestamp ?? '';
      if (ta !== tb) return ta < tb ? -1 : 1;
      // Same second: the store's sort puts the larger namespace/name first.
      const ka = `${a.metadata.namespace}/${a.metadata.name}`, kb = `${b.metadata.namespace}/${b.metadata.name}`;
      return ka > kb ? -1 : ka < kb ? 1 : 0;
    });
}

function backendOf(ing: KObject, b: unknown): Backend | undefined {
  const svc = obj(obj(b)?.service);
  if (!svc || !str(svc.name)) return undefined;
  const port = obj(svc.port) ?? {};
  return { namespace: ing.metadata.namespace ?? 'default', service: svc.name, port: { number: typeof port.number === 'number' ? port.number : undefined, name: str(port.name) || undefined } };
}

const annotation = (ing: KObject, name: string): string | undefined => {
  const v = obj(ing.metadata.annotations)?.[`${A}${name}`];
  return typeof v === 'string' ? v : undefined;
};
const hostOf = (rule: unknown) => (str(obj(rule)?.host) || DEFAULT_SERVER).toLowerCase();

/**
 * The servers the controller would write into nginx.conf for these Ingresses
 * (oldest first). `hasCertificate(ingress, secretName)` says whether a TLS
 * Secret is there to be served.
 */
export function buildServers(ingresses: KObject[], hasCertificate: (ing: KObject, secret: string) => boolean = () => true): Map<string, Server> {
  const servers = new Map<string, Server>();
  const root = (sslRedirect: boolean, backend?: Backend, ingress?: KObject): Location => ({ path: '/', pathType: 'Prefix', match: 'prefix', isDef: true, backend, ingress, sslRedirect });
  servers.set(DEFAULT_SERVER, { host: DEFAULT_SERVER, locations: [root(true)], regex: false, certified: false });
  for (const ing of ingresses) {
    const dflt = backendOf(ing, ing.spec?.defaultBackend);
    const rules = list(ing.spec?.rules);
    const redirect = annotation(ing, 'ssl-redirect') !== 'false';
    if (dflt && !rules.length) {
      const loc = servers.get(DEFAULT_SERVER)!.locations[0];
      if (loc.isDef && !loc.backend) Object.assign(loc, { backend: dflt, ingress: ing, sslRedirect: redirect });
    }
    for (const rule of rules) {
      const host = hostOf(rule);
      if (!servers.has(host)) servers.set(host, { host, locations: [root(redirect, dflt, dflt ? ing : undefined)], regex: false, certified: false });
    }
  }
  for (const ing of ingresses) {
    const rewrite = annotation(ing, 'rewrite-target') || undefined;
    const useRegex = annotation(ing, 'use-regex') === 'true';
    const sslRedirect = annotation(ing, 'ssl-redirect') !== 'false';
    const appRoot = annotation(ing, 'app-root') || undefined;
    const certified = new Set<string>();
    for (const t of list(ing.spec?.tls)) {
      const secret = str(obj(t)?.secretName);
      if (secret && hasCertificate(ing, secret)) for (const h of list(obj(t)?.hosts)) if (str(h)) certified.add(str(h).toLowerCase());
    }
    for (const rule of list(ing.spec?.rules)) {
      const server = servers.get(hostOf(rule))!;
      if (certified.has(server.host) || [...certified].some((c) => c.startsWith('*.') && wildcardMatches(c, server.host))) server.certified = true;
      if (appRoot && !server.appRoot) server.appRoot = appRoot;
      for (const p of list(obj(obj(rule)?.http)?.paths)) {
        const po = obj(p) ?? {};
        const backend = backendOf(ing, po.backend);
        const path = str(po.path) || '/';
        // ingress-nginx reads ImplementationSpecific (and a missing type) as Prefix.
        const type = po.pathType === 'Exact' ? 'Exact' : 'Prefix';
        const rewrites = rewrite !== undefined && rewrite !== path ? rewrite : undefined;
        if (useRegex || rewrites !== undefined) server.regex = true;
        const twin = server.locations.find((l) => l.path === path && l.pathType === type);
        if (twin) {
          // The oldest Ingress keeps a host's path; only the root location the server started with gives way.
          if (twin.isDef) Object.assign(twin, { backend, ingress: ing, rewrite: rewrites, isDef: false, sslRedirect });
          continue;
        }
        server.locations.push({ path, pathType: type, match: type === 'Exact' ? 'exact' : 'prefix', backend, ingress: ing, rewrite: rewrites, sslRedirect });
      }
    }
  }
  for (const s of servers.values()) finishLocations(s);
  return servers;
}

/** A `*.` name against a host: exactly one more label, as the server_name regex ingress-nginx writes. */
function wildcardMatches(pattern: string, host: string): boolean {
  const rest = pattern.slice(1);
  return host.endsWith(rest) && /^[\w-]+$/.test(host.slice(0, host.length - rest.length));
}

/**
 * Turns paths into nginx locations (buildLocation): on a regex host every
 * location, Exact ones included, is `~* "^path"`; otherwise a `Prefix` path
 * without a trailing slash becomes `= /p` and `/p/`. Longest path first.
 */
function finishLocations(s: Server): void {
  const out: Location[] = [];
  for (const l of s.locations) {
    if (s.regex) {
      let regex: RegExp;
      try {
        regex = new RegExp(`^${l.path}`, 'i');
      } catch {
        // nginx refuses the configuration; the controller keeps the last good one. Here: the location never matches.
        regex = /(?!)/;
      }
      out.push({ ...l, match: 'regex', regex });
    } else if (l.pathType === 'Prefix' && !l.path.endsWith('/')) {
      // No twin when the host already has an Exact location for the path.
      if (!s.locations.some((x) => x.pathType === 'Exact' && x.path === l.path)) out.push({ ...l, match: 'exact' });
      out.push({ ...l, path: `${l.path}/` });
    } else out.push(l);
  }
  out.sort((a, b) => (a.path === b.path ? 0 : a.path > b.path ? -1 : 1));
  out.sort((a, b) => b.path.length - a.path.length);
  s.locations = out;
}

/** nginx's server_name choice: the exact name, then a wildcard's one-label regex (servers in host order), then the catch-all. */
export function pickServer(servers: Map<string, Server>, host: string): Server {
  const h = host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
  const exact = servers.get(h);
  if (exact && h !== DEFAULT_SERVER) return exact;
  const wild = [...servers.values()].filter((s) => s.host.startsWith('*.')).sort((a, b) => (a.host < b.host ? -1 : 1));
  return wild.find((s) => wildcardMatches(s.host, h)) ?? servers.get(DEFAULT_SERVER)!;
}

/** nginx's location choice for a URI path: `=` first, then the longest prefix, or (regex host) the first regex. */
export function pickLocation(s: Server, path: string): { loc: Location; groups: string[] } | undefined {
  for (const l of s.locations) if (l.match === 'exact' && l.path === path) return { loc: l, groups: [] };
  if (s.regex) {
    for (const l of s.locations) {
      const m = l.match === 'regex' ? l.regex!.exec(path) : null;
      if (m) return { loc: l, groups: m.slice(1).map((g) => g ?? '') };
    }
    return undefined;
  }
  let best: Location | undefined;
  for (const l of s.locations) if (l.match === 'prefix' && path.startsWith(l.path) && (!best || l.path.length > best.path.length)) best = l;
  return best ? { loc: best, groups: [] } : undefined;
}

/** `rewrite-target`'s template with the location's groups: nginx replaces the whole URI. */
export function rewritePath(template: string, groups: string[]): string {
  return template.replace(/\$(\d)/g, (_, d: string) => groups[Number(d) - 1] ?? '');
}

/** The network's side of an ingress-nginx controller: which pod and port a request goes to. */
export class IngressRouter implements IngressGateway {
  private next = new Map<string, number>();
  private ids = new SeededRand(0x1e9e55);

  constructor(
    private readonly api: Api,
    private readonly caches: { ingresses: ObjectCache; classes: ObjectCache; services: ObjectCache; slices: ObjectCache },
  ) {}

  classes(): Map<string, KObject> {
    return new Map(this.caches.classes.list().map((c) => [c.metadata.name!, c]));
  }

  route(controller: { namespace: string; config: IngressControllerConfig }, host: string, target: string, secure = false): IngressPick {
    const served = servedIngresses(controller.config, this.caches.ingresses.list(), this.classes());
    const server = pickServer(buildServers(served, (ing, secret) => this.hasCertificate(ing, secret)), host);
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q);
    // The server's `if ($uri = /)` of app-root runs before any location: `$scheme://$http_host<app-root>`.
    if (server.appRoot && path === '/') return { kind: 'status', status: 302, location: `${secure ? 'https' : 'http'}://${host}${server.appRoot}` };
    const hit = pickLocation(server, path);
    // The location's HTTPS redirect (lua redirect_to_https): its Ingress allows it and the host has a certificate.
    if (hit && !secure && server.certified && hit.loc.sslRedirect) {
      // Without preserve-trailing-slash, a trailing slash of the redirect goes.
      const to = `https://${host.replace(/:\d+$/, '')}${target}`;
      return { kind: 'status', status: 308, location: to.endsWith('/') ? to.slice(0, -1) : to };
    }
    if (!hit?.loc.backend) return { kind: 'status', status: 404 };
    const rewritten = hit.loc.rewrite !== undefined ? rewritePath(hit.loc.rewrite, hit.groups) + query : target;
    const eps = this.endpoints(hit.loc.backend);
    if (!eps.length) return { kind: 'status', status: 503 };
    const tries: Array<{ pod: KObject; ip: string; port: number }> = [];
    for (const ep of eps) {
      let pod: KObject | undefined;
      try {
        pod = ep.pod ? this.api.get(PODS, ep.pod.namespace, ep.pod.name) : undefined;
      } catch {
        pod = undefined;
      }
      if (pod && pod.status?.phase === 'Running') tries.push({ pod, ip: ep.ip, port: ep.port });
    }
    if (!tries.length) return { kind: 'status', status: 502 };
    const ing = hit.loc.ingress!;
    return { kind: 'backend', tries, target: rewritten, ingress: { namespace: ing.metadata.namespace!, name: ing.metadata.name! } };
  }

  certificate(controller: { namespace: string; config: IngressControllerConfig }, serverName: string): { cert: string; key: string } | undefined {
    const name = serverName.toLowerCase();
    for (const ing of servedIngresses(controller.config, this.caches.ingresses.list(), this.classes())) {
      for (const t of list(ing.spec?.tls)) {
        const secret = str(obj(t)?.secretName);
        const hosts = list(obj(t)?.hosts).map((h) => str(h).toLowerCase());
        if (!secret || !hosts.some((h) => h === name || (h.startsWith('*.') && wildcardMatches(h, name)))) continue;
        try {
          const s = this.api.get({ group: '', version: 'v1', resource: 'secrets' }, ing.metadata.namespace, secret);
          const cert = Buffer.from(String(s.data?.['tls.crt'] ?? ''), 'base64').toString('utf8');
          const key = Buffer.from(String(s.data?.['tls.key'] ?? ''), 'base64').toString('utf8');
          if (cert && key) return { cert, key };
        } catch {
          /* no Secret: the default certificate */
        }
      }
    }
    return undefined;
  }

  /** Whether the TLS Secret exists with a certificate and key, as the controller's certificate store needs it. */
  private hasCertificate(ing: KObject, secret: string): boolean {
    try {
      const s = this.api.get({ group: '', version: 'v1', resource: 'secrets' }, ing.metadata.namespace, secret);
      return !!s.data?.['tls.crt'] && !!s.data?.['tls.key'];
    } catch {
      return false;
    }
  }

  /**
   * The backend Service port's ready endpoints in the order nginx tries them:
   * round robin from the next one, at most three (proxy_next_upstream tries
   * the next endpoint when one refuses the connection).
   */
  private endpoints(b: Backend): Array<{ ip: string; port: number; pod?: { namespace: string; name: string } }> {
    const svc = this.caches.services.get(b.namespace, b.service);
    const sp = list(svc?.spec?.ports).find((p: any) => (b.port.number !== undefined ? p?.port === b.port.number : p?.name === b.port.name));
    if (!svc || !sp) return [];
    const portName = sp.name ?? '';
    const pool = portEndpoints(this.caches.slices.byIndex('service', `${b.namespace}/${b.service}`), portName).ready.map(({ ep, port }) => ({
      ip: ep.addresses[0], port, pod: ep.targetRef?.kind === 'Pod' ? { namespace: ep.targetRef.namespace ?? b.namespace, name: ep.targetRef.name } : undefined,
    }));
    if (!pool.length) return [];
    const key = `${b.namespace}/${b.service}:${portName}`;
    const i = (this.next.get(key) ?? 0) % pool.length;
    this.next.set(key, i + 1);
    return Array.from({ length: Math.min(3, pool.length) }, (_, k) => pool[(i + k) % pool.length]);
  }

  requestId(): string {
    return this.ids.string(32, '0123456789abcdef');
  }
}
