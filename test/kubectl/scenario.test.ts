/**
 * The scripted kubectl scenario of issue 4, run with every real kubectl we
 * have (the one on PATH and 1.35), each against its own fresh playground
 * served with a sped-up clock. Steps build on each other, in order.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { API, INVALID, multi } from './manifests';
import { run, type RunResult } from './run';

function ok(r: RunResult, what: string): string {
  assert.equal(r.killed, false, `${what}: timed out\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.equal(r.code, 0, `${what}: exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const k of kubectls()) {
  describe(`kubectl scenario with kubectl ${k.label}`, function () {
    this.timeout(90_000);
    let srv: RunningServer;
    let dir: string;
    const kc = (args: string[], timeoutMs = 60_000) => run(k.path, args, { kubeconfig: srv.kubeconfigPath, timeoutMs, cwd: dir });
    const okc = async (args: string[], timeoutMs?: number) => ok(await kc(args, timeoutMs), `kubectl ${args.join(' ')}`);
    const file = (name: string, text: string) => {
      fs.writeFileSync(path.join(dir, name), text);
      return name;
    };
    let node = '';

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-kubectl-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 7 });
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('applies a multi-document file client-side, then reports unchanged and configured', async () => {
      file('app.yaml', multi(2));
      const created = await okc(['apply', '-f', 'app.yaml']);
      assert.equal(created, 'deployment.apps/web created\nservice/web created\nconfigmap/web-config created\n');
      const again = await okc(['apply', '-f', 'app.yaml']);
      assert.equal(again, 'deployment.apps/web unchanged\nservice/web unchanged\nconfigmap/web-config unchanged\n');
      file('app.yaml', multi(3));
      const configured = await okc(['apply', '-f', 'app.yaml']);
      assert.equal(configured, 'deployment.apps/web configured\nservice/web unchanged\nconfigmap/web-config unchanged\n');
    });

    it('applies server-side, refuses a conflicting manager and takes over with --force-conflicts', async () => {
      file('api.yaml', API(1));
      assert.equal(await okc(['apply', '--server-side', '-f', 'api.yaml']), 'deployment.apps/api serverside-applied\n');
      assert.equal(await okc(['apply', '--server-side', '-f', 'api.yaml']), 'deployment.apps/api serverside-applied\n');
      file('api2.yaml', API(2));
      const conflict = await kc(['apply', '--server-side', '--field-manager=other', '-f', 'api2.yaml']);
      assert.notEqual(conflict.code, 0);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl"[^:]*: \.spec\.replicas/);
      assert.equal(await okc(['apply', '--server-side', '--field-manager=other', '--force-conflicts', '-f', 'api2.yaml']), 'deployment.apps/api serverside-applied\n');
      assert.equal(await okc(['get', 'deployment', 'api', '-o', 'jsonpath={.spec.replicas}']), '2');
    });

    it('dry-runs on the server without changing anything, and diffs against the live object', async () => {
      file('app5.yaml', multi(5));
      const dry = await okc(['apply', '-f', 'app5.yaml', '--dry-run=server']);
      assert.match(dry, /^deployment\.apps\/web configured \(server dry run\)$/m);
      assert.equal(await okc(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '3');
      const diff = await kc(['diff', '-f', 'app5.yaml']);
      assert.equal(diff.code, 1, `diff exits 1 when there are differences: ${diff.stderr}`);
      assert.match(diff.stdout, /^-  replicas: 3$/m);
      assert.match(diff.stdout, /^\+  replicas: 5$/m);
      const same = await kc(['diff', '-f', 'app.yaml']);
      assert.equal(same.code, 0, `no differences: ${same.stdout}${same.stderr}`);
    });

    it('waits for the rollout: rollout status and wait --for=condition=Available', async () => {
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /deployment "web" successfully rolled out/);
      assert.equal(await okc(['wait', '--for=condition=Available', 'deployment/web', '--timeout=60s']), 'deployment.apps/web condition met\n');
    });

    it('gets with -o wide, -l, -A, -o yaml and -o jsonpath', async () => {
      const wide = await okc(['get', 'pods', '-o', 'wide', '-l', 'app=web']);
      const lines = wide.trim().split('\n');
      assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
      assert.equal(lines.length, 4, wide);
      for (const l of lines.slice(1)) assert.match(l, /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+\s+\d+\.\d+\.\d+\.\d+\s+\S+\s+<none>\s+<none>$/);
      const all = await okc(['get', 'pods', '-A']);
      assert.match(all.split('\n')[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      assert.match(all, /^default\s+web-/m);
      const deploys = await okc(['get', 'deployments']);
      assert.match(deploys, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
      assert.match(deploys, /^web\s+3\/3\s+3\s+3\s+\S+$/m);
      const svc = await okc(['get', 'svc', 'web']);
      assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
      assert.match(svc, /^web\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+$/m);
      const yaml = await okc(['get', 'deployment', 'web', '-o', 'yaml']);
      assert.match(yaml, /^kind: Deployment$/m);
      assert.match(yaml, /^  name: web$/m);
      assert.match(yaml, /^  readyReplicas: 3$/m);
      assert.equal(await okc(['get', 'deployment', 'web', '-o', 'jsonpath={.status.availableReplicas}']), '3');
      const nodes = await okc(['get', 'nodes']);
      assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/m);
      assert.match(nodes, /^kubeplay-control-plane\s+Ready\s+control-plane\s/m);
      // A worker, where the user's pods run (the control-plane node keeps its static pods and kube-proxy through a drain).
      node = (await okc(['get', 'nodes', '-o', 'jsonpath={.items[1].metadata.name}'])).trim();
      assert.ok(node);
    });

    it('streams changes with get -w', async () => {
      let sawFirstRow: () => void = () => undefined;
      const firstRow = new Promise<void>((r) => (sawFirstRow = r));
      const watching = run(k.path, ['get', 'deployment', 'web', '-w'], {
        kubeconfig: srv.kubeconfigPath, cwd: dir, timeoutMs: 30_000,
        until: (out) => {
          // Complete lines only: output can arrive mid-row, and a cut row is not a row.
          const lines = out.split('\n').slice(0, -1);
          if (lines.length >= 2) sawFirstRow();
          return lines.length >= 4;
        },
      });
      await Promise.race([firstRow, watching]);
      await okc(['scale', 'deployment/web', '--replicas=4']);
      const w = await watching;
      assert.equal(w.killed, false, `get -w printed the changes before its timeout:\n${w.stdout}\n${w.stderr}`);
      assert.equal(w.stopped, true, 'get -w was still watching');
      const lines = w.stdout.split('\n').slice(0, -1);
      assert.match(lines[0], /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
      assert.match(lines[1], /^web\s+3\/3\s+3\s+3\s+\S+$/);
      assert.ok(lines.slice(1).every((l) => /^web\s+\d\/4?/.test(l) || l.startsWith('web ')), w.stdout);
      assert.ok(lines.slice(2).some((l) => /^web\s+\d\/4\s/.test(l)), `a row shows the new desired count:\n${w.stdout}`);
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
    });

    it('describes a pod, a deployment, a service and a node', async () => {
      const pod = (await okc(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      const dp = await okc(['describe', 'pod', pod]);
      assert.match(dp, new RegExp(`^Name:\\s+${pod}$`, 'm'));
      assert.match(dp, /^Status:\s+Running$/m);
      assert.match(dp, /^Controlled By:\s+ReplicaSet\/web-/m);
      assert.match(dp, /Normal\s+Scheduled\s+.*Successfully assigned default\//);
      const dd = await okc(['describe', 'deployment', 'web']);
      assert.match(dd, /^Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable$/m);
      assert.match(dd, /^NewReplicaSet:\s+web-[a-z0-9]+ \(4\/4 replicas created\)$/m);
      assert.match(dd, /ScalingReplicaSet/);
      const ds = await okc(['describe', 'service', 'web']);
      assert.match(ds, /^Selector:\s+app=web$/m);
      assert.match(ds, /^Type:\s+ClusterIP$/m);
      assert.match(ds, /^Endpoints:\s+\d+\.\d+\.\d+\.\d+:80/m);
      const dn = await okc(['describe', 'node', node]);
      assert.match(dn, new RegExp(`^Name:\\s+${node}$`, 'm'));
      assert.match(dn, /^\s+Ready\s+True\s/m);
      assert.match(dn, /^Non-terminated Pods:/m);
    });

    it('explains deployment.spec.strategy from the served OpenAPI', async () => {
      const e = await okc(['explain', 'deployment.spec.strategy']);
      assert.match(e, /^GROUP:\s+apps$/m);
      assert.match(e, /^FIELD: strategy <DeploymentStrategy>$/m);
      assert.match(e, /^\s+rollingUpdate\t<RollingUpdateDeployment>$/m);
      assert.match(e, /enum: Recreate, RollingUpdate/);
      // apiVersion and kind read as upstream's TypeMeta fields, not as one-value enums.
      const pods = await okc(['explain', 'pods']);
      assert.match(pods, /^\s+apiVersion\t<string>\n\s+APIVersion defines the versioned schema of this representation of an object\./m);
      assert.match(pods, /^\s+kind\t<string>\n\s+Kind is a string value representing the REST resource this object\s+represents\./m);
      assert.doesNotMatch(pods, /enum: v1|<no description>/);
    });

    it('rolls out: set image, history, undo, restart, scale', async () => {
      assert.equal(await okc(['set', 'image', 'deployment/web', 'nginx=nginx:1.26']), 'deployment.apps/web image updated\n');
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
      const history = await okc(['rollout', 'history', 'deployment/web']);
      assert.match(history, /^REVISION\s+CHANGE-CAUSE$/m);
      assert.match(history, /^1\s+<none>$/m);
      assert.match(history, /^2\s+<none>$/m);
      assert.equal(await okc(['rollout', 'undo', 'deployment/web']), 'deployment.apps/web rolled back\n');
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
      assert.equal(await okc(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.25');
      assert.equal(await okc(['rollout', 'restart', 'deployment/web']), 'deployment.apps/web restarted\n');
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
      assert.equal(await okc(['scale', 'deployment/web', '--replicas=2']), 'deployment.apps/web scaled\n');
      assert.match(await okc(['rollout', 'status', 'deployment/web', '--timeout=60s']), /successfully rolled out/);
      assert.equal(await okc(['get', 'deployment', 'web', '-o', 'jsonpath={.status.replicas}']), '2');
    });

    it('prints container logs, and follows them with logs -f', async () => {
      assert.match(await okc(['rollout', 'status', 'deployment/api', '--timeout=60s']), /successfully rolled out/);
      const logs = await okc(['logs', 'deployment/api']);
      assert.ok(logs.trim().length > 0, 'the simulated container wrote something');
      const pod = (await okc(['get', 'pods', '-l', 'app=api', '-o', 'jsonpath={.items[0].metadata.name}'])).trim();
      // Stop following once the history arrived: it was still following, since we had to stop it.
      const f = await run(k.path, ['logs', '-f', pod], { kubeconfig: srv.kubeconfigPath, cwd: dir, timeoutMs: 30_000, until: (out) => out.includes('\n') });
      assert.equal(f.killed, false, `logs -f printed before its deadline: ${f.stderr}`);
      assert.equal(f.stopped, true, 'logs -f was still following when stopped');
      assert.ok(f.stdout.trim().length > 0);
    });

    it('logs -f ends with the instance it follows, and does not follow a container that is not running', async () => {
      // Whenever logs -f starts (the first instance running, a later one, or none in the back-off between), it prints
      // one instance's lines and ends with it, where it used to follow every restart until killed.
      await okc(['run', 'ender', '--image=busybox:1.36', '--', 'sh', '-c', 'echo start; sleep 2; echo end; exit 2']);
      await okc(['wait', '--for=condition=Ready', 'pod/ender', '--timeout=60s']);
      const f = await run(k.path, ['logs', '-f', 'ender'], { kubeconfig: srv.kubeconfigPath, cwd: dir, timeoutMs: 30_000 });
      assert.equal(f.killed, false, `logs -f ended on its own when the container exited: ${f.stdout}${f.stderr}`);
      assert.equal(f.stdout, 'start\nend\n');
      // An init container that finished long ago is not followed.
      const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: inited}\nspec:\n  initContainers: [{name: init, image: busybox:1.36, command: [sh, -c, echo init done]}]\n  containers: [{name: app, image: busybox:1.36, command: [sleep, "3600"]}]\n';
      fs.writeFileSync(path.join(dir, 'inited.yaml'), pod);
      await okc(['apply', '-f', path.join(dir, 'inited.yaml')]);
      await okc(['wait', '--for=condition=Ready', 'pod/inited', '--timeout=60s']);
      const init = await run(k.path, ['logs', '-f', 'inited', '-c', 'init'], { kubeconfig: srv.kubeconfigPath, cwd: dir, timeoutMs: 10_000 });
      assert.deepEqual([init.killed, init.stdout], [false, 'init done\n']);
      await okc(['delete', 'pod', 'ender', 'inited', '--wait=false']);
    });

    it('shows a crash-looping script\'s last words with logs --previous', async () => {
      await okc(['run', 'crasher', '--image=busybox:1.36', '--', 'sh', '-c', 'echo "connecting to db"; sleep 1; echo "db unreachable" >&2; exit 3']);
      await okc(['wait', '--for=jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}=3', 'pod/crasher', '--timeout=60s']);
      const prev = await okc(['logs', 'crasher', '--previous']);
      assert.equal(prev, 'connecting to db\ndb unreachable\n');
      // --timestamps: each line with the time it was written (RFC3339Nano); --since: only lines newer than that.
      const stamped = await okc(['logs', 'crasher', '--previous', '--timestamps']);
      assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z connecting to db$/m);
      const lines = stamped.trim().split('\n').map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
      assert.ok(lines.every((t, i) => i === 0 || t >= lines[i - 1]), `in order: ${stamped}`);
      assert.ok(lines[lines.length - 1] - lines[0] >= 1000, 'the script slept a second between its lines');
      // --since-time on a pod that ran once (a crash loop's previous instance can change between two calls).
      await okc(['run', 'once', '--image=busybox:1.36', '--restart=Never', '--', 'sh', '-c', 'echo first; sleep 1; echo second']);
      await okc(['wait', '--for=jsonpath={.status.phase}=Succeeded', 'pod/once', '--timeout=60s']);
      const all = await okc(['logs', 'once', '--timestamps']);
      const second = /^(\S+) second$/m.exec(all)![1];
      const since = await okc(['logs', 'once', `--since-time=${second.replace(/\.\d+Z$/, 'Z')}`]);
      assert.equal(since, 'second\n', `only the lines written since then: ${all}`);
      await okc(['delete', 'pod', 'once', '--wait=false']);
      await okc(['delete', 'pod', 'crasher', '--wait=false']);
    });

    it('kubectl top reads metrics.k8s.io: pods at their KUBEPLAY_CPU, nodes with their pods and the system', async () => {
      await okc(['create', 'deployment', 'busy', '--image=nginx:1.27', '--replicas=1']);
      await okc(['set', 'env', 'deployment/busy', 'KUBEPLAY_CPU=300m', 'KUBEPLAY_MEMORY=64Mi']);
      await okc(['rollout', 'status', 'deployment/busy', '--timeout=60s']);
      // metrics-server needs two scrapes (15 s apart, simulated) of a new container.
      let top = '';
      for (let i = 0; i < 100; i++) {
        const r = await kc(['top', 'pod', '-l', 'app=busy']);
        if (r.code === 0 && /busy-/.test(r.stdout)) { top = r.stdout; break; }
        await sleep(100);
      }
      assert.match(top, /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s*$/m);
      const [, cpu, mem] = /^busy-\S+\s+(\d+)m\s+(\d+)Mi/m.exec(top) ?? [];
      assert.ok(Math.abs(Number(cpu) - 300) <= 15 && Math.abs(Number(mem) - 64) <= 2, top);
      assert.match(await okc(['top', 'node']), /^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);
      const missing = await kc(['top', 'pod', 'nope']);
      assert.match(missing.stderr, /pods "nope" not found/);
      await okc(['delete', 'deployment', 'busy']);
    });

    it('autoscales: kubectl autoscale (autoscaling/v1 up to kubectl 1.32, v2 after) scales by CPU utilization from the metrics API', async () => {
      await okc(['create', 'deployment', 'hpa-demo', '--image=nginx:1.27', '--replicas=1']);
      await okc(['set', 'resources', 'deployment/hpa-demo', '--requests=cpu=200m']);
      await okc(['set', 'env', 'deployment/hpa-demo', 'KUBEPLAY_LOAD=900m']);
      await okc(['rollout', 'status', 'deployment/hpa-demo', '--timeout=60s']);
      assert.match(await okc(['autoscale', 'deployment', 'hpa-demo', '--min=2', '--max=10', '--cpu-percent=50']), /horizontalpodautoscaler.autoscaling\/hpa-demo autoscaled/);
      // Synced every 15 s of simulated time: first up to --min, then by utilization (900m over 200m requests at 50%: about 9).
      let row = '';
      for (let i = 0; i < 300; i++) {
        row = await okc(['get', 'hpa', 'hpa-demo', '--no-headers']);
        const m = /cpu: (\d+)%\/50%\s+2\s+10\s+(\d+)/.exec(row);
        if (m && Number(m[2]) >= 8 && Number(m[1]) <= 60) break;
        await sleep(100);
      }
      assert.match(row, /^hpa-demo\s+Deployment\/hpa-demo\s+cpu: \d+%\/50%\s+2\s+10\s+(8|9|10)\s+\S+\s*$/);
      const described = await okc(['describe', 'hpa', 'hpa-demo']);
      assert.match(described, /SuccessfulRescale\s+.*New size: 2; reason: Current number of replicas below Spec.MinReplicas/);
      assert.match(described, /SuccessfulRescale\s+.*reason: cpu resource utilization \(percentage of request\) above target/);
      assert.match(described, /ScalingActive\s+True\s+ValidMetricFound/);
      assert.equal(await okc(['get', 'horizontalpodautoscalers.v1.autoscaling', 'hpa-demo', '-o', 'jsonpath={.spec.targetCPUUtilizationPercentage}']), '50');
      await okc(['delete', 'hpa', 'hpa-demo']);
      await okc(['delete', 'deployment', 'hpa-demo']);
    });

    it('lists events with upstream columns', async () => {
      const ev = await okc(['get', 'events']);
      assert.match(ev.split('\n')[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
      assert.match(ev, /Normal\s+Scheduled\s+pod\/web-\S+\s+Successfully assigned default\/web-/);
      assert.match(ev, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-/);
    });

    it('cordons and drains a node, evicting its pods', async () => {
      assert.equal(await okc(['cordon', node]), `node/${node} cordoned\n`);
      assert.match(await okc(['get', 'node', node]), new RegExp(`^${node}\\s+Ready,SchedulingDisabled\\s`, 'm'));
      const drain = await okc(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=60s'], 70_000);
      assert.match(drain, new RegExp(`^node/${node} (already cordoned|cordoned)$`, 'm'));
      assert.match(drain, new RegExp(`^node/${node} drained$`, 'm'));
      const left = await okc(['get', 'pods', '-A', '--field-selector', `spec.nodeName=${node}`, '-o', 'name']);
      // --ignore-daemonsets leaves the DaemonSets' pods (kube-proxy, kindnet) where they are, as on a real node.
      assert.deepStrictEqual(left.trim().split('\n').map((l) => l.replace(/-[bcdfghjklmnpqrstvwxz2456789]{5}$/, '-*')).sort(), ['pod/kindnet-*', 'pod/kube-proxy-*'],
        'only the DaemonSets\' pods are left on the drained node');
      assert.equal(await okc(['uncordon', node]), `node/${node} uncordoned\n`);
    });

    it('deletes with --wait and with --cascade=orphan', async () => {
      const del = await okc(['delete', 'deployment', 'api', '--wait=true', '--timeout=60s']);
      assert.match(del, /^deployment\.apps "api" deleted/);
      const gone = await kc(['get', 'deployment', 'api']);
      assert.notEqual(gone.code, 0);
      assert.match(gone.stderr, /Error from server \(NotFound\): deployments\.apps "api" not found/);
      const rs = (await okc(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim();
      assert.ok(rs, 'web has replica sets');
      assert.match(await okc(['delete', 'deployment', 'web', '--cascade=orphan']), /^deployment\.apps "web" deleted/);
      await sleep(500);
      assert.equal((await okc(['get', 'rs', '-l', 'app=web', '-o', 'name'])).trim(), rs, 'orphaned replica sets stay');
      assert.match(await okc(['get', 'pods', '-l', 'app=web']), /Running/);
    });

    it('creates through kubectl\'s typed clients, which send protobuf bodies', async () => {
      assert.equal(await okc(['create', 'namespace', 'typed']), 'namespace/typed created\n');
      assert.equal(await okc(['create', 'deployment', 'hello', '-n', 'typed', '--image=nginx:1.25', '--replicas=2', '--port=80']), 'deployment.apps/hello created\n');
      assert.equal(await okc(['expose', 'deployment', 'hello', '-n', 'typed', '--port=80', '--target-port=80']), 'service/hello exposed\n');
      assert.equal(await okc(['create', 'configmap', 'cfg', '-n', 'typed', '--from-literal=mode=fast']), 'configmap/cfg created\n');
      assert.equal(await okc(['create', 'secret', 'generic', 'pw', '-n', 'typed', '--from-literal=pw=s3cret']), 'secret/pw created\n');
      assert.equal(await okc(['create', 'ingress', 'web', '-n', 'typed', '--rule=example.com/=hello:80']), 'ingress.networking.k8s.io/web created\n');
      assert.match(await okc(['rollout', 'status', 'deployment/hello', '-n', 'typed', '--timeout=60s']), /successfully rolled out/);
      assert.equal(await okc(['get', 'deployment', 'hello', '-n', 'typed', '-o', 'jsonpath={.spec.template.spec.containers[0].ports[0].containerPort}']), '80');
      assert.equal(await okc(['get', 'configmap', 'cfg', '-n', 'typed', '-o', 'jsonpath={.data.mode}']), 'fast');
      assert.equal(Buffer.from(await okc(['get', 'secret', 'pw', '-n', 'typed', '-o', 'jsonpath={.data.pw}']), 'base64').toString(), 's3cret');
      assert.equal(await okc(['get', 'ingress', 'web', '-n', 'typed', '-o', 'jsonpath={.spec.rules[0].http.paths[0].backend.service.name}']), 'hello');
      assert.equal(await okc(['get', 'service', 'hello', '-n', 'typed', '-o', 'jsonpath={.spec.selector.app}']), 'hello');
      assert.equal(await okc(['auth', 'can-i', 'create', 'pods']), 'yes\n');
      // protobuf carries the non-pointer zeros; the apiserver's JSON (omitempty) leaves them out.
      const yaml = await okc(['get', 'deployment', 'hello', '-n', 'typed', '-o', 'yaml']);
      assert.doesNotMatch(yaml, /minReadySeconds|hostPort|paused/);
      assert.match(yaml, /^ {2}replicas: 2$/m);
    });

    it('answers an extensions/v1beta1 manifest with "no matches for kind", not a schema error', async () => {
      // `command: {}` is wrong for Container.command; kubectl would report it had /openapi/v2 defined the unserved version.
      file('old.yaml', 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: old\n  namespace: default\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: nginx\n        command: {}\n');
      const r = await kc(['apply', '-f', 'old.yaml']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: resource mapping not found for name: "old" namespace: "default" from "old\.yaml": no matches for kind "Deployment" in version "extensions\/v1beta1"$/m);
    });

    it('refuses an invalid manifest with the same message as a cluster', async () => {
      file('bad.yaml', INVALID);
      const r = await kc(['apply', '-f', 'bad.yaml']);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /The Deployment "bad" is invalid: spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"other"\}: `selector` does not match template `labels`/);
    });
  });
}
