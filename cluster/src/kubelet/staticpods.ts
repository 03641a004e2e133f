/**
 * The control-plane node's static pods, as kubeadm writes them into
 * /etc/kubernetes/manifests (kubeadm v1.34, the layout a kind node has) and
 * as the kubelet mirrors them into the API: a mirror pod is named
 * `<manifest>-<node>`, is owned by its Node, carries the manifest's hash in
 * `kubernetes.io/config.hash` and `kubernetes.io/config.mirror`, and comes
 * back at once when someone deletes it, because the static pod it mirrors
 * keeps running (the kubelet's "Deleting mirror pod because it is outdated",
 * then a fresh mirror). The playground's real control plane is its own code;
 * these pods are what a learner sees of it with `kubectl get pods -n kube-system`.
 */
import { createHash } from 'crypto';
import type { ComponentContext, KObject } from '../contract';
import { kubeletActor, kubeletOptions } from '../auth/identities';
import { GVRS } from '../scheduler/watch';

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.6.4-0';

const HOST_PATH = (name: string, path: string, type = 'DirectoryOrCreate') => ({ name, hostPath: { path, type } });
const MOUNT = (name: string, mountPath: string, readOnly = true) => (readOnly ? { mountPath, name, readOnly: true } : { mountPath, name });

/** kubeadm's probes: startup and liveness on /livez (or /healthz) every 10 s, readiness every second. */
function probes(host: string, scheme: 'HTTP' | 'HTTPS', live: string, ready: string | undefined, startup = live): Record<string, any> {
  const get = (path: string) => ({ host, path, port: 'probe-port', scheme });
  const out: Record<string, any> = {
    livenessProbe: { failureThreshold: 8, httpGet: get(live), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 },
  };
  if (ready) out.readinessProbe = { failureThreshold: 3, httpGet: get(ready), periodSeconds: 1, timeoutSeconds: 15 };
  out.startupProbe = { failureThreshold: 24, httpGet: get(startup), initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15 };
  return out;
}

function staticPod(name: string, annotations: Record<string, string> | undefined, container: Record<string, any>, volumes: any[]): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'kube-system', labels: { component: name, tier: 'control-plane' }, ...(annotations ? { annotations } : {}) },
    spec: {
      containers: [{ name, imagePullPolicy: 'IfNotPresent', ...container }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      volumes,
    },
  } as KObject;
}

const CA_VOLUMES = [
  HOST_PATH('ca-certs', '/etc/ssl/certs'),
  HOST_PATH('etc-ca-certificates', '/etc/ca-certificates'),
  HOST_PATH('k8s-certs', '/etc/kubernetes/pki'),
  HOST_PATH('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'),
  HOST_PATH('usr-share-ca-certificates', '/usr/share/ca-certificates'),
];
const CA_MOUNTS = [
  MOUNT('ca-certs', '/etc/ssl/certs'),
  MOUNT('etc-ca-certificates', '/etc/ca-certificates'),
  MOUNT('k8s-certs', '/etc/kubernetes/pki'),
  MOUNT('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'),
  MOUNT('usr-share-ca-certificates', '/usr/share/ca-certificates'),
];

/** The four manifests kubeadm init writes for a control plane at `ip` (etcd, apiserver, controller manager, scheduler). */
export function controlPlaneManifests(node: string, ip: string, version: string): KObject[] {
  const image = (c: string) => `registry.k8s.io/${c}:${version}`;
  const etcd = staticPod('etcd', { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` }, {
    command: [
      'etcd', `--advertise-client-urls=https://${ip}:2379`, '--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--client-cert-auth=true',
      '--data-dir=/var/lib/etcd', '--feature-gates=InitialCorruptCheck=true', `--initial-advertise-peer-urls=https://${ip}:2380`,
      `--initial-cluster=${node}=https://${ip}:2380`, '--key-file=/etc/kubernetes/pki/etcd/server.key',
      `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`, '--listen-metrics-urls=http://127.0.0.1:2381',
      `--listen-peer-urls=https://${ip}:2380`, `--name=${node}`, '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
      '--peer-client-cert-auth=true', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key', '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
      '--snapshot-count=10000', '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt', '--watch-progress-notify-interval=5s',
    ],
    image: ETCD_IMAGE,
    ...probes('127.0.0.1', 'HTTP', '/livez', '/readyz', '/readyz'),
    ports: [{ containerPort: 2381, name: 'probe-port', protocol: 'TCP' }],
    resources: { requests: { cpu: '100m', memory: '100Mi' } },
    volumeMounts: [MOUNT('etcd-data', '/var/lib/etcd', false), MOUNT('etcd-certs', '/etc/kubernetes/pki/etcd', false)],
  }, [HOST_PATH('etcd-certs', '/etc/kubernetes/pki/etcd'), HOST_PATH('etcd-data', '/var/lib/etcd')]);
  const apiserver = staticPod('kube-apiserver', { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` }, {
    command: [
      'kube-apiserver', `--advertise-address=${ip}`, '--allow-privileged=true', '--authorization-mode=Node,RBAC',
      '--client-ca-file=/etc/kubernetes/pki/ca.crt', '--enable-admission-plugins=NodeRestriction', '--enable-bootstrap-token-auth=true',
      '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt', '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
      '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key', '--etcd-servers=https://127.0.0.1:2379',
      '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
      '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
      '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key', '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt', '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      '--requestheader-group-headers=X-Remote-Group', '--requestheader-username-headers=X-Remote-User', '--secure-port=6443',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local', '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
      '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key', '--service-cluster-ip-range=10.96.0.0/12',
      '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
    ],
    image: image('kube-apiserver'),
    ...probes(ip, 'HTTPS', '/livez', '/readyz'),
    ports: [{ containerPort: 6443, name: 'probe-port', protocol: 'TCP' }],
    resources: { requests: { cpu: '250m' } },
    volumeMounts: CA_MOUNTS,
  }, CA_VOLUMES);
  const controllerManager = staticPod('kube-controller-manager', undefined, {
    command: [
      'kube-controller-manager', '--allocate-node-cidrs=true', '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
      '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf', '--bind-address=127.0.0.1', '--client-ca-file=/etc/kubernetes/pki/ca.crt',
      '--cluster-cidr=10.244.0.0/16', '--cluster-name=kubeplay', '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
      '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key', '--controllers=*,bootstrapsigner,tokencleaner',
      '--kubeconfig=/etc/kubernetes/controller-manager.conf', '--leader-elect=true', '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
      '--root-ca-file=/etc/kubernetes/pki/ca.crt', '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
      '--service-cluster-ip-range=10.96.0.0/12', '--use-service-account-credentials=true',
    ],
    image: image('kube-controller-manager'),
    ...probes('127.0.0.1', 'HTTPS', '/healthz', undefined),
    ports: [{ containerPort: 10257, name: 'probe-port', protocol: 'TCP' }],
    resources: { requests: { cpu: '200m' } },
    volumeMounts: [
      ...CA_MOUNTS.slice(0, 2), MOUNT('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', false), CA_MOUNTS[2],
      MOUNT('kubeconfig', '/etc/kubernetes/controller-manager.conf'), ...CA_MOUNTS.slice(3),
    ],
  }, [
    ...CA_VOLUMES.slice(0, 2), HOST_PATH('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec'), CA_VOLUMES[2],
    HOST_PATH('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate'), ...CA_VOLUMES.slice(3),
  ]);
  const scheduler = staticPod('kube-scheduler', undefined, {
    command: [
      'kube-scheduler', '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf', '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
      '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true',
    ],
    image: image('kube-scheduler'),
    ...probes('127.0.0.1', 'HTTPS', '/livez', '/readyz'),
    ports: [{ containerPort: 10259, name: 'probe-port', protocol: 'TCP' }],
    resources: { requests: { cpu: '100m' } },
    volumeMounts: [MOUNT('kubeconfig', '/etc/kubernetes/scheduler.conf')],
  }, [HOST_PATH('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')]);
  return [etcd, apiserver, controllerManager, scheduler];
}

/** kubeadm 1.34's CoreDNS (DefaultCoreDNSVersion) and pause (PauseVersion, the sandbox image) images. */
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.1';
export const PAUSE_IMAGE = 'registry.k8s.io/pause:3.10.1';
/** kind's CNI daemon, which its node images carry (kind v0.29 and v0.30, Kubernetes 1.33 and 1.34). */
export const KINDNETD_IMAGE = 'docker.io/kindest/kindnetd:v20250512-df8de77b';
/** kind's storage provisioner and the helper image its volume setup and teardown pods run (kind v0.29). */
export const LOCAL_PATH_PROVISIONER_IMAGE = 'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a';
export const LOCAL_PATH_HELPER_IMAGE = 'docker.io/kindest/local-path-helper:v20241212-8ac705d0';

/**
 * The images a kind node image ships preloaded (what `kubeadm config images list` names, and kind's own CNI and storage images),
 * so that its static pods, kube-proxy, CoreDNS, kindnet and any pod of the sandbox image find them "already present
 * on machine".
 */
export function preloadedImages(version: string): string[] {
  return ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].map((c) => `registry.k8s.io/${c}:${version}`)
    .concat(ETCD_IMAGE, COREDNS_IMAGE, PAUSE_IMAGE, KINDNETD_IMAGE, LOCAL_PATH_PROVISIONER_IMAGE, LOCAL_PATH_HELPER_IMAGE);
}

/** The kubelet's hash of a static pod (config.hash): the pod as read from its file, with the node it runs on. */
function configHash(manifest: KObject, node: string): string {
  return createHash('md5').update(JSON.stringify(manifest) + node).digest('hex');
}

interface StaticPod { node: string; manifest: KObject; hash: string; name: string; seen: string }

/** A node's kubelet keeps one mirror pod per static pod in the API, making it again whenever it goes. */
export class StaticPods {
  private readonly pods = new Map<string, StaticPod>();

  constructor(private readonly ctx: ComponentContext) {}

  /** The kubelet of `node` reads its manifests folder: each manifest becomes a static pod, mirrored into the API. */
  add(node: string, manifests: KObject[], startedAt: number): void {
    const seen = new Date(startedAt).toISOString().replace(/\.(\d{3})Z$/, (_, ms) => `.${ms}${String(Math.floor(this.ctx.rand.next() * 1e6)).padStart(6, '0')}Z`);
    for (const manifest of manifests) {
      const name = `${manifest.metadata.name}-${node}`;
      const s: StaticPod = { node, manifest, hash: configHash(manifest, node), name, seen };
      this.pods.set(`kube-system/${name}`, s);
      this.ensureMirror(s);
    }
  }

  /** A kubelet back from a failure mirrors its static pods again (a mirror deleted meanwhile comes back). */
  resync(node: string): void {
    for (const s of this.pods.values()) if (s.node === node) this.ensureMirror(s);
  }

  /** The node is gone: its static pods with it. */
  dropNode(node: string): void {
    for (const [k, s] of this.pods) if (s.node === node) this.pods.delete(k);
  }

  /** Whether `pod` is the mirror of a static pod this kubelet runs (same name, node and hash). */
  isMirror(pod: KObject): boolean {
    // Every pod write of the cluster asks: the annotation first, without building a key for pods that have none.
    const hash = pod.metadata.annotations?.[MIRROR_ANNOTATION];
    if (hash === undefined || this.pods.size === 0) return false;
    const s = this.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    return !!s && hash === s.hash && pod.spec?.nodeName === s.node;
  }

  /** A mirror pod marked for deletion is deleted at once (the static pod goes on); its DELETED event brings a new one. */
  deleteMirror(pod: KObject): void {
    try {
      this.ctx.api.delete(GVRS.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid }, actor: kubeletActor(pod.spec?.nodeName) });
      this.ctx.log('kubelet', `${pod.spec?.nodeName}: ${pod.metadata.namespace}/${pod.metadata.name}: deleting mirror pod because it is outdated`);
    } catch { /* already gone */ }
  }

  /** The mirror of `pod`'s static pod is gone: make it again (syncPod's "Creating a mirror pod for static pod"). */
  recreate(pod: KObject): void {
    const s = this.pods.get(`${pod.metadata.namespace}/${pod.metadata.name}`);
    if (s) this.ensureMirror(s);
  }

  private ensureMirror(s: StaticPod): void {
    const m = s.manifest;
    const nodeObj = (() => { try { return this.ctx.api.get(GVRS.nodes, undefined, s.node); } catch { return undefined; } })();
    if (!nodeObj) return;
    const mirror: KObject = {
      ...m,
      metadata: {
        ...m.metadata,
        name: s.name,
        annotations: {
          ...m.metadata.annotations,
          'kubernetes.io/config.hash': s.hash, [MIRROR_ANNOTATION]: s.hash, 'kubernetes.io/config.seen': s.seen, 'kubernetes.io/config.source': 'file',
        },
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: s.node, uid: nodeObj.metadata.uid!, controller: true }],
      },
      // The kubelet's defaults for a static pod: its node, and a toleration of every NoExecute taint.
      spec: { ...m.spec, nodeName: s.node, tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] },
    };
    try {
      this.ctx.api.create(GVRS.pods, 'kube-system', mirror, kubeletOptions(s.node));
    } catch (e: any) {
      if ((e?.code ?? e?.status?.code) !== 409) {
        this.ctx.log('kubelet', `${s.node}: mirror pod ${s.name}: ${(e as Error).message}`);
        return;
      }
      // A pod of that name that is not this static pod's current mirror (another manifest's, a state saved by an
      // older kubelet): "Deleting mirror pod because it is outdated", then the mirror is made anew.
      let cur: KObject | undefined;
      try { cur = this.ctx.api.get(GVRS.pods, 'kube-system', s.name); } catch { cur = undefined; }
      if (!cur || cur.metadata.annotations?.[MIRROR_ANNOTATION] === s.hash) return;
      this.deleteMirror(cur);
      try { this.ctx.api.create(GVRS.pods, 'kube-system', mirror, kubeletOptions(s.node)); } catch { /* made by the DELETED event's recreate */ }
    }
  }
}
