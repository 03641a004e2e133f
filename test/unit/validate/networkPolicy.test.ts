import * as assert from 'assert';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';

/** The editor's NetworkPolicy checks: a default-deny egress that cuts the pods off from DNS, and the quick fix. */
const DENY_ALL = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  - Egress
`;
const ALLOW_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
  - Egress
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
`;

describe('validate/networkPolicy', () => {
  it('warns that a default-deny egress policy leaves its pods without DNS, at its Egress', () => {
    const { list } = diagnose(DENY_ALL);
    const [d, ...rest] = byCode(list, 'netpol-blocks-dns');
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /^The pods this NetworkPolicy selects can no longer resolve names: no egress rule of this policy lets them reach the cluster DNS/);
    assert.strictEqual(textAt(DENY_ALL, d.range), 'Egress');
    // Ingress-only policies leave DNS alone.
    assert.deepStrictEqual(byCode(diagnose(DENY_ALL.replace('  - Egress\n', '')).list, 'netpol-blocks-dns'), []);
  });

  it('weighs the namespace\'s other policies: a separate allow-dns policy (same file or elsewhere) answers it', () => {
    assert.deepStrictEqual(byCode(diagnose(`${DENY_ALL}---\n${ALLOW_DNS}`).list, 'netpol-blocks-dns'), []);
    assert.deepStrictEqual(byCode(diagnose(DENY_ALL, { others: { 'dns.yaml': ALLOW_DNS } }).list, 'netpol-blocks-dns'), []);
    // Of another namespace, it does not.
    assert.strictEqual(byCode(diagnose(DENY_ALL, { others: { 'dns.yaml': ALLOW_DNS.replace('namespace: shop', 'namespace: other') } }).list, 'netpol-blocks-dns').length, 1);
    // TCP alone does not do: resolvers ask over UDP.
    const tcp = diagnose(`${DENY_ALL}---\n${ALLOW_DNS.replace('protocol: UDP', 'protocol: TCP')}`).list;
    assert.match(byCode(tcp, 'netpol-blocks-dns')[0].message, /TCP alone is allowed, and resolvers ask over UDP first/);
  });

  it('an egress rule to a Service\'s address does not count: policies see the pod behind it', () => {
    const ip = DENY_ALL.replace('  - Egress\n', '  - Egress\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.96.0.10/32\n');
    assert.strictEqual(byCode(diagnose(ip).list, 'netpol-blocks-dns').length, 1);
    const open = DENY_ALL.replace('  - Egress\n', '  - Egress\n  egress:\n  - ports:\n    - port: 53\n      protocol: UDP\n');
    assert.deepStrictEqual(byCode(diagnose(open).list, 'netpol-blocks-dns'), []);
  });

  it('the quick fix adds the DNS rule, after the rules there are or as the first', () => {
    const { actions } = quickFixes(DENY_ALL, 'netpol-blocks-dns');
    assert.strictEqual(actions[0].title, 'Allow DNS: egress to the kube-dns pods in kube-system on port 53 (UDP and TCP)');
    const fixed = applyEdits(DENY_ALL, Object.values(actions[0].edit.changes)[0]);
    assert.strictEqual(fixed, `${DENY_ALL}  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
`);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'netpol-blocks-dns'), []);
    const withRule = DENY_ALL + '  egress:\n  - to:\n    - podSelector:\n        matchLabels:\n          app: db\n';
    const again = quickFixes(withRule, 'netpol-blocks-dns').actions[0];
    const fixed2 = applyEdits(withRule, Object.values(again.edit.changes)[0]);
    assert.ok(fixed2.startsWith(withRule + '  - to:\n    - namespaceSelector:'), fixed2);
    assert.deepStrictEqual(byCode(diagnose(fixed2).list, 'netpol-blocks-dns'), []);
  });
});
