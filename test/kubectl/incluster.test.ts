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
const DEPLOYMENTS = { group: 'apps', version: 'v1', resource: 'deployments' };

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
rules:
- {apiGroups: [apps], resources: [deployments, replicasets], verbs: [get, list]}
- {apiGroups: [""], resources: [configmaps], verbs: [get, list, delete]}
- {apiGroups: [""], resources: [pods/log], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deploy-reader, namespace: api-demo}
subjects: [{kind: ServiceAccount, name: pod-reader, namespace: api-demo}]
roleRef: {kind: Role, name: deploy-reader, apiGroup: rbac.authorization.k8s.io}
`;

/** A namespace where the pod's account may scale and restart a Deployment (its pods are listed nowhere else). */
const OPS = `apiVersion: v1
kind: Namespace
metadata: {name: api-demo2}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web2, namespace: api-demo2, labels: {app: web2}}
spec:
  replicas: 1
  selector: {matchLabels: {app: web2}}
  template:
    metadata: {labels: {app: web2}}
    spec: {containers: [{name: nginx, image: nginx:1.27}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: operator, namespace: api-demo2}
rules:
- {apiGroups: [apps], resources: [deployments], verbs: [get, list, patch]}
- {apiGroups: [apps], resources: [deployments/scale], verbs: [get, patch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: operator, namespace: api-demo2}
subjects: [{kind: ServiceAccount, name: pod-reader, namespace: api-demo}]
roleRef: {kind: Role, name: operator, apiGroup: rbac.authorization.k8s.io}
`;

/** Data go-yaml and Go's JSON order, quote, escape and fold in their own ways. */
const TRICKY = `apiVersion: v1
kind: ConfigMap
metadata: {name: tricky, namespace: api-demo, labels: {set: tricky}}
data:
  "1": one
  "2": two
  "10": ten
  file2.txt: a
  file10.txt: b
  file01.txt: c
  a-b: x
  a.b: x
  a_b: x
  a9: x
  a10: x
  aZ: x
  tab: "a\\tb"
  tabml: "a\\tb\\nc\\n"
  emoji: "\\U0001F600 smile"
  crlf: "a\\r\\nb"
  trailing: "line\\nend "
  leadingnl: "\\nabc"
  onlynl: "\\n"
  twonl: "\\n\\n"
  html: "<b>&</b>"
  float: "1234567.5"
  longdq: "yes it is a long string with a colon: and then enough words to pass the eighty column mark, surely now"
  longquoted: "  leading spaces then a long line of words that must pass the eighty column mark for folding to happen"
  script: "#!/bin/sh\\necho hello \\nexit 0\\n"
---
apiVersion: v1
kind: Pod
metadata: {name: two, namespace: api-demo}
spec: {containers: [{name: a, image: busybox, command: [sleep, infinity]}, {name: b, image: busybox, command: [sleep, infinity]}]}
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

/** The same for kubectl 1.35, whose delete says which namespace. */
const KC35 = `apiVersion: v1
kind: Pod
metadata: {name: kc35, namespace: api-demo}
spec:
  serviceAccountName: pod-reader
  containers: [{name: c, image: "bitnami/kubectl:1.35", command: [sleep, infinity]}]
`;

/** klog's headers carry the time and a process id: compared as a placeholder. */
const klog = (s: string) => s.replace(/^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, 'E<klog> ');

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
    // The example without its nightly CronJob: a run near 03:00 would restart a Deployment between the two kubectls.
    const example = fs.readFileSync(path.join(repoRoot(), 'examples/14-api-from-pod.yaml'), 'utf8');
    srv.playground.apply(example.split(/^---$/m).filter((d) => !/^kind: CronJob$/m.test(d)).join('---'));
    srv.playground.apply(EXTRA);
    srv.playground.apply(KC);
    srv.playground.apply(KC35);
    srv.playground.apply(TRICKY);
    srv.playground.apply(OPS);
    // Every pod up and ready before the comparisons start, so nothing changes between the two kubectls.
    const settled = () => ['api-demo', 'api-demo2'].every((ns) => {
      const pods = srv.playground.api.list(PODS, ns).items as any[];
      return pods.length > 0 && pods.every((p) => p.status?.phase === 'Running' && p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True'));
    });
    for (let i = 0; i < 200 && !settled(); i++) srv.playground.advance(500);
    assert.ok(settled(), 'the pods of the comparison run and are ready');
    srv.playground.advance(5000);
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

  /** kubectl in the pod whose kubectl is that minor version, with the words as the shell passes them. */
  const inPod = (args: string[], pod = 'kc') => new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, 'api-demo', pod), 'c')).exec(['kubectl', ...args], '');

  /** Each command as its words (an empty one is kept: `delete pod ""`). */
  const COMMANDS: string[][] = [
    ...[
      'get pod kc -o yaml', 'get pods -o yaml', 'get pods', 'get pods -o wide', 'get po --no-headers', 'get pods -o name', 'get pod kc -o json', 'get pods -o json',
      'get deploy', 'get deployments.apps,pods', 'get deploy/web pod/kc', 'get deploy/web', 'get pod/kc pod/two', 'get replicasets -l app=web -o name',
      'get secrets', 'get pods -A', 'get pods -n default', 'get pod nope', 'get pod nope --ignore-not-found', 'get foo', 'get services', 'get pods,svc',
      '-n api-demo get pods -o name', '--namespace=api-demo get pods -o name', 'get pods --all-namespaces=false -o name', 'get pods -napi-demo -oname',
      'get pods/', 'get ,', 'get pods,', 'get pods --bogus', 'get pods -x', 'get pods -o', 'get pods --output', 'get',
      'get cm tricky -o yaml', 'get cm tricky -o json', 'get cm -l set=tricky -o yaml', 'get pods -n kube-public -o json', 'get cm -l nothing=here -o name',
      'auth can-i list pods', 'auth can-i delete pods', 'auth can-i list deployments.apps', 'auth can-i get pods/log', 'auth can-i list pods -q',
      'auth can-i get pods kc x', 'auth can-i', 'auth can-i list pods --as system:serviceaccount:api-demo:default',
      'delete pod kc', 'delete pods/', 'delete', 'delete pods', 'delete pod kc --dry-run=client', 'delete pod kc --dry-run=server',
      'delete cm tricky --dry-run=server', 'delete cm -l set=tricky --dry-run=server', 'delete cm -l nothing=here', 'delete cm tricky --dry-run=bogus',
      'delete cm nope --ignore-not-found', 'delete cm nope', 'delete pod kc --force --dry-run=client',
      'logs kc', 'logs two', 'logs two -c b --tail=1', 'logs nope', 'logs kc --tail=-1', 'logs pod/kc',
      'get pods --show-labels', 'get pods -L app', 'get pods -L app,pod-template-hash -o wide', 'get deploy --show-labels -L app',
      'scale deploy web --replicas=2', 'scale deploy web', 'scale deploy web --replicas=x', 'scale deploy web --replicas=-1',
      '-n api-demo2 scale deploy web2 --replicas=1', '-n api-demo2 scale deploy/web2 --replicas=1', '-n api-demo2 scale deploy nope --replicas=1',
      '-n api-demo2 rollout restart deploy/web2', '-n api-demo2 rollout restart deployment web2', '-n api-demo2 rollout restart deploy nope',
      'rollout restart deploy/web', 'rollout restart pod/kc',
    ].map((c) => c.split(' ')),
    ['delete', 'pod', ''],
  ];


  /**
   * Waits, a few seconds at most, while the deployment a `rollout restart` command names was last restarted in the
   * second `clock` reads or the next one: kubectl would find its patch empty and refuse it.
   */
  const clearOfLastRestart = async (c: string[], clock: () => number) => {
    const n = c.indexOf('-n');
    const ns = n >= 0 ? c[n + 1] : 'api-demo';
    const i = c.indexOf('restart');
    const target = c[i + 1] ?? '';
    const name = target.startsWith('deploy/') ? target.slice('deploy/'.length) : /^deploy(ment)?$/.test(target) ? c[i + 2] : undefined;
    if (!name) return;
    for (let tries = 0; tries < 40; tries++) {
      let stamp: number;
      try {
        stamp = Date.parse(srv.playground.api.get(DEPLOYMENTS, ns, name).spec?.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] ?? '');
      } catch {
        return;
      }
      const second = Math.floor(clock() / 1000) * 1000;
      if (!(stamp >= second && stamp <= second + 1000)) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  for (const k of kubectls()) {
    it(`prints what kubectl ${k.label} prints`, async () => {
      const pod = /v1\.35\./.test(k.label) ? 'kc35' : 'kc';
      for (const c of COMMANDS) {
        // kubectl refuses a second restart in the same second (by the clock of whoever restarts): a restart waits
        // for the next second, so that the real and the simulated kubectl both find the last one older. The
        // simulated kubectl reads the playground's clock, which trails the machine's by up to a loop turn on a
        // loaded machine (a CI run once saw it refused after 1.1 s), so it waits two seconds after the real one.
        // The playground's clock also runs ahead of the machine's by what the set-up advanced it: a restart stamped
        // by one clock can land in the very second the other clock reads when the next one comes. Each side waits
        // until the deployment's last stamp is not its clock's second (or the next).
        const restart = c[0] === 'rollout' || c[2] === 'rollout';
        if (restart) await new Promise((r) => setTimeout(r, 1100));
        if (restart) await clearOfLastRestart(c, () => Date.now());
        const real = await run(k.path, c, { kubeconfig });
        if (restart) await new Promise((r) => setTimeout(r, 2100));
        if (restart) await clearOfLastRestart(c, () => srv.playground.clock.now());
        const mine = inPod(c, pod);
        const said = `"kubectl ${c.join(' ')}"`;
        assert.equal(ages(mine.stdout), ages(real.stdout), `stdout of ${said}`);
        assert.equal(klog(mine.stderr), klog(real.stderr), `stderr of ${said}`);
        assert.equal(mine.code, real.code, `exit code of ${said}`);
      }
    });
  }

  it('answers who it is: the pod-bound token, with the pod and node in its extras', () => {
    const r = inPod(['auth', 'whoami']);
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
