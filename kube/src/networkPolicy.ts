/**
 * What NetworkPolicies (networking.k8s.io/v1) let through, as the network
 * plugins that enforce them decide it. A connection is allowed when the
 * source pod's egress and the destination pod's ingress both allow it. A pod
 * is isolated for a direction once any policy of its namespace selects it
 * with that direction in its policyTypes; an isolated pod takes only what
 * the union of those policies' rules allows. Traffic from or to the node a
 * pod runs on (probes, port-forward) is never judged, nor a pod reaching
 * itself. Replies of an allowed connection are not judged either (the
 * plugins track connections), so only the opening direction counts.
 *
 * Pure: the callers hand in the policies, and the two ends with their labels,
 * their namespace's labels and their addresses. Used by the playground's
 * network model and by the editor's checks.
 */
import { labelSelectorSelects as matches, labelSelectorToString } from './labels';
import { cidrContains, parseCidr } from './cidr';

export type PolicyType = 'Ingress' | 'Egress';

/** One end of a connection: a pod, or an address outside the pod network. */
export interface NetEnd {
  /** Absent for an address outside the cluster's pods. */
  pod?: {
    namespace: string;
    name: string;
    labels?: Record<string, string> | null;
    /** The labels of the pod's namespace (kubernetes.io/metadata.name among them). */
    namespaceLabels?: Record<string, string> | null;
    /** The pod's containers, whose named ports a policy's named port resolves against. */
    containers?: any[];
  };
  ip?: string;
}

export interface Verdict {
  allowed: boolean;
  /** Which end's policies dropped it: the source's egress or the destination's ingress. */
  deniedBy?: 'egress' | 'ingress';
  /** The policies (`namespace/name`) that isolate that end, none of which allows the connection. */
  policies?: string[];
}

/**
 * What a connection from a pod to `host:port` met, step by step, as the playground traces it
 * (GET /kubeplay/v1/namespaces/{ns}/pods/{pod}/connect) and the extension words it.
 */
export interface ConnectionTrace {
  /** `namespace/name` of the pod it came from. */
  from: string;
  host: string;
  port: number;
  /** The name as the resolver found it, and its address; absent when it did not resolve. */
  fqdn?: string;
  address?: string;
  /** Why a name did not resolve: the cluster DNS does not answer this pod, or it knows no such name. */
  dns?: 'unanswered' | 'unknown';
  /** The Service kube-proxy translated the address for (`namespace/name`), and the endpoint it picked (`ip:port`). */
  service?: string;
  endpoint?: string;
  /** The pod behind the address (`namespace/name`), its IP and port. */
  pod?: string;
  podIP?: string;
  targetPort?: number;
  verdict?: Verdict;
  /** The connection reached the kube-apiserver (the kubernetes Service's endpoint), which answers it. */
  apiserver?: boolean;
  outcome: 'open' | 'refused' | 'timeout' | 'unresolved';
}

type Policy = { metadata?: { namespace?: string; name?: string }; spec?: any };

const isList = (v: unknown): v is any[] => Array.isArray(v);

/**
 * A policy's directions: the ones it lists, or, where it lists none,
 * Ingress, and Egress too when it has egress rules (SetDefaults_NetworkPolicy;
 * the apiserver stores that, and the editor reads unstored manifests).
 */
export function policyTypesOf(spec: any): PolicyType[] {
  const given = isList(spec?.policyTypes) ? spec.policyTypes.filter((t: unknown): t is PolicyType => t === 'Ingress' || t === 'Egress') : [];
  if (isList(spec?.policyTypes) && spec.policyTypes.length) return given;
  return isList(spec?.egress) && spec.egress.length ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Whether the policy selects this pod (its own namespace only; an empty podSelector selects every pod there). */
export function policySelects(policy: Policy, pod: NonNullable<NetEnd['pod']>): boolean {
  if ((policy.metadata?.namespace ?? 'default') !== pod.namespace) return false;
  const sel = policy.spec?.podSelector;
  // The field is required; an object that lacks it was never stored, and selects every pod like an empty one.
  return matches(sel ?? {}, pod.labels);
}

/** Whether a peer of a rule (from / to) names this end; `policyNamespace` is where a bare podSelector looks. */
export function peerMatches(peer: any, end: NetEnd, policyNamespace: string): boolean {
  if (!peer || typeof peer !== 'object') return false;
  if (peer.ipBlock && typeof peer.ipBlock === 'object') {
    if (!end.ip) return false;
    const block = parseCidr(peer.ipBlock.cidr);
    if (!block || !cidrContains(block, end.ip)) return false;
    for (const ex of isList(peer.ipBlock.except) ? peer.ipBlock.except : []) {
      const e = parseCidr(ex);
      if (e && cidrContains(e, end.ip)) return false;
    }
    return true;
  }
  const pod = end.pod;
  if (!pod) return false;
  const hasNs = peer.namespaceSelector !== undefined && peer.namespaceSelector !== null;
  const hasPod = peer.podSelector !== undefined && peer.podSelector !== null;
  if (!hasNs && !hasPod) return false;
  if (hasNs) {
    if (!matches(peer.namespaceSelector, pod.namespaceLabels ?? { 'kubernetes.io/metadata.name': pod.namespace })) return false;
  } else if (pod.namespace !== policyNamespace) return false;
  return !hasPod || matches(peer.podSelector, pod.labels);
}

/** The destination pod's container ports named `name` (the policy's named port) with that protocol. */
function namedPortNumbers(containers: any[] | undefined, name: string, protocol: string): number[] {
  const out: number[] = [];
  for (const c of containers ?? []) {
    for (const p of isList(c?.ports) ? c.ports : []) {
      if (p?.name === name && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') out.push(p.containerPort);
    }
  }
  return out;
}

/** Whether one entry of a rule's ports takes this port and protocol at the destination. */
export function portMatches(entry: any, port: number, protocol: string, dest: NetEnd): boolean {
  if (!entry || typeof entry !== 'object') return false;
  if ((entry.protocol ?? 'TCP') !== protocol) return false;
  const p = entry.port;
  if (p === undefined || p === null) return true;
  if (typeof p === 'number') {
    const end = typeof entry.endPort === 'number' ? entry.endPort : p;
    return port >= p && port <= end;
  }
  if (typeof p === 'string') {
    if (/^\d+$/.test(p)) return Number(p) === port;
    return namedPortNumbers(dest.pod?.containers, p, protocol).includes(port);
  }
  return false;
}

function ruleAllows(rule: any, peerKey: 'from' | 'to', peer: NetEnd, dest: NetEnd, port: number, protocol: string, ns: string): boolean {
  if (!rule || typeof rule !== 'object') return false;
  const peers = rule[peerKey];
  if (isList(peers) && peers.length && !peers.some((x) => peerMatches(x, peer, ns))) return false;
  const ports = rule.ports;
  if (isList(ports) && ports.length && !ports.some((x) => portMatches(x, port, protocol, dest))) return false;
  return true;
}

const keyOf = (p: Policy) => `${p.metadata?.namespace ?? 'default'}/${p.metadata?.name ?? ''}`;

/**
 * One direction at one pod: the policies isolating it that way, and whether
 * any of their rules takes the connection. `self` is the isolated pod, `other`
 * the far end; `dest` is whichever is the destination (named ports are its).
 */
function sideVerdict(policies: Policy[], type: PolicyType, self: NonNullable<NetEnd['pod']>, other: NetEnd, dest: NetEnd, port: number, protocol: string): { isolated: string[]; allowed: boolean } {
  const isolated: string[] = [];
  let allowed = false;
  for (const pol of policies) {
    if (!policySelects(pol, self) || !policyTypesOf(pol.spec).includes(type)) continue;
    isolated.push(keyOf(pol));
    if (allowed) continue;
    const rules = type === 'Ingress' ? pol.spec?.ingress : pol.spec?.egress;
    const ns = pol.metadata?.namespace ?? 'default';
    for (const r of isList(rules) ? rules : []) {
      if (ruleAllows(r, type === 'Ingress' ? 'from' : 'to', other, dest, port, protocol, ns)) { allowed = true; break; }
    }
  }
  return { isolated: isolated.sort(), allowed: allowed || isolated.length === 0 };
}

/**
 * Whether a connection from `from` to `to` at the destination's `port` and
 * `protocol` (after a Service's address is translated to a pod's) opens.
 */
export function connectionVerdict(policies: readonly Policy[], from: NetEnd, to: NetEnd, port: number, protocol = 'TCP'): Verdict {
  if (from.pod && to.pod && from.pod.namespace === to.pod.namespace && from.pod.name === to.pod.name) return { allowed: true };
  const list = policies as Policy[];
  if (from.pod) {
    const e = sideVerdict(list, 'Egress', from.pod, to, to, port, protocol);
    if (!e.allowed) return { allowed: false, deniedBy: 'egress', policies: e.isolated };
  }
  if (to.pod) {
    const i = sideVerdict(list, 'Ingress', to.pod, from, to, port, protocol);
    if (!i.allowed) return { allowed: false, deniedBy: 'ingress', policies: i.isolated };
  }
  return { allowed: true };
}

/** The policies that isolate a pod, per direction (for describing a pod). */
export function isolationOf(policies: readonly Policy[], pod: NonNullable<NetEnd['pod']>): { ingress: string[]; egress: string[] } {
  const out = { ingress: [] as string[], egress: [] as string[] };
  for (const pol of policies) {
    if (!policySelects(pol, pod)) continue;
    const types = policyTypesOf(pol.spec);
    if (types.includes('Ingress')) out.ingress.push(keyOf(pol));
    if (types.includes('Egress')) out.egress.push(keyOf(pol));
  }
  out.ingress.sort();
  out.egress.sort();
  return out;
}

/*
 * The rules in words, for the tree and the CLI (`from pods app=web in this namespace · 80/TCP`), read as
 * kubectl describe reads them: two peers are either, a rule's ports and peers are both.
 */

/** A translator: the message with its `{0}`… filled in (identity-like for English). */
export type Words = (message: string, ...args: (string | number)[]) => string;

/** Fills `{0}`… in English, for callers without a translation. */
export const english: Words = (m, ...args) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

/** A pod selector in words: `app=web`, or `all pods` for an empty one. */
export const selectorText = (t: Words, sel: any) => (sel && (Object.keys(sel.matchLabels ?? {}).length || (sel.matchExpressions ?? []).length) ? labelSelectorToString(sel) : t('all pods'));

function peerText(t: Words, peer: any): string {
  if (peer?.ipBlock) {
    const except: string[] = peer.ipBlock.except ?? [];
    return except.length ? t('{0} except {1}', peer.ipBlock.cidr, except.join(', ')) : String(peer.ipBlock.cidr);
  }
  const ns = peer?.namespaceSelector;
  const pods = peer?.podSelector;
  const nsText = ns ? (Object.keys(ns.matchLabels ?? {}).length || (ns.matchExpressions ?? []).length ? t('namespaces {0}', labelSelectorToString(ns)) : t('every namespace')) : t('this namespace');
  if (!pods) return t('all pods in {0}', nsText);
  return t('pods {0} in {1}', selectorText(t, pods), nsText);
}

function portsText(t: Words, ports: any[] | undefined): string {
  if (!ports?.length) return t('any port');
  return ports.map((p) => `${p.port ?? t('any port')}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
}

/** One rule as a line: `from pods app=web in this namespace · 80/TCP`. */
export function ruleText(t: Words, dir: 'ingress' | 'egress', rule: any): string {
  const peers: any[] = (dir === 'ingress' ? rule?.from : rule?.to) ?? [];
  const who = peers.length ? peers.map((p) => peerText(t, p)).join(t(' or ')) : t('anywhere');
  return `${dir === 'ingress' ? t('from {0}', who) : t('to {0}', who)} · ${portsText(t, rule?.ports)}`;
}

