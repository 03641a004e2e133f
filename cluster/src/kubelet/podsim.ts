/**
 * The kubelet's private picture of one pod: per-container simulation state,
 * from which the pod's status is derived exactly the way upstream's
 * generateAPIPodStatus/getPhase derive it. Only the status is ever written.
 */
import type { KObject, TimerHandle } from '../contract';
import { rfc3339 as isoTime } from '../runtime/objects';
import { EMPTY_OBJECT, Interner } from '../runtime/intern';
import { qosClass } from '../scheduler/resources';
import { imageDigest } from './images';
import { parseImage, type Behaviour } from '../../../kube/src/imageConvention';
import type { ProbeWorker } from './probes';
import type { ShellState } from './exec';
import type { HookRun } from './hooks';
import { identityOf } from './procs';
import type { ResizeCondition, ResizeState } from './resize';

/** A container's printed lines, the oldest dropped past the log's cap; `partial` is a line not yet ended. */
export interface ConsoleLog {
  output: string[];
  dropped: number;
  partial: string;
  /** When each line of `output` was written. */
  times?: number[];
}

/** A script instance the simulated shell plays (scripts.ts): its shell, what it printed, where it is. */
export interface ScriptRun {
  shell: ShellState;
  /** Lines the script wrote (stdout and stderr), for the container's log; the oldest go past LOG_LINES. */
  output: string[];
  /**
   * What each stream printed after its last newline: the runtime's log writer waits for the rest of the line (a
   * `printf a; printf "b\n"` is the one line `ab`), and writes what is left when the container's output closes.
   */
  pendingOut?: string;
  pendingErr?: string;
  /** How many of its first lines are gone (so a follower can count lines that keep coming). */
  dropped: number;
  /** When each line of `output` was written. */
  times?: number[];
  /** Running until the script has ended. */
  phase: 'running' | 'done';
  /** When the script goes on (Infinity after `sleep infinity`). */
  nextAt: number;
  /** When the container exits, and with which code (set when the script ends). */
  exitAt?: number;
  exitCode: number;
  /** The shell's steps through the script (ShellState.steps): what it writes, and each `sleep` as a pause. */
  steps: Generator<import('./exec').ShellStep, number, number | undefined>;
  /** When the steps last said they sleep: resumed, they are told how much time passed (less when a signal woke them). */
  sleptAt?: number;
}

export type Step =
  | 'pull' | 'pulling' | 'pull-backoff' | 'create' | 'config-error' | 'running' | 'exited' | 'crash-backoff' | 'done' | 'stopping';

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: number;
  finishedAt: number;
  containerID: string;
  message?: string;
  /** What the instance's script wrote (its log, for `kubectl logs --previous`), and how many of its first lines went. */
  output?: readonly string[];
  /** When each line of `output` was written. */
  times?: readonly number[];
  dropped?: number;
  /** The simulated shell played the instance's command: `output` is all it wrote. */
  played?: boolean;
}

export interface ContainerSim {
  /** spec.containers{name} (or initContainers, ephemeralContainers): the events' involvedObject.fieldPath, made once. */
  fieldPath?: string;
  name: string;
  spec: any;
  init: boolean;
  /** A restartable init container (`restartPolicy: Always` on an init container): a native sidecar. */
  sidecar: boolean;
  /** An ephemeral container (`kubectl debug`): started once, never restarted, outside the pod's phase and readiness. */
  ephemeral?: boolean;
  behaviour: Behaviour;
  step: Step;
  /** The status's volumeMounts, made once: a pod's mounts cannot change. */
  mountStatuses?: readonly any[];
  /** The status's `resources` and `user`, made once for the spec they were made from (a new image brings a new spec). */
  resourceStatus?: { spec: any; value: any };
  userStatus?: { spec: any; value: any };
  waitingReason?: string;
  waitingMessage?: string;
  startedAt?: number;
  ready: boolean;
  restartCount: number;
  containerID?: string;
  /** The connections the server in this instance accepted (nginx's connection counter), by container ID. */
  connections?: { id: string; n: number };
  current?: Terminated;
  last?: Terminated;
  /** The instance before `last` (what lastState shows if the pod is stopped while `last` waits to be restarted). */
  lastBefore?: Terminated;
  /** The Killing event of the stop under way was already recorded (all at once, as killContainer records it before waiting its turn). */
  killNoticed?: boolean;
  /** Crash-loop back-off (ms) armed by the last restart; 0 = none yet. */
  backoffMs: number;
  pullBackoffMs: number;
  /**
   * While the container waits out a back-off (CrashLoopBackOff, ImagePullBackOff): when the pod worker,
   * whose sync failed, syncs the pod again and records the BackOff event once more.
   */
  resyncAt?: number;
  /** When the last image pull failed (the pull back-off counts from there). */
  pullFailedAt?: number;
  timer?: TimerHandle;
  pullStartedAt?: number;
  /** Time spent actually pulling (the rest of the wait is the node's pull queue). */
  pullMs?: number;
  /** Probe workers (probes.ts); undefined for a container without probes, which costs nothing. */
  probes?: ProbeWorker[];
  /** The running instance passed its startup probe (or has none); kept only for containers with probes. */
  started?: boolean;
  /**
   * Set while the kubelet stops the container for a failed liveness or startup probe, or because its spec
   * changed (`specChanged`: restarted whatever the restart policy, with `nextSpec`).
   */
  probeKill?: { graceMs: number; specChanged?: boolean };
  /** The container's new spec (a pod update changed its image), taken up when the running instance has stopped. */
  nextSpec?: any;
  /**
   * Killed for a spec change and starting again: the kubelet kills and starts it in one sync, so the pod's
   * phase never sees it stopped (a restartPolicy Never pod stays Running).
   */
  respawning?: boolean;
  /** When the kernel's OOM killer ends the running instance (it asks for more memory than limits.memory). */
  oomAt?: number;
  /** While stopping: when the runtime's SIGKILL comes (or, for a process that heeds SIGTERM, when it is gone). */
  stopAt?: number;
  /** The running instance's script. */
  run?: ScriptRun;
  /** What the running instance's own process printed outside a script (an attached shell's session), for its log. */
  console?: ConsoleLog;
  /** A lifecycle hook under way (hooks.ts): postStart after the start, preStop before the SIGTERM. */
  hook?: HookRun;
  /** While a preStop hook runs: when the SIGTERM is sent at the latest (the grace period's end), and from when and what grace it counts. */
  termAt?: number;
  termFrom?: number;
  termGraceSec?: number;
  /** A sidecar's preStop hook began with its pod's termination (killContainer runs it before waiting for the turn). */
  earlyPreStop?: { from: number; graceSec: number };
  /** Stopped because its postStart hook failed: the sync that restarts it (or not) comes after the stop, by the restart policy. */
  hookKill?: boolean;
  /** The failed postStart hook's message, which the stopped container's status shows (PostStartHookError) until it starts again. */
  hookError?: string;
}

/** The container runs, but its postStart hook has not returned: the sync that started it is still under way. */
export const inPostStart = (c: ContainerSim) => c.hook?.kind === 'postStart';

export interface PodSim {
  key: string;
  uid: string;
  /** A static pod (from the node's manifests folder): its mirror pod in the API can go and come back while it runs. */
  static?: boolean;
  pod: KObject;
  node: string;
  hostIP: string;
  podIP?: string;
  startTime: number;
  sandboxReady: boolean;
  /** Every PersistentVolumeClaim the pod mounts is Bound (the kubelet mounts volumes before the sandbox starts). */
  volumesReady: boolean;
  claims: string[];
  containers: ContainerSim[];
  deleting: boolean;
  /**
   * The pod left the API while its containers ran (a force delete, a grace period of 0): the node still stops them
   * (HandlePodRemoves kills the pod), under a key of its own so that a new pod of the same name can start beside it.
   */
  removed?: boolean;
  /**
   * The pod is being stopped without being deleted: its regular containers are all done and will not
   * restart, so the kubelet kills what still runs (its sidecars), as computePodActions' KillPod does.
   */
  killing?: boolean;
  /** When the deletion or the kill began: sidecars, stopped last, get what is left of the grace period. */
  killStartedAt?: number;
  /** Initialization is over (sticky, as upstream's podHasInitialized: a sidecar's later restart does not undo it). */
  initialized?: boolean;
  /** Per kubelet-owned condition (CONDITION_TYPES order): last status and its transition time. Flat, as there are 150k of these. */
  condStatus: string[];
  condTime: number[];
  sandboxTimer?: TimerHandle;
  /** The volume reconciler's next try at volumes that failed to set up, and its back-off (500 ms doubling to 2m2s). */
  mountTimer?: TimerHandle;
  mountBackoffMs?: number;
  /** The pod worker's periodic resync (only kept for pods whose sync has something to warn about each time). */
  resyncTimer?: TimerHandle;
  /** The resync that sets up again the ConfigMap and Secret volumes of a running pod after one of their objects went. */
  remountTimer?: TimerHandle;
  /** The status manager's next try at a status write the apiserver refused. */
  statusRetryTimer?: TimerHandle;
  /**
   * The status write batch the pod waits in (the engine's `dirty` list at the time), and its place there. A list and
   * a mark on the sim, rather than a set of sims: the pods of a loop turn are thousands, and the set hashed each one.
   */
  dirtyBatch: PodSim[] | undefined;
  dirtyAt: number;
  /** The node's PLEG relist batch the pod waits in (NodeRuntime.relist at the time), for the same reason. */
  relistBatch: PodSim[] | undefined;
  /**
   * The engine holds this sim under its key now (its `sims.get(key)` is this one): the checks of a timer or a status
   * write that the pod is still the one played cost no look-up in a map of every pod on every node.
   */
  held: boolean;
  /** Every container has stopped for good: the last status is TerminatePod's (see terminatePod). */
  finished: boolean;
  /** A sync handler (activeDeadlineSeconds) or the eviction manager had the pod evicted: the status is Failed with its reason and message. */
  evicted?: { reason: string; message: string };
  /** The grace period the kill gives instead of the pod's (the eviction manager's 1 s). */
  graceOverrideSec?: number;
  /** When the pod's activeDeadlineSeconds runs out. */
  deadlineTimer?: TimerHandle;
  /** The class the apiserver gave the pod (a resize cannot change it). */
  qos?: string;
  /** In-place resize (resize.ts): only for a pod whose containers' resources were changed. */
  resize?: ResizeState;
}

/**
 * The pod worker is inside a SyncPod that has not returned: the sandbox is being made, an image pulled for a
 * container the sync starts, a postStart hook running, or the container whose postStart hook failed being
 * killed (kubelet.SyncPod writes the status once, at its start, then blocks in the runtime's SyncPod through
 * the sandbox, the pulls, the starts and their hooks). Until it returns, the pod is neither synced again (no
 * status write) nor acted on (no restart). A pod being stopped is synced by its termination instead.
 */
export const syncInProgress = (p: PodSim) => !p.deleting && !p.killing
  && (p.sandboxTimer !== undefined || p.containers.some((c) => c.step === 'pulling' || inPostStart(c) || (c.hookKill && c.step === 'stopping')));

/** The restart policy a container lives by: a sidecar always restarts, as the kubelet keeps restartable init containers running. */
export const restartPolicyOf = (c: ContainerSim, p: PodSim): string => (c.sidecar ? 'Always' : c.ephemeral ? 'Never' : p.pod.spec?.restartPolicy ?? 'Always');

/** ShouldContainerBeRestarted for an instance that exited with `code`: Always, or OnFailure after a failure. */
const restartsAfter = (c: ContainerSim, p: PodSim, code: number) => {
  const pol = restartPolicyOf(c, p);
  return pol === 'Always' || (pol === 'OnFailure' && code !== 0);
};

/** One of the pod's own containers: not an init container, not an ephemeral one. */
export const isRegular = (c: ContainerSim) => !c.init && !c.ephemeral;

/** A running container that passed its startup probe (or has none): what `started` reports. */
export const hasStarted = (c: ContainerSim) => (c.step === 'running' || c.step === 'stopping') && !inPostStart(c) && (c.probes ? !!c.started : true);

/**
 * An init container is done with its part of initialization: a regular one
 * exited 0; a sidecar is running and started (computeInitContainerActions then
 * starts the next one).
 */
export const initContainerInitialized = (c: ContainerSim) => (c.sidecar ? hasStarted(c) : c.step === 'done' && c.current?.exitCode === 0);
/**
 * The same as the status reads it: a regular init container that exited 0 is done from the status that first
 * shows its exit (UpdatePodStatus, GeneratePodInitializedCondition), though the next one starts a moment later.
 */
const initDoneInStatus = (c: ContainerSim) => (c.sidecar ? hasStarted(c) : (c.step === 'done' || c.step === 'exited') && c.current?.exitCode === 0);

/**
 * Whether the pod's initialization is over, as computeInitContainerActions'
 * podHasInitialized: the last init container is initialized, or a regular
 * container has already been created. Once true it stays true.
 */
export function podInitialized(p: PodSim): boolean {
  if (p.initialized) return true;
  let last: ContainerSim | undefined;
  for (const c of p.containers) {
    if (c.init) last = c;
    else if (!c.ephemeral && c.containerID !== undefined) return (p.initialized = true);
  }
  if (!last || initContainerInitialized(last)) p.initialized = true;
  return !!p.initialized;
}

/**
 * A container's status. One waiting for nothing in particular shows the
 * default of convertToAPIContainerStatuses: PodInitializing in a pod with init
 * containers (so `Init:0/1`, then `PodInitializing`), else ContainerCreating.
 */
function containerStatus(c: ContainerSim, hasInit: boolean, p?: PodSim): any {
  // What the status shows is worked out into locals first, and the object built in its field order from them: the
  // object's fields are not read back, and it takes one shape per kind of state.
  const running = (c.step === 'running' || c.step === 'stopping') && !inPostStart(c);
  let state: any;
  /** A lastState that goes before the containerID (the branches that show why a restart comes); else it goes after. */
  let early: any;
  if (running) {
    state = runningState(isoTime(c.startedAt!));
  } else if (c.current && c.step === 'exited' && c.hookError && p && !p.deleting && !p.killing && restartsAfter(c, p, c.current.exitCode)) {
    // The sync after a failed postStart hook shows the hook's error (the reason cache's PostStartHookError) and the
    // instance it stopped as lastState, before it starts the container again.
    state = { waiting: { reason: 'PostStartHookError', message: c.hookError } };
    early = { terminated: term(c.current) };
  } else if (c.current && c.step === 'exited' && c.current.reason === 'StartError' && p && !p.deleting && !p.killing && restartsAfter(c, p, c.current.exitCode)) {
    // convertToAPIContainerStatuses: a container the next sync will start again shows why its start failed (the
    // reason cache's RunContainerError), its failed instance as lastState.
    state = { waiting: { reason: 'RunContainerError', message: c.current.message } };
    early = { terminated: term(c.current) };
  } else if (c.current && (c.step === 'exited' || c.step === 'done')) {
    state = { terminated: term(c.current) };
  } else {
    const reason = c.waitingReason && c.waitingReason !== 'ContainerCreating' ? c.waitingReason : hasInit ? 'PodInitializing' : 'ContainerCreating';
    state = c.waitingMessage ? { waiting: { reason, message: c.waitingMessage } } : waitingState(reason);
  }
  const image = imageOf(c.spec);
  // UpdatePodStatus: a regular init container is ready once it exited 0; `started` holds while a container is stopping.
  const ready = c.init && !c.sidecar ? initDoneInStatus(c) : c.ready;
  // The status the sync wrote at its start knows no container its postStart hook is still holding.
  const created = !!c.containerID && !inPostStart(c);
  const lastState = early ?? (c.last ? { terminated: term(c.last) } : NO_LAST_STATE);
  const s: any = !created
    ? { name: c.name, image: image.full, imageID: '', ready, restartCount: c.restartCount, started: hasStarted(c), state, lastState }
    : early === undefined
      ? { name: c.name, image: image.full, imageID: (image.id ??= imageDigest(image.text)), ready, restartCount: c.restartCount, started: hasStarted(c), state, containerID: c.containerID, lastState }
      : { name: c.name, image: image.full, imageID: (image.id ??= imageDigest(image.text)), ready, restartCount: c.restartCount, started: hasStarted(c), state, lastState, containerID: c.containerID };
  // RecursiveReadOnlyMounts (GA in 1.33): every status lists the container's mounts as its spec has them, a
  // read-only one with its resolved recursiveReadOnly mode (kind's containerd supports it: IfPossible is Enabled).
  const mounts = c.spec.volumeMounts;
  if (Array.isArray(mounts) && mounts.length) s.volumeMounts = c.mountStatuses ??= Object.freeze(mounts.map((m) => Object.freeze(mountStatus(m))));
  // InPlacePodVerticalScaling (on by default): a running container's status shows the resources it was given, its
  // spec's requests and limits ({} when it has none).
  if (running) {
    if (c.resourceStatus?.spec !== c.spec) c.resourceStatus = { spec: c.spec, value: resourcesStatus(c.spec.resources) };
    s.resources = c.resourceStatus!.value;
  }
  // No allocatedResources: convertToAPIContainerStatuses writes them only under InPlacePodVerticalScalingAllocatedStatus,
  // deprecated and off since 1.33 (the kubelet keeps its allocation to itself, resize.ts).
  // SupplementalGroupsPolicy (on by default): a created container's status shows the identity its process runs as.
  if (created && p) {
    if (c.userStatus?.spec !== c.spec) {
      const id = identityOf(p.pod, c.spec);
      c.userStatus = { spec: c.spec, value: userStatus(id.uid, id.gid, id.groups) };
    }
    s.user = c.userStatus!.value;
  }
  return s;
}
/**
 * The image a status names, and its digest once a container of it is created, for the image named last: the pods a
 * kubelet writes one after another mostly run the same image, which then costs no look-up.
 */
let lastImage: { text: string; full: string; id?: string } | undefined;
function imageOf(spec: any): { text: string; full: string; id?: string } {
  const text = String(spec.image ?? '');
  if (lastImage?.text !== text) lastImage = { text, full: parseImage(text).full, id: undefined };
  return lastImage;
}
const NO_RESOURCES = EMPTY_OBJECT;
/**
 * Parts of a container status that many pods have alike are shared frozen objects (stored objects are frozen
 * anyway): the running state of containers that started in the same second, an empty lastState, the process
 * identity of one image. At 150,000 pods each is 150,000 objects fewer for the collector to copy and for this
 * machine to fault in.
 */
const NO_LAST_STATE = EMPTY_OBJECT;
/**
 * A node's `hostIPs`, one frozen list per address for all its pods (a relist writes the statuses of one node's pods one
 * after another, which the Interner's last answer serves).
 */
const hostIPLists = new Interner<any>();
const NO_IP = '\u0000';
const hostIPList = (key: string): any => Object.freeze([Object.freeze({ ip: key === NO_IP ? undefined : key })]);
const hostIPsOf = (ip: string | undefined): any => hostIPLists.get(ip ?? NO_IP, hostIPList);
/** A waiting state with no message (every pod's first status: ContainerCreating, PodInitializing), one per reason. */
const waitingStates = new Interner<any>(64);
const waitingState = (reason: string): any => waitingStates.get(reason, () => Object.freeze({ waiting: Object.freeze({ reason }) }));
/** The running state of containers started in one second (pods written one after another mostly did). */
const runningStates = new Interner<any>(4096);
const runningStateOf = (startedAt: string): any => Object.freeze({ running: Object.freeze({ startedAt }) });
const runningState = (startedAt: string): any => runningStates.get(startedAt, runningStateOf);
const userStatuses = new Interner<any>(4096);
/** The user status answered last: the containers a kubelet starts one after another mostly run as the same user. */
let lastUser: { uid: number; gid: number; groups: number[]; value: any } | undefined;
function userStatus(uid: number, gid: number, groups: number[]): any {
  const l = lastUser;
  if (l !== undefined && l.uid === uid && l.gid === gid && l.groups.length === groups.length && l.groups.every((g, i) => g === groups[i])) return l.value;
  // A copy of the groups: the caller's list is not ours to keep.
  return (lastUser = { uid, gid, groups: groups.slice(), value: userStatusOf(uid, gid, groups) }).value;
}
function userStatusOf(uid: number, gid: number, groups: number[]): any {
  return userStatuses.get(`${uid}:${gid}:${groups.join(',')}`, () => Object.freeze({ linux: Object.freeze({ uid, gid, supplementalGroups: Object.freeze([...groups]) }) }));
}
/**
 * The resources status answered last, and the requests and limits it was made from: the containers a kubelet starts one
 * after another mostly come from one template, and those with the same quantities share one frozen status.
 */
let lastResources: { requests: any; limits: any; value: any } | undefined;
function resourcesStatus(r: any): any {
  const l = lastResources;
  if (l !== undefined && sameQuantities(l.requests, r?.requests) && sameQuantities(l.limits, r?.limits)) return l.value;
  const out: any = {};
  // Frozen whole, as it is shared (the store would freeze it at the write anyway).
  if (r?.requests && Object.keys(r.requests).length) out.requests = Object.freeze({ ...r.requests });
  if (r?.limits && Object.keys(r.limits).length) out.limits = Object.freeze({ ...r.limits });
  const value = out.requests || out.limits ? Object.freeze(out) : NO_RESOURCES;
  lastResources = { requests: r?.requests, limits: r?.limits, value };
  return value;
}
/** Whether two requests (or limits) lists have the same names, in the same order, with the same values. */
function sameQuantities(a: any, b: any): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i] || a[ka[i]] !== b[kb[i]]) return false;
  return true;
}
const mountStatus = (m: any) => (m?.readOnly
  ? { name: m.name, mountPath: m.mountPath, readOnly: true, recursiveReadOnly: m.recursiveReadOnly === 'Enabled' || m.recursiveReadOnly === 'IfPossible' ? 'Enabled' : 'Disabled' }
  : { name: m?.name, mountPath: m?.mountPath });
const term = (t: Terminated) => ({
  exitCode: t.exitCode, reason: t.reason, ...(t.message ? { message: t.message } : {}),
  startedAt: isoTime(t.startedAt), finishedAt: isoTime(t.finishedAt), containerID: t.containerID,
});

type StatusState = 'running' | 'terminated' | 'waiting';
/** Which of the three states the container's status shows (containerStatus above). */
function stateOf(c: ContainerSim): StatusState {
  if ((c.step === 'running' || c.step === 'stopping') && !inPostStart(c)) return 'running';
  if (c.current && (c.step === 'exited' || c.step === 'done')) return 'terminated';
  return 'waiting';
}

/**
 * Upstream getPhase (kubelet_pods.go, with ContainerRestartRules off): regular
 * init containers still to finish, or sidecars not yet started before any
 * regular container ran, keep the pod Pending; a running sidecar counts as a
 * running container; stopped sidecars do not count at all.
 */
export function podPhase(p: PodSim): string {
  const prior = p.pod.status?.phase;
  // Pods are not allowed to transition out of terminal phases.
  if (prior === 'Succeeded' || prior === 'Failed') return prior;
  const policy = p.pod.spec?.restartPolicy ?? 'Always';
  let pendingRegularInit = 0, pendingSidecars = 0, failedInit = 0;
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  let hasInitialized = false;
  for (const c of p.containers) {
    if (c.ephemeral) continue;
    const st = stateOf(c);
    if (c.init && !c.sidecar) {
      if (st === 'running') pendingRegularInit++;
      else if (st === 'terminated') { if (c.current!.exitCode !== 0) failedInit++; }
      else if (c.last) { if (c.last.exitCode !== 0) failedInit++; }
      else pendingRegularInit++;
    } else if (c.sidecar) {
      if (st === 'running') { if (!hasStarted(c)) pendingSidecars++; running++; }
      else if (st === 'waiting' && !c.last) { pendingSidecars++; waiting++; }
    } else {
      if (c.containerID !== undefined) hasInitialized = true;
      if (st === 'running') running++;
      else if (st === 'terminated') { stopped++; if (c.current!.exitCode === 0) succeeded++; }
      else if (c.last && !c.respawning) stopped++;
      else waiting++;
    }
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  if (pendingRegularInit > 0 || (pendingSidecars > 0 && !hasInitialized) || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    // A pod being deleted is terminal: nothing restarts.
    if (p.deleting) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    return policy === 'Never' ? 'Failed' : 'Running';
  }
  return 'Pending';
}

export const CONDITION_TYPES = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
const [READY_TO_START, INITIALIZED, READY, CONTAINERS_READY, SCHEDULED] = [0, 1, 2, 3, 4];

function cond(p: PodSim, now: number, i: number, status: string, reason?: string, message?: string): any {
  const type = CONDITION_TYPES[i];
  const t = p.condStatus[i] === status ? p.condTime[i] : now;
  p.condStatus[i] = status;
  p.condTime[i] = t;
  const generation = p.pod.metadata.generation;
  // The pods a kubelet writes one after another mostly have this condition as the last one did: that one is
  // answered again after a comparison of what makes it, before any key is built.
  const last = lastConditions[i];
  if (last !== undefined && last.status === status && last.t === t && last.generation === generation && last.reason === reason && last.message === message) return last.value;
  // Pods that changed at the same second have equal conditions: they share one frozen object (stored objects
  // are frozen anyway), so a status write does not make five new ones per pod for the young generation to copy.
  const key = `${type}\u0000${status}\u0000${t}\u0000${generation}\u0000${reason ?? ''}\u0000${message ?? ''}`;
  const value = conditionCache.get(key, () => {
    const c: any = { type, status, lastProbeTime: null, lastTransitionTime: isoTime(t) };
    // PodObservedGenerationTracking (beta, on in 1.34): which generation of the spec the condition describes.
    if (generation !== undefined) c.observedGeneration = generation;
    if (reason) c.reason = reason;
    if (message) c.message = message;
    condIds.set(c, ++condSeq);
    return Object.freeze(c);
  });
  // The record is kept and rewritten: a miss makes no object but the condition it answers.
  const rec = (lastConditions[i] ??= { status, t, generation, reason, message, value });
  rec.status = status;
  rec.t = t;
  rec.generation = generation;
  rec.reason = reason;
  rec.message = message;
  rec.value = value;
  return value;
}

/** Per kubelet-owned condition (CONDITION_TYPES order): the one `cond` answered last, with what made it. */
const lastConditions: Array<{ status: string; t: number; generation: unknown; reason?: string; message?: string; value: any } | undefined> = [];

const RESIZE_TYPES = new Set(['PodResizePending', 'PodResizeInProgress']);
function resizeCond(type: string, c: ResizeCondition): any {
  const out: any = { type, status: 'True', lastProbeTime: isoTime(c.probed), lastTransitionTime: isoTime(c.since) };
  if (c.generation !== undefined) out.observedGeneration = c.generation;
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** Conditions made lately, by everything that makes them what they are. */
const conditionCache = new Interner<any>(8192);
/** A number for each cached condition object, and the lists made of them (buildStatus). */
const condIds = new WeakMap<object, number>();
let condSeq = 0;
const conditionLists = new Interner<readonly any[]>();
/** The shared list answered last: the next pod's five conditions are most often the same objects. */
let lastList: readonly any[] = [];

/** The kubelet's five conditions as one shared frozen list when all five are cached objects; else the list itself. */
function sharedList(conditions: any[]): readonly any[] {
  // An indexed loop: the comparison with the list answered last is made at every status write.
  let same = conditions.length === lastList.length;
  for (let i = 0; same && i < conditions.length; i++) same = conditions[i] === lastList[i];
  if (same) return lastList;
  if (!conditions.every((c) => condIds.has(c))) return conditions;
  return (lastList = conditionLists.get(conditions.map((c) => condIds.get(c)).join(','), () => Object.freeze(conditions)));
}

/**
 * ContainersNotReady's message, one string per list of names: every pod's first status says it, and a message joined
 * afresh is a tree of pieces that the comparison with the last condition (cond) flattens again.
 */
const unreadyMessages = new Interner<string>(1024);
const unreadyMessage = (names: string) => `containers with unready status: [${names}]`;

/**
 * The kubelet-owned conditions, as upstream's generate.go derives them:
 * sidecars count toward ContainersReady (listed first), a regular container
 * that has started keeps the pod Initialized, and Ready also waits for the
 * pod's readiness gates.
 */
function podConditions(p: PodSim, now: number, phase: string, others: readonly any[]): any[] {
  const terminalReason = phase === 'Failed' ? 'PodFailed' : 'PodCompleted';
  const unready: string[] = [];
  const incomplete: string[] = [];
  let regularStarted = false;
  for (const c of p.containers) {
    if (c.ephemeral) continue;
    if (c.init && !initDoneInStatus(c)) incomplete.push(c.name);
    if ((!c.init || c.sidecar) && !c.ready) unready.push(c.name);
    if (!c.init && stateOf(c) !== 'waiting') regularStarted = true;
  }
  // The sidecars come first in upstream's list: it walks initContainers, then containers.
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const initialized = phase === 'Succeeded'
    ? cond(p, now, INITIALIZED, 'True', 'PodCompleted')
    : regularStarted || !incomplete.length
      ? cond(p, now, INITIALIZED, 'True')
      : cond(p, now, INITIALIZED, 'False', 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
  let ready: [string, string?, string?];
  if (terminal) ready = ['False', terminalReason];
  else if (unready.length) ready = ['False', 'ContainersNotReady', unreadyMessages.get(unready.join(' '), unreadyMessage)];
  else ready = ['True'];
  let podReady = ready;
  if (ready[0] === 'True') {
    const gates: string[] = [];
    for (const g of p.pod.spec?.readinessGates ?? []) {
      const c = others.find((x) => x.type === g.conditionType);
      if (!c) gates.push(`corresponding condition of pod readiness gate ${JSON.stringify(g.conditionType)} does not exist.`);
      else if (c.status !== 'True') gates.push(`the status of pod readiness gate ${JSON.stringify(g.conditionType)} is not "True", but ${c.status}`);
    }
    if (gates.length) podReady = ['False', 'ReadinessGatesNotReady', gates.join(', ')];
  }
  return [
    cond(p, now, READY_TO_START, p.sandboxReady && !terminal ? 'True' : 'False'),
    initialized,
    cond(p, now, READY, podReady[0], podReady[1], podReady[2]),
    cond(p, now, CONTAINERS_READY, ready[0], ready[1], ready[2]),
    cond(p, now, SCHEDULED, 'True'),
  ];
}

/** The full pod status the kubelet would post now. */
export function buildStatus(p: PodSim, now: number): any {
  const phase = p.evicted ? 'Failed' : podPhase(p);
  // Most pods have regular containers only: their list is the pod's own, with no copy.
  const plain = p.containers.every(isRegular);
  const apps = plain ? p.containers : p.containers.filter(isRegular);
  const inits = plain ? NONE : p.containers.filter((c) => c.init);
  const ephemeral = plain ? NONE : p.containers.filter((c) => c.ephemeral);
  // Conditions other writers own (DisruptionTarget, readiness gates) are kept.
  const posted: any[] = p.pod.status?.conditions ?? NONE;
  const others = onlyKubelets(posted) ? NONE : posted.filter((c: any) => !CONDITION_TYPES.includes(c.type) && !RESIZE_TYPES.has(c.type));
  const conditions = podConditions(p, now, phase, others);
  // generateAPIPodStatus puts the resize conditions before the other conditions the kubelet owns; a terminal pod has none.
  if (p.resize && phase !== 'Succeeded' && phase !== 'Failed') {
    if (p.resize.inProgress) conditions.unshift(resizeCond('PodResizeInProgress', p.resize.inProgress));
    if (p.resize.pending) conditions.unshift(resizeCond('PodResizePending', p.resize.pending));
  }
  for (const c of others) conditions.push(c);
  // The kubelet's five alone (most pods): pods whose conditions are the same cached objects share one list too.
  const listed = conditions.length === CONDITION_TYPES.length ? sharedList(conditions) : conditions;
  // PodObservedGenerationTracking (beta, on in 1.34): the status and the kubelet's conditions name the
  // generation of the spec they describe.
  const generation = p.pod.metadata.generation;
  const status: any = {
    observedGeneration: generation,
    phase,
    conditions: listed,
    hostIP: p.hostIP,
    hostIPs: hostIPsOf(p.hostIP),
    startTime: isoTime(p.startTime),
    containerStatuses: apps.map((c) => containerStatus(c, inits.length > 0, p)),
    // The class the apiserver set at create; it never changes (the pod's resources cannot).
    qosClass: (p.qos ??= p.pod.status?.qosClass ?? qosClass(p.pod)),
  };
  if (generation === undefined) delete status.observedGeneration;
  // generateAPIPodStatus: a sync handler that asked for the pod's eviction makes it Failed, with its reason and message.
  if (p.evicted) { status.reason = p.evicted.reason; status.message = p.evicted.message; }
  if (p.podIP) { status.podIP = p.podIP; status.podIPs = [{ ip: p.podIP }]; }
  if (inits.length) status.initContainerStatuses = inits.map((c) => containerStatus(c, true, p));
  // Ephemeral containers are never ready; they show ContainerCreating while they start.
  if (ephemeral.length) status.ephemeralContainerStatuses = ephemeral.map((c) => ({ ...containerStatus(c, false), ready: false }));
  if (p.finished) terminatePod(p, status);
  if (p.containers.some((c) => c.current?.message || c.last?.message || c.lastBefore?.message)) capTerminationMessages(p, status);
  return status;
}

/** Whether every posted condition is one of the kubelet's five (most often the five it wrote last, in its order). */
function onlyKubelets(posted: readonly any[]): boolean {
  if (posted.length === CONDITION_TYPES.length) {
    // An indexed loop: the posted list is a stored (frozen) one, which `every` would walk with a callback per item.
    let ours = true;
    for (let i = 0; ours && i < posted.length; i++) ours = posted[i].type === CONDITION_TYPES[i];
    if (ours) return true;
  }
  return posted.every((c: any) => CONDITION_TYPES.includes(c.type));
}

/** Containers of no kind, conditions of no other writer: one frozen empty list. */
const NONE: readonly any[] = Object.freeze([]);


/** kubecontainer.MaxPodTerminationMessageLogLength: the most termination message text one pod's statuses carry. */
const POD_TERMINATION_MESSAGES_MAX = 12 * 1024;

/**
 * The status manager's normalizeStatus: each terminated state's message (current and last) is cut to an even share of
 * 12 KiB over the pod's containers (init, regular and ephemeral), in bytes.
 */
function capTerminationMessages(p: PodSim, status: any): void {
  const spec = p.pod.spec ?? {};
  const n = (spec.containers?.length ?? 0) + (spec.initContainers?.length ?? 0) + (spec.ephemeralContainers?.length ?? 0);
  const max = n > 0 ? Math.floor(POD_TERMINATION_MESSAGES_MAX / n) : POD_TERMINATION_MESSAGES_MAX;
  for (const list of [status.containerStatuses, status.initContainerStatuses, status.ephemeralContainerStatuses]) {
    for (const cs of list ?? []) {
      for (const field of ['state', 'lastState'] as const) {
        const t = cs[field]?.terminated;
        if (typeof t?.message !== 'string' || t.message.length * 3 <= max || Buffer.byteLength(t.message) <= max) continue;
        // Go slices the string's bytes: a character cut in two is shown as U+FFFD.
        cs[field] = { ...cs[field], terminated: { ...t, message: Buffer.from(t.message, 'utf8').subarray(0, max).toString('utf8') } };
      }
    }
  }
}

/**
 * hasPodInitialized, read from the status the kubelet last posted (before
 * the pod stopped): a regular container left waiting, or the last init
 * container completed (or, for a sidecar, running and started).
 */
function hadInitialized(p: PodSim): boolean {
  const inits = p.containers.filter((c) => c.init);
  if (!inits.length) return true;
  const st = p.pod.status ?? {};
  for (const cs of st.containerStatuses ?? []) if (cs.lastState?.terminated || !cs.state?.waiting) return true;
  const initStatuses: any[] = st.initContainerStatuses ?? [];
  const cs = initStatuses[initStatuses.length - 1];
  const c = inits[initStatuses.length - 1];
  if (!cs || !c) return false;
  if (c.sidecar) return !!(cs.state?.running && cs.started);
  return cs.lastState?.terminated?.exitCode === 0 || cs.state?.terminated?.exitCode === 0;
}

const UNKNOWN_STATE = () => ({
  terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: null, finishedAt: null },
});

/**
 * The status manager's TerminatePod, on the last status of a pod whose
 * containers have all stopped: a container that never reached a terminated
 * state is reported as ContainerStatusUnknown (137) — regular containers only
 * once the pod had initialized, init containers up to the last one that ever
 * started — and a Pending or Running phase becomes Failed, so that a pod
 * deleted before it ran (and held by a finalizer) ends terminal. The
 * conditions stay as the last sync generated them.
 */
function terminatePod(p: PodSim, status: any): void {
  const apps: any[] = status.containerStatuses;
  const inits: any[] = status.initContainerStatuses ?? [];
  const waitingOnly = (cs: any) => cs.state.waiting && !cs.lastState?.terminated;
  if (hadInitialized(p)) for (const cs of apps) if (!cs.state.terminated) cs.state = UNKNOWN_STATE();
  // initializedContainers: all but the trailing init containers that never started (at least the first).
  let upTo = 0;
  for (let i = inits.length - 1; i >= 0; i--) if (!waitingOnly(inits[i])) { upTo = i + 1; break; }
  if (!upTo && inits.length) upTo = 1;
  for (let i = 0; i < upTo; i++) if (!inits[i].state.terminated) inits[i].state = UNKNOWN_STATE();
  if (status.phase === 'Pending' || status.phase === 'Running') status.phase = 'Failed';
}
