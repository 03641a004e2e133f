/**
 * Who may do what over HTTP: service-account tokens (forged, `alg: none`,
 * expired by deletion), RBAC's refusals for resources, URLs and the
 * playground's own extras, impersonation, the reviews (also those asked for
 * someone else: SubjectAccessReview, TokenReview), issuer discovery, and requests whose
 * URL cannot be decoded (answered 400; the process lives on).
 */
import * as assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { startServer, type RunningServer } from '../../../cli/src/serve';
import { call as callServer, type CallResult } from './call';

type Res = CallResult;
const call = (srv: RunningServer, method: string, p: string, opts: { token?: string; body?: unknown; headers?: Record<string, string | string[]> } = {}) =>
  callServer(srv, method, p, opts.body, { token: opts.token, headers: opts.headers });

/** A raw upgrade request, as a WebSocket client sends it; resolves with the status line of the answer. */
function rawUpgrade(srv: RunningServer, path: string, token?: string): Promise<string> {
  const url = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: srv.caCert, servername: 'localhost' }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n${token ? `Authorization: Bearer ${token}\r\n` : ''}\r\n`);
    });
    let data = '';
    socket.on('data', (c) => {
      data += c;
      if (data.includes('\r\n')) {
        resolve(data.split('\r\n')[0]);
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('HTTP: authentication and RBAC', function () {
  this.timeout(30_000);
  let srv: RunningServer;
  let saToken: string;
  const SA_USER = 'system:serviceaccount:default:default';

  before(async () => {
    srv = await startServer({ nodes: 1, speed: 50, seed: 3, exposeNodePorts: false });
    // The `default` account comes from its controller a moment after the start, as on a new cluster.
    let r: Res;
    for (let i = 0; ; i++) {
      r = await call(srv, 'POST', '/api/v1/namespaces/default/serviceaccounts/default/token', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
      if (r.status !== 404 || i > 50) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(r.status, 201, r.text);
    saToken = r.json.status.token;
  });
  after(async () => {
    await srv?.close();
  });

  it('refuses a forged token and an unsigned one with 401', async () => {
    const [h, p] = saToken.split('.');
    for (const bad of [`${h}.${p}.AAAA`, `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`, 'not-a-token']) {
      const r = await call(srv, 'GET', '/api/v1/namespaces/default/pods', { token: bad });
      assert.equal(r.status, 401);
      assert.equal(r.json.message, 'Unauthorized');
    }
    assert.equal((await call(srv, 'GET', '/version', { token: '' })).status, 401);
    // The bearertoken authenticator's reading: a second space before the token leaves it empty (nobody); the word
    // Bearer in any case, and anything after the token's own space, are fine.
    const as = (authorization: string) => call(srv, 'GET', '/version', { token: '', headers: { authorization } });
    assert.equal((await as(`Bearer  ${srv.token}`)).status, 401);
    assert.equal((await as(`bearer ${srv.token}`)).status, 200);
    assert.equal((await as(`  Bearer ${srv.token}  `)).status, 200);
    assert.equal((await as(`Bearer ${saToken}  `)).status, 200);
  });

  it('tells an account what RBAC refuses, for resources, URLs and the playground\'s extras', async () => {
    const pods = await call(srv, 'GET', '/api/v1/namespaces/default/pods', { token: saToken });
    assert.equal(pods.status, 403);
    assert.deepEqual(pods.json.details, { kind: 'pods' });
    const stats = await call(srv, 'GET', '/kubeplay/v1/stats', { token: saToken });
    assert.equal(stats.status, 403);
    assert.equal(stats.json.message, `forbidden: User "${SA_USER}" cannot get path "/kubeplay/v1/stats"`);
    // Discovery and /version are every authenticated user's (system:discovery, system:public-info-viewer).
    assert.equal((await call(srv, 'GET', '/version', { token: saToken })).status, 200);
    assert.equal((await call(srv, 'GET', '/apis', { token: saToken })).status, 200);
    // Exec over WebSocket needs get and create on pods/exec.
    assert.equal(await rawUpgrade(srv, '/api/v1/namespaces/default/pods/x/exec?command=ls', saToken), 'HTTP/1.1 403 Forbidden');
  });

  it('lets only those allowed to impersonate act as someone else', async () => {
    const refused = await call(srv, 'GET', '/api/v1/namespaces/default/pods', { token: saToken, headers: { 'Impersonate-User': 'alice' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, `users "alice" is forbidden: User "${SA_USER}" cannot impersonate resource "users" in API group "" at the cluster scope`);
    const who = await call(srv, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      headers: { 'Impersonate-User': 'alice', 'Impersonate-Group': ['devs', 'ops,qa'] }, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    assert.deepEqual(who.json.status.userInfo, { username: 'alice', groups: ['devs', 'ops,qa', 'system:authenticated'] });
    const withUid = await call(srv, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {
      headers: { 'Impersonate-User': 'alice', 'Impersonate-Uid': 'a-1', 'Impersonate-Extra-Team': 'blue' }, body: { kind: 'SelfSubjectReview' },
    });
    assert.deepEqual(withUid.json.status.userInfo, { username: 'alice', uid: 'a-1', groups: ['system:authenticated'], extra: { team: ['blue'] } });
    const orphan = await call(srv, 'GET', '/version', { headers: { 'Impersonate-Uid': 'u-1' } });
    assert.equal(orphan.status, 500);
    assert.match(orphan.json.message, /without impersonating a user$/);
    const noUid = await call(srv, 'GET', '/version', { token: saToken, headers: { 'Impersonate-User': `${SA_USER}`, 'Impersonate-Uid': 'x' } });
    assert.equal(noUid.json.message, `serviceaccounts "default" is forbidden: User "${SA_USER}" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "default"`);
    // The anonymous user is in system:unauthenticated: /version is public, discovery is not.
    const anon = { 'Impersonate-User': 'system:anonymous' };
    assert.equal((await call(srv, 'GET', '/version', { headers: anon })).status, 200);
    const apis = await call(srv, 'GET', '/apis', { headers: anon });
    assert.equal(apis.json.message, 'forbidden: User "system:anonymous" cannot get path "/apis"');
    const ssrr = await call(srv, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { token: saToken, body: { kind: 'SelfSubjectRulesReview', spec: {} } });
    assert.equal(ssrr.status, 400);
    assert.equal(ssrr.json.message, 'no namespace on request');
  });

  it('answers SubjectAccessReviews and LocalSubjectAccessReviews for the user the spec names, to those RBAC lets create them', async () => {
    const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
    const sar = (spec: unknown, token?: string) => call(srv, 'POST', SAR, { token, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec } });
    // The spec's user as given: no system:authenticated or service-account groups are added.
    const pods = await sar({ user: SA_USER, resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } });
    assert.equal(pods.status, 201);
    assert.equal(pods.json.kind, 'SubjectAccessReview');
    assert.deepEqual(pods.json.status, { allowed: false });
    assert.deepEqual(pods.json.metadata, { creationTimestamp: null });
    const version = await sar({ user: SA_USER, groups: ['system:authenticated'], nonResourceAttributes: { path: '/version', verb: 'get' } });
    assert.deepEqual(version.json.status, { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });
    const empty = await sar({});
    assert.equal(empty.status, 422);
    assert.equal(empty.json.message, 'SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]');
    // Creating one is an RBAC-checked create (system:auth-delegator grants it); the account holds no such right.
    const refused = await sar({ user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods' } }, saToken);
    assert.equal(refused.status, 403);
    assert.equal(refused.json.message, `subjectaccessreviews.authorization.k8s.io is forbidden: User "${SA_USER}" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope`);
    const LSAR = '/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews';
    const lsar = (spec: unknown) => call(srv, 'POST', LSAR, { body: { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', spec } });
    const local = await lsar({ user: 'alice', groups: ['system:masters'], resourceAttributes: { namespace: 'default', verb: 'delete', resource: 'pods' } });
    assert.equal(local.status, 201);
    assert.deepEqual(local.json.metadata, { namespace: 'default', creationTimestamp: null });
    assert.deepEqual(local.json.status, { allowed: true });
    const elsewhere = await lsar({ user: 'alice', resourceAttributes: { namespace: 'kube-system', verb: 'get', resource: 'pods' } });
    assert.equal(elsewhere.status, 422);
    assert.equal(elsewhere.json.message, 'LocalSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes.namespace: Invalid value: "kube-system": must match metadata.namespace');
    // Namespaced and create-only: no cluster-wide route.
    assert.equal((await call(srv, 'POST', '/apis/authorization.k8s.io/v1/localsubjectaccessreviews', { body: { kind: 'LocalSubjectAccessReview', spec: {} } })).status, 404);
    const authz = (await call(srv, 'GET', '/apis/authorization.k8s.io/v1')).json.resources;
    assert.deepEqual(authz.filter((r: any) => /^(local)?subjectaccessreviews$/.test(r.name)).map((r: any) => [r.name, r.namespaced, r.verbs]),
      [['localsubjectaccessreviews', true, ['create']], ['subjectaccessreviews', false, ['create']]]);
  });

  it('answers TokenReviews: the token\'s user and audiences, or why it is refused', async () => {
    const review = (spec: unknown) => call(srv, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec } });
    const ok = await review({ token: saToken });
    assert.equal(ok.status, 201);
    const uid = JSON.parse(Buffer.from(saToken.split('.')[1], 'base64url').toString('utf8'))['kubernetes.io'].serviceaccount.uid;
    assert.deepEqual(ok.json.status, {
      authenticated: true,
      user: { username: SA_USER, uid, groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'], extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${JSON.parse(Buffer.from(saToken.split('.')[1], 'base64url').toString('utf8')).jti}`] } },
      audiences: ['https://kubernetes.default.svc.cluster.local'],
    });
    assert.deepEqual((await review({ token: 'not-a-token' })).json.status, { user: {}, error: 'invalid bearer token' });
    assert.deepEqual((await review({ token: saToken, audiences: ['vault'] })).json.status,
      { user: {}, error: 'token audiences ["https://kubernetes.default.svc.cluster.local"] is invalid for the target audiences ["vault"]' });
    const [h, p] = saToken.split('.');
    assert.deepEqual((await review({ token: `${h}.${p}.AAAA` })).json.status, { user: {}, error: 'go-jose/go-jose: error in cryptographic primitive' });
    const missing = await review({});
    assert.equal(missing.status, 400);
    assert.equal(missing.json.message, 'token is required for TokenReview in authentication');
  });

  it('serves the issuer discovery documents, which every service account may read', async () => {
    const config = await call(srv, 'GET', '/.well-known/openid-configuration', { token: saToken });
    assert.equal(config.status, 200);
    assert.equal(config.text, '{"issuer":"https://kubernetes.default.svc.cluster.local","jwks_uri":"https://172.18.0.2:6443/openid/v1/jwks","response_types_supported":["id_token"],"subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}');
    const jwks = await call(srv, 'GET', '/openid/v1/jwks', { token: saToken });
    assert.equal(jwks.status, 200);
    const kid = JSON.parse(Buffer.from(saToken.split('.')[0], 'base64url').toString('utf8')).kid;
    assert.deepEqual(jwks.json.keys.map((k: any) => Object.keys(k)), [['use', 'kty', 'kid', 'alg', 'n', 'e']]);
    assert.deepEqual([jwks.json.keys[0].kid, jwks.json.keys[0].alg, jwks.json.keys[0].e], [kid, 'RS256', 'AQAB']);
    // Other users need the role: the anonymous user is refused until bound to it.
    const anon = await call(srv, 'GET', '/openid/v1/jwks', { headers: { 'Impersonate-User': 'system:anonymous' } });
    assert.equal(anon.json.message, 'forbidden: User "system:anonymous" cannot get path "/openid/v1/jwks"');
  });

  it('answers a URL it cannot decode with 400, on a plain request and on an upgrade, and keeps serving', async () => {
    const plain = await call(srv, 'GET', '/api/v1/namespaces/default/pods/%E0%A4%A');
    assert.equal(plain.status, 400);
    assert.equal(await rawUpgrade(srv, '/api/v1/namespaces/default/pods/%E0%A4%A/exec?command=ls'), 'HTTP/1.1 400 Bad Request');
    assert.equal((await call(srv, 'GET', '/version')).status, 200);
  });
});
