/**
 * `kubectl exec` into simulated containers with every real kubectl we have:
 * the WebSocket (v5.channel.k8s.io) session, exit codes, stdin piping, DNS
 * and Service routing seen from inside a pod, and upstream's refusals.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { multi } from './manifests';
import { run, type RunResult } from './run';

const CLIENT = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: box
    image: busybox:1.36
    command: ["sleep", "infinity"]
    env:
    - name: GREETING
      valueFrom:
        configMapKeyRef: {name: web-config, key: greeting}
---
apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  nodeSelector: {disk: none-such}
  containers:
  - name: box
    image: busybox:1.36
---
apiVersion: v1
kind: Pod
metadata:
  name: pulling
spec:
  containers:
  - name: box
    image: kubeplay/missing
---
apiVersion: v1
kind: Pod
metadata:
  name: done
spec:
  restartPolicy: Never
  containers:
  - name: box
    image: kubeplay/exit:code-0
`;

function ok(r: RunResult, what: string): string {
  assert.equal(r.killed, false, `${what}: timed out\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

for (const k of kubectls()) {
  describe(`kubectl exec with kubectl ${k.label}`, function () {
    this.timeout(90_000);
    let srv: RunningServer;
    let dir: string;
    const kc = (args: string[], stdin?: string) => run(k.path, args, { kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir, stdin });
    const okc = async (args: string[], stdin?: string) => ok(await kc(args, stdin), `kubectl ${args.join(' ')}`);

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-exec-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 11 });
      fs.writeFileSync(path.join(dir, 'app.yaml'), multi(2));
      fs.writeFileSync(path.join(dir, 'client.yaml'), CLIENT);
      await okc(['apply', '-f', 'app.yaml', '-f', 'client.yaml']);
      await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']);
      await okc(['wait', '--for=condition=Ready', 'pod/client', '--timeout=60s']);
      // Names resolve once CoreDNS is up, as on a fresh cluster.
      await okc(['rollout', 'status', 'deployment/coredns', '-n', 'kube-system', '--timeout=60s']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('finds no shell and no tar in the pause image, as the Debug Running Pods task shows', async () => {
      await okc(['run', 'ephemeral-demo', '--image=registry.k8s.io/pause:3.1', '--restart=Never']);
      await okc(['wait', '--for=condition=Ready', 'pod/ephemeral-demo', '--timeout=60s']);
      const sh = await kc(['exec', 'ephemeral-demo', '--', 'sh']);
      assert.notEqual(sh.code, 0);
      assert.match(sh.stderr, /OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in \$PATH: unknown/);
      fs.writeFileSync(path.join(dir, 'f.txt'), 'hello\n');
      const cp = await kc(['cp', 'f.txt', 'ephemeral-demo:/tmp/f.txt']);
      assert.notEqual(cp.code, 0, `kubectl cp needs tar in the image: ${cp.stdout}${cp.stderr}`);
      await okc(['delete', 'pod', 'ephemeral-demo', '--wait=false']);
    });

    it('runs hostname and env in the container', async () => {
      assert.equal(await okc(['exec', 'client', '--', 'hostname']), 'client\n');
      const env = await okc(['exec', 'client', '--', 'env']);
      assert.match(env, /^GREETING=hello$/m);
      assert.match(env, /^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
      const svcIP = (await okc(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
      assert.match(env, new RegExp(`^WEB_SERVICE_HOST=${svcIP.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(env, new RegExp(`^WEB_PORT=tcp://${svcIP.replace(/\./g, '\\.')}:80$`, 'm'));
    });

    it('resolves a Service through the pod search path', async () => {
      const svcIP = (await okc(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim();
      // busybox 1.36 asks a bare name in every search domain: the first answers, the other two fail (status 1).
      const bare = await kc(['exec', 'client', '--', 'nslookup', 'web']);
      assert.equal(bare.code, 1);
      assert.match(bare.stdout, /^Server:\t+10\.96\.0\.10$/m);
      assert.match(bare.stdout, /^Name:\tweb\.default\.svc\.cluster\.local$/m);
      assert.match(bare.stdout, new RegExp(`^Address: ${svcIP.replace(/\./g, '\\.')}$`, 'm'));
      assert.match(bare.stdout, /^\*\* server can't find web\.cluster\.local: NXDOMAIN$/m);
      const out = await okc(['exec', 'client', '--', 'nslookup', 'web.default.svc.cluster.local']);
      assert.match(out, /^Name:\tweb\.default\.svc\.cluster\.local$/m);
      const resolv = await okc(['exec', 'client', '--', 'cat', '/etc/resolv.conf']);
      assert.equal(resolv, 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
      const missing = await kc(['exec', 'client', '--', 'nslookup', 'nothere']);
      assert.equal(missing.code, 1);
      assert.match(missing.stdout, /server can't find nothere\.default\.svc\.cluster\.local: NXDOMAIN/);
    });

    it('reaches the Service backends round-robin through kube-proxy', async () => {
      const pods = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.podIP}{"\\n"}{end}'])).trim().split('\n').map((l) => l.split(' '));
      assert.equal(pods.length, 2);
      for (let i = 0; i < 2; i++) {
        const out = await okc(['exec', 'client', '--', 'wget', '-qO-', `http://web/?try=${i}`]);
        assert.match(out, /<title>Welcome to nginx!<\/title>/);
      }
      // Each nginx pod's access log (its stdout) has one of the two requests, from the client pod.
      const clientIP = (await okc(['get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}'])).trim();
      const tries = await Promise.all(pods.map(async ([n]) => (await okc(['logs', n])).split('\n').filter((l) => l.includes('GET /?try=')).map((l) => l.split(' ')[0] + ' ' + /try=\d/.exec(l)![0])));
      assert.deepEqual(tries.map((t) => t.length), [1, 1], `two requests land on the two endpoints in turn: ${JSON.stringify(tries)}`);
      assert.deepEqual(tries.flat().sort(), [`${clientIP} try=0`, `${clientIP} try=1`]);
      const viaDeploy = (await okc(['exec', 'deploy/web', '--', 'hostname'])).trim();
      assert.ok(pods.some(([n]) => n === viaDeploy), `exec deploy/web ran in ${viaDeploy}`);
      const svc = (await okc(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).trim().replace(/\./g, '\\.');
      const refused = await kc(['exec', 'client', '--', 'wget', '-qO-', 'http://web:8080']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`wget: can't connect to remote host \\(${svc}\\): Connection refused`));
      // The classic mistake: a Service whose targetPort the image does not serve (nginx listens on 80).
      await okc(['create', 'service', 'clusterip', 'web-wrong', '--tcp=80:8080']);
      await okc(['patch', 'service', 'web-wrong', '-p', '{"spec":{"selector":{"app":"web"}}}']);
      const wrongIP = (await okc(['get', 'service', 'web-wrong', '-o', 'jsonpath={.spec.clusterIP}'])).trim().replace(/\./g, '\\.');
      const wrong = await kc(['exec', 'client', '--', 'wget', '-qO-', 'http://web-wrong']);
      assert.equal(wrong.code, 1);
      assert.match(wrong.stderr, new RegExp(`wget: can't connect to remote host \\(${wrongIP}\\): Connection refused`));
      // busybox has no curl: the runtime cannot start it, and kubectl says so.
      const curl = await kc(['exec', 'client', '--', 'curl', '-sS', 'http://web-wrong']);
      assert.equal(curl.code, 1);
      assert.match(curl.stderr, /exec: "curl": executable file not found in \$PATH/);
    });

    it('runs a loop through the Service and counts which pods served, as the shell tutorials do', async () => {
      // traefik/whoami answers with the name of the pod that served, which is what such loops count.
      await okc(['create', 'deployment', 'who', '--image=traefik/whoami', '--replicas=2']);
      await okc(['expose', 'deployment', 'who', '--port=80']);
      await okc(['rollout', 'status', 'deployment/who', '--timeout=60s']);
      const pods = (await okc(['get', 'pods', '-l', 'app=who', '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(' ');
      const out = await okc(['exec', 'client', '--', 'sh', '-c', 'for i in $(seq 1 4); do wget -qO- http://who | grep Hostname; done | sort | uniq -c']);
      assert.deepEqual(out.split('\n').filter(Boolean).map((l) => l.trim()).sort(), pods.map((p) => `2 Hostname: ${p}`).sort());
      // `ping` of the Service gets nothing back: its ClusterIP is no host's.
      const ping = await kc(['exec', 'client', '--', 'ping', '-c', '1', 'web']);
      assert.equal(ping.code, 1);
      assert.match(ping.stdout, /^1 packets transmitted, 0 packets received, 100% packet loss$/m);
      // An unfinished loop fed on stdin is a syntax error, in ash's words.
      const broken = await kc(['exec', '-i', 'client', '--', 'sh'], 'for i in 1 2; do echo $i\n');
      assert.match(broken.stderr, /sh: syntax error: unexpected end of file \(expecting "done"\)/);
    });

    it('restarts nginx\'s container when its PID 1 is told to stop (kill 1), and not busybox\'s sleep, which ignores it', async () => {
      await okc(['run', 'killme', '--image=nginx:1.27']);
      await okc(['wait', '--for=condition=Ready', 'pod/killme', '--timeout=60s']);
      // The Debian image has no procps: neither ps nor /usr/bin/kill can be exec'd; dash's kill builtin runs.
      assert.match((await kc(['exec', 'killme', '--', 'ps'])).stderr, /exec: "ps": executable file not found in \$PATH: unknown/);
      assert.match((await kc(['exec', 'killme', '--', 'kill', '1'])).stderr, /exec: "kill": executable file not found in \$PATH: unknown/);
      assert.equal(await okc(['exec', 'killme', '--', 'sh', '-c', 'kill 1']), '');
      let restarts = '';
      for (let i = 0; i < 100 && restarts !== '1 0 Completed'; i++) {
        restarts = (await okc(['get', 'pod', 'killme', '-o', 'jsonpath={.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.exitCode} {.status.containerStatuses[0].lastState.terminated.reason}'])).trim();
        if (restarts !== '1 0 Completed') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(restarts, '1 0 Completed', 'a fast shutdown exits 0; restartPolicy Always starts it again');
      assert.match(await okc(['get', 'pod', 'killme']), /^killme\s+1\/1\s+Running\s+1 \(\d+s ago\)/m);
      // The client's sleep is PID 1 of its own namespace and has no handler: TERM and KILL from inside do nothing.
      assert.equal(await okc(['exec', 'client', '--', 'kill', '-9', '1']), '');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await okc(['get', 'pod', 'client', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).trim(), '0');
      await okc(['delete', 'pod', 'killme', '--wait=false']);
    });

    it('passes a non-zero exit code through', async () => {
      const r = await kc(['exec', 'client', '--', 'sh', '-c', 'exit 3']);
      assert.equal(r.code, 3);
      assert.match(r.stderr, /command terminated with exit code 3/);
      // A command the image lacks, run directly: no shell answers, the runtime cannot start it (as on a kind node).
      const nf = await kc(['exec', 'client', '--', 'frobnicate']);
      assert.equal(nf.code, 1);
      assert.match(nf.stderr, /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "frobnicate": executable file not found in \$PATH: unknown\n$/);
      const byPath = await kc(['exec', 'client', '--', '/opt/frobnicate']);
      assert.match(byPath.stderr, /exec: "\/opt\/frobnicate": stat \/opt\/frobnicate: no such file or directory: unknown/);
      // A shell builtin is no program either: `cd` run directly cannot start.
      const cd = await kc(['exec', 'client', '--', 'cd', '/tmp']);
      assert.match(cd.stderr, /exec: "cd": executable file not found in \$PATH: unknown/);
      // Through a shell it is the shell that says so.
      const viaShell = await kc(['exec', 'client', '--', 'sh', '-c', 'frobnicate']);
      assert.equal(viaShell.code, 127);
      assert.match(viaShell.stderr, /sh: frobnicate: not found/);
    });

    it('runs a command given by path, as busybox does', async () => {
      assert.equal(await okc(['exec', 'client', '--', '/bin/sh', '-c', 'echo hi']), 'hi\n');
      assert.equal(await okc(['exec', '-i', 'client', '--', '/bin/cat'], 'hi\n'), 'hi\n');
    });

    it('pipes stdin to the command', async () => {
      assert.equal(await okc(['exec', '-i', 'client', '--', 'cat'], 'hi\n'), 'hi\n');
      assert.equal(await okc(['exec', '-i', 'client', '--', 'sh'], 'echo one\nhostname\n'), 'one\nclient\n');
    });

    it('opens an interactive shell with -it (under a pseudo-terminal from script(1))', async function () {
      if (!fs.existsSync('/usr/bin/script')) this.skip();
      const r = await run('/usr/bin/script', ['-qec', `${k.path} exec -it client -- sh`, '/dev/null'], {
        kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir, stdin: 'hostname\recho $GREETING\rexit 5\r',
      });
      assert.equal(r.killed, false, r.stdout);
      // Keystrokes typed before kubectl makes the terminal raw are echoed by the pty as well, so only the answers are pinned.
      assert.match(r.stdout, /\/ # hostname\r\nclient\r\n\/ # echo \$GREETING\r\nhello\r\n\/ # exit 5\r\n/);
      assert.match(r.stdout, /command terminated with exit code 5/);
    });

    it('opens dash in the nginx image: its `# ` prompt, `sh: 1: ps: not found`, bash beside it', async function () {
      if (!fs.existsSync('/usr/bin/script')) this.skip();
      await okc(['run', 'dashweb', '--image=nginx:1.27']);
      await okc(['wait', '--for=condition=Ready', 'pod/dashweb', '--timeout=60s']);
      const r = await run('/usr/bin/script', ['-qec', `${k.path} exec -it dashweb -- sh`, '/dev/null'], {
        kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir, stdin: 'ps\recho $?\rexit\r',
      });
      assert.equal(r.killed, false, r.stdout);
      assert.match(r.stdout, /# ps\r\nsh: 1: ps: not found\r\n# echo \$\?\r\n127\r\n# exit\r\n/);
      const viaBash = await kc(['exec', 'dashweb', '--', 'bash', '-c', 'ping -c1 web']);
      assert.deepEqual([viaBash.code, viaBash.stderr.split('\n')[0]], [127, 'bash: line 1: ping: command not found']);
      // busybox has no bash: runc cannot start it (it used to open a shell all the same).
      assert.match((await kc(['exec', 'client', '--', 'bash'])).stderr, /exec: "bash": executable file not found in \$PATH: unknown/);
      await okc(['delete', 'pod', 'dashweb', '--wait=false']);
    });

    it('starts bash inside nginx\'s sh: bash\'s prompt, and each `exit` returns to the shell before it', async function () {
      if (!fs.existsSync('/usr/bin/script')) this.skip();
      await okc(['run', 'nestweb', '--image=nginx:1.27']);
      await okc(['wait', '--for=condition=Ready', 'pod/nestweb', '--timeout=60s']);
      const r = await run('/usr/bin/script', ['-qec', `${k.path} exec -it nestweb -- sh`, '/dev/null'], {
        kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir, stdin: 'bash\recho $0\rexit\recho $0\rexit\r',
      });
      assert.equal(r.killed, false, r.stdout);
      // dash's `# `, bash's Debian prompt, bash's `exit` as it leaves, dash's prompt again, and the session's end.
      assert.match(r.stdout, /# bash\r\nroot@nestweb:\/# echo \$0\r\nbash\r\nroot@nestweb:\/# exit\r\nexit\r\n# echo \$0\r\nsh\r\n# exit\r\n/);
      assert.equal(r.code, 0, r.stdout);
      await okc(['delete', 'pod', 'nestweb', '--wait=false']);
    });

    it('keeps a command\'s output and errors in the order they were written, on a terminal and through 2>&1', async function () {
      if (!fs.existsSync('/usr/bin/script')) this.skip();
      const script = 'echo one; ls /nope; echo two';
      const tty = await run('/usr/bin/script', ['-qec', `${k.path} exec -it client -- sh -c '${script}'`, '/dev/null'], { kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir });
      assert.match(tty.stdout, /one\r\nls: \/nope: No such file or directory\r\ntwo\r\n/);
      const piped = await run('/bin/sh', ['-c', `${k.path} exec client -- sh -c '${script}' 2>&1`], { kubeconfig: srv.kubeconfigPath, timeoutMs: 30_000, cwd: dir });
      assert.equal(piped.stdout, 'one\nls: /nope: No such file or directory\ntwo\n');
    });

    it('attaches kubectl run -i to the container\'s shell: the session is the container, its exit ends the pod, --rm deletes it', async () => {
      const r = await kc(['run', 'attached', '--image=busybox:1.36', '-i', '--rm', '--restart=Never', '--', 'sh'], 'hostname\necho $((6*7))\nexit 3\n');
      assert.equal(r.killed, false, r.stderr);
      assert.equal(r.stdout.split('\n').filter((l) => l && !l.startsWith('pod ')).join('\n'), 'attached\n42');
      assert.match(r.stdout + r.stderr, /pod "attached" deleted/);
      assert.equal(r.code, 3, `kubectl returns the container's exit code: ${r.stderr}`);
      // A container whose process is not a shell has nothing to attach to: kubectl shows its log, the script's output
      // (the lookup is over at once, so kubectl finds the pod finished and prints the log without trying to attach).
      const logs = await kc(['run', 'lookup', '--image=busybox:1.36', '-i', '--rm', '--restart=Never', '--', 'nslookup', 'web.default.svc.cluster.local']);
      assert.match(logs.stdout, /^Name:\tweb\.default\.svc\.cluster\.local$/m);
      assert.equal(logs.code, 0);
    });

    it('kubectl debug adds an ephemeral container: it shares the pod, leaves its phase and READY alone, and may only be added', async () => {
      const r = await kc(['debug', '-i', 'client', '--image=busybox:1.36', '--target=box', '--container=dbg', '--', 'sh'], 'hostname\necho $GREETING\nps\nexit 4\n');
      assert.equal(r.killed, false, r.stderr);
      // The ephemeral container is in the pod's network namespace: the pod's hostname. Its env is its own (none).
      const out = r.stdout.split('\n').filter((l) => l && !/^(Targeting|Defaulting|If you don't see)/.test(l));
      assert.equal(out[0], 'client');
      // --target puts it in box's PID namespace: box's sleep is PID 1, then the debug container's sh and its ps.
      assert.equal(out[1], 'PID   USER     TIME  COMMAND');
      assert.equal(out[2], '    1 root      0:00 sleep infinity');
      assert.match(out[3], /^ +(\d+) root      0:00 sh$/);
      assert.equal(Number(out[4].trim().split(' ')[0]), Number(out[3].trim().split(' ')[0]) + 1, 'ps is forked by that sh');
      assert.match(out[4], /^ +\d+ root      0:00 ps$/);
      assert.equal(out.length, 5, out.join('\n'));
      const status = await okc(['get', 'pod', 'client', '-o', 'jsonpath={.status.phase} {.status.ephemeralContainerStatuses[0].name} {.status.ephemeralContainerStatuses[0].state.terminated.exitCode} {.status.ephemeralContainerStatuses[0].ready}']);
      assert.equal(status, 'Running dbg 4 false');
      assert.match(await okc(['get', 'pod', 'client']), /^client\s+1\/1\s+Running\s+0/m);
      assert.match(await okc(['describe', 'pod', 'client']), /Ephemeral Containers:\n\s+dbg:/);
      // Its log is served like any container's (validateContainerLogStatus looks at ephemeral statuses too).
      const logs = await kc(['logs', 'client', '-c', 'dbg']);
      assert.equal(logs.code, 0, logs.stderr);
      // Ephemeral containers can only be added through the subresource: removing one, or adding one with ports, is refused.
      const pod = JSON.parse(await okc(['get', 'pod', 'client', '-o', 'json']));
      const put = (spec: any) => kc(['replace', '--raw', '/api/v1/namespaces/default/pods/client/ephemeralcontainers', '-f', '-'], JSON.stringify({ ...pod, spec }));
      const removed = await put({ ...pod.spec, ephemeralContainers: [] });
      assert.equal(removed.code, 1);
      assert.match(removed.stderr, /The Pod "client" is invalid: spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed/);
      const ports = await put({ ...pod.spec, ephemeralContainers: [...pod.spec.ephemeralContainers, { name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] });
      assert.equal(ports.code, 1);
      assert.match(ports.stderr, /spec\.ephemeralContainers\[1\]\.ports: Forbidden: cannot be set for an Ephemeral Container/);
    });

    it('refuses as upstream does: a missing pod, an unscheduled pod, an unknown container', async () => {
      const missing = await kc(['exec', 'nope', '--', 'hostname']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /Error from server \(NotFound\): pods "nope" not found/);
      const stuck = await kc(['exec', 'stuck', '--', 'hostname']);
      assert.equal(stuck.code, 1);
      assert.match(stuck.stderr, /pod stuck does not have a host assigned/);
      const bad = await kc(['exec', 'client', '-c', 'other', '--', 'hostname']);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /Error from server \(BadRequest\): container other is not valid for pod client/);
      const pulling = await kc(['exec', 'pulling', '--', 'hostname']);
      assert.equal(pulling.code, 1);
      assert.match(pulling.stderr, /unable to upgrade connection: container not found \("box"\)/);
      await okc(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/done', '--timeout=60s']);
      const done = await kc(['exec', 'done', '--', 'hostname']);
      assert.equal(done.code, 1);
      assert.match(done.stderr, /cannot exec into a container in a completed pod; current phase is Succeeded/);
    });
  });
}
