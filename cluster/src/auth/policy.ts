/**
 * The default roles and bindings the apiserver's RBAC post-start hook keeps
 * in every cluster (plugin/pkg/auth/authorizer/rbac/bootstrappolicy): the
 * ones a learner meets (cluster-admin, admin, edit, view and their
 * aggregation roles, discovery, basic-user, public-info-viewer, auth-delegator,
 * service-account-issuer-discovery, and the
 * node-proxier role kube-proxy is bound to). The
 * controllers' own system:controller:* roles are left out: the playground's
 * components do not go through the API's authorizer.
 */
import type { KObject } from '../contract';
import type { ApiServer } from '../apiserver/api';
import { deepCopy } from '../runtime/objects';
import { ADMIN_WRITE, APISERVER_WRITE } from './identities';

const GROUP = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });
const meta = (name: string, labels: Record<string, string> = {}) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults', ...labels },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

const AGG = (to: string) => ({ [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' });

const clusterRole = (name: string, rules: any[], labels?: Record<string, string>, aggregateFrom?: string): KObject => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'ClusterRole',
  metadata: meta(name, labels),
  ...(aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: AGG(aggregateFrom) }] } } : {}),
  rules,
} as KObject);

const VIEW_RULES = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
  rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
  rule([''], ['namespaces'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

const EDIT_RULES = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], WRITE),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], WRITE),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
];

const ADMIN_RULES = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule([GROUP], ['rolebindings', 'roles'], RW),
];

export const BOOTSTRAP_CLUSTER_ROLES: KObject[] = [
  clusterRole('cluster-admin', [rule(['*'], ['*'], ['*']), { nonResourceURLs: ['*'], verbs: ['*'] }]),
  // admin ⊇ edit ⊇ view: each aggregates the next one down (the aggregation controller fills their rules).
  // In the order the aggregation controller writes them: the matched roles' rules by role name.
  clusterRole('admin', [...EDIT_RULES, ...VIEW_RULES, ...ADMIN_RULES], {}, 'admin'),
  clusterRole('edit', [...EDIT_RULES, ...VIEW_RULES], AGG('admin'), 'edit'),
  clusterRole('view', VIEW_RULES, AGG('edit'), 'view'),
  clusterRole('system:aggregate-to-admin', ADMIN_RULES, AGG('admin')),
  clusterRole('system:aggregate-to-edit', EDIT_RULES, AGG('edit')),
  clusterRole('system:aggregate-to-view', VIEW_RULES, AGG('view')),
  clusterRole('system:discovery', [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  clusterRole('system:basic-user', [
    rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']),
    rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create']),
  ]),
  clusterRole('system:public-info-viewer', [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }]),
  // Authentication and authorization delegation (an aggregated apiserver or a proxy asking the apiserver who a
  // token is and what they may do): the non-mutating review creates.
  clusterRole('system:auth-delegator', [
    rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create']),
  ]),
  // The OIDC discovery document and key set, bound to every service account.
  clusterRole('system:service-account-issuer-discovery', [{
    nonResourceURLs: ['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'], verbs: ['get'],
  }]),
  // CertificateSigningRequests: what a kubelet's bootstrap needs, what the csrapproving controller asks a
  // requester may do (nodeclient for a new node, selfnodeclient for a renewal), and approving per signer.
  clusterRole('system:node-bootstrapper', [rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create'])]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create'])]),
  ...['kube-apiserver-client', 'kube-apiserver-client-kubelet', 'kubelet-serving', 'legacy-unknown'].map((signer) =>
    clusterRole(`system:certificates.k8s.io:${signer}-approver`, [{ apiGroups: ['certificates.k8s.io'], resources: ['signers'], resourceNames: [`kubernetes.io/${signer}`], verbs: ['approve'] }])),
  // What kubeadm binds kube-proxy's ServiceAccount to (kubeadm:node-proxier).
  clusterRole('system:node-proxier', [
    rule([''], ['endpoints', 'services'], ['list', 'watch']),
    rule([''], ['nodes'], READ),
    rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch']),
  ]),
];

const group = (name: string) => ({ apiGroup: GROUP, kind: 'Group', name });
const binding = (name: string, subjects: any[]): KObject => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'ClusterRoleBinding',
  metadata: meta(name),
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name },
  subjects,
} as KObject);

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: KObject[] = [
  binding('cluster-admin', [group('system:masters')]),
  binding('system:basic-user', [group('system:authenticated')]),
  binding('system:discovery', [group('system:authenticated')]),
  binding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  binding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
];

/**
 * kubeadm init's bindings for kubelet certificates (phases/bootstraptoken/node/tlsbootstrap.go): bootstrap
 * tokens may ask for a node client certificate and have it auto-approved, nodes may renew their own.
 */
const kubeadmBinding = (name: string, role: string, groupName: string): KObject => ({
  apiVersion: `${GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: { name },
  roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role }, subjects: [group(groupName)],
} as KObject);
export const KUBEADM_CLUSTER_ROLE_BINDINGS: KObject[] = [
  kubeadmBinding('kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', 'system:bootstrappers:kubeadm:default-node-token'),
  kubeadmBinding('kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', 'system:bootstrappers:kubeadm:default-node-token'),
  kubeadmBinding('kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', 'system:nodes'),
];

/** The RBAC post-start hook: creates the default roles and bindings a cluster lacks. */
export function ensureRbacDefaults(api: ApiServer): void {
  const gvr = (resource: string) => ({ group: 'rbac.authorization.k8s.io', version: 'v1', resource });
  for (const r of BOOTSTRAP_CLUSTER_ROLES) if (!api.store.get(`${GROUP}/clusterroles`, undefined, r.metadata.name!)) api.create(gvr('clusterroles'), undefined, deepCopy(r), APISERVER_WRITE);
  for (const b of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) if (!api.store.get(`${GROUP}/clusterrolebindings`, undefined, b.metadata.name!)) api.create(gvr('clusterrolebindings'), undefined, deepCopy(b), APISERVER_WRITE);
}

/**
 * kubeadm init's certificate bindings, once, on a new cluster with a control plane (a user may delete them); kubeadm
 * writes with admin.conf (cmd/kubeadm/app/cmd/init.go Client: EnsureAdminClusterRoleBinding's client).
 */
export function installKubeadmCertificateBindings(api: ApiServer): void {
  const gvr = { group: GROUP, version: 'v1', resource: 'clusterrolebindings' };
  for (const b of KUBEADM_CLUSTER_ROLE_BINDINGS) if (!api.store.get(`${GROUP}/clusterrolebindings`, undefined, b.metadata.name!)) api.create(gvr, undefined, deepCopy(b), ADMIN_WRITE);
}
