import type { GVR } from '../../contract.js';

export const PODS: GVR = { group: '', version: 'v1', resource: 'pods' };
export const NODES: GVR = { group: '', version: 'v1', resource: 'nodes' };
export const PVCS: GVR = { group: '', version: 'v1', resource: 'persistentvolumeclaims' };
export const RCS: GVR = { group: '', version: 'v1', resource: 'replicationcontrollers' };
export const REPLICASETS: GVR = { group: 'apps', version: 'v1', resource: 'replicasets' };
export const DEPLOYMENTS: GVR = { group: 'apps', version: 'v1', resource: 'deployments' };
export const DAEMONSETS: GVR = { group: 'apps', version: 'v1', resource: 'daemonsets' };
export const STATEFULSETS: GVR = { group: 'apps', version: 'v1', resource: 'statefulsets' };
export const CONTROLLERREVISIONS: GVR = { group: 'apps', version: 'v1', resource: 'controllerrevisions' };
export const JOBS: GVR = { group: 'batch', version: 'v1', resource: 'jobs' };
export const CRONJOBS: GVR = { group: 'batch', version: 'v1', resource: 'cronjobs' };
export const PDBS: GVR = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };
export const RESOURCECLAIMS: GVR = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaims' };
export const RESOURCECLAIMTEMPLATES: GVR = { group: 'resource.k8s.io', version: 'v1', resource: 'resourceclaimtemplates' };
