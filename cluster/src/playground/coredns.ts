/**
 * The cluster DNS add-on as kubeadm installs it on a fresh cluster
 * (cmd/kubeadm/app/phases/addons/dns/manifests.go, Kubernetes 1.34): the
 * `coredns` ConfigMap, ServiceAccount and Deployment and the `kube-dns`
 * Service at the kubelet's clusterDNS address. Created through the apiserver
 * so defaulting, validation and events apply as to anything else; the
 * Deployment and ReplicaSet controllers then run its two pods. Only a fresh
 * boot calls this: a restored playground already holds what the user left.
 * kubeadm's `system:coredns` ClusterRole and binding are left out: the
 * playground does not authorize by RBAC.
 */
import type { ApiServer } from '../apiserver/api';
import type { KObject } from '../contract';
import { createAddonObject } from './manifest';
import { CLUSTER_DNS_IP } from '../network/dns';
import { COREDNS_IMAGE } from '../kubelet/staticpods';
import { KUBEADM_COREFILE } from '../kubelet/corefile';

export const DNS_SELECTOR = { 'k8s-app': 'kube-dns' };
const NS = 'kube-system';

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: NS, labels: { ...DNS_SELECTOR } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      selector: { matchLabels: { ...DNS_SELECTOR } },
      template: {
        metadata: { labels: { ...DNS_SELECTOR } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [{
                weight: 100,
                podAffinityTerm: { labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] }, topologyKey: 'kubernetes.io/hostname' },
              }],
            },
          },
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{
            name: 'coredns',
            image: COREDNS_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
            args: ['-conf', '/etc/coredns/Corefile'],
            volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
              { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' },
              { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' },
            ],
            livenessProbe: {
              httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
              initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5,
            },
            readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
          }],
          dnsPolicy: 'Default',
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  };
}

function service(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: NS,
      labels: { ...DNS_SELECTOR, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: CLUSTER_DNS_IP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { ...DNS_SELECTOR },
    },
  };
}

/** Creates the add-on in kubeadm's order: ConfigMap, ServiceAccount, Deployment, Service. */
export function installCoreDNS(api: ApiServer): void {
  const make = (group: string, resource: string, ns: string | undefined, obj: KObject) => createAddonObject(api, group, resource, ns, obj);
  make('', 'configmaps', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: NS }, data: { Corefile: KUBEADM_COREFILE } } as KObject);
  make('', 'serviceaccounts', NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: NS } });
  make('apps', 'deployments', NS, deployment());
  make('', 'services', NS, service());
}
