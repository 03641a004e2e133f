/**
 * Service accounts in the playground: the ServiceAccount admission plugin's
 * projected volume and its refusals, the token file the kubelet writes into
 * it, the TokenRequest subresource (`kubectl create token`), and the tokens
 * turning back into users only while what they are bound to lives.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { newTestPlayground, R } from '../../../../cluster/src/testing';
import type { KubePlayground } from '../../../../cluster/src/playground';
import { ShellState } from '../../../../cluster/src/kubelet/exec';
import { verifyJwt, signingKeyFromPem } from '../../../../cluster/src/auth/jwt';

const SA = { group: '', version: 'v1', resource: 'serviceaccounts' };
const DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

const podDoc = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}  initContainers: [{name: init, image: busybox, command: [sh, -c, 'true']}]
  containers: [{name: main, image: busybox, command: [sleep, infinity]}]
`;

function exec(pg: KubePlayground, pod: string, line: string, container = 'main') {
  const p = pg.api.get(R.pods, 'default', pod);
  return new ShellState(pg.execWorld(p, container)).run(line);
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

describe('service accounts', () => {
  let pg: KubePlayground;
  afterEach(() => pg?.close());

  it('mounts the account\'s token, CA and namespace into every container from one projected volume', () => {
    pg = newTestPlayground();
    pg.apply(podDoc('web'));
    const p = pg.api.get(R.pods, 'default', 'web');
    assert.equal(p.spec.serviceAccountName, 'default');
    const vol = p.spec.volumes.at(-1);
    assert.match(vol.name, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.deepEqual(vol.projected, {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
        { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
      ],
    });
    for (const c of [...p.spec.initContainers, ...p.spec.containers]) {
      assert.deepEqual(c.volumeMounts, [{ mountPath: DIR, name: vol.name, readOnly: true }]);
    }
    // The same inputs give the same name on every run.
    const again = newTestPlayground();
    try {
      again.apply(podDoc('web'));
      assert.equal(again.api.get(R.pods, 'default', 'web').spec.volumes.at(-1).name, vol.name);
    } finally {
      again.close();
    }
  });

  it('leaves the token out when the pod or its account says so, and keeps a container\'s own mount at the path', () => {
    pg = newTestPlayground();
    pg.apply(podDoc('no-token', '  automountServiceAccountToken: false\n'));
    assert.equal(pg.api.get(R.pods, 'default', 'no-token').spec.volumes, undefined);
    pg.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet}\nautomountServiceAccountToken: false\nimagePullSecrets: [{name: regcred}]\n');
    pg.apply(podDoc('quiet', '  serviceAccountName: quiet\n'));
    const q = pg.api.get(R.pods, 'default', 'quiet');
    assert.equal(q.spec.volumes, undefined);
    assert.deepEqual(q.spec.imagePullSecrets, [{ name: 'regcred' }]);
    // The pod's own true wins over the account's false.
    pg.apply(podDoc('loud', '  serviceAccountName: quiet\n  automountServiceAccountToken: true\n'));
    assert.equal(pg.api.get(R.pods, 'default', 'loud').spec.volumes.length, 1);
    pg.apply(`apiVersion: v1
kind: Pod
metadata: {name: own}
spec:
  containers:
  - {name: a, image: busybox, volumeMounts: [{name: mine, mountPath: ${DIR}}]}
  - {name: b, image: busybox}
  volumes: [{name: mine, emptyDir: {}}]
`);
    const own = pg.api.get(R.pods, 'default', 'own');
    assert.deepEqual(own.spec.containers[0].volumeMounts.map((m: any) => m.name), ['mine']);
    assert.match(own.spec.containers[1].volumeMounts[0].name, /^kube-api-access-/);
  });

  it('refuses a pod whose account does not exist, naming it as upstream does', () => {
    pg = newTestPlayground();
    assert.throws(() => pg.apply(podDoc('lost', '  serviceAccountName: robot\n')), (e: any) => {
      assert.equal(e.code, 403);
      assert.equal(e.message, 'pods "lost" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found');
      return true;
    });
    pg.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: bot}
spec:
  replicas: 1
  selector: {matchLabels: {app: bot}}
  template:
    metadata: {labels: {app: bot}}
    spec: {serviceAccountName: robot, containers: [{name: main, image: busybox}]}
`);
    pg.advance(5_000);
    const rs = pg.api.list(R.replicasets, 'default').items[0];
    const ev = pg.api.list(R.events, 'default').items.find((e) => e.reason === 'FailedCreate' && e.involvedObject.name === rs.metadata.name);
    assert.equal(ev?.message, `Error creating: pods "${rs.metadata.name}-" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found`);
    // Once the account exists, the controller's next try succeeds.
    pg.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot}\n');
    pg.advance(30_000);
    assert.equal(pg.api.list(R.pods, 'default').items.filter((p) => p.metadata.labels?.app === 'bot').length, 1);
  });

  it('writes a bound token the apiserver accepts while the pod lives', () => {
    pg = newTestPlayground();
    pg.apply(podDoc('web'));
    pg.advance(30_000);
    const p = pg.api.get(R.pods, 'default', 'web');
    assert.equal(exec(pg, 'web', `ls ${DIR}`).stdout, 'ca.crt\nnamespace\ntoken\n');
    assert.equal(exec(pg, 'web', `cat ${DIR}/namespace`).stdout, 'default');
    assert.match(exec(pg, 'web', `cat ${DIR}/ca.crt`).stdout, /^-----BEGIN CERTIFICATE-----/);
    const token = exec(pg, 'web', `cat ${DIR}/token`).stdout;
    // The same file reads the same until the kubelet rotates it.
    assert.equal(exec(pg, 'web', `cat ${DIR}/token`).stdout, token);
    const key = signingKeyFromPem(pg.tokens.keyPem());
    const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
    assert.deepEqual(header, { alg: 'RS256', kid: key.kid });
    const c = verifyJwt(key, token)!;
    const sa = pg.api.get(SA, 'default', 'default');
    const node = pg.api.get(R.nodes, undefined, p.spec.nodeName);
    const started = Date.parse(p.status.startTime) / 1000;
    assert.deepEqual(Object.keys(c), ['aud', 'exp', 'iat', 'iss', 'jti', 'kubernetes.io', 'nbf', 'sub']);
    assert.deepEqual(c.aud, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(c.iss, 'https://kubernetes.default.svc.cluster.local');
    assert.equal(c.sub, 'system:serviceaccount:default:default');
    assert.equal(c.iat, started);
    // The kubelet's 3607 s request gets a year, with a warning after the hour.
    assert.equal(c.exp, started + 365 * 24 * 3600);
    assert.deepEqual(c['kubernetes.io'], {
      namespace: 'default',
      node: { name: node.metadata.name, uid: node.metadata.uid },
      pod: { name: 'web', uid: p.metadata.uid },
      serviceaccount: { name: 'default', uid: sa.metadata.uid },
      warnafter: started + 3607,
    });
    const user = pg.tokens.authenticate(token)!;
    assert.equal(user.username, 'system:serviceaccount:default:default');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.deepEqual(user.extra?.['authentication.kubernetes.io/pod-name'], ['web']);
    // A token is worth nothing once its pod is gone, or when a byte of it changes.
    // The byte is flipped in the decoded signature: a base64url text's last character also carries bits a decoder
    // drops, so changing characters of the text may leave the signature as it was.
    const [head, body, sig] = token.split('.');
    const forged = Buffer.from(sig, 'base64url');
    forged[0] ^= 1;
    assert.equal(pg.tokens.authenticate(`${head}.${body}.${forged.toString('base64url')}`), undefined);
    pg.api.delete(R.pods, 'default', 'web', { gracePeriodSeconds: 0 });
    pg.settle();
    assert.equal(pg.tokens.authenticate(token), undefined);
  });

  it('refreshes the token file at 80% of the requested life, and keeps a recreated account\'s old token until then', () => {
    pg = newTestPlayground();
    pg.apply(podDoc('web'));
    pg.advance(30_000);
    const p = pg.api.get(R.pods, 'default', 'web');
    const started = Date.parse(p.status.startTime) / 1000;
    const read = () => exec(pg, 'web', `cat ${DIR}/token`).stdout;
    const at = (s: number) => pg.advance((started + s) * 1000 - pg.clock.now());
    const first = read();
    // token_manager.go: refreshed once within (3607*20)/100 = 721 s of the requested expiry, i.e. after 2886 s.
    at(2885);
    assert.equal(read(), first);
    at(2887);
    const second = read();
    assert.notEqual(second, first);
    const c = claimsOf(second);
    assert.equal(c.iat, started + 2886);
    assert.equal(c['kubernetes.io'].warnafter, started + 2886 + 3607);
    assert.notEqual(c.jti, claimsOf(first).jti);
    // The account is deleted and its controller makes it again, with a new uid: the file keeps the old token,
    // which the authenticator now refuses, until the next refresh asks for a token of the new account.
    const oldUid = pg.api.get(SA, 'default', 'default').metadata.uid;
    pg.api.delete(SA, 'default', 'default');
    pg.advance(5_000);
    const newUid = pg.api.get(SA, 'default', 'default').metadata.uid;
    assert.notEqual(newUid, oldUid);
    assert.equal(read(), second);
    assert.equal(pg.tokens.authenticate(second), undefined);
    assert.deepEqual(pg.tokens.review(second), { error: `service account UID (${newUid}) does not match claim (${oldUid})` });
    at(2 * 2886 + 1);
    const third = read();
    assert.equal(claimsOf(third)['kubernetes.io'].serviceaccount.uid, newUid);
    assert.equal(pg.tokens.authenticate(third)?.uid, newUid);
  });

  it('refuses the token of a pod whose account was remade before the file was first read', () => {
    pg = newTestPlayground();
    pg.apply(podDoc('quiet'));
    pg.advance(30_000);
    pg.api.delete(SA, 'default', 'default');
    pg.advance(5_000);
    const token = exec(pg, 'quiet', `cat ${DIR}/token`).stdout;
    assert.equal(pg.tokens.authenticate(token), undefined);
    // A pod started after the account was made gets a token that works.
    pg.apply(podDoc('later'));
    pg.advance(30_000);
    assert.equal(pg.tokens.authenticate(exec(pg, 'later', `cat ${DIR}/token`).stdout)?.username, 'system:serviceaccount:default:default');
  });

  it('answers a TokenRequest with a token for the account, and refuses what upstream refuses', () => {
    pg = newTestPlayground();
    const out: any = pg.api.create(SA, 'default', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } as any, {}, 'token', 'default').object;
    assert.equal(out.kind, 'TokenRequest');
    assert.deepEqual(out.spec, { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null });
    assert.equal(Date.parse(out.status.expirationTimestamp), Math.floor(pg.clock.now() / 1000) * 1000 + 3600_000);
    const c = claimsOf(out.status.token);
    assert.equal(c.exp - c.iat, 3600);
    assert.equal(pg.tokens.authenticate(out.status.token)?.username, 'system:serviceaccount:default:default');
    // An hour later (and the minute of leeway) it is refused.
    pg.advance(3_661_000);
    assert.equal(pg.tokens.authenticate(out.status.token), undefined);
    assert.throws(() => pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: { expirationSeconds: 300 } } as any, {}, 'token', 'default'),
      (e: any) => e.code === 422 && e.message === 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes');
    assert.throws(() => pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: {} } as any, {}, 'token', 'nobody'), /serviceaccounts "nobody" not found/);
    assert.throws(() => pg.api.create(SA, 'default', { kind: 'TokenRequest', metadata: { name: 'other' }, spec: {} } as any, {}, 'token', 'default'),
      (e: any) => e.code === 422 && e.message === 'TokenRequest.authentication.k8s.io "default" is invalid: metadata.name: Invalid value: "other": must match the service account name if specified');
    // A token for another audience does not log in here.
    const other: any = pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: { audiences: ['vault'] } } as any, {}, 'token', 'default').object;
    assert.equal(pg.tokens.authenticate(other.status.token), undefined);
  });

  it('fills a long-lived token Secret for its account, and deletes token Secrets whose account is gone', () => {
    pg = newTestPlayground();
    assert.throws(() => pg.apply('apiVersion: v1\nkind: Secret\nmetadata: {name: nameless}\ntype: kubernetes.io/service-account-token\n'),
      (e: any) => e.code === 422 && e.message === 'Secret "nameless" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value');
    pg.apply(`apiVersion: v1
kind: ServiceAccount
metadata: {name: build-robot}
---
apiVersion: v1
kind: Secret
metadata:
  name: build-robot-secret
  annotations: {kubernetes.io/service-account.name: build-robot}
type: kubernetes.io/service-account-token
`);
    pg.settle();
    const s = pg.api.get(R.secrets, 'default', 'build-robot-secret');
    const sa = pg.api.get(SA, 'default', 'build-robot');
    assert.equal(s.metadata.annotations!['kubernetes.io/service-account.uid'], sa.metadata.uid);
    assert.equal(Buffer.from(s.data.namespace, 'base64').toString(), 'default');
    assert.match(Buffer.from(s.data['ca.crt'], 'base64').toString(), /^-----BEGIN CERTIFICATE-----/);
    const token = Buffer.from(s.data.token, 'base64').toString();
    assert.deepEqual(claimsOf(token), {
      iss: 'kubernetes/serviceaccount',
      'kubernetes.io/serviceaccount/namespace': 'default',
      'kubernetes.io/serviceaccount/secret.name': 'build-robot-secret',
      'kubernetes.io/serviceaccount/service-account.name': 'build-robot',
      'kubernetes.io/serviceaccount/service-account.uid': sa.metadata.uid,
      sub: 'system:serviceaccount:default:build-robot',
    });
    assert.equal(pg.tokens.authenticate(token)?.username, 'system:serviceaccount:default:build-robot');
    // A Secret for an account that does not exist is deleted; so are an account's Secrets when it goes.
    pg.apply('apiVersion: v1\nkind: Secret\nmetadata: {name: orphan, annotations: {kubernetes.io/service-account.name: ghost}}\ntype: kubernetes.io/service-account-token\n');
    pg.settle();
    assert.equal(pg.api.list(R.secrets, 'default').items.some((x) => x.metadata.name === 'orphan'), false);
    pg.api.delete(SA, 'default', 'build-robot');
    pg.settle();
    assert.equal(pg.api.list(R.secrets, 'default').items.some((x) => x.metadata.name === 'build-robot-secret'), false);
    assert.equal(pg.tokens.authenticate(token), undefined);
  });

  it('labels a legacy token Secret with the day it was last used, and refuses one marked invalid', () => {
    pg = newTestPlayground();
    pg.apply('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: alice}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: alice-token\n  annotations: {kubernetes.io/service-account.name: alice}\ntype: kubernetes.io/service-account-token\n');
    pg.settle();
    const secret = () => pg.api.get(R.secrets, 'default', 'alice-token');
    const token = Buffer.from(secret().data.token, 'base64').toString();
    assert.equal(secret().metadata.labels?.['kubernetes.io/legacy-token-last-used'], undefined);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    assert.equal(pg.tokens.authenticate(token)?.username, 'system:serviceaccount:default:alice');
    assert.equal(secret().metadata.labels?.['kubernetes.io/legacy-token-last-used'], day(pg.clock.now()));
    // Rewritten once the label is neither today nor tomorrow (UTC).
    const rv = secret().metadata.resourceVersion;
    pg.tokens.authenticate(token);
    assert.equal(secret().metadata.resourceVersion, rv, 'the same day writes nothing');
    pg.api.patch(R.secrets, 'default', 'alice-token', 'merge', { metadata: { labels: { 'kubernetes.io/legacy-token-last-used': '2020-02-02' } } });
    pg.tokens.authenticate(token);
    assert.equal(secret().metadata.labels?.['kubernetes.io/legacy-token-last-used'], day(pg.clock.now()));
    pg.api.patch(R.secrets, 'default', 'alice-token', 'merge', { metadata: { labels: { 'kubernetes.io/legacy-token-invalid-since': '2026-01-01' } } });
    assert.equal(pg.tokens.authenticate(token), undefined);
    assert.deepEqual(pg.tokens.review(token), { error: "the token in secret default/alice-token for service account default/alice has been marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or remove the 'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token" });
  });

  it('keeps its signing key in the state folder, so tokens outlive a restart', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kp-sa-'));
    try {
      pg = newTestPlayground({ stateDir: dir });
      const token = (pg.api.create(SA, 'default', { kind: 'TokenRequest', spec: {} } as any, {}, 'token', 'default').object as any).status.token;
      pg.close();
      assert.match(fs.readFileSync(path.join(dir, 'sa.key'), 'utf8'), /-----BEGIN PRIVATE KEY-----/);
      pg = newTestPlayground({ stateDir: dir });
      assert.equal(pg.tokens.authenticate(token)?.username, 'system:serviceaccount:default:default');
    } finally {
      pg.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
