/**
 * API Priority and Fairness as kube-apiserver v1.34 configures it: the mandatory and suggested FlowSchemas and
 * PriorityLevelConfigurations of k8s.io/apiserver pkg/apis/flowcontrol/bootstrap/default.go (flowcontrol v1: each
 * Limited level with its nominalConcurrencyShares, lendablePercent and queuing), and the classification
 * apf_controller.go makes of a request: the FlowSchemas by matchingPrecedence then name (FlowSchemaSequence), the
 * first whose rules match (rule.go matchesPolicyRule) wins, catch-all when none does.
 * Nothing here queues or rejects: the playground has no concurrency limit to share.
 */
import type { KObject } from '../contract';

export const FLOW_SCHEMAS = 'flowcontrol.apiserver.k8s.io/flowschemas';
export const PRIORITY_LEVELS = 'flowcontrol.apiserver.k8s.io/prioritylevelconfigurations';
export const AUTOUPDATE_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';
const API_VERSION = 'flowcontrol.apiserver.k8s.io/v1';

const ALL = ['*'];
type Subject = Record<string, unknown>;
const group = (name: string): Subject => ({ kind: 'Group', group: { name } });
const user = (name: string): Subject => ({ kind: 'User', user: { name } });
const kubeSystemSA = (name: string): Subject => ({ kind: 'ServiceAccount', serviceAccount: { namespace: 'kube-system', name } });
const resourceRule = (verbs: string[], apiGroups: string[], resources: string[], namespaces: string[], clusterScope: boolean) =>
  ({ verbs, apiGroups, resources, ...(clusterScope ? { clusterScope } : {}), namespaces });
const everyResource = resourceRule(ALL, ALL, ALL, ALL, true);
const everyPath = { verbs: ALL, nonResourceURLs: ALL };
/** NewFSAll's rule: every verb on every resource, cluster-scoped or not, and every non-resource URL. */
const everything = (subjects: Subject[]) => ({ subjects, resourceRules: [everyResource], nonResourceRules: [everyPath] });

function flowSchema(name: string, pl: string, matchingPrecedence: number, dm: 'ByUser' | 'ByNamespace' | '', ...rules: object[]): KObject {
  return {
    apiVersion: API_VERSION,
    kind: 'FlowSchema',
    metadata: { name },
    spec: { priorityLevelConfiguration: { name: pl }, matchingPrecedence, ...(dm ? { distinguisherMethod: { type: dm } } : {}), rules },
  } as unknown as KObject;
}

function limited(name: string, nominalConcurrencyShares: number, lendablePercent: number, queuing?: [number, number, number]): KObject {
  const limitResponse = queuing
    ? { type: 'Queue', queuing: { queues: queuing[0], handSize: queuing[1], queueLengthLimit: queuing[2] } }
    : { type: 'Reject' };
  return {
    apiVersion: API_VERSION,
    kind: 'PriorityLevelConfiguration',
    metadata: { name },
    spec: { type: 'Limited', limited: { nominalConcurrencyShares, limitResponse, lendablePercent } },
  } as unknown as KObject;
}

const leaderElectionRules = (subjects: Subject[], coreNamespaces: string[]) => ({
  subjects,
  resourceRules: [
    resourceRule(['get', 'create', 'update'], [''], ['endpoints', 'configmaps'], coreNamespaces, false),
    resourceRule(['get', 'create', 'update'], ['coordination.k8s.io'], ['leases'], ALL, false),
  ],
});

/** MandatoryPriorityLevelConfigurations and MandatoryFlowSchemas: kept as they are, whatever users do. */
export function mandatoryPriorityLevels(): KObject[] {
  return [
    limited('catch-all', 5, 0),
    {
      apiVersion: API_VERSION,
      kind: 'PriorityLevelConfiguration',
      metadata: { name: 'exempt' },
      spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } },
    } as unknown as KObject,
  ];
}

export function mandatoryFlowSchemas(): KObject[] {
  return [
    flowSchema('exempt', 'exempt', 1, '', everything([group('system:masters')])),
    flowSchema('catch-all', 'catch-all', 10000, 'ByUser', everything([group('system:unauthenticated'), group('system:authenticated')])),
  ];
}

/** SuggestedPriorityLevelConfigurations and SuggestedFlowSchemas, in default.go's order. */
export function suggestedPriorityLevels(): KObject[] {
  return [
    limited('system', 30, 33, [64, 6, 50]),
    limited('node-high', 40, 25, [64, 6, 50]),
    limited('leader-election', 10, 0, [16, 4, 50]),
    limited('workload-high', 40, 50, [128, 6, 50]),
    limited('workload-low', 100, 90, [128, 6, 50]),
    limited('global-default', 20, 50, [128, 6, 50]),
  ];
}

export function suggestedFlowSchemas(): KObject[] {
  const nodes = [group('system:nodes')];
  return [
    flowSchema('system-nodes', 'system', 500, 'ByUser', everything(nodes)),
    flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
      subjects: nodes,
      resourceRules: [
        resourceRule(ALL, [''], ['nodes', 'nodes/status'], ALL, true),
        resourceRule(ALL, ['coordination.k8s.io'], ['leases'], ALL, false),
      ],
    }),
    flowSchema('probes', 'exempt', 2, '', {
      subjects: [group('system:unauthenticated'), group('system:authenticated')],
      nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
    }),
    flowSchema('system-leader-election', 'leader-election', 100, 'ByUser',
      leaderElectionRules([user('system:kube-controller-manager'), user('system:kube-scheduler'), kubeSystemSA('*')], ['kube-system'])),
    flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', leaderElectionRules([kubeSystemSA('*')], ALL)),
    flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
      subjects: [user('system:kube-controller-manager'), kubeSystemSA('endpoint-controller'), kubeSystemSA('endpointslicemirroring-controller')],
      resourceRules: [resourceRule(['get', 'create', 'update'], [''], ['endpoints'], ALL, false)],
    }),
    flowSchema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', everything([user('system:kube-controller-manager')])),
    flowSchema('kube-scheduler', 'workload-high', 800, 'ByNamespace', everything([user('system:kube-scheduler')])),
    flowSchema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', everything([kubeSystemSA('*')])),
    flowSchema('service-accounts', 'workload-low', 9000, 'ByUser', everything([group('system:serviceaccounts')])),
    flowSchema('global-default', 'global-default', 9900, 'ByUser', everything([group('system:unauthenticated'), group('system:authenticated')])),
  ];
}

/** Who asks and what, as the filter sees it (the RBAC request attributes). */
export interface FlowRequest {
  user: { username: string; groups: string[] };
  verb: string;
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  /** A non-resource request's path. */
  path?: string;
}

const SA_PREFIX = 'system:serviceaccount:';

/** matchesSubject: a user by name, a group by membership, a service account by namespace and name (`*` for any). */
function matchesSubject(r: FlowRequest, s: any): boolean {
  switch (s?.kind) {
    case 'User': return s.user?.name === '*' || s.user?.name === r.user.username;
    case 'Group': return s.group?.name === '*' || r.user.groups.includes(s.group?.name);
    case 'ServiceAccount': {
      if (!r.user.username.startsWith(SA_PREFIX)) return false;
      const [ns, name] = r.user.username.slice(SA_PREFIX.length).split(':');
      return s.serviceAccount?.namespace === ns && (s.serviceAccount?.name === '*' || s.serviceAccount?.name === name);
    }
    default: return false;
  }
}

const has = (list: unknown, v: string) => Array.isArray(list) && (list.includes('*') || list.includes(v));

/** matchesResourcePolicyRule: verb, group, `resource/subresource`, then the namespace (or clusterScope). */
function matchesResourceRule(r: FlowRequest, rule: any): boolean {
  if (!has(rule?.verbs, r.verb) || !has(rule?.apiGroups, r.apiGroup ?? '')) return false;
  const res = r.subresource ? `${r.resource}/${r.subresource}` : r.resource!;
  if (!has(rule?.resources, res)) return false;
  if (!r.namespace) return rule.clusterScope === true;
  return has(rule?.namespaces, r.namespace);
}

/** matchesNonResourcePolicyRule: an exact path, `*`, or a `prefix/*`. */
function matchesNonResourceRule(r: FlowRequest, rule: any): boolean {
  if (!has(rule?.verbs, r.verb)) return false;
  for (const u of Array.isArray(rule?.nonResourceURLs) ? rule.nonResourceURLs : []) {
    if (u === '*' || u === r.path) return true;
    if (typeof u === 'string' && u.endsWith('/*') && r.path!.startsWith(u.slice(0, -1))) return true;
  }
  return false;
}

export function flowSchemaMatches(fs: KObject, r: FlowRequest): boolean {
  for (const rule of (fs as any).spec?.rules ?? []) {
    if (!(rule?.subjects ?? []).some((s: any) => matchesSubject(r, s))) continue;
    if (r.path !== undefined ? (rule.nonResourceRules ?? []).some((x: any) => matchesNonResourceRule(r, x)) : (rule.resourceRules ?? []).some((x: any) => matchesResourceRule(r, x))) return true;
  }
  return false;
}

/** FlowSchemaSequence: matchingPrecedence ascending, then name. */
export function byPrecedence(a: KObject, b: KObject): number {
  const pa = (a as any).spec?.matchingPrecedence ?? 1000;
  const pb = (b as any).spec?.matchingPrecedence ?? 1000;
  if (pa !== pb) return pa - pb;
  const na = a.metadata.name!, nb = b.metadata.name!;
  return na < nb ? -1 : na > nb ? 1 : 0;
}
