/**
 * Built-in API versions that Kubernetes deprecated or stopped serving.
 *
 * Facts from the upstream "Deprecated API Migration Guide"
 * (kubernetes.io/docs/reference/using-api/deprecation-guide) and the release
 * notes it summarises. The seed document's own Deployment uses
 * extensions/v1beta1, which is why a manifest that "used to work" fails on a
 * current cluster; the table lets the editor say so before the apiserver does.
 */

export interface RemovedApi {
  kind: string;
  apiVersion: string;
  /** Minor release that marked the version deprecated, e.g. `1.9`. */
  deprecatedIn: string;
  /** Minor release that stopped serving it; undefined while only deprecated. */
  removedIn?: string;
  /** apiVersion to migrate to; undefined when the API went away for good (PodSecurityPolicy). */
  replacement?: string;
  /** One-line migration note for hover and messages. */
  note?: string;
}

type Row = [apiVersion: string, kinds: string, deprecatedIn: string, removedIn: string | undefined, replacement: string | undefined, note?: string];

const ROWS: Row[] = [
  // v1.16: workloads leave extensions/v1beta1 and apps/v1beta1|2.
  ['extensions/v1beta1', 'Deployment,DaemonSet,ReplicaSet', '1.9', '1.16', 'apps/v1', 'spec.selector is required in apps/v1'],
  ['apps/v1beta1', 'Deployment,StatefulSet,ReplicaSet,ControllerRevision', '1.9', '1.16', 'apps/v1', 'spec.selector is required in apps/v1'],
  ['apps/v1beta2', 'Deployment,StatefulSet,DaemonSet,ReplicaSet,ControllerRevision', '1.9', '1.16', 'apps/v1', 'spec.selector is required in apps/v1'],
  ['extensions/v1beta1', 'NetworkPolicy', '1.9', '1.16', 'networking.k8s.io/v1'],
  ['extensions/v1beta1', 'PodSecurityPolicy', '1.10', '1.16', 'policy/v1beta1'],
  // v1.17
  ['scheduling.k8s.io/v1alpha1', 'PriorityClass', '1.14', '1.17', 'scheduling.k8s.io/v1'],
  // v1.22
  ['extensions/v1beta1', 'Ingress', '1.14', '1.22', 'networking.k8s.io/v1', 'backend.serviceName/servicePort become backend.service.name/port; pathType is required'],
  ['networking.k8s.io/v1beta1', 'Ingress', '1.19', '1.22', 'networking.k8s.io/v1', 'backend.serviceName/servicePort become backend.service.name/port; pathType is required'],
  ['networking.k8s.io/v1beta1', 'IngressClass', '1.19', '1.22', 'networking.k8s.io/v1'],
  ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration,ValidatingWebhookConfiguration', '1.16', '1.22', 'admissionregistration.k8s.io/v1'],
  ['apiextensions.k8s.io/v1beta1', 'CustomResourceDefinition', '1.16', '1.22', 'apiextensions.k8s.io/v1'],
  ['apiregistration.k8s.io/v1beta1', 'APIService', '1.19', '1.22', 'apiregistration.k8s.io/v1'],
  ['authentication.k8s.io/v1beta1', 'TokenReview', '1.19', '1.22', 'authentication.k8s.io/v1'],
  ['authorization.k8s.io/v1beta1', 'SubjectAccessReview,LocalSubjectAccessReview,SelfSubjectAccessReview,SelfSubjectRulesReview', '1.19', '1.22', 'authorization.k8s.io/v1'],
  ['certificates.k8s.io/v1beta1', 'CertificateSigningRequest', '1.19', '1.22', 'certificates.k8s.io/v1'],
  ['coordination.k8s.io/v1beta1', 'Lease', '1.19', '1.22', 'coordination.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1beta1', 'ClusterRole,ClusterRoleBinding,Role,RoleBinding', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'],
  ['rbac.authorization.k8s.io/v1alpha1', 'ClusterRole,ClusterRoleBinding,Role,RoleBinding', '1.17', '1.22', 'rbac.authorization.k8s.io/v1'],
  ['scheduling.k8s.io/v1beta1', 'PriorityClass', '1.14', '1.22', 'scheduling.k8s.io/v1'],
  ['storage.k8s.io/v1beta1', 'CSIDriver,CSINode,StorageClass,VolumeAttachment', '1.19', '1.22', 'storage.k8s.io/v1'],
  // v1.25
  ['batch/v1beta1', 'CronJob', '1.21', '1.25', 'batch/v1'],
  ['discovery.k8s.io/v1beta1', 'EndpointSlice', '1.21', '1.25', 'discovery.k8s.io/v1', 'topology is replaced by nodeName and zone'],
  ['events.k8s.io/v1beta1', 'Event', '1.19', '1.25', 'events.k8s.io/v1'],
  ['autoscaling/v2beta1', 'HorizontalPodAutoscaler', '1.22', '1.25', 'autoscaling/v2', 'targetAverageUtilization becomes target.averageUtilization'],
  ['policy/v1beta1', 'PodDisruptionBudget', '1.21', '1.25', 'policy/v1', 'an empty spec.selector now selects every pod in the namespace'],
  ['policy/v1beta1', 'PodSecurityPolicy', '1.21', '1.25', undefined, 'use Pod Security Admission or a third-party admission webhook'],
  ['node.k8s.io/v1beta1', 'RuntimeClass', '1.22', '1.25', 'node.k8s.io/v1'],
  // v1.26
  ['flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema,PriorityLevelConfiguration', '1.23', '1.26', 'flowcontrol.apiserver.k8s.io/v1'],
  ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.23', '1.26', 'autoscaling/v2'],
  // v1.27
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', '1.24', '1.27', 'storage.k8s.io/v1'],
  // v1.29
  ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema,PriorityLevelConfiguration', '1.26', '1.29', 'flowcontrol.apiserver.k8s.io/v1'],
  // v1.32
  ['flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema,PriorityLevelConfiguration', '1.29', '1.32', 'flowcontrol.apiserver.k8s.io/v1'],
  // Deprecated, still served.
  ['v1', 'ComponentStatus', '1.19', undefined, undefined, 'use the readiness endpoints of the control-plane components'],
  ['v1', 'Endpoints', '1.33', undefined, 'discovery.k8s.io/v1', 'use EndpointSlice (kind EndpointSlice)'],
];

export const REMOVED_APIS: readonly RemovedApi[] = ROWS.flatMap(([apiVersion, kinds, deprecatedIn, removedIn, replacement, note]) =>
  kinds.split(',').map((kind) => ({ kind, apiVersion, deprecatedIn, removedIn, replacement, note })));

const byKey = new Map<string, RemovedApi>(REMOVED_APIS.map((r) => [`${r.apiVersion}|${r.kind}`, r]));

/** The table entry for this apiVersion and kind, if it was ever deprecated. */
export function removedApi(apiVersion: string, kind: string): RemovedApi | undefined {
  return byKey.get(`${apiVersion}|${kind}`);
}

/** Compares minor versions like `1.9` and `1.16` numerically (so 1.9 < 1.16). */
export function compareMinor(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  return (pa[0] - pb[0]) || ((pa[1] ?? 0) - (pb[1] ?? 0));
}

/** 'removed' at or after removedIn, 'deprecated' at or after deprecatedIn, else undefined. */
export function apiStatusAt(entry: RemovedApi, kubernetesVersion: string): 'removed' | 'deprecated' | undefined {
  if (entry.removedIn && compareMinor(kubernetesVersion, entry.removedIn) >= 0) return 'removed';
  if (compareMinor(kubernetesVersion, entry.deprecatedIn) >= 0) return 'deprecated';
  return undefined;
}

/** Whether apiVersion/kind is no longer served at `kubernetesVersion`. */
export function isRemovedAt(apiVersion: string, kind: string, kubernetesVersion: string): boolean {
  const e = removedApi(apiVersion, kind);
  return !!e && apiStatusAt(e, kubernetesVersion) === 'removed';
}

/**
 * The `Warning` header text the apiserver sends for a deprecated version, as
 * kubectl prints it: "batch/v1beta1 CronJob is deprecated in v1.21+,
 * unavailable in v1.25+; use batch/v1 CronJob".
 */
export function deprecationWarning(entry: RemovedApi): string {
  let msg = `${entry.apiVersion} ${entry.kind} is deprecated in v${entry.deprecatedIn}+`;
  if (entry.removedIn) msg += `, unavailable in v${entry.removedIn}+`;
  if (entry.replacement) msg += `; use ${entry.replacement} ${entry.kind === 'Endpoints' ? 'EndpointSlice' : entry.kind}`;
  return msg;
}
