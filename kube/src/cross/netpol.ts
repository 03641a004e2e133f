/**
 * NetworkPolicy checks that weigh a namespace's policies together, the way
 * the network plugin does (kube/src/networkPolicy.ts):
 *
 * - `netpol-blocks-dns`: a policy lets its pods out to other pods (an egress
 *   rule to pod or namespace selectors, or to anywhere), but no policy of the
 *   namespace lets them reach the cluster DNS (the kube-dns pods in
 *   kube-system, port 53 over UDP, which resolvers ask first). Every name
 *   lookup then times out, so the Service names those rules were written for
 *   never resolve: the best-known NetworkPolicy trap. A quick fix adds the
 *   usual rule. Policies that only deny, or only allow addresses (ipBlock),
 *   are left alone: their pods are meant to be cut off, or to connect by IP.
 */
import type { Finding } from '../rules/types';
import { connectionVerdict, policyTypesOf, type NetEnd } from '../networkPolicy';
import type { CrossEnv } from './env';
import { sameNamespace } from './objects';

type Obj = Record<string, unknown>;
const rec = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);

/** A CoreDNS pod as kubeadm, kind, minikube and the playground deploy it. */
const CLUSTER_DNS: NetEnd = {
  pod: {
    namespace: 'kube-system',
    name: 'coredns',
    labels: { 'k8s-app': 'kube-dns' },
    namespaceLabels: { 'kubernetes.io/metadata.name': 'kube-system' },
    containers: [{ name: 'coredns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] }],
  },
  // Policies see the pod's address, after kube-proxy has translated the Service's 10.96.0.10.
  ip: '10.244.0.2',
};

/**
 * Labels a pod the selector selects would carry: matchLabels, the first value
 * of each `In`, any value for `Exists`. Undefined when no pod can match
 * (a key both required and forbidden), so nothing is said.
 */
function exampleLabels(sel: Obj | undefined): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec(sel?.matchLabels) ?? {})) out[k] = String(v);
  const banned = new Set<string>();
  for (const e of Array.isArray(sel?.matchExpressions) ? sel!.matchExpressions : []) {
    const x = rec(e);
    const key = typeof x?.key === 'string' ? x.key : '';
    const values = Array.isArray(x?.values) ? x!.values.map(String) : [];
    if (x?.operator === 'In' && values.length && !(key in out)) out[key] = values[0];
    else if (x?.operator === 'Exists' && !(key in out)) out[key] = 'x';
    else if (x?.operator === 'DoesNotExist') banned.add(key);
    else if (x?.operator === 'NotIn' && out[key] !== undefined && values.includes(out[key])) return undefined;
  }
  for (const k of banned) if (k in out) return undefined;
  return out;
}

export const DNS_RULE_TEXT = 'to kube-system pods labelled k8s-app=kube-dns, ports 53/UDP and 53/TCP';

export function networkPolicyChecks(spec: Obj, name: string, namespace: string | undefined, env: CrossEnv, push: (f: Finding) => void): void {
  const types = policyTypesOf(spec);
  if (!types.includes('Egress') || !Array.isArray(spec.egress)) return;
  const toPods = (rule: unknown) => {
    const to = rec(rule)?.to;
    return !Array.isArray(to) || !to.length || to.some((p) => rec(p)?.podSelector != null || rec(p)?.namespaceSelector != null);
  };
  if (!spec.egress.some(toPods)) return;
  const labels = exampleLabels(rec(spec.podSelector));
  if (!labels) return;
  const ns = namespace ?? 'default';
  // The namespace's policies as the network plugin would weigh them for such a pod (each placed in `ns`, so that a
  // manifest without a namespace stands with its neighbours in the same one).
  const policies = [...env.networkPolicies]
    .filter((o) => sameNamespace(o.namespace, namespace))
    .map((o) => ({ metadata: { namespace: ns, name: o.name }, spec: o.networkPolicy }));
  const source: NetEnd = { pod: { namespace: ns, name: `${name}-pod`, labels, namespaceLabels: { 'kubernetes.io/metadata.name': ns } }, ip: '10.244.1.10' };
  const v = connectionVerdict(policies, source, CLUSTER_DNS, 53, 'UDP');
  if (v.allowed || v.deniedBy !== 'egress') return;
  const tcpOnly = connectionVerdict(policies, source, CLUSTER_DNS, 53, 'TCP').allowed;
  push({
    code: 'netpol-blocks-dns', severity: 'warning', path: ['spec', 'egress'], target: 'key',
    message: `The pods this NetworkPolicy selects cannot resolve names: no egress rule of ${policies.length > 1 ? 'the namespace\'s policies' : 'this policy'} lets them reach the cluster DNS (${DNS_RULE_TEXT})`
      + `${tcpOnly ? '; TCP alone is allowed, and resolvers ask over UDP first' : ''}. Every lookup times out (nslookup: "connection timed out; no servers could be reached", curl: "Could not resolve host"), so the Services these rules allow cannot be reached by name.`,
    data: { addDnsEgress: true },
  });
}
