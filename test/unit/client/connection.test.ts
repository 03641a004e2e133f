import * as assert from 'assert';
import { connectionMessage, parseTarget } from '../../../client/src/model/connection';
import { plainT } from '../../../client/src/model/tree';

/** The extension's Check Connection in words: each outcome of the playground's trace. */
describe('client/check connection', () => {
  it('says where the connection went and which policies dropped it', () => {
    const base = { from: 'shop/probe', host: 'api', port: 8080, fqdn: 'api.shop.svc.cluster.local', address: '10.96.4.2', pod: 'shop/api-7d9-x2k9p', podIP: '10.244.1.5', targetPort: 8080 };
    assert.deepStrictEqual(connectionMessage(plainT, { ...base, outcome: 'open' }), { ok: true, text: 'shop/probe → api:8080 (10.96.4.2 → pod shop/api-7d9-x2k9p 10.244.1.5:8080): the connection opens.' });
    assert.strictEqual(connectionMessage(plainT, { ...base, verdict: { allowed: false, deniedBy: 'egress', policies: ['shop/default-deny-all', 'shop/allow-dns'] }, outcome: 'timeout' }).text,
      'shop/probe → api:8080 (10.96.4.2 → pod shop/api-7d9-x2k9p 10.244.1.5:8080): dropped by NetworkPolicy. The egress of shop/probe is isolated by default-deny-all, allow-dns, and none of them allows this connection; the client waits until it times out.');
    assert.match(connectionMessage(plainT, { ...base, verdict: { allowed: false, deniedBy: 'ingress', policies: ['shop/api-from-frontend'] }, outcome: 'timeout' }).text, /The ingress of shop\/api-7d9-x2k9p is isolated by api-from-frontend/);
    assert.match(connectionMessage(plainT, { from: 'shop/probe', host: 'api', port: 80, dns: 'unanswered', outcome: 'unresolved' }).text, /cannot resolve api: the cluster DNS does not answer it/);
    assert.match(connectionMessage(plainT, { from: 'shop/probe', host: 'nope', port: 80, dns: 'unknown', outcome: 'unresolved' }).text, /no such name/);
    assert.strictEqual(connectionMessage(plainT, { ...base, outcome: 'refused' }).ok, false);
    // The kubernetes Service's endpoint is the apiserver: it answers while the playground serves its API, else refuses.
    const api = { from: 'default/probe', host: 'kubernetes', port: 443, address: '10.96.0.1', service: 'default/kubernetes', endpoint: '172.18.0.2:6443', verdict: { allowed: true } };
    assert.deepStrictEqual(connectionMessage(plainT, { ...api, apiserver: true, outcome: 'open' }), { ok: true, text:
      'default/probe → kubernetes:443 (10.96.0.1 → 172.18.0.2:6443): the kube-apiserver answers (HTTPS). A request needs the pod\'s service-account token (/var/run/secrets/kubernetes.io/serviceaccount/token) and trusts ca.crt beside it; RBAC decides what the account may do.' });
    assert.strictEqual(connectionMessage(plainT, { ...api, verdict: { allowed: false, deniedBy: 'egress', policies: ['default/deny'] }, outcome: 'timeout' }).text,
      'default/probe → kubernetes:443 (10.96.0.1 → 172.18.0.2:6443): dropped by NetworkPolicy. The egress of default/probe is isolated by deny, and none of them allows this connection; the client waits until it times out.');
    assert.strictEqual(connectionMessage(plainT, { ...api, outcome: 'refused' }).text,
      'default/probe → kubernetes:443 (10.96.0.1 → 172.18.0.2:6443): the kube-apiserver\'s endpoint. Pods reach the apiserver only while the playground serves its HTTP API (kubeplay serve), so this one is refused.');
    assert.match(connectionMessage(plainT, { from: 'default/probe', host: 'legacy', port: 80, address: '10.96.7.7', service: 'default/legacy', endpoint: '192.168.0.9:80', outcome: 'refused' }).text, /refused\. No pod has that endpoint's address\.$/);
  });

  it('takes host:port with a port in range', () => {
    assert.deepStrictEqual(parseTarget(' web.shop:80 '), { host: 'web.shop', port: 80 });
    assert.strictEqual(parseTarget('web'), undefined);
    assert.strictEqual(parseTarget('web:0'), undefined);
    assert.strictEqual(parseTarget('web:65536'), undefined);
  });
});
