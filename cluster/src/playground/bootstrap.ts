/** What a fresh cluster has before anyone applies anything. */
import type { ApiServer } from '../apiserver/api';
import { PRIORITY_CLASSES, systemPriorityClassObjects } from '../apiserver/priority';
import { APISERVER_ENDPOINT_IP, APISERVER_PORT, KUBERNETES_SERVICE_IP } from '../network/apiserver';
import { APISERVER_WRITE } from '../auth/identities';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The `kubernetes` Service is the apiserver's own, at the first address of
 * the service range (10.96.0.1). It is created here with that clusterIP set
 * explicitly; the ClusterIP allocator in cluster/src/network treats addresses
 * already held by Services as taken, so it never hands 10.96.0.1 out again.
 */
export { APISERVER_ENDPOINT_IP, KUBERNETES_SERVICE_IP };

/** Each object is the apiserver's own, written through its loopback client (auth/identities.ts). */
export function bootstrap(api: ApiServer): void {
  // The apiserver's scheduling/bootstrap-system-priority-classes post-start hook.
  for (const pc of systemPriorityClassObjects()) {
    if (!api.store.get(PRIORITY_CLASSES, undefined, pc.metadata.name!)) api.create({ group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' }, undefined, pc, APISERVER_WRITE);
  }
  const ns = { group: '', version: 'v1', resource: 'namespaces' };
  for (const name of SYSTEM_NAMESPACES) {
    if (!api.store.get('/namespaces', undefined, name)) api.create(ns, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, APISERVER_WRITE);
  }
  if (!api.store.get('/services', 'default', 'kubernetes')) {
    api.create({ group: '', version: 'v1', resource: 'services' }, 'default', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: {
        type: 'ClusterIP',
        clusterIP: KUBERNETES_SERVICE_IP,
        clusterIPs: [KUBERNETES_SERVICE_IP],
        ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: APISERVER_PORT }],
        sessionAffinity: 'None',
      },
    }, APISERVER_WRITE);
  }
  if (!api.store.get('/endpoints', 'default', 'kubernetes')) {
    api.create({ group: '', version: 'v1', resource: 'endpoints' }, 'default', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip: APISERVER_ENDPOINT_IP }], ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }] }],
    }, APISERVER_WRITE);
  }
  if (!api.store.get('discovery.k8s.io/endpointslices', 'default', 'kubernetes')) {
    api.create({ group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' }, 'default', {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [APISERVER_ENDPOINT_IP], conditions: { ready: true } }],
      ports: [{ name: 'https', port: APISERVER_PORT, protocol: 'TCP' }],
    }, APISERVER_WRITE);
  }
}
