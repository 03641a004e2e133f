/**
 * The ingress-nginx add-on: the controller as its bare-metal manifest
 * installs it (deploy/static/provider/baremetal/deploy.yaml of
 * controller-v1.12.3: the `ingress-nginx` namespace, its ServiceAccount and
 * ConfigMap, the NodePort Service `ingress-nginx-controller`, the Deployment
 * and the IngressClass `nginx`), so that Ingresses of class `nginx` route
 * (network/ingress.ts) and get an address. Left out, because nothing in the
 * playground would run them: the admission webhook (its Service, the two
 * kube-webhook-certgen Jobs, the ValidatingWebhookConfiguration, the
 * certificate Secret and the controller's `--validating-webhook` flags and
 * mount) and the RBAC objects (the controller's process is simulated inside
 * the cluster and asks the API nothing). Installing again changes nothing.
 */
import type { ApiServer } from '../apiserver/api';
import type { KObject } from '../contract';
import { createAddonObject } from './manifest';

export const INGRESS_NGINX_VERSION = '1.12.3';
export const INGRESS_NGINX_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.12.3@sha256:ac444cd9515af325ba577b596fe4f27a34be1aa330538e8b317ad9d6c8fb94ee';
export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_SERVICE = 'ingress-nginx-controller';
const NS = INGRESS_NGINX_NAMESPACE;

const base = { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' };
const selector = { 'app.kubernetes.io/component': 'controller', ...base };
const labels = { ...selector, 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': INGRESS_NGINX_VERSION };

function deployment(): KObject {
  const probe = (failureThreshold: number) => ({
    failureThreshold, httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { labels: { ...labels }, name: INGRESS_NGINX_SERVICE, namespace: NS },
    spec: {
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { ...selector } },
      strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [{
            args: [
              '/nginx-ingress-controller',
              '--election-id=ingress-nginx-leader',
              '--controller-class=k8s.io/ingress-nginx',
              '--ingress-class=nginx',
              '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
            ],
            env: [
              { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
            ],
            image: INGRESS_NGINX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
            livenessProbe: probe(5),
            name: 'controller',
            ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https', protocol: 'TCP' }],
            readinessProbe: probe(3),
            resources: { requests: { cpu: '100m', memory: '90Mi' } },
            securityContext: {
              allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false,
              runAsGroup: 82, runAsNonRoot: true, runAsUser: 101, seccompProfile: { type: 'RuntimeDefault' },
            },
          }],
          dnsPolicy: 'ClusterFirst',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: 'ingress-nginx',
          terminationGracePeriodSeconds: 300,
        },
      },
    },
  } as KObject;
}

/** Creates the add-on in the manifest's order; what exists already is left as it is. */
export function installIngressNginx(api: ApiServer): void {
  const make = (group: string, resource: string, namespace: string | undefined, obj: KObject) => createAddonObject(api, group, resource, namespace, obj);
  make('', 'namespaces', undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { labels: { ...base }, name: NS } } as KObject);
  make('', 'serviceaccounts', NS, { apiVersion: 'v1', kind: 'ServiceAccount', automountServiceAccountToken: true, metadata: { labels: { ...labels }, name: 'ingress-nginx', namespace: NS } } as KObject);
  make('', 'configmaps', NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { labels: { ...labels }, name: 'ingress-nginx-controller', namespace: NS } } as KObject);
  make('', 'services', NS, {
    apiVersion: 'v1', kind: 'Service', metadata: { labels: { ...labels }, name: INGRESS_NGINX_SERVICE, namespace: NS },
    spec: {
      ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack',
      ports: [
        { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
      selector: { ...selector }, type: 'NodePort',
    },
  } as KObject);
  make('apps', 'deployments', NS, deployment());
  make('networking.k8s.io', 'ingressclasses', undefined, {
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { labels: { ...labels }, name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' },
  } as KObject);
}
