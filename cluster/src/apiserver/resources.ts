import type { GVR } from '../contract';
import type { Store } from '../store/store';
import { customResourcesOf } from './crd/registry';
import type { CustomVersion } from './crd/types';

/** What the apiserver knows about one served resource. */
export interface ResourceInfo {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Has a status subresource: the main resource ignores status changes and /status ignores the rest. */
  status: boolean;
  /** Has the autoscaling/v1 scale subresource. */
  scale: boolean;
  shortNames?: string[];
  categories?: string[];
  /** The store's table id (see storageId), computed once. */
  id?: string;
  /** The apiVersion objects are stored in, when this served version is converted to and from it (autoscaling/v1 HPAs). */
  storage?: string;
  /** A custom resource: the CustomResourceDefinition version it is served from (crd/registry.ts). */
  custom?: CustomVersion;
}

/** group/resource -> info; the store keys by the same `group/resource` id. */
const table = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();

function add(apiVersion: string, kind: string, resource: string, namespaced: boolean, extra: Partial<ResourceInfo> = {}): void {
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
  const info: ResourceInfo = { group, version, resource, kind, namespaced, status: false, scale: false, ...extra };
  info.id = storageIdOf(group, resource);
  table.set(group + '/' + resource, info);
  byKind.set(group + '/' + kind, info);
}

/** Versions served besides a resource's main one, converted to and from its storage: group/version/resource -> info. */
const alternates = new Map<string, ResourceInfo>();
function addAlternate(apiVersion: string, kind: string, resource: string, namespaced: boolean, storage: string, extra: Partial<ResourceInfo> = {}): void {
  const [group, version] = apiVersion.split('/');
  const info: ResourceInfo = { group, version, resource, kind, namespaced, status: false, scale: false, storage, ...extra };
  info.id = storageIdOf(group, resource);
  alternates.set(`${group}/${version}/${resource}`, info);
}

const S = { status: true };
const SS = { status: true, scale: true };
const all = ['all'];

// core/v1
add('v1', 'Pod', 'pods', true, { ...S, shortNames: ['po'], categories: all });
add('v1', 'Service', 'services', true, { ...S, shortNames: ['svc'], categories: all });
add('v1', 'Endpoints', 'endpoints', true, { shortNames: ['ep'] });
add('v1', 'Namespace', 'namespaces', false, { ...S, shortNames: ['ns'] });
add('v1', 'Node', 'nodes', false, { ...S, shortNames: ['no'] });
add('v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] });
add('v1', 'Secret', 'secrets', true);
add('v1', 'ServiceAccount', 'serviceaccounts', true, { shortNames: ['sa'] });
add('v1', 'Event', 'events', true, { shortNames: ['ev'] });
add('v1', 'PersistentVolume', 'persistentvolumes', false, { ...S, shortNames: ['pv'] });
add('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, { ...S, shortNames: ['pvc'] });
add('v1', 'ReplicationController', 'replicationcontrollers', true, { ...SS, shortNames: ['rc'], categories: all });
add('v1', 'LimitRange', 'limitranges', true, { shortNames: ['limits'] });
add('v1', 'ResourceQuota', 'resourcequotas', true, { ...S, shortNames: ['quota'] });
add('v1', 'PodTemplate', 'podtemplates', true);
add('v1', 'Binding', 'bindings', true);
// apps/v1
add('apps/v1', 'Deployment', 'deployments', true, { ...SS, shortNames: ['deploy'], categories: all });
add('apps/v1', 'ReplicaSet', 'replicasets', true, { ...SS, shortNames: ['rs'], categories: all });
add('apps/v1', 'StatefulSet', 'statefulsets', true, { ...SS, shortNames: ['sts'], categories: all });
add('apps/v1', 'DaemonSet', 'daemonsets', true, { ...S, shortNames: ['ds'], categories: all });
add('apps/v1', 'ControllerRevision', 'controllerrevisions', true);
// batch/v1
add('batch/v1', 'Job', 'jobs', true, { ...S, categories: all });
add('batch/v1', 'CronJob', 'cronjobs', true, { ...S, shortNames: ['cj'], categories: all });
// others
add('autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, { ...S, shortNames: ['hpa'], categories: all });
// kubectl up to 1.32 creates autoscalers (`kubectl autoscale`) as autoscaling/v1; v2 is the storage version (hpav1.ts converts).
addAlternate('autoscaling/v1', 'HorizontalPodAutoscaler', 'horizontalpodautoscalers', true, 'autoscaling/v2', { ...S, shortNames: ['hpa'], categories: all });
add('coordination.k8s.io/v1', 'Lease', 'leases', true);
add('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', true);
add('events.k8s.io/v1', 'Event', 'events', true, { shortNames: ['ev'], storage: 'v1' });
add('networking.k8s.io/v1', 'Ingress', 'ingresses', true, { ...S, shortNames: ['ing'] });
add('networking.k8s.io/v1', 'IngressClass', 'ingressclasses', false);
add('networking.k8s.io/v1', 'NetworkPolicy', 'networkpolicies', true, { shortNames: ['netpol'] });
add('policy/v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, { ...S, shortNames: ['pdb'] });
add('rbac.authorization.k8s.io/v1', 'Role', 'roles', true);
add('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings', true);
add('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', false);
add('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', false);
add('scheduling.k8s.io/v1', 'PriorityClass', 'priorityclasses', false, { shortNames: ['pc'] });
add('storage.k8s.io/v1', 'StorageClass', 'storageclasses', false, { shortNames: ['sc'] });
add('storage.k8s.io/v1', 'CSIDriver', 'csidrivers', false);
add('storage.k8s.io/v1', 'CSINode', 'csinodes', false);
add('storage.k8s.io/v1', 'VolumeAttachment', 'volumeattachments', false, S);
// Stored and served; the apiserver calls no webhooks (nothing in the playground could answer one).
// Their registries put them in the api-extensions category (`kubectl get api-extensions`).
add('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'validatingwebhookconfigurations', false, { categories: ['api-extensions'] });
add('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'mutatingwebhookconfigurations', false, { categories: ['api-extensions'] });
add('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinitions', false, { ...S, shortNames: ['crd', 'crds'], categories: ['api-extensions'] });

// More of what a kind v1.34 cluster serves by default (review 30, finding 2), stored and served like the rest.
// The aggregator's APIServices (kube-aggregator pkg/registry/apiservice/etcd/etcd.go: a status subresource, in api-extensions),
// made by its autoregister and availability controllers (playground/aggregator.ts).
add('apiregistration.k8s.io/v1', 'APIService', 'apiservices', false, { ...S, categories: ['api-extensions'] });
// No handler besides runc is configured on kind's nodes, and kind ships no RuntimeClass.
add('node.k8s.io/v1', 'RuntimeClass', 'runtimeclasses', false);
// VolumeAttributesClass is GA in 1.34 (storage.k8s.io/v1, ShortNames ["vac"]); CSIStorageCapacity is v1 since 1.24.
add('storage.k8s.io/v1', 'VolumeAttributesClass', 'volumeattributesclasses', false, { shortNames: ['vac'] });
add('storage.k8s.io/v1', 'CSIStorageCapacity', 'csistoragecapacities', true);
// Stored and served, never enforced (as webhooks are never called). Their registries put them in api-extensions.
add('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', 'validatingadmissionpolicies', false, { ...S, categories: ['api-extensions'] });
add('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', 'validatingadmissionpolicybindings', false, { categories: ['api-extensions'] });
// Approved by the csrapproving controller or /approval, issued by csrsigning (apiserver/certificates.ts, controllers/certificates;
// pkg/registry/certificates/certificates/storage: ShortNames ["csr"]).
add('certificates.k8s.io/v1', 'CertificateSigningRequest', 'certificatesigningrequests', false, { ...S, shortNames: ['csr'] });

// API Priority and Fairness (flowcontrol.apiserver.k8s.io/v1, GA in 1.29): both have a status subresource
// (pkg/registry/flowcontrol/*/storage), the apiserver's ensurer makes the defaults (playground/apf.ts).
add('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'flowschemas', false, S);
add('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', 'prioritylevelconfigurations', false, S);
// MultiCIDRServiceAllocator (GA in 1.33, on in 1.34): ServiceCIDRs (status subresource) and the IPAddress of
// each allocated ClusterIP (network/ipaddresses.ts).
add('networking.k8s.io/v1', 'ServiceCIDR', 'servicecidrs', false, S);
add('networking.k8s.io/v1', 'IPAddress', 'ipaddresses', false);
// Dynamic Resource Allocation (GA and on in 1.34): only resource.k8s.io/v1 is served by default, the v1beta1 and
// v1beta2 versions wait for --runtime-config. No short names or categories (pkg/registry/resource/*/storage); claims
// have a status subresource. kind ships no DRA driver, so nothing publishes ResourceSlices or allocates a claim.
add('resource.k8s.io/v1', 'DeviceClass', 'deviceclasses', false);
add('resource.k8s.io/v1', 'ResourceClaim', 'resourceclaims', true, S);
add('resource.k8s.io/v1', 'ResourceClaimTemplate', 'resourceclaimtemplates', true);
add('resource.k8s.io/v1', 'ResourceSlice', 'resourceslices', false);

/** The served resource for a group/resource (at `version`, when that version is served apart), if any. */
export function resourceInfo(group: string, resource: string, version?: string): ResourceInfo | undefined {
  if (version !== undefined && alternates.size) {
    const alt = alternates.get(`${group}/${version}/${resource}`);
    if (alt) return alt;
  }
  const g = byGroup.get(group);
  if (g) {
    const hit = g.get(resource);
    if (hit) return hit;
  }
  return table.get(group + '/' + resource);
}

/** group -> resource -> info, filled on first lookup: the per-request lookup makes no key string. */
const byGroup = new Map<string, Map<string, ResourceInfo>>();
function fillByGroup(): void {
  byGroup.clear();
  for (const info of table.values()) {
    let g = byGroup.get(info.group);
    if (!g) byGroup.set(info.group, (g = new Map()));
    g.set(info.resource, info);
  }
}

/**
 * The served resource for an apiVersion + kind: a version served apart (autoscaling/v1) by its own entry, else the
 * group's one; with a store, the custom resources its CustomResourceDefinitions serve too.
 */
export function resourceForKind(apiVersion: string, kind: string, store?: Store): ResourceInfo | undefined {
  for (const alt of alternates.values()) if (alt.kind === kind && `${alt.group}/${alt.version}` === apiVersion) return alt;
  const i = apiVersion.indexOf('/');
  const group = i < 0 ? '' : apiVersion.slice(0, i);
  return byKind.get(group + '/' + kind) ?? customResourcesOf(store)?.forKind(apiVersion, kind);
}

/** Every served resource: the built-in ones, and with a store the custom resources its CRDs serve. */
export function allResources(store?: Store): ResourceInfo[] {
  const custom = customResourcesOf(store)?.all() ?? [];
  return [...table.values(), ...alternates.values(), ...custom];
}

/** The store's table id: events.k8s.io events share core events' storage, as upstream. */
export function storageId(gvr: { group: string; resource: string; id?: string }): string {
  return gvr.id ?? storageIdOf(gvr.group, gvr.resource);
}

function storageIdOf(group: string, resource: string): string {
  if (resource === 'events' && group === 'events.k8s.io') return '/events';
  return group + '/' + resource;
}

export function gvrOf(info: ResourceInfo): GVR {
  return { group: info.group, version: info.version, resource: info.resource };
}

export function apiVersionOf(info: ResourceInfo): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}

/** Registers a resource the built-in table lacks (e.g. from the generated schema). */
export function registerResource(info: ResourceInfo): void {
  const id = info.group + '/' + info.resource;
  if (table.has(id)) return;
  info.id = storageIdOf(info.group, info.resource);
  table.set(id, info);
  byKind.set(info.group + '/' + info.kind, info);
  fillByGroup();
}

fillByGroup();
