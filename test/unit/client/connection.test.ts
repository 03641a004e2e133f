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
    // The kubernetes Service's endpoint is the apiserver, which the playground does not serve to pods.
    assert.strictEqual(connectionMessage(plainT, { from: 'default/probe', host: 'kubernetes', port: 443, address: '10.96.0.1', service: 'default/kubernetes', endpoint: '172.18.0.2:6443', verdict: { allowed: true }, outcome: 'refused' }).text,
      'default/probe → kubernetes:443 (10.96.0.1 → 172.18.0.2:6443): the kube-apiserver\'s endpoint. The playground does not simulate connections from pods to the apiserver, so they are refused.');
    assert.match(connectionMessage(plainT, { from: 'default/probe', host: 'legacy', port: 80, address: '10.96.7.7', service: 'default/legacy', endpoint: '192.168.0.9:80', outcome: 'refused' }).text, /refused\. No pod has that endpoint's address\.$/);
  });

  it('takes host:port with a port in range', () => {
    assert.deepStrictEqual(parseTarget(' web.shop:80 '), { host: 'web.shop', port: 80 });
    assert.strictEqual(parseTarget('web'), undefined);
    assert.strictEqual(parseTarget('web:0'), undefined);
    assert.strictEqual(parseTarget('web:65536'), undefined);
  });
});
