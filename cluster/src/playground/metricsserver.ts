/**
 * metrics-server as its release manifest installs it (components.yaml of
 * kubernetes-sigs/metrics-server v0.7.2: the ServiceAccount, the Deployment
 * with its `--metric-resolution=15s` and its readiness probe, and the Service
 * the aggregator routes `metrics.k8s.io` to), so that `kubectl get pods -A`
 * shows where `kubectl top` and the horizontal pod autoscaler get their
 * numbers. The resource metrics API answers once this Service has a ready
 * endpoint (http/metrics.ts), as the aggregator answers 503 before. Its
 * APIService (v1beta1.metrics.k8s.io) is the manifest's last object, and
 * the aggregator's availability controller reports on it (aggregator.ts).
 * Its RBAC objects are left out. A fresh boot only.
 */
import type { ApiServer } from '../apiserver/api';
import type { KObject } from '../contract';
import { createAddonObject } from './manifest';
import { metricsServerAPIService } from './aggregator';

export const METRICS_SERVER_IMAGE = 'registry.k8s.io/metrics-server/metrics-server:v0.7.2';
export const METRICS_SERVER_NAMESPACE = 'kube-system';
export const METRICS_SERVER_SERVICE = 'metrics-server';
const LABELS = { 'k8s-app': 'metrics-server' };
const NS = METRICS_SERVER_NAMESPACE;

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'metrics-server', namespace: NS, labels: { ...LABELS } },
    spec: {
      selector: { matchLabels: { ...LABELS } },
      strategy: { rollingUpdate: { maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...LABELS } },
        spec: {
          containers: [{
            name: 'metrics-server',
            image: METRICS_SERVER_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s'],
            livenessProbe: { failureThreshold: 3, httpGet: { path: '/livez', port: 'https', scheme: 'HTTPS' }, periodSeconds: 10 },
            ports: [{ containerPort: 10250, name: 'https', protocol: 'TCP' }],
            readinessProbe: { failureThreshold: 3, httpGet: { path: '/readyz', port: 'https', scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10 },
            resources: { requests: { cpu: '100m', memory: '200Mi' } },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
            volumeMounts: [{ mountPath: '/tmp', name: 'tmp-dir' }],
          }],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'metrics-server',
          volumes: [{ emptyDir: {}, name: 'tmp-dir' }],
        },
      },
    },
  } as KObject;
}

/** Creates the add-on in the manifest's order: ServiceAccount, Service, Deployment, APIService. */
export function installMetricsServer(api: ApiServer): void {
  const make = (group: string, resource: string, obj: KObject) => createAddonObject(api, group, resource, NS, obj);
  make('', 'serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'metrics-server', namespace: NS, labels: { ...LABELS } } } as KObject);
  make('', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: METRICS_SERVER_SERVICE, namespace: NS, labels: { ...LABELS } },
    spec: { ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }], selector: { ...LABELS } },
  } as KObject);
  make('apps', 'deployments', deployment());
  createAddonObject(api, 'apiregistration.k8s.io', 'apiservices', undefined, metricsServerAPIService());
}
