import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { curl, wget } from '../../../../cluster/src/kubelet/netcmds';
import type { KObject } from '../../../../cluster/src/contract';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../validate/helpers';

/**
 * The ingress-nginx add-on end to end on the simulated clock: the controller
 * pod routes by the Ingresses of its class, the leader writes their address
 * on its 60 s status sync, and the controller's events read as upstream's.
 */
const ING = { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses' };
const CLASSES = { group: 'networking.k8s.io', version: 'v1', resource: 'ingressclasses' };
const PODS = { group: '', version: 'v1', resource: 'pods' };
const EVENTS = { group: '', version: 'v1', resource: 'events' };
const DEPLOYS = { group: 'apps', version: 'v1', resource: 'deployments' };

const APP = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: hello, image: "gcr.io/google-samples/hello-app:1.0"}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec: {containers: [{name: whoami, image: traefik/whoami}]}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec: {selector: {app: echo}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: example-ingress}
spec:
  ingressClassName: nginx
  rules:
  - host: hello-world.example
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 8080}}}}
      - {path: /echo, pathType: Prefix, backend: {service: {name: echo, port: {name: http}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`;

function cluster(): KubePlayground {
  const pg = new KubePlayground({ seed: 3, addons: ['ingress-nginx'] });
  pg.apply(APP);
  return pg;
}
const controllerPod = (pg: KubePlayground): KObject => pg.api.list(PODS, 'ingress-nginx').items[0] as KObject;
const fromClient = (pg: KubePlayground) => pg.execWorld(pg.api.get(PODS, 'default', 'client'), 'c');
const started = (p: KObject): number => Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt);
const eventsOf = (pg: KubePlayground, kind: string, name: string) =>
  (pg.api.list(EVENTS, undefined).items as KObject[]).filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);

describe('ingress-nginx add-on', function () {
  this.timeout(20_000);

  it('installs the bare-metal manifest\'s controller: namespace, NodePort Service, Deployment, IngressClass nginx', () => {
    const pg = cluster();
    try {
      const d = pg.api.get(DEPLOYS, 'ingress-nginx', 'ingress-nginx-controller');
      assert.match(d.spec.template.spec.containers[0].image, /^registry\.k8s\.io\/ingress-nginx\/controller:v1\.12\.3@sha256:/);
      assert.equal(pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'ingress-nginx', 'ingress-nginx-controller').spec.type, 'NodePort');
      assert.equal(pg.api.get(CLASSES, undefined, 'nginx').spec.controller, 'k8s.io/ingress-nginx');
      pg.advance(30_000);
      const log = pg.logs('ingress-nginx', controllerPod(pg).metadata.name!);
      assert.deepEqual(log.slice(1, 6), ['NGINX Ingress controller', '  Release:       v1.12.3', '  Build:         8d1208bd75b8ad0fe78f1f35c3176331a2042427',
        '  Repository:    https://github.com/kubernetes/ingress-nginx', '  nginx version: nginx/1.25.5']);
      assert.match(log[log.length - 1], /^I\d{4} [\d:.]+ +7 leaderelection\.go:257\] attempting to acquire leader lease ingress-nginx\/ingress-nginx-leader\.\.\.$/);
      // Enabling it again leaves what is there alone (a user's change included).
      pg.scale(DEPLOYS, 'ingress-nginx', 'ingress-nginx-controller', 2);
      const before = pg.api.get(DEPLOYS, 'ingress-nginx', 'ingress-nginx-controller');
      pg.enableAddon('ingress');
      const after = pg.api.get(DEPLOYS, 'ingress-nginx', 'ingress-nginx-controller');
      assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
      assert.equal(after.spec.replicas, 2);
      assert.throws(() => pg.enableAddon('traefik'), /unknown add-on "traefik" \(known: ingress-nginx\)/);
    } finally {
      pg.close();
    }
  });

  it('routes by host and path to ready endpoints, with the headers nginx sets; 404 and 503 as nginx answers them', () => {
    const pg = cluster();
    try {
      pg.advance(30_000);
      const w = fromClient(pg);
      const hello = curl(w, ['-s', '-H', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx']);
      assert.match(hello.stdout, /^Hello, world!\nVersion: 1\.0\.0\nHostname: web-[a-z0-9]+-[a-z0-9]{5}\n$/);
      // Round robin over the two ready pods.
      const again = curl(w, ['-s', '-H', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx/any/path']);
      assert.notEqual(again.stdout, hello.stdout);
      // whoami shows what reached it: the controller pod is the client, nginx's headers first.
      const ctl = controllerPod(pg);
      const echo = wget(w, ['-qO-', '--header', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx/echo/x?y=1'], () => undefined);
      const lines = echo.stdout.split('\n');
      assert.equal(lines[3], `RemoteAddr: ${ctl.status!.podIP}`);
      assert.equal(lines[4], 'GET /echo/x?y=1 HTTP/1.1');
      assert.deepEqual(lines.slice(5, 8), ['Host: hello-world.example', lines[6], `X-Real-Ip: ${w.pod.status!.podIP}`]);
      assert.match(lines[6], /^X-Request-Id: [0-9a-f]{32}$/);
      assert.ok(lines.includes('X-Forwarded-Host: hello-world.example') && lines.includes('X-Scheme: http'));
      // No rule for the host: the controller's default backend.
      const miss = curl(w, ['-si', 'http://ingress-nginx-controller.ingress-nginx/']);
      assert.match(miss.stdout, /^HTTP\/1\.1 404 Not Found\r\n/);
      assert.match(miss.stdout, /<center><h1>404 Not Found<\/h1><\/center>\r\n<hr><center>nginx<\/center>/);
      assert.doesNotMatch(miss.stdout, /^Server:/m);
      // Inside the cluster the HTTPS port speaks TLS with a certificate no one trusts; plain servers speak none.
      const ctlIP = ctl.status!.podIP;
      assert.equal(curl(w, ['-s', `https://${ctlIP}/`]).code, 60);
      const secure = curl(w, ['-sk', '-H', 'Host: hello-world.example', `https://${ctlIP}/echo`]);
      assert.match(secure.stdout, /^X-Forwarded-Proto: https$/m);
      assert.match(secure.stdout, /^X-Forwarded-Port: 443$/m);
      const plain = curl(w, ['https://echo.default.svc.cluster.local:80/']);
      assert.deepEqual([plain.code, plain.stderr], [35, 'curl: (35) error:0A00010B:SSL routines::wrong version number\n']);
      // No ready endpoint behind the Service: 503.
      pg.scale(DEPLOYS, 'default', 'web', 0);
      pg.advance(40_000);
      const down = wget(w, ['-qO-', '--header', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx/'], () => undefined);
      assert.equal(down.stderr, 'wget: server returned error: HTTP/1.1 503 Service Temporarily Unavailable\n');
    } finally {
      pg.close();
    }
  });

  it('the leader writes the node address 60 s after it started (its first sync finds itself not ready), with Sync events before and after', () => {
    const pg = cluster();
    try {
      pg.advance(20_000);
      const ctl = controllerPod(pg);
      const start = started(ctl);
      assert.ok(start > 0, 'the controller runs');
      const ing = () => pg.api.get(ING, 'default', 'example-ingress');
      assert.deepEqual(ing().status, { loadBalancer: {} });
      // (startedAt is in whole seconds; the process starts within that second.)
      pg.advance(start + 59_000 - pg.clock.now());
      assert.deepEqual(ing().status, { loadBalancer: {} });
      pg.advance(2_000);
      const node = pg.api.get({ group: '', version: 'v1', resource: 'nodes' }, undefined, ctl.spec!.nodeName);
      const ip = node.status.addresses.find((a: any) => a.type === 'InternalIP').address;
      assert.deepEqual(ing().status, { loadBalancer: { ingress: [{ ip }] } });
      const sync = eventsOf(pg, 'Ingress', 'example-ingress');
      assert.deepEqual(sync.map((e) => [e.type, e.reason, e.message, e.source.component, e.count]), [['Normal', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller', 2]]);
      const reload = eventsOf(pg, 'Pod', ctl.metadata.name!).filter((e) => e.reason === 'RELOAD');
      assert.deepEqual(reload.map((e) => e.message), ['NGINX reload triggered due to a change in configuration']);
      // A new Ingress of another class is left alone; one of the class gets the address on the next sync.
      pg.apply(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: late}
spec: {ingressClassName: nginx, defaultBackend: {service: {name: web, port: {number: 8080}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: foreign, annotations: {kubernetes.io/ingress.class: traefik}}
spec: {defaultBackend: {service: {name: web, port: {number: 8080}}}}
`);
      pg.advance(60_000);
      assert.deepEqual(pg.api.get(ING, 'default', 'late').status, { loadBalancer: { ingress: [{ ip }] } });
      assert.deepEqual(pg.api.get(ING, 'default', 'foreign').status, { loadBalancer: {} });
      assert.equal(eventsOf(pg, 'Ingress', 'foreign').length, 0);
    } finally {
      pg.close();
    }
  });
});

describe('Ingress in the apiserver', () => {
  it('DefaultIngressClass names the newest default class on create; the legacy annotation alone is warned about; controller is immutable', () => {
    const pg = new KubePlayground({ seed: 1, addons: ['ingress-nginx'] });
    try {
      const nginx = pg.api.get(CLASSES, undefined, 'nginx');
      pg.api.update(CLASSES, undefined, { ...nginx, metadata: { ...nginx.metadata, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } });
      const spec = { defaultBackend: { service: { name: 'web', port: { number: 80 } } } };
      const made = pg.api.create(ING, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'plain' }, spec } as KObject);
      assert.equal(made.object.spec.ingressClassName, 'nginx');
      // Of two default classes the newer wins; made in the same second, the smaller name.
      pg.advance(2_000);
      const cls = (name: string) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }, spec: { controller: 'example.com/lb' } }) as KObject;
      pg.api.create(CLASSES, undefined, cls('zeta'));
      pg.api.create(CLASSES, undefined, cls('beta'));
      const second = pg.api.create(ING, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'second' }, spec } as KObject);
      assert.equal(second.object.spec.ingressClassName, 'beta');
      const legacy = pg.api.create(ING, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'legacy', annotations: { 'kubernetes.io/ingress.class': 'nginx' } }, spec } as KObject);
      assert.equal(legacy.object.spec.ingressClassName, undefined);
      assert.deepEqual(legacy.warnings, ['annotation "kubernetes.io/ingress.class" is deprecated, please use \'spec.ingressClassName\' instead']);
      assert.throws(() => pg.api.update(CLASSES, undefined, { ...pg.api.get(CLASSES, undefined, 'nginx'), spec: { controller: 'example.com/other' } }),
        (e: any) => e.status.message === 'IngressClass.networking.k8s.io "nginx" is invalid: spec.controller: Invalid value: "example.com/other": field is immutable');
      assert.throws(() => pg.api.create(ING, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bad' }, spec: { rules: [{ host: 'a.example', http: { paths: [{ path: '/', backend: spec.defaultBackend }] } }] } } as KObject),
        (e: any) => e.status.message === 'Ingress.networking.k8s.io "bad" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
    } finally {
      pg.close();
    }
  });
});

describe('ingress-nginx: what a user can throw at it', function () {
  this.timeout(20_000);

  it('null list elements decode as Go decodes them, and the controller keeps serving', () => {
    const pg = cluster();
    try {
      pg.advance(30_000);
      const mk = (name: string, spec: any) => pg.api.create(ING, 'default', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name }, spec } as KObject);
      assert.deepEqual(mk('stray', { ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 8080 } } }, rules: [null], tls: [null] }).object.spec.rules, [{}]);
      assert.throws(() => mk('nopath', { ingressClassName: 'nginx', rules: [{ http: { paths: [null] } }] }),
        (e: any) => e.status.message === 'Ingress.networking.k8s.io "nopath" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
      assert.throws(() => mk('nohost', { ingressClassName: 'nginx', defaultBackend: { service: { name: 'web', port: { number: 8080 } } }, tls: [{ hosts: [null] }] }),
        (e: any) => /spec\.tls\[0\]\.hosts\[0\]: Invalid value: "": a lowercase RFC 1123 subdomain/.test(e.status.message));
      pg.advance(5_000);
      const hello = curl(fromClient(pg), ['-s', '-H', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx']);
      assert.match(hello.stdout, /^Hello, world!/);
    } finally {
      pg.close();
    }
  });

  it('refuses a status address that is not an IP, or a hostname that is one', () => {
    const pg = cluster();
    try {
      const ing = pg.api.get(ING, 'default', 'example-ingress');
      assert.throws(() => pg.api.update(ING, 'default', { ...ing, status: { loadBalancer: { ingress: [{ ip: 'foo', hostname: '1.2.3.4' }] } } }, undefined, 'status'),
        (e: any) => e.status.message === 'Ingress.networking.k8s.io "example-ingress" is invalid: [status.loadBalancer.ingress[0].ip: Invalid value: "foo": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff), status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address]');
    } finally {
      pg.close();
    }
  });

  it('tries the next endpoint when one refuses; curl --resolve, https\'s own port and the 497 page', () => {
    const pg = cluster();
    try {
      // A pod with the app's label that listens nowhere: ready, in the endpoints, and refusing.
      pg.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: mute, labels: {app: web}}\nspec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}\n');
      pg.advance(30_000);
      const w = fromClient(pg);
      for (let i = 0; i < 6; i++) assert.match(curl(w, ['-s', '-H', 'Host: hello-world.example', 'http://ingress-nginx-controller.ingress-nginx/']).stdout, /^Hello, world!/);
      const ip = pg.api.get({ group: '', version: 'v1', resource: 'services' }, 'ingress-nginx', 'ingress-nginx-controller').spec.clusterIP;
      assert.match(curl(w, ['-s', '--resolve', `hello-world.example:80:${ip}`, 'http://hello-world.example/']).stdout, /^Hello, world!/);
      const ctl = controllerPod(pg).status!.podIP;
      const echo = curl(w, ['-sk', '--resolve', `hello-world.example:443:${ctl}`, 'https://hello-world.example/echo']);
      assert.match(echo.stdout, /^Host: hello-world\.example$/m, 'no :443 in the Host');
      const plain = curl(w, ['-s', `http://${ctl}:443/`]);
      assert.ok(plain.stdout.includes('<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx</center>'), plain.stdout);
    } finally {
      pg.close();
    }
  });
});

describe('admission webhooks, as far as the playground calls them', function () {
  this.timeout(20_000);
  const ingress = (name: string, host = 'foo.com') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ${name}}
spec:
  ingressClassName: nginx
  rules: [{host: ${host}, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;
  it('refuses while the webhook has no endpoint (failurePolicy Fail), then ingress-nginx refuses a host and path another Ingress has', () => {
    const pg = new KubePlayground({ seed: 4 });
    try {
      pg.apply(readFileSync(join(repoRoot(), 'test', 'fixtures', 'ingress-nginx', 'baremetal.yaml'), 'utf8'));
      assert.throws(() => pg.apply(ingress('early')), (e: any) => e.status.code === 500 && e.status.message ===
        'Internal error occurred: failed calling webhook "validate.nginx.ingress.kubernetes.io": failed to call webhook: Post "https://ingress-nginx-controller-admission.ingress-nginx.svc:443/networking/v1/ingresses?timeout=10s": no endpoints available for service "ingress-nginx-controller-admission"');
      pg.advance(60_000);
      pg.apply(ingress('first'));
      pg.apply(ingress('first'));
      pg.apply(ingress('other', 'bar.com'));
      assert.throws(() => pg.apply(ingress('second')), (e: any) => e.status.code === 400 && e.status.reason === 'BadRequest' && e.status.message ===
        'admission webhook "validate.nginx.ingress.kubernetes.io" denied the request: host "foo.com" and path "/" is already defined in ingress default/first');
      // failurePolicy Ignore lets a write through an unreachable webhook.
      const cfg = pg.api.get({ group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' }, undefined, 'ingress-nginx-admission');
      pg.api.update({ group: 'admissionregistration.k8s.io', version: 'v1', resource: 'validatingwebhookconfigurations' }, undefined,
        { ...cfg, webhooks: [{ ...cfg.webhooks[0], failurePolicy: 'Ignore', clientConfig: { ...cfg.webhooks[0].clientConfig, service: { ...cfg.webhooks[0].clientConfig.service, name: 'gone' } } }] });
      pg.apply(ingress('second'));
    } finally {
      pg.close();
    }
  });
});
