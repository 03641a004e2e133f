/**
 * kind's default CNI, kindnet, as `kind create cluster` installs it right after kubeadm init (kind's
 * pkg/build/nodeimage/const_cni.go manifest, patched by its installcni action with the control plane's
 * endpoint): the `kindnet` ClusterRole, ClusterRoleBinding and ServiceAccount, and the DaemonSet whose pods run
 * on every node (they tolerate every taint). Each pod asks for 100m CPU and 50Mi with equal limits, so every
 * kind node's "Allocated resources" count them and the pods are Guaranteed. The playground's pod network is
 * its own model (kubelet/netinfo.ts); these pods are where a learner finds the CNI.
 * A fresh boot with a control plane only.
 */
import type { ApiServer } from '../apiserver/api';
import type { KObject } from '../contract';
import { createAddonObject } from './manifest';
import { CONTROL_PLANE_NODE } from '../layout';
import { KINDNETD_IMAGE } from '../kubelet/staticpods';

const NS = 'kube-system';
/** kind's default pod subnet, which its installcni action writes into the manifest's POD_SUBNET. */
const POD_SUBNET = '10.244.0.0/16';

function daemonSet(): KObject {
  const labels = { tier: 'node', app: 'kindnet', 'k8s-app': 'kindnet' };
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kindnet', namespace: NS, labels: { ...labels } },
    spec: {
      selector: { matchLabels: { app: 'kindnet' } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          serviceAccountName: 'kindnet',
          containers: [{
            name: 'kindnet-cni',
            image: KINDNETD_IMAGE,
            env: [
              { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              { name: 'POD_SUBNET', value: POD_SUBNET },
              // installcni adds it so that kindnet need not wait for kube-proxy's Service routing.
              { name: 'CONTROL_PLANE_ENDPOINT', value: `${CONTROL_PLANE_NODE}:6443` },
            ],
            volumeMounts: [
              { name: 'cni-cfg', mountPath: '/etc/cni/net.d' },
              { name: 'xtables-lock', mountPath: '/run/xtables.lock', readOnly: false },
              { name: 'lib-modules', mountPath: '/lib/modules', readOnly: true },
            ],
            resources: {
              requests: { cpu: '100m', memory: '50Mi' },
              limits: { cpu: '100m', memory: '50Mi' },
            },
            securityContext: { privileged: false, capabilities: { add: ['NET_RAW', 'NET_ADMIN'] } },
          }],
          volumes: [
            { name: 'cni-cfg', hostPath: { path: '/etc/cni/net.d' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
        },
      },
    },
  } as KObject;
}

/** Creates the manifest's objects in its order: ClusterRole, ClusterRoleBinding, ServiceAccount, DaemonSet. */
export function installKindnet(api: ApiServer): void {
  const rbac = 'rbac.authorization.k8s.io';
  createAddonObject(api, rbac, 'clusterroles', undefined, {
    apiVersion: `${rbac}/v1`, kind: 'ClusterRole', metadata: { name: 'kindnet' },
    rules: [
      { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'], resourceNames: ['kindnet'] },
      { apiGroups: [''], resources: ['nodes', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: ['list', 'watch'] },
    ],
  } as KObject);
  createAddonObject(api, rbac, 'clusterrolebindings', undefined, {
    apiVersion: `${rbac}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'kindnet' },
    roleRef: { apiGroup: rbac, kind: 'ClusterRole', name: 'kindnet' },
    subjects: [{ kind: 'ServiceAccount', name: 'kindnet', namespace: NS }],
  } as KObject);
  createAddonObject(api, '', 'serviceaccounts', NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kindnet', namespace: NS } } as KObject);
  createAddonObject(api, 'apps', 'daemonsets', NS, daemonSet());
}
