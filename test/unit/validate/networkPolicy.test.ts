import * as assert from 'assert';
import { doHover } from '../../../server/src/service/hover';
import { setup } from '../server/harness';
import { applyEdits, byCode, diagnose, quickFixes, textAt } from './helpers';

/** The editor's NetworkPolicy checks: egress rules to pods while DNS stays cut off, and the quick fix. */
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
const TO_API = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-to-api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Egress
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: api
    ports:
    - port: 8080
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
  it('warns where egress rules let pods out to other pods while DNS stays cut off, at the egress key', () => {
    const text = `${DENY_ALL}---\n${TO_API}`;
    const { list } = diagnose(text);
    const [d, ...rest] = byCode(list, 'netpol-blocks-dns');
    assert.strictEqual(rest.length, 0);
    assert.strictEqual(d.severity, 2);
    assert.match(d.message, /^The pods this NetworkPolicy selects cannot resolve names: no egress rule of the namespace's policies lets them reach the cluster DNS/);
    assert.strictEqual(textAt(text, d.range), 'egress');
    assert.ok(d.range.start.line > DENY_ALL.split('\n').length, 'on web-to-api, not on the policy that only denies');
    // A policy that only denies, or only lets pods out to addresses, means its pods to be cut off or to connect by IP.
    assert.deepStrictEqual(byCode(diagnose(DENY_ALL).list, 'netpol-blocks-dns'), []);
    const byIP = TO_API.replace('    - podSelector:\n        matchLabels:\n          app: api\n', '    - ipBlock:\n        cidr: 10.0.0.0/24\n');
    assert.deepStrictEqual(byCode(diagnose(byIP).list, 'netpol-blocks-dns'), []);
  });

  it('weighs the namespace\'s other policies: a separate allow-dns policy (same file or elsewhere) answers it', () => {
    assert.deepStrictEqual(byCode(diagnose(`${TO_API}---\n${ALLOW_DNS}`).list, 'netpol-blocks-dns'), []);
    assert.deepStrictEqual(byCode(diagnose(TO_API, { others: { 'dns.yaml': ALLOW_DNS } }).list, 'netpol-blocks-dns'), []);
    // Of another namespace, it does not.
    assert.strictEqual(byCode(diagnose(TO_API, { others: { 'dns.yaml': ALLOW_DNS.replace('namespace: shop', 'namespace: other') } }).list, 'netpol-blocks-dns').length, 1);
    // TCP alone does not do: resolvers ask over UDP.
    const tcp = diagnose(`${TO_API}---\n${ALLOW_DNS.replace('protocol: UDP', 'protocol: TCP')}`).list;
    assert.match(byCode(tcp, 'netpol-blocks-dns')[0].message, /TCP alone is allowed, and resolvers ask over UDP first/);
  });

  it('an egress rule to a Service\'s address does not count: policies see the pod behind it', () => {
    const svcIP = TO_API + '  - to:\n    - ipBlock:\n        cidr: 10.96.0.10/32\n';
    assert.strictEqual(byCode(diagnose(svcIP).list, 'netpol-blocks-dns').length, 1);
    const anyDns = TO_API + '  - ports:\n    - port: 53\n      protocol: UDP\n';
    assert.deepStrictEqual(byCode(diagnose(anyDns).list, 'netpol-blocks-dns'), []);
  });

  it('the quick fix appends the DNS rule to the policy\'s egress rules', () => {
    const { actions } = quickFixes(TO_API, 'netpol-blocks-dns');
    assert.strictEqual(actions[0].title, 'Allow DNS: egress to the kube-dns pods in kube-system on port 53 (UDP and TCP)');
    const fixed = applyEdits(TO_API, Object.values(actions[0].edit.changes)[0]);
    assert.strictEqual(fixed, `${TO_API}  - to:
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
  });

  it('hover on a selector says which workloads\' pods, or which namespaces, it picks', () => {
    const deploy = (name: string, ns: string, app: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n`;
    const others = { 'apps.yaml': [deploy('web', 'shop', 'web'), deploy('api', 'shop', 'api'), deploy('web', 'other', 'web'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ops\n  labels:\n    team: ops\n'].join('---\n') };
    const hover = (text: string) => {
      const h = setup(text, { others });
      return JSON.stringify(doHover(h.model, h.pos, h.ctx)?.contents ?? '');
    };
    const policy = (cursorAt: string) => (TO_API + '  - to:\n    - namespaceSelector:\n        matchLabels:\n          team: ops\n      podSelector: {}\n')
      .replace(cursorAt, cursorAt.replace(':', '|:'));
    const own = hover(policy('app: web'));
    assert.match(own, /matches the pods of 1 workload:\\n- Deployment `web` \(shop\) — apps\.yaml:1/);
    const peer = hover(policy('app: api'));
    assert.match(peer, /matches the pods of 1 workload:\\n- Deployment `api` \(shop\)/);
    const ns = hover(policy('team: ops'));
    assert.match(ns, /matches the namespaces: `ops`/);
    // A peer's podSelector under a namespaceSelector looks in those namespaces: none of the workspace's workloads.
    const none = hover(TO_API.replace('          app: api\n', '          app: api\n      namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: other\n').replace('app: api', 'app|: api'));
    assert.match(none, /matches the pods of no workload in the workspace/);
  });

  it('survives selectors typed halfway: the check says nothing, validation reports the operator', () => {
    for (const expr of ['{key: a, operator: I}', '{key: a, operator: }', 'null', '{a: 1}']) {
      const text = TO_API.replace('    matchLabels:\n      app: web\n', `    matchExpressions: [${expr}]\n`);
      const { list } = diagnose(text);
      assert.deepStrictEqual(byCode(list, 'netpol-blocks-dns'), [], expr);
      if (expr.includes('operator: I}')) assert.ok(list.some((d) => /not a valid selector operator/.test(d.message)), JSON.stringify(list.map((d) => d.message)));
    }
  });

  it('the quick fix puts the rule on a line of its own when the file ends without a newline', () => {
    const text = TO_API.replace(/\n$/, '');
    const { actions } = quickFixes(text, 'netpol-blocks-dns');
    const fixed = applyEdits(text, Object.values(actions[0].edit.changes)[0]);
    assert.ok(fixed.startsWith(TO_API + '  - to:\n    - namespaceSelector:'), fixed);
    assert.deepStrictEqual(byCode(diagnose(fixed).list, 'netpol-blocks-dns'), []);
  });
});
