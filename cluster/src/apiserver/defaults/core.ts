/** Defaulting of core/v1 kinds other than pods (pkg/apis/core/v1/defaults.go and the registries' PrepareForCreate). */
import { canonicalQuantityMap, canonicalRequirements } from './quantity';

type Obj = Record<string, any>;

export function defaultService(svc: Obj): void {
  const s = (svc.spec ??= {});
  s.type ??= 'ClusterIP';
  s.sessionAffinity ??= 'None';
  if (s.sessionAffinity === 'ClientIP') {
    s.sessionAffinityConfig ??= {};
    s.sessionAffinityConfig.clientIP ??= {};
    s.sessionAffinityConfig.clientIP.timeoutSeconds ??= 10800;
  }
  if (Array.isArray(s.ports)) {
    for (const p of s.ports) {
      if (!p || typeof p !== 'object') continue;
      p.protocol ??= 'TCP';
      if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
    }
  }
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') s.externalTrafficPolicy ??= 'Cluster';
  if (s.type !== 'ExternalName') {
    s.internalTrafficPolicy ??= 'Cluster';
    // The service registry picks the families at create: single-stack IPv4 here.
    s.ipFamilyPolicy ??= 'SingleStack';
    s.ipFamilies ??= ['IPv4'];
  }
  if (s.type === 'LoadBalancer') s.allocateLoadBalancerNodePorts ??= true;
}

export function defaultNamespace(ns: Obj): void {
  ns.metadata ??= {};
  ns.metadata.labels ??= {};
  ns.metadata.labels['kubernetes.io/metadata.name'] = ns.metadata.name;
  ns.spec ??= {};
  ns.spec.finalizers ??= ['kubernetes'];
  ns.status ??= {};
  ns.status.phase ??= 'Active';
}

export function defaultPersistentVolumeClaim(pvc: Obj): void {
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  canonicalRequirements(pvc.spec.resources);
  canonicalQuantityMap(pvc.status?.capacity);
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

export function defaultPersistentVolume(pv: Obj): void {
  pv.spec ??= {};
  canonicalQuantityMap(pv.spec.capacity);
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  pv.status ??= {};
  pv.status.phase ??= 'Pending';
}

/**
 * `stringData` is write-only: decoding a v1 Secret merges it into `data`
 * (base64, overwriting a key already there) and stores no `stringData`, as
 * upstream's conversion does. A non-string value is left for the decoder's
 * type error.
 */
export function defaultSecret(s: Obj): void {
  // SetDefaults_Secret: an empty type is Opaque too.
  if (s.type === undefined || s.type === null || s.type === '') s.type = 'Opaque';
  const sd = s.stringData;
  if (sd && typeof sd === 'object' && !Array.isArray(sd) && Object.values(sd).every((v) => typeof v === 'string')) {
    const data = s.data && typeof s.data === 'object' && !Array.isArray(s.data) ? { ...s.data } : {};
    for (const [k, v] of Object.entries(sd)) data[k] = Buffer.from(v as string, 'utf8').toString('base64');
    s.data = data;
    delete s.stringData;
  }
}

export function defaultEndpoints(ep: Obj): void {
  if (!Array.isArray(ep.subsets)) return;
  for (const ss of ep.subsets) if (Array.isArray(ss?.ports)) for (const p of ss.ports) if (p) p.protocol ??= 'TCP';
}

export function defaultNode(n: Obj): void {
  n.spec ??= {};
  n.status ??= {};
}
