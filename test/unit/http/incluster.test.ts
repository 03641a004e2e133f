import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../../cli/src/serve';
import { ShellState } from '../../../cluster/src/kubelet/exec';
import type { KObject } from '../../../cluster/src/contract';
import { repoRoot } from '../validate/helpers';
import { call } from './call';

/**
 * Pods talking to the apiserver through the kubernetes Service, as the task
 * "Accessing the Kubernetes API from a Pod" does it: the pod's own token and
 * CA, RBAC deciding for its service account, and curl's and wget's own words
 * when TLS or HTTP says no. The requests go through the HTTPS server's own
 * handlers, so what a pod gets is what kubectl would.
 */
const PODS = { group: '', version: 'v1', resource: 'pods' };
const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const TUTORIAL = `APISERVER=https://kubernetes.default.svc
SERVICEACCOUNT=${SA}
NAMESPACE=$(cat \${SERVICEACCOUNT}/namespace)
TOKEN=$(cat \${SERVICEACCOUNT}/token)
CACERT=\${SERVICEACCOUNT}/ca.crt`;

describe('pods reach the apiserver through the kubernetes Service', function () {
  this.timeout(30_000);
  let srv: RunningServer;
  let dir: string;
  let shell: (script: string) => { stdout: string; stderr: string; code: number };

  /** A Role on core `resource` with `verbs`, bound to the default namespace's default service account. */
  const grant = (role: string, resource: string, verbs: string[]) => srv.playground.apply(`apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ${role}}
rules: [{apiGroups: [""], resources: [${resource}], verbs: [${verbs.join(', ')}]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ${role}}
subjects: [{kind: ServiceAccount, name: default, namespace: default}]
roleRef: {kind: Role, name: ${role}, apiGroup: rbac.authorization.k8s.io}
`);

  const running = (name: string): KObject => {
    for (let i = 0; i < 200; i++) {
      srv.playground.advance(500);
      const p = srv.playground.api.get(PODS, 'default', name);
      if (p.status?.phase === 'Running') return p;
    }
    throw new Error(`${name} never ran`);
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-incluster-'));
    srv = await startServer({ stateDir: dir, nodes: 1, seed: 3 });
    srv.playground.apply('apiVersion: v1\nkind: Pod\nmetadata: {name: client}\nspec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}\n');
    const pod = running('client');
    shell = (script) => {
      const s = new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, 'default', 'client'), 'c'));
      return s.run(`${TUTORIAL}\n${script}`.split('\n').join('; '));
    };
    assert.ok(pod.spec?.nodeName);
  });
  after(async () => {
    await srv?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers the tutorial: /api with the pod token and CA, JSON indented for curl', () => {
    const r = shell('curl --cacert ${CACERT} --header "Authorization: Bearer ${TOKEN}" -X GET ${APISERVER}/api');
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(r.stdout), { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '172.18.0.2:6443' }] });
    assert.match(r.stdout, /^\{\n {2}"kind": "APIVersions",\n {2}"versions": \[\n {4}"v1"\n {2}\],/);
  });

  it('lets RBAC decide for the pod service account, and a Role grants what it says', () => {
    const list = 'curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" $APISERVER/api/v1/namespaces/$NAMESPACE/pods';
    const denied = JSON.parse(shell(list).stdout);
    assert.deepEqual(denied, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: 'pods is forbidden: User "system:serviceaccount:default:default" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden', details: { kind: 'pods' }, code: 403,
    });
    assert.deepEqual(shell(`${list} -o /dev/null -w '%{http_code}\\n'`), { stdout: '403\n', stderr: '', code: 0 });
    assert.deepEqual(shell(`${list} -f`), { stdout: '', stderr: '', code: 22 });
    assert.deepEqual(shell(`${list} -sSf`), { stdout: '', stderr: 'curl: (22) The requested URL returned error: 403\n', code: 22 });
    grant('pod-reader', 'pods', ['get', 'list', 'watch']);
    const allowed = JSON.parse(shell(list).stdout);
    assert.equal(allowed.kind, 'PodList');
    assert.deepEqual(allowed.items.map((p: KObject) => p.metadata.name), ['client']);
    // The Role gives no delete: the pod is still refused that.
    const del = JSON.parse(shell(`curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" -X DELETE $APISERVER/api/v1/namespaces/default/pods/client`).stdout);
    assert.equal(del.code, 403);
    assert.match(del.message, /cannot delete resource "pods"/);
    assert.equal(srv.playground.api.get(PODS, 'default', 'client').metadata.deletionTimestamp, undefined);
  });

  it('refuses a request without a token, as this apiserver runs without anonymous access', () => {
    const r = shell('curl -s --cacert $CACERT $APISERVER/api');
    assert.equal(JSON.parse(r.stdout).code, 401);
    assert.equal(JSON.parse(r.stdout).reason, 'Unauthorized');
  });

  it('checks the certificate as curl does: the pod CA and the names the apiserver certificate carries', () => {
    const noCa = shell('curl -H "Authorization: Bearer $TOKEN" $APISERVER/api');
    assert.equal(noCa.code, 60);
    assert.match(noCa.stderr, /^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\nMore details here: https:\/\/curl.se\/docs\/sslcerts.html\n/);
    assert.equal(shell('curl -s --cacert /nope $APISERVER/api').code, 77);
    assert.equal(shell('curl --cacert /nope $APISERVER/api').stderr, 'curl: (77) error setting certificate file: /nope\n');
    // Another CA: the hostname file is no certificate at all.
    assert.equal(shell('curl -s --cacert /etc/hostname $APISERVER/api').code, 60);
    for (const host of ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc.cluster.local', '10.96.0.1', '$KUBERNETES_SERVICE_HOST']) {
      assert.equal(shell(`curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" https://${host}/api -o /dev/null -w '%{http_code}'`).stdout, '200', host);
    }
    // A name the certificate does not carry fails the check; -k skips every check.
    const pinned = shell('curl --cacert $CACERT --resolve api.example:443:10.96.0.1 https://api.example/api');
    assert.match(pinned.stderr, /^curl: \(60\) SSL: no alternative certificate subject name matches target host name 'api\.example'\n/);
    assert.equal(shell('curl -sk -H "Authorization: Bearer $TOKEN" https://api.example/version --resolve api.example:443:10.96.0.1 -o /dev/null -w "%{http_code}"').stdout, '200');
  });

  it('answers plain HTTP on its TLS port as Go does', () => {
    assert.deepEqual(shell('curl -s http://kubernetes:443/api'), { stdout: 'Client sent an HTTP request to an HTTPS server.\n', stderr: '', code: 0 });
    assert.match(shell('curl -si http://kubernetes:443/api').stdout, /^HTTP\/1\.0 400 Bad Request\r\n/);
  });

  it('prints HTTP/2 heads for curl -i and -I, as curl negotiates h2 with the apiserver', () => {
    const r = shell('curl -si --cacert $CACERT -H "Authorization: Bearer $TOKEN" $APISERVER/version');
    assert.match(r.stdout, /^HTTP\/2 200 \r\n/);
    assert.match(r.stdout, /\r\ncontent-type: application\/json\r\n/);
    const body = r.stdout.slice(r.stdout.indexOf('\r\n\r\n') + 4);
    assert.equal(JSON.parse(body).major, '1');
  });

  it('creates and patches objects with the pod token once RBAC allows, and refuses a form body with 415', () => {
    grant('cm-writer', 'configmaps', ['create', 'patch', 'get']);
    const base = 'curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" $APISERVER/api/v1/namespaces/default/configmaps';
    const form = JSON.parse(shell(`${base} -d '{"metadata":{"name":"x"}}'`).stdout);
    assert.deepEqual([form.code, form.reason], [415, 'UnsupportedMediaType']);
    // The body from a file the pod wrote, as -d @file reads it.
    const made = shell(`echo '{"metadata":{"name":"from-pod"},"data":{"a":"1"}}' > /tmp/cm.json && ${base} -H 'Content-Type: application/json' -d @/tmp/cm.json -w ' %{http_code}'`);
    assert.match(made.stdout, / 201$/);
    assert.equal(srv.playground.api.get({ group: '', version: 'v1', resource: 'configmaps' }, 'default', 'from-pod').data.a, '1');
    const patched = shell(`${base}/from-pod -X PATCH -H 'Content-Type: application/merge-patch+json' --data-raw '{"data":{"a":"2"}}' -o /dev/null -w '%{http_code}'`);
    assert.equal(patched.stdout, '200');
    assert.equal(srv.playground.api.get({ group: '', version: 'v1', resource: 'configmaps' }, 'default', 'from-pod').data.a, '2');
  });

  it('serves busybox wget too: no certificate check, and its error line for a refusal', () => {
    const ok = shell('wget -qO- --header "Authorization: Bearer $TOKEN" https://kubernetes.default.svc/api');
    assert.equal(JSON.parse(ok.stdout).kind, 'APIVersions');
    assert.equal(ok.stderr, 'wget: note: TLS certificate validation not implemented\n');
    const denied = shell('wget -qO- --header "Authorization: Bearer $TOKEN" https://kubernetes.default.svc/api/v1/secrets');
    assert.deepEqual([denied.code, denied.stdout], [1, '']);
    assert.match(denied.stderr, /wget: server returned error: HTTP\/1\.1 403 Forbidden\n$/);
  });

  it('ends a watch after the events so far: as curl -m does, or with a word from the playground', () => {
    const w = shell('curl -s -m 2 --cacert $CACERT -H "Authorization: Bearer $TOKEN" "$APISERVER/api/v1/namespaces/default/pods?watch=1"');
    assert.equal(w.code, 28);
    assert.match(w.stdout, /"type":"ADDED"/);
    const open = shell('curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" "$APISERVER/api/v1/namespaces/default/pods?watch=1"');
    assert.equal(open.code, 0);
    assert.match(open.stderr, /^kubeplay: the answer is a stream/);
  });

  it('reaches the apiserver from the scripts the kubelet plays, and Check Connection says so', () => {
    const trace = srv.playground.traceConnection!('default', 'client', 'kubernetes.default', 443);
    assert.deepEqual([trace.outcome, trace.apiserver, trace.endpoint], ['open', true, '172.18.0.2:6443']);
    srv.playground.apply(`apiVersion: v1
kind: Pod
metadata: {name: lister}
spec:
  restartPolicy: Never
  containers:
  - name: c
    image: curlimages/curl
    command: [sh, -c, 'curl -s --cacert ${SA}/ca.crt -H "Authorization: Bearer $(cat ${SA}/token)" https://kubernetes.default.svc/api/v1/namespaces/default/pods/client -o /dev/null -w "%{http_code}"']
`);
    for (let i = 0; i < 100 && srv.playground.api.get(PODS, 'default', 'lister').status?.phase !== 'Succeeded'; i++) srv.playground.advance(500);
    assert.equal(srv.playground.api.get(PODS, 'default', 'lister').status?.phase, 'Succeeded');
    assert.ok(srv.playground.logs('default', 'lister').includes('200'), srv.playground.logs('default', 'lister').join('\n'));
  });

  it('runs examples/14-api-from-pod.yaml: the pod-reader account lists pods and is refused secrets', () => {
    srv.playground.apply(fs.readFileSync(path.join(repoRoot(), 'examples/14-api-from-pod.yaml'), 'utf8'));
    for (let i = 0; i < 60; i++) srv.playground.advance(500);
    const log = srv.playground.logs('api-demo', 'api-client').filter((l) => !l.includes('kubeplay:'));
    assert.ok(log.length >= 2, log.join('\n'));
    assert.deepEqual([...new Set(log)], ['pods: 200 secrets: 403']);
  });

  it('lets NetworkPolicies judge the connection: a default-deny egress drops it, an ipBlock for the endpoint opens it', () => {
    srv.playground.apply(`apiVersion: v1
kind: Namespace
metadata: {name: locked}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: locked}
spec: {containers: [{name: c, image: curlimages/curl, command: [sleep, infinity]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: locked}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{ports: [{port: 53, protocol: UDP}]}]
`);
    for (let i = 0; i < 40; i++) srv.playground.advance(500);
    const pod = srv.playground.api.get(PODS, 'locked', 'c');
    assert.equal(pod.status?.phase, 'Running');
    const run = (script: string) => new ShellState(srv.playground.execWorld!(srv.playground.api.get(PODS, 'locked', 'c'), 'c')).run(script);
    const call = 'curl -sS -m 3 --cacert /var/run/secrets/kubernetes.io/serviceaccount/ca.crt https://kubernetes.default.svc/version -o /dev/null -w "%{http_code}"';
    assert.deepEqual(run(call), { stdout: '', stderr: 'curl: (28) Connection timed out after 3001 milliseconds\n', code: 28 });
    srv.playground.apply(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-apiserver, namespace: locked}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress: [{to: [{ipBlock: {cidr: 172.18.0.2/32}}], ports: [{port: 6443}]}]
`);
    // The policy sees the endpoint kube-proxy picked (port 6443), not the Service's port 443.
    assert.deepEqual(run(call), { stdout: '401', stderr: '', code: 0 });
  });

  it('keeps the playground controls from pods, and survives a malformed path from a token RBAC judges', async () => {
    const advance = () => JSON.parse(shell('curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" -X POST -d \'{"advanceSeconds":5}\' -H "Content-Type: application/json" $APISERVER/kubeplay/v1/time').stdout);
    assert.equal(advance().code, 403);
    // Even an account RBAC lets do anything finds nothing there.
    const CRB = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings' };
    srv.playground.api.create(CRB, undefined, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'default-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'default' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' } });
    const before = srv.playground.clock.now();
    try {
      assert.deepEqual([advance().code, advance().reason], [404, 'NotFound']);
      assert.equal(srv.playground.clock.now(), before);
    } finally {
      srv.playground.api.delete(CRB, undefined, 'default-admin');
    }
    assert.equal(JSON.parse(shell('curl -s --cacert $CACERT -H "Authorization: Bearer $TOKEN" $APISERVER/api/v1/namespaces/default/pods/%zz').stdout).code, 400);
    // From this machine, with a service-account token (RBAC decides, so the path is parsed first): a 400, not a crash.
    const token = shell('cat $SERVICEACCOUNT/token').stdout.trim();
    assert.equal((await call(srv, 'GET', '/api/v1/namespaces/default/pods/%zz', undefined, { token })).status, 400);
    assert.equal((await call(srv, 'GET', '/kubeplay/v1/%zz', undefined, { token })).status, 400);
    assert.equal((await call(srv, 'GET', '/version')).status, 200);
  });

  it('lists a stream without a length under curl -i, dumps heads with -D, and writes curl 8 words for an unwritable -o', () => {
    const head = shell('curl -si -m 1 --cacert $CACERT -H "Authorization: Bearer $TOKEN" "$APISERVER/api/v1/namespaces/default/pods?watch=1"').stdout;
    assert.match(head, /^HTTP\/2 200 \r\n/);
    assert.doesNotMatch(head.slice(0, head.indexOf('\r\n\r\n')), /content-length/);
    const dumped = shell('curl -s -D - -o /dev/null --cacert $CACERT -H "Authorization: Bearer $TOKEN" $APISERVER/version');
    assert.match(dumped.stdout, /^HTTP\/2 200 \r\ncache-control: no-cache, private\r\ncontent-type: application\/json\r\nx-kubernetes-pf-flowschema-uid: [0-9a-f-]{36}\r\nx-kubernetes-pf-prioritylevel-uid: [0-9a-f-]{36}\r\ncontent-length: \d+\r\ndate: .+\r\n\r\n$/);
    assert.deepEqual(shell('curl -k $APISERVER/version -o /nope/out'), { stdout: '', stderr: 'Warning: Failed to open the file /nope/out: No such file or directory\ncurl: (23) Failure writing output to destination\n', code: 23 });
    assert.equal(shell('curl -sS -k $APISERVER/version -o /nope/out').stderr, 'curl: (23) Failure writing output to destination\n');
    assert.equal(shell("curl -sk $APISERVER/version -o /dev/null -w '%{http_code} 100%%'").stdout, '401 100%');
  });

  it('says the apiserver answers a direct dial of its endpoint, and lets it win over a pod of an older state there', () => {
    const direct = srv.playground.traceConnection!('default', 'client', '172.18.0.2', 6443);
    assert.deepEqual([direct.outcome, direct.apiserver, direct.endpoint], ['open', true, '172.18.0.2:6443']);
  });
});
