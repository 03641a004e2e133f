/**
 * The order in which upstream reports field errors. The apiserver appends
 * errors as its validation functions run (ValidateObjectMeta, then the kind's
 * ValidateXSpec field by field), and that order shows in the Invalid Status
 * message and its causes, and so in what kubectl prints. The rules here run
 * by concern instead, so the apiserver sorts their findings by these tables
 * (the editor places findings by position and needs no order).
 *
 * Sources, kubernetes/kubernetes: pkg/apis/apps/validation/validation.go
 * (ValidateDeploymentSpec, ValidateReplicaSetSpec, ValidateDaemonSetSpec,
 * ValidateStatefulSetSpec, ValidatePodTemplateSpecForReplicaSet),
 * pkg/apis/core/validation/validation.go (ValidatePodSpec, validateContainers,
 * validateContainerCommon, validateInitContainers, ValidatePodTemplateSpec,
 * ValidateReplicationControllerSpec, ValidateService, validateServicePort),
 * pkg/apis/batch/validation/validation.go (validateJobSpec, ValidateJobSpec,
 * validateCronJobSpec, ValidateCronJobCreate) and apimachinery's
 * ValidateObjectMetaAccessor.
 */
import { PV_SOURCES } from './persistentVolume';
import type { FieldPath, Finding } from './types';

/**
 * One validated type: its fields in the order upstream checks them. `$name`
 * entries are slots for checks upstream makes out of field order (the
 * selector/labels match before the template, restartPolicy after the whole
 * pod template); `*` is where fields not listed go (default: last).
 */
interface TypeOrder {
  order: string[];
  child?: Record<string, string>;
}

const CONTAINER_COMMON = ['name', 'image', 'terminationMessagePolicy', 'ports', 'env', 'envFrom', 'volumeMounts', 'volumeDevices',
  'imagePullPolicy', 'resources', 'resizePolicy', 'securityContext'];
const CONTAINER_CHILDREN = { ports: 'ContainerPort', volumeMounts: 'VolumeMount', resources: 'Resources' };
const JOB_FIELDS = ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished', 'backoffLimitPerIndex',
  'maxFailedIndexes', 'managedBy', 'completionMode', 'podFailurePolicy', 'successPolicy', 'podReplacementPolicy', 'template', '$restartPolicy'];

const TYPES: Record<string, TypeOrder> = {
  ObjectMeta: { order: ['generateName', 'name', 'namespace', 'generation', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'] },
  Object: { order: ['metadata', '*', '$end'], child: { metadata: 'ObjectMeta' } },
  Pod: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'PodSpec' } },
  PodSpec: {
    order: ['terminationGracePeriodSeconds', 'volumes', 'resourceClaims', 'containers', 'initContainers', 'ephemeralContainers', '$hostNetwork', 'resources',
      'restartPolicy', 'dnsPolicy', 'nodeSelector', 'securityContext', 'imagePullSecrets', 'affinity', 'dnsConfig', 'readinessGates',
      'schedulingGates', 'topologySpreadConstraints', 'hostUsers', 'serviceAccountName', 'nodeName', 'activeDeadlineSeconds', 'hostname',
      'subdomain', 'tolerations', 'hostAliases', 'priorityClassName', 'runtimeClassName', 'preemptionPolicy', 'overhead', 'os', '$podOnly'],
    child: { volumes: 'Volume', containers: 'Container', initContainers: 'InitContainer', affinity: 'Affinity', topologySpreadConstraints: 'TopologySpreadConstraint' },
  },
  // validateTopologySpreadConstraints, per constraint.
  TopologySpreadConstraint: {
    order: ['maxSkew', 'topologyKey', 'whenUnsatisfiable', '{topologyKey, whenUnsatisfiable}', 'minDomains', 'nodeAffinityPolicy', 'nodeTaintsPolicy',
      'matchLabelKeys', '$labelKeysSelector', 'labelSelector'],
  },
  // validateAffinity: node affinity, pod affinity, pod anti-affinity; in each, the required terms, then the preferred.
  Affinity: { order: ['nodeAffinity', 'podAffinity', 'podAntiAffinity'], child: { nodeAffinity: 'NodeAffinity', podAffinity: 'PodAffinity', podAntiAffinity: 'PodAffinity' } },
  NodeAffinity: {
    order: ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'],
    child: { requiredDuringSchedulingIgnoredDuringExecution: 'NodeSelector', preferredDuringSchedulingIgnoredDuringExecution: 'PreferredSchedulingTerm' },
  },
  NodeSelector: { order: ['nodeSelectorTerms'], child: { nodeSelectorTerms: 'NodeSelectorTerm' } },
  NodeSelectorTerm: { order: ['matchExpressions', 'matchFields'] },
  PreferredSchedulingTerm: { order: ['weight', 'preference'], child: { preference: 'NodeSelectorTerm' } },
  PodAffinity: {
    order: ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'],
    child: { requiredDuringSchedulingIgnoredDuringExecution: 'PodAffinityTerm', preferredDuringSchedulingIgnoredDuringExecution: 'WeightedPodAffinityTerm' },
  },
  WeightedPodAffinityTerm: { order: ['weight', 'podAffinityTerm'], child: { podAffinityTerm: 'PodAffinityTerm' } },
  // validatePodAffinityTerm: the selectors, the namespaces (all at `namespace`), the label keys (with the selector
  // overlap at the term's own path, indexed), then the topology key.
  PodAffinityTerm: { order: ['labelSelector', 'namespaceSelector', 'namespace', 'matchLabelKeys', 'mismatchLabelKeys', '$labelKeysSelector', '$labelKeysBoth', 'topologyKey'] },
  // ValidateVolumes checks the source before the name, then duplicates.
  Volume: { order: ['*', 'name', '$dup'] },
  // validateContainers: the common checks, then the duplicate name, then lifecycle and probes.
  Container: { order: [...CONTAINER_COMMON, '$dup', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe', 'restartPolicy'], child: CONTAINER_CHILDREN },
  InitContainer: { order: [...CONTAINER_COMMON, 'restartPolicy', '$dup', 'lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'], child: CONTAINER_CHILDREN },
  ContainerPort: { order: ['name', 'containerPort', 'hostPort', 'protocol'] },
  VolumeMount: { order: ['name', 'mountPath', 'subPath', 'subPathExpr'] },
  Resources: { order: ['limits', 'requests', 'claims'] },
  // ValidatePodTemplateSpec reports template labels at `template.labels` (no `metadata`).
  PodTemplate: { order: ['labels', 'annotations', 'metadata', 'spec'], child: { spec: 'PodSpec' } },
  // ValidatePodTemplateSpecForReplicaSet / ForRC: the selector match first, the owner's restartPolicy last.
  OwnedTemplate: { order: ['$match', 'labels', 'annotations', 'metadata', 'spec', '$restartPolicy', '$activeDeadlineSeconds'], child: { spec: 'PodSpec' } },
  // ValidatePodTemplateSpecForStatefulSet: the match, labels and annotations, then (since 1.34) the pod template.
  StatefulSetTemplate: { order: ['$match', 'labels', 'annotations', 'metadata', 'spec'], child: { spec: 'PodSpec' } },

  Deployment: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'DeploymentSpec' } },
  DeploymentSpec: {
    order: ['replicas', 'selector', 'template', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'rollbackTo', 'progressDeadlineSeconds'],
    child: { template: 'OwnedTemplate', strategy: 'DeploymentStrategy' },
  },
  DeploymentStrategy: { order: ['type', 'rollingUpdate'], child: { rollingUpdate: 'RollingUpdateDeployment' } },
  // ValidateRollingUpdateDeployment: both formats, then the both-zero check, then > 100%.
  RollingUpdateDeployment: { order: ['maxUnavailable', 'maxSurge', '$zero', '$over100'] },
  ReplicaSet: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'ReplicaSetSpec' } },
  ReplicaSetSpec: { order: ['replicas', 'minReadySeconds', 'selector', 'template'], child: { template: 'OwnedTemplate' } },
  ReplicationController: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'ReplicationControllerSpec' } },
  ReplicationControllerSpec: { order: ['minReadySeconds', 'selector', 'replicas', 'template'], child: { template: 'OwnedTemplate' } },
  DaemonSet: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'DaemonSetSpec' } },
  DaemonSetSpec: {
    order: ['selector', '$match', '$emptySelector', 'template', '$restartPolicy', '$activeDeadlineSeconds', 'minReadySeconds', 'templateGeneration',
      'updateStrategy', 'revisionHistoryLimit'],
    child: { template: 'PodTemplate' },
  },
  StatefulSet: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'StatefulSetSpec' } },
  StatefulSetSpec: {
    // ValidateVolumeClaimTemplates (1.34) runs right after the retention policy.
    order: ['podManagementPolicy', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'volumeClaimTemplates', 'replicas', 'minReadySeconds', 'ordinals',
      'selector', 'template', '$restartPolicy', '$activeDeadlineSeconds'],
    child: { template: 'StatefulSetTemplate', updateStrategy: 'StatefulSetStrategy', volumeClaimTemplates: 'ClaimTemplate' },
  },
  ClaimTemplate: { order: ['metadata', 'spec'], child: { spec: 'PersistentVolumeClaimSpec' } },
  StatefulSetStrategy: { order: ['type', 'rollingUpdate'] },
  Job: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'JobSpec' } },
  // ValidateJobSpec: validateJobSpec (counts, template, restartPolicy), then the selector and its match.
  JobSpec: { order: [...JOB_FIELDS, 'selector', '$match'], child: { template: 'PodTemplate', podFailurePolicy: 'PodFailurePolicy' } },
  // validatePodFailurePolicyRule: the action, then onExitCodes, then onPodConditions, then the rule as a whole.
  PodFailurePolicy: { order: ['rules'], child: { rules: 'PodFailurePolicyRule' } },
  PodFailurePolicyRule: { order: ['action', 'onExitCodes', 'onPodConditions'] },
  CronJob: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'CronJobSpec' } },
  CronJobSpec: {
    order: ['schedule', 'startingDeadlineSeconds', 'timeZone', 'concurrencyPolicy', 'jobTemplate', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
    child: { jobTemplate: 'JobTemplateSpec' },
  },
  JobTemplateSpec: { order: ['metadata', 'spec'], child: { spec: 'JobTemplateJobSpec' } },
  JobTemplateJobSpec: { order: [...JOB_FIELDS, 'selector', 'manualSelector'], child: { template: 'PodTemplate', podFailurePolicy: 'PodFailurePolicy' } },
  Service: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'ServiceSpec' } },
  ServiceSpec: {
    order: ['ports', 'externalName', 'selector', 'sessionAffinity', 'sessionAffinityConfig', 'clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy',
      'externalIPs', 'type', '$nodePortClusterIP', '$dupNodePort', '$dupPort', 'loadBalancerSourceRanges', 'LoadBalancerSourceRanges', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'externalTrafficPolicy',
      'healthCheckNodePort', 'internalTrafficPolicy', 'trafficDistribution'],
    child: { ports: 'ServicePort' },
  },
  ServicePort: { order: ['name', 'port', 'protocol', 'targetPort', 'appProtocol', 'nodePort'] },
  PersistentVolumeClaim: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'PersistentVolumeClaimSpec' } },
  // ValidatePersistentVolumeClaimSpec: the access-mode count, the selector, each mode, then the storage request.
  PersistentVolumeClaimSpec: {
    order: ['$accessModesRequired', 'selector', 'accessModes', 'resources[storage]', 'resources', 'storageClassName', 'volumeMode', 'dataSource', 'dataSourceRef',
      'volumeAttributesClassName'],
  },
  // ValidateNetworkPolicySpec: the pod selector, each ingress rule (ports, then peers), egress the same, policyTypes.
  NetworkPolicy: { order: ['metadata', 'spec'], child: { metadata: 'ObjectMeta', spec: 'NetworkPolicySpec' } },
  NetworkPolicySpec: { order: ['podSelector', 'ingress', 'egress', 'policyTypes'], child: { ingress: 'NetworkPolicyRule', egress: 'NetworkPolicyRule' } },
  NetworkPolicyRule: { order: ['ports', 'from', 'to'], child: { from: 'NetworkPolicyPeer', to: 'NetworkPolicyPeer' } },
  // The peer count is judged after each of its parts.
  NetworkPolicyPeer: { order: ['podSelector', 'namespaceSelector', 'ipBlock', '$count'] },
  PersistentVolume: { order: ['metadata', 'spec', '$end'], child: { metadata: 'ObjectMeta', spec: 'PersistentVolumeSpec' } },
  // ValidatePersistentVolumeSpec: modes, capacity (the map, then each key), reclaim policy, node affinity, the sources in turn.
  PersistentVolumeSpec: {
    order: ['accessModes', 'capacity', 'persistentVolumeReclaimPolicy', 'nodeAffinity', ...PV_SOURCES.flatMap(([json, reported]) => (reported && reported !== json ? [reported, json] : [json])),
      '$noVolumeType', 'storageClassName', 'volumeMode', 'volumeAttributesClassName'],
    child: { nodeAffinity: 'VolumeNodeAffinity' },
  },
  VolumeNodeAffinity: { order: ['required'], child: { required: 'NodeSelector' } },
};

/** Kinds whose pod template is owned by a workload that requires restartPolicy Always inside the template check. */
const OWNED_TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'ReplicationController']);

/** Where upstream reports a finding when that is not its field's place in the walk. */
function orderPath(kind: string, f: Finding): FieldPath {
  const path = f.apiError?.apiPath ?? f.path;
  switch (f.code) {
    case 'selector-mismatch':
      if (kind === 'DaemonSet' || kind === 'Job') return ['spec', '$match'];
      return ['spec', 'template', '$match'];
    case 'empty-selector':
      return kind === 'DaemonSet' ? ['spec', '$emptySelector'] : path;
    case 'restart-policy':
      if (OWNED_TEMPLATE_KINDS.has(kind)) return ['spec', 'template', '$restartPolicy'];
      if (kind === 'CronJob') return ['spec', 'jobTemplate', 'spec', '$restartPolicy'];
      return kind === 'DaemonSet' || kind === 'StatefulSet' || kind === 'Job' ? ['spec', '$restartPolicy'] : path;
    // validateResourceRequirements judges huge pages after every limit and request.
    case 'hugepages-alone':
      return [...path, '$hugepages'];
    // ValidatePodCreate checks a Pod's own containers (validateContainersOnlyForPod) after the whole spec.
    case 'image-whitespace':
      return ['spec', '$podOnly', ...path.slice(1)];
    // validatePodHostNetworkDeps runs after every container list.
    case 'host-network-host-port': {
      const c = path.lastIndexOf('containers');
      return [...path.slice(0, c), '$hostNetwork', ...path.slice(c)];
    }
    case 'duplicate-container-name':
    case 'duplicate-volume-name':
      return [...path.slice(0, -1), '$dup'];
    case 'surge-unavailable-zero':
      return [...path.slice(0, -1), '$zero'];
    case 'invalid-int-or-percent':
      return f.apiError?.detail === 'must not be greater than 100%' ? [...path.slice(0, -1), '$over100'] : path;
    // ValidateService checks these over the whole port list after spec.type.
    case 'node-port-cluster-ip':
      return ['spec', '$nodePortClusterIP', path[2]];
    case 'duplicate-node-port':
      return ['spec', '$dupNodePort', path[2]];
    case 'duplicate-service-port':
      return ['spec', '$dupPort', path[2]];
    case 'access-modes-required':
      return kind === 'PersistentVolume' ? path : [...path.slice(0, -1), '$accessModesRequired'];
    case 'pv-capacity-value':
      return ['spec', 'capacity', '$key'];
    case 'pv-volume-type':
      return path.length === 1 ? ['spec', '$noVolumeType'] : path;
    case 'pv-local-affinity':
      return ['spec', 'local', '$affinity'];
    // validatePodFailurePolicyRule: "must be ordered" after every value, "specifying ..." after the rule's fields.
    case 'job-policy': {
      const d = f.apiError?.detail ?? '';
      return d === 'must be ordered' || d.startsWith('specifying ') ? [...path, Number.MAX_SAFE_INTEGER] : path;
    }
    case 'netpol-invalid': {
      const d = f.apiError?.detail;
      return d === 'must specify a peer' || d === 'may not specify both ipBlock and another peer' ? [...path, '$count'] : path;
    }
    // A matchLabelKey the selector names is reported at the term's (or constraint's) path indexed by the key
    // (`...[0][1]`); a key in both lists (affinity terms only) after it, at `matchLabelKeys[i]`.
    case 'invalid-spread-constraint':
    case 'invalid-affinity-term': {
      const d = f.apiError?.detail;
      if (d === 'exists in both matchLabelKeys and labelSelector') return [...path.slice(0, -1), '$labelKeysSelector', path[path.length - 1]];
      return d === 'exists in both matchLabelKeys and mismatchLabelKeys' ? [...path.slice(0, -2), '$labelKeysBoth', path[path.length - 1]] : path;
    }
    case 'invalid-name':
      // ValidateCronJobCreate checks the 52-character limit after the spec.
      return kind === 'CronJob' && f.apiError?.detail === 'must be no more than 52 characters' ? ['$end'] : path;
    default:
      return path;
  }
}

/** Position of each path segment in its type's order; below the tables, emission order decides. */
function rank(kind: string, f: Finding): number[] {
  const out: number[] = [];
  let type: string | undefined = TYPES[kind] ? kind : 'Object';
  for (const seg of orderPath(kind, f)) {
    if (typeof seg === 'number') { out.push(seg); continue; }
    const t: TypeOrder | undefined = type ? TYPES[type] : undefined;
    if (!t) { out.push(0); continue; }
    let i = t.order.indexOf(seg);
    if (i < 0) { i = t.order.indexOf('*'); if (i < 0) i = t.order.length; }
    out.push(i);
    type = t.child?.[seg];
  }
  return out;
}

function compare(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/**
 * Findings in the order upstream validation would report them for `kind`
 * (stable: findings at the same place keep the order the rules gave them).
 */
export function upstreamOrder<T extends Finding>(kind: string, findings: T[]): T[] {
  if (findings.length < 2) return findings;
  const keyed = findings.map((f, i) => ({ f, i, r: rank(kind, f) }));
  keyed.sort((x, y) => compare(x.r, y.r) || x.i - y.i);
  return keyed.map((k) => k.f);
}
