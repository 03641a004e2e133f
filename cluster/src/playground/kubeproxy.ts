/**
 * kube-proxy as kubeadm's addon phase installs it (cmd/kubeadm/app/phases/
 * addons/proxy, Kubernetes 1.34): the `kube-proxy` ServiceAccount and
 * ConfigMap, the ClusterRoleBinding to system:node-proxier, and the DaemonSet
 * whose pods run on every node, the control plane's included (they tolerate
 * every taint). The playground's Service routing is its own model
 * (network/proxy.ts); these pods are where a learner finds kube-proxy.
 * A fresh boot with a control plane only.
 */
import type { ApiServer } from '../apiserver/api';
import type { Component, ComponentContext, KObject } from '../contract';
import { informerFor } from '../runtime/informer';
import { GVRS } from '../scheduler/watch';
import { createAddonObject } from './manifest';
import { CONTROL_PLANE_NODE, KUBELET_VERSION } from '../kubelet';

const NS = 'kube-system';
const LABELS = { 'k8s-app': 'kube-proxy' };
export const KUBE_PROXY_IMAGE = `registry.k8s.io/kube-proxy:${KUBELET_VERSION}`;

const CONFIG = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: 0
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 1s
  syncPeriod: 0s
kind: KubeProxyConfiguration
metricsBindAddress: ""
mode: iptables
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
`;

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://${CONTROL_PLANE_NODE}:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;

function daemonSet(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'kube-proxy', namespace: NS, labels: { ...LABELS } },
    spec: {
      selector: { matchLabels: { ...LABELS } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          containers: [{
            name: 'kube-proxy',
            image: KUBE_PROXY_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
            securityContext: { privileged: true },
            volumeMounts: [
              { mountPath: '/var/lib/kube-proxy', name: 'kube-proxy' },
              { mountPath: '/run/xtables.lock', name: 'xtables-lock' },
              { mountPath: '/lib/modules', name: 'lib-modules', readOnly: true },
            ],
          }],
          hostNetwork: true,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-node-critical',
          serviceAccountName: 'kube-proxy',
          tolerations: [{ operator: 'Exists' }],
          volumes: [
            { name: 'kube-proxy', configMap: { name: 'kube-proxy' } },
            { name: 'xtables-lock', hostPath: { path: '/run/xtables.lock', type: 'FileOrCreate' } },
            { name: 'lib-modules', hostPath: { path: '/lib/modules' } },
          ],
        },
      },
    },
  } as KObject;
}

/** Creates the add-on in kubeadm's order: ServiceAccount, ClusterRoleBinding, ConfigMap, DaemonSet. */
export function installKubeProxy(api: ApiServer): void {
  const make = (group: string, resource: string, ns: string | undefined, obj: KObject) => createAddonObject(api, group, resource, ns, obj);
  make('', 'serviceaccounts', NS, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: NS } } as KObject);
  make('rbac.authorization.k8s.io', 'clusterrolebindings', undefined, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kubeadm:node-proxier' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
    subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: NS }],
  } as KObject);
  make('', 'configmaps', NS, {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: NS, labels: { app: 'kube-proxy' } },
    data: { 'config.conf': CONFIG, 'kubeconfig.conf': KUBECONFIG },
  } as KObject);
  make('apps', 'daemonsets', NS, daemonSet());
}

/**
 * kube-proxy's process as the events show it: each time a kube-proxy container starts, the new process says
 * `Starting` about its node once its informers run (birthCry). Its recorder is an events.k8s.io one named
 * `kube-proxy`, instance `kube-proxy-<node>`, and its node reference is the kubelet's kind (the uid is the name).
 */
export class KubeProxyProcesses implements Component {
  readonly name = 'kube-proxy';
  /** The container each kube-proxy pod was last seen running, by pod uid. */
  private readonly running = new Map<string, string>();
  private off: (() => void) | undefined;

  constructor(private readonly ctx: ComponentContext) {}

  start(): void {
    const seen = (pod: KObject) => {
      if (pod.metadata.namespace !== NS || pod.metadata.labels?.['k8s-app'] !== 'kube-proxy') return;
      const uid = pod.metadata.uid!;
      const node = pod.spec?.nodeName;
      const st = (pod.status?.containerStatuses ?? []).find((c: any) => c.name === 'kube-proxy');
      const id = st?.state?.running ? String(st.containerID ?? '') : '';
      if (!id || !node || this.running.get(uid) === id) return;
      this.running.set(uid, id);
      const ref = { kind: 'Node', metadata: { name: node, uid: node } } as KObject;
      this.ctx.events.eventV1({ controller: 'kube-proxy', instance: `kube-proxy-${node}` }, ref, undefined, 'Normal', 'Starting', 'StartKubeProxy', '', true);
    };
    this.off = informerFor(this.ctx, GVRS.pods).on({
      add: seen,
      update: (_old, pod) => seen(pod),
      delete: (pod) => { this.running.delete(pod.metadata.uid!); },
    });
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
  }
}
