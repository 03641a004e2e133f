/**
 * `kubectl port-forward` into simulated pods with every real kubectl we have,
 * over both framings kubectl speaks (SPDY tunnelled in a WebSocket, its
 * default since 1.31, and plain SPDY, its fallback), and the WebSocket
 * channel protocol of @kubernetes/client-node. A real HTTP client talks to
 * the forwarded port; the pod's simulated server says which pod answered.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { multi } from './manifests';
import { run } from './run';

type K8s = typeof import('kubernetes-client-node-v1', { with: { 'resolution-mode': 'import' } });

const PENDING = `apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  nodeSelector: {disk: none-such}
  containers:
  - name: box
    image: busybox:1.36
`;

interface Forward {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts `kubectl port-forward`, resolves once it listens (the local port is kubectl's choice). */
function portForward(bin: string, kubeconfig: string, args: string[], env: Record<string, string> = {}): Promise<Forward> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['port-forward', ...args], { env: { ...process.env, KUBECONFIG: kubeconfig, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`port-forward did not start\n${out}\n${err}`)); }, 20_000);
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]), stdout: () => out, stderr: () => err, exited });
      }
    });
    child.stderr!.on('data', (c) => (err += c));
    child.on('close', () => { clearTimeout(timer); reject(new Error(`port-forward exited early\n${out}\n${err}`)); });
  });
}

interface Answer { status: number; headers: http.IncomingHttpHeaders; body: string }

function request(port: number, opts: { path?: string; method?: string; body?: Buffer; agent?: http.Agent } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path ?? '/', method: opts.method ?? 'GET', agent: opts.agent ?? false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error('request timed out')));
    req.end(opts.body);
  });
}

for (const k of kubectls()) {
  describe(`kubectl port-forward with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const forwards: Forward[] = [];
    const kc = (args: string[]) => run(k.path, args, { kubeconfig: srv.kubeconfigPath, timeoutMs: 60_000, cwd: dir });
    const okc = async (args: string[]) => {
      const r = await kc(args);
      assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const forward = async (args: string[], env: Record<string, string> = {}) => {
      const f = await portForward(k.path, srv.kubeconfigPath, args, env);
      forwards.push(f);
      return f;
    };

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-portforward-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 13 });
      fs.writeFileSync(path.join(dir, 'app.yaml'), multi(2));
      fs.writeFileSync(path.join(dir, 'stuck.yaml'), PENDING);
      await okc(['apply', '-f', 'app.yaml', '-f', 'stuck.yaml']);
      await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    });
    after(async () => {
      for (const f of forwards) f.child.kill('SIGKILL');
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    for (const framing of [
      // kubectl's -v=6 log names the dialer that got through: the tunnel's negotiation, or the SPDY upgrade's POST.
      // (1.32 logs `GET <url> 101 Switching Protocols`, 1.35 `verb="GET" url="<url>" status="101 Switching Protocols"`.)
      { name: 'SPDY in a WebSocket tunnel (the default)', env: {} as Record<string, string>, log: /GET"? (?:url=")?https:\S+\/portforward"? (?:status=")?101 Switching Protocols[\s\S]*negotiated protocol: portforward\.k8s\.io/ },
      { name: 'plain SPDY (KUBECTL_PORT_FORWARD_WEBSOCKETS=false)', env: { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' }, log: /POST"? (?:url=")?https:\S+\/portforward"? (?:status=")?101 Switching Protocols/ },
    ]) {
      it(`forwards a Service's port to one of its pods over ${framing.name}`, async () => {
        const pods = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}'])).trim().split('\n').map((l) => l.split(' '));
        const f = await forward(['svc/web', ':80', '-v=6'], framing.env);
        assert.match(f.stdout(), /^Forwarding from 127\.0\.0\.1:\d+ -> 80$/m);

        // nginx answers with its welcome page; the pod kubectl picked is the one whose access log has the request.
        const tag = framing.env.KUBECTL_PORT_FORWARD_WEBSOCKETS ? 'spdy' : 'ws';
        const first = await request(f.port, { path: `/?x=${tag}` });
        assert.equal(first.status, 200);
        assert.equal(first.headers['content-type'], 'text/html');
        assert.equal(first.headers['content-length'], '615');
        assert.equal(first.headers.server, 'nginx/1.25.5', 'nginx:1.25 is its line\'s last release, as the log says');
        assert.match(first.body, /^<!DOCTYPE html>\n[^]*<h1>Welcome to nginx!<\/h1>[^]*<\/html>\n$/);
        const logsNow = async () => Promise.all(pods.map(async ([n]) => ({ pod: n, log: await okc(['logs', n]) })));
        const picked = (await logsNow()).filter((l) => l.log.includes(`"GET /?x=${tag} HTTP/1.1"`)).map((l) => l.pod);
        assert.equal(picked.length, 1, `one pod served: ${picked}`);

        // Keep-alive, several requests at once, and a request body bigger than SPDY's initial window.
        const agent = new http.Agent({ keepAlive: true, maxSockets: 3 });
        const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => request(f.port, { path: `/?${tag}=${i}`, agent })));
        agent.destroy();
        for (const a of answers) assert.deepEqual([a.status, a.body], [200, first.body]);
        const big = Buffer.alloc(1_000_000, 'k');
        // A POST to a file that is not there: nginx reads the whole body and answers 404.
        const posted = await request(f.port, { method: 'POST', path: `/upload-${tag}`, body: big });
        assert.equal(posted.status, 404);
        assert.match(posted.body, /<title>404 Not Found<\/title>/);
        const after = await logsNow();
        for (const { pod, log } of after) {
          const mine = log.split('\n').filter((l) => l.includes(`/?${tag}=`) || l.includes(`/upload-${tag}`));
          // A Service forward goes to the one pod kubectl picked, for every connection: seven access lines, and
          // before the POST's one nginx's error line for the missing file (its error log is the container's stderr).
          assert.equal(mine.length, pod === picked[0] ? 8 : 0, `${pod}: ${mine.join('\n')}`);
          if (pod === picked[0]) assert.match(mine[mine.length - 2], new RegExp(`\\[error\\] \\d+#\\d+: \\*\\d+ open\\(\\) "/usr/share/nginx/html/upload-${tag}" failed \\(2: No such file or directory\\)`));
        }
        // Bytes that are not HTTP get nginx's 400 page, and the connection closes.
        const raw = await new Promise<string>((resolve, reject) => {
          const s = net.connect(f.port, '127.0.0.1', () => s.write('hello there\r\n\r\n'));
          let got = '';
          s.on('data', (c) => (got += c));
          s.on('end', () => resolve(got));
          s.on('error', reject);
        });
        assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\nServer: nginx\/1\.25\.5\r\nDate: [^\r]+ GMT\r\nContent-Type: text\/html\r\nContent-Length: 157\r\nConnection: close\r\n\r\n<html>\r\n<head><title>400 Bad Request<\/title><\/head>\r\n/);
        assert.match(f.stdout(), new RegExp(`^Handling connection for ${f.port}$`, 'm'));
        // nginx's access log on its stdout has each request, from the forwarded connection's loopback address.
        const log = await okc(['logs', picked[0]]);
        assert.match(log, new RegExp(`^127\\.0\\.0\\.1 - - \\[\\d\\d/[A-Z][a-z]{2}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET /\\?x=${tag} HTTP/1\\.1" 200 615 "-" "-" "-"$`, 'm'));
        assert.match(log, new RegExp(`^127\\.0\\.0\\.1 - - \\[[^\\]]+\\] "POST /upload-${tag} HTTP/1\\.1" 404 \\d+ "-" "-" "-"$`, 'm'));
        assert.match(f.stderr(), framing.log);
        assert.doesNotMatch(f.stderr(), /fallback to secondary dialer/);
        f.child.kill('SIGINT');
        await f.exited;
      });
    }

    it('ends with "lost connection to pod" when the pod goes', async () => {
      const pod = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      const f = await forward([`pod/${pod}`, ':80']);
      const a = await request(f.port, { path: '/?lost' });
      assert.match(a.body, /<h1>Welcome to nginx!<\/h1>/);
      assert.match(await okc(['logs', pod]), /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/\?lost HTTP\/1\.1" 200 615 /m);
      await okc(['delete', 'pod', pod, '--wait=false']);
      const code = await Promise.race([f.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
      assert.equal(code, 1, `exit: ${code}\n${f.stdout()}${f.stderr()}`);
      assert.match(f.stderr(), /lost connection to pod/);
    });

    it('serves the pod and Service proxy behind kubectl proxy, with upstream\'s redirects and refusals', async () => {
      const child = spawn(k.path, ['proxy', '--port=0'], { env: { ...process.env, KUBECONFIG: srv.kubeconfigPath }, stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const port = await new Promise<number>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${out}`)), 20_000);
          child.stdout!.on('data', (c) => {
            out += c;
            const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
            if (m) { clearTimeout(timer); resolve(Number(m[1])); }
          });
        });
        // An earlier test deleted a pod: wait for its replacement, then take the Service's endpoints as they are.
        await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']);
        let pods: string[] = [];
        for (let i = 0; i < 100; i++) {
          pods = (await okc(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].targetRef.name}'])).trim().split(' ').filter(Boolean);
          if (pods.length === 2) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        assert.equal(pods.length, 2, `the Service has 2 ready endpoints: ${pods}`);
        const base = '/api/v1/namespaces/default';
        for (let i = 0; i < 2; i++) {
          const a = await request(port, { path: `${base}/services/web/proxy/index.html?q=${i}` });
          assert.equal(a.status, 200, a.body);
          assert.match(a.body, /<h1>Welcome to nginx!<\/h1>/);
        }
        // Each endpoint served one, in turn; nginx logs the apiserver as its client, and the proxies' X-Forwarded-For.
        const lines = await Promise.all(pods.map(async (p) => (await okc(['logs', p])).split('\n').filter((l) => l.includes('/index.html?q='))));
        assert.deepEqual(lines.map((l) => l.length), [1, 1], JSON.stringify(lines));
        for (const [l] of lines) assert.match(l, /^172\.18\.0\.2 - - \[[^\]]+\] "GET \/index\.html\?q=\d HTTP\/1\.1" 200 615 "-" "[^"]*" "127\.0\.0\.1, 127\.0\.0\.1"$/);
        const bare = await request(port, { path: `${base}/services/web/proxy` });
        assert.equal(bare.status, 301);
        assert.equal(bare.headers.location, `${base}/services/web/proxy/`);
        // A POST through the pod proxy to a file nginx has: 405, nginx's page, and its line in that pod's log.
        const viaPod = await request(port, { path: `${base}/pods/${pods[0]}:80/proxy/index.html`, method: 'POST', body: Buffer.from('x=1') });
        assert.equal(viaPod.status, 405);
        assert.match(viaPod.body, /<title>405 Not Allowed<\/title>/);
        assert.match(await okc(['logs', pods[0]]), /^172\.18\.0\.2 - - \[[^\]]+\] "POST \/index\.html HTTP\/1\.1" 405 \d+ "-" "[^"]*" "127\.0\.0\.1, 127\.0\.0\.1"$/m);
        const podIP = (await okc(['get', 'pod', pods[0], '-o', 'jsonpath={.status.podIP}'])).trim();
        const closed = await request(port, { path: `${base}/pods/${pods[0]}:8080/proxy/` });
        assert.equal(closed.status, 503);
        assert.equal(JSON.parse(closed.body).message, `error trying to reach service: dial tcp ${podIP}:8080: connect: connection refused`);
        const noPort = await request(port, { path: `${base}/services/web:8080/proxy/` });
        assert.equal(noPort.status, 503);
        assert.equal(JSON.parse(noPort.body).message, 'no service port 8080 found for service "web"');
        const stuck = await request(port, { path: `${base}/pods/stuck/proxy/` });
        assert.equal(stuck.status, 400);
        assert.equal(JSON.parse(stuck.body).message, 'address not allowed');
      } finally {
        child.kill('SIGKILL');
      }
    });

    it('ends the session as a real cluster does when nothing listens on the pod port (nginx serves 80, not 8080)', async () => {
      const pod = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      const f = await forward([`pod/${pod}`, ':8080']);
      await assert.rejects(request(f.port), /socket hang up|ECONNRESET/);
      const code = await Promise.race([f.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
      assert.equal(code, 1, `exit: ${code}\n${f.stdout()}${f.stderr()}`);
      assert.match(f.stderr(), /an error occurred forwarding \d+ -> 8080: error forwarding port 8080 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \\?"\/var\/run\/netns\/cni-[0-9a-f-]+\\?": failed to connect to localhost:8080 inside namespace \\?"[0-9a-f]{64}\\?", IPv4: dial tcp4 127\.0\.0\.1:8080: connect: connection refused IPv6 dial tcp6 \[::1\]:8080: connect: connection refused/);
      assert.match(f.stderr(), /error: lost connection to pod/);
    });
    // (klog's structured form, 1.32 and 1.35 alike, escapes the quotes of the kubelet's message.)

    it('refuses a pod that is not running, as kubectl checks it', async () => {
      const r = await kc(['port-forward', 'pod/stuck', '8080:80']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /error: unable to forward port because pod is not running\. Current status=Pending/);
    });
  });
}

describe('@kubernetes/client-node port-forward against the playground', function () {
  this.timeout(60_000);
  let srv: RunningServer;
  let dir: string;
  let k: K8s;
  let kc: InstanceType<K8s['KubeConfig']>;

  before(async () => {
    k = await import('kubernetes-client-node-v1');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-client-node-pf-'));
    srv = await startServer({ stateDir: dir, nodes: 2, speed: 40, seed: 17 });
    kc = new k.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    const core = kc.makeApiClient(k.CoreV1Api);
    await core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } } });
    for (let i = 0; i < 200; i++) {
      const p = await core.readNamespacedPod({ namespace: 'default', name: 'web' });
      if (p.status?.phase === 'Running') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('pod web did not start');
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('carries an HTTP exchange over the WebSocket channel protocol', async () => {
    const pf = new k.PortForward(kc);
    const input = new PassThrough();
    const output = new PassThrough();
    const errors = new PassThrough();
    let got = '';
    output.on('data', (c) => (got += c));
    let errText = '';
    errors.on('data', (c) => (errText += c));
    const ws: any = await pf.portForward('default', 'web', [80], output, errors, input);
    assert.equal(ws.protocol, 'v4.channel.k8s.io');
    input.write('GET /?from-client-node HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < 100 && !got.includes('</html>\n'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(got, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.\d+|^HTTP\/1\.1 200 OK\r\nServer: nginx\r\n/);
    assert.match(got, /\r\nContent-Length: 615\r\n[^]*\r\nConnection: close\r\n/);
    assert.match(got, /\r\n\r\n<!DOCTYPE html>\n[^]*<h1>Welcome to nginx!<\/h1>[^]*<\/html>\n$/);
    // The pod's nginx logs the forwarded connection as coming from loopback.
    const logs = await kc.makeApiClient(k.CoreV1Api).readNamespacedPodLog({ namespace: 'default', name: 'web' });
    assert.match(String(logs), /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/\?from-client-node HTTP\/1\.1" 200 615 "-" "-" "-"$/m);
    assert.equal(errText, '');
    ws.close();
  });

  it('survives a malformed WebSocket frame on a port-forward: that connection ends, the server goes on', async () => {
    const pf = new k.PortForward(kc);
    const ws: any = await pf.portForward('default', 'web', [80], new PassThrough(), null, new PassThrough());
    const closed = new Promise((r) => ws.on('close', r));
    // RSV2 and RSV3 set, which no extension here allows: a protocol error on the server side.
    ws._socket.write(Buffer.from([0xb2, 0x80, 1, 2, 3, 4]));
    await closed;
    const core = kc.makeApiClient(k.CoreV1Api);
    assert.equal((await core.readNamespacedPod({ namespace: 'default', name: 'web' })).metadata?.name, 'web');
  });

  it('refuses a port that is not a number', async () => {
    const core = kc.makeApiClient(k.CoreV1Api);
    assert.ok(await core.readNamespacedPod({ namespace: 'default', name: 'web' }));
    const pf = new k.PortForward(kc);
    await assert.rejects(pf.portForward('default', 'web', [70000], new PassThrough(), null, new PassThrough()));
  });
});

describe('NodePort Services reachable from the host, as on Docker Desktop', function () {
  this.timeout(90_000);
  let srv: RunningServer;
  let dir: string;
  const k = kubectls()[0];
  const okc = async (args: string[]) => {
    const r = await run(k.path, args, { kubeconfig: srv.kubeconfigPath, timeoutMs: 60_000, cwd: dir });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return r.stdout;
  };
  const lines: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-nodeport-'));
    srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 19, exposeNodePorts: true, log: (l) => lines.push(l) });
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers on localhost:<nodePort> through kube-proxy, refuses a targetPort nothing serves, and closes with the Service', async function () {
    await okc(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    await okc(['expose', 'deployment', 'web', '--port=80', '--type=NodePort']);
    await okc(['expose', 'deployment', 'web', '--name=wrong', '--port=80', '--target-port=8080', '--type=NodePort']);
    await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']);
    const np = Number((await okc(['get', 'service', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim());
    const wrong = Number((await okc(['get', 'service', 'wrong', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).trim());
    const pods = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(' ');
    const nodeIP = (await okc(['get', 'nodes', '-o', 'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}'])).trim();
    let first: Answer | undefined;
    for (let i = 0; i < 40 && !first; i++) {
      // The allocator's port may be taken on this machine by something else: the playground says so and skips it.
      if (lines.some((l) => l.startsWith(`NodePort ${np} `) && l.includes('in use'))) return this.skip();
      first = await request(np, { path: '/?first' }).catch(() => undefined);
      if (!first) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(first, `nothing answered on 127.0.0.1:${np}; log: ${lines.join(' | ')}`);
    assert.match(first.body, /<h1>Welcome to nginx!<\/h1>/);
    // The pod's nginx logs the node as the client (kube-proxy's SNAT).
    const node = nodeIP.replace(/\./g, '\\.');
    const servedBy = async (q: string) => {
      const logs = await Promise.all(pods.map(async (p) => ({ p, log: await okc(['logs', p]) })));
      const hit = logs.filter((l) => new RegExp(`^${node} - - \\[[^\\]]+\\] "GET /\\?${q} HTTP/1\\.1" 200 615 "-" "-" "-"$`, 'm').test(l.log));
      assert.equal(hit.length, 1, `one pod logged /?${q}: ${logs.map((l) => l.log).join('\n')}`);
      return hit[0].p;
    };
    const firstPod = await servedBy('first');
    // kube-proxy balances connections, not requests: a new connection goes to the other endpoint.
    await request(np, { path: '/?second', agent: false as unknown as http.Agent });
    assert.notEqual(await servedBy('second'), firstPod, 'kube-proxy takes the endpoints in turn');
    assert.ok(lines.includes(`NodePort ${np} of Service default/web: http://127.0.0.1:${np}/`), lines.join(' | '));
    await assert.rejects(request(wrong), /ECONNRESET|ECONNREFUSED|socket hang up/);
    // A NetworkPolicy that lets nothing in drops the NodePort's connections, whichever node the pod runs on:
    // nothing answers (the client would wait for minutes); with the policy gone, the pods answer again.
    fs.writeFileSync(path.join(dir, 'deny.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n');
    await okc(['apply', '-f', 'deny.yaml']);
    for (let i = 0; i < 4; i++) {
      const silent = await Promise.race([request(np).then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('silent'), 700))]);
      assert.equal(silent, 'silent', `connection ${i} under the deny policy`);
    }
    await okc(['delete', 'networkpolicy', 'deny']);
    assert.match((await request(np)).body, /<title>Welcome to nginx!<\/title>/);
    await okc(['delete', 'service', 'web']);
    let closed = false;
    for (let i = 0; i < 40 && !closed; i++) {
      closed = await request(np).then(() => false, (e) => /ECONNREFUSED/.test(String(e?.code ?? e)));
      if (!closed) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(closed, `127.0.0.1:${np} still answers after the Service went`);
  });
});
