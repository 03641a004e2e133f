/**
 * The simulated kubelets of every node, as one engine: it watches pods bound
 * to nodes it runs, plays the stage table (stages.ts) for each container, and
 * posts the derived status through the status subresource. A pod marked for
 * deletion is stopped and then removed with gracePeriodSeconds 0, as the real
 * kubelet finishes a graceful delete.
 */
import { Interner } from '../runtime/intern';
import { indexPodsByNode } from '../runtime/informer';
import type { ComponentContext, EventSource, KObject, TimerHandle, WriteOptions } from '../contract';
import { GVRS, isoTime, ObjectCache, objKey } from '../scheduler/watch';
import { containerLogLines, hostFacts, type HostFacts } from './images';
import type { ClusterNode } from './systemlogs';
import { behaviourOf } from '../../../kube/src/imageConvention';
import { buildStatus, restartPolicyOf, syncInProgress, type ContainerSim, type PodSim } from './podsim';
import { killDue, restart, sandboxStage, STAGES, startStopping, takeNextSpec, type Stage, type StageEnv } from './stages';
import { appendLines, startScript } from './scriptrun';
import { adoptResize, adoptStatus } from './adopt';
import { beginStop, exitContainer, podDone, restartStop, type StopHost } from './podstop';
import { probeWorkers, refreshProbeState, startProbes, stopProbes, triggerReadiness, type ProbeHost, type ProbeWorker } from './probes';
import { previousLogLines, type LogLines } from './logs';
import { ShellState } from './exec';
import { containerFs } from './mounts';
import { logAccess, logsAccess, probeRequest, type ServerConnection } from './accesslog';
import { ENTRYPOINT_PIDS, namespaceProcs, nginxLaunch } from './procs';
import { servingContainer } from './podhttp';
import { podSite } from './sites';
import { KUBELET_VERSION } from './nodes';
import { writesCniConfig } from './cni';
import { snapshotAtStart, startSnapshotNeeded } from './startsnap';
import { normalize, type Disks } from './disk';
import { EvictionManager } from './evictionmgr';
import { criLogBytes, EVICTED_REASON, EVICTION_GRACE_SEC } from './eviction';
import { asksForMemory, containerMemory, oomScoreAdj, oomVictims, type MemoryUser } from './nodeoom';
import { dnsConfigWarnings, type ExecWorld } from './execenv';
import { envError, missingPullSecrets, volumeErrors, type RefKind, type RefLookup } from './refs';
import { runAsNonRootError } from '../../../kube/src/imageConvention';
import { StaticPods } from './staticpods';
import { sandboxConfigError } from './hostname';
import { admissionFailure, scheduledByScheduler, type Rejection } from './admit';
import { memoryDemand } from '../metrics/usage';
import { quantity } from '../scheduler/resources';
import { kubeletActor, kubeletOptions } from '../auth/identities';
import {
  actuationPending, allocatedOf, allocatedPod, completionMessage, desiredChanges, infeasible, needsRestart, resizable, resizeCondition,
  RESIZE_ACTUATE_MS, RESIZE_RETRY_MS, type ResizeState,
} from './resize';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
/** The volume operations' exponential back-off (goroutinemap/exponentialbackoff): 500 ms, doubling, capped at 2m2s. */
const MOUNT_BACKOFF_INITIAL_MS = 500;
const MOUNT_BACKOFF_MAX_MS = 122_000;
/** The pod worker's retry of a sync that failed: backOffPeriod (10 s) with 50% jitter (pod_workers.go). */
const SYNC_BACKOFF_MS = 10_000;
/** The status manager's syncPeriod: how soon a refused status write is tried again. */
const STATUS_SYNC_PERIOD_MS = 10_000;
/** How long a container that fills the node's memory runs before the kernel's OOM killer ends it (as for its own limit). */
const NODE_OOM_AFTER_MS = 1000;
/** The pod worker's resync of a pod that synced fine: syncFrequency (1 min) with 50% jitter. */
const RESYNC_MS = 60_000;
/** host-local's addresses in a /24: .1 is the ptp gateway, .255 the broadcast. */
const IPAM_FIRST = 2;
const IPAM_LAST = 254;

/** A node's IPAM state before its first pod: nothing held, and no address reserved yet (the next is .2). */
export function freshIpam(): Pick<NodeRuntime, 'lastIP' | 'usedIPs'> {
  return { lastIP: IPAM_FIRST - 1, usedIPs: new Uint8Array(256) };
}

export interface NodeRuntime {
  name: string;
  /** e.g. [10, 244, 1] for 10.244.1.0/24. */
  cidr: [number, number, number];
  hostIP: string;
  failed: boolean;
  /**
   * kindnet's IPAM (the CNI host-local plugin over the node's /24): the last address it handed out, and which of
   * .0-.255 are held by a pod now. See `allocateIP`.
   */
  lastIP: number;
  usedIPs: Uint8Array;
  images: Set<string>;
  pods: Set<string>;
  /** The image pull queue: when the puller is free, and when each queued image will be on disk. */
  pullFreeAt: number;
  imageReadyAt: Map<string, number>;
  /** When this node's kubelet (re)started: probe workers created within one period of it start at a random offset. */
  kubeletStart?: number;
  /** This kubelet as the source of its Events (one object, so the recorder shares one `source` per node). */
  eventSource?: EventSource;
  /** The write options of this kubelet's status writes (kubeletOptions), kept here: its pods' writes need no look-up. */
  statusWrite?: WriteOptions;
  /** Pods whose runtime state changed since the PLEG's last relist, and the relist timer that will post them. */
  relist?: PodSim[];
  relistTimer?: number;
  /** False while the runtime has no CNI config (cni.ts): set by the fleet for a node that waits for its CNI. */
  networkReady?: boolean;
  /** How long kindnetd runs on this node before it writes the CNI config (cni.ts KINDNETD_FIRST_WRITE_MS), or at once. */
  cniWriteAfter?: number;
  /** That write, pending while kindnetd's container runs. */
  cniTimer?: TimerHandle;
  /** The kubelet's own view (runtimeState's network error) until it notices the runtime's network is ready. */
  networkError?: string;
  /** `cidr` as the start of its pod IPs ("10.244.1."), made at the first address the node gives. */
  ipPrefix?: { cidr: [number, number, number]; text: string };
}

/**
 * The kubelet learns what its containers did from the PLEG, which relists the runtime every second
 * (genericPlegRelistPeriod); a sandbox up, a container started or exited reach the pod's status then.
 */
export const PLEG_RELIST_MS = 1000;

const HEX = '0123456789abcdef';

/** An ephemeral container's simulation: it runs its image's convention once and is never restarted. */
function ephemeralSim(spec: any): ContainerSim {
  return {
    name: spec.name, spec, init: false, sidecar: false, ephemeral: true, behaviour: behaviourOf(spec, 'Never'), step: 'pull',
    ready: false, restartCount: 0, backoffMs: 0, pullBackoffMs: 0,
  };
}

/** A container of the pod's spec, as the kubelet first sees it: its image not yet pulled. */
function containerSim(spec: any, init: boolean, policy: string, podSecurity: any): ContainerSim {
  // A restartable init container (native sidecar) runs like a regular container that always restarts.
  const sidecar = init && spec.restartPolicy === 'Always';
  // The fields every container gets on its way to running are there from the start (undefined): 160,000 containers
  // then have one shape, held in the object itself, not a property store grown and copied field by field.
  return {
    name: spec.name, spec, init, sidecar, behaviour: behaviourOf(spec, sidecar ? 'Always' : init ? 'Never' : policy, podSecurity), step: 'pull',
    ready: false, restartCount: 0, backoffMs: 0, pullBackoffMs: 0, probes: init && !sidecar ? undefined : probeWorkers(spec),
    fieldPath: undefined, timer: undefined, pullStartedAt: undefined, pullMs: undefined, waitingReason: undefined, waitingMessage: undefined,
    containerID: undefined, startedAt: undefined, respawning: undefined, current: undefined, console: undefined, hookError: undefined,
    oomAt: undefined, run: undefined, hook: undefined, mountStatuses: undefined, resourceStatus: undefined, userStatus: undefined,
  };
}
const NO_SPECS: readonly any[] = Object.freeze([]);

/** The pod a mirror stands for: the same, with the static pod's uid (the `kubernetes.io/config.mirror` hash). */
function staticPodRef(mirror: KObject): KObject {
  const hash = mirror.metadata.annotations?.['kubernetes.io/config.mirror'];
  return hash ? { ...mirror, metadata: { ...mirror.metadata, uid: hash } } : mirror;
}

/** The first stage of the table that applies to the container now (a loop: drive asks for every container it plays). */
function stageFor(c: ContainerSim, p: PodSim): Stage | undefined {
  for (const s of STAGES) if (s.when(c, p)) return s;
  return undefined;
}

/** GenerateContainerRef's fieldPath: where the container sits in the pod spec. */
const fieldPaths = new Interner<string>(1024);
/** The claims a pod mounts, `namespace/name`; most pods have none and share one empty list. */
const NO_CLAIMS: string[] = Object.freeze([]) as unknown as string[];
function claimKeys(pod: KObject): string[] {
  const vols = pod.spec?.volumes;
  if (!Array.isArray(vols) || !vols.some((v: any) => v?.persistentVolumeClaim)) return NO_CLAIMS;
  return vols.filter((v: any) => v?.persistentVolumeClaim).map((v: any) => `${pod.metadata.namespace}/${v.persistentVolumeClaim.claimName}`);
}
function containerFieldPath(c: ContainerSim): string {
  if (c.fieldPath !== undefined) return c.fieldPath;
  // Containers of one name share one string (pods of a template are many): the text alone would be a tree of joined
  // pieces for each.
  const list = c.ephemeral ? 'ephemeralContainers' : c.init ? 'initContainers' : 'containers';
  // The containers a kubelet starts one after another mostly have the name the last one had: no key to build.
  if (lastFieldPath !== undefined && lastFieldPath.name === c.name && lastFieldPath.list === list) return (c.fieldPath = lastFieldPath.path);
  const path = fieldPaths.get(`${list}\u0000${c.name}`, () => ['spec.', list, '{', c.name, '}'].join(''));
  lastFieldPath = { list, name: c.name, path };
  return (c.fieldPath = path);
}
let lastFieldPath: { list: string; name: string; path: string } | undefined;

/** Whether any readiness gate's condition differs between two versions of a pod. */
function gatesChanged(a: KObject, b: KObject): boolean {
  const status = (o: KObject, type: string) => (o.status?.conditions ?? []).find((c: any) => c.type === type)?.status;
  return (b.spec?.readinessGates ?? []).some((g: any) => status(a, g.conditionType) !== status(b, g.conditionType));
}
const terminal = (pod: KObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

/**
 * The pod as one of its containers sees it this instant: with the address
 * the sandbox got and this container's instance (ID, start), posted in the
 * pod's status or not yet, so that its filesystem is this instance's.
 */
/** kubecontainer.MaxContainerTerminationMessageLength: the most read of a termination message file. */
const TERMINATION_MESSAGE_MAX = 4096;
/** MaxContainerTerminationMessageLogLines and MaxContainerTerminationMessageLogLength: the log fallback's share. */
const TERMINATION_LOG_LINES = 80;
const TERMINATION_LOG_MAX = 2048;
/** A line the image convention writes about the container (containerLogLines), not one the application wrote. */
const NARRATION = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d kubeplay: /;

function asSeenBy(p: PodSim, c: ContainerSim): KObject {
  const st = { name: c.name, containerID: c.containerID, state: { running: { startedAt: new Date(c.startedAt ?? 0).toISOString() } } };
  return { ...p.pod, status: { ...p.pod.status, podIP: p.podIP ?? p.pod.status?.podIP, containerStatuses: [st], initContainerStatuses: [] } };
}

export class KubeletEngine {
  readonly nodes = new Map<string, NodeRuntime>();
  readonly sims = new Map<string, PodSim>();
  /**
   * The same sims by namespace, then pod name (all but those of pods gone from the API, held under keys of their
   * own): a pod's watch event finds its sim by the strings the pod holds, whose hashes V8 keeps, with no key to build.
   */
  private readonly byName = new Map<string, Map<string, PodSim>>();
  /** The static pods of the nodes' manifest folders, and their mirror pods in the API. */
  readonly statics: StaticPods;
  private pods?: ObjectCache;
  private pvcs?: ObjectCache;
  private configMaps?: ObjectCache;
  private secrets?: ObjectCache;
  private flushArmed = false;
  /** Where container scripts run (the playground sets it); without it, commands keep the image convention only. */
  private world?: (pod: KObject, container: string) => ExecWorld;
  /** Pods whose status is to be written at the next flush, each once, in the order they were first marked. */
  private dirty: PodSim[] = [];
  private env: StageEnv;
  private probeHost: ProbeHost;
  /** What containers wrote (layers, emptyDirs), which the eviction manager measures; the playground sets it. */
  private disks?: Disks;
  private readonly eviction: EvictionManager;
  /** How many nodes wait for their CNI config: while none does, a container's start costs no look-up. */
  private awaitingCni = 0;
  /** How many nodes' kubelets hold a network error: while none does, a pod's sync costs no look-up. */
  private networkErrors = 0;
  /** The fleet's: the runtime of `node` reports its network ready from `at` on. */
  onNetworkReady?: (node: string, at: number) => void;
  /** What stopping a pod needs from the engine (podstop.ts). */
  private readonly stopHost: StopHost = {
    clear: (c) => this.clearContainer(c),
    event: (p, reason, message, c) => this.env.event(p, 'Normal', reason, message, c),
  };

  constructor(private ctx: ComponentContext) {
    this.statics = new StaticPods(ctx);
    const rand = ctx.rand;
    this.env = {
      now: () => ctx.clock.now(),
      random: () => rand.next(),
      event: (p, type, reason, message, c) => {
        const n = this.nodes.get(p.node);
        // A failed node's kubelet reaches no apiserver: what it does there records nothing.
        if (n?.failed) return;
        const source = n ? (n.eventSource ??= Object.freeze({ component: 'kubelet', host: p.node })) : { component: 'kubelet', host: p.node };
        // A static pod's events name the static pod, whose uid is its config hash (kubectl describe of the mirror looks there).
        const regarding = p.static ? staticPodRef(p.pod) : p.pod;
        ctx.events.event(source, regarding, type, reason, message, c ? containerFieldPath(c) : undefined);
        ctx.log('kubelet', `${p.node}: ${p.key}: ${reason}: ${message}`);
      },
      newContainerID: () => `containerd://${rand.string(64, HEX)}`,
      hasImage: (node, image) => this.nodes.get(node)?.images.has(image) ?? false,
      rememberImage: (node, image) => { this.nodes.get(node)?.images.add(image); },
      queuePull: (node, image, coldMs, warmMs) => {
        const n = this.nodes.get(node);
        const now = ctx.clock.now();
        if (!n) return { waitMs: 0, pullMs: coldMs };
        const start = Math.max(now, n.pullFreeAt);
        const ready = n.images.has(image) ? now : n.imageReadyAt.get(image);
        const pullMs = ready !== undefined && ready <= start ? warmMs : coldMs;
        n.pullFreeAt = start + pullMs;
        if (ready === undefined) n.imageReadyAt.set(image, start + pullMs);
        return { waitMs: start - now, pullMs };
      },
      allocatePodIP: (p) => this.allocateIP(p.node),
      shell: (p, c) => {
        if (!this.world) return undefined;
        // A container whose filesystem cannot be built (nothing the simulation expects) keeps the image convention.
        try {
          // The script's own shell: it makes the files its commands write (the image convention's timeline is not its).
          const sh = new ShellState({ ...this.world(asSeenBy(p, c), c.name), playsScript: () => true });
          // The script's shell is the container's own first process.
          sh.session = { ...sh.session, kind: 'attached' };
          return sh;
        } catch { return undefined; }
      },
      // generateContainerConfig: the environment first, then verifyRunAsNonRoot against the image's user.
      configError: (p, c) => (c.spec.env || c.spec.envFrom ? envError(p.pod, c.spec, this.refLookup(p)) : undefined)
        ?? runAsNonRootError(p.pod, c.spec, `${p.pod.metadata.name}_${p.pod.metadata.namespace}(${p.pod.metadata.uid})`),
      untilRelist: (p) => { const n = this.nodes.get(p.node); return n ? this.untilRelist(n) : 0; },
      exited: (p, c) => this.terminationMessage(p, c),
      started: (p, c) => { if (this.awaitingCni > 0) this.cniStarted(p, c); },
    };
    this.eviction = new EvictionManager({
      now: () => ctx.clock.now(),
      random: () => rand.next(),
      setTimer: (ms, fn) => ctx.clock.setTimer(ms, fn),
      clearTimer: (h) => ctx.clock.clearTimer(h),
      kubeletStart: (node) => this.nodes.get(node)?.kubeletStart ?? 0,
      frozen: (node) => this.nodes.get(node)?.failed ?? true,
      containerUsage: (p) => this.containerDiskUsage(p),
      emptyDirUsage: (p) => {
        const out = new Map<string, number>();
        for (const v of p.pod.spec?.volumes ?? []) if (v?.emptyDir) out.set(v.name, this.disks?.emptyDirBytes(p.uid, v.name) ?? 0);
        return out;
      },
      evict: (p, message) => this.evict(p, message),
    });
    this.probeHost = {
      now: () => ctx.clock.now(),
      setTimer: (ms, fn) => ctx.clock.setTimer(ms, fn),
      clearTimer: (h) => ctx.clock.clearTimer(h),
      event: this.env.event,
      frozen: (p) => this.nodes.get(p.node)?.failed ?? true,
      resultChanged: (c, p, w) => this.probeResultChanged(c, p, w),
      httpProbed: (p, c, get) => this.probeAccess(p, c, get),
      fileExists: (p, c, path) => {
        if (!this.world || !path.startsWith('/') || c.startedAt === undefined) return undefined;
        // A played script makes its files itself: what its filesystem does not hold is not there.
        try { return containerFs(this.world(asSeenBy(p, c), c.name)).knows(normalize(path)) ?? (c.run ? false : undefined); } catch { return undefined; }
      },
    };
  }

  /** The disks containers write to: the eviction manager measures layers and emptyDirs there. */
  setDisks(disks: Disks): void {
    this.disks = disks;
  }

  /** Lets container scripts run against the cluster (scripts.ts): DNS, Services, ConfigMaps, Secrets. */
  setWorld(world: (pod: KObject, container: string) => ExecWorld): void {
    this.world = world;
  }

  start(): void {
    this.configMaps = new ObjectCache(this.ctx.api, CONFIGMAPS, (t, o) => { if (t === 'DELETED') this.refGone('ConfigMap', o); }).start();
    this.secrets = new ObjectCache(this.ctx.api, SECRETS, (t, o) => { if (t === 'DELETED') this.refGone('Secret', o); }).start();
    this.pvcs = new ObjectCache(this.ctx.api, GVRS.pvcs, (t, c) => {
      if (t === 'DELETED' || c.status?.phase !== 'Bound') return;
      const key = objKey(c);
      for (const p of this.sims.values()) if (!p.volumesReady && p.claims.includes(key)) this.checkVolumes(p);
    }).start();
    this.pods = new ObjectCache(this.ctx.api, GVRS.pods, (type, pod) => this.onPod(type, pod)).start();
    indexPodsByNode(this.ctx, GVRS.pods);
  }
  stop(): void {
    this.pods?.stop();
    this.pvcs?.stop();
    this.configMaps?.stop();
    this.secrets?.stop();
    for (const p of this.sims.values()) { this.clearTimers(p); p.held = false; }
    this.sims.clear();
    this.byName.clear();
    for (const n of this.nodes.values()) if (n.cniTimer !== undefined) this.ctx.clock.clearTimer(n.cniTimer);
    this.eviction.stop();
  }

  /** Re-reads every pod of a node (after the node recovers). */
  resyncNode(name: string): void {
    for (const pod of this.pods?.byIndex('nodeName', name) ?? []) this.onPod('MODIFIED', pod);
    for (const k of this.nodes.get(name)?.pods ?? []) { const p = this.sims.get(k); if (p) this.markDirty(p); }
  }

  /**
   * The node's runtime has no pod network until its CNI writes a config (cni.ts); kindnetd writes it `writeAfter` ms
   * after its container starts (0: as it starts).
   */
  awaitCni(name: string, writeAfter = 0): void {
    const n = this.nodes.get(name);
    if (!n || n.networkReady === false) return;
    n.networkReady = false;
    n.cniWriteAfter = writeAfter;
    this.awaitingCni++;
  }

  /** The kubelet's runtimeState network error for the node, or none once it has seen the network ready. */
  setNetworkError(name: string, error: string | undefined): void {
    const n = this.nodes.get(name);
    if (!n || !n.networkError === !error) return;
    this.networkErrors += error ? 1 : -1;
    n.networkError = error;
  }

  /**
   * kindnetd started on a node that waits for it: it writes the CNI config, at once or after its first pass found no
   * node (cni.ts), if its container still runs then; containerd's config watcher loads the file as it appears.
   */
  private cniStarted(p: PodSim, c: ContainerSim): void {
    const n = this.nodes.get(p.node);
    if (n?.networkReady !== false || !writesCniConfig(c.spec.image)) return;
    if (!n.cniWriteAfter) return this.cniWritten(n);
    // A kindnetd that restarts begins its loop again.
    if (n.cniTimer !== undefined) this.ctx.clock.clearTimer(n.cniTimer);
    const id = c.containerID;
    n.cniTimer = this.ctx.clock.setTimer(n.cniWriteAfter, () => {
      n.cniTimer = undefined;
      if (this.nodes.get(n.name) === n && n.networkReady === false && p.held && c.step === 'running' && c.containerID === id) this.cniWritten(n);
    });
  }

  /** The node's CNI config is on disk: the runtime reports its network ready from now on. */
  private cniWritten(n: NodeRuntime): void {
    n.networkReady = true;
    this.awaitingCni--;
    this.onNetworkReady?.(n.name, this.ctx.clock.now());
  }

  /** The /24 that pods still bound to `name` got their IPs from (a node re-registered after a restore). */
  cidrHint(name: string): [number, number, number] | undefined {
    for (const pod of this.pods?.byIndex('nodeName', name) ?? []) {
      const m = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(pod.status?.podIP ?? '');
      if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
    }
    return undefined;
  }

  /** The node is gone: forget its pods (their objects are the pod GC's business). */
  dropNode(name: string): void {
    const n = this.nodes.get(name);
    if (n?.networkReady === false) this.awaitingCni--;
    if (n?.cniTimer !== undefined) this.ctx.clock.clearTimer(n.cniTimer);
    this.setNetworkError(name, undefined);
    for (const p of [...this.sims.values()]) if (p.node === name) this.drop(p);
    this.eviction.dropNode(name);
    this.nodes.delete(name);
  }

  /** A running container's main process ended with `code` (see Playground.endContainer). */
  endContainer(namespace: string, name: string, container: string, code: number, containerID?: string): boolean {
    const p = this.sims.get(`${namespace}/${name}`);
    const c = p?.containers.find((x) => x.name === container);
    if (!p || !c || c.step !== 'running' || p.finished || (containerID !== undefined && c.containerID !== containerID)) return false;
    this.clearContainer(c);
    exitContainer(c, this.ctx.clock.now(), code);
    this.terminationMessage(p, c);
    this.ctx.log('kubelet', `${p.node}: ${p.key}: container ${c.name} exited with code ${code}`);
    // The kubelet learns of the exit at its next relist, like any other.
    this.markRelisted(p);
    this.drive(p);
    return true;
  }

  /**
   * A signal from `kill` to a container's first process: when that is a script the kubelet plays and its shell
   * traps the signal, the trap runs (at once in a `wait`, after the foreground `sleep` otherwise).
   */
  signalScript(namespace: string, name: string, container: string, sig: number): boolean {
    const p = this.sims.get(`${namespace}/${name}`);
    const c = p?.containers.find((x) => x.name === container);
    const run = c?.run;
    if (!p || !c || !(c.step === 'running' || c.step === 'stopping') || !run || run.phase === 'done' || !run.shell.signal(sig)) return false;
    run.nextAt = this.ctx.clock.now();
    this.drive(p);
    return true;
  }

  /** Whether a container's current instance runs a script the kubelet plays through the shell. */
  playsScript(namespace: string, name: string, container: string): boolean {
    return !!this.sims.get(`${namespace}/${name}`)?.containers.find((x) => x.name === container)?.run;
  }

  /**
   * The termination message of the instance that just exited, as the runtime manager reads it
   * (convertToKubeContainerStatus): the last 4 KiB of the file at terminationMessagePath; under
   * FallbackToLogsOnError, when that is empty and the container failed, the last 80 lines of its log, at most
   * 2 KiB. It follows the runtime's own message, if any, after `: `.
   */
  private terminationMessage(p: PodSim, c: ContainerSim): void {
    const t = c.current;
    if (!t) return;
    const path = typeof c.spec.terminationMessagePath === 'string' ? c.spec.terminationMessagePath : '';
    let checkLogs = c.spec.terminationMessagePolicy === 'FallbackToLogsOnError' && t.exitCode !== 0 && t.reason !== 'StartError';
    let message = '';
    // Only a container that ran has a file to read, and only a world gives it a filesystem.
    if (path && this.world && t.startedAt > 0) {
      try {
        const fs = containerFs(this.world(asSeenBy(p, c), c.name));
        const abs = normalize(path);
        if (fs.knows(abs)) {
          const data = fs.read(abs);
          message = new TextDecoder().decode(data.subarray(Math.max(0, data.length - TERMINATION_MESSAGE_MAX)));
          if (message) checkLogs = false;
        }
      } catch { /* no file: the logs, under the fallback policy */ }
    }
    if (checkLogs) {
      // The playground's own narration (`kubeplay: …` lines of the image convention) is not the application's output.
      const lines = containerLogLines(p.pod, c.spec, t.startedAt, t.exitCode, t.finishedAt, t.output, t.times, t.played, this.hostOf(p.node))
        .filter((l) => !NARRATION.test(l)).slice(-TERMINATION_LOG_LINES);
      const text = lines.length ? lines.join('\n') + '\n' : '';
      const bytes = Buffer.from(text, 'utf8');
      message = bytes.subarray(Math.max(0, bytes.length - TERMINATION_LOG_MAX)).toString('utf8');
    }
    if (message) t.message = t.message ? `${t.message}: ${message}` : message;
  }

  /** Playground.containerOutput: an attached process's output goes to the running instance's log. */
  containerOutput(namespace: string, name: string, container: string, text: string, containerID?: string): void {
    const c = this.sims.get(`${namespace}/${name}`)?.containers.find((x) => x.name === container);
    if (!c || !(c.step === 'running' || c.step === 'stopping') || (containerID !== undefined && c.containerID !== containerID)) return;
    // A played script's output is the whole log: what others write to its output joins it there.
    appendLines(c.run ?? (c.console ??= { output: [], dropped: 0, partial: '' }), text.replace(/\r\n?/g, '\n'), this.ctx.clock.now());
  }

  /**
   * A new connection to the server in a running container: nginx's next connection number (ngx_connection_counter,
   * shared by its workers, counts every connection accepted since the instance started) and the PID of the worker
   * that took it, the first one `ps` shows.
   */
  serverConnection(namespace: string, name: string, container: string): ServerConnection | undefined {
    const p = this.sims.get(`${namespace}/${name}`);
    const c = p?.containers.find((x) => x.name === container);
    if (!p || !c || !(c.step === 'running' || c.step === 'stopping') || !c.containerID) return undefined;
    if (c.connections?.id !== c.containerID) c.connections = { id: c.containerID, n: 0 };
    const n = ++c.connections.n;
    const world = this.world;
    return {
      n,
      pid: () => {
        try {
          const w = world?.(asSeenBy(p, c), c.name);
          const worker = w && namespaceProcs(w).find((x) => x.container === c.name && x.args === 'nginx: worker process');
          if (worker) return worker.pid;
        } catch { /* no world: the PID the image's start gives it */ }
        return 1 + (nginxLaunch(c.spec)?.entrypoint ? ENTRYPOINT_PIDS : 1);
      },
    };
  }

  /** Playground.killPod: every running container dies at once (exit 137), then restartPolicy decides. */
  killPod(namespace: string, name: string): boolean {
    const p = this.sims.get(`${namespace}/${name}`);
    if (!p) return false;
    for (const c of p.containers) {
      if (c.step !== 'running') continue;
      this.clearContainer(c);
      exitContainer(c, this.ctx.clock.now(), 137);
      this.terminationMessage(p, c);
    }
    this.ctx.log('kubelet', `${p.node}: ${p.key}: containers killed`);
    // The next relist sees them dead (Error, 137) before the sync that restarts them.
    this.markRelisted(p);
    this.drive(p);
    return true;
  }

  /**
   * A container's log lines. With `previous`, the previous instance's, read
   * from the pod's lastState as the kubelet's validateContainerLogStatus does
   * (one answer for the HTTP API and the UI), or upstream's error when there
   * is none (see logs.ts).
   */
  runningInstance(namespace: string, pod: string, container: string): string | undefined {
    const c = this.sims.get(`${namespace}/${pod}`)?.containers.find((x) => x.name === container);
    return c && (c.step === 'running' || c.step === 'stopping') ? c.containerID : undefined;
  }

  logs(namespace: string, pod: string, container?: string, previous = false, instance?: string): string[] {
    if (instance !== undefined) {
      // One instance by its container ID, running or kept after it ended (what `kubectl logs -f` follows).
      const p = this.sims.get(`${namespace}/${pod}`);
      const c = p && (container ? p.containers.find((x) => x.name === container) : p.containers.find((x) => !x.init && !x.ephemeral));
      if (!p || !c) return [];
      if (c.containerID === instance && (c.step === 'running' || c.step === 'stopping')) return this.logs(namespace, pod, c.name);
      return endedLines(p.pod, c, [c.current, c.last, c.lastBefore].find((x) => x?.containerID === instance), this.hostOf(p.node));
    }
    if (previous) {
      const obj = this.pods?.get(namespace, pod);
      if (!obj) return [];
      const name = container ?? obj.spec?.containers?.[0]?.name ?? '';
      // The kubelet keeps the instances it has seen end (the current one, the last and the one before).
      const c = this.sims.get(`${namespace}/${pod}`)?.containers.find((x) => x.name === name);
      const kept = (id: string) => [c?.current, c?.last, c?.lastBefore].find((t) => t?.containerID === id);
      return previousLogLines(obj, name, kept, this.hostOf(obj.spec?.nodeName));
    }
    const p = this.sims.get(`${namespace}/${pod}`);
    if (!p) return [];
    const c = container ? p.containers.find((x) => x.name === container) : p.containers.find((x) => !x.init && !x.ephemeral);
    if (!c) return [];
    let lines: LogLines;
    if (c.step === 'running' || c.step === 'stopping') {
      const log = c.run ?? c.console;
      const now = this.ctx.clock.now();
      lines = containerLogLines(p.pod, c.spec, c.startedAt!, undefined, now, c.console?.partial ? [...c.console.output, c.console.partial] : log?.output,
        c.console?.partial ? [...(c.console.times ?? []), now] : log?.times, !!c.run, this.hostOf(p.node));
      if (log?.dropped) lines.dropped = log.dropped;
      return lines;
    }
    // Not running: the newest instance that ran, as validateContainerLogStatus serves a waiting container's lastState.
    return endedLines(p.pod, c, c.current ?? c.last, this.hostOf(p.node));
  }

  /** What a container on that node learns of the machine (its CPUs, its kernel), from the Node object. */
  private hostOf(node: string | undefined): HostFacts {
    let obj: KObject | undefined;
    try { obj = node ? this.ctx.api.get(GVRS.nodes, undefined, node) : undefined; } catch { obj = undefined; }
    return { ...hostFacts(obj), nodes: () => this.clusterNodes(), leaseHolder: (name) => this.leaseHolder(name) };
  }

  /** Who holds a kube-system leader-election Lease (the controller manager's LeaderElection event, systemlogs.ts). */
  private leaseHolder(name: string): string | undefined {
    try { return this.ctx.api.get(GVRS.leases, 'kube-system', name).spec?.holderIdentity; } catch { return undefined; }
  }

  /** The Node objects as a program that lists them sees them (kindnetd's node loop, systemlogs.ts). */
  private clusterNodes(): ClusterNode[] {
    return this.ctx.api.list(GVRS.nodes, undefined).items.map((n) => ({
      name: n.metadata.name!,
      internalIPs: (n.status?.addresses ?? []).filter((a: any) => a.type === 'InternalIP').map((a: any) => String(a.address)),
      podCIDRs: n.spec?.podCIDRs ?? (n.spec?.podCIDR ? [n.spec.podCIDR] : []),
      created: Date.parse(n.metadata.creationTimestamp ?? '') || 0,
    }));
  }

  private onPod(type: string, pod: KObject): void {
    let p = this.byName.get(pod.metadata.namespace || '')?.get(pod.metadata.name!);
    // A mirror pod is only the API's view of a static pod: deleting it stops nothing, and the kubelet mirrors again.
    const mirror = p?.static || this.statics.isMirror(pod);
    // A failed node's kubelet answers nothing: its mirrors are neither deleted nor made again until it recovers.
    const down = mirror && this.nodes.get(pod.spec?.nodeName)?.failed;
    if (type === 'DELETED') {
      if (p && mirror && !down && this.statics.isMirror(pod)) { this.statics.recreate(pod); return; }
      if (p && !mirror && !p.finished && p.uid === pod.metadata.uid && p.containers.some((c) => c.step === 'running' || c.step === 'stopping')) {
        this.stopRemoved(p, pod);
        return;
      }
      if (p) this.drop(p);
      return;
    }
    if (p && p.uid !== pod.metadata.uid) {
      if (p.static && this.statics.isMirror(pod)) {
        // The new mirror of the static pod that runs on: its status is the static pod's (the status manager's mapping).
        p.uid = pod.metadata.uid!;
        p.pod = pod;
        this.markDirty(p);
        return;
      }
      this.drop(p);
      p = undefined;
    }
    if (mirror && !down && pod.metadata.deletionTimestamp && this.statics.isMirror(pod)) {
      this.statics.deleteMirror(pod);
      return;
    }
    const node = this.nodes.get(pod.spec?.nodeName);
    if (!node || node.failed) return;
    if (!p) {
      if (terminal(pod)) {
        if (pod.metadata.deletionTimestamp) this.finalDelete(pod, node.name);
        // Failed by its deadline or evicted while its containers were still stopping (a restored playground): they stop now.
        else if ((pod.status?.reason === 'DeadlineExceeded' || pod.status?.reason === EVICTED_REASON) && (pod.status.containerStatuses ?? []).some((s: any) => s.state?.running)) {
          const q = this.newSim(pod, node);
          q.evicted = { reason: pod.status.reason, message: pod.status.message ?? '' };
          if (q.evicted.reason === EVICTED_REASON) { q.graceOverrideSec = EVICTION_GRACE_SEC; this.eviction.remove(q); }
          q.killing = true;
          beginStop(q, this.ctx.clock.now(), this.stopHost);
          this.drive(q);
        }
        return;
      }
      // A pod that named its node itself is admitted against what the node already runs (admit.ts).
      if (!mirror && !pod.metadata.deletionTimestamp && !pod.status?.containerStatuses && !scheduledByScheduler(pod)) {
        const admitted: KObject[] = [];
        for (const k of node.pods) { const q = this.sims.get(k); if (q && !q.finished) admitted.push(allocatedPod(q)); }
        let nodeObj: KObject | undefined;
        try { nodeObj = this.ctx.api.get(GVRS.nodes, undefined, node.name); } catch { nodeObj = undefined; }
        const refused = admissionFailure(pod, nodeObj, admitted);
        if (refused) return this.rejectPod(pod, node.name, refused);
      }
      p = this.newSim(pod, node);
      if (mirror) p.static = true;
      this.ctx.count('kubelet', 'pods');
    } else {
      const before = p.pod;
      p.pod = pod;
      // Ready waits for the pod's readiness gates: a condition another writer set changes it.
      if (pod.spec?.readinessGates?.length && gatesChanged(before, pod)) this.markDirty(p);
      // kubectl debug added an ephemeral container (pods/ephemeralcontainers): the kubelet starts it.
      if (pod.spec?.ephemeralContainers !== before.spec?.ephemeralContainers && !p.deleting) {
        let added = false;
        for (const spec of pod.spec?.ephemeralContainers ?? []) {
          if (p.containers.some((c) => c.name === spec.name)) continue;
          p.containers.push(ephemeralSim(spec));
          added = true;
        }
        if (added) { this.markDirty(p); this.drive(p); }
      }
      // A pod update may change a container's image (the one container field it may change): the kubelet
      // kills the container and starts the new image (computePodActions: "definition changed").
      if (pod.spec !== before.spec && !pod.metadata.deletionTimestamp && !p.deleting) {
        this.takeSpecChanges(p, pod);
        // pods/resize changed a container's resources: the allocation manager looks at the resize (resize.ts).
        if (p.resize || desiredChanges(p, pod).size) this.handleResize(p);
      }
      // activeDeadlineSeconds may be set or shortened on a running pod.
      if (pod.spec?.activeDeadlineSeconds !== before.spec?.activeDeadlineSeconds) this.armDeadline(p);
      // A new generation of the spec: the status says it observed it (status.observedGeneration).
      if (pod.metadata.generation !== before.metadata.generation) this.markDirty(p);
      // A second delete with a shorter grace period kills again with it (calculateEffectiveGracePeriod).
      if (p.deleting && (pod.metadata.deletionGracePeriodSeconds ?? Infinity) < (before.metadata.deletionGracePeriodSeconds ?? Infinity)) {
        restartStop(p, this.ctx.clock.now(), this.stopHost);
        this.drive(p);
        return;
      }
      // The stage table reads the pod's immutable spec, whether it is being deleted and, once it is, the
      // grace period (handled above); every container already waits on its timer since the last drive.
      // Any other update (most often this kubelet's own status write coming back) moves nothing.
      if (!pod.metadata.deletionTimestamp || p.deleting) return;
    }
    if (pod.metadata.deletionTimestamp && !p.deleting) {
      p.deleting = true;
      beginStop(p, this.ctx.clock.now(), this.stopHost);
    }
    this.drive(p);
  }

  /** Containers whose image a pod update changed: a running one is killed and restarted with it, any other takes it up. */
  private takeSpecChanges(p: PodSim, pod: KObject): void {
    const specs = new Map<string, any>();
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) specs.set(c.name, c);
    let changed = false;
    for (const c of p.containers) {
      if (c.ephemeral) continue;
      const spec = specs.get(c.name);
      const current = c.nextSpec ?? c.spec;
      if (!spec || spec.image === current.image) continue;
      changed = true;
      c.nextSpec = spec;
      // computeInitContainerActions leaves a running init container to finish; its next run (if any) uses the new spec.
      if (c.init && !c.sidecar && (c.step === 'running' || c.step === 'stopping')) continue;
      if (c.step === 'running' || c.step === 'stopping') {
        if (c.step === 'running') {
          this.clearContainer(c);
          this.env.event(p, 'Normal', 'Killing', c.sidecar ? `Init container ${c.name} definition changed` : `Container ${c.name} definition changed, will be restarted`, c);
          c.probeKill = { graceMs: (p.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, specChanged: true };
          startStopping(c, p, this.ctx.clock.now(), this.env);
        }
        continue;
      }
      // Not running (waiting on a pull or a back-off, or done): the next start uses the new image, at once.
      takeNextSpec(c, p);
      if (c.step === 'pull-backoff' || c.step === 'pulling') { this.clearContainer(c); c.step = 'pull'; c.waitingReason = undefined; c.waitingMessage = undefined; }
      else if (c.step === 'crash-backoff') { this.clearContainer(c); c.resyncAt = undefined; c.waitingReason = undefined; c.waitingMessage = undefined; restart(c, 0); }
    }
    if (changed) { this.markDirty(p); this.drive(p); }
  }

  /**
   * handlePodResourcesResize: the pod's desired resources against its allocation. Infeasible and Deferred resizes
   * leave the allocation as it is, with PodResizePending; one that fits is allocated and actuated a sync later.
   */
  private handleResize(p: PodSim): void {
    if (!p.held || p.deleting || p.killing || p.finished || terminal(p.pod)) return;
    const now = this.ctx.clock.now();
    const st: ResizeState = (p.resize ??= { allocated: new Map() });
    if (st.retryTimer !== undefined) { this.ctx.clock.clearTimer(st.retryTimer); st.retryTimer = undefined; }
    const changes = desiredChanges(p, p.pod);
    const gen = p.pod.metadata.generation;
    if (!changes.size) {
      // Desired == allocated (a pending resize was reverted): nothing is pending any more.
      if (st.pending) { st.pending = undefined; this.markDirty(p); }
      return;
    }
    let nodeObj: KObject | undefined;
    try { nodeObj = this.ctx.api.get(GVRS.nodes, undefined, p.node); } catch { nodeObj = undefined; }
    const capacity = infeasible(p.pod, nodeObj);
    let refusal: { reason: string; message: string } | undefined = capacity ? { reason: 'Infeasible', message: capacity } : undefined;
    if (!refusal) {
      // canAdmitPod: the pod as it would be, against the other pods as they are allocated.
      const others: KObject[] = [];
      for (const k of this.nodes.get(p.node)?.pods ?? []) { const q = this.sims.get(k); if (q && q !== p && !q.finished) others.push(allocatedPod(q)); }
      // The pod counts with its desired requests (its status still describes the old ones).
      const refused = admissionFailure({ ...p.pod, status: undefined }, nodeObj, others);
      if (refused) refusal = { reason: 'Deferred', message: refused.message };
    }
    if (refusal) {
      // The allocation the refusal leaves in place is the one a restarted kubelet must keep (AddPod checkpointed it).
      if (!st.checkpointed) this.checkpointAllocation(p);
      st.pending = resizeCondition(st.pending, now, gen, refusal.reason, refusal.message);
      // A Deferred resize is tried again every 3 minutes, and when pods leave the node.
      if (refusal.reason === 'Deferred') st.retryTimer = this.ctx.clock.setTimer(RESIZE_RETRY_MS, () => { st.retryTimer = undefined; this.handleResize(p); });
      this.markDirty(p);
      return;
    }
    for (const [name, resources] of changes) st.allocated.set(name, resources);
    this.checkpointAllocation(p);
    st.pending = undefined;
    st.inProgress = resizeCondition(undefined, now, gen);
    this.markDirty(p);
    if (st.actuateTimer !== undefined) this.ctx.clock.clearTimer(st.actuateTimer);
    st.actuateTimer = this.ctx.clock.setTimer(RESIZE_ACTUATE_MS, () => { st.actuateTimer = undefined; this.actuateResize(p); });
  }

  /**
   * SetAllocatedResources: what the kubelet allocated to each resizable container is checkpointed, so that a restarted
   * kubelet keeps it (adopt.ts). Upstream writes every pod at its admission; a pod never resized has its spec for
   * allocation, so only resized pods are written here.
   */
  private checkpointAllocation(p: PodSim): void {
    const out: Record<string, any> = {};
    for (const c of p.containers) if (resizable(c)) out[c.name] = allocatedOf(p, c) ?? {};
    this.disks?.setAllocation(p.uid, out, this.ctx.clock.now());
    p.resize!.checkpointed = true;
  }

  /**
   * The pod sync after the allocation: each running container whose resources changed is resized in place
   * (UpdateContainerResources), or killed and started again with them when its resizePolicy asks for a restart.
   * A container that is not running takes them at its next start.
   */
  private actuateResize(p: PodSim): void {
    if (!p.held || p.deleting || p.killing || p.finished) return;
    for (const c of p.containers) {
      if (!resizable(c)) continue;
      const want = allocatedOf(p, c);
      const current = c.nextSpec ?? c.spec;
      if (current.resources === want) continue;
      const next = { ...current, resources: want };
      if (want === undefined) delete next.resources;
      if (c.step === 'running' && !c.nextSpec && needsRestart(c, want)) {
        this.clearContainer(c);
        this.env.event(p, 'Normal', 'Killing', `Container ${c.name} resize requires restart`, c);
        c.nextSpec = next;
        c.probeKill = { graceMs: (p.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000, specChanged: true };
        startStopping(c, p, this.ctx.clock.now(), this.env);
      } else if (c.nextSpec) c.nextSpec = next;
      else {
        c.spec = next;
        // A memory limit raised past what the process wants spares it the OOM kill it was heading for.
        const limit = next.resources?.limits?.memory;
        if (c.oomAt !== undefined && (limit === undefined || memoryDemand(next) <= quantity(limit))) c.oomAt = undefined;
      }
    }
    this.markDirty(p);
    this.drive(p);
  }

  /** CheckPodResizeInProgress at a status write: once every running container runs as allocated, the resize is over. */
  private checkResizeDone(p: PodSim): void {
    const st = p.resize!;
    if (actuationPending(p)) return;
    st.inProgress = undefined;
    this.env.event(p, 'Normal', 'ResizeCompleted', completionMessage(p));
  }

  /**
   * A restarted kubelet's first look at an adopted pod's resize, once every pod of the node is back (HandlePodAdditions
   * queues the pending resizes after adding all the pods): a pending one is judged again; one allocated but not yet
   * actuated is actuated.
   */
  private resumeResize(p: PodSim): void {
    const st = p.resize!;
    st.retryTimer = this.ctx.clock.setTimer(RESIZE_ACTUATE_MS, () => {
      st.retryTimer = undefined;
      this.handleResize(p);
      if (!actuationPending(p) || st.actuateTimer !== undefined || !p.held) return;
      st.inProgress ??= resizeCondition(undefined, this.ctx.clock.now(), p.pod.metadata.generation);
      this.actuateResize(p);
    });
  }

  /** Pods left the node: its Deferred resizes are tried again (TriggerReasonPodsRemoved). */
  private retryDeferred(node: string): void {
    for (const k of this.nodes.get(node)?.pods ?? []) {
      const q = this.sims.get(k);
      if (q?.resize?.pending?.reason === 'Deferred') this.handleResize(q);
    }
  }

  private newSim(pod: KObject, node: NodeRuntime): PodSim {
    const spec = pod.spec;
    const policy = spec?.restartPolicy ?? 'Always';
    // Init containers first, then the pod's own, then ephemeral ones. Most pods have only their own: their list is
    // the mapped one, of its exact length, with no copy.
    const inits = spec?.initContainers;
    const ephemeral = spec?.ephemeralContainers;
    const own = (c: any) => containerSim(c, false, policy, spec?.securityContext);
    const containers: ContainerSim[] = !inits?.length && !ephemeral?.length ? (spec?.containers ?? NO_SPECS).map(own)
      : [...(inits ?? NO_SPECS).map((c: any) => containerSim(c, true, policy, spec?.securityContext)), ...(spec?.containers ?? NO_SPECS).map(own), ...(ephemeral ?? NO_SPECS).map(ephemeralSim)];
    const p: PodSim = {
      key: objKey(pod), uid: pod.metadata.uid!, pod, node: node.name, hostIP: node.hostIP,
      startTime: this.ctx.clock.now(), sandboxReady: false, volumesReady: false,
      claims: claimKeys(pod), deleting: false, dirtyBatch: undefined, dirtyAt: 0, relistBatch: undefined, held: true, finished: false,
      containers,
      condStatus: ['', '', '', '', ''], condTime: [0, 0, 0, 0, 0],
      // Set on every pod's way to running: in the object's own slots from the start, as for its containers.
      deadlineTimer: undefined, sandboxTimer: undefined, podIP: undefined, initialized: undefined, qos: undefined,
    };
    this.sims.set(p.key, p);
    const ns = pod.metadata.namespace || '';
    let named = this.byName.get(ns);
    if (!named) this.byName.set(ns, (named = new Map()));
    named.set(pod.metadata.name!, p);
    node.pods.add(p.key);
    this.eviction.add(p);
    if (pod.status?.podIP) {
      adoptStatus(p, pod, node);
      // A resized pod keeps what the kubelet allocated; its resize is looked at again at the first sync after the start.
      if (adoptResize(p, pod, this.disks?.allocation(p.uid))) this.resumeResize(p);
      // A restored pod is past its volumes: its resyncs warn about missing pull secrets as before.
      this.warnPullSecrets(p);
      // A script that was running starts over (its shell's state is not saved); without this its loop would end at once.
      for (const c of p.containers) if (c.step === 'running') startScript(c, p, this.env);
    }
    // SyncPod writes the pod's status before it waits for volumes or creates the sandbox (generateAPIPodStatus,
    // then statusManager.SetPodStatus): every pod shows ContainerCreating (PodInitializing) first, with no IP yet.
    this.markDirty(p);
    this.armDeadline(p);
    this.checkVolumes(p);
    if (p.containers.some((c) => c.probes)) {
      // worker.run: a kubelet that started less than a period ago waits a random part of the period first.
      const since = this.ctx.clock.now() - (node.kubeletStart ?? -Infinity);
      startProbes(p, this.probeHost, (periodMs) => (since < periodMs ? Math.floor(this.ctx.rand.next() * periodMs) : 0));
    }
    return p;
  }

  /** The ConfigMaps and Secrets of the pod's namespace, as the kubelet's watch-based managers see them. */
  private refLookup(p: PodSim): RefLookup {
    const ns = p.pod.metadata.namespace;
    return (kind: RefKind, name: string) => (kind === 'ConfigMap' ? this.configMaps : this.secrets)?.get(ns, name);
  }

  /**
   * Volumes first, then the sandbox: a pod whose claims are unbound stays
   * ContainerCreating; so does one whose ConfigMap or Secret volumes cannot
   * be set up, with a FailedMount event per volume at each of the volume
   * reconciler's tries (500 ms, doubling, at most 2m2s apart), until they can.
   */
  private checkVolumes(p: PodSim): void {
    // A retry is already due: the reconciler's back-off, not a claim's update, decides when it comes.
    if (p.volumesReady || p.mountTimer !== undefined) return;
    if (this.networkErrors > 0 && !p.sandboxReady && this.refuseForNetwork(p)) return;
    // An indexed loop: most pods' list is the shared frozen empty one, which a for-of would make an iterator for.
    for (let i = 0; i < p.claims.length; i++) {
      const k = p.claims[i];
      const c = this.pvcs?.get(k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1));
      if (c?.status?.phase !== 'Bound') return;
    }
    if (p.pod.spec?.volumes?.length) {
      // A stopped kubelet tries nothing; it resumes its back-off when its node comes back.
      if (this.nodes.get(p.node)?.failed) {
        this.retryMount(p, p.mountBackoffMs ?? MOUNT_BACKOFF_INITIAL_MS);
        return;
      }
      const failed = volumeErrors(p.pod, this.refLookup(p));
      if (failed.length) {
        this.failedMount(p, failed);
        const first = p.mountBackoffMs === undefined;
        p.mountBackoffMs = first ? MOUNT_BACKOFF_INITIAL_MS : Math.min(p.mountBackoffMs! * 2, MOUNT_BACKOFF_MAX_MS);
        // The first failure posts the status (ContainerCreating) at once.
        if (first) this.markDirty(p);
        this.retryMount(p, p.mountBackoffMs);
        return;
      }
    }
    if (!p.sandboxReady) {
      // generatePodSandboxConfig asks for the pod's DNS first (GetPodDNS), at every try.
      // Only a pod's own dnsConfig can take the resolver past its limits (the policies' bases stay within them).
      if (p.pod.spec?.dnsConfig) for (const w of dnsConfigWarnings(p.pod)) this.env.event(p, 'Warning', 'DNSConfigForming', w);
      if (this.refuseSandbox(p)) return;
    }
    p.volumesReady = true;
    this.warnPullSecrets(p);
    if (p.sandboxReady) return;
    this.startSandbox(p);
  }

  private startSandbox(p: PodSim): void {
    p.sandboxTimer = this.ctx.clock.setTimer(sandboxStage.delay(this.env), () => {
      p.sandboxTimer = undefined;
      if (!sandboxStage.next(p, this.env)) return this.refuseNoAddress(p);
      this.markRelisted(p);
      this.drive(p);
    });
  }

  /** Plays every container of the pod forward until each waits on a timer or has nothing to do. */
  private drive(p: PodSim): void {
    if (p.finished) return;
    let progressed = true;
    for (let guard = 0; progressed && guard < 100; guard++) {
      progressed = false;
      if (!p.deleting && !p.killing && podDone(p)) {
        // computePodActions: no regular container will run again, so the pod is killed; what still runs
        // (sidecars) stops, in termination order.
        p.killing = true;
        beginStop(p, this.ctx.clock.now(), this.stopHost);
      }
      for (const c of p.containers) {
        // A sidecar whose turn to stop has come stops now, even if it was waiting to exit by itself.
        if (c.timer !== undefined && c.sidecar && killDue(c, p)) this.clearContainer(c);
        if (c.timer !== undefined) continue;
        const stage = stageFor(c, p);
        if (!stage) continue;
        const d = stage.delay(c, p, this.env);
        if (d <= 0) {
          this.step(stage, c, p);
          progressed = true;
          continue;
        }
        c.timer = this.ctx.clock.setTimer(d, () => {
          c.timer = undefined;
          if (!this.keyHeld(p) || p.finished) return;
          this.step(stage, c, p);
          this.drive(p);
        });
      }
    }
    if (p.deleting && p.containers.every((c) => c.step === 'done')) this.finish(p);
  }

  private step(stage: Stage, c: ContainerSim, p: PodSim): void {
    stage.next(c, p, this.env);
    // A script going on changes nothing in the status until it ends.
    if (stage.name === 'script' && c.run?.phase !== 'done') { /* nothing the status shows */ }
    // A pod being stopped is written as its pod worker stops it (syncTerminatingPod); a container killed and started
    // again while its pod runs (a failed liveness probe, a changed image) shows at the next relist, like a crash.
    else if (p.deleting || p.killing) this.markDirty(p);
    else this.markRelisted(p);
    // What the container keeps from its start: ConfigMap and Secret variables, subPath files (startsnap.ts).
    if (stage.name === 'start' && this.world && c.containerID && startSnapshotNeeded(p.pod.spec, c.spec)) {
      try { snapshotAtStart(this.world(asSeenBy(p, c), c.name)); } catch (e) { this.ctx.log('kubelet', `keeping what ${p.key}/${c.name} started with failed: ${(e as Error).message}`); }
    }
    // The status sync after a container starts runs a not-ready container's readiness probe at once.
    if (c.probes && stage.name === 'start') triggerReadiness(p, this.probeHost);
    // A container that asks for memory of its own may take the node's pods past their cgroup's limit.
    if (stage.name === 'start' && c.step === 'running' && asksForMemory(c.spec)) this.checkNodeMemory(p.node, p);
  }

  /**
   * The pods' cgroup is limited to the node's allocatable memory: when its containers together ask for more, the
   * kernel's OOM killer ends the worst ones (nodeoom.ts) a moment later, as it ends one over its own limit.
   * `current` is the pod whose sync is under way (its containers are driven when that returns).
   */
  private checkNodeMemory(node: string, current: PodSim): void {
    let nodeObj: KObject | undefined;
    try { nodeObj = this.ctx.api.get(GVRS.nodes, undefined, node); } catch { return; }
    const limit = quantity(nodeObj?.status?.allocatable?.memory ?? '0');
    const capacity = quantity(nodeObj?.status?.capacity?.memory ?? '0');
    if (!(limit > 0)) return;
    const users: MemoryUser[] = [];
    let stopping = 0;
    for (const k of this.nodes.get(node)?.pods ?? []) {
      const q = this.sims.get(k);
      if (!q || q.finished) continue;
      for (const c of q.containers) {
        // One the OOM killer already has in hand frees its memory anyway; one being stopped is about to.
        if (c.step === 'stopping') stopping += containerMemory(c.spec);
        if (c.step !== 'running' || c.oomAt !== undefined) continue;
        users.push({ pod: q, container: c, bytes: containerMemory(c.spec), adj: oomScoreAdj(q.pod, c.spec, capacity) });
      }
    }
    const now = this.ctx.clock.now();
    for (const v of oomVictims(users, limit - stopping)) {
      const c = v.container;
      c.oomAt = now + NODE_OOM_AFTER_MS;
      this.ctx.log('kubelet', `${node}: ${v.pod.key}: container ${c.name} is the OOM killer's choice: the node's pods ask for more than its ${nodeObj!.status.allocatable.memory} of memory`);
      // Its next step is now the kill: what it waited on is looked at again.
      this.clearContainer(c);
      if (v.pod !== current) this.drive(v.pod);
    }
  }

  /**
   * A probe worker's result changed, which makes the kubelet sync the pod:
   * the status follows, a failed liveness or startup probe kills the
   * container (computePodActions), and a not-ready container is probed again.
   */
  /**
   * An httpGet probe answered by a server that logs its requests (nginx): the line it writes for it. The prober
   * connects from the node to the pod's IP, so the server sees the node's own address on the pod network (the
   * gateway of its pod CIDR, x.x.x.1) and the prober's User-Agent. Answers the status of any server whose content the
   * playground knows (a 404 for a path nginx does not serve fails the probe, as on a cluster).
   */
  private probeAccess(p: PodSim, c: ContainerSim, get: any): number | undefined {
    const port = typeof get.port === 'number' ? get.port : (c.spec.ports ?? []).find((x: any) => x.name === get.port)?.containerPort;
    const n = this.nodes.get(p.node);
    if (typeof port !== 'number' || !n || !p.podIP || !this.world) return undefined;
    // The pod as its network answers now: the running containers (the API's status may not show them yet).
    const running = p.containers.filter((x) => x.step === 'running' || x.step === 'stopping')
      .map((x) => ({ name: x.name, containerID: x.containerID, state: { running: { startedAt: new Date(x.startedAt ?? 0).toISOString() } } }));
    const pod: KObject = { ...p.pod, status: { ...p.pod.status, podIP: p.podIP, containerStatuses: running, initContainerStatuses: [] } };
    const server = servingContainer(pod, port);
    if (!server) return undefined;
    const now = this.ctx.clock.now();
    const world = this.world;
    const req = probeRequest(get, p.podIP, port, KUBELET_VERSION, `${n.cidr.join('.')}.1`);
    const site = podSite(pod, port, { fsOf: (pp, name) => { try { return containerFs(world(pp, name)); } catch { return undefined; } }, now: () => now });
    const got = site?.({ method: req.method, target: req.target, host: req.headers[0][1], headers: req.headers, remoteAddr: req.remoteAddr });
    if (!got) return undefined;
    if (!logsAccess(server)) return got.status;
    const ns = p.pod.metadata.namespace ?? 'default';
    logAccess(pod, port, {
      accessLog: (_pp, name, line) => this.containerOutput(ns, p.pod.metadata.name!, name, `${line}\n`),
      connection: (_pp, name) => this.serverConnection(ns, p.pod.metadata.name!, name),
    }, req, got.status, got.body.length, now, got.error);
    return got.status;
  }

  private probeResultChanged(c: ContainerSim, p: PodSim, w: ProbeWorker): void {
    if (!this.keyHeld(p) || p.finished) return;
    refreshProbeState(c);
    if (w.type !== 'readiness' && w.result === 'Failure' && c.step === 'running' && !p.deleting) {
      const restart = restartPolicyOf(c, p) !== 'Never';
      this.clearContainer(c);
      // computeInitContainerActions words a sidecar's kill its own way.
      const why = c.sidecar ? `Init container ${c.name} failed ${w.type} probe` : `Container ${c.name} failed ${w.type} probe${restart ? ', will be restarted' : ''}`;
      this.env.event(p, 'Normal', 'Killing', why, c);
      // setTerminationGracePeriod: the probe's own grace period wins over the pod's (the 2 s minimum comes after the preStop hook).
      const grace = w.spec.terminationGracePeriodSeconds ?? p.pod.spec?.terminationGracePeriodSeconds ?? 30;
      c.probeKill = { graceMs: grace * 1000 };
      startStopping(c, p, this.ctx.clock.now(), this.env);
    }
    this.markDirty(p);
    triggerReadiness(p, this.probeHost);
    this.drive(p);
  }

  /**
   * activeDeadlineSeconds (the kubelet's activeDeadlineHandler): counted from the status's startTime, in whole
   * seconds; the sync loop, which ticks every second, finds the pod past it and syncs it.
   */
  private armDeadline(p: PodSim): void {
    if (p.deadlineTimer !== undefined) this.ctx.clock.clearTimer(p.deadlineTimer);
    p.deadlineTimer = undefined;
    const secs = p.pod.spec?.activeDeadlineSeconds;
    if (typeof secs !== 'number' || p.evicted || p.deleting || p.finished || terminal(p.pod)) return;
    const now = this.ctx.clock.now();
    const due = Math.floor(p.startTime / 1000) * 1000 + secs * 1000;
    const tick = Math.ceil(Math.max(due, now) / 1000) * 1000;
    p.deadlineTimer = this.ctx.clock.setTimer(tick - now, () => {
      p.deadlineTimer = undefined;
      this.deadlineExceeded(p);
    });
  }

  /**
   * The pod ran past its activeDeadlineSeconds: ShouldEvict records the event (Normal, as upstream does), the
   * status becomes Failed with reason DeadlineExceeded, and the pod's containers are killed, never to restart.
   */
  private deadlineExceeded(p: PodSim): void {
    if (!p.held || p.evicted || p.deleting || p.finished || terminal(p.pod)) return;
    const message = 'Pod was active on the node longer than the specified deadline';
    this.env.event(p, 'Normal', 'DeadlineExceeded', message);
    p.evicted = { reason: 'DeadlineExceeded', message };
    p.killing = true;
    beginStop(p, this.ctx.clock.now(), this.stopHost);
    this.markDirty(p);
    this.drive(p);
  }

  /**
   * evictPod: the Warning event with the eviction's message, then the pod is killed as killPodNow kills it, with
   * the eviction's 1 s grace period (the 2 s minimum still applies), and its status says Failed, Evicted.
   */
  private evict(p: PodSim, message: string): void {
    if (!p.held || p.evicted || p.deleting || p.killing || p.finished) return;
    this.env.event(p, 'Warning', EVICTED_REASON, message);
    p.evicted = { reason: EVICTED_REASON, message };
    p.graceOverrideSec = EVICTION_GRACE_SEC;
    p.killing = true;
    this.eviction.remove(p);
    if (p.deadlineTimer !== undefined) { this.ctx.clock.clearTimer(p.deadlineTimer); p.deadlineTimer = undefined; }
    beginStop(p, this.ctx.clock.now(), this.stopHost);
    this.markDirty(p);
    this.drive(p);
  }

  /**
   * What the runtime's stats say each started container of the pod keeps on the node's disk: its writable layer
   * (what it wrote outside its volumes) and its log file. Undefined before any container started.
   */
  private containerDiskUsage(p: PodSim): Map<string, number> | undefined {
    const out = new Map<string, number>();
    const ns = p.pod.metadata.namespace ?? 'default';
    for (const c of p.containers) {
      if (c.ephemeral || !c.containerID || !(c.step === 'running' || c.step === 'stopping')) continue;
      const layer = this.disks?.layer(p.uid, c.name, c.containerID)?.bytes ?? 0;
      out.set(c.name, layer + criLogBytes(this.logs(ns, p.pod.metadata.name!, c.name)));
    }
    return out.size ? out : undefined;
  }

  /**
   * A pod deleted from the API while its containers run (`kubectl delete --grace-period=0 --force`, or a spec whose
   * terminationGracePeriodSeconds is 0) is still killed on the node, as HandlePodRemoves does: Killing events, and
   * the grace period of calculateEffectiveGracePeriod (the pod's own when the deletion gave none). Until its
   * containers stop, a new pod of the same name (a StatefulSet's) may run beside it, which is the risk kubectl warns of.
   */
  private stopRemoved(p: PodSim, pod: KObject): void {
    const node = this.nodes.get(p.node);
    this.sims.delete(p.key);
    this.byName.get(pod.metadata.namespace || '')?.delete(pod.metadata.name!);
    node?.pods.delete(p.key);
    p.key = `${p.key}\u0000${p.uid}`;
    this.sims.set(p.key, p);
    node?.pods.add(p.key);
    p.removed = true;
    p.pod = pod;
    if (!p.deleting) {
      p.deleting = true;
      beginStop(p, this.ctx.clock.now(), this.stopHost);
    }
    this.drive(p);
  }

  /** rejectPod: the Warning event, and a Failed status that says why; no container is started. */
  private rejectPod(pod: KObject, node: string, r: Rejection): void {
    this.ctx.events.event({ component: 'kubelet', host: node }, pod, 'Warning', r.reason, r.message);
    const status = { phase: 'Failed', reason: r.reason, message: `Pod was rejected: ${r.message}`, qosClass: pod.status?.qosClass, startTime: pod.status?.startTime ?? isoTime(this.ctx.clock.now()) };
    try {
      this.ctx.api.patch(GVRS.pods, pod.metadata.namespace, pod.metadata.name!, 'merge', { status }, kubeletOptions(node), 'status');
    } catch { /* gone meanwhile */ }
  }

  /** All containers stopped: post the final status, then delete the pod object for good. */
  private finish(p: PodSim): void {
    p.finished = true;
    this.clearTimers(p);
    // A pod already gone from the API has no status to write and nothing to delete.
    if (p.removed) return this.drop(p);
    this.postStatus(p);
    this.finalDelete(p.pod, p.node);
  }

  private finalDelete(pod: KObject, node: string): void {
    try {
      this.ctx.api.delete(GVRS.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid }, actor: kubeletActor(node) });
      this.ctx.log('kubelet', `${node}: ${objKey(pod)}: deleted after graceful termination`);
    } catch { /* already gone */ }
  }

  /**
   * A change in the runtime (the sandbox up, a container started or exited): the pod's status shows it after the
   * node's next PLEG relist, which syncs the pod. Relists tick every second from the kubelet's start.
   */
  private markRelisted(p: PodSim): void {
    const node = this.nodes.get(p.node);
    if (!node) return this.markDirty(p);
    // Each pod once, where it was first marked: a sim in this batch names it (see PodSim.relistBatch).
    const list = (node.relist ??= []);
    if (p.relistBatch !== list) {
      p.relistBatch = list;
      list.push(p);
    }
    if (node.relistTimer !== undefined) return;
    node.relistTimer = this.ctx.clock.setTimer(this.untilRelist(node), () => {
      node.relistTimer = undefined;
      const batch = node.relist!;
      node.relist = undefined;
      // A pod whose worker is still in the sync that sets it up (the sandbox, an image pull: the runtime's SyncPod
      // blocks on both) is not synced again before that sync returns; the step that ends it relists the pod anew.
      for (let i = 0; i < batch.length; i++) {
        const q = batch[i];
        // Forgotten, so that a sim keeps no old batch (and the sims in it) alive; one marked again meanwhile names its new one.
        if (q.relistBatch === batch) q.relistBatch = undefined;
        if (q.held && !q.finished && !syncInProgress(q)) this.markDirty(q);
      }
    });
  }

  /** Milliseconds to the node's next relist: ticks every PLEG_RELIST_MS from its kubelet's start, never now. */
  private untilRelist(node: NodeRuntime): number {
    const since = this.ctx.clock.now() - (node.kubeletStart ?? 0);
    return PLEG_RELIST_MS - (((since % PLEG_RELIST_MS) + PLEG_RELIST_MS) % PLEG_RELIST_MS);
  }

  /** Whether a sim is held under the pod's key: most often the pod's own, which needs no look-up. */
  private keyHeld(p: PodSim): boolean {
    return p.held || this.sims.has(p.key);
  }

  private markDirty(p: PodSim): void {
    // Each pod once, where it was first marked (drop takes a pod out by its mark; its place then stays behind, dead).
    const list = this.dirty;
    if (p.dirtyBatch !== list) {
      p.dirtyBatch = list;
      p.dirtyAt = list.length;
      list.push(p);
    }
    if (this.flushArmed) return;
    this.flushArmed = true;
    this.ctx.clock.setTimer(0, () => this.flush());
  }

  /** Status writes are coalesced per loop turn, like the kubelet's status manager. */
  private flush(): void {
    this.flushArmed = false;
    // The batch is the list itself: a pod marked during the writes goes to the next turn's, as before. Its live places
    // are kept first, and their marks cleared, before any write: a pod marked again during the writes is written in
    // this batch and in the next, as a set taken whole would have it.
    const batch = this.dirty;
    this.dirty = [];
    let n = 0;
    for (let i = 0; i < batch.length; i++) {
      const q = batch[i];
      if (q.dirtyBatch !== batch || q.dirtyAt !== i) continue;
      q.dirtyBatch = undefined;
      batch[n++] = q;
    }
    for (let i = 0; i < n; i++) if (!batch[i].finished) this.postStatus(batch[i]);
  }

  private postStatus(p: PodSim): void {
    // A pod gone from the API has no status to write (by name, it would land on a new pod of the same name).
    const node = this.nodes.get(p.node);
    if (p.removed || !this.keyHeld(p) || node?.failed) return;
    if (p.resize?.inProgress && p.resize.actuateTimer === undefined) this.checkResizeDone(p);
    const status = buildStatus(p, this.ctx.clock.now());
    const opts = node ? (node.statusWrite ??= kubeletOptions(node.name, true)) : kubeletOptions(p.node, true);
    try {
      // The status is built afresh for each write and handed over: the apiserver keeps it without a copy.
      const r = this.ctx.api.patch(GVRS.pods, p.pod.metadata.namespace, p.pod.metadata.name!, 'merge', { status }, opts, 'status');
      p.pod = { ...p.pod, status: r.object.status };
      this.ctx.count('kubelet', 'statusUpdates');
    } catch (e) {
      // A pod that is gone: the DELETED event cleans up. A write the apiserver refused (an admission webhook on
      // pods/status that fails closed) stays the status manager's to sync: its syncBatch tries it again on the next
      // tick (status_manager.go syncPeriod, 10 s).
      const code = (e as { status?: { code?: number } })?.status?.code;
      if (code !== undefined && code !== 404 && p.statusRetryTimer === undefined) {
        p.statusRetryTimer = this.ctx.clock.setTimer(STATUS_SYNC_PERIOD_MS, () => {
          p.statusRetryTimer = undefined;
          if (p.held && !p.finished) this.markDirty(p);
        });
      }
    }
  }

  private drop(p: PodSim): void {
    this.clearTimers(p);
    this.eviction.remove(p);
    // A sim no longer held still takes from the map whatever holds its key now, as it always did.
    if (!p.held) { const q = this.sims.get(p.key); if (q) q.held = false; }
    p.held = false;
    this.sims.delete(p.key);
    if (!p.removed) this.byName.get(p.pod.metadata.namespace || '')?.delete(p.pod.metadata.name!);
    if (p.dirtyBatch === this.dirty) p.dirtyBatch = undefined;
    const node = this.nodes.get(p.node);
    if (node) {
      node.pods.delete(p.key);
      if (p.podIP && p.podIP !== p.hostIP) node.usedIPs[Number(p.podIP.slice(p.podIP.lastIndexOf('.') + 1))] = 0;
      if (node.pods.size) this.retryDeferred(node.name);
    }
  }

  private clearContainer(c: ContainerSim): void {
    if (c.timer !== undefined) this.ctx.clock.clearTimer(c.timer);
    c.timer = undefined;
  }
  private retryMount(p: PodSim, ms: number): void {
    p.mountTimer = this.ctx.clock.setTimer(ms, () => {
      p.mountTimer = undefined;
      if (p.held && !p.deleting) this.checkVolumes(p);
    });
  }

  /**
   * generatePodSandboxConfig fails before any sandbox is made (sandboxConfigError): SyncPod records
   * FailedCreatePodSandBox ("Failed to create pod sandbox: …") and the pod worker tries the whole sync again after
   * its back-off (10 s, up to 50% jitter); the pod stays ContainerCreating, as its first status said. The fields
   * it reads cannot change, so every try fails the same way.
   */
  private refuseSandbox(p: PodSim): boolean {
    const why = sandboxConfigError(p.pod);
    if (!why) return false;
    this.env.event(p, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${why}`);
    this.retryMount(p, SYNC_BACKOFF_MS + Math.floor(this.ctx.rand.next() * SYNC_BACKOFF_MS / 2));
    return true;
  }

  /**
   * The CNI ADD failed because host-local has no free address in the node's range: containerd tears the new sandbox
   * down and answers the error (sandbox_run.go "failed to setup network for sandbox"), the kubelet records
   * FailedCreatePodSandBox and the pod worker tries again after its back-off.
   */
  private refuseNoAddress(p: PodSim): void {
    const n = this.nodes.get(p.node)!;
    const base = n.cidr.join('.');
    const sandbox = this.ctx.rand.string(64, HEX);
    this.env.event(p, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "${sandbox}": plugin type="ptp" failed (add): failed to allocate for range 0: no IP addresses available in range set: ${base}.1-${base}.254`);
    // The volumes stay mounted: the next sync goes straight to a new sandbox.
    p.mountTimer = this.ctx.clock.setTimer(SYNC_BACKOFF_MS + Math.floor(this.ctx.rand.next() * SYNC_BACKOFF_MS / 2), () => {
      p.mountTimer = undefined;
      if (p.held && !p.deleting && !p.sandboxReady) this.startSandbox(p);
    });
  }

  /**
   * SyncPod, before the volumes: while the runtime network is not ready, only a hostNetwork pod starts (kubelet.go);
   * another gets NetworkNotReady and the pod worker tries again after its back-off, as for a refused sandbox.
   */
  private refuseForNetwork(p: PodSim): boolean {
    const n = this.nodes.get(p.node);
    if (!n?.networkError || n.failed || p.pod.spec?.hostNetwork) return false;
    this.env.event(p, 'Warning', 'NetworkNotReady', `network is not ready: ${n.networkError}`);
    this.retryMount(p, SYNC_BACKOFF_MS + Math.floor(this.ctx.rand.next() * SYNC_BACKOFF_MS / 2));
    return true;
  }

  private failedMount(p: PodSim, failed: Array<{ volume: string; message: string }>): void {
    for (const f of failed) this.env.event(p, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${f.volume}" : ${f.message}`);
  }

  /**
   * A ConfigMap or Secret went: running pods that mount it keep their files,
   * and at each resync the kubelet sets their volumes up again and fails
   * (FailedMount), until the object is back or the pod goes.
   */
  private refGone(kind: RefKind, obj: KObject): void {
    const ns = obj.metadata.namespace;
    const name = obj.metadata.name;
    for (const p of this.sims.values()) {
      if (p.pod.metadata.namespace !== ns || !p.volumesReady || p.remountTimer !== undefined || p.deleting || p.finished) continue;
      const uses = (p.pod.spec?.volumes ?? []).some((v: any) => (kind === 'ConfigMap'
        ? v?.configMap?.name === name || (v?.projected?.sources ?? []).some((s: any) => s?.configMap?.name === name)
        : v?.secret?.secretName === name || (v?.projected?.sources ?? []).some((s: any) => s?.secret?.name === name)));
      if (uses) this.scheduleRemount(p);
    }
  }

  private scheduleRemount(p: PodSim): void {
    p.remountTimer = this.ctx.clock.setTimer(RESYNC_MS + Math.floor(this.ctx.rand.next() * RESYNC_MS / 2), () => {
      p.remountTimer = undefined;
      if (!p.held || p.deleting || p.finished || terminal(p.pod)) return;
      const failed = volumeErrors(p.pod, this.refLookup(p));
      if (!failed.length) return;
      this.failedMount(p, failed);
      this.scheduleRemount(p);
    });
  }

  /**
   * getPullSecretsForPod: every sync that gets past the volumes warns about
   * imagePullSecrets that do not exist (the pull goes on without them), so a
   * living pod repeats it at each resync while they are missing.
   */
  private warnPullSecrets(p: PodSim): void {
    if (!p.pod.spec?.imagePullSecrets?.length || p.finished || p.deleting || !p.held || terminal(p.pod)) return;
    const missing = missingPullSecrets(p.pod, this.refLookup(p));
    if (!missing.length) return;
    this.env.event(p, 'Warning', 'FailedToRetrieveImagePullSecret', `Unable to retrieve some image pull secrets (${missing.join(', ')}); attempting to pull the image may not succeed.`);
    p.resyncTimer = this.ctx.clock.setTimer(RESYNC_MS + Math.floor(this.ctx.rand.next() * RESYNC_MS / 2), () => {
      p.resyncTimer = undefined;
      this.warnPullSecrets(p);
    });
  }

  private clearTimers(p: PodSim): void {
    if (p.sandboxTimer !== undefined) this.ctx.clock.clearTimer(p.sandboxTimer);
    p.sandboxTimer = undefined;
    if (p.deadlineTimer !== undefined) this.ctx.clock.clearTimer(p.deadlineTimer);
    p.deadlineTimer = undefined;
    for (const t of [p.mountTimer, p.resyncTimer, p.remountTimer, p.resize?.retryTimer, p.resize?.actuateTimer]) if (t !== undefined) this.ctx.clock.clearTimer(t);
    if (p.resize) p.resize.retryTimer = p.resize.actuateTimer = undefined;
    p.mountTimer = p.resyncTimer = p.remountTimer = undefined;
    // Set only on a refused status write: left off the other pods.
    if (p.statusRetryTimer !== undefined) {
      this.ctx.clock.clearTimer(p.statusRetryTimer);
      p.statusRetryTimer = undefined;
    }
    for (const c of p.containers) this.clearContainer(c);
    if (p.containers.some((c) => c.probes)) stopProbes(p, this.probeHost);
  }

  /**
   * A pod's IP, as kind's CNI config gets it: kindnetd writes a ptp network whose IPAM is host-local over the node's
   * podCIDR (kind images/kindnetd/cmd/kindnetd/cni.go). host-local's range is .1-.254 with the gateway .1 skipped,
   * and it goes round-robin from the last address it reserved (allocator.go GetIter: "a crash-looping container
   * will not see the same IP until the entire range has been run through"), so a freed address comes back only
   * after the rest of the range. Undefined when all 253 are held (more pods than the range, with a raised pod cap).
   */
  private allocateIP(nodeName: string): string | undefined {
    const n = this.nodes.get(nodeName)!;
    let ip = n.lastIP;
    for (let tries = 0; tries < IPAM_LAST - IPAM_FIRST + 1; tries++) {
      ip = ip >= IPAM_LAST ? IPAM_FIRST : ip + 1;
      if (n.usedIPs[ip]) continue;
      n.usedIPs[ip] = 1;
      n.lastIP = ip;
      // The /24's first three octets, written once per node (and again if its range is ever another).
      if (n.ipPrefix?.cidr !== n.cidr) n.ipPrefix = { cidr: n.cidr, text: `${n.cidr.join('.')}.` };
      return n.ipPrefix.text + ip;
    }
    return undefined;
  }

}

/** The log of an instance that has ended; one that never started (StartError) wrote nothing. */
function endedLines(pod: KObject, c: ContainerSim, t: ContainerSim['current'], host: HostFacts): string[] {
  if (!t || t.reason === 'StartError') return [];
  const lines: LogLines = containerLogLines(pod, c.spec, t.startedAt, t.exitCode, t.finishedAt, t.output, t.times, t.played, host);
  if (t.dropped) lines.dropped = t.dropped;
  return lines;
}
