import * as assert from 'assert';
import { ClusterStore } from '../../../client/src/model/store';
import { plainT, TreeModel, TreeContext } from '../../../client/src/model/tree';
import type { TreeNode } from '../../../client/src/model/node';

/** NetworkPolicies in the extension's tree: the pods each selects, its rules in plain words, and a pod's isolation in its tooltip. */
const NOW = Date.parse('2026-01-05T10:00:00Z');

function store(): ClusterStore {
  const s = new ClusterStore();
  s.apply('namespaces', 'ADDED', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', uid: 'ns', labels: { 'kubernetes.io/metadata.name': 'shop' } }, status: { phase: 'Active' } });
  const pod = (name: string, labels: Record<string, string>) => s.apply('pods', 'ADDED', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', uid: name, labels, creationTimestamp: '2026-01-05T09:00:00Z' },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'nginx' }] }, status: { phase: 'Running', podIP: '10.244.1.5' },
  });
  pod('web-1', { app: 'web' });
  pod('db-1', { app: 'db' });
  s.apply('networkpolicies', 'ADDED', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny', namespace: 'shop', uid: 'a' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  s.apply('networkpolicies', 'ADDED', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db-from-web', namespace: 'shop', uid: 'b' },
    spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'ops' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }] } });
  return s;
}

describe('client/network policies', () => {
  it('lists each policy with the pods it selects and its rules, and says in a pod\'s tooltip which policies isolate it', () => {
    const c: TreeContext = { store: store(), t: plainT, now: () => NOW, target: { kind: 'playground', name: 'kubeplay', connected: true } } as TreeContext;
    const find = (nodes: TreeNode[], label: string) => {
      const n = nodes.find((x) => x.label === label);
      assert.ok(n, `no "${label}" among ${nodes.map((x) => x.label).join(', ')}`);
      return n!;
    };
    const ns = find(find(new TreeModel(c).roots(), 'Namespaces').children!(), 'shop');
    const group = find(ns.children!(), 'NetworkPolicies');
    assert.strictEqual(group.description, '2');
    const deny = find(group.children!(), 'default-deny');
    assert.strictEqual(deny.description, 'all pods · Ingress, Egress · 2 pods');
    assert.deepStrictEqual(deny.children!().map((n) => `${n.label}: ${n.description}`), ['Ingress: nothing gets in (the pods are isolated)', 'Egress: nothing gets out (the pods are isolated)']);
    const db = find(group.children!(), 'db-from-web');
    assert.strictEqual(db.description, 'app=db · Ingress · 1 pod');
    assert.deepStrictEqual(db.children!().map((n) => `${n.label}: ${n.description}`), ['Ingress: from pods app=web in this namespace or all pods in namespaces team=ops · 5432/TCP']);
    const pods = find(find(ns.children!(), 'Workloads').children!(), 'Pods').children!();
    assert.match(String(find(pods, 'db-1').tooltip?.()).replace(/\\/g, ''), /\n- NetworkPolicies: ingress isolated by db-from-web, default-deny; egress isolated by default-deny$/);
  });
});
