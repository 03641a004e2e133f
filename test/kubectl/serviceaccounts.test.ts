/**
 * Service accounts and RBAC with every real kubectl we have: `kubectl create
 * token`, a token read out of a pod's service-account volume, `kubectl auth
 * whoami` and `auth can-i` (also `--as`), RBAC's refusals word for word, a
 * Role and RoleBinding letting the account in, a token bound to a wrong pod
 * UID refused, SubjectAccessReview and TokenReview from `kubectl create -f`,
 * and the pod's token refused once the pod is gone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startServer, type RunningServer } from '../../cli/src/serve';
import { kubectls } from './binaries';
import { kubectlAt } from './run';

const SA_USER = 'system:serviceaccount:default:default';

for (const k of kubectls()) {
  describe(`service accounts and RBAC with kubectl ${k.label}`, function () {
    this.timeout(120_000);
    let srv: RunningServer;
    let dir: string;
    const { kc, okc } = kubectlAt(k.path, () => ({ kubeconfig: srv.kubeconfigPath, cwd: dir }));

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubeplay-sa-'));
      srv = await startServer({ stateDir: path.join(dir, 'state'), nodes: 2, speed: 40, seed: 5 });
      await okc(['run', 'web', '--image=nginx:1.27.3']);
      await okc(['wait', '--for=condition=Ready', 'pod/web', '--timeout=60s']);
    });
    after(async () => {
      await srv?.close();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('issues a token with `kubectl create token` that RBAC then judges', async () => {
      const token = (await okc(['create', 'token', 'default'])).trim();
      assert.match(token, /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
      const who = await okc(['--token', token, 'auth', 'whoami', '-o', 'json']);
      const info = JSON.parse(who).status.userInfo;
      assert.equal(info.username, SA_USER);
      assert.deepEqual(info.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
      const denied = await kc(['--token', token, 'get', 'pods']);
      assert.equal(denied.code, 1);
      assert.equal(denied.stderr, `Error from server (Forbidden): pods is forbidden: User "${SA_USER}" cannot list resource "pods" in API group "" in the namespace "default"\n`);
      const nodes = await kc(['--token', token, 'get', 'nodes']);
      assert.equal(nodes.stderr, `Error from server (Forbidden): nodes is forbidden: User "${SA_USER}" cannot list resource "nodes" in API group "" at the cluster scope\n`);
      // A token the playground did not sign is nobody's.
      const forged = await kc(['--token', token.slice(0, -4) + 'AAAA', 'get', 'pods']);
      assert.equal(forged.code, 1);
      assert.match(forged.stderr, /error: You must be logged in to the server \(Unauthorized\)/);
    });

    it('answers `auth can-i` for the caller and, with --as, for the account; a RoleBinding lets it read pods', async () => {
      assert.equal(await okc(['auth', 'can-i', 'delete', 'nodes']), 'yes\n');
      const as = ['--as', SA_USER];
      const no = await kc([...as, 'auth', 'can-i', 'list', 'pods']);
      assert.equal(no.code, 1);
      assert.equal(no.stdout, 'no\n');
      await okc(['create', 'role', 'pod-reader', '--verb=get,list,watch', '--resource=pods']);
      await okc(['create', 'rolebinding', 'read-pods', '--role=pod-reader', '--serviceaccount=default:default']);
      assert.equal(await okc([...as, 'auth', 'can-i', 'list', 'pods']), 'yes\n');
      assert.equal((await kc([...as, 'auth', 'can-i', 'delete', 'pods'])).stdout, 'no\n');
      assert.equal((await kc([...as, 'auth', 'can-i', 'list', 'pods', '-n', 'kube-system'])).stdout, 'no\n');
      const del = await kc([...as, 'delete', 'pod', 'web']);
      assert.equal(del.stderr, `Error from server (Forbidden): pods "web" is forbidden: User "${SA_USER}" cannot delete resource "pods" in API group "" in the namespace "default"\n`);
      // The bootstrap `view` ClusterRole, bound in one namespace, reads Deployments there.
      await okc(['create', 'rolebinding', 'viewers', '--clusterrole=view', '--serviceaccount=default:default']);
      assert.equal(await okc([...as, 'auth', 'can-i', 'list', 'deployments.apps']), 'yes\n');
      assert.equal((await kc([...as, 'auth', 'can-i', 'get', 'secrets'])).stdout, 'no\n');
    });

    it('refuses a token bound to a wrong pod UID, and answers SubjectAccessReview and TokenReview from `kubectl create -f`', async () => {
      // kubectl sends the TokenRequest as protobuf: BoundObjectReference's uid is field `uID` there.
      const wrong = await kc(['create', 'token', 'default', '--bound-object-kind=Pod', '--bound-object-name=web', '--bound-object-uid=123']);
      assert.equal(wrong.code, 1);
      assert.equal(wrong.stderr, 'error: failed to create token: Operation cannot be fulfilled on Pod "web": the UID in the bound object reference (123) does not match the UID in record. The object might have been deleted and then recreated\n');
      fs.writeFileSync(path.join(dir, 'sar.yaml'), `apiVersion: authorization.k8s.io/v1
kind: SubjectAccessReview
spec:
  user: ${SA_USER}
  groups: [system:serviceaccounts, system:authenticated]
  resourceAttributes: {namespace: default, verb: list, resource: pods}
`);
      const sar = JSON.parse(await okc(['create', '-f', 'sar.yaml', '-o', 'json']));
      assert.equal(sar.status.allowed, true);
      assert.match(sar.status.reason, /^RBAC: allowed by RoleBinding "read-pods\/default" of Role "pod-reader" to ServiceAccount "default\/default"$/);
      const token = (await okc(['create', 'token', 'default'])).trim();
      fs.writeFileSync(path.join(dir, 'tr.yaml'), `apiVersion: authentication.k8s.io/v1\nkind: TokenReview\nspec: {token: ${token}}\n`);
      const tr = JSON.parse(await okc(['create', '-f', 'tr.yaml', '-o', 'json']));
      assert.deepEqual([tr.status.authenticated, tr.status.user.username, tr.status.audiences], [true, SA_USER, ['https://kubernetes.default.svc.cluster.local']]);
    });

    it('puts a token, the API\'s CA and the namespace in the pod, and refuses the token once the pod is gone', async () => {
      const dirPath = '/var/run/secrets/kubernetes.io/serviceaccount';
      assert.equal(await okc(['exec', 'web', '--', 'ls', dirPath]), 'ca.crt\nnamespace\ntoken\n');
      assert.equal(await okc(['exec', 'web', '--', 'cat', `${dirPath}/ca.crt`]), srv.caCert);
      assert.equal(await okc(['exec', 'web', '--', 'cat', `${dirPath}/namespace`]), 'default');
      const token = await okc(['exec', 'web', '--', 'cat', `${dirPath}/token`]);
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
      assert.equal(claims['kubernetes.io'].pod.name, 'web');
      // The pod-reader binding of the test before lets the pod's own token list pods.
      assert.match(await okc(['--token', token, 'get', 'pods']), /^NAME +READY +STATUS/);
      await okc(['delete', 'pod', 'web', '--grace-period=0', '--force']);
      await okc(['wait', '--for=delete', 'pod/web', '--timeout=30s']).catch(() => undefined);
      const after = await kc(['--token', token, 'get', 'pods']);
      assert.equal(after.code, 1);
      assert.match(after.stderr, /Unauthorized/);
    });
  });
}
