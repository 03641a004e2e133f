/**
 * `kubectl cp` with every real kubectl we have, and @kubernetes/client-node's
 * `Cp`: files and folders (binary ones too) copied into a container and back
 * out of the other container of the same pod through their shared emptyDir,
 * kubectl's refusals from a read-only ConfigMap mount and a missing folder,
 * and what a container writes surviving a restart of the playground.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt, run } from './run';

const POD = `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {app.conf: "mode=fast\\n"}
---
apiVersion: v1
kind: Pod
metadata: {name: files}
spec:
  volumes:
  - {name: shared, emptyDir: {}}
  - {name: settings, configMap: {name: settings}}
  containers:
  - name: writer
    image: busybox:1.36
    command: [sleep, infinity]
    volumeMounts: [{name: shared, mountPath: /shared}, {name: settings, mountPath: /etc/settings}]
  - name: reader
    image: busybox:1.36
    command: [sleep, infinity]
    volumeMounts: [{name: shared, mountPath: /from-writer}]
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: nginx, image: nginx:1.27.3}]
`;

type K8s = typeof import('kubernetes-client-node-v1', { with: { 'resolution-mode': 'import' } });

/** A small tree with a text file, a binary file past one tar block, and a nested folder. */
function makeTree(root: string): Buffer {
  fs.mkdirSync(path.join(root, 'site', 'img'), { recursive: true });
  fs.writeFileSync(path.join(root, 'site', 'index.html'), '<h1>hello from kubectl cp</h1>\n');
  const bin = Buffer.alloc(5000);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 131 + 7) % 256;
  fs.writeFileSync(path.join(root, 'site', 'img', 'logo.bin'), bin);
  fs.writeFileSync(path.join(root, 'note.txt'), 'a note\n');
  return bin;
}

for (const k of kubectls()) {
  describe(`kubectl cp with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    let bin: Buffer;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-cp-'));
      bin = makeTree(dir);
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 21 });
      fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
      await okc(['apply', '-f', 'pod.yaml']);
      await okc(['wait', '--for=condition=Ready', 'pod/files', 'pod/web', '--timeout=60s']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('serves a site copied into nginx\'s html folder, where its welcome page stood before', async () => {
      const proxy = (p: string) => okc(['get', '--raw', `/api/v1/namespaces/default/pods/web:80/proxy${p}`]);
      assert.match(await proxy('/'), /<h1>Welcome to nginx!<\/h1>/);
      await okc(['cp', 'site/index.html', 'web:/usr/share/nginx/html/index.html']);
      await okc(['cp', 'site/img', 'web:/usr/share/nginx/html/img']);
      assert.equal(await proxy('/'), '<h1>hello from kubectl cp</h1>\n');
      const head = await okc(['exec', 'web', '--', 'curl', '-sI', 'localhost/img/logo.bin']);
      assert.match(head, /^HTTP\/1\.1 200 OK\r\nServer: nginx\/1\.27\.3\r\n.*Content-Type: application\/octet-stream\r\nContent-Length: 5000\r\n/s);
      // The nginx image has curl (its Dockerfile installs it), not wget.
      const missing = await kc(['exec', 'web', '--', 'curl', '-sSf', 'http://localhost/gone.html']);
      assert.equal(missing.code, 22);
      assert.equal(missing.stderr, 'curl: (22) The requested URL returned error: 404\ncommand terminated with exit code 22\n');
    });

    it('copies a file into a folder, and a folder to a new name, as kubectl cp does', async () => {
      // An existing folder as the destination: the file goes inside it (kubectl's `test -d` check).
      await okc(['cp', 'note.txt', 'files:/tmp', '-c', 'writer']);
      assert.equal(await okc(['exec', 'files', '-c', 'writer', '--', 'cat', '/tmp/note.txt']), 'a note\n');
      // A new name: the folder is created under it.
      await okc(['cp', 'site', 'files:/shared/www', '-c', 'writer']);
      assert.equal(await okc(['exec', 'files', '-c', 'writer', '--', 'ls', '/shared/www', '/shared/www/img']), '/shared/www:\nimg\nindex.html\n\n/shared/www/img:\nlogo.bin\n');
      const listing = await okc(['exec', 'files', '-c', 'writer', '--', 'ls', '-l', '/shared/www/img/logo.bin']);
      assert.match(listing, /^-rw-r--r-- +1 root +root +5000 \w{3} [ \d]\d \d\d:\d\d \/shared\/www\/img\/logo\.bin\n$/);
    });

    it('copies back out of the other container through the shared emptyDir, byte for byte', async () => {
      await okc(['cp', 'files:/from-writer/www', 'back', '-c', 'reader']);
      assert.equal(fs.readFileSync(path.join(dir, 'back', 'index.html'), 'utf8'), '<h1>hello from kubectl cp</h1>\n');
      assert.deepEqual(fs.readFileSync(path.join(dir, 'back', 'img', 'logo.bin')), bin);
      await okc(['cp', 'files:/tmp/note.txt', 'note-back.txt', '-c', 'writer']);
      assert.equal(fs.readFileSync(path.join(dir, 'note-back.txt'), 'utf8'), 'a note\n');
      // The reader's own layer has none of the writer's /tmp.
      const r = await kc(['exec', 'files', '-c', 'reader', '--', 'cat', '/tmp/note.txt']);
      assert.equal(r.code, 1);
      assert.equal(r.stderr, "cat: can't open '/tmp/note.txt': No such file or directory\ncommand terminated with exit code 1\n");
    });

    it('fails as the container\'s tar does: a read-only ConfigMap mount, a missing folder', async () => {
      const ro = await kc(['cp', 'note.txt', 'files:/etc/settings/note.txt', '-c', 'writer']);
      assert.equal(ro.code, 1);
      assert.match(ro.stderr, /tar: can't open 'note\.txt': Read-only file system\n/);
      assert.match(ro.stderr, /command terminated with exit code 1\n$/);
      const missing = await kc(['cp', 'note.txt', 'files:/no/such/dir/note.txt', '-c', 'writer']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /tar: can't change directory to '\/no\/such\/dir': No such file or directory\n/);
      assert.equal(await okc(['exec', 'files', '-c', 'writer', '--', 'cat', '/etc/settings/app.conf']), 'mode=fast\n');
      // Out of the pod, a missing source: tar says so before it ends the (empty) archive, and kubectl cp prints tar's
      // error output on its own standard output (kubectl's ErrOut for the exec is its Out).
      const gone = await kc(['cp', 'files:/no-such-file', 'gone.txt', '-c', 'writer']);
      assert.match(gone.stdout, /^tar: \/no-such-file: No such file or directory\n/);
      assert.equal(fs.existsSync(path.join(dir, 'gone.txt')), false);
    });

    it('ends an exec session when its container stops, as the runtime kills the process (exit code 137)', async () => {
      const child = spawn(k.path, ['exec', '-i', 'files', '-c', 'reader', '--', 'sh'], { env: { ...process.env, KUBECONFIG: srv.kubeconfigPath }, stdio: ['pipe', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c) => (err += c));
      const exited = new Promise<number | null>((res) => child.on('close', (code) => res(code)));
      child.stdin.write('echo started\n');
      await new Promise((r) => setTimeout(r, 1500));
      assert.ok(srv.playground.endContainer('default', 'files', 'reader', 1));
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout') child.kill('SIGKILL');
      assert.equal(code, 137, err);
      assert.match(err, /command terminated with exit code 137/);
      await okc(['wait', '--for=condition=Ready', 'pod/files', '--timeout=60s']);
    });

    it('writes through exec and keeps it across a restart of the playground', async () => {
      await okc(['exec', 'files', '-c', 'writer', '--', 'sh', '-c', 'echo persisted > /shared/state.txt; date >> /shared/state.txt']);
      const state = srv.stateDir;
      await srv.close();
      srv = await startServer({ stateDir: state, nodes: 2, speed: 40, seed: 21 });
      await okc(['wait', '--for=condition=Ready', 'pod/files', '--timeout=60s']);
      const text = await okc(['exec', 'files', '-c', 'reader', '--', 'cat', '/from-writer/state.txt']);
      assert.match(text, /^persisted\n\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n$/);
    });
  });
}

describe('@kubernetes/client-node Cp into a simulated container', function () {
  this.timeout(60_000);
  let srv: RunningServer;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-cp-node-'));
    makeTree(dir);
    srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 1, speed: 40, seed: 22 });
    fs.writeFileSync(path.join(dir, 'pod.yaml'), POD);
    const k = kubectls()[0];
    const r = await run(k.path, ['apply', '-f', 'pod.yaml'], { kubeconfig: srv.kubeconfigPath, cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const w = await run(k.path, ['wait', '--for=condition=Ready', 'pod/files', '--timeout=60s'], { kubeconfig: srv.kubeconfigPath, cwd: dir });
    assert.equal(w.code, 0, w.stderr);
  });
  after(async () => {
    await srv?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('cpToPod packs a folder with tar-fs and the container\'s tar unpacks it', async () => {
    const k8s: K8s = await import('kubernetes-client-node-v1');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    const cp = new k8s.Cp(kc);
    // cpToPod resolves once the exec starts, not when it ends: poll for the result through exec.
    await cp.cpToPod('default', 'files', 'writer', path.join(dir, 'site'), '/shared');
    const k = kubectls()[0];
    let out = '';
    for (let i = 0; i < 50 && !out.includes('index.html'); i++) {
      out = (await run(k.path, ['exec', 'files', '-c', 'reader', '--', 'ls', '/from-writer', '/from-writer/img'], { kubeconfig: srv.kubeconfigPath, cwd: dir })).stdout;
      if (!out.includes('index.html')) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(out, '/from-writer:\nimg\nindex.html\n\n/from-writer/img:\nlogo.bin\n');
  });
});
