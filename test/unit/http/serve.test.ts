import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseServeArgs, startServer, type RunningServer } from '../../../cli/src/serve';
import { call } from './call';

describe('serve: the playground behind HTTPS', function () {
  this.timeout(30_000);

  it('parses its flags', () => {
    assert.deepEqual(parseServeArgs(['--port', '0', '--address=127.0.0.1', '--nodes', '3', '--speed', '2.5', '--seed', '9', '--json', '--state', '/tmp/x', '--kubeconfig', '/tmp/k']), {
      json: true, help: false, port: 0, address: '127.0.0.1', nodes: 3, speed: 2.5, seed: 9, stateDir: '/tmp/x', kubeconfigPath: '/tmp/k',
    });
    assert.throws(() => parseServeArgs(['--port', '70000']), /--port/);
    assert.throws(() => parseServeArgs(['--speed', '0']), /--speed/);
    assert.throws(() => parseServeArgs(['--bogus']), /unknown option/);
    assert.deepEqual(parseServeArgs(['--node-capacity', 'cpu=8,pods=50']).nodeCapacity, { cpu: '8', pods: '50' });
    assert.throws(() => parseServeArgs(['--node-capacity', 'gpu=1']), /--node-capacity/);
  });

  describe('the /kubeplay/v1 extras', () => {
    let srv: RunningServer;
    let dir: string;
    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-serve-'));
      srv = await startServer({ stateDir: dir, nodes: 2, seed: 5, speed: 10 });
    });
    after(async () => {
      await srv?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('writes a 0600 kubeconfig next to the state and listens on 127.0.0.1 only', () => {
      assert.equal(srv.kubeconfigPath, path.join(dir, 'kubeconfig'));
      assert.equal(fs.statSync(srv.kubeconfigPath).mode & 0o777, 0o600);
      assert.match(srv.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(fs.existsSync(path.join(dir, 'tls', 'ca.crt')));
    });

    it('guards the extras with the token too', async () => {
      const r = await call({ ...srv, token: 'wrong' }, 'GET', '/kubeplay/v1/stats');
      assert.equal(r.status, 401);
    });

    it('reports stats and controls time', async () => {
      const s = await call(srv, 'GET', '/kubeplay/v1/stats');
      assert.equal(s.status, 200);
      assert.equal(s.json.nodes.total, 3, 'two workers and the control plane');
      assert.equal(s.json.speed, 10);
      const paused = await call(srv, 'POST', '/kubeplay/v1/time', { paused: true, speed: 3 });
      assert.equal(paused.json.paused, true);
      assert.equal(paused.json.speed, 3);
      const t0 = paused.json.time;
      const advanced = await call(srv, 'POST', '/kubeplay/v1/time', { advanceSeconds: 60 });
      assert.ok(advanced.json.time >= t0 + 60_000);
      const resumed = await call(srv, 'POST', '/kubeplay/v1/time', { paused: false });
      assert.equal(resumed.json.paused, false);
      assert.equal((await call(srv, 'POST', '/kubeplay/v1/time', { speed: -1 })).status, 400);
    });

    it('adds, fails, recovers and removes nodes', async () => {
      const added = await call(srv, 'POST', '/kubeplay/v1/nodes', { name: 'extra-1' });
      assert.equal(added.status, 201);
      assert.equal(added.json.metadata.name, 'extra-1');
      assert.equal((await call(srv, 'GET', '/api/v1/nodes/extra-1')).status, 200);
      assert.equal((await call(srv, 'POST', '/kubeplay/v1/nodes/extra-1/fail')).status, 200);
      assert.equal((await call(srv, 'POST', '/kubeplay/v1/nodes/extra-1/recover')).status, 200);
      assert.equal((await call(srv, 'DELETE', '/kubeplay/v1/nodes/extra-1')).status, 200);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal((await call(srv, 'GET', '/api/v1/nodes/extra-1')).status, 404);
    });

    it('answers DNS and routes a Service IP to a pod', async () => {
      const svc = await call(srv, 'POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dns-test' }, spec: { selector: { app: 'x' }, ports: [{ port: 80 }] } });
      assert.equal(svc.status, 201, svc.text);
      const dns = await call(srv, 'GET', '/kubeplay/v1/dns?name=dns-test.default.svc.cluster.local');
      assert.deepEqual(dns.json.addresses, [svc.json.spec.clusterIP]);
      const route = await call(srv, 'GET', `/kubeplay/v1/route?ip=${svc.json.spec.clusterIP}&port=80`);
      assert.equal(route.status, 404, 'no pod serves it yet');
    });

    it('traces a connection from a pod: open, then dropped by a NetworkPolicy, and refuses bad requests', async () => {
      const mk = (p: string, body: any) => call(srv, 'POST', p, body);
      assert.equal((await mk('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'srv', labels: { app: 'srv' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] } })).status, 201);
      assert.equal((await mk('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cli' }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', 'infinity'] }] } })).status, 201);
      const running = async (name: string) => {
        for (let i = 0; i < 200; i++) {
          const p = await call(srv, 'GET', `/api/v1/namespaces/default/pods/${name}`);
          if (p.json.status?.phase === 'Running') return p.json;
          await new Promise((r) => setTimeout(r, 50));
        }
        throw new Error(`${name} never ran`);
      };
      const target = await running('srv');
      await running('cli');
      const open = await call(srv, 'GET', `/kubeplay/v1/namespaces/default/pods/cli/connect?host=${target.status.podIP}&port=80`);
      assert.equal(open.status, 200, open.text);
      assert.deepEqual([open.json.outcome, open.json.pod, open.json.targetPort], ['open', 'default/srv', 80]);
      assert.equal((await mk('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-srv' }, spec: { podSelector: { matchLabels: { app: 'srv' } } } })).status, 201);
      const dropped = await call(srv, 'GET', `/kubeplay/v1/namespaces/default/pods/cli/connect?host=${target.status.podIP}&port=80`);
      assert.deepEqual([dropped.json.outcome, dropped.json.verdict], ['timeout', { allowed: false, deniedBy: 'ingress', policies: ['default/deny-srv'] }]);
      assert.equal((await call(srv, 'GET', '/kubeplay/v1/namespaces/default/pods/cli/connect?host=x')).status, 400);
      assert.equal((await call(srv, 'GET', '/kubeplay/v1/namespaces/default/pods/cli/connect?host=x&port=1e2')).status, 400);
      assert.equal((await call(srv, 'GET', '/kubeplay/v1/namespaces/default/pods/%E0%A4%A/connect?host=x&port=80')).status, 400);
      // The kubernetes Service: kube-proxy's endpoint is the apiserver's address (no pod), and this server answers there.
      const api = await call(srv, 'GET', '/kubeplay/v1/namespaces/default/pods/cli/connect?host=kubernetes&port=443');
      assert.deepEqual([api.json.service, api.json.outcome, api.json.pod, api.json.apiserver], ['default/kubernetes', 'open', undefined, true]);
      assert.match(api.json.endpoint, /^\d+\.\d+\.\d+\.\d+:6443$/);
      assert.equal((await call(srv, 'GET', '/kubeplay/v1/namespaces/default/pods/nope/connect?host=x&port=80')).status, 404);
    });

    it('indents JSON for curl, Wget and browsers, or when ?pretty= says so, as the apiserver does; /version always', async () => {
      const get = (p: string, ua?: string) => call(srv, 'GET', p, undefined, ua ? { headers: { 'user-agent': ua } } : {});
      const compact = await get('/api/v1/namespaces/default');
      assert.ok(!compact.text.includes('\n'), 'a client like kubectl gets compact JSON');
      const curled = await get('/api/v1/namespaces/default', 'curl/8.5.0');
      assert.equal(curled.text, JSON.stringify(compact.json, null, 2));
      assert.match((await get('/api/v1/namespaces/default', 'Wget/1.21')).text, /^\{\n  "\w+": /);
      assert.ok(!(await get('/api/v1/namespaces/default?pretty=false', 'curl/8.5.0')).text.includes('\n'));
      assert.ok((await get('/api/v1/namespaces/default?pretty=1')).text.includes('\n  "metadata": {'));
      // Errors too, for the same clients.
      const missing = await get('/api/v1/namespaces/nope', 'Mozilla/5.0 (X11)');
      assert.equal(missing.status, 404);
      assert.match(missing.text, /^\{\n  "\w+": .*\n  "status": "Failure",/s);
      assert.match((await get('/version')).text, /^\{\n  "major": "1",\n  "minor": "\d+",/);
    });

    it('streams the control-plane log as JSON lines', async () => {
      const r = await call(srv, 'GET', '/kubeplay/v1/log');
      assert.equal(r.status, 200);
      const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(lines.length > 0);
      assert.ok(lines.every((l) => typeof l.time === 'number' && typeof l.component === 'string' && typeof l.message === 'string'));
    });

    it('serves events as core/v1 and events.k8s.io/v1 with the field selectors describe uses', async () => {
      const pod = await call(srv, 'POST', '/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evented' }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } });
      assert.equal(pod.status, 201, pod.text);
      const uid = pod.json.metadata.uid;
      let core: any;
      for (let i = 0; i < 100; i++) {
        core = await call(srv, 'GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=evented,involvedObject.namespace=default,involvedObject.uid=${uid}`)}`);
        if (core.json.items.some((e: any) => e.reason === 'Scheduled')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const scheduled = core.json.items.find((e: any) => e.reason === 'Scheduled');
      assert.ok(scheduled, 'the scheduler recorded an event about the pod');
      assert.equal(scheduled.involvedObject.kind, 'Pod');
      const v1 = await call(srv, 'GET', `/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('regarding.name=evented')}`);
      assert.equal(v1.status, 200, v1.text);
      const e = v1.json.items.find((x: any) => x.reason === 'Scheduled');
      assert.equal(e.apiVersion, 'events.k8s.io/v1');
      assert.equal(e.regarding.name, 'evented');
      assert.equal(e.note, scheduled.message);
      const other = await call(srv, 'GET', `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent('involvedObject.name=nobody')}`);
      assert.equal(other.json.items.length, 0);
    });

    it('answers 404 for unknown extras', async () => {
      assert.equal((await call(srv, 'GET', '/kubeplay/v1/nope')).status, 404);
    });
  });

  it('runs as a command: --json prints {url, kubeconfig, pid}, SIGTERM stops it and state survives a restart', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-serve-cli-'));
    const compiled = __filename.endsWith('.js');
    const servePath = compiled ? path.resolve(__dirname, '../../../cli/src/serve.js') : path.resolve(__dirname, '../../../cli/src/serve.ts');
    const start = () => {
      const child = spawn(process.execPath, [...(compiled ? [] : ['-r', 'tsx/cjs']), '-e',
        `require(${JSON.stringify(servePath)}).runServe(process.argv.slice(1)).then((c) => process.exit(c))`, '--', '--json', '--state', dir, '--nodes', '1'],
      { stdio: ['ignore', 'pipe', 'pipe'] });
      const line = new Promise<any>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no JSON line: ${out} ${err}`)), 20_000);
        child.stdout.on('data', (c) => {
          out += c;
          const nl = out.indexOf('\n');
          if (nl >= 0) {
            clearTimeout(timer);
            resolve(JSON.parse(out.slice(0, nl)));
          }
        });
        child.stderr.on('data', (c) => (err += c));
      });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      return { child, line, exited };
    };
    try {
      const a = start();
      const info = await a.line;
      assert.deepEqual(Object.keys(info).sort(), ['kubeconfig', 'pid', 'url']);
      assert.equal(info.pid, a.child.pid);
      const kc = JSON.parse(fs.readFileSync(info.kubeconfig, 'utf8'));
      const creds = { url: info.url, token: kc.users[0].user.token, caCert: Buffer.from(kc.clusters[0].cluster['certificate-authority-data'], 'base64').toString() };
      const made = await call(creds, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor' } });
      assert.equal(made.status, 201);
      a.child.kill('SIGTERM');
      assert.equal(await a.exited, 0);
      const b = start();
      const info2 = await b.line;
      const kc2 = JSON.parse(fs.readFileSync(info2.kubeconfig, 'utf8'));
      assert.equal(kc2.users[0].user.token, creds.token, 'the token is kept in the state folder');
      const back = await call({ url: info2.url, token: creds.token, caCert: creds.caCert }, 'GET', '/api/v1/namespaces/default/configmaps/survivor');
      assert.equal(back.status, 200, 'state restored on the next start');
      b.child.kill('SIGTERM');
      assert.equal(await b.exited, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
