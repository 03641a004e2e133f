/**
 * Simulated nodes: the Node objects a kubelet registers, their Lease
 * heartbeats in kube-node-lease, and the operator actions the playground
 * offers (add, remove, fail, recover, cordon, uncordon, drain).
 *
 * Naming follows kind's convention for a cluster called "kubeplay":
 * kubeplay-worker, kubeplay-worker2, kubeplay-worker3, ... Each node gets a
 * /24 pod CIDR from 10.244.0.0/16 (10.244.N.0/24 for the N-th node, counting
 * from 1), continuing into 10.245.0.0/16 and upwards for large clusters, and
 * an InternalIP in 172.18.0.0/16 like kind's docker network: from 172.18.0.3,
 * as kind's control-plane node (the apiserver's endpoint) holds 172.18.0.2.
 */
import { CONTROL_PLANE_NODE } from '../layout';
import type { ComponentContext, KObject, TimerHandle } from '../contract';
import { GVRS } from '../scheduler/watch';
import { rfc3339 as isoTime } from '../runtime/objects';
import { freshIpam, KubeletEngine, type NodeRuntime } from './engine';
import { Drainer } from './drain';
import { controlPlaneManifests, preloadedImages } from './staticpods';
// cordon, drain and node removal are the user's kubectl (ADMIN_WRITE), not the kubelet's.
import { ADMIN_WRITE, kubeletOptions } from '../auth/identities';
import { isExtendedResourceName } from '../../../kube/src/resourceNames';
import { KINDNETD_FIRST_WRITE_MS, NETWORK_NOT_READY_MESSAGE, readyPostAt } from './cni';

export interface NodeCapacity { cpu?: string; memory?: string; pods?: string; 'ephemeral-storage'?: string }

export const KUBELET_VERSION = 'v1.34.1';
/** The kernel release every node reports (status.nodeInfo.kernelVersion), which nginx's `OS:` notice prints. */
export const KERNEL_RELEASE = '6.8.0-kubeplay';
/** What the kubelet itself puts in capacity from the machine (with hugepages-<size>). */
const MACHINE_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods']);
export const LEASE_DURATION_SECONDS = 40;
/** The kubelet renews its lease every leaseDuration/4. */
export const LEASE_RENEW_MS = 10_000;
/** nodeStatusReportFrequency: an unchanged status is still re-posted this often. */
export const NODE_STATUS_REPORT_MS = 5 * 60_000;

/** The N-th node's InternalIP (counting from 1): 172.18.0.3 onwards, past the control plane's 172.18.0.2. */
const nodeAddress = (i: number) => `172.18.${Math.floor((i + 2) / 256)}.${(i + 2) % 256}`;

export const nodeName = (i: number) => (i === 1 ? 'kubeplay-worker' : `kubeplay-worker${i}`);
export { CONTROL_PLANE_NODE };
export const CONTROL_PLANE_ROLE = 'node-role.kubernetes.io/control-plane';
/** metav1.MicroTime's RFC 3339 form: the millisecond ISO string with three more digits (`...:05.123000Z`). */
const microTime = (ms: number) => `${new Date(ms).toISOString().slice(0, -1)}000Z`;
const HEX = '0123456789abcdef';
/**
 * kind's kubelet flag `provider-id: kind://{{.NodeProvider}}/{{.ClusterName}}/{{.NodeName}}` (pkg/cluster/internal/
 * kubeadm/config.go), on docker for the cluster "kubeplay".
 */
export const PROVIDER_ID_PREFIX = 'kind://docker/kubeplay/';
/** The runtime of kind v0.30's node images, the release whose default image runs Kubernetes 1.34 (its notes: containerd 2.1.4). */
export const CONTAINER_RUNTIME_VERSION = 'containerd://2.1.4';

/** 32 hex digits as a UUID's 8-4-4-4-12 groups, as /sys/class/dmi/id/product_uuid reads (nodeInfo.systemUUID). */
export function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** /proc/sys/kernel/random/boot_id (nodeInfo.bootID): a random version-4 UUID the kernel draws at boot. */
export function bootId(hex: string): string {
  const variant = HEX[8 + (parseInt(hex[16], 16) & 3)];
  return dashed(`${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`);
}

/** The n-th node's pod CIDR octets (n ≥ 1): 10.244.1, 10.244.2, ..., 10.244.255, 10.245.0, ... */
export function podCidr(n: number): [number, number, number] {
  return [10, 244 + Math.floor(n / 256), n % 256];
}

/** The kubelet's conditions with no pressure; Ready, or with `notReady` ReadyCondition's KubeletNotReady and that message. */
export function readyConditions(now: number, since: number, notReady?: string): any[] {
  const c = (type: string, status: string, reason: string, message: string) =>
    ({ type, status, lastHeartbeatTime: isoTime(now), lastTransitionTime: isoTime(since), reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    notReady ? c('Ready', 'False', 'KubeletNotReady', notReady) : c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export class NodeFleet {
  readonly name = 'kubelets';
  readonly engine: KubeletEngine;
  private timers = new Map<string, TimerHandle>();
  private readonly drainer: Drainer;
  private seq = 0;
  private started = false;

  /**
   * `cni`: a CNI (kind's kindnet) gives the nodes their pod network, so a node that registers is NotReady until its
   * pod there has written the CNI config (cni.ts); without one, nodes are Ready at once.
   */
  constructor(private ctx: ComponentContext, private initialCount: number, private capacity: NodeCapacity = {}, private controlPlane = false, private cni = false) {
    this.engine = new KubeletEngine(ctx);
    this.drainer = new Drainer(ctx);
    this.engine.onNetworkReady = (name, at) => this.networkReady(name, at);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    // Nodes already in the store (a restored playground) get their kubelets back first.
    for (const n of this.ctx.api.list(GVRS.nodes, undefined).items) this.adoptNode(n);
    this.engine.start();
    // One set of taken CIDRs for the whole boot: rebuilding it per node made booting 5,000 nodes quadratic.
    const used = this.usedCidrs();
    // kubeadm init on the control-plane node comes first; the workers join once it is up (joinWorkers), as kind's
    // kubeadmjoin action runs after kubeadminit, installcni and installstorage. Without a control plane they join now.
    if (this.controlPlane && !this.engine.nodes.has(CONTROL_PLANE_NODE)) this.register(CONTROL_PLANE_NODE, this.capacity, used, true);
    if (!this.controlPlane) this.joinWorkers(used);
  }

  /** The initial workers register (kind's kubeadm join on each worker node); once only. */
  joinWorkers(used = this.usedCidrs()): void {
    const count = this.initialCount;
    this.initialCount = 0;
    for (let i = 0; i < count; i++) this.register(undefined, this.capacity, used);
  }

  private adoptNode(n: KObject): void {
    const name = n.metadata.name!;
    if (this.engine.nodes.has(name)) return;
    const index = ++this.seq;
    const cidr = /^(\d+)\.(\d+)\.(\d+)\.0\/24$/.exec(n.spec?.podCIDR ?? '');
    const hostIP = (n.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address ?? nodeAddress(index);
    this.engine.nodes.set(name, {
      name, cidr: cidr ? [Number(cidr[1]), Number(cidr[2]), Number(cidr[3])] : podCidr(index), hostIP,
      failed: false, ...freshIpam(), images: new Set(preloadedImages(KUBELET_VERSION)), pods: new Set(), pullFreeAt: 0, imageReadyAt: new Map(),
      kubeletStart: this.ctx.clock.now(),
    });
    const now = this.ctx.clock.now();
    const ready = (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');
    const since = ready?.status === 'True' && ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : now;
    try { this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { conditions: readyConditions(now, since) } }, kubeletOptions(name), 'status'); } catch { /* keep going */ }
    // A kubelet says so at every start; the condition events come only with a change, and there is none.
    const src = { component: 'kubelet', host: name };
    this.ctx.events.event(src, n, 'Normal', 'Starting', 'Starting kubelet.');
    this.ctx.events.event(src, n, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    this.ctx.log('kubelet', `${name}: kubelet restarted, adopting the node`);
    this.renewLease(name, n.metadata.uid!);
    this.scheduleStatusReport(name);
    if (name === CONTROL_PLANE_NODE && n.metadata.labels?.[CONTROL_PLANE_ROLE] !== undefined) this.startStaticPods(name, hostIP);
    this.engine.resyncNode(name);
  }

  stop(): void {
    this.started = false;
    for (const t of this.timers.values()) this.ctx.clock.clearTimer(t);
    this.timers.clear();
    this.drainer.stop();
    this.engine.stop();
  }

  get nodeNames(): string[] { return [...this.engine.nodes.keys()]; }

  /** Registers a node (kubelet start-up): Node object, Lease, the start-up events, then heartbeats. */
  private usedCidrs(): Set<string> {
    return new Set([...this.engine.nodes.values()].map((n) => n.cidr.join('.')));
  }

  /**
   * A node that joins the running cluster (the playground's Add Node): with a CNI, it waits for kindnetd's second
   * pass (cni.ts KINDNETD_FIRST_WRITE_MS), where the boot's nodes get their config as kindnetd starts.
   */
  addNode(name?: string, capacity: NodeCapacity = this.capacity): KObject {
    return this.register(name, capacity, this.usedCidrs(), false, true);
  }

  /** `used`: the CIDRs nodes already hold, when the caller keeps that set current across calls. */
  private register(name: string | undefined, capacity: NodeCapacity, used: Set<string>, controlPlane = false, joins = false): KObject {
    let index = controlPlane ? 0 : ++this.seq;
    while (!controlPlane && used.has(podCidr(index).join('.'))) index = ++this.seq;
    name = name ?? this.freeName();
    const hint = this.engine.cidrHint(name);
    const ip = nodeAddress(index);
    const rt: NodeRuntime = { name, cidr: hint && !used.has(hint.join('.')) ? hint : podCidr(index), hostIP: ip, failed: false, ...freshIpam(), images: new Set(), pods: new Set(), pullFreeAt: 0, imageReadyAt: new Map(), kubeletStart: this.ctx.clock.now() };
    // A kind node image carries the Kubernetes component images: kube-proxy finds its image already present.
    for (const image of preloadedImages(KUBELET_VERSION)) rt.images.add(image);
    this.engine.nodes.set(name, rt);
    if (this.cni) {
      this.engine.awaitCni(name, joins ? KINDNETD_FIRST_WRITE_MS : 0);
      this.engine.setNetworkError(name, NETWORK_NOT_READY_MESSAGE);
    }
    used.add(rt.cidr.join('.'));
    const now = this.ctx.clock.now();
    const cap = { cpu: capacity.cpu ?? '4', 'ephemeral-storage': capacity['ephemeral-storage'] ?? '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: capacity.memory ?? '16Gi', pods: capacity.pods ?? '110' };
    const cidr = `${rt.cidr.join('.')}.0/24`;
    const labels: Record<string, string> = { 'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' };
    const annotations: Record<string, string> = { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' };
    // What kubeadm init's mark-control-plane phase gives the node: the role label, the exclusion label and the taint.
    // No kubeadm.alpha.kubernetes.io/cri-socket annotation: kubeadm 1.34's NodeLocalCRISocket (beta, on by default)
    // writes the socket to the node's /var/lib/kubelet/instance-config.yaml instead of annotating the Node.
    if (controlPlane) {
      labels[CONTROL_PLANE_ROLE] = '';
      labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
    }
    const node: KObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels, annotations },
      spec: { podCIDR: cidr, podCIDRs: [cidr], providerID: `${PROVIDER_ID_PREFIX}${name}`, ...(controlPlane ? { taints: [{ key: CONTROL_PLANE_ROLE, effect: 'NoSchedule' }] } : {}) },
      status: {
        capacity: cap, allocatable: { ...cap },
        conditions: readyConditions(now, now, this.cni ? NETWORK_NOT_READY_MESSAGE : undefined),
        addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          machineID: this.ctx.rand.string(32, HEX), systemUUID: dashed(this.ctx.rand.string(32, HEX)), bootID: bootId(this.ctx.rand.string(32, HEX)),
          kernelVersion: KERNEL_RELEASE, osImage: 'Debian GNU/Linux 12 (bookworm)', containerRuntimeVersion: CONTAINER_RUNTIME_VERSION,
          kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
        },
        images: [],
      },
    };
    const created = this.ctx.api.create(GVRS.nodes, undefined, node, kubeletOptions(name)).object;
    // Some apiservers drop status on create, as upstream does; post it through the status subresource.
    if (!created.status?.conditions) {
      try { this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: node.status }, kubeletOptions(name), 'status'); } catch { /* keep going */ }
    }
    const src = { component: 'kubelet', host: name };
    const ev = (reason: string, message: string) => this.ctx.events.event(src, created, 'Normal', reason, message);
    ev('Starting', 'Starting kubelet.');
    ev('NodeHasSufficientMemory', `Node ${name} status is now: NodeHasSufficientMemory`);
    ev('NodeHasNoDiskPressure', `Node ${name} status is now: NodeHasNoDiskPressure`);
    ev('NodeHasSufficientPID', `Node ${name} status is now: NodeHasSufficientPID`);
    ev('NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    // The pressure setters record their first False (from Unknown); ReadyCondition records nothing for a condition
    // it adds, only a later change (pkg/kubelet/nodestatus/setters.go): a node waiting for its CNI says NodeReady then.
    if (!this.cni) ev('NodeReady', `Node ${name} status is now: NodeReady`);
    this.ctx.log('kubelet', `${name}: registered node (pod CIDR ${cidr}, InternalIP ${ip})`);
    this.ctx.count('kubelet', 'nodes');
    this.renewLease(name, created.metadata.uid!);
    this.scheduleStatusReport(name);
    if (controlPlane) this.startStaticPods(name, ip);
    // A node re-registered under an old name (restore) takes up the pods still bound to it.
    this.engine.resyncNode(name);
    return created;
  }

  /**
   * The runtime's network turned ready at `at` (the CNI wrote its config): the kubelet posts Ready when it notices
   * (cni.ts readyPostAt), one timer per node.
   */
  private networkReady(name: string, at: number): void {
    const rt = this.engine.nodes.get(name);
    if (!rt) return;
    // The kubelet's loops, its status syncs with the lease renewals included, tick from its start.
    const due = readyPostAt(rt.kubeletStart ?? at, at);
    this.timers.set(`network/${name}`, this.ctx.clock.setTimer(Math.max(0, due - this.ctx.clock.now()), () => {
      this.timers.delete(`network/${name}`);
      this.postReady(name);
    }));
  }

  /** ReadyCondition turns True (KubeletReady) and records NodeReady; the node lifecycle controller then lifts the not-ready taints. */
  private postReady(name: string): void {
    const rt = this.engine.nodes.get(name);
    if (!rt || rt.failed) return;
    let node: KObject;
    try { node = this.ctx.api.get(GVRS.nodes, undefined, name); } catch { return; }
    const conditions: any[] = node.status?.conditions ?? [];
    if (conditions.find((c) => c.type === 'Ready')?.status === 'True') {
      this.engine.setNetworkError(name, undefined);
      return;
    }
    const now = isoTime(this.ctx.clock.now());
    const next = conditions.map((c) => (c.type === 'Ready'
      ? { ...c, status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }
      : { ...c, lastHeartbeatTime: now }));
    try {
      this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { conditions: next } }, kubeletOptions(name), 'status');
    } catch { return; }
    this.engine.setNetworkError(name, undefined);
    this.ctx.events.event({ component: 'kubelet', host: name }, node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
    this.ctx.log('kubelet', `${name}: container runtime network ready, posting ready status`);
  }

  /** The control-plane node's kubelet: kind's node image has the component images preloaded, and its manifests folder has kubeadm's four static pods. */
  private startStaticPods(name: string, ip: string): void {
    const rt = this.engine.nodes.get(name)!;
    this.engine.statics.add(name, controlPlaneManifests(name, ip, KUBELET_VERSION), rt.kubeletStart ?? this.ctx.clock.now());
  }

  /** Deletes the Node and its Lease; the pod garbage collector removes its pods. */
  removeNode(name: string): void {
    this.drainer.cancel(name);
    this.stopHeartbeats(name);
    this.engine.statics.dropNode(name);
    this.engine.dropNode(name);
    // kubectl delete node, as the playground's admin.
    try { this.ctx.api.delete(GVRS.leases, 'kube-node-lease', name, ADMIN_WRITE); } catch { /* none */ }
    this.ctx.api.delete(GVRS.nodes, undefined, name, ADMIN_WRITE);
    this.ctx.log('kubelet', `${name}: node removed`);
  }

  /** The kubelet goes silent: no lease renewals, no status, pods frozen as they are. */
  failNode(name: string): void {
    const rt = this.mustGet(name);
    rt.failed = true;
    this.stopHeartbeats(name);
    this.ctx.log('kubelet', `${name}: kubelet stopped (simulated failure)`);
  }

  /** Whether the node's kubelet is stopped by failNode. */
  kubeletDown(name: string): boolean {
    return this.engine.nodes.get(name)?.failed === true;
  }

  /** The kubelet comes back: posts Ready, renews its lease, and catches up with its pods. */
  recoverNode(name: string): void {
    const rt = this.mustGet(name);
    if (!rt.failed) return;
    rt.failed = false;
    const now = this.ctx.clock.now();
    rt.kubeletStart = now;
    const node = this.ctx.api.get(GVRS.nodes, undefined, name);
    const before = (type: string) => (node.status?.conditions ?? []).find((c: any) => c.type === type)?.status;
    this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { conditions: readyConditions(now, now) } }, kubeletOptions(name), 'status');
    // The status setters record an event for each condition they move (the node controller set them all Unknown),
    // in their order: memory, disk and PID pressure back to False, then Ready back to True.
    const source = { component: 'kubelet', host: name };
    for (const [type, reason] of [['MemoryPressure', 'NodeHasSufficientMemory'], ['DiskPressure', 'NodeHasNoDiskPressure'], ['PIDPressure', 'NodeHasSufficientPID']]) {
      if (before(type) !== 'False') this.ctx.events.event(source, node, 'Normal', reason, `Node ${name} status is now: ${reason}`);
    }
    if (before('Ready') !== 'True') this.ctx.events.event(source, node, 'Normal', 'NodeReady', `Node ${name} status is now: NodeReady`);
    this.ctx.log('kubelet', `${name}: kubelet recovered, posting ready status`);
    // It posts Ready as it always has; a network still waiting for its CNI is no longer its error.
    this.engine.setNetworkError(name, undefined);
    this.renewLease(name, node.metadata.uid!);
    this.scheduleStatusReport(name);
    this.engine.statics.resync(name);
    this.engine.resyncNode(name);
  }

  /** kubectl cordon: spec.unschedulable; the node lifecycle controller adds the matching taint. */
  cordon(name: string, unschedulable = true): void {
    // Uncordoning stands for interrupting a drain still retrying on this node.
    if (!unschedulable) this.drainer.cancel(name);
    const node = this.ctx.api.get(GVRS.nodes, undefined, name);
    // RunCordonOrUncordon: a node already so is left alone and said to be.
    if (!!node.spec?.unschedulable === unschedulable) {
      this.ctx.log('kubectl', `node/${name} already ${unschedulable ? 'cordoned' : 'uncordoned'}`);
      return;
    }
    this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { spec: { unschedulable: unschedulable ? true : null } }, ADMIN_WRITE);
    // The kubelet notices at its next node status sync (recordNodeSchedulableEvent), as for kubectl's own patch.
    this.ctx.log('kubectl', `node/${name} ${unschedulable ? 'cordoned' : 'uncordoned'}`);
  }

  /**
   * kubectl drain --ignore-daemonsets --delete-emptydir-data --force (drain.ts): cordon, then evict every pod on
   * the node but DaemonSet and mirror pods, retrying what a budget refuses. Answers the pods it evicts, as
   * namespace/name; they go as the evictions succeed.
   */
  drain(name: string): string[] {
    this.cordon(name, true);
    return this.drainer.start(name);
  }

  private nameHint = 1;
  /** The first free kubeplay-workerN; removed names are reused, lowest first. */
  private freeName(): string {
    const workers = this.engine.nodes.size - (this.engine.nodes.has(CONTROL_PLANE_NODE) ? 1 : 0);
    if (this.nameHint > 1 && workers < this.nameHint - 1) this.nameHint = 1;
    for (let i = this.nameHint; ; i++) if (!this.engine.nodes.has(nodeName(i))) { this.nameHint = i + 1; return nodeName(i); }
  }
  private mustGet(name: string): NodeRuntime {
    const rt = this.engine.nodes.get(name);
    if (!rt) throw new Error(`node "${name}" is not a simulated node`);
    return rt;
  }
  private stopHeartbeats(name: string): void {
    for (const k of [`lease/${name}`, `status/${name}`, `network/${name}`]) {
      const t = this.timers.get(k);
      if (t !== undefined) this.ctx.clock.clearTimer(t);
      this.timers.delete(k);
    }
  }

  private renewLease(name: string, uid: string): void {
    const now = this.ctx.clock.now();
    const spec = { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(now) };
    try {
      this.ctx.api.patch(GVRS.leases, 'kube-node-lease', name, 'merge', { spec: { renewTime: spec.renewTime } }, kubeletOptions(name));
    } catch {
      try {
        this.ctx.api.create(GVRS.leases, 'kube-node-lease', {
          apiVersion: 'coordination.k8s.io/v1', kind: 'Lease',
          metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }] },
          // The kubelet's lease controller sets only holderIdentity, leaseDurationSeconds and renewTime
          // (component-helpers/apimachinery/lease/controller.go newLease): describe node says AcquireTime: <unset>.
          spec,
        }, kubeletOptions(name));
      } catch { /* namespace missing: heartbeats continue through node status */ }
    }
    this.noticeSchedulable(name);
    this.timers.set(`lease/${name}`, this.ctx.clock.setTimer(LEASE_RENEW_MS, () => this.renewLease(name, uid)));
  }

  /** What each kubelet last saw of its node's spec.unschedulable (kubelet's lastNodeUnschedulable). */
  private readonly lastUnschedulable = new Map<string, boolean>();

  /**
   * recordNodeSchedulableEvent, run with the node status setters every 10 s: a change of spec.unschedulable,
   * by `kubectl cordon` or anyone, gives NodeNotSchedulable or NodeSchedulable from this node's kubelet.
   */
  private noticeSchedulable(name: string): void {
    let node: KObject;
    try {
      node = this.ctx.api.get(GVRS.nodes, undefined, name);
    } catch {
      return;
    }
    this.syncAllocatable(name, node);
    const now = !!node.spec?.unschedulable;
    if ((this.lastUnschedulable.get(name) ?? false) === now) return;
    this.lastUnschedulable.set(name, now);
    const reason = now ? 'NodeNotSchedulable' : 'NodeSchedulable';
    this.ctx.events.event({ component: 'kubelet', host: name }, node, 'Normal', reason, `Node ${name} status is now: ${reason}`);
  }

  /**
   * The MachineInfo status setter's Allocatable step (pkg/kubelet/nodestatus/setters.go): every resource in capacity
   * is allocatable less its reservation (kind reserves none), and an extended resource no longer in capacity leaves
   * allocatable. So a resource someone adds to the node's capacity through the status subresource (the "Advertise
   * Extended Resources for a Node" task's `example.com/dongle: 4`) becomes allocatable at the next status sync. The
   * kubelet's own resources (cpu, memory, ...) come from the machine and are left as they are.
   */
  private syncAllocatable(name: string, node: KObject): void {
    const cap = node.status?.capacity ?? {}, alloc = node.status?.allocatable ?? {};
    let patch: Record<string, unknown> | undefined;
    for (const k in cap) if (!MACHINE_RESOURCES.has(k) && !k.startsWith('hugepages-') && alloc[k] !== cap[k]) (patch ??= {})[k] = cap[k];
    for (const k in alloc) if (!(k in cap) && isExtendedResourceName(k)) (patch ??= {})[k] = null;
    if (!patch) return;
    try { this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { allocatable: patch } }, kubeletOptions(name), 'status'); } catch { /* next sync */ }
  }

  private scheduleStatusReport(name: string): void {
    this.timers.set(`status/${name}`, this.ctx.clock.setTimer(NODE_STATUS_REPORT_MS, () => {
      const rt = this.engine.nodes.get(name);
      if (!rt || rt.failed) return;
      try {
        const node = this.ctx.api.get(GVRS.nodes, undefined, name);
        const now = isoTime(this.ctx.clock.now());
        const conditions = (node.status?.conditions ?? []).map((c: any) => ({ ...c, lastHeartbeatTime: now }));
        this.ctx.api.patch(GVRS.nodes, undefined, name, 'merge', { status: { conditions } }, kubeletOptions(name), 'status');
      } catch { return; }
      this.scheduleStatusReport(name);
    }));
  }
}
