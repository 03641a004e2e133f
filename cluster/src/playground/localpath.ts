/**
 * kind's default storage, as `kind create cluster` installs it once the nodes are up (kind's
 * pkg/build/nodeimage/const_storage.go manifest): the `local-path-storage` namespace with the
 * local-path-provisioner's ServiceAccount, ConfigMap and one-replica Deployment, and its ClusterRole and binding.
 * The `standard` StorageClass of the same manifest is made with the storage controller (storage/index.ts).
 * Provisioning for that class waits for this Deployment's pod to run (storage/pvcontroller.ts), and its events
 * name that pod, as on kind; each volume made or removed is a helper pod that runs this ConfigMap's setup or
 * teardown script (storage/helperpod.ts). A fresh boot with a control plane only.
 */
import type { ApiServer } from '../apiserver/api';
import type { KObject } from '../contract';
import { createAddonObject } from './manifest';
import { LOCAL_PATH_HELPER_IMAGE, LOCAL_PATH_PROVISIONER_IMAGE } from '../kubelet/staticpods';
import { LOCAL_PATH_NAMESPACE, LOCAL_PATH_LABELS, LOCAL_PATH_SA, LOCAL_PATH_CONFIGMAP } from '../storage';

const NS = LOCAL_PATH_NAMESPACE;
const SA = LOCAL_PATH_SA;

/** The provisioner's config.json and its helper pod's scripts, with kind's change of path (/var, not /opt). */
const CONFIG = {
  'config.json': `{
        "nodePathMap":[
        {
                "node":"DEFAULT_PATH_FOR_NON_LISTED_NODES",
                "paths":["/var/local-path-provisioner"]
        }
        ]
}`,
  setup: '#!/bin/sh\nset -eu\nmkdir -m 0777 -p "$VOL_DIR"',
  teardown: '#!/bin/sh\nset -eu\nrm -rf "$VOL_DIR"',
  'helperPod.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: helper-pod
spec:
  containers:
  - name: helper-pod
    image: ${LOCAL_PATH_HELPER_IMAGE}
    imagePullPolicy: IfNotPresent`,
};

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'local-path-provisioner', namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { ...LOCAL_PATH_LABELS } },
      template: {
        metadata: { labels: { ...LOCAL_PATH_LABELS } },
        spec: {
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Equal', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Equal', effect: 'NoSchedule' },
          ],
          serviceAccountName: SA,
          containers: [{
            name: 'local-path-provisioner',
            image: LOCAL_PATH_PROVISIONER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['local-path-provisioner', '--debug', 'start', '--helper-image', LOCAL_PATH_HELPER_IMAGE, '--config', '/etc/config/config.json'],
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/config/' }],
            env: [{ name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } }],
          }],
          volumes: [{ name: 'config-volume', configMap: { name: LOCAL_PATH_CONFIGMAP } }],
        },
      },
    },
  } as KObject;
}

/** Creates the manifest's objects in its order (the StorageClass aside). */
export function installLocalPathProvisioner(api: ApiServer): void {
  const rbac = 'rbac.authorization.k8s.io';
  createAddonObject(api, '', 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } } as KObject);
  createAddonObject(api, '', 'serviceaccounts', NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: SA, namespace: NS } } as KObject);
  createAddonObject(api, rbac, 'clusterroles', undefined, {
    apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'local-path-provisioner-role' },
    rules: [
      { apiGroups: [''], resources: ['nodes', 'persistentvolumeclaims', 'configmaps'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: [''], resources: ['endpoints', 'persistentvolumes', 'pods'], verbs: ['*'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: ['storage.k8s.io'], resources: ['storageclasses'], verbs: ['get', 'list', 'watch'] },
    ],
  } as KObject);
  createAddonObject(api, rbac, 'clusterrolebindings', undefined, {
    apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'local-path-provisioner-bind' },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'local-path-provisioner-role' },
    subjects: [{ kind: 'ServiceAccount', name: SA, namespace: NS }],
  } as KObject);
  createAddonObject(api, 'apps', 'deployments', NS, deployment());
  createAddonObject(api, '', 'configmaps', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: LOCAL_PATH_CONFIGMAP, namespace: NS }, data: { ...CONFIG } } as KObject);
}
