// Facts about built-in resources that the kubernetes-models .d.ts files do not
// carry. They come from upstream discovery (`kubectl api-resources`) and the
// `patchStrategy`/`patchMergeKey` struct tags of the upstream Go types.

/** Kinds whose resources are cluster-scoped. */
export const clusterScoped = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ComponentStatus',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding',
  'CustomResourceDefinition', 'APIService', 'TokenReview', 'SelfSubjectReview',
  'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview',
  'CertificateSigningRequest', 'ClusterTrustBundle', 'FlowSchema', 'PriorityLevelConfiguration',
  'IngressClass', 'IPAddress', 'ServiceCIDR', 'RuntimeClass', 'ClusterRole', 'ClusterRoleBinding',
  'DeviceClass', 'ResourceSlice', 'DeviceTaintRule', 'PriorityClass', 'CSIDriver', 'CSINode', 'StorageClass',
  'VolumeAttachment', 'VolumeAttributesClass', 'StorageVersion', 'StorageVersionMigration',
  'PodSecurityPolicy',
]);

/** Kinds that are not served as resources of their own (options, reviews served as subresources, ...). */
export const notServed = new Set([
  'Scale', 'Eviction', 'DeleteOptions', 'Status', 'WatchEvent', 'APIGroup', 'APIGroupList',
  'APIResourceList', 'APIVersions', 'autoscaling/Scale', 'apps/Scale', 'extensions/Scale',
  'extensions/DeploymentRollback', 'apps/DeploymentRollback', 'ReplicationControllerDummy',
]);

export const irregularPlurals = {
  Endpoints: 'endpoints',
};

export const shortNames = {
  ComponentStatus: ['cs'], ConfigMap: ['cm'], Endpoints: ['ep'], Event: ['ev'], LimitRange: ['limits'],
  Namespace: ['ns'], Node: ['no'], PersistentVolumeClaim: ['pvc'], PersistentVolume: ['pv'], Pod: ['po'],
  ReplicationController: ['rc'], ResourceQuota: ['quota'], ServiceAccount: ['sa'], Service: ['svc'],
  CustomResourceDefinition: ['crd', 'crds'], DaemonSet: ['ds'], Deployment: ['deploy'], ReplicaSet: ['rs'],
  StatefulSet: ['sts'], HorizontalPodAutoscaler: ['hpa'], CronJob: ['cj'], CertificateSigningRequest: ['csr'],
  Ingress: ['ing'], NetworkPolicy: ['netpol'], PodDisruptionBudget: ['pdb'], PriorityClass: ['pc'],
  StorageClass: ['sc'], PodSecurityPolicy: ['psp'], VolumeAttributesClass: ['vac'],
};

export const categories = {
  Pod: ['all'], ReplicationController: ['all'], Service: ['all'], DaemonSet: ['all'], Deployment: ['all'],
  ReplicaSet: ['all'], StatefulSet: ['all'], HorizontalPodAutoscaler: ['all'], Job: ['all'], CronJob: ['all'],
  Event: [],
};

/** `<DefinitionName>.<field>` → list merge facts (struct tags of the upstream Go types). */
const byName = (mergeKey, extra = {}) => ({ mergeKey, patchStrategy: 'merge', ...extra });
export const mergeKeys = {
  'PodSpec.volumes': byName('name', { patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.initContainers': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.containers': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.ephemeralContainers': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.imagePullSecrets': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.hostAliases': byName('ip', { listType: 'map', listMapKeys: ['ip'] }),
  'PodSpec.topologySpreadConstraints': byName('topologyKey', { listType: 'map', listMapKeys: ['topologyKey', 'whenUnsatisfiable'] }),
  'PodSpec.resourceClaims': byName('name', { patchStrategy: 'merge,retainKeys', listType: 'map', listMapKeys: ['name'] }),
  'PodSpec.schedulingGates': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'Container.ports': byName('containerPort', { listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
  'Container.env': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'Container.volumeMounts': byName('mountPath', { listType: 'map', listMapKeys: ['mountPath'] }),
  'Container.volumeDevices': byName('devicePath', { listType: 'map', listMapKeys: ['devicePath'] }),
  'EphemeralContainer.ports': byName('containerPort', { listType: 'map', listMapKeys: ['containerPort', 'protocol'] }),
  'EphemeralContainer.env': byName('name', { listType: 'map', listMapKeys: ['name'] }),
  'EphemeralContainer.volumeMounts': byName('mountPath', { listType: 'map', listMapKeys: ['mountPath'] }),
  'EphemeralContainer.volumeDevices': byName('devicePath', { listType: 'map', listMapKeys: ['devicePath'] }),
  'ObjectMeta.finalizers': { patchStrategy: 'merge', listType: 'set' },
  'ObjectMeta.ownerReferences': byName('uid', { listType: 'map', listMapKeys: ['uid'] }),
  'ServiceSpec.ports': byName('port', { listType: 'map', listMapKeys: ['port', 'protocol'] }),
  'PodStatus.podIPs': byName('ip', { listType: 'map', listMapKeys: ['ip'] }),
  'PodStatus.hostIPs': byName('ip', { listType: 'atomic' }),
  'NodeStatus.addresses': byName('type', { listType: 'map', listMapKeys: ['type'] }),
  'NodeSpec.podCIDRs': { patchStrategy: 'merge', listType: 'set' },
  'PodSecurityContext.supplementalGroups': { listType: 'atomic' },
  'Capabilities.add': { listType: 'atomic' },
  'Capabilities.drop': { listType: 'atomic' },
};
