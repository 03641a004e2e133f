/**
 * kubectl inside a pod (a bitnami/kubectl container, configured in-cluster)
 * against every real kubectl we have, run outside with the same service
 * account: the same commands must print the same text, Errors from server
 * included, since both go to the same API and the pod's kubectl follows
 * kubectl's printers.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { ShellState } from '../../cluster/src/kubelet/exec';
import { kubectls } from './binaries';
import { run } from './run';
import { repoRoot } from '../unit/validate/helpers';

const PODS = { group: '', version: 'v1', resource: 'pods' };

const EXTRA = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: api-demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deploy-reader, namespace: api-demo}
rules: [{apiGroups: [apps], resources: [deployments, replicasets], verbs: [get, list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deploy-reader, namespace: api-demo}
subjects: [{kind: ServiceAccount, name: pod-reader, namespace: api-demo}]
roleRef: {kind: Role, name: deploy-reader, apiGroup: rbac.authorization.k8s.io}
`;

/** The pod kubectl runs in; its annotations are strings YAML must quote, fold or block as go-yaml does. */
const KC = `apiVersion: v1
kind: Pod
metadata:
  name: kc
  namespace: api-demo
  annotations:
    note: "a long line of words that goes on past the eighty columns go-yaml folds plain scalars at, to see where it breaks: yes, no, on, 0x1F, 1:20, ~"
    "yes": "no"
    version: "1.10"
    multi: "first line\\nsecond line"
    keep: "two\\n\\n"
    lead: " space"
    dash: "- item"
    hash: "a #comment"
    colon: "key: value"
    zh: "中文说明，一个很长的句子用来看看折行是不是按照字符来计算的，而不是按照字节来计算的 这里有空格 然后继续写下去 直到超过八十列"
    empty: ""
    date: "2026-01-02"
    sexagesimal: "1:20"
    quote: "it's"
    tilde: "~"
    float: "1e3"
    long-date: "2026-01-02 10:20:30 plus words that are long enough to pass the eighty column mark for sure"
    plain-long: "https://example.com/a/very/long/path/without/any/spaces/at/all/that/goes/past/the/eighty/column/mark"
spec:
  serviceAccountName: pod-reader
  containers: [{name: c, image: "bitnami/kubectl:1.32", command: [sleep, infinity]}]
`;

/** Ages tick between the two runs: compared as a placeholder. */
const ages = (s: string) => s.replace(/(?<=\s)(\d+m)?\d+s(?=\s|$)|(?<=\s)\d+m(?=\s|$)/g, '<age>');

describe('kubectl in a pod, against real kubectl', function () {
  this.timeout(120_000);
  let srv: RunningServer;
  let dir: string;
  let kubeconfig: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-kubectl-incluster-'));
    srv = await startServer({ stateDir: dir, nodes: 2, seed: 4 });
    srv.playground.apply(fs.readFileSync(path.join(repoRoot(), 'examples/14-api-from-pod.yaml'), 'utf8'));
    srv.playground.apply(EXTRA);
    srv.playground.apply(KC);
    for (let i = 0; i < 80 && srv.playground.api.get(PODS, 'api-demo', 'kc').status?.phase !== 'Running'; i++) srv.playground.advance(500);
    // The same service account outside: a token from the TokenRequest API, the server's CA, the pod's namespace.
    const token = srv.playground.api.create({ group: '', version: 'v1', resource: 'serviceaccounts' }, 'api-demo', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: [] } } as any, {}, 'token', 'pod-reader').object.status.token;
    kubeconfig = path.join(dir, 'sa-kubeconfig');
    fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: ${JSON.stringify(srv.url)}, certificate-authority-data: ${Buffer.from(srv.caCert).toString('base64')}}}]
users: [{name: sa, user: {token: ${JSON.stringify(token)}}}]
contexts: [{name: c, context: {cluster: c, user: sa, namespace: api-demo}}]
current-context: c
`);
  });
  after(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const inPod = (args: string) => new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, 'api-demo', 'kc'), 'c')).run(`kubectl ${args}`);

  const COMMANDS = [
    'get pod kc -o yaml', 'get pods -o yaml', 'get pods', 'get pods -o wide', 'get po --no-headers', 'get pods -o name', 'get pod kc -o json', 'get pods -o json',
    'get deploy', 'get deployments.apps,pods', 'get deploy/web pod/kc', 'get replicasets -l app=web -o name',
    'get secrets', 'get pods -A', 'get pods -n default', 'get pod nope', 'get foo', 'get services',
    'auth can-i list pods', 'auth can-i delete pods', 'auth can-i list deployments.apps', 'auth can-i get pods/log',
    'delete pod kc', 'logs kc',
  ];

  for (const k of kubectls()) {
    it(`prints what kubectl ${k.label} prints`, async () => {
      for (const c of COMMANDS) {
        const real = await run(k.path, c.split(' '), { kubeconfig });
        const mine = inPod(c);
        assert.equal(ages(mine.stdout), ages(real.stdout), `stdout of "kubectl ${c}"`);
        assert.equal(mine.stderr, real.stderr, `stderr of "kubectl ${c}"`);
        assert.equal(mine.code, real.code, `exit code of "kubectl ${c}"`);
      }
    });
  }

  it('answers who it is: the pod-bound token, with the pod and node in its extras', () => {
    const r = inPod('auth whoami');
    assert.equal(r.code, 0);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^ATTRIBUTE +VALUE$/);
    assert.match(lines[1], /^Username +system:serviceaccount:api-demo:pod-reader$/);
    assert.ok(lines.includes(lines.find((l) => /^Extra: authentication\.kubernetes\.io\/pod-name +\[kc\]$/.test(l))!));
    // One column: every value starts where VALUE does, three spaces past the longest attribute.
    const at = lines[0].indexOf('VALUE');
    assert.ok(lines.every((l) => l[at - 1] === ' ' && l[at] !== ' '), r.stdout);
    assert.equal(at, Math.max(...lines.map((l) => l.slice(0, at).trimEnd().length)) + 3);
  });

  it('runs as a container whose args are kubectl\'s, and is not there in other images', () => {
    srv.playground.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: once, namespace: api-demo}\nspec: {serviceAccountName: pod-reader, restartPolicy: Never, containers: [{name: c, image: bitnami/kubectl, args: [auth, can-i, list, secrets]}]}\n');
    for (let i = 0; i < 80 && !['Succeeded', 'Failed'].includes(srv.playground.api.get(PODS, 'api-demo', 'once').status?.phase); i++) srv.playground.advance(500);
    const pod = srv.playground.api.get(PODS, 'api-demo', 'once');
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
    assert.ok(srv.playground.logs('api-demo', 'once').includes('no'));
    const busybox = new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, 'api-demo', 'api-client'), 'curl')).run('kubectl get pods');
    assert.deepEqual(busybox, { stdout: '', stderr: 'sh: kubectl: not found\n', code: 127 });
  });
});
