/**
 * The Kubernetes documentation's Ingress tutorial ("Set up Ingress on
 * Minikube with the NGINX Ingress Controller") with every real kubectl we
 * have, against `kubeplay serve --addons ingress-nginx`: hello-app behind an
 * Ingress of class nginx, its ADDRESS, `kubectl describe ingress`, and real
 * HTTP and HTTPS requests from this machine to the controller's NodePorts.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';
import { repoRoot } from '../unit/validate/helpers';

const EXAMPLE = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: example-ingress
spec:
  ingressClassName: nginx
  rules:
    - host: hello-world.example
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080
`;

interface Answer { status: number; body: string; headers: http.IncomingHttpHeaders; peer?: string }

/** One request to 127.0.0.1:port, with the Host (and, over TLS, the SNI name) of `host`. */
function get(port: number, host: string, pathname: string, secure = false, ca?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const opts = { host: '127.0.0.1', port, path: pathname, headers: { Host: host }, servername: host, ...(secure ? (ca ? { ca } : { rejectUnauthorized: false }) : {}) };
    const req = (secure ? https : http).get(opts, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      const peer = secure ? (res.socket as any).getPeerCertificate?.()?.subject?.CN : undefined;
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers, peer }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error('timed out')));
  });
}

for (const k of kubectls()) {
  describe(`the Ingress tutorial with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    let httpPort = 0;
    let httpsPort = 0;
    const { okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-ingress-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 11, addons: ['ingress-nginx'], exposeNodePorts: true });
      await okc(['create', 'deployment', 'web', '--image=gcr.io/google-samples/hello-app:1.0']);
      await okc(['expose', 'deployment', 'web', '--type=NodePort', '--port=8080']);
      fs.writeFileSync(path.join(dir, 'example-ingress.yaml'), EXAMPLE);
      await okc(['apply', '-f', 'example-ingress.yaml']);
      await okc(['-n', 'ingress-nginx', 'rollout', 'status', 'deployment/ingress-nginx-controller', '--timeout=60s']);
      await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']);
      const ports = JSON.parse(await okc(['-n', 'ingress-nginx', 'get', 'service', 'ingress-nginx-controller', '-o', 'json'])).spec.ports;
      httpPort = ports.find((p: any) => p.name === 'http').nodePort;
      httpsPort = ports.find((p: any) => p.name === 'https').nodePort;
      // The exposer opens node ports on its next pass (every 500 ms).
      for (let i = 0; i < 40 && !srv.http.nodePorts?.ports().get('ingress-nginx/ingress-nginx-controller')?.includes(httpsPort); i++) await new Promise((r) => setTimeout(r, 100));
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('shows the Ingress with its class, host and, after the controller\'s status sync, the node\'s address', async () => {
      let out = '';
      for (let i = 0; i < 100; i++) {
        out = await okc(['get', 'ingress']);
        if (/172\.18\.0\.\d+/.test(out)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const lines = out.trimEnd().split('\n');
      assert.match(lines[0], /^NAME\s+CLASS\s+HOSTS\s+ADDRESS\s+PORTS\s+AGE$/);
      // AGE: seconds, or `2m6s` past two minutes (a loaded machine is slow to get here).
      assert.match(lines[1], /^example-ingress\s+nginx\s+hello-world\.example\s+172\.18\.0\.\d+\s+80\s+(\d+m)?\d+s$/);
      const describe = await okc(['describe', 'ingress', 'example-ingress']);
      assert.match(describe, /^Ingress Class:\s+nginx$/m);
      assert.match(describe, /^\s+\/\s+web:8080 \(10\.244\.\d+\.\d+:8080\)$/m);
      assert.match(describe, /Normal\s+Sync\s+.*nginx-ingress-controller\s+Scheduled for sync/);
    });

    it('answers this machine\'s requests on the controller\'s NodePort: the host\'s rule, else nginx\'s 404', async () => {
      const hello = await get(httpPort, 'hello-world.example', '/');
      assert.equal(hello.status, 200);
      assert.match(hello.body, /^Hello, world!\nVersion: 1\.0\.0\nHostname: web-[a-z0-9]+-[a-z0-9]{5}\n$/);
      assert.equal(hello.headers.server, undefined);
      const miss = await get(httpPort, 'nobody.example', '/');
      assert.equal(miss.status, 404);
      assert.match(miss.body, /<center>nginx<\/center>/);
    });

    it('terminates TLS with the Ingress\'s own certificate by SNI, else the controller\'s fake one; HTTP redirects to HTTPS', async function () {
      try {
        execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'tls.key', '-out', 'tls.crt', '-days', '30', '-subj', '/CN=hello-world.example',
          '-addext', 'subjectAltName=DNS:hello-world.example'], { cwd: dir, stdio: 'ignore' });
      } catch {
        this.skip();
      }
      await okc(['create', 'secret', 'tls', 'hello-tls', '--cert=tls.crt', '--key=tls.key']);
      await okc(['patch', 'ingress', 'example-ingress', '--type=merge', '-p', '{"spec":{"tls":[{"hosts":["hello-world.example"],"secretName":"hello-tls"}]}}']);
      const ca = fs.readFileSync(path.join(dir, 'tls.crt'), 'utf8');
      const secure = await get(httpsPort, 'hello-world.example', '/', true, ca);
      assert.equal(secure.status, 200);
      assert.equal(secure.peer, 'hello-world.example');
      assert.match(secure.body, /^Hello, world!/);
      const other = await get(httpsPort, 'other.example', '/', true);
      assert.equal(other.peer, 'Kubernetes Ingress Controller Fake Certificate');
      assert.equal(other.status, 404);
      // Plain HTTP on the TLS port: nginx's own page for it.
      const plain = await get(httpsPort, 'hello-world.example', '/');
      assert.equal(plain.status, 400);
      assert.match(plain.body, /<center>The plain HTTP request was sent to HTTPS port<\/center>/);
      const redirected = await get(httpPort, 'hello-world.example', '/path/');
      assert.equal(redirected.status, 308);
      assert.equal(redirected.headers.location, 'https://hello-world.example/path');
    });
  });
}

for (const k of kubectls()) {
  describe(`ingress-nginx's own bare-metal manifest with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-ingress-manifest-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 12 });
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('applies (the webhook configuration included), the certgen Jobs make and publish the certificate, and the controller starts', async () => {
      const manifest = path.join(repoRoot(), 'test', 'fixtures', 'ingress-nginx', 'baremetal.yaml');
      const applied = await okc(['apply', '-f', manifest]);
      assert.match(applied, /^validatingwebhookconfiguration\.admissionregistration\.k8s\.io\/ingress-nginx-admission created$/m);
      assert.match(applied, /^job\.batch\/ingress-nginx-admission-patch created$/m);
      await okc(['-n', 'ingress-nginx', 'rollout', 'status', 'deployment/ingress-nginx-controller', '--timeout=90s']);
      const secret = JSON.parse(await okc(['-n', 'ingress-nginx', 'get', 'secret', 'ingress-nginx-admission', '-o', 'json']));
      assert.deepEqual(Object.keys(secret.data).sort(), ['ca', 'cert', 'key']);
      // The patch Job retries until the Secret is there, then fills in the webhook's CA bundle.
      let hook: any;
      for (let i = 0; i < 100; i++) {
        hook = JSON.parse(await okc(['get', 'validatingwebhookconfiguration', 'ingress-nginx-admission', '-o', 'json']));
        if (hook.webhooks[0].clientConfig.caBundle) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(hook.webhooks[0].clientConfig.caBundle, secret.data.ca);
      assert.equal(hook.webhooks[0].timeoutSeconds, 10, 'defaulted');
      const table = await okc(['get', 'validatingwebhookconfigurations']);
      assert.match(table, /^NAME\s+WEBHOOKS\s+AGE\n/);
      assert.match(table, /^ingress-nginx-admission\s+1\s+\d+s$/m);
      const events = await kc(['-n', 'ingress-nginx', 'get', 'events', '--field-selector', 'reason=FailedMount', '-o', 'jsonpath={.items[*].message}']);
      assert.match(events.stdout, /MountVolume\.SetUp failed for volume "webhook-cert" : secret "ingress-nginx-admission" not found/, 'the controller waited for its certificate');
      // The admission webhook, now up, refuses a second Ingress for the same host and path.
      const ing = (name: string) => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ${name}}\nspec:\n  ingressClassName: nginx\n  rules: [{host: foo.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]\n`;
      fs.writeFileSync(path.join(dir, 'a.yaml'), ing('a'));
      fs.writeFileSync(path.join(dir, 'b.yaml'), ing('b'));
      await okc(['apply', '-f', 'a.yaml']);
      const refused = await kc(['apply', '-f', 'b.yaml']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /^Error from server \(BadRequest\): error when creating "b\.yaml": admission webhook "validate\.nginx\.ingress\.kubernetes\.io" denied the request: host "foo\.com" and path "\/" is already defined in ingress default\/a$/m);
    });
  });
}
