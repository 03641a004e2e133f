/**
 * The Node authorizer (plugin/pkg/auth/authorizer/node/node_authorizer.go), which kind and kubeadm run before RBAC
 * (`--authorization-mode=Node,RBAC`). A node identity (nodeidentifier: a user named `system:node:<name>` in the
 * `system:nodes` group) is allowed what the static bootstrappolicy.NodeRules() allow, and, without any graph,
 * its own node lease and CSINode. Everyone else gets no opinion, and RBAC decides.
 *
 * Not simulated: the graph of what is bound to a node (secrets, configmaps, volumes, resource claims and slices,
 * service-account tokens, volume attachments) and the field-selector checks on nodes and pods
 * (AuthorizeNodeWithSelectors). For those resources the authorizer here has no opinion, so RBAC decides as before.
 */
import type { UserInfo } from './issuer';
import { ruleAllows, type Decision, type RequestAttributes } from './rbac';

export const NODES_GROUP = 'system:nodes';
const NODE_USER_PREFIX = 'system:node:';
const READ = ['get', 'list', 'watch'];

const rule = (apiGroups: string[], resources: string[], verbs: string[]) => ({ apiGroups, resources, verbs });

/** bootstrappolicy.NodeRules() of v1.34, with the gates on by default (no DRA, ClusterTrustBundle or PodCertificateRequest). */
export const NODE_RULES = [
  // Needed to check API access.
  rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
  rule(['authorization.k8s.io'], ['subjectaccessreviews', 'localsubjectaccessreviews'], ['create']),
  // Service env vars.
  rule([''], ['services'], READ),
  // Registering and reporting on the node (NodeRestriction keeps a node to its own).
  rule([''], ['nodes'], ['create', 'get', 'list', 'watch']),
  rule([''], ['nodes/status'], ['update', 'patch']),
  rule([''], ['nodes'], ['update', 'patch']),
  rule([''], ['events'], ['create', 'update', 'patch']),
  rule([''], ['pods'], READ),
  // Mirror pods, pod status, evictions.
  rule([''], ['pods'], ['create', 'delete']),
  rule([''], ['pods/status'], ['update', 'patch']),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['secrets', 'configmaps'], READ),
  rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
  rule([''], ['endpoints'], ['get']),
  // A node's own client certificate: create the CSR and watch it being signed (certificate rotation).
  rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch']),
  rule(['coordination.k8s.io'], ['leases'], ['get', 'create', 'update', 'patch', 'delete']),
  rule(['storage.k8s.io'], ['volumeattachments'], ['get']),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule([''], ['persistentvolumeclaims/status'], ['get', 'update', 'patch']),
  rule(['storage.k8s.io'], ['csidrivers'], ['get', 'watch', 'list']),
  rule(['storage.k8s.io'], ['csinodes'], ['get', 'create', 'update', 'patch', 'delete']),
  rule(['node.k8s.io'], ['runtimeclasses'], READ),
];

/** nodeidentifier.NodeIdentity: the node's name, or undefined for a user who is no node. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.username.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return undefined;
  return user.username.slice(NODE_USER_PREFIX.length);
}

/** Resources the upstream authorizer subdivides through its graph (or selectors): not decided here. */
const SUBDIVIDED = new Set([
  '/secrets', '/configmaps', '/persistentvolumeclaims', '/persistentvolumes', '/serviceaccounts', '/nodes', '/pods',
  'resource.k8s.io/resourceclaims', 'resource.k8s.io/resourceslices', 'storage.k8s.io/volumeattachments',
]);

/** NodeAuthorizer.Authorize; undefined is no opinion without a reason (the next authorizer decides). */
export function authorizeNode(user: UserInfo, a: RequestAttributes): Decision | undefined {
  const node = nodeIdentity(user);
  if (node === undefined) return undefined;
  if (node === '') return { allowed: false, reason: `unknown node for user ${JSON.stringify(user.username)}` };
  if (a.path === undefined) {
    const key = `${a.apiGroup ?? ''}/${a.resource}`;
    if (SUBDIVIDED.has(key)) return undefined;
    if (key === 'coordination.k8s.io/leases') return nodeLease(node, a);
    if (key === 'storage.k8s.io/csinodes') return csiNode(node, a);
  }
  return NODE_RULES.some((r) => ruleAllows(r, a)) ? { allowed: true } : undefined;
}

const FIVE_VERBS = ['get', 'create', 'update', 'patch', 'delete'];

/** authorizeLease: the node's own lease in kube-node-lease (a create has no name to check; NodeRestriction does). */
function nodeLease(node: string, a: RequestAttributes): Decision {
  if (!FIVE_VERBS.includes(a.verb)) return { allowed: false, reason: 'can only get, create, update, patch, or delete a node lease' };
  if (a.namespace !== 'kube-node-lease') return { allowed: false, reason: 'can only access leases in the "kube-node-lease" system namespace' };
  if (a.verb !== 'create' && a.name !== node) return { allowed: false, reason: 'can only access node lease with the same name as the requesting node' };
  return { allowed: true };
}

/** authorizeCSINode: the node's own CSINode, no subresource. */
function csiNode(node: string, a: RequestAttributes): Decision {
  if (!FIVE_VERBS.includes(a.verb)) return { allowed: false, reason: 'can only get, create, update, patch, or delete a CSINode' };
  if (a.subresource) return { allowed: false, reason: 'cannot authorize CSINode subresources' };
  if (a.verb !== 'create' && a.name !== node) return { allowed: false, reason: 'can only access CSINode with the same name as the requesting node' };
  return { allowed: true };
}

/** NodeAuthorizer.RulesFor: a node's rules are not enumerated. */
export const NODE_RULES_ERROR = 'node authorizer does not support user rule resolution';
