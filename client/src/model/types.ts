/** Plain JSON objects as the Kubernetes API returns them; the client never wraps them. */
export interface KObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
    generation?: number;
    [k: string]: unknown;
  };
  spec?: any;
  status?: any;
  [k: string]: any;
}

/** What the tree and the commands know about a resource type: enough to list, watch and address it. */
export interface ResourceType {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

/** A pointer to one object, carried by tree items and used by every command. */
export interface ObjRef {
  apiVersion: string;
  kind: string;
  resource: string;
  namespace?: string;
  name: string;
}

export const apiVersionOf = (t: { group: string; version: string }) => (t.group ? `${t.group}/${t.version}` : t.version);

/** The resources the tree watches. Events come from core/v1, as `kubectl describe` reads them. */
export const WATCHED: ResourceType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: '', version: 'v1', resource: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true },
  { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'ingresses', kind: 'Ingress', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true },
  { group: '', version: 'v1', resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false },
  { group: '', version: 'v1', resource: 'resourcequotas', kind: 'ResourceQuota', namespaced: true },
  { group: '', version: 'v1', resource: 'limitranges', kind: 'LimitRange', namespaced: true },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true },
];

export const typeByResource = new Map(WATCHED.map((t) => [t.resource, t]));
export const typeByKind = new Map(WATCHED.map((t) => [t.kind, t]));

export function refOf(obj: KObject, resource?: string): ObjRef {
  const type = resource ? typeByResource.get(resource) : obj.kind ? typeByKind.get(obj.kind) : undefined;
  return {
    apiVersion: obj.apiVersion ?? (type ? apiVersionOf(type) : 'v1'),
    kind: obj.kind ?? type?.kind ?? '',
    resource: resource ?? type?.resource ?? '',
    namespace: obj.metadata.namespace,
    name: obj.metadata.name ?? '',
  };
}

export function controllerOf(obj: KObject) {
  return obj.metadata.ownerReferences?.find((o) => o.controller);
}
