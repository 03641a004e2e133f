import * as assert from 'node:assert/strict';
import { buildServers, pickLocation, pickServer, rewritePath, servedIngresses } from '../../../../cluster/src/network/ingress';
import { controllerConfig, forwardedHeaders } from '../../../../cluster/src/kubelet/ingresssite';

/**
 * ingress-nginx's routing as its controller renders nginx.conf: servers by
 * host, locations by path type, the oldest Ingress first, regex hosts and
 * rewrite-target (internal/ingress/controller, template.go).
 */
let t = 0;
const ing = (name: string, spec: any, annotations?: Record<string, string>, ns = 'default') => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
  metadata: { name, namespace: ns, annotations, creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, t++)).toISOString().replace('.000', '') },
  spec,
});
const be = (name: string, port: any = { number: 80 }) => ({ service: { name, port } });
const rule = (host: string | undefined, paths: Array<[string, string, string]>) => ({
  ...(host ? { host } : {}), http: { paths: paths.map(([path, pathType, svc]) => ({ path, pathType, backend: be(svc) })) },
});
/** Where a request for host+path goes: the Service name, or 'default' (the controller's 404). */
const where = (ings: any[], host: string, path: string): string => {
  const hit = pickLocation(pickServer(buildServers(ings), host), path);
  return hit?.loc.backend?.service ?? 'default';
};

describe('ingress routing (ingress-nginx)', () => {
  it('Prefix matches by path elements, Exact only itself, ImplementationSpecific as Prefix; the longest path wins', () => {
    const ings = [ing('a', { rules: [rule('shop.example', [['/', 'Prefix', 'home'], ['/api', 'Prefix', 'api'], ['/api/v2', 'ImplementationSpecific', 'v2'], ['/login', 'Exact', 'login']])] })];
    assert.equal(where(ings, 'shop.example', '/'), 'home');
    assert.equal(where(ings, 'shop.example', '/api'), 'api');
    assert.equal(where(ings, 'shop.example', '/api/'), 'api');
    assert.equal(where(ings, 'shop.example', '/api/users'), 'api');
    assert.equal(where(ings, 'shop.example', '/apiary'), 'home');
    assert.equal(where(ings, 'shop.example', '/api/v2/x'), 'v2');
    assert.equal(where(ings, 'shop.example', '/api/v20'), 'api');
    assert.equal(where(ings, 'shop.example', '/login'), 'login');
    assert.equal(where(ings, 'shop.example', '/login/again'), 'home');
  });

  it('hosts: exact first, a wildcard for exactly one more label, the port ignored, anything else to the catch-all', () => {
    const ings = [ing('a', { rules: [rule('*.example.com', [['/', 'Prefix', 'wild']]), rule('www.example.com', [['/', 'Prefix', 'www']]), rule(undefined, [['/any', 'Prefix', 'nohost']])] })];
    assert.equal(where(ings, 'www.example.com', '/'), 'www');
    assert.equal(where(ings, 'WWW.Example.com:30080', '/'), 'www');
    assert.equal(where(ings, 'shop.example.com', '/'), 'wild');
    assert.equal(where(ings, 'a.b.example.com', '/'), 'default');
    assert.equal(where(ings, 'example.com', '/any'), 'nohost');
    assert.equal(where(ings, '10.96.0.5', '/'), 'default');
  });

  it('a path two Ingresses define goes to the older one; the root location of a server gives way to an explicit /', () => {
    const older = ing('older', { rules: [rule('x.example', [['/app', 'Prefix', 'first']])] });
    const newer = ing('newer', { rules: [rule('x.example', [['/app', 'Prefix', 'second'], ['/', 'Prefix', 'root']])] });
    assert.equal(where([older, newer], 'x.example', '/app/1'), 'first');
    assert.equal(where([older, newer], 'x.example', '/other'), 'root');
  });

  it('defaultBackend: without rules it takes the catch-all, with rules the root of the hosts that Ingress made', () => {
    const catchAll = ing('fallback', { defaultBackend: be('fallback') });
    const withRules = ing('shop', { defaultBackend: be('shop-default'), rules: [rule('shop.example', [['/cart', 'Prefix', 'cart']])] });
    assert.equal(where([catchAll, withRules], 'unknown.example', '/'), 'fallback');
    assert.equal(where([catchAll, withRules], 'shop.example', '/cart'), 'cart');
    assert.equal(where([catchAll, withRules], 'shop.example', '/elsewhere'), 'shop-default');
  });

  it('rewrite-target makes every path of the host a case-insensitive regex and rewrites the whole URI', () => {
    const ings = [
      ing('rw', { rules: [rule('rw.example', [['/something(/|$)(.*)', 'ImplementationSpecific', 'svc']])] }, { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' }),
      ing('plain', { rules: [rule('rw.example', [['/other', 'Prefix', 'other']])] }),
    ];
    const server = pickServer(buildServers(ings), 'rw.example');
    assert.equal(server.regex, true);
    const hit = pickLocation(server, '/Something/new')!;
    assert.equal(hit.loc.backend?.service, 'svc');
    assert.equal(rewritePath(hit.loc.rewrite!, hit.groups), '/new');
    assert.equal(rewritePath(hit.loc.rewrite!, pickLocation(server, '/something')!.groups), '/');
    // On a regex host, Prefix is a plain ^path regex: /otherwise matches /other.
    assert.equal(pickLocation(server, '/otherwise')?.loc.backend?.service, 'other');
  });

  it('serves by class: the IngressClass controller, the legacy annotation, or (when asked) no class at all; oldest first', () => {
    const cfg = controllerConfig({ args: ['/nginx-ingress-controller', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx'] });
    const classes = new Map<string, any>([['nginx', { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }], ['other', { metadata: { name: 'other' }, spec: { controller: 'example.com/lb' } }]]);
    const a = ing('by-class', { ingressClassName: 'nginx', defaultBackend: be('a') });
    const b = ing('annotated', { defaultBackend: be('b') }, { 'kubernetes.io/ingress.class': 'nginx' });
    const c = ing('other-class', { ingressClassName: 'other', defaultBackend: be('c') });
    const d = ing('no-class', { defaultBackend: be('d') });
    assert.deepEqual(servedIngresses(cfg, [d, c, b, a], classes).map((i) => i.metadata.name), ['by-class', 'annotated']);
    const all = controllerConfig({ args: ['--watch-ingress-without-class=true'] });
    assert.deepEqual(servedIngresses(all, [d, c, b, a], classes).map((i) => i.metadata.name), ['by-class', 'annotated', 'no-class']);
  });

  it('passes the headers nginx.tmpl sets first, then the client\'s own', () => {
    const cfg = controllerConfig({ args: [] });
    const h = forwardedHeaders({ method: 'GET', target: '/', host: 'shop.example:30080', headers: [['Host', 'shop.example:30080'], ['User-Agent', 'curl/8.4.0'], ['Connection', 'close'], ['X-Forwarded-For', '1.2.3.4']], remoteAddr: '172.18.0.2' }, cfg, 80, 'f8608752d0a3af07acd2f702a974221c');
    assert.deepEqual(h, [
      ['Host', 'shop.example:30080'], ['X-Request-Id', 'f8608752d0a3af07acd2f702a974221c'], ['X-Real-Ip', '172.18.0.2'], ['X-Forwarded-For', '172.18.0.2'],
      ['X-Forwarded-Host', 'shop.example:30080'], ['X-Forwarded-Port', '80'], ['X-Forwarded-Proto', 'http'], ['X-Forwarded-Scheme', 'http'], ['X-Scheme', 'http'],
      ['X-Original-Forwarded-For', '1.2.3.4'], ['User-Agent', 'curl/8.4.0'],
    ]);
  });

  it('redirects to HTTPS per location: the host needs a certificate, the path\'s own Ingress decides', () => {
    const tls = (extra: any = {}) => ({ tls: [{ hosts: ['s.example'], secretName: 's-tls' }], ...extra });
    const a = ing('a', { ...tls(), rules: [rule('s.example', [['/', 'Prefix', 'web']])] });
    const b = ing('b', { rules: [rule('s.example', [['/hook', 'Prefix', 'hook']])] }, { 'nginx.ingress.kubernetes.io/ssl-redirect': 'false' });
    const server = pickServer(buildServers([a, b]), 's.example');
    assert.equal(server.certified, true);
    assert.equal(pickLocation(server, '/x')!.loc.sslRedirect, true);
    assert.equal(pickLocation(server, '/hook/1')!.loc.sslRedirect, false);
    // Without its Secret the host has no certificate, and nothing redirects.
    assert.equal(pickServer(buildServers([a, b], () => false), 's.example').certified, false);
  });

  it('reads ingressClassName before the legacy annotation, and never serves a class it does not know', () => {
    const cfg = controllerConfig({ args: ['--ingress-class=nginx'] });
    const classes = new Map<string, any>([['nginx', { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } }]]);
    assert.equal(servedIngresses(cfg, [ing('x', { ingressClassName: 'nginx', defaultBackend: be('a') }, { 'kubernetes.io/ingress.class': 'traefik' })], classes).length, 1);
    assert.equal(servedIngresses(cfg, [ing('y', { ingressClassName: 'traefik', defaultBackend: be('a') }, { 'kubernetes.io/ingress.class': 'nginx' })], classes).length, 0);
    const byName = controllerConfig({ args: ['--ingress-class-by-name', '-v=2'] });
    assert.equal(byName.classByName, true, 'a bare boolean flag takes no value');
    assert.equal(servedIngresses(byName, [ing('z', { ingressClassName: 'nginx2', defaultBackend: be('a') })], classes).length, 0, 'no such IngressClass');
  });

  it('on a regex host, Exact paths are case-insensitive prefix regexes too', () => {
    const ings = [
      ing('re', { rules: [rule('h.example', [['/v[0-9]+', 'ImplementationSpecific', 'versions']])] }, { 'nginx.ingress.kubernetes.io/use-regex': 'true' }),
      ing('exact', { rules: [rule('h.example', [['/api', 'Exact', 'api']])] }),
    ];
    assert.equal(where(ings, 'h.example', '/API/x'), 'api');
    assert.equal(where(ings, 'h.example', '/v2/users'), 'versions');
  });

  it('takes whatever a user wrote without throwing: null elements, wrong types', () => {
    const junk: any[] = [
      ing('j1', { rules: [null, { host: 5, http: { paths: [null, { path: 7, backend: null }] } }], tls: [null, { hosts: [null, 3], secretName: {} }] }),
      ing('j2', { rules: 'x', defaultBackend: { service: { name: 'a', port: 'p' } } }),
      { metadata: { name: 'j3', namespace: 'default', annotations: null }, spec: null },
    ];
    assert.doesNotThrow(() => buildServers(junk));
    assert.doesNotThrow(() => where(junk, 'any', '/'));
  });
});
