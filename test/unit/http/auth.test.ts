/**
 * Who may do what over HTTP: service-account tokens (forged, `alg: none`,
 * expired by deletion), RBAC's refusals for resources, URLs and the
 * playground's own extras, impersonation, the reviews, and requests whose
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

  it('answers a URL it cannot decode with 400, on a plain request and on an upgrade, and keeps serving', async () => {
    const plain = await call(srv, 'GET', '/api/v1/namespaces/default/pods/%E0%A4%A');
    assert.equal(plain.status, 400);
    assert.equal(await rawUpgrade(srv, '/api/v1/namespaces/default/pods/%E0%A4%A/exec?command=ls'), 'HTTP/1.1 400 Bad Request');
    assert.equal((await call(srv, 'GET', '/version')).status, 200);
  });
});
