/**
 * The pod lifecycle as data, in the spirit of KWOK's Stage objects: each row
 * selects containers (or the pod) by their current simulated state, waits a
 * delay (with seeded jitter where a real kubelet would vary), and moves them
 * to the next state, emitting the kubelet's upstream events on the way.
 * One generic engine (engine.ts) plays the table; nothing else decides what a
 * container does next.
 */
import type { KObject } from '../contract';
import { goDuration, imageSize, pullPolicy } from './images';
import { behaviourOf, interactiveShell, parseImage } from '../../../kube/src/imageConvention';
import { initContainerInitialized, inPostStart, podInitialized, restartPolicyOf, syncInProgress, type ContainerSim, type PodSim } from './podsim';
import { abortedMessage, advanceHook, hookHandler, startHook } from './hooks';
import { refreshProbeState } from './probes';
import type { ShellState } from './exec';
import { advanceScript, startScript } from './scriptrun';
import { exitContainer } from './podstop';
import { effectiveLimit, memoryDemand, podLevelLimits } from '../metrics/usage';
import { Interner } from '../runtime/intern';

/** Crash-loop and image-pull back-off: 10 s, doubling, capped at 5 min (kubelet defaults). */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/**
 * A pod worker whose sync failed (a container in back-off) syncs the pod again after the kubelet's
 * backOffPeriod of 10 s plus up to half of it (wait.Jitter with workerBackOffPeriodJitterFactor 0.5);
 * each such sync records the BackOff event again.
 */
const WORKER_BACKOFF_MS = 10_000;
const WORKER_BACKOFF_JITTER = 0.5;

export interface StageEnv {
  now(): number;
  /** Uniform in [0, 1), seeded. */
  random(): number;
  /** An event about the pod, or about one of its containers when `c` is given (involvedObject.fieldPath). */
  event(p: PodSim, type: 'Normal' | 'Warning', reason: string, message: string, c?: ContainerSim): void;
  newContainerID(): string;
  hasImage(node: string, image: string): boolean;
  rememberImage(node: string, image: string): void;
  /**
   * Queues a pull on the node (the kubelet pulls one image at a time,
   * serializeImagePulls) and says how long it waits and how long it pulls: a
   * cold pull takes about size ÷ 50 MB/s, a pull of layers already fetched
   * well under a second.
   */
  queuePull(node: string, image: string, coldMs: number, warmMs: number): { waitMs: number; pullMs: number };
  /** Undefined when the node's IPAM has no address left (the sandbox's network setup fails). */
  allocatePodIP(p: PodSim): string | undefined;
  /** A fresh shell for the container's script, in the cluster as the container sees it; undefined when there is no world (bare control planes). */
  shell?(p: PodSim, c: ContainerSim): ShellState | undefined;
  /** Why the container's environment cannot be built (a missing ConfigMap, Secret or key: refs.ts), or undefined. */
  configError?(p: PodSim, c: ContainerSim): string | undefined;
  /** Milliseconds until the pod's node next relists its containers (the PLEG, every second); 0 when unknown. */
  untilRelist?(p: PodSim): number;
  /** The container's instance has just exited: the runtime reads its termination message (c.current.message). */
  exited?(p: PodSim, c: ContainerSim): void;
  /** The container has just started (a CNI's container writes the node's network config then: cni.ts). */
  started?(p: PodSim, c: ContainerSim): void;
}

export interface Stage {
  name: string;
  /** Which container (in which pod state) the stage applies to. */
  when(c: ContainerSim, p: PodSim): boolean;
  /** Milliseconds to wait before `next` runs. */
  delay(c: ContainerSim, p: PodSim, env: StageEnv): number;
  /** Moves the container to its next state. */
  next(c: ContainerSim, p: PodSim, env: StageEnv): void;
}

const jitter = (env: StageEnv, base: number, spread: number) => Math.round(base + env.random() * spread);
const fmtPod = (pod: KObject) => `${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
const image = (c: ContainerSim) => String(c.spec.image ?? '');
/**
 * The messages of the Events every container start says (Pulled for an image present, Created, Started), one string
 * per image or container name: the pods of a template are many, and each joined message would be a tree of pieces
 * held by an Event until the cap deletes it. Keyed by the image and the name, strings the pods share.
 */
const presentMessages = new Interner<string>(1024);
const createdMessages = new Interner<string>(1024);
const startedMessages = new Interner<string>(1024);
const stoppingPod = (p: PodSim) => p.deleting || !!p.killing;
/**
 * Whether a container may be started (or started again) now. Regular
 * containers wait for the pod's initialization; an init container that never
 * ran waits for the one before it to be initialized (exited 0, or a sidecar
 * running and started); one that ran before is restarted on its own.
 */
const turn = (c: ContainerSim, p: PodSim) => {
  // SyncPod starts the containers one after another: a postStart hook holds the next start until it returns.
  if (!p.sandboxReady || stoppingPod(p) || p.containers.some(inPostStart)) return false;
  // The regular containers start in order, and each start pulls its image first (EnsureImageExists blocks): one
  // waits while an earlier one pulls or is about to be created. A start that fails (a pull in back-off, a config
  // error) does not hold the next one.
  if (!c.init) return podInitialized(p) && (c.ephemeral || !earlierStarting(c, p));
  if (c.containerID !== undefined) return true;
  const i = p.containers.indexOf(c);
  return i === 0 || initContainerInitialized(p.containers[i - 1]);
};
const earlierStarting = (c: ContainerSim, p: PodSim) => {
  for (const o of p.containers) {
    if (o === c) return false;
    if (!o.init && !o.ephemeral && (o.step === 'pulling' || o.step === 'create')) return true;
  }
  return false;
};
/** The container is due to be stopped now, as its pod stops. */
export const killDue = (c: ContainerSim, p: PodSim) => stoppingPod(p) && c.step === 'running' && killTurn(c, p);
/**
 * The termination order of a pod being stopped: regular containers (and
 * regular init containers) at once; sidecars only after every regular
 * container has stopped, and each after the sidecars declared after it.
 */
const killTurn = (c: ContainerSim, p: PodSim) => {
  if (!c.sidecar) return true;
  let after = false;
  for (const o of p.containers) {
    if (o === c) { after = true; continue; }
    const live = o.step === 'running' || o.step === 'stopping';
    if (live && (!o.init || (after && o.sidecar))) return false;
  }
  return true;
};

export const POD_SANDBOX_MS = 200;

/** Pod-level stage: the sandbox (pause container + network) comes up and the pod gets its IP. */
export const sandboxStage = {
  delay: (env: StageEnv) => jitter(env, POD_SANDBOX_MS, 100),
  /** Answers false when the network could not be set up (no address left): the sandbox is not made. */
  next(p: PodSim, env: StageEnv): boolean {
    // A hostNetwork pod shares the node's network namespace and address.
    const ip = p.pod.spec?.hostNetwork ? p.hostIP : env.allocatePodIP(p);
    if (ip === undefined) return false;
    p.sandboxReady = true;
    p.podIP = ip;
    return true;
  },
};

export const STAGES: Stage[] = [
  {
    name: 'cancel',
    when: (c, p) => stoppingPod(p) && !['running', 'stopping', 'done'].includes(c.step),
    delay: () => 0,
    next(c) {
      // A container that waited to restart shows its last instance as its state, and the one before as lastState.
      if (c.last && (c.current === undefined || c.current === c.last)) {
        c.current = c.last;
        c.last = c.lastBefore;
      }
      c.step = 'done';
      c.ready = false;
    },
  },
  {
    name: 'kill',
    when: killDue,
    delay: () => 0,
    next(c, p, env) {
      if (!c.killNoticed) env.event(p, 'Normal', 'Killing', `Stopping container ${c.name}`, c);
      c.killNoticed = false;
      startStopping(c, p, env.now(), env);
    },
  },
  {
    // killContainer runs a container's preStop hook first and only then waits for its turn to stop: a sidecar's
    // hook starts with the pod's termination, while the containers before it stop.
    name: 'prestop-early',
    when: (c, p) => stoppingPod(p) && c.sidecar && c.step === 'running' && !c.earlyPreStop && !c.hook && !killTurn(c, p)
      && hookHandler(c.spec, 'preStop') !== undefined,
    delay: () => 0,
    next(c, p, env) {
      const now = env.now();
      const graceSec = killGraceSec(c, p, now);
      c.earlyPreStop = { from: now, graceSec };
      if (graceSec > 0) c.hook = startHook(c, p, env, 'preStop');
    },
  },
  {
    // EnsureImageExists: IfNotPresent uses the node's copy, Never uses it or fails (a Never image is not pulled, so
    // an image that would fail to pull meets the same check).
    name: 'image-present',
    when: (c, p) => c.step === 'pull' && turn(c, p) && pullPolicy(c.spec) !== 'Always' && (c.behaviour.kind !== 'pull-error' || pullPolicy(c.spec) === 'Never'),
    delay: () => 0,
    next(c, p, env) {
      if (!env.hasImage(p.node, image(c))) {
        if (pullPolicy(c.spec) !== 'Never') { c.step = 'pulling'; return startPull(c, p, env); }
        // ErrImageNeverPull: no pull and no pull back-off; the pod worker tries the sync again 10-15 s later.
        const msg = `Container image "${image(c)}" is not present with pull policy of Never`;
        env.event(p, 'Warning', 'ErrImageNeverPull', msg, c);
        env.event(p, 'Warning', 'Failed', 'Error: ErrImageNeverPull', c);
        c.waitingReason = 'ErrImageNeverPull';
        c.waitingMessage = msg;
        c.step = 'config-error';
        return;
      }
      const img = image(c);
      env.event(p, 'Normal', 'Pulled', presentMessages.get(img, () => `Container image "${img}" already present on machine`), c);
      c.step = 'create';
    },
  },
  {
    name: 'pull-start',
    when: (c, p) => c.step === 'pull' && turn(c, p),
    delay: () => 0,
    next(c, p, env) { c.step = 'pulling'; startPull(c, p, env); },
  },
  {
    name: 'pull-failed',
    when: (c) => c.step === 'pulling' && c.behaviour.kind === 'pull-error',
    delay: (_c, _p, env) => jitter(env, 500, 1000),
    next(c, p, env) {
      const err = c.behaviour.pullError!;
      env.event(p, 'Warning', 'Failed', `Failed to pull image "${image(c)}": ${err}`, c);
      env.event(p, 'Warning', 'Failed', 'Error: ErrImagePull', c);
      c.waitingReason = 'ErrImagePull';
      c.waitingMessage = err;
      c.pullFailedAt = env.now();
      c.step = 'pull-backoff';
      c.pullBackoffMs = c.pullBackoffMs ? Math.min(c.pullBackoffMs * 2, BACKOFF_MAX_MS) : BACKOFF_INITIAL_MS;
    },
  },
  {
    name: 'pull-backoff',
    when: (c) => c.step === 'pull-backoff' && c.waitingReason === 'ErrImagePull',
    delay: () => 1000,
    next(c, p, env) {
      sayPullBackOff(c, p, env);
      c.waitingReason = 'ImagePullBackOff';
      c.waitingMessage = `Back-off pulling image "${image(c)}": ErrImagePull: ${c.behaviour.pullError}`;
      c.resyncAt = nextResync(env);
    },
  },
  {
    name: 'pull-retry',
    when: (c) => c.step === 'pull-backoff' && c.waitingReason === 'ImagePullBackOff',
    delay: (c, _p, env) => Math.max(0, Math.min(pullRetryAt(c, env), resyncAt(c, env)) - env.now()),
    next(c, p, env) {
      if (env.now() >= pullRetryAt(c, env)) { c.resyncAt = undefined; c.step = 'pull'; return; }
      // A sync inside the back-off: the pull is not tried, and the kubelet says why again.
      sayPullBackOff(c, p, env);
      c.resyncAt = nextResync(env);
    },
  },
  {
    name: 'pulled',
    when: (c) => c.step === 'pulling',
    delay: (c, p, env) => {
      const q = env.queuePull(p.node, image(c), Math.round(imageSize(image(c)) / 50_000) + jitter(env, 200, 800), jitter(env, 100, 200));
      c.pullMs = q.pullMs;
      return q.waitMs + q.pullMs;
    },
    next(c, p, env) {
      const total = env.now() - (c.pullStartedAt ?? env.now());
      const took = Math.min(total, c.pullMs ?? total);
      env.event(p, 'Normal', 'Pulled', `Successfully pulled image "${image(c)}" in ${goDuration(took)} (${goDuration(total)} including waiting). Image size: ${imageSize(image(c))} bytes.`, c);
      env.rememberImage(p.node, image(c));
      c.step = 'create';
    },
  },
  {
    name: 'start',
    when: (c, p) => c.step === 'create' && turn(c, p),
    delay: () => 0,
    next(c, p, env) {
      // generateContainerConfig: the environment is built before the container is created.
      const configError = env.configError?.(p, c);
      if (configError) {
        env.event(p, 'Warning', 'Failed', `Error: ${configError}`, c);
        c.waitingReason = 'CreateContainerConfigError';
        c.waitingMessage = configError;
        c.step = 'config-error';
        return;
      }
      c.containerID = env.newContainerID();
      env.event(p, 'Normal', 'Created', createdMessages.get(c.name, () => `Created container: ${c.name}`), c);
      const cannot = startError(c);
      if (cannot) {
        // The runtime created the container but runc cannot exec its command: it never ran (StartedAt is the zero
        // time), exits 128 with reason StartError, and the kubelet says why (startContainer: FailedToStartContainer).
        env.event(p, 'Warning', 'Failed', `Error: ${cannot}`, c);
        c.startedAt = 0;
        c.waitingReason = c.waitingMessage = undefined;
        c.respawning = undefined;
        exitContainer(c, env.now(), 128, 'StartError');
        c.current!.message = cannot;
        return;
      }
      env.event(p, 'Normal', 'Started', startedMessages.get(c.name, () => `Started container ${c.name}`), c);
      c.step = 'running';
      c.respawning = undefined;
      c.startedAt = env.now();
      c.waitingReason = c.waitingMessage = undefined;
      c.current = undefined;
      env.started?.(p, c);
      // Probes (probes.ts) decide started/ready from here on; without them the container (or sidecar) is ready at once.
      if (c.probes) refreshProbeState(c);
      else c.ready = (!c.init && !c.ephemeral) || c.sidecar;
      c.console = undefined;
      c.hookError = undefined;
      c.oomAt = overMemoryLimit(c, p) ? env.now() + OOM_AFTER_MS : undefined;
      startScript(c, p, env);
      // The postStart hook runs right after the start, in the same sync: the container is not started or ready
      // (and the pod not written) until it returns.
      c.hook = startHook(c, p, env, 'postStart');
      if (c.hook) c.ready = false;
    },
  },
  {
    // The pod worker syncs a pod whose sync failed again after 10-15 s; the sync starts with the image again.
    name: 'config-retry',
    when: (c) => c.step === 'config-error',
    delay: (_c, _p, env) => workerBackoffMs(env),
    next(c) { c.step = 'pull'; },
  },
  {
    // A lifecycle hook's next step, or its end, when it comes before the script's next step and the SIGTERM.
    name: 'hook',
    when: (c) => !!c.hook && !c.hook.cutOff && (c.step === 'running' || c.step === 'stopping')
      && c.hook.nextAt <= scriptNextAt(c) && c.hook.nextAt <= (c.termAt ?? Infinity) && c.hook.nextAt <= ownEndAt(c),
    delay: (c, _p, env) => Math.max(0, c.hook!.nextAt - env.now()),
    next(c, p, env) {
      const h = c.hook!;
      advanceHook(h, c, p, env.now());
      if (!h.done) return;
      c.hook = undefined;
      if (h.kind === 'preStop') {
        // executePreStopHook records a failure when the handler returns; the SIGTERM follows at once (a sidecar's,
        // whose hook began before its turn, when its turn comes).
        if (!h.ok) env.event(p, 'Warning', 'FailedPreStopHook', 'PreStopHook failed', c);
        if (c.step === 'stopping') c.termAt = env.now();
        return;
      }
      if (h.ok) {
        if (c.probes) refreshProbeState(c);
        else c.ready = (!c.init && !c.ephemeral) || c.sidecar;
        return;
      }
      // startContainer: the event leaves the handler's message out (it may hold secrets), the status shows it.
      env.event(p, 'Warning', 'FailedPostStartHook', 'PostStartHook failed', c);
      env.event(p, 'Normal', 'Killing', 'FailedPostStartHook', c);
      c.hookError = h.message;
      c.hookKill = true;
      startStopping(c, p, env.now(), env);
    },
  },
  {
    // The SIGTERM after a preStop hook: when it returned, or when the grace period ran out under it.
    name: 'term',
    when: (c) => c.step === 'stopping' && c.termAt !== undefined && c.termAt <= scriptNextAt(c) && c.termAt < ownEndAt(c),
    delay: (c, _p, env) => Math.max(0, c.termAt! - env.now()),
    next(c, _p, env) { sendTerm(c, env.now()); },
  },
  {
    // The cgroup's OOM killer, when it comes before anything else the container would do.
    name: 'oom',
    when: (c) => c.step === 'running' && c.oomAt !== undefined && c.oomAt <= nextOwnEvent(c),
    delay: (c, _p, env) => Math.max(0, c.oomAt! - env.now()),
    next(c, p, env) {
      c.oomAt = undefined;
      hookAborted(c, p, env);
      exitContainer(c, env.now(), 137, 'OOMKilled');
      env.exited?.(p, c);
    },
  },
  {
    // A script goes on after a `sleep` (and its loop after each pass). A PID-1 shell ignores SIGTERM, so while its
    // container stops the script goes on writing until the runtime's SIGKILL.
    name: 'script',
    when: (c) => !!c.run && c.run.phase !== 'done' && Number.isFinite(c.run.nextAt)
      && (c.step === 'running' || (c.step === 'stopping' && c.run.nextAt < stopEnd(c))),
    delay: (c, _p, env) => Math.max(0, c.run!.nextAt - env.now()),
    next(c, _p, env) { advanceScript(c, env.now()); },
  },
  {
    name: 'exit',
    when: (c) => c.step === 'running' && (c.run ? c.run.exitAt !== undefined : c.behaviour.runMs !== undefined),
    delay: (c, _p, env) => Math.max(0, (c.run ? c.run.exitAt! : c.startedAt! + c.behaviour.runMs!) - env.now()),
    next(c, p, env) {
      hookAborted(c, p, env);
      finish(c, p, env, c.run ? c.run.exitCode : c.behaviour.exitCode);
    },
  },
  {
    name: 'restart-or-stop',
    // The sync that restarts it waits for the one still pulling another container's image.
    when: (c, p) => c.step === 'exited' && !syncInProgress(p),
    // The kubelet learns of the exit at its next relist (PLEG's ContainerDied), writes the status that shows it, and
    // only then, in that sync, starts the container again (or the next init container): a moment after the write.
    delay: (_c, p, env) => (stoppingPod(p) || !env.untilRelist ? 0 : env.untilRelist(p) + 1),
    next(c, p, env) {
      // A new image given while this instance ran (an init container is not killed for it) is used from the next one.
      if (c.nextSpec) takeNextSpec(c, p);
      const code = c.current!.exitCode;
      const pol = restartPolicyOf(c, p);
      if (stoppingPod(p) || pol === 'Never' || (pol === 'OnFailure' && code === 0) || (c.init && !c.sidecar && code === 0)) { c.step = 'done'; return; }
      retire(c);
      if (c.backoffMs === 0) { restart(c, BACKOFF_INITIAL_MS); return; }
      enterCrashBackoff(c, p, env);
    },
  },
  {
    name: 'crash-backoff',
    when: (c, p) => c.step === 'crash-backoff' && !syncInProgress(p),
    delay: (c, _p, env) => Math.max(0, Math.min(c.last!.finishedAt + c.backoffMs, resyncAt(c, env)) - env.now()),
    next(c, p, env) {
      if (env.now() >= c.last!.finishedAt + c.backoffMs) { c.resyncAt = undefined; restart(c, Math.min(c.backoffMs * 2, BACKOFF_MAX_MS)); return; }
      // A sync inside the back-off (doBackOff): no start, the BackOff event once more.
      env.event(p, 'Warning', 'BackOff', backOffMessage(c, p), c);
      c.resyncAt = nextResync(env);
    },
  },
  {
    name: 'stopped',
    when: (c) => c.step === 'stopping',
    delay: (c, p, env) => Math.max(0, stopEnd(c, p, env.now()) - env.now()),
    next(c, p, env) {
      hookAborted(c, p, env);
      c.hook = undefined;
      c.termAt = undefined;
      // A script that ended by itself before the SIGKILL exits with its own status.
      const run = c.run;
      finish(c, p, env, run?.exitAt !== undefined && run.exitAt < c.stopAt! ? run.exitCode : ignoresTerm(c) ? 137 : 0);
      c.stopAt = undefined;
      // Stopped for its failed postStart hook: the next sync, after the relist, starts it again or not (restart-or-stop).
      if (c.hookKill) {
        c.hookKill = undefined;
        if (!stoppingPod(p)) return;
      }
      const probeKill = c.probeKill;
      c.probeKill = undefined;
      if (c.nextSpec) takeNextSpec(c, p);
      // A container whose spec changed is restarted "regardless of the restart policy" (computePodActions).
      if (!probeKill || stoppingPod(p) || (restartPolicyOf(c, p) === 'Never' && !probeKill.specChanged)) { c.step = 'done'; return; }
      if (probeKill.specChanged) {
        // A changed container is a new one to the kubelet (its back-off is keyed by the spec's hash): it starts at once.
        c.respawning = true;
        retire(c);
        restart(c, 0);
        return;
      }
      restartAfterProbeKill(c, p, env);
    },
  },
];

/**
 * After a liveness or startup kill the kubelet starts the container again in
 * the same sync, and its back-off check (doBackOff) looks at the newest
 * *exited* instance it knew before the kill, the one before the killed one:
 * none means an immediate start; one that ended within the current back-off
 * means CrashLoopBackOff, measured from the killed instance's end.
 */
function restartAfterProbeKill(c: ContainerSim, p: PodSim, env: StageEnv): void {
  const prev = c.last;
  retire(c);
  if (!prev) { restart(c, c.backoffMs); return; }
  if (c.backoffMs > 0 && env.now() - prev.finishedAt < c.backoffMs) { enterCrashBackoff(c, p, env); return; }
  restart(c, c.backoffMs ? Math.min(c.backoffMs * 2, BACKOFF_MAX_MS) : BACKOFF_INITIAL_MS);
}

/** The spec a pod update gave the container, and what its image does, from its next instance on. */
export function takeNextSpec(c: ContainerSim, p: PodSim): void {
  c.spec = c.nextSpec;
  c.nextSpec = undefined;
  // doBackOff keys the back-off by the container's spec hash: a new spec starts with none.
  c.backoffMs = 0;
  const policy = p.pod.spec?.restartPolicy ?? 'Always';
  c.behaviour = behaviourOf(c.spec, c.sidecar ? 'Always' : c.init ? 'Never' : policy, p.pod.spec?.securityContext);
}

/** The instance that just ended becomes the last one; one that ran for twice the maximum back-off resets the back-off. */
function retire(c: ContainerSim): void {
  // A container that ran long enough is forgiven its back-off; one that never started (StartError) ran not at all.
  if (c.current!.startedAt > 0 && c.current!.finishedAt - c.current!.startedAt >= 2 * BACKOFF_MAX_MS) c.backoffMs = 0;
  c.lastBefore = c.last;
  c.last = c.current;
}

/** Waits out the current back-off in CrashLoopBackOff, with the kubelet's BackOff event. */
function enterCrashBackoff(c: ContainerSim, p: PodSim, env: StageEnv): void {
  c.step = 'crash-backoff';
  c.waitingReason = 'CrashLoopBackOff';
  c.waitingMessage = `back-off ${goDuration(c.backoffMs)} restarting failed container=${c.name} pod=${fmtPod(p.pod)}`;
  env.event(p, 'Warning', 'BackOff', backOffMessage(c, p), c);
  c.resyncAt = nextResync(env);
}

/** The two events of a sync that finds the image pull backing off. */
function sayPullBackOff(c: ContainerSim, p: PodSim, env: StageEnv): void {
  env.event(p, 'Normal', 'BackOff', `Back-off pulling image "${image(c)}"`, c);
  env.event(p, 'Warning', 'Failed', 'Error: ImagePullBackOff', c);
}

const backOffMessage = (c: ContainerSim, p: PodSim) => `Back-off restarting failed container ${c.name} in pod ${fmtPod(p.pod)}`;
/** How long the pod worker waits to sync again after a failed sync: 10 to 15 s. */
const workerBackoffMs = (env: StageEnv) => jitter(env, WORKER_BACKOFF_MS, WORKER_BACKOFF_MS * WORKER_BACKOFF_JITTER);
const nextResync = (env: StageEnv) => env.now() + workerBackoffMs(env);
/** A container adopted in back-off (a restored playground) has no sync planned yet: one comes now. */
const resyncAt = (c: ContainerSim, env: StageEnv) => c.resyncAt ?? (c.resyncAt = nextResync(env));
/** When the image pull is tried again: the back-off counted from the failed pull (for an adopted container, as if it failed a second ago). */
const pullRetryAt = (c: ContainerSim, env: StageEnv) => (c.pullFailedAt ?? (c.pullFailedAt = env.now() - 1000)) + c.pullBackoffMs;

function startPull(c: ContainerSim, p: PodSim, env: StageEnv) {
  c.pullStartedAt = env.now();
  // The last sync's error stays the container's reason until a sync gets past it (the kubelet's reasonCache).
  if (c.waitingReason !== 'CreateContainerConfigError') {
    c.waitingReason = 'ContainerCreating';
    c.waitingMessage = undefined;
  }
  env.event(p, 'Normal', 'Pulling', `Pulling image "${image(c)}"`, c);
}

export function restart(c: ContainerSim, nextBackoff: number) {
  c.restartCount++;
  c.backoffMs = nextBackoff;
  c.current = undefined;
  c.step = 'pull';
}

/**
 * Why runc cannot start the container's command, as containerd reports it, or undefined. Only what is certain
 * without knowing the image's files: an executable name with blanks in it (`command: ["python app.py"]`), which
 * no image has.
 */
export function startError(c: ContainerSim): string | undefined {
  const argv0 = c.spec.command?.[0];
  if (typeof argv0 !== 'string' || !/\s/.test(argv0)) return undefined;
  const why = argv0.includes('/') ? `stat ${argv0}: no such file or directory` : 'executable file not found in $PATH';
  return `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: ${JSON.stringify(argv0)}: ${why}: unknown`;
}

function finish(c: ContainerSim, p: PodSim, env: StageEnv, code: number) {
  exitContainer(c, env.now(), code);
  env.exited?.(p, c);
}

/**
 * A shell running a script, or an interactive shell, is PID 1 and ignores SIGTERM, as a `sleep` does: each is
 * killed when the grace period ends.
 */
const ignoresTerm = (c: ContainerSim) => !!c.run || !!interactiveShell(c.spec) || /\bsleep\b/.test([...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' '));
/** minimumGracePeriodInSeconds: the least a container is given between its SIGTERM and its SIGKILL. */
const MIN_GRACE_MS = 2000;
/**
 * The grace period killContainer starts from, in seconds, before the 2 s minimum: a probe's own, else the
 * deletion's or the pod's, less the whole seconds spent waiting for the container's turn. A preStop hook runs
 * only when it is above 0.
 */
const killGraceSec = (c: ContainerSim, p: PodSim, now: number) => {
  if (c.probeKill) return Math.floor(c.probeKill.graceMs / 1000);
  const waited = Math.floor((now - (p.killStartedAt ?? now)) / 1000);
  return (p.graceOverrideSec ?? p.pod.metadata.deletionGracePeriodSeconds ?? p.pod.spec?.terminationGracePeriodSeconds ?? 30) - waited;
};
/**
 * Ordinary servers stop on SIGTERM in half a second; `sleep` ignores it and is killed when the grace period ends.
 * A container stopped with its pod gets what is left of the pod's grace period when its turn comes (sidecars go
 * last), never under the 2 s minimum.
 */
export const stopMs = (c: ContainerSim, p: PodSim, now: number) => {
  const grace = Math.max(MIN_GRACE_MS, killGraceSec(c, p, now) * 1000);
  return ignoresTerm(c) ? grace : Math.min(500, grace);
};

/**
 * A running container starts to stop: the runtime sends SIGTERM to its first process, and SIGKILL at the end
 * of the grace period. A played script's shell with a TERM trap runs it (at once if it is in a `wait`, after
 * its `sleep` otherwise: ash takes a trap once the foreground command is done); without one it ignores the
 * signal, as a PID 1 with no handler does.
 */
export function startStopping(c: ContainerSim, p: PodSim, now: number, env?: StageEnv): void {
  // A postStart hook under way is given up: the sync that ran it is over.
  if (inPostStart(c)) c.hook = undefined;
  c.step = 'stopping';
  // A sidecar whose preStop hook began with the termination: its SIGTERM comes now, or when the hook is over.
  const early = c.earlyPreStop;
  if (early) {
    c.earlyPreStop = undefined;
    c.termFrom = early.from;
    c.termGraceSec = early.graceSec;
    c.termAt = c.hook ? Math.max(now, early.from + early.graceSec * 1000) : now;
    c.stopAt = c.termAt + MIN_GRACE_MS;
    return;
  }
  // killContainer: with a preStop hook and a grace period left, the hook runs first, for at most the grace period.
  const graceSec = killGraceSec(c, p, now);
  const hook = env && graceSec > 0 ? startHook(c, p, env, 'preStop') : undefined;
  if (hook) {
    c.hook = hook;
    c.termFrom = now;
    c.termGraceSec = graceSec;
    c.termAt = now + graceSec * 1000;
    // The latest the SIGKILL can come (the hook takes the whole grace period, the 2 s minimum follows); set at the SIGTERM.
    c.stopAt = c.termAt + MIN_GRACE_MS;
    return;
  }
  c.stopAt = now + stopMs(c, p, now);
  deliverTerm(c, now);
}

/**
 * The SIGTERM after a preStop hook: the grace period left is what the hook did not take, in whole seconds
 * (executePreStopHook), never under the 2 s minimum; a hook still running is ended by the SIGKILL.
 */
function sendTerm(c: ContainerSim, now: number): void {
  const tookSec = Math.floor((now - (c.termFrom ?? now)) / 1000);
  const leftMs = Math.max(MIN_GRACE_MS, ((c.termGraceSec ?? 0) - tookSec) * 1000);
  c.termAt = c.termFrom = c.termGraceSec = undefined;
  if (c.hook) c.hook.cutOff = true;
  c.stopAt = now + (ignoresTerm(c) ? leftMs : Math.min(500, leftMs));
  deliverTerm(c, now);
}

/**
 * The container's process ended while an exec hook ran in it: the hook's process dies too and ExecSync fails (exit
 * 137), which the kubelet records as for any failed hook. A postStart hook so failed also kills the container
 * (already gone) and leaves its error for the status. A `sleep` hook is not aborted: it has no process.
 */
function hookAborted(c: ContainerSim, p: PodSim, env: StageEnv): void {
  const h = c.hook;
  if (!h || h.done || h.handler !== 'exec') return;
  if (h.kind === 'preStop') { env.event(p, 'Warning', 'FailedPreStopHook', 'PreStopHook failed', c); return; }
  env.event(p, 'Warning', 'FailedPostStartHook', 'PostStartHook failed', c);
  env.event(p, 'Normal', 'Killing', 'FailedPostStartHook', c);
  c.hookError = abortedMessage(h, c, p);
}

/** When the container's own process ends by itself (its script's exit, its image's run time, the OOM killer), or its stop does. */
function ownEndAt(c: ContainerSim): number {
  if (c.step === 'stopping') return c.stopAt === undefined ? Infinity : stopEnd(c);
  let t = c.run ? c.run.exitAt ?? Infinity : c.behaviour.runMs !== undefined && c.startedAt !== undefined ? c.startedAt + c.behaviour.runMs : Infinity;
  if (c.oomAt !== undefined && c.oomAt < t) t = c.oomAt;
  return t;
}

/** The SIGTERM reaches a played script's shell: a trap it set runs (at once in a `wait`), else nothing happens. */
function deliverTerm(c: ContainerSim, now: number): void {
  if (c.run && c.run.phase !== 'done' && c.run.shell.signal(15)) c.run.nextAt = now;
}

/** When the container's script does something next, or never. */
const scriptNextAt = (c: ContainerSim) => (c.run && c.run.phase !== 'done' && Number.isFinite(c.run.nextAt) ? c.run.nextAt : Infinity);

/** A running container's next own step: its script going on, or its exit. */
function nextOwnEvent(c: ContainerSim): number {
  if (c.run) return c.run.phase !== 'done' && Number.isFinite(c.run.nextAt) ? c.run.nextAt : c.run.exitAt ?? Infinity;
  return c.behaviour.runMs !== undefined ? c.startedAt! + c.behaviour.runMs : Infinity;
}

/**
 * A container that asks for more memory than its limit is OOM-killed soon after it starts. Without a limit of its own
 * the pod-level one is its cgroup's (getMemoryLimit), and the pod-level cgroup holds every container together: one
 * that starts while the running ones already want the rest of it is the one the kernel kills.
 */
function overMemoryLimit(c: ContainerSim, p: PodSim): boolean {
  const podLimits = podLevelLimits(p.pod);
  const limit = effectiveLimit(c.spec, podLimits, 'memory');
  // No limit of its own and none for the pod (most containers): only the node's, which checkNodeMemory looks at.
  if (limit === undefined && podLimits?.memory === undefined) return false;
  const demand = memoryDemand(c.spec);
  if (limit !== undefined && demand > limit) return true;
  if (podLimits?.memory === undefined) return false;
  let total = demand;
  for (const o of p.containers) if (o !== c && o.step === 'running') total += memoryDemand(o.spec);
  return total > podLimits.memory;
}

/** How long a container over its memory limit runs before the OOM killer ends it. */
const OOM_AFTER_MS = 1000;

/** When a stopping container is gone: at the SIGKILL, or sooner if its script ends by itself. */
function stopEnd(c: ContainerSim, p?: PodSim, now?: number): number {
  // A container adopted while stopping (a restored playground) has no deadline yet: it gets one now.
  if (c.stopAt === undefined) c.stopAt = p && now !== undefined ? now + stopMs(c, p, now) : Infinity;
  const exitAt = c.run?.exitAt;
  return exitAt !== undefined && exitAt < c.stopAt ? exitAt : c.stopAt;
}

export { parseImage };
