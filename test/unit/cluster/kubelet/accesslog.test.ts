import * as assert from 'node:assert/strict';
import { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { nginxAccessLine, probeRequest } from '../../../../cluster/src/kubelet/accesslog';
import { SimulatedHttpConnection } from '../../../../cluster/src/kubelet/podhttp';
import type { KObject } from '../../../../cluster/src/contract';
import { PODS, WEB_AND_CLIENT } from './webfixture';

/**
 * nginx's access log: the official image writes one line per request to its stdout, which is what
 * `kubectl logs` shows after a `curl` through a Service, an Ingress, a port-forward or the proxy.
 */
const APP = `${WEB_AND_CLIENT(2)}---
apiVersion: v1
kind: Pod
metadata: {name: echo, labels: {app: echo}}
spec: {containers: [{name: whoami, image: traefik/whoami}]}
---
apiVersion: v1
kind: Pod
metadata: {name: curler}
spec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
`;

const LINE = /^(\S+) - - \[(\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000)\] "([^"]*)" (\d{3}) (\d+) "([^"]*)" "([^"]*)" "([^"]*)"$/;

describe('nginx access log', () => {
  it('formats log_format main: the client, local time, request line, status, body bytes, referer, agent, forwarded-for', () => {
    const at = Date.UTC(2026, 10, 29, 14, 5, 9);
    const line = nginxAccessLine({ method: 'GET', target: '/a?b=1', headers: [['Host', 'web'], ['User-Agent', 'curl/8.5.0']], remoteAddr: '10.244.1.7' }, 200, 615, at);
    assert.equal(line, '10.244.1.7 - - [29/Nov/2026:14:05:09 +0000] "GET /a?b=1 HTTP/1.1" 200 615 "-" "curl/8.5.0" "-"');
    // HEAD sends no body; quotes, backslashes and bytes outside printable ASCII are escaped as \xHH.
    const head = nginxAccessLine({ method: 'HEAD', target: '/', version: 'HTTP/1.0', headers: [['Referer', 'http://x/"q\\'], ['User-Agent', 'é'], ['X-Forwarded-For', '1.2.3.4']], remoteAddr: '127.0.0.1' }, 404, 153, at);
    assert.equal(head, '127.0.0.1 - - [29/Nov/2026:14:05:09 +0000] "HEAD / HTTP/1.0" 404 0 "http://x/\\x22q\\x5C" "\\xC3\\xA9" "1.2.3.4"');
  });

  it('logs each request a Service sends to an nginx pod, in that pod, with the client pod as remote address', () => {
    const pg = new KubePlayground({ seed: 5 });
    pg.apply(APP);
    pg.runUntil(() => false, 20_000);
    const client = pg.api.get(PODS, 'default', 'client') as KObject;
    const sh = new ShellState(pg.execWorld(client, 'c'));
    for (let i = 0; i < 4; i++) assert.match(sh.run(`wget -qO- http://web/?n=${i}`).stdout, /<title>Welcome to nginx!<\/title>/);
    const curler = pg.api.get(PODS, 'default', 'curler') as KObject;
    const cs = new ShellState(pg.execWorld(curler, 'c'));
    assert.equal(cs.run("curl -s -I -H 'Referer: http://example/' web.default.svc.cluster.local/").code, 0);
    const pods = (pg.api.list(PODS, 'default').items as KObject[]).filter((p) => p.metadata.labels?.app === 'web');
    const lines = pods.flatMap((p) => pg.logs('default', p.metadata.name!).filter((l) => LINE.test(l)).map((l) => ({ pod: p.metadata.name, m: LINE.exec(l)! })));
    const gets = lines.filter((l) => l.m[3].startsWith('GET '));
    assert.equal(gets.length, 4, 'one line per request, in the pod that served it');
    assert.deepEqual(new Set(gets.map((l) => l.pod)).size, 2, 'kube-proxy spread them over both pods');
    for (const l of gets) {
      assert.equal(l.m[1], client.status?.podIP);
      assert.match(l.m[3], /^GET \/\?n=\d HTTP\/1\.1$/);
      assert.equal(l.m[4], '200');
      assert.equal(l.m[5], '615', "the size of nginx:1.27's welcome page");
      assert.equal(l.m[7], 'Wget', "busybox wget's User-Agent");
    }
    const head = lines.find((l) => l.m[3].startsWith('HEAD '));
    assert.ok(head, 'the HEAD request is logged');
    assert.deepEqual([head.m[1], head.m[3], head.m[5], head.m[6], head.m[7]], [curler.status?.podIP, 'HEAD / HTTP/1.1', '0', 'http://example/', 'curl/8.5.0']);
    // The line is written at the simulated time of the request.
    const now = new Date(pg.clock.now());
    assert.match(head.m[2], new RegExp(`^${String(now.getUTCDate()).padStart(2, '0')}/`));
    // A server image without an access log (traefik/whoami) writes none.
    assert.equal(sh.run(`wget -qO- http://${(pg.api.get(PODS, 'default', 'echo') as KObject).status?.podIP}/`).code, 0);
    assert.ok(!pg.logs('default', 'echo').some((l) => LINE.test(l)));
    pg.close();
  });

  it('logs the files nginx serves with their status: 404 for a missing file once a ConfigMap fills the document root', () => {
    const pg = new KubePlayground({ seed: 6 });
    pg.apply(`
apiVersion: v1
kind: ConfigMap
metadata: {name: site}
data: {index.html: "<h1>hi</h1>\\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers: [{name: nginx, image: "nginx:1.27", volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]}]
  volumes: [{name: html, configMap: {name: site}}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}
`);
    pg.runUntil(() => false, 20_000);
    const web = pg.api.get(PODS, 'default', 'web') as KObject;
    const sh = new ShellState(pg.execWorld(pg.api.get(PODS, 'default', 'client') as KObject, 'c'));
    assert.equal(sh.run(`wget -qO- http://${web.status?.podIP}/`).stdout, '<h1>hi</h1>\n');
    assert.notEqual(sh.run(`wget -qO- http://${web.status?.podIP}/nope`).code, 0);
    const got = pg.logs('default', 'web').filter((l) => LINE.test(l)).map((l) => LINE.exec(l)!);
    assert.deepEqual(got.map((m) => [m[3], m[4], m[5]]), [['GET / HTTP/1.1', '200', '12'], ['GET /nope HTTP/1.1', '404', String(got[1]?.[5])]]);
    assert.ok(Number(got[1][5]) > 100, "nginx's 404 page");
    pg.close();
  });

  it('behind an Ingress: the controller pod is the client, and the first client is in X-Forwarded-For', () => {
    const pg = new KubePlayground({ seed: 7, addons: ['ingress-nginx'] });
    pg.apply(`${APP}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  ingressClassName: nginx
  rules: [{host: web.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`);
    pg.advance(40_000);
    const client = pg.api.get(PODS, 'default', 'client') as KObject;
    const out = new ShellState(pg.execWorld(client, 'c')).run("wget -qO- --header 'Host: web.example' http://ingress-nginx-controller.ingress-nginx/?shop");
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /<h1>Welcome to nginx!<\/h1>/);
    const controller = (pg.api.list(PODS, 'ingress-nginx').items as KObject[]).find((p) => p.metadata.name!.startsWith('ingress-nginx-controller-'))!;
    // The one web pod that served it has the line.
    const found = (pg.api.list(PODS, 'default').items as KObject[]).filter((p) => p.metadata.labels?.app === 'web')
      .map((p) => pg.logs('default', p.metadata.name!).map((l) => LINE.exec(l)).find((x) => x && x[3] === 'GET /?shop HTTP/1.1'))
      .filter((x) => x);
    assert.equal(found.length, 1);
    const m = found[0]!;
    assert.equal(m[1], controller.status?.podIP);
    assert.equal(m[8], client.status?.podIP);
    assert.equal(m[7], 'Wget');
    pg.close();
  });

  it('the simulated server behind a port-forward reports every answered request, HEAD with no body', () => {
    const seen: Array<[string, number, number]> = [];
    const c = new SimulatedHttpConnection(
      { podName: 'web', podIP: '10.244.1.5', port: 80, remoteAddr: '127.0.0.1', served: (r, s, b) => seen.push([`${r.method} ${r.target} ${r.version}`, s, b]) },
      () => 0, () => {}, () => {},
    );
    c.receive(Buffer.from('GET /a HTTP/1.1\r\nHost: h\r\n\r\nHEAD /b HTTP/1.0\r\nHost: h\r\nConnection: keep-alive\r\n\r\n'));
    assert.equal(seen.length, 2);
    assert.equal(seen[0][0], 'GET /a HTTP/1.1');
    assert.ok(seen[0][2] > 0);
    // The connection reports the body it would have sent; nginx's line for a HEAD says 0 bytes.
    assert.deepEqual(seen[1].slice(0, 2), ['HEAD /b HTTP/1.0', 200]);
    assert.ok(seen[1][2] > 0);
    assert.match(nginxAccessLine({ method: 'HEAD', target: '/b', version: 'HTTP/1.0', headers: [], remoteAddr: '127.0.0.1' }, 200, seen[1][2], 0), /"HEAD \/b HTTP\/1\.0" 200 0 /);
  });

  it('logs each httpGet probe nginx answers: from the node\'s address on the pod network, as kube-probe/1.34; other probes and pods write none', () => {
    const pg = new KubePlayground({ seed: 7 });
    pg.apply(`
apiVersion: v1
kind: Pod
metadata: {name: probed}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{name: http, containerPort: 80}]
    readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 10}
    livenessProbe: {httpGet: {path: healthz, port: 80, httpHeaders: [{name: X-Forwarded-For, value: 1.2.3.4}]}, periodSeconds: 10, failureThreshold: 100}
---
apiVersion: v1
kind: Pod
metadata: {name: tcp}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 10}
---
apiVersion: v1
kind: Pod
metadata: {name: plain}
spec: {containers: [{name: nginx, image: nginx:1.27}]}
`);
    pg.runUntil(() => false, 65_000);
    const pod = pg.api.get(PODS, 'default', 'probed') as KObject;
    const node = pg.api.get({ group: '', version: 'v1', resource: 'nodes' } as any, '', pod.spec!.nodeName) as KObject;
    const gateway = `${(node.spec!.podCIDR as string).split('/')[0].replace(/\.0$/, '')}.1`;
    const lines = pg.logs('default', 'probed').filter((l) => LINE.test(l)).map((l) => LINE.exec(l)!);
    const ready = lines.filter((m) => m[3] === 'GET / HTTP/1.1');
    const live = lines.filter((m) => m[3] === 'GET /healthz HTTP/1.1');
    // One per readiness probe every 10 s (and the prober manager's extra run while the container is not ready yet), one per liveness probe.
    assert.ok(ready.length >= 6 && ready.length <= 8, `readiness: ${ready.length}`);
    assert.ok(live.length >= 5 && live.length <= 7, `liveness: ${live.length}`);
    for (const m of ready) assert.deepEqual([m[1], m[4], m[5], m[6], m[7], m[8]], [gateway, '200', '615', '-', 'kube-probe/1.34', '-']);
    // The probe's own headers go with it; nginx has no /healthz and answers 404 with its error page.
    assert.deepEqual([live[0][1], live[0][4], live[0][7], live[0][8]], [gateway, '404', 'kube-probe/1.34', '1.2.3.4']);
    assert.notEqual(gateway, pod.status?.hostIP, 'not the node\'s InternalIP: the prober reaches the pod over the pod network');
    // A TCP probe sends no request, and a pod without probes logs nothing.
    assert.ok(!pg.logs('default', 'tcp').some((l) => LINE.test(l)));
    assert.ok(!pg.logs('default', 'plain').some((l) => LINE.test(l)));
    pg.close();
  });

  it('fails an httpGet probe the server answers with a 404, in the prober\'s words, and the pod stays unready', () => {
    const pg = new KubePlayground({ seed: 7 });
    pg.apply(`
apiVersion: v1
kind: Pod
metadata: {name: wrong-path}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    readinessProbe: {httpGet: {path: /healthz, port: 80}, periodSeconds: 5}
`);
    pg.runUntil(() => false, 40_000);
    const pod = pg.api.get(PODS, 'default', 'wrong-path') as KObject;
    assert.equal(pod.status?.phase, 'Running');
    assert.equal(pod.status?.conditions?.find((c: any) => c.type === 'Ready')?.status, 'False');
    const unhealthy = [...pg.store.list('/events', 'default')].filter((e: any) => e.involvedObject?.name === 'wrong-path' && e.reason === 'Unhealthy');
    assert.equal(unhealthy.length, 1);
    assert.equal(unhealthy[0].message, 'Readiness probe failed: HTTP probe failed with statuscode: 404');
    assert.ok((unhealthy[0].count as number) > 3);
    pg.close();
  });

  it('builds the prober\'s request as pkg/probe/http does: its own User-Agent and Accept unless the probe sets them', () => {
    const req = (get: any) => probeRequest(get, '10.244.1.5', 80, 'v1.34.1', '10.244.1.1');
    assert.deepEqual(req({ port: 80 }), { method: 'GET', target: '/', remoteAddr: '10.244.1.1',
      headers: [['Host', '10.244.1.5:80'], ['User-Agent', 'kube-probe/1.34'], ['Accept', '*/*']] });
    const own = req({ path: '/ready?x=1', port: 80, host: 'web.local', httpHeaders: [{ name: 'user-agent', value: 'mine' }, { name: 'Accept', value: '' }] });
    assert.equal(own.target, '/ready?x=1');
    assert.deepEqual(own.headers, [['Host', 'web.local:80'], ['User-Agent', 'mine']], 'an empty Accept is removed');
  });
});
