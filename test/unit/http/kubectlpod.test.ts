import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../../cli/src/serve';
import { ShellState } from '../../../cluster/src/kubelet/exec';
import { goYaml } from '../../../cluster/src/kubelet/goyaml';
import { parseKubectl } from '../../../cluster/src/kubelet/kubectlargs';

/**
 * kubectl inside pods, where the real kubectl has nothing to compare with
 * (test/kubectl/incluster.test.ts compares the rest): no token mounted, a
 * NetworkPolicy dropping its connection, its version; and go-yaml's styles.
 */
const PODS = { group: '', version: 'v1', resource: 'pods' };

describe('kubectl in a pod: in-cluster config and its failures', function () {
  this.timeout(30_000);
  let srv: RunningServer;
  let dir: string;
  const sh = (ns: string, pod: string, script: string) => new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, ns, pod), 'c')).run(script);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-kubectlpod-'));
    srv = await startServer({ stateDir: dir, nodes: 1, seed: 2 });
    srv.playground.apply(`apiVersion: v1
kind: Pod
metadata: {name: kc}
spec: {containers: [{name: c, image: bitnami/kubectl, command: [sleep, infinity]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: notoken}
spec: {automountServiceAccountToken: false, containers: [{name: c, image: registry.k8s.io/kubectl:v1.32.3, command: [sleep, infinity]}]}
---
apiVersion: v1
kind: Namespace
metadata: {name: locked}
---
apiVersion: v1
kind: Pod
metadata: {name: kc, namespace: locked}
spec: {containers: [{name: c, image: bitnami/kubectl:1.35, command: [sleep, infinity]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: locked}
spec: {podSelector: {}, policyTypes: [Egress]}
`);
    for (let i = 0; i < 60; i++) srv.playground.advance(500);
  });
  after(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints its version and the server\'s', () => {
    assert.deepEqual(sh('default', 'kc', 'kubectl version'), { stdout: 'Client Version: v1.35.2\nKustomize Version: v5.7.1\nServer Version: v1.34.1+kubeplay\n', stderr: '', code: 0 });
  });

  it('without a mounted token it is not in a cluster, and tries localhost:8080', () => {
    const r = sh('default', 'notoken', 'kubectl get pods');
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 6);
    assert.match(lines[0], /^E\d{4} \d\d:\d\d:\d\d\.\d{6} +1 memcache\.go:265\] "Unhandled Error" err="couldn't get current server API group list: Get \\"http:\/\/localhost:8080\/api\?timeout=32s\\": dial tcp \[::1\]:8080: connect: connection refused"$/);
    assert.equal(lines[5], 'The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  });

  it('times out where a NetworkPolicy drops its connection to the apiserver', () => {
    const r = sh('locked', 'kc', 'kubectl get pods');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /dial tcp 10\.96\.0\.1:443: i\/o timeout"\n/);
    assert.match(r.stderr, /\nUnable to connect to the server: dial tcp 10\.96\.0\.1:443: i\/o timeout\n$/);
  });

  it('restarts a Deployment from a CronJob, as the nightly-restart recipe does, with the account RBAC lets patch it', () => {
    srv.playground.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: restarter}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: restarter}
rules: [{apiGroups: [apps], resources: [deployments], verbs: [get, patch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: restarter}
subjects: [{kind: ServiceAccount, name: restarter, namespace: default}]
roleRef: {kind: Role, name: restarter, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: restart-web}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: restarter
          restartPolicy: Never
          containers: [{name: kubectl, image: bitnami/kubectl, command: [kubectl, rollout, restart, deployment/web]}]
`);
    const DEPLOY = { group: 'apps', version: 'v1', resource: 'deployments' };
    for (let i = 0; i < 240 && !srv.playground.api.get(DEPLOY, 'default', 'web').spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']; i++) srv.playground.advance(500);
    const web = srv.playground.api.get(DEPLOY, 'default', 'web');
    assert.match(web.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const job = (srv.playground.api.list(PODS, 'default').items as any[]).find((p) => p.metadata.name.startsWith('restart-web-'));
    assert.ok(srv.playground.logs('default', job.metadata.name).includes('deployment.apps/web restarted'));
    for (let i = 0; i < 60; i++) srv.playground.advance(500);
    const sets = srv.playground.api.list({ group: 'apps', version: 'v1', resource: 'replicasets' }, 'default').items.filter((r: any) => r.metadata.name.startsWith('web-'));
    assert.equal(sets.length, 2, 'the restart rolled out a new ReplicaSet');
  });

  it('is not in images that do not ship it', () => {
    srv.playground.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: bb}\nspec: {containers: [{name: c, image: busybox, command: [sleep, infinity]}]}\n');
    for (let i = 0; i < 20; i++) srv.playground.advance(500);
    assert.deepEqual(sh('default', 'bb', 'kubectl get pods'), { stdout: '', stderr: 'sh: kubectl: not found\n', code: 127 });
  });
});

describe('goYaml: YAML as kubectl -o yaml writes it', () => {
  it('sorts keys, leaves sequences unindented, and picks go-yaml\'s styles', () => {
    assert.equal(goYaml({ b: [1, 'on', { y: null, x: true }], a: {}, c: [], d: 'x: y', e: 'ok', f: '012', g: 'a\nb\n', h: 0.5 }),
      'a: {}\nb:\n- 1\n- "on"\n- x: true\n  "y": null\nc: []\nd: \'x: y\'\ne: ok\nf: "012"\ng: |\n  a\n  b\nh: 0.5\n');
  });
  it('folds a long plain scalar at the first space past column 80', () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(' ');
    const out = goYaml({ k: words });
    const [first, second] = out.split('\n');
    assert.ok(first.length > 80 && first.length < 90, first);
    assert.match(second, /^ {2}word\d+/);
    assert.equal(out.replace(/\n {2}/, ' '), `k: ${words}\n`);
  });
});

describe('kubectl command lines, as cobra reads them', () => {
  it('finds the verb after global flags, takes values in every spelling, and names what is not simulated', () => {
    assert.deepEqual(parseKubectl(['-n', 'x', 'get', 'pods', '-oname']).words, ['pods']);
    assert.equal(parseKubectl(['-n', 'x', 'get', 'pods']).value('-n', '--namespace'), 'x');
    assert.equal(parseKubectl(['get', 'pods', '--output=json']).value('-o', '--output'), 'json');
    assert.deepEqual(parseKubectl(['get', 'pods', '-L', 'a', '-L', 'b']).values('-L'), ['a', 'b']);
    assert.match(parseKubectl(['--kubeconfig', 'x', 'get', 'pods']).problem!, /^kubeplay: kubectl get --kubeconfig inside a pod is not simulated/);
    assert.match(parseKubectl(['rollout', 'status', 'deploy/x']).problem!, /^kubeplay: kubectl rollout status inside a pod is not simulated/);
    assert.equal(parseKubectl(['get', 'pods', '--bogus'], 32).problem, "Error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.");
    assert.equal(parseKubectl(['get', 'pods', '--bogus'], 35).problem, "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.");
    assert.equal(parseKubectl(['frob']).problem, 'Error: unknown command "frob" for "kubectl"');
  });
});
